// Shared by the hoks subcommands: tool errors, exit codes, file reading.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string_view>
#include <string>
#include <vector>

#include "hoks/read/study_right.hpp"

namespace hoks::cli {

constexpr int exit_ok = 0, exit_findings = 1, exit_tool = 2;

// A failure of the tool itself (exit 2): bad usage, unreadable input, bad configuration.
struct ToolError {
  std::string message;
};

// The bytes of a file, or of standard input for "-": read, not mapped, so that a file truncated
// meanwhile gives the bytes that were there (a mapping would end the process with SIGBUS).
std::string read_file(const std::string& path);
// The same bytes (and errors) in memory aligned to 2 MiB pages that asks for them and is not
// zeroed before the read: a large input is faulted in a few huge pages, not thousands of small.
class FileBytes {
 public:
  std::string_view view() const { return memory_ ? std::string_view(memory_.get(), size_) : std::string_view(text_); }

 private:
  friend FileBytes read_file_bytes(const std::string& path);
  struct Free {
    void operator()(char* p) const;
  };
  std::unique_ptr<char, Free> memory_;
  std::size_t size_ = 0;
  std::string text_;  // standard input, or a file of unknown size
};
FileBytes read_file_bytes(const std::string& path);
// --opiskeluoikeus: the study rights of a file or folder (StudyRights::load); throws ToolError.
::hoks::StudyRights load_study_rights(const std::string& path);
// Writes text to standard output, or to `path` when it is not empty.
void write_output(const std::string& path, const std::string& text);
// Opens `path` (standard output when empty) and lets `write` write to it; throws when it cannot.
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write);
// Streams to `path` (or standard output) as `write` produces; when it returns false, a file is
// removed again (standard output may have received a part).
bool write_output_if(const std::string& path, const std::function<bool(std::ostream&)>& write);

}  // namespace hoks::cli
