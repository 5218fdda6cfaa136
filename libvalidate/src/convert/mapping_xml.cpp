// Vendor XML through a mapping profile: reading (with positions and unmapped-input checks) and writing.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "convert/mapping_internal.hpp"
#include "read/byte_scan.hpp"

namespace hoks {
namespace {

using PathSteps = XmlPath;

PathSteps parse_path(const std::string& path) {
  std::string error;
  auto p = parse_xml_path(path, error);  // checked when the profile was loaded
  return p ? *p : PathSteps{};
}

// True when element n satisfies the attribute and child-value predicates of `step`.
bool matches(pugi::xml_node n, const XmlStep& step) {
  for (const XmlPredicate& q : step.predicates) {
    if (q.position) continue;
    if (q.attribute) {
      if (std::string_view(n.attribute(q.name.c_str()).value()) != q.value) return false;
    } else if (element_text(n.child(q.name.c_str())) != q.value || !n.child(q.name.c_str())) {
      return false;
    }
  }
  return true;
}

// Appends the children of n that `step` selects to `out`, in document order.
void append_children(pugi::xml_node n, const XmlStep& step, std::vector<pugi::xml_node>& out) {
  if (step.name == "..") {
    if (n.parent().type() == pugi::node_element) out.push_back(n.parent());
    return;
  }
  const std::size_t start = out.size();
  for (pugi::xml_node c = n.child(step.name.c_str()); c; c = c.next_sibling(step.name.c_str()))
    if (matches(c, step)) out.push_back(c);
  for (const XmlPredicate& q : step.predicates) {
    if (!q.position) continue;
    if (q.position > out.size() - start) {
      out.resize(start);
    } else {
      out[start] = out[start + q.position - 1];
      out.resize(start + 1);
    }
  }
}

// The profile's paths, each parsed once (they are used for every document), by the address of
// the profile's string (the profile outlives the reader or writer).
class ParsedPaths {
 public:
  const PathSteps& operator()(const std::string& path) { return parsed_.get(&path, [&] { return parse_path(path); }); }

 private:
  ByAddress<PathSteps> parsed_;
};

class VendorXmlReader {
 public:
  VendorXmlReader(const Profile& p, XmlInput& in, Conversion& out, JsonSink* sink)
      : p_(p), in_(in), out_(out), origins_(!sink || sink->wants_origins()), sink_(sink ? *sink : tree_) {}

  void read() {
    const pugi::xml_node root = in_.doc.document_element();
    mark(root) |= visited;
    if (p_.xml_root != root.name()) return wrong_format(root, root.name(), p_.xml_root);
    for (const auto& [path, value] : p_.xml_fixed) check_fixed(root, path, value, PointerPath());
    for (const auto& path : p_.xml_ignore) consume(root, paths_(path), true);
    const std::vector<pugi::xml_node> docs = select(root, paths_(p_.documents.path).elements);
    // Elements under the root but not one document: nothing of the input maps.
    const pugi::xml_node first = root.find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; });
    if (docs.empty() && first)
      return wrong_format(first, p_.xml_root + "/" + first.name(), p_.xml_root + "/" + p_.documents.path);
    if (docs.size() == 1) {
      texts_.clear();
      sink_.begin_object(origin(docs[0]));
      object(p_.documents.fields, docs[0], sink_, PointerPath());
      sink_.end();
    } else {
      const PointerPath array;
      sink_.begin_array(origin(root));
      for (std::size_t i = 0; i < docs.size(); ++i) {
        texts_.clear();
        sink_.begin_object(origin(docs[i]));
        object(p_.documents.fields, docs[i], sink_, PointerPath(array, i));
        sink_.end();
      }
      sink_.end();
    }
    if (&sink_ == &tree_) out_.document = tree_.take();
    report_unvisited(root);
  }

 private:
  // The input is not this profile's format: one finding, nothing read.
  void wrong_format(pugi::xml_node at, const std::string& found, const std::string& expected) {
    out_.findings.clear();
    add_finding(out_, detail::RuleId::wrong_format, Severity::error, in_.at(at), "",
                {{"name", found}, {"expected", expected}, {"format", p_.name()}});
    out_.fatal = true;
  }

