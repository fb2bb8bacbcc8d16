// The operator's day, through the real binary against feeds served on
// loopback: crawl exit codes (0 all, 3 some, 1 none reached), the shipped
// systemd units and cron line that always attempt the brief and still fail
// on an outage, failures grouped by root cause, `-q` that speaks only of
// changes, the progress line on a terminal only, and the store as the one
// home of sources.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../crawler/test_server.h"
#include "run_in_dir.h"

namespace {

namespace fs = std::filesystem;
using banwatch::testing::Route;
using banwatch::testing::TestServer;

using banwatch::testing::Outcome;
using banwatch::testing::read_file;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Route feed_route(const std::string& items) {
  Route r;
  r.content_type = "application/rss+xml";
  r.body =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>http://x/</link>"
      "<description>d</description>" +
      items + "</channel></rss>";
  return r;
}

// An item the rule pack reads as a ban (the feed's content is the article).
const char* kBanItem =
    "<item><title>Germany bans Huawei from its 5G networks</title>"
    "<link>http://127.0.0.1:1/huawei</link><guid>huawei-ban-1</guid>"
    "<pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate>"
    "<description>Germany banned Huawei equipment from its 5G networks on Monday, the interior ministry "
    "said.</description></item>";

class Ops : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = banwatch::testing::fresh_test_directory("bw-ops");
    fs::create_directories(dir_ / "briefs");
    server_.set("/feed.xml", feed_route(""));
    server_.set("/other.xml", feed_route(""));
  }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome run(const std::string& command, const std::string& env = "") {
    return banwatch::testing::run_in(dir_, command, env);
  }
  Outcome banwatch(const std::string& args) { return run(std::string(BANWATCH_BINARY) + " " + args); }

  // A configuration with these sources (name, URL), no articles fetched
  // (the feed's content is the article), no retries, no host delay.
  void write_config(const std::vector<std::pair<std::string, std::string>>& sources,
                    const std::string& file = "banwatch.yaml") {
    std::ofstream c(dir_ / file);
    c << "store:\n  path: banwatch.db\nfetch:\n  allow_private_networks: true\n  retries: 0\n"
      << "  connect_timeout: 2s\n  timeout: 5s\n  host_delay: 0s\ncrawl:\n  articles: none\n"
      << "digest:\n  out: briefs/\nsources:\n";
    for (const auto& [name, url] : sources) c << "  - name: " << name << "\n    url: " << url << "\n";
  }

  std::string dead(const std::string& path) { return "http://127.0.0.1:9" + path; }  // a closed port

  TestServer server_;
  fs::path dir_;
};

// ---- 1. exit codes -----------------------------------------------------------

TEST_F(Ops, CrawlExitsZeroWhenAllThreeWhenSomeAndOneWhenNoSourceWasReached) {
  write_config({{"up", server_.url("/feed.xml")}, {"up-too", server_.url("/other.xml")}}, "all.yaml");
  auto all = banwatch("--config all.yaml --db all.db crawl");
  EXPECT_EQ(all.code, 0) << all.err;

  write_config({{"up", server_.url("/feed.xml")}, {"down", dead("/a.xml")}}, "some.yaml");
  auto some = banwatch("--config some.yaml --db some.db crawl");
  EXPECT_EQ(some.code, 3) << some.err;

  write_config({{"down", dead("/a.xml")}, {"down-too", dead("/b.xml")}}, "none.yaml");
  auto none = banwatch("--config none.yaml --db none.db crawl");
  EXPECT_EQ(none.code, 1) << "a total outage is not a partial success\n" << none.err;
}

// The shipped digest unit, run as systemd runs it: its ExecStart through
// /bin/sh with $$ read as $, banwatch and the paths pointed at this test.
struct Unit {
  std::string exec_start;
  std::vector<int> success_statuses{0};
  std::string environment;
};

Unit read_unit(const fs::path& path) {
  std::string text = read_file(path);
  // systemd joins a line ending in a backslash with the next one.
  text = std::regex_replace(text, std::regex("\\\\\n"), " ");
  Unit unit;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("ExecStart=", 0) == 0) unit.exec_start = line.substr(10);
    if (line.rfind("Environment=", 0) == 0) unit.environment = line.substr(12);
    if (line.rfind("SuccessExitStatus=", 0) == 0) {
      std::istringstream codes(line.substr(18));
      for (int c; codes >> c;) unit.success_statuses.push_back(c);
    }
  }
  return unit;
}

bool unit_succeeds(const Unit& unit, int code) {
  return std::find(unit.success_statuses.begin(), unit.success_statuses.end(), code) != unit.success_statuses.end();
}

