#include "hoks/batch/converted.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "check/rule_ids.hpp"
#include "hoks/convert/convert.hpp"
#include "hoks/model/catalog.hpp"

namespace fs = std::filesystem;

namespace hoks {

namespace {
// The first string (value or key) of a converted document longer than `limit`, as a
// `limit-exceeded` finding (string_too_long) at the place in the input the value came from.
bool too_long_string(const Json& v, const Origins& origins, std::size_t limit, std::string& pointer,
                     Finding& out) {
  const auto found = [&](std::uint32_t origin) {
    out.rule = detail::rule_name(detail::RuleId::limit_exceeded);
    out.severity = Severity::error;
    out.path = pointer;
    out.args = {{"detail", "string_too_long"}, {"option", "--max-string-length"}};
    out.location = origin < origins.size() ? origins[origin] : Location{};
    return true;
  };
  if (v.type == JsonType::string && v.text.size() > limit) return found(v.origin);
  const std::size_t mark = pointer.size();
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    pointer += "/" + std::to_string(i);
    if (too_long_string(v.items[i], origins, limit, pointer, out)) return true;
    pointer.resize(mark);
  }
  for (const auto& [key, member] : v.members) {
    pointer.push_back('/');
    for (const char ch : key) pointer += ch == '~' ? "~0" : ch == '/' ? "~1" : std::string(1, ch);
    if (key.size() > limit) return found(member.origin);
    if (too_long_string(member, origins, limit, pointer, out)) return true;
    pointer.resize(mark);
  }
  return false;
}
// One finding per defect: a value the conversion could not convert (transform-failed) stays in the
// document as text, so the schema stage's finding at the same path (wrong-type, pattern-mismatch,
// invalid-date ...) says the same again; it goes.
void drop_unconverted_twice(DocumentReport& r, const Catalog& catalog) {
  std::vector<std::string> unconverted;
  for (const auto& f : r.findings)
    if (f.rule == detail::name(detail::RuleId::transform_failed)) unconverted.push_back(f.path);
  if (unconverted.empty()) return;
  r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(),
                                  [&](const Finding& f) {
                                    const Rule* rule = catalog.find(f.rule);
                                    return rule && rule->stage == "schema" &&
                                           std::find(unconverted.begin(), unconverted.end(), f.path) != unconverted.end();
                                  }),
                   r.findings.end());
}

}  // namespace

ConvertedReports validate_converted(const Validator& validator, const Profile& profile, const std::vector<NamedFile>& files,
                                    const std::string& path, const ValidationOptions& options, const InputLimits& limits) {
  ConvertedReports out;
  std::vector<DocumentReport>& reports = out.documents;
  Conversion c = profile.read(files);
  const std::string base = path == "-" ? "-" : fs::path(path).filename().string();
  for (auto& f : c.findings)
    if (f.location.file == base || f.location.file == path) f.location.file.clear();
  const bool many = c.document.type == JsonType::array;
  std::string pointer;
  Finding too_long;
  const std::size_t limit = limits.json.max_string_bytes;
  if (!c.fatal && limit > 0 && too_long_string(c.document, c.origins, limit, pointer, too_long)) {
    // Reported where the value is in the input (the converted JSON would not be read at all).
    if (too_long.location.file == base || too_long.location.file == path) too_long.location.file.clear();
    c.findings.push_back(std::move(too_long));
    c.fatal = true;
  }
  if (!c.fatal) {
    SourceMap map;
    out.json = write_json(c.document, c.origins, map);
    validate_text(validator, path, out.json, options, reports, InputLayout::automatic, limits);
    for (auto& r : reports) {
      const std::string prefix = many ? "/" + std::to_string(r.index) : "";
      for (auto& f : r.findings) {
        const Location* where = map.find(prefix + f.path);
        f.location = where ? *where : Location{};
        if (f.location.file == base) f.location.file.clear();
      }
      r.line = r.findings.empty() ? 1 : r.line;
    }
  }
  if (reports.empty()) {
    DocumentReport& r = reports.emplace_back();
    r.source = path;
    r.operation = options.operation;
  }
  for (auto& f : c.findings) {
    std::size_t doc = 0;
    if (many && f.path.size() > 1) {
      const std::size_t end = f.path.find('/', 1);
      doc = std::strtoul(f.path.substr(1, end - 1).c_str(), nullptr, 10);
      f.path = end == std::string::npos ? "" : f.path.substr(end);
    }
    reports[std::min(doc, reports.size() - 1)].findings.push_back(std::move(f));
  }
  for (auto& r : reports) {
    drop_unconverted_twice(r, validator.catalog());
    sort_findings(r.findings);
  }
  return out;
}

}  // namespace hoks
