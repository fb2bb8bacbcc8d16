// The Store guarantees, run by the same test code against both backends
// (SQLite in a temporary file, PostgreSQL in a fresh schema of the server
// named by BANWATCH_TEST_PG_URL; those cases skip when it is unset), plus
// the PostgreSQL-only parts: work leasing, the article-fetch queue, job
// locks, reconnection and `migrate`.
//
// Start a server with: eval "$(tests/store_pg/pg-cluster.sh start /tmp/banwatch-pg)"
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/identity.h"
#include "store/migrations.h"
#include "store/backend.h"
#include "store/pg/pg_internal.h"
#include "store/pg/pg_store.h"
#include "store/open/open_store.h"
#include "store/store.h"

namespace banwatch::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

Timestamp at(int y, unsigned m, unsigned d, int hour = 0) {
  using namespace std::chrono;
  return Timestamp(sys_days{year{y} / month{m} / day{d}}) + hours{hour};
}

PreciseTime day_date(int y, unsigned m, unsigned d) { return PreciseTime{at(y, m, d), DatePrecision::kDay}; }

std::string pg_url() {
  const char* url = std::getenv("BANWATCH_TEST_PG_URL");
  return url != nullptr ? std::string(url) : std::string();
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::string name = prefix + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  return name;
}

// A PostgreSQL schema that lives for one test; stores open it through the
// libpq `options` parameter, so every test starts from an empty store.
class PgSchema {
 public:
  PgSchema() : name_(unique_name("bwtest_")) {
    pqxx::connection admin(pg_url());
    pqxx::work tx(admin);
    tx.exec("CREATE SCHEMA " + name_);
    tx.commit();
  }
  ~PgSchema() {
    try {
      pqxx::connection admin(pg_url());
      pqxx::work tx(admin);
      tx.exec("DROP SCHEMA " + name_ + " CASCADE");
      tx.commit();
    } catch (const std::exception&) {
      // A leftover schema in a throwaway cluster harms nobody.
    }
  }
  std::string url() const {
    const std::string base = pg_url();
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name_ +
           "&application_name=" + name_;
  }
  // Runs `sql` on a separate connection; returns "" or the server's message.
  std::string exec(const std::string& sql) const {
    try {
      pqxx::connection connection(url());
      pqxx::work tx(connection);
      tx.exec(sql);
      tx.commit();
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  std::int64_t integer(const std::string& sql) const {
    pqxx::connection connection(url());
    pqxx::work tx(connection);
    return tx.exec(sql)[0][0].as<std::int64_t>();
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// ---- the backend under test -----------------------------------------------------

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string url() const = 0;
  virtual std::string exec(const std::string& sql) const = 0;  // "" or the error
  virtual bool shared() const = 0;                             // supports leasing
};

class SqliteBackend final : public Backend {
 public:
  SqliteBackend() {
    dir_ = fs::temp_directory_path() / unique_name("banwatch-backends-");
    fs::create_directories(dir_);
  }
  ~SqliteBackend() override { fs::remove_all(dir_); }
  std::string url() const override { return "sqlite:" + (dir_ / "store.db").string(); }
  std::string exec(const std::string& sql) const override {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "store.db").string().c_str(), &db);
    char* message = nullptr;
    std::string error;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      error = message != nullptr ? message : "error";
    }
    sqlite3_free(message);
    sqlite3_close(db);
    return error;
  }
  bool shared() const override { return false; }

 private:
  fs::path dir_;
};

class PgBackend final : public Backend {
 public:
  std::string url() const override { return schema_.url(); }
  std::string exec(const std::string& sql) const override { return schema_.exec(sql); }
  bool shared() const override { return true; }
  const PgSchema& schema() const { return schema_; }

 private:
  PgSchema schema_;
};

class StoreBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      if (pg_url().empty())
        GTEST_SKIP() << "BANWATCH_TEST_PG_URL is not set (tests/store_pg/pg-cluster.sh starts a server)";
      backend_ = std::make_unique<PgBackend>();
    } else {
      backend_ = std::make_unique<SqliteBackend>();
    }
  }
  void TearDown() override {
    stores_.clear();
    backend_.reset();
  }

  // A new connection to the store under test.
  Store& open(StoreOptions options = {}) {
    auto opened = open_store(backend_->url(), options);
    EXPECT_TRUE(opened.has_value()) << (opened ? "" : opened.error().message);
    if (!opened) throw std::runtime_error("open failed");
    stores_.push_back(std::move(*opened));
    return *stores_.back();
  }

  static model::ArticleRecord article(const std::string& url, const std::string& title = "A title",
                                      const std::string& text = "Body text.") {
    model::ArticleRecord a;
    a.url = url;
    a.canonical_url = url;
    a.title = title;
    a.text = text;
    a.content_hash = std::to_string(std::hash<std::string>{}(text));
    a.fetched_at = at(2026, 11, 1);
    return a;
  }

  static model::ExtractedEvent event(const std::string& vendor, const std::string& actor, const std::string& status,
                                     std::optional<PreciseTime> date, const std::string& evidence,
                                     const std::string& rule = "rule.ban") {
    model::ExtractedEvent e;
    e.vendor = vendor;
    e.actor = actor;
    e.actor_type = "government";
    e.action = "ban";
    e.status = status;
    e.event_date = date;
    e.evidence = evidence;
    e.rule_id = rule;
    e.rule_pack_version = "1";
    e.confidence = 0.75;
    return e;
  }

  std::unique_ptr<Backend> backend_;
  std::vector<std::unique_ptr<Store>> stores_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreBackendTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) { return param_info.param; });

TEST_P(StoreBackendTest, SourcesRoundTripWithFetchState) {
  Store& store = open();
  SourceSpec spec;
  spec.name = "wire";
  spec.url = "https://news.example.com/feed.xml";
  spec.interval = 15min;
  spec.tags = {"press", "eu"};
  auto id = store.add_source(spec);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(store.add_source(spec).error().code, ErrorCode::kAlreadyExists);

  FetchState state;
  state.etag = "\"v1\"";
  state.last_modified = "Tue, 03 Nov 2026 10:00:00 GMT";
  state.next_due = at(2026, 11, 3, 11);
  state.last_fetch = at(2026, 11, 3, 10);
  state.consecutive_errors = 2;
  state.last_status = 503;
  state.last_error = "503 Service Unavailable";
  state.current_interval = 1800s;
  ASSERT_TRUE(store.save_fetch_state(*id, state));

  spec.url = "https://news.example.com/rss";
  ASSERT_TRUE(store.upsert_source(spec));  // keeps the state
  auto got = store.get_source("wire");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->spec.url, "https://news.example.com/rss");
  EXPECT_EQ(got->spec.tags, (std::vector<std::string>{"press", "eu"}));
  EXPECT_EQ(got->state.etag, "\"v1\"");
  EXPECT_EQ(got->state.next_due, at(2026, 11, 3, 11));
  EXPECT_EQ(got->state.consecutive_errors, 2);
  EXPECT_EQ(got->state.last_error, "503 Service Unavailable");
  EXPECT_EQ(got->state.current_interval, 1800s);
  EXPECT_FALSE(got->state.last_success.has_value());

  auto stats = store.stats();
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->failing_sources.size(), 1u);
  EXPECT_EQ(stats->failing_sources[0].spec.name, "wire");

  ASSERT_TRUE(store.remove_source("wire"));
  EXPECT_EQ(store.remove_source("wire").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store.get_source("wire").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store.save_fetch_state(999999, state).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreBackendTest, AppendIsIdempotent) {
  Store& store = open();
  const auto events = std::vector<model::ExtractedEvent>{
      event("Huawei", "Germany", "enacted", day_date(2026, 10, 20), "Germany banned Huawei equipment.")};
  auto first = store.append_article(article("https://a.example/1"), events, {});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->article_inserted);
  EXPECT_EQ(first->events_appended, 1);
  EXPECT_EQ(first->mentions_appended, 1);
  for (int repeat = 0; repeat < 3; ++repeat) {
    auto again = store.append_article(article("https://a.example/1"), events, {});
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->article_inserted);
    EXPECT_EQ(again->article_id, first->article_id);
    EXPECT_EQ(again->events_appended, 0);
    EXPECT_EQ(again->mentions_appended, 0);
  }
  // The same evidence twice in one call is one mention.
  auto doubled = store.append_events(first->article_id, {events[0], events[0]}, {});
  ASSERT_TRUE(doubled);
  EXPECT_EQ(doubled->mentions_appended, 0);
  auto stats = store.stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->articles, 1);
  EXPECT_EQ(stats->events, 1);
  EXPECT_EQ(stats->mentions, 1);
  auto found = store.find_article("https://a.example/1");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, first->article_id);
}

