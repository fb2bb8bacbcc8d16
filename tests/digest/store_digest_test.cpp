// The digest over a real SQLite store filled by the test: golden output of
// every format, and the exactly-once cursor with delivery and store failures
// injected (nothing skipped, nothing twice).
#include <gtest/gtest.h>
#include <unistd.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "digest/digest.h"
#include "digest/render.h"
#include "digest/run.h"
#include "store/open/open_store.h"
#include "tests/digest/golden.h"
#include "tests/digest/sample.h"

namespace banwatch::digest {
namespace {

namespace fs = std::filesystem;
using testing::at;
using testing::day;
using testing::expect_golden;

struct Report {
  std::string source, url, title;
  const char* published;
  std::string vendor, actor, actor_type, action, status, scope;
  std::optional<PreciseTime> event_date;
  std::string evidence;
};

class DigestStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/banwatch-digest-store-XXXXXX";
    dir_ = ::mkdtemp(templ);
    auto opened = store::open_store(dir_ + "/banwatch.db", store::StoreOptions{});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    for (const auto& [name, url] :
         std::vector<std::pair<std::string, std::string>>{{"Example Wire", "https://wire.example/feed.xml"},
                                                          {"Daily Ledger", "https://ledger.example/rss"},
                                                          {"Broken Feed", "https://broken.example/feed.xml"}}) {
      store::SourceSpec spec;
      spec.name = name;
      spec.url = url;
      auto id = store_->add_source(spec);
      ASSERT_TRUE(id.has_value()) << id.error().message;
      source_ids_[name] = *id;
    }
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  void report(const Report& r, const char* now) {
    model::ArticleRecord a;
    a.source_id = source_ids_.at(r.source);
    a.url = r.url;
    a.canonical_url = r.url;
    a.title = r.title;
    a.published_at = day(r.published);
    a.fetched_at = at(now);
    a.text = r.evidence;
    a.content_hash = std::to_string(std::hash<std::string>{}(r.url));
    model::ExtractedEvent e;
    e.vendor = r.vendor;
    e.actor = r.actor;
    e.actor_type = r.actor_type;
    e.action = r.action;
    e.status = r.status;
    e.scope = r.scope;
    e.event_date = r.event_date;
    e.evidence = r.evidence;
    e.rule_id = "test-rule";
    e.rule_pack_version = "1";
    e.confidence = 0.9;
    store::AppendOptions options;
    options.now = at(now);
    auto result = store_->append_article(a, {e}, options);
    ASSERT_TRUE(result.has_value()) << result.error().message;
  }

  void crawl(const char* started, const char* finished, const std::string& outcome) {
    auto id = store_->begin_run("crawl", at(started));
    ASSERT_TRUE(id.has_value());
    store::Run run;
    run.id = *id;
    run.kind = "crawl";
    run.started_at = at(started);
    run.finished_at = at(finished);
    run.outcome = outcome;
    run.fetched = 3;
    run.failed = outcome == "ok" ? 0 : 1;
    ASSERT_TRUE(store_->finish_run(run).has_value());
  }

  // The first week: a proposed ban reported twice, a removal, a restriction.
  void first_week() {
    crawl("2026-11-20T05:40:00Z", "2026-11-20T05:45:00Z", "ok");
    report({"Example Wire", "https://wire.example/2026/11/19/proposal", "Ruritania moves to ban Huawei from 5G core",
            "2026-11-19", "Huawei", "Ruritania", "government", "ban", "proposed", "5G core network", day("2026-11-19"),
            "Ruritania's government proposed a law banning Huawei equipment from the 5G core network."},
           "2026-11-20T05:41:00Z");
    report({"Daily Ledger", "https://ledger.example/ruritania-huawei", "Ruritania plans Huawei ban", "2026-11-20",
            "Huawei", "Ruritania", "government", "ban", "proposed", "5G core network", day("2026-11-20"),
            "A bill to ban Huawei from Ruritania's 5G core was tabled on Thursday."},
           "2026-11-20T05:42:00Z");
    report({"Daily Ledger", "https://ledger.example/northbridge", "Northbridge rips out Hikvision cameras",
            "2026-11-20", "Hikvision", "City of Northbridge", "government", "remove_or_replace", "enacted", "",
            PreciseTime{at("2026-10-01T00:00:00Z"), DatePrecision::kMonth},
            "The City of Northbridge removed all Hikvision cameras from council buildings in October."},
           "2026-11-20T05:43:00Z");
    report({"Example Wire", "https://wire.example/kaspersky-procurement", "Procurement office weighs Kaspersky limits",
            "2026-11-20", "Kaspersky", "Federal Procurement Office", "regulator", "restrict", "considering",
            "public tenders", std::nullopt,
            "The Federal Procurement Office is considering restrictions on Kaspersky software in public tenders."},
           "2026-11-20T05:44:00Z");
  }

