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

[[noreturn]] void fail_on(sqlite3* db, const char* what) {
  throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

sqlite3_stmt* prepare_on(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) fail_on(db, "database");
  return s;
}

StoredHoks row(sqlite3_stmt* s) {
  StoredHoks h;
  h.id = sqlite3_column_int64(s, 0);
  h.opiskeluoikeus_oid = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
  h.updated = reinterpret_cast<const char*>(sqlite3_column_text(s, 2));
  h.doc.assign(reinterpret_cast<const char*>(sqlite3_column_blob(s, 3)), static_cast<std::size_t>(sqlite3_column_bytes(s, 3)));
  return h;
}

}  // namespace

struct Store::Reader {
  sqlite3* db = nullptr;
  bool owned = false;  // false: the writer's connection, closed by the Store
  sqlite3_stmt *get = nullptr, *by_oid = nullptr, *page = nullptr;

  void prepare() {
    get = prepare_on(db, "SELECT id, opiskeluoikeus_oid, updated, doc FROM hoks WHERE id = ?1");
    by_oid = prepare_on(db, "SELECT id, opiskeluoikeus_oid, updated, doc FROM hoks WHERE opiskeluoikeus_oid = ?1");
    page = prepare_on(db, "SELECT id, opiskeluoikeus_oid, updated, doc FROM hoks WHERE id > ?1 AND updated > ?3 "
                          "ORDER BY id LIMIT ?2");
  }
  ~Reader() {
    for (sqlite3_stmt* s : {get, by_oid, page}) sqlite3_finalize(s);
    if (owned) sqlite3_close(db);
  }
};

template <class F>
auto Store::with_reader(F&& read) {
  if (path_.empty()) {
    std::lock_guard lock(mutex_);
    return read(*own_);
  }
  std::unique_ptr<Reader> r;
  {
    std::lock_guard lock(readers_mutex_);
    if (!readers_.empty()) {
      r = std::move(readers_.back());
      readers_.pop_back();
    }
  }
  if (!r) {
    r = std::make_unique<Reader>();
    r->owned = true;
    if (sqlite3_open_v2(path_.c_str(), &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      fail_on(r->db, "cannot open a reader of the database");
    sqlite3_busy_timeout(r->db, 5000);
    sqlite3_exec(r->db, "PRAGMA cache_size=-512", nullptr, nullptr, nullptr);
    r->prepare();
  }
  struct Back {  // the reader goes back to the free ones, also when `read` throws
    Store& store;
    std::unique_ptr<Reader>& r;
    ~Back() {
      std::lock_guard lock(store.readers_mutex_);
      store.readers_.push_back(std::move(r));
    }
  } back{*this, r};
  return read(*r);
}

Store::Store(const std::string& path, bool durable, CheckpointLimits limits) : limits_(limits) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error(path + ": cannot open the database: " + m);
  }
  try {
    open_schema(path, durable);
  } catch (...) {
    close();  // the destructor does not run when the constructor throws
    throw;
  }
}

