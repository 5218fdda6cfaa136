// The conversion tree, the JSON writer and the helpers every converter shares.
#include "hoks/convert/convert.hpp"

#include "convert/convert_internal.hpp"
#include "read/byte_scan.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <ostream>

namespace hoks {

Json Json::string(std::string s, std::uint32_t origin) {
  Json j;
  j.type = JsonType::string;
  j.text = std::move(s);
  j.origin = origin;
  return j;
}
Json Json::number(std::string token, std::uint32_t origin) {
  Json j;
  j.type = JsonType::number;
  j.text = std::move(token);
  j.origin = origin;
  return j;
}
Json Json::boolean_value(bool b, std::uint32_t origin) {
  Json j;
  j.type = JsonType::boolean;
  j.boolean = b;
  j.origin = origin;
  return j;
}
Json Json::null_value(std::uint32_t origin) {
  Json j;
  j.origin = origin;
  return j;
}
Json Json::object(std::uint32_t origin) {
  Json j;
  j.type = JsonType::object;
  j.origin = origin;
  return j;
}
Json Json::array(std::uint32_t origin) {
  Json j;
  j.type = JsonType::array;
  j.origin = origin;
  return j;
}

const Json* Json::get(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

Origins& Origins::operator=(const Origins& other) {
  entries_ = other.entries_;
  names_ = other.names_;
  index_.clear();  // the copy's keys view the copied names
  for (std::size_t i = 1; i < names_.size(); ++i) index_.emplace(names_[i], static_cast<std::uint32_t>(i));
  return *this;
}

std::uint32_t Origins::name(std::string_view s) {
  if (s.empty()) return 0;
  const auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  names_.emplace_back(s);
  const auto i = static_cast<std::uint32_t>(names_.size() - 1);
  index_.emplace(names_.back(), i);
  return i;
}

std::uint32_t Origins::add_named(std::uint32_t line, std::uint32_t column, std::uint32_t file, std::uint32_t header) {
  entries_.push_back({line, column, file, header});
  return static_cast<std::uint32_t>(entries_.size() - 1);
}

Location Origins::operator[](std::uint32_t i) const {
  const Entry& e = entries_[i];
  Location l;
  l.line = e.line;
  l.column = e.column;
  l.file = names_[e.file];
  l.header = names_[e.header];
  return l;
}

void add_finding(Conversion& out, detail::RuleId rule, Severity severity, Location where, std::string path,
                 std::vector<std::pair<std::string, std::string>> args) {
  Finding f;
  f.rule = detail::rule_name(rule);
  f.severity = severity;
  f.location = std::move(where);
  f.path = std::move(path);
  f.args = std::move(args);
  out.findings.push_back(std::move(f));
}

std::vector<FileView> views(const std::vector<NamedFile>& files) {
  std::vector<FileView> v;
  v.reserve(files.size());
  for (const NamedFile& f : files) v.push_back({f.name, f.bytes});
  return v;
}

bool Output::has_errors() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == Severity::error; });
}

bool Conversion::has_errors() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == Severity::error; });
}

namespace {
// Makes `out` (a null value) a tree of `value`, building the members and items where they stay.
void fill_tree(JsonValue value, Json& out) {
  out.type = value.type();
  switch (out.type) {
    case JsonType::null: break;
    case JsonType::boolean: out.boolean = value.boolean(); break;
    case JsonType::number:
    case JsonType::string: out.text = value.str(); break;
    case JsonType::array:
      out.items.resize(value.size());
      for (std::size_t i = 0; auto& item : value) fill_tree(item.value(), out.items[i++]);
      break;
    case JsonType::object:
      out.members.reserve(value.size());
      for (auto& m : value) fill_tree(m.value(), out.members.emplace_back(m.key().str(), Json()).second);
      break;
  }
}
}  // namespace

Json to_tree(JsonValue value) {
  Json tree;
  fill_tree(value, tree);
  return tree;
}

bool parse_json_tree(std::string_view text, std::string_view source, Conversion& out) {
  JsonDocument doc;
  if (!parse_json(text, source, doc, out)) return false;
  out.document = to_tree(doc.root());
  return true;
}