  // The next days: the ban is enacted, Northbridge is reported again, and a
  // source starts failing.
  void second_week() {
    crawl("2026-11-25T05:40:00Z", "2026-11-25T05:45:00Z", "partial");
    report({"Example Wire", "https://wire.example/2026/11/24/ban", "Ruritania parliament passes Huawei ban",
            "2026-11-24", "Huawei", "Ruritania", "government", "ban", "enacted", "5G core network", day("2026-11-24"),
            "Ruritania's parliament on Tuesday passed a law banning Huawei equipment from the 5G core network."},
           "2026-11-25T05:41:00Z");
    report({"Example Wire", "https://wire.example/northbridge-cameras", "Northbridge finishes camera swap",
            "2026-11-25", "Hikvision", "City of Northbridge", "government", "remove_or_replace", "enacted", "",
            PreciseTime{at("2026-10-01T00:00:00Z"), DatePrecision::kMonth},
            "Northbridge said the replacement of its Hikvision cameras in October is complete."},
           "2026-11-25T05:42:00Z");
    store::FetchState broken;
    broken.consecutive_errors = 3;
    broken.last_status = 503;
    broken.last_error = "HTTP 503 Service Unavailable";
    broken.last_fetch = at("2026-11-25T05:40:00Z");
    broken.last_success = at("2026-11-22T05:40:00Z");
    ASSERT_TRUE(store_->save_fetch_state(source_ids_.at("Broken Feed"), broken).has_value());
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::map<std::string, model::Id> source_ids_;
};

BuildOptions cursor_build(const char* now, std::optional<store::DigestRecord> cursor) {
  BuildOptions o;
  o.now = at(now);
  o.use_cursor = true;
  o.cursor = std::move(cursor);
  return o;
}

TEST_F(DigestStoreTest, FirstBriefHasEveryEventOnceWithAllCitations) {
  first_week();
  auto d = build_digest(*store_, cursor_build("2026-11-21T06:00:00Z", std::nullopt));
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->event_count(), 3) << "two reports of the proposal are one event";
  ASSERT_EQ(d->vendors.size(), 3u);
  EXPECT_EQ(d->vendors[0].vendor, "Huawei");  // newest event date first
  EXPECT_EQ(d->vendors[0].events[0].citations.size(), 2u);
  EXPECT_EQ(d->vendors[1].vendor, "Hikvision");
  EXPECT_EQ(d->vendors[2].vendor, "Kaspersky");  // undated last
  EXPECT_EQ(d->changes.new_events, 3);
  EXPECT_EQ(d->changes.new_citations, 0);
  EXPECT_GT(d->up_to_event_id, 0);
  EXPECT_GT(d->up_to_mention_id, 0);
  ASSERT_TRUE(d->health.last_successful_crawl.has_value());
  EXPECT_EQ(*d->health.last_successful_crawl, at("2026-11-20T05:45:00Z"));
}

// The second brief: a status change (proposed -> enacted, linked to the
// earlier event) and a new report of a known event. Golden in every format.
TEST_F(DigestStoreTest, Golden_SecondBriefInEveryFormat) {
  first_week();
  auto first = build_digest(*store_, cursor_build("2026-11-21T06:00:00Z", std::nullopt));
  ASSERT_TRUE(first.has_value());
  store::DigestRecord cursor;
  cursor.channel = "file";
  cursor.created_at = at("2026-11-21T06:00:00Z");
  cursor.up_to_event_id = first->up_to_event_id;
  cursor.up_to_mention_id = first->up_to_mention_id;
  cursor.event_count = first->event_count();
  second_week();

  auto d = build_digest(*store_, cursor_build("2026-11-26T06:00:00Z", cursor));
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->event_count(), 2);
  const auto& enacted = d->vendors[0].events[0];
  EXPECT_EQ(enacted.change, Change::kStatusChange);
  ASSERT_TRUE(enacted.previous.has_value());
  EXPECT_EQ(enacted.previous->status, "proposed");
  const auto& cited = d->vendors[1].events[0];
  EXPECT_EQ(cited.change, Change::kNewCitations);
  ASSERT_EQ(cited.citations.size(), 2u);
  EXPECT_FALSE(cited.citations[0].is_new);
  EXPECT_TRUE(cited.citations[1].is_new);
  EXPECT_EQ(d->changes.status_changes, 1);
  EXPECT_EQ(d->changes.new_citations, 1);
  ASSERT_EQ(d->health.failing_sources.size(), 1u);
  EXPECT_EQ(d->health.failing_sources[0].name, "Broken Feed");

