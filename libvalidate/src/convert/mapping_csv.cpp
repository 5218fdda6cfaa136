// Vendor CSV through a mapping profile: one flat table (parent columns repeated on every row) or
// several tables linked by key columns; reading with positions and unmapped-column checks.
#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

#include "convert/mapping_internal.hpp"

namespace hoks {
namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct Table {
  std::string name;   // the profile's table name ("" for the main table)
  std::string file;   // as given
  csv::Grid data;                   // views the reader's decoded text
  std::vector<std::string> header;  // the header names (formula guard removed)
  std::map<std::string, std::size_t, std::less<>> columns;
  std::vector<bool> mapped;  // by column
  ByAddress<std::size_t> profile_columns;  // column() by the profile's string
};

// The columns an entry subtree reads in its own table (not descending into other tables).
void subtree_columns(const MappingEntry& e, std::vector<std::string>& out) {
  for (const MappingEntry& f : e.fields) {
    if (!f.table.empty()) continue;
    if (!f.path.empty()) out.push_back(f.path);
    if (!f.field.empty()) out.insert(out.end(), f.template_names.begin(), f.template_names.end());  // a template's columns
    subtree_columns(f, out);
  }
}

class VendorCsvReader {
 public:
  VendorCsvReader(const Profile& p, Conversion& out, JsonSink* sink)
      : p_(p), out_(out), origins_(!sink || sink->wants_origins()), sink_(sink ? *sink : tree_) {}

  void read(const std::vector<FileView>& input) {
    if (input.empty()) return;
    if (!load(input.front(), "")) return;
    if (!any_column_maps()) return;
    std::vector<std::string> wanted;
    collect_tables(p_.documents, wanted);
    for (const std::string& name : wanted) {
      auto it = std::find_if(input.begin() + 1, input.end(), [&](const FileView& f) { return base_name(f.name) == name; });
      if (it == input.end()) {
        Location l;
        l.file = name;
        add_finding(out_, detail::RuleId::transform_failed, Severity::error, l, "", {{"value", name}, {"expected", "CSV"}, {"format", name}});
        out_.fatal = true;
        return;
      }
      if (!load(*it, name)) return;
    }
    for (auto it = input.begin() + 1; it != input.end(); ++it)
      if (std::find(wanted.begin(), wanted.end(), base_name(it->name)) == wanted.end()) {
        Location l;
        l.file = std::string(it->name);
        add_finding(out_, detail::RuleId::unmapped_input, unmapped_severity(p_), l, "", {{"name", l.file}});
      }
    Table& main = tables_.front();
    std::vector<std::size_t> all(main.data.rows());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    RowGroups& groups = at_level(row_groups_, depth_);
    group(0, filter(0, all, subtree_indexes(p_.documents, 0)), p_.documents.key, groups);
    const Deeper deeper(depth_);
    if (groups.size() == 1) {
      sink_.begin_object(origin({0, groups[0].front(), npos}));
      object(p_.documents, 0, groups[0], sink_, PointerPath(), p_.documents.key);
      sink_.end();
    } else {
      const PointerPath array;
      sink_.begin_array(0);
      for (std::size_t i = 0; i < groups.size(); ++i) {
        sink_.begin_object(origin({0, groups[i].front(), npos}));
        object(p_.documents, 0, groups[i], sink_, PointerPath(array, i), p_.documents.key);
        sink_.end();
      }
      sink_.end();
    }
    if (&sink_ == &tree_) out_.document = tree_.take();
    report_unmapped_columns();
  }

 private:
  void collect_tables(const MappingEntry& e, std::vector<std::string>& out) {
    for (const MappingEntry& f : e.fields) {
      if (!f.table.empty() && std::find(out.begin(), out.end(), f.table) == out.end()) out.push_back(f.table);
      collect_tables(f, out);
    }
  }