TEST_F(Ops, ShippedUnitsAlwaysAttemptTheBriefAndCountAnOutageAsAFailure) {
  const fs::path units = fs::path(BANWATCH_SOURCE_DIR) / "deploy" / "systemd";
  Unit digest = read_unit(units / "banwatch-digest.service");
  Unit crawl = read_unit(units / "banwatch-crawl.service");
  ASSERT_FALSE(digest.exec_start.empty());
  EXPECT_TRUE(unit_succeeds(crawl, 3)) << "a partial crawl is not a unit failure";
  EXPECT_FALSE(unit_succeeds(crawl, 1)) << "a total outage must fail the crawl unit";

  std::string command = std::regex_replace(digest.exec_start, std::regex("\\$\\$"), "$");
  command = std::regex_replace(command, std::regex("/usr/local/bin/banwatch"), BANWATCH_BINARY);
  command = std::regex_replace(command, std::regex("/var/lib/node_exporter/textfile"), dir_.string());
  ASSERT_EQ(digest.environment.rfind("BANWATCH_CONFIG=", 0), 0u) << digest.environment;

  const auto run_unit = [&](const std::string& config) {
    fs::remove(dir_ / "banwatch_digest.prom");
    // The command as systemd starts it: no shell around it but its own.
    return run(command, "BANWATCH_CONFIG=" + config);
  };
  write_config({{"down", dead("/a.xml")}, {"down-too", dead("/b.xml")}}, "none.yaml");
  auto outage = run_unit("none.yaml");
  EXPECT_EQ(outage.code, 1) << outage.err;
  EXPECT_FALSE(unit_succeeds(digest, outage.code)) << "an outage counted as success";
  EXPECT_TRUE(fs::exists(dir_ / "banwatch_digest.prom")) << "the brief was not attempted after an outage";

  write_config({{"up", server_.url("/feed.xml")}, {"down", dead("/c.xml")}}, "some.yaml");
  auto partial = run_unit("some.yaml");
  EXPECT_TRUE(unit_succeeds(digest, partial.code)) << partial.code << partial.err;
  EXPECT_TRUE(fs::exists(dir_ / "banwatch_digest.prom")) << "the brief was not attempted after a partial crawl";

  write_config({{"up", server_.url("/feed.xml")}}, "all.yaml");
  auto good = run_unit("all.yaml");
  EXPECT_EQ(good.code, 0) << good.err;
  EXPECT_TRUE(fs::exists(dir_ / "banwatch_digest.prom"));
}

TEST_F(Ops, DeployDocShowsTheShippedUnitsAndTheCronLineAttemptsTheBrief) {
  const fs::path root(BANWATCH_SOURCE_DIR);
  const std::string doc = read_file(root / "docs" / "deploy.md");
  for (const char* unit :
       {"banwatch-crawl.service", "banwatch-digest.service", "banwatch-crawl.timer", "banwatch-digest.timer"}) {
    EXPECT_NE(doc.find(read_file(root / "deploy" / "systemd" / unit)), std::string::npos)
        << "docs/deploy.md does not show deploy/systemd/" << unit << " as shipped";
  }
  // The morning line: crawl; digest whatever the crawl did; the crawl's status.
  std::istringstream lines(doc);
  std::string cron;
  for (std::string line; std::getline(lines, line);)
    if (line.find("digest --deliver") != std::string::npos && line.rfind("15 ", 0) == 0) cron = line;
  ASSERT_FALSE(cron.empty()) << "no morning cron line in docs/deploy.md";
  EXPECT_EQ(cron.find("crawl --wait 600 &&"), std::string::npos) << "the brief waits on a fully good crawl:\n" << cron;
  // Run its command part against this test's outage.
  std::string command = cron.substr(cron.find("{"));
  command = command.substr(0, command.rfind("}") + 1);
  command = std::regex_replace(command, std::regex("banwatch --config /etc/banwatch/banwatch.yaml"),
                               std::string(BANWATCH_BINARY) + " --config none.yaml");
  command = std::regex_replace(command, std::regex("/var/lib/node_exporter/textfile"), dir_.string());
  write_config({{"down", dead("/a.xml")}}, "none.yaml");
  auto outage = run("sh -c '" + command + "'");
  EXPECT_EQ(outage.code, 1) << command << "\n" << outage.err;
  EXPECT_TRUE(fs::exists(dir_ / "banwatch_digest.prom")) << "the cron line skipped the brief";
}

// ---- 3. failures by root cause -------------------------------------------------

