// The canonical CSV form: one CSV file per entity, linked by _id/_parent/_field key columns.
#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <memory>
#include <span>

#include "convert/convert_internal.hpp"
#include "hoks/convert/convert.hpp"

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
template <typename View>
bool fits_cell(const ValueType* t, View v) {
  const JsonType k = plain_kind(t);
  if (v.type() != k) return false;
  return k != JsonType::string || !v.text().empty();
}

template <typename View>
std::string_view cell_text(View v) {
  if (v.type() == JsonType::boolean) return v.boolean() ? "true" : "false";
  return v.text();
}

// One output file: its CSV text, written a row at a time as the rows are made.
struct OutTable {
  std::string file;                        // its file name
  std::string text;                        // the header and the rows written so far (not yet handed on)
  bool begun = false;                      // a record is written (the next one is not the file's first)
  bool failed = false;                     // a character could not be encoded (reported once)
  std::size_t width = 0;                   // number of columns
  std::vector<std::size_t> field_columns;  // entity tables: the column of each plain field
  std::size_t rows = 0;                    // entity tables: rows begun (their _id)
  std::size_t written = 0;                 // entity tables: rows in text
  std::map<std::size_t, std::string> waiting;  // rows finished before an earlier row of the table
};

class CsvWriter {
 public:
  // With a sink, the text of the files is handed to it in pieces as it is made.
  CsvWriter(const Model& model, const CanonicalCsvOptions& options, FileSink* sink = nullptr)
      : model_(model), guard_(options.formula_guard), header_(options.dialect.has_header), encoding_(options.encoding),
        entity_tables_(model.entities().size()), csv_(options.dialect, record_options(options)), sink_(sink) {}

  // An array of documents parsed one at a time (each is written before the next is parsed).
  void document(const ParsedItems& documents) {
    documents.items([&](TapeView item) { value_row(model_.root_type().entity, item, "", "[]"); });
  }

  template <typename View>
  void document(const View& doc) {
    const int root = model_.root_type().entity;
    if (doc.type() == JsonType::array) {
      doc.items([&](auto item) { value_row(root, item, "", "[]"); });
    } else {
      value_row(root, doc, "", "");
    }
  }

  std::map<std::string, OutTable> tables;  // by file name without .csv

  // The files, or (with a sink) what is left of them handed to the sink; findings of encoding.
  Output finish() {
    Output out;
    for (auto& [table_name, table] : tables) {
      if (sink_) {
        hand_on(table, out.findings);
        continue;
      }
      NamedFile f;
      f.name = table.file;
      encode(table, f.bytes, out.findings);
      std::string().swap(table.text);
      out.files.push_back(std::move(f));
    }
    for (Finding& f : findings_) out.findings.push_back(std::move(f));
    return out;
  }

 private:
  static csv::WriteOptions record_options(const CanonicalCsvOptions& options) {
    csv::WriteOptions wo;
    wo.line_ending = options.line_ending;
    wo.neutralise_formulas = false;  // done here, reversibly
    return wo;
  }

  // A string the cells of the rows being made may view (ids, parents, JSON cells).
  std::string_view keep(std::string s) { return kept_.emplace_back(std::move(s)); }

  // Appends a record to `out`, with the formula guard on its cells (first: the file's first record).
  void put(std::string& out, std::span<const std::string_view> cells, bool first) {
    if (guard_) {
      bool copied = false;
      for (std::size_t k = 0; k < cells.size(); ++k) {
        if (!needs_formula_guard(cells[k])) continue;
        if (!copied) {
          guarded_cells_.assign(cells.begin(), cells.end());
          if (guarded_.size() < cells.size()) guarded_.resize(cells.size());  // before any view of them
          copied = true;
        }
        guarded_[k].assign(1, '\'');
        guarded_[k] += cells[k];
        guarded_cells_[k] = guarded_[k];
      }
      if (copied) return csv_.record(out, guarded_cells_, first);
    }
    csv_.record(out, cells, first);
  }