  // Elements reached by following `steps` from ctx (all matches), marking them visited.
  // The input a predicate tests is used by it (an attribute, or a child element and its text).
  std::vector<pugi::xml_node> select(pugi::xml_node ctx, const std::vector<XmlStep>& steps) {
    std::vector<pugi::xml_node> found;
    select(ctx, steps, found);
    return found;
  }
  // The same into `out` (its memory reused).
  void select(pugi::xml_node ctx, const std::vector<XmlStep>& steps, std::vector<pugi::xml_node>& out) {
    out.clear();
    if (steps.empty()) return out.push_back(ctx);
    std::vector<pugi::xml_node>& previous = previous_step_;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const XmlStep& step = steps[i];
      if (i > 0) {
        previous.swap(out);
        out.clear();
      }
      const auto step_from = [&](pugi::xml_node n) {
        const std::size_t start = out.size();
        append_children(n, step, out);
        for (std::size_t k = start; k < out.size(); ++k) {
          const pugi::xml_node c = out[k];
          mark(c) |= visited;
          for (const XmlPredicate& q : step.predicates) {
            if (q.position) continue;
            if (q.attribute) {
              if (pugi::xml_attribute a = c.attribute(q.name.c_str())) mark(a) |= consumed;
            }
            else if (pugi::xml_node t = c.child(q.name.c_str())) {
              mark(t) |= visited | text_used;
            }
          }
        }
      };
      if (i == 0) step_from(ctx);
      else
        for (pugi::xml_node n : previous) step_from(n);
    }
  }

  // A value read: its text and where it lies (an attribute of node, else node's text). The text
  // is viewed where it lies in the parsed buffer, or in texts_ or joined_text_.
  struct Hit {
    std::string_view text;
    pugi::xml_node node;
    pugi::xml_attribute attribute;
  };
  // Where a value lies in the input (computed only for a finding or an origin).
  Location where(const Hit& h) { return h.attribute ? in_.at(h.node, h.attribute) : in_.at(h.node); }
  // The origin of a canonical value: 0 when the sink does not keep origins.
  std::uint32_t origin(const Hit& h) { return origins_ ? out_.origin(where(h)) : 0; }
  std::uint32_t origin(pugi::xml_node n) { return origins_ ? out_.origin(in_.at(n)) : 0; }

  // The text of element n: where it lies when it is one piece (or none), else joined in texts_.
  std::string_view text_of(pugi::xml_node n) {
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) return texts_.emplace_back(element_text(n));
    return n.value();
  }

  // The values at a path: element texts or attribute values, marked consumed. The list is reused
  // by the next call.
  const std::vector<Hit>& values(pugi::xml_node ctx, const PathSteps& path) {
    std::vector<Hit>& hits = hits_;
    hits.clear();
    const auto read = [&](pugi::xml_node n) {
      if (!path.attribute.empty()) {
        if (pugi::xml_attribute a = n.attribute(path.attribute.c_str())) {
          mark(a) |= consumed;
          hits.push_back({a.value(), n, a});
          if (*a.value()) ++inputs_;
        }
      } else {
        mark(n) |= text_used;
        hits.push_back({text_of(n), n, {}});
        if (!hits.back().text.empty()) ++inputs_;
      }
    };
    if (path.elements.empty()) {
      read(ctx);  // the context's attribute or text: nothing to select
      return hits;
    }
    select(ctx, path.elements, selected_);
    for (pugi::xml_node n : selected_) read(n);
    return hits;
  }

  void consume(pugi::xml_node ctx, const PathSteps& path, bool subtree) {
    select(ctx, path.elements, selected_);
    for (pugi::xml_node n : selected_) {
      if (!path.attribute.empty()) {
        if (pugi::xml_attribute a = n.attribute(path.attribute.c_str())) mark(a) |= consumed;
      } else if (subtree) {
        mark(n) |= ignored;
      } else {
        mark(n) |= text_used;
      }
    }
  }

  void check_fixed(pugi::xml_node ctx, const std::string& path, const std::string& value, const PointerPath& pointer) {
    for (const Hit& h : values(ctx, paths_(path)))
      if (h.text != value)
        add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(h), pointer.str(),
                    {{"value", std::string(h.text)}, {"expected", "string"}, {"format", value}});
  }

  // Reads the fields of `entries` at ctx into the object that `sink` has open, as they are read.
  void object(const std::vector<MappingEntry>& entries, pugi::xml_node ctx, JsonSink& sink, const PointerPath& pointer) {
    ReadLevels::Level members(levels_);
    const auto put = [&](const std::string& field, const Json& value) { members.put(sink, field, value); };
    for (const MappingEntry& e : entries) {
      if (e.field.empty()) {
        if (!e.template_names.empty()) read_parts(e, values(ctx, paths_(e.path)), ctx, sink, members, pointer);
        else if (e.fixed) check_fixed(ctx, e.path, *e.fixed, pointer);
        else consume(ctx, paths_(e.path), true);
        continue;
      }
      const PointerPath ptr(pointer, e.field);
      const ValueType* t = e.type;
      // Of several entries of a field (conditions, then maybe one without), the first that holds.
      if ((e.when || (e.constant && e.path.empty())) && (members.written(e.field) || !holds(e, ctx))) continue;
      if (e.constant && e.path.empty()) {
        members.put_text(sink, e.field, *e.constant, t, origin(ctx));
        continue;
      }
      const PathSteps& path = paths_(e.path);
      if (t->base == BaseType::object) {
        if (!path.elements.empty()) {
          select(ctx, path.elements, selected_);
          if (selected_.empty()) continue;
          const pugi::xml_node first = selected_.front();  // selected_ is reused below
          sink.key(e.field);
          sink.begin_object(origin(first));
          object(e.fields, first, sink, ptr);
          sink.end();
          members.add(e.field);
          continue;
        }
        // Without an element of its own, the object is there when its fields read something: it
        // is built aside until that is known.
        JsonTreeBuilder aside;
        aside.begin_object(origin(ctx));
        const std::size_t before = inputs_;
        object(e.fields, ctx, aside, ptr);
        aside.end();
        if (inputs_ != before) put(e.field, aside.take());
        continue;
      }
      if (t->base == BaseType::array && t->item->base == BaseType::object) {
        std::uint32_t array_origin = origin(ctx);
        std::vector<pugi::xml_node>& items = at_level(item_lists_, depth_);
        select(ctx, path.elements, items);
        const Deeper deeper(depth_);
        if (items.empty() && !e.keep_empty) continue;
        sink.key(e.field);
        for (std::size_t i = 0; i < items.size(); ++i) {
          ++inputs_;
          if (i == 0) {
            array_origin = origin(items[0]);
            sink.begin_array(array_origin);
          }
          sink.begin_object(origin(items[i]));
          object(e.fields, items[i], sink, PointerPath(ptr, i));
          sink.end();
        }
        if (items.empty()) sink.begin_array(array_origin);
        sink.end();
        members.add(e.field);
        continue;
      }
      if (t->base == BaseType::array) {  // each value an item, or each part of it when the entry splits
        std::uint32_t array_origin = origin(ctx);
        const std::vector<Hit>& hits = values(ctx, path);
        const auto gives_items = [&](const Hit& h) { return e.split.empty() || !h.text.empty(); };
        bool any = false;
        for (const Hit& h : hits) {  // the origin of the first value that gives an item, else of the last value
          array_origin = origin(h);
          if ((any = gives_items(h))) break;
        }
        if (!any && !e.keep_empty) continue;
        sink.key(e.field);
        sink.begin_array(array_origin);
        std::size_t i = 0;
        for (const Hit& h : hits) {
          if (!gives_items(h)) continue;
          const auto item = [&](std::string_view text) {
            emit_plain(sink, e, t->item, text, [&] { return where(h); }, origin(h), PointerPath(ptr, i++), false, out_, transformed_);
          };
          if (e.split.empty()) item(h.text);
          else each_part(h.text, e.split, item);
        }
        sink.end();
        members.add(e.field);
        continue;
      }
      const std::vector<Hit>& hits = e.template_names.empty() ? values(ctx, path) : joined(e, ctx);
      if (hits.empty() || hits.front().text.empty()) {
        if (e.default_value) members.put_text(sink, e.field, *e.default_value, t, origin(ctx));
        else if (e.constant) members.put_text(sink, e.field, *e.constant, t, origin(ctx));
        continue;
      }
      if (e.constant) {
        if (hits.front().text != *e.constant)
          add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(hits.front()), ptr.str(),
                      {{"value", std::string(hits.front().text)}, {"expected", std::string(to_string(t->base))}, {"format", *e.constant}});
        members.put_text(sink, e.field, *e.constant, t, origin(hits.front()));
        continue;
      }
      sink.key(e.field);
      emit_plain(sink, e, t, hits.front().text, [&] { return where(hits.front()); }, origin(hits.front()), ptr, false, out_,
                 transformed_);
      members.add(e.field);
      for (std::size_t k = 1; k < hits.size(); ++k)
        add_finding(out_, detail::RuleId::conflicting_values, Severity::error, where(hits[k]), ptr.str(),
                    {{"name", e.path}, {"value", std::string(hits[k].text)}, {"other", std::string(hits.front().text)}});
    }
  }

  // True when e's condition (if any) holds at ctx; the condition's input counts as used.
  bool holds(const MappingEntry& e, pugi::xml_node ctx) {
    if (!e.when) return true;
    const std::size_t before = inputs_;
    const std::vector<Hit>& hits = values(ctx, paths_(e.when->path));
    inputs_ = before;  // a condition alone does not make an object
    return condition_holds(e, hits.empty() ? std::string() : std::string(hits.front().text));
  }

  // A template's value: its sources joined, at the first source that has a value (none when all
  // are empty). The list is reused by the next call.
  const std::vector<Hit>& joined(const MappingEntry& e, pugi::xml_node ctx) {
    std::vector<std::string> parts;
    std::optional<Hit> at;
    for (const std::string& source : e.template_names) {
      const std::vector<Hit>& hits = values(ctx, paths_(source));
      parts.push_back(hits.empty() ? std::string() : std::string(hits.front().text));
      if (!at && !parts.back().empty()) at = hits.front();
    }
    joined_.clear();
    if (!at) return joined_;
    joined_text_ = join_template(e, parts);
    at->text = joined_text_;
    joined_.push_back(*at);
    return joined_;
  }

  // One source into several fields: the text at e's path split into the parts its fields read.
  void read_parts(const MappingEntry& e, const std::vector<Hit>& hits, pugi::xml_node ctx, JsonSink& sink,
                  ReadLevels::Level& members, const PointerPath& pointer) {
    std::vector<std::string> parts;
    const bool present = !hits.empty() && !hits.front().text.empty();
    if (present && !split_template(e, std::string(hits.front().text), parts)) {
      add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(hits.front()), pointer.str(),
                  {{"value", std::string(hits.front().text)}, {"expected", "string"}, {"format", template_text(e)}});
      return;
    }
    for (const MappingEntry& f : e.fields) {
      const PointerPath ptr(pointer, f.field);
      const std::size_t i = static_cast<std::size_t>(
          std::find(e.template_names.begin(), e.template_names.end(), f.part) - e.template_names.begin());
      const std::string text = present ? parts[i] : std::string();
      if (!text.empty()) {
        sink.key(f.field);
        emit_plain(sink, f, f.type, text, [&] { return where(hits.front()); }, origin(hits.front()), ptr, false, out_, transformed_);
        members.add(f.field);
      } else if (f.default_value) members.put_text(sink, f.field, *f.default_value, f.type, origin(ctx));
    }
  }

  void report_unvisited(pugi::xml_node n) {
    if (mark(n) & ignored) return;
    const Severity s = unmapped_severity(p_);
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
      if (mark(a) & consumed) continue;
      const std::string_view name = a.name();
      if (name == "xmlns" || name.substr(0, 6) == "xmlns:") continue;
      add_finding(out_, detail::RuleId::unmapped_input, s, in_.at(n, a), "", {{"name", std::string(n.name()) + "/@" + a.name()}});
    }
    const bool text_used = mark(n) & Mark::text_used;
    if (!text_used && std::string_view(n.value()).find_first_not_of(" \t\r\n") != std::string_view::npos)
      add_finding(out_, detail::RuleId::unmapped_input, s, in_.at(n.value()), "", {{"name", std::string(n.name()) + "/text()"}});
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) {
        if (!(mark(c) & visited)) {
          add_finding(out_, detail::RuleId::unmapped_input, s, in_.at(c), "", {{"name", c.name()}});
          continue;
        }
        report_unvisited(c);
      } else if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) && !text_used &&
                 std::string_view(c.value()).find_first_not_of(" \t\r\n") != std::string_view::npos) {
        add_finding(out_, detail::RuleId::unmapped_input, s, in_.at(c.offset_debug()), "", {{"name", std::string(n.name()) + "/text()"}});
      }
    }
  }

  const Profile& p_;
  XmlInput& in_;
  Conversion& out_;
  const bool origins_;  // whether the canonical values get origins (the sink keeps them, or a tree is built)
  // What became of each element and attribute of the input, kept in the parsed buffer where pugixml
  // no longer looks: the '<' before an element's name, the quote before an attribute's value. The
  // marks are bits that neither byte has ('<' is 0x3C, the quotes 0x22 and 0x27).
  enum Mark : std::uint8_t { visited = 0x01, text_used = 0x02, ignored = 0x40, consumed = 0x80 };
  std::uint8_t outside_ = 0;  // the marks of a string that does not lie in the buffer
  std::uint8_t& mark_before(const char* parsed) {
    const std::ptrdiff_t i = parsed - in_.buffer.data();
    return i > 0 && static_cast<std::size_t>(i) < in_.buffer.size()
               ? reinterpret_cast<std::uint8_t&>(in_.buffer[static_cast<std::size_t>(i) - 1])
               : outside_;
  }
  std::uint8_t& mark(pugi::xml_node n) { return mark_before(n.name()); }
  std::uint8_t& mark(pugi::xml_attribute a) { return mark_before(a.value()); }
  std::size_t inputs_ = 0;  // values read from the input so far
  ParsedPaths paths_;
  ReadLevels levels_;
  std::vector<Hit> hits_, joined_;  // what values() and joined() return
  std::vector<pugi::xml_node> selected_, previous_step_;  // the elements values() and consume() read; select()'s last step
  std::deque<std::vector<pugi::xml_node>> item_lists_;    // by nesting level: the items of the list being read
  std::size_t depth_ = 0;                                 // the lists being read
  std::deque<std::string> texts_;   // element texts in pieces, joined (for the document being read)
  std::string joined_text_;         // the text joined() returns
  std::string transformed_;         // a value as its transforms make it (emit_plain)
  JsonTreeBuilder tree_;  // the document tree, when the caller has no sink
  JsonSink& sink_;        // where the documents go: the caller's sink or tree_
};

