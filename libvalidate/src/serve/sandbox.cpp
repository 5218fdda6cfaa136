#include "hoks/serve/sandbox.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <ctime>
#include <algorithm>
#include <stdexcept>
#include <variant>

#include "hoks/check/validate.hpp"
#include "hoks/serve/ehoks_errors.hpp"
#include "maintain/apply_tree.hpp"
#include "serve/request_log.hpp"
#include "serve/store.hpp"
#include "serve/stored.hpp"
#include "serve/study_rights.hpp"

namespace hoks::serve {
namespace {

using detail::Tree;

// The findings of the request this thread is answering (handle() runs on one thread).
thread_local std::vector<Finding> request_findings;

std::string query_string(const std::multimap<std::string, std::string>& query) {
  std::string out;
  for (const auto& [k, v] : query) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

// A query parameter as a count, `fallback` when absent or not a number.
std::uint64_t query_number(const Request& req, const char* name, std::uint64_t fallback) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return fallback;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return ec == std::errc() && p == it->second.data() + it->second.size() ? v : fallback;
}

Response json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response error(int status, std::string_view message) {
  std::string body = "{\"error\":";
  detail::append_json_string(body, message);
  return json(status, body + "}");
}

Response route_not_found() { return json(404, R"({"reason":"Route not found"})"); }
Response hoks_not_found() { return error(404, "HOKS not found"); }

// A compojure-api request-validation body for parameters (`in` is header-params, path-params ...).
Response parameter_error(std::string_view in, const Tree& errors, const Tree& value) {
  return json(400, "{\"errors\":" + errors.dump() + ",\"coercion\":\"schema\",\"value\":" + value.dump() +
                       ",\"in\":[\"request\",\"" + std::string(in) +
                       "\"],\"type\":\"compojure.api.exception/request-validation\"}");
}

// A path parameter as ring-swagger's string->long reads it.
std::optional<long long> parse_long(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string pr_param(std::string_view s) {
  JsonDocument d;
  std::string quoted;
  detail::append_json_string(quoted, s);
  d.parse(quoted);
  return clojure_value_name(d.root());
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 1;
  while (i <= path.size()) {
    const std::size_t j = path.find('/', i);
    const std::size_t end = j == std::string_view::npos ? path.size() : j;
    out.push_back(path.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

bool is_json_content(const Request& req) {
  auto it = req.headers.find("content-type");
  if (it == req.headers.end()) return false;
  std::string t = it->second.substr(0, it->second.find(';'));
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t == "application/json";
}

// The Vipunen form of a stored HOKS (§4.1).
void vipunen(Tree& t, bool arvioija) {
  if (t.is_array()) {
    for (auto& v : t) vipunen(v, arvioija);
    return;
  }
  if (!t.is_object()) return;
  t.erase("jarjestajan-edustaja");
  t.erase("hankkijan-edustaja");
  if (t.contains("vastuullinen-tyopaikka-ohjaaja")) t["vastuullinen-tyopaikka-ohjaaja"] = true;
  if (arvioija && t.contains("nimi")) t["nimi"] = "<REDACTED>";
  for (auto& [k, v] : t.items()) vipunen(v, std::string_view(k).ends_with("arvioijat"));
}

Date system_today() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace

struct Sandbox::Impl {
  SandboxOptions options;
  Store store;
  StudyRights rights;
  Validator validator;
  RequestLog requests;

  explicit Impl(SandboxOptions o)
      : options(std::move(o)), store(options.db, options.durable), rights(options.study_rights), requests(options.keep_requests) {}

  std::optional<Response> check_headers(const Request& req, bool ticket) {
    Tree errors = Tree::object();
    if (!req.headers.count("caller-id")) errors["caller-id"] = "missing-required-key";
    if (ticket && !req.headers.count("ticket")) errors["ticket"] = "missing-required-key";
    if (!errors.empty()) {
      Tree value = Tree::object();
      for (const auto& [k, v] : req.headers) value[k] = v;
      return parameter_error("header-params", errors, value);
    }
    if (!ticket) return std::nullopt;
    const std::string& t = req.headers.at("ticket");
    if (options.clerk_ticket && t == *options.clerk_ticket) return error(403, "User type 'PALVELU' is required");
    if (options.ticket && t != *options.ticket)
      return error(401, "User not found for given ticket. Ticket may be expired.");
    return std::nullopt;
  }

  std::variant<long long, Response> path_id(std::string_view name, std::string_view s) {
    if (auto v = parse_long(s)) return *v;
    Tree errors = Tree::object(), value = Tree::object();
    errors[std::string(name)] = "(not (integer? " + pr_param(s) + "))";
    value[std::string(name)] = std::string(s);
    return parameter_error("path-params", errors, value);
  }

  struct Body {
    std::string text = "null";  // nil when the content type is not JSON
    JsonDocument doc;
  };

  // Reads the body as compojure-api does; a Response when it is not well-formed JSON.
  std::optional<Response> read_body(const Request& req, Body& body) {
    if (is_json_content(req)) body.text = req.body;
    JsonLimits limits;
    limits.max_document_bytes = 0;
    if (body.doc.parse(body.text, limits)) return std::nullopt;
    LineIndex index(body.text);
    const auto p = index.locate(body.doc.error_offset());
    Finding& f = request_findings.emplace_back();
    f.rule = "syntax";  // detail::RuleId::syntax
    f.offset = static_cast<std::uint32_t>(body.doc.error_offset());
    f.location.line = p.line;
    f.location.column = p.column;
    f.args = {{"detail", std::string(to_string(body.doc.error()))}};
    std::string out = R"({"type":"muuntaja/decode","format":"application/json","charset":"utf-8","original":)";
    detail::append_json_string(out, std::string(to_string(body.doc.error())) + " at line " + std::to_string(p.line) +
                                ", column " + std::to_string(p.column));
    return json(400, out + R"(,"message":"Malformed application/json request."})");
  }

  // Looks up the study right; `not_found` is set when the folder lacks it.
  const StudyRight* context(const std::shared_ptr<const StudyRights::Map>& map, std::string_view oid, bool& not_found) {
    not_found = false;
    if (options.study_rights.empty()) return nullptr;  // no folder: the context rules are not evaluated
    auto it = map->find(oid);
    if (it == map->end()) {
      not_found = true;
      return nullptr;
    }
    return &it->second;
  }

  std::optional<Response> validate(const Body& body, Operation op, bool manual, const StudyRight* right) {
    ValidationOptions vo;
    vo.operation = op;
    vo.manual_entry = manual;
    vo.today = options.today ? *options.today : system_today();
    vo.study_right = right;
    std::vector<Finding>& findings = request_findings;
    validator.validate(body.doc.root(), vo, findings);
    if (!findings.empty()) {
      LineIndex index(body.text);
      resolve_locations(findings, index);
    }
    for (const auto& f : findings)
      if (f.severity == Severity::error) return json(400, ehoks_validation_body(body.doc, findings));
    return std::nullopt;
  }

  Response create(const Request& req, bool manual) {
    Body body;
    if (auto r = read_body(req, body)) return *r;
    const JsonValue root = body.doc.root();
    const JsonValue oid = root.is_object() ? root.get("opiskeluoikeus-oid") : JsonValue{};
    auto map = rights.current();
    bool not_found = false;
    const StudyRight* right = nullptr;
    if (oid.is_string()) {
      right = context(map, oid.str(), not_found);
      if (not_found) return error(400, "Opiskeluoikeus `" + std::string(oid.str()) + "` not found in Koski");
    }
    if (auto r = validate(body, Operation::create, manual, right)) return *r;
    // Written from the tape outside the store's lock; only the id, the first key, is put in under it.
    const std::string eid = uuid();
    const std::string rest = stored_from_body(root, eid, manual, validator.model());
    auto id = store.insert(std::string(oid.str()), eid, [&](long long id) {
      std::string doc = "{\"id\":" + std::to_string(id) + ",";
      doc.append(rest, 1);
      return doc;
    });
    if (!id) return error(400, "HOKS with the same opiskeluoikeus-oid already exists");
    return json(200, "{\"meta\":{\"id\":" + std::to_string(*id) + "},\"data\":{\"uri\":\"" + req.path + "/" +
                         std::to_string(*id) + "\"}}");
  }

  Response change(const Request& req, long long path_id, Operation op, bool manual) {
    auto stored = store.get_for_update(path_id);
    if (!stored) return hoks_not_found();
    auto map = rights.current();
    bool not_found = false;
    const StudyRight* right = context(map, stored->opiskeluoikeus_oid, not_found);
    if (not_found) return error(400, "Opiskeluoikeus `" + stored->opiskeluoikeus_oid + "` not found in Koski");
    Body body;
    if (auto r = read_body(req, body)) return *r;
    if (auto r = validate(body, op, manual, right)) return *r;
    Tree base = detail::parse_tree(stored->doc, "stored");
    const JsonValue root = body.doc.root();
    for (const char* key : {"opiskeluoikeus-oid", "oppija-oid"}) {
      const JsonValue v = root.get(key);
      if (!v.is_string() || !base.contains(key) || base[key] == std::string(v.str())) continue;
      const std::string from = base[key].get<std::string>(), to(v.str());
      if (key == std::string_view("opiskeluoikeus-oid"))
        return error(400, "Tried to update `opiskeluoikeus-oid` from `" + from + "` to `" + to +
                              "` but updating `opiskeluoikeus-oid` in HOKS is not allowed!");
      return error(400, "Tried to update `oppija-oid` from `" + from + "` to `" + to +
                            "` but updating `oppija-oid` in HOKS is only allowed with latest master oppija oid!");
    }
    Response done = json(204, "");
    long long target = path_id;
    const JsonValue body_id = root.get("id");
    if (auto v = parse_long(body_id.str()); v && *v != path_id) {
      if (options.strict_body_id)
        return error(400, "The body id " + std::to_string(*v) + " differs from the path id " + std::to_string(path_id));
      done.log = "warning: body id " + std::to_string(*v) + " differs from path id " + std::to_string(path_id) +
                 "; eHOKS writes the body id's HOKS (ehoks-model.md §4.4), and so does the sandbox";
      target = *v;
      stored = store.get_for_update(target);
      if (!stored) {
        done.log += " (there is no HOKS " + std::to_string(target) + ": nothing written)";
        return done;
      }
      base = detail::parse_tree(stored->doc, "stored");
    }
    Tree t = detail::apply_tree(std::move(base), detail::parse_tree(body.text, "body"), op, validator.model());
    store.update(target, stored_from_tree(std::move(t), manual));
    return done;
  }

  Response get(long long id) {
    auto stored = store.get(id);
    if (!stored) return hoks_not_found();
    return json(200, "{\"meta\":{},\"data\":" + stored->doc + "}");
  }

  Response by_opiskeluoikeus(std::string_view oid) {
    const ValueType* ooid = validator.model().find_type("OOID");
    if (ooid && ooid->pattern && !ooid->pattern->find(oid)) {
      Tree errors = Tree::object(), value = Tree::object();
      errors["opiskeluoikeus-oid"] = "(not (re-find #\"" + ooid->pattern->source() + "\" " + pr_param(oid) + "))";
      value["opiskeluoikeus-oid"] = std::string(oid);
      return parameter_error("path-params", errors, value);
    }
    auto stored = store.by_opiskeluoikeus(std::string(oid));
    if (!stored) return error(404, "No HOKS found with given opiskeluoikeus");
    Tree t = Tree::parse(stored->doc);
    for (const char* key : detail::part_arrays) t.erase(key);  // top-level fields only
    return json(200, "{\"meta\":{},\"data\":" + t.dump() + "}");
  }

  Response paged(const Request& req) {
    long long amount = 500, from = 0;
    std::string after;
    Tree errors = Tree::object(), value = Tree::object();
    for (const auto& [k, v] : req.query) {
      value[k] = v;
      if (k == "amount" || k == "from-id") {
        auto n = parse_long(v);
        if (!n) errors[k] = "(not (integer? " + pr_param(v) + "))";
        else (k == "amount" ? amount : from) = *n;
      } else if (k == "updated-after") {
        after = v;
      }
    }
    if (!errors.empty()) return parameter_error("query-params", errors, value);
    amount = std::clamp(amount, 1LL, 1000LL);
    Tree result = Tree::array();
    Tree last = nullptr;
    for (auto& row : store.page(from, static_cast<int>(amount), after)) {
      Tree t = Tree::parse(row.doc);
      t.erase("sahkoposti");
      t.erase("puhelinnumero");
      vipunen(t, false);
      result.push_back(std::move(t));
      last = row.id;
    }
    Tree data = Tree::object();
    data["last-id"] = last;
    data["failed-ids"] = Tree::array();
    data["result"] = std::move(result);
    return json(200, "{\"meta\":{},\"data\":" + data.dump() + "}");
  }

  Response validointi(const Request& req) {
    Body body;
    if (auto r = read_body(req, body)) return *r;
    const JsonValue root = body.doc.root();
    const JsonValue oid = root.is_object() ? root.get("opiskeluoikeus-oid") : JsonValue{};
    auto map = rights.current();
    bool not_found = false;
    const StudyRight* right = nullptr;
    if (oid.is_string()) {
      right = context(map, oid.str(), not_found);
      if (not_found) return error(400, "Opiskeluoikeus `" + std::string(oid.str()) + "` not found in Koski");
    }
    if (auto r = validate(body, Operation::create, false, right)) return *r;
    return json(200, R"({"meta":{},"data":{}})");
  }

  Response hoks_routes(const Request& req, const std::vector<std::string_view>& s) {
    const std::string& m = req.method;
    if (s.size() == 1) return m == "POST" ? create(req, false) : route_not_found();
    if (s.size() == 2 && s[1] == "paged") return m == "GET" ? paged(req) : route_not_found();
    if (s.size() == 3 && s[1] == "opiskeluoikeus") return m == "GET" ? by_opiskeluoikeus(s[2]) : route_not_found();
    if (s.size() == 2) {
      if (m != "GET" && m != "PUT" && m != "PATCH") return route_not_found();
      auto id = path_id("hoks-id", s[1]);
      if (auto* r = std::get_if<Response>(&id)) return *r;
      const long long n = std::get<long long>(id);
      if (m == "GET") return get(n);
      return change(req, n, m == "PUT" ? Operation::replace : Operation::update, false);
    }
    static constexpr std::string_view legacy[] = {
        "hankittava-ammat-tutkinnon-osa",      "hankittava-paikallinen-tutkinnon-osa",
        "hankittava-yhteinen-tutkinnon-osa",   "aiemmin-hankittu-ammat-tutkinnon-osa",
        "aiemmin-hankittu-paikallinen-tutkinnon-osa", "aiemmin-hankittu-yhteinen-tutkinnon-osa",
        "opiskeluvalmiuksia-tukevat-opinnot"};
    const bool is_legacy = (s.size() == 3 || s.size() == 4) &&
                           std::find(std::begin(legacy), std::end(legacy), s[2]) != std::end(legacy) &&
                           (s.size() == 3 ? m == "POST" : (m == "GET" || m == "PATCH"));
    const bool is_hankinta = s.size() == 3 && s[2] == "hankintakoulutukset" && m == "GET";
    if (!is_legacy && !is_hankinta) return route_not_found();
    auto id = path_id("hoks-id", s[1]);
    if (auto* r = std::get_if<Response>(&id)) return *r;
    if (!store.get(std::get<long long>(id))) return hoks_not_found();
    if (is_hankinta) return json(200, R"({"meta":{},"data":[]})");
    return json(410, R"({"message":"Route is deprected."})");
  }

  Response virkailija_routes(const Request& req, const std::vector<std::string_view>& s) {
    // virkailija/oppijat/:oppija-oid/hoksit[/:hoks-id]; the path oppija-oid is not compared with the body's.
    if (s.size() < 4 || s[1] != "oppijat" || s[3] != "hoksit" || s.size() > 5) return route_not_found();
    const std::string& m = req.method;
    if (s.size() == 4) return m == "POST" ? create(req, true) : route_not_found();
    if (m != "PUT" && m != "PATCH") return route_not_found();
    auto id = path_id("hoks-id", s[4]);
    if (auto* r = std::get_if<Response>(&id)) return *r;
    return change(req, std::get<long long>(id), m == "PUT" ? Operation::replace : Operation::update, true);
  }

  // Answers `request` and keeps it with its findings (copied to `findings` when given).
  Response answer(const Request& request, std::vector<Finding>* findings) {
    const std::string time = now_utc();
    request_findings.clear();
    Response r;
    try {
      r = handle(request);
    } catch (const std::exception& e) {
      r = json(500, R"({"type":"unknown-exception","class":"java.lang.Exception"})");
      r.log = std::string("error: ") + e.what();
    }
    if (findings) *findings = request_findings;
    keep(request, r, time);
    request_findings.clear();
    return r;
  }

  // Keeps `request`, answered with `r`, with this thread's findings (not the /_sandbox/ routes).
  void keep(const Request& request, const Response& r, std::string time) {
    if (request.path.starts_with("/_sandbox/") || options.keep_requests == 0) return;
    KeptRequest kept;
    kept.time = std::move(time);
    kept.method = request.method;
    kept.path = request.path;
    kept.query = query_string(request.query);
    kept.status = r.status;
    kept.body = request.body;
    kept.body_bytes = request.body.size();
    if (r.status >= 300) kept.response = r.body;
    kept.findings = std::move(request_findings);
    requests.add(std::move(kept));
  }

  Response handle(const Request& req) {
    if (req.path == "/_sandbox/reset") {
      if (req.method != "POST") return route_not_found();
      store.reset();
      requests.clear();
      return json(200, R"({"meta":{},"data":{}})");
    }
    if (req.path == "/_sandbox/requests") {
      if (req.method != "GET") return route_not_found();
      const auto bodies = req.query.find("bodies");
      return json(200, requests.json(query_number(req, "after", 0), std::clamp<std::uint64_t>(query_number(req, "limit", 100), 1, 1000),
                                     bodies != req.query.end() && bodies->second == "true"));
    }
    if (req.path == "/_sandbox/" || req.path == "/_sandbox/requests.html") {
      if (req.method != "GET") return route_not_found();
      const auto lang = req.query.find("lang");
      Response r = json(200, requests.html(std::clamp<std::uint64_t>(query_number(req, "limit", 100), 1, 1000),
                                           lang == req.query.end() ? Lang::fi : parse_lang(lang->second).value_or(Lang::fi)));
      r.content_type = "text/html; charset=utf-8";
      return r;
    }
    if (!req.path.starts_with(base_path) || req.path.size() == base_path.size() || req.path[base_path.size()] != '/')
      return route_not_found();
    const auto s = split(std::string_view(req.path).substr(base_path.size()));
    for (auto seg : s)
      if (seg.empty()) return route_not_found();
    if (s[0] == "hoks") {
      if (auto r = check_headers(req, true)) return *r;
      return hoks_routes(req, s);
    }
    if (s[0] == "validointi" && s.size() == 1) {
      if (req.method != "POST") return route_not_found();
      if (auto r = check_headers(req, false)) return *r;
      return validointi(req);
    }
    if (s[0] == "virkailija") return virkailija_routes(req, s);
    return route_not_found();
  }
};

Sandbox::Sandbox(SandboxOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Sandbox::~Sandbox() = default;

Response Sandbox::handle(const Request& request) { return impl_->answer(request, nullptr); }

void Sandbox::keep(const Request& request, const Response& response) {
  request_findings.clear();
  impl_->keep(request, response, now_utc());
}

std::vector<Sandbox::Seeded> Sandbox::seed(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir + ": not a folder");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<Seeded> out;
  for (const auto& file : files) {
    Request req;
    req.method = "POST";
    req.path = std::string(base_path) + "/hoks";
    req.headers = {{"caller-id", "hoks-serve-seed"}, {"ticket", "seed"}, {"content-type", "application/json"}};
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error(file.string() + ": cannot be read");
    req.body = std::move(text).str();
    Seeded& s = out.emplace_back();
    s.file = file.string();
    s.response = impl_->answer(req, &s.findings);
  }
  return out;
}

}  // namespace hoks::serve
