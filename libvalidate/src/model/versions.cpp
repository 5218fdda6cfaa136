#include "hoks/model/versions.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

namespace hoks {
namespace {

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() && !n.IsNull() ? n.as<std::string>() : ""; }

Text read_text(const YAML::Node& n) {
  if (!n || !n.IsMap()) return {};
  return {scalar(n["fi"]), scalar(n["en"])};
}

std::string ops_letters(const Field& f) {
  std::string s;
  for (Presence p : f.presence) s += p == Presence::required ? 'R' : p == Presence::optional ? 'O' : '-';
  return s;
}

bool is_named_type(const ValueType& t) {
  if (t.base == BaseType::object || t.base == BaseType::array) return false;
  static const char* const bases[] = {"str", "int", "num", "bool", "date", "inst", "uuid"};
  return std::none_of(std::begin(bases), std::end(bases), [&](const char* b) { return t.name == b; });
}

bool same_type(const ValueType& a, const ValueType& b) {
  const std::string pa = a.pattern ? a.pattern->source() : "", pb = b.pattern ? b.pattern->source() : "";
  return a.base == b.base && pa == pb && a.check == b.check && a.minimum == b.minimum && a.rule == b.rule &&
         a.koodisto == b.koodisto;
}

bool same_text(const Text& a, const Text& b) { return a.fi == b.fi && a.en == b.en; }

ModelChange change(std::string kind, std::string entity = {}, std::string field = {}) {
  ModelChange c;
  c.kind = std::move(kind);
  c.entity = std::move(entity);
  c.field = std::move(field);
  return c;
}

}  // namespace

std::string ModelChange::key() const {
  std::string k = kind + " ";
  if (!rule.empty()) return k + rule;
  if (!type.empty()) return k + type;
  k += entity;
  if (!field.empty()) k += "." + field;
  return k;
}

std::vector<ModelChange> model_changes(const Model& older, const Model& newer) {
  std::vector<ModelChange> out;
  for (const Entity& e : older.entities())
    if (!newer.find_entity(e.name)) out.push_back(change("entity-removed", e.name));
  for (const Entity& e : newer.entities()) {
    const Entity* old = older.find_entity(e.name);
    if (!old) {
      out.push_back(change("entity-added", e.name));
      continue;
    }
    if (!same_text(old->text, e.text)) out.push_back(change("text-changed", e.name));
    for (const Field& f : old->fields)
      if (!e.field(f.key)) out.push_back(change("field-removed", e.name, f.key));
    for (const Field& f : e.fields) {
      const Field* of = old->field(f.key);
      if (!of) {
        out.push_back(change("field-added", e.name, f.key));
        continue;
      }
      if (of->type->name != f.type->name || ops_letters(*of) != ops_letters(f)) {
        ModelChange c = change("field-changed", e.name, f.key);
        c.from = of->type->name + " " + ops_letters(*of);
        c.to = f.type->name + " " + ops_letters(f);
        out.push_back(std::move(c));
      }
      if (!same_text(of->text, f.text)) out.push_back(change("text-changed", e.name, f.key));
    }
  }
  for (const ValueType& t : older.types()) {
    if (!is_named_type(t)) continue;
    const ValueType* nt = newer.find_type(t.name);
    if (!nt) {
      ModelChange c = change("type-removed");
      c.type = t.name;
      out.push_back(std::move(c));
    } else if (!same_type(t, *nt)) {
      ModelChange c = change("type-changed");
      c.type = t.name;
      out.push_back(std::move(c));
    }
  }
  for (const ValueType& t : newer.types()) {
    if (!is_named_type(t) || older.find_type(t.name)) continue;
    ModelChange c = change("type-added");
    c.type = t.name;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const ModelChange& a, const ModelChange& b) { return a.key() < b.key(); });
  return out;
}

