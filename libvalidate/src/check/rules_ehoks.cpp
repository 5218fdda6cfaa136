// The eHOKS acceptance rules (ehoks-model.md §2.2): each check is one function, registered below
// under its catalog id; rules.yaml says on which entities and fields it runs (its attachment).
#include <algorithm>
#include <charconv>

#include "check/rule_run.hpp"

namespace hoks::detail {
namespace {

constexpr std::string_view koulutussopimus = "osaamisenhankkimistapa_koulutussopimus";
constexpr std::string_view oppisopimus = "osaamisenhankkimistapa_oppisopimus";

bool is_workplace_period(JsonValue oht) {
  const std::string_view uri = string_of(oht, "osaamisen-hankkimistapa-koodi-uri");
  return uri == koulutussopimus || uri == oppisopimus;
}

// C-H1: the study right must be vocational or TUVA (checked when the key is sent).
void study_right_type(RuleRun& run, JsonValue hoks) {
  const JsonValue oid = hoks.get("opiskeluoikeus-oid");
  if (!oid.valid()) return;
  const std::string& tyyppi = run.options.study_right->tyyppi;
  if (tyyppi != "ammatillinenkoulutus" && tyyppi != "tuva") run.report(RuleId::study_right_type, oid, {{"tyyppi", tyyppi}});
}

// C-H2: tuva-opiskeluoikeus-oid is not allowed when the HOKS's own study right is TUVA.
void tuva_oid_on_tuva(RuleRun& run, JsonValue hoks) {
  const JsonValue oid = hoks.get("tuva-opiskeluoikeus-oid");
  if (oid.valid() && run.options.study_right->is_tuva()) run.report(RuleId::tuva_oid_on_tuva, oid);
}

// C-H3: 2018-01-01 < osaamisen-saavuttamisen-pvm < today + 15 days.
void completion_date_range(RuleRun& run, JsonValue hoks) {
  const auto date = date_of(hoks, "osaamisen-saavuttamisen-pvm");
  if (!date) return;
  const Date latest = run.options.today.plus_days(14);
  if (!(Date{2018, 1, 1} < *date) || *date > latest)
    run.report(RuleId::completion_date_range, hoks.get("osaamisen-saavuttamisen-pvm"),
               {{"value", date_text(*date)}, {"latest", date_text(latest)}});
}

// C-T1: no units on a TUVA study right.
void unit_on_tuva(RuleRun& run, JsonValue unit) {
  if (run.options.study_right->is_tuva()) run.report(RuleId::unit_on_tuva, unit);
}

// C-T2: no supporting studies on a TUVA study right.
void supporting_studies_on_tuva(RuleRun& run, JsonValue oto) {
  if (run.options.study_right->is_tuva()) run.report(RuleId::supporting_studies_on_tuva, oto);
}

// C-T3: TUVA training parts only on a TUVA study right.
void training_part_not_tuva(RuleRun& run, JsonValue part) {
  if (!run.options.study_right->is_tuva()) run.report(RuleId::training_part_not_tuva, part);
}

// C-OHT-1: a workplace period ending after 2023-06-30 needs osa-aikaisuustieto 1..100 (not TELMA).
void oht_part_time(RuleRun& run, JsonValue oht) {
  const auto loppu = date_of(oht, "loppu");
  if (!is_workplace_period(oht) || !loppu || !(*loppu > Date{2023, 6, 30}) || run.options.study_right->telma) return;
  const JsonValue part = oht.get("osa-aikaisuustieto");
  bool ok = false;
  if (part.valid() && part.type() == JsonType::number) {
    const std::string_view t = part.str();
    double d = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), d);
    ok = r.ec == std::errc() && d >= 1 && d <= 100;
  }
  if (ok) return;
  if (part.valid() && part.type() == JsonType::number)  // there, but not 1..100
    run.report(RuleId::oht_part_time, part, {{"loppu", date_text(*loppu)}, {"value", std::string(part.str())}, {"case", "out-of-range"}});
  else
    run.report(RuleId::oht_part_time, part.valid() ? part : oht, {{"loppu", date_text(*loppu)}});
}

// C-OHT-2: a workplace period needs yksiloiva-tunniste (not on the manual-entry routes).
void oht_tunniste(RuleRun& run, JsonValue oht) {
  if (run.options.manual_entry || !is_workplace_period(oht)) return;
  if (!oht.get("yksiloiva-tunniste").valid()) run.report(RuleId::oht_tunniste, oht);
}

// C-OHT-3: a workplace period ending after 2021-08-25 with a TJK object needs tyopaikan-y-tunnus.
void oht_y_tunnus(RuleRun& run, JsonValue oht) {
  const auto loppu = date_of(oht, "loppu");
  const JsonValue tjk = oht.get("tyopaikalla-jarjestettava-koulutus");
  if (!is_workplace_period(oht) || !loppu || !(*loppu > Date{2021, 8, 25}) || !tjk.is_object()) return;
  if (!tjk.get("tyopaikan-y-tunnus").valid()) run.report(RuleId::oht_y_tunnus, tjk, {{"loppu", date_text(*loppu)}});
}

// C-OHT-4: an apprenticeship ending on or after 2021-07-01 needs oppisopimuksen-perusta-koodi-uri.
void oht_oppisopimus_perusta(RuleRun& run, JsonValue oht) {
  const auto loppu = date_of(oht, "loppu");
  if (string_of(oht, "osaamisen-hankkimistapa-koodi-uri") != oppisopimus || !loppu || *loppu < Date{2021, 7, 1}) return;
  if (!oht.get("oppisopimuksen-perusta-koodi-uri").valid())
    run.report(RuleId::oht_oppisopimus_perusta, oht, {{"loppu", date_text(*loppu)}});
}

