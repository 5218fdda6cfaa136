#include "hoks/batch/config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <yaml-cpp/yaml.h>

#include <system_error>

namespace hoks {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& file, const YAML::Mark& mark, const std::string& message) {
  std::string where = file.string();
  if (!mark.is_null()) where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  throw ConfigError(where + ": " + message);
}

std::string scalar(const fs::path& file, const YAML::Node& n, std::string_view key) {
  if (!n.IsScalar()) fail(file, n.Mark(), std::string(key) + " must be a single value");
  return n.Scalar();
}

bool boolean(const fs::path& file, const YAML::Node& n, std::string_view key) {
  const std::string s = scalar(file, n, key);
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail(file, n.Mark(), std::string(key) + " must be true or false, not '" + s + "'");
}

std::vector<std::string> strings(const fs::path& file, const YAML::Node& n, std::string_view key) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) fail(file, n.Mark(), std::string(key) + " must be a list");
  for (const auto& item : n) out.push_back(scalar(file, item, key));
  return out;
}

std::string rule_id(const fs::path& file, const YAML::Node& n, const std::string& id, const Catalog& catalog,
                    std::string_view key) {
  if (!catalog.find(id)) fail(file, n.Mark(), std::string(key) + ": " + catalog.unknown_rule(id));
  return id;
}

// The ids of a select/ignore entry (an id, a prefix `legal-*` or a category, Catalog::select).
std::vector<std::string> rule_ids(const fs::path& file, const YAML::Node& n, const std::string& selector,
                                  const Catalog& catalog, std::string_view key) {
  auto ids = catalog.select(selector);
  if (ids.empty()) fail(file, n.Mark(), std::string(key) + ": " + catalog.unknown_rule(selector));
  return ids;
}

}  // namespace

Config parse_config(std::string_view yaml_text, const fs::path& file, const Catalog& catalog) {
  Config c;
  c.file = file;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    fail(file, e.mark, e.msg);
  }
  if (root.IsNull()) return c;
  if (!root.IsMap()) fail(file, root.Mark(), "the configuration must be a mapping of settings");
  for (const auto& item : root) {
    const std::string key = item.first.Scalar();
    const YAML::Node& v = item.second;
    if (key == "operation") {
      const std::string s = scalar(file, v, key);
      const auto op = parse_operation(s);
      if (!op || (s != "create" && s != "replace" && s != "update"))
        fail(file, v.Mark(), "operation must be create, replace or update, not '" + s + "'");
      c.operation = *op;
    } else if (key == "lang") {
      const std::string s = scalar(file, v, key);
      c.lang = parse_lang(s);
      if (!c.lang) fail(file, v.Mark(), "lang must be fi, sv or en, not '" + s + "'");
    } else if (key == "fail-on") {
      const std::string s = scalar(file, v, key);
      c.fail_on = parse_severity(s);
      if (!c.fail_on) fail(file, v.Mark(), "fail-on must be error, warning or info, not '" + s + "'");
    } else if (key == "redact") {
      c.redact = boolean(file, v, key);
    } else if (key == "manual-entry") {
      c.manual_entry = boolean(file, v, key);
    } else if (key == "format") {
      const std::string s = scalar(file, v, key);
      c.format = parse_report_format(s);
      if (!c.format) fail(file, v.Mark(), "format must be text, json, junit, sarif, github, gitlab or html, not '" + s + "'");
    } else if (key == "max-findings") {
      const std::string s = scalar(file, v, key);
      if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 12)
        fail(file, v.Mark(), "max-findings must be a whole number, not '" + s + "'");
      c.max_findings = static_cast<std::size_t>(std::stoull(s));
    } else if (key == "baseline") {
      const fs::path p = scalar(file, v, key);
      c.baseline = p.is_absolute() || file.empty() ? p : file.parent_path() / p;
    } else if (key == "select") {
      for (const auto& s : strings(file, v, key))
        for (auto& id : rule_ids(file, v, s, catalog, key)) c.rules.select.insert(std::move(id));
    } else if (key == "ignore") {
      for (const auto& s : strings(file, v, key))
        for (auto& id : rule_ids(file, v, s, catalog, key)) c.rules.ignore.insert(std::move(id));
    } else if (key == "severity") {
      if (!v.IsMap()) fail(file, v.Mark(), "severity must map rule ids to error, warning or info");
      for (const auto& s : v) {
        const std::string id = rule_id(file, s.first, s.first.Scalar(), catalog, key);
        const std::string level = scalar(file, s.second, key);
        const auto sev = parse_severity(level);
        if (!sev) fail(file, s.second.Mark(), "severity of " + id + " must be error, warning or info, not '" + level + "'");
        c.rules.severity[id] = *sev;
      }
    } else if (key == "include") {
      c.include = strings(file, v, key);
    } else if (key == "exclude") {
      c.exclude = strings(file, v, key);
    } else {
      fail(file, item.first.Mark(),
           "unknown setting '" + key +
               "' (known: operation, lang, fail-on, redact, manual-entry, format, max-findings, baseline, select, "
               "ignore, severity, include, exclude)");
    }
  }
  return c;
}

