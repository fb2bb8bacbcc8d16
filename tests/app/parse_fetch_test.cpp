// `parse feed URL` and `parse article URL` through the real binary: the page
// is fetched by the crawler's fetcher (robots.txt, the private-address guard,
// the body budget), served here by a loopback server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "../crawler/test_server.h"
#include "tests/app/run_in_dir.h"

namespace {

namespace fs = std::filesystem;
using banwatch::testing::Route;
using banwatch::testing::TestServer;

using banwatch::testing::Outcome;

Route page(std::string body, std::string type) {
  Route r;
  r.body = std::move(body);
  r.content_type = std::move(type);
  return r;
}

constexpr const char* kArticle = R"(<!doctype html><html lang="en"><head><title>Agency bans Zentel cameras</title>
<meta property="article:published_time" content="2026-03-02T09:00:00Z"></head><body><nav>Home | World</nav>
<article><h1>Agency bans Zentel cameras</h1><p>The agency on Monday banned Zentel cameras from every government
building, citing security risks found during a review of the equipment last year.</p><p>Officials said the
cameras would be removed by the end of the year and replaced with equipment from approved suppliers.</p>
</article></body></html>)";

constexpr const char* kFeed = R"(<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<link>/</link><item><title>Agency bans Zentel cameras</title><link>/news/zentel</link>
<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item></channel></rss>)";

class ParseFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bw-parse-fetch-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    server_.set("/robots.txt", page("User-agent: *\nDisallow: /private\n", "text/plain"));
    server_.set("/news/zentel", page(kArticle, "text/html; charset=utf-8"));
    server_.set("/private/zentel", page(kArticle, "text/html; charset=utf-8"));
    server_.set("/feed.xml", page(kFeed, "application/rss+xml"));
    server_.set("/huge", page(std::string(300'000, 'x'), "text/html"));
  }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome run(const std::string& args) {
    return banwatch::testing::run_in(
        dir_, std::string(BANWATCH_BINARY) + " --set fetch.host_delay=0s --set fetch.retries=0 " + args);
  }

  TestServer server_;
  fs::path dir_;
};

TEST_F(ParseFetch, AnArticleUrlIsFetchedAndExtracted) {
  auto o = run("parse article --allow-private-networks --json " + server_.url("/news/zentel"));
  ASSERT_EQ(o.code, 0) << o.err;
  auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["title"], "Agency bans Zentel cameras");
  EXPECT_EQ(j["url"], server_.url("/news/zentel")) << "the fetched URL is the page's URL";
  EXPECT_NE(j["text"].get<std::string>().find("banned Zentel cameras"), std::string::npos) << o.out;
  EXPECT_EQ(server_.hits("/robots.txt"), 1) << "robots.txt is asked first, as in a crawl";
  EXPECT_NE(server_.last_hit("/news/zentel").user_agent.find("banwatch/"), std::string::npos)
      << "the configured User-Agent";
}

TEST_F(ParseFetch, AFeedUrlIsFetchedAndParsedWithItsBase) {
  auto o = run("parse feed --allow-private-networks --json " + server_.url("/feed.xml"));
  ASSERT_EQ(o.code, 0) << o.err;
  auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["format"], "rss20");
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["url"], server_.url("/news/zentel")) << "relative links resolve against the fetched URL";
}

TEST_F(ParseFetch, TheCrawlersGuardsStayOn) {
  auto guarded = run("parse article " + server_.url("/news/zentel"));
  EXPECT_EQ(guarded.code, 1);
  EXPECT_NE(guarded.err.find("private address"), std::string::npos) << guarded.err;
  EXPECT_EQ(server_.hits("/news/zentel"), 0);

  auto robots = run("parse article --allow-private-networks " + server_.url("/private/zentel"));
  EXPECT_EQ(robots.code, 1);
  EXPECT_NE(robots.err.find("robots.txt disallows"), std::string::npos) << robots.err;
  EXPECT_EQ(server_.hits("/private/zentel"), 0);

  auto budget = run("--set fetch.max_bytes=100KB parse feed --allow-private-networks " + server_.url("/huge"));
  EXPECT_EQ(budget.code, 1);
  EXPECT_NE(budget.err.find("larger than"), std::string::npos) << budget.err;

  auto missing = run("parse feed --allow-private-networks " + server_.url("/absent.xml"));
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("404"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.err.find("cannot open the file"), std::string::npos) << missing.err;
}

}  // namespace
