// hoks serve over loopback: the real server process, a real HTTP client (cpp-httplib's).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "hoks/check/checks.hpp"
#include "hoks/serve/sandbox.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string base = "/ehoks-virkailija-backend/api/v1";
const std::string oppija = "1.2.246.562.24.44651722625";

// The n-th opiskeluoikeus oid with a valid check digit.
std::string study_right_oid(int n) {
  const std::string stem = "1.2.246.562.15." + std::to_string(20000000000LL + n * 10LL);
  for (int d = 0; d < 10; ++d) {
    std::string oid = stem.substr(0, stem.size() - 1) + std::to_string(d);
    if (hoks::oid_check_digit_valid(oid)) return oid;
  }
  return stem.substr(0, stem.size() - 1) + "0";
}

// A folder of study rights: `count` vocational ones (2023-08-01..2026-07-31) and one TUVA.
struct Rights {
  fs::path dir;
  explicit Rights(const fs::path& at, int count) : dir(at) {
    fs::create_directories(dir);
    json proto = json::parse(hoks::test::read(hoks::test::source_dir() / "fixtures/context/ammatillinen.json"));
    for (int i = 0; i < count; ++i) add(proto, study_right_oid(i));
    json tuva = json::parse(hoks::test::read(hoks::test::source_dir() / "fixtures/context/tuva.json"));
    std::ofstream(dir / "tuva.json") << tuva.dump();
  }
  void add(json proto, const std::string& oid) const {
    proto["oid"] = oid;
    std::ofstream(dir / (oid + ".json")) << proto.dump();
  }
};

std::string minimal(const std::string& oid, const std::string& extra = "") {
  return R"({"oppija-oid":")" + oppija + R"(","opiskeluoikeus-oid":")" + oid +
         R"(","ensikertainen-hyvaksyminen":"2024-01-02","osaamisen-hankkimisen-tarve":true)" + extra + "}";
}

// The real server: `hoks serve --port 0 ...`, its port read from the line it prints.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> args) {
    static int n = 0;
    log_ = (fs::temp_directory_path() / ("hoks-serve-test-" + std::to_string(getpid()) + "-" + std::to_string(n++) + ".log")).string();
    start(std::move(args));
  }
  ~ServerProcess() {
    stop();
    fs::remove(log_);
  }

  void start(std::vector<std::string> args) {
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // no server outlives a test process that aborted
      dup2(out[1], 1);
      close(out[0]);
      FILE* err = std::fopen(log_.c_str(), "a");
      if (err) dup2(fileno(err), 2);
      std::vector<std::string> all = {hoks::test::hoks_binary(), "serve", "--port", "0"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const auto colon = line.rfind(':');
    ASSERT_NE(colon, std::string::npos) << "the server printed: " << line;
    port_ = std::stoi(line.substr(colon + 1));
  }
  // Stops with SIGTERM; returns the exit status.
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    return reap();
  }
  void kill9() {
    kill(pid_, SIGKILL);
    reap();
  }
  int port() const { return port_; }
  // A "VmRSS"-style line of /proc/PID/status, in kB.
  long status_kb(const std::string& key) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
    return -1;
  }
  // The server's standard error (its request log).
  std::string log() const { return hoks::test::read(log_); }

 private:
  int reap() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Client {
  httplib::Client http;
  httplib::Headers headers{{"caller-id", "test"}, {"ticket", "ST-1"}};
  explicit Client(int port) : http("127.0.0.1", port) {
    http.set_keep_alive(true);
    http.set_tcp_nodelay(true);
    http.set_read_timeout(10, 0);
  }
  httplib::Result post(const std::string& path, const std::string& body, const std::string& type = "application/json") {
    return http.Post((base + path).c_str(), headers, body, type.c_str());
  }
  httplib::Result put(const std::string& path, const std::string& body) {
    return http.Put((base + path).c_str(), headers, body, "application/json");
  }
  httplib::Result patch(const std::string& path, const std::string& body) {
    return http.Patch((base + path).c_str(), headers, body, "application/json");
  }
  httplib::Result get(const std::string& path) { return http.Get((base + path).c_str(), headers); }
};

// One TCP connection, kept alive, that sends a request and reads its answer (headers and a
// Content-Length body). An answer that does not come within `timeout_seconds` is empty.
struct Connection {
  int fd = -1;
  explicit Connection(int port, int timeout_seconds = 3) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd);
      fd = -1;
    }
    timeval tv{timeout_seconds, 0};
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Connection() {
    if (fd >= 0) close(fd);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  std::string get(const std::string& path) {
    const std::string request = "GET " + base + path + " HTTP/1.1\r\nHost: x\r\ncaller-id: test\r\nticket: ST-1\r\n\r\n";
    if (fd < 0 || send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
      return {};
    std::string in;
    char buf[4096];
    std::size_t want = std::string::npos;
    while (in.size() < want) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return {};
      in.append(buf, static_cast<std::size_t>(n));
      const auto end = in.find("\r\n\r\n");
      if (want == std::string::npos && end != std::string::npos) {
        const auto at = in.find("Content-Length: ");
        want = end + 4 + (at < end ? std::stoul(in.substr(at + 16)) : 0);
      }
    }
    return in;
  }
};

class Serve : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("hoks-serve-" + std::to_string(getpid())));
    fs::remove_all(*dir_);
    rights_ = new Rights(*dir_ / "rights", 40);
    server_ = new ServerProcess({"--db", ":memory:", "--opiskeluoikeudet", (*dir_ / "rights").string(), "--today",
                                 "2024-01-15", "--max-document-size", "200000", "--timeout", "1", "--clerk-ticket",
                                 "VIRKAILIJA"});
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop(), 0);
    delete server_;
    delete rights_;
    fs::remove_all(*dir_);
    delete dir_;
  }
  // A study right no other test uses.
  static std::string fresh_oid() { return study_right_oid(next_++); }
  static long long create(Client& c, const std::string& body) {
    auto r = c.post("/hoks", body);
    EXPECT_TRUE(r);
    if (!r) return -1;
    EXPECT_EQ(r->status, 200) << r->body;
    return json::parse(r->body)["meta"]["id"].get<long long>();
  }
  static json get_data(Client& c, long long id) {
    auto r = c.get("/hoks/" + std::to_string(id));
    EXPECT_TRUE(r && r->status == 200);
    return r ? json::parse(r->body)["data"] : json();
  }

  static fs::path* dir_;
  static Rights* rights_;
  static ServerProcess* server_;
  static int next_;
};
fs::path* Serve::dir_ = nullptr;
Rights* Serve::rights_ = nullptr;
ServerProcess* Serve::server_ = nullptr;
int Serve::next_ = 0;

