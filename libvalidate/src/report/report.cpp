#include "hoks/report/report.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <mutex>
#include <optional>
#include <set>
#include <unordered_set>
#include <sstream>

#include "check/rule_ids.hpp"
#include "report/report_format.hpp"

namespace hoks {

using namespace std::string_view_literals;

bool Summary::limit_hit() const {
  return not_checked > 0 || std::any_of(rules.begin(), rules.end(), [](const RuleCount& r) {
           return r.rule == detail::name(detail::RuleId::limit_exceeded);
         });
}
namespace detail {

// ---- SpillBuffer --------------------------------------------------------------------------------

SpillBuffer::~SpillBuffer() {
  if (file_) std::fclose(file_);
}

void SpillBuffer::append(std::string_view bytes) {
  memory_.append(bytes);
  if (memory_.size() < limit_) return;
  if (!file_) file_ = std::tmpfile();
  if (!file_) return;  // no temporary file: keep it in memory
  if (std::fwrite(memory_.data(), 1, memory_.size(), file_) != memory_.size())
    throw std::runtime_error("cannot write the report's temporary file");
  file_bytes_ += memory_.size();
  memory_.clear();
}

template <class Sink>
void SpillBuffer::drain(Sink&& sink) {
  if (file_ && file_bytes_ > 0) {
    std::fflush(file_);
    std::rewind(file_);
    std::string chunk(1 << 16, '\0');
    std::size_t n;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), file_)) > 0) sink(std::string_view(chunk.data(), n));
    std::fclose(file_);
    file_ = nullptr;
    file_bytes_ = 0;
  }
  sink(std::string_view(memory_));
  memory_.clear();
}

void SpillBuffer::drain_to(std::ostream& out) {
  drain([&](std::string_view s) { out.write(s.data(), static_cast<std::streamsize>(s.size())); });
}

void SpillBuffer::drain_to(SpillBuffer& out) {
  drain([&](std::string_view s) { out.append(s); });
}

// ---- shared helpers -----------------------------------------------------------------------------

namespace {
// The index of the first byte at or after i that XML text cannot copy as it is (markup, a
// control, any non-ASCII byte), or s.size(): sixteen bytes at a time (SSE2), then eight, then one.
std::size_t next_xml_special(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i controls = _mm_set1_epi8(0x1F);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(v, controls), v);
    for (const char c : {'&', '<', '>', '"', '\''}) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
    if (const int m = _mm_movemask_epi8(hit) | _mm_movemask_epi8(v))
      return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(m)));
  }
#endif
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const auto zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  for (; i + 8 <= s.size(); i += 8) {  // the mask's lowest bit is exact (borrows only run upwards)
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const std::uint64_t m = zero(w ^ (ones * '&')) | zero(w ^ (ones * '<')) | zero(w ^ (ones * '>')) |
                            zero(w ^ (ones * '"')) | zero(w ^ (ones * '\'')) | ((w - ones * 0x20) & ~w & highs) | (w & highs);
    if (m != 0) return i + static_cast<std::size_t>(__builtin_ctzll(m)) / 8;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') return i;
  }
  return i;
}
}  // namespace

void append_xml_escaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t run = next_xml_special(s, i); run > i) {  // a run that needs no escape, copied at once
      out.append(s.data() + i, run - i);
      i = run;
      if (i >= s.size()) break;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"sv; break;
        case '<': out += "&lt;"sv; break;
        case '>': out += "&gt;"sv; break;
        case '"': out += "&quot;"sv; break;
        case '\'': out += "&#39;"sv; break;
        default:
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "\xEF\xBF\xBD"sv;
          else out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence is copied; anything else becomes U+FFFD.
    std::size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    bool ok = len > 0 && i + len <= s.size();
    std::uint32_t cp = len == 4 ? c & 0x07 : len == 3 ? c & 0x0F : c & 0x1F;
    for (std::size_t k = 1; ok && k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)) ||
               (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
      ok = false;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD"sv;
      ++i;
    }
  }
}

namespace {
// FNV-1a, 64 bits, from a given basis.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}
}  // namespace

void append_fingerprint(std::string& out, const DocumentReport& doc, const Finding& f, std::size_t occurrence) {
  // The hashes of "source \0 index \0 rule \0 path \0 occurrence", fed in parts.
  char index[20], count[20];
  const std::string_view parts[] = {doc.source, {index, std::size_t(std::to_chars(index, index + 20, doc.index).ptr - index)},
                                    f.rule, f.path,
                                    {count, std::size_t(std::to_chars(count, count + 20, occurrence).ptr - count)}};
  const auto hash = [&](std::uint64_t h) {
    for (std::size_t k = 0; k < std::size(parts); ++k) {
      if (k > 0) h = fnv1a(std::string_view("\0", 1), h);
      h = fnv1a(parts[k], h);
    }
    return h;
  };
  const std::uint64_t a = hash(0xcbf29ce484222325ULL);
  const std::uint64_t b = hash(a ^ 0x9e3779b97f4a7c15ULL);
  static const char hex[] = "0123456789abcdef";
  char buf[32];
  for (int k = 0; k < 16; ++k) {
    buf[k] = hex[(a >> (60 - 4 * k)) & 15];
    buf[16 + k] = hex[(b >> (60 - 4 * k)) & 15];
  }
  out.append(buf, sizeof buf);
}

std::string fingerprint(const DocumentReport& doc, const Finding& f, std::size_t occurrence) {
  std::string out;
  append_fingerprint(out, doc, f, occurrence);
  return out;
}

