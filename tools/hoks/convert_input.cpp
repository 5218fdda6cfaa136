#include "convert_input.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common.hpp"
#include "hoks/model/catalog.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {

::hoks::Profile load_profile(const std::string& spec) {
  if (spec == "xml") return ::hoks::Profile::canonical_xml();
  if (spec == "csv") return ::hoks::Profile::canonical_csv();
  try {
    return ::hoks::Profile::load(read_file(spec), spec);
  } catch (const ::hoks::ProfileError& e) {
    throw ToolError{e.what()};
  }
}

namespace {
std::vector<std::string> tables_of(const ::hoks::MappingEntry& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) {
    if (!f.table.empty()) out.push_back(f.table);
    auto more = tables_of(f);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}
}  // namespace

namespace {
// The (name, path) of each file of an input, in the order read_inputs gives them.
std::vector<std::pair<std::string, std::string>> input_files(const ::hoks::Profile& profile, const std::string& path) {
  const bool csv = profile.format() == ::hoks::Profile::Format::csv || profile.format() == ::hoks::Profile::Format::canonical_csv;
  std::error_code ec;
  if (path != "-" && fs::is_directory(path, ec)) {
    if (!csv) throw ToolError{path + ": a directory is read only as CSV tables"};
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".csv") names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    const auto tables = tables_of(profile.documents);
    // The main table of a vendor profile is the one file no entry names as its table.
    std::stable_partition(names.begin(), names.end(),
                          [&](const std::string& n) { return std::find(tables.begin(), tables.end(), n) == tables.end(); });
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& n : names) files.emplace_back(n, (fs::path(path) / n).string());
    return files;
  }
  std::vector<std::pair<std::string, std::string>> files{{path == "-" ? "-" : fs::path(path).filename().string(), path}};
  if (profile.format() == ::hoks::Profile::Format::csv && path != "-")
    for (const auto& t : tables_of(profile.documents)) {
      const fs::path sibling = fs::path(path).parent_path() / t;
      if (fs::exists(sibling, ec)) files.emplace_back(t, sibling.string());
    }
  return files;
}
}  // namespace

std::vector<::hoks::NamedFile> read_inputs(const ::hoks::Profile& profile, const std::string& path) {
  std::vector<::hoks::NamedFile> files;
  for (auto& [name, file] : input_files(profile, path)) files.push_back({std::move(name), read_file(file)});
  return files;
}

MappedInputs map_inputs(const ::hoks::Profile& profile, const std::string& path) {
  MappedInputs in;
  for (auto& [name, file] : input_files(profile, path)) {
    in.names.push_back(std::move(name));
    in.files.push_back(read_file(file));
  }
  for (std::size_t i = 0; i < in.files.size(); ++i) in.views.push_back({in.names[i], in.files[i]});
  return in;
}

DirectoryWriter::DirectoryWriter(const std::string& dir) : dir_(dir) {
  if (dir.empty()) throw ToolError{"this format is a directory of files: give it with -o DIRECTORY"};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ToolError{dir + ": cannot create directory (" + ec.message() + ")"};
}

DirectoryWriter::~DirectoryWriter() {
  for (auto& [name, out] : files_) {
    out.close();
    std::error_code ec;
    fs::remove(fs::path(dir_) / (name + ".part"), ec);
  }
}

void DirectoryWriter::write(std::string_view name, std::string_view bytes) {
  auto it = files_.find(name);
  if (it == files_.end()) {
    const std::string part = (fs::path(dir_) / (std::string(name) + ".part")).string();
    it = files_.emplace(std::string(name), std::ofstream(part, std::ios::binary)).first;
    if (!it->second) throw ToolError{part + ": cannot write"};
  }
  if (!it->second.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw ToolError{(fs::path(dir_) / name).string() + ": cannot write"};
}

void DirectoryWriter::commit() {
  for (auto it = files_.begin(); it != files_.end(); it = files_.erase(it)) {
    const fs::path target = fs::path(dir_) / it->first;
    it->second.close();
    std::error_code ec;
    if (!it->second || (fs::rename(target.string() + ".part", target, ec), ec)) throw ToolError{target.string() + ": cannot write"};
  }
}

void write_outputs(const std::vector<::hoks::NamedFile>& files, const std::string& path) {
  if (files.size() == 1 && files.front().name.empty()) return write_output(path, files.front().bytes);
  if (path.empty()) throw ToolError{"this format is a directory of files: give it with -o DIRECTORY"};
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) throw ToolError{path + ": cannot create directory (" + ec.message() + ")"};
  for (const auto& f : files) write_output((fs::path(path) / (f.name.empty() ? "main.csv" : f.name)).string(), f.bytes);
}