// C-OHT-5: loppu >= alku.
void oht_date_order(RuleRun& run, JsonValue oht) {
  const auto alku = date_of(oht, "alku"), loppu = date_of(oht, "loppu");
  if (alku && loppu && *loppu < *alku)
    run.report(RuleId::oht_date_order, oht.get("loppu"), {{"alku", date_text(*alku)}, {"loppu", date_text(*loppu)}});
}

// C-OHT-6: alku >= the study right's alkamispäivä (unless treated as having left).
void oht_before_study_right(RuleRun& run, JsonValue oht) {
  const StudyRight& sr = *run.options.study_right;
  const auto alku = date_of(oht, "alku");
  if (sr.treated_as_left() || !sr.alkamispaiva || !alku || !(*alku < *sr.alkamispaiva)) return;
  run.report(RuleId::oht_before_study_right, oht.get("alku"),
             {{"alku", date_text(*alku)}, {"alkamispaiva", date_text(*sr.alkamispaiva)}});
}

// C-OHT-7: loppu <= the study right's arvioituPäättymispäivä (unless treated as having left).
void oht_after_study_right_end(RuleRun& run, JsonValue oht) {
  const StudyRight& sr = *run.options.study_right;
  const auto loppu = date_of(oht, "loppu");
  if (sr.treated_as_left() || !sr.arvioitu_paattymispaiva || !loppu || !(*loppu > *sr.arvioitu_paattymispaiva)) return;
  run.report(RuleId::oht_after_study_right_end, oht.get("loppu"),
             {{"loppu", date_text(*loppu)}, {"paattymispaiva", date_text(*sr.arvioitu_paattymispaiva)}});
}

// C-OHT-8: loppu <= alku + 5 years (Java's plusYears).
void oht_too_long(RuleRun& run, JsonValue oht) {
  const auto alku = date_of(oht, "alku"), loppu = date_of(oht, "loppu");
  if (!alku || !loppu) return;
  const Date limit = alku->plus_years(5);
  if (*loppu > limit)
    run.report(RuleId::oht_too_long, oht.get("loppu"),
               {{"alku", date_text(*alku)}, {"loppu", date_text(*loppu)}, {"limit", date_text(limit)}});
}

// C-K1: interruption periods sorted by alku must not overlap or touch; only the last may be open.
void interruptions_overlap(RuleRun& run, JsonValue oht) {
  const JsonValue list = oht.get("keskeytymisajanjaksot");
  if (!list.is_array() || list.size() < 2) return;
  struct Period {
    Date alku;
    std::optional<Date> loppu;
  };
  std::vector<Period> periods;
  for (auto& item : list) {
    const auto alku = date_of(item.value(), "alku");
    if (!alku) return;
    periods.push_back({*alku, date_of(item.value(), "loppu")});
  }
  std::stable_sort(periods.begin(), periods.end(), [](const Period& a, const Period& b) { return a.alku < b.alku; });
  for (std::size_t i = 0; i + 1 < periods.size(); ++i) {
    if (!periods[i].loppu || !(*periods[i].loppu < periods[i + 1].alku)) {
      run.report(RuleId::interruptions_overlap, list,
                 {{"loppu", periods[i].loppu ? date_text(*periods[i].loppu) : std::string("–")},
                  {"next_alku", date_text(periods[i + 1].alku)}});
      return;
    }
  }
}

// C-OT1: alku, loppu and tutkinnon-osan-tyyppi-koodi-uri if and only if the type is _01.
void learning_support_fields(RuleRun& run, JsonValue tuki) {
  const std::string_view type = string_of(tuki, "oppimisen-tuen-tyyppi-koodi-uri");
  const std::string_view code = type.substr(type.size() >= 2 ? type.size() - 2 : 0);
  const int present = tuki.get("alku").valid() + tuki.get("loppu").valid() +
                      tuki.get("tutkinnon-osan-tyyppi-koodi-uri").valid();
  const bool ok = (code == "01" && present == 3) || ((code == "02" || code == "03") && present == 0);
  if (!ok) run.report(RuleId::learning_support_fields, tuki, {{"tyyppi", std::string(type)}});
}

}  // namespace

const std::vector<RuleImpl>& rule_table() {
  static const std::vector<RuleImpl> table = [] {
    std::vector<RuleImpl> t = {
        {RuleId::study_right_type, study_right_type},
        {RuleId::tuva_oid_on_tuva, tuva_oid_on_tuva},
        {RuleId::completion_date_range, completion_date_range},
        {RuleId::unit_on_tuva, unit_on_tuva},
        {RuleId::supporting_studies_on_tuva, supporting_studies_on_tuva},
        {RuleId::training_part_not_tuva, training_part_not_tuva},
        {RuleId::oht_part_time, oht_part_time},
        {RuleId::oht_tunniste, oht_tunniste},
        {RuleId::oht_y_tunnus, oht_y_tunnus},
        {RuleId::oht_oppisopimus_perusta, oht_oppisopimus_perusta},
        {RuleId::oht_date_order, oht_date_order},
        {RuleId::oht_before_study_right, oht_before_study_right},
        {RuleId::oht_after_study_right_end, oht_after_study_right_end},
        {RuleId::oht_too_long, oht_too_long},
        {RuleId::interruptions_overlap, interruptions_overlap},
        {RuleId::learning_support_fields, learning_support_fields},
    };
    const auto& quality = quality_rule_table();
    t.insert(t.end(), quality.begin(), quality.end());
    return t;
  }();
  return table;
}

}  // namespace hoks::detail
