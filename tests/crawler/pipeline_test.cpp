// The crawl pipeline in-process: a real SQLite store, a real loopback server,
// the real feed parser and article extractor, and a stand-in rule engine.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "crawler/ingest.h"
#include "crawler/pipeline.h"
#include "store/open/open_store.h"
#include "tests/crawler/pipeline_fixture.h"

namespace banwatch::crawler {
namespace {

using namespace std::chrono_literals;
using banwatch::testing::Route;
using banwatch::testing::TestServer;
using testing::FailingStore;
using testing::FakeRules;
using testing::FeedItem;
using testing::read_fixture;
using testing::rss;

Timestamp test_now() {
  return Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 11 / 26).time_since_epoch() + 12h);
}

Route page(const std::string& fixture) {
  Route r;
  r.body = read_fixture(fixture);
  return r;
}

Route feed_route(std::string body, std::string etag = "") {
  Route r;
  r.body = std::move(body);
  r.content_type = "application/rss+xml; charset=utf-8";
  r.etag = std::move(etag);
  return r;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("pipeline");
    store::StoreOptions so;
    auto opened = store::open_store(dir_ + "/test.db", so);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    real_store_ = std::move(*opened);
    store_ = std::make_unique<FailingStore>(*real_store_);
    config_.fetch.host_delay = 0ms;
    config_.fetch.allow_private_networks = true;
    config_.crawl.articles = "all";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void add_source(const std::string& name, const std::string& path, const std::string& policy = "",
                  const std::string& kind = "feed") {
    store::SourceSpec spec;
    spec.name = name;
    spec.url = server_.url(path);
    spec.kind = kind;
    spec.interval = 30min;
    spec.article_policy = policy;
    ASSERT_TRUE(store_->add_source(spec).has_value());
  }

  Result<CrawlSummary> run(CrawlOptions options = {}) {
    FetcherOptions fo = FetcherOptions::from_config(config_.fetch);
    fo.retry_base_delay = 5ms;
    auto fetcher = Fetcher::create(fo);
    CrawlDeps deps;
    deps.store = store_.get();
    deps.rules = &rules_;
    deps.config = &config_;
    deps.clock = &clock_;
    deps.fetcher = fetcher->get();
    options.warn = [this](const std::string& w) { warnings_.push_back(w); };
    return crawl(deps, options);
  }

  store::Stats stats() {
    auto s = real_store_->stats();
    EXPECT_TRUE(s.has_value());
    return *s;
  }

  std::vector<model::ArticleRecord> articles() {
    std::vector<model::ArticleRecord> out;
    EXPECT_TRUE(real_store_->for_each_article({}, [&](const model::ArticleRecord& a) {
      out.push_back(a);
      return true;
    }));
    return out;
  }

  store::Source source(const std::string& name) {
    auto s = real_store_->get_source(name);
    EXPECT_TRUE(s.has_value());
    return *s;
  }

  // What "the same store" means: articles by canonical URL with their text
  // origin, and events with their mention evidence.
  std::set<std::string> fingerprint() {
    std::set<std::string> out;
    for (const auto& a : articles()) out.insert("A " + a.canonical_url + (a.feed_only ? " feed" : " page"));
    auto events = real_store_->query_events({});
    EXPECT_TRUE(events.has_value());
    for (const auto& e : *events) {
      out.insert("E " + e.event.vendor + "|" + e.event.actor + "|" + e.event.action + "|" + e.event.status);
      for (const auto& m : e.mentions) out.insert("M " + m.article_url + "|" + m.evidence + "|" + m.rule_id);
    }
    return out;
  }

  // Three items: a ban story, a neutral story, a story whose page is gone.
  void standard_site() {
    server_.set("/a/ban", page("article-ban.html"));
    server_.set("/a/library", page("article-plain.html"));
    server_.set("/feed.xml",
                feed_route(rss({{"g1", server_.url("/a/ban"), "Testland bans Huawei equipment", "Security review."},
                                {"g2", server_.url("/a/library"), "City opens a library", "Books for all."},
                                {"g3", server_.url("/a/gone"), "Neighbourland bans Huawei gear",
                                 "Neighbourland bans Huawei gear in government offices."}}),
                           "\"v1\""));
  }

  TestServer server_;
  std::string dir_;
  std::unique_ptr<store::Store> real_store_;
  std::unique_ptr<FailingStore> store_;
  Config config_;
  FakeClock clock_{test_now()};
  FakeRules rules_;
  std::vector<std::string> warnings_;
};

