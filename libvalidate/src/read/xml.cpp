// Canonical XML: writer, reader (pugixml, no DTD), XSD generator, and the safe XML loader.
#include "hoks/read/xml.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <ostream>

#include "convert/convert_internal.hpp"

namespace hoks {
namespace {

char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  std::size_t k = 1;
  for (; k < static_cast<std::size_t>(n) && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += k;
  return c;
}

bool name_start(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

bool name_char(char32_t c) {
  return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}

// True when every character of s may appear in XML 1.0 content (as itself or a character reference).
bool xml_safe(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') return false;
      ++i;
      continue;
    }
    const char32_t c = next_code_point(s, i);
    if (c == 0xFFFE || c == 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
  }
  return true;
}

// Appends s with the characters that have an entity in `entity` (nullptr: as is) replaced.
template <typename Entity>
void escape(std::string& out, std::string_view s, Entity entity) {
  std::size_t plain = 0;  // start of the run of characters written as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) > '>') continue;  // every escaped character is at most '>'
    const char* e = entity(s[i]);
    if (!e) continue;
    out.append(s.data() + plain, i - plain);
    out += e;
    plain = i + 1;
  }
  out.append(s.data() + plain, s.size() - plain);
}

void escape_text(std::string& out, std::string_view s) {
  escape(out, s, [](char c) -> const char* {
    switch (c) {
      case '&': return "&amp;";
      case '<': return "&lt;";
      case '>': return "&gt;";
      case '\r': return "&#13;";
      default: return nullptr;
    }
  });
}

void escape_attribute(std::string& out, std::string_view s) {
  escape(out, s, [](char c) -> const char* {
    switch (c) {
      case '&': return "&amp;";
      case '<': return "&lt;";
      case '>': return "&gt;";
      case '"': return "&quot;";
      case '\t': return "&#9;";
      case '\n': return "&#10;";
      case '\r': return "&#13;";
      default: return nullptr;
    }
  });
}

// A JSON string literal that XML can carry: controls and U+FFFE/U+FFFF as \u escapes.
std::string xml_safe_json_literal(std::string_view s) {
  std::string lit;
  detail::append_json_string(lit, s);
  std::string out;
  for (std::size_t i = 0; i < lit.size(); ++i) {
    if (static_cast<unsigned char>(lit[i]) == 0xEF && i + 2 < lit.size() && static_cast<unsigned char>(lit[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(lit[i + 2]) == 0xBE || static_cast<unsigned char>(lit[i + 2]) == 0xBF)) {
      out += static_cast<unsigned char>(lit[i + 2]) == 0xBE ? "\\ufffe" : "\\uffff";
      i += 2;
    } else {
      out.push_back(lit[i]);
    }
  }
  return out;
}

JsonType default_kind(const ValueType* t) {
  if (!t) return JsonType::string;
  switch (t->base) {
    case BaseType::integer:
    case BaseType::number: return JsonType::number;
    case BaseType::boolean: return JsonType::boolean;
    case BaseType::object: return JsonType::object;
    case BaseType::array: return JsonType::array;
    default: return JsonType::string;
  }
}

const char* kind_name(JsonType t) {
  static const char* names[] = {"null", "boolean", "number", "string", "array", "object"};
  return names[static_cast<int>(t)];
}

bool parse_kind(std::string_view s, JsonType& t) {
  static const std::pair<const char*, JsonType> kinds[] = {{"null", JsonType::null},     {"boolean", JsonType::boolean},
                                                          {"number", JsonType::number}, {"string", JsonType::string},
                                                          {"array", JsonType::array},   {"object", JsonType::object}};
  for (auto [name, kind] : kinds)
    if (s == name) {
      t = kind;
      return true;
    }
  return false;
}

// parse_doctype only to find a DOCTYPE and reject it; pugixml never expands entities. The text of
// an element with one PCDATA child is its value (parse_embed_pcdata: one node less).
constexpr unsigned xml_parse_flags = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                                     pugi::parse_ws_pcdata_single | pugi::parse_doctype | pugi::parse_embed_pcdata;

std::size_t undefined_entity(std::string_view text);

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Where the documents of <root type="array"> lie in the text, found without parsing them, so that
// each is parsed alone and memory stays small however many there are.
struct DocumentSplit {
  std::size_t root = 0;                                        // offset of the document element
  std::vector<std::pair<std::size_t, std::size_t>> documents;  // [begin, end) of each child element
};

// Skips white space, comments and processing instructions; false at an unterminated one.
bool skip_misc(std::string_view t, std::size_t& i) {
  for (;;) {
    while (i < t.size() && is_space(t[i])) ++i;
    const bool comment = t.compare(i, 4, "<!--") == 0;
    if (!comment && t.compare(i, 2, "<?") != 0) return true;
    const std::size_t end = t.find(comment ? "-->" : "?>", i + 2);
    if (end == std::string_view::npos) return false;
    i = end + (comment ? 3 : 2);
  }
}

// Moves i from the '<' of a start tag past the end of its element; false when the element does
// not end or holds something other than elements, text, comments, CDATA and PIs.
bool skip_element(std::string_view t, std::size_t& i) {
  std::size_t depth = 0;
  while (i < t.size()) {
    if (t[i] != '<') {
      i = t.find('<', i);
      if (i == std::string_view::npos) return false;
      continue;
    }
    const auto skip_to = [&](std::string_view close) {
      const std::size_t end = t.find(close, i);
      if (end == std::string_view::npos) return false;
      i = end + close.size();
      return true;
    };
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    if (next != '!' && next != '?' && next != '/') {
      // A start tag (the usual case): it ends at the first '>' outside a quoted value.
      std::size_t k = i + 1;
      for (char quote = 0; k < t.size(); ++k) {
        const char c = t[k];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (k >= t.size()) return false;
      const bool empty = t[k - 1] == '/';
      i = k + 1;
      if (!empty) ++depth;
      else if (depth == 0) return true;
    } else if (t.compare(i, 4, "<!--") == 0) {
      if (!skip_to("-->")) return false;
    } else if (t.compare(i, 9, "<![CDATA[") == 0) {
      if (!skip_to("]]>")) return false;
    } else if (t.compare(i, 2, "<?") == 0) {
      if (!skip_to("?>")) return false;
    } else if (t.compare(i, 2, "<!") == 0) {
      return false;
    } else {  // an end tag
      if (depth == 0 || !skip_to(">")) return false;
      if (--depth == 0) return true;
    }
  }
  return false;
}

// Splits `<root type="array">` documents; false when the text has any other shape (a DOCTYPE,
// other attributes, text beside the documents, anything unfinished): it is then parsed whole.
bool split_documents(std::string_view t, std::string_view root, DocumentSplit& split) {
  std::size_t i = 0;
  if (!skip_misc(t, i) || t.compare(i, 1, "<") != 0 || t.compare(i + 1, root.size(), root) != 0) return false;
  split.root = i;
  i += 1 + root.size();
  const auto spaces = [&] {
    const std::size_t from = i;
    while (i < t.size() && is_space(t[i])) ++i;
    return i > from;
  };
  const auto literal = [&](std::string_view s) {
    if (t.compare(i, s.size(), s) != 0) return false;
    i += s.size();
    return true;
  };
  if (!spaces() || !literal("type")) return false;
  spaces();
  if (!literal("=")) return false;
  spaces();
  if (!literal("\"array\"") && !literal("'array'")) return false;
  spaces();
  if (!literal(">")) return false;
  for (;;) {
    if (!skip_misc(t, i)) return false;
    if (literal("</")) {
      if (!literal(root)) return false;
      spaces();
      if (!literal(">") || !skip_misc(t, i)) return false;
      return i == t.size();
    }
    if (i + 1 >= t.size() || t[i] != '<' || !(std::isalpha(static_cast<unsigned char>(t[i + 1])) || t[i + 1] == '_' ||
                                               static_cast<unsigned char>(t[i + 1]) >= 0x80))
      return false;
    const std::size_t begin = i;
    if (!skip_element(t, i)) return false;
    split.documents.emplace_back(begin, i);
  }
}

class XmlWriter {
 public:
  XmlWriter(const Model& model, const CanonicalXmlOptions& options, std::ostream* sink = nullptr)
      : model_(model), options_(options), sink_(sink) {}

  // The XML text, or its last piece when a sink receives the others.
  template <typename View>
  std::string document(const View& doc) {
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    documents_.name = "[" + model_.root_type().name + "]";
    documents_.base = BaseType::array;
    documents_.item = &model_.root_type();
    element(options_.root, false, doc, doc.type() == JsonType::array ? &documents_ : &model_.root_type(), 0, nullptr);
    out_.push_back('\n');
    return std::move(out_);
  }

 private:
  void newline(int depth) {
    if (options_.indent <= 0) return;
    out_.push_back('\n');
    out_.append(static_cast<std::size_t>(depth * options_.indent), ' ');
  }

  // Writes `v` as an element named after `key` (a JSON key when is_key, else a fixed tag).
  template <typename View>
  void element(std::string_view key, bool is_key, const View& v, const ValueType* t, int depth, const char* array_mark) {
    if (sink_ && out_.size() >= piece_bytes) {
      sink_->write(out_.data(), static_cast<std::streamsize>(out_.size()));
      out_.clear();
    }
    if (depth > 0 || options_.indent > 0) newline(depth);
    const bool plain_name = !is_key || is_xml_name(key);
    const std::string_view tag = plain_name ? key : std::string_view("_");
    out_.push_back('<');
    out_ += tag;
    if (!plain_name) {
      if (xml_safe(key)) {
        out_ += " key=\"";
        escape_attribute(out_, key);
      } else {
        out_ += " key-json=\"";
        escape_attribute(out_, xml_safe_json_literal(key));
      }
      out_.push_back('"');
    }
    if (array_mark) {
      out_ += " array=\"";
      out_ += array_mark;
      out_.push_back('"');
    }
    // The document element's type is relative to the root entity (a top-level array says so).
    const JsonType expected = depth == 0 ? JsonType::object : default_kind(t);
    if (v.type() != expected && !(array_mark && (std::strcmp(array_mark, "empty") == 0 || std::strcmp(array_mark, "null") == 0))) {
      out_ += " type=\"";
      out_ += kind_name(v.type());
      out_.push_back('"');
    }
    switch (v.type()) {
      case JsonType::null: out_ += "/>"; return;
      case JsonType::boolean: out_ += v.boolean() ? ">true</" : ">false</"; break;
      case JsonType::number:
        out_.push_back('>');
        out_ += v.text();
        out_ += "</";
        break;
      case JsonType::string: {
        const std::string_view text = v.text();
        if (text.empty()) {
          out_ += "/>";
          return;
        }
        if (xml_safe(text)) {
          out_.push_back('>');
          escape_text(out_, text);
        } else {
          out_ += " enc=\"json\">";
          escape_text(out_, xml_safe_json_literal(text));
        }
        out_ += "</";
        break;
      }
      case JsonType::array: {
        if (v.empty()) {
          out_ += "/>";
          return;
        }
        out_.push_back('>');
        const ValueType* item = t && t->base == BaseType::array ? t->item : nullptr;
        v.items([&](auto i) { element("item", false, i, item, depth + 1, nullptr); });
        newline(depth);
        out_ += "</";
        break;
      }
      case JsonType::object: {
        if (v.empty()) {
          out_ += "/>";
          return;
        }
        out_.push_back('>');
        members(v, t && t->base == BaseType::object ? &model_.entity(t->entity) : nullptr, depth + 1);
        newline(depth);
        out_ += "</";
        break;
      }
    }
    out_ += tag;
    out_.push_back('>');
  }

  template <typename View>
  void members(const View& object, const Entity* entity, int depth) {
    bool first = true;
    std::string_view previous_key;
    object.members([&](std::string_view key, auto value) {
      const Field* field = entity ? entity->field(key) : nullptr;
      const ValueType* t = field ? field->type : nullptr;
      if (t && t->base == BaseType::array) {
        if (value.type() == JsonType::null) {
          element(key, true, value, t, depth, "null");  // eHOKS reads it as [] (ehoks-model.md §0.2)
        } else if (value.type() != JsonType::array) {
          element(key, true, value, nullptr, depth, "no");
        } else if (value.empty()) {
          element(key, true, value, t, depth, "empty");
        } else {
          // Repeated key right after the same array key: mark where the second array starts.
          const char* mark = !first && previous_key == key ? "new" : nullptr;
          value.items([&](auto item) {
            element(key, true, item, t->item, depth, mark);
            mark = nullptr;
          });
        }
      } else {
        element(key, true, value, t, depth, nullptr);
      }
      first = false;
      previous_key = key;
    });
  }

  const Model& model_;
  const CanonicalXmlOptions& options_;
  std::ostream* sink_;
  ValueType documents_;
  std::string out_;
};

class XmlReader {
 public:
  XmlReader(XmlInput& in, Conversion& out, JsonSink& sink, const Model& model)
      : in_(in), out_(out), sink_(sink), model_(model) {
    documents_.name = "[" + model_.root_type().name + "]";
    documents_.base = BaseType::array;
    documents_.item = &model_.root_type();
  }

  // Reads the documents of a split text one at a time; false when one of them is not well-formed
  // (the whole text is not either: parse_xml then tells where).
  bool read(const DocumentSplit& split) {
    sink_.begin_array(sink_.wants_origins() ? out_.origin(in_.at(static_cast<std::ptrdiff_t>(split.root))) : 0);
    for (std::size_t i = 0; i < split.documents.size(); ++i) {
      const auto [begin, end] = split.documents[i];
      in_.base = begin;
      in_.buffer.assign(in_.text.substr(begin, end - begin));
      if (!in_.doc.load_buffer_inplace(in_.buffer.data(), in_.buffer.size(), xml_parse_flags, pugi::encoding_utf8))
        return false;
      path_.assign(1, Step{{}, i});
      element(in_.doc.document_element(), &model_.root_type(), 1);
    }
    path_.clear();
    sink_.end();
    return true;
  }

  void read(std::string_view root_name) {
    const pugi::xml_node root = in_.doc.document_element();
    if (root_name != root.name()) {  // not this format (likely a vendor file without its profile): nothing is read
      add_finding(out_, detail::RuleId::wrong_format, Severity::error, in_.at(root), "",
                  {{"name", root.name()}, {"expected", std::string(root_name)}, {"format", "xml"}});
      out_.fatal = true;
      return;
    }
    const pugi::xml_attribute type = root.attribute("type");
    const bool many = type && std::string_view(type.value()) == "array";
    element(root, many ? &documents_ : &model_.root_type(), 0);
  }

 private:
  void unmapped(Location where, std::string_view name) {
    add_finding(out_, detail::RuleId::unmapped_input, Severity::warning, std::move(where), pointer(), {{"name", std::string(name)}});
  }
  void failed(Location where, std::string_view value, std::string_view expected, std::string_view format) {
    add_finding(out_, detail::RuleId::transform_failed, Severity::error, std::move(where), pointer(),
                {{"value", std::string(value)}, {"expected", std::string(expected)}, {"format", std::string(format)}});
  }
  // The origin of an element's value, when the sink keeps origins.
  std::uint32_t origin(pugi::xml_node e) { return sink_.wants_origins() ? out_.origin(in_.at(e)) : 0; }

  static bool has_text(const char* s) { return std::string_view(s).find_first_not_of(" \t\r\n") != std::string_view::npos; }

  // Emits the value of element e (of model type t) into the sink.
  void element(pugi::xml_node e, const ValueType* t, int depth) {
    const std::uint32_t at = origin(e);
    if (depth > 256) {
      add_finding(out_, detail::RuleId::syntax, Severity::error, in_.at(e), pointer(), {{"detail", "too_deep"}});
      out_.fatal = true;
      sink_.null(at);
      return;
    }
    JsonType kind = default_kind(t);
    bool json_encoded = false;
    for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
      const std::string_view name = a.name();
      if (name == "type") {
        if (!parse_kind(a.value(), kind)) {
          failed(in_.at(e, a), a.value(), "type", "string, number, boolean, null, object, array");
          kind = JsonType::string;
        }
      } else if (name == "enc" && std::string_view(a.value()) == "json") {
        json_encoded = true;
      } else if (name != "key" && name != "key-json" && name != "array") {
        unmapped(in_.at(e, a), std::string("@") + a.name());
      }
    }
    if (kind == JsonType::object || kind == JsonType::array) {
      if (has_text(e.value())) unmapped(in_.at(e.value()), std::string("text()"));
      for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling())
        if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) && has_text(c.value()))
          unmapped(in_.at(c.offset_debug()), std::string("text()"));
      if (kind == JsonType::object) {
        sink_.begin_object(at);
        members(e, t && t->base == BaseType::object ? &model_.entity(t->entity) : nullptr, depth);
        sink_.end();
        return;
      }
      sink_.begin_array(at);
      const ValueType* item = t && t->base == BaseType::array ? t->item : nullptr;
      std::size_t index = 0;
      for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        path_.push_back({{}, index++});
        element(c, item, depth + 1);
        path_.pop_back();
      }
      sink_.end();
      return;
    }
    bool only_text = true;  // the usual case: the text is the element's value, no copy needed
    for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
      only_text = false;
      if (c.type() == pugi::node_element) unmapped(in_.at(c), c.name());
    }
    std::string joined;
    if (!only_text) joined = element_text(e);
    const std::string_view text = only_text ? std::string_view(e.value()) : std::string_view(joined);
    if (json_encoded) {
      JsonDocument doc;
      if (doc.parse(text) && doc.root().is_string()) return sink_.string(doc.root().str(), at);
      failed(in_.at(e), text, "string", "JSON string literal");
      return sink_.string(text, at);
    }
    switch (kind) {
      case JsonType::number:
        if (is_json_number(text)) return sink_.number(text, at);
        failed(in_.at(e), text, "number", "123, -1.5, 2e3");
        break;
      case JsonType::boolean:
        if (text == "true" || text == "false") return sink_.boolean(text == "true", at);
        failed(in_.at(e), text, "boolean", "true, false");
        break;
      case JsonType::null:
        if (text.empty()) return sink_.null(at);
        failed(in_.at(e), text, "null", "<x type=\"null\"/>");
        break;
      default: break;
    }
    sink_.string(text, at);
  }

  // The JSON key of a child element (its name, or its key / key-json attribute); `scratch` holds
  // a decoded key-json.
  std::string_view key_of(pugi::xml_node c, std::string& scratch) {
    if (const pugi::xml_attribute k = c.attribute("key")) return k.value();
    if (const pugi::xml_attribute k = c.attribute("key-json")) {
      JsonDocument doc;
      if (doc.parse(k.value()) && doc.root().is_string()) return scratch.assign(doc.root().str());
      failed(in_.at(c, k), k.value(), "string", "JSON string literal");
      return k.value();
    }
    return c.name();
  }

  // Emits the members of object element e: consecutive elements of an array field make one array.
  void members(pugi::xml_node e, const Entity* entity, int depth) {
    bool run_open = false;  // an array member that consecutive repeated elements extend
    std::string run_key, scratch;
    std::size_t run_items = 0;
    const auto close_run = [&] {
      if (run_open) sink_.end();
      run_open = false;
    };
    for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const std::string_view key = key_of(c, scratch);
      const Field* field = entity ? entity->field(key) : nullptr;
      const ValueType* t = field ? field->type : nullptr;
      const std::string_view mark = c.attribute("array").value();
      const std::size_t path_mark = path_.size();
      path_.push_back({key, 0});
      if (t && t->base == BaseType::array) {
        if (mark == "empty") {
          close_run();
          sink_.key(key);
          sink_.begin_array(origin(c));
          sink_.end();
        } else if (mark == "null") {
          close_run();
          sink_.key(key);
          sink_.null(origin(c));
        } else if (mark == "no") {
          close_run();
          sink_.key(key);
          element(c, nullptr, depth + 1);
        } else {
          if (!mark.empty() && mark != "new") unmapped(in_.at(c, c.attribute("array")), "@array");
          if (!run_open || run_key != key || mark == "new") {
            close_run();
            run_key = key;
            sink_.key(key);
            sink_.begin_array(origin(c));
            run_open = true;
            run_items = 0;
          }
          path_.push_back({{}, run_items++});
          element(c, t->item, depth + 1);
        }
      } else {
        if (!mark.empty()) unmapped(in_.at(c, c.attribute("array")), "@array");
        close_run();
        sink_.key(key);
        element(c, t, depth + 1);
      }
      path_.resize(path_mark);
    }
    close_run();
  }

  XmlInput& in_;
  Conversion& out_;
  JsonSink& sink_;
  const Model& model_;
  ValueType documents_;
  // Where the reader is, as the steps of a JSON pointer (made into text only for a finding).
  struct Step {
    std::string_view key;  // a member's key; empty for an array index
    std::size_t index;
  };
  std::vector<Step> path_;

  std::string pointer() const {
    std::string p;
    for (const Step& step : path_) {
      if (step.key.data()) {
        append_pointer(p, step.key);
      } else {
        p.push_back('/');
        p += std::to_string(step.index);
      }
    }
    return p;
  }
};

}  // namespace

