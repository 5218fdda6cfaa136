#include "hoks/maintain/fixtures.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hoks {

ValidationOptions FixtureOptions::validation() const {
  ValidationOptions o;
  o.operation = operation.value_or(Operation::create);
  o.today = today.value_or(Date{2026, 11, 28});
  o.manual_entry = manual_entry;
  return o;
}

FixtureContext::FixtureContext(const FixtureOptions& fixture, const std::filesystem::path& context_dir) : fixture_(fixture) {
  if (!fixture.context.empty()) {
    const auto file = context_dir / (fixture.context + ".json");
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string error = in ? "" : "cannot read file";
    if (in) study_right_ = parse_study_right(text, error);
    if (!study_right_) throw StudyRightError{file.string() + ": " + error};
  }
  if (!fixture.study_rights.empty()) study_rights_ = StudyRights::load(context_dir / (fixture.study_rights + ".json"));
}

ValidationOptions FixtureContext::validation() const {
  ValidationOptions o = fixture_.validation();
  if (study_right_) o.study_right = &*study_right_;
  if (!fixture_.study_rights.empty()) o.study_rights = &study_rights_;
  return o;
}

FixtureOptions fixture_options(std::string_view options_yaml, std::string_view file) {
  FixtureOptions o;
  if (options_yaml.empty()) return o;
  try {
    const YAML::Node n = YAML::Load(std::string(options_yaml))[std::string(file)];
    if (!n) return o;
    if (n["operation"]) {
      o.operation = parse_operation(n["operation"].as<std::string>());
      if (!o.operation) throw std::runtime_error("unknown operation " + n["operation"].as<std::string>());
    }
    if (n["today"]) {
      o.today = parse_date(n["today"].as<std::string>());
      if (!o.today) throw std::runtime_error("bad date " + n["today"].as<std::string>());
    }
    if (n["manual-entry"]) o.manual_entry = n["manual-entry"].as<bool>();
    if (n["context"]) o.context = n["context"].as<std::string>();
    if (n["study-rights"]) o.study_rights = n["study-rights"].as<std::string>();
    YAML::Emitter e;
    e << YAML::Flow << n;
    o.written = e.c_str();
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("options.yaml: " + std::string(e.what()));
  }
  return o;
}

namespace {
std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  if (!in || !(ss << in.rdbuf())) throw std::runtime_error(p.string() + ": cannot read file");
  return ss.str();
}
}  // namespace

RuleFixtureSet read_rule_fixtures(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  RuleFixtureSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return set;
  for (const auto& rule_dir : fs::directory_iterator(dir, ec)) {
    if (!rule_dir.is_directory()) continue;
    RuleFixtures fx;
    for (const auto& f : fs::directory_iterator(rule_dir.path())) {
      const std::string name = f.path().filename().string();
      if (!f.is_regular_file()) continue;
      if (name == "options.yaml") fx.options_yaml = read_text(f.path());
      else if (f.path().extension() == ".json") fx.files[name] = read_text(f.path());
    }
    set[rule_dir.path().filename().string()] = std::move(fx);
  }
  if (ec) throw std::runtime_error(dir.string() + ": cannot read folder (" + ec.message() + ")");
  return set;
}

}  // namespace hoks
