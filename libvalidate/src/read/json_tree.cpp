#include "read/json_tree.hpp"

#include <charconv>
#include <stdexcept>

#include "hoks/check/checks.hpp"
#include "hoks/read/json.hpp"

namespace hoks::detail {
namespace {

Tree from_value(JsonValue v) {
  switch (v.type()) {
    case JsonType::null: return nullptr;
    case JsonType::boolean: return v.boolean();
    case JsonType::string: return std::string(v.str());
    case JsonType::number: {
      const std::string_view t = v.str();
      const bool plain = t.find_first_of(".eE") == std::string_view::npos;
      if (plain) {
        std::int64_t i = 0;
        auto r = std::from_chars(t.data(), t.data() + t.size(), i);
        if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return i;
        std::uint64_t u = 0;
        r = std::from_chars(t.data(), t.data() + t.size(), u);
        if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return u;
      }
      return std::strtod(std::string(t).c_str(), nullptr);
    }
    case JsonType::array: {
      Tree a = Tree::array();
      for (auto& item : v) a.push_back(from_value(item.value()));
      return a;
    }
    case JsonType::object: {
      Tree o = Tree::object();
      for (auto& m : v) o[std::string(m.key().str())] = from_value(m.value());  // a repeated key: the last wins
      return o;
    }
  }
  return nullptr;
}

}  // namespace

const char* const part_arrays[9] = {
    "aiemmin-hankitut-ammat-tutkinnon-osat", "aiemmin-hankitut-yhteiset-tutkinnon-osat",
    "aiemmin-hankitut-paikalliset-tutkinnon-osat", "hankittavat-ammat-tutkinnon-osat",
    "hankittavat-yhteiset-tutkinnon-osat", "hankittavat-paikalliset-tutkinnon-osat",
    "opiskeluvalmiuksia-tukevat-opinnot", "oppimisen-tuki", "hankittavat-koulutuksen-osat"};

bool is_part_array(std::string_view key) {
  for (const char* k : part_arrays)
    if (key == k) return true;
  return false;
}

Tree parse_tree(std::string_view text, std::string_view what) {
  JsonDocument doc;
  if (!doc.parse(text)) {
    LineIndex index(text);
    const TextPosition p = index.locate(doc.error_offset());
    throw std::invalid_argument(std::string(what) + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                                ": not well-formed JSON (" + std::string(to_string(doc.error())) + ")");
  }
  return from_value(doc.root());
}

void normalize(Tree& value, const ValueType& type, const Model& model) {
  switch (type.base) {
    case BaseType::object:
      if (!value.is_object()) return;
      for (auto& [key, v] : value.items()) {
        const Field* f = model.entity(type.entity).field(key);
        if (f) normalize(v, *f->type, model);
      }
      return;
    case BaseType::array:
      if (value.is_null()) value = Tree::array();  // a sequence schema reads nil as [] (ehoks-model.md §0.2)
      if (!value.is_array()) return;
      for (auto& v : value) normalize(v, *type.item, model);
      return;
    case BaseType::string:
      if (value.is_string() && !type.pattern) value = std::string(trim(value.get_ref<const std::string&>()));
      return;
    case BaseType::integer:
      if (value.is_number_float()) {
        const double d = value.get<double>();
        if (d == static_cast<double>(static_cast<std::int64_t>(d))) value = static_cast<std::int64_t>(d);
      }
      return;
    default:
      return;
  }
}

void strip_ids(Tree& value) {
  if (value.is_object()) {
    value.erase("id");
    value.erase("module-id");
    for (auto& [k, child] : value.items()) strip_ids(child);
  } else if (value.is_array()) {
    for (auto& child : value) strip_ids(child);
  }
}

void strip_nested_ids(Tree& value) {
  if (value.is_object())
    for (auto& [k, child] : value.items()) strip_ids(child);
}

}  // namespace hoks::detail
