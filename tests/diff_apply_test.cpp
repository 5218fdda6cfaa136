// hoks diff / hoks apply: a diff of a changed document yields a PATCH or PUT body that validates
// and that, applied with hoks apply, reproduces the new document (ehoks-model.md §4.3).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hoks/maintain/apply.hpp"
#include "hoks/maintain/diff.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hoks;
using nlohmann::ordered_json;

namespace {

const char* base_hoks = R"({"id": 12, "oppija-oid": "1.2.246.562.24.12312312319",
  "opiskeluoikeus-oid": "1.2.246.562.15.10000000009", "puhelinnumero": "040 123",
  "sahkoposti": "a@example.com", "versio": 1,
  "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true,
  "opiskeluvalmiuksia-tukevat-opinnot": [{"nimi": "Opiskelutaidot", "kuvaus": "k", "alku": "2024-02-01", "loppu": "2024-03-01"}]})";

DiffOptions options() {
  DiffOptions o;
  o.hoks_id = 12;
  o.today = Date{2026, 11, 28};
  return o;
}

std::string dump(const ordered_json& j) { return j.dump(2); }

fs::path temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("hoks-diff-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

}  // namespace

TEST(Apply, PatchChangesOnlyTheGivenValues) {
  const auto stored = ordered_json::parse(
      apply_update(base_hoks, R"({"id": 12, "sahkoposti": "  b@example.com "})", Operation::update));
  EXPECT_EQ(stored["sahkoposti"], "b@example.com");  // plain strings are trimmed by eHOKS's coercion
  EXPECT_EQ(stored["versio"], 1);
  EXPECT_EQ(stored["puhelinnumero"], "040 123");
  EXPECT_EQ(stored["opiskeluvalmiuksia-tukevat-opinnot"].size(), 1u);
  EXPECT_EQ(stored["oppimisen-tuki"], ordered_json::array());  // GET shows all nine arrays
  EXPECT_THROW(apply_update(base_hoks, R"({"id": 12, "oppimisen-tuki": []})", Operation::update), std::invalid_argument);
  EXPECT_THROW(apply_update(base_hoks, R"({"id": 13, "versio": 2})", Operation::update), std::invalid_argument);
  EXPECT_THROW(apply_update(base_hoks, R"({"id": 12})", Operation::create), std::invalid_argument);
  EXPECT_THROW(apply_update(base_hoks, R"({"id": 12, )", Operation::update), std::invalid_argument);
}

TEST(Apply, PutClearsTheListedFieldsKeepsTheOthersAndReplacesAllArrays) {
  const auto stored = ordered_json::parse(apply_update(
      base_hoks, R"({"id": 12, "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": false})",
      Operation::replace));
  EXPECT_FALSE(stored.contains("sahkoposti"));  // in the cleared set
  EXPECT_FALSE(stored.contains("versio"));
  EXPECT_EQ(stored["puhelinnumero"], "040 123");  // kept when omitted
  EXPECT_EQ(stored["oppija-oid"], "1.2.246.562.24.12312312319");
  EXPECT_EQ(stored["osaamisen-hankkimisen-tarve"], false);
  EXPECT_EQ(stored["opiskeluvalmiuksia-tukevat-opinnot"], ordered_json::array());
  EXPECT_TRUE(put_clears_when_omitted("paivitetty"));
  EXPECT_TRUE(put_keeps_when_omitted("tuva-opiskeluoikeus-oid"));
  EXPECT_FALSE(put_keeps_when_omitted("hankittavat-koulutuksen-osat"));
}

TEST(Diff, TopLevelValuesGiveAPatch) {
  auto n = ordered_json::parse(base_hoks);
  n["sahkoposti"] = "b@example.com";
  n["paivitetty"] = "2024-03-01T10:00:00Z";
  const UpdatePlan plan = plan_update(base_hoks, dump(n), options());
  ASSERT_TRUE(plan.request);
  EXPECT_EQ(plan.request->operation, Operation::update);
  EXPECT_EQ(ordered_json::parse(plan.request->body),
            ordered_json::parse(R"({"id": 12, "sahkoposti": "b@example.com", "paivitetty": "2024-03-01T10:00:00Z"})"));
  EXPECT_TRUE(plan.request->valid());
  EXPECT_TRUE(plan.reproduces);
  EXPECT_EQ(plan.changes.size(), 2u);
}

