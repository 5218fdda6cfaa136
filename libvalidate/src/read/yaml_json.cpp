// YAML text to its JSON form (yaml_tree.hpp), with yaml-cpp. Also built into precompile_yaml, the
// build-time tool that converts the YAML files built into the library.
#include <yaml-cpp/yaml.h>

#include <cstring>
#include <stdexcept>

#include "read/yaml_tree.hpp"

namespace hoks::detail {
namespace {

void append_node(std::string& out, const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out += "null";
      return;
    case YAML::NodeType::Scalar:
      detail::append_json_string(out, n.Scalar());
      return;
    case YAML::NodeType::Sequence: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : n) {
        if (!first) out.push_back(',');
        first = false;
        append_node(out, item);
      }
      out.push_back(']');
      return;
    }
    case YAML::NodeType::Map: {
      out.push_back('{');
      bool first = true;
      for (const auto& entry : n) {
        if (!entry.first.IsScalar())
          throw std::runtime_error("YAML: line " + std::to_string(entry.first.Mark().line + 1) +
                                   ": only scalar keys are supported");
        if (!first) out.push_back(',');
        first = false;
        detail::append_json_string(out, entry.first.Scalar());
        out.push_back(':');
        append_node(out, entry.second);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

std::string yaml_to_json(std::string_view yaml_text) {
  const YAML::Node root = YAML::Load(std::string(yaml_text));
  std::string out;
  out.reserve(yaml_text.size());
  append_node(out, root);
  return out;
}

std::uint64_t yaml_text_hash(std::string_view text) {
  // FNV-1a over 8-byte words, then the tail bytes.
  std::uint64_t h = 0xCBF29CE484222325ULL ^ text.size();
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    h = (h ^ w) * 0x100000001B3ULL;
    h ^= h >> 29;
  }
  for (; i < text.size(); ++i) h = (h ^ static_cast<unsigned char>(text[i])) * 0x100000001B3ULL;
  return h ^ (h >> 32);
}

}  // namespace hoks::detail