bool parse_json(std::string_view text, std::string_view source, JsonDocument& doc, Conversion& out) {
  if (!doc.parse(text)) {
    LineIndex lines(text);
    const TextPosition p = lines.locate(doc.error_offset());
    Location where;
    where.line = p.line;
    where.column = p.column;
    where.file = std::string(source);
    add_finding(out, detail::RuleId::syntax, Severity::error, where, "", {{"detail", std::string(to_string(doc.error()))}});
    out.fatal = true;
    return false;
  }
  return true;
}

namespace {

void append_pointer_token(std::string& pointer, std::string_view key) {
  pointer.push_back('/');
  if (key.find('~') == std::string_view::npos && key.find('/') == std::string_view::npos) {
    pointer.append(key);  // the usual case: nothing to escape
    return;
  }
  std::size_t plain = 0;  // start of the run of characters that need no escape
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] != '~' && key[i] != '/') continue;
    pointer.append(key.data() + plain, i - plain);
    pointer += key[i] == '~' ? "~0" : "~1";
    plain = i + 1;
  }
  pointer.append(key.data() + plain, key.size() - plain);
}

std::string type_name(JsonType t) {
  static const char* names[] = {"null", "boolean", "number", "string", "array", "object"};
  return names[static_cast<int>(t)];
}

std::vector<const std::pair<std::string, Json>*> sorted_members(const Json& o) {
  std::vector<const std::pair<std::string, Json>*> m;
  m.reserve(o.members.size());
  for (const auto& p : o.members) m.push_back(&p);
  std::stable_sort(m.begin(), m.end(), [](auto* a, auto* b) { return a->first < b->first; });
  return m;
}

std::string difference(const Json& a, const Json& b, std::string& pointer) {
  if (a.type != b.type) return pointer + ": " + type_name(a.type) + " vs " + type_name(b.type);
  switch (a.type) {
    case JsonType::null: return {};
    case JsonType::boolean: return a.boolean == b.boolean ? "" : pointer + ": boolean differs";
    case JsonType::number:
    case JsonType::string: {
      if (a.text == b.text) return {};
      std::string s = pointer + ": ";
      detail::append_json_string(s, a.text);
      s += " vs ";
      detail::append_json_string(s, b.text);
      return s;
    }
    case JsonType::array: {
      if (a.items.size() != b.items.size())
        return pointer + ": " + std::to_string(a.items.size()) + " vs " + std::to_string(b.items.size()) + " items";
      const std::size_t mark = pointer.size();
      for (std::size_t i = 0; i < a.items.size(); ++i) {
        pointer += "/" + std::to_string(i);
        std::string d = difference(a.items[i], b.items[i], pointer);
        pointer.resize(mark);
        if (!d.empty()) return d;
      }
      return {};
    }
    case JsonType::object: {
      const auto ma = sorted_members(a), mb = sorted_members(b);
      const std::size_t mark = pointer.size();
      std::size_t i = 0, k = 0;
      while (i < ma.size() || k < mb.size()) {
        if (k == mb.size() || (i < ma.size() && ma[i]->first < mb[k]->first)) {
          append_pointer_token(pointer, ma[i]->first);
          return pointer + ": only in the first";
        }
        if (i == ma.size() || mb[k]->first < ma[i]->first) {
          append_pointer_token(pointer, mb[k]->first);
          return pointer + ": only in the second";
        }
        append_pointer_token(pointer, ma[i]->first);
        std::string d = difference(ma[i]->second, mb[k]->second, pointer);
        pointer.resize(mark);
        if (!d.empty()) return d;
        ++i;
        ++k;
      }
      return {};
    }
  }
  return {};
}

}  // namespace

void append_pointer(std::string& pointer, std::string_view key) { append_pointer_token(pointer, key); }

std::unique_ptr<char, FreeHuge> allocate_huge(std::size_t& bytes) {
  constexpr std::size_t huge = std::size_t{2} << 20;
  bytes = (std::max<std::size_t>(bytes, 1) + huge - 1) / huge * huge;
  void* p = std::aligned_alloc(huge, bytes);
  if (!p) throw std::bad_alloc();
  prefer_huge_pages(p, bytes);
  return std::unique_ptr<char, FreeHuge>(static_cast<char*>(p));
}