std::string identity_phrase(const DocumentReport& doc, const ReportOptions& options) {
  std::string out;
  auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += ", "sv;
    out += name;
    out += ' ';
    out += value;
  };
  add("id", doc.id);
  if (!options.redact) {
    add("opiskeluoikeus-oid", doc.opiskeluoikeus_oid);
    add("oppija-oid", doc.oppija_oid);
  }
  return out;
}

void append_identity_json(std::string& out, const DocumentReport& doc, const ReportOptions& options) {
  auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    out += ", \""sv;
    out += name;
    out += "\": "sv;
    detail::append_json_string(out, value);
  };
  add("id", doc.id);
  if (!options.redact) {
    add("opiskeluoikeus_oid", doc.opiskeluoikeus_oid);
    add("oppija_oid", doc.oppija_oid);
  }
}

std::string_view severity_word(Severity s, Lang lang) {
  static const char* const words[3][3] = {{"huomio", "varoitus", "virhe"},
                                          {"info", "varning", "fel"},
                                          {"info", "warning", "error"}};
  return words[static_cast<int>(lang)][static_cast<int>(s)];
}

std::string count_phrase(std::size_t errors, std::size_t warnings, std::size_t infos, Lang lang) {
  // [lang][severity][plural]
  static const char* const words[3][3][2] = {
      {{"huomio", "huomiota"}, {"varoitus", "varoitusta"}, {"virhe", "virhettä"}},
      {{"info", "infor"}, {"varning", "varningar"}, {"fel", "fel"}},
      {{"info", "infos"}, {"warning", "warnings"}, {"error", "errors"}}};
  const auto& w = words[static_cast<int>(lang)];
  std::string out;
  auto add = [&](std::size_t n, int sev) {
    if (n == 0) return;
    if (!out.empty()) out += ", "sv;
    out += std::to_string(n) + " " + w[sev][n == 1 ? 0 : 1];
  };
  add(errors, 2);
  add(warnings, 1);
  add(infos, 0);
  return out;
}

std::string omitted_phrase(const Summary& s, Lang lang) {
  static const char* const left_out[] = {"pois jätettiin ", "utelämnade: ", "left out: "};
  return left_out[static_cast<int>(lang)] + count_phrase(s.omitted[2], s.omitted[1], s.omitted[0], lang);
}

namespace {

// ---- text -----------------------------------------------------------------------------------------

struct Words {
  const char* path;
  const char* hint;
  const char* hint_above;  // "{rule}": the hint is at the rule's first finding
  const char* document;
  const char* documents;
  const char* valid;
  const char* errors;
  const char* warnings;
  const char* infos;
  const char* partial;     // "{shown} of {total}"
  const char* suppressed;  // "{n}"
  const char* not_checked; // "{n}"
  const char* table[4];    // count, severity, rule, title
};

const Words& words(Lang lang) {
  static const Words fi{"polku",    "ohje",         "katso ensimmäinen [{rule}]-löydös yllä", "dokumentti", "dokumenttia",
                        "kelvollisia", "virheitä",  "varoituksia", "huomioita",
                        "raportti on osittainen: näytetään {shown}/{total} löydöstä (--max-findings)",
                        "perustaso (baseline) piilotti {n} löydöstä",
                        "{n} dokumenttia jäi tarkistamatta, koska raja --max-documents tuli vastaan (raja, ei virhe aineistossa)",
                        {"määrä", "vakavuus", "sääntö", "otsikko"}};
  static const Words sv{"sökväg",  "råd",         "se det första [{rule}]-fyndet ovan", "dokument", "dokument",
                        "giltiga", "fel",         "varningar", "infor",
                        "rapporten är ofullständig: visar {shown} av {total} fynd (--max-findings)",
                        "baslinjen (baseline) dolde {n} fynd",
                        "{n} dokument kontrollerades inte eftersom gränsen --max-documents nåddes (en gräns, inte ett fel i datan)",
                        {"antal", "allvarlighet", "regel", "titel"}};
  static const Words en{"path",  "hint",   "see the first [{rule}] finding above", "document", "documents",
                        "valid", "errors", "warnings", "infos",
                        "the report is partial: showing {shown} of {total} findings (--max-findings)",
                        "the baseline hid {n} findings",
                        "{n} documents were not checked because the --max-documents limit was reached (a limit, not a defect in the data)",
                        {"count", "severity", "rule", "title"}};
  return lang == Lang::fi ? fi : lang == Lang::sv ? sv : en;
}

// Display width of UTF-8 text: its code points.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// In rendered text, a line "\x01rule\x02hint\n" stands for a hint that document() prints at the
// rule's first finding of the report and replaces by a reference later.
constexpr char hint_mark = '\x01', hint_sep = '\x02';

class TextWriter final : public FormatWriter {
 public:
  TextWriter(std::ostream& out, const Catalog& catalog, const ReportOptions& options, bool concise)
      : out_(out), catalog_(catalog), options_(options), concise_(concise) {}

