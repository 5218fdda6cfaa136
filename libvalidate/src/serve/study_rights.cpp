#include "serve/study_rights.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hoks::serve {
namespace fs = std::filesystem;

namespace {
long long now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

StudyRights::StudyRights(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) return;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) throw std::runtime_error(dir_ + ": not a folder of study rights");
  signature_ = signature();
  load();
  checked_ms_ = now_ms();
}

// Names, sizes and modification times of the .json files: a change of any re-reads the folder.
std::string StudyRights::signature() const {
  std::ostringstream out;
  std::error_code ec;
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    if (e.path().extension() != ".json") continue;
    std::error_code e2;
    const auto t = fs::last_write_time(e.path(), e2).time_since_epoch().count();
    files[e.path().filename().string()] = std::to_string(fs::file_size(e.path(), e2)) + ":" + std::to_string(t);
  }
  for (const auto& [name, stamp] : files) out << name << '=' << stamp << '\n';
  return out.str();
}

void StudyRights::load() {
  auto map = std::make_shared<Map>();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    JsonDocument doc;
    if (!doc.parse(text) || !doc.root().is_object()) continue;  // a file being written: the next look reads it
    const JsonValue oid = doc.root().get("oid");
    std::string error;
    auto right = parse_study_right(text, error);
    if (!oid.is_string() || !right) continue;
    (*map)[std::string(oid.str())] = *right;
  }
  map_ = std::move(map);
}

std::shared_ptr<const StudyRights::Map> StudyRights::current() {
  std::lock_guard lock(mutex_);
  if (dir_.empty()) return map_;
  const long long now = now_ms();
  if (now - checked_ms_ >= 200) {
    checked_ms_ = now;
    std::string s = signature();
    if (s != signature_) {
      signature_ = std::move(s);
      load();
    }
  }
  return map_;
}

}  // namespace hoks::serve