  // Appends a record to table t; hands the text on when a sink takes pieces and it is large.
  void put(OutTable& t, std::span<const std::string_view> cells) {
    put(t.text, cells, !t.begun);
    t.begun = true;
    if (sink_ && t.text.size() >= piece_bytes) hand_on(t, findings_);
  }

  // The text of t in the output encoding (a transform-failed finding, once per file, when a
  // character has no place in it).
  void encode(OutTable& t, std::string& bytes, std::vector<Finding>& findings) {
    if (encoding_ == Encoding::utf8) {
      bytes = std::move(t.text);
      return;
    }
    const auto error = from_utf8(t.text, encoding_, bytes);
    if (!error || t.failed) return;
    t.failed = true;
    Finding finding;
    finding.rule = detail::rule_name(detail::RuleId::transform_failed);
    finding.severity = Severity::error;
    finding.location.file = t.file;
    finding.args = {{"value", error->message_en}, {"expected", "string"}, {"format", std::string(name(encoding_))}};
    findings.push_back(std::move(finding));
  }

  // Hands the text of t written so far to the sink (whole records: the encoding may convert it).
  void hand_on(OutTable& t, std::vector<Finding>& findings) {
    encode(t, piece_, findings);
    sink_->write(t.file, piece_);
    t.text.clear();
  }

  // A new table with its header (when the dialect has one).
  OutTable& new_table(const std::string& name, const std::vector<std::string_view>& header) {
    OutTable& t = tables[name];
    t.file = name + ".csv";
    t.width = header.size();
    if (header_) put(t, header);
    return t;
  }

  OutTable& entity_table(int e) {
    OutTable*& known = entity_tables_[static_cast<std::size_t>(e)];
    if (known) return *known;
    const Entity& entity = model_.entity(e);
    std::vector<std::string_view> header = {"_id", "_parent", "_field"};
    std::vector<std::size_t> field_columns(entity.fields.size(), 0);
    for (std::size_t i = 0; i < entity.fields.size(); ++i)
      if (plain(entity.fields[i].type)) {
        field_columns[i] = header.size();
        header.push_back(entity.fields[i].key);
      }
    header.push_back("_value");
    header.push_back("_other");
    OutTable& t = new_table(entity.name, header);
    t.field_columns = std::move(field_columns);
    return *(known = &t);
  }

  OutTable& list_table(const Entity& entity, const Field& field) {
    const std::string name = entity.name + "." + field.key;
    auto it = tables.find(name);
    return it != tables.end() ? it->second : new_table(name, {"_parent", "value", "_value"});
  }

  // Writes row `index` of entity table t (its cells are cells_[base...]) in _id order.
  void finish_row(OutTable& t, std::size_t index, std::size_t base) {
    const std::span<const std::string_view> cells = std::span<const std::string_view>(cells_).subspan(base, t.width);
    if (index != t.written) {  // an earlier row of the same table is not finished yet
      put(t.waiting[index], cells, false);
      return;
    }
    put(t, cells);
    ++t.written;
    for (auto it = t.waiting.begin(); it != t.waiting.end() && it->first == t.written; it = t.waiting.erase(it)) {
      t.text += it->second;
      ++t.written;
    }
  }

  // A row for `v` in entity e's table: the object's members, or _value when v is not an object.
  template <typename View>
  void value_row(int e, View v, std::string_view parent, std::string_view field) {
    OutTable& t = entity_table(e);
    const std::size_t index = t.rows++;
    const std::size_t kept_mark = kept_.size();
    const std::size_t base = cells_.size();  // value_row may grow cells_: refer to the row by base
    const std::string_view id = keep(std::to_string(index + 1));
    cells_.resize(base + t.width);
    cells_[base] = id;
    cells_[base + 1] = parent;
    cells_[base + 2] = field;
    if (v.type() != JsonType::object) {
      cells_[base + t.width - 2] = keep(compact_json(v));
    } else {
      members_row(e, t, v, base, id);
    }
    finish_row(t, index, base);
    cells_.resize(base);
    while (kept_.size() > kept_mark) kept_.pop_back();
  }