  expect_golden("store-brief.md", render_markdown(*d));
  expect_golden("store-brief.html", render_html(*d));
  expect_golden("store-brief.txt", render_text(*d));
  expect_golden("store-brief.json", render_json(*d));
  expect_golden("store-brief.atom", render_atom(*d));
}

// A window (--since 24h, --since DATE) holds the events first seen in it, as
// new, and the events first seen before it that reports appended in it cite,
// as updates with those reports marked new.
TEST_F(DigestStoreTest, WindowModeTakesEventsFirstSeenInTheWindowAndNewReportsOfOlderOnes) {
  first_week();
  second_week();
  BuildOptions o;
  o.now = at("2026-11-26T06:00:00Z");
  o.since = at("2026-11-24T00:00:00Z");
  auto d = build_digest(*store_, o);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->event_count(), 2);
  EXPECT_EQ(d->vendors[0].vendor, "Huawei");  // the enactment, first seen in the window
  EXPECT_EQ(d->vendors[0].events[0].change, Change::kStatusChange);
  EXPECT_EQ(d->vendors[1].vendor, "Hikvision");  // seen on the 20th, reported again on the 25th
  const auto& updated = d->vendors[1].events[0];
  EXPECT_EQ(updated.change, Change::kNewCitations);
  ASSERT_EQ(updated.citations.size(), 2u);
  EXPECT_FALSE(updated.citations[0].is_new);
  EXPECT_TRUE(updated.citations[1].is_new);
  EXPECT_EQ(d->changes.new_events, 1);
  EXPECT_EQ(d->changes.known_events_cited, 1);
  const auto table = vendor_summary(*d);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0].vendor, "Huawei");
  EXPECT_EQ(table[0].new_events, 1);
  EXPECT_EQ(table[0].status_changes, 1);
  EXPECT_EQ(table[1].vendor, "Hikvision");
  EXPECT_EQ(table[1].new_events, 0);
  EXPECT_EQ(table[1].updated_events, 1);
  o.vendors = {"kaspersky"};  // vendor names match case-insensitively
  o.since = at("2026-11-01T00:00:00Z");
  d = build_digest(*store_, o);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->event_count(), 1);
  EXPECT_EQ(d->vendors[0].vendor, "Kaspersky");
}

// ---- exactly once ------------------------------------------------------------------

// A channel that records what it was given and fails on demand.
class RecordingChannel final : public Channel {
 public:
  explicit RecordingChannel(std::string key) : key_(std::move(key)) {}
  std::string key() const override { return key_; }
  std::string label() const override { return "test channel " + key_; }
  bool wants_empty() const override { return false; }
  Status deliver(const Digest& d) override {
    ++attempts;
    if (failing) return fail(ErrorCode::kNetwork, label() + ": injected failure");
    std::vector<model::Id> ids;
    for (const auto& g : d.vendors)
      for (const auto& e : g.events)
        for (const auto& c : e.citations)
          if (c.is_new) ids.push_back(c.mention_id);
    received.push_back(ids);
    return {};
  }
  bool failing = false;
  int attempts = 0;
  std::vector<std::vector<model::Id>> received;  // new mention ids, per delivery

