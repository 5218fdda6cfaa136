// Every entity under every operation: a minimal document built from the model is valid, and each
// required key left out, each excluded key sent, and an unknown key added give exactly that error
// at exactly that place. The tables come from schema/model.yaml, so this covers the whole model.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "hoks/model/code_lists.hpp"
#include "hoks/check/validate.hpp"

using namespace hoks;
using nlohmann::ordered_json;

namespace {

const Operation operations[] = {Operation::create, Operation::replace, Operation::update, Operation::read};

ordered_json sample(const ValueType& t, Operation op);

ordered_json minimal(const Entity& e, Operation op) {
  ordered_json o = ordered_json::object();
  for (const Field& f : e.fields)
    if (f.presence[static_cast<int>(op)] == Presence::required) o[f.key] = sample(*f.type, op);
  return o;
}

// A valid value of a type (no check digit or pattern failures).
ordered_json sample(const ValueType& t, Operation op) {
  static const std::map<std::string, std::string> named = {
      {"OOID", "1.2.246.562.15.10000000009"}, {"PID", "1.2.246.562.24.12312312319"},
      {"ORGID", "1.2.246.562.10.00000000001"}, {"YT", "1234567-1"},
      {"tutkinnonosa", "tutkinnonosat_100000"}, {"tunniste", "t-1"}, {"phone", "040 1234567"}};
  if (auto it = named.find(t.name); it != named.end()) return it->second;
  if (!t.koodisto.empty()) {
    const CodeList* list = CodeLists::builtin().find(t.koodisto);
    return t.koodisto + "_" + (list ? list->codes.begin()->first : std::string("0001"));
  }
  switch (t.base) {
    case BaseType::string: return "x";
    case BaseType::integer: return 1;
    case BaseType::number: return 1.5;
    case BaseType::boolean: return true;
    case BaseType::date: return "2024-01-15";
    case BaseType::instant: return "2024-01-15T10:00:00.000Z";
    case BaseType::uuid: return "123e4567-e89b-12d3-a456-426614174000";
    case BaseType::array: return ordered_json::array();
    case BaseType::object: return minimal(Model::builtin().entity(t.entity), op);
  }
  return nullptr;
}

// A route from the root to an entity: (key, is array) steps, or nullopt when unreachable for op.
using Route = std::vector<std::pair<std::string, bool>>;

std::optional<Route> route_to(int target, Operation op) {
  const Model& m = Model::builtin();
  std::map<int, Route> seen{{m.root_type().entity, {}}};
  std::vector<int> queue{m.root_type().entity};
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const int e = queue[q];
    if (e == target) return seen[e];
    for (const Field& f : m.entity(e).fields) {
      if (f.presence[static_cast<int>(op)] == Presence::excluded) continue;
      const bool array = f.type->base == BaseType::array;
      const ValueType* t = array ? f.type->item : f.type;
      if (t->base != BaseType::object || seen.count(t->entity)) continue;
      Route r = seen[e];
      r.emplace_back(f.key, array);
      seen[t->entity] = r;
      queue.push_back(t->entity);
    }
  }
  return std::nullopt;
}

struct Built {
  ordered_json doc;
  std::string pointer;  // of the entity instance
};

// The minimal root document with one instance of the entity at the end of the route, modified by `edit`.
template <typename Edit>
Built build(const Route& route, int target, Operation op, Edit edit) {
  const Model& m = Model::builtin();
  Built b{minimal(m.entity(m.root_type().entity), op), ""};
  ordered_json* at = &b.doc;
  int entity = m.root_type().entity;
  for (const auto& [key, array] : route) {
    const Field* f = m.entity(entity).field(key);
    const ValueType* t = array ? f->type->item : f->type;
    entity = t->entity;
    if (array) {
      (*at)[key] = ordered_json::array({minimal(m.entity(entity), op)});
      at = &(*at)[key][0];
      b.pointer += "/" + key + "/0";
    } else {
      (*at)[key] = minimal(m.entity(entity), op);
      at = &(*at)[key];
      b.pointer += "/" + key;
    }
  }
  EXPECT_EQ(entity, target);
  edit(*at);
  return b;
}

std::vector<std::string> structural_errors(const ordered_json& doc, Operation op) {
  const std::string text = doc.dump();
  JsonDocument parsed;
  EXPECT_TRUE(parsed.parse(text));
  std::vector<Finding> findings;
  Validator().validate_schema(parsed.root(), op, findings);
  std::vector<std::string> out;
  for (const auto& f : findings)
    if (f.severity == Severity::error) out.push_back(f.rule + " " + f.path + (f.arg("key").empty() ? "" : " " + std::string(f.arg("key"))));
  return out;
}

