// The canonical CSV form: one CSV file per entity, linked by _id/_parent/_field key columns.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "convert_internal.hpp"
#include "hoks/convert.hpp"

namespace hoks {
namespace {

bool plain(const ValueType* t) { return t && t->base != BaseType::object && t->base != BaseType::array; }

JsonType plain_kind(const ValueType* t) {
  switch (t->base) {
    case BaseType::integer:
    case BaseType::number: return JsonType::number;
    case BaseType::boolean: return JsonType::boolean;
    default: return JsonType::string;
  }
}

// True when v can be written as the plain cell of a field of type t (and read back the same).
bool fits_cell(const ValueType* t, const Json& v) {
  const JsonType k = plain_kind(t);
  if (v.type != k) return false;
  return k != JsonType::string || !v.text.empty();
}

std::string cell_text(const Json& v) {
  if (v.type == JsonType::boolean) return v.boolean ? "true" : "false";
  return v.text;
}

struct OutTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

class CsvWriter {
 public:
  CsvWriter(const Model& model) : model_(model) {}

  void document(const Json& doc) {
    const int root = model_.root_type().entity;
    if (doc.type == JsonType::array) {
      for (const Json& item : doc.items) value_row(root, item, "", "[]");
    } else {
      value_row(root, doc, "", "");
    }
  }

  std::map<std::string, OutTable> tables;

 private:
  OutTable& entity_table(int e) {
    const Entity& entity = model_.entity(e);
    OutTable& t = tables[entity.name];
    if (t.header.empty()) {
      t.header = {"_id", "_parent", "_field"};
      for (const Field& f : entity.fields)
        if (plain(f.type)) t.header.push_back(f.key);
      t.header.push_back("_value");
      t.header.push_back("_other");
    }
    return t;
  }

  OutTable& list_table(const Entity& entity, const Field& field) {
    OutTable& t = tables[entity.name + "." + field.key];
    if (t.header.empty()) t.header = {"_parent", "value", "_value"};
    return t;
  }

  // A row for `v` in entity e's table: the object's members, or _value when v is not an object.
  void value_row(int e, const Json& v, const std::string& parent, const std::string& field) {
    OutTable& t = entity_table(e);
    const std::string id = std::to_string(t.rows.size() + 1);
    t.rows.emplace_back(t.header.size());
    t.rows.back()[0] = id;
    t.rows.back()[1] = parent;
    t.rows.back()[2] = field;
    if (v.type != JsonType::object) {
      t.rows.back()[t.header.size() - 2] = write_json_compact(v);
      return;
    }
    const Entity& entity = model_.entity(e);
    const std::string self = entity.name + ":" + id;
    std::vector<std::string> cells(t.header.size());
    Json other = Json::object();
    std::vector<const std::string*> used;
    for (const auto& [key, member] : v.members) {
      const Field* f = entity.field(key);
      const bool repeated = std::any_of(used.begin(), used.end(), [&name = key](const std::string* k) { return *k == name; });
      if (!f || repeated) {
        other.members.emplace_back(key, member);
        continue;
      }
      used.push_back(&key);  // a later repeat of the key goes to _other, after this one
      const ValueType* type = f->type;
      if (plain(type)) {
        if (!fits_cell(type, member)) {
          other.members.emplace_back(key, member);
          continue;
        }
        const auto col = static_cast<std::size_t>(
            std::find(t.header.begin(), t.header.end(), key) - t.header.begin());
        cells[col] = cell_text(member);
      } else if (type->base == BaseType::object) {
        if (member.type != JsonType::object) {
          other.members.emplace_back(key, member);
          continue;
        }
        value_row(type->entity, member, self, key);
      } else {
        if (member.type != JsonType::array || member.items.empty()) {
          other.members.emplace_back(key, member);
          continue;
        }
        if (type->item->base == BaseType::object) {
          for (const Json& item : member.items) value_row(type->item->entity, item, self, key);
        } else if (type->item->base == BaseType::array) {
          other.members.emplace_back(key, member);
          continue;
        } else {
          OutTable& lt = list_table(entity, *f);
          for (const Json& item : member.items) {
            const bool fits = fits_cell(type->item, item);
            lt.rows.push_back({self, fits ? cell_text(item) : "", fits ? "" : write_json_compact(item)});
          }
        }
      }
    }
    // value_row may have grown the table: refer to the row by index again.
    OutTable& t2 = entity_table(e);
    auto& row = t2.rows[static_cast<std::size_t>(std::stoul(id) - 1)];
    for (std::size_t c = 3; c + 2 < cells.size(); ++c) row[c] = std::move(cells[c]);
    if (!other.members.empty()) row[t2.header.size() - 1] = write_json_compact(other);
  }