TEST(Diff, PartsAndClearedValuesGiveAPut) {
  auto n = ordered_json::parse(base_hoks);
  n["opiskeluvalmiuksia-tukevat-opinnot"][0]["loppu"] = "2024-04-01";
  n.erase("versio");
  const UpdatePlan plan = plan_update(base_hoks, dump(n), options());
  ASSERT_TRUE(plan.request);
  EXPECT_EQ(plan.request->operation, Operation::replace);
  EXPECT_TRUE(plan.request->valid());
  EXPECT_TRUE(plan.reproduces);
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].where, "opiskeluvalmiuksia-tukevat-opinnot[nimi=Opiskelutaidot]/loppu");
  EXPECT_EQ(plan.changes[1].kind, HoksChange::Kind::removed);

  // Removing only a cleared value needs a PUT too (PATCH cannot clear).
  auto m = ordered_json::parse(base_hoks);
  m.erase("sahkoposti");
  EXPECT_EQ(plan_update(base_hoks, dump(m), options()).request->operation, Operation::replace);
}

TEST(Diff, WhatTheApiCannotDoIsNoted) {
  auto n = ordered_json::parse(base_hoks);
  n.erase("puhelinnumero");
  const UpdatePlan plan = plan_update(base_hoks, dump(n), options());
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_EQ(plan.notes[0].code, "cannot-remove");
  EXPECT_FALSE(plan.reproduces);
  auto m = ordered_json::parse(base_hoks);
  m["opiskeluoikeus-oid"] = "1.2.246.562.15.10000000017";
  EXPECT_EQ(plan_update(base_hoks, dump(m), options()).notes.at(0).code, "immutable");
}

TEST(Diff, OrderIdsAndWhitespaceAreNotChanges) {
  auto o = ordered_json::parse(base_hoks);
  o["opiskeluvalmiuksia-tukevat-opinnot"].push_back(
      {{"nimi", "Toinen"}, {"kuvaus", "x"}, {"alku", "2024-01-01"}, {"loppu", "2024-01-02"}});
  auto n = o;
  std::swap(n["opiskeluvalmiuksia-tukevat-opinnot"][0], n["opiskeluvalmiuksia-tukevat-opinnot"][1]);
  n["opiskeluvalmiuksia-tukevat-opinnot"][0]["id"] = 77;
  n["sahkoposti"] = " a@example.com";
  n["eid"] = "0b3c5d52-0000-4000-8000-000000000000";
  n["hankittavat-koulutuksen-osat"] = ordered_json::array();
  EXPECT_TRUE(compare_hoks(dump(o), dump(n)).empty());
  EXPECT_FALSE(plan_update(dump(o), dump(n), options()).request);
}

TEST(Diff, PartsAreMatchedByIdentityBeforePosition) {
  const char* old_doc = R"({"ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": true,
    "hankittavat-ammat-tutkinnon-osat": [
      {"tutkinnon-osa-koodi-uri": "tutkinnonosat_1", "tutkinnon-osa-koodi-versio": 1},
      {"tutkinnon-osa-koodi-uri": "tutkinnonosat_2", "tutkinnon-osa-koodi-versio": 1,
       "osaamisen-hankkimistavat": [
         {"yksiloiva-tunniste": "a", "alku": "2024-01-01", "loppu": "2024-02-01",
          "osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus", "osaamisen-hankkimistapa-koodi-versio": 1},
         {"yksiloiva-tunniste": "b", "alku": "2024-03-01", "loppu": "2024-04-01",
          "osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus", "osaamisen-hankkimistapa-koodi-versio": 1}]}]})";
  auto n = ordered_json::parse(old_doc);
  auto& units = n["hankittavat-ammat-tutkinnon-osat"];
  units.erase(units.begin());                                   // the first unit removed
  units[0]["osaamisen-hankkimistavat"].erase(0);                // period "a" removed
  units[0]["osaamisen-hankkimistavat"][0]["loppu"] = "2024-05-01";  // period "b" changed
  const auto changes = compare_hoks(old_doc, dump(n));
  std::vector<std::string> seen;
  for (const auto& c : changes) seen.push_back(std::string(to_string(c.kind)) + " " + c.where);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "changed hankittavat-ammat-tutkinnon-osat[tutkinnon-osa-koodi-uri=tutkinnonosat_2]/"
                      "osaamisen-hankkimistavat[yksiloiva-tunniste=b]/loppu",
                      "removed hankittavat-ammat-tutkinnon-osat[tutkinnon-osa-koodi-uri=tutkinnonosat_2]/"
                      "osaamisen-hankkimistavat[yksiloiva-tunniste=a]",
                      "removed hankittavat-ammat-tutkinnon-osat[tutkinnon-osa-koodi-uri=tutkinnonosat_1]"}));
  EXPECT_EQ(changes[0].path, "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0/loppu");
  EXPECT_EQ(changes[2].path, "/hankittavat-ammat-tutkinnon-osat/0");  // in the old snapshot
}