bool is_xml_name(std::string_view name) {
  if (name.empty()) return false;
  if (name.size() >= 3) {
    const auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); };
    if (lower(name[0]) == 'x' && lower(name[1]) == 'm' && lower(name[2]) == 'l') return false;
  }
  std::size_t i = 0;
  if (!name_start(next_code_point(name, i))) return false;
  static const auto ascii_name_char = [] {
    std::array<bool, 128> a{};
    for (char32_t c = 0; c < 128; ++c) a[c] = name_char(c);
    return a;
  }();
  while (i < name.size()) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 128) {  // the common case, without decoding
      if (!ascii_name_char[c]) return false;
      ++i;
    } else if (!name_char(next_code_point(name, i))) {
      return false;
    }
  }
  return true;
}

std::string write_canonical_xml(const Json& document, const CanonicalXmlOptions& options, const Model& model) {
  XmlWriter w(model, options);
  return w.document(TreeView(document));
}

void write_canonical_xml(const Json& document, std::ostream& out, const CanonicalXmlOptions& options,
                         const Model& model) {
  XmlWriter w(model, options, &out);
  const std::string last = w.document(TreeView(document));
  out.write(last.data(), static_cast<std::streamsize>(last.size()));
}

void write_canonical_xml(JsonValue document, std::ostream& out, const CanonicalXmlOptions& options,
                         const Model& model) {
  XmlWriter w(model, options, &out);
  const std::string last = w.document(TapeView(document));
  out.write(last.data(), static_cast<std::streamsize>(last.size()));
}

