// Internal: the vendor readers and writers behind Profile::read and Profile::write.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "convert/convert_internal.hpp"
#include "hoks/convert/mapping.hpp"

namespace hoks {

// One step of an XML path of a profile: an element name and its predicates (docs/mapping.md, "XML paths").
struct XmlPredicate {
  bool attribute = false;     // [@name='value'] (else [Child='value'])
  std::string name, value;
  std::size_t position = 0;   // [k], 1-based: the k-th of the elements selected so far
};
struct XmlStep {
  std::string name;
  std::vector<XmlPredicate> predicates;
};
struct XmlPath {
  std::vector<XmlStep> elements;  // "." steps are dropped
  std::string attribute;          // "" = the element's text
};
// Parses an XML path of a profile; nullopt with the reason in `error` when it is malformed.
std::optional<XmlPath> parse_xml_path(const std::string& path, std::string& error);

// Vendor input into canonical JSON: into Conversion::document, or with a sink each value into it as
// soon as it is read (the document stays null), so that no tree is built.
Conversion read_vendor_xml(const Profile& profile, const Model& model, const std::vector<FileView>& input, JsonSink* sink);
Conversion read_vendor_csv(const Profile& profile, const Model& model, const std::vector<FileView>& input, JsonSink* sink);

Output write_vendor_xml(const Profile& profile, const Model& model, const Json& document);
Output write_vendor_csv(const Profile& profile, const Model& model, const Json& document);
// The same for a parsed document: each document is a tree only while it is written.
Output write_vendor_xml(const Profile& profile, const Model& model, JsonValue document);
Output write_vendor_csv(const Profile& profile, const Model& model, JsonValue document);

// A JSON pointer made only when a finding needs it: a member's key or an item's index under a
// parent, or a pointer given as text (the parent and the text outlive it).
class PointerPath {
 public:
  PointerPath() = default;  // the document itself: ""
  explicit PointerPath(const std::string& text) : text_(&text) {}
  PointerPath(const PointerPath& parent, std::string_view key) : parent_(&parent), key_(key) {}
  PointerPath(const PointerPath& parent, std::size_t index) : parent_(&parent), index_(index), item_(true) {}
  std::string str() const {
    std::string s;
    append_to(s);
    return s;
  }
  void append_to(std::string& out) const;

 private:
  const PointerPath* parent_ = nullptr;
  const std::string* text_ = nullptr;
  std::string_view key_;
  std::size_t index_ = 0;
  bool item_ = false;
};
// Copies of texts in blocks that never move: what a writer keeps until it writes it, without a
// string (and an allocation) for each. The blocks ask for huge pages (allocate_huge).
class TextArena {
 public:
  // A copy of s, valid as long as the arena.
  std::string_view keep(std::string_view s) {
    if (s.size() > left_) {
      std::size_t size = s.size();
      blocks_.push_back(allocate_huge(size));
      free_ = blocks_.back().get();
      left_ = size;
    }
    char* at = free_;
    if (!s.empty()) std::memcpy(at, s.data(), s.size());
    free_ += s.size();
    left_ -= s.size();
    size_ += s.size();
    return {at, s.size()};
  }
  // The bytes kept so far.
  std::size_t size() const { return size_; }

 private:
  std::vector<std::unique_ptr<char, FreeHuge>> blocks_;
  char* free_ = nullptr;
  std::size_t left_ = 0, size_ = 0;
};

// What a vendor reader's object() keeps for each nesting level: the keys written so far (of
// several entries of a field, the first that holds is written), reused from one object to the next.
class ReadLevels {
 public:
  // The keys of the object one level deeper, cleared, for as long as it lives.
  class Level {
   public:
    explicit Level(ReadLevels& levels) : levels_(levels), members_(levels.enter()) {}
    ~Level() { --levels_.depth_; }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;
    bool written(std::string_view field) const { return std::find(members_.begin(), members_.end(), field) != members_.end(); }
    void add(std::string_view field) { members_.push_back(field); }
    // A member as a whole value: its key and the value into `sink`.
    void put(JsonSink& sink, const std::string& field, const Json& value) {
      sink.key(field);
      emit(value, sink);
      members_.push_back(field);
    }
    // A member that is a constant or default given as text (emit_typed_text).
    void put_text(JsonSink& sink, const std::string& field, const std::string& text, const ValueType* type, std::uint32_t origin);

