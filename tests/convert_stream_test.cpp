// The conversions that build no tree (sinks, views, one document at a time) give exactly what the
// tree-based conversions give: same text, same findings, same positions.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "convert_support.hpp"
#include "hoks/convert/mapping.hpp"
#include "hoks/read/xml.hpp"

namespace hoks {
namespace {

using Items = std::vector<std::pair<std::size_t, std::size_t>>;

std::vector<std::string> item_texts(std::string_view text, const Items& items) {
  std::vector<std::string> out;
  for (auto [begin, end] : items) out.emplace_back(text.substr(begin, end - begin));
  return out;
}

TEST(SplitJsonArray, FindsTheItemsOfATopLevelArray) {
  const std::string text = "\xEF\xBB\xBF [ 1 ,{\"a\": [2, \"]\"]} , \"x\\\"]\", \"\\\\\" ,[] ]\n";
  Items items;
  ASSERT_TRUE(detail::split_json_array(text, items));
  EXPECT_EQ(item_texts(text, items),
            (std::vector<std::string>{"1", "{\"a\": [2, \"]\"]}", "\"x\\\"]\"", "\"\\\\\"", "[]"}));
  items.clear();
  ASSERT_TRUE(detail::split_json_array(" [ ] ", items));
  EXPECT_TRUE(items.empty());
}

TEST(SplitJsonArray, RefusesWhatIsNotAnArrayOrEndsBadly) {
  for (const char* text : {"{}", "1", "", "[1,]", "[,1]", "[1", "[1] x", "[\"a]", "[1}", "[[1]", "[1,,2]"}) {
    Items items;
    EXPECT_FALSE(detail::split_json_array(text, items)) << text;
  }
}

// Every document of the corpus and fixtures, one at a time and as one array, plus random ones.
std::vector<std::string> json_texts() {
  std::vector<std::string> texts;
  std::string all = "[";
  for (const auto& path : test::json_documents()) {
    std::string text = test::read(path);
    JsonDocument doc;
    if (!doc.parse(text)) continue;
    if (all.size() > 1) all += ",\n";
    all += text;
    texts.push_back(std::move(text));
  }
  texts.push_back(all + "]");
  test::RandomDocuments random(20261128);
  Json many = Json::array();
  for (int i = 0; i < 60; ++i) many.items.push_back(random.document());
  texts.push_back(write_json(many));
  return texts;
}

TEST(ConvertStream, JsonToXmlOneDocumentAtATimeIsTheTreeConversion) {
  for (const std::string& text : json_texts()) {
    Conversion tree;
    ASSERT_TRUE(parse_json_tree(text, "in.json", tree));
    std::ostringstream streamed;
    Conversion c;
    ASSERT_TRUE(convert_json_to_xml(text, "in.json", streamed, c));
    EXPECT_TRUE(c.findings.empty());
    ASSERT_EQ(streamed.str(), write_canonical_xml(tree.document)) << text.substr(0, 200);
  }
}

TEST(ConvertStream, JsonToXmlReportsASyntaxErrorAsParsingTheWholeDoes) {
  for (const std::string text : {"[{\"versio\": 1},\n {\"versio\": tru}]", "[{},\n {} {}]", "[{},\n {\"a\": [}]",
                                 "[{}, 1 2]", "{\"a\": }"}) {
    Conversion whole;
    ASSERT_FALSE(parse_json_tree(text, "in.json", whole)) << text;
    std::ostringstream streamed;
    Conversion c;
    EXPECT_FALSE(convert_json_to_xml(text, "in.json", streamed, c)) << text;
    ASSERT_EQ(c.findings.size(), 1u) << text;
    EXPECT_EQ(c.findings[0].location.line, whole.findings[0].location.line) << text;
    EXPECT_EQ(c.findings[0].location.column, whole.findings[0].location.column) << text;
    EXPECT_EQ(c.findings[0].args, whole.findings[0].args) << text;
  }
}

TEST(ConvertStream, ParsedDocumentsWriteTheSameCsvAsTrees) {
  for (const std::string& text : json_texts()) {
    JsonDocument doc;
    ASSERT_TRUE(doc.parse(text));
    const Output from_tree = write_canonical_csv(to_tree(doc.root()));
    const Output from_tape = write_canonical_csv(doc.root());
    ASSERT_EQ(from_tape.files.size(), from_tree.files.size());
    for (std::size_t i = 0; i < from_tree.files.size(); ++i) {
      EXPECT_EQ(from_tape.files[i].name, from_tree.files[i].name);
      EXPECT_EQ(from_tape.files[i].bytes, from_tree.files[i].bytes) << from_tree.files[i].name;
    }
  }
}

// Collects the pieces of the files of an output.
struct CollectedFiles : FileSink {
  std::map<std::string, std::string> files;
  std::size_t pieces = 0;
  void write(std::string_view name, std::string_view bytes) override {
    files[std::string(name)] += bytes;
    ++pieces;
  }
};

TEST(ConvertStream, JsonToCsvInPiecesIsTheTreeConversion) {
  std::vector<std::string> texts = json_texts();
  std::string big = "[";  // several megabytes: files are handed on in more than one piece
  for (int i = 0; i < 12; ++i) big += (i ? "," : "") + texts[texts.size() - 2].substr(1, texts[texts.size() - 2].size() - 2);
  texts.push_back(big + "]");
  CanonicalCsvOptions latin;
  latin.encoding = Encoding::windows1252;
  for (const CanonicalCsvOptions& options : {CanonicalCsvOptions{}, latin}) {
    for (const std::string& text : texts) {
      Conversion tree;
      ASSERT_TRUE(parse_json_tree(text, "in.json", tree));
      const Output expected = write_canonical_csv(tree.document, options);
      CollectedFiles streamed;
      Conversion c;
      const Output o = convert_json_to_csv(text, "in.json", c, streamed, options);
      ASSERT_FALSE(c.fatal);
      EXPECT_TRUE(o.files.empty());
      ASSERT_EQ(o.findings.size(), expected.findings.size());
      ASSERT_EQ(streamed.files.size(), expected.files.size());
      for (const NamedFile& f : expected.files) EXPECT_EQ(streamed.files[f.name], f.bytes) << f.name;
      if (text.size() > (std::size_t{4} << 20)) EXPECT_GT(streamed.pieces, streamed.files.size());
    }
  }
  CollectedFiles none;
  Conversion c;
  convert_json_to_csv("[{\"versio\": 1},\n {\"versio\": tru}]", "in.json", c, none);
  EXPECT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].location.line, 2u);
}

