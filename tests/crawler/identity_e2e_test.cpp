// End to end, event identity: the real banwatch binary crawls a generated
// site of four outlets on a loopback server, where each of eight real events
// is reported two to four times (headline and body, dated and undated,
// several outlets, days apart) and a proposal is enacted ten days later.
// Every real event must be one stored event citing all of its reports, the
// enactment must follow the proposal, and after a later crawl that brings one
// more report of a known event and one new event, `digest --since last`
// must show exactly those two.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "store/open/open_store.h"
#include "tests/crawler/pipeline_fixture.h"

extern char** environ;

namespace banwatch::crawler {
namespace {

using banwatch::testing::Route;
using banwatch::testing::TestServer;
using testing::FeedItem;
using testing::rss;

// One report: a page of an outlet.
struct Report {
  std::string outlet;    // wire | ledger | post | notes
  std::string slug;      // the page's path under the outlet
  int day = 0;           // published on this day of November 2026, at `hour`
  int hour = 9;          //
  std::string headline;  // also the feed item's title
  std::string sentence;  // the report's sentence in the body
  std::string event;     // the real event it reports (the test's name for it)
};

// RFC 822 date of a day in November 2026 (the 1st was a Sunday).
std::string rfc822(int day, int hour) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d Nov 2026 %02d:00:00 GMT", kDays[(day - 1) % 7], day, hour);
  return buffer;
}

std::string iso(int day, int hour) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "2026-11-%02dT%02d:00:00Z", day, hour);
  return buffer;
}

std::string page(const Report& r) {
  return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + r.headline + " | " + r.outlet +
         "</title><meta property=\"article:published_time\" content=\"" + iso(r.day, r.hour) +
         "\"></head><body><article><h1>" + r.headline + "</h1><p>" + r.sentence +
         "</p><p>The announcement was reported by several outlets and discussed by analysts during the week.</p>"
         "</article></body></html>";
}

// The first crawl: eight real events, 2 to 4 reports each.
const std::vector<Report>& first_reports() {
  static const std::vector<Report> reports = {
      // UK, Hikvision, enacted Monday 23 Nov: headline + dated body (with a wire dateline), two undated reports.
      {"wire", "uk-hikvision", 24, 9, "UK bans Hikvision cameras from sensitive sites",
       "LONDON, Nov 24 (Wire) - The United Kingdom on Monday banned Hikvision cameras from sensitive government "
       "sites, the Cabinet Office said.",
       "uk"},
      {"ledger", "cabinet-cameras", 25, 8, "Cabinet Office statement on surveillance cameras",
       "The United Kingdom has banned Hikvision cameras from sensitive government sites.", "uk"},
      // Germany, Huawei: proposed Thursday 12 Nov, enacted ten days later, Sunday 22 Nov.
      {"wire", "germany-proposal", 12, 10, "Germany proposes ban on Huawei 5G gear",
       "Germany on Thursday proposed a ban on Huawei equipment in its 5G core network, the interior ministry said.",
       "germany-proposal"},
      {"ledger", "berlin-draft", 13, 7, "Berlin weighs telecom security law",
       "Germany has proposed a ban on Huawei equipment in its 5G core network.", "germany-proposal"},
      {"wire", "germany-ban", 22, 18, "Germany bans Huawei from 5G core",
       "Germany on Sunday banned Huawei equipment from its 5G core network after the cabinet approved the law.",
       "germany-enacted"},
      {"post", "germany-huawei", 23, 6, "Germany bans Huawei",
       "Germany has banned Huawei equipment from its 5G core network.", "germany-enacted"},
      {"notes", "berlin-5g", 25, 9, "Berlin completes 5G decision",
       "Germany on Sunday banned Huawei equipment from its 5G networks.", "germany-enacted"},
      // France, TikTok, Wednesday 18 Nov.
      {"wire", "france-tiktok", 18, 12, "France bans TikTok on government phones",
       "France on Wednesday banned TikTok on the phones of civil servants, the minister for public service said.",
       "france"},
      {"ledger", "paris-apps", 20, 9, "Paris acts on app security", "France has banned TikTok on government phones.",
       "france"},
      // Italy, Kaspersky, Monday 16 Nov.
      {"wire", "italy-kaspersky", 16, 11, "Italy bans Kaspersky software in public administration",
       "Italy on Monday banned Kaspersky software in its public administration, the cybersecurity agency said.",
       "italy"},
      {"post", "rome-software", 17, 8, "Rome tightens software rules",
       "Italy has banned Kaspersky software in public offices.", "italy"},
      {"notes", "rome-antivirus", 19, 9, "Antivirus ruling in Rome",
       "Italy banned Kaspersky antivirus from public offices on Monday.", "italy"},
      // Canada, ZTE, Friday 20 Nov.
      {"wire", "canada-zte", 20, 15, "Canada bans ZTE equipment from 5G networks",
       "Canada on Friday banned ZTE equipment from its 5G networks, the industry minister said.", "canada"},
      {"post", "ottawa-telecoms", 21, 9, "Ottawa acts on telecoms",
       "Canada has banned ZTE equipment from its 5G networks.", "canada"},
      // Japan, DJI, Thursday 19 Nov.
      {"notes", "japan-dji", 19, 6, "Japan bans DJI drones for government use",
       "Japan on Thursday banned DJI drones from government use, the defence ministry said.", "japan"},
      {"wire", "tokyo-drones", 20, 6, "Tokyo grounds drones", "Japan has banned DJI drones from government use.",
       "japan"},
      // Australia, Dahua, Tuesday 17 Nov: four reports, over four days.
      {"wire", "australia-dahua", 17, 4, "Australia bans Dahua cameras",
       "Australia on Tuesday banned Dahua cameras from defence sites, the defence minister said.", "australia"},
      {"ledger", "canberra-cameras", 18, 9, "Canberra cameras decision",
       "Australia has banned Dahua cameras from defence sites.", "australia"},
      {"post", "defence-sites", 19, 9, "Defence sites cleared",
       "Australia banned Dahua cameras from defence sites on Tuesday.", "australia"},
      {"notes", "cameras-removed", 21, 9, "Cameras removed",
       "Australia has banned Dahua cameras from its defence sites.", "australia"},
  };
  return reports;
}

