#include "hoks/serve/ehoks_errors.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "read/json_tree.hpp"

namespace hoks::serve {
namespace {

using detail::Tree;

// The UTF-16 code units of UTF-8 text (Java's chars).
std::vector<std::uint16_t> utf16(std::string_view s) {
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + static_cast<std::size_t>(k) < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    i += static_cast<std::size_t>(n);
    if (cp < 0x10000) {
      out.push_back(static_cast<std::uint16_t>(cp));
    } else {
      out.push_back(static_cast<std::uint16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      out.push_back(static_cast<std::uint16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    }
  }
  return out;
}

std::uint32_t rotl(std::uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
std::uint32_t mix_k1(std::uint32_t k) { return rotl(k * 0xcc9e2d51u, 15) * 0x1b873593u; }
std::uint32_t mix_h1(std::uint32_t h, std::uint32_t k) { return rotl(h ^ k, 13) * 5 + 0xe6546b64u; }

// clojure.lang.Murmur3/hashUnencodedChars.
std::uint32_t murmur3_chars(const std::vector<std::uint16_t>& c) {
  std::uint32_t h = 0;
  for (std::size_t i = 1; i < c.size(); i += 2) h = mix_h1(h, mix_k1(c[i - 1] | (std::uint32_t{c[i]} << 16)));
  if (c.size() & 1) h ^= mix_k1(c.back());
  h ^= static_cast<std::uint32_t>(2 * c.size());
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  return h ^ (h >> 16);
}

// The order in which a clojure.lang.PersistentHashMap iterates keyword keys: by the 5-bit pieces
// of their hashes, lowest first (the levels of its trie); keys of one hash in insertion order.
bool hash_map_before(std::uint32_t a, std::uint32_t b) {
  for (int shift = 0; shift < 32; shift += 5) {
    const std::uint32_t x = (a >> shift) & 31, y = (b >> shift) & 31;
    if (x != y) return x < y;
  }
  return false;
}

// Maps of more than 8 keys in Clojure's order, recursively (a JSON object as muuntaja decodes it
// becomes a PersistentHashMap past 8 keys, and so does an error map).
void clojure_order(Tree& t) {
  if (t.is_array()) {
    for (auto& v : t) clojure_order(v);
    return;
  }
  if (!t.is_object()) return;
  for (auto& [k, v] : t.items()) clojure_order(v);
  if (t.size() <= 8) return;
  std::vector<std::pair<std::uint32_t, std::string>> keys;
  for (auto& [k, v] : t.items()) keys.emplace_back(static_cast<std::uint32_t>(clojure_keyword_hash(k)), k);
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return hash_map_before(a.first, b.first); });
  Tree out = Tree::object();
  for (auto& [h, k] : keys) out[k] = std::move(t[k]);
  t = std::move(out);
}

// RFC 6901 tokens of a pointer.
std::vector<std::string> tokens(std::string_view pointer) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < pointer.size()) {
    ++i;  // '/'
    std::string t;
    for (; i < pointer.size() && pointer[i] != '/'; ++i) {
      if (pointer[i] == '~' && i + 1 < pointer.size()) {
        t += pointer[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        t += pointer[i];
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::string escape_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Length of a string in UTF-16 code units, as Java's String.length().
std::size_t java_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

bool is_integer_token(std::string_view t) { return t.find_first_of(".eE") == std::string_view::npos; }

bool fits_long(std::string_view t) {
  long long v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  return ec == std::errc() && p == t.data() + t.size();
}

// Java's Double.toString.
std::string java_double(std::string_view token) {
  const double d = std::strtod(std::string(token).c_str(), nullptr);
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  const double a = std::fabs(d);
  if (a >= 1e-3 && a < 1e7) {
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    std::string s(buf, p);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string s(buf, p);  // 1.5e-07
  const auto e = s.find('e');
  std::string mant = s.substr(0, e);
  if (mant.find('.') == std::string::npos) mant += ".0";
  const int exp = std::atoi(s.c_str() + e + 1);
  return mant + "E" + std::to_string(exp);
}

std::string pr_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\f': out += "\\f"; break;
      case '\b': out += "\\b"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

// Clojure's pr-str of a value as cheshire parses JSON (keyword keys, vectors, Long/BigInteger/Double).
std::string pr(JsonValue v) {
  switch (v.type()) {
    case JsonType::null: return "nil";
    case JsonType::boolean: return v.boolean() ? "true" : "false";
    case JsonType::number: return is_integer_token(v.str()) ? std::string(v.str()) : java_double(v.str());
    case JsonType::string: return pr_string(v.str());
    case JsonType::array: {
      std::string out = "[";
      bool first = true;
      for (auto item : v) {
        if (!first) out += ' ';
        first = false;
        out += pr(item.value());
      }
      return out + "]";
    }
    case JsonType::object: {
      std::string out = "{";
      bool first = true;
      for (auto m : v) {
        if (!first) out += ", ";
        first = false;
        out += ':';
        out += m.key().str();
        out += ' ';
        out += pr(m.value());
      }
      return out + "}";
    }
  }
  return "nil";
}

// Clojure's str: like pr, but a string is itself and nil is "".
std::string str(JsonValue v) {
  if (v.type() == JsonType::string) return std::string(v.str());
  if (v.type() == JsonType::null) return "";
  return pr(v);
}

std::string class_name(JsonValue v) {
  switch (v.type()) {
    case JsonType::null: return "nil";
    case JsonType::boolean: return "java.lang.Boolean";
    case JsonType::number:
      if (!is_integer_token(v.str())) return "java.lang.Double";
      return fits_long(v.str()) ? "java.lang.Long" : "java.math.BigInteger";
    case JsonType::string: return "java.lang.String";
    case JsonType::array: return "clojure.lang.PersistentVector";
    case JsonType::object: return v.size() > 8 ? "clojure.lang.PersistentHashMap" : "clojure.lang.PersistentArrayMap";
  }
  return "nil";
}

// The type of the model at a pointer, or nullptr.
const ValueType* type_at(const Model& model, const std::vector<std::string>& path) {
  const ValueType* t = &model.root_type();
  for (const auto& token : path) {
    if (t->base == BaseType::array) {
      t = t->item;
    } else if (t->base == BaseType::object && t->entity >= 0) {
      const Field* f = model.entity(t->entity).field(token);
      t = f ? f->type : nullptr;
    } else {
      return nullptr;
    }
    if (!t) return nullptr;
  }
  return t;
}

std::string regex_literal(std::string_view source) { return "#\"" + std::string(source) + "\""; }

// The Prismatic failure of a value that is not of `type`.
std::string type_failure(const ValueType* type, std::string_view expected, const std::string& shown) {
  if (type && type->pattern) return "(not (re-find " + regex_literal(type->pattern->source()) + " " + shown + "))";
  if (expected == "integer") return "(not (integer? " + shown + "))";
  if (expected == "number") return "(not (instance? java.lang.Number " + shown + "))";
  if (expected == "boolean") return "(not (instance? java.lang.Boolean " + shown + "))";
  if (expected == "object") return "(not (map? " + shown + "))";
  if (expected == "array") return "(not (sequential? " + shown + "))";
  if (expected == "date") return "(not (instance? java.time.LocalDate " + shown + "))";
  if (expected == "instant") return "(not (instance? java.util.Date " + shown + "))";
  return "(not (instance? java.lang.String " + shown + "))";
}

std::string named(std::string_view description, const std::string& shown) {
  return "(not (" + pr_string(description) + " " + shown + "))";
}

// The descriptions of eHOKS's named constraints (schema.clj), by hokskit rule id.
std::string_view description(std::string_view rule) {
  struct Entry {
    std::string_view rule, text;
  };
  static constexpr Entry entries[] = {
      {"oht-part-time", "Lisää osa-aikaisuustieto, joka on välillä 1-100."},
      {"oht-tunniste", "Lisää työpaikkajaksoon yksilöivä tunniste."},
      {"oht-y-tunnus", "Lisää työpaikkajaksoon työpaikan Y-tunnus."},
      {"oht-oppisopimus-perusta", "Lisää jaksoon oppisopimuksen perustan koodi-uri."},
      {"oht-date-order", "Korjaa alku- ja loppupäivämäärä oikein päin."},
      {"oht-before-study-right", "Korjaa alkupäivä aikaisintaan opiskeluoikeuden alkamispäiväksi."},
      {"oht-after-study-right-end", "Korjaa loppupäivä viimeistään opiskeluoikeuden arvioiduksi päättymispäiväksi."},
      {"oht-too-long", "Korjaa jakso enintään 5 vuoden pituiseksi."},
      {"unit-on-tuva", "Ota tutkinnonosa pois, koska opiskeluoikeus on TUVA."},
      {"supporting-studies-on-tuva", "Ota tukevat opinnot pois, koska opiskeluoikeus on TUVA."},
      {"training-part-not-tuva", "Ota koulutuksenosa pois, koska opiskeluoikeus ei ole TUVA."},
      {"learning-support-fields",
       "Määritä alku- ja loppupvm sekä tutkinnonosan tyyppi jos ja vain jos kyseessä on tukiopetus."},
      {"study-right-type",
       "Opiskeluoikeuden tyypin on oltava joko \"Ammatillinen koulutus\" tai \"Tutkintokoulutukseen valmentava "
       "koulutus (TUVA)\"."},
      {"tuva-oid-on-tuva",
       "Ota tuva-opiskeluoikeus-oid pois, koska se on sallittu vain TUVA-opiskeluoikeuden kanssa rinnakkaiselle "
       "opiskeluoikeudelle, ei TUVA-opiskeluoikeudelle."},
      {"completion-date-range",
       "Osaaminen voidaan merkitä saavutetuksi enintään kaksi viikkoa\n    tulevaisuuteen ja vähintään vuodelle 2018."},
      {"phone-number", "Puhelinnumero virheellinen."},
      {"y-tunnus-check-digit", "Kelvollinen Y-tunnus"},
      {"negative-teaching-hours", "Opetuksen ja ohjauksen määrä ei saa olla negatiivinen."},
      {"negative-extent", "Muuta koulutuksen osan laajuus positiiviseksi."},
  };
  for (const auto& e : entries)
    if (e.rule == rule) return e.text;
  return {};
}

bool is_oht_rule(std::string_view rule) { return rule.rfind("oht-", 0) == 0; }
// Constraints on a whole object: reported at the object, as one string.
bool is_object_constraint(std::string_view rule) {
  return is_oht_rule(rule) || rule == "unit-on-tuva" || rule == "supporting-studies-on-tuva" ||
         rule == "training-part-not-tuva" || rule == "learning-support-fields" || rule == "interruptions-overlap";
}

struct Leaf {
  std::vector<std::string> path;
  std::string text;
  bool constraint = false;  // runs only when everything inside its value is valid
};

std::string trimmed_name(JsonValue v) {
  // Plain strings are trimmed by the coercion before the constraints see them.
  std::string_view s = v.str();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return java_length(s) < 20 ? pr_string(s) : "a-java.lang.String";
}

std::optional<Leaf> leaf_of(const JsonDocument& doc, const Finding& f, const Model& model) {
  Leaf leaf;
  leaf.path = tokens(f.path);
  const std::uint32_t at = doc.find(f.path);
  if (at == UINT32_MAX) return std::nullopt;
  const JsonValue v(&doc, at);
  const std::string& rule = f.rule;
  if (rule == "missing-key") {
    leaf.path.push_back(std::string(f.arg("key")));
    leaf.text = "missing-required-key";
  } else if (rule == "unknown-key" || rule == "excluded-key") {
    leaf.text = "disallowed-key";
  } else if (rule == "null-value" || rule == "wrong-type") {
    leaf.text = type_failure(type_at(model, leaf.path), f.arg("expected"), clojure_value_name(v));
  } else if (rule == "invalid-date" || rule == "invalid-instant") {
    // eHOKS wraps the Java parse exception here (its stack trace included): the message part only.
    leaf.text = "(not #error {:cause \"Text '" + std::string(v.str()) + "' could not be parsed\"})";
  } else if (rule == "pattern-mismatch") {
    leaf.text = "(not (re-find " + regex_literal(f.arg("pattern")) + " " + clojure_value_name(v) + "))";
  } else if (rule == "oid-check-digit") {
    leaf.text = "(not (oph.ehoks.schema.oid/valid-oid? " + clojure_value_name(v) + "))";
  } else if (rule == "empty-tunniste") {
    leaf.text = "(not (not-empty \"\"))";
  } else if (rule == "phone-number") {
    leaf.text = named(description(rule), trimmed_name(v));
  } else if (rule == "completion-date-range") {
    // A LocalDate prints with its identity hash, which no re-implementation can reproduce.
    leaf.text = named(description(rule), "#object[java.time.LocalDate 0x0 " + pr_string(v.str()) + "]");
    leaf.constraint = true;
  } else if (rule == "interruptions-overlap") {
    leaf.text = "(not (oph.ehoks.hoks.schema/not-overlapping? " + clojure_value_name(v) + "))";
    leaf.constraint = true;
  } else if (is_object_constraint(rule)) {
    JsonValue object = v;
    if (is_oht_rule(rule)) {
      // The OHT: the item of the nearest osaamisen-hankkimistavat array above the finding.
      while (leaf.path.size() >= 2 && leaf.path[leaf.path.size() - 2] != "osaamisen-hankkimistavat")
        leaf.path.pop_back();
      if (leaf.path.size() < 2) return std::nullopt;
      std::string pointer;
      for (const auto& t : leaf.path) pointer += "/" + escape_token(t);
      object = JsonValue(&doc, doc.find(pointer));
    }
    leaf.text = named(description(rule), clojure_value_name(object));
    leaf.constraint = true;
  } else if (!description(rule).empty()) {
    leaf.text = named(description(rule), clojure_value_name(v));
    leaf.constraint = rule != "y-tunnus-check-digit";
  } else {
    return std::nullopt;  // not an eHOKS error (hokskit's own checks)
  }
  return leaf;
}

bool strictly_inside(const std::vector<std::string>& inner, const std::vector<std::string>& outer) {
  if (inner.size() <= outer.size()) return false;
  for (std::size_t i = 0; i < outer.size(); ++i)
    if (inner[i] != outer[i]) return false;
  return true;
}

}  // namespace

std::string clojure_value_name(JsonValue v) {
  if (java_length(str(v)) < 20) return pr(v);
  return "a-" + class_name(v);
}

std::string ehoks_errors(const JsonDocument& doc, const std::vector<Finding>& findings, const Model& model) {
  std::vector<Leaf> leaves;
  for (const auto& f : findings) {
    if (f.severity != Severity::error) continue;
    if (auto leaf = leaf_of(doc, f, model)) leaves.push_back(std::move(*leaf));
  }
  Tree errors;  // null until the first leaf
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const Leaf& leaf = leaves[i];
    bool suppressed = false;
    if (leaf.constraint)  // Prismatic checks the inner schema first
      for (const auto& other : leaves)
        if (strictly_inside(other.path, leaf.path)) suppressed = true;
    if (suppressed) continue;
    Tree* node = &errors;
    std::uint32_t in = 0;  // the input node at this level
    bool placed = true;
    for (std::size_t d = 0; d < leaf.path.size(); ++d) {
      const std::string& token = leaf.path[d];
      const JsonValue here(&doc, in);
      if (node->is_string()) {  // an error already covers this whole value
        placed = false;
        break;
      }
      if (here.is_array()) {
        if (!node->is_array()) *node = Tree(Tree::value_t::array), node->get_ref<Tree::array_t&>().resize(here.size());
        const std::size_t index = std::strtoul(token.c_str(), nullptr, 10);
        std::uint32_t child = in + 1;
        for (std::size_t k = 0; k < index; ++k) child = doc.node(child).next;
        in = child;
        node = &(*node)[index];
      } else {
        if (!node->is_object()) *node = Tree::object();
        const JsonValue child = here.is_object() ? here.get(token) : JsonValue{};
        in = child.valid() ? child.index() : in;
        node = &(*node)[token];
      }
    }
    if (!placed) continue;
    if (node->is_null()) *node = leaf.text;  // the first failure at one place wins
  }
  if (errors.is_null()) errors = Tree::object();
  clojure_order(errors);
  return errors.dump();
}

std::string ehoks_validation_body(const JsonDocument& doc, const std::vector<Finding>& findings, const Model& model) {
  std::string out = "{\"errors\":" + ehoks_errors(doc, findings, model) + ",\"coercion\":\"schema\",\"value\":";
  Tree value = detail::parse_tree(doc.source(), "body");
  clojure_order(value);
  out += value.dump();
  out += ",\"in\":[\"request\",\"body-params\"],\"type\":\"compojure.api.exception/request-validation\"}";
  return out;
}

std::int32_t clojure_keyword_hash(std::string_view key) {
  // (keyword "ns/name") has a namespace; Keyword.hasheq = Symbol.hasheq + 0x9e3779b9, and
  // Symbol.hasheq = Util.hashCombine(Murmur3.hashUnencodedChars(name), String.hashCode(ns)).
  const std::size_t slash = key == "/" ? std::string_view::npos : key.find('/');
  const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  std::uint32_t ns = 0;
  if (slash != std::string_view::npos)
    for (std::uint16_t c : utf16(key.substr(0, slash))) ns = ns * 31 + c;
  const std::uint32_t seed = murmur3_chars(utf16(name));
  const auto arithmetic = static_cast<std::uint32_t>(static_cast<std::int32_t>(seed) >> 2);
  const std::uint32_t combined = seed ^ (ns + 0x9e3779b9u + (seed << 6) + arithmetic);
  return static_cast<std::int32_t>(combined + 0x9e3779b9u);
}

}  // namespace hoks::serve
