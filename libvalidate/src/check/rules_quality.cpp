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
void date_order(RuleRun& run, JsonValue object, std::string_view rule) {
  const auto alku = date_of(object, "alku"), loppu = date_of(object, "loppu");
  if (alku && loppu && *loppu < *alku)
    run.report(rule, object.get("loppu"), {{"alku", date_text(*alku)}, {"loppu", date_text(*loppu)}});
}

void demonstration_date_order(RuleRun& run, JsonValue o) { date_order(run, o, "demonstration-date-order"); }
void environment_date_order(RuleRun& run, JsonValue o) { date_order(run, o, "environment-date-order"); }
void supporting_studies_date_order(RuleRun& run, JsonValue o) { date_order(run, o, "supporting-studies-date-order"); }
void interruption_date_order(RuleRun& run, JsonValue o) { date_order(run, o, "interruption-date-order"); }
void training_part_date_order(RuleRun& run, JsonValue o) { date_order(run, o, "training-part-date-order"); }
void learning_support_date_order(RuleRun& run, JsonValue o) { date_order(run, o, "learning-support-date-order"); }

// The same yksiloiva-tunniste twice in one HOKS: eHOKS merges the feedback state of both periods.
void tunniste_not_unique(RuleRun& run, JsonValue) {
  const int oht = run.model.entity_index("OHT");
  std::map<std::string_view, int> seen;
  for (const ObjectRef& ref : run.objects) {
    if (ref.entity != oht) continue;
    const JsonValue v = JsonValue(run.root.document(), ref.node).get("yksiloiva-tunniste");
    if (!v.is_string()) continue;
    if (++seen[trim(v.str())] == 2) run.report("tunniste-not-unique", v, {{"value", std::string(trim(v.str()))}});
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
  if (!missing.empty()) run.report("workplace-feedback-data", oht, {{"missing", missing}});
}

// Supporting studies running after oppimisen tuki replaced them (1.8.2026).
void supporting_studies_replaced(RuleRun& run, JsonValue oto) {
  constexpr Date replaced{2026, 8, 1};
  const auto loppu = date_of(oto, "loppu");
  if (run.options.today < replaced || !loppu || *loppu < replaced) return;
  run.report("supporting-studies-replaced", oto, {{"today", date_text(run.options.today)}});
}

// The study right has ended; eHOKS may refuse creation and updates.
void study_right_not_active(RuleRun& run, JsonValue hoks) {
  const std::string& tila = run.options.study_right->latest_tila;
  if (tila == "valmistunut" || tila == "eronnut" || tila == "katsotaaneronneeksi" || tila == "peruutettu")
    run.report("study-right-not-active", hoks, {{"tila", tila}});
}

std::string unit_name(JsonValue unit) {
  for (std::string_view key : {"tutkinnon-osa-koodi-uri", "osa-alue-koodi-uri", "nimi"})
    if (unit.get(key).is_string()) return std::string(unit.get(key).str());
  return {};
}

// L 531/2017 44 §: each unit to be acquired has its ways and periods of acquiring competence.
void legal_acquisition_way(RuleRun& run, JsonValue unit) {
  if (absent_or_empty(unit, "osaamisen-hankkimistavat"))
    run.report("legal-acquisition-way", unit, {{"unit", unit_name(unit)}});
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
  run.report("legal-demonstration", unit, {{"unit", unit_name(unit)}});
}

// L 531/2017 44 §: how recognised prior competence was verified.
void legal_prior_verification(RuleRun& run, JsonValue unit) {
  if (unit.get("valittu-todentamisen-prosessi-koodi-uri").valid()) return;
  const JsonValue areas = unit.get("osa-alueet");
  if (areas.is_array() && areas.size() > 0) return;  // each osa-alue carries its own process code
  run.report("legal-prior-verification", unit, {{"unit", unit_name(unit)}});
}

// L 884/2017 9 § 3 mom. (from 2022-08-01): planned teaching and guidance per unit.
void legal_teaching_hours(RuleRun& run, JsonValue unit) {
  const auto approved = date_of(run.root, "ensikertainen-hyvaksyminen");
  if (approved && *approved < Date{2022, 8, 1}) return;
  if (!unit.get("opetus-ja-ohjaus-maara").valid()) run.report("legal-teaching-hours", unit, {{"unit", unit_name(unit)}});
}

bool full_document(const RuleRun& run) {
  return run.options.operation == Operation::create || run.options.operation == Operation::replace;
}

// L 531/2017 44 §: the student's career plan goal.
void legal_career_plan(RuleRun& run, JsonValue hoks) {
  if (full_document(run) && !hoks.get("urasuunnitelma-koodi-uri").valid()) run.report("legal-career-plan", hoks);
}

// A HOKS that needs acquisition of competence plans at least one unit or training part.
void legal_units_to_acquire(RuleRun& run, JsonValue hoks) {
  const JsonValue need = hoks.get("osaamisen-hankkimisen-tarve");
  if (!full_document(run) || need.type() != JsonType::boolean || !need.boolean()) return;
  for (std::string_view key : {"hankittavat-ammat-tutkinnon-osat", "hankittavat-yhteiset-tutkinnon-osat",
                               "hankittavat-paikalliset-tutkinnon-osat", "hankittavat-koulutuksen-osat"})
    if (!absent_or_empty(hoks, key)) return;
  run.report("legal-units-to-acquire", hoks);
}

// A common unit to acquire names the osa-alueet it consists of.
void legal_common_unit_areas(RuleRun& run, JsonValue unit) {
  if (absent_or_empty(unit, "osa-alueet")) run.report("legal-common-unit-areas", unit, {{"unit", unit_name(unit)}});
}

// A local unit states its objectives and content (or refers to them in AMOSAA).
void legal_local_unit_goals(RuleRun& run, JsonValue unit) {
  if (blank(unit, "tavoitteet-ja-sisallot") && blank(unit, "amosaa-tunniste"))
    run.report("legal-local-unit-goals", unit, {{"unit", unit_name(unit)}});
}

// L 531/2017 109 a §: workplace training needs its workplace details.
void legal_workplace_training(RuleRun& run, JsonValue oht) {
  if (is_workplace_period(oht) && !oht.get("tyopaikalla-jarjestettava-koulutus").valid())
    run.report("legal-workplace-training", oht);
}

}  // namespace

