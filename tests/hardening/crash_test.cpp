// Crash consistency of `banwatch crawl` (the real binary against a loopback
// news site): killed with SIGKILL at many points and run again, the store
// passes integrity_check and holds exactly the articles, events and mentions
// of one uninterrupted run: nothing lost, nothing twice.
//
// Kill points come in three kinds, spread evenly over a reference run:
//  - at the Kth HTTP request the server receives (during fetches),
//  - at the Nth SQLite write or sync (kill_shim.so via LD_PRELOAD: inside
//    store writes, WAL appends, commits and checkpoints),
//  - after T milliseconds of wall time (wherever the process happens to be).
// BANWATCH_CRASH_POINTS sets how many (default 12 under ctest; the
// crash-test.sh script runs 50).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "tests/hardening/site.h"

namespace banwatch::hardening {
namespace {

// Under AddressSanitizer the preloaded shim comes before the ASan runtime;
// ASan then refuses to start unless told the order is fine.
std::string preload_asan_options() {
  const char* inherited = std::getenv("ASAN_OPTIONS");
  std::string options = inherited && *inherited ? std::string(inherited) + ":" : std::string();
  return "ASAN_OPTIONS=" + options + "verify_asan_link_order=0";
}

using namespace std::chrono_literals;

int crash_points() {
  const char* env = std::getenv("BANWATCH_CRASH_POINTS");
  int n = env && *env ? std::atoi(env) : 12;
  return std::max(3, n);
}

long read_count(const std::string& path) {
  std::ifstream in(path);
  long n = -1;
  in >> n;
  return n;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
    dir_ = temp_dir("crash");
  }
  void TearDown() override {
    if (!dir_.empty() && !::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
  }

  // A fresh store and config for one trial.
  Banwatch fresh(const NewsSite& site, const std::string& name) {
    db_ = dir_ + "/" + name + ".db";
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) std::filesystem::remove(db_ + suffix);
    return Banwatch(dir_, write_config(dir_, site, db_));
  }

