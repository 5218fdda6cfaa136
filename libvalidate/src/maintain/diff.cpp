#include "hoks/maintain/diff.hpp"

#include <cerrno>
#include <cstdlib>

#include <algorithm>
#include <stdexcept>

#include "hoks/maintain/apply.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/read/json.hpp"
#include "hoks/check/validate.hpp"
#include "read/json_tree.hpp"

namespace hoks {
namespace {

using detail::Tree;

// Keys that name a part within its list, per entity, tried in order (ehoks-model.md §4.4: clients
// keep yksiloiva-tunniste stable; units are named by their ePerusteet code).
const std::vector<std::string>& identity_keys(std::string_view entity) {
  static const std::vector<std::pair<std::string_view, std::vector<std::string>>> table = {
      {"OHT", {"yksiloiva-tunniste"}},
      {"HATO", {"tutkinnon-osa-koodi-uri"}},
      {"HYTO", {"tutkinnon-osa-koodi-uri"}},
      {"AHATO", {"tutkinnon-osa-koodi-uri"}},
      {"AHYTO", {"tutkinnon-osa-koodi-uri"}},
      {"HYTOOsaAlue", {"osa-alue-koodi-uri"}},
      {"AHYTOOsaAlue", {"osa-alue-koodi-uri"}},
      {"HPTO", {"amosaa-tunniste", "nimi"}},
      {"AHPTO", {"amosaa-tunniste", "nimi"}},
      {"KoulutuksenOsa", {"koulutuksen-osa-koodi-uri"}},
      {"OTO", {"nimi"}},
      {"KoodistoKoodi", {"koodi-uri"}},
  };
  static const std::vector<std::string> none;
  for (const auto& [name, keys] : table)
    if (name == entity) return keys;
  return none;
}

// "key=value" naming the part, or "" when it has none of its entity's identity keys.
std::string identity(const Tree& item, std::string_view entity) {
  if (!item.is_object()) return "";
  for (const auto& key : identity_keys(entity)) {
    auto it = item.find(key);
    if (it != item.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
      return key + "=" + it->get<std::string>();
  }
  return "";
}

std::string escape_pointer(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

bool server_generated(std::string_view key, bool top) {
  if (key == "module-id") return true;
  if (key == "id") return true;  // top: the HOKS id (given with --id); nested: recreated on PUT
  return top && (key == "eid" || key == "manuaalisyotto" || key == "poistettu");
}

// Equal as stored content: ignoring nested ids.
bool same_content(Tree a, Tree b) {
  detail::strip_ids(a);
  detail::strip_ids(b);
  return a == b;
}

class Comparer {
 public:
  explicit Comparer(const Model& model) : model_(model) {}
  std::vector<HoksChange> changes;

  void object(const Entity& e, const Tree& o, const Tree& n, const std::string& po, const std::string& pn,
              const std::string& where, bool top) {
    auto field_type = [&](const std::string& key) -> const ValueType* {
      const Field* f = e.field(key);
      return f ? f->type : nullptr;
    };
    auto child_where = [&](const std::string& key) { return where.empty() ? key : where + "/" + key; };
    static const Tree empty_array = Tree::array();
    for (auto& [key, nv] : n.items()) {
      if (server_generated(key, top)) continue;
      const std::string cp = pn + "/" + escape_pointer(key);
      auto it = o.find(key);
      const bool parts = top && detail::is_part_array(key);
      if (it == o.end() && !parts) {
        add(HoksChange::Kind::added, cp, child_where(key), nullptr, &nv, top);
        continue;
      }
      const Tree& ov = it == o.end() ? empty_array : *it;
      value(field_type(key), ov, nv, po + "/" + escape_pointer(key), cp, child_where(key), top);
    }
    for (auto& [key, ov] : o.items()) {
      if (server_generated(key, top) || n.contains(key)) continue;
      const std::string cp = po + "/" + escape_pointer(key);
      if (top && detail::is_part_array(key)) {
        value(field_type(key), ov, empty_array, cp, pn + "/" + escape_pointer(key), child_where(key), top);
        continue;
      }
      add(HoksChange::Kind::removed, cp, child_where(key), &ov, nullptr, top);
    }
  }

 private:
  void add(HoksChange::Kind kind, const std::string& path, const std::string& where, const Tree* o, const Tree* n,
           bool top) {
    HoksChange c;
    c.kind = kind;
    c.path = path;
    c.where = where;
    if (o) c.old_value = o->dump();
    if (n) c.new_value = n->dump();
    c.top_level_value = top;
    changes.push_back(std::move(c));
  }

  void value(const ValueType* type, const Tree& o, const Tree& n, const std::string& po, const std::string& pn,
             const std::string& where, bool top) {
    if (type && type->base == BaseType::object && o.is_object() && n.is_object()) {
      object(model_.entity(type->entity), o, n, po, pn, where, false);
      return;
    }
    if (type && type->base == BaseType::array && type->item->base == BaseType::object && o.is_array() &&
        n.is_array()) {
      parts(model_.entity(type->item->entity), o, n, po, pn, where);
      return;
    }
    if (!same_content(o, n)) add(HoksChange::Kind::changed, pn, where, &o, &n, top && !detail::is_part_array(where));
  }

  void parts(const Entity& e, const Tree& olds, const Tree& news, const std::string& po, const std::string& pn,
             const std::string& where) {
    const std::size_t no = olds.size(), nn = news.size();
    std::vector<int> match(nn, -1);
    std::vector<bool> used(no, false);
    auto pair = [&](std::size_t j, std::size_t i) {
      match[j] = static_cast<int>(i);
      used[i] = true;
    };
    // 1. module-id, when both sides carry it (GET snapshots).
    for (std::size_t j = 0; j < nn; ++j) {
      if (!news[j].is_object() || !news[j].contains("module-id")) continue;
      for (std::size_t i = 0; i < no; ++i)
        if (!used[i] && olds[i].is_object() && olds[i].contains("module-id") &&
            olds[i]["module-id"] == news[j]["module-id"]) {
          pair(j, i);
          break;
        }
    }
    // 2. identity keys with equal content (several parts may share a unit code), 3. equal content,
    // then identity keys alone.
    for (int pass = 0; pass < 3; ++pass) {
      for (std::size_t j = 0; j < nn; ++j) {
        if (match[j] >= 0) continue;
        const std::string id = identity(news[j], e.name);
        if (pass != 1 && id.empty()) continue;
        for (std::size_t i = 0; i < no; ++i) {
          if (used[i]) continue;
          const bool same_id = !id.empty() && identity(olds[i], e.name) == id;
          if ((pass == 0 && same_id && same_content(olds[i], news[j])) || (pass == 1 && same_content(olds[i], news[j])) ||
              (pass == 2 && same_id)) {
            pair(j, i);
            break;
          }
        }
      }
    }
    // 4. position, as a last resort: parts that are not two different identities.
    std::size_t next = 0;
    for (std::size_t j = 0; j < nn; ++j) {
      if (match[j] >= 0) continue;
      const std::string idn = identity(news[j], e.name);
      for (std::size_t i = next; i < no; ++i) {
        if (used[i]) continue;
        const std::string ido = identity(olds[i], e.name);
        if (!idn.empty() && !ido.empty()) continue;
        pair(j, i);
        next = i + 1;
        break;
      }
    }
    auto label = [&](const Tree& list, std::size_t index) {
      const std::string id = identity(list[index], e.name);
      if (id.empty()) return where + "[#" + std::to_string(index) + "]";
      const auto same = std::count_if(list.begin(), list.end(), [&](const Tree& t) { return identity(t, e.name) == id; });
      return where + "[" + id + (same > 1 ? " #" + std::to_string(index) : "") + "]";
    };
    for (std::size_t j = 0; j < nn; ++j) {
      const std::string pj = pn + "/" + std::to_string(j);
      if (match[j] < 0) {
        add(HoksChange::Kind::added, pj, label(news, j), nullptr, &news[j], false);
        continue;
      }
      const std::size_t i = static_cast<std::size_t>(match[j]);
      const std::string pi = po + "/" + std::to_string(i);
      if (news[j].is_object() && olds[i].is_object())
        object(e, olds[i], news[j], pi, pj, label(news, j), false);
      else if (!same_content(olds[i], news[j]))
        add(HoksChange::Kind::changed, pj, label(news, j), &olds[i], &news[j], false);
    }
    for (std::size_t i = 0; i < no; ++i)
      if (!used[i]) add(HoksChange::Kind::removed, po + "/" + std::to_string(i), label(olds, i), &olds[i], nullptr, false);
  }

  const Model& model_;
};

Tree read_hoks(std::string_view text, std::string_view what, const Model& model) {
  Tree t = detail::parse_tree(text, what);
  if (!t.is_object()) throw std::invalid_argument(std::string(what) + ": a HOKS must be a JSON object");
  detail::normalize(t, model.root_type(), model);
  return t;
}

std::vector<HoksChange> compare_trees(const Tree& o, const Tree& n, const Model& model) {
  Comparer c(model);
  c.object(model.entity(model.root_type().entity), o, n, "", "", "", true);
  return std::move(c.changes);
}

}  // namespace

std::string_view to_string(HoksChange::Kind kind) {
  switch (kind) {
    case HoksChange::Kind::added: return "added";
    case HoksChange::Kind::removed: return "removed";
    case HoksChange::Kind::changed: return "changed";
  }
  return "changed";
}

bool PlannedRequest::valid() const {
  return std::none_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == Severity::error; });
}

std::vector<HoksChange> compare_hoks(std::string_view old_json, std::string_view new_json, const Model& model) {
  return compare_trees(read_hoks(old_json, "old", model), read_hoks(new_json, "new", model), model);
}

std::int64_t snapshot_hoks_id(std::string_view old_json, std::string_view new_json) {
  for (const std::string_view text : {new_json, old_json}) {
    JsonDocument doc;
    if (!doc.parse(text)) continue;
    const JsonValue id = doc.root().get("id");
    if (!id.valid() || id.type() != JsonType::number) continue;
    const std::string token(id.str());
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(token.c_str(), &end, 10);
    if (errno == 0 && end == token.c_str() + token.size() && v > 0) return v;
  }
  return 0;
}

UpdatePlan plan_update(std::string_view old_json, std::string_view new_json, const DiffOptions& options,
                       const Model& model, const Catalog& catalog) {
  const Tree o = read_hoks(old_json, "old", model), n = read_hoks(new_json, "new", model);
  UpdatePlan plan;
  plan.changes = compare_trees(o, n, model);
  if (plan.changes.empty()) return plan;

  bool parts_changed = false;
  for (const auto& c : plan.changes) {
    if (!c.top_level_value) {
      parts_changed = true;
      continue;
    }
    const std::string key = c.where;
    if (c.kind == HoksChange::Kind::removed) {
      if (put_clears_when_omitted(key)) parts_changed = true;  // only a PUT can clear it
      else plan.notes.push_back({"cannot-remove", key});
    } else if (key == "opiskeluoikeus-oid" && c.kind == HoksChange::Kind::changed) {
      plan.notes.push_back({"immutable", key});
    } else if (key == "oppija-oid" && c.kind == HoksChange::Kind::changed) {
      plan.notes.push_back({"oppija-oid", key});
    }
  }

  PlannedRequest request;
  Tree body = Tree::object();
  body["id"] = options.hoks_id;
  const Entity& root = model.entity(model.root_type().entity);
  if (!parts_changed) {
    request.operation = Operation::update;
    for (const auto& c : plan.changes)
      if (c.kind != HoksChange::Kind::removed) body[c.where] = n[c.where];
  } else {
    request.operation = Operation::replace;
    for (auto& [key, value] : n.items()) {
      if (server_generated(key, true)) continue;
      const Field* f = root.field(key);
      if (f && f->presence[static_cast<int>(Operation::replace)] == Presence::excluded) continue;
      Tree v = value;
      detail::strip_ids(v);
      body[key] = std::move(v);
    }
  }
  request.body = body.dump(2) + "\n";

  JsonDocument doc;
  doc.parse(request.body);
  ValidationOptions vo;
  vo.operation = request.operation;
  vo.manual_entry = options.manual_entry;
  vo.today = options.today;
  const Validator validator(model, catalog);
  validator.validate(doc.root(), vo, request.findings);
  LineIndex index(request.body);
  resolve_locations(request.findings, index);
  sort_findings(request.findings);

  const std::string stored = apply_update(old_json, request.body, request.operation, model);
  plan.reproduces = compare_trees(read_hoks(stored, "stored", model), n, model).empty();
  plan.request = std::move(request);
  return plan;
}

namespace {

struct Phrases {
  const char *changes, *no_changes, *added, *removed, *changed, *plan_patch, *plan_put, *valid, *invalid,
      *reproduces, *not_reproduces, *cannot_remove, *immutable, *oppija_oid;
};

const Phrases& phrases(Lang lang) {
  static const Phrases fi{"Muutokset",
                          "Ei muutoksia: tallennettu HOKS on jo uuden tilanteen mukainen, mitään ei tarvitse lähettää.",
                          "lisätty",
                          "poistettu",
                          "muutettu",
                          "Päivityssuunnitelma: PATCH (vain ylätason arvot muuttuivat)",
                          "Päivityssuunnitelma: PUT (osia muuttui; eHOKSissa ei ole osakohtaisia rajapintoja)",
                          "Runko on kelvollinen tälle operaatiolle.",
                          "Runko ei kelpaa tälle operaatiolle: eHOKS hylkäisi sen.",
                          "Rungon soveltaminen vanhaan tilaan tuottaa uuden tilan.",
                          "Rungon soveltaminen vanhaan tilaan EI tuota uutta tilaa.",
                          "eHOKS ei voi poistaa kenttää `{key}`: PUT säilyttää sen ja PATCH ei voi tyhjentää sitä (ehoks-model.md §4.3).",
                          "eHOKS hylkää kentän `{key}` muutoksen: opiskeluoikeus-oid ei muutu luonnin jälkeen (§4.3).",
                          "eHOKS hyväksyy uuden oppija-oidin vain, jos se on vanhan oppijan ONR-pääoidi (§4.3)."};
  static const Phrases sv{"Ändringar",
                          "Inga ändringar: den lagrade PUK:en motsvarar redan det nya läget, inget behöver skickas.",
                          "tillagt",
                          "borttaget",
                          "ändrat",
                          "Uppdateringsplan: PATCH (endast värden på översta nivån ändrades)",
                          "Uppdateringsplan: PUT (delar ändrades; eHOKS har inga gränssnitt per del)",
                          "Innehållet är giltigt för denna operation.",
                          "Innehållet är inte giltigt för denna operation: eHOKS skulle avvisa det.",
                          "Att tillämpa innehållet på det gamla läget ger det nya läget.",
                          "Att tillämpa innehållet på det gamla läget ger INTE det nya läget.",
                          "eHOKS kan inte ta bort fältet `{key}`: PUT behåller det och PATCH kan inte tömma det (ehoks-model.md §4.3).",
                          "eHOKS avvisar en ändring av `{key}`: opiskeluoikeus-oid ändras inte efter skapandet (§4.3).",
                          "eHOKS godtar en ny oppija-oid endast om den är den gamla elevens huvud-oid i ONR (§4.3)."};
  static const Phrases en{"Changes",
                          "No changes: the stored HOKS already matches the new snapshot, nothing needs to be sent.",
                          "added",
                          "removed",
                          "changed",
                          "Update plan: PATCH (only top-level values changed)",
                          "Update plan: PUT (parts changed; eHOKS has no per-part endpoints)",
                          "The body is valid for this operation.",
                          "The body is not valid for this operation: eHOKS would reject it.",
                          "Applying the body to the old state gives the new state.",
                          "Applying the body to the old state does NOT give the new state.",
                          "eHOKS cannot remove `{key}`: PUT keeps it and PATCH cannot clear it (ehoks-model.md §4.3).",
                          "eHOKS rejects a change of `{key}`: opiskeluoikeus-oid is immutable after creation (§4.3).",
                          "eHOKS accepts a new oppija-oid only when it is the ONR master oid of the old learner (§4.3)."};
  return lang == Lang::fi ? fi : lang == Lang::sv ? sv : en;
}

std::string note_text(const PlanNote& note, Lang lang) {
  const Phrases& p = phrases(lang);
  const char* t = note.code == "cannot-remove" ? p.cannot_remove : note.code == "immutable" ? p.immutable : p.oppija_oid;
  return detail::fill_template(t, {{"key", note.key}});
}

}  // namespace

std::string render_plan_text(const UpdatePlan& plan, std::int64_t hoks_id, const Catalog& catalog, Lang lang) {
  const Phrases& p = phrases(lang);
  if (plan.changes.empty()) return std::string(p.no_changes) + "\n";
  std::string out = std::string(p.changes) + " (" + std::to_string(plan.changes.size()) + "):\n";
  for (const auto& c : plan.changes) {
    const char* sign = c.kind == HoksChange::Kind::added ? "+" : c.kind == HoksChange::Kind::removed ? "-" : "~";
    const char* word = c.kind == HoksChange::Kind::added ? p.added : c.kind == HoksChange::Kind::removed ? p.removed : p.changed;
    out += "  " + std::string(sign) + " " + c.where + " (" + word + ")";
    auto shorten = [](const std::string& v) { return v.size() > 60 ? v.substr(0, 57) + "..." : v; };
    if (c.kind == HoksChange::Kind::changed && c.top_level_value)
      out += ": " + shorten(c.old_value) + " -> " + shorten(c.new_value);
    else if (c.kind == HoksChange::Kind::changed && c.old_value.size() + c.new_value.size() < 100)
      out += ": " + c.old_value + " -> " + c.new_value;
    out += "\n";
  }
  for (const auto& n : plan.notes) out += "! " + note_text(n, lang) + "\n";
  if (!plan.request) return out;
  const PlannedRequest& r = *plan.request;
  const bool patch = r.operation == Operation::update;
  out += "\n" + std::string(patch ? p.plan_patch : p.plan_put) + "\n";
  out += std::string(patch ? "PATCH" : "PUT") + " /hoks/" + std::to_string(hoks_id) + "\n" + r.body;
  out += (r.valid() ? "✓ " : "✗ ") + std::string(r.valid() ? p.valid : p.invalid) + "\n";
  for (const auto& f : r.findings) {
    if (f.severity == Severity::info) continue;
    out += "  " + std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + ": " +
           std::string(to_string(f.severity)) + "[" + f.rule + "]: " + catalog.message(f, lang) + "\n";
  }
  out += (plan.reproduces ? "✓ " : "✗ ") + std::string(plan.reproduces ? p.reproduces : p.not_reproduces) + "\n";
  return out;
}

std::string render_plan_json(const UpdatePlan& plan, std::int64_t hoks_id, const Catalog& catalog, Lang lang) {
  Tree out = Tree::object();
  out["changes"] = Tree::array();
  for (const auto& c : plan.changes) {
    Tree j = Tree::object();
    j["kind"] = std::string(to_string(c.kind));
    j["path"] = c.path;
    j["where"] = c.where;
    j["top-level"] = c.top_level_value;
    if (!c.old_value.empty()) j["old"] = Tree::parse(c.old_value);
    if (!c.new_value.empty()) j["new"] = Tree::parse(c.new_value);
    out["changes"].push_back(std::move(j));
  }
  if (plan.request) {
    const PlannedRequest& r = *plan.request;
    Tree req = Tree::object();
    req["operation"] = std::string(to_string(r.operation));
    req["method"] = r.operation == Operation::update ? "PATCH" : "PUT";
    req["path"] = "/hoks/" + std::to_string(hoks_id);
    req["body"] = Tree::parse(r.body);
    req["valid"] = r.valid();
    req["findings"] = Tree::array();
    for (const auto& f : r.findings) {
      Tree jf = Tree::object();
      jf["rule"] = f.rule;
      jf["severity"] = std::string(to_string(f.severity));
      jf["path"] = f.path;
      jf["message"] = catalog.message(f, lang);
      req["findings"].push_back(std::move(jf));
    }
    out["plan"] = std::move(req);
  } else {
    out["plan"] = nullptr;
  }
  out["notes"] = Tree::array();
  for (const auto& n : plan.notes)
    out["notes"].push_back(Tree{{"code", n.code}, {"key", n.key}, {"message", note_text(n, lang)}});
  out["reproduces"] = plan.reproduces;
  return out.dump(2) + "\n";
}

}  // namespace hoks
