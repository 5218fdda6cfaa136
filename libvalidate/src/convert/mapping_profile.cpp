// Mapping profiles: loading the YAML, the value transforms, and dispatch to the readers/writers.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include "hoks/check/checks.hpp"
#include "hoks/convert/mapping.hpp"
#include "convert/mapping_internal.hpp"

namespace hoks {
namespace {

std::string ascii_lower(std::string_view s);

[[noreturn]] void fail(std::string_view source, const YAML::Node& at, const std::string& what) {
  std::string where(source);
  if (at && at.Mark().line >= 0) where += ":" + std::to_string(at.Mark().line + 1);
  throw ProfileError(where + ": " + what);
}

std::string scalar(std::string_view source, const YAML::Node& n, const char* what) {
  if (!n.IsScalar()) fail(source, n, std::string(what) + " must be a single value");
  return n.as<std::string>();
}

std::vector<std::string> scalars(std::string_view source, const YAML::Node& n, const char* what) {
  std::vector<std::string> out;
  if (n.IsScalar()) out.push_back(n.as<std::string>());
  else if (n.IsSequence())
    for (const auto& i : n) out.push_back(scalar(source, i, what));
  else fail(source, n, std::string(what) + " must be a value or a list of values");
  return out;
}

bool boolean(std::string_view source, const YAML::Node& n, const char* what) {
  const std::string s = scalar(source, n, what);
  if (s == "true" || s == "yes") return true;
  if (s == "false" || s == "no") return false;
  fail(source, n, std::string(what) + " must be true or false");
}

void check_keys(std::string_view source, const YAML::Node& n, std::initializer_list<const char*> allowed) {
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      fail(source, kv.first, "unknown key '" + k + "' (expected one of: " + list + ")");
    }
  }
}

Transform parse_transform(std::string_view source, const YAML::Node& n) {
  Transform t;
  if (n.IsScalar()) {
    const std::string s = n.as<std::string>();
    if (s == "trim") t.kind = Transform::Kind::trim;
    else if (s == "decimal-comma") t.kind = Transform::Kind::decimal_comma;
    else fail(source, n, "unknown transform '" + s + "'");
    return t;
  }
  if (!n.IsMap() || n.size() != 1) fail(source, n, "a transform is a map with one key: date, boolean, codes or prefix");
  const std::string kind = n.begin()->first.as<std::string>();
  const YAML::Node v = n.begin()->second;
  if (kind == "date") {
    t.kind = Transform::Kind::date;
    t.text = scalar(source, v, "date");
    bool y = false, m = false, d = false;
    for (std::size_t i = 0; i < t.text.size();) {
      const char c = t.text[i];
      std::size_t k = i;
      while (k < t.text.size() && t.text[k] == c) ++k;
      const std::size_t len = k - i;
      if (c == 'y') y = len == 4 || len == 2 ? true : (fail(source, v, "date: use yyyy or yy for the year"), false);
      if (c == 'M') m = len <= 2 ? true : (fail(source, v, "date: use M or MM for the month"), false);
      if (c == 'd') d = len <= 2 ? true : (fail(source, v, "date: use d or dd for the day"), false);
      i = k;
    }
    if (!y || !m || !d) fail(source, v, "date: the pattern needs a year (yyyy), a month (M or MM) and a day (d or dd)");
  } else if (kind == "boolean") {
    t.kind = Transform::Kind::boolean;
    if (!v.IsMap() || !v["true"] || !v["false"]) fail(source, v, "boolean needs the words of true and false: {true: [K], false: [E]}");
    t.trues = scalars(source, v["true"], "boolean true");
    t.falses = scalars(source, v["false"], "boolean false");
    if (t.trues.empty() || t.falses.empty()) fail(source, v, "boolean needs at least one word for true and for false");
  } else if (kind == "codes") {
    t.kind = Transform::Kind::codes;
    if (!v.IsMap() || v.size() == 0) fail(source, v, "codes is a map from vendor codes to canonical values");
    for (const auto& kv : v) t.codes.emplace_back(kv.first.as<std::string>(), scalar(source, kv.second, "code"));
  } else if (kind == "number") {
    t.kind = Transform::Kind::number;
    if (!v.IsMap()) fail(source, v, "number is a map: {thousands: \" \", decimal: \",\"}");
    check_keys(source, v, {"thousands", "decimal"});
    if (v["thousands"]) t.text = scalar(source, v["thousands"], "thousands");
    if (v["decimal"]) t.decimal = scalar(source, v["decimal"], "decimal");
    if (t.decimal != "." && t.decimal != ",") fail(source, v, "number: decimal is \".\" or \",\"");
    if (t.text == t.decimal || t.text.find_first_of("0123456789+-eE") != std::string::npos)
      fail(source, v, "number: the thousands separator must differ from the decimal separator and from digits and signs");
  } else if (kind == "prefix") {
    t.kind = Transform::Kind::prefix;
    t.text = scalar(source, v, "prefix");
  } else {
    fail(source, n, "unknown transform '" + kind + "' (date, boolean, codes, prefix, number, trim, decimal-comma)");
  }
  return t;
}

struct Loader {
  std::string_view source;
  const Model& model;
  std::map<std::string, std::vector<Transform>> named;
  Profile::Format format;
  std::map<std::string, std::string> context;  // the profile's `context` values, used as ${NAME}

  // A default or constant with ${NAME} replaced by the profile's context value.
  std::string with_context(const YAML::Node& n, const char* what) {
    std::string text = scalar(source, n, what);
    for (std::size_t at = text.find("${"); at != std::string::npos; at = text.find("${", at)) {
      const std::size_t end = text.find('}', at);
      const std::string name = end == std::string::npos ? "" : text.substr(at + 2, end - at - 2);
      const auto it = context.find(name);
      if (it == context.end()) fail(source, n, std::string(what) + ": ${" + name + "} is not a value of the profile's context");
      text.replace(at, end - at + 1, it->second);
      at += it->second.size();
    }
    return text;
  }

