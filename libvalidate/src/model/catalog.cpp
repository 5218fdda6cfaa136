#include "hoks/model/catalog.hpp"

#include "read/yaml_tree.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "hoks/model/model.hpp"
#include "hoks/model/suggest.hpp"

namespace hoks {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "info") return Severity::info;
  if (s == "warning") return Severity::warning;
  if (s == "error") return Severity::error;
  return std::nullopt;
}

std::string_view Finding::arg(std::string_view name) const {
  for (const auto& [k, v] : args)
    if (k == name) return v;
  return {};
}

std::optional<Lang> parse_lang(std::string_view s) {
  if (s == "fi") return Lang::fi;
  if (s == "sv") return Lang::sv;
  if (s == "en") return Lang::en;
  return std::nullopt;
}

std::string_view to_string(Lang lang) {
  static const char* names[] = {"fi", "sv", "en"};
  return names[static_cast<int>(lang)];
}

const std::string& Localized::in(Lang lang) const {
  const std::string& s = lang == Lang::fi ? fi : lang == Lang::sv ? sv : en;
  return s.empty() ? (fi.empty() ? en : fi) : s;
}

namespace {
Localized read_localized(const detail::YamlNode& n) {
  Localized l;
  if (!n || !n.IsMap()) return l;
  if (n["fi"]) l.fi = n["fi"].as<std::string>();
  if (n["sv"]) l.sv = n["sv"].as<std::string>();
  if (n["en"]) l.en = n["en"].as<std::string>();
  return l;
}
std::string scalar(const detail::YamlNode& n) { return n && n.IsScalar() && !n.IsNull() ? n.as<std::string>() : ""; }
}  // namespace