TEST_F(PipelineTest, FirstRunStoresArticlesAndEventsSecondRunIsConditionalAndAppendsNothing) {
  standard_site();
  add_source("wire", "/feed.xml");
  auto first = run();
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->sources, 1);
  EXPECT_EQ(first->failed, 0);
  EXPECT_EQ(first->articles_stored, 3);
  EXPECT_EQ(first->pages_fetched, 2);
  EXPECT_EQ(first->feed_only, 1);  // /a/gone answered 404: the feed's content was used
  EXPECT_GE(first->events_appended, 2);
  auto all = articles();
  ASSERT_EQ(all.size(), 3u);
  for (const auto& a : all) {
    EXPECT_FALSE(a.content_hash.empty());
    EXPECT_FALSE(a.text.empty()) << a.url;
    EXPECT_TRUE(a.source_id.has_value());
  }
  bool warned = std::any_of(warnings_.begin(), warnings_.end(), [](const std::string& w) {
    return w.find("/a/gone") != std::string::npos && w.find("feed's content") != std::string::npos;
  });
  EXPECT_TRUE(warned);
  auto st = source("wire");
  EXPECT_EQ(st.state.etag, "\"v1\"");
  EXPECT_EQ(st.state.last_status, 200);
  ASSERT_TRUE(st.state.next_due.has_value());
  auto before = fingerprint();
  int page_hits = server_.hits("/a/ban") + server_.hits("/a/library");

  clock_.advance(std::chrono::duration_cast<std::chrono::seconds>(*st.state.next_due - clock_.now()));
  auto second = run();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->not_modified, 1);
  EXPECT_EQ(second->articles_stored, 0);
  EXPECT_EQ(second->events_appended, 0);
  EXPECT_EQ(second->mentions_appended, 0);
  EXPECT_EQ(server_.last_hit("/feed.xml").if_none_match, "\"v1\"");
  EXPECT_EQ(server_.hits("/a/ban") + server_.hits("/a/library"), page_hits);
  EXPECT_EQ(fingerprint(), before);
}

TEST_F(PipelineTest, NotDueSourceIsNotFetched) {
  standard_site();
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  int hits = server_.hits("/feed.xml");
  clock_.advance(60s);
  auto again = run();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->sources, 0);
  EXPECT_EQ(server_.hits("/feed.xml"), hits);
  CrawlOptions all;
  all.all = true;
  ASSERT_TRUE(run(all).has_value());
  EXPECT_EQ(server_.hits("/feed.xml"), hits + 1);
}

TEST_F(PipelineTest, EtagChange) {
  standard_site();
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  server_.set("/a/new", page("article-plain.html"));
  server_.set("/feed.xml", feed_route(rss({{"g1", server_.url("/a/ban"), "Testland bans Huawei equipment", ""},
                                           {"g4", server_.url("/a/new"), "Another library", ""}}),
                                      "\"v2\""));
  CrawlOptions all;
  all.all = true;
  auto second = run(all);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->not_modified, 0);
  EXPECT_EQ(second->articles_stored, 1);
  EXPECT_EQ(server_.hits("/a/ban"), 1);  // known item: not fetched again
  EXPECT_EQ(source("wire").state.etag, "\"v2\"");
}

TEST_F(PipelineTest, LastModifiedOnly) {
  server_.set("/a/ban", page("article-ban.html"));
  Route r = feed_route(rss({{"g1", server_.url("/a/ban"), "Testland bans Huawei equipment", ""}}));
  r.last_modified = "Thu, 26 Nov 2026 08:00:00 GMT";
  server_.set("/feed.xml", r);
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  EXPECT_EQ(source("wire").state.last_modified, "Thu, 26 Nov 2026 08:00:00 GMT");
  EXPECT_TRUE(source("wire").state.etag.empty());
  CrawlOptions all;
  all.all = true;
  auto second = run(all);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->not_modified, 1);
  EXPECT_EQ(server_.last_hit("/feed.xml").if_modified_since, "Thu, 26 Nov 2026 08:00:00 GMT");
  EXPECT_TRUE(server_.last_hit("/feed.xml").if_none_match.empty());
}

