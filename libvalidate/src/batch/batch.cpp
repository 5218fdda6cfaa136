#include "hoks/batch/batch.hpp"

#include "check/rule_ids.hpp"
#include "batch/batch_internal.hpp"
#include "report/finding_pool.hpp"

#include <algorithm>

namespace hoks {

bool DocumentReport::valid() const {
  return std::none_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == Severity::error; });
}

void sort_findings(std::vector<Finding>& findings) {
  const auto less = [](const Finding& a, const Finding& b) {
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    if (a.location.column != b.location.column) return a.location.column < b.location.column;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.path < b.path;
  };
  if (std::is_sorted(findings.begin(), findings.end(), less)) return;
  // Sorted as indices, then each finding moved once (into reused buffers).
  thread_local std::vector<std::uint32_t> order;
  thread_local std::vector<Finding> sorted;
  order.resize(findings.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // Ties kept in their order by the index: stable, without stable_sort's buffer per call.
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (less(findings[a], findings[b])) return true;
    return !less(findings[b], findings[a]) && a < b;
  });
  sorted.clear();
  sorted.reserve(findings.size());
  for (std::uint32_t i : order) sorted.push_back(std::move(findings[i]));
  findings.swap(sorted);
}

namespace {

// The option of the limit a JSON error kind stands for, or nullptr when it is a defect of the text.
const char* limit_option(JsonErrorKind kind) {
  switch (kind) {
    case JsonErrorKind::too_deep: return "--max-depth";
    case JsonErrorKind::too_large: return "--max-document-size";
    case JsonErrorKind::string_too_long: return "--max-string-length";
    default: return nullptr;
  }
}

Finding syntax_finding(JsonErrorKind kind, std::size_t offset, LineIndex& index, std::uint32_t line_base) {
  Finding f;
  const char* option = limit_option(kind);
  f.rule = detail::rule_name(option ? detail::RuleId::limit_exceeded : detail::RuleId::syntax);
  f.severity = Severity::error;
  f.offset = static_cast<std::uint32_t>(offset);
  f.args = {{"detail", std::string(to_string(kind))}};
  if (option) f.args.emplace_back("option", option);
  const TextPosition p = index.locate(offset);
  f.location.line = p.line + line_base - 1;
  f.location.column = p.column;
  return f;
}

Finding syntax_finding(const JsonDocument& doc, LineIndex& index, std::uint32_t line_base) {
  return syntax_finding(doc.error(), doc.error_offset(), index, line_base);
}

// The document's identity (DocumentReport::id ...) from its top-level keys; a value longer than
// any id or OID (64 bytes) names nothing and is left out, so that reports never echo it.
void identify(DocumentReport& r, JsonValue root) {
  if (!root.is_object()) return;
  auto text = [&](std::string& out, std::string_view key) {  // into the room `out` has
    const JsonValue v = root.get(key);
    const bool named = v.valid() && (v.is_string() || v.type() == JsonType::number) && v.str().size() <= 64;
    if (named) out.assign(v.str());
    else out.clear();
  };
  text(r.id, "id");
  text(r.opiskeluoikeus_oid, "opiskeluoikeus-oid");
  text(r.oppija_oid, "oppija-oid");
}

DocumentReport& start(std::vector<DocumentReport>& out, std::string_view source, std::uint32_t index,
                      std::uint32_t line, const ValidationOptions& options) {
  DocumentReport& r = out.emplace_back(detail::take_report());  // every field assigned
  r.source.assign(source);
  r.index = index;
  r.line = line;
  r.operation = options.operation;
  r.not_checked = 0;
  r.id.clear();
  r.opiskeluoikeus_oid.clear();
  r.oppija_oid.clear();
  return r;
}

// True (after adding the report that says so) when document `index` is past the limit.
bool too_many_documents(std::vector<DocumentReport>& out, std::string_view source, std::uint32_t index,
                        std::uint32_t line, std::size_t offset, LineIndex& lines, const ValidationOptions& options,
                        const InputLimits& limits) {
  if (limits.max_documents == 0 || index < limits.max_documents) return false;
  const TextPosition p = lines.locate(offset);
  detail::add_too_many_documents(out, source, index, line, options, p.column, offset);
  return true;
}

void validate_lines(const Validator& validator, std::string_view source, std::string_view text,
                    const ValidationOptions& options, std::vector<DocumentReport>& out, const InputLimits& limits) {
  JsonDocument doc;
  std::uint32_t line = 0, index = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view row = text.substr(pos, end - pos);
    ++line;
    pos = end + 1;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.find_first_not_of(" \t") == std::string_view::npos) continue;
    LineIndex lines(row);
    if (too_many_documents(out, source, index, line, 0, lines, options, limits)) {
      for (std::size_t p = pos; p < text.size();) {  // the documents left: the non-blank lines after this one
        std::size_t e = text.find('\n', p);
        if (e == std::string_view::npos) e = text.size();
        std::string_view rest = text.substr(p, e - p);
        if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
        if (rest.find_first_not_of(" \t") != std::string_view::npos) ++out.back().not_checked;
        p = e + 1;
      }
      return;
    }
    detail::validate_ndjson_line(validator, source, row, index++, line, options, limits.json, out, doc);
  }
}

}  // namespace

