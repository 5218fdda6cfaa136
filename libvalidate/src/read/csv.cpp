#include "hoks/read/csv.hpp"

#include <array>
#include <cstdlib>
#include <new>
#include <cstdint>
#include <cstring>
#include <optional>

#include "hoks/read/json.hpp"
#include "read/byte_scan.hpp"

namespace hoks::csv {

namespace {

// Character classes for the scanning loops, built once per parse/write from the dialect.
enum : std::uint8_t {
    k_delim = 1,     // the delimiter
    k_newline = 2,   // CR or LF
    k_quote = 4,     // the quote character
    k_blank = 8,     // space or tab that is neither delimiter nor quote (trimmed when trim)
    k_formula = 16,  // starts a formula in a spreadsheet: = + - @ TAB CR
};

using Classes = std::array<std::uint8_t, 256>;

Classes make_classes(const Dialect& d) {
    Classes c{};
    c[static_cast<unsigned char>('\r')] |= k_newline;
    c[static_cast<unsigned char>('\n')] |= k_newline;
    c[static_cast<unsigned char>(d.delimiter)] |= k_delim;
    c[static_cast<unsigned char>(d.quote)] |= k_quote;
    for (char b : {' ', '\t'}) {
        if (b != d.delimiter && b != d.quote) c[static_cast<unsigned char>(b)] |= k_blank;
    }
    for (char f : {'=', '+', '-', '@', '\t', '\r'}) c[static_cast<unsigned char>(f)] |= k_formula;
    return c;
}

std::string describe_char(char c, bool finnish) {
    switch (c) {
        case '\t': return finnish ? "sarkain" : "tab";
        case ' ': return finnish ? "välilyönti" : "space";
        default: break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
        static constexpr char hex[] = "0123456789ABCDEF";
        return std::string{"0x"} + hex[u >> 4] + hex[u & 15];
    }
    return std::string{"'"} + c + "'";
}

// The parsing core shared by parse() and parse_grid(). Out receives the records:
//   Out::positions                      true when fields need their line and column
//   out.begin_record(record)            a record starts (1-based record number)
//   out.field(value, line, column)      one field; value views the text or the parser's scratch
//   out.end_record()                    the record is complete
// After an error the record in progress is left unfinished (no end_record).
template <typename Out>
class Parser {
public:
    Parser(std::string_view text, const Dialect& d, Out& out)
        : p_(text.data()), n_(text.size()), d_(d), cls_(make_classes(d)), field_end_(d.delimiter, '\n', '\r'),
          quoted_end_(d.quote, '\n', '\r'), out_(out) {}

    // Parses the whole text; returns the first syntax error, if any.
    std::optional<ParseError> run() {
        if (!valid(d_)) {
            return ParseError{
                "Virheelliset CSV-asetukset: erottimen ja lainausmerkin on oltava eri merkit, "
                "eikä kumpikaan saa olla rivinvaihto.",
                "Invalid CSV dialect: the delimiter and the quote character must differ and "
                "neither may be a line break.",
                0, 0, 0};
        }
        // A UTF-8 byte order mark is not part of the first field.
        if (n_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) {
            i_ = col_off_ = line_start_ = 3;
        }
        std::size_t record = 0;
        while (i_ < n_) {
            out_.begin_record(++record);
            for (;;) {
                if (!field()) return std::move(error_);
                if (i_ >= n_) break;
                const unsigned char c = static_cast<unsigned char>(p_[i_]);
                if (cls_[c] & k_delim) {
                    ++i_;
                    continue;
                }
                newline();  // field() stops only at a delimiter, a line break or the end
                break;
            }
            out_.end_record();
        }
        return std::nullopt;
    }

private:
    // Consumes one line break (CRLF, LF or CR) at i_ and starts a new physical line.
    void newline() {
        if (p_[i_] == '\r' && i_ + 1 < n_ && p_[i_ + 1] == '\n') ++i_;
        ++i_;
        ++line_;
        col_off_ = line_start_ = i_;
        col_ = 1;
    }