  std::string render(const DocumentReport& r, const DocumentExtras& extras, std::size_t shown) const override {
    if (options_.detail != TextDetail::findings) return {};
    const Words& w = words(options_.lang);
    const char* bold = options_.color ? "\033[1m" : "";
    const char* reset = options_.color ? "\033[0m" : "";
    std::string out;
    // A document of a collection with findings is headed by what it says of itself.
    if (shown > 0 && extras.in_collection && !concise_)
      if (const std::string who = identity_phrase(r, options_); !who.empty())
        out += std::string(bold) + r.source + ": " + w.document + " " + std::to_string(r.index) + ": " + who + reset + "\n";
    for (std::size_t i = 0; i < shown; ++i) {
      const Finding& f = r.findings[i];
      const char* colour = !options_.color ? ""
                           : f.severity == Severity::error   ? "\033[1;31m"
                           : f.severity == Severity::warning ? "\033[1;35m"
                                                             : "\033[1;36m";
      out += bold;
      out += finding_file(r, f);
      if (f.location.line) {
        out += ':';
        append_number(out, f.location.line);
        out += ':';
        append_number(out, f.location.column);
      }
      out += ": "sv;
      out += reset;
      out += colour;
      out += severity_word(f.severity, options_.lang);
      out += '[';
      out += f.rule;
      out += ']';
      out += reset;
      out += concise_ ? " " : ": ";
      const std::size_t message = out.size();
      catalog_.append_message(out, f, options_.lang);
      // The marker never comes from the data (nor line breaks in concise lines): found with memchr.
      for (const char c : concise_ ? std::string_view("\n\r") : std::string_view(&hint_mark, 1))
        for (char* p = out.data() + message; (p = static_cast<char*>(std::memchr(p, c, std::size_t(out.data() + out.size() - p))));)
          *p++ = ' ';
      out += '\n';
      if (concise_) continue;
      if (i < extras.excerpts.size()) append_excerpt(out, extras.excerpts[i]);
      out += "  "sv;
      out += w.path;
      out += ": "sv;
      out += f.path.empty() ? "/" : f.path;
      if (!f.location.header.empty()) {
        out += " ("sv;
        out += f.location.header;
        out += ')';
      }
      if (extras.in_collection) {
        out += " ("sv;
        out += w.document;
        out += ' ';
        append_number(out, r.index);
        out += ')';
      }
      out += '\n';
      if (options_.hints == HintMode::none) continue;
      const std::string hint = catalog_.hint(f, options_.lang);
      if (hint.empty()) continue;
      if (options_.hints == HintMode::all) {
        out += std::string("  ") + w.hint + ": " + hint + "\n";
      } else {
        out += hint_mark;
        out += f.rule;
        out += hint_sep;
        out += hint;
        out += "\n"sv;
      }
    }
    return out;
  }

  // --format full: the finding's source line with a caret under its column, as clang shows it.
  static void append_excerpt(std::string& out, const Excerpt& e) {
    if (e.first_line == 0 || e.mark >= e.lines.size()) return;
    const std::string number = std::to_string(e.first_line + e.mark);
    std::string line = e.lines[e.mark];
    for (char& c : line)
      if (c == '\t') c = ' ';
    out += "  " + number + " | " + line + "\n";
    out += "  " + std::string(number.size(), ' ') + " | ";
    if (e.mark_column > 0) out += std::string(e.mark_column - 1, ' ') + "^";
    out += "\n"sv;
  }

  void document(const DocumentReport&, const DocumentExtras&, std::size_t, std::string_view rendered) override {
    if (rendered.find(hint_mark) == std::string_view::npos) {
      out_ << rendered;
      return;
    }
    const Words& w = words(options_.lang);
    std::string out;
    out.reserve(rendered.size());
    for (std::size_t p = 0; p < rendered.size();) {
      std::size_t nl = rendered.find('\n', p);
      nl = nl == std::string_view::npos ? rendered.size() : nl + 1;
      const std::string_view line = rendered.substr(p, nl - p);
      p = nl;
      if (line.empty() || line[0] != hint_mark) {
        out += line;
        continue;
      }
      const std::size_t sep = line.find(hint_sep);
      const std::string_view rule = line.substr(1, sep - 1), hint = line.substr(sep + 1);
      if (hinted_.insert(std::string(line.substr(1))).second) {
        out += std::string("  ") + w.hint + ": ";
        out += hint;
      } else {  // on the path line: "  path: /x (hint: see the first [rule] finding above)"
        if (!out.empty() && out.back() == '\n') out.pop_back();
        out += std::string(" (") + w.hint + ": " + detail::fill_template(w.hint_above, {{"rule", std::string(rule)}}) + ")\n";
      }
    }
    out_ << out;
  }

  void finish(const Summary& s) override {
    const Words& w = words(options_.lang);
    std::string out;
    if (options_.detail == TextDetail::statistics ? !s.rules.empty()
                                                  : options_.detail == TextDetail::findings && !concise_ && s.rules.size() > 1)
      out += (options_.detail == TextDetail::findings && s.shown > 0 ? "\n" : "") + table(s);
    out += std::to_string(s.documents) + " " + (s.documents == 1 ? w.document : w.documents) + ": " +
                      w.valid + " " + std::to_string(s.valid) + ", " + w.errors + " " + std::to_string(s.errors) +
                      ", " + w.warnings + " " + std::to_string(s.warnings) + ", " + w.infos + " " +
                      std::to_string(s.infos) + "\n";
    if (options_.detail != TextDetail::totals) {
      if (s.suppressed > 0) out += "(" + detail::fill_template(w.suppressed, {{"n", std::to_string(s.suppressed)}}) + ")\n";
      if (s.partial())
        out += "(" + detail::fill_template(w.partial, {{"shown", std::to_string(s.shown)}, {"total", std::to_string(s.findings())}}) +
               "; " + omitted_phrase(s, options_.lang) + ")\n";
    }
    if (s.not_checked > 0) out += "(" + detail::fill_template(w.not_checked, {{"n", std::to_string(s.not_checked)}}) + ")\n";
    out_ << out;
  }

