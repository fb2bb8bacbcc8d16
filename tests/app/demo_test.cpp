// `banwatch demo` and the offline `make run`, through the real binary: the
// bundled sample site served on loopback, crawled into demo.db, the brief;
// conditional GET and robots.txt on a second run; the user's store untouched.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../crawler/test_server.h"
#include "tests/app/run_binary.h"

namespace {

namespace fs = std::filesystem;

using banwatch::testing::Outcome;
using banwatch::testing::read_file;

// One line of --access-log: method, host, path, status, If-None-Match, If-Modified-Since.
struct Hit {
  std::string method, host, path, if_none_match, if_modified_since;
  int status = 0;
};

std::vector<Hit> read_access_log(const fs::path& p) {
  std::vector<Hit> hits;
  std::istringstream in(read_file(p));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      f.push_back(line.substr(start, tab - start));
    f.push_back(line.substr(start));
    if (f.size() != 6) continue;
    hits.push_back({f[0], f[1], f[2], f[4] == "-" ? "" : f[4], f[5] == "-" ? "" : f[5], std::stoi(f[3])});
  }
  return hits;
}

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return "";
  start += 3;
  return url.substr(start, url.find('/', start) - start);
}

class Demo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bw-demo-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome run(const std::string& command) { return banwatch::testing::run_in(dir_, command); }
  Outcome banwatch(const std::string& args) { return run(std::string(BANWATCH_BINARY) + " " + args); }

  // The events of a store, as `banwatch events --format jsonl` gives them.
  std::vector<nlohmann::json> events(const fs::path& db) {
    auto o = banwatch("--db '" + db.string() + "' events --format jsonl");
    EXPECT_EQ(o.code, 0) << o.err;
    std::vector<nlohmann::json> out;
    std::istringstream in(o.out);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
  }

  // A user's configuration: one source on a closed loopback port, so the
  // crawl reaches nothing (what a machine without network sees).
  void write_unreachable_config() {
    std::ofstream(dir_ / "banwatch.yaml") << "store:\n  path: banwatch.db\n"
                                          << "fetch:\n  allow_private_networks: true\n  retries: 0\n"
                                          << "  connect_timeout: 2s\n"
                                          << "sources:\n  - name: unreachable\n    url: http://127.0.0.1:9/feed.xml\n";
  }

  fs::path dir_;
};

TEST_F(Demo, BriefHoldsTenEventsOneCitedByTwoOutletsAndTheUserStoreStaysUntouched) {
  std::ofstream(dir_ / "banwatch.yaml") << "store:\n  path: banwatch.db\n";
  auto o = banwatch("--config banwatch.yaml demo --access-log access.log");
  ASSERT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "banwatch.db")) << "the demo created the configured store";
  ASSERT_TRUE(fs::exists(dir_ / "demo.db"));
  ASSERT_TRUE(fs::exists(dir_ / "demo-brief.html"));
  EXPECT_NE(read_file(dir_ / "demo-brief.html").find("<html"), std::string::npos);
  EXPECT_NE(o.out.find("demo-brief.html"), std::string::npos) << "the output names the HTML brief";

  auto found = events(dir_ / "demo.db");
  EXPECT_GE(found.size(), 10u);
  std::size_t most_outlets = 0;
  std::set<std::string> vendors;
  for (const auto& e : found) {
    vendors.insert(e["vendor"].get<std::string>());
    std::set<std::string> outlets;
    for (const auto& m : e["mentions"]) outlets.insert(host_of(m["url"].get<std::string>()));
    most_outlets = std::max(most_outlets, outlets.size());
    // The brief printed on stdout holds every event.
    EXPECT_NE(o.out.find(e["actor"].get<std::string>()), std::string::npos) << e.dump();
  }
  EXPECT_GE(most_outlets, 2u) << "no event is cited by two outlets";
  // The Tarrow Assembly's TikTok ban, proposed then enacted: a status change.
  const auto status_changes = std::count_if(found.begin(), found.end(),
                                            [](const nlohmann::json& e) { return !e["previous_event_id"].is_null(); });
  EXPECT_EQ(status_changes, 1);
  EXPECT_NE(o.out.find("proposed \u2192 enacted"), std::string::npos) << o.out;
  // The hard negatives give no event: a launch, a denial, a ban of scooters.
  EXPECT_EQ(vendors.count("Xiaomi"), 0u);
  EXPECT_EQ(vendors.count("WeChat"), 0u);
  for (const auto& e : found) EXPECT_NE(e["actor"], "Eastmoor") << e.dump();
}

