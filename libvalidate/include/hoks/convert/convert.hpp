// Conversions between the canonical JSON and other forms (canonical XML: hoks/xml.hpp; vendor
// formats through mapping profiles: hoks/mapping.hpp). This header holds what they share: a
// mutable JSON tree whose values remember where they came from, the conversion result with its
// findings, the JSON writer, and the canonical CSV form (one CSV file per entity, linked by keys).
//
// Canonical CSV (docs/mapping.md has the full description):
//   - one file per entity of the model, named after it (HOKS.csv, HATO.csv, OHT.csv ...), and one
//     per list of plain values (TJK.keskeiset-tyotehtavat.csv); a file without rows is not written;
//   - entity files: _id (row number in the file), _parent (TABLE:_id of the owning row, empty for
//     documents), _field (the owner's key; "[]" for the items of a top-level array), one column per
//     plain field of the entity in model order, _value (JSON text, when the value in that place is
//     not an object) and _other (JSON object of the members not held in columns: unknown keys,
//     values of another type than the model's, empty strings, nulls, empty arrays, repeated keys);
//   - list files: _parent, value (a non-empty string) and _value (any other item as JSON text);
//   - cells that start with = + - @ TAB CR (or ' followed by one of those or ') get a leading ',
//     which reading removes again (so the form stays lossless), unless formula_guard is off.
// Object members come back in model order, then the order of _other (JSON objects are unordered).
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hoks/read/csv.hpp"
#include "hoks/read/encoding.hpp"
#include "hoks/report/finding.hpp"
#include "hoks/read/json.hpp"
#include "hoks/model/model.hpp"
#include "hoks/convert/source_map.hpp"

namespace hoks {

// A mutable JSON value. Numbers keep their token, objects keep member order and repeated keys.
struct Json {
  Json();  // defined below: clang needs Json complete before its members' defaults
  JsonType type = JsonType::null;
  bool boolean = false;
  std::uint32_t origin = 0;                           // index into Conversion::origins (0: unknown)
  std::string text;                                   // a string's value or a number's token
  std::vector<std::pair<std::string, Json>> members;  // object
  std::vector<Json> items;                            // array

  static Json string(std::string s, std::uint32_t origin = 0);
  static Json number(std::string token, std::uint32_t origin = 0);
  static Json boolean_value(bool b, std::uint32_t origin = 0);
  static Json null_value(std::uint32_t origin = 0);
  static Json object(std::uint32_t origin = 0);
  static Json array(std::uint32_t origin = 0);

  // The member with this key (the last one if repeated), or nullptr.
  const Json* get(std::string_view key) const;
};

inline Json::Json() = default;

// A file by name and content (a CSV table of a directory, or one output file).
struct NamedFile {
  std::string name;
  std::string bytes;
};

// An input file by name and content, viewed where its bytes are (a mapped file, say).
struct FileView {
  std::string_view name;
  std::string_view bytes;
};

// Views of files.
std::vector<FileView> views(const std::vector<NamedFile>& files);

// The result of writing: the files (one unnamed file for single-file formats) and what could not
// be written (a value a transform cannot express, a character the encoding cannot represent).
struct Output {
  std::vector<NamedFile> files;
  std::vector<Finding> findings;  // path: the canonical pointer of the value
  bool has_errors() const;
};

// Where the values of a converted document came from: one small entry per value, each file and
// header name stored once. Entry 0 is "unknown".
class Origins {
 public:
  Origins() = default;
  Origins(const Origins& other) { *this = other; }
  Origins(Origins&&) = default;
  Origins& operator=(const Origins& other);
  Origins& operator=(Origins&&) = default;

