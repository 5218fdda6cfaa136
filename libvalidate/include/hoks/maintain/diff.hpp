// Semantic comparison of two snapshots of one student's HOKS, and the eHOKS update plan that takes
// the stored HOKS from the old snapshot to the new one (ehoks-model.md §4: PATCH for top-level
// values, PUT for anything in the parts, since eHOKS has no per-part endpoints).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/model/catalog.hpp"
#include "hoks/check/checks.hpp"
#include "hoks/report/finding.hpp"
#include "hoks/model/model.hpp"

namespace hoks {

struct HoksChange {
  enum class Kind : std::uint8_t { added, removed, changed };
  Kind kind = Kind::changed;
  std::string path;   // RFC 6901 pointer: into the new snapshot (into the old one for `removed`)
  std::string where;  // by identity: "hankittavat-ammat-tutkinnon-osat[tutkinnonosat_101053]/osaamisen-hankkimistavat[yksiloiva-tunniste=j1]/loppu"
  std::string old_value, new_value;  // compact JSON; "" when absent
  bool top_level_value = false;      // a top-level value, not a part: PATCH can carry it
};
std::string_view to_string(HoksChange::Kind kind);

// Something the plan cannot do exactly as the new snapshot says.
struct PlanNote {
  // cannot-remove: PUT keeps an omitted `key` and PATCH cannot clear it (§4.3);
  // immutable: eHOKS rejects a change of opiskeluoikeus-oid (§4.3);
  // oppija-oid: eHOKS accepts a new oppija-oid only when it is the ONR master oid of the old one.
  std::string code;
  std::string key;
};

struct PlannedRequest {
  Operation operation = Operation::update;  // update (PATCH) or replace (PUT)
  std::string body;                         // JSON text
  std::vector<Finding> findings;            // the body validated for `operation` (no KOSKI context)
  bool valid() const;                       // no error among the findings
};

struct UpdatePlan {
  std::vector<HoksChange> changes;         // empty: the snapshots are the same HOKS content
  std::optional<PlannedRequest> request;   // nothing to send when there are no changes
  std::vector<PlanNote> notes;
  bool reproduces = true;                  // applying the body to the old snapshot gives the new one

  // Nothing to send, or a valid body that reproduces the new snapshot without notes.
  bool clean() const { return !request || (request->valid() && reproduces && notes.empty()); }
};

struct DiffOptions {
  std::int64_t hoks_id = 0;      // the id eHOKS returned on creation (goes into the body)
  Date today = Date::today();    // date of date-relative rules when the body is validated
  bool manual_entry = false;     // virkailija routes
};

// The semantic differences between two HOKS snapshots: parts are matched by identity (module-id,
// yksiloiva-tunniste, unit and code URIs, names), by equal content, and by position only as a last
// resort; server-generated values (id, eid, module-id, manuaalisyotto) and the order of parts are
// ignored; a missing sub-entity array equals an empty one; values compare as eHOKS stores them
// (plain strings trimmed). Throws std::invalid_argument for input that is not a well-formed object.
std::vector<HoksChange> compare_hoks(std::string_view old_json, std::string_view new_json,
                                     const Model& model = Model::builtin());

// The update plan from `old_json` to `new_json`: the changes, the PATCH or PUT body, its validation
// and whether applying it (apply_update) reproduces the new snapshot.
UpdatePlan plan_update(std::string_view old_json, std::string_view new_json, const DiffOptions& options,
                       const Model& model = Model::builtin(), const Catalog& catalog = Catalog::builtin());

// The HOKS id of the snapshots: the new one's top-level `id`, else the old one's; 0 when neither
// has one.
std::int64_t snapshot_hoks_id(std::string_view old_json, std::string_view new_json);

// The plan for people: the changes, the request line, the body, findings and notes, in `lang`.
std::string render_plan_text(const UpdatePlan& plan, std::int64_t hoks_id, const Catalog& catalog, Lang lang);
// The plan for programs: {"changes": [...], "plan": {"operation", "method", "path", "body", "valid",
// "findings"} or null, "notes": [...], "reproduces": bool}.
std::string render_plan_json(const UpdatePlan& plan, std::int64_t hoks_id, const Catalog& catalog, Lang lang);

}  // namespace hoks
