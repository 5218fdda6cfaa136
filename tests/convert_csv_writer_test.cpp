// The canonical CSV writer writes its rows as it makes them: the layout must stay what
// csv::write gives for the whole table (header only with a header dialect, rows in _id order).
#include <gtest/gtest.h>

#include "convert_support.hpp"

using namespace hoks;

TEST(CanonicalCsvWriter, WithoutHeaderTheFilesLackOnlyTheirFirstLine) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    test::RandomDocuments gen(seed);
    const Json doc = gen.document();
    CanonicalCsvOptions with;
    CanonicalCsvOptions without;
    without.dialect.has_header = false;
    const Output a = write_canonical_csv(doc, with);
    const Output b = write_canonical_csv(doc, without);
    ASSERT_EQ(a.files.size(), b.files.size()) << "seed " << seed;
    for (std::size_t k = 0; k < a.files.size(); ++k) {
      ASSERT_EQ(a.files[k].name, b.files[k].name);
      const std::string& full = a.files[k].bytes;
      const std::size_t eol = full.find("\r\n");
      ASSERT_NE(eol, std::string::npos);
      EXPECT_EQ(full.substr(eol + 2), b.files[k].bytes) << "seed " << seed << " " << a.files[k].name;
    }
  }
}

TEST(CanonicalCsvWriter, RowsOfEachTableAreNumberedInOrder) {
  test::RandomDocuments gen(7);
  const Output out = write_canonical_csv(gen.document());
  for (const NamedFile& f : out.files) {
    const csv::ParseResult r = csv::parse(f.bytes);
    ASSERT_TRUE(r) << f.name;
    if (r.table.header.empty() || r.table.header[0] != "_id") continue;  // list tables
    for (std::size_t k = 0; k < r.table.rows.size(); ++k)
      EXPECT_EQ(r.table.rows[k][0].value, std::to_string(k + 1)) << f.name;
  }
}
