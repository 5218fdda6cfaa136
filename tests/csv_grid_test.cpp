// csv::parse_grid must read exactly what csv::parse reads (values, record numbers, errors and
// their positions), and csv::RecordWriter must write exactly what csv::write writes.
#include "hoks/read/csv.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#ifndef HOKS_SHARED_DIR
#define HOKS_SHARED_DIR "/work/shared"
#endif

namespace csv = hoks::csv;

namespace {

// Compares parse_grid with parse on one text and dialect.
void expect_same(const std::string& text, const csv::Dialect& d) {
    SCOPED_TRACE(testing::Message() << "text: " << testing::PrintToString(text)
                                    << " header " << d.has_header << " trim " << d.trim
                                    << " delimiter " << int(d.delimiter) << " quote " << int(d.quote));
    const csv::ParseResult want = csv::parse(text, d);
    const csv::GridResult got = csv::parse_grid(text, d);
    ASSERT_EQ(static_cast<bool>(got), static_cast<bool>(want));
    if (!want) {
        EXPECT_EQ(got.error->message_fi, want.error->message_fi);
        EXPECT_EQ(got.error->message_en, want.error->message_en);
        EXPECT_EQ(got.error->line, want.error->line);
        EXPECT_EQ(got.error->column, want.error->column);
        EXPECT_EQ(got.error->offset, want.error->offset);
    }
    const csv::Grid& g = got.grid;
    ASSERT_EQ(g.header_size(), want.table.header.size());
    for (std::size_t c = 0; c < g.header_size(); ++c) EXPECT_EQ(g.header(c), want.table.header[c]);
    ASSERT_EQ(g.rows(), want.table.rows.size());
    for (std::size_t r = 0; r < g.rows(); ++r) {
        const csv::Row& row = want.table.rows[r];
        ASSERT_EQ(g.row_size(r), row.size()) << "row " << r;
        EXPECT_EQ(g.record(r), row.front().record) << "row " << r;
        for (std::size_t c = 0; c < row.size(); ++c) EXPECT_EQ(g.cell(r, c), row[c].value) << r << ":" << c;
    }
}

// The dialects every text is read with.
std::vector<csv::Dialect> dialects() {
    std::vector<csv::Dialect> out;
    for (const bool header : {true, false})
        for (const bool trim : {false, true}) {
            csv::Dialect d;
            d.has_header = header;
            d.trim = trim;
            out.push_back(d);
        }
    csv::Dialect semicolon;
    semicolon.delimiter = ';';
    semicolon.quote = '\'';
    out.push_back(semicolon);
    return out;
}

std::filesystem::path spectrum_dir() { return hoks::test::shared_dir() / "conformance" / "csv-spectrum"; }

}  // namespace

TEST(CsvGrid, SameAsParseOnCsvSpectrum) {
    std::error_code ec;
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(spectrum_dir() / "csvs", ec)) {
        if (e.path().extension() != ".csv") continue;
        ++files;
        const std::string text = hoks::test::read(e.path());
        for (const csv::Dialect& d : dialects()) expect_same(text, d);
    }
    EXPECT_GE(files, 12u) << "no csv-spectrum cases under " << spectrum_dir();
}

TEST(CsvGrid, SameAsParseOnHostileInput) {
    const std::vector<std::string> texts = {
        "",
        "\n",
        "\r\n\r\n",
        "\xEF\xBB\xBF",
        "\xEF\xBB\xBF\xEF\xBB\xBFa,b\n1,2",
        "a,b\n1,2\nx,\"never\nclosed\n\n",
        "h1,h2\n\xC3\xA4\xC3\xA4,\"x\ny\" z\n",
        "\"a\"b\n",
        "\"a\" ,b",
        "\"",
        "a,\"",
        "a,\"\"\"",
        "a,\"\"\"\"\n\"x\"\"y\",\"\"\r\n",
        "a,\"b\"\"c\"\"\",d\n\"\"\"\",\"\"\n",
        "  \"q\"  ,  x  ,\t\n",
        "a;b\n'x''y';\"z\"\n",
        "\xC3\xA4\xC3\xA4\xC3\xA4,\"\xC3\xA4\r\n\xC3\xA4\" \xC3\xA4",
        "a,b,\n,,\n,\n\n",
        "x\ry\r\nz\n\"a\rb\"",
    };
    for (const std::string& text : texts)
        for (const csv::Dialect& d : dialects()) expect_same(text, d);
    csv::Dialect bad;
    bad.quote = ',';
    expect_same("a,b", bad);
}

TEST(CsvGrid, SameAsParseOnRandomBytes) {
    std::mt19937_64 rng(20261128);
    const std::string specials = ",\"\r\n ;\t'\xEF\xBB\xBF\xC3\xA4";
    for (int iter = 0; iter < 5000; ++iter) {
        const std::size_t len = rng() % 120;
        std::string s;
        for (std::size_t k = 0; k < len; ++k) {
            s.push_back(rng() % 2 ? specials[rng() % specials.size()] : static_cast<char>(rng() & 0xFF));
        }
        csv::Dialect d;
        d.has_header = rng() % 2;
        d.trim = rng() % 2;
        d.delimiter = ",;\t"[rng() % 3];
        d.quote = rng() % 4 ? '"' : '\'';
        expect_same(s, d);
        if (HasFatalFailure()) return;
    }
}

TEST(CsvRecordWriter, SameAsWrite) {
    std::mt19937_64 rng(7);
    const std::vector<std::string> pieces = {"a", "", " ", ",", "\"", "\r\n", "\n", "=1", "-", "'",
                                             "\xEF\xBB\xBF", "\xC3\xA4", ";", "\t", "@x"};
    for (int iter = 0; iter < 2000; ++iter) {
        csv::Dialect d;
        d.has_header = rng() % 2;
        d.delimiter = ",;\t"[rng() % 3];
        csv::WriteOptions o;
        o.line_ending = rng() % 2 ? csv::LineEnding::crlf : csv::LineEnding::lf;
        o.neutralise_formulas = rng() % 2;
        const auto cell = [&] {
            std::string s;
            for (std::size_t k = rng() % 4; k > 0; --k) s += pieces[rng() % pieces.size()];
            return s;
        };
        std::vector<std::string> header;
        for (std::size_t k = 1 + rng() % 3; k > 0; --k) header.push_back(cell());
        std::vector<std::vector<std::string>> rows(rng() % 4);
        for (auto& row : rows)
            for (std::size_t k = rng() % 4; k > 0; --k) row.push_back(cell());
        const std::string want = csv::write(header, rows, d, o);
        const csv::RecordWriter w(d, o);
        std::string got;
        const auto put = [&](const std::vector<std::string>& cells) {
            const std::vector<std::string_view> views(cells.begin(), cells.end());
            w.record(got, views);
        };
        if (d.has_header) put(header);
        for (const auto& row : rows) put(row);
        ASSERT_EQ(got, want);
    }
}
