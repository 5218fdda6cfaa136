// The html report: one self-contained page (no network resources) for people who are not
// programmers: a summary, a table of the documents (failing first; sortable, "only failing"), each
// document's findings grouped by severity and rule with a source excerpt (failing documents
// first), the rules with their hints once, and filters by severity and rule. Findings travel as
// compact JSON in each document's section; the inline script renders a section when it comes into
// view (all at once in a small report), so that a 20,000-document page stays small and quick.
#include <algorithm>
#include <map>

#include "report/report_format.hpp"

namespace hoks::detail {
namespace {

struct HtmlTexts {
  const char* title;
  const char* summary;
  const char* documents;
  const char* valid_documents;
  const char* failed_documents;
  const char* errors;
  const char* warnings;
  const char* infos;
  const char* all_passed;
  const char* some_failed;   // {n}
  const char* partial;       // {shown} {total}
  const char* suppressed;    // {n}
  const char* redacted;
  const char* filters;
  const char* severity;
  const char* rule;
  const char* shown;         // {shown} {total}
  const char* document;
  const char* line;
  const char* column;
  const char* path;
  const char* how_to_fix;
  const char* valid;
  const char* omitted;       // {n}
  const char* no_script;
  const char* ruleset;
  const char* fail_on;
  const char* all;
  const char* none;
  const char* file;
  const char* only_failing;
  const char* sort_hint;
  const char* rules;
};

const HtmlTexts& texts(Lang lang) {
  static const HtmlTexts fi{
      "HOKS-tarkistusraportti",
      "Yhteenveto",
      "Dokumentit",
      "Hyväksyttävät dokumentit",
      "Hylättävät dokumentit",
      "Virheet",
      "Varoitukset",
      "Huomiot",
      "Kaikki dokumentit läpäisivät tarkistuksen.",
      "{n} dokumenttia ei läpäissyt tarkistusta.",
      "Raportti on osittainen: näytetään {shown}/{total} löydöstä (--max-findings). Yhteismäärät koskevat kaikkia löydöksiä.",
      "Perustaso (baseline) piilotti {n} aiemmin hyväksyttyä löydöstä.",
      "Henkilötiedot on poistettu raportista.",
      "Suodata löydöksiä",
      "Vakavuus",
      "Sääntö",
      "Näytetään {shown}/{total} löydöstä",
      "dokumentti",
      "rivi",
      "sarake",
      "polku",
      "Näin korjaat",
      "kunnossa",
      "{n} löydöstä jätettiin pois (--max-findings).",
      "JavaScript ei ole käytössä: yhteenveto, dokumenttitaulukko ja säännöt näkyvät, mutta löydökset ja suodattimet tarvitsevat JavaScriptin (tai käytä muotoa --format text tai json).",
      "sääntöjoukko",
      "hylkäävä vakavuus",
      "kaikki",
      "ei mitään",
      "Tiedosto",
      "vain hylättävät",
      "Järjestä napsauttamalla sarakkeen otsikkoa.",
      "Säännöt"};
  static const HtmlTexts sv{
      "HOKS-granskningsrapport",
      "Sammanfattning",
      "Dokument",
      "Godtagbara dokument",
      "Dokument som underkänns",
      "Fel",
      "Varningar",
      "Infor",
      "Alla dokument klarade granskningen.",
      "{n} dokument klarade inte granskningen.",
      "Rapporten är ofullständig: visar {shown} av {total} fynd (--max-findings). Totalerna gäller alla fynd.",
      "Baslinjen (baseline) dolde {n} tidigare godkända fynd.",
      "Personuppgifterna har tagits bort ur rapporten.",
      "Filtrera fynd",
      "Allvarlighetsgrad",
      "Regel",
      "Visar {shown} av {total} fynd",
      "dokument",
      "rad",
      "kolumn",
      "sökväg",
      "Så här rättar du",
      "i ordning",
      "{n} fynd utelämnades (--max-findings).",
      "JavaScript är avstängt: sammanfattningen, dokumenttabellen och reglerna visas, men fynden och filtren kräver JavaScript (eller använd --format text eller json).",
      "regeluppsättning",
      "underkännande allvarlighetsgrad",
      "alla",
      "inga",
      "Fil",
      "endast de som underkänns",
      "Sortera genom att klicka på en kolumnrubrik.",
      "Regler"};
  static const HtmlTexts en{
      "HOKS validation report",
      "Summary",
      "Documents",
      "Documents that pass",
      "Documents that fail",
      "Errors",
      "Warnings",
      "Infos",
      "All documents passed the check.",
      "{n} documents did not pass the check.",
      "The report is partial: showing {shown} of {total} findings (--max-findings). The totals count every finding.",
      "The baseline hid {n} previously accepted findings.",
      "Personal data has been removed from this report.",
      "Filter findings",
      "Severity",
      "Rule",
      "Showing {shown} of {total} findings",
      "document",
      "line",
      "column",
      "path",
      "How to fix",
      "OK",
      "{n} findings left out (--max-findings).",
      "JavaScript is off: the summary, the table of documents and the rules are shown, but the findings and filters need JavaScript (or use --format text or json).",
      "rule set",
      "failing severity",
      "all",
      "none",
      "File",
      "only failing",
      "Sort by clicking a column header.",
      "Rules"};
  return lang == Lang::fi ? fi : lang == Lang::sv ? sv : en;
}

const char* const css = R"CSS(
:root{--err:#b00020;--warn:#8a5a00;--info:#0b5394;--ok:#1e7b34;--bg:#f6f7f9;--line:#d8dce3}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:var(--bg);color:#1b1f24}
header.top,main,section.summary,section.filters,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header.top{padding-top:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
.meta{color:#555;margin:0 0 1rem}
section.summary,section.filters,article.doc{background:#fff;border:1px solid var(--line);border-radius:8px;margin:1rem auto;padding:1rem}
.verdict{font-size:1.2rem;font-weight:600;margin:.25rem 0 .75rem}
.verdict.ok{color:var(--ok)}.verdict.fail{color:var(--err)}
table.totals{border-collapse:collapse}
table.totals th{text-align:left;font-weight:normal;padding:.2rem 1.5rem .2rem 0}
table.totals td{font-weight:600;text-align:right}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4rem .75rem;margin:.5rem 0}
fieldset{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.5rem .75rem}
label.filter{display:inline-block;margin:.15rem 1rem .15rem 0;cursor:pointer}
button.bulk{margin:0 .5rem .25rem 0;font:inherit;font-size:.85rem}
#shown-count{font-weight:600}
article.doc h3{font-size:1.05rem;margin:0 0 .5rem;word-break:break-all}
article.doc.ok{padding:.4rem 1rem}
article.doc.ok h3{margin:0;font-weight:normal}
.status{display:inline-block;width:1.4rem;font-weight:700}
.fail>h3 .status{color:var(--err)}.ok>h3 .status{color:var(--ok)}
.sub{color:#555;font-weight:normal;font-size:.9rem}
.counts{font-weight:normal;font-size:.9rem;margin-left:.5rem}
section.doctable{max-width:72rem;background:#fff;border:1px solid var(--line);border-radius:8px;margin:1rem auto;padding:1rem}
#doc-table{border-collapse:collapse;width:100%}#doc-table th,#doc-table td{padding:.2rem .5rem;border-bottom:1px solid var(--line);text-align:left}
#doc-table th{cursor:pointer;user-select:none}#doc-table th[aria-sort=ascending]::after{content:" \25b2"}#doc-table th[aria-sort=descending]::after{content:" \25bc"}
#doc-table td.n{text-align:right}#doc-table tr.fail td:first-child a{color:var(--err)}
section.group{border-top:1px solid var(--line);padding-top:.5rem;margin-top:.5rem}
section.group h4{margin:.25rem 0;font-size:1rem}
.sev{display:inline-block;border-radius:4px;padding:0 .45rem;color:#fff;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;margin-right:.4rem}
.sev-error{background:var(--err)}.sev-warning{background:var(--warn)}.sev-info{background:var(--info)}
code.rule{color:#555;font-size:.85rem}
.n{color:#555;font-weight:normal}
.hint{margin:.25rem 0 .5rem;color:#333}
ol.findings{margin:0;padding-left:1.5rem}
li.finding{margin:.5rem 0}
.where{margin:0;color:#555;font-size:.9rem}
.msg{margin:.1rem 0}
pre.excerpt{background:#1e2228;color:#e6e6e6;border-radius:6px;padding:.5rem .75rem;overflow-x:auto;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;margin:.25rem 0}
pre.excerpt .ln{display:inline-block;min-width:4.5ch;color:#8b949e;user-select:none}
pre.excerpt .hit{background:#4d2b2f}
pre.excerpt .caret{color:#ff7b72;font-weight:700}
.omitted{color:#555;font-style:italic}
section.rules{max-width:72rem;background:#fff;border:1px solid var(--line);border-radius:8px;margin:1rem auto;padding:1rem}
section.rules dt{font-weight:600;margin-top:.5rem}section.rules dd{margin:.1rem 0 .25rem 1.5rem;color:#333}
footer{color:#666;font-size:.85rem;padding-bottom:2rem}
[hidden]{display:none!important}
article.doc{content-visibility:auto;contain-intrinsic-size:auto 6rem}
#doc-table{table-layout:fixed}#doc-table th:first-child{width:55%}
)CSS";

const char* const script = R"JS(
(function () {
  'use strict';
  var T = JSON.parse(document.getElementById('hoks-texts').textContent);
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var esc = function (s) {
    return String(s).replace(/[&<>"]/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; });
  };
  var severities = ['error', 'warning', 'info'], sevName = ['info', 'warning', 'error'];
  // '<name class="cls"' (written so, the page's own text holds no such tag).
  var tag = function (name, cls) { return '<' + name + ' class="' + cls + '"'; };
  // The rules of the report (#rules): id by catalog number, title, hint (HTML).
  var ruleId = {}, ruleTitle = {}, ruleHint = {};
  each(document.querySelectorAll('#rules dt'), function (dt) {
    if (dt.dataset.n) ruleId[dt.dataset.n] = dt.dataset.rule;
    ruleTitle[dt.dataset.rule] = dt.dataset.title;
    var dd = dt.nextElementSibling;
    if (dd && dd.tagName === 'DD') ruleHint[dt.dataset.rule] = dd.innerHTML;
  });
  // Each document's shown findings per rule and severity (data-rules), counted without rendering them.
  var articles = Array.prototype.slice.call(document.querySelectorAll('article.doc'));
  var sevCount = {}, ruleCount = {}, total = 0;
  var groupsOf = articles.map(function (a) {
    return (a.dataset.rules || '').split(' ').filter(Boolean).map(function (x) {
      var p = x.split(':'), g = {rule: p[0], sev: p[1], n: Number(p[2])};
      sevCount[g.sev] = (sevCount[g.sev] || 0) + g.n;
      ruleCount[g.rule] = (ruleCount[g.rule] || 0) + g.n;
      total += g.n;
      return g;
    });
  });
  function excerpt(x) {  // [first line, marked index, caret column, lines ...]
    var first = x[0], mark = x[1], col = x[2], lines = x.slice(3);
    var width = String(first + lines.length).length, h = tag('pre', 'excerpt') + '><code>';
    lines.forEach(function (line, k) {
      var ln = String(first + k);
      while (ln.length < width) ln = ' ' + ln;
      var hit = k === mark;
      h += (hit ? tag('span', 'hit') + '>' : '') + tag('span', 'ln') + '>' + ln + ' </span>' + esc(line) + (hit ? '</span>' : '') + '\n';
      if (hit && col > 0) {  // the caret under the column; tabs repeated so that it lines up
        var pad = '', chars = 0;
        for (var i = 0; i < line.length && chars + 1 < col; chars++) {
          pad += line[i] === '\t' ? '\t' : ' ';
          i += line.codePointAt(i) > 0xffff ? 2 : 1;
        }
        h += tag('span', 'ln') + '>' + new Array(width + 2).join(' ') + '</span>' + pad + tag('span', 'caret') + '>^</span>\n';
      }
    });
    return h + '</code></pre>\n';
  }
  function finding(f) {
    var h = tag('li', 'finding') + ' data-rule="' + esc(f.rule) + '" data-severity="' + f.sev + '" data-line="' + f.l +
            '" data-column="' + f.c + '" data-path="' + esc(f.p) + '">\n' + tag('p', 'where') + '>';
    if (f.f) h += esc(f.f) + ' \u00b7 ';
    if (f.l > 0) h += T.line + ' ' + f.l + ', ' + T.column + ' ' + f.c + ' \u00b7 ';
    h += T.path + ' ' + tag('code', 'path') + '>' + esc(f.p || '/') + '</code>' + (f.h ? ' (' + esc(f.h) + ')' : '');
    return h + '</p>\n' + tag('p', 'msg') + '>' + esc(f.m) + '</p>\n' + (f.x ? excerpt(f.x) : '') + '</li>\n';
  }
  // Builds a document's findings from its data, grouped by severity (errors first) and rule.
  function render(a) {
    var data = a.querySelector('script.findings');
    if (!data || a.dataset.rendered) return;
    a.dataset.rendered = 'true';
    var list = JSON.parse(data.textContent), last = {};
    list.forEach(function (f, i) {
      if (typeof f.m !== 'string') {  // [a, b, middle]: around the middle, the ends of the rule's message before
        var before = Array.from(last[f.r] || '');
        f.m = before.slice(0, f.m[0]).join('') + f.m[2] + before.slice(before.length - f.m[1]).join('');
      }
      last[f.r] = f.m;
      f.i = i;
      f.rule = typeof f.r === 'number' ? ruleId[f.r] : f.r;
      f.sev = sevName[f.s];
    });
    list.sort(function (x, y) { return (y.s - x.s) || (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0) || x.i - y.i; });
    var h = '';
    for (var k = 0; k < list.length;) {
      var first = list[k], end = k;
      while (end < list.length && list[end].rule === first.rule && list[end].s === first.s) end++;
      var title = ruleTitle[first.rule] || first.rule, hint = first.t !== undefined ? esc(first.t) : ruleHint[first.rule];
      h += tag('section', 'group') + ' data-rule="' + esc(first.rule) + '" data-severity="' + first.sev + '" data-title="' +
           esc(title) + '">\n<h4>' + tag('span', 'sev sev-' + first.sev) + '>' + esc(T.severity[first.sev]) + '</span>' +
           esc(title) + ' ' + tag('code', 'rule') + '>' + esc(first.rule) + '</code> ' + tag('span', 'n') + '>\u00d7' + (end - k) +
           '</span></h4>\n';
      if (hint) h += tag('p', 'hint') + '><b>' + esc(T.how_to_fix) + ':</b> ' + hint + '</p>\n';
      h += tag('ol', 'findings') + '>\n';
      for (; k < end; k++) h += finding(list[k]);
      h += '</ol>\n</section>\n';
    }
    data.insertAdjacentHTML('beforebegin', h);
    if (panel.dataset.ready) show(a, selected('severity'), selected('rule'));
  }
  // Hides a rendered document's findings (and groups) that the filters leave out.
  function show(a, sev, rule) {
    each(a.querySelectorAll('li.finding, section.group'), function (e) {
      e.hidden = !(sev[e.dataset.severity] && rule[e.dataset.rule]);
    });
  }
  var panel = document.getElementById('filters');
  var sevBox = document.getElementById('severity-filter');
  var ruleBox = document.getElementById('rule-filter');
  var countEl = document.getElementById('shown-count');
  function box(kind, value, label, count) {
    var l = document.createElement('label');
    l.className = 'filter filter-' + kind;
    l.dataset.kind = kind;
    l.dataset.value = value;
    l.dataset.count = String(count);
    var i = document.createElement('input');
    i.type = 'checkbox';
    i.name = kind;
    i.value = value;
    i.checked = true;
    i.addEventListener('change', function () { apply(true); });
    l.appendChild(i);
    l.appendChild(document.createTextNode(' ' + label + ' (' + count + ')'));
    return l;
  }
  function bulk(kind, on) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'bulk';
    b.textContent = on ? T.all : T.none;
    b.addEventListener('click', function () {
      each(panel.querySelectorAll('input[name=' + kind + ']'), function (i) { i.checked = on; });
      apply(true);
    });
    return b;
  }
  severities.forEach(function (s) { if (sevCount[s]) sevBox.appendChild(box('severity', s, T.severity[s], sevCount[s])); });
  ruleBox.appendChild(bulk('rule', true));
  ruleBox.appendChild(bulk('rule', false));
  Object.keys(ruleCount).sort().forEach(function (r) {
    ruleBox.appendChild(box('rule', r, r + ' \u2013 ' + (ruleTitle[r] || ''), ruleCount[r]));
  });
  function selected(kind) {
    var s = {};
    each(panel.querySelectorAll('input[name=' + kind + ']'), function (i) { if (i.checked) s[i.value] = true; });
    return s;
  }
  function allChecked() {
    return panel.querySelectorAll('input[type=checkbox]:not(:checked)').length === 0;
  }
  var onlyFailing = document.getElementById('only-failing');
  var table = document.getElementById('doc-table');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  onlyFailing.addEventListener('change', function () { apply(true); });
  var sortKey = '', sortDown = false;
  // Sorts the document table by a column (again: the other way); ties keep the report's order.
  function sortBy(key, down) {
    var th = /^[a-z]+$/.test(key) && table.querySelector('th[data-key=' + key + ']');
    if (!th) return;
    var numeric = th.dataset.numeric === 'true';
    var keyed = rows.map(function (r, i) {
      var v = r.dataset[key];
      return {row: r, i: i, v: numeric ? (v === '' ? -1 : Number(v)) : v};
    });
    keyed.sort(function (a, b) {
      var c = numeric ? a.v - b.v : (a.v < b.v ? -1 : a.v > b.v ? 1 : 0);
      return (down ? -c : c) || a.i - b.i;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.row); });
    tbody.appendChild(frag);
    each(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
    sortKey = key;
    sortDown = down;
  }
  each(table.tHead.rows[0].cells, function (th) {
    th.addEventListener('click', function () {
      sortBy(th.dataset.key, sortKey === th.dataset.key ? !sortDown : th.dataset.numeric === 'true');
      apply(true);
    });
  });
  function apply(updateHash) {
    var sev = selected('severity'), rule = selected('rule'), shown = 0;
    var everything = allChecked(), failing = onlyFailing.checked;
    articles.forEach(function (d, i) {
      var visible = 0;
      groupsOf[i].forEach(function (g) { if (sev[g.sev] && rule[g.rule]) visible += g.n; });
      shown += visible;
      d.hidden = (failing && d.classList.contains('ok')) || (groupsOf[i].length ? !visible : !everything);
      if (d.dataset.rendered) show(d, sev, rule);
    });
    rows.forEach(function (r) { r.hidden = failing && r.classList.contains('ok'); });
    table.dataset.shown = String(failing ? tbody.querySelectorAll('tr.fail').length : rows.length);
    countEl.textContent = T.shown.replace('{shown}', shown).replace('{total}', total);
    countEl.dataset.shown = String(shown);
    countEl.dataset.total = String(total);
    if (updateHash && window.history && history.replaceState) {
      var parts = [];
      ['severity', 'rule'].forEach(function (kind) {
        var boxes = panel.querySelectorAll('input[name=' + kind + ']');
        var on = [];
        each(boxes, function (i) { if (i.checked) on.push(i.value); });
        if (on.length !== boxes.length) parts.push(kind + '=' + on.join(','));
      });
      if (failing) parts.push('only-failing');
      if (sortKey) parts.push('sort=' + (sortDown ? '-' : '') + sortKey);
      history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname + location.search);
    }
  }
  // A filter can come in the address: report.html#severity=error&rule=oid-check-digit,missing-key
  // ... and the document table's: #only-failing&sort=-errors
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    if (part === 'only-failing') onlyFailing.checked = true;
    var eq = part.indexOf('=');
    if (eq < 0) return;
    var kind = decodeURIComponent(part.slice(0, eq));
    if (kind === 'sort') {
      var v = decodeURIComponent(part.slice(eq + 1));
      sortBy(v.replace(/^-/, ''), v.charAt(0) === '-');
      return;
    }
    if (kind !== 'severity' && kind !== 'rule') return;
    var wanted = {};
    decodeURIComponent(part.slice(eq + 1)).split(',').forEach(function (v) { wanted[v] = true; });
    each(panel.querySelectorAll('input[name=' + kind + ']'), function (i) { i.checked = !!wanted[i.value]; });
  });
  panel.hidden = false;
  panel.dataset.ready = 'true';
  // A small report is rendered at once; a big one document by document as it comes into view
  // (or is opened from the table), so that the page opens and filters at once at any size.
  if (total <= 2000 || !('IntersectionObserver' in window)) {
    articles.forEach(render);
  } else {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { render(e.target); seen.unobserve(e.target); }
      });
    }, {rootMargin: '2000px 0px'});
    articles.forEach(function (a, i) { if (groupsOf[i].length) seen.observe(a); });
  }
  function opened() {
    var a = /^#doc-[0-9]+$/.test(location.hash) && document.getElementById(location.hash.slice(1));
    if (a) render(a);
  }
  window.addEventListener('hashchange', opened);
  opened();
  apply(false);
})();
)JS";

std::string num(std::size_t n) { return std::to_string(n); }

// `word` with its first letter (ASCII) in upper case: a column header.
std::string capitalized(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string esc(std::string_view s) {
  std::string out;
  append_xml_escaped(out, s);
  return out;
}

class HtmlWriter final : public FormatWriter {
 public:
  HtmlWriter(std::ostream& out, const Catalog& catalog, const ReportOptions& options)
      : out_(out), catalog_(catalog), options_(options), t_(texts(options.lang)) {}

  // The document's <article> from after its number (id="doc-N) on: its heading, and its shown
  // findings as compact JSON that the page's script renders when the section is looked at.
  std::string render(const DocumentReport& r, const DocumentExtras& extras, std::size_t shown) const override {
    std::string out;
    std::size_t counts[3] = {};
    for (const auto& f : r.findings) ++counts[static_cast<int>(f.severity)];
    const bool ok = r.valid();
    out += "\" data-source=\"" + esc(r.source) + "\" data-index=\"" + num(r.index) +
           "\" data-errors=\"" + num(counts[2]) + "\" data-warnings=\"" + num(counts[1]) + "\" data-infos=\"" +
           num(counts[0]) + "\"";
    if (shown > 0) out += " data-rules=\"" + esc(rule_counts(r, shown)) + "\"";
    out += ">\n<h3><span class=\"status\">" + std::string(ok ? "\u2713" : "\u2717") + "</span><span class=\"src\">" +
           esc(r.source) + "</span>";
    if (extras.in_collection || r.line > 1)
      out += " <span class=\"sub\">" + std::string(t_.document) + " " + num(r.index) + ", " + t_.line + " " +
             num(r.line) + "</span>";
    if (const std::string who = identity_phrase(r, options_); !who.empty())
      out += " <span class=\"who\">" + esc(who) + "</span>";
    const std::string phrase = count_phrase(counts[2], counts[1], counts[0], options_.lang);
    out += " <span class=\"counts\">" + esc(phrase.empty() ? std::string(t_.valid) : phrase) + "</span></h3>\n";
    if (shown > 0) {
      out += "<script type=\"application/json\" class=\"findings\">";
      findings_json(out, r, extras, shown);
      out += "</script>\n";
    }
    if (shown < r.findings.size())
      out += "<p class=\"omitted\">" + esc(detail::fill_template(t_.omitted, {{"n", num(r.findings.size() - shown)}})) + "</p>\n";
    out += "</article>\n";
    return out;
  }

  // Failing documents first (each group in input order), and a row of the document table for each.
  void document(const DocumentReport& r, const DocumentExtras& extras, std::size_t shown, std::string_view rendered) override {
    const bool ok = r.valid();
    const std::string id = num(++doc_number_);
    std::string head = "<article class=\"doc ";
    head += ok ? "ok" : "fail";
    if (shown > 0) head += " has-findings";
    head += "\" id=\"doc-" + id;
    SpillBuffer& body = ok ? passing_ : failing_;
    body += head;
    body += rendered;
    std::size_t errors = 0, warnings = 0;
    for (const auto& f : r.findings) {
      errors += f.severity == Severity::error;
      warnings += f.severity == Severity::warning;
    }
    const std::string document = extras.in_collection || r.line > 1 ? num(r.index) : "";
    std::string row = std::string("<tr class=\"") + (ok ? "ok" : "fail") + "\" data-file=\"" + esc(r.source) +
                      "\" data-document=\"" + document + "\" data-errors=\"" + num(errors) + "\" data-warnings=\"" +
                      num(warnings) + "\"><td><a href=\"#doc-" + id + "\">" + esc(r.source) + "</a></td><td class=\"n\">" +
                      document + "</td><td class=\"n\">" + num(errors) + "</td><td class=\"n\">" + num(warnings) +
                      "</td></tr>\n";
    (ok ? passing_rows_ : failing_rows_) += row;
  }

  void finish(const Summary& s) override {
    const std::string failed_docs = num(s.documents - s.valid);
    std::string head = "<!DOCTYPE html>\n<html lang=\"";
    head += to_string(options_.lang);
    head += "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"hoks " + esc(options_.tool_version) + "\">\n<title>" + esc(t_.title) +
            "</title>\n<style>" + css + "</style>\n</head>\n<body>\n<header class=\"top\">\n<h1>" + esc(t_.title) +
            "</h1>\n<p class=\"meta\">hoks " + esc(options_.tool_version) + " \u00b7 " + t_.ruleset + " " +
            esc(options_.ruleset) + " \u00b7 " + t_.fail_on + ": " +
            std::string(severity_word(options_.fail_on, options_.lang)) + "</p>\n</header>\n";
    head += "<section id=\"summary\" class=\"summary\" data-documents=\"" + num(s.documents) + "\" data-valid=\"" +
            num(s.valid) + "\" data-failed=\"" + failed_docs + "\" data-errors=\"" + num(s.errors) +
            "\" data-warnings=\"" + num(s.warnings) + "\" data-infos=\"" + num(s.infos) + "\" data-shown=\"" +
            num(s.shown) + "\" data-partial=\"" + (s.partial() ? "true" : "false") + "\">\n<h2>" + t_.summary + "</h2>\n";
    const bool pass = s.documents == s.valid && !s.failed;
    head += std::string("<p class=\"verdict ") + (pass ? "ok" : "fail") + "\">" +
            (s.documents == s.valid ? esc(t_.all_passed) : esc(detail::fill_template(t_.some_failed, {{"n", failed_docs}}))) +
            "</p>\n<table class=\"totals\">\n";
    auto row = [&](const char* label, std::size_t n, const char* id) {
      head += std::string("<tr id=\"total-") + id + "\"><th>" + label + "</th><td>" + num(n) + "</td></tr>\n";
    };
    row(t_.documents, s.documents, "documents");
    row(t_.valid_documents, s.valid, "valid");
    row(t_.failed_documents, s.documents - s.valid, "failed");
    row(t_.errors, s.errors, "errors");
    row(t_.warnings, s.warnings, "warnings");
    row(t_.infos, s.infos, "infos");
    head += "</table>\n";
    if (s.partial())
      head += "<p class=\"note partial\">" +
              esc(detail::fill_template(t_.partial, {{"shown", num(s.shown)}, {"total", num(s.findings())}}) + " " +
                  capitalized(omitted_phrase(s, options_.lang)) + ".") + "</p>\n";
    if (s.suppressed > 0)
      head += "<p class=\"note baseline\">" + esc(detail::fill_template(t_.suppressed, {{"n", num(s.suppressed)}})) + "</p>\n";
    if (options_.redact) head += "<p class=\"note redacted\">" + esc(t_.redacted) + "</p>\n";
    head += "</section>\n<section id=\"filters\" class=\"filters\" hidden>\n<h2>" + std::string(t_.filters) +
            "</h2>\n<fieldset id=\"severity-filter\"><legend>" + t_.severity +
            "</legend></fieldset>\n<fieldset id=\"rule-filter\"><legend>" + t_.rule +
            "</legend></fieldset>\n<p id=\"shown-count\" aria-live=\"polite\"></p>\n</section>\n<noscript><p class=\"note\">" +
            esc(t_.no_script) + "</p></noscript>\n";
    head += "<section id=\"document-list\" class=\"doctable\">\n<h2>" + std::string(t_.documents) +
            "</h2>\n<p><label><input type=\"checkbox\" id=\"only-failing\"> " + t_.only_failing +
            "</label> <span class=\"sub\">" + t_.sort_hint + "</span></p>\n<table id=\"doc-table\">\n<thead><tr>"
            "<th data-key=\"file\" scope=\"col\">" + t_.file + "</th><th data-key=\"document\" data-numeric=\"true\" scope=\"col\">" +
            capitalized(t_.document) + "</th><th data-key=\"errors\" data-numeric=\"true\" scope=\"col\">" + t_.errors +
            "</th><th data-key=\"warnings\" data-numeric=\"true\" scope=\"col\">" + t_.warnings + "</th></tr></thead>\n<tbody>\n";
    out_ << head;
    failing_rows_.drain_to(out_);
    passing_rows_.drain_to(out_);
    out_ << "</tbody>\n</table>\n</section>\n<main id=\"documents\">\n";
    failing_.drain_to(out_);
    passing_.drain_to(out_);
    std::string tail = "</main>\n" + glossary(s) + "<footer><p>hoks " + esc(options_.tool_version) + " \u00b7 " + t_.ruleset + " " +
                       esc(options_.ruleset) + "</p></footer>\n<script type=\"application/json\" id=\"hoks-texts\">";
    std::string json = "{\"shown\": ";
    detail::append_json_string(json, t_.shown);
    json += ", \"all\": ";
    detail::append_json_string(json, t_.all);
    json += ", \"none\": ";
    detail::append_json_string(json, t_.none);
    for (const auto& [key, text] : {std::pair<const char*, const char*>{"line", t_.line}, {"column", t_.column},
                                    {"path", t_.path}, {"how_to_fix", t_.how_to_fix}}) {
      json += ", \"";
      json += key;
      json += "\": ";
      detail::append_json_string(json, text);
    }
    json += ", \"severity\": {\"error\": ";
    detail::append_json_string(json, severity_word(Severity::error, options_.lang));
    json += ", \"warning\": ";
    detail::append_json_string(json, severity_word(Severity::warning, options_.lang));
    json += ", \"info\": ";
    detail::append_json_string(json, severity_word(Severity::info, options_.lang));
    json += "}}";
    tail += json;
    tail += "</script>\n<script>";
    tail += script;
    tail += "</script>\n</body>\n</html>\n";
    out_ << tail;
  }

 private:
  // "rule:severity:count ..." of the shown findings, errors first, then by rule: what the filters count.
  static std::string rule_counts(const DocumentReport& r, std::size_t shown) {
    std::map<std::pair<int, std::string>, std::size_t> n;
    for (std::size_t i = 0; i < shown; ++i) ++n[{-static_cast<int>(r.findings[i].severity), r.findings[i].rule}];
    std::string out;
    for (const auto& [key, count] : n)
      out += (out.empty() ? "" : " ") + key.second + ":" + std::string(to_string(static_cast<Severity>(-key.first))) + ":" + num(count);
    return out;
  }

  // Appends `message` as a JSON string, or, when it shares a beginning and an end with `before`
  // (the same rule's message earlier in the document), as [a, b, "middle"]: the first a and the
  // last b characters (code points) of `before` around the middle.
  static void append_message(std::string& json, const std::string& before, const std::string& message) {
    std::size_t p = 0, s = 0;
    const std::size_t n = std::min(before.size(), message.size());
    while (p < n && before[p] == message[p]) ++p;
    while (p > 0 && p < message.size() && (static_cast<unsigned char>(message[p]) & 0xC0) == 0x80) --p;
    while (s < n - p && before[before.size() - 1 - s] == message[message.size() - 1 - s]) ++s;
    while (s > 0 && (static_cast<unsigned char>(message[message.size() - s]) & 0xC0) == 0x80) --s;
    if (p + s < 16) return append_json_string(json, message);
    const auto chars = [](std::string_view t) {
      std::size_t c = 0;
      for (const unsigned char b : t) c += (b & 0xC0) != 0x80;
      return c;
    };
    json += "[" + num(chars(std::string_view(message).substr(0, p))) + "," +
            num(chars(std::string_view(message).substr(message.size() - s))) + ",";
    append_json_string(json, std::string_view(message).substr(p, message.size() - s - p));
    json += "]";
  }

  // The shown findings as a JSON array of {r: the rule's number in the catalog (or its id), s: severity
  // (0 info .. 2 error), l, c: line and column, p: path, m: message (see append_message), f: file,
  // h: header, t: the hint when it differs by finding, x: [first line, marked index, caret column,
  // lines ...]}; '<' escaped.
  void findings_json(std::string& out, const DocumentReport& r, const DocumentExtras& extras, std::size_t shown) const {
    std::string json = "[";
    std::string text;
    std::map<std::string_view, std::string> last;  // per rule: its last message so far
    for (std::size_t i = 0; i < shown; ++i) {
      const Finding& f = r.findings[i];
      json += i == 0 ? "{\"r\":" : ",\n{\"r\":";
      const Rule* rule = catalog_.find(f.rule);
      if (rule) json += num(static_cast<std::size_t>(rule - catalog_.rules().data()));
      else append_json_string(json, f.rule);
      json += ",\"s\":" + num(static_cast<std::size_t>(f.severity)) + ",\"l\":" + num(f.location.line) +
              ",\"c\":" + num(f.location.column) + ",\"p\":";
      append_json_string(json, f.path);
      json += ",\"m\":";
      text.clear();
      catalog_.append_message(text, f, options_.lang);
      std::string& before = last[f.rule];
      append_message(json, before, text);
      before = text;
      if (!f.location.file.empty()) json += ",\"f\":", append_json_string(json, f.location.file);
      if (!f.location.header.empty()) json += ",\"h\":", append_json_string(json, f.location.header);
      if (!catalog_.plain_hint(f.rule, options_.lang)) {
        text.clear();
        catalog_.append_hint(text, f, options_.lang);
        if (!text.empty()) json += ",\"t\":", append_json_string(json, text);
      }
      if (i < extras.excerpts.size() && extras.excerpts[i].first_line > 0) {
        const Excerpt& e = extras.excerpts[i];
        json += ",\"x\":[" + num(e.first_line) + "," + num(e.mark) + "," + num(e.mark_column);
        for (const auto& line : e.lines) json += ",", append_json_string(json, line);
        json += "]";
      }
      json += "}";
    }
    json += "]";
    for (const char c : json)  // no "</script>" inside the data
      if (c == '<') out += "\\u003c";
      else out.push_back(c);
  }

  // The rules of the report, each with its title and hint, once: the findings refer to them.
  std::string glossary(const Summary& s) const {
    std::string out = "<section id=\"rules\" class=\"rules\">\n<h2>" + std::string(t_.rules) + "</h2>\n<dl>\n";
    std::vector<std::string> seen;
    for (const RuleCount& rc : s.rules) {
      if (std::find(seen.begin(), seen.end(), rc.rule) != seen.end()) continue;
      seen.push_back(rc.rule);
      const Rule* rule = catalog_.find(rc.rule);
      const std::string title = rule ? rule->title.in(options_.lang) : rc.rule;
      out += "<dt data-rule=\"" + esc(rc.rule) + "\"";
      if (rule) out += " data-n=\"" + num(static_cast<std::size_t>(rule - catalog_.rules().data())) + "\"";
      out += " data-title=\"" + esc(title) + "\"><code class=\"rule\">" + esc(rc.rule) + "</code> " + esc(title) + "</dt>\n";
      const std::string* hint = rule ? catalog_.plain_hint(rc.rule, options_.lang) : nullptr;
      if (hint && !hint->empty()) out += "<dd class=\"hint\">" + esc(*hint) + "</dd>\n";
    }
    return out + "</dl>\n</section>\n";
  }

  std::ostream& out_;
  const Catalog& catalog_;
  const ReportOptions& options_;
  const HtmlTexts& t_;
  SpillBuffer failing_, passing_, failing_rows_, passing_rows_;
  std::size_t doc_number_ = 0;
};

}  // namespace

std::unique_ptr<FormatWriter> make_html_writer(std::ostream& out, const Catalog& catalog, const ReportOptions& options) {
  return std::make_unique<HtmlWriter>(out, catalog, options);
}

}  // namespace hoks::detail