    // Column (in code points) of byte offset off on the current line; off never decreases.
    std::size_t column_at(std::size_t off) {
        std::size_t col = col_;
        for (std::size_t k = col_off_; k < off; ++k) {
            col += (static_cast<unsigned char>(p_[k]) & 0xC0) != 0x80;
        }
        col_off_ = off;
        col_ = col;
        return col;
    }

    // Hands one field to out_ with the position of byte offset off (when out_ wants positions).
    void emit(std::string_view value, std::size_t off) {
        if constexpr (Out::positions) {
            out_.field(value, line_, column_at(off));
        } else {
            (void)off;
            out_.field(value, 0, 0);
        }
    }

    void fail(std::string fi, std::string en, std::size_t line, std::size_t column,
              std::size_t offset) {
        error_ = ParseError{std::move(fi), std::move(en), line, column, offset};
    }

    // Parses one field starting at i_; stops at a delimiter, a line break or the end.
    bool field() {
        const std::size_t start = i_;
        if (d_.trim) {
            while (i_ < n_ && (cls_[static_cast<unsigned char>(p_[i_])] & k_blank)) ++i_;
            if (i_ >= n_ || (cls_[static_cast<unsigned char>(p_[i_])] & (k_delim | k_newline))) {
                emit({}, start);  // blank field: empty value
                return true;
            }
        }
        if (i_ < n_ && (cls_[static_cast<unsigned char>(p_[i_])] & k_quote)) return quoted();
        const std::size_t begin = i_;
        i_ += field_end_.in(p_ + i_, n_ - i_);
        std::size_t end = i_;
        if (d_.trim) {
            while (end > begin && (cls_[static_cast<unsigned char>(p_[end - 1])] & k_blank)) --end;
        }
        emit(std::string_view(p_ + begin, end - begin), begin);
        return true;
    }

    // Parses a quoted field; i_ is at the opening quote.
    bool quoted() {
        const std::size_t open_line = line_;
        const std::size_t open_line_start = line_start_;
        const std::size_t open_offset = i_;
        std::size_t open_column = 0;  // known now only when out_ wants positions
        if constexpr (Out::positions) open_column = column_at(open_offset);
        ++i_;
        std::size_t chunk = i_;
        bool doubled = false;  // the value has a doubled quote: it is built in scratch_
        for (;;) {
            i_ += quoted_end_.in(p_ + i_, n_ - i_);
            if (i_ >= n_) {
                if (!open_column) {
                    open_column = 1;
                    for (std::size_t k = open_line_start; k < open_offset; ++k) {
                        open_column += (static_cast<unsigned char>(p_[k]) & 0xC0) != 0x80;
                    }
                }
                fail("Lainausmerkillä alkava kenttä jää auki: loppulainausmerkki puuttuu ennen "
                     "tiedoston loppua.",
                     "Unterminated quoted field: the closing quote is missing before the end of "
                     "the file.",
                     open_line, open_column, open_offset);
                return false;
            }
            if (p_[i_] != d_.quote) {  // a line break inside the field: kept, but counted
                newline();
                continue;
            }
            if (i_ + 1 < n_ && p_[i_ + 1] == d_.quote) {  // doubled quote
                if (!doubled) scratch_.clear();
                doubled = true;
                scratch_.append(p_ + chunk, i_ + 1 - chunk);  // up to and with one quote
                i_ += 2;
                chunk = i_;
                continue;
            }
            break;  // i_ is at the closing quote
        }
        std::string_view value(p_ + chunk, i_ - chunk);
        if (doubled) {
            scratch_.append(value);
            value = scratch_;
        }
        ++i_;  // closing quote
        if constexpr (Out::positions) {
            out_.field(value, open_line, open_column);
        } else {
            out_.field(value, 0, 0);
        }
        if (d_.trim) {
            while (i_ < n_ && (cls_[static_cast<unsigned char>(p_[i_])] & k_blank)) ++i_;
        }
        if (i_ < n_ && !(cls_[static_cast<unsigned char>(p_[i_])] & (k_delim | k_newline))) {
            const std::size_t column = column_at(i_);
            const auto q = static_cast<unsigned char>(d_.quote);
            const std::string twice =
                q > 0x20 && q < 0x7f ? std::string(" (") + d_.quote + d_.quote + ")" : "";
            fail("Loppulainausmerkin jälkeen on ylimääräistä tekstiä: kentän pitää päättyä "
                 "erottimeen (" + describe_char(d_.delimiter, true) +
                     ") tai rivinvaihtoon. Kirjoita lainausmerkki kentän sisällä kahdesti" +
                     twice + ".",
                 "Unexpected text after the closing quote: the field must end with the "
                 "delimiter (" + describe_char(d_.delimiter, false) +
                     ") or a line break. Write a quote inside a quoted field twice" + twice + ".",
                 line_, column, i_);
            return false;
        }
        return true;
    }