TEST_P(StoreBackendTest, BatchIsAllOrNothing) {
  Store& store = open();
  std::vector<Store::ArticleWithEvents> batch(3);
  batch[0].article = article("https://a.example/b1");
  batch[1].article = article("https://a.example/b2");
  batch[2].article = article("https://a.example/b3");
  batch[2].events = {event("ZTE", "", "enacted", std::nullopt, "An empty actor is refused.")};
  auto failed = store.append_batch(batch, {});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.stats()->articles, 0);
  batch[2].events.clear();
  auto ok = store.append_batch(batch, {});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->size(), 3u);
  EXPECT_EQ(store.stats()->articles, 3);
}

TEST_P(StoreBackendTest, EventsAndMentionsAreAppendOnly) {
  Store& store = open();
  ASSERT_TRUE(
      store.append_article(article("https://a.example/1"),
                           {event("Huawei", "Sweden", "enacted", day_date(2026, 10, 1), "Sweden barred Huawei.")}, {}));
  store.stats();  // let the write settle before a second connection writes
  EXPECT_NE(backend_->exec("UPDATE events SET status = 'reversed'"), "");
  EXPECT_NE(backend_->exec("DELETE FROM events"), "");
  EXPECT_NE(backend_->exec("UPDATE mentions SET evidence = 'rewritten'"), "");
  EXPECT_NE(backend_->exec("DELETE FROM mentions"), "");
  auto events = store.query_events({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].event.status, "enacted");
  ASSERT_EQ((*events)[0].mentions.size(), 1u);
  EXPECT_EQ((*events)[0].mentions[0].evidence, "Sweden barred Huawei.");
  auto check = store.integrity_check();
  ASSERT_TRUE(check);
  EXPECT_EQ(*check, "ok");
}

TEST_P(StoreBackendTest, MentionsOfOneEventClusterAndStatusChangesLink) {
  Store& store = open();
  auto reuters = store.append_article(
      article("https://reuters.example/x"),
      {event("Huawei", "Portugal", "enacted", day_date(2026, 5, 10), "Portugal banned Huawei from 5G.")}, {});
  auto bloomberg = store.append_article(
      article("https://bloomberg.example/y"),
      {event("Huawei", "Portugal", "enacted", day_date(2026, 5, 14), "Portugal has excluded Huawei.")}, {});
  auto far = store.append_article(
      article("https://other.example/z"),
      {event("Huawei", "Portugal", "enacted", day_date(2026, 8, 1), "Portugal again banned Huawei.")}, {});
  auto reversal = store.append_article(
      article("https://other.example/r"),
      {event("Huawei", "Portugal", "reversed", day_date(2026, 9, 1), "Portugal lifted its Huawei ban.")}, {});
  ASSERT_TRUE(reuters && bloomberg && far && reversal);
  EXPECT_EQ(reuters->events_appended, 1);
  EXPECT_EQ(bloomberg->events_appended, 0);  // within the 14-day window: the same event
  EXPECT_EQ(bloomberg->mentions_appended, 1);
  EXPECT_EQ(far->events_appended, 1);
  EXPECT_EQ(reversal->events_appended, 1);
  auto events = store.query_events({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].mentions.size(), 2u);
  EXPECT_EQ((*events)[0].mentions[0].article_url, "https://reuters.example/x");
  EXPECT_EQ((*events)[0].mentions[1].article_url, "https://bloomberg.example/y");
  EXPECT_FALSE((*events)[0].event.previous_event_id.has_value());
  EXPECT_EQ((*events)[2].event.status, "reversed");
  EXPECT_EQ((*events)[2].event.previous_event_id, (*events)[1].event.id);
  EXPECT_EQ((*events)[0].event.event_date, day_date(2026, 5, 10));
  EXPECT_DOUBLE_EQ((*events)[0].event.confidence, 0.75);
}

TEST_P(StoreBackendTest, QueryFiltersAndDigestCursor) {
  Store& store = open();
  AppendOptions options;
  options.now = at(2026, 11, 1);
  ASSERT_TRUE(store.append_article(article("https://a.example/1"),
                                   {event("Huawei", "France", "enacted", day_date(2026, 10, 1), "France bans Huawei.")},
                                   options));
  options.now = at(2026, 11, 5);
  ASSERT_TRUE(store.append_article(article("https://a.example/2"),
                                   {event("ZTE", "Italy", "proposed", std::nullopt, "Italy may ban ZTE.")}, options));
  EventQuery since;
  since.since = at(2026, 11, 3);
  auto recent = store.query_events(since);
  ASSERT_TRUE(recent);
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].event.vendor, "ZTE");
  EventQuery vendors;
  vendors.vendors = {"Huawei", "Nokia"};
  EXPECT_EQ(store.query_events(vendors)->size(), 1u);

  auto all = store.query_events({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  DigestRecord digest;
  digest.channel = "file";
  digest.up_to_event_id = (*all)[0].event.id;
  digest.up_to_mention_id = (*all)[0].mentions[0].id;
  digest.event_count = 1;
  ASSERT_TRUE(store.record_digest(digest));
  digest.up_to_event_id = 0;  // an older cursor recorded later never wins
  ASSERT_TRUE(store.record_digest(digest));
  auto last = store.last_digest("file");
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->up_to_event_id, (*all)[0].event.id);
  EventQuery after;
  after.after_event_id = (*last)->up_to_event_id;
  auto fresh = store.query_events(after);
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->size(), 1u);
  EXPECT_EQ((*fresh)[0].event.vendor, "ZTE");
  // A new citation of an already sent event is found by the mention cursor.
  ASSERT_TRUE(store.append_article(article("https://a.example/3"),
                                   {event("Huawei", "France", "enacted", day_date(2026, 10, 2), "France confirms.")},
                                   options));
  EventQuery cited;
  cited.with_mentions_after_id = (*all)[1].mentions[0].id;
  auto citations = store.query_events(cited);
  ASSERT_TRUE(citations);
  ASSERT_EQ(citations->size(), 1u);
  EXPECT_EQ((*citations)[0].event.vendor, "Huawei");
  EXPECT_EQ((*citations)[0].mentions.size(), 2u);
}

