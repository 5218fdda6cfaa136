// A strict RFC 8259 JSON reader that keeps the byte offset of every value.
// The document is a flat array of nodes (a "tape"); objects hold key/value node pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoks {

enum class JsonType : std::uint8_t { null, boolean, number, string, array, object };

// Why a document is not well-formed.
enum class JsonErrorKind : std::uint8_t {
  none,
  empty_document,
  unexpected_character,
  unexpected_end,
  trailing_content,
  invalid_literal,
  invalid_number,
  invalid_string_character,  // a raw control character inside a string
  invalid_escape,
  invalid_unicode_escape,    // a lone or mismatched surrogate in \u escapes
  invalid_utf8,
  nul_byte,
  byte_order_mark_utf16,
  too_deep,
  too_large,
  string_too_long,
};

// Limits that protect against hostile input; 0 means "no limit".
struct JsonLimits {
  std::uint32_t max_depth = 256;
  std::size_t max_document_bytes = std::size_t{1} << 30;
  std::size_t max_string_bytes = std::size_t{16} << 20;
};

namespace detail {
// One value of a parsed document, as JsonDocument stores them (read them through JsonValue).
struct JsonNode {
  JsonType type;
  std::uint8_t flags;    // see JsonDocument::flag_*
  std::uint32_t offset;  // byte offset of the value in the source
  std::uint32_t next;    // index of the node after this value's subtree
  std::uint32_t parent;  // index of the enclosing array/object (root: itself)
  std::uint32_t size;    // string/number: byte length; array: items; object: members
  const char* data;      // string: decoded UTF-8; number: the raw token
};
}  // namespace detail

class JsonValue;

// A parsed document. It refers to the source text, which must outlive it.
class JsonDocument {
 public:
  static constexpr std::uint8_t flag_true = 1;        // boolean true
  static constexpr std::uint8_t flag_integral = 2;    // number with an integral value (50, 50.0, 1e2)
  static constexpr std::uint8_t flag_escaped = 4;     // string had escapes (data points to the arena)

  // Parses `text`; on failure ok() is false and error()/error_offset() tell why and where.
  bool parse(std::string_view text, const JsonLimits& limits = {});

  bool ok() const { return error_ == JsonErrorKind::none; }
  JsonErrorKind error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }
  std::string_view source() const { return source_; }

  JsonValue root() const;
  const detail::JsonNode& node(std::uint32_t i) const { return nodes_[i]; }
  std::uint32_t node_count() const { return static_cast<std::uint32_t>(nodes_.size()); }

  // The RFC 6901 pointer of node i relative to node `from` ("" for `from` itself).
  std::string pointer(std::uint32_t i, std::uint32_t from = 0) const;
  // The same pointer written into `out` (replacing its content, keeping its capacity).
  void pointer_into(std::string& out, std::uint32_t i, std::uint32_t from = 0) const;
  // The node at an RFC 6901 pointer, or UINT32_MAX.
  std::uint32_t find(std::string_view pointer) const;

 private:
  friend class JsonParser;
  std::string_view source_;
  std::vector<detail::JsonNode> nodes_;
  std::string arena_;
  JsonErrorKind error_ = JsonErrorKind::empty_document;
  std::size_t error_offset_ = 0;
};

// A cheap handle on one node of a JsonDocument.
class JsonValue {
 public:
  JsonValue() = default;
  JsonValue(const JsonDocument* doc, std::uint32_t index) : doc_(doc), index_(index) {}

  bool valid() const { return doc_ != nullptr; }
  std::uint32_t index() const { return index_; }
  const detail::JsonNode& node() const { return doc_->node(index_); }
  JsonType type() const { return node().type; }
  bool is_object() const { return valid() && type() == JsonType::object; }
  bool is_array() const { return valid() && type() == JsonType::array; }
  bool is_string() const { return valid() && type() == JsonType::string; }
  // String content, number token or literal; "" for anything else.
  std::string_view str() const {
    if (!valid() || node().data == nullptr) return {};
    return {node().data, node().size};
  }
  bool boolean() const { return (node().flags & JsonDocument::flag_true) != 0; }
  std::uint32_t size() const { return node().size; }
  std::uint32_t offset() const { return node().offset; }
  const JsonDocument* document() const { return doc_; }

  // Object member by key (the last one if repeated); invalid() when absent or not an object.
  JsonValue get(std::string_view key) const;

  // Iteration over object members (key() and value()) or array items (value()).
  class iterator {
   public:
    iterator(const JsonDocument* d, std::uint32_t i, bool obj) : doc_(d), i_(i), obj_(obj) {}
    JsonValue key() const { return {doc_, i_}; }
    JsonValue value() const { return {doc_, obj_ ? i_ + 1 : i_}; }
    iterator& operator*() { return *this; }
    iterator& operator++() {
      i_ = obj_ ? doc_->node(i_ + 1).next : doc_->node(i_).next;
      return *this;
    }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }

   private:
    const JsonDocument* doc_;
    std::uint32_t i_;
    bool obj_;
  };
  iterator begin() const { return {doc_, index_ + 1, type() == JsonType::object}; }
  iterator end() const { return {doc_, node().next, type() == JsonType::object}; }

 private:
  const JsonDocument* doc_ = nullptr;
  std::uint32_t index_ = 0;
};

inline JsonValue JsonDocument::root() const { return {this, 0}; }

// 1-based line and column (in Unicode characters) of a byte offset in text.
struct TextPosition {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// Maps byte offsets to lines and columns; builds its line index on first use. Offsets asked for
// in increasing order cost O(distance) each, so a long single-line document stays linear.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {}
  // For a text known to hold no line break (an NDJSON line): every offset is on line 1, and the
  // text is not scanned for line starts.
  static LineIndex one_line(std::string_view text) {
    LineIndex index(text);
    index.one_line_ = true;
    return index;
  }
  TextPosition locate(std::size_t offset);

 private:
  std::string_view text_;
  bool one_line_ = false;
  std::vector<std::size_t> starts_;
  std::size_t last_offset_ = 0;  // the previous answer, where the next column count may resume
  TextPosition last_{};
};

namespace detail {
// The [begin, end) offsets of the items of a top-level JSON array, found by a cheap scan that
// follows only strings and brackets, so that each item can be parsed alone. False when the text
// is not an array or the scan sees it is not well-formed; the items themselves are not checked.
bool split_json_array(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& items);
}  // namespace detail

// A short English identifier of an error kind ("unexpected_end").
std::string_view to_string(JsonErrorKind kind);

namespace detail {
// Appends `s` to `out` as a JSON string literal (with quotes).
void append_json_string(std::string& out, std::string_view s);
// Writes `s` as a JSON string literal at `p`, which has room for 2 + 6 * s.size() bytes; returns its end.
char* put_json_string(char* p, std::string_view s);
// The same without the quotes: the escaped characters of `s` (room for 6 * s.size() bytes).
char* put_json_chars(char* p, std::string_view s);
// Asks for 2 MiB pages for the whole 2 MiB pages inside [data, data + size) (transparent huge
// pages, where the system grants them): a page fault costs microseconds on some virtual machines.
void prefer_huge_pages(void* data, std::size_t size);
}  // namespace detail

}  // namespace hoks