TEST_F(PipelineTest, PermalinkGuidsStillFetchThePage) {
  server_.set("/a/ban", page("article-ban.html"));
  std::string link = server_.url("/a/ban");
  server_.set("/feed.xml", feed_route(rss({{link, link, "Testland bans Huawei equipment", "Short."}})));
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->pages_fetched, 1);
  EXPECT_EQ(server_.hits("/a/ban"), 1);
  ASSERT_EQ(articles().size(), 1u);
  EXPECT_FALSE(articles()[0].feed_only);
  EXPECT_EQ(articles()[0].item_id, link);
}

TEST_F(PipelineTest, DuplicateGuids) {
  server_.set("/a/ban", page("article-ban.html"));
  server_.set("/a/library", page("article-plain.html"));
  server_.set("/feed.xml", feed_route(rss({{"same", server_.url("/a/ban"), "Testland bans Huawei equipment", ""},
                                           {"same", server_.url("/a/library"), "City opens a library", ""}})));
  add_source("wire", "/feed.xml");
  auto r = run();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->articles_stored, 1);  // the first of two items sharing an id wins
  EXPECT_EQ(articles().size(), 1u);
}

TEST_F(PipelineTest, ItemGuidRewritten) {
  server_.set("/a/ban", page("article-ban.html"));
  server_.set("/feed.xml", feed_route(rss({{"old-id", server_.url("/a/ban"), "Testland bans Huawei equipment", ""}})));
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  auto before = fingerprint();
  // Same article, new GUID and a tracking parameter: the canonical URL matches.
  server_.set(
      "/feed.xml",
      feed_route(rss({{"new-id", server_.url("/a/ban?utm_source=rss"), "Testland bans Huawei equipment", ""}})));
  CrawlOptions all;
  all.all = true;
  auto second = run(all);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->articles_stored, 0);
  EXPECT_EQ(server_.hits("/a/ban"), 1);
  EXPECT_EQ(fingerprint(), before);
}

TEST_F(PipelineTest, SameArticleInTwoSourcesIsStoredOnce) {
  server_.set("/a/ban", page("article-ban.html"));
  server_.set("/one.xml", feed_route(rss({{"x1", server_.url("/a/ban#top"), "Testland bans Huawei equipment", ""}})));
  server_.set("/two.xml", feed_route(rss({{"y1", server_.url("/a/ban?fbclid=abc"), "Testland bans Huawei", ""}})));
  add_source("one", "/one.xml");
  add_source("two", "/two.xml");
  auto r = run();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->articles_stored, 1);
  EXPECT_EQ(server_.hits("/a/ban"), 1);
}

TEST_F(PipelineTest, WrongContentType) {
  server_.set("/a/ban", page("article-ban.html"));
  Route r = feed_route(rss({{"g1", server_.url("/a/ban"), "Testland bans Huawei equipment", ""}}));
  r.content_type = "text/html; charset=utf-8";  // a misconfigured server; the bytes are RSS
  server_.set("/feed.xml", r);
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->failed, 0);
  EXPECT_EQ(s->articles_stored, 1);
}

TEST_F(PipelineTest, HtmlErrorPageServedWith200ForFeed) {
  Route r = page("error-page.html");
  server_.set("/feed.xml", r);
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->failed, 1);
  ASSERT_EQ(s->failures.size(), 1u);
  EXPECT_EQ(s->failures[0].error->code, ErrorCode::kParse);
  auto st = source("wire").state;
  EXPECT_EQ(st.consecutive_errors, 1);
  EXPECT_FALSE(st.last_error.empty());
  EXPECT_TRUE(st.etag.empty());
  EXPECT_EQ(*st.next_due, clock_.now() + 30min);  // backoff starts at the interval
}

TEST_F(PipelineTest, Empty200) {
  Route r = feed_route("");
  server_.set("/feed.xml", r);
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->failed, 1);
  EXPECT_EQ(articles().size(), 0u);
}

TEST_F(PipelineTest, TruncatedFeed) {
  server_.set("/a/ban", page("article-ban.html"));
  std::string full = rss({{"g1", server_.url("/a/ban"), "Testland bans Huawei equipment", "one"},
                          {"g2", server_.url("/a/library"), "City opens a library", "two"}});
  auto cut = full.find("<item>", full.find("</item>"));  // inside the second item
  server_.set("/feed.xml", feed_route(full.substr(0, cut + 20)));
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  // Either the complete first item is kept (recovered) or the source fails
  // cleanly; a half item never becomes an article.
  for (const auto& a : articles()) EXPECT_EQ(a.url, server_.url("/a/ban"));
  if (s->failed == 0) {
    EXPECT_LE(s->articles_stored, 1);
  }
}

