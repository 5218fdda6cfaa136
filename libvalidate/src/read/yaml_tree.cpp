#include "read/yaml_tree.hpp"

#include "hoks/model/model.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace hoks::detail {

YamlNode YamlNode::from_json(std::string json) {
  auto tree = std::make_shared<Tree>();
  tree->json = std::move(json);
  const std::string_view text = tree->json;
  return parse(std::move(tree), text);
}

YamlNode YamlNode::from_static_json(std::string_view json) { return parse(std::make_shared<Tree>(), json); }

YamlNode YamlNode::parse(std::shared_ptr<Tree> tree, std::string_view json) {
  JsonLimits limits;
  limits.max_document_bytes = 0;
  if (!tree->doc.parse(json, limits))
    throw std::runtime_error("YAML tree: not well-formed JSON at byte " + std::to_string(tree->doc.error_offset()));
  const JsonValue root = tree->doc.root();
  return {std::move(tree), root};
}

YamlNode YamlNode::operator[](std::string_view key) const {
  if (!value_.is_object()) return {};
  for (auto& m : value_)
    if (m.key().str() == key) return {tree_, m.value()};
  return {};
}

YamlNode::Item YamlNode::iterator::operator*() const {
  Item item;
  if (parent_.IsMap()) {
    item.first = YamlNode(parent_.tree_, it_.key());
    item.second = YamlNode(parent_.tree_, it_.value());
  } else {
    static_cast<YamlNode&>(item) = YamlNode(parent_.tree_, it_.value());
  }
  return item;
}

YamlNode::iterator YamlNode::begin() const {
  if (!IsMap() && !IsSequence()) return {*this, JsonValue::iterator(nullptr, 0, false)};
  return {*this, value_.begin()};
}

YamlNode::iterator YamlNode::end() const {
  if (!IsMap() && !IsSequence()) return {*this, JsonValue::iterator(nullptr, 0, false)};
  return {*this, value_.end()};
}

std::string_view YamlNode::scalar(const char* type) const {
  if (!IsScalar()) throw std::runtime_error(std::string("YAML: bad conversion to ") + type + ": not a scalar");
  return value_.str();
}

template <>
std::string YamlNode::as<std::string>() const {
  return std::string(scalar("string"));
}

// yaml-cpp's words: y/n, yes/no, true/false, on/off in lower, upper or capitalised case.
template <>
bool YamlNode::as<bool>() const {
  const std::string_view s = scalar("bool");
  static constexpr std::string_view words[][2] = {{"y", "n"}, {"yes", "no"}, {"true", "false"}, {"on", "off"}};
  auto same = [&](std::string_view word) {
    if (s.size() != word.size()) return false;
    bool lower = true, upper = true, capital = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i], l = word[i], u = static_cast<char>(word[i] - 32);
      lower = lower && c == l;
      upper = upper && c == u;
      capital = capital && c == (i == 0 ? u : l);
    }
    return lower || upper || capital;
  };
  for (const auto& pair : words) {
    if (same(pair[0])) return true;
    if (same(pair[1])) return false;
  }
  throw std::runtime_error("YAML: bad conversion to bool: '" + std::string(s) + "'");
}

template <>
double YamlNode::as<double>() const {
  std::string_view s = scalar("double");
  for (std::string_view inf : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
    if (s == inf) return std::numeric_limits<double>::infinity();
  for (std::string_view inf : {"-.inf", "-.Inf", "-.INF"})
    if (s == inf) return -std::numeric_limits<double>::infinity();
  for (std::string_view nan : {".nan", ".NaN", ".NAN"})
    if (s == nan) return std::numeric_limits<double>::quiet_NaN();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double d = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw std::runtime_error("YAML: bad conversion to double: '" + std::string(scalar("double")) + "'");
  return d;
}

namespace {
template <typename T>
T integer(std::string_view s) {
  const std::string_view original = s;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  T v{};
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw std::runtime_error("YAML: bad conversion to integer: '" + std::string(original) + "'");
  return v;
}
}  // namespace

template <>
int YamlNode::as<int>() const {
  return integer<int>(scalar("int"));
}
template <>
long YamlNode::as<long>() const {
  return integer<long>(scalar("long"));
}
template <>
unsigned YamlNode::as<unsigned>() const {
  return integer<unsigned>(scalar("unsigned"));
}

namespace {

// The build-time JSON form of `text`, or null. The embedded files themselves are known by their
// address, without reading (and faulting in) their text to hash it.
const PrecompiledYaml* find_precompiled(std::string_view text) {
  for (std::size_t i = 0; i < precompiled_yaml_count; ++i) {
    const PrecompiledYaml& p = precompiled_yaml_files[i];
    const std::string_view embedded = embedded_file(p.name);
    if (embedded.data() == text.data() && embedded.size() == text.size()) return &p;
  }
  std::uint64_t hash = 0;
  bool hashed = false;
  for (std::size_t i = 0; i < precompiled_yaml_count; ++i) {
    const PrecompiledYaml& p = precompiled_yaml_files[i];
    if (p.size != text.size()) continue;
    if (!hashed) hash = yaml_text_hash(text), hashed = true;
    if (p.hash == hash) return &p;
  }
  return nullptr;
}

}  // namespace

bool yaml_precompiled(std::string_view text) { return find_precompiled(text) != nullptr; }

YamlNode load_yaml(std::string_view text) {
  if (const PrecompiledYaml* p = find_precompiled(text)) return YamlNode::from_static_json({p->json, p->json_size});
  return YamlNode::from_json(yaml_to_json(text));
}

}  // namespace hoks::detail