  std::vector<Transform> transforms(const YAML::Node& n) {
    std::vector<Transform> out;
    const auto one = [&](const YAML::Node& t) {
      if (t.IsScalar()) {
        auto it = named.find(t.as<std::string>());
        if (it != named.end()) {
          out.insert(out.end(), it->second.begin(), it->second.end());
          return;
        }
      }
      out.push_back(parse_transform(source, t));
    };
    if (n.IsSequence())
      for (const auto& t : n) one(t);
    else one(n);
    return out;
  }

  // "{A} {B}": placeholders with text between them (else writing could not split the value back).
  void parse_template(const YAML::Node& n, MappingEntry& e) {
    const std::string t = scalar(source, n, "template");
    std::string literal;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '{') {
        if (t[i] == '}') fail(source, n, "template: '}' without '{'");
        literal += t[i];
        continue;
      }
      const std::size_t end = t.find('}', i);
      if (end == std::string::npos || end == i + 1) fail(source, n, "template: a placeholder is {NAME}");
      if (!e.template_names.empty() && literal.empty())
        fail(source, n, "template: {" + e.template_names.back() + "} and {" + t.substr(i + 1, end - i - 1) +
                            "} need text between them, else the value cannot be split back when writing");
      e.template_texts.push_back(std::move(literal));
      literal.clear();
      e.template_names.push_back(t.substr(i + 1, end - i - 1));
      i = end;
    }
    e.template_texts.push_back(std::move(literal));
    if (e.template_names.empty()) fail(source, n, "template: no {placeholder}; use 'constant' for a fixed value");
  }

  void entries(const YAML::Node& list, const Entity* entity, std::vector<MappingEntry>& out) {
    if (!list.IsSequence()) fail(source, list, "fields must be a list of entries");
    for (const auto& n : list) out.push_back(entry(n, entity));
  }

  MappingEntry entry(const YAML::Node& n, const Entity* entity) {
    if (!n.IsMap()) fail(source, n, "an entry is a map (field, xml or column, transform ...)");
    check_keys(source, n, {"field", "xml", "column", "transform", "default", "constant", "fixed", "ignore", "keep-empty",
                           "split", "fields", "key", "table", "link", "template", "part", "when"});
    MappingEntry e;
    e.line = n.Mark().line + 1;
    const char* path_key = format == Profile::Format::xml ? "xml" : "column";
    const char* other_key = format == Profile::Format::xml ? "column" : "xml";
    if (n[other_key]) fail(source, n[other_key], std::string("this is ") + (format == Profile::Format::xml ? "an XML" : "a CSV") +
                                                     " profile: use '" + path_key + "', not '" + other_key + "'");
    if (n[path_key]) e.path = scalar(source, n[path_key], path_key);
    if (n["transform"]) e.transforms = transforms(n["transform"]);
    if (n["default"]) e.default_value = with_context(n["default"], "default");
    if (n["constant"]) e.constant = with_context(n["constant"], "constant");
    if (n["fixed"]) e.fixed = scalar(source, n["fixed"], "fixed");
    if (n["ignore"]) e.ignore = boolean(source, n["ignore"], "ignore");
    if (n["keep-empty"]) e.keep_empty = boolean(source, n["keep-empty"], "keep-empty");
    if (n["split"]) e.split = scalar(source, n["split"], "split");
    if (n["key"]) e.key = scalars(source, n["key"], "key");
    if (n["table"]) e.table = scalar(source, n["table"], "table");
    if (n["link"]) e.link = scalars(source, n["link"], "link");
    if (n["template"]) parse_template(n["template"], e);
    if (const YAML::Node w = n["when"]) {
      if (!w.IsMap()) fail(source, w, std::string("when is a map: {") + path_key + ": NAME, is: VALUE or [VALUES]}");
      check_keys(source, w, {path_key, "is"});
      if (!w[path_key] || !w["is"]) fail(source, w, std::string("when needs '") + path_key + "' and 'is'");
      e.when = MappingEntry::Condition{scalar(source, w[path_key], path_key), scalars(source, w["is"], "is")};
    }
    if (n["part"]) e.part = scalar(source, n["part"], "part");
    if (!n["field"] && n["template"]) {  // one source into several fields
      if (e.path.empty()) fail(source, n, std::string("a template entry without 'field' needs '") + path_key + "' (the text holding the parts)");
      if (!n["fields"]) fail(source, n, "a template entry without 'field' needs 'fields' with a 'part' each");
      entries(n["fields"], entity, e.fields);
      for (const std::string& name : e.template_names) {
        const auto readers = std::count_if(e.fields.begin(), e.fields.end(), [&](const MappingEntry& f) { return f.part == name; });
        if (readers != 1) fail(source, n["template"], "the part {" + name + "} must be read by exactly one field (part: " + name + "), else it is lost on writing");
      }
      for (const MappingEntry& f : e.fields)
        if (f.part.empty() || f.type->base == BaseType::object || f.type->base == BaseType::array)
          fail(source, n["fields"], "the fields of a template entry are plain values with 'part', and nothing else");
      return e;
    }
    if (!e.part.empty()) {
      if (!e.path.empty() || n["template"] || n["fields"]) fail(source, n, "a 'part' entry takes its value from the enclosing template: no path, template or fields");
    }
    if (!n["field"]) {
      if (!e.fixed && !e.ignore) fail(source, n, "an entry without 'field' must be 'fixed' or 'ignore'");
      if (e.path.empty()) fail(source, n, std::string("a fixed or ignored entry needs '") + path_key + "'");
      return e;
    }
    e.field = scalar(source, n["field"], "field");
    const Field* f = entity ? entity->field(e.field) : nullptr;
    if (!f) fail(source, n["field"], "'" + e.field + "' is not a field of " + (entity ? entity->name : std::string("?")) +
                                         " in the model (see docs/reference or schema/model.yaml)");
    e.type = f->type;
    const ValueType* item = e.type->base == BaseType::array ? e.type->item : e.type;
    if (item->base == BaseType::object) {
      if (!n["fields"]) fail(source, n, "'" + e.field + "' is an object (" + item->name + "): it needs 'fields'");
      entries(n["fields"], &model.entity(item->entity), e.fields);
      if (e.transforms.size() || e.default_value || e.constant) fail(source, n, "an object entry takes no transform, default or constant");
    } else {
      if (n["fields"]) fail(source, n["fields"], "'" + e.field + "' is a plain value: it takes no 'fields'");
      if (e.path.empty() && !e.constant && e.template_names.empty() && e.part.empty())
        fail(source, n, std::string("'") + e.field + "' needs '" + path_key + "', 'template' or 'constant'");
      if (!e.template_names.empty() && (!e.path.empty() || e.constant || e.type->base == BaseType::array))
        fail(source, n, "a template names its sources in {…}: it takes no '" + std::string(path_key) + "' or constant, and is not for lists");
    }
    if (e.when && item->base != BaseType::object && !(e.constant && e.path.empty()))
      fail(source, n["when"], "'when' is for constants, objects and lists of objects: a value read from the input is there "
                              "when the input has it (use 'default' for the empty case)");
    if (!e.link.empty() && e.table.empty()) fail(source, n, "'link' needs 'table'");
    if (!e.table.empty() && e.link.empty()) fail(source, n, "'table' needs 'link' (the columns holding the parent's key)");
    if (!e.split.empty() && e.type->base != BaseType::array) fail(source, n, "'split' is for lists of plain values");
    return e;
  }
};