   private:
    ReadLevels& levels_;
    std::vector<std::string_view>& members_;
  };

 private:
  std::vector<std::string_view>& enter() {
    if (members_.size() <= depth_) members_.emplace_back();  // a deque: references stay valid
    std::vector<std::string_view>& m = members_[depth_++];
    m.clear();
    return m;
  }
  std::deque<std::vector<std::string_view>> members_;
  std::size_t depth_ = 0;
};

// Values by the address of a profile's string, the last one found at each of 64 slots kept in
// front of the map: a lookup that hits there costs a multiply and a compare, not a hash table's.
template <typename Value>
class ByAddress {
 public:
  // The value for `key`, made by make() the first time it is asked for.
  template <typename Make>
  const Value& get(const std::string* key, Make&& make) {
    const Recent& r = recent_[slot(key)];
    return r.key == key ? *r.value : miss(key, make);
  }

 private:
  // The value for a key not in front: from the map (made when new), then put in front.
  template <typename Make>
  [[gnu::noinline]] const Value& miss(const std::string* key, Make& make) {
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(key, make()).first;
    recent_[slot(key)] = {key, &it->second};  // the map's values stay in place
    return it->second;
  }
  static std::size_t slot(const std::string* key) {  // Fibonacci hashing into 64 slots
    return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(key) * 0x9E3779B97F4A7C15ull) >> 58);
  }
  struct Recent {
    const std::string* key = nullptr;
    const Value* value = nullptr;
  };
  std::unordered_map<const std::string*, Value> map_;
  std::array<Recent, 64> recent_{};
};

// One level deeper for as long as it lives.
class Deeper {
 public:
  explicit Deeper(std::size_t& depth) : depth_(++depth) {}
  ~Deeper() { --depth_; }
  Deeper(const Deeper&) = delete;
  Deeper& operator=(const Deeper&) = delete;

 private:
  std::size_t& depth_;
};
// The scratch of nesting level `depth` in `levels` (made when first needed; a deque: references stay valid).
template <typename T>
T& at_level(std::deque<T>& levels, std::size_t depth) {
  while (levels.size() <= depth) levels.emplace_back();
  return levels[depth];
}

// A canonical value being written, read where it lies: in a tree, or in a parsed document (so that
// writing needs no tree made from it). Absent (false) when get() finds no such member.
class TreeValue {
 public:
  TreeValue() = default;
  explicit TreeValue(const Json& v) : v_(&v) {}
  explicit operator bool() const { return v_ != nullptr; }
  JsonType type() const { return v_->type; }
  bool boolean() const { return v_->boolean; }
  std::string_view text() const { return v_->text; }  // a string's value or a number's token
  std::size_t size() const { return v_->type == JsonType::array ? v_->items.size() : v_->members.size(); }
  // The member with this key (the last one if repeated).
  TreeValue get(std::string_view key) const {
    const Json* m = v_->get(key);
    return m ? TreeValue(*m) : TreeValue();
  }
  template <typename F> void each_item(F&& f) const {
    for (const Json& item : v_->items) f(TreeValue(item));
  }
  template <typename F> void each_member(F&& f) const {
    for (const auto& member : v_->members) f(std::string_view(member.first), TreeValue(member.second));
  }
  // The value as compact JSON text.
  std::string compact() const { return write_json_compact(*v_); }