TEST_F(Serve, PostAnswers200WithIdAndUriAndGetShowsWhatEhoksStores) {
  Client c(server_->port());
  const std::string oid = fresh_oid();
  auto r = c.post("/hoks", minimal(oid, R"(,"sahkoposti":"  a@b.fi  ","hankittavat-ammat-tutkinnon-osat":[{"tutkinnon-osa-koodi-uri":"tutkinnonosat_100002","tutkinnon-osa-koodi-versio":1,"osaamisen-hankkimistavat":[{"alku":"2024-01-01","loppu":"2024-02-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus","osaamisen-hankkimistapa-koodi-versio":1}]}])"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json body = json::parse(r->body);
  const long long id = body["meta"]["id"];
  EXPECT_EQ(body["data"]["uri"], base + "/hoks/" + std::to_string(id));
  EXPECT_FALSE(body.contains("eid") || body["data"].contains("eid"));

  const json d = get_data(c, id);
  EXPECT_EQ(d["id"], id);
  EXPECT_EQ(d["eid"].get<std::string>().size(), 36u);
  EXPECT_EQ(d["manuaalisyotto"], false);
  EXPECT_EQ(d["sahkoposti"], "a@b.fi");  // trimmed
  for (const char* key : {"aiemmin-hankitut-ammat-tutkinnon-osat", "aiemmin-hankitut-yhteiset-tutkinnon-osat",
                          "aiemmin-hankitut-paikalliset-tutkinnon-osat", "hankittavat-ammat-tutkinnon-osat",
                          "hankittavat-yhteiset-tutkinnon-osat", "hankittavat-paikalliset-tutkinnon-osat",
                          "opiskeluvalmiuksia-tukevat-opinnot", "oppimisen-tuki", "hankittavat-koulutuksen-osat"})
    EXPECT_TRUE(d[key].is_array()) << key;
  const json& unit = d["hankittavat-ammat-tutkinnon-osat"][0];
  EXPECT_EQ(unit["module-id"].get<std::string>().size(), 36u);
  EXPECT_EQ(unit["osaamisen-hankkimistavat"][0]["module-id"].get<std::string>().size(), 36u);
  EXPECT_NE(unit["module-id"], unit["osaamisen-hankkimistavat"][0]["module-id"]);
}

TEST_F(Serve, OneHoksPerStudyRightAndUnknownStudyRights) {
  Client c(server_->port());
  const std::string oid = fresh_oid();
  create(c, minimal(oid));
  auto again = c.post("/hoks", minimal(oid));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 400);
  EXPECT_EQ(again->body, R"({"error":"HOKS with the same opiskeluoikeus-oid already exists"})");
  auto unknown = c.post("/hoks", minimal("1.2.246.562.15.99999999990"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(unknown->body, R"({"error":"Opiskeluoikeus `1.2.246.562.15.99999999990` not found in Koski"})");
}

TEST_F(Serve, StudyRightFolderIsReadAgainWhenItChanges) {
  Client c(server_->port());
  const std::string oid = study_right_oid(5000);
  auto before = c.post("/hoks", minimal(oid));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 400);
  rights_->add(json::parse(hoks::test::read(hoks::test::source_dir() / "fixtures/context/ammatillinen.json")), oid);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto after = c.post("/hoks", minimal(oid));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200) << after->body;
}

TEST_F(Serve, PatchChangesOnlyWhatItCarriesAndPostPatchGetEqualsHoksApply) {
  Client c(server_->port());
  const std::string post = minimal(fresh_oid(), R"(,"sahkoposti":"a@b.fi","puhelinnumero":"040 1")");
  const long long id = create(c, post);
  const std::string patch = R"({"id":)" + std::to_string(id) + R"(,"sahkoposti":" uusi@b.fi ","versio":3})";
  auto r = c.patch("/hoks/" + std::to_string(id), patch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  EXPECT_TRUE(r->body.empty());
  json got = get_data(c, id);

  // hoks apply on the same bodies gives what GET shows, apart from the server's own ids.
  const fs::path dir = *dir_ / "apply";
  fs::create_directories(dir);
  json base = json::parse(post);
  base["id"] = id;
  std::ofstream(dir / "base.json") << base.dump();
  std::ofstream(dir / "patch.json") << patch;
  const auto applied = hoks::test::run(hoks::test::hoks_binary() + " apply --operation update --today 2024-01-15 " +
                                       (dir / "base.json").string() + " " + (dir / "patch.json").string());
  ASSERT_EQ(applied.status, 0) << applied.out;
  got.erase("eid");
  got.erase("manuaalisyotto");
  EXPECT_EQ(got, json::parse(applied.out));
  EXPECT_EQ(got["sahkoposti"], "uusi@b.fi");
  EXPECT_EQ(got["puhelinnumero"], "040 1");

  auto parts = c.patch("/hoks/" + std::to_string(id), R"({"id":)" + std::to_string(id) + R"(,"oppimisen-tuki":[]})");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->status, 400);
  EXPECT_EQ(json::parse(parts->body)["errors"], json::parse(R"({"oppimisen-tuki":"disallowed-key"})"));
}

TEST_F(Serve, PutReplacesClearsSomeFieldsKeepsOthersAndRecreatesParts) {
  Client c(server_->port());
  const std::string oid = fresh_oid();
  const long long id = create(c, minimal(oid, R"(,"sahkoposti":"a@b.fi","puhelinnumero":"040 1","versio":2,"oppimisen-tuki":[{"oppimisen-tuen-tyyppi-koodi-uri":"ammatillinenkoulutusoppimisentuentyyppi_03"}])"));
  const std::string put = R"({"id":)" + std::to_string(id) +
                          R"(,"ensikertainen-hyvaksyminen":"2024-01-03","osaamisen-hankkimisen-tarve":false})";
  auto r = c.put("/hoks/" + std::to_string(id), put);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  const json d = get_data(c, id);
  EXPECT_FALSE(d.contains("sahkoposti"));  // set to null when omitted
  EXPECT_FALSE(d.contains("versio"));
  EXPECT_EQ(d["puhelinnumero"], "040 1");  // kept when omitted
  EXPECT_EQ(d["opiskeluoikeus-oid"], oid);
  EXPECT_EQ(d["oppimisen-tuki"], json::array());  // an omitted array empties the collection
  EXPECT_EQ(d["osaamisen-hankkimisen-tarve"], false);

  auto moved = c.put("/hoks/" + std::to_string(id), R"({"id":)" + std::to_string(id) +
                                                        R"(,"ensikertainen-hyvaksyminen":"2024-01-03","osaamisen-hankkimisen-tarve":false,"opiskeluoikeus-oid":")" +
                                                        fresh_oid() + R"("})");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 400);
  EXPECT_NE(moved->body.find("Tried to update `opiskeluoikeus-oid` from `" + oid + "`"), std::string::npos) << moved->body;
  auto same = c.patch("/hoks/" + std::to_string(id), R"({"id":)" + std::to_string(id) + R"(,"opiskeluoikeus-oid":")" + oid + R"("})");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 204);
  auto missing = c.put("/hoks/999999", R"({"id":999999,"ensikertainen-hyvaksyminen":"2024-01-03","osaamisen-hankkimisen-tarve":false})");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"error":"HOKS not found"})");
}