bool convert_json_to_xml(std::string_view json, std::string_view source, std::ostream& output, Conversion& out,
                         const CanonicalXmlOptions& options, const Model& model) {
  std::string last;  // the last piece, written once every document is
  const auto write = [&](const auto& documents) { last = XmlWriter(model, options, &output).document(documents); };
  if (!write_documents(json, source, out, write)) return false;
  output.write(last.data(), static_cast<std::streamsize>(last.size()));
  return true;
}

Conversion read_canonical_xml(std::string_view bytes, std::string_view source, JsonSink& sink,
                              const CanonicalXmlOptions& options, const Model& model) {
  Conversion out;
  XmlInput in;
  if (!decode_xml(bytes, source, nullptr, in, out)) return out;
  XmlReader r(in, out, sink, model);
  // An array of documents is read one document at a time (the usual case of a big input).
  DocumentSplit split;
  if (split_documents(in.text, options.root, split) && undefined_entity(in.text) == std::string_view::npos) {
    if (r.read(split)) return out;
    out.findings.clear();  // a document is not well-formed: report it as parsing the whole does
    if (parse_xml(in, out)) {
      add_finding(out, detail::RuleId::syntax, Severity::error, in.at(static_cast<std::ptrdiff_t>(in.text.size())), "",
                 {{"detail", "xml_malformed"}});
      out.fatal = true;
    }
    return out;
  }
  if (!parse_xml(in, out)) return out;
  r.read(options.root);
  return out;
}

