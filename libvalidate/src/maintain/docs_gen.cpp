#include "hoks/maintain/docs_gen.hpp"

#include "hoks/batch/batch.hpp"
#include "hoks/read/json.hpp"
#include "hoks/report/report.hpp"
#include "report/report_format.hpp"


#include <algorithm>
#include <sstream>

namespace hoks {
namespace {

// A page as blocks; inline text may hold `code` and [label](target.md) links.
struct Block {
  enum Kind { h1, h2, p, table, code, list } kind;
  std::string text;                           // h1, h2, p, code
  std::vector<std::vector<std::string>> rows; // table: the first row is the header
  std::vector<std::string> items;             // list
};
using Page = std::vector<Block>;

Block heading(std::string t, bool top = false) { return {top ? Block::h1 : Block::h2, std::move(t), {}, {}}; }
Block para(std::string t) { return {Block::p, std::move(t), {}, {}}; }
Block table(std::vector<std::vector<std::string>> rows) { return {Block::table, {}, std::move(rows), {}}; }
Block code(std::string t) { return {Block::code, std::move(t), {}, {}}; }
Block list(std::vector<std::string> items) { return {Block::list, {}, {}, std::move(items)}; }

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::string render_markdown(const Page& page) {
  std::string out;
  for (const Block& b : page) {
    switch (b.kind) {
      case Block::h1: out += "# " + b.text + "\n\n"; break;
      case Block::h2: out += "## " + b.text + "\n\n"; break;
      case Block::p: out += b.text + "\n\n"; break;
      case Block::code: out += "```json\n" + b.text + (b.text.empty() || b.text.back() == '\n' ? "" : "\n") + "```\n\n"; break;
      case Block::list:
        for (const auto& i : b.items) out += "- " + i + "\n";
        out += "\n";
        break;
      case Block::table:
        for (std::size_t r = 0; r < b.rows.size(); ++r) {
          out += "|";
          for (const auto& cell : b.rows[r]) {
            std::string c = one_line(cell);
            std::string escaped;
            for (char ch : c) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
            out += " " + escaped + " |";
          }
          out += "\n";
          if (r == 0) {
            out += "|";
            for (std::size_t k = 0; k < b.rows[0].size(); ++k) out += "---|";
            out += "\n";
          }
        }
        out += "\n";
        break;
    }
  }
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

std::string escape_html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Inline markup to HTML: `code`, [label](x.md) -> <a href="x.html">.
std::string inline_html(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '`') {
      const std::size_t close = s.find('`', i + 1);
      if (close != std::string_view::npos) {
        out += "<code>" + escape_html(s.substr(i + 1, close - i - 1)) + "</code>";
        i = close + 1;
        continue;
      }
    }
    if (s[i] == '[') {
      const std::size_t mid = s.find("](", i);
      const std::size_t close = mid == std::string_view::npos ? mid : s.find(')', mid);
      if (mid != std::string_view::npos && close != std::string_view::npos && s.substr(i, mid - i).find('\n') == std::string_view::npos) {
        std::string target(s.substr(mid + 2, close - mid - 2));
        if (target.size() > 3 && target.compare(target.size() - 3, 3, ".md") == 0) target.replace(target.size() - 3, 3, ".html");
        if (target == "README.html" || target.ends_with("/README.html")) target.replace(target.size() - 11, 6, "index");
        out += "<a href=\"" + escape_html(target) + "\">" + inline_html(s.substr(i + 1, mid - i - 1)) + "</a>";
        i = close + 1;
        continue;
      }
    }
    out += escape_html(s.substr(i, 1));
    ++i;
  }
  return out;
}

std::string render_html(const Page& page, const std::string& title) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape_html(title) +
      "</title>\n<style>body{font-family:sans-serif;max-width:75em;margin:2em auto;padding:0 1em;line-height:1.4}"
      "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .5em;vertical-align:top;text-align:left}"
      "code{background:#f3f3f3}pre{background:#f6f6f6;padding:.7em;overflow:auto}</style>\n</head>\n<body>\n";
  for (const Block& b : page) {
    switch (b.kind) {
      case Block::h1: out += "<h1>" + inline_html(b.text) + "</h1>\n"; break;
      case Block::h2: out += "<h2>" + inline_html(b.text) + "</h2>\n"; break;
      case Block::p: out += "<p>" + inline_html(b.text) + "</p>\n"; break;
      case Block::code: out += "<pre><code>" + escape_html(b.text) + "</code></pre>\n"; break;
      case Block::list:
        out += "<ul>\n";
        for (const auto& i : b.items) out += "<li>" + inline_html(i) + "</li>\n";
        out += "</ul>\n";
        break;
      case Block::table:
        out += "<table>\n";
        for (std::size_t r = 0; r < b.rows.size(); ++r) {
          out += "<tr>";
          for (const auto& cell : b.rows[r]) out += (r == 0 ? "<th>" : "<td>") + inline_html(cell) + (r == 0 ? "</th>" : "</td>");
          out += "</tr>\n";
        }
        out += "</table>\n";
        break;
    }
  }
  return out + "</body>\n</html>\n";
}