    const char* p_;
    std::size_t n_;
    const Dialect& d_;
    Classes cls_;
    ::hoks::detail::FirstOf3 field_end_, quoted_end_;  // what ends an unquoted field, and a run in quotes
    Out& out_;
    std::size_t i_ = 0;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;  // byte offset where the current line starts
    std::size_t col_off_ = 0;     // byte offset whose column is col_
    std::size_t col_ = 1;
    std::string scratch_;         // the unescaped value of a quoted field with doubled quotes
    ParseError error_;
};

// Builds the Table of parse(): every cell with its value and position.
class TableBuilder {
public:
    static constexpr bool positions = true;

    TableBuilder(Table& table, bool has_header) : t_(table), header_pending_(has_header) {}

    void begin_record(std::size_t record) {
        record_ = static_cast<std::uint32_t>(record);
        row_ = Row();
        row_.reserve(width_hint_);
    }
    void field(std::string_view value, std::size_t line, std::size_t column) {
        Cell& cell = row_.emplace_back();
        cell.value.assign(value);
        cell.line = static_cast<std::uint32_t>(line);
        cell.column = static_cast<std::uint32_t>(column);
        cell.record = record_;
    }
    void end_record() {
        width_hint_ = row_.size();
        if (header_pending_) {
            header_pending_ = false;
            t_.header.reserve(row_.size());
            for (Cell& c : row_) t_.header.push_back(std::move(c.value));
        } else {
            t_.rows.push_back(std::move(row_));
        }
    }

private:
    Table& t_;
    bool header_pending_;
    Row row_;
    std::uint32_t record_ = 0;
    std::size_t width_hint_ = 0;
};

// Appends s with every quote character doubled.
void put_escaped(std::string& out, std::string_view s, char quote) {
    std::size_t chunk = 0;
    for (std::size_t k = 0; k < s.size(); ++k) {
        if (s[k] == quote) {
            out.append(s.data() + chunk, k + 1 - chunk);  // includes the quote ...
            out.push_back(quote);                         // ... which is doubled
            chunk = k + 1;
        }
    }
    out.append(s.data() + chunk, s.size() - chunk);
}

// Appends value as one field.
void put_field(std::string& out, std::string_view v, const Classes& cls, const Dialect& d,
               const WriteOptions& o) {
    constexpr char apostrophe_char = '\'';
    constexpr auto special = k_delim | k_newline | k_quote;
    const bool apostrophe = o.neutralise_formulas && !v.empty() &&
                            (cls[static_cast<unsigned char>(v.front())] & k_formula);
    bool quote = false;
    if (apostrophe) {
        // With ' as the quote or the delimiter, the prefix itself needs quoting.
        quote = cls[static_cast<unsigned char>(apostrophe_char)] & special;
    }
    if (!v.empty() && !quote) {
        // Leading or trailing blanks would be lost to a trimming reader; keep them quoted.
        const auto blank = [](char c) { return c == ' ' || c == '\t'; };
        quote = (!apostrophe && blank(v.front())) || blank(v.back());
        for (std::size_t k = 0; !quote && k < v.size(); ++k) {
            quote = cls[static_cast<unsigned char>(v[k])] & special;
        }
    }
    if (!quote) {
        if (apostrophe) out.push_back(apostrophe_char);
        out.append(v);
        return;
    }
    out.push_back(d.quote);
    if (apostrophe) put_escaped(out, std::string_view(&apostrophe_char, 1), d.quote);
    put_escaped(out, v, d.quote);
    out.push_back(d.quote);
}

std::string_view value_of(const Cell& c) { return c.value; }
std::string_view value_of(const std::string& s) { return s; }
std::string_view value_of(std::string_view s) { return s; }

// Appends one record (any range of cells) and the line ending.
template <typename Cells>
void put_record(std::string& out, const Cells& cells, const Classes& cls, const Dialect& d,
                const WriteOptions& o, bool first_record) {
    if (cells.size() == 1 && value_of(cells[0]).empty()) {
        // One empty field: quote it so that no reader mistakes it for a blank line.
        out.push_back(d.quote);
        out.push_back(d.quote);
    } else {
        bool first = true;
        for (const auto& c : cells) {
            if (!first) out.push_back(d.delimiter);
            const std::string_view v = value_of(c);
            if (first && first_record && v.substr(0, 3) == "\xEF\xBB\xBF") {
                // A leading BOM would be taken for a byte order mark; keep it in quotes.
                const std::size_t mark = out.size();
                put_field(out, v, cls, d, o);
                if (out.size() > mark && out[mark] != d.quote) {
                    out.insert(out.begin() + static_cast<std::ptrdiff_t>(mark), d.quote);
                    out.push_back(d.quote);
                }
            } else {
                put_field(out, v, cls, d, o);
            }
            first = false;
        }
    }
    out.append(o.line_ending == LineEnding::crlf ? "\r\n" : "\n");
}

template <typename Header, typename Rows>
std::string write_impl(const Header& header, const Rows& rows, const Dialect& d,
                       const WriteOptions& o) {
    const Classes cls = make_classes(d);
    std::size_t estimate = 0;
    for (const auto& h : header) estimate += value_of(h).size() + 1;
    for (const auto& row : rows) {
        for (const auto& c : row) estimate += value_of(c).size() + 1;
        estimate += 2;
    }
    std::string out;
    out.reserve(estimate + estimate / 16 + 16);
    if (d.has_header && !(header.empty() && rows.empty())) put_record(out, header, cls, d, o, true);
    for (const auto& row : rows) put_record(out, row, cls, d, o, out.empty());
    return out;
}

}  // namespace

bool valid(const Dialect& d) noexcept {
    return d.delimiter != d.quote && d.delimiter != '\r' && d.delimiter != '\n' &&
           d.quote != '\r' && d.quote != '\n';
}

ParseResult parse(std::string_view utf8_text, const Dialect& dialect) {
    ParseResult result;
    TableBuilder builder(result.table, dialect.has_header);
    result.error = Parser(utf8_text, dialect, builder).run();
    return result;
}

// Builds a Grid: cells as spans of the text, or of the arena for unescaped copies.
class GridBuilder {
public:
    static constexpr bool positions = false;
    static constexpr std::size_t max_text = Grid::in_arena;  // offsets must stay below the flag

