// Web UI benchmark: builds a store of N events (40 vendors, 5,000 actors,
// six years of dates, cases that move from proposal to enactment), then
// times the pages of `banwatch serve` rendered from it on a freshly opened
// store: a vendor's page (timeline and events), the front page, and
// /api/events. Target (docs/serve.md): a vendor page under 200 ms with
// 1,000,000 events.
//
//   bench_serve [--events N] [--db PATH] [--keep] [--query-only] [--repeat R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "serve/serve.h"
#include "store/open/open_store.h"

namespace {

using namespace banwatch;
using namespace banwatch::store;
using Steady = std::chrono::steady_clock;

struct Options {
  long events = 1'000'000;
  int repeat = 9;
  std::string db;
  bool keep = false;
  bool query_only = false;
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "bench_serve: %s\nusage: bench_serve [--events N] [--db PATH] [--keep] [--query-only] [--repeat R]\n",
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
    } else if (arg == "--repeat") {
      options.repeat = std::atoi(value());
    } else if (arg == "--db") {
      options.db = value();
    } else if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--query-only") {
      options.query_only = options.keep = true;
    } else {
      usage("unknown option");
    }
  }
  if (options.events <= 0 || options.repeat <= 0) usage("values must be positive");
  return options;
}

// Appends `total` events, four per article, 2,500 articles per transaction.
bool build(Store& store, long total) {
  static const char* kActions[] = {"ban", "restrict", "remove_or_replace", "investigate"};
  static const char* kSteps[] = {"proposed", "considering", "enacted", "reversed"};
  std::mt19937_64 random(20261207);
  const Timestamp first_day = Timestamp(std::chrono::sys_days{std::chrono::year{2021} / 1 / 1});
  const long articles = (total + 3) / 4;
  const auto step = std::chrono::seconds(6 * 365 * 86400L / std::max(1L, articles));
  std::vector<Store::ArticleWithEvents> batch;
  long index = 0, left = total;
  while (left > 0) {
    batch.clear();
    for (int a = 0; a < 2'500 && left > 0; ++a, ++index) {
      auto& entry = batch.emplace_back();
      const Timestamp seen = first_day + step * index;
      entry.article.url = "https://news" + std::to_string(index % 97) + ".example/" + std::to_string(index);
      entry.article.canonical_url = entry.article.url;
      entry.article.title = "Story " + std::to_string(index) + " on <telecom> equipment";
      entry.article.published_at = PreciseTime{seen, DatePrecision::kMinute};
      entry.article.fetched_at = seen;
      entry.article.text = "Officials reviewed the network equipment rules.";
      entry.article.content_hash = std::to_string(index);
      for (int e = 0; e < 4 && left > 0; ++e, --left) {
        model::ExtractedEvent& event = entry.events.emplace_back();
        event.vendor = "Vendor" + std::to_string(random() % 40);
        event.actor = "Agency " + std::to_string(random() % 5000);
        event.actor_type = "government";
        event.action = kActions[random() % 4];
        // Later in time, later in the case: most cases move forward.
        event.status = kSteps[std::min<long>(3, static_cast<long>(random() % 3) + index * 2 / std::max(1L, articles))];
        event.event_date = PreciseTime{std::chrono::floor<std::chrono::days>(seen), DatePrecision::kDay};
        event.evidence = event.actor + " moved against " + event.vendor + ", story " + std::to_string(index) + ".";
        event.rule_id = "rule." + event.action;
        event.rule_pack_version = "bench";
        event.confidence = 0.8;
      }
    }
    auto appended = store.append_batch(batch, {});
    if (!appended) {
      std::fprintf(stderr, "bench_serve: %s\n", appended.error().message.c_str());
      return false;
    }
  }
  return true;
}

struct Timing {
  double first = 0, median = 0, best = 0;
  std::size_t bytes = 0;
  int status = 0;
};

Timing time_page(Store& store, const std::string& path, int repeat) {
  serve::Request request;
  request.path = path;
  std::vector<double> ms;
  Timing t;
  for (int r = 0; r < repeat; ++r) {
    const auto start = Steady::now();
    const serve::Response response = serve::handle(store, request, {});
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
    t.bytes = response.body.size();
    t.status = response.status;
  }
  t.first = ms.front();
  std::sort(ms.begin(), ms.end());
  t.median = ms[ms.size() / 2];
  t.best = ms.front();
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  namespace fs = std::filesystem;
  const std::string path =
      options.db.empty() ? (fs::temp_directory_path() / "banwatch-bench-serve.db").string() : options.db;
  if (options.query_only && options.db.empty()) usage("--query-only needs --db");
  if (!options.query_only) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
    auto opened = open_store(path, {});
    if (!opened) {
      std::fprintf(stderr, "bench_serve: %s\n", opened.error().message.c_str());
      return 1;
    }
    const auto start = Steady::now();
    if (!build(**opened, options.events)) return 1;
    std::printf("build: %ld events in %.1f s\n", options.events,
                std::chrono::duration<double>(Steady::now() - start).count());
  }
  auto reopened = open_store(path, {});
  if (!reopened) {
    std::fprintf(stderr, "bench_serve: %s\n", reopened.error().message.c_str());
    return 1;
  }
  auto stats = (*reopened)->stats();
  std::printf("store: %lld events, %lld mentions\n", stats ? static_cast<long long>(stats->events) : -1LL,
              stats ? static_cast<long long>(stats->mentions) : -1LL);
  int failures = 0;
  for (const std::string page : {"/vendors/Vendor7", "/", "/api/events", "/events/500000"}) {
    const Timing t = time_page(**reopened, page, options.repeat);
    std::printf("page %-18s status %d, %7zu bytes: first %.1f ms, median %.1f ms, best %.1f ms (%d runs)\n",
                page.c_str(), t.status, t.bytes, t.first, t.median, t.best, options.repeat);
    if (t.status != 200 && t.status != 404) ++failures;
  }
  if (!options.keep) {
    reopened->reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  }
  return failures == 0 ? 0 : 1;
}