  const Model& model_;
};

// ------------------------------------------------------------------------------------------------

struct InTable {
  std::string file;
  int entity = -1;            // entity tables
  const Field* list = nullptr;  // list tables: the field
  const Entity* owner = nullptr;
  csv::Table table;
  std::map<std::string, std::size_t, std::less<>> columns;
  std::vector<bool> used;
  std::unordered_map<std::string, std::size_t> by_id;
};

class CsvReader {
 public:
  CsvReader(const Model& model, const CanonicalCsvOptions& options, Conversion& out)
      : model_(model), options_(options), out_(out) {}

  void read(const std::vector<NamedFile>& files) {
    for (const NamedFile& f : files) load(f);
    if (out_.fatal) return;
    // Index the children of every row by (parent, field).
    for (std::size_t ti = 0; ti < tables_.size(); ++ti) {
      InTable& t = tables_[ti];
      const std::size_t pc = column(t, "_parent"), fc = column(t, "_field");
      for (std::size_t r = 0; r < t.table.rows.size(); ++r) {
        const std::string parent = cell(t, r, pc);
        std::string key = parent;
        key.push_back('\x1f');
        key += t.list ? t.list->key : cell(t, r, fc);
        children_[key].emplace_back(ti, r);
      }
    }
    const int root = model_.root_type().entity;
    std::vector<std::pair<std::size_t, std::size_t>> roots;
    bool many = false;
    for (std::size_t ti = 0; ti < tables_.size(); ++ti) {
      InTable& t = tables_[ti];
      if (t.entity != root) continue;
      for (std::size_t r = 0; r < t.table.rows.size(); ++r)
        if (cell(t, r, column(t, "_parent")).empty()) {
          roots.emplace_back(ti, r);
          if (cell(t, r, column(t, "_field")) == "[]") many = true;
        }
    }
    if (roots.size() == 1 && !many) {
      out_.document = build(roots[0].first, roots[0].second, "");
    } else {
      out_.document = Json::array();
      for (std::size_t i = 0; i < roots.size(); ++i)
        out_.document.items.push_back(build(roots[i].first, roots[i].second, "/" + std::to_string(i)));
    }
    for (InTable& t : tables_)
      for (std::size_t r = 0; r < t.table.rows.size(); ++r)
        if (!t.used[r]) out_.report("unmapped-input", Severity::warning, where(t, r, 0), "", {{"name", t.file}});
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  std::size_t column(const InTable& t, std::string_view name) const {
    auto it = t.columns.find(name);
    return it == t.columns.end() ? npos : it->second;
  }
  std::string cell(const InTable& t, std::size_t r, std::size_t c) const {
    const csv::Row& row = t.table.rows[r];
    if (c == npos || c >= row.size()) return {};
    return options_.formula_guard ? unguard_formula(row[c].value) : row[c].value;
  }
  Location where(const InTable& t, std::size_t r, std::size_t c) const {
    Location l;
    l.file = t.file;
    const csv::Row& row = t.table.rows[r];
    l.line = row.empty() ? 0 : static_cast<std::uint32_t>(row.front().record);
    l.column = static_cast<std::uint32_t>(c == npos ? 1 : c + 1);
    if (c != npos && c < t.table.header.size()) l.header = t.table.header[c];
    return l;
  }

  void load(const NamedFile& f) {
    std::string base = f.name;
    if (const std::size_t slash = base.find_last_of('/'); slash != std::string::npos) base = base.substr(slash + 1);
    if (base.size() < 5 || base.substr(base.size() - 4) != ".csv") {
      Location l;
      l.file = f.name;
      out_.report("unmapped-input", Severity::warning, l, "", {{"name", f.name}});
      return;
    }
    base.resize(base.size() - 4);
    InTable t;
    t.file = f.name;
    const std::size_t dot = base.find('.');
    if (dot == std::string::npos) {
      t.entity = model_.entity_index(base);
    } else if (const Entity* e = model_.find_entity(base.substr(0, dot))) {
      const Field* field = e->field(base.substr(dot + 1));
      if (field && field->type->base == BaseType::array && plain(field->type->item)) {
        t.list = field;
        t.owner = e;
      }
    }
    if (t.entity < 0 && !t.list) {
      Location l;
      l.file = f.name;
      out_.report("unmapped-input", Severity::warning, l, "", {{"name", f.name}});
      return;
    }
    std::string text;
    if (!decode_input(f.bytes, options_.encoding, f.name, text, out_)) return;
    csv::ParseResult r = csv::parse(text, options_.dialect);
    if (!r) {
      report_csv_error(*r.error, f.name, out_);
      return;
    }
    t.table = std::move(r.table);
    for (std::size_t c = 0; c < t.table.header.size(); ++c) {
      const std::string name = options_.formula_guard ? unguard_formula(t.table.header[c]) : t.table.header[c];
      t.table.header[c] = name;
      bool known = name == "_parent" || name == "_value";
      if (t.list) known = known || name == "value";
      else {
        const Field* field = model_.entity(t.entity).field(name);
        known = known || name == "_id" || name == "_field" || name == "_other" || (field && plain(field->type));
      }
      if (!known || t.columns.count(name)) {
        Location l;
        l.file = f.name;
        l.line = 1;
        l.column = static_cast<std::uint32_t>(c + 1);
        l.header = name;
        out_.report("unmapped-input", Severity::warning, l, "", {{"name", name}});
        continue;
      }
      t.columns[name] = c;
    }
    t.used.assign(t.table.rows.size(), false);
    if (!t.list) {
      const std::size_t ic = column(t, "_id");
      for (std::size_t r2 = 0; r2 < t.table.rows.size(); ++r2) t.by_id[cell(t, r2, ic)] = r2;
    }
    tables_.push_back(std::move(t));
  }

  // The value of a cell of a plain field (type t) at `pointer`.
  Json plain_value(const InTable& t, std::size_t r, std::size_t c, const ValueType* type, const std::string& pointer) {
    const std::string text = cell(t, r, c);
    const std::uint32_t origin = out_.origin(where(t, r, c));
    switch (plain_kind(type)) {
      case JsonType::number:
        if (is_json_number(text)) return Json::number(text, origin);
        out_.report("transform-failed", Severity::error, where(t, r, c), pointer,
                    {{"value", text}, {"expected", "number"}, {"format", "123, -1.5, 2e3"}});
        return Json::string(text, origin);
      case JsonType::boolean:
        if (text == "true" || text == "false") return Json::boolean_value(text == "true", origin);
        out_.report("transform-failed", Severity::error, where(t, r, c), pointer,
                    {{"value", text}, {"expected", "boolean"}, {"format", "true, false"}});
        return Json::string(text, origin);
      default: return Json::string(text, origin);
    }
  }

  // A JSON cell (_value, _other) parsed, or a transform-failed finding and the text as a string.
  Json json_cell(const InTable& t, std::size_t r, std::size_t c, const std::string& pointer) {
    const std::string text = cell(t, r, c);
    JsonDocument doc;
    if (doc.parse(text)) {
      Json v = to_tree(doc.root());
      v.origin = out_.origin(where(t, r, c));
      return v;
    }
    out_.report("transform-failed", Severity::error, where(t, r, c), pointer,
                {{"value", text}, {"expected", "JSON"}, {"format", "{\"key\": 1}, \"text\", [1, 2]"}});
    return Json::string(text, out_.origin(where(t, r, c)));
  }

  const std::vector<std::pair<std::size_t, std::size_t>>& children_of(const std::string& self, const std::string& key) {
    static const std::vector<std::pair<std::size_t, std::size_t>> none;
    std::string k = self;
    k.push_back('\x1f');
    k += key;
    auto it = children_.find(k);
    return it == children_.end() ? none : it->second;
  }

  Json build(std::size_t ti, std::size_t r, const std::string& pointer) {
    InTable& t = tables_[ti];
    t.used[r] = true;
    if (const std::size_t vc = column(t, "_value"); !cell(t, r, vc).empty()) return json_cell(t, r, vc, pointer);
    const Entity& entity = model_.entity(t.entity);
    const std::string self = entity.name + ":" + cell(t, r, column(t, "_id"));
    Json o = Json::object(out_.origin(where(t, r, npos)));
    if (++depth_ > 256) {
      out_.report("syntax", Severity::error, where(t, r, npos), pointer, {{"detail", "too_deep"}});
      out_.fatal = true;
      --depth_;
      return o;
    }
    for (const Field& f : entity.fields) {
      const std::string child_pointer = pointer + "/" + f.key;
      if (plain(f.type)) {
        const std::size_t c = column(t, f.key);
        if (c != npos && !cell(t, r, c).empty()) o.members.emplace_back(f.key, plain_value(t, r, c, f.type, child_pointer));
        continue;
      }
      const auto& kids = children_of(self, f.key);
      if (kids.empty()) continue;
      if (f.type->base == BaseType::object) {
        for (auto [kt, kr] : kids) {
          if (tables_[kt].entity != f.type->entity) continue;
          o.members.emplace_back(f.key, build(kt, kr, child_pointer));
        }
        continue;
      }
      Json a = Json::array();
      for (auto [kt, kr] : kids) {
        InTable& k = tables_[kt];
        const std::string item_pointer = child_pointer + "/" + std::to_string(a.items.size());
        if (k.list) {
          if (k.list != &f) continue;
          k.used[kr] = true;
          if (a.items.empty()) a.origin = out_.origin(where(k, kr, npos));
          const std::size_t vc = column(k, "_value");
          if (!cell(k, kr, vc).empty()) a.items.push_back(json_cell(k, kr, vc, item_pointer));
          else a.items.push_back(plain_value(k, kr, column(k, "value"), f.type->item, item_pointer));
        } else {
          if (f.type->item->base != BaseType::object || k.entity != f.type->item->entity) continue;
          if (a.items.empty()) a.origin = out_.origin(where(k, kr, npos));
          a.items.push_back(build(kt, kr, item_pointer));
        }
      }
      if (!a.items.empty()) o.members.emplace_back(f.key, std::move(a));
    }
    if (const std::size_t oc = column(t, "_other"); !cell(t, r, oc).empty()) {
      Json other = json_cell(t, r, oc, pointer);
      if (other.type == JsonType::object) {
        for (auto& m : other.members) {
          m.second.origin = other.origin;
          o.members.push_back(std::move(m));
        }
      } else {
        out_.report("transform-failed", Severity::error, where(t, r, oc), pointer,
                    {{"value", cell(t, r, oc)}, {"expected", "object"}, {"format", "{\"key\": 1}"}});
      }
    }
    --depth_;
    return o;
  }

  const Model& model_;
  const CanonicalCsvOptions& options_;
  Conversion& out_;
  std::vector<InTable> tables_;
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> children_;
  int depth_ = 0;
};

}  // namespace

Output write_canonical_csv(const Json& document, const CanonicalCsvOptions& options, const Model& model) {
  CsvWriter w(model);
  w.document(document);
  Output out;
  csv::WriteOptions wo;
  wo.line_ending = options.line_ending;
  wo.neutralise_formulas = false;  // done here, reversibly
  for (auto& [table_name, table] : w.tables) {
    if (options.formula_guard) {
      for (auto& h : table.header) h = guard_formula(h);
      for (auto& row : table.rows)
        for (auto& c : row) c = guard_formula(c);
    }
    std::string text = csv::write(table.header, table.rows, options.dialect, wo);
    NamedFile f;
    f.name = table_name + ".csv";
    if (options.encoding == Encoding::utf8) {
      f.bytes = std::move(text);
    } else if (auto error = from_utf8(text, options.encoding, f.bytes)) {
      Finding finding;
      finding.rule = "transform-failed";
      finding.severity = Severity::error;
      finding.location.file = f.name;
      finding.args = {{"value", error->message_en}, {"expected", "string"}, {"format", std::string(name(options.encoding))}};
      out.findings.push_back(std::move(finding));
    }
    out.files.push_back(std::move(f));
  }
  return out;
}

Conversion read_canonical_csv(const std::vector<NamedFile>& files, const CanonicalCsvOptions& options,
                              const Model& model) {
  Conversion out;
  CsvReader r(model, options, out);
  r.read(files);
  return out;
}

}  // namespace hoks