TEST_F(PipelineTest, FeedGone410IsReportedClearly) {
  Route r = feed_route("gone");
  r.status = 410;
  server_.set("/feed.xml", r);
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  ASSERT_EQ(s->failures.size(), 1u);
  EXPECT_NE(s->failures[0].error->message.find("HTTP 410"), std::string::npos);
  EXPECT_NE(s->failures[0].error->message.find("gone"), std::string::npos);
  EXPECT_EQ(source("wire").state.last_status, 410);
}

TEST_F(PipelineTest, FailingSourceBacksOffAcrossRunsAndRecovers) {
  Route r = feed_route("");
  r.status = 500;
  server_.set("/feed.xml", r);
  add_source("wire", "/feed.xml");
  std::vector<std::chrono::seconds> waits;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(run().has_value());
    auto st = source("wire").state;
    waits.push_back(std::chrono::duration_cast<std::chrono::seconds>(*st.next_due - clock_.now()));
    clock_.set(*st.next_due);
  }
  EXPECT_EQ(waits[0], 30min);
  EXPECT_EQ(waits[1], 60min);
  EXPECT_EQ(waits[2], 120min);
  EXPECT_EQ(source("wire").state.consecutive_errors, 3);
  standard_site();
  ASSERT_TRUE(run().has_value());
  EXPECT_EQ(source("wire").state.consecutive_errors, 0);
  EXPECT_TRUE(source("wire").state.last_error.empty());
}

TEST_F(PipelineTest, ArticlePolicyMatchingFetchesOnlyCandidates) {
  standard_site();
  add_source("wire", "/feed.xml", "matching");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(server_.hits("/a/ban"), 1);
  EXPECT_EQ(server_.hits("/a/library"), 0);  // not a candidate: the feed's content is the article
  EXPECT_EQ(s->articles_stored, 3);
}

TEST_F(PipelineTest, ArticlePolicyNoneUsesFeedContentOnly) {
  standard_site();
  add_source("wire", "/feed.xml", "none");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->pages_fetched, 0);
  EXPECT_EQ(server_.hits("/a/ban"), 0);
  EXPECT_EQ(s->feed_only, 3);
  EXPECT_GE(s->events_appended, 2);  // headlines carry the events
  EXPECT_TRUE(warnings_.empty());    // by configuration, not a failure
}

TEST_F(PipelineTest, PaywalledPageUsesFeedContentWithWarning) {
  server_.set("/a/paywall", page("article-paywall.html"));
  server_.set("/feed.xml", feed_route(rss({{"p1", server_.url("/a/paywall"), "Testland bans Huawei equipment",
                                            "Testland bans Huawei equipment from its networks."}})));
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  ASSERT_EQ(articles().size(), 1u);
  EXPECT_TRUE(articles()[0].feed_only);
  EXPECT_NE(articles()[0].text.find("from its networks"), std::string::npos);
  EXPECT_FALSE(warnings_.empty());
}

TEST_F(PipelineTest, RobotsDisallowedPageUsesFeedContent) {
  Route robots;
  robots.body = read_fixture("robots-disallow.txt");
  robots.content_type = "text/plain";
  server_.set("/robots.txt", robots);
  server_.set("/members/story", page("article-ban.html"));
  server_.set("/feed.xml",
              feed_route(rss({{"m1", server_.url("/members/story"), "Testland bans Huawei equipment", "Summary."}})));
  add_source("wire", "/feed.xml");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(server_.hits("/members/story"), 0);
  EXPECT_EQ(s->feed_only, 1);
  EXPECT_TRUE(std::any_of(warnings_.begin(), warnings_.end(),
                          [](const std::string& w) { return w.find("robots.txt") != std::string::npos; }));
}