// Reads with a text sink and with a tree: same JSON, same findings.
void expect_same_reading(const Profile& profile, const std::vector<NamedFile>& input, const std::string& what) {
  const Conversion tree = profile.read(input);
  JsonTextWriter text;
  const Conversion streamed = profile.read(views(input), text);
  ASSERT_EQ(streamed.fatal, tree.fatal) << what;
  ASSERT_EQ(streamed.findings.size(), tree.findings.size()) << what;
  for (std::size_t i = 0; i < tree.findings.size(); ++i) {
    EXPECT_EQ(streamed.findings[i].rule, tree.findings[i].rule) << what;
    EXPECT_EQ(streamed.findings[i].location.line, tree.findings[i].location.line) << what;
    EXPECT_EQ(streamed.findings[i].location.column, tree.findings[i].location.column) << what;
    EXPECT_EQ(streamed.findings[i].path, tree.findings[i].path) << what;
  }
  if (!tree.fatal) EXPECT_EQ(text.text() + "\n", write_json(tree.document)) << what;
}

TEST(ConvertStream, CanonicalXmlAndCsvReadIntoTextAsIntoATree) {
  const Profile xml = Profile::canonical_xml(), csv = Profile::canonical_csv();
  for (const std::string& text : json_texts()) {
    Conversion tree;
    ASSERT_TRUE(parse_json_tree(text, "in.json", tree));
    expect_same_reading(xml, {{"in.xml", write_canonical_xml(tree.document)}}, text.substr(0, 100));
    expect_same_reading(csv, csv.write(tree.document).files, text.substr(0, 100));
  }
}