 private:
  // The per-rule table: count, severity, rule id and title, in columns.
  std::string table(const Summary& s) const {
    const Words& w = words(options_.lang);
    std::vector<std::array<std::string, 4>> rows;
    rows.push_back({w.table[0], w.table[1], w.table[2], w.table[3]});
    for (const auto& r : s.rules) {
      const Rule* rule = catalog_.find(r.rule);
      rows.push_back({std::to_string(r.count), std::string(severity_word(r.severity, options_.lang)), r.rule,
                      rule ? rule->title.in(options_.lang) : std::string()});
    }
    std::size_t cols[3] = {0, 0, 0};
    for (const auto& row : rows)
      for (int c = 0; c < 3; ++c) cols[c] = std::max(cols[c], width(row[c]));
    std::string out;
    for (const auto& row : rows) {
      out += std::string(cols[0] - width(row[0]), ' ') + row[0];  // counts right-aligned
      for (int c = 1; c < 3; ++c) out += "  " + row[c] + std::string(cols[c] - width(row[c]), ' ');
      out += "  " + row[3];
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += "\n"sv;
    }
    return out;
  }

  std::ostream& out_;
  const Catalog& catalog_;
  const ReportOptions& options_;
  bool concise_;
  std::unordered_set<std::string> hinted_;  // rule and hint text already printed
};

// ---- json -----------------------------------------------------------------------------------------

class JsonWriter final : public FormatWriter {
 public:
  JsonWriter(std::ostream& out, const Catalog& catalog, const ReportOptions& options)
      : out_(out), catalog_(catalog), options_(options) {
    // Each rule's hint without placeholders, its finding's first keys and its messages' literal
    // text, escaped once for the whole report.
    for (const Rule& r : catalog.rules()) {
      std::string& head = rule_heads_.emplace_back("{\"rule\": ");
      detail::append_json_string(head, r.id);
      head += ", \"severity\": \""sv;
      auto& h = plain_hints_.emplace_back();
      if (const std::string* hint = catalog.plain_hint(r.id, options.lang)) {
        h.emplace();
        if (!hint->empty()) {
          *h = ", \"hint\": ";
          detail::append_json_string(*h, *hint);
        }
      }
    }
    compiled_.resize(catalog.rules().size());
    compiled_once_ = std::make_unique<std::once_flag[]>(catalog.rules().size());
    std::string head = "{\"tool\": {\"name\": \"hoks\", \"version\": ";
    detail::append_json_string(head, options.tool_version);
    head += ", \"ruleset\": "sv;
    detail::append_json_string(head, options.ruleset);
    head += "},\n \"documents\": ["sv;
    out_ << head;
  }

  // A rule's message in the report's language, for the findings whose placeholders take their
  // values as they are (else the catalog fills it): literal pieces escaped once, and what follows
  // the message up to the line number.
  struct Message {
    struct Part {
      std::string text;      // a literal's escaped text, or a placeholder's `{name}` escaped (its value missing)
      std::string name;      // a placeholder's name ("" for a literal)
    };
    std::vector<Part> parts;
    std::size_t literal = 0;  // bytes of the parts' texts
    bool fast = false;        // no word, syntax detail or suggestion placeholder, and a plain hint
    std::string tail;         // `", "hint": "…", "location": {"line": ` (the message's closing quote first)
  };
  static std::string escaped_chars(std::string_view s) {
    std::string e;
    detail::append_json_string(e, s);
    return e.substr(1, e.size() - 2);
  }
  static Message compile_message(const std::vector<Catalog::MessagePiece>& pieces, const std::optional<std::string>& hint) {
    Message m;
    m.fast = hint.has_value();
    for (const Catalog::MessagePiece& piece : pieces) {
      if (piece.kind == Catalog::PieceKind::literal) {
        m.parts.push_back({escaped_chars(piece.text), ""});
      } else {
        if (piece.kind != Catalog::PieceKind::value) m.fast = false;
        m.parts.push_back({escaped_chars("{" + std::string(piece.text) + "}"), std::string(piece.text)});
      }
      m.literal += m.parts.back().text.size();
    }
    if (m.parts.size() > max_parts) m.fast = false;
    m.tail = "\"" + hint.value_or("") + ", \"location\": {\"line\": ";
    return m;
  }
  static constexpr std::size_t max_parts = 16;