  // The cells of an object's row, and the rows of its children.
  template <typename View>
  void members_row(int e, OutTable& t, View v, std::size_t base, std::string_view id) {
    const Entity& entity = model_.entity(e);
    const std::string_view self = keep(entity.name + ":" + std::string(id));
    std::vector<std::pair<std::string_view, View>> other;  // the members written as JSON in _other
    const std::size_t used = used_.size();  // used_[used + i]: field i seen (a repeat goes to _other)
    used_.resize(used + entity.fields.size(), 0);
    v.members([&](std::string_view key, View member) {
      const int i = entity.field_index(key);
      if (i < 0 || used_[used + static_cast<std::size_t>(i)]) {
        other.emplace_back(key, member);
        return;
      }
      used_[used + static_cast<std::size_t>(i)] = 1;
      const Field& f = entity.fields[static_cast<std::size_t>(i)];
      const ValueType* type = f.type;
      if (plain(type)) {
        if (!fits_cell(type, member)) {
          other.emplace_back(key, member);
          return;
        }
        cells_[base + t.field_columns[static_cast<std::size_t>(i)]] = cell_text(member);
      } else if (type->base == BaseType::object) {
        if (member.type() != JsonType::object) {
          other.emplace_back(key, member);
          return;
        }
        value_row(type->entity, member, self, key);
      } else {
        if (member.type() != JsonType::array || member.empty() || type->item->base == BaseType::array) {
          other.emplace_back(key, member);
          return;
        }
        if (type->item->base == BaseType::object) {
          member.items([&](View item) { value_row(type->item->entity, item, self, key); });
        } else {
          OutTable& lt = list_table(entity, f);
          member.items([&](View item) {
            const bool fits = fits_cell(type->item, item);
            const std::string json = fits ? std::string() : compact_json(item);
            const std::string_view row[] = {self, fits ? cell_text(item) : "", json};
            put(lt, row);
          });
        }
      }
    });
    used_.resize(used);
    if (!other.empty()) {
      JsonTextWriter w(false);
      w.begin_object(0);
      for (const auto& [key, member] : other) {
        w.key(key);
        member.emit(w);
      }
      w.end();
      cells_[base + t.width - 1] = keep(std::move(w.text()));
    }
  }

  const Model& model_;
  bool guard_;
  bool header_;
  Encoding encoding_;
  std::vector<OutTable*> entity_tables_;  // by entity index, once created
  csv::RecordWriter csv_;
  FileSink* sink_;
  std::string piece_;                     // scratch: a piece in the output encoding
  std::vector<Finding> findings_;         // of pieces handed on before finish()
  std::vector<std::string_view> cells_;   // the cells of the rows being made, outer rows first
  std::deque<std::string> kept_;          // strings the cells view (a deque: they stay in place)
  std::vector<std::uint8_t> used_;        // the fields seen in the objects being written, outer first
  std::vector<std::string> guarded_;      // scratch: guarded copies of the cells of one record
  std::vector<std::string_view> guarded_cells_;  // scratch: the record with those copies
};

// ------------------------------------------------------------------------------------------------

constexpr std::size_t npos = static_cast<std::size_t>(-1);