// Every finding of a full validation as "rule pointer" (errors and warnings), in report order.
std::vector<std::string> all_findings(const ordered_json& doc, Operation op, bool manual_entry) {
  const std::string text = doc.dump();
  JsonDocument parsed;
  EXPECT_TRUE(parsed.parse(text));
  ValidationOptions options;
  options.operation = op;
  options.manual_entry = manual_entry;
  options.today = {2026, 11, 28};
  std::vector<Finding> findings;
  Validator().validate(parsed.root(), options, findings);
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule + " " + f.path);
  return out;
}

}  // namespace

// ehoks-model.md §0.2: null is an empty array for every array-valued key (required or optional, on
// every operation and on the manual-entry routes): the same verdict as [] plus one null-array warning.
// Objects and scalars are never nullable: null-value, as before.
TEST(ModelCoverage, NullIsAnEmptyArrayAndNothingElse) {
  const Model& m = Model::builtin();
  int arrays = 0, others = 0;
  for (const Operation op : operations) {
    for (int e = 0; e < static_cast<int>(m.entities().size()); ++e) {
      const auto route = route_to(e, op);
      if (!route) continue;
      const std::string where = m.entity(e).name + " " + std::string(to_string(op));
      for (const Field& f : m.entity(e).fields) {
        const Presence p = f.presence[static_cast<int>(op)];
        const Built with_null = build(*route, e, op, [&](ordered_json& o) { o[f.key] = nullptr; });
        const std::string at = with_null.pointer + "/" + f.key;
        if (p == Presence::excluded) {
          EXPECT_EQ(structural_errors(with_null.doc, op), (std::vector<std::string>{"excluded-key " + at + " " + f.key}))
              << where << " with " << f.key << ": null";
          continue;
        }
        if (f.type->base != BaseType::array) {
          ++others;
          EXPECT_EQ(structural_errors(with_null.doc, op), (std::vector<std::string>{"null-value " + at + " " + f.key}))
              << where << " with " << f.key << ": null";
          continue;
        }
        ++arrays;
        EXPECT_EQ(structural_errors(with_null.doc, op), std::vector<std::string>{}) << where << " with " << f.key << ": null";
        const Built with_empty = build(*route, e, op, [&](ordered_json& o) { o[f.key] = ordered_json::array(); });
        for (const bool manual_entry : {false, true}) {
          auto expected = all_findings(with_empty.doc, op, manual_entry);
          auto got = all_findings(with_null.doc, op, manual_entry);
          const auto warning = std::find(got.begin(), got.end(), "null-array " + at);
          ASSERT_NE(warning, got.end()) << where << " with " << f.key << ": null";
          got.erase(warning);
          EXPECT_EQ(got, expected) << where << " with " << f.key << ": null" << (manual_entry ? " (manual entry)" : "");
        }
      }
    }
  }
  EXPECT_GE(arrays, 90);  // (entity, operation, key) cases of the current model
  EXPECT_GE(others, 449);
}

TEST(ModelCoverage, EveryEntityUnderEveryOperation) {
  const Model& m = Model::builtin();
  int reached = 0;
  for (const Operation op : operations) {
    for (int e = 0; e < static_cast<int>(m.entities().size()); ++e) {
      const auto route = route_to(e, op);
      if (!route) continue;  // e.g. sub-entities on PATCH: covered by the excluded-array checks below
      ++reached;
      const Entity& entity = m.entity(e);
      const std::string where = entity.name + " " + std::string(to_string(op));
      // The minimal instance is valid.
      const Built valid = build(*route, e, op, [](ordered_json&) {});
      EXPECT_EQ(structural_errors(valid.doc, op), std::vector<std::string>{}) << where;
      // An unknown key is rejected where it is.
      const Built unknown = build(*route, e, op, [](ordered_json& o) { o["tuntematon-kentta"] = 1; });
      EXPECT_EQ(structural_errors(unknown.doc, op),
                (std::vector<std::string>{"unknown-key " + valid.pointer + "/tuntematon-kentta tuntematon-kentta"}))
          << where;
      for (const Field& f : entity.fields) {
        const Presence p = f.presence[static_cast<int>(op)];
        if (p == Presence::required) {
          const Built missing = build(*route, e, op, [&](ordered_json& o) { o.erase(f.key); });
          EXPECT_EQ(structural_errors(missing.doc, op), (std::vector<std::string>{"missing-key " + valid.pointer + " " + f.key}))
              << where << " without " << f.key;
        } else if (p == Presence::excluded) {
          const Built excluded = build(*route, e, op, [&](ordered_json& o) { o[f.key] = sample(*f.type, op); });
          EXPECT_EQ(structural_errors(excluded.doc, op),
                    (std::vector<std::string>{"excluded-key " + valid.pointer + "/" + f.key + " " + f.key}))
              << where << " with " << f.key;
        } else {
          const Built optional = build(*route, e, op, [&](ordered_json& o) { o[f.key] = sample(*f.type, op); });
          EXPECT_EQ(structural_errors(optional.doc, op), std::vector<std::string>{}) << where << " with " << f.key;
        }
      }
    }
  }
  EXPECT_GE(reached, 27 * 3 + 1);  // every entity on create, replace and read; HOKS itself on update
}