  std::string render(const DocumentReport& r, const DocumentExtras&, std::size_t shown) const override {
    std::string out = "{\"source\": ";
    detail::append_json_string(out, r.source);
    out += ", \"index\": "sv;
    append_number(out, r.index);
    out += ", \"line\": "sv;
    append_number(out, r.line);
    out += ", \"operation\": "sv;
    detail::append_json_string(out, to_string(r.operation));
    append_identity_json(out, r, options_);
    out += ", \"valid\": "sv;
    out += r.valid() ? "true" : "false";
    if (shown < r.findings.size()) out += ", \"findings_omitted\": " + std::to_string(r.findings.size() - shown);
    out += ",\n   \"findings\": ["sv;
    // Room for the findings at the size of the last document's (a thread's documents are alike).
    thread_local std::size_t finding_bytes = 400;
    const std::size_t findings_start = out.size();
    out.reserve(out.size() + finding_bytes * shown + 16);
    thread_local std::string message, head, hint;
    for (std::size_t i = 0; i < shown; ++i) {
      const Finding& f = r.findings[i];
      const Rule* rule = catalog_.find(f.rule);
      const std::size_t k = rule ? std::size_t(rule - catalog_.rules().data()) : 0;
      if (rule && put_fast(out, i, *rule, k, f)) continue;
      const std::string* rule_head = rule ? &rule_heads_[k] : &head;
      if (!rule) {
        head = "{\"rule\": "sv;
        detail::append_json_string(head, f.rule);
        head += ", \"severity\": \""sv;
      }
      message.clear();
      if (rule) catalog_.append_message(message, *rule, f, options_.lang);
      else catalog_.append_message(message, f, options_.lang);
      const std::string* plain = rule && plain_hints_[k] ? &*plain_hints_[k] : nullptr;
      if (!plain) {
        hint.clear();
        std::string text;
        catalog_.append_hint(text, f, options_.lang);
        if (!text.empty()) {
          hint = ", \"hint\": "sv;
          detail::append_json_string(hint, text);
        }
        plain = &hint;
      }
      // The finding written straight into room made for its longest form (every byte escaped).
      const auto escaped = [](const std::string& s) { return 2 + 6 * s.size(); };
      const std::size_t room = 160 + rule_head->size() + escaped(f.path) + escaped(message) + plain->size() +
                               escaped(f.location.file) + escaped(f.location.header);
      // Into a scratch buffer, then appended: resized in `out`, the room would grow the document's
      // text to twice or more what it holds while it waits to be written.
      thread_local std::string scratch;
      if (scratch.size() < room) scratch.resize(room);
      char* const start = scratch.data();
      char* p = start;
      const auto put = [&p](std::string_view s) {
        std::memcpy(p, s.data(), s.size());
        p += s.size();
      };
      const auto number = [&p](std::uint32_t n) { p = std::to_chars(p, p + 10, n).ptr; };
      put(i == 0 ? "\n    "sv : ",\n    "sv);
      put(*rule_head);
      put(to_string(f.severity));
      put("\", \"path\": "sv);
      p = detail::put_json_string(p, f.path);
      put(", \"message\": "sv);
      p = detail::put_json_string(p, message);
      put(*plain);
      put(", \"location\": {\"line\": "sv);
      number(f.location.line);
      put(", \"column\": "sv);
      number(f.location.column);
      p = put_location_end(p, f.location);
      out.append(start, std::size_t(p - start));
    }
    if (shown > 0) finding_bytes = (out.size() - findings_start) / shown + 8;
    out += shown == 0 ? "]}" : "\n   ]}";
    return out;
  }

  // Writes a finding's location from its file on (file and header when given) and closes it.
  static char* put_location_end(char* p, const Location& location) {
    const auto put = [&p](std::string_view text) {
      std::memcpy(p, text.data(), text.size());
      p += text.size();
    };
    if (!location.file.empty()) {
      put(", \"file\": "sv);
      p = detail::put_json_string(p, location.file);
    }
    if (!location.header.empty()) {
      put(", \"header\": "sv);
      p = detail::put_json_string(p, location.header);
    }
    put("}}"sv);
    return p;
  }

  // Writes finding i of `rule` (its index k) with the rule's compiled message; false (nothing
  // written) when its message needs the catalog.
  bool put_fast(std::string& out, std::size_t i, const Rule& rule, std::size_t k, const Finding& f) const {
    // A rule's messages are compiled at its first finding (all of them at start-up cost a small
    // report more than its findings), once for every thread.
    Compiled& compiled = compiled_[k];
    std::call_once(compiled_once_[k], [&] {
      for (const Severity sev : {Severity::info, Severity::warning, Severity::error})
        compiled.heads[int(sev)] = rule_heads_[k] + std::string(to_string(sev)) + "\", \"path\": ";
      for (int c = -1; c < int(rule.cases.size()); ++c)
        compiled.messages.push_back(compile_message(catalog_.message_pieces(rule, c, options_.lang), plain_hints_[k]));
    });
    const std::vector<Message>& messages = compiled.messages;
    const Message* m = &messages[0];
    if (!rule.cases.empty()) {  // the case the finding's `case` argument names, as Catalog::append_message
      const auto c = std::find_if(f.args.begin(), f.args.end(), [](const auto& a) { return a.first == "case"; });
      if (c != f.args.end())
        for (std::size_t n = 0; n < rule.cases.size(); ++n)
          if (rule.cases[n].first == c->second) {
            m = &messages[n + 1];
            break;
          }
    }
    if (!m->fast) return false;
    // Each placeholder's value (nullptr: the finding lacks it, the `{name}` is shown).
    const std::string* values[max_parts];
    std::size_t room = 180 + compiled.heads[int(f.severity)].size() + 6 * f.path.size() + m->literal + m->tail.size() +
                       6 * f.location.file.size() + 6 * f.location.header.size();
    for (std::size_t n = 0; n < m->parts.size(); ++n) {
      const Message::Part& part = m->parts[n];
      values[n] = nullptr;
      if (part.name.empty()) continue;
      for (const auto& [name, value] : f.args)
        if (name == part.name) {
          values[n] = &value;
          room += 6 * value.size();
          break;
        }
    }
    thread_local std::string scratch;
    if (scratch.size() < room) scratch.resize(room);
    char* const start = scratch.data();
    char* p = start;
    const auto put = [&p](std::string_view s) {
      std::memcpy(p, s.data(), s.size());
      p += s.size();
    };
    put(i == 0 ? "\n    "sv : ",\n    "sv);
    put(compiled.heads[int(f.severity)]);
    p = detail::put_json_string(p, f.path);
    put(", \"message\": \""sv);
    for (std::size_t n = 0; n < m->parts.size(); ++n) {
      if (values[n]) p = detail::put_json_chars(p, *values[n]);
      else put(m->parts[n].text);
    }
    put(m->tail);
    p = std::to_chars(p, p + 10, f.location.line).ptr;
    put(", \"column\": "sv);
    p = std::to_chars(p, p + 10, f.location.column).ptr;
    p = put_location_end(p, f.location);
    out.append(start, std::size_t(p - start));
    return true;
  }