// The later crawl: one more report of a known event, and one new event.
const std::vector<Report>& later_reports() {
  static const std::vector<Report> reports = {
      {"ledger", "rome-follows", 26, 9, "Rome follows through",
       "Italy has banned Kaspersky software across its public administration.", "italy"},
      {"wire", "spain-hikvision", 26, 12, "Spain bans Hikvision cameras from police stations",
       "Spain on Thursday banned Hikvision cameras from police stations, the interior ministry said.", "spain"},
  };
  return reports;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class IdentityEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
    dir_ = testing::temp_dir("identity");
    db_ = dir_ + "/identity.db";
    publish(first_reports());
    std::ofstream out(dir_ + "/banwatch.yaml");
    out << "store:\n  path: " << db_ << "\n"
        << "fetch:\n  host_delay: 0s\n  allow_private_networks: true\n  retries: 1\n  timeout: 10s\n"
        << "crawl:\n  articles: all\n  max_item_age: 3650d\n"
        << "rules: " << BANWATCH_SOURCE_DIR << "/rules\n"
        << "sources:\n";
    for (const char* outlet : {"wire", "ledger", "post", "notes"}) {
      out << "  - name: " << outlet << "\n    url: " << server_.url(std::string("/") + outlet + "/feed.xml")
          << "\n    every: 15m\n";
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Serves the reports' pages and every outlet's feed (all of its reports so far).
  void publish(const std::vector<Report>& reports) {
    for (const Report& r : reports) {
      Route route;
      route.body = page(r);
      server_.set("/" + r.outlet + "/" + r.slug, route);
      feeds_[r.outlet].push_back({r.outlet + "-" + r.slug, server_.url("/" + r.outlet + "/" + r.slug), r.headline,
                                  "Coverage from " + r.outlet + ".", rfc822(r.day, r.hour)});
      event_of_url_[server_.url("/" + r.outlet + "/" + r.slug)] = r.event;
    }
    for (const auto& [outlet, items] : feeds_) {
      Route feed;
      feed.content_type = "application/rss+xml";
      feed.body = rss(items);
      server_.set("/" + outlet + "/feed.xml", feed);
    }
  }

  struct CliResult {
    int exit_code = -1;
    std::string out, err;
  };

  CliResult cli(std::vector<std::string> args) {
    std::vector<std::string> argv_s = {BANWATCH_BINARY, "--config", dir_ + "/banwatch.yaml"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out = dir_ + "/out.txt", err = dir_ + "/err.txt";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    waitpid(pid, &status, 0);
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  TestServer server_;
  std::string dir_, db_;
  std::map<std::string, std::vector<FeedItem>> feeds_;
  std::map<std::string, std::string> event_of_url_;  // page URL -> the real event it reports
};

TEST_F(IdentityEndToEnd, EveryRealEventIsOneStoredEventAndTheNextDigestShowsExactlyWhatChanged) {
  auto crawled = cli({"crawl", "--all"});
  ASSERT_EQ(crawled.exit_code, 0) << crawled.err;

  auto listed = cli({"events", "--format", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto events = nlohmann::json::parse(listed.out);
  // The stored events of each real event, and the pages each cites.
  std::map<std::string, std::set<std::int64_t>> stored;
  std::map<std::string, std::set<std::string>> cited;
  std::map<std::int64_t, nlohmann::json> by_id;
  for (const auto& e : events) {
    by_id[e["id"].get<std::int64_t>()] = e;
    for (const auto& m : e["mentions"]) {
      const std::string url = m["url"].get<std::string>();
      ASSERT_TRUE(event_of_url_.contains(url)) << url;
      stored[event_of_url_[url]].insert(e["id"].get<std::int64_t>());
      cited[event_of_url_[url]].insert(url);
    }
  }
  std::map<std::string, int> reports;
  for (const Report& r : first_reports()) ++reports[r.event];
  ASSERT_EQ(reports.size(), 8u);
  EXPECT_EQ(events.size(), 8u) << listed.out;
  for (const auto& [event, count] : reports) {
    EXPECT_EQ(stored[event].size(), 1u) << event << " is stored as " << stored[event].size() << " events";
    EXPECT_EQ(cited[event].size(), static_cast<std::size_t>(count)) << event << ": not every report is cited";
  }
  // The enactment follows the proposal; its case now stands enacted.
  ASSERT_EQ(stored["germany-enacted"].size(), 1u);
  ASSERT_EQ(stored["germany-proposal"].size(), 1u);
  const auto& enacted = by_id[*stored["germany-enacted"].begin()];
  const auto& proposed = by_id[*stored["germany-proposal"].begin()];
  EXPECT_EQ(enacted["status"], "enacted");
  EXPECT_EQ(enacted["previous_event_id"], proposed["id"]);
  EXPECT_EQ(proposed["case_status"], "enacted");

  // The first brief takes everything; the next one only what the later crawl brought.
  auto first_brief = cli({"digest", "--format", "json"});
  ASSERT_EQ(first_brief.exit_code, 0) << first_brief.err;
  const auto first_digest = nlohmann::json::parse(first_brief.out);
  EXPECT_EQ(first_digest["event_count"], 8);
  // Cards quote the report, not the wire's dateline.
  bool quoted = false;
  for (const auto& group : first_digest["vendors"]) {
    for (const auto& e : group["events"]) {
      if (e["actor"] != "United Kingdom") continue;
      quoted = true;
      EXPECT_EQ(e["evidence"],
                "The United Kingdom on Monday banned Hikvision cameras from sensitive government sites, "
                "the Cabinet Office said.");
    }
  }
  EXPECT_TRUE(quoted);

  publish(later_reports());
  auto later = cli({"crawl", "--all"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  auto brief = cli({"digest", "--since", "last", "--format", "json"});
  ASSERT_EQ(brief.exit_code, 0) << brief.err;
  const auto digest = nlohmann::json::parse(brief.out);
  EXPECT_EQ(digest["event_count"], 2) << brief.out;
  std::map<std::string, std::string> change_of;
  for (const auto& group : digest["vendors"]) {
    for (const auto& e : group["events"]) change_of[e["vendor"].get<std::string>()] = e["change"];
  }
  EXPECT_EQ(change_of["Hikvision"], "new");
  EXPECT_EQ(change_of["Kaspersky"], "new_citations");
  EXPECT_EQ(digest["changes"]["new_events"], 1);
  EXPECT_EQ(digest["changes"]["known_events_cited"], 1);
  EXPECT_EQ(digest["changes"]["new_citations"], 1);
  // The Italian event is the one stored in the first crawl, now with four citations.
  for (const auto& group : digest["vendors"]) {
    for (const auto& e : group["events"]) {
      if (e["vendor"] != "Kaspersky") continue;
      EXPECT_EQ(e["id"].get<std::int64_t>(), *stored["italy"].begin());
      EXPECT_EQ(e["citations"].size(), 4u);
    }
  }
  // The wire corrects a story: `recrawl --url` replaces the stored text, and
  // `search` finds the new words, not the old ones.
  Report corrected = first_reports().front();
  corrected.sentence += " Officials later extended the measure to hospitals and quarantine centres.";
  Route route;
  route.body = page(corrected);
  server_.set("/" + corrected.outlet + "/" + corrected.slug, route);
  auto recrawled = cli({"recrawl", "--url", server_.url("/" + corrected.outlet + "/" + corrected.slug)});
  ASSERT_EQ(recrawled.exit_code, 0) << recrawled.err;
  auto found = cli({"search", "quarantine", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  ASSERT_FALSE(found.out.empty()) << "search does not find the corrected text";
  EXPECT_EQ(nlohmann::json::parse(found.out.substr(0, found.out.find('\n')))["url"],
            server_.url("/" + corrected.outlet + "/" + corrected.slug));
  // The correction adds no event: it is a new report of nothing new.
  auto after = cli({"events", "--format", "json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(nlohmann::json::parse(after.out).size(), 9u);

  auto integrity = [&] {
    store::StoreOptions so;
    so.create = false;
    auto s = store::open_store(db_, so);
    EXPECT_TRUE(s.has_value());
    return s ? (*s)->integrity_check().value_or("failed") : std::string("failed");
  }();
  EXPECT_EQ(integrity, "ok");
}

}  // namespace
}  // namespace banwatch::crawler