// The command line over the demo corpus: every plan validates, and applying it reproduces NEW.
TEST(DiffApplyCli, DemoCorpusRoundTrips) {
  const fs::path dir = temp_dir();
  const std::string hoks = test::hoks_binary();
  int plans = 0, puts = 0, patches = 0;
  for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / "ehoks-demo")) {
    if (e.path().extension() != ".json" || e.path().filename() == "oppijat.json" ||
        e.path().filename().string().find("schema") != std::string::npos)
      continue;
    const auto original = ordered_json::parse(test::read(e.path()));
    if (!original.contains("ensikertainen-hyvaksyminen")) continue;
    std::vector<std::pair<std::string, ordered_json>> variants;
    {
      auto v = original;
      v["sahkoposti"] = "uusi.osoite@example.com";
      v["versio"] = 7;
      variants.emplace_back("update", v);
    }
    {
      // Give every period a tunniste (the demo files lack them), drop one part, add a supporting study.
      auto v = original;
      int k = 0;
      for (auto& [key, list] : v.items()) {
        if (!list.is_array()) continue;
        for (auto& unit : list) {
          if (!unit.is_object()) continue;
          std::vector<ordered_json*> holders{&unit};
          if (unit.contains("osa-alueet"))
            for (auto& area : unit["osa-alueet"]) holders.push_back(&area);
          for (auto* h : holders)
            if (h->contains("osaamisen-hankkimistavat"))
              for (auto& oht : (*h)["osaamisen-hankkimistavat"])
                if (!oht.contains("yksiloiva-tunniste")) oht["yksiloiva-tunniste"] = "jakso-" + std::to_string(++k);
        }
      }
      for (auto& [key, list] : v.items())
        if (list.is_array() && list.size() > 1) {
          list.erase(list.begin());
          break;
        }
      v.erase("osaamisen-saavuttamisen-pvm");
      variants.emplace_back("replace", v);
    }
    for (const auto& [expected, variant] : variants) {
      const std::string stem = e.path().stem().string() + "-" + expected;
      const fs::path new_path = dir / (stem + ".json"), body_path = dir / (stem + "-body.json"),
                     stored_path = dir / (stem + "-stored.json");
      write(new_path, variant.dump(2));
      const auto r = test::run(hoks + " diff --format json --id 4242 --today 2026-11-28 --manual-entry '" +
                               e.path().string() + "' '" + new_path.string() + "'");
      ASSERT_EQ(r.status, 0) << stem << "\n" << r.out;
      const auto plan = nlohmann::json::parse(r.out);
      ASSERT_FALSE(plan["plan"].is_null()) << stem;
      EXPECT_EQ(plan["plan"]["operation"], expected) << stem;
      EXPECT_TRUE(plan["plan"]["valid"].get<bool>()) << stem;
      EXPECT_TRUE(plan["reproduces"].get<bool>()) << stem;
      EXPECT_EQ(plan["plan"]["body"]["id"], 4242);
      write(body_path, plan["plan"]["body"].dump(2));
      // The body validates for its operation on its own ...
      EXPECT_EQ(test::run(hoks + " validate --today 2026-11-28 --manual-entry --operation " + expected + " '" +
                          body_path.string() + "' > /dev/null")
                    .status,
                0)
          << stem;
      // ... and eHOKS's stored state after it is the new document.
      const auto applied = test::run(hoks + " apply --operation " + expected + " --today 2026-11-28 --manual-entry '" +
                                     e.path().string() + "' '" + body_path.string() + "' -o '" + stored_path.string() + "'");
      ASSERT_EQ(applied.status, 0) << stem;
      const auto again = test::run(hoks + " diff --format json --id 4242 '" + stored_path.string() + "' '" +
                                   new_path.string() + "'");
      ASSERT_EQ(again.status, 0) << stem;
      const auto none = nlohmann::json::parse(again.out);
      EXPECT_TRUE(none["changes"].empty()) << stem << "\n" << again.out;
      EXPECT_TRUE(none["plan"].is_null()) << stem;
      ++plans;
      (expected == "update" ? patches : puts)++;
    }
  }
  EXPECT_GE(plans, 14);
  EXPECT_GE(patches, 7);
  EXPECT_GE(puts, 7);
  fs::remove_all(dir);
}