  void document(const DocumentReport&, const DocumentExtras&, std::size_t, std::string_view rendered) override {
    out_ << (first_doc_ ? "\n  " : ",\n  ") << rendered;
    first_doc_ = false;
  }

  void finish(const Summary& s) override {
    std::string out = first_doc_ ? "],\n" : "\n ],\n";
    out += " \"summary\": {\"rules\": ["sv;  // first: the totals stay at the end of the report
    for (std::size_t i = 0; i < s.rules.size(); ++i) {
      const RuleCount& r = s.rules[i];
      out += i == 0 ? "\n   {\"rule\": " : ",\n   {\"rule\": ";
      detail::append_json_string(out, r.rule);
      out += ", \"severity\": \"" + std::string(to_string(r.severity)) + "\", \"count\": " + std::to_string(r.count) +
             ", \"title\": ";
      const Rule* rule = catalog_.find(r.rule);
      detail::append_json_string(out, rule ? rule->title.in(options_.lang) : std::string());
      out += "}"sv;
    }
    out += s.rules.empty() ? "],\n  " : "\n  ],\n  ";
    out += "\"documents\": " + std::to_string(s.documents) + ", \"valid\": " + std::to_string(s.valid) +
           ", \"errors\": " + std::to_string(s.errors) + ", \"warnings\": " + std::to_string(s.warnings) +
           ", \"infos\": " + std::to_string(s.infos) + ", \"findings\": " + std::to_string(s.findings()) +
           ", \"shown\": " + std::to_string(s.shown) + ", \"partial\": " + (s.partial() ? "true" : "false") +
           ", \"suppressed\": " + std::to_string(s.suppressed) + ", \"failed\": " + (s.failed ? "true" : "false") +
           ", \"fail_on\": \"" + std::string(to_string(options_.fail_on)) + "\", \"redacted\": " +
           (options_.redact ? "true" : "false") + ", \"lang\": \"" + std::string(to_string(options_.lang)) + "\"";
    if (s.not_checked > 0) out += ", \"not_checked\": " + std::to_string(s.not_checked);
    if (s.partial())
      out += ", \"omitted\": {\"errors\": " + std::to_string(s.omitted[2]) + ", \"warnings\": " +
             std::to_string(s.omitted[1]) + ", \"infos\": " + std::to_string(s.omitted[0]) + "}";
    out += "}}\n"sv;
    out_ << out;
  }

 private:
  std::ostream& out_;
  const Catalog& catalog_;
  const ReportOptions& options_;
  // Per rule of the catalog: `, "hint": "..."` ("" for no hint), or none when its hint has placeholders.
  std::vector<std::optional<std::string>> plain_hints_;
  std::vector<std::string> rule_heads_;  // per rule: `{"rule": "<id>", "severity": "`
  struct Compiled {
    std::array<std::string, 3> heads;  // per severity: `{"rule": …, "severity": "…", "path": `
    std::vector<Message> messages;     // the rule's message, then its cases' (Rule::cases)
  };
  mutable std::vector<Compiled> compiled_;  // per rule, made at its first finding (compiled_once_)
  mutable std::unique_ptr<std::once_flag[]> compiled_once_;
  bool first_doc_ = true;
};

}  // namespace

std::unique_ptr<FormatWriter> make_text_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options,
                                               bool concise) {
  return std::make_unique<TextWriter>(out, catalog, options, concise);
}
std::unique_ptr<FormatWriter> make_json_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options) {
  return std::make_unique<JsonWriter>(out, catalog, options);
}

}  // namespace detail

std::string_view severity_name(Severity s, Lang lang) { return detail::severity_word(s, lang); }

// ---- public API -------------------------------------------------------------------------------------

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  static const std::pair<std::string_view, ReportFormat> names[] = {
      {"text", ReportFormat::text},     {"json", ReportFormat::json},     {"junit", ReportFormat::junit},
      {"sarif", ReportFormat::sarif},   {"github", ReportFormat::github}, {"gitlab", ReportFormat::gitlab},
      {"html", ReportFormat::html},     {"concise", ReportFormat::concise}, {"full", ReportFormat::full}};
  for (const auto& [n, f] : names)
    if (n == name) return f;
  return std::nullopt;
}

std::string_view to_string(ReportFormat format) {
  static const char* const names[] = {"text", "json", "junit", "sarif", "github", "gitlab", "html", "concise", "full"};
  return names[static_cast<int>(format)];
}

std::string finding_message(const Finding& f, const Catalog& catalog, const ReportOptions& options) {
  return catalog.message(f, options.lang);
}

RenderedFinding render_finding(const Finding& f, Lang lang, const Catalog& catalog) {
  const Rule* rule = catalog.find(f.rule);
  return {rule ? rule->title.in(lang) : f.rule, catalog.message(f, lang), catalog.hint(f, lang)};
}