std::string presence_letter(Presence p) { return p == Presence::required ? "R" : p == Presence::optional ? "O" : "–"; }

// The type of a field, with links to entity pages (from a page in entities/).
std::string type_cell(const ValueType& t) {
  if (t.base == BaseType::object) return "[" + t.name + "](" + t.name + ".md)";
  if (t.base == BaseType::array) {
    const ValueType& item = *t.item;
    if (item.base == BaseType::object) return "lista / list of [" + item.name + "](" + item.name + ".md)";
    return "lista / list of " + type_cell(item);
  }
  if (t.name == "str" || t.name == "int" || t.name == "num" || t.name == "bool" || t.name == "date" || t.name == "inst" ||
      t.name == "uuid")
    return std::string(to_string(t.base));
  return t.name + " (" + std::string(to_string(t.base)) + ")";
}

std::string format_cell(const ValueType& t) {
  const ValueType& v = t.base == BaseType::array ? *t.item : t;
  std::vector<std::string> parts;
  if (v.pattern) parts.push_back("`" + v.pattern->source() + "`");
  if (v.base == BaseType::date) parts.push_back("YYYY-MM-DD");
  if (v.base == BaseType::instant) parts.push_back("ISO-8601");
  switch (v.check) {
    case ValueCheck::oid: parts.push_back("tarkiste / check digit"); break;
    case ValueCheck::y_tunnus: parts.push_back("Y-tunnuksen tarkiste / check digit"); break;
    case ValueCheck::phone: parts.push_back("`[-+0-9() ]`, ≤ 256"); break;
    case ValueCheck::non_empty: parts.push_back("ei tyhjä / not empty"); break;
    case ValueCheck::none: break;
  }
  if (v.minimum) parts.push_back("≥ " + std::to_string(static_cast<long long>(*v.minimum)));
  if (!v.koodisto.empty()) parts.push_back("koodisto " + v.koodisto);
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "; ") + p;
  return s;
}

std::string versions_having(const ModelVersions& versions, bool (*has)(const Model&, std::string_view), std::string_view name) {
  std::string s;
  for (const auto& v : versions.versions())
    if (has(versions.model(v.version), name)) s += (s.empty() ? "" : ", ") + v.version;
  return s;
}

Page entity_page(const Model& model, const Entity& e, const Catalog& catalog, const ModelVersions& versions) {
  Page page;
  page.push_back(heading(e.name + ": " + e.text.fi, true));
  page.push_back(para(e.text.fi + " / " + e.text.en));
  page.push_back(para("[Hakemisto / Index](../README.md) · Malli / model " + model.version() + " · Mallin versiot, joissa mukana / in model versions: " +
                      versions_having(versions, [](const Model& m, std::string_view n) { return m.find_entity(n) != nullptr; }, e.name)));
  std::vector<std::vector<std::string>> rows = {{"Avain / Key", "Tyyppi / Type", "create (POST)", "replace (PUT)",
                                                 "update (PATCH)", "read (GET)", "Muoto / Format", "Kuvaus", "Description"}};
  for (const Field& f : e.fields) {
    rows.push_back({"`" + f.key + "`", type_cell(*f.type), presence_letter(f.presence[0]), presence_letter(f.presence[1]),
                    presence_letter(f.presence[2]), presence_letter(f.presence[3]), format_cell(*f.type), f.text.fi, f.text.en});
  }
  page.push_back(heading("Kentät / Fields"));
  page.push_back(para("R = pakollinen / required, O = valinnainen / optional, – = ei sallittu / excluded (disallowed-key)."));
  page.push_back(table(std::move(rows)));
  std::vector<std::string> rules;
  for (const Rule& r : catalog.rules())
    if (std::find(r.entities.begin(), r.entities.end(), e.name) != r.entities.end())
      rules.push_back("[" + r.id + "](../rules/" + r.id + ".md)" + (r.field.empty() ? "" : " (`" + r.field + "`)"));
  page.push_back(heading("Säännöt / Rules"));
  if (rules.empty()) page.push_back(para("Vain rakenteen tarkistukset / structure checks only."));
  else page.push_back(list(std::move(rules)));
  return page;
}

