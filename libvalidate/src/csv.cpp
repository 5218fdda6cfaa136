#include "hoks/csv.hpp"

#include <array>
#include <cstdint>
#include <cstring>

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

class Parser {
public:
    Parser(std::string_view text, const Dialect& d)
        : p_(text.data()), n_(text.size()), d_(d), cls_(make_classes(d)) {}

    ParseResult run() {
        ParseResult result;
        if (!valid(d_)) {
            result.error = ParseError{
                "Virheelliset CSV-asetukset: erottimen ja lainausmerkin on oltava eri merkit, "
                "eikä kumpikaan saa olla rivinvaihto.",
                "Invalid CSV dialect: the delimiter and the quote character must differ and "
                "neither may be a line break.",
                0, 0, 0};
            return result;
        }
        // A UTF-8 byte order mark is not part of the first field.
        if (n_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) {
            i_ = col_off_ = 3;
        }
        Table& t = result.table;
        bool header_pending = d_.has_header;
        std::size_t record = 0;
        std::size_t width_hint = 0;
        while (i_ < n_) {
            ++record;
            Row row;
            row.reserve(width_hint);
            for (;;) {
                Cell& cell = row.emplace_back();
                cell.record = static_cast<std::uint32_t>(record);
                if (!field(cell)) {
                    result.error = std::move(error_);
                    return result;
                }
                if (i_ >= n_) break;
                const unsigned char c = static_cast<unsigned char>(p_[i_]);
                if (cls_[c] & k_delim) {
                    ++i_;
                    continue;
                }
                newline();  // field() stops only at a delimiter, a line break or the end
                break;
            }
            width_hint = row.size();
            if (header_pending) {
                header_pending = false;
                t.header.reserve(row.size());
                for (Cell& c : row) t.header.push_back(std::move(c.value));
            } else {
                t.rows.push_back(std::move(row));
            }
        }
        return result;
    }

private:
    // Consumes one line break (CRLF, LF or CR) at i_ and starts a new physical line.
    void newline() {
        if (p_[i_] == '\r' && i_ + 1 < n_ && p_[i_ + 1] == '\n') ++i_;
        ++i_;
        ++line_;
        col_off_ = i_;
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

    void set_position(Cell& cell, std::size_t off) {
        cell.line = static_cast<std::uint32_t>(line_);
        cell.column = static_cast<std::uint32_t>(column_at(off));
    }

    void fail(std::string fi, std::string en, std::size_t line, std::size_t column,
              std::size_t offset) {
        error_ = ParseError{std::move(fi), std::move(en), line, column, offset};
    }

    // Parses one field starting at i_; stops at a delimiter, a line break or the end.
    bool field(Cell& cell) {
        const std::size_t start = i_;
        if (d_.trim) {
            while (i_ < n_ && (cls_[static_cast<unsigned char>(p_[i_])] & k_blank)) ++i_;
            if (i_ >= n_ || (cls_[static_cast<unsigned char>(p_[i_])] & (k_delim | k_newline))) {
                set_position(cell, start);  // blank field: empty value
                return true;
            }
        }
        set_position(cell, i_);
        if (i_ < n_ && (cls_[static_cast<unsigned char>(p_[i_])] & k_quote)) return quoted(cell);
        const std::size_t begin = i_;
        while (i_ < n_ && !(cls_[static_cast<unsigned char>(p_[i_])] & (k_delim | k_newline))) ++i_;
        std::size_t end = i_;
        if (d_.trim) {
            while (end > begin && (cls_[static_cast<unsigned char>(p_[end - 1])] & k_blank)) --end;
        }
        cell.value.assign(p_ + begin, end - begin);
        return true;
    }

    // Parses a quoted field; i_ is at the opening quote.
    bool quoted(Cell& cell) {
        const std::size_t open_line = cell.line;
        const std::size_t open_column = cell.column;
        const std::size_t open_offset = i_;
        ++i_;
        std::size_t chunk = i_;
        for (;;) {
            while (i_ < n_ && !(cls_[static_cast<unsigned char>(p_[i_])] & (k_quote | k_newline))) {
                ++i_;
            }
            if (i_ >= n_) {
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
            cell.value.append(p_ + chunk, i_ - chunk);
            if (i_ + 1 < n_ && p_[i_ + 1] == d_.quote) {  // doubled quote
                cell.value.push_back(d_.quote);
                i_ += 2;
                chunk = i_;
                continue;
            }
            ++i_;  // closing quote
            break;
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
    std::size_t i_ = 0;
    std::size_t line_ = 1;
    std::size_t col_off_ = 0;  // byte offset whose column is col_
    std::size_t col_ = 1;
    ParseError error_;
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

template <typename Header, typename Rows>
std::string write_impl(const Header& header, const Rows& rows, const Dialect& d,
                       const WriteOptions& o) {
    const Classes cls = make_classes(d);
    const std::string_view eol = o.line_ending == LineEnding::crlf ? "\r\n" : "\n";
    std::size_t estimate = 0;
    for (const auto& h : header) estimate += value_of(h).size() + 1;
    for (const auto& row : rows) {
        for (const auto& c : row) estimate += value_of(c).size() + 1;
        estimate += 2;
    }
    std::string out;
    out.reserve(estimate + estimate / 16 + 16);

    bool first_record = true;
    const auto put_record = [&](const auto& cells) {
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
        out.append(eol);
        first_record = false;
    };
    if (d.has_header && !(header.empty() && rows.empty())) put_record(header);
    for (const auto& row : rows) put_record(row);
    return out;
}

}  // namespace

bool valid(const Dialect& d) noexcept {
    return d.delimiter != d.quote && d.delimiter != '\r' && d.delimiter != '\n' &&
           d.quote != '\r' && d.quote != '\n';
}

ParseResult parse(std::string_view utf8_text, const Dialect& dialect) {
    return Parser(utf8_text, dialect).run();
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

void write_field(std::string& out, std::string_view value, const Dialect& dialect,
                 const WriteOptions& options) {
    put_field(out, value, make_classes(dialect), dialect, options);
}

}  // namespace hoks::csv
