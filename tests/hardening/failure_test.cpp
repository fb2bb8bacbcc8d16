// Store failure injection (SQLite's way): a VFS shim fails the Nth write or
// sync with an I/O error or a full disk, or meets a lock held by "another
// writer", moved forward one failure point at a time through a sequence of
// appends and a fetch-state save. Each failure is a clear error (kStore or
// kStoreBusy naming the problem), the failed batch leaves no trace, the file
// passes integrity_check, and a rerun completes the work with exactly the
// content of an undisturbed run.
#include <gtest/gtest.h>

#include <climits>
#include <cstdlib>

#include "store/open/open_store.h"
#include "tests/hardening/fault_vfs.h"
#include "tests/hardening/site.h"

namespace banwatch::hardening {
namespace {

using namespace std::chrono_literals;

constexpr int kArticles = 16;

// Every failure point with BANWATCH_FAILURE_STRIDE=1 (run-all.sh); under
// ctest about 40 points per kind, evenly spread, plus the first and the last.
long failure_stride(long points) {
  const char* env = std::getenv("BANWATCH_FAILURE_STRIDE");
  if (env && *env) return std::max(1L, std::atol(env));
  return std::max(1L, points / 40);
}

model::ArticleRecord article(int i) {
  model::ArticleRecord a;
  a.url = "https://news.example/story/" + std::to_string(i);
  a.canonical_url = a.url;
  a.item_id = "urn:story:" + std::to_string(i);
  a.title = "Story " + std::to_string(i);
  a.published_at =
      PreciseTime{Timestamp(std::chrono::sys_days(std::chrono::year{2026} / 11 / 20)), DatePrecision::kDay};
  a.fetched_at = Timestamp(std::chrono::sys_days(std::chrono::year{2026} / 11 / 21));
  a.text = "Paragraph one of story " + std::to_string(i) + ".\n\n" + std::string(400 + 37 * i, 'x');
  a.content_hash = std::to_string(i);
  return a;
}

std::vector<model::ExtractedEvent> events(int i) {
  std::vector<model::ExtractedEvent> out;
  for (int k = 0; k < (i % 3); ++k) {
    model::ExtractedEvent e;
    e.vendor = kVendors[static_cast<std::size_t>(i + k) % 4];
    e.actor = kActors[static_cast<std::size_t>(k) % 3];
    e.actor_type = "government";
    e.action = "ban";
    e.status = k == 1 ? "considering" : "enacted";
    e.evidence = e.actor + " has banned " + e.vendor + " (story " + std::to_string(i) + ").";
    e.rule_id = "ban.verb";
    e.rule_pack_version = "test";
    e.confidence = 0.9;
    out.push_back(e);
  }
  return out;
}

struct Outcome {
  int appended = 0;            // appends that returned success
  std::optional<Error> error;  // the first failure
};

// The workload one crawl would write: every article with its events, then the
// source's fetch state. Stops at the first failure, as the crawl does.
Outcome write_all(store::Store& s, model::Id source_id) {
  Outcome o;
  store::AppendOptions opts;
  opts.now = Timestamp(std::chrono::sys_days(std::chrono::year{2026} / 11 / 21));
  for (int i = 0; i < kArticles; ++i) {
    auto a = article(i);
    a.source_id = source_id;
    auto r = s.append_article(a, events(i), opts);
    if (!r) {
      o.error = r.error();
      return o;
    }
    ++o.appended;
  }
  store::FetchState state;
  state.etag = "\"v1\"";
  state.last_status = 200;
  if (auto st = s.save_fetch_state(source_id, state); !st) o.error = st.error();
  return o;
}

class StoreFailureInjection : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(install_fault_vfs());
    dir_ = temp_dir("faults");
  }
  void TearDown() override {
    arm_faults({});
    if (!dir_.empty() && !HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<store::Store> open(const std::string& db, bool create) {
    store::StoreOptions so;
    so.create = create;
    so.busy_timeout = 20ms;  // a busy plan fails fast instead of waiting out the default
    auto s = store::open_store(db, so);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
    return s ? std::move(*s) : nullptr;
  }

  // A new store with its source; returns the source id.
  model::Id fresh(const std::string& db, std::unique_ptr<store::Store>& s) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    s = open(db, true);
    if (!s) return 0;
    store::SourceSpec spec;
    spec.name = "desk";
    spec.url = "https://news.example/feed.xml";
    auto id = s->add_source(spec);
    EXPECT_TRUE(id.has_value());
    return id ? *id : 0;
  }

  std::string dir_;
};

struct Mode {
  const char* name;
  FaultKind kind;
  bool persistent;
  ErrorCode code;
  std::vector<std::string> message_names;  // one of these appears in the message
};

TEST_F(StoreFailureInjection, EveryFailurePointGivesAClearErrorRollsBackAndARerunCompletes) {
  // The reference, counting the operations the workload performs.
  const std::string ref_db = dir_ + "/reference.db";
  std::unique_ptr<store::Store> s;
  model::Id source = fresh(ref_db, s);
  ASSERT_TRUE(s);
  arm_faults({FaultKind::kIoError, LONG_MAX, true});
  Outcome ref = write_all(*s, source);
  const long writes = fault_vfs_writes(), locks = fault_vfs_exclusive_locks();
  arm_faults({});
  ASSERT_FALSE(ref.error) << ref.error->message;
  s.reset();
  Dump reference = dump_store(ref_db);
  ASSERT_EQ(reference.integrity, "ok");
  ASSERT_EQ(reference.articles.size(), static_cast<std::size_t>(kArticles));
  ASSERT_FALSE(reference.mentions.empty());
  std::cerr << "workload: " << writes << " writes/syncs, " << locks << " exclusive locks\n";

  const std::vector<Mode> modes = {
      {"I/O error (persistent)", FaultKind::kIoError, true, ErrorCode::kStore, {"disk I/O error", "I/O"}},
      {"I/O error (once)", FaultKind::kIoError, false, ErrorCode::kStore, {"disk I/O error", "I/O"}},
      {"disk full", FaultKind::kDiskFull, true, ErrorCode::kStore, {"disk is full", "full"}},
      {"busy", FaultKind::kBusy, true, ErrorCode::kStoreBusy, {"locked", "busy"}},
  };
  const std::string db = dir_ + "/trial.db";
  for (const auto& mode : modes) {
    long points = mode.kind == FaultKind::kBusy ? locks : writes;
    int passed = 0, errors = 0, absorbed = 0, tried = 0;
    const long stride = failure_stride(points);
    for (long n = 1; n <= points; n = (n == points || n + stride <= points) ? n + stride : points) {
      ++tried;
      SCOPED_TRACE(std::string(mode.name) + " at operation " + std::to_string(n) + "/" + std::to_string(points));
      source = fresh(db, s);
      ASSERT_TRUE(s);
      arm_faults({mode.kind, n, mode.persistent});
      Outcome o = write_all(*s, source);
      arm_faults({});
      if (o.error) {
        ++errors;
        EXPECT_EQ(o.error->code, mode.code) << o.error->message;
        bool named = false;
        for (const auto& name : mode.message_names) named = named || o.error->message.find(name) != std::string::npos;
        EXPECT_TRUE(named) << "the message should name the problem: " << o.error->message;
        // The failed batch left no trace: exactly the successful appends are stored.
        auto stats = s->stats();
        ASSERT_TRUE(stats.has_value()) << stats.error().message;
        EXPECT_EQ(stats->articles, o.appended);
        if (o.appended < kArticles) {
          auto missing = s->find_article(article(o.appended).canonical_url);
          ASSERT_TRUE(missing.has_value());
          EXPECT_FALSE(missing->has_value()) << "the failed article was partly stored";
        }
      } else {
        ++absorbed;  // SQLite absorbed it (a retried lock, a checkpoint that can wait)
      }
      auto check = s->integrity_check();
      ASSERT_TRUE(check.has_value()) << check.error().message;
      EXPECT_EQ(*check, "ok");
      s.reset();
      // The next run (a new process in real life) completes the work.
      s = open(db, false);
      ASSERT_TRUE(s);
      Outcome again = write_all(*s, source);
      EXPECT_FALSE(again.error) << again.error->message;
      s.reset();
      Dump after = dump_store(db);
      EXPECT_EQ(after.integrity, "ok");
      EXPECT_EQ(after.articles, reference.articles);
      EXPECT_EQ(after.events, reference.events);
      EXPECT_EQ(after.mentions, reference.mentions);
      if (after == reference && after.integrity == "ok") ++passed;
    }
    std::cerr << mode.name << ": " << passed << "/" << tried << " failure points passed (of " << points << ", every "
              << stride << "; " << errors << " surfaced as errors, " << absorbed << " absorbed by SQLite)\n";
    EXPECT_EQ(passed, tried);
    EXPECT_GT(errors, 0);
  }
}

}  // namespace
}  // namespace banwatch::hardening
