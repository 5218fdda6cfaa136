// hoks/csv.hpp: an RFC 4180 CSV reader and writer with exact source positions.
//
// The reader takes UTF-8 text (see hoks/encoding.hpp to get there from other encodings) and
// returns every cell with its value and where it starts in the file. The library never prints
// and never exits: a syntax error is a value (ParseError) that carries its position.
//
// Reading rules (RFC 4180, with the usual tolerances):
//   - Records end with CRLF, LF or a lone CR. A line break that ends the file does not start
//     another record; an empty input has no records at all. A line with no characters is a
//     record with one empty cell (RFC 4180's grammar).
//   - A field that starts with the quote character is quoted: it may contain delimiters,
//     line breaks (kept byte for byte, CRLF stays CRLF) and doubled quotes (read as one quote).
//     After the closing quote only a delimiter, a line break or the end of the input may follow.
//   - A quote character in the middle of an unquoted field is an ordinary character.
//   - Rows may have different numbers of cells ("ragged" rows); that is not a syntax error here,
//     every row keeps its own cell count and validators decide what it means.
//   - A UTF-8 byte order mark at the very start is skipped (it never becomes part of a header).
//   - Positions: line is the 1-based physical line; column is the 1-based position on that line
//     counted in Unicode code points (UTF-8 lead bytes), not bytes; record is the 1-based record
//     number in the file, counting the header record as record 1 when there is one.
//
// Round trip: parse(write(t)) gives back the same values, except for these documented
// normalisations:
//   1. Formula neutralisation (WriteOptions::neutralise_formulas, on by default): a cell that
//      starts with = + - @ TAB or CR is written with a leading apostrophe ('), following the
//      OWASP advice against CSV injection, so "=SUM(A1)" reads back as "'=SUM(A1)" and "-5"
//      reads back as "'-5". Header cells are neutralised too. Turn it off for data that no
//      spreadsheet will open.
//   2. A row with zero cells is written as an empty line, which reads back as one empty cell.
//   3. The header is written only when Dialect::has_header is true.
// Everything else is preserved: leading and trailing spaces, embedded line breaks (CRLF, LF
// and CR inside quoted fields), quotes, delimiters and the row lengths of ragged rows.
//
// Writing quotes a field only when it holds the delimiter, the quote character, CR or LF, when
// it starts or ends with a space or tab, when it is the only (empty) field of its record, or
// when it is the first field of the file and starts with a UTF-8 byte order mark. write()
// expects a valid() dialect; with an invalid one its output is unspecified (but well defined).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoks::csv {

// How a CSV file is laid out.
struct Dialect {
    char delimiter = ',';       // field separator: ',' ';' '\t' '|' ...
    char quote = '"';           // quote character; a quote inside a quoted field is doubled
    bool has_header = true;     // the first record holds the column names
    bool trim = false;          // strip spaces and tabs around fields (outside the quotes)
    bool decimal_comma = false; // numbers use ',' as the decimal mark (for number transforms)

    friend bool operator==(const Dialect&, const Dialect&) = default;
};

// One field of a record, with the position where it starts in the source text.
struct Cell {
    std::string value;       // unquoted, unescaped value
    std::uint32_t line = 0;    // 1-based physical line of the cell start
    std::uint32_t column = 0;  // 1-based column (code points) of the cell start
    std::uint32_t record = 0;  // 1-based record number (the header, when present, is record 1)

    friend bool operator==(const Cell&, const Cell&) = default;
};

using Row = std::vector<Cell>;

// A parsed file: the header names (empty without a header) and the data rows. Equality
// compares positions too.
struct Table {
    std::vector<std::string> header;
    std::vector<Row> rows;

    friend bool operator==(const Table&, const Table&) = default;
};

// A syntax error: bilingual message and its position (line 0, column 0 when it has no position,
// as for an invalid dialect). offset is the byte offset of the position in the input.
struct ParseError {
    std::string message_fi;
    std::string message_en;
    std::size_t line = 0;
    std::size_t column = 0;
    std::size_t offset = 0;
};

// The outcome of parse(): the table, or the first syntax error (then table holds the records
// completed before the error).
struct ParseResult {
    Table table;
    std::optional<ParseError> error;

    // True when the input parsed without a syntax error.
    explicit operator bool() const noexcept { return !error.has_value(); }
};

// True when the dialect is usable: delimiter and quote differ and neither is CR or LF.
bool valid(const Dialect& dialect) noexcept;

// Parses UTF-8 CSV text; stops at the first syntax error and reports it with its position.
ParseResult parse(std::string_view utf8_text, const Dialect& dialect = {});

// One record as (column name, value) pairs in column order; cells past the header get the key "".
using Object = std::vector<std::pair<std::string, std::string>>;

// Returns the data rows as records keyed by the header names, in column order.
std::vector<Object> to_objects(const Table& table);

// Line ending written after every record.
enum class LineEnding { crlf, lf };

// How write() lays out its output.
struct WriteOptions {
    LineEnding line_ending = LineEnding::crlf; // RFC 4180 uses CRLF
    bool neutralise_formulas = true;           // prefix ' to cells starting with = + - @ TAB CR
};

// Writes a table (header when dialect.has_header, then rows) as CSV text.
std::string write(const Table& table, const Dialect& dialect = {}, const WriteOptions& options = {});

// Writes a header (when dialect.has_header) and rows of plain strings as CSV text.
std::string write(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows,
                  const Dialect& dialect = {}, const WriteOptions& options = {});

// The same for rows of views (of strings that outlive the call).
std::string write_views(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string_view>>& rows,
                        const Dialect& dialect = {}, const WriteOptions& options = {});

// Appends one field to out, quoted only when needed and neutralised when options ask for it.
void write_field(std::string& out, std::string_view value, const Dialect& dialect = {},
                 const WriteOptions& options = {});

}  // namespace hoks::csv
