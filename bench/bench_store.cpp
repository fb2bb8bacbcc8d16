// Store benchmark: appends N events with their mentions in batches (one
// transaction per batch) and reports events/s, then times a one-month
// `events --since` query over the result.
//
//   bench_store [--events N] [--events-per-article K] [--batch ARTICLES]
//               [--text-bytes B] [--db PATH|URL] [--keep] [--query-only] [--repeat R]
//
// --db postgresql://... runs against PostgreSQL (open_store picks the
// backend); give it an empty schema (?options=-csearch_path%3DNAME), since
// nothing is removed there before or after.
//
// Targets (docs/store.md): >= 100,000 events/s appended, < 50 ms for the
// one-month query over 1,000,000 events.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store/open/open_store.h"

namespace {

using banwatch::DatePrecision;
using banwatch::PreciseTime;
using banwatch::Timestamp;
using namespace banwatch::store;
using Clock = std::chrono::steady_clock;

struct Options {
  long events = 1'000'000;
  int events_per_article = 4;
  int batch_articles = 2'500;  // 10,000 events per transaction
  int text_bytes = 1'500;
  int repeat = 7;
  std::string db;
  bool keep = false;
  bool query_only = false;  // time the query on an existing --db store
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "bench_store: %s\nusage: bench_store [--events N] [--events-per-article K] [--batch ARTICLES]"
               " [--text-bytes B] [--db PATH] [--keep] [--query-only] [--repeat R]\n",
               message);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage("missing value");
      return argv[++i];
    };
    if (arg == "--events") {
      options.events = std::atol(value());
    } else if (arg == "--events-per-article") {
      options.events_per_article = std::atoi(value());
    } else if (arg == "--batch") {
      options.batch_articles = std::atoi(value());
    } else if (arg == "--text-bytes") {
      options.text_bytes = std::atoi(value());
    } else if (arg == "--repeat") {
      options.repeat = std::atoi(value());
    } else if (arg == "--db") {
      options.db = value();
    } else if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--query-only") {
      options.query_only = true;
      options.keep = true;
    } else {
      usage("unknown option");
    }
  }
  if (options.events <= 0 || options.events_per_article <= 0 || options.batch_articles <= 0 || options.repeat <= 0 ||
      options.text_bytes < 0) {
    usage("values must be positive");
  }
  return options;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// CPU time of this process: on a shared machine the wall clock also counts
