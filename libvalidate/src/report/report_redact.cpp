// Redaction of personal data (names, e-mail addresses, phone numbers, person and study-right
// OIDs, personal identity codes) and source excerpts for the reports.
#include <algorithm>
#include <set>

#include "hoks/read/json.hpp"
#include "hoks/report/report.hpp"

namespace hoks {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A substring of a string that is personal data whatever field it is in.
struct Match {
  std::size_t begin, end;
  PersonalKind kind;
};

// E-mail addresses: local@domain.tld
void find_emails(std::string_view s, std::vector<Match>& out) {
  auto local = [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
  auto domain = [](char c) { return is_alnum(c) || c == '.' || c == '-'; };
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    std::size_t b = at;
    while (b > 0 && local(s[b - 1])) --b;
    std::size_t e = at + 1;
    while (e < s.size() && domain(s[e])) ++e;
    const std::string_view dom = s.substr(at + 1, e - at - 1);
    if (b < at && dom.find('.') != std::string_view::npos && dom.front() != '.') out.push_back({b, e, PersonalKind::email});
  }
}

// Learner OIDs (1.2.246.562.24., .98., .198., .298.) and study-right OIDs (1.2.246.562.15.).
void find_oids(std::string_view s, std::vector<Match>& out) {
  static constexpr std::string_view root = "1.2.246.562.";
  for (std::size_t p = s.find(root); p != std::string_view::npos; p = s.find(root, p + 1)) {
    std::size_t q = p + root.size();
    std::size_t n = q;
    while (n < s.size() && is_digit(s[n])) ++n;
    const std::string_view node = s.substr(q, n - q);
    PersonalKind kind;
    if (node == "24" || node == "98" || node == "198" || node == "298") kind = PersonalKind::person_oid;
    else if (node == "15") kind = PersonalKind::study_right_oid;
    else continue;
    std::size_t e = n;
    if (e < s.size() && s[e] == '.') {
      ++e;
      while (e < s.size() && is_digit(s[e])) ++e;
    }
    out.push_back({p, e, kind});
  }
}

// Finnish personal identity codes: DDMMYY, century sign, NNN, check character.
void find_identity_codes(std::string_view s, std::vector<Match>& out) {
  static constexpr std::string_view signs = "+-ABCDEFUVWXY";
  static constexpr std::string_view checks = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  for (std::size_t i = 0; i + 11 <= s.size(); ++i) {
    if (i > 0 && is_alnum(s[i - 1])) continue;
    bool ok = true;
    for (std::size_t k : {0, 1, 2, 3, 4, 5, 7, 8, 9})
      if (!is_digit(s[i + k])) ok = false;
    if (!ok || signs.find(s[i + 6]) == std::string_view::npos || checks.find(s[i + 10]) == std::string_view::npos)
      continue;
    if (i + 11 < s.size() && is_alnum(s[i + 11])) continue;
    const int day = (s[i] - '0') * 10 + (s[i + 1] - '0');
    const int month = (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    if (day < 1 || day > 31 || month < 1 || month > 12) continue;
    out.push_back({i, i + 11, PersonalKind::identity_code});
  }
}

std::vector<Match> find_patterns(std::string_view s) {
  std::vector<Match> m;
  find_emails(s, m);
  find_oids(s, m);
  find_identity_codes(s, m);
  std::sort(m.begin(), m.end(), [](const Match& a, const Match& b) { return a.begin < b.begin; });
  return m;
}

// The JSON escapes of a string token's content decoded (lenient: bad escapes are kept as they are).
std::string decode_string(std::string_view raw) {
  if (raw.find('\\') == std::string_view::npos) return std::string(raw);
  std::string quoted = "\"";
  quoted.append(raw);
  quoted += "\"";
  JsonDocument doc;
  if (doc.parse(quoted) && doc.root().is_string()) return std::string(doc.root().str());
  return std::string(raw);
}

// Number of UTF-8 characters in s.
std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The segments of an RFC 6901 pointer, unescaped.
std::vector<std::string> pointer_segments(std::string_view pointer) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < pointer.size() && pointer[i] == '/') {
    std::size_t end = pointer.find('/', i + 1);
    if (end == std::string_view::npos) end = pointer.size();
    std::string seg;
    for (std::size_t k = i + 1; k < end; ++k) {
      if (pointer[k] == '~' && k + 1 < end) {
        seg.push_back(pointer[k + 1] == '1' ? '/' : '~');
        ++k;
      } else {
        seg.push_back(pointer[k]);
      }
    }
    out.push_back(std::move(seg));
    i = end;
  }
  return out;
}

