#include "hoks/model/code_lists.hpp"

#include "read/yaml_tree.hpp"

namespace hoks {

std::shared_ptr<const CodeLists> CodeLists::load(std::string_view yaml_text) {
  auto out = std::make_shared<CodeLists>();
  const detail::YamlNode doc = detail::load_yaml(yaml_text);
  for (const auto& entry : doc["koodistot"]) {
    CodeList list;
    list.name = entry.first.as<std::string>();
    list.snapshot = entry.second["snapshot"].as<std::string>();
    if (entry.second["source"]) list.source = entry.second["source"].as<std::string>();
    for (const auto& code : entry.second["codes"]) {
      Text t;
      if (code.second["fi"]) t.fi = code.second["fi"].as<std::string>();
      if (code.second["en"]) t.en = code.second["en"].as<std::string>();
      list.codes.emplace(code.first.as<std::string>(), std::move(t));
    }
    out->lists_.emplace(list.name, std::move(list));
  }
  return out;
}

const CodeLists& CodeLists::builtin() {
  static const std::shared_ptr<const CodeLists> lists = load(embedded_file("codes.yaml"));
  return *lists;
}

const CodeList* CodeLists::find(std::string_view koodisto) const {
  auto it = lists_.find(koodisto);
  return it == lists_.end() ? nullptr : &it->second;
}

}  // namespace hoks