// the time other processes held the cores.
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  namespace fs = std::filesystem;
  const std::string path =
      options.db.empty() ? (fs::temp_directory_path() / "banwatch-bench-store.db").string() : options.db;
  if (options.query_only && options.db.empty()) usage("--query-only needs --db");
  const bool is_url = path.starts_with("postgresql://") || path.starts_with("postgres://");
  if (!options.query_only && !is_url) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  }

  auto opened = open_store(path, {});
  if (!opened) {
    std::fprintf(stderr, "bench_store: %s\n", opened.error().message.c_str());
    return 1;
  }
  Store& store = **opened;

  // Synthetic but shaped like real data: 40 vendors, a few thousand actors,
  // the rule pack's actions and statuses; events dated over six years and
  // first seen in date order, so a month holds about 1/70 of them.
  static const char* kActions[] = {"ban", "restrict", "remove_or_replace", "exclude_from_tender", "investigate"};
  static const char* kStatuses[] = {"enacted", "proposed", "considering", "reversed"};
  std::vector<std::string> vendors;
  for (int i = 0; i < 40; ++i) vendors.push_back("Vendor" + std::to_string(i));
  std::mt19937_64 random(20261126);
  const Timestamp first_day = Timestamp(std::chrono::sys_days{std::chrono::year{2021} / 1 / 1});
  const Timestamp last_day = Timestamp(std::chrono::sys_days{std::chrono::year{2026} / 11 / 26});
  const long articles_total = (options.events + options.events_per_article - 1) / options.events_per_article;
  const double seconds_per_article =
      std::chrono::duration<double>(last_day - first_day).count() / static_cast<double>(articles_total);
  std::string filler;
  while (static_cast<int>(filler.size()) < options.text_bytes) {
    filler += "Officials reviewed the network equipment rules and the vendors named in the procurement notice. ";
  }
  filler.resize(static_cast<std::size_t>(options.text_bytes));

  long events_left = options.query_only ? 0 : options.events;
  long article_index = 0;
  long events_appended = 0, mentions_appended = 0;
  double append_seconds = 0, append_cpu_seconds = 0;
  std::vector<Store::ArticleWithEvents> batch;
  while (events_left > 0) {
    batch.clear();
    for (int a = 0; a < options.batch_articles && events_left > 0; ++a, ++article_index) {
      Store::ArticleWithEvents& entry = batch.emplace_back();
      banwatch::model::ArticleRecord& article = entry.article;
      const Timestamp seen = first_day + std::chrono::seconds(static_cast<long>(seconds_per_article * article_index));
      article.url =
          "https://news" + std::to_string(article_index % 97) + ".example/story/" + std::to_string(article_index);
      article.canonical_url = article.url;
      article.item_id = "urn:story:" + std::to_string(article_index);
      article.title = "Story " + std::to_string(article_index) + " on telecom equipment";
      article.published_at = PreciseTime{seen - std::chrono::hours(3), DatePrecision::kMinute};
      article.fetched_at = seen;
      article.language = "en";
      article.text = filler;
      article.content_hash = std::to_string(article_index);
      for (int e = 0; e < options.events_per_article && events_left > 0; ++e, --events_left) {
        banwatch::model::ExtractedEvent& event = entry.events.emplace_back();
        event.vendor = vendors[random() % vendors.size()];
        event.actor = "Agency " + std::to_string(random() % 5000);
        event.actor_type = "government";
        event.action = kActions[random() % 5];
        event.status = kStatuses[random() % 4];
        event.scope = "core network";
        event.event_date = PreciseTime{std::chrono::floor<std::chrono::days>(seen) - std::chrono::days(random() % 30),
                                       DatePrecision::kDay};
        event.evidence = event.actor + " moved against " + event.vendor + " equipment, story " +
                         std::to_string(article_index) + " sentence " + std::to_string(e) + ".";
        event.rule_id = "rule." + std::string(event.action);
        event.rule_pack_version = "bench";
        event.confidence = 0.8;
      }
    }
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    auto appended = store.append_batch(batch, {});
    append_seconds += seconds_since(start);
    append_cpu_seconds += cpu_seconds() - cpu_start;
    if (!appended) {
      std::fprintf(stderr, "bench_store: %s\n", appended.error().message.c_str());
      return 1;
    }
    for (const AppendResult& result : *appended) {
      events_appended += result.events_appended;
      mentions_appended += result.mentions_appended;
    }
  }
  const long extracted = options.events;
  if (options.query_only) {
    auto stats = store.stats();
    events_appended = stats ? stats->events : 0;
  } else {
    std::printf("append: %ld extracted events (%ld articles of %d bytes, %d articles per transaction)\n", extracted,
                article_index, options.text_bytes, options.batch_articles);
    std::printf("append: %ld events + %ld mentions stored in %.2f s (%.2f s of CPU)\n", events_appended,
                mentions_appended, append_seconds, append_cpu_seconds);
    std::printf("append: %.0f extracted events/s (%.0f new events/s, %.0f mentions/s)\n",
                static_cast<double>(extracted) / append_seconds, static_cast<double>(events_appended) / append_seconds,
                static_cast<double>(mentions_appended) / append_seconds);
    std::printf("append: %.0f extracted events per CPU second\n", static_cast<double>(extracted) / append_cpu_seconds);
  }

  // The one-month `events --since` query, on a freshly opened store (the
  // first run reads from the OS page cache, as a CLI invocation would).
  opened->reset();
  auto reopened = open_store(path, {});
  if (!reopened) {
    std::fprintf(stderr, "bench_store: %s\n", reopened.error().message.c_str());
    return 1;
  }
  EventQuery query;
  query.since = last_day - std::chrono::days(30);
  std::vector<double> timings, cpu_timings;
  std::size_t found_events = 0, found_mentions = 0;
  for (int r = 0; r < options.repeat; ++r) {
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    auto found = (*reopened)->query_events(query);
    timings.push_back(seconds_since(start) * 1000.0);
    cpu_timings.push_back((cpu_seconds() - cpu_start) * 1000.0);
    if (!found) {
      std::fprintf(stderr, "bench_store: %s\n", found.error().message.c_str());
      return 1;
    }
    found_events = found->size();
    found_mentions = 0;
    for (const auto& event : *found) found_mentions += event.mentions.size();
  }
  const double first = timings.front();
  std::sort(timings.begin(), timings.end());
  std::sort(cpu_timings.begin(), cpu_timings.end());
  std::printf("query: events --since %s over %ld events: %zu events, %zu mentions\n", "(last 30 days)", events_appended,
              found_events, found_mentions);
  std::printf("query: first %.1f ms, median %.1f ms, best %.1f ms (%d runs)\n", first, timings[timings.size() / 2],
              timings.front(), options.repeat);
  std::printf("query: CPU time median %.1f ms, best %.1f ms\n", cpu_timings[cpu_timings.size() / 2],
              cpu_timings.front());

  // The same query reading the events' cases too (EventQuery::with_timeline,
  // as `events` and the digest do): what the case status and the read-time
  // links cost.
  {
    EventQuery bare = query;
    bare.with_timeline = true;
    std::vector<double> bare_cpu;
    for (int r = 0; r < options.repeat; ++r) {
      const double cpu_start = cpu_seconds();
      auto found = (*reopened)->query_events(bare);
      bare_cpu.push_back((cpu_seconds() - cpu_start) * 1000.0);
      if (!found) return 1;
    }
    std::sort(bare_cpu.begin(), bare_cpu.end());
    std::printf("query: with the case timelines, CPU time median %.1f ms, best %.1f ms\n",
                bare_cpu[bare_cpu.size() / 2], bare_cpu.front());
  }

  // A vendor filter over the same month, the digest's other common shape.
  query.vendors = {"Vendor7"};
  const auto start = Clock::now();
  const double cpu_start = cpu_seconds();
  auto filtered = (*reopened)->query_events(query);
  if (filtered) {
    std::printf("query: same month, one vendor: %zu events in %.1f ms (%.1f ms of CPU)\n", filtered->size(),
                seconds_since(start) * 1000.0, (cpu_seconds() - cpu_start) * 1000.0);
  }
  if (!is_url) {  // a URL may hold a password: not printed
    std::error_code size_error;
    std::printf("store: %.1f MiB on disk (%s)\n",
                static_cast<double>(fs::file_size(path, size_error)) / (1024.0 * 1024.0), path.c_str());
  }
  reopened->reset();
  if (!options.keep && !is_url) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  }
  return 0;
}
