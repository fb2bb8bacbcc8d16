// End to end: the real banwatch binary crawls a loopback server twice.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/lockfile.h"
#include "store/open/open_store.h"
#include "tests/crawler/pipeline_fixture.h"

extern char** environ;

namespace banwatch::crawler {
namespace {

using namespace std::chrono_literals;
using banwatch::testing::Route;
using banwatch::testing::TestServer;
using testing::FeedItem;
using testing::read_fixture;
using testing::rss;

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CrawlEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
    dir_ = testing::temp_dir("e2e");
    db_ = dir_ + "/e2e.db";
    Route article;
    article.body = read_fixture("e2e-ban.html");
    server_.set("/news/sweden-huawei", article);
    Route plain;
    plain.body = read_fixture("article-plain.html");
    server_.set("/news/library", plain);
    Route feed;
    feed.content_type = "application/rss+xml";
    feed.etag = "\"feed-1\"";
    feed.body = rss({{"n1", server_.url("/news/sweden-huawei"), "Sweden bans Huawei from its 5G networks",
                      "The regulator gave operators until 2027."},
                     {"n2", server_.url("/news/library?utm_source=rss"), "City opens a new library branch",
                      "Reading events for children."}});
    server_.set("/feed.xml", feed);
    Route gov;
    gov.content_type = "application/rss+xml";
    gov.last_modified = "Tue, 24 Nov 2026 10:00:00 GMT";
    gov.body = rss({{"https://gov.example/notice/1", server_.url("/news/sweden-huawei"),
                     "Notice: Sweden bans Huawei from 5G networks", "Same story, second source."}});
    server_.set("/gov.xml", gov);
    write_config("all");
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void write_config(const std::string& articles, const std::string& extra_sources = "") {
    std::ofstream out(dir_ + "/banwatch.yaml");
    out << "store:\n  path: " << db_ << "\n"
        << "fetch:\n  host_delay: 0s\n  allow_private_networks: true\n  retries: 1\n  timeout: 10s\n"
        << "crawl:\n  articles: " << articles << "\n  max_item_age: 3650d\n"
        << "rules: " << BANWATCH_SOURCE_DIR << "/rules\n"
        << "sources:\n"
        << "  - name: wire\n    url: " << server_.url("/feed.xml") << "\n    every: 15m\n"
        << "  - name: gov\n    url: " << server_.url("/gov.xml") << "\n    every: 1h\n"
        << extra_sources;
  }