Conversion read_canonical_xml(std::string_view bytes, std::string_view source, const CanonicalXmlOptions& options,
                              const Model& model) {
  JsonTreeBuilder tree;
  Conversion out = read_canonical_xml(bytes, source, tree, options, model);
  if (!out.fatal) out.document = tree.take();
  return out;
}

// ------------------------------------------------------------------------------------------------
// Safe loading

Location XmlInput::at(std::ptrdiff_t offset) {
  if (!line_index) line_index = std::make_unique<LineIndex>(text);
  const TextPosition p = line_index->locate(static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)));
  Location l;
  l.line = p.line;
  l.column = p.column;
  return l;
}

Location XmlInput::at(pugi::xml_node node) {
  std::ptrdiff_t offset = static_cast<std::ptrdiff_t>(base) + node.offset_debug();
  if (node.type() == pugi::node_element && offset > 0 && text[static_cast<std::size_t>(offset - 1)] == '<') --offset;
  return at(offset);
}

Location XmlInput::at(pugi::xml_node node, pugi::xml_attribute attribute) {
  // Scan the start tag for the attribute's name followed by '='.
  std::size_t i = base + static_cast<std::size_t>(std::max<std::ptrdiff_t>(node.offset_debug(), 0));
  const std::string_view name = attribute.name();
  char quote = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (c == '>') break;
    if ((c == ' ' || c == '\t' || c == '\n' || c == '\r') && text.compare(i + 1, name.size(), name) == 0) {
      std::size_t k = i + 1 + name.size();
      while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r')) ++k;
      if (k < text.size() && text[k] == '=') return at(static_cast<std::ptrdiff_t>(i + 1));
    }
  }
  return at(node);
}

