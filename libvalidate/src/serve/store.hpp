// Internal: the sandbox's SQLite store (WAL, one transaction per call, versioned schema).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace hoks::serve {

// The current time as an ISO-8601 UTC instant with milliseconds.
std::string now_utc();

struct StoredHoks {
  long long id = 0;
  std::string opiskeluoikeus_oid;
  std::string updated;  // ISO-8601 UTC instant of the last write
  std::string doc;      // the HOKS as GET returns it (JSON)
};

// When the checkpoint thread copies the WAL into the database file.
struct CheckpointLimits {
  int frames = 1000;     // a checkpoint once this many frames (pages) are new in the WAL (SQLite's default)
  int restart = 8192;    // from this length (32 MiB of 4 KiB pages) one holds the writer's lock to catch
                         // up, so that the WAL starts again from its beginning (a steady load never lets
                         // a checkpoint beside the writer copy all of it); from twice this length the
                         // writer copies the WAL in its commit (the thread fell behind)
};

class Store {
 public:
  static constexpr int schema_version = 1;
  // Opens or creates `path` (":memory:" allowed); throws std::runtime_error. A commit is in the
  // OS before it returns (it survives the process); `durable`: on the disk too (an fsync each).
  explicit Store(const std::string& path, bool durable = false, CheckpointLimits limits = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Inserts a HOKS whose document make_doc(id, eid) builds; nullopt when the study right has one.
  std::optional<long long> insert(const std::string& opiskeluoikeus_oid, const std::string& eid,
                                  const std::function<std::string(long long)>& make_doc);
  std::optional<StoredHoks> get(long long id);
  // get() on the writer's connection: for a read that a write follows (PUT, PATCH).
  std::optional<StoredHoks> get_for_update(long long id);
  std::optional<StoredHoks> by_opiskeluoikeus(const std::string& oid);
  // Replaces the document of `id`; false when there is no such row.
  bool update(long long id, const std::string& doc);
  // Up to `amount` rows with id > from_id (and updated > updated_after when given), by id.
  std::vector<StoredHoks> page(long long from_id, int amount, const std::string& updated_after);
  void reset();

 private:
  // A read-only connection of a file store (WAL lets it read while the writer writes).
  struct Reader;
  // Runs `read` on a free reader, or on the writer connection under its lock for ":memory:".
  template <class F>
  auto with_reader(F&& read);
  std::optional<StoredHoks> get_on(Reader& r, long long id);

  void exec(const char* sql);
  sqlite3_stmt* prepare(const char* sql);
  [[noreturn]] void fail(const char* what);
  void close() noexcept;
  void open_schema(const std::string& path, bool durable);  // the pragmas, the schema and the statements
  // Copies the WAL into the database file on a connection and thread of its own, so that the
  // checkpoint's fsync is not inside a commit with the writer's lock held (a file store only).
  void start_checkpoints(bool durable);
  void checkpoint_loop();
  static int wal_grew(void* store, sqlite3* db, const char* name, int pages);

  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::string path_;  // "" for ":memory:" (no readers)
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Reader>> readers_;  // the free ones
  sqlite3_stmt *next_id_ = nullptr, *insert_ = nullptr, *update_ = nullptr;
  std::unique_ptr<Reader> own_;  // the reads of the writer's connection (":memory:")
  sqlite3* checkpointer_ = nullptr;
  std::thread checkpoint_thread_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wanted_;
  int wal_pages_ = 0;   // the WAL's length in frames after the last commit (under checkpoint_mutex_)
  int backfilled_ = 0;  // the frames of the WAL already in the database file (under checkpoint_mutex_)
  int tried_at_ = -1;   // wal_pages_ when the last checkpoint began: a pass waits for a new commit
  bool stopping_ = false;
  CheckpointLimits limits_;
};

}  // namespace hoks::serve