struct InTable {
  std::string file;
  int entity = -1;            // entity tables
  const Field* list = nullptr;  // list tables: the field
  const Entity* owner = nullptr;
  std::unique_ptr<std::string> decoded;  // the text when it had to be decoded (grid views it)
  csv::Grid grid;
  std::vector<std::string> header;       // the column names, formula guard reversed
  std::map<std::string, std::size_t, std::less<>> columns;
  std::size_t id = npos, parent = npos, field = npos, value = npos, other = npos;  // key columns
  std::size_t item = npos;                 // list tables: the column "value"
  std::vector<std::size_t> field_columns;  // entity tables: the column of each field (npos: none)
  std::vector<bool> used;
  std::uint32_t file_name = 0;             // Origins::name of file
  std::vector<std::uint32_t> header_names; // Origins::name of each header
  std::uint32_t base = 0;                  // the index of its first row among the rows of all tables
  bool numbered = false;                   // entity tables: the only table of its entity, _id r + 1 in row r
};

class CsvReader {
 public:
  CsvReader(const Model& model, const CanonicalCsvOptions& options, Conversion& out, JsonSink& sink)
      : model_(model), options_(options), out_(out), sink_(sink) {}

  void read(const std::vector<FileView>& files) {
    for (const FileView& f : files) load(f);
    if (out_.fatal) return;
    if (!files.empty() && tables_.empty()) {  // not one table of the model: not this format
      out_.findings.clear();
      Location l;
      l.file = std::string(files.front().name);
      add_finding(out_, detail::RuleId::wrong_format, Severity::error, l, "",
                  {{"name", l.file}, {"expected", model_.entity(model_.root_type().entity).name + ".csv"}, {"format", "csv"}});
      out_.fatal = true;
      return;
    }
    for (InTable& t : tables_) {
      t.file_name = out_.origins.name(t.file);
      for (const std::string& h : t.header) t.header_names.push_back(out_.origins.name(h));
    }
    index_children();
    const int root = model_.root_type().entity;
    std::vector<std::pair<std::size_t, std::size_t>> roots;
    bool many = false;
    for (std::size_t ti = 0; ti < tables_.size(); ++ti) {
      InTable& t = tables_[ti];
      if (t.entity != root) continue;
      for (std::size_t r = 0; r < t.grid.rows(); ++r)
        if (cell(t, r, t.parent).empty()) {
          roots.emplace_back(ti, r);
          if (cell(t, r, t.field) == "[]") many = true;
        }
    }
    if (roots.size() == 1 && !many) {
      build(roots[0].first, roots[0].second);
    } else {
      sink_.begin_array(0);
      for (std::size_t i = 0; i < roots.size(); ++i) {
        pointer_ = "/" + std::to_string(i);
        build(roots[i].first, roots[i].second);
      }
      sink_.end();
    }
    for (InTable& t : tables_)
      for (std::size_t r = 0; r < t.grid.rows(); ++r)
        if (!t.used[r]) add_finding(out_, detail::RuleId::unmapped_input, Severity::warning, where(t, r, 0), "", {{"name", t.file}});
  }

 private:
  struct Child {
    std::uint32_t table, row;
  };
  using Rows = std::span<const Child>;

  static constexpr std::uint32_t no_group = UINT32_MAX;

  // The slot of `key` in slots_ (empty or holding the key).
  std::size_t slot_of(std::string_view key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t s = std::hash<std::string_view>{}(key) & mask;
    while (slots_[s] && keys_[slots_[s] - 1] != key) s = (s + 1) & mask;
    return s;
  }

  // True when the _id of every row r of entity table t is r + 1 (as the writer numbers them).
  bool numbered_in_order(const InTable& t) const {
    char digits[24];
    for (std::size_t r = 0; r < t.grid.rows(); ++r) {
      const auto end = std::to_chars(digits, digits + sizeof digits, r + 1).ptr;
      if (cell(t, r, t.id) != std::string_view(digits, static_cast<std::size_t>(end - digits))) return false;
    }
    return true;
  }