std::string element_text(pugi::xml_node node) {
  std::string s = node.value();
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) s += c.value();
  return s;
}

bool detect_xml_encoding(std::string_view bytes, Encoding& encoding) {
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    encoding = bytes[0] == '\xFF' ? Encoding::utf16le : Encoding::utf16be;
    return true;
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    encoding = Encoding::utf8;
    return true;
  }
  if (bytes.substr(0, 5) == "<?xml") {
    const std::size_t end = bytes.find("?>");
    const std::string_view decl = bytes.substr(0, end);
    const std::size_t at = decl.find("encoding");
    if (at != std::string_view::npos) {
      std::size_t q = decl.find_first_of("\"'", at);
      if (q != std::string_view::npos) {
        const std::size_t close = decl.find(decl[q], q + 1);
        if (close != std::string_view::npos) {
          const std::string_view name = decl.substr(q + 1, close - q - 1);
          if (auto e = parse_encoding(name)) {
            encoding = *e == Encoding::utf8_bom ? Encoding::utf8 : *e;
            return true;
          }
          std::string lower(name);
          for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
          if (lower == "us-ascii" || lower == "ascii") {
            encoding = Encoding::utf8;
            return true;
          }
          return false;
        }
      }
    }
  }
  encoding = Encoding::utf8;
  return true;
}

