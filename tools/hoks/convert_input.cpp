#include "convert_input.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "common.hpp"
#include "hoks/convert/input_files.hpp"
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
std::vector<::hoks::InputFile> files_of(const ::hoks::Profile& profile, const std::string& path) {
  try {
    return ::hoks::input_files(profile, path);
  } catch (const ::hoks::InputError& e) {
    throw ToolError{e.what()};
  }
}
}  // namespace

std::vector<::hoks::NamedFile> read_inputs(const ::hoks::Profile& profile, const std::string& path) {
  std::vector<::hoks::NamedFile> files;
  for (auto& [name, file] : files_of(profile, path)) files.push_back({std::move(name), read_file(file)});
  return files;
}

MappedInputs map_inputs(const ::hoks::Profile& profile, const std::string& path) {
  MappedInputs in;
  for (auto& [name, file] : files_of(profile, path)) {
    in.names.push_back(std::move(name));
    in.files.push_back(read_file_bytes(file));
  }
  for (std::size_t i = 0; i < in.files.size(); ++i) in.views.push_back({in.names[i], in.files[i].view()});
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
  if (findings.empty()) return {};  // without loading the message catalog
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