  // Indexes the rows by their _parent (the tables no longer change, so the keys can view their
  // cells): the rows of each parent in one range of child_rows_, in table and row order. A parent
  // "E:n" where E's only table is numbered in order is row n of that table; any other _parent
  // value is a key of a hash table. The groups: one per row of all tables, then one per key.
  void index_children() {
    std::size_t total = 0;
    for (InTable& t : tables_) {
      t.base = static_cast<std::uint32_t>(total);
      total += t.grid.rows();
    }
    rows_ = total;
    std::vector<int> table_of(model_.entities().size(), -1);  // -2: more than one table
    for (std::size_t ti = 0; ti < tables_.size(); ++ti)
      if (const int e = tables_[ti].entity; e >= 0) {
        int& known = table_of[static_cast<std::size_t>(e)];
        known = known == -1 ? static_cast<int>(ti) : -2;
      }
    for (std::size_t ti = 0; ti < tables_.size(); ++ti)
      if (const int e = tables_[ti].entity; e >= 0 && table_of[static_cast<std::size_t>(e)] == static_cast<int>(ti))
        tables_[ti].numbered = numbered_in_order(tables_[ti]);

    constexpr std::uint32_t hashed = no_group - 1;
    std::vector<std::uint32_t> group_of(total, no_group);  // of each row, tables one after another
    std::size_t to_hash = 0;
    std::string_view last_entity;  // consecutive rows mostly have the same parent entity
    int last_table = -1;
    bool have_last = false;
    std::size_t k = 0;
    for (const InTable& t : tables_)
      for (std::size_t r = 0; r < t.grid.rows(); ++r, ++k) {
        const std::string_view key = cell(t, r, t.parent);
        const std::size_t colon = key.find(':');
        if (colon == std::string_view::npos) continue;  // no "E:id": no row's children
        const std::string_view entity = key.substr(0, colon);
        if (!have_last || entity != last_entity) {
          const int e = model_.entity_index(entity);
          last_table = e < 0 ? -1 : table_of[static_cast<std::size_t>(e)];
          last_entity = entity;
          have_last = true;
        }
        if (last_table == -1) continue;  // no table of that entity: no row's children
        if (last_table < 0 || !tables_[static_cast<std::size_t>(last_table)].numbered) {
          group_of[k] = hashed;
          ++to_hash;
          continue;
        }
        const InTable& p = tables_[static_cast<std::size_t>(last_table)];
        const std::string_view id = key.substr(colon + 1);
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
        if (ec == std::errc() && end == id.data() + id.size() && id[0] != '0' && n >= 1 && n <= p.grid.rows())
          group_of[k] = p.base + static_cast<std::uint32_t>(n - 1);  // else no row has that _id
      }
    if (to_hash) {
      std::size_t size = 16;
      while (size < 2 * to_hash) size *= 2;
      slots_.assign(size, 0);
      k = 0;
      for (const InTable& t : tables_)
        for (std::size_t r = 0; r < t.grid.rows(); ++r, ++k) {
          if (group_of[k] != hashed) continue;
          const std::string_view key = cell(t, r, t.parent);
          const std::size_t s = slot_of(key);
          if (!slots_[s]) {
            keys_.push_back(key);
            slots_[s] = static_cast<std::uint32_t>(keys_.size());
          }
          group_of[k] = static_cast<std::uint32_t>(total + slots_[s] - 1);
        }
    }
    // Count the rows of each group, sum (begin_[g]: the end of group g), then place the rows
    // backwards so that begin_[g] ends at the start of group g and each range keeps row order.
    begin_.assign(total + keys_.size() + 1, 0);
    for (const std::uint32_t g : group_of)
      if (g != no_group) ++begin_[g];
    std::uint32_t at = 0;
    for (std::uint32_t& b : begin_) b = at += b;
    child_rows_.resize(at);
    k = total;
    for (std::size_t ti = tables_.size(); ti-- > 0;)
      for (std::size_t r = tables_[ti].grid.rows(); r-- > 0;)
        if (const std::uint32_t g = group_of[--k]; g != no_group)
          child_rows_[--begin_[g]] = {static_cast<std::uint32_t>(ti), static_cast<std::uint32_t>(r)};
  }