// A list that grows in fixed chunks: growing never moves what it holds, so that memory is touched
// once and nothing is copied (a vector that doubles copies all and touches twice the memory). A
// chunk asks for huge pages (allocate_huge), and a slot is touched only when it is filled.
template <typename T>
class ChunkedList {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>, "slots are raw memory");

 public:
  T& operator[](std::uint32_t i) { return slots(i >> chunk_bits)[i & chunk_mask]; }
  const T& operator[](std::uint32_t i) const { return slots(i >> chunk_bits)[i & chunk_mask]; }
  std::uint32_t size() const { return size_; }
  // Appends t and returns its index.
  std::uint32_t push_back(const T& t) {
    if ((size_ >> chunk_bits) == chunks_.size()) {
      std::size_t bytes = sizeof(T) << chunk_bits;
      chunks_.push_back(allocate_huge(bytes));
    }
    new (&slots(size_ >> chunk_bits)[size_ & chunk_mask]) T(t);
    return size_++;
  }

 private:
  static constexpr unsigned chunk_bits = 15;
  static constexpr std::uint32_t chunk_mask = (1u << chunk_bits) - 1;
  T* slots(std::uint32_t chunk) const { return reinterpret_cast<T*>(chunks_[chunk].get()); }
  std::vector<std::unique_ptr<char, FreeHuge>> chunks_;
  std::uint32_t size_ = 0;
};