TEST_F(Ops, FailuresAreGroupedByRootCauseInCrawlStatsAndTheBrief) {
  std::vector<std::pair<std::string, std::string>> sources = {{"up", server_.url("/feed.xml")}};
  for (int i = 0; i < 6; ++i)
    sources.push_back({"gone-" + std::to_string(i), "http://gone-" + std::to_string(i) + ".invalid/feed.xml"});
  sources.push_back({"missing", server_.url("/no-such-feed.xml")});
  write_config(sources);
  auto crawl = banwatch("crawl");
  EXPECT_EQ(crawl.code, 3) << crawl.err;
  // One block: a head line and a line per cause, not a line per source.
  EXPECT_NE(crawl.err.find("7 of 8 sources failed"), std::string::npos) << crawl.err;
  EXPECT_NE(crawl.err.find("DNS failure: 6 (gone-"), std::string::npos) << crawl.err;
  EXPECT_NE(crawl.err.find("and 3 more)"), std::string::npos) << crawl.err;
  EXPECT_NE(crawl.err.find("HTTP 404: 1 (missing)"), std::string::npos) << crawl.err;
  EXPECT_EQ(crawl.err.find("robots.txt unreachable"), std::string::npos) << "not the root cause:\n" << crawl.err;
  EXPECT_LE(count(crawl.err, "\n"), 3u) << crawl.err;
  // -v: the full error per source, leading with the root cause.
  auto verbose = banwatch("-v crawl --all");
  EXPECT_NE(verbose.err.find("gone-0: http://gone-0.invalid/feed.xml: DNS failure"), std::string::npos) << verbose.err;

  auto stats = banwatch("stats");
  EXPECT_EQ(stats.code, 0) << stats.err;
  EXPECT_NE(stats.out.find("failing sources: 7\n  DNS failure: 6 (gone-"), std::string::npos) << stats.out;
  EXPECT_EQ(stats.out.find("robots.txt"), std::string::npos) << stats.out;

  auto brief = banwatch("digest --since 7d --format text --out brief.txt");
  EXPECT_EQ(brief.code, 0) << brief.err;
  const std::string text = read_file(dir_ / "brief.txt");
  ASSERT_NE(text.find("Run health"), std::string::npos) << text;
  const std::string health = text.substr(text.find("Run health"));
  EXPECT_NE(health.find("DNS failure: 6 (gone-"), std::string::npos) << health;
  EXPECT_LE(count(health, "\n"), 6u) << "the run health runs longer than the causes:\n" << health;
}

// ---- 4. -q ---------------------------------------------------------------------

TEST_F(Ops, QuietCrawlSpeaksOnlyOfNewFailuresAndFoundEvents) {
  write_config({{"up", server_.url("/feed.xml")}, {"down", dead("/a.xml")}});
  auto first = banwatch("-q crawl");
  EXPECT_EQ(first.code, 3);
  EXPECT_TRUE(first.out.empty()) << first.out;
  EXPECT_NE(first.err.find("1 newly failing"), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("(down)"), std::string::npos) << first.err;

  auto again = banwatch("-q crawl --all");
  EXPECT_EQ(again.code, 3);
  EXPECT_TRUE(again.out.empty()) << again.out;
  EXPECT_TRUE(again.err.empty()) << "the same failure as last time is not news:\n" << again.err;

  server_.set("/feed.xml", feed_route(kBanItem));
  auto found = banwatch("-q crawl --all");
  EXPECT_EQ(found.code, 3);
  EXPECT_NE(found.out.find("1 events"), std::string::npos) << found.out << found.err;
  EXPECT_TRUE(found.err.empty()) << found.err;
  // Nothing new to extract: reextract -q says nothing.
  auto reextract = banwatch("-q reextract");
  EXPECT_EQ(reextract.code, 0) << reextract.err;
  EXPECT_TRUE(reextract.out.empty() && reextract.err.empty()) << reextract.out << reextract.err;
}

// ---- 5. progress on a terminal ------------------------------------------------

// Runs banwatch with standard error on a pseudo-terminal; returns what it drew there.
std::string run_on_terminal(const fs::path& dir, const std::string& args) {
  int master = -1, slave = -1;
  if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return "openpty failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(master);
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(slave, STDERR_FILENO);
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    ::unsetenv("BANWATCH_CONFIG");
    ::unsetenv("BANWATCH_DB");
    ::execl("/bin/sh", "sh", "-c", (std::string(BANWATCH_BINARY) + " " + args).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(slave);
  std::string drawn;
  char buffer[4096];
  for (;;) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 20000) <= 0) break;
    ssize_t n = ::read(master, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child closed the terminal
    drawn.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return drawn;
}

