// The article-fetch queue of `banwatch crawl --worker` (docs/scale-out.md),
// with the real binary, two loopback hosts and a PostgreSQL store: feeds on
// host A list pages on host B. The worker holding A fetches A's pages in its
// pass and queues B's; B's pages are requested only by the worker holding B
// at that moment; every article is stored once, with the same content,
// events and mentions as a single-machine `banwatch crawl` on SQLite.
// Skips without BANWATCH_TEST_PG_URL (tests/store_pg/pg-cluster.sh).
#include <gtest/gtest.h>

#include "common/url.h"
#include "crawler/pipeline.h"
#include "store/open/open_store.h"
#include "tests/scaleout/worker_fixture.h"

namespace banwatch::scaleout {
namespace {

using namespace std::chrono_literals;

std::int64_t epoch_now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string worker_of(const std::string& agent) {
  const std::string prefix = agent_of("");
  return agent.rfind(prefix, 0) == 0 ? agent.substr(prefix.size()) : std::string();
}

// The feed item travels with the queued fetch so that its holder stores the
// same record the feed's reader would have: every field the pipeline reads.
TEST(WorkerQueue, QueuedItemJsonKeepsWhatTheArticleRecordIsBuiltFrom) {
  feeds::Item item;
  item.id = "urn:x:1";
  item.url = "https://news.example/a?utm_source=x";
  item.title = "Title <b>bold</b>";
  item.summary = "<p>Summary</p>";
  item.content = "<p>Content \xE2\x82\xAC</p>";
  item.language = "de";
  item.publication_name = "Example News";
  item.authors = {"A. Writer", "B. Editor"};
  item.published = PreciseTime{Timestamp(std::chrono::seconds(1763631000)), DatePrecision::kSecond};
  item.updated = PreciseTime{Timestamp(std::chrono::seconds(1763596800)), DatePrecision::kDay};
  auto parsed = crawler::parse_queued_item(crawler::queued_item_json("desk#1", item));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->first, "desk#1");
  const feeds::Item& back = parsed->second;
  EXPECT_EQ(back.id, item.id);
  EXPECT_EQ(back.url, item.url);
  EXPECT_EQ(back.title, item.title);
  EXPECT_EQ(back.summary, item.summary);
  EXPECT_EQ(back.content, item.content);
  EXPECT_EQ(back.language, item.language);
  EXPECT_EQ(back.publication_name, item.publication_name);
  EXPECT_EQ(back.authors, item.authors);
  EXPECT_EQ(back.published, item.published);
  EXPECT_EQ(back.updated, item.updated);

  item.title = std::string("broken \xC3 byte");  // invalid UTF-8 from a feed is replaced, not lost
  parsed = crawler::parse_queued_item(crawler::queued_item_json("k", item));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->second.title, "broken \xEF\xBF\xBD byte");
  EXPECT_FALSE(crawler::parse_queued_item("[1]").has_value());
  EXPECT_FALSE(crawler::parse_queued_item("{\"published\": \"yesterday\"}").has_value());
}