std::string at_line(std::string_view source, int line) { return std::string(source) + ":" + std::to_string(line) + ": "; }

// CSV profiles: objects share their owner's rows, lists of plain values need split, and rows are
// grouped into items by key columns wherever nested lists share the table or live in another one.
void check_csv(std::string_view source, const MappingEntry& owner, const std::vector<std::string>& group_key) {
  for (const MappingEntry& e : owner.fields) {
    if (e.field.empty()) continue;
    const bool object_list = e.type->base == BaseType::array && e.type->item->base == BaseType::object;
    if (e.type->base == BaseType::object && !e.path.empty())
      throw ProfileError(at_line(source, e.line) + "'" + e.field + "' is an object: its fields name the columns, it takes no 'column'");
    if (object_list && !e.path.empty())
      throw ProfileError(at_line(source, e.line) + "'" + e.field + "' is a list of objects: its fields name the columns, it takes no 'column'");
    if (e.type->base == BaseType::array && !object_list && e.split.empty())
      throw ProfileError(at_line(source, e.line) + "'" + e.field + "' is a list of values in one cell: it needs 'split'");
    if (object_list && !e.table.empty() && group_key.empty())
      throw ProfileError(at_line(source, e.line) + "'" + e.field + "' lives in table " + e.table +
                         ": the entry that holds it needs 'key' (the columns its 'link' refers to)");
    if (object_list && e.table.empty() && group_key.empty())
      throw ProfileError(at_line(source, owner.line) + "these rows are shared with the nested list '" + e.field +
                         "': the enclosing documents or list needs 'key' (the columns that tell its items apart)");
    check_csv(source, e, e.type->base == BaseType::object ? group_key : e.key);
  }
}

// XML profiles: lists of objects are repeated elements, so they need a path.
void check_xml_path(std::string_view source, int line, const std::string& path) {
  std::string error;
  if (!parse_xml_path(path, error)) throw ProfileError(at_line(source, line) + "xml path '" + path + "': " + error);
}

void check_xml(std::string_view source, const MappingEntry& owner) {
  for (const MappingEntry& e : owner.fields) {
    check_xml_path(source, e.line, e.path);
    if (e.when) check_xml_path(source, e.line, e.when->path);
    if (e.field.empty()) continue;
    if (e.type->base == BaseType::array && e.path.empty())
      throw ProfileError(at_line(source, e.line) + "'" + e.field + "' is a list: it needs 'xml' (the repeated element)");
    if (!e.table.empty() || !e.link.empty() || !e.key.empty())
      throw ProfileError(at_line(source, e.line) + "'table', 'link' and 'key' are for CSV profiles");
    check_xml(source, e);
  }
}

}  // namespace