  std::size_t column(const InTable& t, std::string_view name) const {
    auto it = t.columns.find(name);
    return it == t.columns.end() ? npos : it->second;
  }
  std::string_view cell(const InTable& t, std::size_t r, std::size_t c) const {
    if (c == npos || c >= t.grid.row_size(r)) return {};
    const std::string_view v = t.grid.cell(r, c);
    return options_.formula_guard ? unguard_formula(v) : v;
  }
  std::string_view header(const InTable& t, std::size_t c) const {
    return c != npos && c < t.header.size() ? std::string_view(t.header[c]) : std::string_view();
  }
  std::uint32_t line(const InTable& t, std::size_t r) const {
    return t.grid.row_size(r) == 0 ? 0 : t.grid.record(r);
  }
  static std::uint32_t column_number(std::size_t c) { return static_cast<std::uint32_t>(c == npos ? 1 : c + 1); }
  Location where(const InTable& t, std::size_t r, std::size_t c) const {
    Location l;
    l.file = t.file;
    l.line = line(t, r);
    l.column = column_number(c);
    l.header = header(t, c);
    return l;
  }
  std::uint32_t origin(const InTable& t, std::size_t r, std::size_t c) {
    if (!sink_.wants_origins()) return 0;
    const std::uint32_t header = c < t.header_names.size() ? t.header_names[c] : 0;
    return out_.origins.add_named(line(t, r), column_number(c), t.file_name, header);
  }

