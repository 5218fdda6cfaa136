// Offline snapshots of the koodisto code lists (schema/codes.yaml).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "hoks/model/model.hpp"

namespace hoks {

struct CodeList {
  std::string name;       // koodisto name, the prefix of its code URIs ("urasuunnitelma")
  std::string snapshot;   // date the values were taken
  std::string source;
  std::map<std::string, Text, std::less<>> codes;  // code value ("0001") -> its name

  bool contains(std::string_view code) const { return codes.find(code) != codes.end(); }
};

class CodeLists {
 public:
  // Loads code lists from YAML text; throws std::runtime_error on a bad file.
  static std::shared_ptr<const CodeLists> load(std::string_view yaml_text);
  // The snapshots built into the library.
  static const CodeLists& builtin();

  // The list of a koodisto, or nullptr.
  const CodeList* find(std::string_view koodisto) const;
  const std::map<std::string, CodeList, std::less<>>& all() const { return lists_; }

 private:
  std::map<std::string, CodeList, std::less<>> lists_;
};

}  // namespace hoks
