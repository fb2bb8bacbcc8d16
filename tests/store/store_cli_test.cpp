// The store's commands (events, stats, search, backup) run as a user runs
// them: the banwatch binary against a store this test fills.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/charset.h"
#include "store/open/open_store.h"

namespace banwatch::store {
namespace {

namespace fs = std::filesystem;

Timestamp at(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return Timestamp(sys_days{year{y} / month{m} / day{d}});
}

struct Output {
  int code = -1;
  std::string out;
};

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("banwatch-store-cli-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "store.db").string();
    if (!fs::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
    fill();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void fill() {
    auto opened = open_store(db_, {});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    Store& store = **opened;
    auto wire = store.add_source({.name = "wire", .url = "https://wire.example/feed"});
    ASSERT_TRUE(wire.has_value());
    const auto add = [&](const std::string& slug, Timestamp seen, std::vector<model::ExtractedEvent> events,
                         const std::string& title) {
      model::ArticleRecord a;
      a.source_id = *wire;
      a.url = a.canonical_url = "https://wire.example/" + slug;
      a.title = title;
      a.fetched_at = seen;
      a.published_at = PreciseTime{seen, DatePrecision::kMinute};
      a.text = title + ". The ministry said the Zentel equipment would be removed from core networks.";
      AppendOptions options;
      options.now = seen;
      ASSERT_TRUE(store.append_article(a, events, options).has_value());
    };
    const auto event = [](std::string vendor, std::string status, std::string evidence, PreciseTime date) {
      model::ExtractedEvent e;
      e.vendor = std::move(vendor);
      e.actor = "Germany";
      e.actor_type = "government";
      e.action = "ban";
      e.status = std::move(status);
      e.event_date = date;
      e.evidence = std::move(evidence);
      e.rule_id = "ban.v1";
      e.confidence = 0.75;
      return e;
    };
    add("proposal", at(2026, 1, 5),
        {event("Zentel", "proposed", "Germany, citing security, proposed a Zentel ban.",
               PreciseTime{at(2026, 1, 5), DatePrecision::kDay})},
        "Germany weighs Zentel ban");
    add("enacted", at(2026, 3, 2),
        {event("Zentel", "enacted", "Germany banned \"Zentel\" gear.",
               PreciseTime{at(2026, 3, 1), DatePrecision::kDay}),
         event("Kova", "enacted", "Germany also banned Kova.", PreciseTime{at(2026, 3, 1), DatePrecision::kDay})},
        "Germany bans \x1b[31mZentel\x1b[0m and Kova");
    add("second-report", at(2026, 3, 3),
        {event("Zentel", "enacted", "A second outlet confirmed the Zentel ban.",
               PreciseTime{at(2026, 3, 2), DatePrecision::kDay})},
        "Zentel ban confirmed");
  }

  // One more article with one event, as a crawl would store it.
  void add_event(const std::string& slug, const std::string& vendor, const std::string& actor) {
    auto opened = open_store(db_, {});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    auto sources = (*opened)->list_sources();
    ASSERT_TRUE(sources.has_value() && !sources->empty());
    model::ArticleRecord a;
    a.source_id = sources->front().id;
    a.url = a.canonical_url = "https://wire.example/" + slug;
    a.title = vendor + " news";
    a.fetched_at = at(2026, 4, 1);
    a.text = actor + " banned " + vendor + ".";
    model::ExtractedEvent e;
    e.vendor = vendor;
    e.actor = actor;
    e.actor_type = "regulator";
    e.action = "ban";
    e.status = "enacted";
    e.evidence = a.text;
    e.rule_id = "ban.v1";
    e.confidence = 0.9;
    AppendOptions options;
    options.now = a.fetched_at;
    ASSERT_TRUE((*opened)->append_article(a, {e}, options).has_value());
  }

  // Runs banwatch in the test directory (no banwatch.yaml there: defaults).
  Output run(const std::string& args) {
    const std::string command = "cd '" + dir_.string() + "' && '" + BANWATCH_BINARY + "' --db '" + db_ + "' " + args +
                                " 2>" + (dir_ / "stderr.txt").string();
    Output result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }

  std::string stderr_text() {
    std::ifstream in(dir_ / "stderr.txt");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(StoreCliTest, EventsTableShowsEventsAndNeverPassesTerminalEscapes) {
  Output table = run("events --group cluster");
  ASSERT_EQ(table.code, 0) << stderr_text();
  EXPECT_NE(table.out.find("Zentel"), std::string::npos);
  EXPECT_NE(table.out.find("Kova"), std::string::npos);
  EXPECT_NE(table.out.find("3 events"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("#1"), std::string::npos) << "the enacted event follows the proposal";
  EXPECT_NE(table.out.find("A second outlet confirmed"), std::string::npos) << "both citations listed";
  EXPECT_EQ(table.out.find('\x1b'), std::string::npos) << "a hostile title must not reach the terminal";
}

TEST_F(StoreCliTest, EventsJsonCarriesEventsWithTheirCitations) {
  Output out = run("events --format json");
  ASSERT_EQ(out.code, 0) << stderr_text();
  const auto events = nlohmann::json::parse(out.out);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["status"], "proposed");
  EXPECT_EQ(events[0]["event_date"], "2026-01-05");
  EXPECT_EQ(events[0]["event_date_precision"], "day");
  EXPECT_TRUE(events[0]["previous_event_id"].is_null());
  EXPECT_EQ(events[1]["vendor"], "Zentel");
  EXPECT_EQ(events[1]["previous_event_id"], events[0]["id"]);
  ASSERT_EQ(events[1]["mentions"].size(), 2u) << "one event, two reports";
  EXPECT_EQ(events[1]["mentions"][0]["source"], "wire");
  EXPECT_EQ(events[1]["mentions"][0]["url"], "https://wire.example/enacted");
  EXPECT_EQ(events[1]["first_seen_at"], "2026-03-02T00:00:00Z");

  Output lines = run("events --format jsonl --vendor Kova");
  ASSERT_EQ(lines.code, 0) << stderr_text();
  std::istringstream in(lines.out);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(nlohmann::json::parse(line)["vendor"], "Kova");
    ++count;
  }
  EXPECT_EQ(count, 1);
}

TEST_F(StoreCliTest, EventsCsvQuotesFieldsAndListsCitationsWhenClustered) {
  Output out = run("events --format csv --group cluster --vendor Zentel");
  ASSERT_EQ(out.code, 0) << stderr_text();
  std::istringstream in(out.out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("event_id,event_date,vendor,actor,", 0), 0u) << header;
  EXPECT_NE(header.find("evidence"), std::string::npos);
  // Three citation rows: the proposal, and the enacted event's two reports.
  EXPECT_NE(out.out.find("\"Germany, citing security, proposed a Zentel ban.\""), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("\"Germany banned \"\"Zentel\"\" gear.\""), std::string::npos) << out.out;
  std::string row;
  int rows = 0;
  while (std::getline(in, row)) ++rows;
  EXPECT_EQ(rows, 3);
}

TEST_F(StoreCliTest, EventsFilters) {
  const auto count = [&](const std::string& args) {
    Output out = run("events --format json " + args);
    EXPECT_EQ(out.code, 0) << args << ": " << stderr_text();
    return out.code == 0 ? nlohmann::json::parse(out.out).size() : 999u;
  };
  EXPECT_EQ(count("--since 2026-03-01"), 2u);
  EXPECT_EQ(count("--until 2026-03-02"), 3u) << "--until includes the whole day";
  EXPECT_EQ(count("--until 2026-02"), 1u);
  EXPECT_EQ(count("--since 2026-02-01 --until 2026-03-01"), 0u);
  EXPECT_EQ(count("--by date --since 2026-03-01 --until 2026-03-01"), 2u);
  EXPECT_EQ(count("--vendor Zentel"), 2u);
  EXPECT_EQ(count("--vendor Zentel --vendor Kova --status enacted"), 2u);
  EXPECT_EQ(count("--actor Germany --action ban --status proposed"), 1u);
  EXPECT_EQ(count("--actor France"), 0u);
  EXPECT_EQ(count("--limit 1"), 1u);
  Output newest = run("events --format json --limit 2");
  ASSERT_EQ(newest.code, 0);
  EXPECT_EQ(nlohmann::json::parse(newest.out)[1]["vendor"], "Kova") << "--limit keeps the newest, oldest first";

  Output bad = run("events --since yesterday-ish");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(stderr_text().find("--since 'yesterday-ish'"), std::string::npos) << stderr_text();
  Output bad_format = run("events --format xml");
  EXPECT_EQ(bad_format.code, 2);
}

// Events carry the rule pack's canonical names: a user's "hikvision" or
// "FCC" (an alias in rules/bodies.yaml) finds them.
TEST_F(StoreCliTest, VendorAndActorFiltersResolveThePacksNamesInAnyCase) {
  // One event under the body's name before the pack added its country, one
  // under today's: a query by any of its names finds both.
  add_event("fcc", "Hikvision", "Federal Communications Commission");
  add_event("fcc-now", "Dahua", "U.S. Federal Communications Commission");
  const auto vendors = [&](const std::string& args) {
    Output out = run("events --format json " + args);
    EXPECT_EQ(out.code, 0) << args << ": " << stderr_text();
    std::vector<std::string> found;
    if (out.code == 0)
      for (const auto& e : nlohmann::json::parse(out.out)) found.push_back(e["vendor"]);
    return found;
  };
  const std::vector<std::string> hikvision = {"Hikvision"};
  const auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  const std::vector<std::string> both = {"Dahua", "Hikvision"};
  EXPECT_EQ(vendors("--vendor hikvision"), hikvision);
  EXPECT_EQ(vendors("--vendor HIKVISION"), hikvision);
  EXPECT_EQ(sorted(vendors("--actor FCC")), both);
  EXPECT_EQ(vendors("--actor fcc --vendor Hikvision"), hikvision);
  EXPECT_EQ(sorted(vendors("--actor 'federal communications commission'")), both);
  EXPECT_EQ(sorted(vendors("--actor 'U.S. Federal Communications Commission'")), both);
  EXPECT_EQ(vendors("--vendor Kova"), std::vector<std::string>{"Kova"}) << "a name the pack lacks is kept";
  Output digest = run("digest --since 2026-01-01 --vendor hikvision --format json");
  ASSERT_EQ(digest.code, 0) << stderr_text();
  EXPECT_NE(digest.out.find("Hikvision"), std::string::npos) << digest.out;
  EXPECT_EQ(digest.out.find("Zentel"), std::string::npos) << digest.out;
}

TEST_F(StoreCliTest, BadFilterValuesAreUsageErrorsNamingWhatIsAccepted) {
  Output action = run("events --action banz");
  EXPECT_EQ(action.code, 2);
  EXPECT_NE(stderr_text().find("'banz' is not one of: "), std::string::npos) << stderr_text();
  EXPECT_NE(stderr_text().find("lift_ban"), std::string::npos) << stderr_text();
  Output status = run("events --status enactd");
  EXPECT_EQ(status.code, 2);
  EXPECT_NE(stderr_text().find("considering, enacted, proposed, reversed"), std::string::npos) << stderr_text();
  for (const char* command : {"events --limit -1", "events --limit ten", "search zentel --limit -1"}) {
    Output limit = run(command);
    EXPECT_EQ(limit.code, 2) << command << ": " << stderr_text();
    EXPECT_NE(stderr_text().find("--limit"), std::string::npos) << command << ": " << stderr_text();
    EXPECT_NE(stderr_text().find("expected 0 or more"), std::string::npos) << command << ": " << stderr_text();
  }
}

// A long or non-ASCII name is cut to its column by display width, so every
// column after it starts where the header's does.
TEST_F(StoreCliTest, EventsTableStaysAlignedWhenANameIsCut) {
  add_event("bsi", "Überwachungskameras Großhandel", "Bundesamt für Sicherheit in der Informationstechnik");
  Output table = run("events");
  ASSERT_EQ(table.code, 0) << stderr_text();
  std::istringstream in(table.out);
  std::string header, line, cut;
  std::getline(in, header);
  while (std::getline(in, line))
    if (line.find("Bundesamt") != std::string::npos) cut = line;
  ASSERT_FALSE(cut.empty()) << table.out;
  EXPECT_NE(cut.find("…"), std::string::npos) << cut;
  const auto column = [](const std::string& text, std::size_t byte) { return display_width(text.substr(0, byte)); };
  EXPECT_EQ(column(cut, cut.find("Bundesamt")), column(header, header.find("ACTOR")));
  EXPECT_EQ(column(cut, cut.find("ban ")), column(header, header.find("ACTION")));
  EXPECT_EQ(column(cut, cut.find("enacted")), column(header, header.find("STATUS")));
}

TEST_F(StoreCliTest, StatsCountsPerTableAndVendor) {
  Output out = run("stats --json");
  ASSERT_EQ(out.code, 0) << stderr_text();
  const auto stats = nlohmann::json::parse(out.out);
  EXPECT_EQ(stats["counts"]["articles"], 3);
  EXPECT_EQ(stats["counts"]["events"], 3);
  EXPECT_EQ(stats["counts"]["mentions"], 4);
  EXPECT_EQ(stats["events_per_vendor"][0]["vendor"], "Zentel");
  EXPECT_EQ(stats["events_per_vendor"][0]["events"], 2);
  EXPECT_EQ(stats["schema_version"], sqlite_schema_version());
  Output text = run("stats");
  ASSERT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("events per vendor"), std::string::npos);
  EXPECT_NE(text.out.find("failing sources: 0"), std::string::npos);
}

TEST_F(StoreCliTest, SearchHighlightsMatches) {
  Output out = run("search zentel --limit 2");
  ASSERT_EQ(out.code, 0) << stderr_text();
  EXPECT_NE(out.out.find("[Zentel]"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("2 articles"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find('\x1b'), std::string::npos) << "no escapes when stdout is not a terminal";
  Output since = run("search zentel --since 2026-03-01 --json");
  ASSERT_EQ(since.code, 0);
  std::istringstream in(since.out);
  std::string line;
  int hits = 0;
  while (std::getline(in, line)) {
    EXPECT_NE(nlohmann::json::parse(line)["snippet"].get<std::string>().find('['), std::string::npos);
    ++hits;
  }
  EXPECT_EQ(hits, 2);
}

TEST_F(StoreCliTest, BackupWritesACopyAndRefusesToOverwrite) {
  const std::string copy = (dir_ / "copy.db").string();
  Output out = run("backup '" + copy + "'");
  ASSERT_EQ(out.code, 0) << stderr_text();
  EXPECT_TRUE(fs::exists(copy));
  Output again = run("backup '" + copy + "'");
  EXPECT_NE(again.code, 0);
  EXPECT_NE(stderr_text().find("--force"), std::string::npos);
  EXPECT_EQ(run("backup --force '" + copy + "'").code, 0);
  auto restored = open_store(copy, {.busy_timeout = std::chrono::seconds(1), .read_only = true, .create = false});
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  EXPECT_EQ((*restored)->stats()->mentions, 4);
}

TEST_F(StoreCliTest, AMissingStoreIsAnErrorNotANewEmptyStore) {
  const std::string missing = (dir_ / "typo.db").string();
  const std::string command =
      "cd '" + dir_.string() + "' && '" + BANWATCH_BINARY + "' --db '" + missing + "' events 2>/dev/null >/dev/null";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace banwatch::store