TEST_F(PipelineTest, SitemapIndexFollowsChildNewsSitemaps) {
  auto news_sitemap = [&](const std::string& path, const std::string& title) {
    Route r;
    r.content_type = "application/xml";
    r.body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
        "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
        "<url><loc>" +
        server_.url(path) +
        "</loc><news:news><news:publication><news:name>Example Wire"
        "</news:name><news:language>en</news:language></news:publication>"
        "<news:publication_date>2026-11-25T10:00:00Z</news:publication_date><news:title>" +
        title + "</news:title></news:news></url></urlset>";
    return r;
  };
  server_.set("/sitemap-1.xml", news_sitemap("/a/one", "Testland bans Huawei equipment"));
  server_.set("/sitemap-2.xml", news_sitemap("/a/two", "City opens a library"));
  Route index;
  index.content_type = "application/xml";
  index.body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<sitemap><loc>" +
      server_.url("/sitemap-1.xml") +
      "</loc></sitemap>"
      "<sitemap><loc>" +
      server_.url("/sitemap-2.xml") + "</loc></sitemap></sitemapindex>";
  server_.set("/sitemap-index.xml", index);
  add_source("sitemaps", "/sitemap-index.xml", "none", "sitemap");
  auto s = run();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->failed, 0);
  EXPECT_EQ(server_.hits("/sitemap-1.xml"), 1);
  EXPECT_EQ(server_.hits("/sitemap-2.xml"), 1);
  EXPECT_EQ(s->articles_stored, 2);
  EXPECT_GE(s->events_appended, 1);  // the headline is the article
}

TEST_F(PipelineTest, DryRunWritesNothing) {
  standard_site();
  add_source("wire", "/feed.xml");
  CrawlOptions o;
  o.dry_run = true;
  int seen = 0;
  o.dry_run_article = [&](const DryRunArticle&) { ++seen; };
  auto s = run(o);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(articles().size(), 0u);
  EXPECT_TRUE(source("wire").state.etag.empty());
  EXPECT_FALSE(source("wire").state.next_due.has_value());
}

TEST_F(PipelineTest, NamedSourceMustExist) {
  CrawlOptions o;
  o.sources = {"nope"};
  auto s = run(o);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
}

// Failure injection moved one write at a time through a crawl: each
// interrupted run followed by a clean one ends with the same store as one
// uninterrupted run, and the source's validators are saved only at the end.
TEST_F(PipelineTest, InterruptedAtEveryWriteThenRerunEndsWithTheSameStore) {
  standard_site();
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  auto reference = fingerprint();
  ASSERT_GE(reference.size(), 5u);

  for (int fail_at = 0; fail_at < 4; ++fail_at) {
    SCOPED_TRACE("fail at write " + std::to_string(fail_at));
    TearDown();
    SetUp();
    standard_site();
    add_source("wire", "/feed.xml");
    if (fail_at < 3)
      store_->fail_append_at = fail_at;
    else
      store_->fail_state_at = 0;
    auto broken = run();
    ASSERT_FALSE(broken.has_value());
    EXPECT_EQ(broken.error().code, ErrorCode::kStore);
    EXPECT_NE(broken.error().message.find("disk is full"), std::string::npos);
    EXPECT_TRUE(source("wire").state.etag.empty());  // not saved: the next run redoes the source
    store_->fail_append_at = store_->fail_state_at = -1;
    auto again = run();
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(fingerprint(), reference);
    EXPECT_EQ(source("wire").state.etag, "\"v1\"");
    auto check = real_store_->integrity_check();
    ASSERT_TRUE(check.has_value());
    EXPECT_EQ(*check, "ok");
  }
}

TEST_F(PipelineTest, CancelledRunKeepsCompletedWorkAndRedoesTheRest) {
  standard_site();
  Route slow = page("article-plain.html");
  slow.fault = banwatch::testing::Fault::kStall;
  slow.delay = 3s;
  server_.set("/a/library", slow);
  add_source("wire", "/feed.xml");
  std::atomic<int> cancel{0};
  std::thread stopper([&] {
    std::this_thread::sleep_for(700ms);
    cancel.store(15);
  });
  CrawlOptions o;
  o.cancel = &cancel;
  auto s = run(o);
  stopper.join();
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->cancelled);
  EXPECT_TRUE(source("wire").state.etag.empty());
  EXPECT_LT(articles().size(), 3u);
  server_.set("/a/library", page("article-plain.html"));
  auto again = run();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(articles().size(), 3u);
}