Profile Profile::load(std::string_view yaml_text, std::string_view source, const Model& model, const ContextValues& context) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw ProfileError(std::string(source) + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  try {
    if (!doc.IsMap()) fail(source, doc, "a profile is a YAML map (profile, format, documents ...)");
    check_keys(source, doc, {"profile", "description", "format", "encoding", "strict", "xml", "csv", "transforms", "documents", "context"});
    Profile p;
    p.model_ = &model;
    if (!doc["profile"]) fail(source, doc, "the profile needs a name: profile: NAME");
    p.name_ = scalar(source, doc["profile"], "profile");
    if (doc["description"]) p.description = scalar(source, doc["description"], "description");
    if (!doc["format"]) fail(source, doc, "the profile needs a format: xml, csv, canonical-xml or canonical-csv");
    const std::string format = scalar(source, doc["format"], "format");
    if (format == "xml") p.format_ = Format::xml;
    else if (format == "csv") p.format_ = Format::csv;
    else if (format == "canonical-xml") p.format_ = Format::canonical_xml;
    else if (format == "canonical-csv") p.format_ = Format::canonical_csv;
    else fail(source, doc["format"], "format must be xml, csv, canonical-xml or canonical-csv");
    if (doc["encoding"]) {
      auto e = parse_encoding(scalar(source, doc["encoding"], "encoding"));
      if (!e || *e == Encoding::utf16le || *e == Encoding::utf16be)
        fail(source, doc["encoding"], "encoding must be utf-8, utf-8-bom, windows-1252 or iso-8859-1");
      p.encoding = *e;
      p.encoding_given = true;
    }
    if (doc["strict"]) p.strict = boolean(source, doc["strict"], "strict");
    if (const YAML::Node x = doc["xml"]) {
      if (p.format_ != Format::xml && p.format_ != Format::canonical_xml) fail(source, x, "'xml' options need format xml");
      check_keys(source, x, {"root", "indent", "fixed", "ignore", "namespace"});
      if (x["root"]) p.xml_root = scalar(source, x["root"], "root");
      if (x["indent"]) p.xml_indent = x["indent"].as<int>();
      if (x["fixed"]) {
        if (!x["fixed"].IsMap()) fail(source, x["fixed"], "fixed is a map from paths to values");
        for (const auto& kv : x["fixed"]) p.xml_fixed.emplace_back(kv.first.as<std::string>(), scalar(source, kv.second, "fixed"));
      }
      if (x["ignore"]) p.xml_ignore = scalars(source, x["ignore"], "ignore");
      if (const YAML::Node ns = x["namespace"]) {
        if (p.format_ != Format::xml) fail(source, ns, "'namespace' is for vendor xml profiles");
        if (!ns.IsMap()) fail(source, ns, "namespace is a map: {prefix: PREFIX, uri: URI}");
        check_keys(source, ns, {"prefix", "uri"});
        if (!ns["uri"]) fail(source, ns, "namespace needs its uri");
        p.xml_namespace = scalar(source, ns["uri"], "uri");
        if (ns["prefix"]) p.xml_prefix = scalar(source, ns["prefix"], "prefix");
        const bool name_ok = std::all_of(p.xml_prefix.begin(), p.xml_prefix.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || (c & 0x80);
        });
        if (p.xml_namespace.empty()) fail(source, ns["uri"], "namespace: the uri must not be empty");
        if (!name_ok || (!p.xml_prefix.empty() && (p.xml_prefix[0] == '-' || p.xml_prefix[0] == '.' || (p.xml_prefix[0] >= '0' && p.xml_prefix[0] <= '9'))) ||
            ascii_lower(p.xml_prefix.substr(0, 3)) == "xml")
          fail(source, ns["prefix"], "namespace: the prefix '" + p.xml_prefix + "' is not an XML name without ':' (and does not start with xml)");
      }
    }
    if (const YAML::Node c = doc["csv"]) {
      if (p.format_ != Format::csv && p.format_ != Format::canonical_csv) fail(source, c, "'csv' options need format csv");
      check_keys(source, c, {"delimiter", "quote", "header", "decimal-comma", "trim", "line-ending", "formula-guard"});
      const auto one_char = [&](const char* key) {
        std::string s = scalar(source, c[key], key);
        if (s == "\\t" || s == "tab") s = "\t";
        if (s.size() != 1) fail(source, c[key], std::string(key) + " must be one character");
        return s[0];
      };
      if (c["delimiter"]) p.dialect.delimiter = one_char("delimiter");
      if (c["quote"]) p.dialect.quote = one_char("quote");
      if (c["header"]) p.dialect.has_header = boolean(source, c["header"], "header");
      if (c["decimal-comma"]) p.dialect.decimal_comma = boolean(source, c["decimal-comma"], "decimal-comma");
      if (c["trim"]) p.dialect.trim = boolean(source, c["trim"], "trim");
      if (c["formula-guard"]) p.formula_guard = boolean(source, c["formula-guard"], "formula-guard");
      if (c["line-ending"]) {
        const std::string eol = scalar(source, c["line-ending"], "line-ending");
        if (eol == "crlf") p.line_ending = csv::LineEnding::crlf;
        else if (eol == "lf") p.line_ending = csv::LineEnding::lf;
        else fail(source, c["line-ending"], "line-ending must be crlf or lf");
      }
      if (!csv::valid(p.dialect)) fail(source, c, "the delimiter and the quote must differ and not be line breaks");
      if (p.format_ == Format::csv && !p.dialect.has_header) fail(source, c, "a csv profile addresses columns by header: header must be true");
    }
    if (p.format_ == Format::canonical_xml || p.format_ == Format::canonical_csv) {
      if (doc["transforms"] || doc["documents"]) fail(source, doc, "canonical profiles take no transforms or documents");
      if (!context.empty()) throw ProfileError(std::string(source) + ": a canonical profile has no context values");
      if (p.format_ == Format::canonical_xml && p.xml_root.empty()) p.xml_root = "hoks";
      return p;
    }
    if (p.format_ == Format::xml && p.xml_root.empty()) fail(source, doc, "an xml profile needs xml: {root: ELEMENT}");
    Loader loader{source, model, {}, p.format_, {}};
    if (const YAML::Node c = doc["context"]) {
      if (!c.IsMap()) fail(source, c, "context is a map of names to values, used in defaults and constants as ${NAME}");
      for (const auto& kv : c) loader.context[kv.first.as<std::string>()] = scalar(source, kv.second, "context value");
    }
    for (const auto& [name, value] : context) {
      const auto it = loader.context.find(name);
      if (it == loader.context.end()) {
        std::string names;
        for (const auto& kv : loader.context) names += (names.empty() ? "" : ", ") + kv.first;
        throw ProfileError(std::string(source) + ": context value '" + name + "' is not in the profile's context (" +
                           (names.empty() ? "it has none" : "it has: " + names) + ")");
      }
      it->second = value;
    }
    if (const YAML::Node t = doc["transforms"]) {
      if (!t.IsMap()) fail(source, t, "transforms is a map from names to transforms");
      for (const auto& kv : t) loader.named[kv.first.as<std::string>()] = loader.transforms(kv.second);
    }
    const YAML::Node d = doc["documents"];
    if (!d || !d.IsMap()) fail(source, doc, "the profile needs documents: {xml or column ..., fields: [...]}");
    check_keys(source, d, {"xml", "key", "fields"});
    if (p.format_ == Format::xml) {
      if (!d["xml"]) fail(source, d, "documents needs xml: the path from the root to a document's element");
      p.documents.path = scalar(source, d["xml"], "xml");
    }
    if (d["key"]) p.documents.key = scalars(source, d["key"], "key");
    if (!d["fields"]) fail(source, d, "documents needs fields");
    p.documents.type = &model.root_type();
    p.documents.line = d.Mark().line + 1;
    loader.entries(d["fields"], &model.entity(model.root_type().entity), p.documents.fields);
    if (p.format_ == Format::csv) check_csv(source, p.documents, p.documents.key);
    else {
      check_xml_path(source, p.documents.line, p.documents.path);
      for (const auto& [path, value] : p.xml_fixed) check_xml_path(source, p.documents.line, path);
      for (const auto& path : p.xml_ignore) check_xml_path(source, p.documents.line, path);
      check_xml(source, p.documents);
    }
    return p;
  } catch (const YAML::Exception& e) {
    throw ProfileError(std::string(source) + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Profile Profile::canonical_xml() {
  Profile p;
  p.name_ = "canonical-xml";
  p.format_ = Format::canonical_xml;
  p.xml_root = "hoks";
  return p;
}

Profile Profile::canonical_csv() {
  Profile p;
  p.name_ = "canonical-csv";
  p.format_ = Format::canonical_csv;
  return p;
}

bool Profile::writes_directory() const {
  if (format_ == Format::canonical_csv) return true;
  if (format_ != Format::csv) return false;
  std::vector<const MappingEntry*> stack{&documents};
  while (!stack.empty()) {
    const MappingEntry* e = stack.back();
    stack.pop_back();
    if (!e->table.empty()) return true;
    for (const auto& f : e->fields) stack.push_back(&f);
  }
  return false;
}

namespace {

CanonicalXmlOptions xml_options(const Profile& p) {
  CanonicalXmlOptions o;
  o.root = p.xml_root.empty() ? "hoks" : p.xml_root;
  o.indent = p.xml_indent;
  return o;
}

CanonicalCsvOptions csv_options(const Profile& p) {
  CanonicalCsvOptions o;
  o.dialect = p.dialect;
  o.line_ending = p.line_ending;
  o.encoding = p.encoding;
  o.formula_guard = p.formula_guard;
  return o;
}

}  // namespace

Conversion Profile::read(const std::vector<NamedFile>& input) const {
  switch (format_) {
    case Format::canonical_xml:
      if (input.empty()) return {};
      return read_canonical_xml(input.front().bytes, input.front().name, xml_options(*this), *model_);
    case Format::canonical_csv: return read_canonical_csv(input, csv_options(*this), *model_);
    case Format::xml: return read_vendor_xml(*this, *model_, views(input), nullptr);
    case Format::csv: return read_vendor_csv(*this, *model_, views(input), nullptr);
  }
  return {};
}

Conversion Profile::read(const std::vector<FileView>& input, JsonSink& sink) const {
  if (format_ == Format::canonical_xml) {
    if (input.empty()) return {};
    return read_canonical_xml(input.front().bytes, input.front().name, sink, xml_options(*this), *model_);
  }
  if (format_ == Format::canonical_csv) return read_canonical_csv(input, sink, csv_options(*this), *model_);
  // Vendor formats: each value into the sink as it is read.
  if (format_ == Format::xml) return read_vendor_xml(*this, *model_, input, &sink);
  return read_vendor_csv(*this, *model_, input, &sink);
}

Output Profile::write(const Json& document) const {
  switch (format_) {
    case Format::canonical_xml: {
      Output out;
      out.files.push_back({"", write_canonical_xml(document, xml_options(*this), *model_)});
      return out;
    }
    case Format::canonical_csv: return write_canonical_csv(document, csv_options(*this), *model_);
    case Format::xml: return write_vendor_xml(*this, *model_, document);
    case Format::csv: return write_vendor_csv(*this, *model_, document);
  }
  return {};
}

Output Profile::write(JsonValue document) const {
  switch (format_) {
    case Format::canonical_xml: {
      std::ostringstream text;
      write_canonical_xml(document, text, xml_options(*this), *model_);
      Output out;
      out.files.push_back({"", std::move(text).str()});
      return out;
    }
    case Format::canonical_csv: return write_canonical_csv(document, csv_options(*this), *model_);
    case Format::xml: return write_vendor_xml(*this, *model_, document);
    case Format::csv: return write_vendor_csv(*this, *model_, document);
  }
  return {};
}

// ------------------------------------------------------------------------------------------------
// Transforms

namespace {
std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

// a == b with ASCII letters compared regardless of case (as ascii_lower(a) == ascii_lower(b)).
bool equal_ignoring_case(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// The year, month and day of `value` read by the date `pattern` (d.M.yyyy ...); false when its form differs.
bool read_date_fields(std::string_view pattern, std::string_view value, int& y, int& m, int& d) {
  y = m = d = -1;
  std::size_t v = 0;
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    std::size_t k = i;
    while (k < pattern.size() && pattern[k] == c) ++k;
    const std::size_t len = k - i;
    if (c == 'y' || c == 'M' || c == 'd') {
      const std::size_t min = len, max = c == 'y' ? len : 2;
      std::size_t n = 0;
      int number = 0;
      while (n < max && v + n < value.size() && value[v + n] >= '0' && value[v + n] <= '9') number = number * 10 + (value[v + n++] - '0');
      if (n < min) return false;
      v += n;
      if (c == 'y') y = len == 2 ? 2000 + number : number;
      else if (c == 'M') m = number;
      else d = number;
    } else {
      for (std::size_t r = 0; r < len; ++r, ++v)
        if (v >= value.size() || value[v] != c) return false;
    }
    i = k;
  }
  return v == value.size();
}

// Appends n (not negative) in decimal with at least `width` digits (zeros in front), as printf's %0*d.
void append_digits(std::string& out, int n, std::size_t width) {
  char digits[16];  // filled from the end
  char* first = digits + sizeof digits;
  do *--first = static_cast<char>('0' + n % 10);
  while ((n /= 10) > 0);
  const std::size_t count = static_cast<std::size_t>(digits + sizeof digits - first);
  if (count < width) out.append(width - count, '0');
  out.append(first, count);
}

// YYYY-MM-DD of a year, month and day as read_date_fields gives them (0-9999, 0-99, 0-99: the
// pattern has yyyy or yy, and at most two digits of month and day).
std::string iso_date(int y, int m, int d) {
  const auto digit = [](int n) { return static_cast<char>('0' + n % 10); };
  const char iso[10] = {digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-', digit(m / 10), digit(m), '-', digit(d / 10), digit(d)};
  return std::string(iso, sizeof iso);
}

bool read_date(const std::string& pattern, std::string& value) {
  int y, m, d;
  if (!read_date_fields(pattern, value, y, m, d)) return false;
  std::string iso = iso_date(y, m, d);
  if (!parse_date(iso)) return false;
  value = std::move(iso);
  return true;
}

// Whether `value` has the form of the date `pattern` but names no day of the calendar (31.2.2024).
bool no_such_date(const std::string& pattern, const std::string& value) {
  int y, m, d;
  return read_date_fields(pattern, value, y, m, d) && !parse_date(iso_date(y, m, d));
}

bool write_date(const std::string& pattern, std::string& value) {
  const auto date = parse_date(value);
  if (!date) return false;
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    std::size_t k = i;
    while (k < pattern.size() && pattern[k] == c) ++k;
    const std::size_t len = k - i;
    if (c == 'y') {
      if (len == 2) {
        if (date->year < 2000 || date->year > 2099) return false;
        append_digits(out, date->year % 100, 2);
      } else {
        append_digits(out, date->year, 4);
      }
    } else if (c == 'M' || c == 'd') {
      append_digits(out, c == 'M' ? date->month : date->day, len == 2 ? 2 : 1);
    } else {
      out.append(len, c);
    }
    i = k;
  }
  value = std::move(out);
  return true;
}
}  // namespace

namespace {
// "1 234 567,5" -> "1234567.5": thousands separators only between groups of three digits.
bool read_number(const std::string& thousands, const std::string& decimal, std::string& value) {
  std::string v = value;
  const std::size_t sign = v.size() && v[0] == '-' ? 1 : 0;
  const std::size_t dec = v.find(decimal);
  const std::string integer = v.substr(sign, dec == std::string::npos ? std::string::npos : dec - sign);
  std::string digits;
  if (!thousands.empty() && integer.find(thousands) != std::string::npos) {
    const std::vector<std::string> groups = split_text(integer, thousands);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const std::size_t n = groups[i].size();
      if ((i == 0 && (n < 1 || n > 3)) || (i > 0 && n != 3)) return false;
      digits += groups[i];
    }
  } else {
    digits = integer;
  }
  std::string out = (sign ? "-" : "") + digits;
  if (dec != std::string::npos) out += "." + v.substr(dec + decimal.size());
  if (!is_json_number(out)) return false;
  value = std::move(out);
  return true;
}

bool write_number(const std::string& thousands, const std::string& decimal, std::string& value) {
  if (!is_json_number(value) || value.find_first_of("eE") != std::string::npos) return false;
  const std::size_t sign = value[0] == '-' ? 1 : 0;
  const std::size_t dot = value.find('.');
  const std::string integer = value.substr(sign, dot == std::string::npos ? std::string::npos : dot - sign);
  std::string grouped;
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (i && (integer.size() - i) % 3 == 0) grouped += thousands;
    grouped += integer[i];
  }
  value = (sign ? "-" : "") + grouped + (dot == std::string::npos ? "" : decimal + value.substr(dot + 1));
  return true;
}
}  // namespace

