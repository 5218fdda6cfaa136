// Internal helpers shared by the converters (not part of the public API).
#pragma once

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <memory>
#include <vector>

#include "check/rule_ids.hpp"
#include "hoks/convert/convert.hpp"

namespace hoks {

// Writers that stream (write_json and write_canonical_xml to an ostream) hand over pieces this big.
constexpr std::size_t piece_bytes = std::size_t{1} << 18;

// Adds a finding of `rule` at `where` (severity from the caller; args fill the message).
void add_finding(Conversion& out, detail::RuleId rule, Severity severity, Location where, std::string path,
                 std::vector<std::pair<std::string, std::string>> args);

// Decodes bytes to UTF-8; on failure adds a `syntax` (invalid_encoding) finding and sets fatal.
bool decode_input(std::string_view bytes, Encoding encoding, std::string_view source, std::string& text,
                  Conversion& out);
// Adds a CSV syntax error as a fatal `syntax` finding.
void report_csv_error(const csv::ParseError& e, std::string_view source, Conversion& out);
// True when guard_formula adds a leading ' to the cell.
bool needs_formula_guard(std::string_view cell);
// guard_formula without a copy: adds the leading ' to a formula-like cell.
void guard_formula_in_place(std::string& cell);
// Appends "/" and the escaped key to a JSON pointer.
void append_pointer(std::string& pointer, std::string_view key);
using detail::prefer_huge_pages;
// Memory that asks for 2 MiB pages: `bytes` rounded up to whole 2 MiB pages (the size it has),
// aligned to them, not initialised; touched memory only is faulted in. Throws std::bad_alloc.
struct FreeHuge {
  void operator()(void* p) const { std::free(p); }
};
std::unique_ptr<char, FreeHuge> allocate_huge(std::size_t& bytes);

// Builds a tree from the events it receives, with their origins.
class JsonTreeBuilder : public JsonSink {
 public:
  // The value built (the builder is empty afterwards).
  Json take() { return std::move(root_); }

  bool wants_origins() const override { return true; }
  void begin_object(std::uint32_t origin) override;
  void begin_array(std::uint32_t origin) override;
  void key(std::string_view key) override;
  void end() override;
  void string(std::string_view value, std::uint32_t origin) override;
  void number(std::string_view token, std::uint32_t origin) override;
  void boolean(bool value, std::uint32_t origin) override;
  void null(std::uint32_t origin) override;

 private:
  Json& place(Json value);
  Json root_;
  std::vector<Json*> open_;  // the objects and arrays not yet ended, innermost last
  std::string key_;
};

// One read-only interface over a tree value and a parsed value, so that a writer serves both.
class TreeView {
 public:
  explicit TreeView(const Json& v) : v_(&v) {}
  JsonType type() const { return v_->type; }
  bool boolean() const { return v_->boolean; }
  std::string_view text() const { return v_->text; }  // a string's value or a number's token
  bool empty() const { return v_->type == JsonType::array ? v_->items.empty() : v_->members.empty(); }
  template <typename F> void items(F&& f) const {
    for (const Json& item : v_->items) f(TreeView(item));
  }
  template <typename F> void members(F&& f) const {
    for (const auto& [key, member] : v_->members) f(std::string_view(key), TreeView(member));
  }
  void emit(JsonSink& sink) const { hoks::emit(*v_, sink); }

 private:
  const Json* v_;
};

class TapeView {
 public:
  explicit TapeView(JsonValue v) : v_(v) {}
  JsonType type() const { return v_.type(); }
  bool boolean() const { return v_.boolean(); }
  std::string_view text() const { return v_.str(); }
  bool empty() const { return v_.size() == 0; }
  template <typename F> void items(F&& f) const {
    for (auto& item : v_) f(TapeView(item.value()));
  }
  template <typename F> void members(F&& f) const {
    for (auto& member : v_) f(member.key().str(), TapeView(member.value()));
  }
  void emit(JsonSink& sink) const { hoks::emit(v_, sink); }

 private:
  JsonValue v_;
};

// A top-level JSON array whose items are parsed one at a time as a writer reaches them, so that
// memory holds one document, not all. After writing, failed() tells whether an item did not parse.
class ParsedItems {
 public:
  ParsedItems(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>> items, JsonLimits limits)
      : text_(text), items_(std::move(items)), limits_(limits) {
    if (limits_.max_depth > 0) --limits_.max_depth;  // the array is one level
  }
  JsonType type() const { return JsonType::array; }
  bool boolean() const { return false; }
  std::string_view text() const { return {}; }
  bool empty() const { return items_.empty(); }
  template <typename F> void items(F&& f) const {
    for (const auto& [begin, end] : items_) {
      if (!item_.parse(text_.substr(begin, end - begin), limits_)) {
        failed_ = true;
        return;
      }
      f(TapeView(item_.root()));
    }
  }
  template <typename F> void members(F&&) const {}
  void emit(JsonSink& sink) const {
    sink.begin_array(0);
    items([&](TapeView item) { item.emit(sink); });
    sink.end();
  }
  bool failed() const { return failed_; }