TEST_P(StoreBackendTest, PagesBeforeAnIdFiltersByCitingArticleAndReadsOneArticle) {
  Store& store = open();
  AppendOptions options;
  options.now = at(2026, 11, 1);
  auto first = store.append_article(
      article("https://a.example/1", "One", "France bans Huawei."),
      {event("Huawei", "France", "enacted", day_date(2026, 10, 1), "France bans Huawei.")}, options);
  ASSERT_TRUE(first);
  ASSERT_TRUE(store.append_article(article("https://a.example/2"),
                                   {event("ZTE", "Italy", "proposed", std::nullopt, "Italy may ban ZTE.")}, options));
  auto all = store.query_events({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EventQuery older;
  older.before_event_id = (*all)[1].event.id;
  older.newest_first = true;
  older.limit = 5;
  auto page = store.query_events(older);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].event.vendor, "Huawei");
  EventQuery cited;
  cited.article_ids = {first->article_id};
  auto by_article = store.query_events(cited);
  ASSERT_TRUE(by_article);
  ASSERT_EQ(by_article->size(), 1u);
  EXPECT_EQ((*by_article)[0].event.vendor, "Huawei");

  ASSERT_TRUE(store.append_article(article("https://a.example/3"),
                                   {event("HUAWEI", "the France", "reversed", day_date(2026, 10, 20), "France lifts.")},
                                   options));
  EventQuery same_case;
  same_case.case_of = (*all)[0].event.id;
  auto steps = store.query_events(same_case);
  ASSERT_TRUE(steps);
  ASSERT_EQ(steps->size(), 2u) << "the case as the store spells it";
  EXPECT_EQ((*steps)[1].event.status, "reversed");

  auto stored = store.get_article(first->article_id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->title, "One");
  EXPECT_EQ(stored->text, "France bans Huawei.");
  auto missing = store.get_article(first->article_id + 1000);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreBackendTest, SearchFindsWordsWithSnippets) {
  Store& store = open();
  auto a = article("https://a.example/s1", "Telecom rules tighten",
                   "The regulator said operators must remove Hikvision cameras from public buildings.");
  a.published_at = PreciseTime{at(2026, 10, 1), DatePrecision::kDay};
  ASSERT_TRUE(store.append_article(a, {}, {}));
  ASSERT_TRUE(store.append_article(article("https://a.example/s2", "Weather", "Rain tomorrow."), {}, {}));
  auto hits = store.search("hikvision cameras", std::nullopt, 10);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].url, "https://a.example/s1");
  EXPECT_NE((*hits)[0].snippet.find("[Hikvision]"), std::string::npos) << (*hits)[0].snippet;
  EXPECT_EQ((*hits)[0].published_at, a.published_at);
  EXPECT_TRUE(store.search("hikvision", at(2026, 10, 2), 10)->empty());
  EXPECT_TRUE(store.search("nothing-like-this", std::nullopt, 10)->empty());
  // Punctuation that is query syntax elsewhere is searched as words.
  auto odd = store.search("cameras\" (", std::nullopt, 10);
  ASSERT_TRUE(odd) << odd.error().message;
  EXPECT_EQ(odd->size(), 1u);
  EXPECT_EQ(store.search("   ", std::nullopt, 10).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreBackendTest, ArticlesWalkInPagesAndReplaceStubs) {
  Store& store = open();
  for (int i = 0; i < 300; ++i) {
    auto a = article("https://a.example/w" + std::to_string(i));
    a.fetched_at = at(2026, 1, 1) + std::chrono::hours(i);
    ASSERT_TRUE(store.append_article(a, {}, {}));
  }
  int visited = 0;
  model::Id previous = 0;
  ASSERT_TRUE(store.for_each_article({}, [&](const model::ArticleRecord& a) {
    EXPECT_GT(a.id, previous);
    previous = a.id;
    ++visited;
    return true;
  }));
  EXPECT_EQ(visited, 300);
  Store::ArticleFilter filter;
  filter.since = at(2026, 1, 1) + std::chrono::hours(250);
  visited = 0;
  ASSERT_TRUE(store.for_each_article(filter, [&](const model::ArticleRecord&) { return ++visited < 1000; }));
  EXPECT_EQ(visited, 50);
  filter = {};
  filter.urls = {"https://a.example/w7", "https://a.example/w8"};
  visited = 0;
  ASSERT_TRUE(store.for_each_article(filter, [&](const model::ArticleRecord&) { return ++visited < 1000; }));
  EXPECT_EQ(visited, 2);

  auto stub = article("https://a.example/stub", "Stub", "Only the feed summary.");
  stub.feed_only = true;
  ASSERT_TRUE(store.append_article(stub, {}, {}));
  auto page = article("https://a.example/stub", "Full", "The whole page text.");
  ASSERT_TRUE(store.append_article(page, {}, {}));
  filter.urls = {"https://a.example/stub"};
  ASSERT_TRUE(store.for_each_article(filter, [&](const model::ArticleRecord& a) {
    EXPECT_EQ(a.text, "The whole page text.");
    EXPECT_FALSE(a.feed_only);
    return true;
  }));
  ASSERT_TRUE(store.append_article(stub, {}, {}));  // never downgraded to the stub again
  ASSERT_TRUE(store.for_each_article(filter, [&](const model::ArticleRecord& a) {
    EXPECT_EQ(a.text, "The whole page text.");
    return true;
  }));
}

TEST_P(StoreBackendTest, RunsAreRecorded) {
  Store& store = open();
  auto id = store.begin_run("crawl", at(2026, 11, 1));
  ASSERT_TRUE(id);
  store::Run run;
  run.id = *id;
  run.kind = "crawl";
  run.finished_at = at(2026, 11, 1, 1);
  run.outcome = "partial";
  run.fetched = 10;
  run.failed = 2;
  run.message = "2 sources failed";
  ASSERT_TRUE(store.finish_run(run));
  auto last = store.last_run("crawl", true);
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->outcome, "partial");
  EXPECT_EQ((*last)->fetched, 10);
  EXPECT_EQ((*last)->finished_at, at(2026, 11, 1, 1));
  run.id = 987654;
  EXPECT_EQ(store.finish_run(run).error().code, ErrorCode::kNotFound);
}

// Four connections append overlapping articles at once: every cluster is
// one event, every mention is stored once.
TEST_P(StoreBackendTest, ConcurrentAppendersNeverDuplicate) {
  open();  // creates the schema before the threads race
  constexpr int kThreads = 4;
  constexpr int kArticles = 40;
  std::vector<std::unique_ptr<Store>> stores;
  for (int t = 0; t < kThreads; ++t) {
    StoreOptions options;
    options.busy_timeout = 30s;
    auto opened = open_store(backend_->url(), options);
    ASSERT_TRUE(opened);
    stores.push_back(std::move(*opened));
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kArticles; ++i) {
        const int n = (i + t * 7) % kArticles;  // each thread in another order
        auto result = stores[t]->append_article(article("https://race.example/" + std::to_string(n)),
                                                {event("Vendor" + std::to_string(n % 5), "Country", "enacted",
                                                       day_date(2026, 3, 1), "Sentence " + std::to_string(n))},
                                                {});
        if (!result) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto stats = stores[0]->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->articles, kArticles);
  EXPECT_EQ(stats->events, 5);
  EXPECT_EQ(stats->mentions, kArticles);
}

// ---- PostgreSQL only --------------------------------------------------------------

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (pg_url().empty())
      GTEST_SKIP() << "BANWATCH_TEST_PG_URL is not set (tests/store_pg/pg-cluster.sh starts a server)";
    schema_ = std::make_unique<PgSchema>();
  }
  void TearDown() override {
    stores_.clear();
    schema_.reset();
  }
  Store& open() {
    auto opened = open_store(schema_->url(), {});
    EXPECT_TRUE(opened.has_value()) << (opened ? "" : opened.error().message);
    if (!opened) throw std::runtime_error("open failed");
    stores_.push_back(std::move(*opened));
    return *stores_.back();
  }
  void add_sources(Store& store, int hosts, int per_host = 1) {
    for (int h = 0; h < hosts; ++h) {
      for (int s = 0; s < per_host; ++s) {
        SourceSpec spec;
        spec.name = "src-" + std::to_string(h) + "-" + std::to_string(s);
        spec.url = "http://host" + std::to_string(h) + ".example:8080/feed" + std::to_string(s) + ".xml";
        ASSERT_TRUE(store.add_source(spec));
      }
    }
  }
  static WorkerInfo worker(const std::string& name, Timestamp now = {}) {
    WorkerInfo info;
    info.name = name;
    info.hostname = "machine-" + name;
    info.pid = 4242;
    info.now = now;
    return info;
  }

  std::unique_ptr<PgSchema> schema_;
  std::vector<std::unique_ptr<Store>> stores_;
};

TEST_F(PgStoreTest, OpeningChecksTheSchema) {
  StoreOptions no_create;
  no_create.create = false;
  auto missing = open_store(schema_->url(), no_create);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  Store& store = open();
  EXPECT_EQ(store.stats()->schema_version, postgres_schema_version());
  EXPECT_TRUE(open_store(schema_->url(), no_create).has_value());  // now it exists

  PgSchema foreign;
  ASSERT_EQ(foreign.exec("CREATE TABLE events (x int)"), "");
  auto refused = open_store(foreign.url(), {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kStore);
  EXPECT_NE(refused.error().message.find("not a banwatch store"), std::string::npos);

  auto unreachable = open_store("postgresql://nobody:s3cret@127.0.0.1:1/none", {});
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().message.find("s3cret"), std::string::npos) << unreachable.error().message;
  EXPECT_NE(unreachable.error().message.find("***"), std::string::npos) << unreachable.error().message;
}

TEST_F(PgStoreTest, TruncateIsRefusedToo) {
  Store& store = open();
  ASSERT_TRUE(store.append_article(
      [] {
        model::ArticleRecord a;
        a.url = a.canonical_url = "https://t.example/1";
        a.fetched_at = at(2026, 1, 1);
        return a;
      }(),
      {}, {}));
  EXPECT_NE(schema_->exec("TRUNCATE events CASCADE"), "");
  EXPECT_NE(schema_->exec("TRUNCATE mentions"), "");
}

TEST_F(PgStoreTest, InvalidUtf8AndNulBytesAreStoredCleaned) {
  Store& store = open();
  model::ArticleRecord a;
  a.url = a.canonical_url = "https://t.example/bytes";
  a.title = std::string("Caf\xE9 \x00menu", 10);
  a.text = "ok \xF0\x9F\x98\x80 and \xC3\xA9";
  a.fetched_at = at(2026, 1, 1);
  auto appended = store.append_article(a, {}, {});
  ASSERT_TRUE(appended) << appended.error().message;
  store.for_each_article({}, [&](const model::ArticleRecord& stored) {
    EXPECT_EQ(stored.title, "Caf\xEF\xBF\xBD menu");
    EXPECT_EQ(stored.text, a.text);  // valid UTF-8 is kept byte for byte
    return true;
  });
}

