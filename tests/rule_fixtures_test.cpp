// Rule coverage: every rule of the catalog has fixtures that trigger it and fixtures that do not
// (fixtures/rules/<rule>/fail-*.json and pass-*.json, options in options.yaml), and is implemented.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/convert/convert.hpp"
#include "hoks/check/validate.hpp"
#include "hoks/maintain/fixtures.hpp"
#include "hoks/model/model.hpp"
#include "check/rule_run.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;

namespace {

struct FixtureRun {
  std::vector<Finding> findings;
};

std::vector<Finding> run_fixture(const fs::path& file, const FixtureOptions& options, const std::string& text_override = {},
                                 const char* operation = nullptr, const char* context = nullptr, bool no_context = false) {
  FixtureOptions fixture = options;
  if (context) fixture.context = context;
  if (no_context) fixture.context.clear(), fixture.study_rights.clear();
  const FixtureContext loaded(fixture, test::source_dir() / "fixtures" / "context");
  ValidationOptions o = loaded.validation();
  if (operation) o.operation = *parse_operation(operation);
  std::vector<DocumentReport> reports;
  validate_text(Validator(), file.string(), text_override.empty() ? test::read(file) : text_override, o, reports);
  std::vector<Finding> all;
  for (auto& r : reports) all.insert(all.end(), r.findings.begin(), r.findings.end());
  return all;
}

// True when text still holds a {name} placeholder (digits such as {7} in patterns do not count).
bool has_placeholder(const std::string& text) {
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos || close == open + 1) continue;
    const std::string name = text.substr(open + 1, close - open - 1);
    if (std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) return true;
  }
  return false;
}

}  // namespace

// Rules that run on objects or fields need a registered check, and a check runs where rules.yaml
// says; the other rules are issued by the schema walk, the engine or the converters, and their
// fixtures (below) prove it.
TEST(RuleCatalog, EveryObjectAndFieldRuleHasOneCheckAndEveryCheckIsAttached) {
  std::map<detail::RuleId, int> registered;
  for (const auto& impl : detail::rule_table()) ++registered[impl.id];
  for (const auto& [id, count] : registered) {
    EXPECT_EQ(count, 1) << detail::name(id) << " is registered more than once";
    const auto a = detail::facts(id).attachment;
    EXPECT_TRUE(a == detail::Attachment::object || a == detail::Attachment::field || a == detail::Attachment::document)
        << detail::name(id) << " has a check but is not attached to an object, a field or the document";
  }
  for (std::size_t i = 0; i < std::size(detail::rule_facts); ++i) {
    const auto& f = detail::rule_facts[i];
    if (f.attachment == detail::Attachment::object || f.attachment == detail::Attachment::field)
      EXPECT_TRUE(registered.count(static_cast<detail::RuleId>(i))) << f.id << " has no check";
  }
}

// A field rule names a field of each of its entities; an object or field rule names entities of the model.
TEST(RuleCatalog, AttachmentsNameEntitiesAndFieldsOfTheModel) {
  const Model& model = Model::builtin();
  for (const Rule& r : Catalog::builtin().rules()) {
    if (r.attachment != "object" && r.attachment != "field") continue;
    EXPECT_FALSE(r.entities.empty()) << r.id;
    for (const std::string& e : r.entities) {
      ASSERT_GE(model.entity_index(e), 0) << r.id << ": unknown entity " << e;
      if (r.attachment == "field") EXPECT_GE(model.entity(model.entity_index(e)).field_index(r.field), 0) << r.id;
    }
  }
}

TEST(RuleCatalog, EveryRuleHasCompleteMetadata) {
  for (const auto& r : Catalog::builtin().rules()) {
    for (const Localized* t : {&r.title, &r.message, &r.hint})
      EXPECT_TRUE(!t->fi.empty() && !t->sv.empty() && !t->en.empty()) << r.id;
    EXPECT_FALSE(r.rationale.fi.empty() || r.rationale.en.empty()) << r.id;
    EXPECT_FALSE(r.basis_kind.empty()) << r.id;
    EXPECT_FALSE(r.stage.empty()) << r.id;
  }
}