    GridBuilder(Grid& grid, std::string_view text, const Dialect& d) : g_(grid) {
        g_.text_ = text;
        g_.has_header_ = d.has_header;
        // Every field but the last ends at a delimiter or a line break: reserve that many cells
        // (pages of the reserve that stay unused are never touched).
        g_.cells_.reserve(1 + ::hoks::detail::count_of3(text, d.delimiter, '\n', '\r'));
    }

    void begin_record(std::size_t) { g_.starts_.push_back(static_cast<std::uint32_t>(g_.cells_.size())); }
    void field(std::string_view value, std::size_t, std::size_t) {
        const auto at = reinterpret_cast<std::uintptr_t>(value.data());
        const auto base = reinterpret_cast<std::uintptr_t>(g_.text_.data());
        if (value.empty() || (at >= base && at - base <= g_.text_.size())) {  // a view of the text
            const std::size_t offset = value.empty() ? 0 : at - base;
            g_.cells_.push_back({static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(value.size())});
            return;
        }
        g_.cells_.push_back({static_cast<std::uint32_t>(g_.arena_.size()) | Grid::in_arena,
                             static_cast<std::uint32_t>(value.size())});
        g_.arena_.append(value);
    }
    void end_record() {}

    // Ends the grid; after an error drops the cells of the unfinished record.
    void finish(bool error) {
        if (error && !g_.starts_.empty()) {
            g_.cells_.resize(g_.starts_.back());
        } else {
            g_.starts_.push_back(static_cast<std::uint32_t>(g_.cells_.size()));
        }
        if (g_.starts_.size() == 1) g_.starts_.clear();  // no records
    }

private:
    Grid& g_;
};

namespace {
constexpr std::size_t huge_page = std::size_t{2} << 20;
}

void* detail::allocate_cells(std::size_t bytes) {
    if (bytes < huge_page) return ::operator new(bytes);
    void* p = std::aligned_alloc(huge_page, (bytes + huge_page - 1) / huge_page * huge_page);
    if (!p) throw std::bad_alloc();
    ::hoks::detail::prefer_huge_pages(p, (bytes + huge_page - 1) / huge_page * huge_page);
    return p;
}

void detail::free_cells(void* p, std::size_t bytes) noexcept {
    if (bytes < huge_page) ::operator delete(p);
    else std::free(p);
}

GridResult parse_grid(std::string_view utf8_text, const Dialect& dialect) {
    GridResult result;
    if (utf8_text.size() >= GridBuilder::max_text) {
        result.error = ParseError{"CSV-teksti on liian suuri (vähintään 2 Gt).",
                                  "The CSV text is too large (2 GiB or more).", 0, 0, 0};
        return result;
    }
    GridBuilder builder(result.grid, utf8_text, dialect);
    result.error = Parser(utf8_text, dialect, builder).run();
    builder.finish(result.error.has_value());
    return result;
}

std::vector<Object> to_objects(const Table& table) {
    std::vector<Object> out;
    out.reserve(table.rows.size());
    static const std::string no_name;
    for (const Row& row : table.rows) {
        Object& obj = out.emplace_back();
        obj.reserve(row.size());
        for (std::size_t k = 0; k < row.size(); ++k) {
            obj.emplace_back(k < table.header.size() ? table.header[k] : no_name, row[k].value);
        }
    }
    return out;
}

std::string write(const Table& table, const Dialect& dialect, const WriteOptions& options) {
    return write_impl(table.header, table.rows, dialect, options);
}

std::string write(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, const Dialect& dialect,
                  const WriteOptions& options) {
    return write_impl(header, rows, dialect, options);
}

std::string write_views(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string_view>>& rows, const Dialect& dialect,
                        const WriteOptions& options) {
    return write_impl(header, rows, dialect, options);
}

RecordWriter::RecordWriter(const Dialect& dialect, const WriteOptions& options)
    : dialect_(dialect), options_(options), classes_(make_classes(dialect)) {}

void RecordWriter::record(std::string& out, std::span<const std::string_view> cells, bool first) const {
    put_record(out, cells, classes_, dialect_, options_, first);
}

void write_field(std::string& out, std::string_view value, const Dialect& dialect,
                 const WriteOptions& options) {
    put_field(out, value, make_classes(dialect), dialect, options);
}

}  // namespace hoks::csv