TEST_F(PgStoreTest, TwoWorkersClaimDisjointHosts) {
  Store& store = open();
  add_sources(store, 6, 2);
  Store& other = open();
  const auto now = at(2026, 11, 1);
  ASSERT_TRUE(store.work_queue().register_worker(worker("w1", now)));
  ASSERT_TRUE(other.work_queue().register_worker(worker("w2", now)));
  auto first = store.work_queue().claim_hosts(worker("w1", now), 60s, 4);
  auto second = other.work_queue().claim_hosts(worker("w2", now), 60s, 4);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second);
  EXPECT_EQ(first->size(), 4u);
  EXPECT_EQ(second->size(), 2u);  // only two hosts were left
  std::set<std::string> hosts;
  for (const auto& lease : *first) {
    EXPECT_EQ(lease.due_source_ids.size(), 2u);
    EXPECT_EQ(lease.expires_at, now + 60s);
    EXPECT_TRUE(hosts.insert(lease.host).second);
  }
  for (const auto& lease : *second) EXPECT_TRUE(hosts.insert(lease.host).second) << lease.host;
  EXPECT_EQ(hosts.size(), 6u);
  EXPECT_TRUE(hosts.count("host0.example:8080"));
  // Nothing is left for a third worker.
  auto third = other.work_queue().claim_hosts(worker("w3", now), 60s, 4);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->empty());

  // A source whose next due time lies ahead makes its host idle.
  auto source = store.get_source("src-0-0");
  ASSERT_TRUE(source);
  ASSERT_TRUE(store.work_queue().release_leases(worker("w1", now), {}));
  FetchState later;
  later.next_due = now + 1h;
  ASSERT_TRUE(store.save_fetch_state(source->id, later));
  ASSERT_TRUE(store.save_fetch_state(store.get_source("src-0-1")->id, later));
  auto reclaimed = store.work_queue().claim_hosts(worker("w1", now), 60s, 10);
  ASSERT_TRUE(reclaimed);
  EXPECT_EQ(reclaimed->size(), 3u);  // hosts 1..3: host0 has nothing due
  for (const auto& lease : *reclaimed) EXPECT_NE(lease.host, "host0.example:8080");
}

TEST_F(PgStoreTest, AnExpiredLeaseIsTakenOver) {
  Store& store = open();
  add_sources(store, 1);
  const auto now = at(2026, 11, 1);
  auto mine = store.work_queue().claim_hosts(worker("dead", now), 30s, 10);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  const auto token = (*mine)[0].token;
  // Before expiry nobody else gets it.
  EXPECT_TRUE(store.work_queue().claim_hosts(worker("alive", now + 29s), 30s, 10)->empty());
  // After expiry it changes owner, with a new fencing token.
  auto taken = store.work_queue().claim_hosts(worker("alive", now + 31s), 30s, 10);
  ASSERT_TRUE(taken);
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_GT((*taken)[0].token, token);
  // The old owner learns that it lost the host.
  auto renewed = store.work_queue().renew_leases(worker("dead", now + 32s), 30s);
  ASSERT_TRUE(renewed);
  EXPECT_TRUE(renewed->empty());
  // The new owner renews; its token stays.
  auto kept = store.work_queue().renew_leases(worker("alive", now + 40s), 30s);
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].token, (*taken)[0].token);
  EXPECT_EQ((*kept)[0].expires_at, now + 70s);
  // Releasing records the last request so the next owner keeps the delay.
  ASSERT_TRUE(store.work_queue().release_leases(worker("alive", now + 41s), {{"host0.example:8080", now + 41s}}));
  auto next = store.work_queue().claim_hosts(worker("third", now + 42s), 30s, 10);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].last_request_at, now + 41s);
}

// Many workers claim at once from separate connections: SKIP LOCKED lets
// every claim proceed, and no host is ever leased twice.
TEST_F(PgStoreTest, ConcurrentClaimsNeverOverlap) {
  Store& setup = open();
  constexpr int kHosts = 60;
  constexpr int kWorkers = 8;
  add_sources(setup, kHosts);
  std::vector<std::unique_ptr<Store>> stores;
  for (int w = 0; w < kWorkers; ++w) {
    auto opened = open_store(schema_->url(), {});
    ASSERT_TRUE(opened);
    stores.push_back(std::move(*opened));
  }
  std::mutex mutex;
  std::map<std::string, std::string> owner_of;
  std::atomic<int> overlaps{0}, failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      const WorkerInfo me = worker("w" + std::to_string(w));
      // max_hosts bounds what a worker holds: later rounds renew what it
      // has and add hosts up to the bound (8 x 10 > 60 hosts).
      for (int round = 0; round < 5; ++round) {
        auto claimed = stores[w]->work_queue().claim_hosts(me, 300s, 10);
        if (!claimed) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mutex);
        for (const auto& lease : *claimed) {
          auto [it, inserted] = owner_of.emplace(lease.host, me.name);
          if (!inserted && it->second != me.name) ++overlaps;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(owner_of.size(), static_cast<std::size_t>(kHosts));
  EXPECT_EQ(schema_->integer("SELECT count(*) FROM hosts WHERE lease_owner IS NOT NULL"), kHosts);
}

TEST_F(PgStoreTest, ArticleFetchQueueSurvivesADeadWorker) {
  Store& store = open();
  const auto now = at(2026, 11, 1);
  std::vector<ArticleFetch> fetches;
  for (int i = 0; i < 5; ++i) {
    ArticleFetch fetch;
    fetch.url = "https://pages.example/a" + std::to_string(i) + "?utm_source=feed";
    fetch.item_json = R"({"title":"t)" + std::to_string(i) + R"("})";
    fetches.push_back(fetch);
  }
  auto queued = store.work_queue().enqueue_article_fetches(fetches, now);
  ASSERT_TRUE(queued) << queued.error().message;
  EXPECT_EQ(*queued, 5);
  EXPECT_EQ(*store.work_queue().enqueue_article_fetches(fetches, now), 0);  // queued once
  // An article already stored is not queued.
  model::ArticleRecord stored;
  stored.url = stored.canonical_url = "https://pages.example/stored";
  stored.fetched_at = now;
  ASSERT_TRUE(store.append_article(stored, {}, {}));
  ArticleFetch known;
  known.url = "https://pages.example/stored";
  EXPECT_EQ(*store.work_queue().enqueue_article_fetches({known}, now), 0);

  // Without a lease on the host nothing can be claimed.
  EXPECT_TRUE(store.work_queue().claim_article_fetches(worker("a", now), 10, 60s)->empty());
  auto leases = store.work_queue().claim_hosts(worker("a", now), 60s, 10);
  ASSERT_TRUE(leases);
  ASSERT_EQ(leases->size(), 1u);
  EXPECT_EQ((*leases)[0].host, "pages.example");
  EXPECT_EQ((*leases)[0].queued_fetches, 5);
  auto claimed = store.work_queue().claim_article_fetches(worker("a", now), 3, 60s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 3u);
  EXPECT_EQ((*claimed)[0].canonical_url, "https://pages.example/a0");
  EXPECT_EQ((*claimed)[0].item_json, R"({"title":"t0"})");
  EXPECT_EQ((*claimed)[0].attempts, 1);
  ASSERT_TRUE(
      store.work_queue().complete_article_fetch(worker("a", now), (*claimed)[0].id, FetchOutcome::kDone, "", 0s));
  ASSERT_TRUE(store.work_queue().complete_article_fetch(worker("a", now), (*claimed)[1].id, FetchOutcome::kRetry,
                                                        "timeout", 30s));
  // Worker "a" dies holding the host and one claimed fetch. After expiry "b"
  // takes the host over and gets every unfinished fetch, the retry once it is due.
  auto takeover = store.work_queue().claim_hosts(worker("b", now + 61s), 60s, 10);
  ASSERT_TRUE(takeover);
  ASSERT_EQ(takeover->size(), 1u);
  auto rest = store.work_queue().claim_article_fetches(worker("b", now + 61s), 10, 60s);
  ASSERT_TRUE(rest);
  std::set<std::string> urls;
  for (const auto& fetch : *rest) urls.insert(fetch.canonical_url);
  EXPECT_EQ(urls, (std::set<std::string>{"https://pages.example/a1", "https://pages.example/a2",
                                         "https://pages.example/a3", "https://pages.example/a4"}));
  // The dead worker's late completion is refused: the work is b's now.
  auto late =
      store.work_queue().complete_article_fetch(worker("a", now + 62s), (*claimed)[2].id, FetchOutcome::kDone, "", 0s);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kNotFound);
  for (const auto& fetch : *rest) {
    ASSERT_TRUE(store.work_queue().complete_article_fetch(
        worker("b", now + 63s), fetch.id,
        fetch.canonical_url.ends_with("a4") ? FetchOutcome::kFailed : FetchOutcome::kDone,
        fetch.canonical_url.ends_with("a4") ? "404" : "", 0s));
  }
  auto queue = store.work_queue().work_queue_stats();
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->fetches_done, 4);
  EXPECT_EQ(queue->fetches_failed, 1);
  EXPECT_EQ(queue->fetches_queued, 0);
  EXPECT_EQ(schema_->integer("SELECT count(*) FROM article_fetches WHERE state = 'done' AND completed_by = 'a'"), 1);
}

