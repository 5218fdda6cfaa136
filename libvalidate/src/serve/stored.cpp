#include "serve/stored.hpp"

#include <charconv>
#include <cstdio>
#include <random>

#include "hoks/check/checks.hpp"

namespace hoks::serve {

using detail::Tree;

std::string uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t a = rng(), b = rng();
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

namespace {

// Removes null members (GET leaves them out) recursively.
void drop_nulls(Tree& t) {
  if (t.is_object()) {
    for (auto it = t.begin(); it != t.end();) {
      if (it->is_null()) {
        it = t.erase(it);
      } else {
        drop_nulls(*it);
        ++it;
      }
    }
  } else if (t.is_array()) {
    for (auto& v : t) drop_nulls(v);
  }
}

bool is_unit_array(std::string_view key) {
  return key.starts_with("hankittavat-") && key.ends_with("-tutkinnon-osat") ? true
         : key.starts_with("aiemmin-hankitut-") && key.ends_with("-tutkinnon-osat");
}

// The arrays whose items get a module-id (`in_unit`: the array is a member of a tutkinnon osa).
bool has_module_ids(std::string_view key, bool in_unit) {
  return is_unit_array(key) || key == "osaamisen-hankkimistavat" || key == "osaamisen-osoittaminen" ||
         key == "tarkentavat-tiedot-naytto" || (in_unit && key == "osa-alueet");
}

// The module-id UUIDs eHOKS gives nested tutkinnon osat, osa-alueet, OHTs and osoittamiset.
void add_module_ids(Tree& t, bool in_unit) {
  if (!t.is_object()) return;
  for (auto& [key, value] : t.items()) {
    if (!value.is_array()) {
      if (value.is_object()) add_module_ids(value, false);
      continue;
    }
    const bool units = is_unit_array(key), parts = has_module_ids(key, in_unit);
    for (auto& item : value) {
      if (!item.is_object()) continue;
      if (parts && !item.contains("module-id")) item["module-id"] = uuid();
      add_module_ids(item, units);
    }
  }
}

// Virkailija routes: OHTs without yksiloiva-tunniste get a random UUID (hoks.clj).
void fill_tunnisteet(Tree& t) {
  if (t.is_array()) {
    for (auto& v : t) fill_tunnisteet(v);
  } else if (t.is_object()) {
    if (t.contains("osaamisen-hankkimistavat") && t["osaamisen-hankkimistavat"].is_array())
      for (auto& oht : t["osaamisen-hankkimistavat"])
        if (oht.is_object() && !oht.contains("yksiloiva-tunniste")) oht["yksiloiva-tunniste"] = uuid();
    for (auto& [k, v] : t.items()) fill_tunnisteet(v);
  }
}

// Writes the stored form of a body from its tape: the steps of normalize, strip_ids and
// stored_from_tree in one pass, without building a tree.
class Writer {
 public:
  Writer(const Model& model, bool manual, std::string& out) : model_(model), manual_(manual), out_(out) {}

  struct Place {
    bool strip = false;        // inside a top-level part array: `id` and `module-id` are left out
    bool ids = true;           // module-ids are given here (not inside an array of arrays)
    bool in_unit = false;      // this object is an item of a tutkinnon osa array
    bool module_id = false;    // this object gets a module-id when it has none
    bool tunniste = false;     // this object is an OHT that gets a yksiloiva-tunniste (virkailija)
  };

  void root(JsonValue v, std::string_view eid) {
    out_ += "{\"eid\":";
    detail::append_json_string(out_, eid);
    unsigned parts = 0;  // bit i: part_arrays[i] was written
    members(v, model_.root_type().entity, Place{}, true, parts);
    out_ += manual_ ? ",\"manuaalisyotto\":true" : ",\"manuaalisyotto\":false";
    for (unsigned i = 0; i < 9; ++i)
      if (!(parts & (1u << i))) {
        out_ += ",\"";
        out_ += detail::part_arrays[i];
        out_ += "\":[]";
      }
    out_ += '}';
  }

 private:
  void value(JsonValue v, const ValueType* type, const Place& place) {
    switch (v.type()) {
      case JsonType::null:
        out_ += type && type->base == BaseType::array ? "[]" : "null";  // a sequence reads nil as []
        return;
      case JsonType::boolean: out_ += v.boolean() ? "true" : "false"; return;
      case JsonType::number: number(v.str(), type && type->base == BaseType::integer); return;
      case JsonType::string:
        detail::append_json_string(out_, type && type->base == BaseType::string && !type->pattern ? trim(v.str()) : v.str());
        return;
      case JsonType::array: {
        const ValueType* item = type && type->base == BaseType::array ? type->item : nullptr;
        out_ += '[';
        bool first = true;
        for (auto& i : v) {
          if (!first) out_ += ',';
          first = false;
          const JsonValue x = i.value();
          if (x.is_object()) object(x, item, place);
          else value(x, item, Place{place.strip, false});  // an array inside an array gets no module-ids
        }
        out_ += ']';
        return;
      }
      case JsonType::object: object(v, type, place); return;
    }
  }