std::shared_ptr<const ModelVersions> ModelVersions::load(std::string_view changelog_yaml,
                                                         std::string_view (*file)(std::string_view)) {
  auto mv = std::make_shared<ModelVersions>();
  const YAML::Node doc = YAML::Load(std::string(changelog_yaml));
  if (!doc["versions"] || !doc["versions"].IsSequence() || doc["versions"].size() == 0)
    throw std::runtime_error("changelog: no versions");
  for (const auto& v : doc["versions"]) {
    ModelVersion version;
    version.version = scalar(v["version"]);
    version.effective = scalar(v["effective"]);
    version.ruleset = scalar(v["ruleset"]);
    version.file = scalar(v["model"]);
    version.summary = read_text(v["summary"]);
    if (version.version.empty() || version.file.empty())
      throw std::runtime_error("changelog: a version lacks `version` or `model`");
    if (!parse_date(version.effective))
      throw std::runtime_error("changelog: version " + version.version + ": effective must be YYYY-MM-DD");
    if (mv->find(version.version)) throw std::runtime_error("changelog: version " + version.version + " twice");
    if (const auto changes = v["changes"]) {
      for (const auto& c : changes) {
        ModelChange ch;
        ch.kind = scalar(c["kind"]);
        ch.entity = scalar(c["entity"]);
        ch.field = scalar(c["field"]);
        ch.type = scalar(c["type"]);
        ch.rule = scalar(c["rule"]);
        ch.from = scalar(c["from"]);
        ch.to = scalar(c["to"]);
        ch.text = read_text(c);
        ch.ref = scalar(c["ref"]);
        if (ch.kind.empty()) throw std::runtime_error("changelog: version " + version.version + ": a change lacks `kind`");
        if (ch.kind == "severity-changed" && (!parse_severity(ch.from) || !parse_severity(ch.to)))
          throw std::runtime_error("changelog: severity-changed of " + ch.rule + " needs from and to severities");
        version.changes.push_back(std::move(ch));
      }
    }
    const std::string_view text = file(version.file);
    if (text.empty()) throw std::runtime_error("changelog: model file " + version.file + " is not built in");
    std::shared_ptr<const Model> model;
    if (mv->versions_.empty() && text.data() == file("model.yaml").data()) {
      model = std::shared_ptr<const Model>(&Model::builtin(), [](const Model*) {});  // the current model
    } else {
      model = Model::load(text);
    }
    if (model->version() != version.version)
      throw std::runtime_error("changelog: " + version.file + " has version " + model->version() + ", not " +
                               version.version);
    mv->versions_.push_back(std::move(version));
    mv->models_.push_back(std::move(model));
  }
  for (std::size_t i = 1; i < mv->versions_.size(); ++i)
    if (!(mv->versions_[i].effective < mv->versions_[i - 1].effective))
      throw std::runtime_error("changelog: versions must be listed newest first (by effective date)");
  return mv;
}

const ModelVersions& ModelVersions::builtin() {
  static const std::shared_ptr<const ModelVersions> versions = load(embedded_file("changelog.yaml"), embedded_file);
  return *versions;
}

const ModelVersion* ModelVersions::find(std::string_view version) const {
  for (const auto& v : versions_)
    if (v.version == version) return &v;
  return nullptr;
}

const Model& ModelVersions::model(std::string_view version) const {
  for (std::size_t i = 0; i < versions_.size(); ++i)
    if (versions_[i].version == version) return *models_[i];
  throw std::out_of_range("unknown model version " + std::string(version));
}