// The store's work runs beside the fetch loop: while the first append is
// held, the crawl goes on requesting the other pages. (Before, the append ran
// inside the page's callback, and no transfer started until it returned.)
TEST_F(PipelineTest, PagesAreFetchedWhileTheStoreIsBusy) {
  std::vector<FeedItem> items;
  for (int i = 0; i < 12; ++i) {
    const std::string path = "/a/story" + std::to_string(i);
    server_.set(path, page(i % 2 == 0 ? "article-ban.html" : "article-plain.html"));
    items.push_back({"g" + std::to_string(i), server_.url(path), "Story " + std::to_string(i), "Summary."});
  }
  server_.set("/feed.xml", feed_route(rss(items), "\"v1\""));
  add_source("wire", "/feed.xml");
  config_.fetch.concurrency = 2;  // 12 pages need six rounds of transfers
  const auto pages_requested = [&] {
    int n = 0;
    for (const auto& hit : server_.log()) n += hit.path.starts_with("/a/story") ? 1 : 0;
    return n;
  };
  bool held = false;
  int requested_while_held = 0;
  store_->before_append = [&] {
    if (held) return;
    held = true;
    // Hold the first append until every page has been requested (10 s at most).
    for (int waited = 0; waited < 1000 && pages_requested() < 12; ++waited) std::this_thread::sleep_for(10ms);
    requested_while_held = pages_requested();
    std::this_thread::sleep_for(300ms);  // their answers reach the processing thread meanwhile
  };
  auto s = run();
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(requested_while_held, 12);
  // What waited was appended together: fewer transactions than articles.
  EXPECT_EQ(store_->appends, 12);
  EXPECT_LT(store_->batches, 12);
  EXPECT_EQ(s->pages_fetched, 12);
  EXPECT_EQ(s->articles_stored, 12);
  EXPECT_EQ(articles().size(), 12u);
  EXPECT_EQ(stats().mentions, 6);
  EXPECT_EQ(source("wire").state.etag, "\"v1\"");  // saved once every item was stored
}

// A store that fails while pages wait to be processed: the run fails with the
// store's error, nothing after the failure is written, and the feed's state
// is not saved (the next run fetches it again in full).
TEST_F(PipelineTest, StoreFailureWhilePagesWaitStopsWritingAndKeepsTheFeedDue) {
  std::vector<FeedItem> items;
  for (int i = 0; i < 8; ++i) {
    const std::string path = "/a/story" + std::to_string(i);
    server_.set(path, page("article-ban.html"));
    items.push_back({"g" + std::to_string(i), server_.url(path), "Story " + std::to_string(i), "Summary."});
  }
  server_.set("/feed.xml", feed_route(rss(items), "\"v1\""));
  add_source("wire", "/feed.xml");
  store_->fail_append_at = 2;
  auto s = run();
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("disk is full"), std::string::npos) << s.error().message;
  EXPECT_EQ(store_->appends, 3);  // the failed one was the last tried
  // The failed transaction took its batch with it: at most the two before it are stored.
  EXPECT_LE(articles().size(), 2u);
  EXPECT_TRUE(source("wire").state.etag.empty());
  store_->fail_append_at = -1;
  auto again = run();
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(articles().size(), 8u);
}

TEST_F(PipelineTest, RecrawlUrlAppendsOnlyWhatIsNew) {
  standard_site();
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  auto before = fingerprint();
  FetcherOptions fo = FetcherOptions::from_config(config_.fetch);
  auto fetcher = Fetcher::create(fo);
  CrawlDeps deps{store_.get(), &rules_, &config_, &clock_, fetcher->get()};
  RecrawlOptions ro;
  ro.urls = {server_.url("/a/ban")};
  auto r = recrawl(deps, ro);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->pages_fetched, 1);
  EXPECT_EQ(r->mentions_appended, 0);
  EXPECT_EQ(fingerprint(), before);
  EXPECT_EQ(server_.hits("/a/ban"), 2);
}

