// The demo's sample-site server (app/site_server.h): hosts by Host header,
// conditional GET as RFC 9110 describes it, the site's budget.
#include "app/site_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using banwatch::app::SiteBudget;
using banwatch::app::SiteServer;

class SiteServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("bw-site-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    write("news.test/index.html", "<html>front page</html>");
    write("news.test/feed/rss.xml", "<rss version=\"2.0\"><channel/></rss>");
    write("news.test/robots.txt", "User-agent: *\nDisallow: /private/\n");
    write("news.test/story", "<html>a page without an extension</html>");
    write("other.test/atom.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>");
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }

  std::unique_ptr<SiteServer> start(const SiteBudget& budget = {}) {
    auto server = SiteServer::start(root_.string(), edition_, budget);
    EXPECT_TRUE(server.has_value()) << server.error().message;
    return server ? std::move(*server) : nullptr;
  }

  static httplib::Result get(const SiteServer& server, const std::string& host, const std::string& path,
                             httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", server.port());
    headers.emplace("Host", host);
    return client.Get(path, headers);
  }

  fs::path root_;
  banwatch::Timestamp edition_{std::chrono::seconds(1796407200)};  // 2026-12-04T18:00:00Z
};

TEST_F(SiteServerTest, ServesEachHostItsOwnFilesWithTypesFromTheirNames) {
  auto server = start();
  ASSERT_TRUE(server);
  EXPECT_EQ(server->hosts(), (std::vector<std::string>{"news.test", "other.test"}));
  EXPECT_EQ(server->files(), 5u);
  auto rss = get(*server, "news.test", "/feed/rss.xml");
  ASSERT_TRUE(rss);
  EXPECT_EQ(rss->status, 200);
  EXPECT_EQ(rss->get_header_value("Content-Type"), "application/rss+xml; charset=utf-8");
  auto atom = get(*server, "other.test", "/atom.xml");
  ASSERT_TRUE(atom);
  EXPECT_EQ(atom->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
  auto front = get(*server, "news.test", "/");
  ASSERT_TRUE(front);
  EXPECT_EQ(front->body, "<html>front page</html>");
  auto story = get(*server, "news.test", "/story");
  ASSERT_TRUE(story);
  EXPECT_EQ(story->get_header_value("Content-Type"), "text/html; charset=utf-8");
  // A file of another host, a missing one, a host not served, a way out of the site.
  EXPECT_EQ(get(*server, "other.test", "/feed/rss.xml")->status, 404);
  EXPECT_EQ(get(*server, "news.test", "/missing.html")->status, 404);
  EXPECT_EQ(get(*server, "elsewhere.test", "/")->status, 421);
  EXPECT_EQ(get(*server, "news.test", "/../other.test/atom.xml")->status, 404);
  EXPECT_EQ(get(*server, "NEWS.test:80", "/robots.txt")->status, 200);  // host names are case-insensitive

  const auto log = server->requests();
  ASSERT_EQ(log.size(), 9u);
  EXPECT_EQ(log[0].host, "news.test");
  EXPECT_EQ(log[0].path, "/feed/rss.xml");
  EXPECT_EQ(log[0].status, 200);
  EXPECT_EQ(server->connect_to(),
            (std::vector<std::string>{"news.test:80:127.0.0.1:" + std::to_string(server->port()),
                                      "other.test:80:127.0.0.1:" + std::to_string(server->port())}));
}

TEST_F(SiteServerTest, Spec_Rfc9110_13_1_2_IfNoneMatchAnswers304ForAnyMatchingTag) {
  auto server = start();
  ASSERT_TRUE(server);
  auto first = get(*server, "news.test", "/feed/rss.xml");
  ASSERT_TRUE(first);
  const std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(first->get_header_value("Last-Modified"), "Fri, 04 Dec 2026 18:00:00 GMT");
  EXPECT_EQ(get(*server, "news.test", "/feed/rss.xml", {{"If-None-Match", etag}})->status, 304);
  EXPECT_EQ(get(*server, "news.test", "/feed/rss.xml", {{"If-None-Match", "\"x\", " + etag}})->status, 304);
  EXPECT_EQ(get(*server, "news.test", "/feed/rss.xml", {{"If-None-Match", "W/" + etag}})->status, 304);
  EXPECT_EQ(get(*server, "news.test", "/feed/rss.xml", {{"If-None-Match", "*"}})->status, 304);
  EXPECT_EQ(get(*server, "news.test", "/feed/rss.xml", {{"If-None-Match", "\"other\""}})->status, 200);
  // Another file's tag differs.
  EXPECT_NE(get(*server, "news.test", "/robots.txt")->get_header_value("ETag"), etag);
}

TEST_F(SiteServerTest, Spec_Rfc9110_13_1_3_IfModifiedSinceIsIgnoredWhenIfNoneMatchIsSent) {
  auto server = start();
  ASSERT_TRUE(server);
  const std::string edition = "Fri, 04 Dec 2026 18:00:00 GMT";
  EXPECT_EQ(get(*server, "news.test", "/", {{"If-Modified-Since", edition}})->status, 304);
  EXPECT_EQ(get(*server, "news.test", "/", {{"If-Modified-Since", "Sat, 05 Dec 2026 08:00:00 GMT"}})->status, 304);
  EXPECT_EQ(get(*server, "news.test", "/", {{"If-Modified-Since", "Thu, 03 Dec 2026 18:00:00 GMT"}})->status, 200);
  EXPECT_EQ(get(*server, "news.test", "/", {{"If-Modified-Since", "not a date"}})->status, 200);
  // A tag that does not match wins over a date that would.
  EXPECT_EQ(get(*server, "news.test", "/", {{"If-None-Match", "\"stale\""}, {"If-Modified-Since", edition}})->status,
            200);
}

TEST_F(SiteServerTest, RefusesASiteOverItsBudgetWithoutHostsOrWithABadHostName) {
  SiteBudget small;
  small.max_files = 3;
  auto over = SiteServer::start(root_.string(), edition_, small);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, banwatch::ErrorCode::kBudgetExceeded);
  EXPECT_NE(over.error().message.find(root_.string()), std::string::npos) << over.error().message;

  auto missing = SiteServer::start((root_ / "nope").string(), edition_);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, banwatch::ErrorCode::kNotFound);
  fs::create_directories(root_ / "bad" / "Not:a host");
  std::ofstream(root_ / "bad" / "Not:a host" / "index.html") << "x";
  auto bad = SiteServer::start((root_ / "bad").string(), edition_);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, banwatch::ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("Not:a host"), std::string::npos) << bad.error().message;
  fs::create_directories(root_ / "empty");
  auto empty = SiteServer::start((root_ / "empty").string(), edition_);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, banwatch::ErrorCode::kNotFound);
}

}  // namespace