// The vendor XML being written: elements, attributes and text as pugixml would hold them (so that
// the output is what pugixml's save would give), written as text without a pugixml tree. Nodes,
// attributes and values lie in chunks that never move, so that building the tree copies nothing.
class XmlOut {
 public:
  static constexpr std::uint32_t none = 0xFFFFFFFF;

  XmlOut() { nodes_.push_back(Node{}); }
  // The document's one element (made by the first call).
  std::uint32_t root(std::string_view name) { return nodes_[0].first_child != none ? nodes_[0].first_child : append_child(0, name); }

  // A new last child element of n (its name: a string of the profile, which outlives the tree).
  std::uint32_t append_child(std::uint32_t n, std::string_view name) {
    Node node;
    node.kind = Kind::element;
    node.name = name;
    return append(n, node);
  }
  // A new last text child of n; its value ends at a NUL, as a C string set into pugixml would.
  void append_text(std::uint32_t n, std::string_view value) {
    Node node;
    node.kind = Kind::text;
    node.value = store(value);
    append(n, node);
  }
  // The first attribute of n named `name`, or none.
  std::uint32_t attribute(std::uint32_t n, std::string_view name) const {
    for (std::uint32_t a = nodes_[n].first_attribute; a != none; a = attributes_[a].next)
      if (attributes_[a].name == name) return a;
    return none;
  }
  // Sets attribute `name` of n (the first of that name, else a new last one).
  void set_attribute(std::uint32_t n, std::string_view name, std::string_view value) {
    const std::uint32_t a = attribute(n, name);
    if (a == none) append_attribute(n, name, value);
    else attributes_[a].value = store(value);
  }
  // A new last attribute of n.
  void append_attribute(std::uint32_t n, std::string_view name, std::string_view value) {
    const std::uint32_t a = attributes_.push_back({name, store(value), none});
    Node& node = nodes_[n];
    if (node.last_attribute == none) node.first_attribute = a;
    else attributes_[node.last_attribute].next = a;
    node.last_attribute = a;
  }
  std::string_view attribute_value(std::uint32_t a) const { return a == none ? std::string_view() : attributes_[a].value; }

  bool is_element(std::uint32_t n) const { return n != none && nodes_[n].kind == Kind::element; }
  std::uint32_t parent(std::uint32_t n) const { return nodes_[n].parent; }
  // The first child element of n named `name` after `after` (none: from the first), or none.
  std::uint32_t child(std::uint32_t n, std::string_view name, std::uint32_t after = none) const {
    for (std::uint32_t c = after == none ? nodes_[n].first_child : nodes_[after].next_sibling; c != none; c = nodes_[c].next_sibling)
      if (nodes_[c].kind == Kind::element && nodes_[c].name == name) return c;
    return none;
  }
  // The text content of an element: its text children joined ("" for none).
  std::string text(std::uint32_t n) const {
    std::string s;
    if (n == none) return s;
    for (std::uint32_t c = nodes_[n].first_child; c != none; c = nodes_[c].next_sibling)
      if (nodes_[c].kind == Kind::text) s += nodes_[c].value;
    return s;
  }

  // The document as pugixml's save writes it without a declaration: with `indent` per level
  // (format_indent), or all on one line when it is empty (format_raw). Every element's name gets
  // `prefix`; the root first declares `ns_attribute`="ns_value" when ns_attribute is not empty.
  void write(std::string& out, std::string_view indent, std::string_view prefix, std::string_view ns_attribute,
             std::string_view ns_value) const;

