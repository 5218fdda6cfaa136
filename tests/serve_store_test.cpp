// The sandbox's SQLite store (serve/store.cpp): its checkpoints run on a thread of their own and
// keep the WAL bounded under a steady stream of writes; what was written is all there afterwards.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "serve/store.hpp"

namespace fs = std::filesystem;

namespace {

struct StoreFile {
  fs::path path = fs::temp_directory_path() / ("hoks-store-" + std::to_string(getpid()) + ".db");
  StoreFile() { remove(); }
  ~StoreFile() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  }
  std::uintmax_t wal_size() const {
    std::error_code ec;
    const auto n = fs::file_size(path.string() + "-wal", ec);
    return ec ? 0 : n;
  }
};

std::string document(long long id) { return "{\"id\":" + std::to_string(id) + ",\"x\":\"" + std::string(9000, 'a') + "\"}"; }

// `count` documents of some 3 pages each, a third of them updated.
void writes_stay_bounded(bool durable, int count) {
  StoreFile file;
  const hoks::serve::CheckpointLimits limits{20, 200};
  std::uintmax_t largest_wal = 0;
  {
    hoks::serve::Store store(file.path.string(), durable, limits);
    for (int i = 0; i < count; ++i) {
      const auto id = store.insert("1.2.246.562.15." + std::to_string(i), "eid-" + std::to_string(i), document);
      ASSERT_TRUE(id);
      if (i % 3 == 0) ASSERT_TRUE(store.update(*id, document(*id) + " "));
      largest_wal = std::max(largest_wal, file.wal_size());
    }
    // Without checkpoints the WAL would hold all of it (some 4 pages per document); it starts again from its
    // beginning once it passes the restart length (200 frames of about 4 KiB), or at the latest
    // from twice that length, when the writer copies it itself (the checkpoint thread got no CPU).
    EXPECT_LT(largest_wal, 4u << 20) << "the WAL grew to " << largest_wal << " bytes";
    EXPECT_GT(fs::file_size(file.path), count * 8000u) << "the checkpoints did not copy the WAL into the database";
  }
  hoks::serve::Store again(file.path.string());
  for (int i = 0; i < count; ++i) {
    const auto h = again.get(i + 1);
    ASSERT_TRUE(h) << "HOKS " << i + 1 << " lost";
    EXPECT_EQ(h->doc, document(i + 1) + (i % 3 == 0 ? " " : "")) << i + 1;
    EXPECT_EQ(h->opiskeluoikeus_oid, "1.2.246.562.15." + std::to_string(i));
  }
  EXPECT_FALSE(again.get(count + 1));
}

TEST(ServeStore, CheckpointsKeepTheWalBoundedUnderSteadyWrites) { writes_stay_bounded(false, 1500); }

// An fsync per commit (some 4 ms here): fewer documents, still 5 times the restart length.
TEST(ServeStore, DurableStoreKeepsTheWalBoundedToo) { writes_stay_bounded(true, 300); }

}  // namespace