 private:
  const Json* v_ = nullptr;
};
class ParsedValue {
 public:
  ParsedValue() = default;
  explicit ParsedValue(JsonValue v) : v_(v) {}
  explicit operator bool() const { return v_.valid(); }
  JsonType type() const { return v_.type(); }
  bool boolean() const { return v_.boolean(); }
  std::string_view text() const { return v_.str(); }
  std::size_t size() const { return v_.size(); }
  ParsedValue get(std::string_view key) const { return ParsedValue(v_.get(key)); }
  template <typename F> void each_item(F&& f) const {
    for (auto& item : v_) f(ParsedValue(item.value()));
  }
  template <typename F> void each_member(F&& f) const {
    for (auto& member : v_) f(member.key().str(), ParsedValue(member.value()));
  }
  std::string compact() const {
    JsonTextWriter w(false);
    emit(v_, w);
    return std::move(w.text());
  }

 private:
  JsonValue v_;
};

// Calls f(document, pointer) for each document: the items of an array, else the value itself.
template <typename F>
void each_document(const Json& d, F&& f) {
  const PointerPath root;
  if (d.type != JsonType::array) return f(TreeValue(d), root);
  for (std::size_t i = 0; i < d.items.size(); ++i) f(TreeValue(d.items[i]), PointerPath(root, i));
}
template <typename F>
void each_document(JsonValue d, F&& f) {
  const PointerPath root;
  if (d.type() != JsonType::array) return f(ParsedValue(d), root);
  std::size_t i = 0;
  for (auto& item : d) f(ParsedValue(item.value()), PointerPath(root, i++));
}

// Converts the vendor text of a plain value (entry e, model type `type`) into its canonical value
// with `origin`; a value a transform cannot convert gives transform-failed at where() (called only
// then) and stays a string.
Json read_plain(const MappingEntry& e, const ValueType* type, std::string_view text, const std::function<Location()>& where,
                std::uint32_t origin, const PointerPath& pointer, bool decimal_comma, Conversion& out);
// read_plain with the value emitted into `sink`, without a tree value: a string that no transform
// changes goes as it is, a transformed one from `scratch` (reused from one value to the next).
void emit_plain(JsonSink& sink, const MappingEntry& e, const ValueType* type, std::string_view text,
                const std::function<Location()>& where, std::uint32_t origin, const PointerPath& pointer, bool decimal_comma,
                Conversion& out, std::string& scratch);
// Emits the canonical value of a constant or default given as text (typed by the model type).
void emit_typed_text(JsonSink& sink, const std::string& text, const ValueType* type, std::uint32_t origin);
inline void ReadLevels::Level::put_text(JsonSink& sink, const std::string& field, const std::string& text, const ValueType* type,
                                        std::uint32_t origin) {
  sink.key(field);
  emit_typed_text(sink, text, type, origin);
  members_.push_back(field);
}
// Converts a canonical plain value to vendor text; false (with a transform-failed finding at
// `pointer`; text holds the best effort) when the value cannot be expressed.
template <typename View>
bool write_plain(const MappingEntry& e, View v, std::string& text, const PointerPath& pointer,
                 bool decimal_comma, Output& out);
// Reports member `key` of the object at `pointer`, which no entry maps (information the vendor
// format loses).
void report_unwritten_member(std::string_view key, const PointerPath& pointer, const Profile& profile, Output& out);
// The entries of each list of the profile by the member key they write (their field, or a part
// of a template), found once for each list.
class EntriesByKey {
 public:
  // The keys the entries of `entries` write, each with the indexes of the entries whose field it is.
  const std::unordered_map<std::string_view, std::vector<std::size_t>>& of(const std::vector<MappingEntry>& entries) {
    const auto [it, fresh] = lists_.try_emplace(&entries);
    if (fresh) {
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!entries[i].field.empty()) it->second[entries[i].field].push_back(i);
        else
          for (const MappingEntry& part : entries[i].fields) it->second.try_emplace(part.field);
      }
    }
    return it->second;
  }

 private:
  std::unordered_map<const std::vector<MappingEntry>*, std::unordered_map<std::string_view, std::vector<std::size_t>>> lists_;
};
// The values of the entries of the objects being written: a frame a nesting level, in one vector
// for each kind of view, reused from one object to the next.
class EntryValueStack {
 public:
  template <typename View>
  class Frame {
   public:
    Frame(EntryValueStack& stack, std::size_t n) : values_(std::get<std::vector<View>>(stack.stacks_)), base_(values_.size()) {
      values_.resize(base_ + n);
    }
    ~Frame() { values_.resize(base_); }
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;
    View* data() { return values_.data() + base_; }  // valid until a deeper frame is made
    View operator[](std::size_t i) const { return values_[base_ + i]; }

