#include "serve/store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>

namespace hoks::serve {

std::string now_utc() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

namespace {

// Resets a statement when the scope ends.
struct Reset {
  sqlite3_stmt* s;
  ~Reset() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

void bind_text(sqlite3_stmt* s, int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }

}  // namespace

Store::Store(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error(path + ": cannot open the database: " + m);
  }
  try {
    open_schema(path);
  } catch (...) {
    close();  // the destructor does not run when the constructor throws
    throw;
  }
}

void Store::open_schema(const std::string& path) {
  sqlite3_busy_timeout(db_, 5000);
  // WAL with synchronous=NORMAL: a commit is in the WAL file (in the OS page cache) before it
  // returns, so it survives the process being killed; only an OS crash or power loss can lose
  // the last commits. synchronous=FULL would add an fsync per commit for that case.
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA mmap_size=268435456");  // reads come from a mapping of the file, not pread calls
  sqlite3_stmt* v = prepare("PRAGMA user_version");
  int version = sqlite3_step(v) == SQLITE_ROW ? sqlite3_column_int(v, 0) : 0;
  sqlite3_finalize(v);
  if (version > schema_version)
    throw std::runtime_error(path + ": the database has schema version " + std::to_string(version) +
                             ", newer than this hoks (" + std::to_string(schema_version) + ")");
  if (version == 0) {
    exec("BEGIN IMMEDIATE");
    exec("CREATE TABLE IF NOT EXISTS hoks ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " eid TEXT NOT NULL UNIQUE,"
         " opiskeluoikeus_oid TEXT NOT NULL UNIQUE,"  // one HOKS per study right (§4.2)
         " updated TEXT NOT NULL,"
         " doc TEXT NOT NULL)");
    exec("PRAGMA user_version=1");
    exec("COMMIT");
  }
  // The id AUTOINCREMENT would give (ids are not reused, not even after a reset).
  next_id_ = prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'hoks'), 0) + 1");
  insert_ = prepare("INSERT INTO hoks(id, eid, opiskeluoikeus_oid, updated, doc) VALUES (?1, ?2, ?3, ?4, ?5)");
  get_ = prepare("SELECT id, opiskeluoikeus_oid, updated, doc FROM hoks WHERE id = ?1");
  by_oid_ = prepare("SELECT id, opiskeluoikeus_oid, updated, doc FROM hoks WHERE opiskeluoikeus_oid = ?1");
  update_ = prepare("UPDATE hoks SET doc = ?2, updated = ?3 WHERE id = ?1");
  page_ = prepare("SELECT id, opiskeluoikeus_oid, updated, doc FROM hoks WHERE id > ?1 AND updated > ?3 "
                  "ORDER BY id LIMIT ?2");
}

Store::~Store() { close(); }

void Store::close() noexcept {
  for (sqlite3_stmt* s : {next_id_, insert_, get_, by_oid_, update_, page_}) sqlite3_finalize(s);
  next_id_ = insert_ = get_ = by_oid_ = update_ = page_ = nullptr;
  sqlite3_close(db_);
  db_ = nullptr;
}

void Store::fail(const char* what) { throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db_)); }

void Store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error(std::string("database: ") + m);
  }
}

sqlite3_stmt* Store::prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) fail("database");
  return s;
}

StoredHoks Store::row(sqlite3_stmt* s) {
  StoredHoks h;
  h.id = sqlite3_column_int64(s, 0);
  h.opiskeluoikeus_oid = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
  h.updated = reinterpret_cast<const char*>(sqlite3_column_text(s, 2));
  h.doc.assign(reinterpret_cast<const char*>(sqlite3_column_blob(s, 3)), static_cast<std::size_t>(sqlite3_column_bytes(s, 3)));
  return h;
}

std::optional<long long> Store::insert(const std::string& oid, const std::string& eid,
                                       const std::function<std::string(long long)>& make_doc) {
  // One statement, so its own transaction; the mutex keeps the id free until it runs.
  std::lock_guard lock(mutex_);
  long long id = 0;
  {
    Reset r{next_id_};
    if (sqlite3_step(next_id_) != SQLITE_ROW) fail("insert");
    id = sqlite3_column_int64(next_id_, 0);
  }
  const std::string doc = make_doc(id);
  Reset r{insert_};
  sqlite3_bind_int64(insert_, 1, id);
  bind_text(insert_, 2, eid);
  bind_text(insert_, 3, oid);
  bind_text(insert_, 4, now_utc());
  sqlite3_bind_text(insert_, 5, doc.data(), static_cast<int>(doc.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(insert_);
  if (rc == SQLITE_CONSTRAINT) return std::nullopt;  // the study right has a HOKS
  if (rc != SQLITE_DONE) fail("insert");
  return id;
}

std::optional<StoredHoks> Store::get(long long id) {
  std::lock_guard lock(mutex_);
  Reset r{get_};
  sqlite3_bind_int64(get_, 1, id);
  const int rc = sqlite3_step(get_);
  if (rc == SQLITE_ROW) return row(get_);
  if (rc != SQLITE_DONE) fail("select");
  return std::nullopt;
}

std::optional<StoredHoks> Store::by_opiskeluoikeus(const std::string& oid) {
  std::lock_guard lock(mutex_);
  Reset r{by_oid_};
  bind_text(by_oid_, 1, oid);
  const int rc = sqlite3_step(by_oid_);
  if (rc == SQLITE_ROW) return row(by_oid_);
  if (rc != SQLITE_DONE) fail("select");
  return std::nullopt;
}

bool Store::update(long long id, const std::string& doc) {
  std::lock_guard lock(mutex_);
  Reset r{update_};
  sqlite3_bind_int64(update_, 1, id);
  bind_text(update_, 2, doc);
  bind_text(update_, 3, now_utc());
  if (sqlite3_step(update_) != SQLITE_DONE) fail("update");  // one statement: its own transaction
  return sqlite3_changes(db_) > 0;
}

std::vector<StoredHoks> Store::page(long long from_id, int amount, const std::string& updated_after) {
  std::lock_guard lock(mutex_);
  Reset r{page_};
  sqlite3_bind_int64(page_, 1, from_id);
  sqlite3_bind_int(page_, 2, amount);
  bind_text(page_, 3, updated_after);
  std::vector<StoredHoks> out;
  int rc;
  while ((rc = sqlite3_step(page_)) == SQLITE_ROW) out.push_back(row(page_));
  if (rc != SQLITE_DONE) fail("select");
  return out;
}

void Store::reset() {
  std::lock_guard lock(mutex_);
  exec("DELETE FROM hoks");
}

}  // namespace hoks::serve
