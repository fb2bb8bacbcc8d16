// banwatch reextract [--since DATE] [--source NAME]: run the current rule pack
// over stored articles and append only the events and mentions that are new.
// Idempotent: the store keys a mention by article, rule and evidence, so a
// second run over the same articles with the same pack appends nothing. The
// work is the crawler's ingest path (crawler/ingest.h).
#include <spdlog/spdlog.h>

#include <iostream>

#include <fmt/format.h>

#include "app/app.h"
#include "app/input.h"
#include "app/progress.h"
#include "common/lockfile.h"
#include "crawler/ingest.h"
#include "parsers/rules.h"

namespace banwatch::app {
namespace {

struct ReextractOptions {
  std::string since;
  std::string source;
  std::string rules;
  double wait_seconds = 0;
};

int run_reextract(Context& ctx, const ReextractOptions& opts) {
  store::Store::ArticleFilter filter;
  if (!opts.since.empty()) {
    auto since = time_option("--since", opts.since, SystemClock().now());
    if (!since) return ctx.report(since.error());
    filter.since = *since;
  }
  if (!opts.source.empty()) filter.source_name = opts.source;

  auto loaded = ctx.config();
  if (!loaded) return ctx.report(loaded.error());
  const Config& config = **loaded;
  std::string rules_path = opts.rules;
  if (rules_path.empty()) {
    auto p = ctx.rules_path();
    if (!p) return ctx.report(p.error());
    rules_path = *p;
  }
  auto engine = rules::RuleEngine::load(rules_path);
  if (!engine) return ctx.report(engine.error());

  auto lock = RunLock::acquire(lock_path_for_store(ctx.store_path()), wait_for(opts.wait_seconds));
  if (!lock) return ctx.report(lock.error());
  auto store = ctx.store(/*create=*/false);
  if (!store) return ctx.report(store.error());

  SystemClock clock;
  store::Run run;
  run.kind = "reextract";
  run.started_at = clock.now();
  auto run_id = (*store)->begin_run(run.kind, run.started_at);
  if (!run_id) return ctx.report(run_id.error());
  run.id = *run_id;

  std::optional<StopSignals> signals(std::in_place);

  // The crawler's ingest path (crawler/ingest.h): the same extraction and
  // the same identity rules as a crawl.
  crawler::ReextractOptions options;
  options.filter = filter;
  options.cluster_window = config.store.cluster_window;
  options.cancel = stop_flag();
  options.clock = &clock;
  ProgressLine progress(ctx, "reextract:");
  if (progress.enabled()) {
    // The total is known when every article is read.
    std::size_t total = 0;
    if (!filter.since && !filter.source_name) {
      if (auto counts = (*store)->stats(); counts) total = static_cast<std::size_t>(counts->articles);
    }
    options.progress = [&progress, total](int read, int events) {
      progress.update(static_cast<std::size_t>(read), total, "articles",
                      events ? fmt::format("{} new events", events) : "");
    };
  }
  auto summary = crawler::reextract(**store, **engine, options);
  progress.clear();
  signals.reset();

  const int stop = stop_signal();
  const int articles = summary ? summary->articles : 0;
  if (summary) {
    run.events_appended = summary->events_appended;
    run.mentions_appended = summary->mentions_appended;
  }
  run.finished_at = clock.now();
  run.articles_stored = 0;
  run.outcome = stop != 0 ? "interrupted" : !summary ? "failed" : "ok";
  if (!summary) run.message = summary.error().message;
  run.message +=
      fmt::format("{}rule pack {}, {} articles read", run.message.empty() ? "" : "; ", (*engine)->version(), articles);
  if (auto finished = (*store)->finish_run(run); !finished) spdlog::warn("reextract: {}", finished.error().message);

  if (!summary) return ctx.report(summary.error());
  // -q: the summary only when events were found.
  if (ctx.options.verbosity >= 0 || run.events_appended > 0)
    std::cout << fmt::format("reextract: {} articles, {} new events, {} new mentions (rule pack {})\n", articles,
                             run.events_appended, run.mentions_appended, (*engine)->version());
  if (stop != 0) return interrupted_exit_code(stop);
  return kExitOk;
}

}  // namespace

void add_reextract_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<ReextractOptions>(
      app, ctx, "reextract", "Run the current rule pack over stored articles; append only what is new", run_reextract);
  cmd->add_option("--since", opts->since, "Only articles fetched since: a date (2026-11-01) or a duration (7d)")
      ->type_name("DATE|DURATION");
  cmd->add_option("--source", opts->source, "Only articles of this source")->type_name("NAME");
  cmd->add_option("--rules", opts->rules, "Rule pack directory or file (default: the configuration's)")
      ->type_name("DIR");
  add_wait_option(*cmd, opts->wait_seconds);
}

}  // namespace banwatch::app