namespace {
// The findings of each rule at each severity, in the order first met.
using RuleTally = std::vector<RuleCount>;

void count_rules(RuleTally& tally, const DocumentReport& doc) {
  RuleCount* last = nullptr;  // the entry of the finding before
  for (const auto& f : doc.findings) {
    if (!last || last->severity != f.severity || last->rule != f.rule) {
      last = nullptr;
      for (RuleCount& r : tally)
        if (r.severity == f.severity && r.rule == f.rule) last = &r;
      if (!last) last = &tally.emplace_back(RuleCount{f.rule, f.severity, 0});
    }
    ++last->count;
  }
}

// By count (most first), severity (highest first), rule id.
std::vector<RuleCount> rule_counts(const RuleTally& tally) {
  std::vector<RuleCount> rules = tally;
  std::sort(rules.begin(), rules.end(), [](const RuleCount& a, const RuleCount& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.rule < b.rule;
  });
  return rules;
}
}  // namespace

namespace {
// ---- documents kept for --max-findings (bytes in a SpillBuffer) ----

void put(std::string& out, std::uint32_t n) { out.append(reinterpret_cast<const char*>(&n), sizeof n); }
void put(std::string& out, std::string_view s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

struct Reader {
  std::string_view in;
  std::uint32_t u32() {
    std::uint32_t n;
    std::memcpy(&n, in.data(), sizeof n);
    in.remove_prefix(sizeof n);
    return n;
  }
  std::string str() {
    const std::uint32_t n = u32();
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
};

void save(std::string& out, const DocumentReport& d, const DocumentExtras& e) {
  for (const std::string* s : {&d.source, &d.id, &d.opiskeluoikeus_oid, &d.oppija_oid}) put(out, *s);
  for (std::uint32_t n : {d.index, d.line, std::uint32_t(d.operation), d.not_checked, std::uint32_t(d.findings.size())}) put(out, n);
  for (const Finding& f : d.findings) {
    for (const std::string* s : {&f.rule, &f.path, &f.location.header, &f.location.file}) put(out, *s);
    for (std::uint32_t n : {std::uint32_t(f.severity), f.location.line, f.location.column, f.offset, std::uint32_t(f.args.size())})
      put(out, n);
    for (const auto& [k, v] : f.args) put(out, k), put(out, v);
  }
  for (std::size_t n : {e.suppressed, std::size_t(e.in_collection), e.excerpts.size()}) put(out, std::uint32_t(n));
  for (const Excerpt& x : e.excerpts) {
    for (std::uint32_t n : {x.first_line, x.mark, x.mark_column, std::uint32_t(x.lines.size())}) put(out, n);
    for (const auto& l : x.lines) put(out, l);
  }
}

void load(Reader& r, DocumentReport& d, DocumentExtras& e) {
  for (std::string* s : {&d.source, &d.id, &d.opiskeluoikeus_oid, &d.oppija_oid}) *s = r.str();
  d.index = r.u32();
  d.line = r.u32();
  d.operation = static_cast<Operation>(r.u32());
  d.not_checked = r.u32();
  d.findings.resize(r.u32());
  for (Finding& f : d.findings) {
    for (std::string* s : {&f.rule, &f.path, &f.location.header, &f.location.file}) *s = r.str();
    f.severity = static_cast<Severity>(r.u32());
    f.location.line = r.u32();
    f.location.column = r.u32();
    f.offset = r.u32();
    f.args.resize(r.u32());
    for (auto& [k, v] : f.args) k = r.str(), v = r.str();
  }
  e.suppressed = r.u32();
  e.in_collection = r.u32() != 0;
  e.excerpts.resize(r.u32());
  for (Excerpt& x : e.excerpts) {
    x.first_line = r.u32();
    x.mark = r.u32();
    x.mark_column = r.u32();
    x.lines.resize(r.u32());
    for (auto& l : x.lines) l = r.str();
  }
}

// Puts the findings `keep` picks first (in report order), the others after them, with their
// excerpts; returns how many it picked.
template <class Keep>
std::size_t pick_first(DocumentReport& d, DocumentExtras& e, Keep keep) {
  std::vector<std::size_t> order(d.findings.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto split = std::stable_partition(order.begin(), order.end(), [&](std::size_t i) { return keep(d.findings[i]); });
  std::vector<Finding> findings;
  std::vector<Excerpt> excerpts;
  for (std::size_t i : order) {
    findings.push_back(std::move(d.findings[i]));
    if (i < e.excerpts.size()) excerpts.push_back(std::move(e.excerpts[i]));
  }
  d.findings = std::move(findings);
  if (!e.excerpts.empty()) e.excerpts = std::move(excerpts);
  return static_cast<std::size_t>(split - order.begin());
}
}  // namespace

struct ReportWriter::Impl {
  std::unique_ptr<detail::FormatWriter> format;
  ReportOptions options;
  Summary summary;
  RuleTally rules;
  detail::SpillBuffer kept;    // --max-findings: the documents, each "length, save()", until finish()
  bool context_noted = false;  // context-missing was reported: a run says it once
  bool finished = false;
  void replay();
};

// --max-findings: the first N errors of the run, then its first warnings and infos up to N in all.
void ReportWriter::Impl::replay() {
  Summary& s = summary;
  const std::size_t totals[3] = {s.infos, s.warnings, s.errors};
  std::size_t room = options.max_findings, cap[3], seen[3] = {};
  for (int sev = 2; sev >= 0; --sev) {
    cap[sev] = std::min(room, totals[sev]);
    room -= cap[sev];
    s.omitted[sev] = totals[sev] - cap[sev];
  }
  std::string pending;
  DocumentReport doc;
  DocumentExtras extras;
  kept.drain([&](std::string_view bytes) {
    pending.append(bytes);
    Reader r{pending};
    while (r.in.size() >= 4) {
      std::uint32_t n;
      std::memcpy(&n, r.in.data(), sizeof n);
      if (r.in.size() < 4 + std::size_t(n)) break;
      r.u32();
      Reader one{r.in.substr(0, n)};
      r.in.remove_prefix(n);
      load(one, doc, extras);
      const std::size_t shown = pick_first(doc, extras, [&](const Finding& f) {
        const int sev = static_cast<int>(f.severity);
        return seen[sev]++ < cap[sev];
      });
      s.shown += shown;
      format->document(doc, extras, shown, format->render(doc, extras, shown));
    }
    pending.erase(0, pending.size() - r.in.size());
  });
}

ReportWriter::ReportWriter(ReportFormat format, std::ostream& out, const Catalog& catalog, const ReportOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  const ReportOptions& o = impl_->options;
  switch (format) {
    case ReportFormat::text:
    case ReportFormat::full: impl_->format = detail::make_text_writer(out, catalog, o, false); break;
    case ReportFormat::concise: impl_->format = detail::make_text_writer(out, catalog, o, true); break;
    case ReportFormat::json: impl_->format = detail::make_json_writer(out, catalog, o); break;
    case ReportFormat::junit: impl_->format = detail::make_junit_writer(out, catalog, o); break;
    case ReportFormat::sarif: impl_->format = detail::make_sarif_writer(out, catalog, o); break;
    case ReportFormat::github: impl_->format = detail::make_github_writer(out, catalog, o); break;
    case ReportFormat::gitlab: impl_->format = detail::make_gitlab_writer(out, catalog, o); break;
    case ReportFormat::html: impl_->format = detail::make_html_writer(out, catalog, o); break;
  }
}

ReportWriter::~ReportWriter() = default;

void ReportWriter::add(const DocumentReport& doc, const DocumentExtras& extras) {
  add(doc, extras, std::string_view{}, std::size_t(-1));
}

RenderedDocument ReportWriter::render(const DocumentReport& doc, const DocumentExtras& extras) const {
  if (impl_->options.max_findings > 0) return {};
  return {impl_->format->render(doc, extras, doc.findings.size()), doc.findings.size()};
}

void ReportWriter::add(const DocumentReport& given, const DocumentExtras& given_extras, std::string_view rendered,
                       std::size_t rendered_shown) {
  // context-missing is about the run (no study right given), so only its first finding is kept.
  const auto is_note = [](const Finding& f) { return f.rule == "context-missing"; };
  const auto note = std::find_if(given.findings.begin(), given.findings.end(), is_note);
  std::optional<DocumentReport> copy;
  std::optional<DocumentExtras> copy_extras;
  if (note != given.findings.end() && impl_->context_noted) {
    copy = given;
    copy_extras = given_extras;
    const auto at = static_cast<std::size_t>(note - given.findings.begin());
    copy->findings.erase(copy->findings.begin() + static_cast<std::ptrdiff_t>(at));
    if (at < copy_extras->excerpts.size()) copy_extras->excerpts.erase(copy_extras->excerpts.begin() + static_cast<std::ptrdiff_t>(at));
    rendered_shown = std::size_t(-1);  // rendered again
  }
  if (note != given.findings.end()) impl_->context_noted = true;
  const DocumentReport& doc = copy ? *copy : given;
  const DocumentExtras& extras = copy_extras ? *copy_extras : given_extras;
  Summary& s = impl_->summary;
  ++s.documents;
  if (doc.valid()) ++s.valid;
  s.not_checked += doc.not_checked;
  count_rules(impl_->rules, doc);
  for (const auto& f : doc.findings) {
    if (f.severity == Severity::error) ++s.errors;
    else if (f.severity == Severity::warning) ++s.warnings;
    else ++s.infos;
    if (f.severity >= impl_->options.fail_on) s.failed = true;
  }
  s.suppressed += extras.suppressed;
  if (impl_->options.max_findings > 0) {  // which findings show is known at the end of the run
    std::string record;
    save(record, doc, extras);
    std::string length;
    put(length, static_cast<std::uint32_t>(record.size()));
    impl_->kept += length;
    impl_->kept += record;
    return;
  }
  const std::size_t shown = doc.findings.size();
  s.shown += shown;
  if (rendered_shown != shown) {
    impl_->format->document(doc, extras, shown, impl_->format->render(doc, extras, shown));
    return;
  }
  impl_->format->document(doc, extras, shown, rendered);
}

void ReportWriter::finish() {
  if (impl_->finished) return;
  impl_->finished = true;
  impl_->summary.rules = rule_counts(impl_->rules);
  if (impl_->options.max_findings > 0) impl_->replay();
  impl_->format->finish(impl_->summary);
}

const Summary& ReportWriter::summary() const { return impl_->summary; }

const ReportOptions& ReportWriter::options() const { return impl_->options; }

std::string render_report(ReportFormat format, const std::vector<DocumentReport>& reports, const Catalog& catalog,
                          const ReportOptions& options) {
  std::set<std::string_view> multi;  // sources with more than one document
  for (const auto& r : reports)
    if (r.index > 0) multi.insert(r.source);
  std::ostringstream out;
  ReportWriter writer(format, out, catalog, options);
  DocumentExtras extras;
  for (const auto& r : reports) {
    extras.in_collection = multi.count(r.source) > 0;
    writer.add(r, extras);
  }
  writer.finish();
  return std::move(out).str();
}

std::string render_text(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options) {
  return render_report(ReportFormat::text, reports, catalog, options);
}

std::string render_json(const std::vector<DocumentReport>& reports, const Catalog& catalog, const ReportOptions& options) {
  return render_report(ReportFormat::json, reports, catalog, options);
}

}  // namespace hoks
