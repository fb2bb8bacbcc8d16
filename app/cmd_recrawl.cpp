// banwatch recrawl: fetch articles again (by URL, by source or since a date),
// re-extract, and append only what is new.
#include <unistd.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include <fmt/format.h>

#include "app/app.h"
#include "app/input.h"
#include "app/progress.h"
#include "common/lockfile.h"
#include "crawler/pipeline.h"
#include "parsers/rules.h"

namespace banwatch::app {
namespace {

struct RecrawlCommandOptions {
  std::vector<std::string> urls;
  std::string source;
  std::string since;
  bool force = false;
  bool allow_private_networks = false;
  double wait_seconds = 0;
};

int run_recrawl(Context& ctx, const RecrawlCommandOptions& opts) {
  int selectors = (!opts.urls.empty()) + (!opts.source.empty()) + (!opts.since.empty());
  if (selectors != 1)
    return ctx.report(Error(ErrorCode::kInvalidArgument, "recrawl: give exactly one of --url, --source, --since"));
  crawler::RecrawlOptions options;
  options.urls = opts.urls;
  if (!opts.source.empty()) options.source = opts.source;
  if (!opts.since.empty()) {
    auto since = time_option("--since", opts.since, SystemClock().now());
    if (!since) return ctx.report(since.error());
    options.since = *since;
  }
  options.force = opts.force;

  auto loaded = ctx.config();
  if (!loaded) return ctx.report(loaded.error());
  Config config = **loaded;
  if (opts.allow_private_networks) config.fetch.allow_private_networks = true;
  auto lock = RunLock::acquire(lock_path_for_store(ctx.store_path()), wait_for(opts.wait_seconds));
  if (!lock) return ctx.report(lock.error());
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  auto rules_path = ctx.rules_path();
  if (!rules_path) return ctx.report(rules_path.error());
  auto rules = rules::RuleEngine::load(*rules_path);
  if (!rules) return ctx.report(rules.error());

  SystemClock clock;
  crawler::CrawlDeps deps{*store, rules->get(), &config, &clock, nullptr};
  options.cancel = stop_flag();
  ProgressLine progress(ctx, "recrawl:");
  if (progress.enabled())
    options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total, "pages"); };
  auto result = [&] {
    StopSignals signals;
    return crawler::recrawl(deps, options);
  }();
  progress.clear();
  if (!result) return ctx.report(result.error());
  std::cerr << failures_block(ctx, result->failures, result->sources, "recrawl");
  // -q: the summary only when events were found.
  if (ctx.options.verbosity >= 0 || result->events_appended > 0)
    std::cout << fmt::format(
        "recrawl: {} pages fetched, {} from feed content, {} new articles, {} events, {} mentions\n",
        result->pages_fetched, result->feed_only, result->articles_stored, result->events_appended,
        result->mentions_appended);
  if (result->cancelled) return interrupted_exit_code(stop_signal());
  // Nothing fetched at all: the same exit code as a crawl that reached nothing.
  if (result->failed > 0 && result->pages_fetched == 0 && result->fetched == 0) return kExitFailure;
  return result->failed > 0 ? kExitPartial : kExitOk;
}

}  // namespace

void add_recrawl_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<RecrawlCommandOptions>(
      app, ctx, "recrawl", "Fetch articles again, re-extract, append only what is new", run_recrawl);
  cmd->add_option("--url", opts->urls, "This article URL (repeatable)")->type_name("URL");
  cmd->add_option("--source", opts->source, "Every item of this source's feed")->type_name("NAME");
  cmd->add_option("--since", opts->since, "Every article fetched since: a date (2026-11-01) or a duration (7d)")
      ->type_name("DATE|DURATION");
  cmd->add_flag("--force", opts->force, "Fetch without conditional headers");
  cmd->add_flag("--allow-private-networks", opts->allow_private_networks, "Allow loopback and private addresses");
  add_wait_option(*cmd, opts->wait_seconds);
}

}  // namespace banwatch::app