// Arguments that never carry document content: words, names of the model, counts.
bool structural_arg(std::string_view name) {
  static const std::set<std::string_view> names = {"expected", "actual", "operation", "entity", "pattern",
                                                   "koodisto", "snapshot", "count", "detail", "rule"};
  return names.count(name) > 0;
}

}  // namespace

std::string redacted_word(PersonalKind kind, Lang lang) {
  static const char* const prefix[] = {"poistettu", "borttaget", "redacted"};
  static const char* const kinds[7][3] = {
      {"nimi", "namn", "name"},
      {"sähköpostiosoite", "e-postadress", "e-mail address"},
      {"puhelinnumero", "telefonnummer", "phone number"},
      {"oppijanumero (OID)", "elevnummer (OID)", "learner OID"},
      {"opiskeluoikeuden OID", "studierättens OID", "study-right OID"},
      {"henkilötunnus", "personbeteckning", "personal identity code"},
      {"henkilötieto", "personuppgift", "personal data"}};
  const int l = static_cast<int>(lang);
  return std::string("«") + prefix[l] + ": " + kinds[static_cast<int>(kind)][l] + "»";
}

std::vector<std::pair<std::string, PersonalKind>> personal_fields(const Model& model) {
  std::vector<std::pair<std::string, PersonalKind>> out;
  auto add = [&](const std::string& key, PersonalKind kind) {
    for (const auto& [k, v] : out)
      if (k == key) return;
    out.emplace_back(key, kind);
  };
  auto ends_with = [](std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  };
  for (const Entity& e : model.entities()) {
    for (const Field& f : e.fields) {
      const std::string type = f.type ? f.type->name : "";
      if (type == "PID") add(f.key, PersonalKind::person_oid);
      else if (type == "OOID") add(f.key, PersonalKind::study_right_oid);
      else if (type == "phone" || f.key == "puhelinnumero") add(f.key, PersonalKind::phone);
      else if (f.key == "sahkoposti") add(f.key, PersonalKind::email);
      else if (f.key == "nimi" || ends_with(f.key, "-nimi")) add(f.key, PersonalKind::name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

bool word_char(unsigned char c) {
  return c >= 0x80 || is_alnum(static_cast<char>(c)) || c == '.' || c == '@' || c == '+' || c == '-' || c == '_' ||
         c == '\'';
}

// The words of a text (runs of letters, digits and . @ + - _ '), trimmed of . - ' at their ends.
template <class Fn>
void for_each_word(std::string_view s, Fn&& fn) {
  for (std::size_t i = 0; i < s.size();) {
    if (!word_char(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    std::size_t e = i;
    while (e < s.size() && word_char(static_cast<unsigned char>(s[e]))) ++e;
    std::size_t b = i, t = e;
    while (b < t && (s[b] == '.' || s[b] == '-' || s[b] == '\'')) ++b;
    while (t > b && (s[t - 1] == '.' || s[t - 1] == '-' || s[t - 1] == '\'')) --t;
    if (t > b) fn(b, t);
    i = e;
  }
}

// Whether a word of a personal value identifies enough to be masked wherever it occurs.
bool telling_word(std::string_view w) {
  if (w.size() < 3) return false;
  const bool numeric = w.find_first_not_of("0123456789+-") == std::string_view::npos;
  return !numeric || w.size() >= 5;
}

}  // namespace

PersonalData::PersonalData(std::string_view text, const Model& model) : text_(text), fields_(personal_fields(model)) {
  auto field_kind = [&](std::string_view key) -> std::optional<PersonalKind> {
    for (const auto& [k, kind] : fields_)
      if (k == key) return kind;
    return std::nullopt;
  };
  auto add_value = [&](const std::string& value, PersonalKind kind) {
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) return;
    values_.emplace(value, kind);
    for_each_word(value, [&](std::size_t b, std::size_t e) {
      const std::string_view w = std::string_view(value).substr(b, e - b);
      if (telling_word(w)) words_.emplace(std::string(w), kind);
    });
  };
  auto skip_ws = [&](std::size_t i) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
    return i;
  };
  struct Token {
    std::size_t begin, end;  // string content, inside the quotes
    bool masked;
  };
  std::vector<Token> strings;  // string tokens not masked as a whole, for the second pass
  // Containers: whether their content is personal (a value of a personal field) and of what kind.
  std::vector<std::optional<PersonalKind>> stack;
  std::optional<PersonalKind> pending;  // the key just read is a personal field
  std::size_t i = 0;
  while ((i = skip_ws(i)) < text.size()) {
    const char c = text[i];
    const std::optional<PersonalKind> inside = stack.empty() ? std::nullopt : stack.back();
    if (c == '"') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
      j = std::min(j, text.size());
      const std::string_view raw = text.substr(i + 1, j - i - 1);
      const std::string decoded = decode_string(raw);
      const std::size_t after = j < text.size() && text[j] == '"' ? j + 1 : j;
      const std::size_t next = skip_ws(after);
      const bool is_key = next < text.size() && text[next] == ':';
      const std::optional<PersonalKind> kind = is_key ? std::nullopt : pending ? pending : inside;
      if (kind) {
        spans_.push_back({i + 1, j, *kind});
        add_value(decoded, *kind);
      } else {
        const auto matches = find_patterns(decoded);
        const bool escaped = raw.find('\\') != std::string_view::npos;
        if (!escaped) {
          // Unescaped: the matches are at the same bytes of the source.
          for (const Match& m : matches) spans_.push_back({i + 1 + m.begin, i + 1 + m.end, m.kind});
        } else if (!matches.empty()) {
          spans_.push_back({i + 1, j, matches.front().kind});
        }
        for (const Match& m : matches) add_value(decoded.substr(m.begin, m.end - m.begin), m.kind);
        strings.push_back({i + 1, j, escaped && !matches.empty()});
      }
      if (is_key) {
        pending = inside ? inside : field_kind(decoded);
        i = next + 1;
      } else {
        pending.reset();
        i = after;
      }
      continue;
    }
    if (c == '{' || c == '[') {
      stack.push_back(pending ? pending : inside);
      pending.reset();
      ++i;
      continue;
    }
    if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      pending.reset();
      ++i;
      continue;
    }
    if (c == ',' || c == ':') {
      pending.reset();
      ++i;
      continue;
    }
    // A number, a literal or anything else up to the next delimiter.
    std::size_t j = i;
    while (j < text.size() && std::string_view(" \t\r\n,:[]{}\"").find(text[j]) == std::string_view::npos) ++j;
    const std::optional<PersonalKind> kind = pending ? pending : inside;
    if (kind) {
      spans_.push_back({i, j, *kind});
      add_value(std::string(text.substr(i, j - i)), *kind);
    }
    pending.reset();
    i = j;
  }
  // Second pass: personal values and their words wherever else they occur (a name copied into
  // another field, an OID in a free text).
  if (!values_.empty()) {
    for (const Token& t : strings) {
      if (t.masked) continue;
      const std::string_view raw = text.substr(t.begin, t.end - t.begin);
      const std::string decoded = decode_string(raw);
      if (auto v = values_.find(decoded); v != values_.end()) {
        spans_.push_back({t.begin, t.end, v->second});
        continue;
      }
      const bool escaped = raw.find('\\') != std::string_view::npos;
      bool any = false;
      for_each_word(decoded, [&](std::size_t b, std::size_t e) {
        const auto w = words_.find(decoded.substr(b, e - b));
        if (w == words_.end()) return;
        any = true;
        if (!escaped) spans_.push_back({t.begin + b, t.begin + e, w->second});
      });
      if (any && escaped) spans_.push_back({t.begin, t.end, PersonalKind::other});
    }
  }
  // Sorted and merged.
  std::sort(spans_.begin(), spans_.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (const Span& s : spans_) {
    if (!merged.empty() && s.begin < merged.back().end) merged.back().end = std::max(merged.back().end, s.end);
    else merged.push_back(s);
  }
  spans_ = std::move(merged);
}

std::string PersonalData::masked_text() const {
  std::string out;
  out.reserve(text_.size());
  std::size_t pos = 0;
  for (const Span& s : spans_) {
    out.append(text_.substr(pos, s.begin - pos));
    const std::size_t n = char_count(text_.substr(s.begin, s.end - s.begin));
    for (std::size_t k = 0; k < n; ++k) out += "\u2022";
    pos = s.end;
  }
  out.append(text_.substr(pos));
  return out;
}

void PersonalData::redact(std::vector<Finding>& findings, Lang lang) const {
  auto field_kind = [&](std::string_view key) -> std::optional<PersonalKind> {
    for (const auto& [k, kind] : fields_)
      if (k == key) return kind;
    return std::nullopt;
  };
  static constexpr std::string_view ellipsis = "\u2026";
  for (Finding& f : findings) {
    // A finding on a personal field (or inside one) echoes nothing of its value.
    std::optional<PersonalKind> at;
    for (const std::string& seg : pointer_segments(f.path))
      if (auto k = field_kind(seg)) at = k;
    for (auto& [name, value] : f.args) {
      if (structural_arg(name)) continue;
      if (at && name != "key") {
        value = redacted_word(*at, lang);
        continue;
      }
      // Echoes of personal values: whole, or cut short ("…") by the check that echoed them.
      std::string_view bare = value;
      const bool cut = bare.size() >= ellipsis.size() && bare.substr(bare.size() - ellipsis.size()) == ellipsis;
      if (cut) bare.remove_suffix(ellipsis.size());
      if (auto v = values_.find(std::string(bare)); v != values_.end()) {
        value = redacted_word(v->second, lang);
        continue;
      }
      // Words of personal values, and the patterns, inside the value.
      std::vector<Match> hits = find_patterns(value);
      for_each_word(value, [&, &text = value](std::size_t b, std::size_t e) {
        if (auto w = words_.find(text.substr(b, e - b)); w != words_.end()) hits.push_back({b, e, w->second});
      });
      if (cut && !words_.empty()) {
        // The last word may be a personal word cut short.
        std::size_t b = bare.size();
        while (b > 0 && word_char(static_cast<unsigned char>(bare[b - 1]))) --b;
        const std::string_view last = bare.substr(b);
        if (last.size() >= 2)
          for (const auto& [w, kind] : words_)
            if (w.size() > last.size() && w.compare(0, last.size(), last) == 0) {
              hits.push_back({b, bare.size(), kind});
              break;
            }
      }
      if (hits.empty()) continue;
      std::sort(hits.begin(), hits.end(), [](const Match& a, const Match& b) { return a.begin < b.begin; });
      std::string out;
      std::size_t pos = 0;
      for (const Match& m : hits) {
        if (m.begin < pos) continue;
        out.append(value, pos, m.begin - pos);
        out += redacted_word(m.kind, lang);
        pos = m.end;
      }
      out.append(value, pos, std::string::npos);
      value = std::move(out);
    }
  }
}

// ---- SourceLines -----------------------------------------------------------------------------------

SourceLines::SourceLines(std::string_view text, std::uint32_t first_line) : text_(text), first_line_(first_line) {
  starts_.push_back(0);
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) starts_.push_back(i + 1);
  if (starts_.size() > 1 && starts_.back() == text.size()) starts_.pop_back();  // after the final newline
}

Excerpt SourceLines::excerpt(std::uint32_t line, std::uint32_t column, std::uint32_t context) const {
  Excerpt e;
  if (line < first_line_ || line - first_line_ >= starts_.size()) return e;
  constexpr std::size_t width = 160, before = 60;  // characters shown of a long line
  const std::size_t target = line - first_line_;
  const std::size_t first = target >= context ? target - context : 0;
  const std::size_t last = std::min(starts_.size() - 1, static_cast<std::size_t>(target + context));
  // The same character window for every line keeps the columns aligned.
  const std::size_t skip = column > before + 1 ? column - 1 - before : 0;
  e.first_line = static_cast<std::uint32_t>(first + first_line_);
  e.mark = static_cast<std::uint32_t>(target - first);
  for (std::size_t k = first; k <= last; ++k) {
    const std::size_t b = starts_[k];
    std::size_t end = k + 1 < starts_.size() ? starts_[k + 1] - 1 : text_.size();
    if (end > b && text_[end - 1] == '\n') --end;
    if (end > b && text_[end - 1] == '\r') --end;
    const std::string_view row = text_.substr(b, end - b);
    // Cut to [skip, skip + width) characters, on character boundaries.
    std::size_t chars = 0, from = row.size(), to = row.size();
    for (std::size_t p = 0; p < row.size(); ++p) {
      if ((static_cast<unsigned char>(row[p]) & 0xC0) == 0x80) continue;
      if (chars == skip) from = p;
      if (chars == skip + width) {
        to = p;
        break;
      }
      ++chars;
    }
    if (skip == 0) from = 0;
    std::string shown;
    if (from > 0 && from <= row.size()) shown = "\u2026";
    if (from < row.size()) shown.append(row.substr(from, to - from));
    if (to < row.size()) shown += "\u2026";
    e.lines.push_back(std::move(shown));
  }
  if (column > 0) e.mark_column = static_cast<std::uint32_t>(column - skip + (skip > 0 ? 1 : 0));
  return e;
}

}  // namespace hoks