TEST_F(Demo, SecondRunSendsConditionalGetsHonoursRobotsAndAddsNoEvent) {
  auto first = banwatch("demo --dir out --access-log first.log");
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  const auto events_before = events(dir_ / "out" / "demo.db");
  auto second = banwatch("demo --dir out --access-log second.log");
  ASSERT_EQ(second.code, 0) << second.out << second.err;
  const auto events_after = events(dir_ / "out" / "demo.db");
  EXPECT_EQ(events_after.size(), events_before.size()) << "the second run changed the events";
  std::size_t mentions_before = 0, mentions_after = 0;
  for (const auto& e : events_before) mentions_before += e["mentions"].size();
  for (const auto& e : events_after) mentions_after += e["mentions"].size();
  EXPECT_EQ(mentions_after, mentions_before);

  const auto hits1 = read_access_log(dir_ / "first.log");
  const auto hits2 = read_access_log(dir_ / "second.log");
  ASSERT_FALSE(hits1.empty());
  ASSERT_FALSE(hits2.empty());
  std::set<std::string> robots_hosts, hosts;
  for (const auto& h : hits1) {
    hosts.insert(h.host);
    if (h.path == "/robots.txt") robots_hosts.insert(h.host);
    // meridianwire.test's robots.txt disallows /print/, kestrel-tech.test's /drafts/.
    EXPECT_NE(h.path.rfind("/print/", 0), 0u) << h.host << h.path;
    EXPECT_NE(h.path.rfind("/drafts/", 0), 0u) << h.host << h.path;
    EXPECT_TRUE(h.if_none_match.empty()) << "first run sent a validator for " << h.path;
  }
  EXPECT_GE(hosts.size(), 5u);
  EXPECT_EQ(robots_hosts, hosts) << "robots.txt was not read on every host before its pages";
  // Second run: each feed and sitemap is asked for with its validator and
  // answered 304; no article page is fetched again.
  int conditional = 0;
  for (const auto& h : hits2) {
    EXPECT_NE(h.path.rfind("/print/", 0), 0u) << h.host << h.path;
    if (h.path == "/robots.txt") continue;
    EXPECT_FALSE(h.if_none_match.empty()) << h.host << h.path << " was fetched without its ETag";
    EXPECT_EQ(h.status, 304) << h.host << h.path;
    ++conditional;
  }
  EXPECT_EQ(conditional, 5) << "one conditional GET per source";
  EXPECT_NE(second.out.find("5 not modified"), std::string::npos) << second.out;
}

// The offline `make run`: the configured source cannot be reached, so the
// demo runs after the real crawl; make exits 0, says the real sources were
// not reached, prints a brief, and the user's store holds no demo event.
TEST_F(Demo, OfflineMakeRunShowsTheDemoAndExitsZero) {
  write_unreachable_config();
  // The outer make's jobserver (make test) is not this make's.
  const std::string make = std::string("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C '") +
                           BANWATCH_SOURCE_DIR + "' run-steps BANWATCH='" + BANWATCH_BINARY + "' CONFIG='" +
                           (dir_ / "banwatch.yaml").string() + "'";
  auto o = run(make);
  ASSERT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("real sources were NOT reached"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Norvik Telecommunications Authority"), std::string::npos) << "no demo brief:\n" << o.out;
  EXPECT_TRUE(fs::exists(dir_ / "demo.db"));
  EXPECT_TRUE(fs::exists(dir_ / "demo-brief.html"));
  EXPECT_GE(events(dir_ / "demo.db").size(), 10u);
  ASSERT_TRUE(fs::exists(dir_ / "banwatch.db"));  // the real crawl's store: its failures, no event
  EXPECT_TRUE(events(dir_ / "banwatch.db").empty());
}

// --fallback does nothing after a crawl that reached a source.
TEST_F(Demo, FallbackStaysQuietWhenTheRealSourcesWereReached) {
  banwatch::testing::TestServer server;
  banwatch::testing::Route feed;
  feed.content_type = "application/rss+xml";
  feed.body =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>http://x/</link>"
      "<description>d</description></channel></rss>";
  server.set("/feed.xml", feed);
  std::ofstream(dir_ / "banwatch.yaml") << "store:\n  path: banwatch.db\nfetch:\n  allow_private_networks: true\n"
                                        << "sources:\n  - name: local\n    url: " << server.url("/feed.xml") << "\n";
  auto crawl = banwatch("--config banwatch.yaml crawl");
  ASSERT_EQ(crawl.code, 0) << crawl.err;
  auto o = banwatch("--config banwatch.yaml demo --fallback");
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(o.out.empty()) << o.out;
  EXPECT_FALSE(fs::exists(dir_ / "demo.db"));
}

TEST_F(Demo, FallbackRunsWhenNoSourceWasReached) {
  write_unreachable_config();
  auto crawl = banwatch("--config banwatch.yaml crawl");
  EXPECT_EQ(crawl.code, 3) << crawl.err;
  auto o = banwatch("--config banwatch.yaml demo --fallback --dir out");
  ASSERT_EQ(o.code, 0) << o.out << o.err;
  // One line says so, before anything else.
  EXPECT_EQ(o.out.find("banwatch: the real sources were NOT reached"), 0u) << o.out;
  EXPECT_TRUE(fs::exists(dir_ / "out" / "demo.db"));
  EXPECT_TRUE(events(dir_ / "banwatch.db").empty());
}

TEST_F(Demo, RefusesToWriteTheConfiguredStore) {
  std::ofstream(dir_ / "banwatch.yaml") << "store:\n  path: demo.db\n";
  auto o = banwatch("--config banwatch.yaml demo");
  EXPECT_EQ(o.code, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("configured store"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "demo.db"));
}

}  // namespace
