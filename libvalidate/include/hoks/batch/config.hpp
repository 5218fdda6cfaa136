// hoks.yaml: the project's settings for `hoks validate` (command-line options win over them).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/model/catalog.hpp"
#include "hoks/model/model.hpp"
#include "hoks/report/report.hpp"
#include "hoks/check/validate.hpp"

namespace hoks {

// A configuration file that cannot be used; the message names the file, line and column.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The settings of a hoks.yaml; an unset optional means "not configured".
struct Config {
  std::filesystem::path file;              // where it was read from; empty when there is none
  std::optional<Operation> operation;      // operation: create | replace | update
  std::optional<Lang> lang;                // lang: fi | sv | en
  std::optional<Severity> fail_on;         // fail-on: error | warning | info
  std::optional<bool> redact;              // redact: true | false
  std::optional<bool> manual_entry;        // manual-entry: true | false
  std::optional<ReportFormat> format;      // format: text | json | junit | sarif | github | gitlab | html
  std::optional<std::size_t> max_findings; // max-findings: N
  std::optional<std::filesystem::path> baseline;  // baseline: FILE (relative to the configuration's folder)
  RuleConfig rules;                        // select: [...], ignore: [...], severity: {rule: level}
  std::vector<std::string> include;        // include: [glob, ...] files taken from folders
  std::vector<std::string> exclude;        // exclude: [glob, ...]
};

// `over` on top of `base`: every setting `over` has wins (the command line over hoks.yaml); its
// select, ignore, include and exclude lists replace `base`'s when not empty, severities are merged.
Config merge_config(Config base, const Config& over);

// The hoks.yaml of a run: `file` when given, else the nearest one from `start` up; an empty Config
// when there is none. Throws ConfigError when it cannot be read or used.
Config load_config(const std::optional<std::filesystem::path>& file, const std::filesystem::path& start,
                   const Catalog& catalog);

// The file name looked for.
inline constexpr std::string_view config_file_name = "hoks.yaml";

// Parses hoks.yaml text; `file` names it in messages and anchors relative paths.
// Throws ConfigError on bad YAML, unknown keys, unknown rule ids or bad values.
Config parse_config(std::string_view yaml_text, const std::filesystem::path& file, const Catalog& catalog);

// hoks.yaml in `start` or the nearest folder above it; nullopt when there is none.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

// Whether `path` matches a glob: `*` any characters but '/', `**` any folders, `?` one character,
// `[abc]`/`[a-z]`/`[!a]` classes. A pattern without '/' is matched against the last path segment.
bool glob_match(std::string_view pattern, std::string_view path);

// Whether a file found in a folder is taken: it matches some include glob (or the default
// *.json, *.ndjson, *.jsonl when `include` is empty) and no exclude glob. `path` is relative to
// the folder given on the command line; exclude globs also see `display_path` (as reported).
bool path_selected(std::string_view path, std::string_view display_path, const std::vector<std::string>& include,
                   const std::vector<std::string>& exclude);

}  // namespace hoks
