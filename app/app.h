// What every subcommand shares: the global options, lazy access to the
// configuration and the store, and the documented exit codes. Each subcommand
// is one small file (app/cmd_*.cpp) with an add_*_command() that registers it
// and a run function that fills an options struct and calls a library.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config.h"
#include "common/error.h"
#include "common/time.h"
#include "store/store.h"

namespace banwatch::crawler {
struct CrawlSummary;
struct SourceReport;
}  // namespace banwatch::crawler

namespace banwatch::app {

// Documented in docs/cli.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // what was asked failed
  kExitUsage = 2,          // usage or configuration error
  kExitPartial = 3,        // partial success: some sources or channels failed
  kExitLocked = 75,        // another run holds the lock (EX_TEMPFAIL)
  kExitInterrupted = 130,  // SIGINT (143 for SIGTERM)
};

struct GlobalOptions {
  std::string config_path;          // --config / BANWATCH_CONFIG / ./banwatch.yaml
  bool config_explicit = false;     // given by flag or env: it must exist
  std::string db;                   // --db / BANWATCH_DB; "" = from config
  std::string log_format = "text";  // text | json
  int verbosity = 0;                // -q: -1, -v: 1, -vv: 2
  std::vector<std::string> sets;    // --set KEY=VALUE
};

class Context {
 public:
  GlobalOptions options;
  int exit_code = kExitOk;

  // The configuration: the file when present (or required), else built-in
  // defaults; --set overrides applied. Cached.
  Result<Config*> config();
  // The store at --db, else the config's store.path (relative to the config
  // file). Cached; opened with the config's busy timeout.
  Result<store::Store*> store(bool create = true);
  std::string store_path();
  // Path of the rule pack: the config's `rules`, resolved.
  Result<std::string> rules_path();
  // Imports the configuration's sources into the store, their one home: a
  // name the store has never held is added; one it holds or had removed is
  // left as the store has it. Called by every command that reads sources.
  Status sync_sources();

  // Prints "banwatch: <message>" to stderr and returns the exit code for it.
  int report(const Error& error);

  bool stdout_is_terminal() const;

 private:
  std::optional<Config> config_;
  std::unique_ptr<store::Store> store_;
};

// Maps an error code to the documented exit code.
int exit_code_for(const Error& error);

// A crawl's exit code: 0 when every source was reached, 3 (partial) when some
// failed and the rest were stored, 1 when none could be reached.
int crawl_exit_code(const crawler::CrawlSummary& summary);

// The failed sources grouped by cause, a few lines (common/failure.h):
//   banwatch: crawl: 33 of 40 sources failed
//     DNS failure: 30 (a, b, c and 27 more)
// With -q (verbosity < 0) only the sources that failed for the first time
// (consecutive_errors <= 1), and "" when there are none.
std::string failures_block(const Context& ctx, const std::vector<crawler::SourceReport>& failures, int sources,
                           std::string_view what);

// Text from articles and feeds, made safe for a terminal: control
// characters (which could carry escape sequences) become spaces.
std::string printable(std::string_view text);

// Shared option readers (app/options.cpp): every command reads dates, names
// and numbers the same way, and a bad value is a usage error (exit 2) that says
// what is accepted.

// --since / --until: common/time.h's parse_time_bound(), with an error naming
// the option, the value and the accepted forms.
Result<Timestamp> time_option(std::string_view option, std::string_view text, Timestamp now, bool upper = false);
// --vendor and --actor values as events carry them: a name or alias of the
// rule pack, in any letter case, becomes its canonical name; a name the pack
// does not know is kept as given.
void canonical_names(Context& ctx, std::vector<std::string>& vendors, std::vector<std::string>& actors);
// A validator that accepts only `values` and names them when it refuses.
CLI::Validator one_of(std::vector<std::string> values);
// A validator for counts such as --limit: a whole number, 0 or more.
CLI::Validator whole_number();

// --wait SECONDS, for every command that takes the store's run lock: how long
// to wait for another run's lock before exiting 75 (the lock's message names it).
void add_wait_option(CLI::App& cmd, double& seconds);
std::chrono::milliseconds wait_for(double seconds);

// `parse feed URL` and `parse article URL`: the page fetched as the crawler
// fetches it (the fetch.* budgets, robots.txt, the private-address guard,
// which `allow_private_networks` lifts as crawl's --allow-private-networks does).
struct FetchedInput {
  std::string body, final_url, content_type, charset;
};
bool is_http_url(std::string_view text);
// Their --allow-private-networks.
void add_parse_fetch_flag(CLI::App& cmd, bool& allow_private_networks);
Result<FetchedInput> fetch_input(Context& ctx, const std::string& url, bool allow_private_networks,
                                 const std::string& accept);

// Registers the subcommand `name` of `parent`: its options live in an
// `Options` the subcommand owns, which the caller binds flags to through the
// pointer returned, and choosing it sets ctx.exit_code to run(ctx, options).
template <typename Options, typename Run>
std::pair<CLI::App*, Options*> add_command(CLI::App& parent, Context& ctx, std::string name, std::string description,
                                           Run run) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = parent.add_subcommand(std::move(name), std::move(description));
  cmd->callback([&ctx, opts, run] { ctx.exit_code = run(ctx, *opts); });
  return {cmd, opts.get()};
}

// Registration, one per file. `parent` is the app or a command group.
void add_init_command(CLI::App& app, Context& ctx);
void add_sources_list_command(CLI::App& sources, Context& ctx);
void add_sources_edit_commands(CLI::App& sources, Context& ctx);  // add, remove
void add_sources_opml_commands(CLI::App& sources, Context& ctx);  // import-opml, export-opml
void add_events_command(CLI::App& app, Context& ctx);
void add_stats_command(CLI::App& app, Context& ctx);
void add_parse_feed_command(CLI::App& parse, Context& ctx);
void add_parse_article_command(CLI::App& parse, Context& ctx);
void add_rules_commands(CLI::App& app, Context& ctx);  // rules check, rules test
void add_reextract_command(CLI::App& app, Context& ctx);
void add_crawl_command(CLI::App& app, Context& ctx);
void add_recrawl_command(CLI::App& app, Context& ctx);
void add_digest_command(CLI::App& app, Context& ctx);
void add_search_command(CLI::App& app, Context& ctx);
void add_backup_command(CLI::App& app, Context& ctx);
void add_workers_command(CLI::App& app, Context& ctx);
void add_migrate_command(CLI::App& app, Context& ctx);
void add_demo_command(CLI::App& app, Context& ctx);
void add_serve_command(CLI::App& app, Context& ctx);

}  // namespace banwatch::app