std::string excerpt(const std::string& text) {
  constexpr int max_lines = 60;
  int lines = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && ++lines == max_lines) {
      const auto rest = std::count(text.begin() + static_cast<long>(i), text.end(), '\n');
      return text.substr(0, i + 1) + "… (" + std::to_string(rest) + " riviä lisää / more lines)\n";
    }
  return text;
}

void example(Page& page, const std::string& rule, const RuleFixtures* fx, const std::string& prefix, const char* title) {
  page.push_back(heading(title));
  const std::string* name = nullptr;
  const std::string* text = nullptr;
  if (fx)
    for (const auto& [file, content] : fx->files)
      if (file.rfind(prefix, 0) == 0 && file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0) {
        name = &file;
        text = &content;
        break;
      }
  if (!name) {
    page.push_back(para("Ei vielä esimerkkiä (`fixtures/rules/" + rule + "/" + prefix + "*.json`). / No example yet."));
    return;
  }
  std::string about = "`fixtures/rules/" + rule + "/" + *name + "`";
  const std::string options = fixture_options(fx->options_yaml, *name).written;
  about += options.empty() ? " (create, --today 2026-11-28)" : " — asetukset / options: `" + options + "`";
  page.push_back(para(about));
  page.push_back(code(excerpt(*text)));
}

std::string entity_links(const std::vector<std::string>& entities) {
  std::string out;
  for (const auto& e : entities) out += (out.empty() ? "" : ", ") + ("[" + e + "](../entities/" + e + ".md)");
  return out.empty() ? "–" : out;
}

// Where eHOKS evaluates the rule (rules.yaml `attachment`), in Finnish and English.
std::string attachment_text(const Rule& r) {
  if (r.attachment == "field")
    return "kentän `" + r.field + "` arvosta, vaikka muualla olisi virheitä / on the value of `" + r.field +
           "`, whatever fails elsewhere";
  if (r.attachment == "object")
    return "koko oliosta, kun mikään sen sisällä ei ole virheellinen / on the whole object, when nothing inside it fails";
  if (r.attachment == "value") return "yksittäisestä arvosta rakenteen tarkistuksessa / on one value, in the schema stage";
  if (r.attachment == "document") return "kerran asiakirjaa kohden / once per document";
  if (r.attachment == "text") return "lähtötekstistä / on the input text";
  if (r.attachment == "report") return "raportissa / by the report";
  return "–";
}

Page rule_page(const Rule& r, const Catalog& catalog, const ModelVersions& versions, const RuleFixtures* fx) {
  (void)catalog;
  Page page;
  page.push_back(heading("`" + r.id + "`: " + r.title.fi, true));
  page.push_back(para("[Hakemisto / Index](../README.md)"));
  std::string in_versions;
  for (const auto& v : versions.versions()) {
    const auto missing = versions.rules_not_in(v.version);
    if (std::find(missing.begin(), missing.end(), r.id) == missing.end()) in_versions += (in_versions.empty() ? "" : ", ") + v.version;
  }
  auto or_dash = [](const std::string& s) { return s.empty() ? std::string("–") : s; };
  auto yes_no = [](bool b) { return std::string(b ? "kyllä / yes" : "ei / no"); };
  page.push_back(table({{"", ""},
                        {"Tunniste / Id", "`" + r.id + "`"},
                        {"Vakavuus / Severity", std::string(to_string(r.severity))},
                        {"Vaihe / Stage", r.stage},
                        {"eHOKS", or_dash(r.ehoks)},
                        {"Kohde / Entity", entity_links(r.entities)},
                        {"Arvioidaan / Evaluated", attachment_text(r)},
                        {"Peruste / Basis", r.basis_kind + ": " + r.basis_ref},
                        {"Lainkohta / Legal reference", or_dash(r.law)},
                        {"Tulkinta / Interpretation", yes_no(r.interpretation)},
                        {"Tarvitsee KOSKI-tiedot / Needs the study right", yes_no(r.needs_context)},
                        {"Alkaen / From", or_dash(r.from)},
                        {"Asti / Until", or_dash(r.until)},
                        {"Mallin versiot / Model versions", or_dash(in_versions)}}));
  page.push_back(heading("Viestit / Messages"));
  page.push_back(table({{"", "fi", "sv", "en"},
                        {"Otsikko / Title", r.title.fi, r.title.sv, r.title.en},
                        {"Viesti / Message", r.message.fi, r.message.sv, r.message.en},
                        {"Korjausohje / Hint", r.hint.fi, r.hint.sv, r.hint.en}}));
  page.push_back(heading("Perustelu / Rationale"));
  page.push_back(para(r.rationale.fi));
  page.push_back(para(r.rationale.en));
  example(page, r.id, fx, "fail-", "Esimerkki, joka laukaisee säännön / Triggering example");
  example(page, r.id, fx, "pass-", "Esimerkki, joka ei laukaise sääntöä / Passing example");
  return page;
}