TEST_F(Serve, ReadRoutesVipunenValidointiVirkailijaAndLegacy) {
  Client c(server_->port());
  const std::string oid = fresh_oid();
  const long long id = create(c, minimal(oid, R"(,"sahkoposti":"a@b.fi")"));
  auto by_oid = c.get("/hoks/opiskeluoikeus/" + oid);
  ASSERT_TRUE(by_oid);
  EXPECT_EQ(by_oid->status, 200);
  const json top = json::parse(by_oid->body)["data"];
  EXPECT_EQ(top["id"], id);
  EXPECT_FALSE(top.contains("hankittavat-ammat-tutkinnon-osat"));  // top-level fields only
  auto none = c.get("/hoks/opiskeluoikeus/" + study_right_oid(7000));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_EQ(none->body, R"({"error":"No HOKS found with given opiskeluoikeus"})");
  auto bad = c.get("/hoks/opiskeluoikeus/x");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["in"], json::parse(R"(["request","path-params"])"));

  auto paged = c.get("/hoks/paged?amount=1000&from-id=" + std::to_string(id - 1));
  ASSERT_TRUE(paged);
  ASSERT_EQ(paged->status, 200);
  const json page = json::parse(paged->body)["data"];
  ASSERT_FALSE(page["result"].empty());
  EXPECT_EQ(page["result"][0]["id"], id);
  EXPECT_FALSE(page["result"][0].contains("sahkoposti"));
  EXPECT_EQ(page["failed-ids"], json::array());

  httplib::Client plain("127.0.0.1", server_->port());
  auto ok = plain.Post((base + "/validointi").c_str(), {{"caller-id", "x"}}, minimal(fresh_oid()), "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, R"({"meta":{},"data":{}})");
  auto no = plain.Post((base + "/validointi").c_str(), {{"caller-id", "x"}}, "{}", "application/json");
  ASSERT_TRUE(no);
  EXPECT_EQ(no->status, 400);

  // Virkailija: manuaalisyotto true, a missing yksiloiva-tunniste filled in (C-OHT-2 skipped).
  const std::string oht = R"({"alku":"2024-01-01","loppu":"2024-02-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_koulutussopimus","osaamisen-hankkimistapa-koodi-versio":1,"osa-aikaisuustieto":100})";
  const std::string with_oht = minimal(fresh_oid(), R"(,"hankittavat-ammat-tutkinnon-osat":[{"tutkinnon-osa-koodi-uri":"tutkinnonosat_100002","tutkinnon-osa-koodi-versio":1,"osaamisen-hankkimistavat":[)" + oht + "]}]");
  auto palvelu = c.post("/hoks", with_oht);
  ASSERT_TRUE(palvelu);
  EXPECT_EQ(palvelu->status, 400);
  auto v = c.post("/virkailija/oppijat/" + oppija + "/hoksit", with_oht);
  ASSERT_TRUE(v);
  ASSERT_EQ(v->status, 200) << v->body;
  const json vd = get_data(c, json::parse(v->body)["meta"]["id"]);
  EXPECT_EQ(vd["manuaalisyotto"], true);
  EXPECT_EQ(vd["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]["yksiloiva-tunniste"].get<std::string>().size(), 36u);

  auto legacy = c.get("/hoks/" + std::to_string(id) + "/hankittava-ammat-tutkinnon-osa/1");
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->status, 410);
  EXPECT_EQ(legacy->body, R"({"message":"Route is deprected."})");
  auto legacy_post = c.post("/hoks/" + std::to_string(id) + "/opiskeluvalmiuksia-tukevat-opinnot", "{}");
  ASSERT_TRUE(legacy_post);
  EXPECT_EQ(legacy_post->status, 410);
  auto legacy_missing = c.get("/hoks/999999/hankittava-ammat-tutkinnon-osa/1");
  ASSERT_TRUE(legacy_missing);
  EXPECT_EQ(legacy_missing->status, 404);
}

TEST_F(Serve, HeadersTicketsAndUnknownRoutes) {
  httplib::Client plain("127.0.0.1", server_->port());
  auto no_caller = plain.Get((base + "/hoks/1").c_str(), {{"ticket", "t"}});
  ASSERT_TRUE(no_caller);
  EXPECT_EQ(no_caller->status, 400);
  const json e = json::parse(no_caller->body);
  EXPECT_EQ(e["errors"], json::parse(R"({"caller-id":"missing-required-key"})"));
  EXPECT_EQ(e["in"], json::parse(R"(["request","header-params"])"));
  auto clerk = plain.Get((base + "/hoks/1").c_str(), {{"caller-id", "x"}, {"ticket", "VIRKAILIJA"}});
  ASSERT_TRUE(clerk);
  EXPECT_EQ(clerk->status, 403);
  EXPECT_EQ(clerk->body, R"({"error":"User type 'PALVELU' is required"})");
  for (const char* path : {"/nothing", "/hoks/1/2/3/4/5", "/hoks/../hoks/1", "/hoks//1"}) {
    auto r = plain.Get((base + path).c_str(), {{"caller-id", "x"}, {"ticket", "t"}});
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    if (std::string_view(path) != "/hoks//1") EXPECT_EQ(r->body, R"({"reason":"Route not found"})") << path;
  }
  auto outside = plain.Get("/../../etc/passwd");
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 404);
  auto del = plain.Delete((base + "/hoks/1").c_str(), {{"caller-id", "x"}, {"ticket", "t"}});
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 404);

  // Only the ticket of --ticket is accepted when it is given.
  ServerProcess strict({"--db", ":memory:", "--ticket", "ST-good"});
  httplib::Client s("127.0.0.1", strict.port());
  auto bad = s.Get((base + "/hoks/1").c_str(), {{"caller-id", "x"}, {"ticket", "ST-bad"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(bad->body, R"({"error":"User not found for given ticket. Ticket may be expired."})");
  auto good = s.Get((base + "/hoks/1").c_str(), {{"caller-id", "x"}, {"ticket", "ST-good"}});
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 404);
}

// §4.4: eHOKS writes the HOKS of the body id; the sandbox does so too and warns in its log, and
// --strict-body-id rejects it.
TEST_F(Serve, BodyIdDifferentFromPathIdWritesTheBodyIdsHoksWithAWarning) {
  Client c(server_->port());
  const long long a = create(c, minimal(fresh_oid())), b = create(c, minimal(fresh_oid()));
  auto r = c.patch("/hoks/" + std::to_string(a), R"({"id":)" + std::to_string(b) + R"(,"versio":7})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_FALSE(get_data(c, a).contains("versio"));
  EXPECT_EQ(get_data(c, b)["versio"], 7);
  const std::string log = server_->log();
  EXPECT_NE(log.find("PATCH " + base + "/hoks/" + std::to_string(a) + " 204"), std::string::npos) << log;
  EXPECT_NE(log.find("warning: body id " + std::to_string(b) + " differs from path id " + std::to_string(a)),
            std::string::npos);

  Rights rights(*dir_ / "rights-strict", 1);
  ServerProcess strict({"--db", ":memory:", "--opiskeluoikeudet", rights.dir.string(), "--strict-body-id"});
  Client s(strict.port());
  const long long id = create(s, minimal(study_right_oid(0)));
  auto rejected = s.patch("/hoks/" + std::to_string(id), R"({"id":)" + std::to_string(id + 1) + R"(,"versio":7})");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 400);
  EXPECT_FALSE(get_data(s, id).contains("versio"));
}

TEST_F(Serve, BadInputGetsEhoksStatusAndTheServerKeepsServing) {
  Client c(server_->port());
  struct Case {
    std::string path, body, type;
    int status;
  };
  const std::vector<Case> cases = {
      {"/hoks", R"({"a":)", "application/json", 400},
      {"/hoks", "\xff\xfe", "application/json", 400},
      {"/hoks", minimal(fresh_oid()), "text/plain", 400},
      {"/hoks", "[" + std::string(250000, ' ') + "]", "application/json", 413},
      {"/hoks", std::string(300, '['), "application/json", 400},
  };
  for (const auto& k : cases) {
    auto r = c.post(k.path, k.body, k.type);
    ASSERT_TRUE(r) << k.body.substr(0, 20);
    EXPECT_EQ(r->status, k.status) << k.body.substr(0, 20) << " -> " << r->body;
  }
  auto malformed = c.post("/hoks", R"({"a":)");
  ASSERT_TRUE(malformed);
  const json m = json::parse(malformed->body);
  EXPECT_EQ(m["message"], "Malformed application/json request.");
  auto text = c.post("/hoks", minimal(fresh_oid()), "text/plain");
  ASSERT_TRUE(text);
  EXPECT_EQ(json::parse(text->body)["errors"], "(not (map? nil))");

  for (const char* id : {"abc", "99999999999999999999", "1.5", "-"}) {
    auto r = c.get(std::string("/hoks/") + id);
    ASSERT_TRUE(r) << id;
    EXPECT_EQ(r->status, 400) << id;
  }
  auto huge = c.get("/hoks/99999999999999999999");
  ASSERT_TRUE(huge);
  EXPECT_EQ(json::parse(huge->body)["errors"], json::parse(R"x({"hoks-id":"(not (integer? a-java.lang.String))"})x"));
  auto negative = c.get("/hoks/-5");
  ASSERT_TRUE(negative);
  EXPECT_EQ(negative->status, 404);

  // A slow client that sends half a request and then nothing gets 400 after --timeout (1 s);
  // others are served meanwhile.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string half = "POST " + base + "/hoks HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":";
  ASSERT_EQ(send(fd, half.data(), half.size(), 0), static_cast<ssize_t>(half.size()));
  auto meanwhile = c.get("/hoks/-1");
  ASSERT_TRUE(meanwhile);
  EXPECT_EQ(meanwhile->status, 404);
  timeval tv{3, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  const auto start = std::chrono::steady_clock::now();
  const ssize_t n = recv(fd, buf, sizeof buf, 0);  // the server gives up on the body after --timeout (1 s)
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)).rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  close(fd);
  auto after = c.get("/hoks/-1");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 404);
}