TEST(WorkerQueue, PagesOnAnotherHostAreFetchedOnlyByItsHolderAndStoredOnce) {
  if (pg_url().empty())
    GTEST_SKIP() << "BANWATCH_TEST_PG_URL is not set (tests/store_pg/pg-cluster.sh starts a server)";
  if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
  constexpr int kPagesA = 8, kPagesB = 12, kMoved = 2;
  // B's page kPagesB is listed by no feed; the next kMoved are where two of
  // A's listed pages (kPagesA, kPagesA + 1) redirect.
  Host a(1, kPagesA), b(2, kPagesB + 1 + kMoved);
  std::vector<std::pair<const Host*, int>> feed0, feed1;
  for (int i = 0; i < kMoved; ++i) {
    a.redirect(Host::page_path(kPagesA + i), b.url(Host::page_path(kPagesB + 1 + i)));
    feed0.push_back({&a, kPagesA + i});
  }
  for (int i = 0; i < 4; ++i) feed0.push_back({&a, i});
  for (int i = 0; i < 6; ++i) feed0.push_back({&b, i});
  for (int i = 6; i < kPagesB; ++i) feed1.push_back({&b, i});
  for (int i = 4; i < kPagesA; ++i) feed1.push_back({&a, i});
  a.add_feed("/feeds/0.xml", feed0);
  a.add_feed("/feeds/1.xml", feed1);
  const std::string dir = hardening::temp_dir("worker-queue");
  const std::string config =
      write_worker_config(dir, {{"desk0", a.url("/feeds/0.xml")}, {"desk1", a.url("/feeds/1.xml")}});
  Banwatch bw(dir, config);

  // The reference: one single-machine crawl on SQLite.
  const Exit ref_run = bw.run({"--db", dir + "/reference.db", "crawl"}, {}, "reference");
  ASSERT_EQ(ref_run.code, 0) << ref_run.err;
  const Dump reference = hardening::dump_store(dir + "/reference.db");
  ASSERT_EQ(reference.articles.size(), static_cast<std::size_t>(kPagesA + kPagesB + kMoved));
  ASSERT_FALSE(reference.events.empty());

  PgSchema schema;
  // A queued page that is stored before anyone claims it (a worker died
  // between storing and completing): completed without a request.
  const std::string orphan = b.url(Host::page_path(kPagesB));
  {
    store::StoreOptions options;
    auto opened = store::open_store(schema.url(), options);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store::ArticleFetch fetch;
    fetch.url = orphan;
    auto queued = (*opened)->work_queue().enqueue_article_fetches({fetch}, Timestamp{});
    ASSERT_TRUE(queued.has_value()) << queued.error().message;
    ASSERT_EQ(*queued, 1);
    model::ArticleRecord article;
    article.url = orphan;
    article.canonical_url = canonical_url_string(orphan);
    article.item_id = article.canonical_url;
    article.title = "Stored before its queued fetch was claimed";
    article.text = "Stored by a worker that died before completing the fetch.";
    article.content_hash = "0";
    article.fetched_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto appended = (*opened)->append_article(article, {}, {});
    ASSERT_TRUE(appended.has_value()) << appended.error().message;
  }
  a.check_leases_in(schema.url("leasecheck-a"));
  b.check_leases_in(schema.url("leasecheck-b"));

  // Two workers, one host each at a time: the reader of A's feeds cannot hold B.
  const auto started = std::chrono::steady_clock::now();
  const pid_t w1 = bw.spawn(worker_args(schema, "w1", 5, 1), {}, "w1");
  const pid_t w2 = bw.spawn(worker_args(schema, "w2", 5, 1), {}, "w2");
  const bool complete = wait_until([&] { return store_complete(schema, kPagesA + kPagesB + kMoved + 1); }, 60s);
  const auto took = std::chrono::steady_clock::now() - started;
  ::kill(w1, SIGTERM);
  ::kill(w2, SIGTERM);
  const Exit e1 = bw.wait(w1), e2 = bw.wait(w2);
  ASSERT_TRUE(complete) << "the workers did not finish within 60 s\nw1: " << e1.err << "\nw2: " << e2.err;
  EXPECT_EQ(e1.code, 143) << e1.err;  // stopped by SIGTERM, not by an error
  EXPECT_EQ(e2.code, 143) << e2.err;
  std::cerr << "[          ] two workers stored " << kPagesA + kPagesB + kMoved << " articles in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";

  // Every request on either host came from the worker holding its lease then.
  std::map<std::string, std::string> b_page_fetched_by;
  for (const Host* host : {&a, &b}) {
    for (const Hit& hit : host->hits()) {
      const std::string worker = worker_of(hit.agent);
      if (worker.empty()) continue;  // the reference crawl
      EXPECT_EQ(hit.lease_owner, worker) << host->authority() << hit.path << " requested by " << worker
                                         << " while the lease was " << hit.lease_owner;
      if (host == &b && hit.path.rfind("/articles/", 0) == 0) {
        EXPECT_EQ(b_page_fetched_by.count(hit.path), 0u) << hit.path << " requested twice";
        b_page_fetched_by[hit.path] = worker;
      }
    }
  }
  // Each listed page on B requested once, the two that A's pages moved to
  // included (by B's holder: A's reader did not follow the redirects); the
  // one already stored never.
  EXPECT_EQ(b_page_fetched_by.size(), static_cast<std::size_t>(kPagesB + kMoved));
  EXPECT_EQ(b_page_fetched_by.count(Host::page_path(kPagesB)), 0u);

  // B's pages went through the queue, A's did not: each entry done by the
  // worker that requested its page.
  const auto entries = schema.rows("SELECT url, host, state, completed_by FROM article_fetches ORDER BY url");
  EXPECT_EQ(entries.size(), static_cast<std::size_t>(kPagesB + 1 + kMoved));
  for (const auto& entry : entries) {
    EXPECT_EQ(entry[1], b.authority()) << entry[0] << " was queued though its host was held by the feed's reader";
    EXPECT_EQ(entry[2], "done") << entry[0];
    const std::string path = entry[0].substr(entry[0].find("/articles/"));
    if (auto it = b_page_fetched_by.find(path); it != b_page_fetched_by.end()) {
      EXPECT_EQ(entry[3], it->second) << entry[0];
    }
  }

  // The same store as the single-machine crawl, plus the pre-stored page.
  Dump dump = hardening::dump_store(schema.url());
  EXPECT_EQ(dump.integrity, "ok");
  std::erase(dump.articles, canonical_url_string(orphan));
  EXPECT_EQ(dump.articles, reference.articles);
  EXPECT_EQ(dump.events, reference.events);
  EXPECT_EQ(dump.mentions, reference.mentions);
  std::filesystem::remove_all(dir);
}