TEST_F(PgStoreTest, WorkersAreListedWithLeasesAndThroughput) {
  Store& store = open();
  add_sources(store, 3);
  ASSERT_TRUE(store.work_queue().register_worker(worker("alpha")));
  Store& beta = open();  // one connection per worker, as on separate machines
  ASSERT_TRUE(beta.work_queue().register_worker(worker("beta")));
  auto leases = store.work_queue().claim_hosts(worker("alpha"), 600s, 2);
  ASSERT_TRUE(leases);
  ASSERT_EQ(leases->size(), 2u);
  ArticleFetch fetch;
  fetch.url = "http://host0.example:8080/story";
  ASSERT_EQ(*store.work_queue().enqueue_article_fetches({fetch}, {}), 1);
  auto claimed = store.work_queue().claim_article_fetches(worker("alpha"), 10, 60s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  // The worker stores the page; its connection counts the new article.
  model::ArticleRecord page;
  page.url = page.canonical_url = (*claimed)[0].canonical_url;
  page.fetched_at = at(2026, 1, 1);
  ASSERT_TRUE(store.append_article(page, {}, {}));
  ASSERT_TRUE(store.append_article(page, {}, {}));  // already stored: not counted again
  ASSERT_TRUE(
      store.work_queue().complete_article_fetch(worker("alpha"), (*claimed)[0].id, FetchOutcome::kDone, "", 0s));
  auto workers = store.work_queue().list_workers(300s, false);
  ASSERT_TRUE(workers) << workers.error().message;
  ASSERT_EQ(workers->size(), 2u);
  EXPECT_EQ((*workers)[0].name, "alpha");
  EXPECT_TRUE((*workers)[0].live);
  EXPECT_EQ((*workers)[0].leases.size(), 2u);
  EXPECT_EQ((*workers)[0].articles_done_total, 1);
  EXPECT_EQ((*workers)[0].articles_done_recent, 1);
  EXPECT_EQ((*workers)[0].hostname, "machine-alpha");
  EXPECT_TRUE((*workers)[1].leases.empty());
  // A worker silent for longer than the window is not live.
  ASSERT_EQ(schema_->exec("UPDATE workers SET last_seen = last_seen - 3600 WHERE name = 'beta'"), "");
  EXPECT_EQ(store.work_queue().list_workers(300s, false)->size(), 1u);
  auto everyone = store.work_queue().list_workers(300s, true);
  ASSERT_TRUE(everyone);
  ASSERT_EQ(everyone->size(), 2u);
  EXPECT_FALSE((*everyone)[1].live);
}

TEST_F(PgStoreTest, OnlyOneDigestJobHoldsTheChannel) {
  Store& first = open();
  Store& second = open();
  auto a = first.work_queue().try_lock_job("digest:email");
  auto b = second.work_queue().try_lock_job("digest:email");
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(*a);
  EXPECT_FALSE(*b);
  EXPECT_TRUE(*second.work_queue().try_lock_job("digest:file"));  // another channel is free
  ASSERT_TRUE(first.work_queue().unlock_job("digest:email"));
  EXPECT_TRUE(*second.work_queue().try_lock_job("digest:email"));
}

TEST_F(PgStoreTest, ReconnectsAfterTheConnectionIsCut) {
  Store& store = open();
  ASSERT_TRUE(store.stats());
  // Cut every other connection to this database, as a restart or a network
  // partition would.
  ASSERT_EQ(schema_->exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE application_name = '" +
                          schema_->name() + "' AND pid <> pg_backend_pid()"),
            "");
  model::ArticleRecord a;
  a.url = a.canonical_url = "https://t.example/after-cut";
  a.fetched_at = at(2026, 1, 1);
  auto appended = store.append_article(a, {}, {});
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_TRUE(appended->article_inserted);
  EXPECT_EQ(store.stats()->articles, 1);
}