  void object(JsonValue v, const ValueType* type, const Place& place) {
    out_ += '{';
    unsigned parts = 0;
    bool any = members(v, type && type->base == BaseType::object ? type->entity : -1, place, false, parts);
    const bool module_id = place.module_id && place.ids && !has_module_id_;
    if (place.tunniste && !has_tunniste_) add(any, "yksiloiva-tunniste");
    if (module_id) add(any, "module-id");
    out_ += '}';
  }

  // Appends a member `key` with a new UUID.
  void add(bool& any, const char* key) {
    if (any) out_ += ',';
    any = true;
    out_ += '"';
    out_ += key;
    out_ += "\":\"";
    out_ += uuid();
    out_ += '"';
  }

  // Writes the members of object `v`; true when it wrote one. A repeated key keeps its first
  // place and its last value, as the tree reader does.
  bool members(JsonValue v, int entity, const Place& place, bool top, unsigned& parts) {
    const Entity* e = entity >= 0 ? &model_.entity(entity) : nullptr;
    std::uint64_t seen = 0;
    bool slow = false;  // a repeated or unknown key: look for the key's other occurrences
    for (auto& m : v) {
      const int f = e ? e->field_index(m.key().str()) : -1;
      if (f < 0 || f >= 64 || (seen & (std::uint64_t{1} << f))) slow = true;
      else seen |= std::uint64_t{1} << f;
    }
    bool any = top, tunniste = false, module_id = false;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string_view key = (*it).key().str();
      JsonValue x = (*it).value();
      if (slow) {
        bool earlier = false;
        for (auto j = v.begin(); j != it && !earlier; ++j) earlier = (*j).key().str() == key;
        if (earlier) continue;
        for (auto j = it; j != v.end(); ++j)
          if ((*j).key().str() == key) x = (*j).value();
      }
      const Field* field = e ? e->field(key) : nullptr;
      const ValueType* type = field ? field->type : nullptr;
      const bool array_type = type && type->base == BaseType::array;
      if (x.type() == JsonType::null && !array_type) continue;  // nulls are left out
      if (top && (key == "id" || key == "eid" || key == "manuaalisyotto")) continue;  // the server's
      if (place.strip && (key == "id" || key == "module-id")) continue;
      Place inner{place.strip, place.ids};
      if (top)
        for (unsigned i = 0; i < 9; ++i)
          if (key == detail::part_arrays[i]) {
            parts |= 1u << i;
            inner.strip = true;  // nested parts are created anew
          }
      if (x.is_array() || (x.type() == JsonType::null && array_type)) {
        inner.in_unit = is_unit_array(key);
        inner.module_id = has_module_ids(key, place.in_unit);
        inner.tunniste = manual_ && key == "osaamisen-hankkimistavat";
      }
      if (any) out_ += ',';
      any = true;
      detail::append_json_string(out_, key);
      out_ += ':';
      value(x, type, inner);
      tunniste |= key == "yksiloiva-tunniste";
      module_id |= key == "module-id";
    }
    has_tunniste_ = tunniste;
    has_module_id_ = module_id;
    return any;
  }

  // A number as the tree printed it: integers in their shortest form, others as nlohmann prints a
  // double; an integral value of an integer field as an integer.
  void number(std::string_view t, bool integer) {
    char buf[32];
    if (t.find_first_of(".eE") == std::string_view::npos) {
      std::int64_t i = 0;
      if (auto r = std::from_chars(t.data(), t.data() + t.size(), i); r.ec == std::errc() && r.ptr == t.data() + t.size()) {
        out_.append(buf, std::to_chars(buf, buf + sizeof buf, i).ptr);
        return;
      }
      std::uint64_t u = 0;
      if (auto r = std::from_chars(t.data(), t.data() + t.size(), u); r.ec == std::errc() && r.ptr == t.data() + t.size()) {
        out_.append(buf, std::to_chars(buf, buf + sizeof buf, u).ptr);
        return;
      }
    }
    const double d = std::strtod(std::string(t).c_str(), nullptr);
    if (integer && d == static_cast<double>(static_cast<std::int64_t>(d))) {
      out_.append(buf, std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(d)).ptr);
      return;
    }
    out_ += Tree(d).dump();
  }

  const Model& model_;
  bool manual_;
  std::string& out_;
  bool has_tunniste_ = false, has_module_id_ = false;  // of the object members() last wrote
};

}  // namespace

std::string stored_from_tree(Tree t, bool manual) {
  drop_nulls(t);
  for (const char* key : detail::part_arrays)
    if (!t.contains(key)) t[key] = Tree::array();
  if (manual) fill_tunnisteet(t);
  add_module_ids(t, false);
  return t.dump();
}

std::string stored_from_body(JsonValue body, std::string_view eid, bool manual, const Model& model) {
  std::string out;
  out.reserve(body.document()->source().size() + 2048);
  Writer(model, manual, out).root(body, eid);
  return out;
}

}  // namespace hoks::serve