// A page changed since it was stored: recrawl --url replaces the stored text
// and its search entry (docs/store.md, articles), so the new words are found
// and the old ones are not; the events of the new text are appended.
TEST_F(PipelineTest, RecrawlOfAChangedPageReplacesTheTextAndTheSearchIndex) {
  standard_site();
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  ASSERT_EQ(store_->search("rollout", std::nullopt, 10).value_or(std::vector<store::SearchHit>{}).size(), 1u);
  std::string changed = read_fixture("article-ban.html");
  const std::string old_paragraph = "Industry groups warned that the replacement could cost several hundred million";
  const auto at = changed.find(old_paragraph);
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, old_paragraph.size(),
                  "In an update, Testland also bans ZTE equipment from the core network, the ministry said; the"
                  " quarrymen's union and operators estimated the cost at several hundred million");
  const std::string rollout = "delay the rollout of new services";
  changed.replace(changed.find(rollout), rollout.size(), "delay new services");
  Route r;
  r.body = changed;
  server_.set("/a/ban", r);
  FetcherOptions fo = FetcherOptions::from_config(config_.fetch);
  auto fetcher = Fetcher::create(fo);
  CrawlDeps deps{store_.get(), &rules_, &config_, &clock_, fetcher->get()};
  RecrawlOptions ro;
  ro.urls = {server_.url("/a/ban")};
  auto recrawled = recrawl(deps, ro);
  ASSERT_TRUE(recrawled.has_value()) << recrawled.error().message;
  EXPECT_EQ(recrawled->pages_fetched, 1);
  EXPECT_EQ(recrawled->articles_stored, 0);  // the same article, not a new one
  auto hits = store_->search("quarrymen", std::nullopt, 10);
  ASSERT_TRUE(hits.has_value()) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_NE(hits->front().url.find("/a/ban"), std::string::npos);
  EXPECT_TRUE(store_->search("rollout", std::nullopt, 10).value_or(std::vector<store::SearchHit>{1}).empty());
  std::string text;
  store::Store::ArticleFilter filter;
  filter.urls = {server_.url("/a/ban")};
  ASSERT_TRUE(store_->for_each_article(filter, [&](const model::ArticleRecord& a) {
    text = a.text;
    return true;
  }));
  EXPECT_NE(text.find("quarrymen"), std::string::npos);
}

// reextract takes the crawler's ingest path: a report the rule pack finds now
// in a stored article joins the event it describes (no new event), and every
// stored citation and the digest cursor stay as they were.
TEST_F(PipelineTest, ReextractJoinsNewReportsToStoredEventsAndKeepsCitationsAndCursors) {
  standard_site();
  add_source("wire", "/feed.xml");
  ASSERT_TRUE(run().has_value());
  auto before = store_->query_events({});
  ASSERT_TRUE(before.has_value());
  ASSERT_FALSE(before->empty());
  std::set<model::Id> mention_ids;
  model::Id last_event = 0, last_mention = 0;
  for (const auto& e : *before) {
    last_event = std::max(last_event, e.event.id);
    for (const auto& m : e.mentions) {
      mention_ids.insert(m.id);
      last_mention = std::max(last_mention, m.id);
    }
  }
  store::DigestRecord cursor;
  cursor.channel = "file";
  cursor.created_at = clock_.now();
  cursor.up_to_event_id = last_event;
  cursor.up_to_mention_id = last_mention;
  ASSERT_TRUE(store_->record_digest(cursor).has_value());

  // An article stored while the rule pack found nothing in it.
  model::ArticleRecord missed;
  missed.url = missed.canonical_url = "https://other.example/testland-confirms";
  missed.title = "Testland bans Huawei gear, officials confirmed";
  missed.text = "Officials confirmed the decision on the telecom network equipment in a short statement.";
  missed.published_at = PreciseTime{test_now() - std::chrono::days(4), DatePrecision::kDay};
  missed.fetched_at = test_now();
  seal_article(missed);
  ASSERT_TRUE(store_->append_article(missed, {}, {}).has_value());

  ReextractOptions options;
  options.clock = &clock_;
  options.cluster_window = config_.store.cluster_window;
  auto first = reextract(*store_, rules_, options);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->events_appended, 0);
  EXPECT_EQ(first->mentions_appended, 1);
  auto after = store_->query_events({});
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->size(), before->size());
  std::set<model::Id> still;
  bool joined = false;
  for (const auto& e : *after) {
    for (const auto& m : e.mentions) {
      still.insert(m.id);
      if (m.article_url == missed.url) joined = e.event.actor == "Testland";
    }
  }
  EXPECT_TRUE(joined);
  for (model::Id id : mention_ids) EXPECT_TRUE(still.contains(id)) << "mention " << id << " lost";
  auto kept = store_->last_digest("file");
  ASSERT_TRUE(kept.has_value() && kept->has_value());
  EXPECT_EQ((*kept)->up_to_event_id, last_event);
  EXPECT_EQ((*kept)->up_to_mention_id, last_mention);
  // Again: nothing new.
  auto second = reextract(*store_, rules_, options);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->events_appended + second->mentions_appended, 0);
}

}  // namespace
}  // namespace banwatch::crawler
