#include "hoks/check/validate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "hoks/model/code_lists.hpp"
#include "hoks/model/suggest.hpp"
#include "check/rule_run.hpp"
#include "report/finding_pool.hpp"

namespace hoks {
namespace detail {

RuleRun::RuleState& RuleRun::state(RuleId id) {
  RuleState& s = states_[static_cast<std::size_t>(id)];
  if (!s.configured) {
    s.enabled = options.config->enabled(name(id));
    s.configured = true;
  }
  return s;
}

void RuleRun::report(RuleId id, JsonValue at, Args args, JsonValue position) {
  ++attempts;
  const RuleConfig* config = options.config;
  RuleState& s = states_[static_cast<std::size_t>(id)];
  if (config && !state(id).enabled) return;
  if (!s.looked_up) {
    const std::string_view rule = name(id);
    s.rule = validator.catalog().find(rule);
    if (s.rule) s.severity = s.rule->severity;
    if (config)
      if (auto it = config->severity.find(rule); it != config->severity.end()) s.severity = it->second;
    s.looked_up = true;
  }
  const Severity severity = s.severity;
  if (options.max_findings && out_.size() - first_ >= options.max_findings) {
    ++dropped;
    dropped_severity = std::max(dropped_severity, severity);
    return;
  }
  // Room for four findings at once, not 1, 2, 4 (each growth moves every finding); not more: a
  // stream of small documents with a few findings each holds a round of them until written.
  if (out_.size() == out_.capacity()) out_.reserve(std::max<std::size_t>(4, 2 * out_.size()));
  // A pooled finding: every string is assigned into the capacity it has.
  Finding& f = add_pooled_finding(out_);
  // A pooled finding's strings grow to a size that later findings' fit (not just to this one's):
  // they are reused, and a finding from the pool may come with the room of a shorter one.
  const auto fit = [](std::string& s, std::size_t n) {
    if (n > s.capacity()) s.reserve(std::max<std::size_t>(n, 48));
  };
  fit(f.rule, name(id).size());
  f.rule.assign(name(id));
  f.severity = severity;
  if (f.path.capacity() < 64) f.path.reserve(64);  // a pointer into a plan is rarely longer
  at.document()->pointer_into(f.path, at.index(), root.index());
  f.location.line = f.location.column = 0;
  f.location.header.clear();
  f.location.file.clear();
  f.offset = position.valid() ? position.offset() : at.offset();
  if (args.size() > f.args.capacity()) f.args.reserve(std::max<std::size_t>(args.size(), 4));
  f.args.resize(args.size());
  auto arg = f.args.begin();
  for (const auto& [name, value] : args) {
    fit(arg->first, name.size());
    arg->first.assign(name);
    fit(arg->second, value.size());
    arg->second.assign(value);
    ++arg;
  }
}

std::optional<Date> date_of(JsonValue object, std::string_view key) {
  const JsonValue v = object.get(key);
  if (!v.is_string()) return std::nullopt;
  return parse_date(v.str());
}

std::string_view string_of(JsonValue object, std::string_view key) {
  const JsonValue v = object.get(key);
  return v.is_string() ? v.str() : std::string_view{};
}

std::string date_text(const Date& d) {
  char buf[11];
  format_date(d, buf);
  return buf;
}

namespace {

std::string_view type_name(JsonValue v) {
  switch (v.type()) {
    case JsonType::null: return "null";
    case JsonType::boolean: return "boolean";
    case JsonType::number: return (v.node().flags & JsonDocument::flag_integral) ? "integer" : "number";
    case JsonType::string: return "string";
    case JsonType::array: return "array";
    case JsonType::object: return "object";
  }
  return "null";
}

std::string shown(std::string_view s) {
  constexpr std::size_t limit = 80;
  if (s.size() <= limit) return std::string(s);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "…";
}

// The rule a model type names for its check (the model loader accepts catalog ids only).
RuleId model_rule(const ValueType& type, RuleId fallback) {
  RuleId id = fallback;
  if (!type.rule.empty()) find_rule(type.rule, id);
  return id;
}

// The schema stage: one walk over the document with the model's tables.
class SchemaWalk {
 public:
  SchemaWalk(RuleRun& run, Operation op) : run_(run), model_(run.model), op_(op), doc_(*run.root.document()) {}

  void value(const ValueType& type, JsonValue v, std::string_view key);
  void object(int entity, JsonValue v);
  std::size_t errors = 0;

 private:
  void report(RuleId rule, JsonValue at, Args args = {}, JsonValue position = {}) {
    ++errors;
    run_.report(rule, at, std::move(args), position);
  }
  void string_value(const ValueType& type, JsonValue v);
  void code(const std::string& koodisto, JsonValue v);