 private:
  enum class Kind : std::uint8_t { document, element, text };
  struct Node {
    Kind kind = Kind::document;
    std::string_view name;   // an element's
    std::string_view value;  // a text's (in values_)
    std::uint32_t parent = none, first_child = none, last_child = none, next_sibling = none;
    std::uint32_t first_attribute = none, last_attribute = none;
  };
  struct Attribute {
    std::string_view name;
    std::string_view value;  // in values_
    std::uint32_t next = none;
  };
  // A copy of s up to a NUL.
  std::string_view store(std::string_view s) { return values_.keep(s.substr(0, std::min(s.find('\0'), s.size()))); }
  std::uint32_t append(std::uint32_t n, Node node) {
    node.parent = n;
    const std::uint32_t c = nodes_.push_back(node);
    Node& p = nodes_[n];
    if (p.last_child == none) p.first_child = c;
    else nodes_[p.last_child].next_sibling = c;
    p.last_child = c;
    return c;
  }
  void start_element(std::string& out, const Node& n, std::string_view prefix, std::string_view ns_attribute,
                     std::string_view ns_value, bool raw) const;

  ChunkedList<Node> nodes_;  // [0] is the document
  ChunkedList<Attribute> attributes_;
  TextArena values_;         // the texts and attribute values
};

// What pugixml escapes: 1 in text (& < > and control characters but TAB, LF and CR), 2 in
// attribute values (& < " and every control character).
constexpr std::array<std::uint8_t, 256> xml_escapes = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 32; ++c) t[static_cast<std::size_t>(c)] = c == '\t' || c == '\n' || c == '\r' ? 2 : 3;
  t['&'] = t['<'] = 3;
  t['>'] = 1;
  t['"'] = 2;
  return t;
}();

// True when s has no byte that text or attribute values escape (& < > " or a control character).
bool needs_no_xml_escape(std::string_view s) { return detail::no_control_nor<'&', '<', '>', '"'>(s); }

// Appends s escaped as pugixml escapes text or attribute values; control characters become &#NN;.
void append_escaped(std::string& out, std::string_view s, bool attribute) {
  if (needs_no_xml_escape(s)) return void(out.append(s.data(), s.size()));
  const std::uint8_t mask = attribute ? 2 : 1;
  std::size_t plain = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!(xml_escapes[c] & mask)) continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        out += "&#";
        out.push_back(static_cast<char>('0' + c / 10));
        out.push_back(static_cast<char>('0' + c % 10));
        out.push_back(';');
    }
  }
  out.append(s.data() + plain, s.size() - plain);
}

void XmlOut::start_element(std::string& out, const Node& n, std::string_view prefix, std::string_view ns_attribute,
                           std::string_view ns_value, bool raw) const {
  out.push_back('<');
  out.append(prefix).append(n.name);
  const auto attribute = [&](std::string_view name, std::string_view value) {
    out.push_back(' ');
    out.append(name);
    out.push_back('=');
    out.push_back('"');
    append_escaped(out, value, true);
    out.push_back('"');
  };
  if (!ns_attribute.empty()) attribute(ns_attribute, ns_value);
  for (std::uint32_t a = n.first_attribute; a != none; a = attributes_[a].next) attribute(attributes_[a].name, attributes_[a].value);
  if (n.first_child != none) out.push_back('>');
  else if (raw) out.append("/>", 2);
  else out.append(" />", 3);
}

void XmlOut::write(std::string& out, std::string_view indent, std::string_view prefix, std::string_view ns_attribute,
                   std::string_view ns_value) const {
  out.reserve(out.size() + values_.size() + nodes_.size() * std::size_t{32} + attributes_.size() * std::size_t{16});
  prefer_huge_pages(out.data(), out.capacity());
  // pugixml's node_output, over this tree: whether a line break and indentation come before the next node.
  const bool raw = indent.empty();
  constexpr unsigned newline = 1, indented = 2;
  unsigned flags = indented;
  std::size_t depth = 0;
  std::string pad;  // indent repeated
  const auto line = [&](std::size_t d) {
    if (raw) return;
    if (flags & newline) out.push_back('\n');
    if (flags & indented) {
      while (pad.size() < d * indent.size()) pad.append(indent);
      out.append(pad.data(), d * indent.size());
    }
  };
  std::uint32_t n = 0;
  do {
    const Node& node = nodes_[n];
    if (node.kind == Kind::text) {
      append_escaped(out, node.value, false);
      flags = 0;
    } else if (node.kind == Kind::element) {
      line(depth);
      flags = newline | indented;
      start_element(out, node, prefix, n == nodes_[0].first_child ? ns_attribute : std::string_view(), ns_value, raw);
      if (node.first_child != none) {
        n = node.first_child;
        ++depth;
        continue;
      }
    } else {  // the document
      flags = indented;
      if (node.first_child != none) {
        n = node.first_child;
        continue;
      }
    }
    while (n != 0) {
      if (nodes_[n].next_sibling != none) {
        n = nodes_[n].next_sibling;
        break;
      }
      n = nodes_[n].parent;
      if (nodes_[n].kind == Kind::element) {
        --depth;
        line(depth);
        out.append("</", 2);
        out.append(prefix).append(nodes_[n].name);
        out.push_back('>');
        flags = newline | indented;
      }
    }
  } while (n != 0);
  if ((flags & newline) && !raw) out.push_back('\n');
}

// True when element c of the output satisfies the attribute and child-value predicates of `step`.
bool matches(const XmlOut& x, std::uint32_t c, const XmlStep& step) {
  for (const XmlPredicate& q : step.predicates) {
    if (q.position) continue;
    if (q.attribute) {
      if (x.attribute_value(x.attribute(c, q.name)) != q.value) return false;
    } else if (const std::uint32_t t = x.child(c, q.name); t == XmlOut::none || x.text(t) != q.value) {
      return false;
    }
  }
  return true;
}