// A connection is kept alive for many requests (httplib closes it after 5 by default), and by
// default 24 connections held open at once are all served (a connection holds a worker thread
// while it is open: with httplib's 8 workers, the 9th would wait for another one to time out).
TEST_F(Serve, KeepsConnectionsAliveAndServesManyAtOnce) {
  Connection one(server_->port());
  for (int i = 0; i < 50; ++i) {
    const std::string answer = one.get("/hoks/-1");
    ASSERT_EQ(answer.rfind("HTTP/1.1 404", 0), 0u) << "request " << i << " on one connection: " << answer;
    EXPECT_EQ(answer.find("Connection: close"), std::string::npos) << "request " << i;
  }
  std::vector<std::unique_ptr<Connection>> open;
  for (int i = 0; i < 24; ++i) {
    open.push_back(std::make_unique<Connection>(server_->port(), 2));
    EXPECT_EQ(open.back()->get("/hoks/-1").rfind("HTTP/1.1 404", 0), 0u) << "connection " << i;
  }
  for (std::size_t i = 0; i < open.size(); ++i)
    EXPECT_EQ(open[i]->get("/hoks/-1").rfind("HTTP/1.1 404", 0), 0u) << "second request on connection " << i;
}

// The exact 400 bodies of ehoks-model.md §0.3 and the rule table.
TEST_F(Serve, ExactValidationBodies) {
  Client c(server_->port());
  const std::string oid = fresh_oid();
  const std::string head = R"({"oppija-oid":")" + oppija + R"(","opiskeluoikeus-oid":")" + oid +
                           R"(","ensikertainen-hyvaksyminen":"2024-01-02","osaamisen-hankkimisen-tarve":true)";
  const std::string unit = R"({"tutkinnon-osa-koodi-uri":"tutkinnonosat_100002","tutkinnon-osa-koodi-versio":1,"osaamisen-hankkimistavat":[)";
  const std::string ok_oht = R"({"alku":"2024-01-01","loppu":"2024-02-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus","osaamisen-hankkimistapa-koodi-versio":1})";
  const std::string tyopaikka = R"({"alku":"2024-01-01","loppu":"2024-02-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_koulutussopimus","osaamisen-hankkimistapa-koodi-versio":1,"yksiloiva-tunniste":"t1"})";
  const std::string tjk = R"({"alku":"2024-01-01","loppu":"2024-02-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_koulutussopimus","osaamisen-hankkimistapa-koodi-versio":1,"yksiloiva-tunniste":"t1","osa-aikaisuustieto":100,"tyopaikalla-jarjestettava-koulutus":{"tyopaikan-nimi":"P","keskeiset-tyotehtavat":[],"tyopaikan-y-tunnus":"1234567-2","vastuullinen-tyopaikka-ohjaaja":{"nimi":"O","puhelinnumero":"abc"}}})";
  struct Case {
    std::string name, body, errors;
  };
  const std::vector<Case> cases = {
      {"unknown key", head + R"(,"x":1})", R"x({"x":"disallowed-key"})x"},
      {"id on POST", head + R"(,"id":1})", R"x({"id":"disallowed-key"})x"},
      {"missing keys", R"({"oppija-oid":")" + oppija + R"(","opiskeluoikeus-oid":")" + oid + R"("})",
       R"x({"ensikertainen-hyvaksyminen":"missing-required-key","osaamisen-hankkimisen-tarve":"missing-required-key"})x"},
      {"string for int", head + R"(,"versio":"100"})", R"x({"versio":"(not (integer? \"100\"))"})x"},
      {"string for bool", head + R"(,"osaamisen-hankkimisen-tarve":"true"})",
       R"x({"osaamisen-hankkimisen-tarve":"(not (instance? java.lang.Boolean \"true\"))"})x"},
      {"null for string", head + R"(,"sahkoposti":null})", R"x({"sahkoposti":"(not (instance? java.lang.String nil))"})x"},
      {"regex", head + R"(,"urasuunnitelma-koodi-uri":"urasuunnitelma_1"})",
       R"x({"urasuunnitelma-koodi-uri":"(not (re-find #\"^urasuunnitelma_\\d{4}$\" \"urasuunnitelma_1\"))"})x"},
      {"oid check digit", R"({"oppija-oid":")" + oppija + R"(","opiskeluoikeus-oid":")" + oid +
                              R"(","tuva-opiskeluoikeus-oid":"1.2.246.562.15.10000000001","ensikertainen-hyvaksyminen":"2024-01-02","osaamisen-hankkimisen-tarve":true})",
       R"x({"tuva-opiskeluoikeus-oid":"(not (oph.ehoks.schema.oid/valid-oid? a-java.lang.String))"})x"},
      {"osa-aikaisuus", head + R"(,"hankittavat-ammat-tutkinnon-osat":[)" + unit + ok_oht + "," + tyopaikka + "]}]}",
       R"x({"hankittavat-ammat-tutkinnon-osat":[{"osaamisen-hankkimistavat":[null,"(not (\"Lisää osa-aikaisuustieto, joka on välillä 1-100.\" a-clojure.lang.PersistentArrayMap))"]}]})x"},
      {"field errors inside an OHT suppress its constraints and Y-tunnus checksum",
       head + R"(,"hankittavat-ammat-tutkinnon-osat":[)" + unit + tjk + "]}]}",
       R"x({"hankittavat-ammat-tutkinnon-osat":[{"osaamisen-hankkimistavat":[{"tyopaikalla-jarjestettava-koulutus":{"tyopaikan-y-tunnus":"(not (\"Kelvollinen Y-tunnus\" \"1234567-2\"))","vastuullinen-tyopaikka-ohjaaja":{"puhelinnumero":"(not (\"Puhelinnumero virheellinen.\" \"abc\"))"}}}]}]})x"},
      {"date order", head + R"(,"hankittavat-ammat-tutkinnon-osat":[)" + unit +
                         R"({"alku":"2024-02-01","loppu":"2024-01-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus","osaamisen-hankkimistapa-koodi-versio":1})" +
                         "]}]}",
       R"x({"hankittavat-ammat-tutkinnon-osat":[{"osaamisen-hankkimistavat":["(not (\"Korjaa alku- ja loppupäivämäärä oikein päin.\" a-clojure.lang.PersistentArrayMap))"]}]})x"},
      {"Y-tunnus format", head + R"(,"hankittavat-ammat-tutkinnon-osat":[)" + unit +
                              R"({"alku":"2024-01-01","loppu":"2024-02-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_koulutussopimus","osaamisen-hankkimistapa-koodi-versio":1,"yksiloiva-tunniste":"t1","osa-aikaisuustieto":100,"tyopaikalla-jarjestettava-koulutus":{"tyopaikan-nimi":"P","keskeiset-tyotehtavat":[],"tyopaikan-y-tunnus":"Ei y-tunnusta","vastuullinen-tyopaikka-ohjaaja":{"nimi":"O"}}})" +
                              "]}]}",
       R"x({"hankittavat-ammat-tutkinnon-osat":[{"osaamisen-hankkimistavat":[{"tyopaikalla-jarjestettava-koulutus":{"tyopaikan-y-tunnus":"(not (re-find #\"^[0-9]{7}-[0-9]$\" \"Ei y-tunnusta\"))"}}]}]})x"},
      {"not an object", "[]", R"x("(not (map? []))")x"},
      {"empty tunniste", head + R"(,"hankittavat-ammat-tutkinnon-osat":[)" + unit +
                             R"({"alku":"2024-01-01","loppu":"2024-02-01","osaamisen-hankkimistapa-koodi-uri":"osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus","osaamisen-hankkimistapa-koodi-versio":1,"yksiloiva-tunniste":"  "})" +
                             "]}]}",
       R"x({"hankittavat-ammat-tutkinnon-osat":[{"osaamisen-hankkimistavat":[{"yksiloiva-tunniste":"(not (not-empty \"\"))"}]}]})x"},
      {"training part on a vocational study right",
       head + R"(,"hankittavat-koulutuksen-osat":[{"koulutuksen-osa-koodi-uri":"koulutuksenosattuva_102","koulutuksen-osa-koodi-versio":1,"alku":"2024-01-01","loppu":"2024-02-01","laajuus":1}]})",
       R"x({"hankittavat-koulutuksen-osat":["(not (\"Ota koulutuksenosa pois, koska opiskeluoikeus ei ole TUVA.\" a-clojure.lang.PersistentArrayMap))"]})x"},
  };
  for (const auto& k : cases) {
    auto r = c.post("/hoks", k.body);
    ASSERT_TRUE(r) << k.name;
    EXPECT_EQ(r->status, 400) << k.name;
    const std::string want = R"({"errors":)" + k.errors + R"(,"coercion":"schema","value":)" + nlohmann::ordered_json::parse(k.body).dump() +
                             R"(,"in":["request","body-params"],"type":"compojure.api.exception/request-validation"})";
    EXPECT_EQ(r->body, want) << k.name;
  }
}