  // Every mention id received, checking none arrives twice.
  std::multiset<model::Id> all() const {
    std::multiset<model::Id> s;
    for (const auto& r : received) s.insert(r.begin(), r.end());
    return s;
  }

 private:
  std::string key_;
};

RunRequest cursor_request(const char* now) {
  RunRequest r;
  r.build.now = at(now);
  r.since_last = true;
  r.format_name = "markdown";
  return r;
}

std::set<model::Id> all_mention_ids(store::Store& store) {
  std::set<model::Id> ids;
  auto events = store.query_events(store::EventQuery{});
  EXPECT_TRUE(events.has_value());
  for (const auto& e : *events)
    for (const auto& m : e.mentions) ids.insert(m.id);
  return ids;
}

TEST_F(DigestStoreTest, CursorFailedDeliveryIsSentAgainNothingSkippedNothingTwice) {
  RecordingChannel ok("ok"), flaky("flaky");
  const std::vector<Channel*> channels{&ok, &flaky};

  first_week();
  flaky.failing = true;
  auto run1 = run_digest(*store_, cursor_request("2026-11-21T06:00:00Z"), channels);
  ASSERT_EQ(run1.channels.size(), 2u);
  EXPECT_TRUE(run1.channels[0].delivered);
  EXPECT_TRUE(run1.channels[0].cursor_moved);
  ASSERT_TRUE(run1.channels[1].error.has_value());
  EXPECT_NE(run1.channels[1].error->message.find("injected failure"), std::string::npos);
  EXPECT_FALSE(run1.channels[1].cursor_moved);
  EXPECT_EQ(run1.failures(), 1);
  auto flaky_cursor = store_->last_digest("flaky");
  ASSERT_TRUE(flaky_cursor.has_value());
  EXPECT_FALSE(flaky_cursor->has_value()) << "a failed delivery leaves the cursor where it was";

  // Still failing while more news arrives.
  second_week();
  auto run2 = run_digest(*store_, cursor_request("2026-11-26T06:00:00Z"), channels);
  EXPECT_EQ(run2.failures(), 1);

  // Recovered: the flaky channel receives everything it missed at once.
  flaky.failing = false;
  auto run3 = run_digest(*store_, cursor_request("2026-11-26T07:00:00Z"), channels);
  EXPECT_EQ(run3.failures(), 0);
  EXPECT_TRUE(run3.channels[0].skipped_empty) << "the healthy channel has nothing new";
  EXPECT_TRUE(run3.channels[1].delivered);

  // Nothing new: nothing delivered to anyone.
  auto run4 = run_digest(*store_, cursor_request("2026-11-26T08:00:00Z"), channels);
  EXPECT_TRUE(run4.channels[0].skipped_empty);
  EXPECT_TRUE(run4.channels[1].skipped_empty);

  const auto expected = all_mention_ids(*store_);
  for (RecordingChannel* c : {&ok, &flaky}) {
    const auto got = c->all();
    EXPECT_EQ(std::set<model::Id>(got.begin(), got.end()), expected) << c->key() << ": nothing skipped";
    EXPECT_EQ(got.size(), expected.size()) << c->key() << ": nothing twice";
  }
  EXPECT_EQ(ok.received.size(), 2u);
  EXPECT_EQ(flaky.received.size(), 1u);
  EXPECT_EQ(flaky.attempts, 3);
}

TEST_F(DigestStoreTest, FilteredBriefDoesNotMoveTheCursor) {
  first_week();
  RecordingChannel c("c");
  RunRequest r = cursor_request("2026-11-21T06:00:00Z");
  r.build.vendors = {"Huawei"};
  EXPECT_FALSE(cursor_may_move(r));
  auto run = run_digest(*store_, r, {&c});
  EXPECT_TRUE(run.channels[0].delivered);
  EXPECT_FALSE(run.channels[0].cursor_moved);
  // The unfiltered brief still has every vendor.
  auto full = run_digest(*store_, cursor_request("2026-11-21T07:00:00Z"), {&c});
  EXPECT_TRUE(full.channels[0].cursor_moved);
  EXPECT_EQ(full.channels[0].events, 3);
}

