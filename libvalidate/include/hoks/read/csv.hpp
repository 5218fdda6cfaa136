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

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
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

// A parsed file in compact form, for readers that need only the values and record numbers: a
// cell views the parsed text (which must outlive the Grid) or, for a quoted field with doubled
// quotes, the Grid's own unescaped copy. Row r of the data is record r + 1, or r + 2 after a
// header, as in Table.
namespace detail {
// Memory for a Grid's cells: 2 MiB or more is aligned to 2 MiB pages and asks for them (a large
// input's cells are then faulted in a few huge pages), less comes from operator new.
void* allocate_cells(std::size_t bytes);
void free_cells(void* p, std::size_t bytes) noexcept;
template <typename T>
struct CellAllocator {
    using value_type = T;
    CellAllocator() = default;
    template <typename U>
    CellAllocator(const CellAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(allocate_cells(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { free_cells(p, n * sizeof(T)); }
    template <typename U>
    bool operator==(const CellAllocator<U>&) const noexcept { return true; }
};
}  // namespace detail

class Grid {
public:
    // Number of header cells (0 without a header).
    std::size_t header_size() const noexcept { return has_header_ && records() > 0 ? record_size(0) : 0; }
    // Header cell c (c < header_size()).
    std::string_view header(std::size_t c) const noexcept { return value(starts_[0] + c); }
    // Number of data rows.
    std::size_t rows() const noexcept { return records() - (has_header_ && records() > 0); }
    // Number of cells of data row r.
    std::size_t row_size(std::size_t r) const noexcept { return record_size(r + has_header_); }
    // Cell c of data row r (c < row_size(r)).
    std::string_view cell(std::size_t r, std::size_t c) const noexcept {
        return value(starts_[r + has_header_] + c);
    }
    // The 1-based record number of data row r.
    std::uint32_t record(std::size_t r) const noexcept {
        return static_cast<std::uint32_t>(r + 1 + has_header_);
    }

private:
    friend class GridBuilder;
    static constexpr std::uint32_t in_arena = 0x80000000u;  // offset bit: the value is in arena_
    struct Span {
        std::uint32_t offset;  // in text_, or in arena_ with in_arena set
        std::uint32_t size;
    };
    std::size_t records() const noexcept { return starts_.empty() ? 0 : starts_.size() - 1; }
    std::size_t record_size(std::size_t k) const noexcept { return starts_[k + 1] - starts_[k]; }
    std::string_view value(std::size_t k) const noexcept {
        const Span s = cells_[k];
        const char* base = s.offset & in_arena ? arena_.data() : text_.data();
        return {base + (s.offset & ~in_arena), s.size};
    }

    std::string_view text_;
    std::string arena_;                  // unescaped values of quoted fields with doubled quotes
    std::vector<Span, detail::CellAllocator<Span>> cells_;  // every cell, record by record
    std::vector<std::uint32_t> starts_;  // index in cells_ of each record's first cell, then cells_.size()
    bool has_header_ = false;
};

// The outcome of parse_grid(): the grid, or the first syntax error (then grid holds the records
// completed before the error).
struct GridResult {
    Grid grid;
    std::optional<ParseError> error;

    // True when the input parsed without a syntax error.
    explicit operator bool() const noexcept { return !error.has_value(); }
};

// True when the dialect is usable: delimiter and quote differ and neither is CR or LF.
bool valid(const Dialect& dialect) noexcept;

// Parses UTF-8 CSV text; stops at the first syntax error and reports it with its position.
ParseResult parse(std::string_view utf8_text, const Dialect& dialect = {});

// Parses like parse() (same values, records and errors) into a compact Grid that views
// utf8_text; texts of 2 GiB or more are refused with an error without a position.
GridResult parse_grid(std::string_view utf8_text, const Dialect& dialect = {});

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

// Writes records one at a time, laid out exactly as write() lays out its records.
class RecordWriter {
public:
    explicit RecordWriter(const Dialect& dialect = {}, const WriteOptions& options = {});

    // Appends one record and its line ending to out; first: it is the first record of its file
    // (see the byte order mark rule above).
    void record(std::string& out, std::span<const std::string_view> cells, bool first) const;
    // The same, the record being the first of its file when out is empty.
    void record(std::string& out, std::span<const std::string_view> cells) const {
        record(out, cells, out.empty());
    }

private:
    Dialect dialect_;
    WriteOptions options_;
    std::array<std::uint8_t, 256> classes_;
};

// Appends one field to out, quoted only when needed and neutralised when options ask for it.
void write_field(std::string& out, std::string_view value, const Dialect& dialect = {},
                 const WriteOptions& options = {});

}  // namespace hoks::csv