std::vector<std::string> ModelVersions::rules_not_in(std::string_view version) const {
  std::vector<std::string> out;
  for (const auto& v : versions_) {
    if (v.version == version) break;
    for (const auto& c : v.changes)
      if (c.kind == "rule-added") out.push_back(c.rule);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void ModelVersions::apply_rule_set(std::string_view version, RuleConfig& config) const {
  for (auto& rule : rules_not_in(version)) config.ignore.insert(rule);
  // The severity a rule had in `version` is the `from` of the first severity change after it:
  // walk from the oldest version to the newest and keep the first one seen past `version`.
  bool newer = false;
  for (auto it = versions_.rbegin(); it != versions_.rend(); ++it) {
    if (it->version == version) {
      newer = true;
      continue;
    }
    if (!newer) continue;
    for (const auto& c : it->changes)
      if (c.kind == "severity-changed" && !config.severity.count(c.rule)) config.severity[c.rule] = *parse_severity(c.from);
  }
}

std::string ModelVersions::names() const {
  std::string s;
  for (const auto& v : versions_) s += (s.empty() ? "" : ", ") + v.version;
  return s;
}

std::string_view to_string(ImpactKind kind) {
  switch (kind) {
    case ImpactKind::appeared: return "appeared";
    case ImpactKind::vanished: return "vanished";
    case ImpactKind::severity_changed: return "severity-changed";
  }
  return "appeared";
}

ImpactReport compare_reports(const std::vector<DocumentReport>& before, const std::vector<DocumentReport>& after) {
  if (before.size() != after.size()) throw std::invalid_argument("compare_reports: different documents");
  ImpactReport report;
  report.documents = before.size();
  std::map<std::string, ImpactTotal> totals;
  for (std::size_t d = 0; d < before.size(); ++d) {
    const DocumentReport& b = before[d];
    const DocumentReport& a = after[d];
    report.valid_before += b.valid();
    report.valid_after += a.valid();
    using Key = std::pair<std::string, std::string>;
    std::multimap<Key, Severity> old_findings, new_findings;
    for (const auto& f : b.findings) old_findings.emplace(Key{f.rule, f.path}, f.severity);
    for (const auto& f : a.findings) new_findings.emplace(Key{f.rule, f.path}, f.severity);
    std::vector<ImpactEntry> entries;
    auto entry = [&](ImpactKind kind, const Key& k, Severity from, Severity to) {
      ImpactEntry e;
      e.kind = kind;
      e.source = b.source;
      e.index = b.index;
      e.rule = k.first;
      e.path = k.second;
      e.from = from;
      e.to = to;
      entries.push_back(std::move(e));
      ImpactTotal& t = totals[k.first];
      t.rule = k.first;
      if (kind == ImpactKind::appeared) ++t.appeared;
      else if (kind == ImpactKind::vanished) ++t.vanished;
      else ++t.severity_changed;
    };
    for (auto it = old_findings.begin(); it != old_findings.end();) {
      const Key k = it->first;
      auto [ob, oe] = old_findings.equal_range(k);
      auto [nb, ne] = new_findings.equal_range(k);
      std::vector<Severity> os, ns;
      for (auto i = ob; i != oe; ++i) os.push_back(i->second);
      for (auto i = nb; i != ne; ++i) ns.push_back(i->second);
      const std::size_t common = std::min(os.size(), ns.size());
      for (std::size_t i = 0; i < common; ++i)
        if (os[i] != ns[i]) entry(ImpactKind::severity_changed, k, os[i], ns[i]);
      for (std::size_t i = common; i < os.size(); ++i) entry(ImpactKind::vanished, k, os[i], os[i]);
      for (std::size_t i = common; i < ns.size(); ++i) entry(ImpactKind::appeared, k, ns[i], ns[i]);
      new_findings.erase(nb, ne);
      it = oe;
    }
    for (auto it = new_findings.begin(); it != new_findings.end(); ++it) entry(ImpactKind::appeared, it->first, it->second, it->second);
    std::sort(entries.begin(), entries.end(), [](const ImpactEntry& x, const ImpactEntry& y) {
      return std::tie(x.rule, x.path, x.kind) < std::tie(y.rule, y.path, y.kind);
    });
    for (auto& e : entries) report.entries.push_back(std::move(e));
  }
  for (auto& [rule, t] : totals) report.totals.push_back(t);
  return report;
}

}  // namespace hoks