void Store::open_schema(const std::string& path, bool durable) {
  sqlite3_busy_timeout(db_, 5000);
  // WAL. synchronous=OFF: a commit is in the WAL file (in the OS page cache) before it returns,
  // so it survives the process being killed, and neither commits nor checkpoints wait for the
  // disk (on ext4 the checkpoints' fsyncs made POST's p99 20-50 ms, docs/sandbox.md); an OS crash
  // or power loss can lose or damage the store. Durable: synchronous=FULL, an fsync per commit.
  exec("PRAGMA journal_mode=WAL");
  exec(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
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
  update_ = prepare("UPDATE hoks SET doc = ?2, updated = ?3 WHERE id = ?1");
  own_ = std::make_unique<Reader>();
  own_->db = db_;
  own_->prepare();
  if (path != ":memory:" && !path.empty()) {
    path_ = path;
    start_checkpoints(durable);
  }
}

void Store::start_checkpoints(bool durable) {
  if (sqlite3_open_v2(path_.c_str(), &checkpointer_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
    fail_on(checkpointer_, "cannot open the checkpoint connection of the database");
  sqlite3_busy_timeout(checkpointer_, 5000);
  sqlite3_exec(checkpointer_, durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
  sqlite3_wal_autocheckpoint(db_, 0);  // no checkpoint inside a commit
  sqlite3_wal_hook(db_, &Store::wal_grew, this);
  checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
}

int Store::wal_grew(void* store, sqlite3* db, const char*, int pages) {
  auto& s = *static_cast<Store*>(store);
  if (pages >= 2 * s.limits_.restart) {
    // The checkpoint thread fell behind (it got no CPU, or the disk is slow): this commit copies
    // the WAL itself, as SQLite's own checkpoints do, so that the WAL stays bounded.
    int frames = 0, copied = 0;
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
    std::lock_guard lock(s.checkpoint_mutex_);
    s.wal_pages_ = frames;
    if (copied >= 0) s.backfilled_ = copied;
    return SQLITE_OK;
  }
  bool wake;
  {
    std::lock_guard lock(s.checkpoint_mutex_);
    if (pages < s.backfilled_) s.backfilled_ = 0;  // the WAL restarted
    s.wal_pages_ = pages;
    wake = pages - s.backfilled_ >= s.limits_.frames;
  }
  if (wake) s.checkpoint_wanted_.notify_one();
  return SQLITE_OK;
}

void Store::checkpoint_loop() {
  std::unique_lock lock(checkpoint_mutex_);
  for (;;) {
    checkpoint_wanted_.wait(lock, [&] {
      return stopping_ || (wal_pages_ != tried_at_ && wal_pages_ - backfilled_ >= limits_.frames);
    });
    if (stopping_) return;
    tried_at_ = wal_pages_;
    const bool restart = wal_pages_ >= limits_.restart;
    lock.unlock();
    int frames = 0, copied = 0;
    if (restart) {
      // The bulk first without the writer's lock, then what came meanwhile with it.
      sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
      std::lock_guard writer(mutex_);
      sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
    } else {
      sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
    }
    lock.lock();
    // A pass that failed (busy, I/O) or was held back by a reader is tried again after the next commit.
    if (copied >= 0) backfilled_ = copied;
  }
}

Store::~Store() { close(); }

void Store::close() noexcept {
  if (checkpoint_thread_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_wanted_.notify_one();
    checkpoint_thread_.join();
  }
  sqlite3_close(checkpointer_);
  checkpointer_ = nullptr;
  readers_.clear();
  own_.reset();
  for (sqlite3_stmt* s : {next_id_, insert_, update_}) sqlite3_finalize(s);
  next_id_ = insert_ = update_ = nullptr;
  sqlite3_close(db_);
  db_ = nullptr;
}

void Store::fail(const char* what) { fail_on(db_, what); }

void Store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error(std::string("database: ") + m);
  }
}

sqlite3_stmt* Store::prepare(const char* sql) { return prepare_on(db_, sql); }

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

std::optional<StoredHoks> Store::get_on(Reader& r, long long id) {
  Reset reset{r.get};
  sqlite3_bind_int64(r.get, 1, id);
  const int rc = sqlite3_step(r.get);
  if (rc == SQLITE_ROW) return row(r.get);
  if (rc != SQLITE_DONE) fail_on(r.db, "select");
  return std::nullopt;
}

std::optional<StoredHoks> Store::get(long long id) {
  return with_reader([&](Reader& r) { return get_on(r, id); });
}

std::optional<StoredHoks> Store::get_for_update(long long id) {
  std::lock_guard lock(mutex_);
  return get_on(*own_, id);
}

std::optional<StoredHoks> Store::by_opiskeluoikeus(const std::string& oid) {
  return with_reader([&](Reader& r) -> std::optional<StoredHoks> {
    Reset reset{r.by_oid};
    bind_text(r.by_oid, 1, oid);
    const int rc = sqlite3_step(r.by_oid);
    if (rc == SQLITE_ROW) return row(r.by_oid);
    if (rc != SQLITE_DONE) fail_on(r.db, "select");
    return std::nullopt;
  });
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
  return with_reader([&](Reader& r) {
    Reset reset{r.page};
    sqlite3_bind_int64(r.page, 1, from_id);
    sqlite3_bind_int(r.page, 2, amount);
    bind_text(r.page, 3, updated_after);
    std::vector<StoredHoks> out;
    int rc;
    while ((rc = sqlite3_step(r.page)) == SQLITE_ROW) out.push_back(row(r.page));
    if (rc != SQLITE_DONE) fail_on(r.db, "select");
    return out;
  });
}

void Store::reset() {
  std::lock_guard lock(mutex_);
  exec("DELETE FROM hoks");
}

}  // namespace hoks::serve