TEST_F(PgStoreTest, SqliteStoreIsCopiedAndVerified) {
  const fs::path dir = fs::temp_directory_path() / unique_name("banwatch-migrate-");
  fs::create_directories(dir);
  const std::string sqlite_path = (dir / "store.db").string();
  std::vector<EventWithMentions> expected;
  {
    auto source = open_store("sqlite:" + sqlite_path, {});
    ASSERT_TRUE(source);
    SourceSpec spec;
    spec.name = "wire";
    spec.url = "https://wire.example/feed";
    ASSERT_TRUE((*source)->add_source(spec));
    for (int i = 0; i < 700; ++i) {
      model::ArticleRecord a;
      a.url = a.canonical_url = "https://wire.example/a" + std::to_string(i);
      a.title = "Title " + std::to_string(i);
      a.text = "Text about vendor " + std::to_string(i % 9) + " and caf\xC3\xA9.";
      a.fetched_at = at(2026, 1, 1) + std::chrono::hours(i);
      a.source_id = (*source)->get_source("wire")->id;
      model::ExtractedEvent e;
      e.vendor = "Vendor" + std::to_string(i % 9);
      e.actor = "Pa\xC3\xADs " + std::to_string(i % 4);  // non-ASCII: keys hash UTF-8 bytes
      e.action = "ban";
      e.status = i % 2 ? "enacted" : "proposed";
      e.event_date = day_date(2026, 1 + i % 12, 1);
      e.evidence = "Sentence " + std::to_string(i) + " \xE2\x80\x94 caf\xC3\xA9.";
      e.rule_id = "r" + std::to_string(i % 3);
      e.confidence = 0.1 * (i % 10);
      ASSERT_TRUE((*source)->append_article(a, {e}, {}));
    }
    auto run = (*source)->begin_run("crawl", at(2026, 2, 1));
    ASSERT_TRUE(run);
    DigestRecord digest;
    digest.channel = "file";
    digest.up_to_event_id = 5;
    digest.up_to_mention_id = 9;
    ASSERT_TRUE((*source)->record_digest(digest));
    expected = *(*source)->query_events({});
  }
  StoreCopyOptions options;
  options.batch_rows = 64;
  std::int64_t progress_calls = 0;
  options.progress = [&](const std::string&, std::int64_t) { ++progress_calls; };
  auto report = copy_sqlite_to_postgres(sqlite_path, schema_->url(), options);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->verified());
  EXPECT_GT(progress_calls, 10);
  std::map<std::string, std::int64_t> rows;
  for (const auto& table : report->tables) {
    EXPECT_TRUE(table.matches()) << table.table;
    EXPECT_EQ(table.source_checksum.size(), 64u);
    rows[table.table] = table.target_rows;
  }
  EXPECT_EQ(rows["articles"], 700);
  EXPECT_EQ(rows["mentions"], 700);
  EXPECT_EQ(rows["runs"], 1);
  EXPECT_EQ(rows["digests"], 1);
  EXPECT_EQ(rows["sources"], 1);

  // The copy reads back the same through the Store interface, and new rows
  // get ids after the copied ones.
  Store& target = open();
  auto copied = target.query_events({});
  ASSERT_TRUE(copied);
  ASSERT_EQ(copied->size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*copied)[i].event.id, expected[i].event.id);
    EXPECT_EQ((*copied)[i].event.vendor, expected[i].event.vendor);
    EXPECT_EQ((*copied)[i].event.event_date, expected[i].event.event_date);
    EXPECT_EQ((*copied)[i].event.previous_event_id, expected[i].event.previous_event_id);
    ASSERT_EQ((*copied)[i].mentions.size(), expected[i].mentions.size());
    EXPECT_EQ((*copied)[i].mentions[0].evidence, expected[i].mentions[0].evidence);
    EXPECT_EQ((*copied)[i].mentions[0].source_name, "wire");
  }
  EXPECT_EQ(target.search("café", std::nullopt, 1000)->size(), 700u);
  // Both backends compute the same timeline and mention keys: the first
  // article's event, appended again to the copy, is recognised as stored,
  // and a new report of it joins the copied event.
  model::ExtractedEvent first;
  first.vendor = "Vendor0";
  first.actor = "Pa\xC3\xADs 0";
  first.action = "ban";
  first.status = "proposed";
  first.event_date = day_date(2026, 1, 1);
  first.evidence = "Sentence 0 \xE2\x80\x94 caf\xC3\xA9.";
  first.rule_id = "r0";
  auto repeated = target.append_events(1, {first}, {});
  ASSERT_TRUE(repeated) << repeated.error().message;
  EXPECT_EQ(repeated->mentions_appended, 0);
  EXPECT_EQ(repeated->events_appended, 0);
  first.evidence = "Another report of sentence 0.";
  auto joined = target.append_events(1, {first}, {});
  ASSERT_TRUE(joined) << joined.error().message;
  EXPECT_EQ(joined->mentions_appended, 1);
  EXPECT_EQ(joined->events_appended, 0);
  model::ArticleRecord fresh;
  fresh.url = fresh.canonical_url = "https://wire.example/new";
  fresh.fetched_at = at(2026, 3, 1);
  auto appended = target.append_article(fresh, {}, {});
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(appended->article_id, 701);
  auto check = target.integrity_check();
  ASSERT_TRUE(check);
  EXPECT_EQ(*check, "ok");
  // The source's host is ready for leasing.
  EXPECT_EQ(schema_->integer("SELECT count(*) FROM hosts WHERE host = 'wire.example'"), 1);

  // A second copy into the now non-empty store is refused and changes nothing.
  auto again = copy_sqlite_to_postgres(sqlite_path, schema_->url(), {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  // Comparing now finds the difference the new article made.
  auto compared = compare_sqlite_with_postgres(sqlite_path, schema_->url());
  ASSERT_TRUE(compared);
  EXPECT_FALSE(compared->verified());
  fs::remove_all(dir);
}

// ---- event identity: one table of cases, both backends -------------------------------

namespace identity_cases {

// One report: a sentence (unique; it names the report) of an article.
// Consecutive reports of the same article are appended in one call.
struct Report {
  std::string label;
  std::string article;
  std::optional<PreciseTime> published{};  // the article's publication date
  std::optional<PreciseTime> date{};       // the event date the sentence states
  std::string status = "enacted";
  std::string actor = "United Kingdom";
  std::string vendor = "Hikvision";
  std::string action = "ban";
};

struct Case {
  std::string name;
  std::vector<Report> reports;
  std::vector<std::vector<std::string>> events;              // the labels each stored event cites
  std::vector<std::pair<std::string, std::string>> follows;  // event of .first follows event of .second
};

PreciseTime day(int y, unsigned m, unsigned d) { return day_date(y, m, d); }
PreciseTime minute(int y, unsigned m, unsigned d, int hour) {
  return PreciseTime{at(y, m, d, hour), DatePrecision::kMinute};
}

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      {"HeadlineAndDatedBodyOfOneArticleAreOneEvent",
       {{.label = "UK bans Hikvision cameras from sensitive sites",
         .article = "a",
         .published = minute(2026, 12, 8, 9)},
        {.label = "The UK on Monday banned Hikvision cameras.",
         .article = "a",
         .published = minute(2026, 12, 8, 9),
         .date = day(2026, 12, 7)}},
       {{"UK bans Hikvision cameras from sensitive sites", "The UK on Monday banned Hikvision cameras."}},
       {}},
      {"UndatedReportOfAnotherOutletJoinsTheDatedEvent",
       {{.label = "dated", .article = "a", .published = minute(2026, 12, 8, 9), .date = day(2026, 12, 7)},
        {.label = "undated, three days later", .article = "b", .published = minute(2026, 12, 10, 15)}},
       {{"dated", "undated, three days later"}},
       {}},
      {"DatedReportJoinsAnUndatedEventReportedFirst",
       {{.label = "undated first", .article = "a", .published = minute(2026, 12, 8, 9)},
        {.label = "dated later", .article = "b", .published = minute(2026, 12, 11, 9), .date = day(2026, 12, 7)}},
       {{"undated first", "dated later"}},
       {}},
      {"UndatedReportJoinsTheEventNearestItsPublication",
       {{.label = "early", .article = "a", .date = day(2026, 1, 1)},
        {.label = "late", .article = "b", .date = day(2026, 1, 20)},
        {.label = "published near late", .article = "c", .published = day(2026, 1, 18)},
        {.label = "published near early", .article = "d", .published = day(2026, 1, 3)}},
       {{"early", "published near early"}, {"late", "published near late"}},
       {}},
      {"TwoUndatedReportsWithinTheWindowAreOneEvent",
       {{.label = "first", .article = "a", .published = day(2026, 4, 1)},
        {.label = "second", .article = "b", .published = day(2026, 4, 9)}},
       {{"first", "second"}},
       {}},
      {"UndatedReportsYearsApartStayTwoEvents",
       {{.label = "2024", .article = "a", .published = day(2024, 6, 1)},
        {.label = "2026", .article = "b", .published = day(2026, 6, 1)}},
       {{"2024"}, {"2026"}},
       {}},
      {"DatedReportsYearsApartStayTwoEvents",
       {{.label = "2024", .article = "a", .date = day(2024, 6, 1)},
        {.label = "2026", .article = "b", .date = day(2026, 6, 1)}},
       {{"2024"}, {"2026"}},
       {}},
      {"DatedReportsWithinTheWindowAreOneEventOutsideItTwo",
       {{.label = "Feb 10", .article = "a", .date = day(2026, 2, 10)},
        {.label = "Feb 15", .article = "b", .date = day(2026, 2, 15)},
        {.label = "Apr 1", .article = "c", .date = day(2026, 4, 1)},
        {.label = "April", .article = "d", .date = PreciseTime{at(2026, 4, 1), DatePrecision::kMonth}}},
       {{"Feb 10", "Feb 15"}, {"Apr 1", "April"}},
       {}},
      {"UndatedArticleWithoutADateIsPlacedWhenFetched",
       {{.label = "fetched Nov 1", .article = "a"},
        {.label = "dated Oct 28", .article = "b", .date = day(2026, 10, 28)}},
       {{"fetched Nov 1", "dated Oct 28"}},
       {}},
      {"ActorAndVendorSpellingsAreOneActor",
       {{.label = "plain", .article = "a", .date = day(2026, 3, 2), .actor = "Federal Communications Commission"},
        {.label = "with the",
         .article = "b",
         .date = day(2026, 3, 3),
         .actor = "the Federal Communications Commission"},
        {.label = "capitals",
         .article = "c",
         .date = day(2026, 3, 4),
         .actor = "FEDERAL COMMUNICATIONS COMMISSION",
         .vendor = "HIKVISION"},
        {.label = "abbreviation dots", .article = "d", .date = day(2026, 3, 2), .actor = "U.S.", .vendor = "Hikvision"},
        {.label = "abbreviation", .article = "e", .date = day(2026, 3, 3), .actor = "US", .vendor = "hikvision"}},
       {{"plain", "with the", "capitals"}, {"abbreviation dots", "abbreviation"}},
       {}},
      {"AnotherActorVendorActionOrStatusIsAnotherEvent",
       {{.label = "base", .article = "a", .date = day(2026, 3, 2)},
        {.label = "actor", .article = "b", .date = day(2026, 3, 2), .actor = "France"},
        {.label = "vendor", .article = "c", .date = day(2026, 3, 2), .vendor = "Dahua"},
        {.label = "action", .article = "d", .date = day(2026, 3, 2), .action = "restrict"},
        {.label = "status", .article = "e", .date = day(2026, 3, 1), .status = "proposed"}},
       {{"base"}, {"actor"}, {"vendor"}, {"action"}, {"status"}},
       {{"base", "status"}}},
      {"ProposalEnactedTenDaysLaterIsTheEnactmentsPreviousEvent",
       {{.label = "proposed", .article = "a", .date = day(2026, 11, 20), .status = "proposed"},
        {.label = "proposal, undated", .article = "b", .published = day(2026, 11, 22), .status = "proposed"},
        {.label = "enacted", .article = "c", .date = day(2026, 11, 30)},
        {.label = "enacted, undated", .article = "d", .published = day(2026, 12, 1)},
        {.label = "lifted", .article = "e", .date = day(2027, 5, 1), .status = "reversed"}},
       {{"proposed", "proposal, undated"}, {"enacted", "enacted, undated"}, {"lifted"}},
       {{"enacted", "proposed"}, {"lifted", "enacted"}}},
      {"EnactmentReadBeforeItsProposalStillFollowsIt",
       {{.label = "enacted", .article = "a", .date = day(2026, 11, 30)},
        {.label = "proposed", .article = "b", .date = day(2026, 11, 20), .status = "proposed"}},
       {{"enacted"}, {"proposed"}},
       {{"enacted", "proposed"}}},
  };
  return table;
}

}  // namespace identity_cases