  void load(const FileView& f) {
    std::string base(f.name);
    if (const std::size_t slash = base.find_last_of('/'); slash != std::string::npos) base = base.substr(slash + 1);
    if (base.size() < 5 || base.substr(base.size() - 4) != ".csv") {
      Location l;
      l.file = f.name;
      add_finding(out_, detail::RuleId::unmapped_input, Severity::warning, l, "", {{"name", std::string(f.name)}});
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
      add_finding(out_, detail::RuleId::unmapped_input, Severity::warning, l, "", {{"name", std::string(f.name)}});
      return;
    }
    std::string_view text = f.bytes;
    const bool utf8 = options_.encoding == Encoding::utf8 || options_.encoding == Encoding::utf8_bom;
    if (utf8 && !find_invalid_utf8(text)) {  // what decoding gives: the bytes without a BOM
      if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    } else {
      t.decoded = std::make_unique<std::string>();
      if (!decode_input(f.bytes, options_.encoding, f.name, *t.decoded, out_)) return;
      text = *t.decoded;
    }
    csv::GridResult r = csv::parse_grid(text, options_.dialect);
    if (!r) {
      report_csv_error(*r.error, f.name, out_);
      return;
    }
    t.grid = std::move(r.grid);
    for (std::size_t c = 0; c < t.grid.header_size(); ++c) {
      const std::string_view h = t.grid.header(c);
      const std::string name(options_.formula_guard ? unguard_formula(h) : h);
      t.header.push_back(name);
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
        add_finding(out_, detail::RuleId::unmapped_input, Severity::warning, l, "", {{"name", name}});
        continue;
      }
      t.columns[name] = c;
    }
    t.id = column(t, "_id");
    t.parent = column(t, "_parent");
    t.field = column(t, "_field");
    t.value = column(t, "_value");
    t.other = column(t, "_other");
    t.item = column(t, "value");
    if (!t.list)
      for (const Field& field : model_.entity(t.entity).fields) t.field_columns.push_back(column(t, field.key));
    t.used.assign(t.grid.rows(), false);
    tables_.push_back(std::move(t));
  }

  // Emits the value of a cell of a plain field (type t) at pointer_.
  void plain_value(const InTable& t, std::size_t r, std::size_t c, const ValueType* type) {
    const std::string_view text = cell(t, r, c);
    const std::uint32_t at = origin(t, r, c);
    switch (plain_kind(type)) {
      case JsonType::number:
        if (is_json_number(text)) return sink_.number(text, at);
        add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(t, r, c), pointer_,
                    {{"value", std::string(text)}, {"expected", "number"}, {"format", "123, -1.5, 2e3"}});
        break;
      case JsonType::boolean:
        if (text == "true" || text == "false") return sink_.boolean(text == "true", at);
        add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(t, r, c), pointer_,
                    {{"value", std::string(text)}, {"expected", "boolean"}, {"format", "true, false"}});
        break;
      default: break;
    }
    sink_.string(text, at);
  }

  // Parses a JSON cell (_value, _other) into cell_doc_; false (with a transform-failed finding) when
  // it is not JSON.
  bool parse_json_cell(const InTable& t, std::size_t r, std::size_t c) {
    const std::string_view text = cell(t, r, c);
    if (cell_doc_.parse(text)) return true;
    add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(t, r, c), pointer_,
                {{"value", std::string(text)}, {"expected", "JSON"}, {"format", "{\"key\": 1}, \"text\", [1, 2]"}});
    return false;
  }

  // Emits a JSON cell's value, or its text as a string when it is not JSON.
  void json_cell(const InTable& t, std::size_t r, std::size_t c) {
    if (parse_json_cell(t, r, c)) emit(cell_doc_.root(), sink_, origin(t, r, c));
    else sink_.string(cell(t, r, c), origin(t, r, c));
  }

  // The rows whose _parent is "ENTITY:id", where id is the _id of row r of entity table ti.
  Rows children_of(std::size_t ti, std::size_t r) {
    const InTable& t = tables_[ti];
    std::size_t g = t.base + r;
    if (!t.numbered) {
      if (slots_.empty()) return {};
      parent_key_ = model_.entity(t.entity).name;
      parent_key_.push_back(':');
      parent_key_ += cell(t, r, t.id);
      const std::uint32_t key = slots_[slot_of(parent_key_)];
      if (!key) return {};
      g = rows_ + key - 1;
    }
    return Rows(child_rows_).subspan(begin_[g], begin_[g + 1] - begin_[g]);
  }

  // The key of the owner's member that row r of table t belongs to.
  std::string_view owner_key(const InTable& t, std::size_t r) const {
    return t.list ? std::string_view(t.list->key) : cell(t, r, t.field);
  }

  // Emits the value of row r of table ti (pointer_ is its pointer).
  void build(std::size_t ti, std::size_t r) {
    InTable& t = tables_[ti];
    t.used[r] = true;
    if (!cell(t, r, t.value).empty()) return json_cell(t, r, t.value);
    const Entity& entity = model_.entity(t.entity);
    sink_.begin_object(origin(t, r, npos));
    if (++depth_ > 256) {
      add_finding(out_, detail::RuleId::syntax, Severity::error, where(t, r, npos), pointer_, {{"detail", "too_deep"}});
      out_.fatal = true;
      --depth_;
      sink_.end();
      return;
    }
    const Rows kids = children_of(ti, r);
    for (std::size_t fi = 0; fi < entity.fields.size(); ++fi) {
      const Field& f = entity.fields[fi];
      const std::size_t mark = pointer_.size();
      pointer_.push_back('/');
      pointer_ += f.key;
      if (plain(f.type)) {
        const std::size_t c = t.field_columns[fi];
        if (!cell(t, r, c).empty()) {
          sink_.key(f.key);
          plain_value(t, r, c, f.type);
        }
      } else if (f.type->base == BaseType::object) {
        for (auto [kt, kr] : kids)
          if (tables_[kt].entity == f.type->entity && owner_key(tables_[kt], kr) == f.key) {
            sink_.key(f.key);
            build(kt, kr);
          }
      } else {
        array(f, kids);
      }
      pointer_.resize(mark);
    }
    if (!cell(t, r, t.other).empty()) {
      const bool parsed = parse_json_cell(t, r, t.other);
      if (parsed && cell_doc_.root().is_object()) {
        const std::uint32_t at = origin(t, r, t.other);
        for (auto& m : cell_doc_.root()) {
          sink_.key(m.key().str());
          emit(m.value(), sink_, at);
        }
      } else {
        add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(t, r, t.other), pointer_,
                    {{"value", std::string(cell(t, r, t.other))}, {"expected", "object"}, {"format", "{\"key\": 1}"}});
      }
    }
    --depth_;
    sink_.end();
  }

  // Emits the array field f of a row from its child rows, when it has any (pointer_ is the
  // array's pointer).
  void array(const Field& f, Rows kids) {
    const std::size_t mark = pointer_.size();
    std::size_t items = 0;
    for (auto [kt, kr] : kids) {
      InTable& k = tables_[kt];
      if (owner_key(k, kr) != f.key) continue;
      if (k.list ? k.list != &f : f.type->item->base != BaseType::object || k.entity != f.type->item->entity) continue;
      pointer_.push_back('/');
      pointer_ += std::to_string(items);
      if (items++ == 0) {
        sink_.key(f.key);
        sink_.begin_array(origin(k, kr, npos));
      }
      if (!k.list) {
        build(kt, kr);
      } else {
        k.used[kr] = true;
        if (!cell(k, kr, k.value).empty()) json_cell(k, kr, k.value);
        else plain_value(k, kr, k.item, f.type->item);
      }
      pointer_.resize(mark);
    }
    if (items) sink_.end();
  }

  const Model& model_;
  const CanonicalCsvOptions& options_;
  Conversion& out_;
  JsonSink& sink_;
  JsonDocument cell_doc_;  // the JSON cell last parsed (its nodes are reused from cell to cell)
  std::vector<InTable> tables_;
  std::size_t rows_ = 0;                // the rows of all tables (the groups of the parent rows)
  std::vector<std::string_view> keys_;  // the _parent values indexed by hashing
  std::vector<std::uint32_t> slots_;    // a hash table of keys_: 1 + index, 0 when empty
  std::vector<std::uint32_t> begin_;    // where each group's rows start in child_rows_, then the end
  std::vector<Child> child_rows_;       // the rows, grouped by parent
  std::string parent_key_;                               // scratch for children_of
  std::string pointer_;                                  // of the value being built
  int depth_ = 0;
};

}  // namespace