   private:
    std::vector<View>& values_;
    const std::size_t base_;
  };

 private:
  std::tuple<std::vector<TreeValue>, std::vector<ParsedValue>> stacks_;
};
// The value of each entry's field in `object` (the last member of that key, else absent) into
// values[i] for entries[i], found in one pass over the members; the members no entry maps are
// reported (report_unwritten_member).
template <typename View>
void entry_values(const std::vector<MappingEntry>& entries, EntriesByKey& by_key, View object, const PointerPath& pointer,
                  const Profile& profile, Output& out, View* values) {
  const auto& keys = by_key.of(entries);
  object.each_member([&](std::string_view key, View value) {
    const auto it = keys.find(key);
    if (it == keys.end()) return report_unwritten_member(key, pointer, profile, out);
    for (const std::size_t i : it->second) values[i] = value;
  });
}
// The severity of unmapped input under the profile.
inline Severity unmapped_severity(const Profile& p) { return p.strict ? Severity::error : Severity::warning; }
// The text of a template with its placeholders filled by `parts` (in order).
std::string join_template(const MappingEntry& e, const std::vector<std::string>& parts);
// The template as written in the profile ("{A} {B}"), for messages.
std::string template_text(const MappingEntry& e);
// Splits text into the parts of e's template; false when it does not match or a separator is ambiguous.
bool split_template(const MappingEntry& e, const std::string& text, std::vector<std::string>& parts);
// Writing a template with `field`: the value split into its sources' texts; when it cannot be split
// (transform-failed at `pointer`) the whole text goes to the first source.
std::vector<std::string> split_or_report(const MappingEntry& e, const std::string& text, const PointerPath& pointer, Output& out);
// Writing a template without `field`: the text made of the parts its fields write; false when all are empty.
template <typename View>
bool write_parts(const MappingEntry& e, View object, const PointerPath& pointer, bool decimal_comma, Output& out,
                 std::string& text);
// True when entry `e` is the one of its field that applies to `text` at its condition's path
// (no condition: always); `text` is looked up by the caller.
inline bool condition_holds(const MappingEntry& e, const std::string& text) {
  return !e.when || std::find(e.when->values.begin(), e.when->values.end(), text) != e.when->values.end();
}
// True when some entry of `entries` has a condition.
inline bool any_condition(const std::vector<MappingEntry>& entries) {
  return std::any_of(entries.begin(), entries.end(), [](const MappingEntry& x) { return x.when.has_value(); });
}
// True when some entry of `entries` for `field` has a condition.
inline bool conditional(const std::vector<MappingEntry>& entries, const std::string& field) {
  return std::any_of(entries.begin(), entries.end(), [&](const MappingEntry& x) { return x.when && x.field == field; });
}
// The first entry of `entries` for `field`.
inline const MappingEntry* first_entry(const std::vector<MappingEntry>& entries, const std::string& field) {
  for (const MappingEntry& x : entries)
    if (x.field == field) return &x;
  return nullptr;
}
// Writing: checks that the entry of each conditional field that applies to the output (`written`
// gives the text at a condition's path) reads the canonical value back; transform-failed otherwise.
template <typename View>
void check_conditions(const std::vector<MappingEntry>& entries, View object, const PointerPath& pointer,
                      const std::function<std::string(const std::string&)>& written, Output& out);
// Splits `text` at every occurrence of `separator`.
std::vector<std::string> split_text(const std::string& text, const std::string& separator);
// Calls f(part) for each part of `text` as split_text cuts it, the parts viewed where they lie.
template <typename F>
void each_part(std::string_view text, const std::string& separator, F&& f) {
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    f(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return;
    start = end + separator.size();
  }
}

}  // namespace hoks