TEST(ConvertStream, ArraysOfXmlDocumentsAreReadOneAtATimeWithTheirPositions) {
  // Comments, a PI, CDATA with markup and a quoted '>' do not confuse the split.
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<!-- export & more -->\n<hoks type='array'>\n"
      "  <item><versio>1</versio><sahkoposti><![CDATA[a</item>&]]></sahkoposti></item>\n"
      "  <?vendor note?>\n"
      "  <item><_ key=\"a>b\">x</_><versio>kaksi</versio></item>\n"
      "  <item/>\n"
      "</hoks>\n<!-- end -->\n";
  const Conversion c = read_canonical_xml(xml, "in.xml");
  ASSERT_FALSE(c.fatal);
  ASSERT_EQ(c.document.items.size(), 3u);
  EXPECT_EQ(c.document.items[0].get("sahkoposti")->text, "a</item>&");
  EXPECT_EQ(c.document.items[1].get("a>b")->text, "x");
  EXPECT_EQ(c.document.items[2].type, JsonType::object);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "transform-failed");
  EXPECT_EQ(c.findings[0].path, "/1/versio");
  EXPECT_EQ(c.findings[0].location.line, 6u);
  EXPECT_EQ(c.findings[0].location.column, 27u);
  // The origins of values point into the whole text.
  SourceMap map;
  write_json(c.document, c.origins, map);
  ASSERT_NE(map.find("/1/a>b"), nullptr);
  EXPECT_EQ(map.find("/1/a>b")->line, 6u);
  EXPECT_EQ(map.find("/1/a>b")->column, 9u);
}

TEST(ConvertStream, AMalformedDocumentInAnXmlArrayIsReportedWhereItIs) {
  const std::string xml = "<hoks type=\"array\">\n<item><versio>1</versio></item>\n<item><versio>1</wrong></item>\n</hoks>\n";
  JsonTextWriter text;
  const Conversion c = read_canonical_xml(xml, "in.xml", text);
  ASSERT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].rule, "syntax");
  EXPECT_EQ(c.findings[0].location.line, 3u);
  const Conversion tree = read_canonical_xml(xml, "in.xml");
  EXPECT_TRUE(tree.fatal);
  EXPECT_EQ(tree.document.type, JsonType::null);
}

TEST(ConvertStream, EntityReferencesAreCheckedOutsideCommentsCdataAndPisOnly) {
  const std::string fine = "<hoks type=\"array\"><!-- &nbsp; --><item><sahkoposti><![CDATA[&x;]]>&amp;&#233;&#xE9;</sahkoposti>"
                           "<?pi &y;?></item></hoks>";
  const Conversion ok = read_canonical_xml(fine, "in.xml");
  ASSERT_FALSE(ok.fatal) << (ok.findings.empty() ? "" : ok.findings[0].rule);
  EXPECT_EQ(ok.document.items[0].get("sahkoposti")->text, "&x;&\xC3\xA9\xC3\xA9");
  const std::string bad = "<hoks type=\"array\"><!-- & -->\n<item><sahkoposti>a &nbsp;</sahkoposti></item></hoks>";
  const Conversion c = read_canonical_xml(bad, "in.xml");
  ASSERT_TRUE(c.fatal);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].location.line, 2u);
  EXPECT_EQ(c.findings[0].location.column, 21u);
}

// `hoks ARGS` with standard error joined to standard output.
test::CommandResult hoks_cli(const std::string& args) { return test::run(test::hoks_binary() + " " + args + " 2>&1"); }

struct ScratchDir {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("hoks-stream-" + std::to_string(::getpid()));
  ScratchDir() { std::filesystem::create_directories(dir); }
  ~ScratchDir() { std::filesystem::remove_all(dir); }
  std::string operator/(const std::string& name) const { return "'" + (dir / name).string() + "'"; }
};

