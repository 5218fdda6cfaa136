// Warnings where eHOKS checks nothing (ehoks-model.md §2.4, legal-basis.md §3): sanity checks,
// working-life feedback readiness, and the legal minimum content of a HOKS (legal-basis.md §1.4, §6).
#include <map>

#include "check/rule_run.hpp"

namespace hoks::detail {
namespace {

bool is_workplace_period(JsonValue oht) {
  const std::string_view uri = string_of(oht, "osaamisen-hankkimistapa-koodi-uri");
  return uri == "osaamisenhankkimistapa_koulutussopimus" || uri == "osaamisenhankkimistapa_oppisopimus";
}

// A null array is an empty one in eHOKS (ehoks-model.md §0.2).
bool absent_or_empty(JsonValue object, std::string_view key) {
  const JsonValue v = object.get(key);
  return !v.valid() || v.type() == JsonType::null || (v.is_array() && v.size() == 0);
}

bool blank(JsonValue object, std::string_view key) { return trim(string_of(object, key)).empty(); }

// loppu before alku where eHOKS does not check it.
void date_order(RuleRun& run, JsonValue object, RuleId rule) {
  const auto alku = date_of(object, "alku"), loppu = date_of(object, "loppu");
  if (alku && loppu && *loppu < *alku)
    run.report(rule, object.get("loppu"), {{"alku", date_text(*alku)}, {"loppu", date_text(*loppu)}});
}

void demonstration_date_order(RuleRun& run, JsonValue o) { date_order(run, o, RuleId::demonstration_date_order); }
void environment_date_order(RuleRun& run, JsonValue o) { date_order(run, o, RuleId::environment_date_order); }
void supporting_studies_date_order(RuleRun& run, JsonValue o) { date_order(run, o, RuleId::supporting_studies_date_order); }
void interruption_date_order(RuleRun& run, JsonValue o) { date_order(run, o, RuleId::interruption_date_order); }
void training_part_date_order(RuleRun& run, JsonValue o) { date_order(run, o, RuleId::training_part_date_order); }
void learning_support_date_order(RuleRun& run, JsonValue o) { date_order(run, o, RuleId::learning_support_date_order); }

// The same yksiloiva-tunniste twice in one HOKS: eHOKS merges the feedback state of both periods.
void tunniste_not_unique(RuleRun& run, JsonValue) {
  const int oht = run.model.entity_index("OHT");
  std::map<std::string_view, int> seen;
  for (const ObjectRef& ref : run.objects) {
    if (ref.entity != oht) continue;
    const JsonValue v = JsonValue(run.root.document(), ref.node).get("yksiloiva-tunniste");
    if (!v.is_string()) continue;
    if (++seen[trim(v.str())] == 2) run.report(RuleId::tunniste_not_unique, v, {{"value", std::string(trim(v.str()))}});
  }
}

// A workplace period without what working-life feedback needs (legal-basis.md §3.5).
void workplace_feedback_data(RuleRun& run, JsonValue oht) {
  if (!is_workplace_period(oht)) return;
  std::string missing;
  auto add = [&](std::string_view what) {
    if (!missing.empty()) missing += ", ";
    missing += what;
  };
  const JsonValue tjk = oht.get("tyopaikalla-jarjestettava-koulutus");
  if (!tjk.is_object()) {
    add("tyopaikalla-jarjestettava-koulutus");
  } else {
    if (blank(tjk, "tyopaikan-nimi")) add("tyopaikan-nimi");
    if (!tjk.get("tyopaikan-y-tunnus").valid()) add("tyopaikan-y-tunnus");
    const JsonValue ohjaaja = tjk.get("vastuullinen-tyopaikka-ohjaaja");
    if (blank(ohjaaja, "sahkoposti") && blank(ohjaaja, "puhelinnumero"))
      add("vastuullinen-tyopaikka-ohjaaja.sahkoposti / puhelinnumero");
  }
  if (!oht.get("osa-aikaisuustieto").valid()) add("osa-aikaisuustieto");
  if (!missing.empty()) run.report(RuleId::workplace_feedback_data, oht, {{"missing", missing}});
}

// Supporting studies running after oppimisen tuki replaced them (1.8.2026).
void supporting_studies_replaced(RuleRun& run, JsonValue oto) {
  constexpr Date replaced{2026, 8, 1};
  const auto loppu = date_of(oto, "loppu");
  if (run.options.today < replaced || !loppu || *loppu < replaced) return;
  run.report(RuleId::supporting_studies_replaced, oto, {{"today", date_text(run.options.today)}});
}

// The study right has ended; eHOKS may refuse creation and updates.
void study_right_not_active(RuleRun& run, JsonValue hoks) {
  const std::string& tila = run.options.study_right->latest_tila;
  if (tila == "valmistunut" || tila == "eronnut" || tila == "katsotaaneronneeksi" || tila == "peruutettu")
    run.report(RuleId::study_right_not_active, hoks, {{"tila", tila}});
}

// The unit's code (tutkinnon-osa-koodi-uri, else osa-alue-koodi-uri), else its nimi: one pass
// over its members, the last of a repeated key as get() takes it.
std::string_view unit_name(JsonValue unit) {
  constexpr std::string_view keys[] = {"tutkinnon-osa-koodi-uri", "osa-alue-koodi-uri", "nimi"};
  JsonValue found[3];
  if (unit.is_object())
    for (auto& m : unit) {
      const std::string_view k = m.key().str();
      for (int i = 0; i < 3; ++i)
        if (k == keys[i]) found[i] = m.value();
    }
  for (const JsonValue& v : found)
    if (v.is_string()) return v.str();
  return {};
}

// L 531/2017 44 §: each unit to be acquired has its ways and periods of acquiring competence.
void legal_acquisition_way(RuleRun& run, JsonValue unit) {
  if (absent_or_empty(unit, "osaamisen-hankkimistavat"))
    run.report(RuleId::legal_acquisition_way, unit, "unit", unit_name(unit));
}

// L 531/2017 44 §: a planned demonstration for each unit (an osa-alue may share a unit's demonstration).
void legal_demonstration(RuleRun& run, JsonValue unit) {
  if (!absent_or_empty(unit, "osaamisen-osoittaminen")) return;
  const JsonValue code = unit.get("osa-alue-koodi-uri");
  if (code.is_string()) {
    if (!run.demonstrated_areas) {
      run.demonstrated_areas.emplace();
      const int demo = run.model.entity_index("OsaamisenOsoittaminen");
      for (const ObjectRef& ref : run.objects) {
        if (ref.entity != demo) continue;
        const JsonValue areas = JsonValue(run.root.document(), ref.node).get("osa-alueet");
        if (areas.is_array())
          for (auto& a : areas) run.demonstrated_areas->insert(a.value().get("koodi-uri").str());
      }
    }
    if (run.demonstrated_areas->count(code.str())) return;
  }
  run.report(RuleId::legal_demonstration, unit, "unit", unit_name(unit));
}

// L 531/2017 44 §: how recognised prior competence was verified.
void legal_prior_verification(RuleRun& run, JsonValue unit) {
  if (unit.get("valittu-todentamisen-prosessi-koodi-uri").valid()) return;
  const JsonValue areas = unit.get("osa-alueet");
  if (areas.is_array() && areas.size() > 0) return;  // each osa-alue carries its own process code
  run.report(RuleId::legal_prior_verification, unit, "unit", unit_name(unit));
}

// L 884/2017 9 § 3 mom. (from 2022-08-01): planned teaching and guidance per unit.
void legal_teaching_hours(RuleRun& run, JsonValue unit) {
  if (!run.first_approval) run.first_approval = date_of(run.root, "ensikertainen-hyvaksyminen");
  const std::optional<Date>& approved = *run.first_approval;
  if (approved && *approved < Date{2022, 8, 1}) return;
  if (!unit.get("opetus-ja-ohjaus-maara").valid()) run.report(RuleId::legal_teaching_hours, unit, "unit", unit_name(unit));
}

bool full_document(const RuleRun& run) {
  return run.options.operation == Operation::create || run.options.operation == Operation::replace;
}

// L 531/2017 44 §: the student's career plan goal.
void legal_career_plan(RuleRun& run, JsonValue hoks) {
  if (full_document(run) && !hoks.get("urasuunnitelma-koodi-uri").valid()) run.report(RuleId::legal_career_plan, hoks);
}

// A HOKS that needs acquisition of competence plans at least one unit or training part.
void legal_units_to_acquire(RuleRun& run, JsonValue hoks) {
  const JsonValue need = hoks.get("osaamisen-hankkimisen-tarve");
  if (!full_document(run) || need.type() != JsonType::boolean || !need.boolean()) return;
  for (std::string_view key : {"hankittavat-ammat-tutkinnon-osat", "hankittavat-yhteiset-tutkinnon-osat",
                               "hankittavat-paikalliset-tutkinnon-osat", "hankittavat-koulutuksen-osat"})
    if (!absent_or_empty(hoks, key)) return;
  run.report(RuleId::legal_units_to_acquire, hoks);
}

// A common unit to acquire names the osa-alueet it consists of.
void legal_common_unit_areas(RuleRun& run, JsonValue unit) {
  if (absent_or_empty(unit, "osa-alueet")) run.report(RuleId::legal_common_unit_areas, unit, "unit", unit_name(unit));
}

// A local unit states its objectives and content (or refers to them in AMOSAA).
void legal_local_unit_goals(RuleRun& run, JsonValue unit) {
  if (blank(unit, "tavoitteet-ja-sisallot") && blank(unit, "amosaa-tunniste"))
    run.report(RuleId::legal_local_unit_goals, unit, "unit", unit_name(unit));
}

// L 531/2017 109 a §: workplace training needs its workplace details.
void legal_workplace_training(RuleRun& run, JsonValue oht) {
  if (is_workplace_period(oht) && !oht.get("tyopaikalla-jarjestettava-koulutus").valid())
    run.report(RuleId::legal_workplace_training, oht);
}

}  // namespace

const std::vector<RuleImpl>& quality_rule_table() {
  static const std::vector<RuleImpl> table = {
      {RuleId::demonstration_date_order, demonstration_date_order},
      {RuleId::environment_date_order, environment_date_order},
      {RuleId::supporting_studies_date_order, supporting_studies_date_order},
      {RuleId::interruption_date_order, interruption_date_order},
      {RuleId::training_part_date_order, training_part_date_order},
      {RuleId::learning_support_date_order, learning_support_date_order},
      {RuleId::tunniste_not_unique, tunniste_not_unique},
      {RuleId::workplace_feedback_data, workplace_feedback_data},
      {RuleId::supporting_studies_replaced, supporting_studies_replaced},
      {RuleId::study_right_not_active, study_right_not_active},
      {RuleId::legal_career_plan, legal_career_plan},
      {RuleId::legal_units_to_acquire, legal_units_to_acquire},
      {RuleId::legal_common_unit_areas, legal_common_unit_areas},
      {RuleId::legal_local_unit_goals, legal_local_unit_goals},
      {RuleId::legal_workplace_training, legal_workplace_training},
      {RuleId::legal_acquisition_way, legal_acquisition_way},
      {RuleId::legal_demonstration, legal_demonstration},
      {RuleId::legal_teaching_hours, legal_teaching_hours},
      {RuleId::legal_prior_verification, legal_prior_verification},
  };
  return table;
}

}  // namespace hoks::detail
