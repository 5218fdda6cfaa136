// The canonical HOKS model (schema/model.yaml), compiled once into lookup tables.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/model/pattern.hpp"

namespace hoks {

// eHOKS operations: POST, PUT, PATCH, GET.
enum class Operation : std::uint8_t { create, replace, update, read };
enum class Presence : std::uint8_t { required, optional, excluded };
enum class BaseType : std::uint8_t { string, integer, number, boolean, date, instant, uuid, object, array };
enum class ValueCheck : std::uint8_t { none, oid, y_tunnus, phone, non_empty };

// "create" -> Operation::create; also accepts post/put/patch/get.
std::optional<Operation> parse_operation(std::string_view name);
std::string_view to_string(Operation op);
std::string_view to_string(BaseType type);

struct Text {
  std::string fi, en;
};

// The pattern of the uuid base type.
inline constexpr std::string_view uuid_pattern =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

struct ValueType {
  std::string name;            // "OOID", "date", "HATO", "[OHT]"
  BaseType base = BaseType::string;
  const ValueType* item = nullptr;   // arrays: the item type
  int entity = -1;                   // objects: index into Model::entities()
  std::optional<Pattern> pattern;
  ValueCheck check = ValueCheck::none;
  std::optional<double> minimum;
  std::string rule;            // catalog rule reported when check/minimum fails
  std::string koodisto;        // code list of the value, if any
  Text text;
};

struct Field {
  std::string key;
  const ValueType* type = nullptr;
  Presence presence[4] = {};   // by Operation
  Text text;
};

struct Entity {
  std::string name;
  Text text;
  std::vector<Field> fields;
  std::uint64_t required[4] = {};  // bit i: fields[i] is required for that operation

  // Index of the field with this key, or -1.
  int field_index(std::string_view key) const;
  const Field* field(std::string_view key) const {
    const int i = field_index(key);
    return i < 0 ? nullptr : &fields[static_cast<std::size_t>(i)];
  }

 private:
  friend class Model;
  std::vector<std::int16_t> slots_;  // open addressing: field index + 1
  std::uint32_t mask_ = 0;
};

class Model {
 public:
  // Loads a model from YAML text; throws std::runtime_error with a message on a bad model.
  static std::shared_ptr<const Model> load(std::string_view yaml_text);
  // The model built into the library (schema/model.yaml).
  static const Model& builtin();

  const std::string& version() const { return version_; }
  const std::vector<Entity>& entities() const { return entities_; }
  const Entity& entity(int index) const { return entities_[static_cast<std::size_t>(index)]; }
  const Entity* find_entity(std::string_view name) const;
  int entity_index(std::string_view name) const;
  const ValueType& root_type() const { return *root_; }
  const std::deque<ValueType>& types() const { return types_; }
  const ValueType* find_type(std::string_view name) const;

 private:
  std::string version_;
  std::vector<Entity> entities_;
  std::deque<ValueType> types_;
  const ValueType* root_ = nullptr;
};

// Files of schema/ built into the library ("model.yaml", "rules.yaml", "codes.yaml").
std::string_view embedded_file(std::string_view name);

}  // namespace hoks