namespace {
// The first string (value or key) of a converted document longer than `limit`, as a
// `limit-exceeded` finding (string_too_long) at the place in the input the value came from.
bool too_long_string(const ::hoks::Json& v, const ::hoks::Origins& origins, std::size_t limit, std::string& pointer,
                     ::hoks::Finding& out) {
  const auto found = [&](std::uint32_t origin) {
    out.rule = "limit-exceeded";
    out.severity = ::hoks::Severity::error;
    out.path = pointer;
    out.args = {{"detail", "string_too_long"}, {"option", "--max-string-length"}};
    out.location = origin < origins.size() ? origins[origin] : ::hoks::Location{};
    return true;
  };
  if (v.type == ::hoks::JsonType::string && v.text.size() > limit) return found(v.origin);
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
}  // namespace

std::vector<::hoks::DocumentReport> validate_converted(const ::hoks::Validator& validator, const ::hoks::Profile& profile,
                                                       const std::string& path, const ::hoks::ValidationOptions& options,
                                                       const ::hoks::InputLimits& limits) {
  ::hoks::Conversion c = profile.read(read_inputs(profile, path));
  const std::string base = path == "-" ? "-" : fs::path(path).filename().string();
  for (auto& f : c.findings)
    if (f.location.file == base || f.location.file == path) f.location.file.clear();
  std::vector<::hoks::DocumentReport> reports;
  const bool many = c.document.type == ::hoks::JsonType::array;
  std::string pointer;
  ::hoks::Finding too_long;
  const std::size_t limit = limits.json.max_string_bytes;
  if (!c.fatal && limit > 0 && too_long_string(c.document, c.origins, limit, pointer, too_long)) {
    // Reported where the value is in the input (the converted JSON would not be read at all).
    if (too_long.location.file == base || too_long.location.file == path) too_long.location.file.clear();
    c.findings.push_back(std::move(too_long));
    c.fatal = true;
  }
  if (!c.fatal) {
    ::hoks::SourceMap map;
    const std::string text = ::hoks::write_json(c.document, c.origins, map);
    ::hoks::validate_text(validator, path, text, options, reports, ::hoks::InputLayout::automatic, limits);
    for (auto& r : reports) {
      const std::string prefix = many ? "/" + std::to_string(r.index) : "";
      for (auto& f : r.findings) {
        const ::hoks::Location* where = map.find(prefix + f.path);
        f.location = where ? *where : ::hoks::Location{};
        if (f.location.file == base) f.location.file.clear();
      }
      r.line = r.findings.empty() ? 1 : r.line;
    }
  }
  if (reports.empty()) {
    ::hoks::DocumentReport& r = reports.emplace_back();
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
  for (auto& r : reports) ::hoks::sort_findings(r.findings);
  return reports;
}

std::string render_findings(const std::vector<::hoks::Finding>& findings, const std::string& source, ::hoks::Lang lang) {
  const auto& catalog = ::hoks::Catalog::builtin();
  std::string out;
  for (const auto& f : findings) {
    out += f.location.file.empty() ? source : (source == f.location.file || fs::path(source).filename() == f.location.file
                                                   ? source
                                                   : (fs::path(source) / f.location.file).string());
    if (f.location.line) out += ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
    out += ": " + std::string(::hoks::to_string(f.severity)) + "[" + f.rule + "]: " + catalog.message(f, lang);
    if (!f.location.header.empty()) out += " [" + f.location.header + "]";
    if (!f.path.empty()) out += " (" + f.path + ")";
    out += "\n";
  }
  return out;
}

}  // namespace hoks::cli
