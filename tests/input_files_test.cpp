// The files of one input of a profile (hoks/convert/input_files.hpp).
#include "hoks/convert/input_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace hoks;

namespace {

// A CSV profile whose units come from a linked table, units.csv.
Profile linked_tables() {
  return Profile::load(R"(profile: linked
format: csv
documents:
  key: [oid]
  fields:
    - {field: oppija-oid, column: oid}
    - field: hankittavat-ammat-tutkinnon-osat
      table: units.csv
      link: [student]
      fields:
        - {field: tutkinnon-osa-koodi-uri, column: unit}
)",
                       "linked.yaml");
}

struct Folder {
  fs::path dir = fs::temp_directory_path() / ("hoks-input-files-" + std::to_string(::getpid()));
  Folder(std::initializer_list<const char*> names) {
    fs::create_directories(dir);
    for (const char* n : names) std::ofstream(dir / n) << "x\n";
  }
  ~Folder() { fs::remove_all(dir); }
};

std::vector<std::string> names(const std::vector<InputFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.name);
  return out;
}

}  // namespace

TEST(InputFiles, AFolderOfTablesGivesTheMainTableFirstThenTheLinkedOnes) {
  // Sorted by name units.csv comes first; the main table is the one no entry names.
  Folder folder{"units.csv", "z-students.csv", "notes.txt"};
  const auto files = input_files(linked_tables(), folder.dir.string());
  EXPECT_EQ(names(files), (std::vector<std::string>{"z-students.csv", "units.csv"}));
  EXPECT_EQ(files[1].path, (folder.dir / "units.csv").string());
}

TEST(InputFiles, AFileBringsTheLinkedTablesThatExistBesideIt) {
  Folder with{"students.csv", "units.csv"};
  EXPECT_EQ(names(input_files(linked_tables(), (with.dir / "students.csv").string())),
            (std::vector<std::string>{"students.csv", "units.csv"}));
  fs::remove(with.dir / "units.csv");
  EXPECT_EQ(names(input_files(linked_tables(), (with.dir / "students.csv").string())), (std::vector<std::string>{"students.csv"}));
  EXPECT_EQ(names(input_files(linked_tables(), "-")), (std::vector<std::string>{"-"})) << "standard input is one file";
}

TEST(InputFiles, AFolderForAFormatOfOneFileIsAnInputError) {
  Folder folder{"a.xml"};
  EXPECT_THROW(input_files(Profile::canonical_xml(), folder.dir.string()), InputError);
  EXPECT_EQ(input_files(Profile::canonical_csv(), folder.dir.string()).size(), 0u) << "a folder without tables has no files";
}