// ------------------------------------------------------------------------------------------------
// Sinks

namespace {
// True when no byte of s needs an escape in a JSON string (a control character, '"' or '\\').
[[gnu::always_inline]] inline bool needs_no_escape(std::string_view s) { return detail::no_control_nor<'"', '\\'>(s); }

// Appends s as a JSON string literal: as it is between quotes when it needs no escape (the usual
// case), else through append_json_string.
void append_quoted(std::string& out, std::string_view s) {
  if (!needs_no_escape(s)) return detail::append_json_string(out, s);
  out.push_back('"');
  out.append(s.data(), s.size());
  out.push_back('"');
}

constexpr std::size_t indent_chars = 64;
constexpr char line_and_indent[indent_chars + 2] = "\n                                                                ";
constexpr const char* indent_spaces = line_and_indent + 1;
}  // namespace

void JsonTextWriter::flush() {
  if (!stream_) return;
  stream_->write(out_.data(), static_cast<std::streamsize>(out_.size()));
  out_.clear();
}

void JsonTextWriter::newline(std::size_t depth) {
  if (!pretty_) return;
  if (depth * 2 <= indent_chars) return void(out_.append(line_and_indent, 1 + depth * 2));
  out_.push_back('\n');
  out_.append(depth * 2, ' ');
}

void JsonTextWriter::value_start(std::uint32_t origin) {
  if (stream_ && out_.size() >= piece_bytes) flush();
  if (!levels_.empty() && levels_.back().array) {
    Level& level = levels_.back();
    if (level.count) out_.push_back(',');
    newline(levels_.size());
    if (map_) {
      pointer_.resize(level.pointer_mark);
      pointer_.push_back('/');
      pointer_ += std::to_string(level.count);
    }
    ++level.count;
  }
  if (map_ && origin != 0 && origin < origins_->size()) map_->add(pointer_, (*origins_)[origin]);
}

void JsonTextWriter::begin_object(std::uint32_t origin) {
  if (stream_ && levels_.empty() && out_.capacity() < piece_bytes) out_.reserve(piece_bytes + piece_bytes / 16);  // grown once
  value_start(origin);
  out_.push_back('{');
  levels_.push_back({false, 0, pointer_.size()});
}

void JsonTextWriter::begin_array(std::uint32_t origin) {
  if (stream_ && levels_.empty() && out_.capacity() < piece_bytes) out_.reserve(piece_bytes + piece_bytes / 16);  // grown once
  value_start(origin);
  out_.push_back('[');
  levels_.push_back({true, 0, pointer_.size()});
}

void JsonTextWriter::key(std::string_view key) {
  Level& level = levels_.back();
  const std::size_t indent = pretty_ ? levels_.size() * 2 : 0;
  if (indent <= indent_chars && key.size() <= 128 && needs_no_escape(key)) {
    // The separator, the line, the quoted key and the colon in one append.
    char piece[indent_chars + 128 + 6];
    std::size_t n = 0;
    if (level.count++) piece[n++] = ',';
    if (pretty_) {
      piece[n++] = '\n';
      std::memcpy(piece + n, indent_spaces, indent_chars);  // all of them: a copy of a known size
      n += indent;
    }
    piece[n++] = '"';
    std::memcpy(piece + n, key.data(), key.size());
    n += key.size();
    piece[n++] = '"';
    piece[n++] = ':';
    if (pretty_) piece[n++] = ' ';
    out_.append(piece, n);
  } else {
    if (level.count++) out_.push_back(',');
    newline(levels_.size());
    detail::append_json_string(out_, key);
    out_ += pretty_ ? ": " : ":";
  }
  if (map_) {
    pointer_.resize(level.pointer_mark);
    append_pointer_token(pointer_, key);
  }
}

void JsonTextWriter::end() {
  const Level level = levels_.back();
  levels_.pop_back();
  if (level.count) newline(levels_.size());
  out_.push_back(level.array ? ']' : '}');
  if (map_) pointer_.resize(level.pointer_mark);
}

void JsonTextWriter::string(std::string_view value, std::uint32_t origin) {
  value_start(origin);
  append_quoted(out_, value);
}