  // Adds a position and returns its index (for Json::origin).
  std::uint32_t add(std::uint32_t line, std::uint32_t column, std::string_view file = {}, std::string_view header = {}) {
    return add_named(line, column, name(file), name(header));
  }
  // The index of a file or header name (stored once), for add_named.
  std::uint32_t name(std::string_view s);
  // Adds a position whose file and header are indexes from name().
  std::uint32_t add_named(std::uint32_t line, std::uint32_t column, std::uint32_t file, std::uint32_t header);
  // The position of entry i as a Location.
  Location operator[](std::uint32_t i) const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint32_t line = 0, column = 0, file = 0, header = 0;  // file, header: indexes into names_
  };
  std::vector<Entry> entries_{1};
  std::deque<std::string> names_{1};  // names_[0] is ""; a deque keeps the keys of index_ in place
  std::unordered_map<std::string_view, std::uint32_t> index_;  // name -> index into names_
};

// The result of reading a non-canonical input: the canonical document, where its values came
// from, and what went wrong (syntax, unmapped input, values a transform could not convert).
struct Conversion {
  Json document;                   // one object per document; several documents make an array
  Origins origins;                 // origins[Json::origin]
  std::vector<Finding> findings;   // with locations in the input and canonical pointers when known
  bool fatal = false;              // the input could not be read at all (document is unusable)

  // Adds an origin and returns its index for Json::origin.
  std::uint32_t origin(const Location& where) {
    return origins.add(where.line, where.column, where.file, where.header);
  }
  // True when some finding is an error.
  bool has_errors() const;
};

// Receives one JSON value as events, in document order: a reader that emits into a sink either
// builds a tree (with origins) or writes JSON text as it goes. `origin` indexes Conversion::origins
// (0: unknown); a sink that does not want origins gets 0 and spares the reader computing them.
class JsonSink {
 public:
  virtual ~JsonSink() = default;
  virtual bool wants_origins() const { return false; }
  virtual void begin_object(std::uint32_t origin) = 0;
  virtual void begin_array(std::uint32_t origin) = 0;
  // The key of the next member of the innermost object.
  virtual void key(std::string_view key) = 0;
  // Closes the innermost object or array.
  virtual void end() = 0;
  virtual void string(std::string_view value, std::uint32_t origin) = 0;
  virtual void number(std::string_view token, std::uint32_t origin) = 0;
  virtual void boolean(bool value, std::uint32_t origin) = 0;
  virtual void null(std::uint32_t origin) = 0;
};

// Writes the events it receives as JSON text: pretty (two-space indentation, as write_json) or
// compact. With a stream, hands it the text in pieces; with a source map, records origins.
class JsonTextWriter : public JsonSink {
 public:
  explicit JsonTextWriter(bool pretty = true, std::ostream* stream = nullptr) : pretty_(pretty), stream_(stream) {}
  // Records, under each value's JSON pointer, the position of its origin.
  void map_origins(const Origins& origins, SourceMap& map) { origins_ = &origins, map_ = &map; }
  // The text not yet handed to the stream (all of it without a stream).
  std::string& text() { return out_; }
  // Hands the rest of the text to the stream.
  void flush();

  bool wants_origins() const override { return map_ != nullptr; }
  void begin_object(std::uint32_t origin) override;
  void begin_array(std::uint32_t origin) override;
  void key(std::string_view key) override;
  void end() override;
  void string(std::string_view value, std::uint32_t origin) override;
  void number(std::string_view token, std::uint32_t origin) override;
  void boolean(bool value, std::uint32_t origin) override;
  void null(std::uint32_t origin) override;

 private:
  struct Level {
    bool array;
    std::uint32_t count;
    std::size_t pointer_mark;
  };
  void value_start(std::uint32_t origin);
  void newline(std::size_t depth);

  bool pretty_;
  std::ostream* stream_;
  const Origins* origins_ = nullptr;
  SourceMap* map_ = nullptr;
  std::string out_;
  std::string pointer_;
  std::vector<Level> levels_;
};

// Emits a value into a sink (the parsed value's root gets `origin`, its contents 0).
void emit(const Json& value, JsonSink& sink);
void emit(JsonValue value, JsonSink& sink, std::uint32_t origin = 0);