// The offset of the first `&` in `text` that does not start a predefined entity (amp, lt, gt, quot,
// apos) or a character reference, outside comments, CDATA sections and processing instructions;
// npos when there is none. Without a DTD no other entity can be declared, so such an `&` is not
// well-formed XML (pugixml would keep it as text).
namespace {

// True when the `&` at i starts a predefined entity or a character reference.
bool known_entity(std::string_view text, std::size_t i) {
  const std::size_t semicolon = text.substr(i, 17).find(';');
  if (semicolon == std::string_view::npos) return false;
  const std::string_view name = text.substr(i + 1, semicolon - 1);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") return true;
  if (name.size() < 2 || name[0] != '#') return false;
  const bool hex = name[1] == 'x';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  const auto digit = [hex](char c) {
    return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
  };
  return !digits.empty() && std::all_of(digits.begin(), digits.end(), digit);
}

std::size_t undefined_entity(std::string_view text) {
  static constexpr std::string_view skipped[][2] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}};
  std::size_t scanned = 0;  // the comments, CDATA sections and PIs before this offset are known
  for (std::size_t amp = text.find('&'); amp != std::string_view::npos; amp = text.find('&', amp + 1)) {
    if (known_entity(text, amp)) continue;
    // Only now find out whether this `&` is inside one of them: each byte is walked once at most.
    bool inside = false;
    while (!inside) {
      const std::size_t lt = text.find('<', scanned);
      if (lt == std::string_view::npos || lt > amp) break;
      scanned = lt + 1;
      for (const auto& [open, close] : skipped) {
        if (text.compare(lt, open.size(), open) != 0) continue;
        const std::size_t end = text.find(close, lt + open.size());
        if (end == std::string_view::npos) return std::string_view::npos;  // pugixml reported it already
        scanned = end + close.size();
        inside = amp < scanned;
        break;
      }
    }
    if (!inside) return amp;
    amp = scanned - 1;
  }
  return std::string_view::npos;
}

}  // namespace

