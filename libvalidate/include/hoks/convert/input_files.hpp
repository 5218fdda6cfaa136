// Which files make up one input of a profile: a file, or for CSV a folder of tables or a file
// with the linked tables beside it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "hoks/convert/mapping.hpp"

namespace hoks {

// An input that cannot be read with the profile (a folder given for a format of one file).
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One file of an input: the name the profile knows it by (a table's file name) and where it is.
struct InputFile {
  std::string name;
  std::string path;
};

// The files of `path` ("-" is standard input) for `profile`, the main table first: for CSV a
// folder's *.csv files (sorted; the main table is the one no entry names), or the file with the
// linked tables that exist beside it; otherwise the file alone. Throws InputError.
std::vector<InputFile> input_files(const Profile& profile, const std::string& path);

}  // namespace hoks