// The first child of n in the output that `step` selects (its position predicates applied), or none.
std::uint32_t first_selected(const XmlOut& x, std::uint32_t n, const XmlStep& step) {
  if (step.name == "..") return x.is_element(x.parent(n)) ? x.parent(n) : XmlOut::none;
  std::vector<std::uint32_t> found;
  const bool positions = std::any_of(step.predicates.begin(), step.predicates.end(), [](const XmlPredicate& q) { return q.position > 0; });
  for (std::uint32_t c = x.child(n, step.name); c != XmlOut::none; c = x.child(n, step.name, c)) {
    if (!matches(x, c, step)) continue;
    if (!positions) return c;
    found.push_back(c);
  }
  for (const XmlPredicate& q : step.predicates) {
    if (!q.position) continue;
    if (q.position > found.size()) {
      found.clear();
    } else {
      found[0] = found[q.position - 1];
      found.resize(1);
    }
  }
  return found.empty() ? XmlOut::none : found.front();
}

// How many children of n in the output `step` selects, its positions left out.
std::size_t count_matching(const XmlOut& x, std::uint32_t n, const XmlStep& step) {
  std::size_t count = 0;
  for (std::uint32_t c = x.child(n, step.name); c != XmlOut::none; c = x.child(n, step.name, c))
    if (matches(x, c, step)) ++count;
  return count;
}

class VendorXmlWriter {
 public:
  VendorXmlWriter(const Profile& p, Output& out) : p_(p), out_(out) {}

  template <typename Document>
  std::string write(const Document& document) {
    const std::uint32_t root = doc_.root(p_.xml_root);
    for (const auto& [path, value] : p_.xml_fixed) set(root, paths_(path), value, false);
    const PathSteps& docs = paths_(p_.documents.path);
    each_document(document, [&](auto d, const PointerPath& pointer) { one(root, docs, d, pointer); });
    std::string encoding_name = "UTF-8";
    if (p_.encoding == Encoding::windows1252) encoding_name = "windows-1252";
    else if (p_.encoding == Encoding::iso8859_1) encoding_name = "ISO-8859-1";
    std::string text = "<?xml version=\"1.0\" encoding=\"" + encoding_name + "\"?>\n";
    // The profile's namespace: declared on the root, every element's name prefixed.
    const std::string prefix = p_.xml_namespace.empty() || p_.xml_prefix.empty() ? "" : p_.xml_prefix + ":";
    const std::string declaration = p_.xml_namespace.empty() ? "" : p_.xml_prefix.empty() ? "xmlns" : "xmlns:" + p_.xml_prefix;
    doc_.write(text, std::string(static_cast<std::size_t>(std::max(p_.xml_indent, 0)), ' '), prefix, declaration, p_.xml_namespace);
    return text;
  }

 private:
  template <typename View>
  void one(std::uint32_t root, const PathSteps& docs, View d, const PointerPath& pointer) {
    if (d.type() != JsonType::object) {
      unexpressible(d, pointer, "object");
      return;
    }
    object(p_.documents.fields, d, element(root, docs, true), pointer);
  }

  template <typename View>
  void unexpressible(View v, const PointerPath& pointer, const char* expected) {
    Finding f;
    f.rule = detail::rule_name(detail::RuleId::transform_failed);
    f.severity = Severity::error;
    f.path = pointer.str();
    f.args = {{"value", v.compact()}, {"expected", expected}, {"format", expected}};
    out_.findings.push_back(std::move(f));
  }

  // The element at `path` under ctx: existing steps are reused, the last one is new when `fresh`.
  std::uint32_t element(std::uint32_t ctx, const PathSteps& path, bool fresh) {
    std::uint32_t n = ctx;
    for (std::size_t i = 0; i < path.elements.size(); ++i) {
      const XmlStep& step = path.elements[i];
      const bool last = i + 1 == path.elements.size();
      const std::uint32_t found = fresh && last ? XmlOut::none : first_selected(doc_, n, step);
      n = found == XmlOut::none ? create(n, step) : found;
    }
    return n;
  }

  // A new child of n that `step` selects: its predicates' attribute and child values are written,
  // and a position [k] is reached with empty elements before it.
  std::uint32_t create(std::uint32_t n, const XmlStep& step) {
    std::size_t position = 1;
    for (const XmlPredicate& q : step.predicates)
      if (q.position) position = q.position;
    std::uint32_t c = XmlOut::none;
    for (std::size_t k = position > 1 ? count_matching(doc_, n, step) : 0; k < position || c == XmlOut::none; ++k) {
      c = doc_.append_child(n, step.name);
      for (const XmlPredicate& q : step.predicates) {
        if (q.position) continue;
        if (q.attribute) doc_.append_attribute(c, q.name, q.value);
        else doc_.append_text(doc_.append_child(c, q.name), q.value);
      }
    }
    return c;
  }

  void set(std::uint32_t ctx, const PathSteps& path, const std::string& value, bool fresh) {
    const std::uint32_t n = element(ctx, path, fresh && path.attribute.empty());
    if (!path.attribute.empty()) doc_.set_attribute(n, path.attribute, value);
    else if (!value.empty()) doc_.append_text(n, value);
  }