void JsonTextWriter::number(std::string_view token, std::uint32_t origin) {
  value_start(origin);
  out_ += token;
}

void JsonTextWriter::boolean(bool value, std::uint32_t origin) {
  value_start(origin);
  out_ += value ? "true" : "false";
}

void JsonTextWriter::null(std::uint32_t origin) {
  value_start(origin);
  out_ += "null";
}

Json& JsonTreeBuilder::place(Json value) {
  if (open_.empty()) {
    root_ = std::move(value);
    return root_;
  }
  Json& parent = *open_.back();
  if (parent.type == JsonType::array) return parent.items.emplace_back(std::move(value));
  return parent.members.emplace_back(std::move(key_), std::move(value)).second;
}

void JsonTreeBuilder::begin_object(std::uint32_t origin) { open_.push_back(&place(Json::object(origin))); }
void JsonTreeBuilder::begin_array(std::uint32_t origin) { open_.push_back(&place(Json::array(origin))); }
void JsonTreeBuilder::key(std::string_view key) { key_.assign(key); }
void JsonTreeBuilder::end() { open_.pop_back(); }
void JsonTreeBuilder::string(std::string_view value, std::uint32_t origin) { place(Json::string(std::string(value), origin)); }
void JsonTreeBuilder::number(std::string_view token, std::uint32_t origin) { place(Json::number(std::string(token), origin)); }
void JsonTreeBuilder::boolean(bool value, std::uint32_t origin) { place(Json::boolean_value(value, origin)); }
void JsonTreeBuilder::null(std::uint32_t origin) { place(Json::null_value(origin)); }

void emit(const Json& v, JsonSink& sink) {
  switch (v.type) {
    case JsonType::null: sink.null(v.origin); return;
    case JsonType::boolean: sink.boolean(v.boolean, v.origin); return;
    case JsonType::number: sink.number(v.text, v.origin); return;
    case JsonType::string: sink.string(v.text, v.origin); return;
    case JsonType::array:
      sink.begin_array(v.origin);
      for (const Json& item : v.items) emit(item, sink);
      sink.end();
      return;
    case JsonType::object:
      sink.begin_object(v.origin);
      for (const auto& [key, member] : v.members) {
        sink.key(key);
        emit(member, sink);
      }
      sink.end();
      return;
  }
}

void emit(JsonValue v, JsonSink& sink, std::uint32_t origin) {
  switch (v.type()) {
    case JsonType::null: sink.null(origin); return;
    case JsonType::boolean: sink.boolean(v.boolean(), origin); return;
    case JsonType::number: sink.number(v.str(), origin); return;
    case JsonType::string: sink.string(v.str(), origin); return;
    case JsonType::array:
      sink.begin_array(origin);
      for (auto& item : v) emit(item.value(), sink);
      sink.end();
      return;
    case JsonType::object:
      sink.begin_object(origin);
      for (auto& member : v) {
        sink.key(member.key().str());
        emit(member.value(), sink);
      }
      sink.end();
      return;
  }
}

std::string write_json(const Json& value) {
  JsonTextWriter w;
  emit(value, w);
  w.text().push_back('\n');
  return std::move(w.text());
}

void write_json(const Json& value, std::ostream& out) {
  JsonTextWriter w(true, &out);
  emit(value, w);
  w.text().push_back('\n');
  w.flush();
}

void write_json(JsonValue value, std::ostream& out) {
  JsonTextWriter w(true, &out);
  emit(value, w);
  w.text().push_back('\n');
  w.flush();
}

std::string write_json_compact(const Json& value) {
  JsonTextWriter w(false);
  emit(value, w);
  return std::move(w.text());
}

std::string write_json(const Json& value, const Origins& origins, SourceMap& map) {
  JsonTextWriter w;
  w.map_origins(origins, map);
  emit(value, w);
  w.text().push_back('\n');
  return std::move(w.text());
}

std::string first_difference(const Json& a, const Json& b) {
  std::string pointer;
  std::string d = difference(a, b, pointer);
  if (!d.empty() && d.front() == ':') d.insert(0, "(root)");
  return d;
}

bool same_json(const Json& a, const Json& b) { return first_difference(a, b).empty(); }