TEST_P(StoreBackendTest, EventIdentityTable) {
  for (const identity_cases::Case& c : identity_cases::cases()) {
    SCOPED_TRACE(c.name);
    // Each case in a store of its own.
    TearDown();
    SetUp();
    Store& store = open();
    std::size_t i = 0;
    while (i < c.reports.size()) {
      const identity_cases::Report& first = c.reports[i];
      model::ArticleRecord a = article("https://" + first.article + ".example/" + c.name);
      a.published_at = first.published;
      std::vector<model::ExtractedEvent> events;
      for (; i < c.reports.size() && c.reports[i].article == first.article; ++i) {
        const identity_cases::Report& r = c.reports[i];
        model::ExtractedEvent e = event(r.vendor, r.actor, r.status, r.date, r.label);
        e.action = r.action;
        events.push_back(e);
      }
      auto appended = store.append_article(a, events, {});
      ASSERT_TRUE(appended) << appended.error().message;
    }
    EventQuery with_timeline;
    with_timeline.with_timeline = true;
    auto stored = store.query_events(with_timeline);
    ASSERT_TRUE(stored) << stored.error().message;
    std::map<std::string, model::Id> event_of;
    std::map<model::Id, std::optional<model::Id>> previous_of;
    for (const EventWithMentions& e : *stored) {
      previous_of[e.event.id] = e.event.previous_event_id;
      for (const model::Mention& m : e.mentions) event_of[m.evidence] = e.event.id;
    }
    EXPECT_EQ(stored->size(), c.events.size());
    std::set<model::Id> distinct;
    for (const auto& labels : c.events) {
      ASSERT_TRUE(event_of.contains(labels.front())) << labels.front();
      const model::Id id = event_of[labels.front()];
      EXPECT_TRUE(distinct.insert(id).second) << labels.front() << " shares an event with another group";
      for (const std::string& label : labels) EXPECT_EQ(event_of[label], id) << label << " vs " << labels.front();
    }
    std::map<model::Id, model::Id> expected_previous;
    for (const auto& [later, earlier] : c.follows) expected_previous[event_of[later]] = event_of[earlier];
    for (const auto& [id, previous] : previous_of) {
      if (expected_previous.contains(id)) {
        EXPECT_EQ(previous, expected_previous[id]) << "event " << id;
      } else {
        EXPECT_FALSE(previous.has_value()) << "event " << id << " follows " << previous.value_or(0);
      }
    }
    auto check = store.integrity_check();
    ASSERT_TRUE(check);
    EXPECT_EQ(*check, "ok");
  }
}

// The spelling names are compared in: identity::normalize() and the SQL
// banwatch_identity() of each backend must agree on every case (SQLite
// registers normalize() itself; PostgreSQL has its own SQL function, used by
// its migration and integrity check).
TEST_P(StoreBackendTest, IdentitySpellingTable) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"Hikvision", "hikvision"},
      {"  HIKVISION  ", "hikvision"},
      {"The Federal Communications Commission", "federal communications commission"},
      {"the   Federal\tCommunications\nCommission", "federal communications commission"},
      {"U.S.", "us"},
      {"U.S. Department of Commerce", "us department of commerce"},
      {"Ministry of Justice\u2019s", "ministry of justices"},
      {"O'Brien", "obrien"},
      {"Anti-Monopoly Bureau", "anti monopoly bureau"},
      {"AT&T", "at t"},
      {"Zürich Police", "zürich police"},
      {"ZÜRICH", "zÜrich"},
      {"Theodore", "theodore"},
      {"the", "the"},
      {"3GPP / ETSI", "3gpp etsi"},
      {"", ""},
  };
  for (const auto& [input, expected] : table) {
    EXPECT_EQ(identity::normalize(input), expected) << input;
  }
  Store& store = open();
  (void)store;  // the schema exists
  if (GetParam() == "postgresql") {
    pqxx::connection connection(backend_->url());
    pqxx::work tx(connection);
    for (const auto& [input, expected] : table) {
      EXPECT_EQ(tx.exec_params1("SELECT banwatch_identity($1)", input)[0].as<std::string>(), expected) << input;
    }
  }
}

// Schema 5 (PostgreSQL 8): a store written under the older identity rules,
// where a headline and its dated body, or two spellings of one actor, became
// separate events, has them merged when it is opened: citations moved,
// links and digest cursors kept, the append-only triggers back, the
// integrity check clean.
void sqlite_banwatch_key(sqlite3_context* context, int, sqlite3_value** arguments) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(arguments[0]));
  sqlite3_result_int64(context, key64(text == nullptr ? "" : text));
}

