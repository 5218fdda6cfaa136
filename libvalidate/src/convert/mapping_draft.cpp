// hoks profile draft: a starting profile from a vendor sample (docs/mapping.md, "A draft from a sample").
#include <algorithm>
#include <map>
#include <set>

#include "hoks/check/checks.hpp"
#include "hoks/convert/mapping.hpp"
#include "convert/mapping_internal.hpp"

namespace hoks {
namespace {

// "Sähköposti", "sahko_posti", "SahkoPosti" -> "sahkoposti": the form names are compared in.
std::string fold_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {
      const unsigned char d = static_cast<unsigned char>(name[i + 1]) | 0x20;  // lower case
      if (d == 0xA4 || d == 0xA5) out += 'a', ++i;                           // ä å
      else if (d == 0xB6) out += 'o', ++i;                                   // ö
      else out += name[i];
      continue;
    }
    if (c == '-' || c == '_' || c == ' ' || c == '.') continue;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return out;
}

// A YAML double-quoted scalar.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + "\"";
}

// The boolean words of vendors, each with its opposite (compared folded).
constexpr std::pair<const char*, const char*> boolean_words[] = {
    {"true", "false"}, {"kylla", "ei"}, {"k", "e"}, {"1", "0"}, {"yes", "no"}, {"tosi", "epatosi"}, {"x", ""}};
// 1 for a true word, 0 for a false word, -1 for neither.
int truth(const std::string& w) {
  const std::string f = fold_name(w);
  for (const auto& [t, f2] : boolean_words) {
    if (f == t) return 1;
    if (*f2 && f == f2) return 0;
  }
  return -1;
}
// The opposite word of `w`, in its case ("K" -> "E").
std::string opposite(const std::string& w) {
  const std::string f = fold_name(w);
  for (const auto& [t, f2] : boolean_words) {
    if (f != t && f != f2) continue;
    std::string o = f == t ? f2 : t;
    if (!w.empty() && w[0] >= 'A' && w[0] <= 'Z')
      for (char& c : o) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return o;
  }
  return {};
}

// d.M.yyyy (Finnish) dates; ISO dates are what the model takes as they are.
bool finnish_date(const std::string& s) {
  std::size_t dots = 0, digits = 0;
  for (char c : s) {
    if (c == '.') ++dots;
    else if (c >= '0' && c <= '9') ++digits;
    else return false;
  }
  if (dots != 2) return false;
  std::string value = s;
  Transform t;
  t.kind = Transform::Kind::date;
  t.text = "d.M.yyyy";
  return t.read(value);
}

// The type the values of one element, attribute or column look like, and the transform that
// reads them as the model type `want` (nullptr: none is needed or none is known).
struct Guess {
  std::string type;        // date, boolean, number, code, text
  std::string transform;   // YAML of the transform, "" when none
  std::string example;     // a value of the sample
};

Guess guess(const std::vector<std::string>& all, const ValueType* want) {
  std::vector<std::string> values;
  for (const auto& v : all)
    if (!v.empty()) values.push_back(v);
  Guess g;
  g.type = "text";
  if (values.empty()) return g;
  g.example = values.front();
  const auto every = [&](auto pred) { return std::all_of(values.begin(), values.end(), pred); };
  std::set<std::string> distinct(values.begin(), values.end());
  if (every([](const std::string& v) { return parse_date(v).has_value(); })) {
    g.type = "date";
  } else if (every(finnish_date)) {
    g.type = "date";
    g.transform = "{date: d.M.yyyy}";
  } else if (distinct.size() <= 2 && every([](const std::string& v) { return truth(v) >= 0; }) &&
             (want ? want->base == BaseType::boolean
                   : distinct.size() == 2 || !every([](const std::string& v) { return is_json_number(v); }))) {
    g.type = "boolean";
    std::string trues, falses;
    for (const auto& v : distinct) (truth(v) ? trues : falses) = v;
    if (trues.empty()) trues = opposite(falses);
    if (falses.empty()) falses = opposite(trues);
    if (!(trues == "true" && falses == "false"))
      g.transform = "{boolean: {true: [" + quoted(trues) + "], false: [" + quoted(falses) + "]}}";
  } else if (every([](const std::string& v) { return is_json_number(v); })) {
    g.type = "number";
  } else if (every([](std::string v) { return std::replace(v.begin(), v.end(), ',', '.'), is_json_number(v); })) {
    g.type = "number";
    g.transform = "{number: {decimal: \",\"}}";
  } else if (every([](const std::string& v) {
               return v.size() <= 40 && std::all_of(v.begin(), v.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '.' || c == '-';
                      });
             })) {
    g.type = "code";
  }
  return g;
}