bool is_json_number(std::string_view t) {
  std::size_t i = 0;
  const auto digit = [&](std::size_t k) { return k < t.size() && t[k] >= '0' && t[k] <= '9'; };
  if (i < t.size() && t[i] == '-') ++i;
  if (!digit(i)) return false;
  if (t[i] == '0') ++i;
  else
    while (digit(i)) ++i;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == t.size();
}

namespace {
bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

}  // namespace

bool needs_formula_guard(std::string_view cell) {
  return !cell.empty() && (formula_start(cell[0]) ||
                           (cell[0] == '\'' && cell.size() > 1 && (formula_start(cell[1]) || cell[1] == '\'')));
}

std::string guard_formula(std::string_view cell) {
  return needs_formula_guard(cell) ? "'" + std::string(cell) : std::string(cell);
}

void guard_formula_in_place(std::string& cell) {
  if (needs_formula_guard(cell)) cell.insert(cell.begin(), '\'');
}

std::string_view unguard_formula(std::string_view cell) {
  if (cell.size() > 1 && cell[0] == '\'' && (formula_start(cell[1]) || cell[1] == '\'')) cell.remove_prefix(1);
  return cell;
}

const std::vector<std::string_view>& conversion_rules() {
  static const std::vector<std::string_view> ids = {"conflicting-values", "transform-failed", "unmapped-input", "wrong-format"};
  return ids;
}

namespace {
// Decodes bytes to UTF-8; on failure reports `syntax` (invalid_encoding) at the offending byte.
bool decode(std::string_view bytes, Encoding encoding, std::string_view source, std::string& text, Conversion& out) {
  if (auto error = to_utf8(bytes, encoding, text)) {
    LineIndex lines(text);
    const TextPosition p = lines.locate(text.size());
    Location where;
    where.line = p.line;
    where.column = p.column;
    where.file = std::string(source);
    add_finding(out, detail::RuleId::syntax, Severity::error, where, "", {{"detail", "invalid_encoding"}});
    out.fatal = true;
    return false;
  }
  return true;
}
}  // namespace

bool decode_input(std::string_view bytes, Encoding encoding, std::string_view source, std::string& text,
                  Conversion& out) {
  return decode(bytes, encoding, source, text, out);
}

// Reports a CSV syntax error as a `syntax` finding.
void report_csv_error(const csv::ParseError& e, std::string_view source, Conversion& out) {
  Location where;
  where.line = static_cast<std::uint32_t>(e.line);
  where.column = static_cast<std::uint32_t>(e.column);
  where.file = std::string(source);
  const bool unterminated = e.message_en.find("never") != std::string::npos ||
                            e.message_en.find("nterminated") != std::string::npos ||
                            e.message_en.find("end of") != std::string::npos;
  add_finding(out, detail::RuleId::syntax, Severity::error, where, "",
             {{"detail", unterminated ? "csv_unterminated_quote" : "csv_text_after_quote"}});
  out.fatal = true;
}

Conversion read_csv_rows(std::string_view bytes, std::string_view source, const csv::Dialect& dialect,
                         Encoding encoding) {
  Conversion out;
  out.document = Json::array();
  std::string text;
  if (!decode(bytes, encoding, source, text, out)) return out;
  const csv::ParseResult r = csv::parse(text, dialect);
  if (!r) {
    report_csv_error(*r.error, source, out);
    return out;
  }
  const std::vector<std::string>& header = r.table.header;
  for (const auto& row : r.table.rows) {
    Location row_where;
    row_where.file = std::string(source);
    row_where.line = row.empty() ? 0 : static_cast<std::uint32_t>(row.front().record);
    row_where.column = 1;
    Json object = Json::object(out.origin(row_where));
    for (std::size_t c = 0; c < row.size(); ++c) {
      Location where;
      where.file = std::string(source);
      where.line = static_cast<std::uint32_t>(row[c].record);
      where.column = static_cast<std::uint32_t>(c + 1);
      where.header = c < header.size() ? header[c] : "";
      const std::string key = c < header.size() ? header[c] : "";
      object.members.emplace_back(key, Json::string(row[c].value, out.origin(std::move(where))));
    }
    out.document.items.push_back(std::move(object));
  }
  return out;
}

}  // namespace hoks