  RuleRun& run_;
  const Model& model_;
  Operation op_;
  const JsonDocument& doc_;
};

void SchemaWalk::string_value(const ValueType& type, JsonValue v) {
  const std::string_view raw = v.str();
  if (type.pattern) {
    if (!type.pattern->find(raw)) {
      report(RuleId::pattern_mismatch, v, {{"value", shown(raw)}, {"pattern", type.pattern->source()}});
      return;
    }
    if (type.pattern->needs_final_terminator(raw)) run_.report(RuleId::oid_trailing_newline, v, {{"value", shown(raw)}});
    if (!type.koodisto.empty()) code(type.koodisto, v);
  }
  switch (type.check) {
    case ValueCheck::none: break;
    case ValueCheck::oid:
      if (!oid_check_digit_valid(raw)) report(RuleId::oid_check_digit, v, {{"value", shown(raw)}});
      break;
    case ValueCheck::y_tunnus:
      if (!y_tunnus_check_digit_valid(raw)) report(RuleId::y_tunnus_check_digit, v, {{"value", shown(raw)}});
      break;
    case ValueCheck::phone:
      if (!phone_valid(trim(raw))) report(model_rule(type, RuleId::phone_number), v, {{"value", shown(raw)}});
      break;
    case ValueCheck::non_empty:
      if (trim(raw).empty()) report(model_rule(type, RuleId::empty_tunniste), v);
      break;
  }
}

// Code stage: a code URI that fits its pattern but is not in the offline snapshot (a warning).
void SchemaWalk::code(const std::string& koodisto, JsonValue v) {
  const CodeList* list = CodeLists::builtin().find(koodisto);
  std::string_view value = v.str();
  if (!list || value.size() <= koodisto.size() || value.compare(0, koodisto.size(), koodisto) != 0 ||
      value[koodisto.size()] != '_')
    return;
  value.remove_prefix(koodisto.size() + 1);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.remove_suffix(1);
  if (!list->contains(value))
    run_.report(RuleId::unknown_code, v, {{"value", shown(v.str())}, {"koodisto", koodisto}, {"snapshot", list->snapshot}});
}

void SchemaWalk::value(const ValueType& type, JsonValue v, std::string_view key) {
  const JsonType t = v.type();
  if (t == JsonType::null) {
    // eHOKS reads null for an array as an empty array (ehoks-model.md §0.2); other values are not nullable.
    if (type.base == BaseType::array) return run_.report(RuleId::null_array, v, {{"key", std::string(key)}});
    report(RuleId::null_value, v, {{"key", std::string(key)}, {"expected", std::string(to_string(type.base))}});
    return;
  }
  auto wrong = [&] {
    report(RuleId::wrong_type, v, {{"expected", std::string(to_string(type.base))}, {"actual", std::string(type_name(v))}});
  };
  switch (type.base) {
    case BaseType::object:
      if (t != JsonType::object) return wrong();
      object(type.entity, v);
      return;
    case BaseType::array:
      if (t != JsonType::array) return wrong();
      for (auto& item : v) value(*type.item, item.value(), key);
      return;
    case BaseType::string:
      if (t != JsonType::string) return wrong();
      string_value(type, v);
      return;
    case BaseType::integer:
      if (t != JsonType::number || !(v.node().flags & JsonDocument::flag_integral)) return wrong();
      break;
    case BaseType::number:
      if (t != JsonType::number) return wrong();
      break;
    case BaseType::boolean:
      if (t != JsonType::boolean) return wrong();
      return;
    case BaseType::date:
      if (t != JsonType::string) return wrong();
      if (!parse_date(v.str())) report(RuleId::invalid_date, v, {{"value", shown(v.str())}});
      return;
    case BaseType::instant:
      if (t != JsonType::string) return wrong();
      if (!is_instant(v.str())) report(RuleId::invalid_instant, v, {{"value", shown(v.str())}});
      return;
    case BaseType::uuid:
      if (t != JsonType::string) return wrong();
      string_value(type, v);
      return;
  }
  if (type.minimum) {  // numbers only
    const std::string_view token = v.str();
    double d = 0;
    const auto r = std::from_chars(token.data(), token.data() + token.size(), d);
    const bool below = r.ec == std::errc::result_out_of_range ? token[0] == '-' : d < *type.minimum;
    if (below) report(model_rule(type, RuleId::negative_teaching_hours), v, {{"value", shown(token)}});
  }
}

void SchemaWalk::object(int entity_index, JsonValue v) {
  const Entity& entity = model_.entity(entity_index);
  const std::size_t errors_before = errors;
  const std::size_t slot = run_.objects.size();
  run_.objects.push_back({entity_index, v.index(), false, 0});
  const int op = static_cast<int>(op_);

  // Pass 1: map keys to fields; find repeated keys (eHOKS keeps the last one).
  constexpr std::size_t inline_members = 64;
  std::int16_t inline_index[inline_members];
  std::vector<std::int16_t> heap_index;
  std::int16_t* field_of = inline_index;
  if (v.size() > inline_members) {
    heap_index.resize(v.size());
    field_of = heap_index.data();
  }
  std::uint64_t seen = 0;
  bool repeated = false;
  std::size_t k = 0;
  std::size_t last_of[64];  // the member index of each field's last occurrence (valid for `seen` bits)
  for (auto& m : v) {
    const int f = entity.field_index(m.key().str());
    field_of[k++] = static_cast<std::int16_t>(f);
    if (f >= 0) {
      const std::uint64_t bit = std::uint64_t{1} << f;
      if (seen & bit) repeated = true;
      seen |= bit;
      last_of[f] = k - 1;
    }
  }
  // Pass 2: check each member.
  k = 0;
  std::uint64_t done = 0, clean_fields = 0;
  for (auto& m : v) {
    const int f = field_of[k++];
    const std::string_view key = m.key().str();
    if (f < 0) {
      std::vector<std::string_view> keys;
      for (const Field& known : entity.fields) keys.push_back(known.key);
      report(RuleId::unknown_key, m.value(),
             {{"key", shown(key)}, {"entity", entity.name}, {"suggestion", closest_word(key, keys)}}, m.key());
      continue;
    }
    const Field& field = entity.fields[static_cast<std::size_t>(f)];
    if (field.presence[op] == Presence::excluded) {
      report(RuleId::excluded_key, m.value(), {{"key", field.key}, {"operation", std::string(to_string(op_))}}, m.key());
      continue;
    }
    if (repeated) {
      // Only the last occurrence counts; flag the earlier ones.
      if (last_of[f] != k - 1) {
        run_.report(RuleId::duplicate_key, m.value(), {{"key", field.key}}, m.key());
        continue;
      }
    }
    done |= std::uint64_t{1} << f;
    const std::size_t errors_in_field = errors;
    value(*field.type, m.value(), field.key);
    if (errors == errors_in_field) clean_fields |= std::uint64_t{1} << f;
  }
  std::uint64_t missing = entity.required[op] & ~done;
  while (missing) {
    const int f = __builtin_ctzll(missing);
    missing &= missing - 1;
    report(RuleId::missing_key, v, {{"key", entity.fields[static_cast<std::size_t>(f)].key}, {"entity", entity.name}});
  }
  run_.objects[slot].clean = errors == errors_before;
  run_.objects[slot].clean_fields = clean_fields;
}

// The registered checks of one model by where they run (rules.yaml `attachment`), in catalog order.
struct RulePlan {
  struct FieldRule {
    int field;
    const RuleImpl* rule;
  };
  std::vector<std::vector<const RuleImpl*>> object_rules;  // by entity
  std::vector<std::vector<FieldRule>> field_rules;         // by entity
  std::vector<const RuleImpl*> document_rules;

