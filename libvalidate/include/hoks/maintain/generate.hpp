// Deterministic generator of realistic HOKS documents (create operation) for tests and benchmarks.
// Valid documents pass every eHOKS rule for a vocational study right; a chosen number of documents
// carry exactly one known defect each, so a validator's verdict can be checked document by document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/check/checks.hpp"

namespace hoks {

// The one thing wrong with an invalid generated document.
enum class Defect : std::uint8_t {
  none,
  unknown_key,           // a key the model does not know, in a workplace period
  wrong_type,            // a unit's code version as a string
  missing_key,           // a period without its required `loppu`
  pattern_mismatch,      // a way-of-acquisition code without its code-list prefix
  invalid_date,          // a period starting on 30 February
  oid_check_digit,       // the learner OID with a wrong check digit
  y_tunnus_check_digit,  // the workplace's Y-tunnus with a wrong check digit
  oht_tunniste,          // a workplace period without yksiloiva-tunniste (C-OHT-2)
  oht_date_order,        // a period ending before it starts (C-OHT-5)
  oht_part_time,         // a workplace period without osa-aikaisuustieto (C-OHT-1, needs the study right)
  oht_after_end,         // a period ending after the study right's estimated end (C-OHT-7)
  learning_support_fields,  // learning support of type _02 with dates (C-OT1)
};

struct DefectInfo {
  Defect defect;
  std::string_view name;   // "unknown-key": what `hoks gen` lists
  std::string_view rule;   // the catalog rule hoks validate reports for it
  bool in_json_schema;     // also rejected by the generated JSON Schema (ajv, valijson, jsonschema)
  bool needs_study_right;  // reported only with --opiskeluoikeus
};

// Every defect kind (not Defect::none), in the order the generator cycles through them.
const std::vector<DefectInfo>& defect_kinds();
// The description of one defect kind (Defect::none gives an entry with empty name and rule).
const DefectInfo& defect_info(Defect defect);

struct GeneratorOptions {
  std::uint64_t seed = 1;
  std::uint64_t count = 1;
  std::uint64_t invalid = 0;              // how many documents carry one defect each (<= count)
  Date study_right_start{2023, 8, 1};     // KOSKI alkamispäivä (fixtures/context/ammatillinen.json)
  Date study_right_end{2026, 7, 31};      // KOSKI arvioituPäättymispäivä
  std::string study_right_oid;            // the documents' opiskeluoikeus-oid ("": a random one each)
  // Early-stage plans: units often without demonstrations or teaching hours, codes outside the
  // snapshot (legal-demonstration, legal-teaching-hours and unknown-code warnings besides the defects).
  bool early = false;
};

// Generates document i of a corpus from (seed, i) alone, so any slice can be made independently.
class HoksGenerator {
 public:
  // Throws std::invalid_argument when invalid > count or the study right is shorter than 60 days.
  explicit HoksGenerator(const GeneratorOptions& options);

  // The defect of document `index` (Defect::none for a valid one).
  Defect defect_of(std::uint64_t index) const;
  // Appends document `index` to `out` as one line of compact JSON, without a newline.
  void write(std::uint64_t index, std::string& out) const;
  // Document `index` as compact JSON.
  std::string document(std::uint64_t index) const;

  const GeneratorOptions& options() const { return options_; }

 private:
  GeneratorOptions options_;
};

// An OID with a valid check digit: 1.2.246.562.<node>.<10 payload digits><check digit>.
std::string make_oid(std::string_view node, std::uint64_t payload10);
// A Y-tunnus with a valid check digit from 7 digits, or "" when those digits have none.
std::string make_y_tunnus(std::uint32_t digits7);

}  // namespace hoks