  template <typename View>
  void object(const std::vector<MappingEntry>& entries, View obj, std::uint32_t ctx, const PointerPath& pointer) {
    EntryValueStack::Frame<View> values(entry_values_, entries.size());
    entry_values(entries, entries_by_key_, obj, pointer, p_, out_, values.data());
    const bool conditions = any_condition(entries);
    for (const MappingEntry& e : entries) {
      if (e.field.empty()) {
        if (!e.template_names.empty()) {
          std::string text;
          if (write_parts(e, obj, pointer, false, out_, text)) set(ctx, paths_(e.path), text, false);
        } else if (e.fixed) {
          set(ctx, paths_(e.path), *e.fixed, false);
        }
        continue;
      }
      const View v = values[static_cast<std::size_t>(&e - entries.data())];
      if (!v) continue;
      const PointerPath ptr(pointer, e.field);
      const ValueType* t = e.type;
      const PathSteps& path = paths_(e.path);
      if (conditions && conditional(entries, e.field)) {  // checked below, once the element is written
        if ((e.constant && e.path.empty()) || first_entry(entries, e.field) != &e) continue;
      }
      if (e.constant && e.path.empty()) {
        std::string text;
        write_plain(e, v, text, ptr, false, out_);
        if (text != *e.constant) {
          Finding f;
          f.rule = detail::rule_name(detail::RuleId::transform_failed);
          f.severity = Severity::error;
          f.path = ptr.str();
          f.args = {{"value", text}, {"expected", std::string(to_string(t->base))}, {"format", *e.constant}};
          out_.findings.push_back(std::move(f));
        }
        continue;
      }
      if (t->base == BaseType::object) {
        if (v.type() != JsonType::object) {
          unexpressible(v, ptr, "object");
          continue;
        }
        object(e.fields, v, path.elements.empty() ? ctx : element(ctx, path, false), ptr);
        continue;
      }
      if (t->base == BaseType::array) {
        if (v.type() != JsonType::array) {
          unexpressible(v, ptr, "array");
          continue;
        }
        if (t->item->base == BaseType::object) {
          std::size_t i = 0;
          v.each_item([&](View item) {
            const PointerPath item_ptr(ptr, i++);
            if (item.type() != JsonType::object) return unexpressible(item, item_ptr, "object");
            object(e.fields, item, element(ctx, path, true), item_ptr);
          });
          continue;
        }
        std::vector<std::string> texts;
        v.each_item([&](View item) {
          std::string text;
          write_plain(e, item, text, PointerPath(ptr, texts.size()), false, out_);
          texts.push_back(std::move(text));
        });
        if (!e.split.empty()) {
          if (texts.empty()) continue;
          std::string joined;
          for (std::size_t i = 0; i < texts.size(); ++i) joined += (i ? e.split : "") + texts[i];
          set(ctx, path, joined, false);
        } else {
          for (const auto& text : texts) set(ctx, path, text, true);
        }
        continue;
      }
      std::string& text = text_;  // reused: written into the tree before the next value
      text.clear();
      write_plain(e, v, text, ptr, false, out_);
      if (e.default_value && text == *e.default_value) continue;
      if (!e.template_names.empty()) {
        const std::vector<std::string> parts = split_or_report(e, text, ptr, out_);
        for (std::size_t i = 0; i < parts.size(); ++i)
          if (!parts[i].empty()) set(ctx, paths_(e.template_names[i]), parts[i], false);
        continue;
      }
      if (e.constant) {
        if (text != *e.constant) {
          Finding f;
          f.rule = detail::rule_name(detail::RuleId::transform_failed);
          f.severity = Severity::error;
          f.path = ptr.str();
          f.args = {{"value", text}, {"expected", std::string(to_string(t->base))}, {"format", *e.constant}};
          out_.findings.push_back(std::move(f));
        }
      }
      // A value of an ancestor is shared by its items: a second, different value cannot be written.
      if (shared(path)) {
        const std::string before = written(ctx, path);
        if (!before.empty() && before == text) continue;  // written by an earlier item
        if (!before.empty()) {
          Finding f;
          f.rule = detail::rule_name(detail::RuleId::conflicting_values);
          f.severity = Severity::error;
          f.path = ptr.str();
          f.args = {{"name", e.path}, {"value", text}, {"other", before}};
          out_.findings.push_back(std::move(f));
          continue;
        }
      }
      set(ctx, path, text, false);
    }
    check_conditions(entries, obj, pointer, [&](const std::string& p) { return written(ctx, paths_(p)); }, out_);
  }

  static bool shared(const PathSteps& path) {
    return std::any_of(path.elements.begin(), path.elements.end(), [](const XmlStep& s) { return s.name == ".."; });
  }

  // The text the output holds at `path` under ctx ("" when nothing is there).
  std::string written(std::uint32_t ctx, const PathSteps& path) const {
    std::uint32_t n = ctx;
    for (const XmlStep& s : path.elements)
      if ((n = first_selected(doc_, n, s)) == XmlOut::none) return {};
    return path.attribute.empty() ? doc_.text(n) : std::string(doc_.attribute_value(doc_.attribute(n, path.attribute)));
  }

  const Profile& p_;
  Output& out_;
  XmlOut doc_;
  std::string text_;  // the text of the plain value being written
  ParsedPaths paths_;
  EntriesByKey entries_by_key_;
  EntryValueStack entry_values_;
};

}  // namespace

namespace {
// Reading ignores namespaces: `oh:Osa` is `Osa`. The names are shortened where they lie in the
// parsed buffer, so that positions stay where they were.
void drop_prefixes(pugi::xml_node root) {
  std::vector<pugi::xml_node> stack{root};
  while (!stack.empty()) {
    const pugi::xml_node n = stack.back();
    stack.pop_back();
    char* name = const_cast<char*>(n.name());
    if (char* colon = std::strchr(name, ':')) std::memmove(name, colon + 1, std::strlen(colon + 1) + 1);
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element) stack.push_back(c);
  }
}
}  // namespace