bool load_xml(std::string_view bytes, std::string_view source, const Encoding* encoding, XmlInput& in,
              Conversion& out) {
  return decode_xml(bytes, source, encoding, in, out) && parse_xml(in, out);
}

bool decode_xml(std::string_view bytes, std::string_view source, const Encoding* encoding, XmlInput& in,
                Conversion& out) {
  in.source = std::string(source);
  Encoding e = Encoding::utf8;
  if (encoding && *encoding != Encoding::utf8) e = *encoding;
  else if (!detect_xml_encoding(bytes, e)) {
    Location where;
    where.line = 1;
    where.column = 1;
    add_finding(out, detail::RuleId::syntax, Severity::error, where, "", {{"detail", "invalid_encoding"}});
    out.fatal = true;
    return false;
  }
  if (e == Encoding::utf8 && !find_invalid_utf8(bytes)) {
    in.text = bytes.substr(bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0);
  } else {
    if (!decode_input(bytes, e, source, in.decoded, out)) return false;
    in.text = in.decoded;
  }
  return true;
}

bool parse_xml(XmlInput& in, Conversion& out) {
  in.base = 0;
  in.buffer.assign(in.text);
  const pugi::xml_parse_result r =
      in.doc.load_buffer_inplace(in.buffer.data(), in.buffer.size(), xml_parse_flags, pugi::encoding_utf8);
  if (!r) {
    add_finding(out, detail::RuleId::syntax, Severity::error, in.at(r.offset), "", {{"detail", "xml_malformed"}});
    out.findings.back().args.emplace_back("reason", r.description());
    out.fatal = true;
    return false;
  }
  for (pugi::xml_node c = in.doc.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_doctype) {
      // The DOCTYPE node's offset points into its content; report the line of "<!DOCTYPE".
      const std::size_t at = in.text.find("<!DOCTYPE");
      add_finding(out, detail::RuleId::syntax, Severity::error, in.at(static_cast<std::ptrdiff_t>(at == std::string::npos ? 0 : at)), "",
                 {{"detail", "xml_dtd_forbidden"}});
      out.fatal = true;
      return false;
    }
  }
  if (const std::size_t at = undefined_entity(in.text); at != std::string_view::npos) {
    add_finding(out, detail::RuleId::syntax, Severity::error, in.at(static_cast<std::ptrdiff_t>(at)), "",
               {{"detail", "xml_undefined_entity"}});
    out.fatal = true;
    return false;
  }
  if (!in.doc.document_element()) {
    add_finding(out, detail::RuleId::syntax, Severity::error, in.at(static_cast<std::ptrdiff_t>(in.text.size())), "",
               {{"detail", "xml_malformed"}});
    out.fatal = true;
    return false;
  }
  return true;
}

// ------------------------------------------------------------------------------------------------
// XSD

namespace {

void xsd_doc(std::string& out, const Text& text, int depth) {
  if (text.fi.empty() && text.en.empty()) return;
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  out += pad + "<xs:annotation>\n";
  if (!text.fi.empty()) {
    out += pad + "  <xs:documentation xml:lang=\"fi\">";
    escape_text(out, text.fi);
    out += "</xs:documentation>\n";
  }
  if (!text.en.empty()) {
    out += pad + "  <xs:documentation xml:lang=\"en\">";
    escape_text(out, text.en);
    out += "</xs:documentation>\n";
  }
  out += pad + "</xs:annotation>\n";
}

std::string xsd_base(BaseType b) {
  switch (b) {
    case BaseType::integer: return "xs:integer";
    case BaseType::number: return "xs:double";
    case BaseType::boolean: return "xs:boolean";
    case BaseType::date: return "xs:date";
    case BaseType::instant: return "xs:dateTime";
    case BaseType::uuid: return "uuid";
    default: return "xs:string";
  }
}

// The XSD pattern of a model pattern (re-find semantics; ^ and $ anchor it).
std::string xsd_pattern(std::string_view p) {
  std::string out;
  const bool head = !p.empty() && p.front() == '^';
  const bool tail = !p.empty() && p.back() == '$' && (p.size() < 2 || p[p.size() - 2] != '\\');
  if (head) p.remove_prefix(1);
  if (tail) p.remove_suffix(1);
  if (!head) out += ".*(";
  else if (!tail) out += "(";
  out += p;
  if (!tail) out += ").*";
  else if (!head) out += ")";
  return out;
}

// The XSD type name of a model value type (a named simple type, an entity, or a base type).
std::string xsd_type(const ValueType* t) {
  if (t->base == BaseType::object) return t->name;
  static const char* bases[] = {"str", "int", "num", "bool", "date", "inst", "uuid"};
  for (const char* b : bases)
    if (t->name == b) return xsd_base(t->base);
  return t->name;
}

}  // namespace

