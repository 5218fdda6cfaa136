// Internal: KOSKI study rights from a folder (one JSON file each), re-read when the folder changes.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "hoks/check/validate.hpp"

namespace hoks::serve {

class StudyRights {
 public:
  using Map = std::map<std::string, StudyRight, std::less<>>;  // by oid
  explicit StudyRights(std::string dir);  // "" for none; throws std::runtime_error for a missing folder
  // The study rights as the folder holds them now (checked at most every 200 ms).
  std::shared_ptr<const Map> current();

 private:
  std::string signature() const;
  void load();

  std::string dir_;
  std::mutex mutex_;
  std::shared_ptr<const Map> map_ = std::make_shared<Map>();
  std::string signature_;
  long long checked_ms_ = 0;
};

}  // namespace hoks::serve
