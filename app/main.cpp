// banwatch: the CLI. Global options, subcommand registration, and the one
// catch-all that maps anything unexpected to an exit code.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "app/app.h"
#include "app/logging.h"
#include "common/version.h"

namespace {

using namespace banwatch::app;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

int run(int argc, char** argv) {
  Context ctx;
  CLI::App app{
      "banwatch: watches the news for governments, regulators and companies that ban, restrict "
      "or stop using technology vendors, and keeps a dated, cited record of each event."};
  app.name("banwatch");
  app.set_version_flag("--version", std::string("banwatch ") + BANWATCH_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(
      "Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 partial success, "
      "75 another run holds the lock, 130/143 interrupted. See docs/cli.md.");

  auto& o = ctx.options;
  o.config_path = env_or("BANWATCH_CONFIG", "banwatch.yaml");
  o.config_explicit = std::getenv("BANWATCH_CONFIG") != nullptr;
  o.db = env_or("BANWATCH_DB", "");
  int verbose = 0;
  bool quiet = false;
  app.add_option_function<std::string>(
      "--config",
      [&o](const std::string& p) {
        o.config_path = p;
        o.config_explicit = true;
      },
      "Configuration file (default ./banwatch.yaml, env BANWATCH_CONFIG)");
  app.add_option("--db", o.db, "Store: a SQLite file or postgresql:// URL (default from config, env BANWATCH_DB)");
  app.add_option("--log-format", o.log_format, "Log format on stderr")->check(CLI::IsMember({"text", "json"}));
  app.add_flag("-v,--verbose", verbose, "More log output (repeat for debug)");
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr");
  app.add_option("--set", o.sets, "Override one configuration key for this run: KEY=VALUE (repeatable)")
      ->type_name("KEY=VALUE");

  add_init_command(app, ctx);
  auto* sources = app.add_subcommand("sources", "List, add, remove, import and export sources");
  sources->require_subcommand(1);
  add_sources_list_command(*sources, ctx);
  add_sources_edit_commands(*sources, ctx);
  add_sources_opml_commands(*sources, ctx);
  add_crawl_command(app, ctx);
  add_recrawl_command(app, ctx);
  add_events_command(app, ctx);
  add_digest_command(app, ctx);
  add_search_command(app, ctx);
  add_stats_command(app, ctx);
  add_reextract_command(app, ctx);
  add_rules_commands(app, ctx);
  auto* parse = app.add_subcommand("parse", "Parse a feed or an article page from a file and print what banwatch sees");
  parse->require_subcommand(1);
  add_parse_feed_command(*parse, ctx);
  add_parse_article_command(*parse, ctx);
  add_backup_command(app, ctx);
  add_workers_command(app, ctx);
  add_migrate_command(app, ctx);
  add_demo_command(app, ctx);
  add_serve_command(app, ctx);

  // Logging is set up before any subcommand callback runs.
  app.parse_complete_callback([&] {
    o.verbosity = quiet ? -1 : verbose;
    setup_logging(o.verbosity, o.log_format);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "banwatch: internal error: " << e.what() << "\n";
    return kExitFailure;
  } catch (...) {
    std::cerr << "banwatch: internal error\n";
    return kExitFailure;
  }
}