TEST_F(Serve, ConcurrentClientsEveryAcknowledgedWriteStoredOnceWithUniqueIds) {
  const int clients = 8, requests = 500, posts = 40;  // per client: 40 POSTs, then GETs and PATCHes
  Rights extra(*dir_ / "rights-load", clients * posts);
  ServerProcess server({"--db", (*dir_ / "load.db").string(), "--opiskeluoikeudet", extra.dir.string(), "--today",
                        "2024-01-15"});
  std::mutex mutex;
  std::map<long long, std::string> acked;  // id -> study right
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t)
    threads.emplace_back([&, t] {
      Client c(server.port());
      std::vector<long long> mine;
      std::map<long long, int> versio;  // the last versio PATCHed (each id is this client's own)
      for (int i = 0; i < requests; ++i) {
        if (i < posts) {
          const std::string oid = study_right_oid(t * posts + i);
          auto r = c.post("/hoks", minimal(oid));
          if (!r || r->status != 200) {
            ++failures;
            continue;
          }
          const long long id = json::parse(r->body)["meta"]["id"];
          mine.push_back(id);
          std::lock_guard lock(mutex);
          if (!acked.emplace(id, oid).second) ++failures;  // an id given twice
        } else {
          const long long id = mine[static_cast<std::size_t>(i / 2) % mine.size()];  // PATCH, then GET the same
          auto r = i % 2 ? c.get("/hoks/" + std::to_string(id))
                         : c.patch("/hoks/" + std::to_string(id),
                                   R"({"id":)" + std::to_string(id) + R"(,"versio":)" + std::to_string(i) + "}");
          if (!r || r->status != (i % 2 ? 200 : 204)) ++failures;
          else if (!(i % 2)) versio[id] = i;
          else if (!versio.count(id) || json::parse(r->body)["data"]["versio"] != versio[id]) ++failures;  // sees the last write
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(acked.size(), static_cast<std::size_t>(clients * posts));
  Client c(server.port());
  auto page = c.get("/hoks/paged?amount=1000");
  ASSERT_TRUE(page);
  const json result = json::parse(page->body)["data"]["result"];
  EXPECT_EQ(result.size(), acked.size());  // each stored once
  std::set<std::string> oids;
  for (const auto& h : result) {
    const long long id = h["id"];
    ASSERT_TRUE(acked.count(id)) << id;
    EXPECT_EQ(h["opiskeluoikeus-oid"], acked[id]);
    oids.insert(h["opiskeluoikeus-oid"].get<std::string>());
  }
  EXPECT_EQ(oids.size(), acked.size());
}

// kill -9 under a load of POSTs, a restart: every acknowledged HOKS is there.
void acknowledged_writes_survive_kill9(const fs::path& dir, const std::string& name, bool durable) {
  const fs::path db = dir / (name + ".db");
  Rights extra(dir / ("rights-" + name), 1000);
  std::vector<std::string> args{"--db", db.string(), "--opiskeluoikeudet", extra.dir.string()};
  if (durable) args.push_back("--durable");
  auto server = std::make_unique<ServerProcess>(args);
  std::mutex mutex;
  std::vector<long long> acked;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      Client c(server->port());
      c.http.set_read_timeout(2, 0);
      for (int i = t; i < 1000 && !stop; i += 4) {
        auto r = c.post("/hoks", minimal(study_right_oid(i)));
        if (r && r->status == 200) {
          std::lock_guard lock(mutex);
          acked.push_back(json::parse(r->body)["meta"]["id"]);
        }
      }
    });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(mutex);
    if (acked.size() >= 200) break;
  }
  server->kill9();  // under load
  EXPECT_GE(acked.size(), 200u);
  stop = true;
  for (auto& t : threads) t.join();
  server = std::make_unique<ServerProcess>(std::vector<std::string>{"--db", db.string()});
  Client c(server->port());
  for (long long id : acked) {
    auto r = c.get("/hoks/" + std::to_string(id));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << "acknowledged HOKS " << id << " lost";
  }
  EXPECT_EQ(server->stop(), 0);
}