// The queue's failure handling: a transient failure (503) is requeued with a
// delay and nothing is stored yet; a permanent one (404) stores the feed's
// content at once and ends the entry failed; the last attempt of a transient
// failure does the same. Nothing is retried forever, no article is lost.
TEST(WorkerQueue, TransientFailuresAreRequeuedAndPermanentOnesFallBackToTheFeed) {
  if (pg_url().empty())
    GTEST_SKIP() << "BANWATCH_TEST_PG_URL is not set (tests/store_pg/pg-cluster.sh starts a server)";
  if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
  Host a(3, 1), b(4, 2);
  b.fail_with(Host::page_path(1), 503);
  a.add_feed("/feeds/0.xml", {{&b, 0}, {&b, 1}, {&b, 7}});  // B has no page 7: 404
  const std::string ok = canonical_url_string(b.url(Host::page_path(0)));
  const std::string unavailable = canonical_url_string(b.url(Host::page_path(1)));
  const std::string missing = canonical_url_string(b.url(Host::page_path(7)));
  const std::string dir = hardening::temp_dir("worker-queue-failures");
  Banwatch bw(dir, write_worker_config(dir, {{"desk0", a.url("/feeds/0.xml")}}));
  PgSchema schema;
  auto entry = [&](const std::string& url, const std::string& column) {
    auto rows = schema.rows("SELECT " + column + " FROM article_fetches WHERE canonical_url = '" + url + "'");
    return rows.empty() ? std::string("(no entry)") : rows[0][0];
  };
  auto article_feed_only = [&](const std::string& url) {
    auto rows = schema.rows("SELECT feed_only FROM articles WHERE canonical_url = '" + url + "'");
    return rows.empty() ? std::string("(not stored)") : rows[0][0];
  };

  const pid_t w1 = bw.spawn(worker_args(schema, "w1", 5, 1), {}, "w1");
  const pid_t w2 = bw.spawn(worker_args(schema, "w2", 5, 1), {}, "w2");
  const bool first_round = wait_until(
      [&] {
        return entry(ok, "state") == "done" && entry(missing, "state") == "failed" &&
               entry(unavailable, "attempts") == "1" && entry(unavailable, "claimed_by").empty();
      },
      60s);
  const std::int64_t now = epoch_now_seconds();
  std::string unavailable_state = entry(unavailable, "state"), unavailable_error = entry(unavailable, "last_error");
  std::int64_t retry_in = std::stoll(entry(unavailable, "not_before")) - now;
  std::string missing_error = entry(missing, "last_error");
  std::string ok_stored = article_feed_only(ok), missing_stored = article_feed_only(missing),
              unavailable_stored = article_feed_only(unavailable);

  // The third attempt is the last: let it come now.
  if (first_round) {
    schema.exec("UPDATE article_fetches SET attempts = 2, not_before = 0 WHERE canonical_url = '" + unavailable + "'");
  }
  const bool last_round = first_round && wait_until([&] { return entry(unavailable, "state") == "failed"; }, 60s);
  ::kill(w1, SIGTERM);
  ::kill(w2, SIGTERM);
  const Exit e1 = bw.wait(w1), e2 = bw.wait(w2);
  ASSERT_TRUE(first_round) << "w1: " << e1.err << "\nw2: " << e2.err;
  EXPECT_EQ(ok_stored, "0");       // the page itself
  EXPECT_EQ(missing_stored, "1");  // the feed's content, at once
  EXPECT_NE(missing_error.find("404"), std::string::npos) << missing_error;
  EXPECT_EQ(unavailable_state, "queued");
  EXPECT_EQ(unavailable_stored, "(not stored)");  // not yet: it may come back
  EXPECT_NE(unavailable_error.find("503"), std::string::npos) << unavailable_error;
  EXPECT_GE(retry_in, 50);  // 60 s after the first attempt
  EXPECT_LE(retry_in, 61);
  ASSERT_TRUE(last_round) << "w1: " << e1.err << "\nw2: " << e2.err;
  EXPECT_EQ(entry(unavailable, "attempts"), "3");
  EXPECT_EQ(article_feed_only(unavailable), "1");
  EXPECT_EQ(schema.integer("SELECT count(*) FROM articles"), 3);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace banwatch::scaleout
