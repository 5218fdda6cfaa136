// The YAML trees of the loaders: the files built into the library load from their build-time JSON
// form, which must equal what yaml-cpp reads from the YAML itself; other text still goes to yaml-cpp.
#include "read/yaml_tree.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "hoks/model/model.hpp"

using namespace hoks;
using detail::YamlNode;

TEST(YamlTree, EmbeddedFilesArePrecompiledAndEqualToYamlCpp) {
  for (const char* name : {"model.yaml", "rules.yaml", "codes.yaml"}) {
    const std::string_view text = embedded_file(name);
    ASSERT_FALSE(text.empty()) << name;
    EXPECT_TRUE(detail::yaml_precompiled(text)) << name;
    bool found = false;
    for (std::size_t i = 0; i < detail::precompiled_yaml_count; ++i) {
      const auto& p = detail::precompiled_yaml_files[i];
      if (p.size == text.size() && p.hash == detail::yaml_text_hash(text)) {
        EXPECT_EQ(std::string(p.json, p.json_size), detail::yaml_to_json(text)) << name;
        found = true;
      }
    }
    EXPECT_TRUE(found) << name;
  }
  const std::string changed = std::string(embedded_file("codes.yaml")) + "\n# changed\n";
  EXPECT_FALSE(detail::yaml_precompiled(changed));
  EXPECT_TRUE(detail::load_yaml(changed)["koodistot"].IsMap());
}

TEST(YamlTree, BehavesLikeYamlCppNodes) {
  const char* text = R"(
name: hoks
empty:
tilde: ~
quoted: "null"
flags: [yes, No, TRUE, off, y]
minimum: 0
ratio: -2.5e1
inf: .inf
list:
  - a
  - {k: v}
order: {z: 1, a: 2, m: 3}
)";
  const YAML::Node y = YAML::Load(text);
  const YamlNode t = detail::load_yaml(text);
  EXPECT_EQ(t["name"].as<std::string>(), y["name"].as<std::string>());
  for (const char* key : {"empty", "tilde", "quoted", "name", "missing"}) {
    EXPECT_EQ(bool(t[key]), bool(y[key])) << key;
    if (!y[key]) continue;  // yaml-cpp throws on questions to an absent node
    EXPECT_EQ(t[key].IsNull(), y[key].IsNull()) << key;
    EXPECT_EQ(t[key].IsScalar(), y[key].IsScalar()) << key;
  }
  std::vector<bool> flags;
  for (const auto& f : t["flags"]) flags.push_back(f.as<bool>());
  EXPECT_EQ(flags, (std::vector<bool>{true, false, true, false, true}));
  EXPECT_EQ(t["minimum"].as<double>(), 0.0);
  EXPECT_EQ(t["ratio"].as<double>(), y["ratio"].as<double>());
  EXPECT_TRUE(std::isinf(t["inf"].as<double>()));
  EXPECT_THROW(t["name"].as<bool>(), std::runtime_error);
  EXPECT_THROW(t["list"].as<std::string>(), std::runtime_error);
  EXPECT_THROW(t["tilde"].as<std::string>(), std::runtime_error);
  EXPECT_EQ(t["list"].size(), 2u);
  EXPECT_TRUE(t["list"].IsSequence());
  std::string keys;
  for (const auto& e : t["order"]) keys += e.first.as<std::string>() + "=" + e.second.as<std::string>() + " ";
  EXPECT_EQ(keys, "z=1 a=2 m=3 ");
  int items = 0;
  for (const auto& e : t["missing"]) items += bool(e);
  EXPECT_EQ(items, 0);
  EXPECT_THROW(detail::load_yaml("a: [unclosed"), std::exception);
}