// The comment of an entry: the guessed type and an example.
std::string note(const Guess& g) {
  std::string example = g.example.size() > 40 ? g.example.substr(0, 37) + "..." : g.example;
  return g.type + (example.empty() ? "" : ", e.g. " + quoted(example));
}

// The plain fields of entity `e` by folded name, those not yet used by an entry.
class FieldNames {
 public:
  FieldNames(const Model& model, const Entity& e) : model_(model), entity_(e) {}
  // The field named like `name` (folded) and not taken yet, or nullptr; takes it.
  const Field* take(std::string_view name, bool structured) {
    const std::string folded = fold_name(name);
    for (const Field& f : entity_.fields) {
      const ValueType* item = f.type->base == BaseType::array ? f.type->item : f.type;
      if ((item->base == BaseType::object) != structured || used_.count(f.key) || fold_name(f.key) != folded) continue;
      used_.insert(f.key);
      return &f;
    }
    return nullptr;
  }
  const Model& model() const { return model_; }

 private:
  const Model& model_;
  const Entity& entity_;
  std::set<std::string> used_;
};

// One element of an XML sample, all its occurrences at one path merged.
struct Shape {
  std::string name;
  std::vector<std::string> attribute_order;
  std::map<std::string, std::vector<std::string>> attributes;
  std::vector<std::unique_ptr<Shape>> children;
  std::vector<std::string> texts;
  std::size_t count = 0;     // occurrences
  bool repeated = false;     // some parent holds more than one
  bool has_text = false;

  Shape& child(const std::string& n) {
    for (auto& c : children)
      if (c->name == n) return *c;
    children.push_back(std::make_unique<Shape>());
    children.back()->name = n;
    return *children.back();
  }
  bool leaf() const { return attributes.empty() && children.empty(); }
};

void merge(Shape& s, pugi::xml_node n) {
  ++s.count;
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    if (name == "xmlns" || name.substr(0, 6) == "xmlns:") continue;
    auto [it, fresh] = s.attributes.try_emplace(a.name());
    if (fresh) s.attribute_order.push_back(a.name());
    it->second.push_back(a.value());
  }
  const std::string text = element_text(n);
  if (text.find_first_not_of(" \t\r\n") != std::string::npos) s.has_text = true;
  s.texts.push_back(text);
  std::map<std::string, std::size_t> counts;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    Shape& cs = s.child(c.name());
    if (++counts[c.name()] > 1) cs.repeated = true;
    merge(cs, c);
  }
}

struct Writer {
  std::string out;
  const Model& model;
  const char* key;  // "xml" or "column"

