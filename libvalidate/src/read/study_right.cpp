#include "hoks/read/study_right.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "hoks/read/json.hpp"

namespace hoks {
namespace {

std::string position(std::string_view text, std::size_t offset, std::uint32_t line_base) {
  LineIndex index(text);
  const TextPosition p = index.locate(offset);
  return std::to_string(p.line + line_base - 1) + ":" + std::to_string(p.column);
}

std::string not_well_formed(const JsonDocument& doc, std::string_view text, std::uint32_t line_base) {
  return position(text, doc.error_offset(), line_base) + ": not well-formed JSON (" + std::string(to_string(doc.error())) + ")";
}

// Reads one study right object; on failure sets `error` ("line:column: what").
std::optional<StudyRight> read_study_right(JsonValue root, std::string_view text, std::uint32_t line_base,
                                           std::string& error) {
  auto fail = [&](std::string_view what, JsonValue at) {
    error = position(text, at.valid() ? at.offset() : 0, line_base) + ": " + std::string(what);
    return std::nullopt;
  };
  if (!root.is_object()) {
    error = "a study right must be a JSON object";
    return std::nullopt;
  }
  StudyRight sr;
  const JsonValue tyyppi = root.get("tyyppi");
  if (!tyyppi.is_object() || !tyyppi.get("koodiarvo").is_string())
    return fail("tyyppi.koodiarvo is missing (is this a KOSKI opiskeluoikeus?)", root), std::nullopt;
  sr.tyyppi = std::string(tyyppi.get("koodiarvo").str());
  const JsonValue oid = root.get("oid");
  if (oid.valid() && !oid.is_string()) return fail("oid is not a string", oid), std::nullopt;
  if (oid.is_string()) sr.oid = std::string(oid.str());
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
      const JsonValue t = item.value().get("tyyppi").get("koodiarvo");
      if (t.is_string() && (t.str() == "telma" || t.str() == "telmakoulutuksenosa")) sr.telma = true;
    }
  }
  return sr;
}

// KOSKI's oppija response: {"henkilö": ..., "opiskeluoikeudet": [...]}.
bool is_oppija(JsonValue root) { return root.is_object() && root.get("opiskeluoikeudet").is_array(); }

}  // namespace

bool StudyRight::treated_as_left() const {
  return !latest_tila.empty() && latest_tila != "valmistunut" && latest_tila != "lasna" &&
         latest_tila != "valiaikaisestikeskeytynyt";
}

std::optional<StudyRight> parse_study_right(std::string_view json, std::string& error) {
  JsonDocument doc;
  if (!doc.parse(json)) {
    error = not_well_formed(doc, json, 1);
    return std::nullopt;
  }
  JsonValue root = doc.root();
  if (is_oppija(root) && root.get("opiskeluoikeudet").size() == 1)
    root = JsonValue(&doc, root.get("opiskeluoikeudet").index() + 1);
  return read_study_right(root, json, 1, error);
}

void StudyRights::add(std::string_view text, std::string_view source) {
  auto failure = [&](const std::string& what) { return StudyRightError(std::string(source) + ":" + what); };
  auto add_one = [&](JsonValue v, std::string_view part, std::uint32_t line_base) {
    std::string error;
    auto sr = read_study_right(v, part, line_base, error);
    if (!sr) throw failure(error);
    const std::string where = std::string(source) + ":" + position(part, v.offset(), line_base);
    if (sr->oid.empty()) throw failure(position(part, v.offset(), line_base) + ": oid is missing (a document names its study right by oid)");
    const auto [it, fresh] = by_oid_.try_emplace(sr->oid, Entry{*sr, where});
    if (!fresh) throw failure(position(part, v.offset(), line_base) + ": study right " + sr->oid + " is given twice (also at " + it->second.where + ")");
  };
  auto add_value = [&](JsonValue root, std::string_view part, std::uint32_t line_base) {
    if (!is_oppija(root)) return add_one(root, part, line_base);
    for (auto& item : root.get("opiskeluoikeudet")) add_one(item.value(), part, line_base);
  };
  JsonDocument doc;
  if (doc.parse(text)) return add_value(doc.root(), text, 1);
  const std::size_t newline = text.find('\n');
  if (doc.error() != JsonErrorKind::trailing_content || newline == std::string_view::npos || newline >= doc.error_offset())
    throw failure(not_well_formed(doc, text, 1));
  // Several values, one per line: NDJSON.
  std::uint32_t line = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view row = text.substr(pos, end - pos);
    ++line;
    pos = end + 1;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (!doc.parse(row)) throw failure(not_well_formed(doc, row, line));
    add_value(doc.root(), row, line);
  }
}

StudyRights StudyRights::load(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw StudyRightError(path.string() + ": no such file or directory");
  std::vector<fs::path> files;
  if (fs::is_directory(status)) {
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string ext = it->path().extension().string();
      if (it->is_regular_file() && (ext == ".json" || ext == ".ndjson" || ext == ".jsonl")) files.push_back(it->path());
    }
    if (ec) throw StudyRightError(path.string() + ": cannot read folder (" + ec.message() + ")");
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  StudyRights rights;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open() || in.bad()) throw StudyRightError(file.string() + ": cannot read file");
    rights.add(text, file.string());
  }
  return rights;
}

const StudyRight* StudyRights::find(std::string_view oid) const {
  const auto it = by_oid_.find(oid);
  return it == by_oid_.end() ? nullptr : &it->second.right;
}

}  // namespace hoks