void detail::validate_ndjson_line(const Validator& validator, std::string_view source, std::string_view row,
                                  std::uint32_t index, std::uint32_t line, const ValidationOptions& options,
                                  const JsonLimits& limits, std::vector<DocumentReport>& out, JsonDocument& doc) {
  LineIndex lines = LineIndex::one_line(row);  // a row holds no line break
  DocumentReport& r = start(out, source, index, line, options);
  if (!doc.parse(row, limits)) {
    r.findings.push_back(syntax_finding(doc, lines, line));
    return;
  }
  identify(r, doc.root());
  validator.validate(doc.root(), options, r.findings);
  resolve_locations(r.findings, lines, line);
  sort_findings(r.findings);
}

void detail::add_too_many_documents(std::vector<DocumentReport>& out, std::string_view source, std::uint32_t index,
                                    std::uint32_t line, const ValidationOptions& options, std::uint32_t column,
                                    std::size_t offset) {
  Finding f;
  f.rule = detail::rule_name(detail::RuleId::limit_exceeded);
  f.severity = Severity::error;
  f.offset = static_cast<std::uint32_t>(offset);
  f.args = {{"detail", "too_many_documents"}, {"option", "--max-documents"}};
  f.location.line = line;
  f.location.column = column;
  DocumentReport& r = start(out, source, index, line, options);
  r.findings.push_back(std::move(f));
  r.not_checked = 1;  // this one; the callers add the rest
}

void validate_text(const Validator& validator, std::string_view source, std::string_view text,
                   const ValidationOptions& options, std::vector<DocumentReport>& out, InputLayout layout,
                   const InputLimits& limits) {
  if (layout == InputLayout::ndjson) return validate_lines(validator, source, text, options, out, limits);
  JsonDocument doc;
  LineIndex lines(text);
  if (!doc.parse(text, limits.json)) {
    // Several values, one per line: NDJSON.
    if (layout == InputLayout::automatic && doc.error() == JsonErrorKind::trailing_content) {
      const std::size_t newline = text.find('\n');
      if (newline != std::string_view::npos && newline < doc.error_offset())
        return validate_lines(validator, source, text, options, out, limits);
    }
    DocumentReport& r = start(out, source, 0, 1, options);
    r.findings.push_back(syntax_finding(doc, lines, 1));
    return;
  }
  const JsonValue root = doc.root();
  if (root.is_array() && root.size() > 0 && layout == InputLayout::automatic) {
    std::uint32_t index = 0;
    for (auto& item : root) {
      const JsonValue v = item.value();
      const std::uint32_t line = lines.locate(v.offset()).line;
      if (too_many_documents(out, source, index, line, v.offset(), lines, options, limits)) {
        out.back().not_checked = static_cast<std::uint32_t>(root.size() - index);
        return;
      }
      DocumentReport& r = start(out, source, index++, line, options);
      identify(r, v);
      validator.validate(v, options, r.findings);
      resolve_locations(r.findings, lines);
      sort_findings(r.findings);
    }
    return;
  }
  DocumentReport& r = start(out, source, 0, 1, options);
  identify(r, root);
  validator.validate(root, options, r.findings);
  resolve_locations(r.findings, lines);
  sort_findings(r.findings);
}

}  // namespace hoks