  // False (with wrong-format, fatal) when the main table has columns but not one the profile reads.
  bool any_column_maps() {
    const Table& t = tables_.front();
    std::vector<std::string> cols;
    subtree_columns(p_.documents, cols);
    if (t.header.empty() || cols.empty() ||
        std::any_of(cols.begin(), cols.end(), [&](const std::string& c) { return t.columns.count(c) > 0; }))
      return true;
    const auto list = [](const std::vector<std::string>& names) {
      std::string s;
      for (std::size_t i = 0; i < names.size() && i < 3; ++i) s += (i ? ", " : "") + names[i];
      return s + (names.size() > 3 ? ", …" : "");
    };
    Location header;  // the header row
    header.file = t.file;
    header.line = header.column = 1;
    header.header = t.header.front();
    add_finding(out_, detail::RuleId::wrong_format, Severity::error, header, "",
                {{"name", list(t.header)}, {"expected", list(cols)}, {"format", p_.name()}});
    out_.fatal = true;
    return false;
  }

  bool load(const FileView& f, const std::string& name) {
    std::string_view text;
    const bool single_byte = p_.encoding == Encoding::windows1252 || p_.encoding == Encoding::iso8859_1;
    if (std::size_t bytes = single_byte ? detail::single_byte_utf8_bound(f.bytes) : 0; bytes >= (std::size_t{1} << 20)) {
      // A large single-byte input is decoded into memory of 2 MiB pages, not zeroed first (a
      // string is zeroed as it is sized, and its malloc'ed block gets huge pages only in part).
      auto memory = allocate_huge(bytes);
      std::size_t written = 0;
      if (!detail::single_byte_to_utf8(f.bytes, p_.encoding == Encoding::windows1252, memory.get(), written))
        text = std::string_view(memory.get(), written), huge_texts_.push_back(std::move(memory));
    }
    if (text.data() == nullptr) {  // else, and on an error (reported as decode_input reports it)
      std::string& decoded = texts_.emplace_back();
      decoded.reserve(f.bytes.size() + f.bytes.size() / 2);  // room for a non-ASCII byte in three of ten
      prefer_huge_pages(decoded.data(), decoded.capacity());
      if (!decode_input(f.bytes, p_.encoding, f.name, decoded, out_)) return false;
      text = decoded;
    }
    csv::GridResult r = csv::parse_grid(text, p_.dialect);
    if (!r) {
      report_csv_error(*r.error, f.name, out_);
      return false;
    }
    Table t;
    t.name = name;
    t.file = std::string(f.name);
    t.data = std::move(r.grid);
    for (std::size_t c = 0; c < t.data.header_size(); ++c) {
      const std::string_view h = t.data.header(c);
      t.header.emplace_back(p_.formula_guard ? unguard_formula(h) : h);
      t.columns.emplace(t.header.back(), c);
    }
    t.mapped.assign(t.header.size(), false);
    tables_.push_back(std::move(t));
    return true;
  }

  std::size_t table_index(const std::string& name) const {
    for (std::size_t i = 0; i < tables_.size(); ++i)
      if (tables_[i].name == name) return i;
    return npos;
  }

  // The index of column `name` of table ti (npos when it has none), marked mapped.
  std::size_t lookup_column(std::size_t ti, const std::string& name) {
    Table& t = tables_[ti];
    auto it = t.columns.find(name);
    if (it == t.columns.end()) return npos;
    t.mapped[it->second] = true;
    return it->second;
  }
  // lookup_column for a name the profile holds, looked up once.
  std::size_t column(std::size_t ti, const std::string& name) {
    return tables_[ti].profile_columns.get(&name, [&] { return lookup_column(ti, name); });
  }
  // The columns of table ti that e's subtree reads (found once for each entry and table).
  const std::vector<std::size_t>& subtree_indexes(const MappingEntry& e, std::size_t ti) {
    const auto [it, fresh] = subtree_indexes_.try_emplace({&e, ti});
    if (fresh) {
      std::vector<std::string> names;
      subtree_columns(e, names);
      for (const std::string& name : names)
        if (const std::size_t c = lookup_column(ti, name); c != npos) it->second.push_back(c);
    }
    return it->second;
  }