TEST(ConvertCli, AnArrayOfDocumentsRoundTripsThroughXmlAndCsv) {
  ScratchDir s;
  ASSERT_EQ(hoks_cli("gen --seed 7 --count 150 --format array -o " + s / "a.json").status, 0);
  ASSERT_EQ(hoks_cli("convert --from json --to json " + s / "a.json" + " -o " + s / "pretty.json").status, 0);
  ASSERT_EQ(hoks_cli("convert --from json --to xml " + s / "a.json" + " -o " + s / "a.xml").status, 0);
  ASSERT_EQ(hoks_cli("convert --from xml --to json " + s / "a.xml" + " -o " + s / "from-xml.json").status, 0);
  EXPECT_EQ(test::read(s.dir / "from-xml.json"), test::read(s.dir / "pretty.json"));
  ASSERT_EQ(hoks_cli("convert --from json --to csv " + s / "a.json" + " -o " + s / "tables").status, 0);
  ASSERT_EQ(hoks_cli("convert --from csv --to json " + s / "tables" + " -o " + s / "from-csv.json").status, 0);
  const auto original = nlohmann::json::parse(test::read(s.dir / "a.json"));
  EXPECT_EQ(original.size(), 150u);
  EXPECT_EQ(nlohmann::json::parse(test::read(s.dir / "from-csv.json")), original);  // member order aside
  EXPECT_FALSE(std::filesystem::exists(s.dir / "a.xml.part"));
}

TEST(ConvertCli, AnOutputThatIsNoRegularFileIsWrittenNotReplaced) {
  // -o /dev/null once replaced the device by a file (renamed over it, as root); a pipe stands in here.
  ScratchDir s;
  ASSERT_EQ(hoks_cli("gen --seed 7 --count 3 --format array -o " + s / "a.json").status, 0);
  ASSERT_EQ(::mkfifo((s.dir / "pipe").c_str(), 0600), 0);
  const auto r = test::run("timeout 20 cat " + s / "pipe" + " > " + s / "received.xml" + " & " + test::hoks_binary() +
                           " convert --from json --to xml " + s / "a.json" + " -o " + s / "pipe" + "; wait");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(std::filesystem::status(s.dir / "pipe").type(), std::filesystem::file_type::fifo);
  EXPECT_NE(test::read(s.dir / "received.xml").find("<hoks"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(s.dir / "pipe.part"));
  // A symbolic link stays a link: the file it names gets the output.
  std::ofstream(s.dir / "named.xml") << "old";
  std::filesystem::create_symlink(s.dir / "named.xml", s.dir / "link.xml");
  ASSERT_EQ(hoks_cli("convert --from json --to xml " + s / "a.json" + " -o " + s / "link.xml").status, 0);
  EXPECT_TRUE(std::filesystem::is_symlink(s.dir / "link.xml"));
  EXPECT_EQ(test::read(s.dir / "named.xml"), test::read(s.dir / "received.xml"));
}

TEST(ConvertCli, AFatalErrorInTheMiddleLeavesNoOutputFile) {
  ScratchDir s;
  {
    std::ofstream(s.dir / "bad.xml") << "<hoks type=\"array\">\n<item><versio>1</versio></item>\n<item><versio>1</x></item>\n</hoks>\n";
    std::ofstream(s.dir / "bad.json") << "[{\"versio\": 1},\n {\"versio\": tru}]\n";
  }
  const auto xml = hoks_cli("convert --lang en --from xml --to json " + s / "bad.xml" + " -o " + s / "out.json");
  EXPECT_EQ(xml.status, 1) << xml.out;
  EXPECT_NE(xml.out.find("bad.xml:3:"), std::string::npos) << xml.out;
  EXPECT_NE(xml.out.find("error[syntax]"), std::string::npos) << xml.out;
  EXPECT_FALSE(std::filesystem::exists(s.dir / "out.json"));
  EXPECT_FALSE(std::filesystem::exists(s.dir / "out.json.part"));
  const auto json = hoks_cli("convert --lang en --from json --to xml " + s / "bad.json" + " -o " + s / "out.xml");
  EXPECT_EQ(json.status, 1) << json.out;
  EXPECT_NE(json.out.find("bad.json:2:16: error[syntax]"), std::string::npos) << json.out;
  EXPECT_FALSE(std::filesystem::exists(s.dir / "out.xml"));
  EXPECT_FALSE(std::filesystem::exists(s.dir / "out.xml.part"));
  const auto csv = hoks_cli("convert --lang en --from json --to csv " + s / "bad.json" + " -o " + s / "tables");
  EXPECT_EQ(csv.status, 1) << csv.out;
  EXPECT_NE(csv.out.find("bad.json:2:16: error[syntax]"), std::string::npos) << csv.out;
  EXPECT_TRUE(std::filesystem::is_empty(s.dir / "tables")) << "no table, whole or part, is left behind";
}

}  // namespace
}  // namespace hoks
