// banwatch crawl: one scheduled pass over the due sources (or the named ones,
// or all): feed -> items -> pages -> text -> rules -> store. cron runs it.
#include <unistd.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "app/app.h"
#include "app/input.h"
#include "app/progress.h"
#include "common/lockfile.h"
#include "crawler/pipeline.h"
#include "crawler/worker.h"
#include "digest/metrics.h"
#include "parsers/rules.h"

namespace banwatch::app {
namespace {

struct CrawlCommandOptions {
  std::vector<std::string> sources;
  bool all = false;
  bool dry_run = false;
  double wait_seconds = 0;
  bool allow_private_networks = false;
  // Scale-out (docs/scale-out.md): lease hosts of a shared store instead of
  // taking the store's file lock.
  std::string worker;
  bool loop = false;
  double lease_seconds = 60;
  double idle_seconds = 15;
  std::size_t max_hosts = 8;
  std::string metrics_file;  // Prometheus textfile, written after the run
};

// node_exporter's textfile collector reads these; written atomically.
Status write_crawl_metrics(const std::string& path, const crawler::CrawlSummary& s, Timestamp finished,
                           std::chrono::milliseconds elapsed) {
  using digest::Metric;
  auto gauge = [](std::string name, std::string help, double value) {
    Metric m;
    m.name = std::move(name);
    m.help = std::move(help);
    m.value = value;
    return m;
  };
  std::vector<Metric> metrics = {
      gauge("banwatch_crawl_last_run_timestamp_seconds", "When the last crawl finished (Unix time)",
            static_cast<double>(finished.time_since_epoch().count())),
      gauge("banwatch_crawl_duration_seconds", "How long the last crawl took", elapsed.count() / 1000.0),
      gauge("banwatch_crawl_sources", "Sources the last crawl visited", s.sources),
  };
  for (auto [outcome, count] :
       {std::pair<const char*, int>{"fetched", s.fetched}, {"not_modified", s.not_modified}, {"failed", s.failed}}) {
    Metric m = gauge("banwatch_crawl_fetches", "Source fetches of the last crawl by outcome", count);
    m.labels = {{"outcome", outcome}};
    metrics.push_back(m);
  }
  metrics.push_back(gauge("banwatch_crawl_pages_fetched", "Article pages fetched by the last crawl", s.pages_fetched));
  metrics.push_back(gauge("banwatch_crawl_articles_stored", "Articles stored by the last crawl", s.articles_stored));
  metrics.push_back(gauge("banwatch_crawl_events_appended", "Events appended by the last crawl", s.events_appended));
  metrics.push_back(
      gauge("banwatch_crawl_mentions_appended", "Mentions appended by the last crawl", s.mentions_appended));
  metrics.push_back(gauge("banwatch_sources_failing", "Sources whose fetch failed in the last crawl",
                          static_cast<double>(s.failures.size())));
  metrics.push_back(gauge("banwatch_crawl_interrupted", "1 when the last crawl was interrupted", s.cancelled ? 1 : 0));
  return digest::write_prometheus_textfile(path, metrics);
}

std::string summary_line(const crawler::CrawlSummary& s, std::chrono::milliseconds elapsed) {
  return fmt::format(
      "crawl: {} sources, {} fetched ({} not modified), {} failed; {} new items, {} pages, {} articles stored "
      "({} from feed content), {} events, {} mentions in {}",
      s.sources, s.fetched, s.not_modified, s.failed, s.items_new, s.pages_fetched, s.articles_stored, s.feed_only,
      s.events_appended, s.mentions_appended, format_duration(elapsed));
}

// Worker mode: what went through the article-fetch queue.
std::string queue_line(const crawler::CrawlSummary& s) {
  return fmt::format(
      "article queue: {} pages queued for other hosts' holders, {} claimed fetches completed "
      "({} found already stored), {} requeued",
      s.pages_queued, s.queue_completed, s.queue_already_stored, s.queue_retried);
}

// The failed sources in one short block, grouped by cause. With -q only
// the sources that did not fail the time before (cron then mails a change,
// not every run); with -v one line per source too.
void print_failures(const Context& ctx, const crawler::CrawlSummary& s) {
  if (s.failures.empty()) return;
  std::cerr << failures_block(ctx, s.failures, s.sources, "crawl");
  if (ctx.options.verbosity < 1) return;
  for (const auto& f : s.failures) {
    std::string next = f.next_due ? format_iso8601(*f.next_due) : "now";
    std::cerr << fmt::format("  {}: {} ({} consecutive error{}; next try {})\n", f.name,
                             f.error ? f.error->message : "unknown error", f.consecutive_errors,
                             f.consecutive_errors == 1 ? "" : "s", next);
  }
}

// What every crawl needs: the store, with the configured sources mirrored
// into it (configuration, not crawl output, so even a dry run does it), and
// the compiled rule pack, which the caller keeps alive while `deps` is used.
Result<std::unique_ptr<rules::RuleEngine>> open_store_and_rules(Context& ctx, crawler::CrawlDeps& deps) {
  auto store = ctx.store();
  if (!store) return std::unexpected(store.error());
  if (auto st = ctx.sync_sources(); !st) return std::unexpected(st.error());
  auto rules_path = ctx.rules_path();
  if (!rules_path) return std::unexpected(rules_path.error());
  auto rules = rules::RuleEngine::load(*rules_path);
  if (!rules) return std::unexpected(rules.error());
  deps.store = *store;
  deps.rules = rules->get();
  return std::move(*rules);
}

// `crawl --worker NAME [--loop]`: the pipeline over the hosts this worker
// leases; no file lock, since workers on many machines share the store.
int run_crawl_worker(Context& ctx, const CrawlCommandOptions& opts) {
  auto loaded = ctx.config();
  if (!loaded) return ctx.report(loaded.error());
  Config config = **loaded;
  if (opts.allow_private_networks) config.fetch.allow_private_networks = true;
  SystemClock clock;
  crawler::CrawlDeps deps;
  deps.config = &config;
  deps.clock = &clock;
  crawler::WorkerOptions options;
  options.identity.name = opts.worker;
  char hostname[256] = {};
  if (gethostname(hostname, sizeof hostname - 1) == 0) options.identity.hostname = hostname;
  options.identity.pid = getpid();
  // Registered before the rule pack is compiled (a fraction of a second):
  // workers started together then see each other at their first claim and
  // split the hosts, instead of the first to claim taking its whole bound.
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  if (auto registered = (*store)->work_queue().register_worker(options.identity); !registered) {
    return ctx.report(registered.error());
  }
  auto rules = open_store_and_rules(ctx, deps);
  if (!rules) return ctx.report(rules.error());

  options.lease_duration = std::chrono::seconds(static_cast<long long>(opts.lease_seconds));
  options.max_hosts = opts.max_hosts;
  options.loop = opts.loop;
  options.idle_sleep = std::chrono::seconds(static_cast<long long>(opts.idle_seconds));
  options.cancel = stop_flag();
  options.pass_done = [&ctx, &opts](const crawler::CrawlSummary& s) {
    print_failures(ctx, s);
    if (ctx.options.verbosity >= 1)
      std::cout << "worker " << opts.worker << ": " << summary_line(s, {}) << "; " << queue_line(s) << "\n";
  };

  auto started = std::chrono::steady_clock::now();
  Result<crawler::WorkerSummary> result = [&] {
    StopSignals signals;
    return crawler::run_worker(deps, options);
  }();
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (!result) return ctx.report(result.error());
  const auto& s = *result;
  if (ctx.options.verbosity >= 1 || (ctx.options.verbosity >= 0 && ctx.stdout_is_terminal()) || s.cancelled) {
    std::cerr << fmt::format("worker {}: {} passes over {} leased hosts ({} lost); ", opts.worker, s.passes,
                             s.hosts_leased, s.leases_lost)
              << summary_line(s.totals, elapsed) << "; " << queue_line(s.totals) << "\n";
  }
  if (s.cancelled) return interrupted_exit_code(stop_signal());
  return crawl_exit_code(s.totals);
}

int run_crawl(Context& ctx, const CrawlCommandOptions& opts) {
  if (!opts.worker.empty()) return run_crawl_worker(ctx, opts);
  auto loaded = ctx.config();
  if (!loaded) return ctx.report(loaded.error());
  Config config = **loaded;
  if (opts.allow_private_networks) config.fetch.allow_private_networks = true;

  std::optional<RunLock> lock;
  if (!opts.dry_run) {
    auto wait = std::chrono::milliseconds(static_cast<long long>(std::max(0.0, opts.wait_seconds) * 1000.0));
    auto acquired = RunLock::acquire(lock_path_for_store(ctx.store_path()), wait);
    if (!acquired) return ctx.report(acquired.error());
    lock.emplace(std::move(*acquired));
  }
  SystemClock clock;
  crawler::CrawlDeps deps;
  deps.config = &config;
  deps.clock = &clock;
  auto rules = open_store_and_rules(ctx, deps);
  if (!rules) return ctx.report(rules.error());

  crawler::CrawlOptions options;
  options.sources = opts.sources;
  options.all = opts.all;
  options.dry_run = opts.dry_run;
  options.cancel = stop_flag();
  ProgressLine progress(ctx, "crawl:");
  if (progress.enabled()) {
    options.progress = [&progress](std::size_t done, std::size_t total, const crawler::CrawlSummary& so_far) {
      progress.update(done, total, "sources", so_far.failed ? fmt::format("{} failed", so_far.failed) : "");
    };
  }
  options.source_done = [](const crawler::SourceReport& r) {
    spdlog::debug("source {}: HTTP {}{}, {} items, {} new, {} stored, {} events", r.name, r.status,
                  r.not_modified ? " (not modified)" : "", r.items, r.items_new, r.articles_stored, r.events_appended);
  };
  if (opts.dry_run) {
    options.dry_run_article = [](const crawler::DryRunArticle& a) {
      std::cout << fmt::format("{}\t{}\t{}{}\n", a.article.url, a.article.title, a.events.size(),
                               a.article.feed_only ? "\tfeed-only" : "");
      for (const auto& e : a.events)
        std::cout << fmt::format("  {} {} {} ({}) [{}]\n", e.actor, e.action, e.vendor, e.status, e.rule_id);
    };
  }

  auto started = std::chrono::steady_clock::now();
  Result<crawler::CrawlSummary> result = [&] {
    StopSignals signals;
    return crawler::crawl(deps, options);
  }();
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  progress.clear();
  if (!result) return ctx.report(result.error());

  const auto& s = *result;
  print_failures(ctx, s);
  if (!opts.metrics_file.empty() && !opts.dry_run) {
    if (auto st = write_crawl_metrics(opts.metrics_file, s, clock.now(), elapsed); !st)
      return ctx.report(st.error().with_context("metrics file " + opts.metrics_file));
  }
  if (s.cancelled) {
    std::cerr << "banwatch: crawl interrupted; completed work is kept\n";
    if (ctx.options.verbosity >= 0) std::cerr << summary_line(s, elapsed) << "\n";
    return interrupted_exit_code(stop_signal());
  }
  // -q prints the summary only when the crawl found events.
  if (ctx.options.verbosity >= 1 || (ctx.options.verbosity >= 0 && ctx.stdout_is_terminal()) || opts.dry_run ||
      (ctx.options.verbosity < 0 && s.events_appended > 0))
    std::cout << summary_line(s, elapsed) << "\n";
  return crawl_exit_code(s);
}

}  // namespace

void add_crawl_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<CrawlCommandOptions>(
      app, ctx, "crawl", "Fetch the due sources, extract events and store them (what cron runs)", run_crawl);
  cmd->add_option("--source", opts->sources, "Only this source (repeatable); due or not")->type_name("NAME");
  cmd->add_flag("--all", opts->all, "Every enabled source, due or not");
  cmd->add_flag("--dry-run", opts->dry_run,
                "Fetch and extract, print what would be stored; store no article, event or fetch state");
  add_wait_option(*cmd, opts->wait_seconds);
  cmd->add_flag("--allow-private-networks", opts->allow_private_networks,
                "Allow loopback and private addresses (tests, intranets); config fetch.allow_private_networks");
  cmd->add_option("--worker", opts->worker,
                  "Run as worker NAME of a shared (postgresql://) store: lease hosts, crawl their due sources "
                  "(docs/scale-out.md)")
      ->type_name("NAME");
  cmd->add_option("--metrics-file", opts->metrics_file,
                  "Write Prometheus text-format metrics of this run to PATH (atomically), for node_exporter")
      ->type_name("PATH");
  cmd->add_flag("--loop", opts->loop, "With --worker: keep working until SIGINT/SIGTERM");
  cmd->add_option("--lease", opts->lease_seconds, "With --worker: host lease duration in seconds (default 60)")
      ->type_name("SECONDS")
      ->check(CLI::Range(2.0, 3600.0));
  cmd->add_option("--idle", opts->idle_seconds,
                  "With --worker --loop: seconds to wait when no host has due work (default 15)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1.0, 3600.0));
  cmd->add_option("--max-hosts", opts->max_hosts, "With --worker: hosts leased at once (default 8)")
      ->check(CLI::Range(1, 10000));
}

}  // namespace banwatch::app