  // The rows of table `child` whose columns of e's `link` hold the values of the parent's `key`
  // columns in its row `parent_row` of table ti (past the key: empty cells), in order, from an
  // index of the table by those columns made at its first use (a scan of the table for each parent
  // was quadratic: 4,000 students with ten units each took a second).
  const std::vector<std::size_t>& linked_rows(const MappingEntry& e, std::size_t child, std::size_t ti,
                                              std::size_t parent_row, const std::vector<std::string>& key) {
    const auto add_part = [this](std::string_view v) {  // length-prefixed: no two keys join alike
      const auto n = static_cast<std::uint32_t>(v.size());
      link_key_.append(reinterpret_cast<const char*>(&n), sizeof n).append(v);
    };
    std::vector<std::size_t>& link = link_columns_;
    link.clear();
    for (const auto& l : e.link) link.push_back(column(child, l));
    const auto [it, fresh] = link_indexes_.try_emplace({child, link});
    if (fresh)
      for (std::size_t r = 0; r < tables_[child].data.rows(); ++r) {
        link_key_.clear();
        for (std::size_t c : link) add_part(cell(child, r, c));
        it->second[link_key_].push_back(r);
      }
    link_key_.clear();
    for (std::size_t k = 0; k < link.size(); ++k)
      add_part(k < key.size() ? cell(ti, parent_row, column(ti, key[k])) : std::string_view());
    const auto found = it->second.find(link_key_);
    return found == it->second.end() ? no_rows_ : found->second;
  }

  [[gnu::always_inline]] std::string_view cell(std::size_t ti, std::size_t r, std::size_t c) const {
    const csv::Grid& g = tables_[ti].data;
    if (c == npos || c >= g.row_size(r)) return {};
    const std::string_view v = g.cell(r, c);
    return p_.formula_guard && v.size() > 1 && v[0] == '\'' ? unguard_formula(v) : v;  // only a quote is taken off
  }

  // A cell of a table (column npos: the row itself).
  struct CellAt {
    std::size_t table = 0, row = 0, column = npos;
  };
  Location where(const CellAt& at) const { return where(at.table, at.row, at.column); }
  // The origin of a canonical value: 0 when the sink does not keep origins (checked where it is
  // called: the usual case costs no call).
  std::uint32_t origin(const CellAt& at) { return origins_ ? kept_origin(at) : 0; }
  [[gnu::noinline]] std::uint32_t kept_origin(const CellAt& at) { return out_.origin(where(at)); }

  Location where(std::size_t ti, std::size_t r, std::size_t c) const {
    const Table& t = tables_[ti];
    Location l;
    l.file = t.file;
    l.line = static_cast<std::uint32_t>(r + (p_.dialect.has_header ? 2 : 1));
    if (r < t.data.rows() && t.data.row_size(r) > 0) l.line = t.data.record(r);
    l.column = static_cast<std::uint32_t>(c == npos ? 1 : c + 1);
    if (c != npos && c < t.header.size()) l.header = t.header[c];
    return l;
  }

  // True when some row of `rows` has a value in one of the columns `idx`.
  bool any_value(std::size_t ti, const std::vector<std::size_t>& rows, const std::vector<std::size_t>& idx) const {
    return std::any_of(rows.begin(), rows.end(), [&](std::size_t r) {
      return std::any_of(idx.begin(), idx.end(), [&](std::size_t c) { return !cell(ti, r, c).empty(); });
    });
  }

  // Rows of `rows` with a value in any of the columns `idx` (in a list reused by the next call).
  const std::vector<std::size_t>& filter(std::size_t ti, const std::vector<std::size_t>& rows, const std::vector<std::size_t>& idx) {
    std::vector<std::size_t>& out = filtered_;
    out.clear();
    for (std::size_t r : rows)
      if (std::any_of(idx.begin(), idx.end(), [&](std::size_t c) { return !cell(ti, r, c).empty(); })) out.push_back(r);
    return out;
  }