TEST_F(Serve, AcknowledgedWritesSurviveKill9) { acknowledged_writes_survive_kill9(*dir_, "kill", false); }

TEST_F(Serve, AcknowledgedWritesSurviveKill9WhenDurable) { acknowledged_writes_survive_kill9(*dir_, "kill-durable", true); }

// /_sandbox/requests: every request with method, path, status, time and hokskit's findings in
// fi/sv/en with line:column in the body sent; bounded by --keep-requests; an html page that
// escapes the untrusted bodies; /_sandbox/reset empties it.
TEST(ServeRequests, KeptWithFindingsPagedBoundedAndShownEscaped) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-serve-requests-" + std::to_string(getpid()));
  Rights rights(dir / "rights", 3);
  ServerProcess server({"--db", ":memory:", "--opiskeluoikeudet", rights.dir.string(), "--today", "2024-01-15",
                        "--keep-requests", "4"});
  Client c(server.port());
  // An unknown key on line 3, column 3 of the body.
  const std::string bad = "{\"oppija-oid\":\"" + oppija + "\",\"opiskeluoikeus-oid\":\"" + study_right_oid(0) +
                          "\",\n\"ensikertainen-hyvaksyminen\":\"2024-01-02\",\"osaamisen-hankkimisen-tarve\":true,\n  \"<script>alert(1)</script>\":1}";
  auto r1 = c.post("/hoks", bad);
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 400);
  auto r2 = c.post("/hoks", minimal(study_right_oid(1)));
  ASSERT_TRUE(r2);
  ASSERT_EQ(r2->status, 200);
  const long long id = json::parse(r2->body)["meta"]["id"];
  auto r3 = c.get("/hoks/" + std::to_string(id));
  ASSERT_TRUE(r3);
  auto r4 = c.post("/hoks", "{\n \"a\":");
  ASSERT_TRUE(r4);
  EXPECT_EQ(r4->status, 400);

  httplib::Client plain("127.0.0.1", server.port());
  auto all = plain.Get("/_sandbox/requests?bodies=true");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200);
  const json log = json::parse(all->body);
  EXPECT_EQ(log["kept"], 4);
  EXPECT_EQ(log["dropped"], 0);
  EXPECT_TRUE(log["next"].is_null());
  const json& reqs = log["requests"];
  ASSERT_EQ(reqs.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(reqs[i]["seq"], i + 1);
    EXPECT_EQ(reqs[i]["time"].get<std::string>().size(), 24u);  // 2026-12-06T22:00:00.000Z
  }
  EXPECT_EQ(reqs[0]["method"], "POST");
  EXPECT_EQ(reqs[0]["path"], base + "/hoks");
  EXPECT_EQ(reqs[0]["status"], 400);
  EXPECT_EQ(reqs[0]["body"], bad);
  EXPECT_EQ(reqs[0]["response"], r1->body);
  // The error, and the info that the HOKS object's own checks wait for it (object-checks-pending).
  ASSERT_EQ(reqs[0]["findings"].size(), 2u) << reqs[0].dump();
  EXPECT_EQ(reqs[0]["findings"][0]["rule"], "object-checks-pending");
  const json& f = reqs[0]["findings"][1];
  EXPECT_EQ(f["rule"], "unknown-key");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["line"], 3);
  EXPECT_EQ(f["column"], 3);
  for (const char* lang : {"fi", "sv", "en"}) EXPECT_FALSE(f["message"][lang].get<std::string>().empty()) << lang;
  EXPECT_NE(f["message"]["fi"], f["message"]["en"]);
  EXPECT_EQ(reqs[1]["status"], 200);
  ASSERT_FALSE(reqs[1]["findings"].empty());  // accepted, with hokskit's warnings
  for (const auto& w : reqs[1]["findings"]) EXPECT_EQ(w["severity"], "warning") << w.dump();
  EXPECT_EQ(reqs[2]["method"], "GET");
  EXPECT_EQ(reqs[2]["path"], base + "/hoks/" + std::to_string(id));
  ASSERT_EQ(reqs[3]["findings"].size(), 1u);
  EXPECT_EQ(reqs[3]["findings"][0]["rule"], "syntax");
  EXPECT_EQ(reqs[3]["findings"][0]["line"], 2);
  EXPECT_EQ(reqs[3]["findings"][0]["column"], 6);

  // Paging: two at a time, oldest first; `next` is where the next page starts.
  auto first = plain.Get("/_sandbox/requests?limit=2");
  ASSERT_TRUE(first);
  const json p1 = json::parse(first->body);
  ASSERT_EQ(p1["requests"].size(), 2u);
  EXPECT_FALSE(p1["requests"][0].contains("body"));
  EXPECT_EQ(p1["next"], 2);
  auto second = plain.Get("/_sandbox/requests?limit=2&after=2");
  ASSERT_TRUE(second);
  const json p2 = json::parse(second->body);
  ASSERT_EQ(p2["requests"].size(), 2u);
  EXPECT_EQ(p2["requests"][0]["seq"], 3);
  EXPECT_TRUE(p2["next"].is_null());
  EXPECT_EQ(first->body, plain.Get("/_sandbox/requests?limit=2")->body);  // deterministic
  EXPECT_EQ(json::parse(plain.Get("/_sandbox/requests?limit=0")->body)["requests"].size(), 1u);  // at least one

  // The html page: the request list, the findings, nothing of the bodies unescaped.
  for (const char* page : {"/_sandbox/", "/_sandbox/requests.html?lang=en"}) {
    auto html = plain.Get(page);
    ASSERT_TRUE(html);
    EXPECT_EQ(html->status, 200);
    EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(html->body.find("<!DOCTYPE html>"), std::string::npos);
    EXPECT_NE(html->body.find("#1 "), std::string::npos);
    EXPECT_NE(html->body.find("POST " + base + "/hoks \u2192 400"), std::string::npos) << html->body.substr(0, 3000);
    EXPECT_NE(html->body.find("unknown-key"), std::string::npos);
    EXPECT_EQ(html->body.find("<script>alert"), std::string::npos);
    // The html report carries findings as JSON data that its script shows as text (issue 17).
    EXPECT_NE(html->body.find("\\u003cscript>alert"), std::string::npos);
  }

  // Bounded: a fifth request drops the first.
  c.get("/hoks/" + std::to_string(id));
  const json bounded = json::parse(plain.Get("/_sandbox/requests")->body);
  EXPECT_EQ(bounded["kept"], 4);
  EXPECT_EQ(bounded["dropped"], 1);
  EXPECT_EQ(bounded["requests"][0]["seq"], 2);

  // Reset empties the store and the requests.
  auto reset = plain.Post("/_sandbox/reset", "", "application/json");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  EXPECT_EQ(json::parse(plain.Get("/_sandbox/requests")->body)["requests"], json::array());
  auto gone = c.get("/hoks/" + std::to_string(id));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(plain.Get("/_sandbox/reset")->status, 404);  // POST only
  fs::remove_all(dir);
}