namespace {

template <typename View>
Output write_csv(const View& document, const CanonicalCsvOptions& options, const Model& model, FileSink* sink = nullptr) {
  CsvWriter w(model, options, sink);
  w.document(document);
  return w.finish();
}

}  // namespace

Output write_canonical_csv(const Json& document, const CanonicalCsvOptions& options, const Model& model) {
  return write_csv(TreeView(document), options, model);
}

Output write_canonical_csv(JsonValue document, const CanonicalCsvOptions& options, const Model& model) {
  return write_csv(TapeView(document), options, model);
}

Output convert_json_to_csv(std::string_view json, std::string_view source, Conversion& out, FileSink& files,
                           const CanonicalCsvOptions& options, const Model& model) {
  Output written;
  const auto write = [&](const auto& documents) { written = write_csv(documents, options, model, &files); };
  if (!write_documents(json, source, out, write)) return {};
  return written;
}

Conversion read_canonical_csv(const std::vector<FileView>& files, JsonSink& sink, const CanonicalCsvOptions& options,
                              const Model& model) {
  Conversion out;
  CsvReader r(model, options, out, sink);
  r.read(files);
  return out;
}

Conversion read_canonical_csv(const std::vector<NamedFile>& files, const CanonicalCsvOptions& options,
                              const Model& model) {
  JsonTreeBuilder tree;
  Conversion out = read_canonical_csv(views(files), tree, options, model);
  if (!out.fatal) out.document = tree.take();
  return out;
}

}  // namespace hoks