  explicit RulePlan(const Model& model)
      : object_rules(model.entities().size()), field_rules(model.entities().size()) {
    std::vector<const RuleImpl*> rules;
    for (const RuleImpl& r : rule_table()) rules.push_back(&r);
    std::stable_sort(rules.begin(), rules.end(), [](const RuleImpl* a, const RuleImpl* b) { return a->id < b->id; });
    for (const RuleImpl* r : rules) {
      const RuleFacts& f = facts(r->id);
      if (f.attachment == Attachment::document) {
        document_rules.push_back(r);
        continue;
      }
      std::string_view names = f.entities;
      while (!names.empty()) {
        const std::size_t space = names.find(' ');
        const std::string_view name = names.substr(0, space);
        names = space == std::string_view::npos ? std::string_view{} : names.substr(space + 1);
        const int e = model.entity_index(name);
        if (e < 0) continue;  // an entity this model version does not have
        const auto slot = static_cast<std::size_t>(e);
        if (f.attachment == Attachment::object) object_rules[slot].push_back(r);
        else if (const int field = model.entity(e).field_index(f.field); field >= 0) field_rules[slot].push_back({field, r});
      }
    }
  }
};

}  // namespace
}  // namespace detail

bool RuleConfig::enabled(std::string_view rule) const {
  if (ignore.count(rule)) return false;
  return select.empty() || select.count(rule) > 0;
}

Validator::Validator(const Model& model, const Catalog& catalog) : model_(model), catalog_(catalog) {}

void Validator::validate_schema(JsonValue root, Operation op, std::vector<Finding>& out) const {
  ValidationOptions options;
  options.operation = op;
  options.max_findings = 0;
  detail::RuleRun run(*this, root, options, out);
  detail::SchemaWalk walk(run, op);
  walk.value(model_.root_type(), root, "");
}

void Validator::validate(JsonValue root, const ValidationOptions& given, std::vector<Finding>& out) const {
  // The document's own study right (eHOKS fetches it from KOSKI by opiskeluoikeus-oid, §4.2 step 2).
  ValidationOptions options = given;
  JsonValue unknown_oid;
  if (!options.study_right && options.study_rights && !options.study_rights->empty()) {
    const JsonValue oid = root.is_object() ? root.get("opiskeluoikeus-oid") : JsonValue{};
    if (oid.is_string()) {
      options.study_right = options.study_rights->find(oid.str());
      if (!options.study_right) unknown_oid = oid;
    } else if (options.operation != Operation::create) {
      options.study_right = options.study_rights->only();  // PUT/PATCH: the stored HOKS's study right
    }
  }
  detail::RuleRun run(*this, root, options, out);
  if (unknown_oid.valid()) run.report(detail::RuleId::study_right_not_found, unknown_oid, {{"oid", std::string(unknown_oid.str())}});
  run.objects.reserve(64);
  detail::SchemaWalk walk(run, options.operation);
  walk.value(model_.root_type(), root, "");

  // Rule stage, in document order: a field's checks whenever its value passed the schema stage; an
  // object's checks when nothing inside it failed, and of eHOKS's own only the first failing one
  // (eHOKS nests them); then the document's.
  static thread_local std::unique_ptr<detail::RulePlan> plan;
  static thread_local const Model* plan_model = nullptr;
  if (plan_model != &model_) {
    plan = std::make_unique<detail::RulePlan>(model_);
    plan_model = &model_;
  }
  std::size_t skipped_context = 0;
  // Runs `rule` on `object` unless configured off or without its study right; true when it reported.
  auto run_rule = [&](const detail::RuleImpl& rule, JsonValue object) {
    if (!run.enabled(rule.id)) return false;
    if (detail::facts(rule.id).needs_context && !options.study_right) {
      skipped_context += !unknown_oid.valid();  // not found: said by study-right-not-found
      return false;
    }
    const std::size_t before = run.attempts;
    rule.check(run, object);
    return run.attempts != before;
  };
  const std::size_t object_count = run.objects.size();
  std::size_t pending = 0;  // objects with errors inside whose own checks did not run
  JsonValue last_pending;
  for (std::size_t i = 0; i < object_count; ++i) {
    const detail::ObjectRef ref = run.objects[i];
    const JsonValue object(root.document(), ref.node);
    const auto entity = static_cast<std::size_t>(ref.entity);
    for (const auto& [field, rule] : plan->field_rules[entity])
      if (ref.clean_fields >> field & 1) run_rule(*rule, object);
    if (!ref.clean) {
      if (!plan->object_rules[entity].empty()) {
        ++pending;
        last_pending = object;  // the innermost of the first ones: where the error is
      }
      continue;
    }
    bool ehoks_failed = false;
    for (const detail::RuleImpl* rule : plan->object_rules[entity]) {
      const bool ehoks = detail::facts(rule->id).ehoks;
      if (ehoks && ehoks_failed) continue;
      if (run_rule(*rule, object) && ehoks) ehoks_failed = true;
    }
  }
  // Said once per document: fixing the errors can bring up the checks that eHOKS makes after them.
  if (pending > 0) run.report(detail::RuleId::object_checks_pending, last_pending, {{"count", std::to_string(pending)}});
  if (object_count > 0)
    for (const detail::RuleImpl* rule : plan->document_rules) run_rule(*rule, root);
  // Not made when said before in the run (it would be dropped); past max_findings it is counted as before.
  if (skipped_context > 0 && !(options.context_noted && run.would_add(detail::RuleId::context_missing)))
    run.report(detail::RuleId::context_missing, root, {{"count", std::to_string(skipped_context)}});
  // Said even under --select (a report must not look complete when it is not); --ignore silences it.
  if (run.dropped > 0 && (!options.config || !options.config->ignore.count("findings-truncated"))) {
    Finding f;
    f.rule = "findings-truncated";
    f.severity = run.dropped_severity;  // a truncated error still fails the run
    f.offset = root.offset();
    f.args = {{"limit", std::to_string(options.max_findings)}, {"count", std::to_string(run.dropped)}};
    out.push_back(std::move(f));
  }
}

void resolve_locations(std::vector<Finding>& findings, LineIndex& index, std::uint32_t line_base) {
  // One forward pass over the text: the findings in the order of their offsets.
  thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> order;  // offset, finding; reused
  order.clear();
  for (std::size_t i = 0; i < findings.size(); ++i)
    if (findings[i].location.line == 0) order.emplace_back(findings[i].offset, static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end());
  for (const auto& [offset, i] : order) {
    const TextPosition p = index.locate(offset);
    findings[i].location.line = p.line + line_base - 1;
    findings[i].location.column = p.column;
  }
}

}  // namespace hoks