  // Consecutive rows with equal key values form one group; without a key every row is a group.
  // Groups of rows, their lists kept for the next groups of the same nesting level.
  struct RowGroups {
    std::vector<std::vector<std::size_t>> lists;  // the first `count` are the groups
    std::size_t count = 0;
    const std::vector<std::size_t>& operator[](std::size_t i) const { return lists[i]; }
    std::size_t size() const { return count; }
    bool empty() const { return count == 0; }
  };
  void group(std::size_t ti, const std::vector<std::size_t>& rows, const std::vector<std::string>& key, RowGroups& groups) {
    std::vector<std::size_t>& idx = key_columns_;
    idx.clear();
    for (const auto& name : key) idx.push_back(column(ti, name));
    groups.count = 0;
    std::vector<std::string_view>& previous = previous_key_;
    std::vector<std::string_view>& values = key_values_;
    previous.clear();
    for (std::size_t r : rows) {
      values.clear();
      for (std::size_t c : idx) values.push_back(cell(ti, r, c));
      if (key.empty() || groups.count == 0 || values != previous) {
        if (groups.count == groups.lists.size()) groups.lists.emplace_back();
        groups.lists[groups.count++].clear();
      }
      groups.lists[groups.count - 1].push_back(r);
      previous.swap(values);
    }
  }

  // The first non-empty value of a column over rows (others that differ are reported).
  bool value(std::size_t ti, const std::vector<std::size_t>& rows, const std::string& name, std::string_view& text,
             CellAt& at, const PointerPath& pointer) {
    const std::size_t c = column(ti, name);
    if (c == npos) return false;
    bool found = false;
    for (std::size_t r : rows) {
      const std::string_view v = cell(ti, r, c);
      if (v.empty()) continue;
      if (!found) {
        text = v;
        at = {ti, r, c};
        found = true;
      } else if (v.size() != text.size() || std::memcmp(v.data(), text.data(), v.size()) != 0) {  // v != text, without a call
        add_finding(out_, detail::RuleId::conflicting_values, Severity::error, where(ti, r, c), pointer.str(),
                    {{"name", name}, {"value", std::string(v)}, {"other", std::string(text)}});
      }
    }
    return found;
  }