Page index_page(const Model& model, const Catalog& catalog, const ModelVersions& versions) {
  Page page;
  page.push_back(heading("HOKS-tietomallin ja sääntöjen viite / HOKS model and rule reference", true));
  page.push_back(para("Tuotettu komennolla `hoks docs` mallista, sääntöluettelosta, muutoslokista ja sääntöjen esimerkeistä; älä muokkaa käsin. / "
                      "Generated by `hoks docs` from the model, the rule catalog, the changelog and the rule fixtures; do not edit."));
  const ModelVersion& current = versions.current();
  page.push_back(para("Malli / model " + model.version() + " (voimassa / effective " + current.effective + "), sääntöjoukko / rule set " +
                      catalog.version() + "."));
  page.push_back(heading("Rakenteet / Entities"));
  std::vector<std::vector<std::string>> rows = {{"Rakenne / Entity", "Kuvaus", "Description", "Kenttiä / Fields"}};
  for (const Entity& e : model.entities())
    rows.push_back({"[" + e.name + "](entities/" + e.name + ".md)", e.text.fi, e.text.en, std::to_string(e.fields.size())});
  page.push_back(table(std::move(rows)));
  page.push_back(heading("Säännöt / Rules"));
  std::vector<std::vector<std::string>> rrows = {{"Sääntö / Rule", "Vakavuus / Severity", "Vaihe / Stage", "Otsikko", "Title"}};
  for (const Rule& r : catalog.rules())
    rrows.push_back({"[" + r.id + "](rules/" + r.id + ".md)", std::string(to_string(r.severity)), r.stage, r.title.fi, r.title.en});
  page.push_back(table(std::move(rrows)));
  page.push_back(heading("Mallin versiot / Model versions"));
  std::vector<std::vector<std::string>> vrows = {{"Versio / Version", "Voimassa / Effective", "Sääntöjoukko / Rule set", "Muutokset / Changes"}};
  for (const auto& v : versions.versions()) {
    std::string changes;
    for (const auto& c : v.changes) changes += (changes.empty() ? "" : "; ") + c.key();
    vrows.push_back({v.version, v.effective, v.ruleset, v.summary.fi + " / " + v.summary.en + (changes.empty() ? "" : " (" + changes + ")")});
  }
  page.push_back(table(std::move(vrows)));
  return page;
}

}  // namespace

std::map<std::string, std::string> reference_docs(const Model& model, const Catalog& catalog,
                                                  const ModelVersions& versions, const RuleFixtureSet& fixtures) {
  std::map<std::string, std::string> out;
  auto add = [&](const std::string& md_path, const Page& page, const std::string& title) {
    out[md_path] = render_markdown(page);
    std::string html = md_path.substr(0, md_path.size() - 3) + ".html";
    if (html == "README.html") html = "index.html";
    out["html/" + html] = render_html(page, title);
  };
  add("README.md", index_page(model, catalog, versions), "HOKS reference");
  for (const Entity& e : model.entities()) add("entities/" + e.name + ".md", entity_page(model, e, catalog, versions), e.name);
  for (const Rule& r : catalog.rules()) {
    auto it = fixtures.find(r.id);
    add("rules/" + r.id + ".md", rule_page(r, catalog, versions, it == fixtures.end() ? nullptr : &it->second), r.id);
  }
  return out;
}

// ---- hoks rules, hoks explain ---------------------------------------------------------------------

std::string render_rule_list(const Catalog& catalog, bool json, Lang lang) {
  std::string out;
  if (json) {
    out = "{\"ruleset\": ";
    detail::append_json_string(out, catalog.version());
    out += ", \"rules\": [";
    bool first = true;
    for (const auto& r : catalog.rules()) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      out += "{\"id\": ";
      detail::append_json_string(out, r.id);
      out += ", \"severity\": ";
      detail::append_json_string(out, to_string(r.severity));
      out += ", \"stage\": ";
      detail::append_json_string(out, r.stage);
      out += ", \"ehoks\": ";
      detail::append_json_string(out, r.ehoks);
      out += ", \"needs_context\": ";
      out += r.needs_context ? "true" : "false";
      out += ", \"title\": ";
      detail::append_json_string(out, r.title.in(lang));
      out += "}";
    }
    return out + "\n]}\n";
  }
  for (const auto& r : catalog.rules()) {
    std::string sev(severity_name(r.severity, lang));
    std::size_t width = 0;  // display width: code points
    for (const unsigned char c : sev) width += (c & 0xC0) != 0x80;
    sev.append(9 - std::min<std::size_t>(9, width), ' ');
    std::string id = r.id;
    if (id.size() < 28) id.resize(28, ' ');
    out += id + " " + sev + (r.needs_context ? "ctx " : "    ") + r.title.in(lang) + "\n";
  }
  return out;
}

