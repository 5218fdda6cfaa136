// What POST stores, written from the tape (serve/stored.cpp), against the tree path it replaces.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "hoks/check/validate.hpp"
#include "read/json_tree.hpp"
#include "serve/stored.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;

namespace {

using hoks::detail::Tree;

// The tree path: read, normalize, drop the nested parts' ids, eid first, manuaalisyotto last.
std::string by_tree(const std::string& text, bool manual, const hoks::Model& model) {
  Tree t = hoks::detail::parse_tree(text, "body");
  hoks::detail::normalize(t, model.root_type(), model);
  for (const char* key : hoks::detail::part_arrays)
    if (t.contains(key)) hoks::detail::strip_ids(t[key]);
  Tree out = Tree::object();
  out["eid"] = "e";
  for (auto& [k, v] : t.items()) out[k] = std::move(v);
  out["manuaalisyotto"] = manual;
  return hoks::serve::stored_from_tree(std::move(out), manual);
}

// Generated UUIDs differ from run to run: each one reads as U.
std::string masked(const std::string& s) {
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_replace(s, uuid, "U");
}

// Compares both paths for `text` when it is a HOKS without errors; false when it is not one.
bool compare(const std::string& text, const std::string& name) {
  static const hoks::Validator validator;
  hoks::JsonDocument doc;
  if (!doc.parse(text) || !doc.root().is_object()) return false;
  hoks::ValidationOptions vo;
  vo.operation = hoks::Operation::create;
  vo.today = hoks::Date{2024, 1, 15};
  vo.manual_entry = true;  // no tunniste rule: OHTs without one are written both ways
  std::vector<hoks::Finding> findings;
  validator.validate(doc.root(), vo, findings);
  for (const auto& f : findings)
    if (f.severity == hoks::Severity::error) return false;
  for (bool manual : {false, true}) {
    const std::string tape = hoks::serve::stored_from_body(doc.root(), "e", manual, validator.model());
    EXPECT_EQ(masked(tape), masked(by_tree(text, manual, validator.model()))) << name << " manual " << manual;
    EXPECT_NO_THROW((void)Tree::parse(tape)) << name;
  }
  return true;
}

TEST(ServeStored, TapeWriterWritesWhatTheTreePathWrites) {
  int compared = 0;
  std::vector<fs::path> files;
  for (const auto& dir : {hoks::test::source_dir() / "fixtures/rules", fs::path(HOKS_SHARED_DIR) / "corpus/ehoks-demo"})
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.path().extension() == ".json") files.push_back(e.path());
  for (const auto& f : files) compared += compare(hoks::test::read(f), f.string());
  EXPECT_GE(compared, 30);
}

TEST(ServeStored, NullsDuplicatesPaddingNumbersAndGeneratedIds) {
  const std::string oht =
      R"({"osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_koulutussopimus","osaamisen-hankkimistapa-koodi-versio":1,)"
      R"("alku":"2024-01-01","loppu":"2024-03-01"})";
  const std::string text =
      R"({"oppija-oid":"1.2.246.562.24.44651722625","opiskeluoikeus-oid":"1.2.246.562.15.20000000008",)"
      R"("ensikertainen-hyvaksyminen":"2024-01-02","osaamisen-hankkimisen-tarve":true,)"
      R"("sahkoposti":"  first@example.fi ","versio":2.0,"puhelinnumero":"\t040\u0001 ",)"
      R"("hankittavat-paikalliset-tutkinnon-osat":null,"sahkoposti":" last@example.fi\n",)"
      R"("hankittavat-ammat-tutkinnon-osat":[{"tutkinnon-osa-koodi-uri":"tutkinnonosat_300268","tutkinnon-osa-koodi-versio":1,)"
      R"("osaamisen-hankkimistavat":[)" + oht + "," + oht + R"(],"osaamisen-osoittaminen":null}]})";
  ASSERT_TRUE(compare(text, "crafted")) << "the crafted HOKS must have no errors";
  hoks::JsonDocument doc;
  ASSERT_TRUE(doc.parse(text));
  const std::string tape = hoks::serve::stored_from_body(doc.root(), "e", true, hoks::Model::builtin());
  const Tree t = Tree::parse(tape);
  EXPECT_EQ(t["sahkoposti"], "last@example.fi");  // the last value, in the first place, trimmed
  EXPECT_EQ(t["versio"], 2);
  EXPECT_EQ(t["hankittavat-paikalliset-tutkinnon-osat"], Tree::array());
  EXPECT_EQ(t["puhelinnumero"], "040\u0001");
  EXPECT_EQ(t.size(), 7u + 2u + 9u);  // the given keys, eid and manuaalisyotto, the nine arrays
  const Tree& unit = t["hankittavat-ammat-tutkinnon-osat"][0];
  EXPECT_TRUE(unit.contains("module-id"));
  EXPECT_EQ(unit["osaamisen-osoittaminen"], Tree::array());
  EXPECT_EQ(unit["osaamisen-hankkimistavat"][1].size(), 4u + 2u);  // yksiloiva-tunniste and module-id added
  EXPECT_NE(unit["osaamisen-hankkimistavat"][0]["module-id"], unit["osaamisen-hankkimistavat"][1]["module-id"]);
}

}  // namespace