  // Reads owner's fields from rows of table ti into the object that `sink` has open, as they are
  // read; group_key: the key columns of the enclosing document or list item (what linked tables
  // refer to).
  void object(const MappingEntry& owner, std::size_t ti, const std::vector<std::size_t>& rows, JsonSink& sink,
              const PointerPath& pointer, const std::vector<std::string>& group_key) {
    ReadLevels::Level members(levels_);
    for (const MappingEntry& e : owner.fields) {
      if (e.field.empty() && !e.template_names.empty()) {
        read_parts(e, ti, rows, sink, members, pointer);
        continue;
      }
      if (e.field.empty()) {
        const std::size_t c = column(ti, e.path);
        if (e.fixed && c != npos)
          for (std::size_t r : rows)
            if (const std::string_view v = cell(ti, r, c); v != *e.fixed)
              add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(ti, r, c), pointer.str(),
                          {{"value", std::string(v)}, {"expected", "string"}, {"format", *e.fixed}});
        continue;
      }
      const PointerPath ptr(pointer, e.field);
      const ValueType* t = e.type;
      const CellAt ctx_at{ti, rows.front(), npos};
      // Of several entries of a field (conditions, then maybe one without), the first that holds.
      if ((e.when || (e.constant && e.path.empty())) && (members.written(e.field) || !holds(e, ti, rows))) continue;
      if (t->base == BaseType::object) {
        // The object is there when its own columns hold something on these rows.
        if (!any_value(ti, rows, subtree_indexes(e, ti))) continue;
        sink.key(e.field);
        sink.begin_object(origin(ctx_at));
        object(e, ti, rows, sink, ptr, group_key);
        sink.end();
        members.add(e.field);
        continue;
      }
      if (t->base == BaseType::array && t->item->base == BaseType::object) {
        const std::size_t child_table = e.table.empty() ? ti : table_index(e.table);
        // The rows of this table, or of another that link to the parent's.
        const std::vector<std::size_t>& child_rows =
            e.table.empty() ? rows : linked_rows(e, child_table, ti, rows.front(), group_key);
        RowGroups& groups = at_level(row_groups_, depth_);
        group(child_table, filter(child_table, child_rows, subtree_indexes(e, child_table)), e.key, groups);
        const Deeper deeper(depth_);
        std::uint32_t array_origin = origin(ctx_at);
        if (groups.empty() && !e.keep_empty) continue;
        sink.key(e.field);
        for (std::size_t i = 0; i < groups.size(); ++i) {
          if (i == 0) {
            array_origin = origin({child_table, groups[0].front(), npos});
            sink.begin_array(array_origin);
          }
          sink.begin_object(origin({child_table, groups[i].front(), npos}));
          object(e, child_table, groups[i], sink, PointerPath(ptr, i), e.key);
          sink.end();
        }
        if (groups.empty()) sink.begin_array(array_origin);
        sink.end();
        members.add(e.field);
        continue;
      }
      std::string_view text;  // where the cell lies, or in joined_text_
      CellAt at;
      const auto at_where = [&] { return where(at); };
      const bool present = e.template_names.empty() ? !e.path.empty() && value(ti, rows, e.path, text, at, ptr)
                                                    : joined(e, ti, rows, text, at, ptr);
      if (t->base == BaseType::array) {  // each part of the split cell a value
        if (!present && !e.keep_empty) continue;
        sink.key(e.field);
        sink.begin_array(origin(present ? at : ctx_at));
        std::size_t i = 0;
        if (present)
          each_part(text, e.split, [&](std::string_view part) {
            emit_plain(sink, e, t->item, part, at_where, origin(at), PointerPath(ptr, i++), p_.dialect.decimal_comma, out_,
                       transformed_);
          });
        sink.end();
        members.add(e.field);
        continue;
      }
      if (!present) {
        if (e.default_value) members.put_text(sink, e.field, *e.default_value, t, origin(ctx_at));
        else if (e.constant) members.put_text(sink, e.field, *e.constant, t, origin(ctx_at));
        continue;
      }
      if (e.constant) {
        if (text != *e.constant)
          add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(at), ptr.str(),
                      {{"value", std::string(text)}, {"expected", std::string(to_string(t->base))}, {"format", *e.constant}});
        members.put_text(sink, e.field, *e.constant, t, origin(at));
        continue;
      }
      sink.key(e.field);
      emit_plain(sink, e, t, text, at_where, origin(at), ptr, p_.dialect.decimal_comma, out_, transformed_);
      members.add(e.field);
    }
  }

  // True when e's condition (if any) holds on rows: the column's first value is one of its values.
  bool holds(const MappingEntry& e, std::size_t ti, const std::vector<std::size_t>& rows) {
    if (!e.when) return true;
    const std::size_t c = column(ti, e.when->path);
    std::string_view text;
    for (std::size_t r : rows)
      if (!(text = cell(ti, r, c)).empty()) break;
    return condition_holds(e, std::string(text));
  }

  // A template's value: its columns joined, at the first column with a value (false when all are empty).
  bool joined(const MappingEntry& e, std::size_t ti, const std::vector<std::size_t>& rows, std::string_view& text, CellAt& at,
              const PointerPath& pointer) {
    std::vector<std::string> parts;
    bool any = false;
    for (const std::string& name : e.template_names) {
      parts.emplace_back();
      CellAt here;
      std::string_view part;
      const bool found = value(ti, rows, name, part, here, pointer);
      parts.back() = part;
      if (found && !any) {
        at = here;
        any = true;
      }
    }
    if (any) text = joined_text_ = join_template(e, parts);
    return any;
  }

  // One cell into several fields: the cell split into the parts its fields read.
  void read_parts(const MappingEntry& e, std::size_t ti, const std::vector<std::size_t>& rows, JsonSink& sink,
                  ReadLevels::Level& members, const PointerPath& pointer) {
    std::string_view cell_text;
    CellAt at{ti, rows.front(), npos};
    const bool present = value(ti, rows, e.path, cell_text, at, pointer);
    const std::string text(cell_text);
    std::vector<std::string> parts;
    if (present && !split_template(e, text, parts)) {
      add_finding(out_, detail::RuleId::transform_failed, Severity::error, where(at), pointer.str(),
                  {{"value", text}, {"expected", "string"}, {"format", template_text(e)}});
      return;
    }
    for (const MappingEntry& f : e.fields) {
      const PointerPath ptr(pointer, f.field);
      const std::size_t i = static_cast<std::size_t>(
          std::find(e.template_names.begin(), e.template_names.end(), f.part) - e.template_names.begin());
      const std::string part = present ? parts[i] : std::string();
      if (!part.empty()) {
        sink.key(f.field);
        emit_plain(sink, f, f.type, part, [&] { return where(at); }, origin(at), ptr, p_.dialect.decimal_comma, out_, transformed_);
        members.add(f.field);
      } else if (f.default_value) members.put_text(sink, f.field, *f.default_value, f.type, origin(at));
    }
  }

  void report_unmapped_columns() {
    for (std::size_t ti = 0; ti < tables_.size(); ++ti) {
      const Table& t = tables_[ti];
      for (std::size_t c = 0; c < t.header.size(); ++c) {
        if (t.mapped[c]) continue;
        // The first row with a value in the column, else the header.
        Location l = where(ti, 0, c);
        l.line = 1;
        for (std::size_t r = 0; r < t.data.rows(); ++r)
          if (!cell(ti, r, c).empty()) {
            l = where(ti, r, c);
            break;
          }
        add_finding(out_, detail::RuleId::unmapped_input, unmapped_severity(p_), l, "", {{"name", t.header[c]}});
      }
    }
  }

  const Profile& p_;
  Conversion& out_;
  const bool origins_;  // whether the canonical values get origins (the sink keeps them, or a tree is built)
  JsonTreeBuilder tree_;  // the document tree, when the caller has no sink
  JsonSink& sink_;        // where the documents go: the caller's sink or tree_
  ReadLevels levels_;
  std::string joined_text_;        // the text joined() gives
  std::string transformed_;        // a value as its transforms make it (emit_plain)
  std::vector<std::size_t> filtered_, key_columns_;          // what filter() returns; group()'s key columns
  std::vector<std::string_view> previous_key_, key_values_;  // group()'s key values of the previous row and of this one
  // linked_rows()'s indexes: by table and link columns, the rows of each key.
  std::map<std::pair<std::size_t, std::vector<std::size_t>>, std::unordered_map<std::string, std::vector<std::size_t>>> link_indexes_;
  std::vector<std::size_t> link_columns_;
  std::string link_key_;
  const std::vector<std::size_t> no_rows_;
  std::deque<RowGroups> row_groups_;  // by nesting level: the groups of the list being read
  std::size_t depth_ = 0;             // the lists being read
  std::deque<std::string> texts_;  // the decoded input the tables view (a deque: they stay in place)
  std::vector<std::unique_ptr<char, FreeHuge>> huge_texts_;  // the same, decoded into huge pages
  std::vector<Table> tables_;
  std::map<std::pair<const MappingEntry*, std::size_t>, std::vector<std::size_t>> subtree_indexes_;
};

