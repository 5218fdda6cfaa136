#include "common.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <utility>

#include "hoks/read/json.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {

::hoks::StudyRights load_study_rights(const std::string& path) {
  try {
    return ::hoks::StudyRights::load(path);
  } catch (const ::hoks::StudyRightError& e) {
    throw ToolError{e.what()};
  }
}

std::string read_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ToolError{path + ": is a folder; this command reads one file (give a file, or - for standard input)"};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ToolError{path + ": cannot read file (" + std::strerror(errno) + ")"};
  std::string data;
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size > 0) {
    data.reserve(static_cast<std::size_t>(size));
    ::hoks::detail::prefer_huge_pages(data.data(), data.capacity());
    data.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
    data.resize(static_cast<std::size_t>(in.gcount()));  // truncated meanwhile: what was read
    if (in.bad()) throw ToolError{path + ": cannot read file (" + std::strerror(errno) + ")"};
  } else {
    data.assign(std::istreambuf_iterator<char>(in), {});
  }
  return data;
}

void FileBytes::Free::operator()(char* p) const { std::free(p); }

FileBytes read_file_bytes(const std::string& path) {
  FileBytes bytes;
  std::error_code ec;
  if (path == "-" || std::filesystem::is_directory(path, ec)) {
    bytes.text_ = read_file(path);
    return bytes;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ToolError{path + ": cannot read file (" + std::strerror(errno) + ")"};
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size <= 0) {
    bytes.text_ = read_file(path);
    return bytes;
  }
  constexpr std::size_t huge = std::size_t{2} << 20;
  const std::size_t capacity = (static_cast<std::size_t>(size) + huge - 1) / huge * huge;
  bytes.memory_.reset(static_cast<char*>(std::aligned_alloc(huge, capacity)));
  if (!bytes.memory_) throw std::bad_alloc();
  ::hoks::detail::prefer_huge_pages(bytes.memory_.get(), capacity);
  in.seekg(0);
  in.read(bytes.memory_.get(), size);
  bytes.size_ = static_cast<std::size_t>(in.gcount());  // truncated meanwhile: what was read
  if (in.bad()) throw ToolError{path + ": cannot read file (" + std::strerror(errno) + ")"};
  return bytes;
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    std::cout.flush();
    return;
  }
  std::ofstream out(path, std::ios::binary);
  if (!out || !(out << text)) throw ToolError{path + ": cannot write"};
}

bool write_output_if(const std::string& path, const std::function<bool(std::ostream&)>& write) {
  if (path.empty()) {
    const bool ok = write(std::cout);
    std::cout.flush();
    return ok;
  }
  // A device, a pipe or a socket (-o /dev/null, -o /dev/stdout) is written as it is: renaming a
  // file over it would replace it.
  std::error_code ec;
  if (const auto st = std::filesystem::status(path, ec); std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw ToolError{path + ": cannot write"};
    const bool ok = write(out);
    if (!out.flush()) throw ToolError{path + ": cannot write"};
    return ok;
  }
  // Written beside the target (through a symbolic link: beside the file it names) and renamed into
  // place: a failed run leaves no half file behind.
  std::string target = path;
  if (std::filesystem::is_symlink(path, ec))
    if (auto named = std::filesystem::weakly_canonical(path, ec); !ec) target = named.string();
  const std::string part = target + ".part";
  bool ok = false;
  {
    std::ofstream out(part, std::ios::binary);
    if (!out) throw ToolError{path + ": cannot write"};
    ok = write(out);
    if (!out.flush()) {
      std::remove(part.c_str());
      throw ToolError{path + ": cannot write"};
    }
  }
  if (!ok) {
    std::remove(part.c_str());
    return false;
  }
  if (std::rename(part.c_str(), target.c_str()) != 0) {
    std::remove(part.c_str());
    throw ToolError{path + ": cannot write"};
  }
  return true;
}

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty()) {
    write(std::cout);
    std::cout.flush();
    return;
  }
  std::ofstream out(path, std::ios::binary);
  if (out) write(out);
  if (!out || !out.flush()) throw ToolError{path + ": cannot write"};
}

}  // namespace hoks::cli