// Copies a parsed JSON value into a tree.
Json to_tree(JsonValue value);
// Parses JSON text; on a syntax error returns false with a `syntax` finding in `out`.
bool parse_json(std::string_view text, std::string_view source, JsonDocument& document, Conversion& out);
// Parses JSON text into a tree; on a syntax error returns false with a `syntax` finding in `out`.
bool parse_json_tree(std::string_view text, std::string_view source, Conversion& out);

// Writes a parsed value as JSON (two-space indentation, newline at the end), without a tree.
void write_json(JsonValue value, std::ostream& out);
// Serialises a tree as JSON (two-space indentation, newline at the end).
std::string write_json(const Json& value);
// Writes the same JSON to `out` in pieces as it is produced (the whole text is never held).
void write_json(const Json& value, std::ostream& out);
// Serialises a tree as compact JSON on one line (no newline at the end).
std::string write_json_compact(const Json& value);
// Serialises and records under each value's JSON pointer the origin it remembers.
std::string write_json(const Json& value, const Origins& origins, SourceMap& map);

// Equality as JSON data: objects compare as unordered collections of members, numbers by token.
bool same_json(const Json& a, const Json& b);
// The first difference between two trees as a JSON pointer and a short English reason, or "".
std::string first_difference(const Json& a, const Json& b);

// True when `token` is a JSON number (RFC 8259 grammar).
bool is_json_number(std::string_view token);

// How the canonical CSV form is written and read.
struct CanonicalCsvOptions {
  csv::Dialect dialect{};              // default: comma, double quote, header row
  csv::LineEnding line_ending = csv::LineEnding::crlf;
  Encoding encoding = Encoding::utf8;
  bool formula_guard = true;           // prefix ' to formula-like cells (reversed on reading)
};

// Writes a document (or a top-level array of documents) in the canonical CSV form.
Output write_canonical_csv(const Json& document, const CanonicalCsvOptions& options = {},
                           const Model& model = Model::builtin());
// The same for a parsed document, without building a tree.
Output write_canonical_csv(JsonValue document, const CanonicalCsvOptions& options = {},
                           const Model& model = Model::builtin());
// Receives the files of an output in pieces as they are made: `bytes` continue the file `name`.
class FileSink {
 public:
  virtual ~FileSink() = default;
  virtual void write(std::string_view name, std::string_view bytes) = 0;
};

// Converts JSON text to the canonical CSV form as it goes: an array of documents is parsed one
// document at a time and the files are handed to `files` in pieces (the returned Output holds
// findings only). On a syntax error sets out.fatal with a `syntax` finding (`files` may then have
// received the part before it).
Output convert_json_to_csv(std::string_view json, std::string_view source, Conversion& out, FileSink& files,
                           const CanonicalCsvOptions& options = {}, const Model& model = Model::builtin());
// Reads the canonical CSV form back; positions are (file, row, column number, header).
Conversion read_canonical_csv(const std::vector<NamedFile>& files, const CanonicalCsvOptions& options = {},
                              const Model& model = Model::builtin());
// The same, emitting the document into `sink` instead (Conversion::document stays null).
Conversion read_canonical_csv(const std::vector<FileView>& files, JsonSink& sink,
                              const CanonicalCsvOptions& options = {}, const Model& model = Model::builtin());

// Reads any CSV file as a JSON array of objects keyed by its header (all values strings).
Conversion read_csv_rows(std::string_view bytes, std::string_view source, const csv::Dialect& dialect = {},
                         Encoding encoding = Encoding::utf8);

// Formula guard of CSV cells: adds the leading ' (write) and removes it again (read: a view of cell).
std::string guard_formula(std::string_view cell);
std::string_view unguard_formula(std::string_view cell);

// Rule ids of the findings that only conversions report (unmapped-input, transform-failed, ...).
const std::vector<std::string_view>& conversion_rules();

}  // namespace hoks