// --seed DIR: each *.json file POSTed at start as a client would; a rejected one stops the start.
TEST(ServeRequests, AnswersOfTheHttpLayerAreKeptToo) {
  ServerProcess server({"--db", ":memory:", "--max-document-size", "1000"});
  Client c(server.port());
  auto big = c.post("/hoks", "[" + std::string(2000, ' ') + "]");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // A method httplib does not route: it answers 400 by itself.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string brew = "BREW " + base + "/hoks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(send(fd, brew.data(), brew.size(), 0), static_cast<ssize_t>(brew.size()));
  char buf[256];
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  close(fd);
  ASSERT_GT(n, 0);
  const std::string answer(buf, static_cast<std::size_t>(n));
  const int brew_status = std::stoi(answer.substr(9, 3));
  EXPECT_GE(brew_status, 400) << answer;

  httplib::Client plain("127.0.0.1", server.port());
  auto all = plain.Get("/_sandbox/requests?bodies=true");
  ASSERT_TRUE(all);
  const json reqs = json::parse(all->body)["requests"];
  ASSERT_EQ(reqs.size(), 2u) << all->body;
  EXPECT_EQ(reqs[0]["method"], "POST");
  EXPECT_EQ(reqs[0]["path"], base + "/hoks");
  EXPECT_EQ(reqs[0]["status"], 413);
  EXPECT_EQ(json::parse(reqs[0]["response"].get<std::string>())["error"],
            "Request body is larger than the limit (--max-document-size)");
  EXPECT_EQ(reqs[1]["method"], "BREW");
  EXPECT_EQ(reqs[1]["status"], brew_status);
  EXPECT_EQ(reqs[1]["seq"], 2);
}

