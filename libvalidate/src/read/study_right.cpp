#include <string>

#include "hoks/check/validate.hpp"

namespace hoks {

std::optional<StudyRight> parse_study_right(std::string_view json, std::string& error) {
  JsonDocument doc;
  if (!doc.parse(json)) {
    LineIndex index(json);
    const TextPosition p = index.locate(doc.error_offset());
    error = std::to_string(p.line) + ":" + std::to_string(p.column) + ": not well-formed JSON (" +
            std::string(to_string(doc.error())) + ")";
    return std::nullopt;
  }
  JsonValue root = doc.root();
  // Accept KOSKI's oppija response too: {"henkilö": ..., "opiskeluoikeudet": [one]}.
  if (root.is_object() && root.get("opiskeluoikeudet").is_array() && root.get("opiskeluoikeudet").size() == 1)
    root = JsonValue(&doc, root.get("opiskeluoikeudet").index() + 1);
  if (!root.is_object()) {
    error = "a study right must be a JSON object";
    return std::nullopt;
  }
  auto fail = [&](std::string_view what, JsonValue at) {
    LineIndex index(json);
    const TextPosition p = index.locate(at.valid() ? at.offset() : 0);
    error = std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + std::string(what);
    return std::nullopt;
  };
  StudyRight sr;
  const JsonValue tyyppi = root.get("tyyppi");
  if (!tyyppi.is_object() || !tyyppi.get("koodiarvo").is_string())
    return fail("tyyppi.koodiarvo is missing (is this a KOSKI opiskeluoikeus?)", root), std::nullopt;
  sr.tyyppi = std::string(tyyppi.get("koodiarvo").str());
  auto date_field = [&](std::string_view key, std::optional<Date>& out) {
    const JsonValue v = root.get(key);
    if (!v.valid()) return true;
    if (!v.is_string() || !(out = parse_date(v.str()))) return false;
    return true;
  };
  if (!date_field("alkamispäivä", sr.alkamispaiva))
    return fail("alkamispäivä is not a date YYYY-MM-DD", root.get("alkamispäivä")), std::nullopt;
  if (!date_field("arvioituPäättymispäivä", sr.arvioitu_paattymispaiva))
    return fail("arvioituPäättymispäivä is not a date YYYY-MM-DD", root.get("arvioituPäättymispäivä")), std::nullopt;
  const JsonValue tila = root.get("tila");
  if (tila.valid()) {
    const JsonValue jaksot = tila.get("opiskeluoikeusjaksot");
    if (!jaksot.is_array()) return fail("tila.opiskeluoikeusjaksot must be an array", tila), std::nullopt;
    std::optional<Date> latest;
    for (auto& item : jaksot) {
      const JsonValue j = item.value();
      const JsonValue alku = j.get("alku");
      std::optional<Date> d;
      if (!alku.is_string() || !(d = parse_date(alku.str())))
        return fail("opiskeluoikeusjakso.alku is not a date YYYY-MM-DD", j), std::nullopt;
      const JsonValue koodi = j.get("tila").get("koodiarvo");
      if (!koodi.is_string()) return fail("opiskeluoikeusjakso.tila.koodiarvo is missing", j), std::nullopt;
      if (!latest || !(*d < *latest)) {  // ties: the later one in the array wins
        latest = d;
        sr.latest_tila = std::string(koodi.str());
      }
    }
  }
  const JsonValue suoritukset = root.get("suoritukset");
  if (suoritukset.is_array()) {
    for (auto& item : suoritukset) {
      const std::string_view t = item.value().get("tyyppi").get("koodiarvo").str();
      if (item.value().get("tyyppi").get("koodiarvo").is_string() && (t == "telma" || t == "telmakoulutuksenosa"))
        sr.telma = true;
    }
  }
  return sr;
}

}  // namespace hoks