// ------------------------------------------------------------------------------------------------

struct OutTable {
  std::string name;
  std::vector<std::string> header;
  std::vector<std::vector<std::string_view>> rows;  // of profile strings and VendorCsvWriter::texts_
  // The index of column c in the header (header.size() when it has none); c is a string of the
  // profile, looked up once (the header is complete before the first row).
  std::size_t col(const std::string& c) {
    const auto [it, fresh] = by_name.try_emplace(&c, 0);
    if (fresh) it->second = static_cast<std::size_t>(std::find(header.begin(), header.end(), c) - header.begin());
    return it->second;
  }
  std::unordered_map<const std::string*, std::size_t> by_name;
};

class VendorCsvWriter {
 public:
  VendorCsvWriter(const Profile& p, Output& out) : p_(p), out_(out) {
    tables_.push_back({"", {}, {}, {}});
    headers(p_.documents, 0);
  }

  template <typename Document>
  void write(const Document& document) {
    each_document(document, [&](auto d, const PointerPath& pointer) { one(d, pointer); });
  }

  std::vector<OutTable> tables_;
  TextArena texts_;  // the cells' texts

 private:
  std::size_t table(const std::string& name) {
    for (std::size_t i = 0; i < tables_.size(); ++i)
      if (tables_[i].name == name) return i;
    tables_.push_back({name, {}, {}, {}});
    return tables_.size() - 1;
  }

  void add_column(std::size_t ti, const std::string& c) {
    auto& h = tables_[ti].header;
    if (std::find(h.begin(), h.end(), c) == h.end()) h.push_back(c);
  }