TEST(ServeSeed, PreloadsDocumentsAndRefusesToStartWhenOneIsRejected) {
  const fs::path dir = fs::temp_directory_path() / ("hoks-serve-seed-" + std::to_string(getpid()));
  fs::remove_all(dir);
  Rights rights(dir / "rights", 3);
  fs::create_directories(dir / "seed");
  std::ofstream(dir / "seed" / "a.json") << minimal(study_right_oid(0), R"(,"sahkoposti":" a@b.fi ")");
  std::ofstream(dir / "seed" / "b.json") << minimal(study_right_oid(1));
  std::ofstream(dir / "seed" / "notes.txt") << "not a HOKS";
  const fs::path db = dir / "seed.db";
  {
    ServerProcess server({"--db", db.string(), "--opiskeluoikeudet", rights.dir.string(), "--seed", (dir / "seed").string()});
    Client c(server.port());
    const json a = json::parse(c.get("/hoks/1")->body)["data"];
    EXPECT_EQ(a["opiskeluoikeus-oid"], study_right_oid(0));
    EXPECT_EQ(a["sahkoposti"], "a@b.fi");  // stored as a POST stores it
    EXPECT_EQ(json::parse(c.get("/hoks/2")->body)["data"]["opiskeluoikeus-oid"], study_right_oid(1));
    EXPECT_EQ(c.get("/hoks/3")->status, 404);
    EXPECT_EQ(server.stop(), 0);
    EXPECT_NE(server.log().find("seed " + (dir / "seed" / "a.json").string() + ": stored as HOKS 1"), std::string::npos)
        << server.log();
  }
  {  // The same store again: the seeds are there already and are skipped.
    ServerProcess again({"--db", db.string(), "--opiskeluoikeudet", rights.dir.string(), "--seed", (dir / "seed").string()});
    Client c(again.port());
    EXPECT_EQ(c.get("/hoks/3")->status, 404);
    EXPECT_EQ(again.stop(), 0);
    EXPECT_NE(again.log().find("skipped, its study right already has a HOKS"), std::string::npos) << again.log();
  }
  std::ofstream(dir / "seed" / "c.json") << "{\"oppija-oid\":\"" << oppija << "\",\"opiskeluoikeus-oid\":\""
                                         << study_right_oid(2) << "\",\n\"x\":1}";
  const auto r = hoks::test::run(hoks::test::hoks_binary() + " serve --port 0 --db :memory: --opiskeluoikeudet " +
                                 rights.dir.string() + " --seed " + (dir / "seed").string() + " 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("c.json:2:1"), std::string::npos) << r.out;  // the finding's position
  EXPECT_NE(r.out.find("unknown-key"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rejected with 400"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not starting"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

// Memory stays flat: after a warm-up in which every worker thread serves requests (a worker's
// heap, and under AddressSanitizer its quarantine and caches, grow the first time it works), 20,000
// more requests (POSTs of 14 KB documents, GETs, PATCHes, rejected POSTs) grow the server's
// anonymous memory by less than a bound. (RssAnon: the database file is mapped, and its pages are
// not the server's heap.)
TEST(ServeMemory, AnonymousMemoryStaysFlatOver20000Requests) {
  const fs::path db = fs::temp_directory_path() / ("hoks-serve-memory-" + std::to_string(getpid()) + ".db");
  fs::remove(db);
  // Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) before reuse,
  // which is the sanitizer's memory, not the server's: a small one for the server started here.
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string saved = asan ? asan : "";
  setenv("ASAN_OPTIONS", (saved + (saved.empty() ? "" : ":") + "quarantine_size_mb=4").c_str(), 1);
  ServerProcess server({"--db", db.string(), "--today", "2024-01-15", "--keep-requests", "300"});
  if (asan) setenv("ASAN_OPTIONS", saved.c_str(), 1);
  else unsetenv("ASAN_OPTIONS");
  json proto = json::parse(hoks::test::read(hoks::test::shared_dir() / "corpus/ehoks-demo/anonymised-example-1.json"));
  std::atomic<int> next{0}, failures{0};
  std::mutex first_failure_mutex;
  std::string first_failure;  // what the first failed request got, to say why
  auto failed = [&](const char* what, const httplib::Result& r) {
    ++failures;
    std::lock_guard lock(first_failure_mutex);
    if (first_failure.empty())
      first_failure = std::string(what) + ": " + (r ? "status " + std::to_string(r->status) + " " + r->body
                                                     : "no answer (" + httplib::to_string(r.error()) + ")");
  };
  // `clients` connections send `total` requests in all; each holds its first answer's connection
  // open until every client has had one, so that `clients` workers are busy at once.
  auto run = [&](int clients, int total) {
    std::latch all_connected(clients);
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t)
      threads.emplace_back([&, t] {
        Client c(server.port());
        std::vector<long long> ids;
        for (int i = 0; i < total / clients; ++i) {
          const int kind = i % 4;
          if (kind == 0 || ids.empty()) {
            json d = proto;
            d["opiskeluoikeus-oid"] = study_right_oid(200000 + next++);
            auto r = c.post("/hoks", d.dump());
            if (r && r->status == 200) ids.push_back(json::parse(r->body)["meta"]["id"]);
            else failed(("POST " + std::to_string(i) + " of client " + std::to_string(t) + "/" + std::to_string(clients)).c_str(), r);
          } else if (kind == 1) {
            auto r = c.get("/hoks/" + std::to_string(ids[static_cast<std::size_t>(i) % ids.size()]));
            if (!r || r->status != 200) failed("GET", r);
          } else if (kind == 2) {
            const long long id = ids[static_cast<std::size_t>(i) % ids.size()];
            auto r = c.patch("/hoks/" + std::to_string(id),
                             R"({"id":)" + std::to_string(id) + R"(,"versio":)" + std::to_string(i) + "}");
            if (!r || r->status != 204) failed("PATCH", r);
          } else {
            auto r = c.post("/hoks", minimal(study_right_oid(t), R"(,"x":)" + std::to_string(i)));
            if (!r || r->status != 400) failed("rejected POST", r);
          }
          if (i == 0) all_connected.arrive_and_wait();
        }
      });
    for (auto& t : threads) t.join();
  };
  // RssAnon once the server has been idle (it trims its heaps after half a second without a
  // request): read until it no longer falls, for at most 10 s.
  auto settled_kb = [&] {
    long kb = server.status_kb("RssAnon");
    for (int i = 0; i < 40; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      const long now = server.status_kb("RssAnon");
      if (i >= 3 && now >= kb) return now;
      kb = std::min(kb, now);
    }
    return kb;
  };
  // Warm-up: all 32 workers of the default --threads at work, the request list full.
  run(hoks::serve::ServerOptions{}.threads, 4000);
  const long before = settled_kb();
  run(4, 20000);
  const long after = settled_kb();
  EXPECT_EQ(failures.load(), 0) << "the first: " << first_failure;
  ASSERT_GT(before, 0);
  // Under AddressSanitizer a block of memory comes back only to blocks of its size class, with
  // redzones, after the quarantine: 20,000 requests grew its heap by 9-10 MB here, 4-6 MB for each
  // further 20,000 (the server's own heap: under 3 MB, without a trend).
  const long bound_kb = (hoks::test::sanitized ? 24 : 8) * 1024;
  EXPECT_LT(after - before, bound_kb) << "RssAnon grew from " << before << " kB to " << after << " kB";
  std::cerr << "RssAnon " << before << " kB after the warm-up, " << after << " kB after 20,000 more requests (VmRSS "
            << server.status_kb("VmRSS") << " kB)\n";
  EXPECT_EQ(server.stop(), 0);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}

TEST(ServeStore, RefusesADatabaseOfANewerSchema) {
  const fs::path db = fs::temp_directory_path() / ("hoks-serve-newer-" + std::to_string(getpid()) + ".db");
  fs::remove(db);
  ASSERT_EQ(hoks::test::run("python3 -c \"import sqlite3; c=sqlite3.connect('" + db.string() +
                            "'); c.execute('PRAGMA user_version=99'); c.commit()\"")
                .status,
            0);
  const auto r = hoks::test::run(hoks::test::hoks_binary() + " serve --port 0 --db " + db.string() + " 2>&1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("schema version 99"), std::string::npos) << r.out;
  fs::remove(db);
}

}  // namespace