Config merge_config(Config base, const Config& over) {
  if (!over.file.empty()) base.file = over.file;
  if (over.operation) base.operation = over.operation;
  if (over.lang) base.lang = over.lang;
  if (over.fail_on) base.fail_on = over.fail_on;
  if (over.redact) base.redact = over.redact;
  if (over.manual_entry) base.manual_entry = over.manual_entry;
  if (over.format) base.format = over.format;
  if (over.max_findings) base.max_findings = over.max_findings;
  if (over.baseline) base.baseline = over.baseline;
  if (!over.rules.select.empty()) base.rules.select = over.rules.select;
  if (!over.rules.ignore.empty()) base.rules.ignore = over.rules.ignore;
  for (const auto& [rule, severity] : over.rules.severity) base.rules.severity[rule] = severity;
  if (!over.include.empty()) base.include = over.include;
  if (!over.exclude.empty()) base.exclude = over.exclude;
  return base;
}

Config load_config(const std::optional<fs::path>& file, const fs::path& start, const Catalog& catalog) {
  const std::optional<fs::path> path = file ? file : find_config(start);
  if (!path) return {};
  std::error_code ec;
  if (fs::is_directory(*path, ec)) throw ConfigError{path->string() + ": is a folder, not a settings file"};
  std::ifstream in(*path, std::ios::binary);
  if (!in) throw ConfigError{path->string() + ": cannot read file (" + std::strerror(errno) + ")"};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw ConfigError{path->string() + ": cannot read file (" + std::strerror(errno) + ")"};
  return parse_config(text, *path, catalog);
}

std::optional<fs::path> find_config(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return std::nullopt;
  for (;;) {
    const fs::path candidate = dir / config_file_name;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

namespace {

// Matches a character class at pattern[p] ('[' ... ']') against c; sets `end` past the class.
bool class_match(std::string_view pattern, std::size_t p, char c, std::size_t& end) {
  std::size_t i = p + 1;
  bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  for (; i < pattern.size() && (first || pattern[i] != ']'); ++i, first = false) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (c >= pattern[i] && c <= pattern[i + 2]) matched = true;
      i += 2;
    } else if (pattern[i] == c) {
      matched = true;
    }
  }
  if (i >= pattern.size()) {  // no closing ']': a literal '['
    end = p + 1;
    return c == '[';
  }
  end = i + 1;
  return matched != negate && c != '/';
}

bool match_here(std::string_view pattern, std::string_view path) {
  std::size_t p = 0, s = 0;
  // Backtracking points for '*' (within a segment) and '**' (across segments).
  std::size_t star_p = std::string_view::npos, star_s = 0;
  while (s < path.size()) {
    if (p < pattern.size()) {
      if (pattern.compare(p, 3, "**/") == 0 && (p == 0 || pattern[p - 1] == '/')) {
        // "**/" matches zero or more whole folders.
        for (std::size_t t = s;; ) {
          if (match_here(pattern.substr(p + 3), path.substr(t))) return true;
          const std::size_t slash = path.find('/', t);
          if (slash == std::string_view::npos) return false;
          t = slash + 1;
        }
      }
      if (pattern.compare(p, 2, "**") == 0) {
        // "**" elsewhere (e.g. at the end) matches anything, folders included.
        for (std::size_t t = s; t <= path.size(); ++t)
          if (match_here(pattern.substr(p + 2), path.substr(t))) return true;
        return false;
      }
      const char c = pattern[p];
      if (c == '*') {
        star_p = p++;
        star_s = s;
        continue;
      }
      if (c == '?' && path[s] != '/') {
        ++p;
        ++s;
        continue;
      }
      if (c == '[') {
        std::size_t end;
        if (class_match(pattern, p, path[s], end)) {
          p = end;
          ++s;
          continue;
        }
      } else if (c == '\\' && p + 1 < pattern.size() && pattern[p + 1] == path[s]) {
        p += 2;
        ++s;
        continue;
      } else if (c != '?' && c == path[s]) {
        ++p;
        ++s;
        continue;
      }
    }
    // Mismatch: let the last '*' take one more character, but never a '/'.
    if (star_p != std::string_view::npos && path[star_s] != '/') {
      p = star_p + 1;
      s = ++star_s;
      continue;
    }
    return false;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  while (pattern.substr(0, 2) == "./") pattern.remove_prefix(2);
  while (path.substr(0, 2) == "./") path.remove_prefix(2);
  if (pattern.find('/') == std::string_view::npos) {
    const std::size_t slash = path.rfind('/');
    if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  } else if (!pattern.empty() && pattern.back() == '/') {
    // "folder/" means everything under it.
    return match_here(std::string(pattern) + "**", path);
  }
  return match_here(pattern, path);
}

bool path_selected(std::string_view path, std::string_view display_path, const std::vector<std::string>& include,
                   const std::vector<std::string>& exclude) {
  static const std::vector<std::string> defaults = {"*.json", "*.ndjson", "*.jsonl"};
  const auto& inc = include.empty() ? defaults : include;
  bool in = false;
  for (const auto& g : inc)
    if (glob_match(g, path) || glob_match(g, display_path)) in = true;
  if (!in) return false;
  for (const auto& g : exclude)
    if (glob_match(g, path) || glob_match(g, display_path)) return false;
  return true;
}

}  // namespace hoks
