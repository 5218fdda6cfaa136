// The KOSKI study rights of the context rules: one study right, or a set looked up by oid.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hoks/check/checks.hpp"

namespace hoks {

// The student's study right as KOSKI returns it: the context of the context rules.
struct StudyRight {
  std::string oid;                              // oid ("" if none)
  std::string tyyppi;                           // tyyppi.koodiarvo
  std::optional<Date> alkamispaiva;             // alkamispäivä
  std::optional<Date> arvioitu_paattymispaiva;  // arvioituPäättymispäivä
  std::string latest_tila;                      // tila of the jakso with the greatest alku ("" if none)
  bool telma = false;                           // some suoritus is telma / telmakoulutuksenosa

  bool is_tuva() const { return tyyppi == "tuva"; }
  // "Katsotaan eronneeksi": a latest tila that is not valmistunut, lasna or valiaikaisestikeskeytynyt.
  bool treated_as_left() const;
};

// Reads a KOSKI study right (JSON, or an oppija response with one); on failure returns nullopt and
// sets `error` (with a position).
std::optional<StudyRight> parse_study_right(std::string_view json, std::string& error);

// Study rights that cannot be used; the message names the file, line and column.
struct StudyRightError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Study rights by oid, as KOSKI would answer eHOKS's look-up of a document's opiskeluoikeus-oid.
class StudyRights {
 public:
  // Reads a file (a study right, an oppija response or NDJSON of study rights) or a folder of such
  // files (*.json, *.ndjson, *.jsonl, recursively). Throws StudyRightError.
  static StudyRights load(const std::filesystem::path& path);

  // Adds the study rights of one text as load reads a file; `source` names it in messages.
  // Throws StudyRightError (also for an oid given twice).
  void add(std::string_view text, std::string_view source);

  // The study right with this oid, or nullptr.
  const StudyRight* find(std::string_view oid) const;
  // The study right when there is exactly one, else nullptr.
  const StudyRight* only() const { return by_oid_.size() == 1 ? &by_oid_.begin()->second.right : nullptr; }
  std::size_t size() const { return by_oid_.size(); }
  bool empty() const { return by_oid_.empty(); }

 private:
  struct Entry {
    StudyRight right;
    std::string where;  // source:line:column
  };
  std::map<std::string, Entry, std::less<>> by_oid_;
};

}  // namespace hoks