 private:
  std::string_view text_;
  std::vector<std::pair<std::size_t, std::size_t>> items_;
  JsonLimits limits_;
  mutable JsonDocument item_;  // the item being written (its memory is reused for the next)
  mutable bool failed_ = false;
};

// Calls write(view) with the documents of JSON text: an array of them one document at a time
// (memory holds one), anything else parsed whole. False, with a `syntax` finding in `out` as
// parsing the whole reports it, when the text is not well-formed.
template <typename Write>
bool write_documents(std::string_view json, std::string_view source, Conversion& out, Write&& write) {
  std::vector<std::pair<std::size_t, std::size_t>> items;
  if (detail::split_json_array(json, items)) {
    const ParsedItems documents(json, std::move(items), JsonLimits{});
    write(documents);
    if (!documents.failed()) return true;
  }
  JsonDocument doc;
  if (!parse_json(json, source, doc, out)) return false;
  write(TapeView(doc.root()));
  return true;
}

// A value as compact JSON text.
template <typename View>
std::string compact_json(View v) {
  JsonTextWriter w(false);
  v.emit(w);
  return std::move(w.text());
}

}  // namespace hoks

#include <pugixml.hpp>

#include <cstdint>

namespace hoks {

// The copy of a text that pugixml parses in place (and the readers mark): like a std::string that
// is only assigned, but a large one (1 MiB or more) in memory that asks for 2 MiB pages
// (allocate_huge), which a string's malloc'ed block gets only in part. Always NUL-terminated.
class ParseBuffer {
 public:
  void assign(std::string_view s) {
    if (s.size() + 1 > capacity_) grow(s.size() + 1);
    if (!s.empty()) std::memcpy(data_, s.data(), s.size());
    data_[s.size()] = '\0';
    size_ = s.size();
  }
  char* data() { return data_; }
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  char& operator[](std::size_t i) { return data_[i]; }

 private:
  void grow(std::size_t bytes) {
    if (bytes >= (std::size_t{1} << 20)) {
      huge_ = allocate_huge(bytes);
      data_ = huge_.get();
      small_ = std::string();
    } else {
      small_.resize(bytes);
      data_ = small_.data();
      huge_.reset();
    }
    capacity_ = bytes;
  }
  std::string small_;
  std::unique_ptr<char, FreeHuge> huge_;
  char* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

// XML text decoded to UTF-8, parsed safely (no DTD, no entity expansion), with positions.
struct XmlInput {
  std::string_view text;        // the UTF-8 text as given (offsets refer to it): the input or `decoded`
  std::string decoded;          // the input decoded to UTF-8 when it was not valid UTF-8 already
  ParseBuffer buffer;           // a copy of text that pugixml parses in place
  pugi::xml_document doc;
  std::string source;
  std::unique_ptr<LineIndex> line_index;  // created on first use
  std::size_t base = 0;         // the offset in `text` of what `buffer` holds (a part of text, or all)

  // Line and column of a byte offset of `text`.
  Location at(std::ptrdiff_t offset);
  // Where a string of the parsed document (a name or a value) starts.
  Location at(const char* parsed) { return at(static_cast<std::ptrdiff_t>(base) + (parsed - buffer.data())); }
  // Where an element starts (its '<').
  Location at(pugi::xml_node node);
  // Where an attribute of `node` starts (its name), or the element's position when not found.
  Location at(pugi::xml_node node, pugi::xml_attribute attribute);
};

// Decodes (encoding auto-detected when `encoding` is null) and parses XML safely; on failure adds a
// fatal `syntax` finding (xml_malformed, xml_dtd_forbidden or invalid_encoding) and returns false.
bool load_xml(std::string_view bytes, std::string_view source, const Encoding* encoding, XmlInput& in,
              Conversion& out);
// The first half of load_xml: sets in.text to the input as UTF-8 (invalid_encoding on failure).
bool decode_xml(std::string_view bytes, std::string_view source, const Encoding* encoding, XmlInput& in,
                Conversion& out);
// The second half of load_xml: parses all of in.text into in.doc.
bool parse_xml(XmlInput& in, Conversion& out);

// The text content of an element: its PCDATA (the first embedded as its value) and CDATA joined.
std::string element_text(pugi::xml_node node);

}  // namespace hoks