namespace {
// The first finding of `rule` in its fail-1.json fixture, with the lines around it.
std::string example(const Rule& rule, Lang lang, const RuleFixtures* fixtures, const std::filesystem::path& context_dir) {
  if (!fixtures) return {};
  const auto file = fixtures->files.find("fail-1.json");
  if (file == fixtures->files.end()) return {};
  const std::string& text = file->second;
  const FixtureContext context(fixture_options(fixtures->options_yaml, "fail-1.json"), context_dir);
  std::vector<DocumentReport> reports;
  validate_text(Validator(), "fail-1.json", text, context.validation(), reports);
  for (const auto& r : reports) {
    for (const auto& f : r.findings) {
      if (f.rule != rule.id) continue;
      ReportOptions ro;
      ro.lang = lang;
      std::string out = "  fixtures/rules/" + rule.id + "/fail-1.json:" + std::to_string(f.location.line) + ":" +
                        std::to_string(f.location.column) + " " + (f.path.empty() ? "/" : f.path) + "\n";
      // Up to two lines before and after the finding.
      std::size_t line = 1, pos = 0;
      while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        if (line + 2 >= f.location.line && line <= f.location.line + 2) {
          out += (line == f.location.line ? "  > " : "    ") + std::to_string(line) + " | " + text.substr(pos, end - pos) + "\n";
        }
        pos = end + 1;
        ++line;
      }
      out += "  => " + finding_message(f, Catalog::builtin(), ro) + "\n";
      return out;
    }
  }
  return {};
}

// `text` with each {placeholder} named as <placeholder> (what the document fills in).
std::string named_placeholders(std::string text) {
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    text[open] = '<';
    text[close] = '>';
  }
  return text;
}

}  // namespace

std::string render_rule_explanation(const Rule& rule, Lang lang, const RuleFixtures* fixtures,
                                    const std::filesystem::path& context_dir) {
  const Rule* r = &rule;
  static const char* const labels[3][10] = {
      {"Vakavuus", "Peruste", "Mitä", "Miksi", "Korjaus", "Tarvitsee opiskeluoikeuden", "Esimerkki", "Voimassa",
       "tulkinta", "<…> täyttyy asiakirjan tiedoista"},
      {"Allvarlighet", "Grund", "Vad", "Varför", "Åtgärd", "Kräver studierätten", "Exempel", "Gäller", "tolkning",
       "<…> fylls i från dokumentet"},
      {"Severity", "Basis", "What", "Why", "Fix", "Needs the study right", "Example", "Applies", "interpretation",
       "<…> is filled in from the document"}};
  const auto& l = labels[static_cast<int>(lang)];
  std::string out = r->id + ": " + r->title.in(lang) + "\n\n";
  out += std::string(l[0]) + ": " + std::string(severity_name(r->severity, lang)) + "\n";
  out += std::string(l[1]) + ": " + r->basis_kind + (r->ehoks.empty() ? "" : " " + r->ehoks) +
         (r->law.empty() ? "" : "; " + r->law) + (r->basis_ref.empty() ? "" : " (" + r->basis_ref + ")") +
         (r->interpretation ? std::string(" [") + l[8] + "]" : std::string()) + "\n";
  if (!r->from.empty() || !r->until.empty()) out += std::string(l[7]) + ": " + r->from + " … " + r->until + "\n";
  if (r->needs_context) out += std::string(l[5]) + ": --opiskeluoikeus\n";
  // The message with its placeholders named (the example below shows one filled in).
  const std::string what = named_placeholders(r->message.in(lang));
  out += std::string("\n") + l[2] + ":\n  " + what + "\n";
  if (what != r->message.in(lang)) out += std::string("  (") + l[9] + ")\n";
  out += std::string("\n") + l[3] + ":\n  " + r->rationale.in(lang) + "\n";
  if (const std::string ex = example(*r, lang, fixtures, context_dir); !ex.empty()) out += std::string("\n") + l[6] + ":\n" + ex;
  out += std::string("\n") + l[4] + ":\n  " + named_placeholders(r->hint.in(lang)) + "\n";
  return out;
}


}  // namespace hoks