std::shared_ptr<const Catalog> Catalog::load(std::string_view yaml_text) {
  auto c = std::make_shared<Catalog>();
  const detail::YamlNode doc = detail::load_yaml(yaml_text);
  c->version_ = scalar(doc["ruleset"]);
  for (const auto& r : doc["rules"]) {
    Rule rule;
    rule.id = scalar(r["id"]);
    auto sev = parse_severity(scalar(r["severity"]));
    if (rule.id.empty() || !sev) throw std::runtime_error("rules.yaml: a rule lacks an id or a valid severity");
    rule.severity = *sev;
    rule.stage = scalar(r["stage"]);
    rule.ehoks = scalar(r["ehoks"]);
    if (const auto e = r["entity"]; e && e.IsSequence())
      for (const auto& name : e) rule.entities.push_back(name.as<std::string>());
    else if (!scalar(e).empty())
      rule.entities.push_back(scalar(e));
    rule.attachment = scalar(r["attachment"]);
    rule.field = scalar(r["field"]);
    if (const auto b = r["basis"]) {
      rule.basis_kind = scalar(b["kind"]);
      rule.basis_ref = scalar(b["ref"]);
      rule.law = scalar(b["law"]);
      rule.interpretation = b["interpretation"] && b["interpretation"].as<bool>();
    }
    rule.needs_context = r["needs-context"] && r["needs-context"].as<bool>();
    rule.from = scalar(r["from"]);
    rule.until = scalar(r["until"]);
    rule.title = read_localized(r["title"]);
    rule.message = read_localized(r["message"]);
    rule.hint = read_localized(r["hint"]);
    rule.rationale = read_localized(r["rationale"]);
    if (const auto cases = r["message-cases"]; cases && cases.IsMap())
      for (const auto& m : cases) rule.cases.emplace_back(m.first.as<std::string>(), read_localized(m.second));
    c->rules_.push_back(std::move(rule));
  }
  std::sort(c->rules_.begin(), c->rules_.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
  for (const Rule& r : c->rules_) {
    RuleTemplates& t = c->templates_.emplace_back();
    for (Lang lang : {Lang::fi, Lang::sv, Lang::en}) {
      t.message[static_cast<int>(lang)] = compile(r.message.in(lang));
      t.hint[static_cast<int>(lang)] = compile(r.hint.in(lang));
    }
    for (const auto& [name, text] : r.cases) {
      auto& compiled = t.cases.emplace_back();
      for (Lang lang : {Lang::fi, Lang::sv, Lang::en}) compiled[static_cast<int>(lang)] = compile(text.in(lang));
    }
  }
  for (const auto& w : doc["words"]) c->words_[w.first.as<std::string>()] = read_localized(w.second);
  for (const auto& w : doc["syntax-details"]) c->syntax_details_[w.first.as<std::string>()] = read_localized(w.second);
  return c;
}

const Catalog& Catalog::builtin() {
  static const std::shared_ptr<const Catalog> catalog = load(embedded_file("rules.yaml"));
  return *catalog;
}

Catalog::Catalog() {
  static std::atomic<std::uint64_t> catalogs{0};
  serial_ = ++catalogs;
}

const Rule* Catalog::find(std::string_view id) const {
  // A report asks for the rule of every finding two or three times, and a document's findings
  // come from a few rules: the thread's last four answers first (known by the catalog's serial,
  // not its address: a catalog at the address of a destroyed one is another catalog).
  struct Recent {
    std::uint64_t serial = 0;
    const Rule* rule = nullptr;
  };
  thread_local Recent recent[4];
  thread_local unsigned next = 0;
  for (const Recent& r : recent)
    if (r.serial == serial_ && r.rule->id == id) return r.rule;
  auto it = std::lower_bound(rules_.begin(), rules_.end(), id, [](const Rule& r, std::string_view v) { return r.id < v; });
  if (it == rules_.end() || it->id != id) return nullptr;
  recent[next++ % 4] = {serial_, &*it};
  return &*it;
}

std::vector<std::string> Catalog::select(std::string_view selector) const {
  std::vector<std::string> ids;
  const bool prefix = !selector.empty() && selector.back() == '*';
  const std::string_view stem = prefix ? selector.substr(0, selector.size() - 1) : selector;
  for (const Rule& r : rules_) {
    const bool match = prefix ? r.id.compare(0, stem.size(), stem) == 0
                       : selector == "ehoks" ? !r.ehoks.empty()
                       : selector == "quality" ? r.ehoks.empty()
                                               : r.id == selector;
    if (match) ids.push_back(r.id);
  }
  return ids;
}

std::string Catalog::unknown_rule(std::string_view selector) const {
  std::vector<std::string_view> names{"ehoks", "quality"};
  for (const Rule& r : rules_) names.push_back(r.id);
  const std::string near = closest_word(selector, names);
  return "unknown rule '" + std::string(selector) + "' (" + (near.empty() ? "" : "did you mean '" + near + "'? ") +
         "see hoks rules)";
}

std::string Catalog::word(std::string_view key, Lang lang) const {
  auto it = words_.find(key);
  return it == words_.end() ? std::string(key) : it->second.in(lang);
}

std::string Catalog::syntax_detail(std::string_view key, Lang lang) const {
  auto it = syntax_details_.find(key);
  return it == syntax_details_.end() ? std::string(key) : it->second.in(lang);
}

std::string detail::fill_template(std::string_view text, const std::vector<std::pair<std::string, std::string>>& args) {
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const std::size_t close = text.find('}', i);
      if (close != std::string_view::npos) {
        const std::string_view name = text.substr(i + 1, close - i - 1);
        const auto it = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        if (it != args.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// The same split as fill_template: `{name}` with no `{` inside is a placeholder (kept verbatim when the
// finding has no such argument); every other byte is literal.
Catalog::Template Catalog::compile(std::string_view text) {
  Template t;
  std::size_t literal = 0;
  auto flush = [&](std::size_t end) {
    if (end > literal) t.pieces.push_back({std::uint32_t(literal), std::uint32_t(end - literal), PieceKind::literal});
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    const std::size_t close = text.find('}', i);
    if (close == std::string_view::npos) break;
    if (text.substr(i + 1, close - i - 1).find('{') != std::string_view::npos) continue;
    flush(i);
    const std::string_view name = text.substr(i + 1, close - i - 1);
    const PieceKind kind = name == "expected" || name == "actual" || name == "operation" ? PieceKind::word
                           : name == "detail"                                          ? PieceKind::syntax_detail
                           : name == "suggestion"                                      ? PieceKind::suggestion
                                                                                       : PieceKind::value;
    t.pieces.push_back({std::uint32_t(i + 1), std::uint32_t(name.size()), kind});
    t.plain = false;
    literal = close + 1;
    i = close;
  }
  flush(text.size());
  return t;
}

void Catalog::fill(std::string& out, std::string_view text, const Template& t, const Finding& f, Lang lang) const {
  for (const Piece& p : t.pieces) {
    const std::string_view part = text.substr(p.begin, p.size);
    if (p.kind == PieceKind::literal) {
      out.append(part);
      continue;
    }
    const auto it = std::find_if(f.args.begin(), f.args.end(), [&](const auto& a) { return a.first == part; });
    if (it == f.args.end()) {
      out.push_back('{');
      out.append(part);
      out.push_back('}');
      continue;
    }
    const std::string& value = it->second;
    switch (p.kind) {
      case PieceKind::word: {  // a word of the catalog's, in the report's language
        const auto w = words_.find(value);
        out.append(w == words_.end() ? std::string_view(value) : std::string_view(w->second.in(lang)));
        break;
      }
      case PieceKind::syntax_detail: {
        const auto d = syntax_details_.find(value);
        out.append(d == syntax_details_.end() ? std::string_view(value) : std::string_view(d->second.in(lang)));
        break;
      }
      case PieceKind::suggestion:  // " Did you mean `key`?", or nothing
        if (value.empty()) break;
        out += ' ';
        out += word("did-you-mean", lang);
        out += " `";
        out += value;
        out += "`?";
        break;
      default: out.append(value);
    }
  }
}

void Catalog::append_message(std::string& out, const Finding& f, Lang lang) const {
  if (const Rule* rule = find(f.rule)) append_message(out, *rule, f, lang);
  else out += f.rule;
}

void Catalog::append_message(std::string& out, const Rule& rule, const Finding& f, Lang lang) const {
  const RuleTemplates& t = templates_[std::size_t(&rule - rules_.data())];
  const auto c = std::find_if(f.args.begin(), f.args.end(), [](const auto& a) { return a.first == "case"; });
  if (c != f.args.end())
    for (std::size_t k = 0; k < rule.cases.size(); ++k)
      if (rule.cases[k].first == c->second) return fill(out, rule.cases[k].second.in(lang), t.cases[k][int(lang)], f, lang);
  fill(out, rule.message.in(lang), t.message[int(lang)], f, lang);
}

void Catalog::append_hint(std::string& out, const Finding& f, Lang lang) const {
  if (const Rule* rule = find(f.rule))
    fill(out, rule->hint.in(lang), templates_[std::size_t(rule - rules_.data())].hint[int(lang)], f, lang);
}

std::vector<Catalog::MessagePiece> Catalog::message_pieces(const Rule& rule, int c, Lang lang) const {
  const RuleTemplates& t = templates_[std::size_t(&rule - rules_.data())];
  const auto k = static_cast<std::size_t>(c);
  const std::string_view text = c < 0 ? rule.message.in(lang) : rule.cases[k].second.in(lang);
  const Template& compiled = c < 0 ? t.message[int(lang)] : t.cases[k][int(lang)];
  std::vector<MessagePiece> pieces;
  for (const Piece& p : compiled.pieces) pieces.push_back({text.substr(p.begin, p.size), p.kind});
  return pieces;
}

const std::string* Catalog::plain_hint(std::string_view id, Lang lang) const {
  const Rule* rule = find(id);
  if (!rule || !templates_[std::size_t(rule - rules_.data())].hint[int(lang)].plain) return nullptr;
  return &rule->hint.in(lang);
}

std::string Catalog::message(const Finding& f, Lang lang) const {
  std::string out;
  append_message(out, f, lang);
  return out;
}

std::string Catalog::hint(const Finding& f, Lang lang) const {
  std::string out;
  append_hint(out, f, lang);
  return out;
}

}  // namespace hoks
