#include "hoks/model/model.hpp"

#include "check/rule_ids.hpp"

#include "read/yaml_tree.hpp"

#include <cstring>
#include <map>
#include <stdexcept>

namespace hoks {
namespace {

// Hashes a key from its length and its first, middle and last 8 bytes (keys are short and
// differ mostly at their ends); the field tables and lookups use the same function.
std::uint32_t hash_key(std::string_view key) {
  const std::size_t n = key.size();
  std::uint64_t h = n * 0x9E3779B97F4A7C15ULL;
  if (n >= 8) {
    std::uint64_t a, b, c;
    std::memcpy(&a, key.data(), 8);
    std::memcpy(&b, key.data() + n / 2 - 4, 8);
    std::memcpy(&c, key.data() + n - 8, 8);
    h ^= (a * 0xFF51AFD7ED558CCDULL) ^ ((b * 0xC4CEB9FE1A85EC53ULL) >> 7) ^ ((c * 0x94D049BB133111EBULL) >> 13);
  } else {
    for (unsigned char ch : key) h = (h ^ ch) * 0x100000001B3ULL;
  }
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ULL;
  return static_cast<std::uint32_t>(h >> 32);
}

Text read_text(const detail::YamlNode& n) {
  return {n["fi"] ? n["fi"].as<std::string>() : "", n["en"] ? n["en"].as<std::string>() : ""};
}

}  // namespace

std::optional<Operation> parse_operation(std::string_view name) {
  if (name == "create" || name == "post") return Operation::create;
  if (name == "replace" || name == "put") return Operation::replace;
  if (name == "update" || name == "patch") return Operation::update;
  if (name == "read" || name == "get") return Operation::read;
  return std::nullopt;
}

std::string_view to_string(Operation op) {
  static const char* names[] = {"create", "replace", "update", "read"};
  return names[static_cast<int>(op)];
}

std::string_view to_string(BaseType type) {
  static const char* names[] = {"string", "integer", "number", "boolean", "date", "instant", "uuid", "object", "array"};
  return names[static_cast<int>(type)];
}

int Entity::field_index(std::string_view key) const {
  std::uint32_t i = hash_key(key) & mask_;
  for (;;) {
    const int slot = slots_[i];
    if (slot == 0) return -1;
    if (fields[static_cast<std::size_t>(slot - 1)].key == key) return slot - 1;
    i = (i + 1) & mask_;
  }
}

std::shared_ptr<const Model> Model::load(std::string_view yaml_text) {
  auto model = std::make_shared<Model>();
  const detail::YamlNode doc = detail::load_yaml(yaml_text);
  model->version_ = doc["version"].as<std::string>();

  std::map<std::string, ValueType*, std::less<>> by_name;
  auto add_type = [&](ValueType t) -> ValueType* {
    model->types_.push_back(std::move(t));
    ValueType* p = &model->types_.back();
    by_name[p->name] = p;
    return p;
  };
  const std::pair<const char*, BaseType> bases[] = {
      {"str", BaseType::string}, {"int", BaseType::integer}, {"num", BaseType::number},
      {"bool", BaseType::boolean}, {"date", BaseType::date}, {"inst", BaseType::instant},
      {"uuid", BaseType::uuid}};
  for (auto [name, base] : bases) {
    ValueType t;
    t.name = name;
    t.base = base;
    if (base == BaseType::uuid) t.pattern = Pattern::compile(uuid_pattern);
    add_type(std::move(t));
  }
  for (const auto& entry : doc["types"]) {
    const std::string name = entry.first.as<std::string>();
    const detail::YamlNode& n = entry.second;
    ValueType t;
    t.name = name;
    auto base = by_name.find(n["base"].as<std::string>());
    if (base == by_name.end()) throw std::runtime_error("model: type " + name + " has an unknown base");
    t.base = base->second->base;
    if (n["pattern"]) {
      std::string error;
      t.pattern = Pattern::compile(n["pattern"].as<std::string>(), &error);
      if (!t.pattern) throw std::runtime_error("model: pattern of " + name + ": " + error);
    }
    if (n["check"]) {
      const std::string c = n["check"].as<std::string>();
      if (c == "oid") t.check = ValueCheck::oid;
      else if (c == "y-tunnus") t.check = ValueCheck::y_tunnus;
      else if (c == "phone") t.check = ValueCheck::phone;
      else if (c == "non-empty") t.check = ValueCheck::non_empty;
      else throw std::runtime_error("model: unknown check " + c);
    }
    if (n["minimum"]) t.minimum = n["minimum"].as<double>();
    if (n["rule"]) t.rule = n["rule"].as<std::string>();
    if (detail::RuleId id; !t.rule.empty() && !detail::find_rule(t.rule, id))
      throw std::runtime_error("model: type " + t.name + ": `rule` " + t.rule + " is not in the rule catalog");
    if (t.minimum && t.rule.empty()) throw std::runtime_error("model: type " + t.name + ": a minimum needs a `rule`");
    if (n["koodisto"]) t.koodisto = n["koodisto"].as<std::string>();
    t.text = read_text(n);
    add_type(std::move(t));
  }
  // Entities first get their object types, so fields can refer to any of them.
  const detail::YamlNode entities = doc["entities"];
  for (const auto& entry : entities) {
    Entity e;
    e.name = entry.first.as<std::string>();
    e.text = read_text(entry.second);
    model->entities_.push_back(std::move(e));
    ValueType t;
    t.name = model->entities_.back().name;
    t.base = BaseType::object;
    t.entity = static_cast<int>(model->entities_.size()) - 1;
    add_type(std::move(t));
  }
  auto resolve = [&](const std::string& name) -> const ValueType* {
    if (auto it = by_name.find(name); it != by_name.end()) return it->second;
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
      auto it = by_name.find(name.substr(1, name.size() - 2));
      if (it == by_name.end()) return nullptr;
      ValueType t;
      t.name = name;
      t.base = BaseType::array;
      t.item = it->second;
      return add_type(std::move(t));
    }
    return nullptr;
  };
  std::size_t index = 0;
  for (const auto& entry : entities) {
    Entity& e = model->entities_[index++];
    for (const auto& f : entry.second["fields"]) {
      Field field;
      field.key = f["key"].as<std::string>();
      field.type = resolve(f["type"].as<std::string>());
      if (!field.type) throw std::runtime_error("model: " + e.name + "." + field.key + ": unknown type");
      const std::string ops = f["ops"].as<std::string>();
      if (ops.size() != 4) throw std::runtime_error("model: " + e.name + "." + field.key + ": ops needs 4 letters");
      for (int k = 0; k < 4; ++k) {
        if (ops[k] == 'R') field.presence[k] = Presence::required;
        else if (ops[k] == 'O') field.presence[k] = Presence::optional;
        else if (ops[k] == '-') field.presence[k] = Presence::excluded;
        else throw std::runtime_error("model: " + e.name + "." + field.key + ": bad ops letter");
        if (field.presence[k] == Presence::required) e.required[k] |= std::uint64_t{1} << e.fields.size();
      }
      field.text = read_text(f);
      e.fields.push_back(std::move(field));
      if (e.fields.size() > 64) throw std::runtime_error("model: " + e.name + " has more than 64 fields");
    }
    std::uint32_t size = 8;
    while (size < e.fields.size() * 4) size *= 2;
    e.slots_.assign(size, 0);
    e.mask_ = size - 1;
    for (std::size_t k = 0; k < e.fields.size(); ++k) {
      std::uint32_t i = hash_key(e.fields[k].key) & e.mask_;
      while (e.slots_[i] != 0) i = (i + 1) & e.mask_;
      e.slots_[i] = static_cast<std::int16_t>(k + 1);
    }
  }
  model->root_ = resolve(doc["root"].as<std::string>());
  if (!model->root_ || model->root_->base != BaseType::object) throw std::runtime_error("model: bad root");
  return model;
}

const Model& Model::builtin() {
  static const std::shared_ptr<const Model> model = load(embedded_file("model.yaml"));
  return *model;
}

const Entity* Model::find_entity(std::string_view name) const {
  const int i = entity_index(name);
  return i < 0 ? nullptr : &entities_[static_cast<std::size_t>(i)];
}

int Model::entity_index(std::string_view name) const {
  for (std::size_t i = 0; i < entities_.size(); ++i)
    if (entities_[i].name == name) return static_cast<int>(i);
  return -1;
}

const ValueType* Model::find_type(std::string_view name) const {
  for (const auto& t : types_)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace hoks
