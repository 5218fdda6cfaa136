#include "hoks/maintain/anonymize.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

#include "hoks/check/checks.hpp"
#include "hoks/read/json.hpp"

namespace hoks {
namespace {

enum class Kind { person_oid, study_right_oid, y_tunnus, email, phone, person_name, organisation, identifier, eid, text };

const char* const first_names[] = {"Aino", "Eero", "Helmi", "Ilmari", "Kerttu", "Lauri", "Martta", "Onni",
                                   "Pihla", "Rasmus", "Saga", "Toivo", "Venla", "Vilho", "Elsa", "Urho"};
const char* const last_names[] = {"Aaltonen", "Heikura", "Ikonen", "Jokiranta", "Kallio", "Laaksonen",
                                  "Mustonen", "Nieminen", "Ojala", "Pelkonen", "Rantanen", "Salmela",
                                  "Tuominen", "Valtonen", "Ylinen", "Åberg"};

std::uint64_t mix(std::uint64_t x) {  // splitmix64
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

bool is_person_entity(std::string_view e) {
  return e == "VastuullinenTyopaikkaOhjaaja" || e == "Oppilaitoshenkilo" || e == "KoulutuksenJarjestajaArvioija" ||
         e == "TyoelamaOsaamisenArvioija";
}

bool is_free_text(std::string_view key) {
  static const char* const keys[] = {"kuvaus", "tavoitteet-ja-sisallot", "vaatimuksista-tai-tavoitteista-poikkeaminen",
                                     "ajanjakson-tarkenne", "keskeiset-tyotehtavat", "sisallon-kuvaus",
                                     "yksilolliset-kriteerit", "rooli"};
  return std::any_of(std::begin(keys), std::end(keys), [&](const char* k) { return key == k; });
}

struct Edit {
  std::size_t offset, length;
  std::string token;
};

class Anonymizer {
 public:
  Anonymizer(const Model& model, const AnonymizeOptions& options) : model_(model), options_(options) {}
  std::vector<Edit> edits;  // offsets into the whole text

  // Anonymizes one parsed document whose text `piece` starts at byte `base` of the whole text.
  void document(const JsonDocument& doc, std::string_view piece, std::size_t base) {
    source_ = piece;
    base_ = base;
    const JsonValue root = doc.root();
    if (root.is_array()) {
      for (auto& item : root) value(item.value(), &model_.root_type(), "", "");
    } else {
      value(root, &model_.root_type(), "", "");
    }
  }

  void value(JsonValue v, const ValueType* type, std::string_view key, std::string_view entity) {
    if (!type) return unknown(v);
    switch (type->base) {
      case BaseType::object:
        if (v.is_object()) object(v, model_.entity(type->entity));
        return;
      case BaseType::array:
        if (v.is_array())
          for (auto& item : v) value(item.value(), type->item, key, entity);
        return;
      default:
        break;
    }
    if (!v.is_string()) return;
    std::optional<Kind> kind;
    if (type->check == ValueCheck::oid) kind = key == "oppija-oid" ? Kind::person_oid : Kind::study_right_oid;
    else if (type->check == ValueCheck::y_tunnus) kind = Kind::y_tunnus;
    else if (key == "sahkoposti") kind = Kind::email;
    else if (key == "puhelinnumero") kind = Kind::phone;
    else if (key == "nimi" && is_person_entity(entity)) kind = Kind::person_name;
    else if ((key == "nimi" && (entity == "TyoelamaOrganisaatio" || entity == "Nayttoymparisto")) || key == "tyopaikan-nimi")
      kind = Kind::organisation;
    else if (key == "yksiloiva-tunniste") kind = Kind::identifier;
    else if (key == "eid") kind = Kind::eid;
    else if (options_.free_text && is_free_text(key)) kind = Kind::text;
    if (kind) replace(v, *kind);
  }

  void object(JsonValue v, const Entity& e) {
    for (auto& m : v) {
      const Field* f = e.field(m.key().str());
      value(m.value(), f ? f->type : nullptr, m.key().str(), e.name);
    }
  }

 private:
  // Under a key the model does not know anything may hide: every string is replaced.
  void unknown(JsonValue v) {
    if (v.is_string()) replace(v, Kind::text);
    else if (v.is_array() || v.is_object())
      for (auto& m : v) unknown(m.value());
  }

  void replace(JsonValue v, Kind kind) {
    const std::string original(v.str());
    if (trim(original).empty()) return;  // empty stays empty (the non-empty checks keep their verdict)
    auto& names = mapping_[static_cast<int>(kind)];
    auto it = names.find(original);
    if (it == names.end()) it = names.emplace(original, synthesize(kind, original, names.size())).first;
    std::string token;
    detail::append_json_string(token, it->second);
    edits.push_back({base_ + v.offset(), raw_length(v.offset()), std::move(token)});
  }

  std::size_t raw_length(std::size_t offset) const {
    std::size_t i = offset + 1;
    while (i < source_.size() && source_[i] != '"') i += source_[i] == '\\' ? 2 : 1;
    return i + 1 - offset;
  }

  std::uint64_t random(Kind kind, std::size_t index, std::uint64_t salt = 0) const {
    return mix(options_.seed * 0x100000001B3ULL ^ mix(static_cast<std::uint64_t>(kind) * 1000003ULL + salt) ^
               mix(index + 1));
  }

  std::string synthesize(Kind kind, const std::string& original, std::size_t index) const {
    for (std::size_t attempt = 0;; ++attempt) {
      std::string s = candidate(kind, original, index + attempt * 100003);
      if (s != original) return s;
    }
  }

  std::string oid(const std::string& original, std::size_t index, Kind kind) const {
    std::string_view body = original;
    std::string suffix;  // a final line terminator is kept (Java's `$` accepts it)
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
      suffix.insert(suffix.begin(), body.back());
      body.remove_suffix(1);
    }
    const ValueType* type = model_.find_type(kind == Kind::person_oid ? "PID" : "OOID");
    std::string node = kind == Kind::person_oid ? "24" : "15";
    if (std::count(body.begin(), body.end(), '.') == 5) {
      const std::size_t a = body.find('.', body.find('.', body.find('.', body.find('.') + 1) + 1) + 1) + 1;
      node = std::string(body.substr(a, body.find('.', a) - a));
    }
    const bool matches = type && type->pattern && type->pattern->find(original);
    if (!matches) return "anonymisoitu-" + std::to_string(index + 1);
    const std::uint64_t payload = 1000000000ULL + (random(kind, 0) + index * 104729ULL) % 8999999999ULL;
    const std::string digits = std::to_string(payload);
    int check = oid_check_digit(node, digits);
    if (!oid_check_digit_valid(original)) check = (check + 1) % 10;
    return "1.2.246.562." + node + "." + digits + std::to_string(check) + suffix;
  }

  std::string candidate(Kind kind, const std::string& original, std::size_t index) const {
    const std::uint64_t r = random(kind, index);
    switch (kind) {
      case Kind::person_oid:
      case Kind::study_right_oid:
        return oid(original, index, kind);
      case Kind::y_tunnus: {
        const ValueType* type = model_.find_type("YT");
        if (!(type && type->pattern && type->pattern->find(original))) return "anonymisoitu-" + std::to_string(index + 1);
        for (std::uint64_t k = 0;; ++k) {
          const std::string d7 = std::to_string(1000000 + (random(kind, 0) % 8000000 + index * 7919 + k * 1299709) % 8999999);
          const int c = y_tunnus_check_digit(d7);
          if (c < 0) continue;
          const bool valid = y_tunnus_check_digit_valid(original);
          return d7 + "-" + std::to_string(valid ? c : (c + 1) % 10);
        }
      }
      case Kind::email:
        return "henkilo" + std::to_string(index + 1) + "." + std::to_string(r % 10000) + "@example.com";
      case Kind::phone: {
        std::string digits = std::to_string(1000000 + r % 9000000);
        const bool valid = phone_valid(trim(original));
        return valid ? "040 " + digits : "puh. 040 " + digits;  // an invalid number stays invalid
      }
      case Kind::person_name:
        return std::string(first_names[r % 16]) + " " + last_names[(r >> 8) % 16];
      case Kind::organisation:
        return "Yritys " + std::to_string(index + 1) + " Oy";
      case Kind::identifier:
        return "tunniste-" + std::to_string(index + 1) + "-" + std::to_string(r % 100000);
      case Kind::eid: {
        static const char hex[] = "0123456789abcdef";
        std::string u;
        const std::uint64_t a = r, b = random(kind, index, 1);
        for (int i = 0; i < 32; ++i) {
          if (i == 8 || i == 12 || i == 16 || i == 20) u += '-';
          const std::uint64_t word = i < 16 ? a : b;
          u += i == 12 ? '4' : hex[(word >> ((i % 16) * 4)) & 15];
        }
        return u;
      }
      case Kind::text:
        return "Anonymisoitu teksti " + std::to_string(index + 1);
    }
    return "";
  }

  const Model& model_;
  const AnonymizeOptions& options_;
  std::string_view source_;
  std::size_t base_ = 0;
  std::map<std::string, std::string> mapping_[10];
};

std::string position(std::string_view text, std::size_t offset, std::size_t line_base, JsonErrorKind kind) {
  LineIndex index(text);
  const TextPosition p = index.locate(offset);
  return std::to_string(p.line + line_base - 1) + ":" + std::to_string(p.column) + ": not well-formed JSON (" +
         std::string(to_string(kind)) + ")";
}

std::string splice(std::string_view text, std::vector<Edit>& edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& x, const Edit& y) { return x.offset < y.offset; });
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const auto& e : edits) {
    out.append(text.substr(at, e.offset - at));
    out += e.token;
    at = e.offset + e.length;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace

std::string anonymize(std::string_view text, const AnonymizeOptions& options, const Model& model) {
  Anonymizer a(model, options);
  JsonDocument doc;
  if (doc.parse(text)) {
    a.document(doc, text, 0);
    return splice(text, a.edits);
  }
  // NDJSON: one document per non-blank line, when the first such line is a document by itself.
  const std::string whole_error = position(text, doc.error_offset(), 1, doc.error());
  {
    const std::size_t begin = text.find_first_not_of(" \t\r\n");
    const std::size_t end = begin == std::string_view::npos ? begin : text.find('\n', begin);
    JsonDocument first;
    if (end == std::string_view::npos || !first.parse(text.substr(begin, end - begin)))
      throw std::invalid_argument(whole_error);
  }
  std::size_t start = 0, line = 1;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view piece = text.substr(start, end - start);
    if (!trim(piece).empty()) {
      JsonDocument d;
      if (!d.parse(piece)) throw std::invalid_argument(position(piece, d.error_offset(), line, d.error()));
      a.document(d, piece, start);
    }
    start = end + 1;
    ++line;
  }
  return splice(text, a.edits);
}

}  // namespace hoks