  CliResult cli(std::vector<std::string> args, pid_t* background = nullptr) {
    std::vector<std::string> argv_s = {BANWATCH_BINARY, "--config", dir_ + "/banwatch.yaml"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string out = dir_ + "/out.txt", err = dir_ + "/err.txt";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    EXPECT_EQ(rc, 0);
    CliResult r;
    if (background) {
      *background = pid;
      return r;
    }
    r = wait_for(pid);
    return r;
  }

  CliResult wait_for(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(dir_ + "/out.txt");
    r.err = slurp(dir_ + "/err.txt");
    return r;
  }

  std::unique_ptr<store::Store> open_db() {
    store::StoreOptions so;
    so.create = false;
    auto s = store::open_store(db_, so);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
    return s ? std::move(*s) : nullptr;
  }

  TestServer server_;
  std::string dir_, db_;
};

TEST_F(CrawlEndToEnd, FirstRunStoresArticlesAndEventsSecondRunIsConditionalAndAppendsNothing) {
  auto first = cli({"crawl"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(first.out.empty()) << "quiet on success when not on a terminal: " << first.out;
  auto db = open_db();
  ASSERT_TRUE(db);
  auto stats = db->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->articles, 2);  // the gov item is the same article as the wire's first
  EXPECT_GE(stats->events, 1);
  EXPECT_GE(stats->mentions, 1);
  EXPECT_EQ(server_.hits("/news/sweden-huawei"), 1);
  auto events = db->query_events({});
  ASSERT_TRUE(events.has_value());
  bool found = false;
  for (const auto& e : *events)
    if (e.event.vendor.find("Huawei") != std::string::npos && e.event.action == "ban") found = true;
  EXPECT_TRUE(found) << "no Huawei ban event";
  auto before_events = stats->events, before_mentions = stats->mentions;
  db.reset();

  int feed_hits = server_.hits("/feed.xml") + server_.hits("/gov.xml");
  int page_hits = server_.hits("/news/sweden-huawei") + server_.hits("/news/library");
  auto second = cli({"-v", "crawl", "--all"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("2 not modified"), std::string::npos) << second.out;
  EXPECT_EQ(server_.hits("/feed.xml") + server_.hits("/gov.xml"), feed_hits + 2);
  EXPECT_EQ(server_.last_hit("/feed.xml").if_none_match, "\"feed-1\"");
  EXPECT_EQ(server_.last_hit("/gov.xml").if_modified_since, "Tue, 24 Nov 2026 10:00:00 GMT");
  EXPECT_EQ(server_.hits("/news/sweden-huawei") + server_.hits("/news/library"), page_hits);
  db = open_db();
  auto after = db->stats();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->articles, 2);
  EXPECT_EQ(after->events, before_events);
  EXPECT_EQ(after->mentions, before_mentions);
  EXPECT_EQ(*db->integrity_check(), "ok");
}

TEST_F(CrawlEndToEnd, SecondScheduledRunFetchesNothingNotDue) {
  ASSERT_EQ(cli({"crawl"}).exit_code, 0);
  int total = server_.total_hits();
  ASSERT_EQ(cli({"crawl"}).exit_code, 0);
  EXPECT_EQ(server_.total_hits(), total);
}

TEST_F(CrawlEndToEnd, AnotherRunHoldsTheLockExits75) {
  ASSERT_EQ(cli({"crawl", "--dry-run"}).exit_code, 0);
  auto lock = RunLock::acquire(lock_path_for_store(db_), 0ms);
  ASSERT_TRUE(lock.has_value()) << lock.error().message;
  auto r = cli({"crawl"});
  EXPECT_EQ(r.exit_code, 75) << r.err;
  EXPECT_EQ(server_.hits("/feed.xml"), 1);  // only the dry run fetched
}

TEST_F(CrawlEndToEnd, FailingSourceExits3AndNamesIt) {
  Route broken;
  broken.status = 404;
  broken.body = "no";
  server_.set("/broken.xml", broken);
  write_config("all", "  - name: broken\n    url: " + server_.url("/broken.xml") + "\n");
  auto r = cli({"crawl"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("1 of 3 sources failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 404: 1 (broken)"), std::string::npos) << r.err;
  auto db = open_db();
  EXPECT_EQ(db->stats()->articles, 2);  // the healthy sources were crawled
}

TEST_F(CrawlEndToEnd, SetOverridesArticlePolicy) {
  auto r = cli({"--set", "crawl.articles=none", "crawl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.hits("/news/sweden-huawei"), 0);
  EXPECT_EQ(server_.hits("/news/library"), 0);
}

TEST_F(CrawlEndToEnd, PrivateNetworksRefusedWithoutTheOption) {
  auto r = cli({"--set", "fetch.allow_private_networks=false", "crawl"});
  EXPECT_EQ(r.exit_code, 1) << "no source reached";
  EXPECT_NE(r.err.find("private address refused"), std::string::npos) << r.err;
  EXPECT_EQ(server_.total_hits(), 0);
}

TEST_F(CrawlEndToEnd, SigtermStopsCleanlyAndTheNextRunCompletes) {
  Route slow;
  slow.body = read_fixture("article-plain.html");
  slow.fault = banwatch::testing::Fault::kStall;
  slow.delay = 20s;
  server_.set("/news/library", slow);
  pid_t pid = 0;
  cli({"crawl"}, &pid);
  for (int i = 0; i < 100 && server_.hits("/news/library") == 0; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_GT(server_.hits("/news/library"), 0);
  kill(pid, SIGTERM);
  auto r = wait_for(pid);
  EXPECT_EQ(r.exit_code, 143) << r.err;
  auto db = open_db();
  EXPECT_EQ(*db->integrity_check(), "ok");
  EXPECT_TRUE(db->get_source("wire")->state.etag.empty());  // unfinished: redone next run
  db.reset();
  Route plain;
  plain.body = read_fixture("article-plain.html");
  server_.set("/news/library", plain);
  auto again = cli({"crawl"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  db = open_db();
  EXPECT_EQ(db->stats()->articles, 2);
  EXPECT_EQ(db->get_source("wire")->state.etag, "\"feed-1\"");
}

TEST_F(CrawlEndToEnd, SourcesAddAndRemove) {
  auto add =
      cli({"sources", "add", "extra", server_.url("/extra.xml"), "--every", "15m", "--tag", "test", "--tag", "second"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  auto dup = cli({"sources", "add", "extra", server_.url("/extra.xml")});
  EXPECT_NE(dup.exit_code, 0);
  auto bad = cli({"sources", "add", "bad", "ftp://example.org/feed"});
  EXPECT_EQ(bad.exit_code, 2);
  auto bad_every = cli({"sources", "add", "bad2", server_.url("/x"), "--every", "soon"});
  EXPECT_EQ(bad_every.exit_code, 2);
  auto db = open_db();
  auto src = db->get_source("extra");
  ASSERT_TRUE(src.has_value());
  EXPECT_EQ(src->spec.interval, 15min);
  EXPECT_EQ(src->spec.tags, (std::vector<std::string>{"test", "second"}));
  db.reset();
  auto rm = cli({"sources", "remove", "extra"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  auto rm_again = cli({"sources", "remove", "extra"});
  EXPECT_NE(rm_again.exit_code, 0);
}

}  // namespace
}  // namespace banwatch::crawler