bool Transform::read(std::string& value) const {
  switch (kind) {
    case Kind::number: return read_number(text, decimal, value);
    case Kind::trim: value = std::string(hoks::trim(value)); return true;
    case Kind::decimal_comma: {
      if (value.find('.') != std::string::npos) return false;
      std::replace(value.begin(), value.end(), ',', '.');
      return true;
    }
    case Kind::date: return read_date(text, value);
    case Kind::boolean: {
      for (const auto& w : trues)
        if (equal_ignoring_case(w, value)) return value = "true", true;
      for (const auto& w : falses)
        if (equal_ignoring_case(w, value)) return value = "false", true;
      return false;
    }
    case Kind::codes:
      for (const auto& [code, canonical] : codes)
        if (code == value) return value = canonical, true;
      return false;
    case Kind::prefix: value.insert(0, text); return true;
  }
  return false;
}

bool Transform::write(std::string& value) const {
  switch (kind) {
    case Kind::number: return write_number(text, decimal, value);
    case Kind::trim: return true;
    case Kind::decimal_comma: {
      if (value.find(',') != std::string::npos) return false;
      std::replace(value.begin(), value.end(), '.', ',');
      return true;
    }
    case Kind::date: return write_date(text, value);
    case Kind::boolean:
      if (value == "true") return value = trues.front(), true;
      if (value == "false") return value = falses.front(), true;
      return false;
    case Kind::codes:
      for (const auto& [code, canonical] : codes)
        if (canonical == value) return value = code, true;
      return false;
    case Kind::prefix:
      if (value.compare(0, text.size(), text) != 0) return false;
      value.erase(0, text.size());
      return true;
  }
  return false;
}

