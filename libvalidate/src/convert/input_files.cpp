#include "hoks/convert/input_files.hpp"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace hoks {

namespace {

// The tables an entry and its fields read from, in profile order.
void collect_tables(const MappingEntry& e, std::vector<std::string>& out) {
  for (const auto& f : e.fields) {
    if (!f.table.empty()) out.push_back(f.table);
    collect_tables(f, out);
  }
}

bool is_csv(Profile::Format f) { return f == Profile::Format::csv || f == Profile::Format::canonical_csv; }

}  // namespace

std::vector<InputFile> input_files(const Profile& profile, const std::string& path) {
  std::vector<std::string> tables;
  collect_tables(profile.documents, tables);
  std::error_code ec;
  if (path != "-" && fs::is_directory(path, ec)) {
    if (!is_csv(profile.format())) throw InputError{path + ": a folder is read only as CSV tables; give one file"};
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".csv") names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    std::stable_partition(names.begin(), names.end(),
                          [&](const std::string& n) { return std::find(tables.begin(), tables.end(), n) == tables.end(); });
    std::vector<InputFile> files;
    for (auto& n : names) files.push_back({n, (fs::path(path) / n).string()});
    return files;
  }
  std::vector<InputFile> files{{path == "-" ? "-" : fs::path(path).filename().string(), path}};
  if (profile.format() == Profile::Format::csv && path != "-")
    for (const auto& t : tables) {
      const fs::path sibling = fs::path(path).parent_path() / t;
      if (fs::exists(sibling, ec)) files.push_back({t, sibling.string()});
    }
  return files;
}

}  // namespace hoks