TEST(DiffApplyCli, BadInputIsAToolErrorWithPosition) {
  const fs::path dir = temp_dir();
  write(dir / "bad.json", "{\"id\": 1,\n  \"versio\": }");
  write(dir / "ok.json", base_hoks);
  const auto r = test::run(test::hoks_binary() + " diff '" + (dir / "ok.json").string() + "' '" +
                           (dir / "bad.json").string() + "' 2>&1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("bad.json:2:"), std::string::npos) << r.out;
  const auto rejected = test::run(test::hoks_binary() + " apply --operation update '" + (dir / "ok.json").string() +
                                  "' '" + (dir / "ok.json").string() + "' 2>&1");
  EXPECT_EQ(rejected.status, 1);  // a PATCH body with sub-entity arrays: eHOKS rejects it
  EXPECT_NE(rejected.out.find("excluded-key"), std::string::npos) << rejected.out;
  fs::remove_all(dir);
}

// ehoks-model.md §0.2: eHOKS stores a null array as an empty one, so null, [] and (for the nine
// sub-collections on PUT) an omitted array are the same stored state.
TEST(DiffApply, NullArraysAreStoredAsEmptyArrays) {
  auto with_null = ordered_json::parse(base_hoks);
  with_null["oppimisen-tuki"] = nullptr;
  with_null["opiskeluvalmiuksia-tukevat-opinnot"][0]["id"] = 3;
  auto body = with_null;
  body["hankittavat-paikalliset-tutkinnon-osat"] = {{{"nimi", "x"}, {"osaamisen-hankkimistavat", nullptr}}};
  const auto stored = ordered_json::parse(apply_update(base_hoks, dump(body), Operation::replace));
  EXPECT_EQ(stored["oppimisen-tuki"], ordered_json::array());
  EXPECT_EQ(stored["hankittavat-paikalliset-tutkinnon-osat"][0]["osaamisen-hankkimistavat"], ordered_json::array());
  // Null against [] is no change, at the top level and inside a part.
  auto empty = with_null;
  empty["oppimisen-tuki"] = ordered_json::array();
  EXPECT_TRUE(compare_hoks(dump(with_null), dump(empty)).empty());
  EXPECT_TRUE(compare_hoks(dump(body), stored.dump()).empty());
  // A real change next to a null array: the PUT body carries [] (what eHOKS stores) and reproduces.
  auto changed = body;
  changed["hankittavat-paikalliset-tutkinnon-osat"][0]["tavoitteet-ja-sisallot"] = "t";
  const UpdatePlan plan = plan_update(dump(body), dump(changed), options());
  ASSERT_TRUE(plan.request);
  EXPECT_EQ(plan.request->operation, Operation::replace);
  EXPECT_TRUE(plan.request->valid());
  EXPECT_TRUE(plan.reproduces);
  ASSERT_EQ(plan.changes.size(), 1u);
  const auto sent = ordered_json::parse(plan.request->body);
  EXPECT_EQ(sent["oppimisen-tuki"], ordered_json::array());
  EXPECT_EQ(sent["hankittavat-paikalliset-tutkinnon-osat"][0]["osaamisen-hankkimistavat"], ordered_json::array());
}