TEST_F(DigestStoreTest, BudgetCutsTheBriefWithoutSkippingAnything) {
  first_week();
  second_week();
  RecordingChannel c("c");
  std::set<model::Id> seen;
  int runs = 0;
  for (;; ++runs) {
    ASSERT_LT(runs, 10);
    RunRequest r = cursor_request("2026-11-26T06:00:00Z");
    r.build.max_events = 1;
    auto run = run_digest(*store_, r, {&c});
    ASSERT_EQ(run.failures(), 0);
    if (run.channels[0].skipped_empty) break;
    EXPECT_EQ(run.channels[0].events, 1);
  }
  const auto got = c.all();
  EXPECT_EQ(std::set<model::Id>(got.begin(), got.end()), all_mention_ids(*store_));
}

// A store whose writes of the cursor fail: the brief was delivered, so the
// error says the next brief repeats it, and the cursor stays where it was.
class CursorFailingStore final : public store::Store {
 public:
  explicit CursorFailingStore(store::Store& inner) : s_(inner) {}
  Result<model::Id> add_source(const store::SourceSpec& spec) override { return s_.add_source(spec); }
  Status upsert_source(const store::SourceSpec& spec) override { return s_.upsert_source(spec); }
  Status remove_source(const std::string& name) override { return s_.remove_source(name); }
  Result<std::vector<store::Source>> list_sources() override { return s_.list_sources(); }
  Result<std::vector<std::string>> removed_source_names() override { return s_.removed_source_names(); }
  Result<store::Source> get_source(const std::string& name) override { return s_.get_source(name); }
  Status save_fetch_state(model::Id id, const store::FetchState& st) override { return s_.save_fetch_state(id, st); }
  Result<std::optional<model::Id>> find_article(const std::string& url) override { return s_.find_article(url); }
  Result<bool> has_item(const std::string& item) override { return s_.has_item(item); }
  Result<store::AppendResult> append_article(const model::ArticleRecord& a, const std::vector<model::ExtractedEvent>& e,
                                             const store::AppendOptions& o) override {
    return s_.append_article(a, e, o);
  }
  Result<store::AppendResult> append_events(model::Id id, const std::vector<model::ExtractedEvent>& e,
                                            const store::AppendOptions& o) override {
    return s_.append_events(id, e, o);
  }
  Status for_each_article(const ArticleFilter& f, const std::function<bool(const model::ArticleRecord&)>& v) override {
    return s_.for_each_article(f, v);
  }
  Result<std::vector<store::EventWithMentions>> query_events(const store::EventQuery& q) override {
    if (fail_queries) return fail(ErrorCode::kStoreBusy, "injected: database is locked");
    return s_.query_events(q);
  }
  Result<std::vector<store::SearchHit>> search(const std::string& q, std::optional<Timestamp> since,
                                               std::size_t limit) override {
    return s_.search(q, since, limit);
  }
  Result<model::Id> begin_run(const std::string& kind, Timestamp t) override { return s_.begin_run(kind, t); }
  Status finish_run(const store::Run& r) override { return s_.finish_run(r); }
  Result<std::optional<store::Run>> last_run(const std::string& kind, bool ok) override {
    return s_.last_run(kind, ok);
  }
  Result<std::optional<store::DigestRecord>> last_digest(const std::string& c) override { return s_.last_digest(c); }
  Status record_digest(const store::DigestRecord& d) override {
    if (fail_record) return fail(ErrorCode::kStore, "injected: disk I/O error");
    return s_.record_digest(d);
  }
  Result<store::Stats> stats() override { return s_.stats(); }
  Result<std::string> integrity_check() override { return s_.integrity_check(); }
  Status backup_to(const std::string& path) override { return s_.backup_to(path); }
  store::WorkQueue& work_queue() override { return s_.work_queue(); }
  bool fail_record = false;
  bool fail_queries = false;