const std::vector<RuleImpl>& quality_rule_table() {
  static const std::vector<RuleImpl> table = [] {
    std::vector<RuleImpl> t = {
        {"demonstration-date-order", "OsaamisenOsoittaminen", false, demonstration_date_order},
        {"environment-date-order", "MuuOppimisymparisto", false, environment_date_order},
        {"supporting-studies-date-order", "OTO", false, supporting_studies_date_order},
        {"interruption-date-order", "Keskeytymisajanjakso", false, interruption_date_order},
        {"training-part-date-order", "KoulutuksenOsa", false, training_part_date_order},
        {"learning-support-date-order", "OppimisenTuki", false, learning_support_date_order},
        {"tunniste-not-unique", "HOKS", false, tunniste_not_unique},
        {"workplace-feedback-data", "OHT", false, workplace_feedback_data},
        {"supporting-studies-replaced", "OTO", false, supporting_studies_replaced},
        {"study-right-not-active", "HOKS", true, study_right_not_active},
        {"legal-career-plan", "HOKS", false, legal_career_plan},
        {"legal-units-to-acquire", "HOKS", false, legal_units_to_acquire},
        {"legal-common-unit-areas", "HYTO", false, legal_common_unit_areas},
        {"legal-local-unit-goals", "HPTO", false, legal_local_unit_goals},
        {"legal-workplace-training", "OHT", false, legal_workplace_training},
    };
    for (std::string_view unit : {"HATO", "HPTO", "HYTOOsaAlue"}) {
      t.push_back({"legal-acquisition-way", unit, false, legal_acquisition_way});
      t.push_back({"legal-demonstration", unit, false, legal_demonstration});
      t.push_back({"legal-teaching-hours", unit, false, legal_teaching_hours});
    }
    for (std::string_view unit : {"AHATO", "AHYTO"}) t.push_back({"legal-prior-verification", unit, false, legal_prior_verification});
    return t;
  }();
  return table;
}

}  // namespace hoks::detail