  void line(int depth, const std::string& text, const std::string& comment = "") {
    std::string l(static_cast<std::size_t>(depth) * 2, ' ');
    l += text;
    const auto width = static_cast<std::size_t>(std::count_if(l.begin(), l.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    if (!comment.empty()) l += (width < 56 ? std::string(56 - width, ' ') : std::string(" ")) + "# " + comment;
    out += l + "\n";
  }

  // A plain value at `path`: a field of the entity when one is named like it, else a to-do ignore.
  void plain(int depth, FieldNames& names, std::string_view name, const std::string& path, const std::vector<std::string>& values) {
    if (const Field* f = names.take(name, false)) {
      const ValueType* want = f->type->base == BaseType::array ? f->type->item : f->type;
      const Guess g = guess(values, want);
      std::string entry = "- {field: " + f->key + ", " + key + ": " + quoted(path);
      if (f->type->base == BaseType::array) entry += ", split: \"|\"";
      if (!g.transform.empty() && (want->base == BaseType::date || want->base == BaseType::boolean || want->base == BaseType::integer ||
                                   want->base == BaseType::number))
        entry += ", transform: " + g.transform;
      const bool fits = g.type == "text" || g.type == "code" || (g.type == "date" && want->base == BaseType::date) ||
                        (g.type == "boolean" && want->base == BaseType::boolean) ||
                        (g.type == "number" && (want->base == BaseType::integer || want->base == BaseType::number));
      line(depth, entry + "}", note(g) + (fits ? "" : "; TODO: the model's " + f->key + " is " + std::string(to_string(want->base))));
      return;
    }
    line(depth, "- {ignore: true, " + std::string(key) + ": " + quoted(path) + "}", "TODO: " + note(guess(values, nullptr)));
  }

  // The entries of the XML element `s` read in entity `entity`; `prefix` is the path from the
  // context element (non-repeated elements without a field of their own are read through).
  void element(int depth, const Shape& s, FieldNames& names, const std::string& prefix) {
    for (const std::string& a : s.attribute_order) plain(depth, names, a, prefix + "@" + a, s.attributes.at(a));
    if (s.has_text) plain(depth, names, s.name, prefix.empty() ? "." : prefix.substr(0, prefix.size() - 1), s.texts);
    for (const auto& c : s.children) {
      const std::string path = prefix + c->name;
      if (c->leaf()) {
        if (!c->repeated) {
          plain(depth, names, c->name, path, c->texts);
        } else if (const Field* f = names.take(c->name, false); f && f->type->base == BaseType::array) {
          line(depth, "- {field: " + f->key + ", xml: " + quoted(path) + "}", "a list: " + note(guess(c->texts, f->type->item)));
        } else {
          line(depth, "- {ignore: true, xml: " + quoted(path) + "}", "TODO: repeated, " + note(guess(c->texts, nullptr)));
        }
        continue;
      }
      const Field* f = names.take(c->name, true);
      if (f && (f->type->base == BaseType::array || !c->repeated)) {
        const ValueType* item = f->type->base == BaseType::array ? f->type->item : f->type;
        line(depth, "- field: " + f->key);
        line(depth + 1, "xml: " + quoted(path), f->type->base == BaseType::array ? "a list: one item per element" : "an object");
        line(depth + 1, "fields:");
        FieldNames inner(model, model.entity(item->entity));
        element(depth + 2, *c, inner, "");
        if (out.compare(out.size() - 8, 8, "fields:\n") == 0) out.insert(out.size() - 1, " []");
      } else if (!c->repeated) {
        element(depth, *c, names, path + "/");
      } else {
        line(depth, "- {ignore: true, xml: " + quoted(path) + "}", "TODO: repeated (" + std::to_string(c->count) + " in the sample), a list? It holds:");
        describe(depth, *c, "");
      }
    }
  }

  // Comment lines listing what an ignored element holds.
  void describe(int depth, const Shape& s, const std::string& prefix) {
    for (const std::string& a : s.attribute_order) line(depth, "#   " + prefix + "@" + a + ": " + note(guess(s.attributes.at(a), nullptr)));
    if (s.has_text && !prefix.empty()) line(depth, "#   " + prefix.substr(0, prefix.size() - 1) + ": " + note(guess(s.texts, nullptr)));
    for (const auto& c : s.children) describe(depth, *c, prefix + c->name + "/");
  }
};

std::string header(const NamedFile& sample, const std::string& format) {
  std::string stem = sample.name.substr(sample.name.find_last_of('/') + 1);
  stem = stem.substr(0, stem.find('.'));
  std::string name;
  for (char c : fold_name(stem)) name += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-';
  return "# A draft made by `hoks profile draft` from " + stem + ": every element, attribute or column of the sample is\n"
         "# listed with the type its values look like. Entries whose names match a field of the model\n"
         "# (schema/model.yaml) are mapped; the rest are `ignore` entries marked TODO: map them to a field,\n"
         "# or keep them ignored (docs/mapping.md, \"Checklist for a new profile\").\n"
         "profile: " + (name.empty() ? std::string("draft") : name + "-draft") + "\n"
         "description: " + quoted("Draft from " + sample.name.substr(sample.name.find_last_of('/') + 1)) + "\n"
         "format: " + format + "\n";
}

void draft_xml(const NamedFile& sample, const Model& model, ProfileDraft& draft) {
  Conversion c;
  XmlInput in;
  if (!load_xml(sample.bytes, sample.name, nullptr, in, c)) {
    draft.findings = std::move(c.findings);
    return;
  }
  const pugi::xml_node root = in.doc.document_element();
  Shape top;
  merge(top, root);
  // The documents: the child element of the root that occurs most often (the root itself when it has none).
  const Shape* docs = nullptr;
  for (const auto& ch : top.children)
    if (!docs || ch->count > docs->count) docs = ch.get();
  Writer w{header(sample, "xml"), model, "xml"};
  w.line(0, "xml:");
  w.line(1, "root: " + quoted(root.name()));
  std::vector<std::pair<std::string, std::string>> ignored;
  if (docs) {
    for (const std::string& a : top.attribute_order) ignored.emplace_back("@" + a, note(guess(top.attributes.at(a), nullptr)));
    for (const auto& ch : top.children)
      if (ch.get() != docs) ignored.emplace_back(ch->name, "an element of the root");
  }
  if (!ignored.empty()) {
    w.line(1, "ignore:", "TODO: read and dropped; `fixed` for values that never change");
    for (const auto& [path, comment] : ignored) w.line(2, "- " + quoted(path), comment);
  }
  w.line(0, "documents:");
  w.line(1, "xml: " + quoted(docs ? docs->name : "."), docs ? "the element of one document (" + std::to_string(docs->count) + " in the sample)"
                                                           : "the root is the one document");
  w.line(1, "fields:");
  FieldNames names(model, model.entity(model.root_type().entity));
  const std::size_t before = w.out.size();
  w.element(2, docs ? *docs : top, names, "");
  if (w.out.size() == before) w.out.insert(w.out.size() - 1, " []");
  draft.yaml = std::move(w.out);
}

void draft_csv(const NamedFile& sample, const Model& model, ProfileDraft& draft) {
  Conversion c;
  const Encoding encoding = detect(sample.bytes);
  std::string text;
  if (!decode_input(sample.bytes, encoding, sample.name, text, c)) {
    draft.findings = std::move(c.findings);
    return;
  }
  // The delimiter: the one of ; , TAB | that the header line holds most of.
  const std::string first = text.substr(0, text.find_first_of("\r\n"));
  char delimiter = ',';
  std::size_t most = 0;
  for (char d : {',', ';', '\t', '|'})
    if (const auto n = static_cast<std::size_t>(std::count(first.begin(), first.end(), d)); n > most) most = n, delimiter = d;
  csv::Dialect dialect;
  dialect.delimiter = delimiter;
  const csv::ParseResult parsed = csv::parse(text, dialect);
  if (!parsed) {
    report_csv_error(*parsed.error, sample.name, c);
    draft.findings = std::move(c.findings);
    return;
  }
  const csv::Table& t = parsed.table;
  Writer w{header(sample, "csv"), model, "column"};
  if (encoding != Encoding::utf8) w.line(0, "encoding: " + std::string(name(encoding)), "detected");
  if (delimiter != ',') w.line(0, std::string("csv: {delimiter: ") + quoted(delimiter == '\t' ? "\\t" : std::string(1, delimiter)) + "}");
  w.line(0, "documents:");
  if (!t.header.empty())
    w.line(1, "key: [" + quoted(t.header.front()) + "]", "TODO: the columns that tell documents apart (guessed: the first)");
  w.line(1, "fields:" + std::string(t.header.empty() ? " []" : ""));
  FieldNames names(model, model.entity(model.root_type().entity));
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    std::vector<std::string> values;
    for (const csv::Row& r : t.rows)
      if (i < r.size()) values.push_back(r[i].value);
    w.plain(2, names, t.header[i], t.header[i], values);
  }
  draft.yaml = std::move(w.out);
}

}  // namespace

ProfileDraft draft_profile(const NamedFile& sample, Profile::Format format, const Model& model) {
  ProfileDraft draft;
  if (format == Profile::Format::csv) draft_csv(sample, model, draft);
  else draft_xml(sample, model, draft);
  return draft;
}

}  // namespace hoks