  void headers(const MappingEntry& e, std::size_t ti) {
    for (const MappingEntry& f : e.fields) {
      if (!f.table.empty()) {
        const std::size_t child = table(f.table);
        for (const auto& l : f.link) add_column(child, l);
        headers(f, child);
        continue;
      }
      if (!f.path.empty() && !f.ignore) add_column(ti, f.path);
      if (!f.field.empty())
        for (const std::string& c : f.template_names) add_column(ti, c);
      headers(f, ti);
    }
  }

  template <typename View>
  void one(View d, const PointerPath& pointer) {
    if (d.type() != JsonType::object) return unexpressible(d, pointer, "object");
    std::vector<std::string_view> base(tables_[0].header.size());
    auto rows = rows_of(p_.documents, d, 0, base, pointer);
    auto& main = tables_[0].rows;
    main.insert(main.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
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

  template <typename View>
  struct Pending {
    const MappingEntry* entry;
    View value;
    std::string pointer;  // made here: the arrays are written after the objects that hold them
  };

  // Sets the plain columns of `obj` (and of its nested objects) in row; collects its arrays.
  template <typename View>
  void fill(const MappingEntry& owner, View obj, std::size_t ti, std::vector<std::string_view>& row,
            const PointerPath& pointer, std::vector<Pending<View>>& arrays) {
    EntryValueStack::Frame<View> values(entry_values_, owner.fields.size());
    entry_values(owner.fields, entries_by_key_, obj, pointer, p_, out_, values.data());
    const bool conditions = any_condition(owner.fields);
    for (const MappingEntry& e : owner.fields) {
      if (e.field.empty()) {
        const std::size_t c = tables_[ti].col(e.path);
        std::string text;
        if (!e.template_names.empty() && write_parts(e, obj, pointer, p_.dialect.decimal_comma, out_, text) && c < row.size())
          row[c] = texts_.keep(text);
        else if (e.fixed && c < row.size())
          row[c] = *e.fixed;
        continue;
      }
      const View v = values[static_cast<std::size_t>(&e - owner.fields.data())];
      if (!v) continue;
      const PointerPath ptr(pointer, e.field);
      const ValueType* t = e.type;
      if (conditions && conditional(owner.fields, e.field)) {  // checked below, once the row is filled
        if ((e.constant && e.path.empty()) || first_entry(owner.fields, e.field) != &e) continue;
      }
      if (t->base == BaseType::object) {
        if (v.type() != JsonType::object) unexpressible(v, ptr, "object");
        else fill(e, v, ti, row, ptr, arrays);
        continue;
      }
      if (t->base == BaseType::array && t->item->base == BaseType::object) {
        if (v.type() != JsonType::array) unexpressible(v, ptr, "array");
        else arrays.push_back({&e, v, ptr.str()});
        continue;
      }
      std::string& text = text_;  // reused: kept in texts_ before the next value
      text.clear();
      if (t->base == BaseType::array) {
        if (v.type() != JsonType::array) {
          unexpressible(v, ptr, "array");
          continue;
        }
        std::size_t i = 0;
        v.each_item([&](View item) {
          write_plain(e, item, part_, PointerPath(ptr, i), p_.dialect.decimal_comma, out_);
          if (i++) text += e.split;
          text += part_;
        });
      } else {
        write_plain(e, v, text, ptr, p_.dialect.decimal_comma, out_);
        if (e.default_value && text == *e.default_value) continue;
        if (!e.template_names.empty()) {
          const std::vector<std::string> parts = split_or_report(e, text, ptr, out_);
          for (std::size_t i = 0; i < parts.size(); ++i)
            if (tables_[ti].col(e.template_names[i]) < row.size()) row[tables_[ti].col(e.template_names[i])] = texts_.keep(parts[i]);
          continue;
        }
        if (e.constant) {
          if (text != *e.constant) unexpressible(v, ptr, "constant");
          if (e.path.empty()) continue;
        }
      }
      if (!e.path.empty() && tables_[ti].col(e.path) < row.size()) row[tables_[ti].col(e.path)] = texts_.keep(text);
    }
    check_conditions(owner.fields, obj, pointer, [&](const std::string& c) {
      const std::size_t i = tables_[ti].col(c);
      return i < row.size() ? std::string(row[i]) : std::string();
    }, out_);
  }

  template <typename View>
  std::vector<std::vector<std::string_view>> rows_of(const MappingEntry& owner, View obj, std::size_t ti,
                                                     const std::vector<std::string_view>& base, const PointerPath& pointer) {
    std::vector<std::string_view> row = base;
    row.resize(tables_[ti].header.size());
    std::vector<Pending<View>> arrays;
    fill(owner, obj, ti, row, pointer, arrays);
    std::vector<std::vector<std::string_view>> out;
    for (const Pending<View>& a : arrays) {
      const bool other_table = !a.entry->table.empty();
      const std::size_t child = other_table ? table(a.entry->table) : ti;
      std::vector<std::string_view> linked;  // another table's rows start with the key columns that link them here
      if (other_table) {
        linked.resize(tables_[child].header.size());
        for (std::size_t k = 0; k < a.entry->link.size() && k < owner.key.size(); ++k) {
          const std::size_t from = tables_[ti].col(owner.key[k]), to = tables_[child].col(a.entry->link[k]);
          if (from < row.size() && to < linked.size()) linked[to] = row[from];
        }
      }
      const std::vector<std::string_view>& child_base = other_table ? linked : row;  // the items' rows start as this
      const PointerPath array_ptr(a.pointer);
      std::size_t i = 0;
      a.value.each_item([&](View item) {
        const PointerPath item_ptr(array_ptr, i++);
        if (item.type() != JsonType::object) return unexpressible(item, item_ptr, "object");
        auto rows = rows_of(*a.entry, item, child, child_base, item_ptr);
        if (other_table) {
          auto& dest = tables_[child].rows;
          dest.insert(dest.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
        } else {
          out.insert(out.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
        }
      });
    }
    if (out.empty()) out.push_back(std::move(row));
    return out;
  }

  const Profile& p_;
  Output& out_;
  EntriesByKey entries_by_key_;
  EntryValueStack entry_values_;
  std::string text_, part_;  // the text of the plain value being written, and of an item of a list
};

}  // namespace

Conversion read_vendor_csv(const Profile& profile, const Model&, const std::vector<FileView>& input, JsonSink* sink) {
  Conversion out;
  VendorCsvReader r(profile, out, sink);
  r.read(input);
  return out;
}

namespace {
template <typename Document>
Output write_csv(const Profile& profile, const Document& document) {
  Output out;
  VendorCsvWriter w(profile, out);
  w.write(document);
  csv::WriteOptions wo;
  wo.line_ending = profile.line_ending;
  wo.neutralise_formulas = false;  // guarded here, reversibly
  for (auto& t : w.tables_) {
    if (profile.formula_guard) {
      for (auto& h : t.header) guard_formula_in_place(h);
      for (auto& row : t.rows)
        for (auto& c : row)
          if (needs_formula_guard(c)) {
            std::string guarded(1, '\'');
            guarded.append(c);
            c = w.texts_.keep(guarded);
          }
    }
    // Trailing rows shorter than the header (tables added later) are padded.
    for (auto& row : t.rows) row.resize(t.header.size());
    std::string text = csv::write_views(t.header, t.rows, profile.dialect, wo);
    NamedFile f;
    f.name = t.name;
    if (profile.encoding == Encoding::utf8) {
      f.bytes = std::move(text);
    } else if (auto error = from_utf8(text, profile.encoding, f.bytes)) {
      Finding finding;
      finding.rule = detail::rule_name(detail::RuleId::transform_failed);
      finding.severity = Severity::error;
      finding.location.file = t.name;
      finding.args = {{"value", error->message_en}, {"expected", "string"}, {"format", std::string(name(profile.encoding))}};
      out.findings.push_back(std::move(finding));
    }
    out.files.push_back(std::move(f));
  }
  return out;
}
}  // namespace

Output write_vendor_csv(const Profile& profile, const Model&, const Json& document) { return write_csv(profile, document); }
Output write_vendor_csv(const Profile& profile, const Model&, JsonValue document) { return write_csv(profile, document); }

}  // namespace hoks
