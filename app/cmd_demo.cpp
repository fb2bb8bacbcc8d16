// banwatch demo: the whole job on the bundled sample site, served by banwatch
// itself on a loopback port for the length of the run: crawl (robots.txt,
// conditional GET, politeness) -> extraction -> a separate store (demo.db) ->
// the brief, as text on stdout and as an HTML file. The user's configuration
// and store are never written. `make run` calls it with --fallback after the
// real crawl: it then runs only when that crawl reached none of the sources.
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "app/app.h"
#include "app/site_server.h"
#include "common/lockfile.h"
#include "common/version.h"
#include "crawler/fetcher.h"
#include "crawler/pipeline.h"
#include "digest/atomic_file.h"
#include "digest/digest.h"
#include "digest/render.h"
#include "parsers/rules.h"

namespace banwatch::app {
namespace {

namespace fs = std::filesystem;

// The sample site's edition: its Last-Modified, and the brief's clock.
constexpr const char* kSiteEdition = "2026-12-04T18:00:00Z";

struct DemoOptions {
  std::string dir;   // where demo.db and demo-brief.html go; "" = the configuration file's directory
  std::string data;  // the demo directory (site/ and banwatch-demo.yaml); "" = bundled
  bool fallback = false;
  std::string access_log;   // the sample site's requests, one a line
  double wait_seconds = 0;  // for another demo run's lock
};

// The bundled demo directory: the source tree's (a checkout's `make run`),
// else the installed one.
Result<std::string> find_demo_data(const std::string& given) {
  if (!given.empty()) {
    if (fs::is_directory(given)) return given;
    return fail(ErrorCode::kNotFound, "demo data " + given + ": no such directory");
  }
  for (const std::string& candidate :
       {std::string(BANWATCH_SOURCE_DIR) + "/demo", std::string(BANWATCH_INSTALL_DATADIR) + "/demo"}) {
    if (fs::is_regular_file(candidate + "/banwatch-demo.yaml")) return candidate;
  }
  return fail(ErrorCode::kNotFound, "the demo's sample site is not installed (looked in " +
                                        std::string(BANWATCH_SOURCE_DIR) + "/demo and " + BANWATCH_INSTALL_DATADIR +
                                        "/demo; give --data DIR)");
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  // absolute() first: weakly_canonical leaves a relative path relative when
  // none of it exists yet.
  const auto ca = fs::weakly_canonical(fs::absolute(a, ec1), ec1);
  const auto cb = fs::weakly_canonical(fs::absolute(b, ec2), ec2);
  return !ec1 && !ec2 && ca == cb;
}

// --fallback: did the configured sources' last crawl reach any of them?
// The user's store is only read (and not created when it does not exist).
struct LastCrawl {
  bool reached = false;
  int failed = 0;
  std::string when;
};

Result<LastCrawl> last_crawl(Context& ctx) {
  LastCrawl out;
  if (ctx.store_path().find("://") == std::string::npos && !fs::exists(ctx.store_path())) return out;
  auto store = ctx.store(/*create=*/false);
  if (!store) return std::unexpected(store.error());
  auto run = (*store)->last_run("crawl", /*successful_only=*/false);
  if (!run) return std::unexpected(run.error());
  if (!*run) return out;
  out.reached = (*run)->fetched > 0 || (*run)->not_modified > 0;
  out.failed = (*run)->failed;
  out.when = format_iso8601((*run)->started_at);
  return out;
}

Status write_access_log(const std::string& path, const std::vector<SiteRequest>& requests) {
  std::string text;
  for (const auto& r : requests)
    text += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", r.method, r.host, r.path, r.status,
                        r.if_none_match.empty() ? "-" : r.if_none_match,
                        r.if_modified_since.empty() ? "-" : r.if_modified_since);
  return digest::write_file_atomic(path, text);
}

int run_demo(Context& ctx, const DemoOptions& o) {
  if (o.fallback) {
    auto last = last_crawl(ctx);
    if (!last) return ctx.report(last.error().with_context("demo --fallback: the configured store"));
    if (last->reached) {
      spdlog::info("demo: the last crawl reached the configured sources; no demo");
      return kExitOk;
    }
    std::cout << fmt::format(
                     "banwatch: the real sources were NOT reached ({}); here instead is the demo on the bundled "
                     "sample site (invented articles), into its own store (the configured store is not touched)",
                     last->when.empty() ? std::string("no crawl has run")
                                        : fmt::format("the crawl of {} reached none of its {} sources: no network?",
                                                      last->when, last->failed))
              << std::endl;
  }

  auto data = find_demo_data(o.data);
  if (!data) return ctx.report(data.error());
  std::string dir = o.dir;
  if (dir.empty()) {
    dir = fs::path(ctx.options.config_path).parent_path().string();
    if (dir.empty()) dir = ".";
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return ctx.report(Error(ErrorCode::kIo, "demo directory " + dir + ": " + ec.message()));
  const std::string db = (fs::path(dir) / "demo.db").string();
  const std::string html_path = (fs::path(dir) / "demo-brief.html").string();
  if (same_file(db, ctx.store_path()))
    return ctx.report(Error(ErrorCode::kInvalidArgument,
                            "demo: " + db + " is the configured store; the demo writes only its own store"));
  // The rule pack the configured crawl uses: the same pipeline.
  auto rules_path = ctx.rules_path();
  if (!rules_path) return ctx.report(rules_path.error());
  auto rules = rules::RuleEngine::load(*rules_path);
  if (!rules) return ctx.report(rules.error());

  // The demo's own configuration (its sources are the sample site's feeds
  // and sitemap) and store: a second context, so the user's stay unread.
  Context demo;
  demo.options.config_path = *data + "/banwatch-demo.yaml";
  demo.options.config_explicit = true;
  demo.options.db = db;
  demo.options.verbosity = ctx.options.verbosity;
  demo.options.log_format = ctx.options.log_format;
  auto loaded = demo.config();
  if (!loaded) return ctx.report(loaded.error());
  Config config = **loaded;
  config.store.path = db;

  auto lock = RunLock::acquire(lock_path_for_store(db), wait_for(o.wait_seconds));
  if (!lock) return ctx.report(lock.error());
  auto edition = parse_precise(kSiteEdition);
  auto server = SiteServer::start(*data + "/site", edition->time);
  if (!server) return ctx.report(server.error());
  std::cout << fmt::format(
                   "banwatch demo: the sample site ({} outlets, {} files, invented articles) served on "
                   "127.0.0.1:{} for this run",
                   (*server)->hosts().size(), (*server)->files(), (*server)->port())
            << std::endl;

  auto store = demo.store();
  if (!store) return ctx.report(store.error());
  if (auto st = demo.sync_sources(); !st) return ctx.report(st.error());

  // Only the sample site's hosts, only on the loopback address it listens on.
  auto fetch_options = crawler::FetcherOptions::from_config(config.fetch);
  fetch_options.allow_private_networks = false;
  fetch_options.allowed_private_addresses = {"127.0.0.1"};
  fetch_options.connect_to = (*server)->connect_to();
  auto fetcher = crawler::Fetcher::create(fetch_options);
  if (!fetcher) return ctx.report(fetcher.error());

  SystemClock clock;
  crawler::CrawlDeps deps;
  deps.store = *store;
  deps.rules = rules->get();
  deps.config = &config;
  deps.clock = &clock;
  deps.fetcher = fetcher->get();
  crawler::CrawlOptions options;
  options.all = true;  // every source each run: the second run shows the conditional GETs
  auto started = std::chrono::steady_clock::now();
  auto crawled = crawler::crawl(deps, options);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  const auto requests = (*server)->requests();
  server->reset();  // the site is served for the crawl only
  if (!o.access_log.empty()) {
    if (auto st = write_access_log(o.access_log, requests); !st) return ctx.report(st.error());
  }
  if (!crawled) return ctx.report(crawled.error());
  const auto& s = *crawled;
  int robots = 0, not_modified = 0;
  for (const auto& r : requests) {
    robots += r.path == "/robots.txt";
    not_modified += r.status == 304;
  }
  std::cout << fmt::format(
                   "crawl: {} sources, {} fetched ({} not modified), {} failed; {} new items, {} pages, {} articles "
                   "stored, {} events, {} mentions in {}\n",
                   s.sources, s.fetched, s.not_modified, s.failed, s.items_new, s.pages_fetched, s.articles_stored,
                   s.events_appended, s.mentions_appended, format_duration(elapsed))
            << fmt::format("sample site: {} requests, {} for robots.txt, {} answered 304 Not Modified\n",
                           requests.size(), robots, not_modified);
  std::cerr << failures_block(ctx, s.failures, s.sources, "demo");

  // The brief of everything the demo store holds (every run shows it whole).
  digest::BuildOptions build;
  build.now = clock.now();
  build.title = "banwatch demo brief (sample site, invented articles)";
  auto brief = digest::build_digest(**store, build);
  if (!brief) return ctx.report(brief.error());
  std::cout << "\n" << digest::render(*brief, digest::Format::kText) << std::flush;
  if (auto st = digest::write_file_atomic(html_path, digest::render(*brief, digest::Format::kHtml)); !st)
    return ctx.report(st.error());
  const std::string html_abs = fs::absolute(html_path).lexically_normal().string();
  std::cout << fmt::format("\nbanwatch demo: {} events in the brief; the HTML brief is {} (open file://{})\n",
                           brief->event_count(), html_abs, html_abs)
            << fmt::format(
                   "banwatch demo: its store is {} (banwatch --db {} events); run it again to see the "
                   "conditional GETs\n",
                   db, db);
  return s.failed > 0 ? kExitFailure : kExitOk;
}

}  // namespace

void add_demo_command(CLI::App& app, Context& ctx) {
  auto [cmd, o] = add_command<DemoOptions>(
      app, ctx, "demo",
      "Run the whole job on the bundled sample site (invented articles), served on loopback, into DIR/demo.db",
      run_demo);
  cmd->add_option("--dir", o->dir,
                  "Where demo.db and demo-brief.html are written (default: the configuration file's directory)")
      ->type_name("DIR");
  cmd->add_option("--data", o->data, "The demo directory (site/, banwatch-demo.yaml); default: the bundled one")
      ->type_name("DIR");
  cmd->add_flag("--fallback", o->fallback,
                "Only when the configured sources' last crawl reached none of them (what `make run` does)");
  cmd->add_option("--access-log", o->access_log, "Write the sample site's requests to FILE (tab-separated)")
      ->type_name("FILE");
  add_wait_option(*cmd, o->wait_seconds);
}

}  // namespace banwatch::app
