#include "convert_input.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common.hpp"
#include "hoks/model/catalog.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {

::hoks::Profile load_profile(const std::string& spec, const std::vector<std::string>& context) {
  ::hoks::Profile::ContextValues values;
  for (const std::string& c : context) {
    const auto eq = c.find('=');
    if (eq == std::string::npos || eq == 0) throw ToolError{"--context " + c + ": give NAME=VALUE"};
    values.emplace_back(c.substr(0, eq), c.substr(eq + 1));
  }
  if (!values.empty() && (spec == "xml" || spec == "csv" || spec == "json"))
    throw ToolError{"--context is for mapping profiles: " + spec + " has no context"};
  if (spec == "xml") return ::hoks::Profile::canonical_xml();
  if (spec == "csv") return ::hoks::Profile::canonical_csv();
  const bool yaml_name = spec.size() > 5 && (spec.compare(spec.size() - 5, 5, ".yaml") == 0 || spec.compare(spec.size() - 4, 4, ".yml") == 0);
  if (!yaml_name && !fs::is_regular_file(spec))
    throw ToolError{"unknown format '" + spec + "': the formats are json, xml, csv, csv-rows (reading only) and PROFILE.yaml (a mapping profile, docs/mapping.md)"};
  try {
    return ::hoks::Profile::load(read_file(spec), spec, ::hoks::Model::builtin(), values);
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