std::string Transform::describe() const {
  const auto join = [](const auto& list, auto get) {
    std::string s;
    for (const auto& x : list) s += (s.empty() ? "" : ", ") + get(x);
    return s;
  };
  switch (kind) {
    case Kind::trim: return "trim";
    case Kind::decimal_comma: return "1,5";
    case Kind::number: return "1" + text + "234" + decimal + "5";
    case Kind::date: return text;
    case Kind::boolean:
      return join(trues, [](const std::string& s) { return s; }) + " / " + join(falses, [](const std::string& s) { return s; });
    case Kind::codes: return join(codes, [](const auto& p) { return p.first; });
    case Kind::prefix: return text + "…";
  }
  return {};
}

}  // namespace hoks

namespace hoks {

void PointerPath::append_to(std::string& out) const {
  if (parent_) parent_->append_to(out);
  if (text_) {
    out += *text_;
  } else if (item_) {
    out.push_back('/');
    out += std::to_string(index_);
  } else if (parent_) {
    append_pointer(out, key_);
  }
}

std::vector<std::string> split_text(const std::string& text, const std::string& separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(separator, start);
    if (at == std::string::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
}

std::string join_template(const MappingEntry& e, const std::vector<std::string>& parts) {
  std::string out = e.template_texts.front();
  for (std::size_t i = 0; i < e.template_names.size(); ++i) out += (i < parts.size() ? parts[i] : "") + e.template_texts[i + 1];
  return out;
}

std::string template_text(const MappingEntry& e) {
  std::vector<std::string> braced;
  for (const std::string& n : e.template_names) braced.push_back("{" + n + "}");
  return join_template(e, braced);
}

bool split_template(const MappingEntry& e, const std::string& text, std::vector<std::string>& parts) {
  const std::string& head = e.template_texts.front();
  const std::string& tail = e.template_texts.back();
  if (text.size() < head.size() + tail.size() || text.compare(0, head.size(), head) != 0 ||
      text.compare(text.size() - tail.size(), tail.size(), tail) != 0)
    return false;
  if (e.template_texts.size() == 3) {  // two parts: the separator found once (overlaps counted, as below)
    const std::string_view body = std::string_view(text).substr(head.size(), text.size() - head.size() - tail.size());
    const std::string& sep = e.template_texts[1];
    const std::size_t at = body.find(sep);
    if (at == std::string_view::npos || body.find(sep, at + 1) != std::string_view::npos) return false;
    parts.assign({std::string(body.substr(0, at)), std::string(body.substr(at + sep.size()))});
    return true;
  }
  const std::string body = text.substr(head.size(), text.size() - head.size() - tail.size());
  // Every way to place the separators; the value splits only when there is exactly one.
  std::vector<std::string> current;
  std::size_t ways = 0;
  const std::function<void(std::size_t, std::size_t)> place = [&](std::size_t i, std::size_t at) {
    if (ways > 1) return;
    if (i + 1 == e.template_texts.size()) {
      current.push_back(body.substr(at));
      if (++ways == 1) parts = current;
      current.pop_back();
      return;
    }
    const std::string& sep = e.template_texts[i];
    for (std::size_t found = body.find(sep, at); found != std::string::npos && ways < 2; found = body.find(sep, found + 1)) {
      current.push_back(body.substr(at, found - at));
      place(i + 1, found + sep.size());
      current.pop_back();
    }
  };
  place(1, 0);
  return ways == 1;
}

std::vector<std::string> split_or_report(const MappingEntry& e, const std::string& text, const PointerPath& pointer, Output& out) {
  std::vector<std::string> parts;
  if (split_template(e, text, parts)) return parts;
  Finding f;
  f.rule = detail::rule_name(detail::RuleId::transform_failed);
  f.severity = Severity::error;
  f.path = pointer.str();
  f.args = {{"value", text}, {"expected", "string"}, {"format", template_text(e)}};
  out.findings.push_back(std::move(f));
  return {text};
}

template <typename View>
bool write_parts(const MappingEntry& e, View object, const PointerPath& pointer, bool decimal_comma, Output& out,
                 std::string& text) {
  std::vector<std::string> parts;
  bool any = false;
  for (const std::string& name : e.template_names) {
    parts.emplace_back();
    const auto f = std::find_if(e.fields.begin(), e.fields.end(), [&](const MappingEntry& x) { return x.part == name; });
    const View v = object.get(f->field);
    if (!v) continue;
    write_plain(*f, v, parts.back(), PointerPath(pointer, f->field), decimal_comma, out);
    if (f->default_value && parts.back() == *f->default_value) parts.back().clear();
    any = any || !parts.back().empty();
  }
  if (any) text = join_template(e, parts);
  return any;
}

template <typename View>
void check_conditions(const std::vector<MappingEntry>& entries, View object, const PointerPath& pointer,
                      const std::function<std::string(const std::string&)>& written, Output& out) {
  if (!any_condition(entries)) return;
  for (const MappingEntry& e : entries) {
    if (e.field.empty() || !conditional(entries, e.field) || first_entry(entries, e.field) != &e) continue;
    const View v = object.get(e.field);
    if (!v) continue;
    const MappingEntry* applies = nullptr;
    for (const MappingEntry& x : entries)
      if (x.field == e.field && condition_holds(x, x.when ? written(x.when->path) : std::string())) {
        applies = &x;
        break;
      }
    std::string text;
    if (applies && applies->constant && applies->path.empty()) {
      write_plain(*applies, v, text, pointer, false, out);
      if (text == *applies->constant) continue;
    } else if (applies && !applies->constant) {
      continue;  // an object or a list, written by the entry that applies
    }
    Finding f;
    f.rule = detail::rule_name(detail::RuleId::transform_failed);
    f.severity = Severity::error;
    f.path = PointerPath(pointer, e.field).str();
    std::string conditions;  // the field's conditions, for the message
    for (const MappingEntry& x : entries) {
      if (x.field != e.field || !x.when) continue;
      std::string values;
      for (const auto& w : x.when->values) values += (values.empty() ? "" : "|") + w;
      conditions += (conditions.empty() ? "" : "; ") + x.when->path + " = " + values;
    }
    f.args = {{"value", v.type() == JsonType::string ? std::string(v.text()) : v.compact()}, {"expected", "value"},
              {"format", applies && applies->constant ? *applies->constant : "when " + conditions}};
    out.findings.push_back(std::move(f));
  }
}

void emit_typed_text(JsonSink& sink, const std::string& text, const ValueType* type, std::uint32_t origin) {
  switch (type->base) {
    case BaseType::integer:
    case BaseType::number:
      if (is_json_number(text)) return sink.number(text, origin);
      break;
    case BaseType::boolean:
      if (text == "true" || text == "false") return sink.boolean(text == "true", origin);
      break;
    default: break;
  }
  sink.string(text, origin);
}

Json read_plain(const MappingEntry& e, const ValueType* type, std::string_view text, const std::function<Location()>& where,
                std::uint32_t origin, const PointerPath& pointer, bool decimal_comma, Conversion& out) {
  std::string value(text);
  for (const Transform& t : e.transforms) {
    if (!t.read(value)) {
      std::vector<std::pair<std::string, std::string>> args = {
          {"value", std::string(text)}, {"expected", std::string(to_string(type->base))}, {"format", t.describe()}};
      if (t.kind == Transform::Kind::date && no_such_date(t.text, value)) args.emplace_back("case", "no-such-date");
      add_finding(out, detail::RuleId::transform_failed, Severity::error, where(), pointer.str(), std::move(args));
      return Json::string(std::string(text), origin);
    }
  }
  switch (type->base) {
    case BaseType::integer:
    case BaseType::number: {
      std::string token = std::move(value);
      if (decimal_comma && token.find('.') == std::string::npos) std::replace(token.begin(), token.end(), ',', '.');
      if (is_json_number(token)) return Json::number(std::move(token), origin);
      add_finding(out, detail::RuleId::transform_failed, Severity::error, where(), pointer.str(),
                 {{"value", std::string(text)}, {"expected", std::string(to_string(type->base))},
                  {"format", decimal_comma ? "123, -1,5" : "123, -1.5"}});
      return Json::string(std::string(text), origin);
    }
    case BaseType::boolean:
      if (value == "true" || value == "false") return Json::boolean_value(value == "true", origin);
      add_finding(out, detail::RuleId::transform_failed, Severity::error, where(), pointer.str(),
                 {{"value", std::string(text)}, {"expected", "boolean"}, {"format", "true, false"}});
      return Json::string(std::string(text), origin);
    default: return Json::string(std::move(value), origin);
  }
}

void emit_plain(JsonSink& sink, const MappingEntry& e, const ValueType* type, std::string_view text,
                const std::function<Location()>& where, std::uint32_t origin, const PointerPath& pointer, bool decimal_comma,
                Conversion& out, std::string& scratch) {
  const bool number = type->base == BaseType::integer || type->base == BaseType::number;
  if (e.transforms.empty() && !number && type->base != BaseType::boolean) return sink.string(text, origin);  // as read_plain gives it
  if (e.transforms.empty() && number && is_json_number(text) && (!decimal_comma || text.find(',') == std::string_view::npos))
    return sink.number(text, origin);  // a number token as it is, as read_plain gives it
  // What read_plain gives when every step succeeds; else read_plain again, which reports the step that fails.
  scratch.assign(text);
  bool read = std::all_of(e.transforms.begin(), e.transforms.end(), [&](const Transform& t) { return t.read(scratch); });
  if (read && number) {
    if (decimal_comma && scratch.find('.') == std::string::npos) std::replace(scratch.begin(), scratch.end(), ',', '.');
    if (is_json_number(scratch)) return sink.number(scratch, origin);
  } else if (read && type->base == BaseType::boolean) {
    if (scratch == "true" || scratch == "false") return sink.boolean(scratch == "true", origin);
  } else if (read) {
    return sink.string(scratch, origin);
  }
  emit(read_plain(e, type, text, where, origin, pointer, decimal_comma, out), sink);
}

template <typename View>
bool write_plain(const MappingEntry& e, View v, std::string& text, const PointerPath& pointer,
                 bool decimal_comma, Output& out) {
  const auto failed = [&](const std::string& format) {
    Finding f;
    f.rule = detail::rule_name(detail::RuleId::transform_failed);
    f.severity = Severity::error;
    f.path = pointer.str();
    f.args = {{"value", v.type() == JsonType::string ? std::string(v.text()) : v.compact()},
              {"expected", std::string(to_string(e.type->base == BaseType::array ? e.type->item->base : e.type->base))},
              {"format", format}};
    out.findings.push_back(std::move(f));
    return false;
  };
  switch (v.type()) {
    case JsonType::string: text = v.text(); break;
    case JsonType::number:
      text = v.text();
      if (decimal_comma && std::none_of(e.transforms.begin(), e.transforms.end(),  // a number transform formats it
                                        [](const Transform& t) { return t.kind == Transform::Kind::number; }))
        std::replace(text.begin(), text.end(), '.', ',');
      break;
    case JsonType::boolean: text = v.boolean() ? "true" : "false"; break;
    default: text = v.compact(); return failed("text");
  }
  for (auto t = e.transforms.rbegin(); t != e.transforms.rend(); ++t)
    if (!t->write(text)) return failed(t->describe());
  return true;
}

void report_unwritten_member(std::string_view key, const PointerPath& pointer, const Profile& profile, Output& out) {
  Finding f;
  f.rule = detail::rule_name(detail::RuleId::unmapped_input);
  f.severity = unmapped_severity(profile);
  f.path = PointerPath(pointer, key).str();
  f.args = {{"name", std::string(key)}};
  out.findings.push_back(std::move(f));
}

// The writers read a tree or a parsed document.
template bool write_parts(const MappingEntry&, TreeValue, const PointerPath&, bool, Output&, std::string&);
template bool write_parts(const MappingEntry&, ParsedValue, const PointerPath&, bool, Output&, std::string&);
template void check_conditions(const std::vector<MappingEntry>&, TreeValue, const PointerPath&,
                               const std::function<std::string(const std::string&)>&, Output&);
template void check_conditions(const std::vector<MappingEntry>&, ParsedValue, const PointerPath&,
                               const std::function<std::string(const std::string&)>&, Output&);
template bool write_plain(const MappingEntry&, TreeValue, std::string&, const PointerPath&, bool, Output&);
template bool write_plain(const MappingEntry&, ParsedValue, std::string&, const PointerPath&, bool, Output&);

}  // namespace hoks
