// Shared by `hoks convert`, `hoks roundtrip` and `hoks validate --from`: formats by name and the
// files of an input.
#pragma once

#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/convert/mapping.hpp"

namespace hoks::cli {

// The profile of a format name: xml, csv (canonical forms) or a PROFILE.yaml file, with --context
// NAME=VALUE overrides of its context; throws ToolError.
::hoks::Profile load_profile(const std::string& spec, const std::vector<std::string>& context = {});
// The files of an input for a profile: one file; for CSV a directory's *.csv files (main table first)
// or a file plus the linked tables beside it.
std::vector<::hoks::NamedFile> read_inputs(const ::hoks::Profile& profile, const std::string& path);
// The same files read (not mapped: a file truncated meanwhile is not SIGBUS), and views of them.
struct MappedInputs {
  std::vector<FileBytes> files;
  std::vector<std::string> names;
  std::vector<::hoks::FileView> views;
};
MappedInputs map_inputs(const ::hoks::Profile& profile, const std::string& path);
// Writes the files of an output: one unnamed file to `path` (or standard output when empty), or a
// directory of files (path required).
void write_outputs(const std::vector<::hoks::NamedFile>& files, const std::string& path);
// The files of a directory output, written as they come, each to NAME.part and renamed into place
// by commit(); whatever is not committed is removed again.
class DirectoryWriter : public ::hoks::FileSink {
 public:
  explicit DirectoryWriter(const std::string& dir);
  DirectoryWriter(const DirectoryWriter&) = delete;
  DirectoryWriter& operator=(const DirectoryWriter&) = delete;
  ~DirectoryWriter() override;
  void write(std::string_view name, std::string_view bytes) override;
  void commit();

 private:
  std::string dir_;
  std::map<std::string, std::ofstream, std::less<>> files_;
};
// One line per finding: "file:line:col: severity[rule]: message (path)".
std::string render_findings(const std::vector<::hoks::Finding>& findings, const std::string& source, ::hoks::Lang lang);

}  // namespace hoks::cli