TEST_F(Ops, ProgressLineOnATerminalOnly) {
  server_.set("/feed.xml", feed_route(kBanItem));
  write_config({{"up", server_.url("/feed.xml")}, {"up-too", server_.url("/other.xml")}, {"down", dead("/a.xml")}});
  const std::string crawl = run_on_terminal(dir_, "crawl");
  EXPECT_NE(crawl.find("\r\033[Kcrawl: 3/3 sources, 1 failed"), std::string::npos) << crawl;
  const std::string reextract = run_on_terminal(dir_, "reextract");
  EXPECT_NE(reextract.find("\r\033[Kreextract: 1/1 articles"), std::string::npos) << reextract;
  const std::string recrawl = run_on_terminal(dir_, "recrawl --source up --allow-private-networks");
  EXPECT_NE(recrawl.find("\r\033[Krecrawl: "), std::string::npos) << recrawl;
  EXPECT_EQ(run_on_terminal(dir_, "-q crawl --all").find('\r'), std::string::npos) << "-q draws no progress";

  // Not a terminal (cron, a pipe, a log file): no progress line.
  for (const char* args : {"crawl --all", "reextract", "recrawl --source up --allow-private-networks"}) {
    auto o = banwatch(args);
    EXPECT_EQ(o.err.find('\r'), std::string::npos) << args << ": " << o.err;
  }
}

// ---- 2. one home for sources ----------------------------------------------------

TEST_F(Ops, RemovedConfiguredSourcesStayRemoved) {
  write_config({{"up", server_.url("/feed.xml")}, {"up-too", server_.url("/other.xml")}});
  auto removed = banwatch("sources remove up-too");
  ASSERT_EQ(removed.code, 0) << removed.err;
  auto list = banwatch("sources list");
  EXPECT_EQ(list.out.find("up-too"), std::string::npos) << "removed, yet listed:\n" << list.out;
  ASSERT_EQ(banwatch("crawl --all").code, 0);
  EXPECT_EQ(banwatch("sources list").out.find("up-too"), std::string::npos) << "the next start added it back";
  // And back, on request.
  auto added = banwatch("sources add up-too " + server_.url("/other.xml"));
  EXPECT_EQ(added.code, 0) << added.err;
  EXPECT_NE(banwatch("sources list").out.find("up-too"), std::string::npos);
}

TEST_F(Ops, RemovedDefaultSourcesStayRemoved) {
  // `init` writes the default configuration, whose sources seed the store.
  ASSERT_EQ(banwatch("init").code, 0);
  ASSERT_NE(banwatch("sources list").out.find("reuters-news-sitemap"), std::string::npos);
  auto removed = banwatch("sources remove reuters-news-sitemap");
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_EQ(banwatch("sources list").out.find("reuters-news-sitemap"), std::string::npos)
      << "removed, and listed again at the next start";
  EXPECT_NE(banwatch("sources list").out.find("bloomberg-technology"), std::string::npos);
}

TEST_F(Ops, DisabledSourcesAreListedAsSuchAndNotCrawled) {
  write_config({{"up", server_.url("/feed.xml")}, {"down", dead("/a.xml")}});
  auto disabled = banwatch("sources disable down");
  ASSERT_EQ(disabled.code, 0) << disabled.err;
  auto list = banwatch("sources list");
  std::istringstream lines(list.out);
  std::string down_line;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("down ", 0) == 0) down_line = line;
  EXPECT_NE(down_line.find("disabled"), std::string::npos) << list.out;
  auto crawl = banwatch("crawl --all");
  EXPECT_EQ(crawl.code, 0) << "the disabled source was crawled:\n" << crawl.err;
  EXPECT_EQ(banwatch("crawl --source down").code, 2);
  ASSERT_EQ(banwatch("sources enable down").code, 0);
  EXPECT_EQ(banwatch("crawl --all").code, 3);
}

TEST_F(Ops, ASecondSourceWithTheSameUrlIsRefused) {
  write_config({{"up", server_.url("/feed.xml")}});
  auto dup = banwatch("sources add again " + server_.url("/feed.xml"));
  EXPECT_EQ(dup.code, 1);
  EXPECT_NE(dup.err.find("source up already has the URL"), std::string::npos) << dup.err;
  EXPECT_EQ(banwatch("sources list").out.find("again"), std::string::npos);
  EXPECT_EQ(banwatch("sources add other " + server_.url("/other.xml")).code, 0);
}

}  // namespace