std::optional<XmlPath> parse_xml_path(const std::string& path, std::string& error) {
  XmlPath p;
  std::size_t i = 0;
  const auto name_at = [&](std::size_t& k) {
    const std::size_t start = k;
    while (k < path.size() && path[k] != '/' && path[k] != '[' && path[k] != ']' && path[k] != '=' && path[k] != '\'' &&
           path[k] != '"')
      ++k;
    return path.substr(start, k - start);
  };
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    if (!p.attribute.empty()) return error = "an attribute (@" + p.attribute + ") must be the last step", std::nullopt;
    if (path[i] == '@') {
      ++i;
      p.attribute = name_at(i);
      if (p.attribute.empty()) return error = "'@' needs an attribute name", std::nullopt;
      continue;
    }
    XmlStep step;
    step.name = name_at(i);
    if (step.name.empty()) return error = "expected an element name at character " + std::to_string(i + 1), std::nullopt;
    if (step.name == "." || step.name == "..") {
      if (i < path.size() && path[i] == '[') return error = "'" + step.name + "' takes no predicate", std::nullopt;
      if (step.name == "..") p.elements.push_back(std::move(step));  // the parent: a value of an ancestor
      continue;
    }
    while (i < path.size() && path[i] == '[') {
      ++i;
      XmlPredicate q;
      if (i < path.size() && path[i] >= '0' && path[i] <= '9') {
        while (i < path.size() && path[i] >= '0' && path[i] <= '9') q.position = q.position * 10 + static_cast<std::size_t>(path[i++] - '0');
        if (q.position == 0) return error = "positions start at 1: " + step.name + "[1]", std::nullopt;
      } else {
        q.attribute = i < path.size() && path[i] == '@';
        if (q.attribute) ++i;
        q.name = name_at(i);
        if (q.name.empty() || i >= path.size() || path[i] != '=')
          return error = "a predicate is [@attribute='value'], [Child='value'] or a position [1]", std::nullopt;
        ++i;
        const char quote = i < path.size() ? path[i] : '\0';
        if (quote != '\'' && quote != '"') return error = "the value of a predicate is quoted: [@" + q.name + "='value']", std::nullopt;
        const std::size_t end = path.find(quote, i + 1);
        if (end == std::string::npos) return error = "unterminated quote in a predicate", std::nullopt;
        q.value = path.substr(i + 1, end - i - 1);
        i = end + 1;
      }
      if (i >= path.size() || path[i] != ']') return error = "a predicate ends with ']'", std::nullopt;
      ++i;
      step.predicates.push_back(std::move(q));
    }
    if (i < path.size() && path[i] != '/') return error = "unexpected '" + std::string(1, path[i]) + "' after " + step.name, std::nullopt;
    p.elements.push_back(std::move(step));
  }
  return p;
}

namespace {
// pugixml's memory for one vendor XML read: its pages (nodes and attributes, 32 KiB each) taken one
// after another from chunks that ask for 2 MiB pages (allocate_huge) and freed with the arena. With
// malloc, a 10 MB input faulted in some 2,900 small pages for them, the most of an XML read.
// pugixml's allocation functions are process-wide: ours serve the arena that is active on the
// calling thread and hand everything else to the functions that were there before (malloc and
// free unless the program set others), so documents outside a vendor read are unaffected.
class XmlArena {
 public:
  explicit XmlArena(std::size_t chunk_bytes) : chunk_bytes_(chunk_bytes) {}
  void* allocate(std::size_t size) {
    size = (size + 63) & ~std::size_t{63};  // pugixml's page alignment
    if (chunks_.empty() || left_ < size) {
      std::size_t bytes = std::max(chunk_bytes_, size);
      chunks_.push_back({allocate_huge(bytes), bytes});
      next_ = chunks_.back().memory.get();
      left_ = bytes;
    }
    void* p = next_;
    next_ += size, left_ -= size;
    return p;
  }
  bool owns(const void* p) const {
    const auto* c = static_cast<const char*>(p);
    return std::any_of(chunks_.begin(), chunks_.end(), [c](const Chunk& k) {
      return std::less_equal<>()(k.memory.get(), c) && std::less<>()(c, k.memory.get() + k.bytes);
    });
  }

 private:
  struct Chunk {
    std::unique_ptr<char, FreeHuge> memory;
    std::size_t bytes;
  };
  std::size_t chunk_bytes_;
  std::vector<Chunk> chunks_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
};

thread_local XmlArena* active_arena = nullptr;
pugi::allocation_function next_allocate = nullptr;
pugi::deallocation_function next_deallocate = nullptr;

void* arena_allocate(std::size_t size) { return active_arena ? active_arena->allocate(size) : next_allocate(size); }
void arena_deallocate(void* p) {
  if (active_arena && active_arena->owns(p)) return;  // freed with the arena
  next_deallocate(p);
}
// Installed before main (no document exists yet, and no other thread).
[[maybe_unused]] const bool arena_installed = [] {
  next_allocate = pugi::get_memory_allocation_function();
  next_deallocate = pugi::get_memory_deallocation_function();
  pugi::set_memory_management_functions(arena_allocate, arena_deallocate);
  return true;
}();

// Makes an arena the calling thread's for its lifetime (the document must go before it does).
class ActiveArena {
 public:
  explicit ActiveArena(XmlArena& a) : previous_(active_arena) { active_arena = &a; }
  ~ActiveArena() { active_arena = previous_; }
  ActiveArena(const ActiveArena&) = delete;
  ActiveArena& operator=(const ActiveArena&) = delete;

 private:
  XmlArena* previous_;
};
}  // namespace

Conversion read_vendor_xml(const Profile& profile, const Model&, const std::vector<FileView>& input, JsonSink* sink) {
  Conversion out;
  if (input.empty()) return out;
  // Nodes and attributes take some 1.5 times the input's size; what is not touched costs nothing.
  XmlArena arena(std::max<std::size_t>(input.front().bytes.size() * 2, std::size_t{4} << 20));
  const ActiveArena active(arena);
  XmlInput in;
  if (!load_xml(input.front().bytes, input.front().name, profile.encoding_given ? &profile.encoding : nullptr, in, out))
    return out;
  drop_prefixes(in.doc.document_element());
  VendorXmlReader r(profile, in, out, sink);
  r.read();
  return out;
}

namespace {
template <typename Document>
Output write_xml(const Profile& profile, const Document& document) {
  Output out;
  VendorXmlWriter w(profile, out);
  std::string text = w.write(document);
  NamedFile f;
  if (profile.encoding == Encoding::utf8) {
    f.bytes = std::move(text);
  } else if (auto error = from_utf8(text, profile.encoding, f.bytes)) {
    Finding finding;
    finding.rule = detail::rule_name(detail::RuleId::transform_failed);
    finding.severity = Severity::error;
    finding.args = {{"value", error->message_en}, {"expected", "string"}, {"format", std::string(name(profile.encoding))}};
    out.findings.push_back(std::move(finding));
  }
  out.files.push_back(std::move(f));
  return out;
}
}  // namespace

Output write_vendor_xml(const Profile& profile, const Model&, const Json& document) { return write_xml(profile, document); }
Output write_vendor_xml(const Profile& profile, const Model&, JsonValue document) { return write_xml(profile, document); }

}  // namespace hoks