  std::string dir_, db_;
};

TEST_F(CrashTest, KilledAtSpreadPointsThenRerunEndsWithTheSameStore) {
  NewsSite site;
  const std::string shim = BANWATCH_KILL_SHIM;
  const std::string counts = dir_ + "/writes.count";

  // The reference: one uninterrupted run, counting requests and writes.
  auto ref_bw = fresh(site, "reference");
  site.reset_requests();
  auto ref = ref_bw.run({"crawl"}, {"LD_PRELOAD=" + shim, preload_asan_options(), "BANWATCH_COUNT_WRITES=" + counts},
                        "reference");
  ASSERT_EQ(ref.code, 0) << ref.err;
  const int ref_requests = site.requests();
  const long ref_writes = read_count(counts);
  const auto ref_wall = ref.wall;
  Dump reference = dump_store(db_);
  ASSERT_EQ(reference.integrity, "ok");
  ASSERT_EQ(static_cast<int>(reference.articles.size()), site.articles());
  ASSERT_GE(reference.mentions.size(), static_cast<std::size_t>(site.ban_articles() / 2))
      << "the rule pack should read most generated ban sentences";
  ASSERT_GE(reference.events.size(), 10u);
  ASSERT_GT(ref_writes, 10);
  std::cerr << "reference: " << ref_requests << " requests, " << ref_writes << " writes/syncs, " << ref_wall.count()
            << " ms; " << reference.articles.size() << " articles, " << reference.events.size() << " events, "
            << reference.mentions.size() << " mentions\n";

  const int points = crash_points();
  const int per_kind = points / 3;
  int killed = 0, finished_first = 0, passed = 0;
  for (int p = 0; p < points; ++p) {
    int kind = p < per_kind ? 0 : p < 2 * per_kind ? 1 : 2;
    int index = kind == 2 ? p - 2 * per_kind : p % per_kind;
    int count = kind == 2 ? points - 2 * per_kind : per_kind;
    double fraction = (index + 0.5) / count;  // spread over the run
    std::string what;
    auto bw = fresh(site, "trial" + std::to_string(p));
    Exit first;
    if (kind == 0) {
      int k = std::max(1, static_cast<int>(fraction * ref_requests));
      what = "request " + std::to_string(k) + "/" + std::to_string(ref_requests);
      pid_t pid = bw.spawn({"crawl"}, {}, "trial");
      site.arm_kill(pid, k);
      first = bw.wait(pid);
      site.disarm();
    } else if (kind == 1) {
      long n = std::max(1L, static_cast<long>(fraction * static_cast<double>(ref_writes)));
      what = "write " + std::to_string(n) + "/" + std::to_string(ref_writes);
      first = bw.run({"crawl"},
                     {"LD_PRELOAD=" + shim, preload_asan_options(), "BANWATCH_KILL_AT_WRITE=" + std::to_string(n)},
                     "trial");
    } else {
      auto after = std::chrono::milliseconds(static_cast<long long>(fraction * static_cast<double>(ref_wall.count())));
      what = "time " + std::to_string(after.count()) + "ms/" + std::to_string(ref_wall.count()) + "ms";
      pid_t pid = bw.spawn({"crawl"}, {}, "trial");
      std::this_thread::sleep_for(after);
      ::kill(pid, SIGKILL);
      first = bw.wait(pid);
    }
    SCOPED_TRACE("kill point " + std::to_string(p) + " at " + what);
    if (first.signaled)
      ++killed;
    else {
      ++finished_first;
      EXPECT_EQ(first.code, 0) << first.err;
    }
    auto again = bw.run({"crawl"}, {}, "rerun");
    ASSERT_EQ(again.code, 0) << again.err;
    Dump after = dump_store(db_);
    EXPECT_EQ(after.integrity, "ok");
    EXPECT_EQ(after.articles, reference.articles);
    EXPECT_EQ(after.events, reference.events);
    EXPECT_EQ(after.mentions, reference.mentions);
    if (after == reference && after.integrity == "ok") ++passed;
    std::cerr << "kill point " << p << " (" << what << "): " << (first.signaled ? "killed" : "finished first")
              << ", rerun " << again.wall.count() << " ms, " << (after == reference ? "same store" : "DIFFERENT")
              << "\n";
  }
  std::cerr << "crash test: " << passed << "/" << points << " kill points passed (" << killed << " killed, "
            << finished_first << " finished before the kill)\n";
  EXPECT_EQ(passed, points);
  // Most points must really kill: otherwise the spread missed the run.
  EXPECT_GE(killed, points * 3 / 4);
}

// Two crawls at once: one runs, the other exits 75 at once; with --wait a
// third waits for the first and then succeeds. The store ends intact and
// complete.
TEST_F(CrashTest, TwoCrawlsAtOnceOneRunsTheOtherExits75OrWaits) {
  SiteOptions slow;
  slow.page_delay = 10ms;  // the first run holds the lock long enough to overlap
  NewsSite site(slow);
  auto bw = fresh(site, "overlap");
  pid_t first = bw.spawn({"crawl"}, {}, "first");
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (site.requests() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_GT(site.requests(), 0) << "the first crawl never reached the server";

  auto second = bw.run({"crawl"}, {}, "second");
  EXPECT_EQ(second.code, 75) << second.err;
  EXPECT_NE(second.err.find("lock"), std::string::npos) << second.err;

  pid_t third = bw.spawn({"crawl", "--wait", "300"}, {}, "third");
  auto first_exit = bw.wait(first);
  auto third_exit = bw.wait(third);
  EXPECT_EQ(first_exit.code, 0) << first_exit.err;
  EXPECT_EQ(third_exit.code, 0) << third_exit.err;
  EXPECT_GE(third_exit.wall, 100ms) << "the waiting crawl should have waited for the first";

  Dump d = dump_store(db_);
  EXPECT_EQ(d.integrity, "ok");
  EXPECT_EQ(static_cast<int>(d.articles.size()), site.articles());
  EXPECT_FALSE(d.events.empty());
  std::vector<std::string> unique = d.mentions;
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  EXPECT_EQ(unique.size(), d.mentions.size()) << "a mention stored twice";
}

}  // namespace
}  // namespace banwatch::hardening