std::string generate_xsd(const Model& model) {
  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<!-- The canonical XML form of HOKS documents (model " + model.version() +
         "). Generated from schema/model.yaml by `hoks xsd`; do not edit.\n";
  out += "     It describes documents whose values have the model's types. A document whose values do\n"
         "     not (type=\"...\" or array=\"no\" attributes, see docs/mapping.md) is still canonical XML\n"
         "     and converts back to the same JSON, but is outside this schema. -->\n";
  out += "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" elementFormDefault=\"qualified\">\n\n";
  out += "  <xs:element name=\"hoks\" type=\"" + model.root_type().name + "\"/>\n\n";
  out += "  <!-- array=\"empty\": an empty array; array=\"null\": null (eHOKS reads it as empty); array=\"new\": a repeated\n"
         "       key starts a second array. -->\n";
  out += "  <xs:simpleType name=\"arrayMark\">\n    <xs:restriction base=\"xs:string\">\n"
         "      <xs:enumeration value=\"empty\"/>\n      <xs:enumeration value=\"null\"/>\n      <xs:enumeration value=\"new\"/>\n"
         "    </xs:restriction>\n  </xs:simpleType>\n\n";
  out += "  <xs:simpleType name=\"uuid\">\n    <xs:restriction base=\"xs:string\">\n"
         "      <xs:pattern value=\"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\"/>\n"
         "    </xs:restriction>\n  </xs:simpleType>\n\n";
  static const char* bases[] = {"str", "int", "num", "bool", "date", "inst", "uuid"};
  for (const ValueType& t : model.types()) {
    if (t.base == BaseType::object || t.base == BaseType::array) continue;
    if (std::find_if(std::begin(bases), std::end(bases), [&](const char* b) { return t.name == b; }) != std::end(bases))
      continue;
    out += "  <xs:simpleType name=\"" + t.name + "\">\n";
    xsd_doc(out, t.text, 2);
    out += "    <xs:restriction base=\"" + xsd_base(t.base) + "\">\n";
    if (t.pattern) {
      out += "      <xs:pattern value=\"";
      escape_attribute(out, xsd_pattern(t.pattern->source()));
      out += "\"/>\n";
    }
    if (t.minimum) {
      std::string m = std::to_string(*t.minimum);
      while (m.find('.') != std::string::npos && (m.back() == '0' || m.back() == '.')) {
        const bool dot = m.back() == '.';
        m.pop_back();
        if (dot) break;
      }
      out += "      <xs:minInclusive value=\"" + m + "\"/>\n";
    }
    out += "    </xs:restriction>\n  </xs:simpleType>\n\n";
  }
  for (const Entity& e : model.entities()) {
    out += "  <xs:complexType name=\"" + e.name + "\">\n";
    xsd_doc(out, e.text, 2);
    out += "    <xs:choice minOccurs=\"0\" maxOccurs=\"unbounded\">\n";
    for (const Field& f : e.fields) {
      const ValueType* t = f.type;
      const bool many = t->base == BaseType::array;
      const ValueType* item = many ? t->item : t;
      out += "      <xs:element name=\"" + f.key + "\"";
      if (many && item->base != BaseType::object) {
        out += ">\n";
        xsd_doc(out, f.text, 4);
        out += "        <xs:complexType>\n          <xs:simpleContent>\n            <xs:extension base=\"" +
               xsd_type(item) +
               "\">\n              <xs:attribute name=\"array\" type=\"arrayMark\"/>\n"
               "            </xs:extension>\n          </xs:simpleContent>\n        </xs:complexType>\n"
               "      </xs:element>\n";
      } else {
        out += " type=\"" + xsd_type(item) + "\">\n";
        xsd_doc(out, f.text, 4);
        out += "      </xs:element>\n";
      }
    }
    out += "    </xs:choice>\n";
    out += "    <xs:attribute name=\"array\" type=\"arrayMark\"/>\n";
    out += "  </xs:complexType>\n\n";
  }
  out += "</xs:schema>\n";
  return out;
}

}  // namespace hoks
