// The 400 body's maps of more than 8 keys in Clojure's hash order (ehoks-model.md §0.3).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hoks/check/validate.hpp"
#include "hoks/serve/ehoks_errors.hpp"
#include "read/json_tree.hpp"

namespace {

using hoks::detail::Tree;

std::vector<std::string> keys(const Tree& t) {
  std::vector<std::string> out;
  for (const auto& [k, v] : t.items()) out.push_back(k);
  return out;
}

Tree body_of(const std::string& text) {
  hoks::JsonDocument doc;
  EXPECT_TRUE(doc.parse(text));
  hoks::ValidationOptions vo;
  vo.operation = hoks::Operation::create;
  vo.today = hoks::Date{2024, 1, 15};
  std::vector<hoks::Finding> findings;
  hoks::Validator().validate(doc.root(), vo, findings);
  return Tree::parse(hoks::serve::ehoks_validation_body(doc, findings));
}

const std::string head =
    R"({"oppija-oid":"1.2.246.562.24.44651722625","opiskeluoikeus-oid":"1.2.246.562.15.20000000008",)"
    R"("ensikertainen-hyvaksyminen":"2024-01-02","osaamisen-hankkimisen-tarve":true)";

TEST(ServeErrors, KeywordHashIsClojures) {
  EXPECT_EQ(hoks::serve::clojure_keyword_hash("a"), -2123407586);  // (hash :a) in Clojure 1.6 and later
}

TEST(ServeErrors, MapsOfMoreThanEightKeysInClojuresHashOrder) {
  // Nine keys: `value` is a PersistentHashMap, its keys in the order of their hashes' 5-bit pieces.
  const Tree nine = body_of(head + R"(,"sahkoposti":"a@b.fi","puhelinnumero":"040","versio":1,)"
                                   R"("urasuunnitelma-koodi-versio":1,"x":1})");
  EXPECT_EQ(nine["errors"], Tree::parse(R"({"x":"disallowed-key"})"));
  EXPECT_EQ(keys(nine["value"]),
            (std::vector<std::string>{"urasuunnitelma-koodi-versio", "ensikertainen-hyvaksyminen", "sahkoposti",
                                      "osaamisen-hankkimisen-tarve", "opiskeluoikeus-oid", "versio", "x",
                                      "oppija-oid", "puhelinnumero"}));
  // Nine disallowed keys: the errors map is one too.
  std::string extra;
  for (int i = 1; i <= 9; ++i) extra += ",\"k" + std::to_string(i) + "\":" + std::to_string(i);
  const Tree many = body_of(head + extra + "}");
  EXPECT_EQ(keys(many["errors"]), (std::vector<std::string>{"k8", "k5", "k7", "k9", "k6", "k3", "k4", "k1", "k2"}));
  EXPECT_EQ(keys(many["value"]),
            (std::vector<std::string>{"k8", "k5", "ensikertainen-hyvaksyminen", "k7", "osaamisen-hankkimisen-tarve",
                                      "k9", "k6", "opiskeluoikeus-oid", "k3", "k4", "oppija-oid", "k1", "k2"}));
  // Eight keys or fewer: a PersistentArrayMap, in the order they came.
  const Tree eight = body_of(head + R"(,"versio":1,"x":1})");
  EXPECT_EQ(keys(eight["value"]), (std::vector<std::string>{"oppija-oid", "opiskeluoikeus-oid", "ensikertainen-hyvaksyminen",
                                                           "osaamisen-hankkimisen-tarve", "versio", "x"}));
}

}  // namespace