TEST_P(StoreBackendTest, MigrationMergesTheDuplicatesOfOlderIdentityRules) {
  const auto seconds_of = [](Timestamp t) { return std::to_string(t.time_since_epoch().count()); };
  const std::string rows =
      "INSERT INTO articles (id, url, canonical_url, title, published_at, published_precision, fetched_at, text,"
      " content_hash) VALUES"
      " (1, 'https://a.example/1', 'https://a.example/1', 'UK bans Hikvision', " +
      seconds_of(at(2026, 12, 8, 9)) + ", 'minute', " + seconds_of(at(2026, 12, 8, 10)) +
      ", 'The UK on Monday banned Hikvision.', 'h1'),"
      " (2, 'https://b.example/2', 'https://b.example/2', 'Hikvision banned', " +
      seconds_of(at(2026, 12, 10, 9)) + ", 'minute', " + seconds_of(at(2026, 12, 10, 10)) +
      ", 'HIKVISION is banned in the UK.', 'h2'),"
      " (3, 'https://c.example/3', 'https://c.example/3', 'UK lifts ban', " +
      seconds_of(at(2027, 5, 2)) + ", 'day', " + seconds_of(at(2027, 5, 2, 10)) +
      ", 'The UK lifted its Hikvision ban.', 'h3');"
      "INSERT INTO events (id, vendor, actor, actor_type, action, status, event_date, event_date_precision,"
      " event_date_end, first_seen_at, confidence, previous_event_id, timeline_key) VALUES"
      " (1, 'Hikvision', 'United Kingdom', 'government', 'ban', 'enacted', " +
      seconds_of(at(2026, 12, 7)) + ", 'day', " + seconds_of(at(2026, 12, 8)) + ", " + seconds_of(at(2026, 12, 8, 10)) +
      ", 0.9, NULL, 0),"
      " (2, 'Hikvision', 'United Kingdom', 'government', 'ban', 'enacted', NULL, NULL, NULL, " +
      seconds_of(at(2026, 12, 8, 10)) +
      ", 0.8, NULL, 0),"
      " (3, 'HIKVISION', 'the United Kingdom', 'government', 'ban', 'enacted', NULL, NULL, NULL, " +
      seconds_of(at(2026, 12, 10, 10)) +
      ", 0.8, NULL, 0),"
      " (4, 'Hikvision', 'United Kingdom', 'government', 'ban', 'reversed', " +
      seconds_of(at(2027, 5, 1)) + ", 'day', " + seconds_of(at(2027, 5, 2)) + ", " + seconds_of(at(2027, 5, 2, 10)) +
      ", 0.9, 2, 0),"
      " (5, 'Dahua', 'United Kingdom', 'government', 'ban', 'enacted', " +
      seconds_of(at(2026, 12, 7)) + ", 'day', " + seconds_of(at(2026, 12, 8)) + ", " + seconds_of(at(2026, 12, 8, 10)) +
      ", 0.9, NULL, 0);"
      "INSERT INTO mentions (id, event_id, article_id, rule_id, evidence, evidence_hash, extracted_at,"
      " mention_key) VALUES"
      " (1, 1, 1, 'rule.ban', 'The UK on Monday banned Hikvision.', '" +
      sha256_hex("The UK on Monday banned Hikvision.") +
      "', 1, 11),"
      " (2, 2, 1, 'rule.ban', 'UK bans Hikvision', '" +
      sha256_hex("UK bans Hikvision") +
      "', 1, 12),"
      " (3, 3, 2, 'rule.ban', 'HIKVISION is banned in the UK.', '" +
      sha256_hex("HIKVISION is banned in the UK.") +
      "', 1, 13),"
      " (4, 4, 3, 'rule.ban', 'The UK lifted its Hikvision ban.', '" +
      sha256_hex("The UK lifted its Hikvision ban.") +
      "', 1, 14),"
      " (5, 5, 1, 'rule.ban', 'The UK on Monday banned Hikvision and Dahua.', '" +
      sha256_hex("The UK on Monday banned Hikvision and Dahua.") +
      "', 1, 15);"
      "INSERT INTO digests (id, channel, created_at, up_to_event_id, up_to_mention_id, event_count)"
      " VALUES (1, 'file', 1, 5, 5, 4);";
  if (GetParam() == "sqlite") {
    // A version-4 store, built by the migrations as released.
    const std::string path = backend_->url().substr(std::string("sqlite:").size());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_create_function_v2(db, "banwatch_key", 1, SQLITE_UTF8, nullptr, sqlite_banwatch_key, nullptr, nullptr,
                               nullptr);
    std::string script = "BEGIN;";
    for (const Migration& migration : sqlite_migrations()) {
      if (migration.version <= 4) script += migration.sql + std::string(";");
    }
    script += rows + "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild'); PRAGMA user_version = 4; COMMIT;";
    char* message = nullptr;
    const int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &message);
    const std::string error = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << error;
  } else {
    // A version-7 store, built by the PostgreSQL migrations as released.
    pqxx::connection connection(backend_->url());
    pqxx::work tx(connection);
    tx.exec(
        "CREATE TABLE banwatch_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    for (const Migration& migration : postgres_migrations()) {
      if (migration.version > 7) continue;
      tx.exec(migration.sql);
      tx.exec("INSERT INTO banwatch_schema VALUES (" + std::to_string(migration.version) + ", 'm', 0)");
    }
    tx.exec(rows);
    for (const char* table : {"articles", "events", "mentions", "digests"}) {
      tx.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', 'id'), 100)");
    }
    tx.commit();
  }
  Store& store = open();
  EventQuery with_timeline;
  with_timeline.with_timeline = true;
  auto events = store.query_events(with_timeline);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 3u);
  // The dated body (the earliest event) keeps its id, date and every citation.
  EXPECT_EQ((*events)[0].event.id, 1);
  EXPECT_EQ((*events)[0].event.event_date, day_date(2026, 12, 7));
  std::vector<model::Id> cited;
  for (const model::Mention& m : (*events)[0].mentions) cited.push_back(m.id);
  EXPECT_EQ(cited, (std::vector<model::Id>{1, 2, 3}));
  // The lifting followed the merged undated event: it now follows the one it joined.
  EXPECT_EQ((*events)[1].event.id, 4);
  EXPECT_EQ((*events)[1].event.previous_event_id, std::optional<model::Id>(1));
  EXPECT_EQ((*events)[0].event.case_status, "reversed");
  EXPECT_EQ((*events)[2].event.vendor, "Dahua");
  auto digest = store.last_digest("file");
  ASSERT_TRUE(digest && *digest);
  EXPECT_EQ((*digest)->up_to_event_id, 5);
  auto check = store.integrity_check();
  ASSERT_TRUE(check);
  EXPECT_EQ(*check, "ok");
  EXPECT_NE(backend_->exec("UPDATE events SET status = 'proposed' WHERE id = 1"), "");
  EXPECT_NE(backend_->exec("UPDATE mentions SET event_id = 5 WHERE id = 1"), "");
  EXPECT_NE(backend_->exec("DELETE FROM events WHERE id = 5"), "");
  // The migrated rows still deduplicate and cluster what comes after.
  model::ArticleRecord again =
      article("https://a.example/1", "UK bans Hikvision", "The UK on Monday banned Hikvision.");
  auto repeated = store.append_article(
      again, {event("Hikvision", "United Kingdom", "enacted", std::nullopt, "UK bans Hikvision")}, {});
  ASSERT_TRUE(repeated) << repeated.error().message;
  EXPECT_EQ(repeated->mentions_appended, 0);
  model::ArticleRecord later = article("https://d.example/4");
  later.published_at = PreciseTime{at(2026, 12, 12), DatePrecision::kDay};
  auto joined = store.append_article(
      later, {event("hikvision", "United Kingdom", "enacted", std::nullopt, "Hikvision ban stands.")}, {});
  ASSERT_TRUE(joined) << joined.error().message;
  EXPECT_EQ(joined->events_appended, 0);
  EXPECT_EQ(joined->mentions_appended, 1);
}

// A changed page replaces the stored text and its search entry; the version
// it replaced is kept by hash in article_versions.
TEST_P(StoreBackendTest, AChangedTextReplacesTheStoredOneAndKeepsItsHash) {
  Store& store = open();
  model::ArticleRecord first =
      article("https://a.example/changing", "Ban", "Regulators discussed the vendor at length.");
  ASSERT_TRUE(store.append_article(first, {}, {}));
  model::ArticleRecord second = article("https://a.example/changing", "Ban", "Regulators banned the vendor outright.");
  second.fetched_at = at(2026, 11, 2);
  auto appended = store.append_article(second, {}, {});
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_FALSE(appended->article_inserted);
  auto hits = store.search("outright", std::nullopt, 10);
  ASSERT_TRUE(hits) << hits.error().message;
  EXPECT_EQ(hits->size(), 1u);
  EXPECT_TRUE(store.search("length", std::nullopt, 10).value_or(std::vector<SearchHit>{{}}).empty());
  // The same text again changes nothing.
  ASSERT_TRUE(store.append_article(second, {}, {}));
  auto versions = store.stats();
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->articles, 1);
  if (GetParam() == "postgresql") {
    PgSchema const& schema = static_cast<PgBackend&>(*backend_).schema();
    EXPECT_EQ(schema.integer("SELECT count(*) FROM article_versions WHERE content_hash = '" + first.content_hash +
                             "' AND fetched_at = " + std::to_string(first.fetched_at.time_since_epoch().count())),
              1);
    EXPECT_EQ(schema.integer("SELECT count(*) FROM article_versions"), 1);
  } else {
    // A row that does not exist makes the statement fail: the version is there.
    EXPECT_EQ(backend_->exec("SELECT CASE WHEN (SELECT count(*) FROM article_versions WHERE content_hash = '" +
                             first.content_hash +
                             "') = 1 AND (SELECT count(*) FROM article_versions) = 1"
                             " THEN 1 ELSE abs(-9223372036854775807 - 1) END"),
              "");
  }
  auto check = store.integrity_check();
  ASSERT_TRUE(check);
  EXPECT_EQ(*check, "ok");
}

// Re-extraction (append_events) places an undated report at its stored
// article's publication date, as a crawl does: it joins the event nearby and
// not one years away.
TEST_P(StoreBackendTest, ReextractedUndatedReportIsAnchoredAtItsStoredArticle) {
  Store& store = open();
  model::ArticleRecord first = article("https://a.example/old", "Old ban", "The UK banned Hikvision cameras in 2023.");
  first.published_at = PreciseTime{at(2023, 5, 2), DatePrecision::kDay};
  ASSERT_TRUE(store.append_article(
      first, {event("Hikvision", "United Kingdom", "enacted", day_date(2023, 5, 1), "The UK banned it in 2023.")}, {}));
  model::ArticleRecord dated = article("https://a.example/dated", "Ban", "The UK on Monday banned Hikvision cameras.");
  dated.published_at = PreciseTime{at(2026, 12, 8, 9), DatePrecision::kMinute};
  ASSERT_TRUE(store.append_article(
      dated, {event("Hikvision", "United Kingdom", "enacted", day_date(2026, 12, 7), "The UK on Monday banned it.")},
      {}));
  model::ArticleRecord later =
      article("https://b.example/later", "Hikvision banned", "The UK has banned Hikvision cameras.");
  later.published_at = PreciseTime{at(2026, 12, 10, 9), DatePrecision::kMinute};
  auto stored = store.append_article(later, {}, {});
  ASSERT_TRUE(stored) << stored.error().message;
  auto appended = store.append_events(
      stored->article_id, {event("Hikvision", "United Kingdom", "enacted", std::nullopt, "The UK has banned it.")}, {});
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(appended->events_appended, 0);
  EXPECT_EQ(appended->mentions_appended, 1);
  auto events = store.query_events({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].event.event_date, day_date(2026, 12, 7));
  EXPECT_EQ((*events)[1].mentions.size(), 2u);
  EXPECT_EQ((*events)[0].mentions.size(), 1u);
}

}  // namespace
}  // namespace banwatch::store