TEST(RuleFixtures, EveryRuleFiresOnItsFailFixturesAndNotOnItsPassFixtures) {
  const fs::path root = test::source_dir() / "fixtures" / "rules";
  for (const auto& rule : Catalog::builtin().rules()) {
    if (rule.stage == "report") continue;  // no document triggers it: tests/report_test.cpp
    // Conversion findings need XML/CSV input: their fixtures are fixtures/vendor/ (tests/convert_test.cpp).
    const auto& converter_only = conversion_rules();
    if (std::find(converter_only.begin(), converter_only.end(), rule.id) != converter_only.end()) continue;
    const fs::path dir = root / rule.id;
    ASSERT_TRUE(fs::is_directory(dir)) << "rule " << rule.id << " has no fixtures in " << dir;
    const std::string options = fs::exists(dir / "options.yaml") ? test::read(dir / "options.yaml") : "";
    int fail = 0, pass = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".json") continue;
      const bool expect_fire = name.rfind("fail-", 0) == 0;
      ASSERT_TRUE(expect_fire || name.rfind("pass-", 0) == 0) << entry.path();
      (expect_fire ? fail : pass)++;
      const FixtureOptions opt = fixture_options(options, name);
      const auto findings = run_fixture(entry.path(), opt);
      const bool fired = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule.id; });
      EXPECT_EQ(fired, expect_fire) << rule.id << "/" << name;
      auto fires = [&](const std::vector<Finding>& fs) {
        return std::any_of(fs.begin(), fs.end(), [&](const Finding& f) { return f.rule == rule.id; });
      };
      const bool default_operation = !opt.operation;
      const bool has_context = !opt.context.empty() || !opt.study_rights.empty();
      const bool document_rule = rule.stage == "rule" || rule.stage == "context" || rule.stage == "code";
      // The same verdict on PUT (replace) as on POST: the body gets the id PUT requires.
      if (document_rule && default_operation) {
        std::string text = test::read(entry.path());
        const std::size_t brace = text.find('{');
        if (brace != std::string::npos && text.find("\"id\"") == std::string::npos) {
          text.insert(brace + 1, "\"id\": 1, ");
          EXPECT_EQ(fires(run_fixture(entry.path(), opt, text, "replace")), expect_fire) << rule.id << "/" << name << " as replace";
        }
      }
      // Context rules are not evaluated without the study right, and the report says so.
      if (rule.needs_context && has_context) {
        const auto without = run_fixture(entry.path(), opt, {}, nullptr, nullptr, true);
        EXPECT_FALSE(fires(without)) << rule.id << "/" << name << " without context";
        EXPECT_TRUE(std::any_of(without.begin(), without.end(), [](const Finding& f) { return f.rule == "context-missing"; }))
            << rule.id << "/" << name;
      }
      // Other rules give the same verdict with a study right as without.
      if (document_rule && !rule.needs_context && !has_context && rule.id != "context-missing")
        EXPECT_EQ(fires(run_fixture(entry.path(), opt, {}, nullptr, "ammatillinen-open")), expect_fire)
            << rule.id << "/" << name << " with context";
      for (const auto& f : findings) {
        if (f.rule != rule.id) continue;
        EXPECT_EQ(f.severity, rule.severity) << rule.id << "/" << name;
        EXPECT_GT(f.location.line, 0u) << rule.id << "/" << name;
        // Every placeholder of the message is filled.
        const std::string message = Catalog::builtin().message(f, Lang::fi);
        EXPECT_FALSE(has_placeholder(message)) << rule.id << "/" << name << ": " << message;
      }
    }
    EXPECT_GE(fail, 1) << rule.id << " needs a fixture that triggers it";
    EXPECT_GE(pass, 1) << rule.id << " needs a fixture that does not trigger it";
  }
}

namespace {

// The JSON pointer of the deepest object on `path` whose entity is one of `entities` ("" = root).
std::optional<std::string> checked_object(const std::string& path, const std::vector<std::string>& entities) {
  const Model& model = Model::builtin();
  const ValueType* type = &model.root_type();
  std::string prefix;
  std::optional<std::string> found;
  auto is_checked = [&](const ValueType* t) {
    return t->base == BaseType::object &&
           std::find(entities.begin(), entities.end(), model.entity(t->entity).name) != entities.end();
  };
  if (is_checked(type)) found = "";
  std::size_t at = 0;
  while (at < path.size() && type) {
    const std::size_t next = path.find('/', at + 1);
    const std::string segment = path.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    at = next == std::string::npos ? path.size() : next;
    prefix += "/" + segment;
    if (type->base == BaseType::array) type = type->item;
    else if (type->base == BaseType::object) {
      const Field* f = model.entity(type->entity).field(segment);
      type = f ? f->type : nullptr;
    } else type = nullptr;
    if (type && is_checked(type)) found = prefix;
  }
  return found;
}

}  // namespace

// eHOKS evaluates a field's constraint whenever the field's own value is right, and an object's
// constraints only when nothing inside the object fails (rules.yaml `attachment`). For every
// field and object rule, each failing fixture gets a structural error (an unknown key) inside
// the checked object and, for objects below the root, in the root: the rule fires exactly when
// eHOKS would evaluate it.
TEST(RuleAttachment, FieldRulesIgnoreErrorsElsewhereAndObjectRulesNeedACleanObject) {
  const fs::path root = test::source_dir() / "fixtures" / "rules";
  int cases = 0;
  for (const Rule& rule : Catalog::builtin().rules()) {
    if (rule.attachment != "field" && rule.attachment != "object") continue;
    const fs::path dir = root / rule.id;
    const std::string options = fs::exists(dir / "options.yaml") ? test::read(dir / "options.yaml") : "";
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("fail-", 0) != 0 || entry.path().extension() != ".json") continue;
      const FixtureOptions opt = fixture_options(options, name);
      const auto findings = run_fixture(entry.path(), opt);
      const auto hit = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule.id; });
      ASSERT_NE(hit, findings.end()) << rule.id << "/" << name;
      const auto object = checked_object(hit->path, rule.entities);
      ASSERT_TRUE(object) << rule.id << "/" << name << ": no " << rule.entities.front() << " on " << hit->path;
      const nlohmann::json document = nlohmann::json::parse(test::read(entry.path()));
      auto fires_with_unknown_key_at = [&](const std::string& pointer) {
        nlohmann::json broken = document;
        broken[nlohmann::json::json_pointer(pointer)]["tuntematon-avain"] = 1;
        const auto out = run_fixture(entry.path(), opt, broken.dump(1));
        EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const Finding& f) { return f.rule == "unknown-key"; }));
        return std::any_of(out.begin(), out.end(), [&](const Finding& f) { return f.rule == rule.id && f.path == hit->path; });
      };
      EXPECT_EQ(fires_with_unknown_key_at(*object), rule.attachment == "field")
          << rule.id << "/" << name << " with a structural error in " << (object->empty() ? "the root" : *object);
      if (!object->empty())
        EXPECT_TRUE(fires_with_unknown_key_at("")) << rule.id << "/" << name << " with a structural error in the root";
      ++cases;
    }
  }
  EXPECT_GE(cases, 30);
}