 private:
  store::Store& s_;
};

TEST_F(DigestStoreTest, CursorWriteFailureIsReportedAndTheBriefRepeats) {
  first_week();
  CursorFailingStore failing(*store_);
  failing.fail_record = true;
  RecordingChannel c("c");
  auto run = run_digest(failing, cursor_request("2026-11-21T06:00:00Z"), {&c});
  ASSERT_TRUE(run.channels[0].error.has_value());
  EXPECT_TRUE(run.channels[0].delivered);
  EXPECT_NE(run.channels[0].error->message.find("next brief repeats"), std::string::npos);
  failing.fail_record = false;
  auto again = run_digest(failing, cursor_request("2026-11-21T07:00:00Z"), {&c});
  EXPECT_EQ(again.failures(), 0);
  EXPECT_EQ(again.channels[0].events, 3) << "never skipped: repeated rather than lost";
}

TEST_F(DigestStoreTest, StoreFailureWhileBuildingIsAChannelErrorAndNothingMoves) {
  first_week();
  CursorFailingStore failing(*store_);
  failing.fail_queries = true;
  RecordingChannel c("c");
  auto run = run_digest(failing, cursor_request("2026-11-21T06:00:00Z"), {&c});
  ASSERT_TRUE(run.channels[0].error.has_value());
  EXPECT_EQ(run.channels[0].error->code, ErrorCode::kStoreBusy);
  EXPECT_EQ(c.attempts, 0);
  auto cursor = store_->last_digest("c");
  ASSERT_TRUE(cursor.has_value());
  EXPECT_FALSE(cursor->has_value());
}

// ---- the command line, end to end -------------------------------------------------

std::string slurp(const std::string& path) { return testing::read_file(path); }

int run_cli(const std::string& args) {
  const std::string cmd = std::string(BANWATCH_BINARY) + " " + args;
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(DigestStoreTest, Cli_DigestToDirectoryThenFailingChannelExitsOne) {
  if (::access(BANWATCH_BINARY, X_OK) != 0) GTEST_SKIP() << "the banwatch CLI is not built";
  first_week();
  store_.reset();  // the CLI opens the store itself
  const std::string db = dir_ + "/banwatch.db";
  fs::create_directory(dir_ + "/out");
  // No config file: built-in defaults.
  ASSERT_EQ(run_cli("--db " + db + " digest --format json --out " + dir_ + "/out/ --metrics-file " + dir_ +
                    "/digest.prom 2>" + dir_ + "/err.txt"),
            0)
      << slurp(dir_ + "/err.txt");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir_ + "/out")) files.push_back(e.path().filename().string());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].ends_with(".json")) << files[0];
  EXPECT_NE(slurp(dir_ + "/out/" + files[0]).find("\"event_count\": 3"), std::string::npos);
  EXPECT_NE(slurp(dir_ + "/digest.prom").find("banwatch_digest_events 3"), std::string::npos);

  // Second run: the directory's cursor moved, the new brief is empty and goes
  // to a second dated file instead of replacing the first.
  ASSERT_EQ(run_cli("--db " + db + " digest --format json --out " + dir_ + "/out/ 2>/dev/null"), 0);
  files.clear();
  for (const auto& e : fs::directory_iterator(dir_ + "/out")) files.push_back(e.path().filename().string());
  EXPECT_EQ(files.size(), 2u);

  // A webhook nobody listens on: exit 1, the channel and cause named.
  std::ofstream(dir_ + "/banwatch.yaml")
      << "digest:\n  webhook:\n    - url: http://127.0.0.1:9/hook\n      retries: 0\n";
  EXPECT_EQ(run_cli("--db " + db + " --config " + dir_ + "/banwatch.yaml digest --deliver 2>" + dir_ + "/err.txt"), 1);
  const std::string err = slurp(dir_ + "/err.txt");
  EXPECT_NE(err.find("webhook (json) http://127.0.0.1:9"), std::string::npos) << err;
  EXPECT_NE(err.find("onnect"), std::string::npos) << err;
}

}  // namespace
}  // namespace banwatch::digest
