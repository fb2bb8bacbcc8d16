// banwatch: the CLI. Global options, subcommand registration, and the one
// catch-all that maps anything unexpected to an exit code.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/app.h"
#include "app/logging.h"
#include "common/version.h"

namespace {

using namespace banwatch::app;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The first word where a command is expected that names none ("banwatch
// crawll", "banwatch sources lst"), as a usage error naming the word and the
// closest command; "" when every command word is known. Options are skipped
// with their values.
std::string unknown_command(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* level = &app;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return "";
    if (arg.size() > 1 && arg[0] == '-') {
      if (arg.find('=') != std::string::npos) continue;
      const CLI::Option* option = nullptr;  // the command's own, else a parent's (they fall through)
      for (const CLI::App* owner = level; owner && !option; owner = owner->get_parent())
        option = owner->get_option_no_throw(arg);
      if (option && option->get_items_expected_min() > 0) ++i;  // its value
      continue;
    }
    const auto commands = level->get_subcommands([](CLI::App*) { return true; });
    if (commands.empty()) return "";  // a command's own arguments
    const auto named = std::find_if(commands.begin(), commands.end(),
                                    [&arg](const CLI::App* command) { return command->check_name(arg); });
    if (named != commands.end()) {
      level = *named;
      continue;
    }
    std::string best;
    std::size_t best_distance = 3;  // suggest only what is close
    for (const CLI::App* command : commands) {
      const std::size_t d = edit_distance(arg, command->get_name());
      if (d < best_distance) {
        best_distance = d;
        best = command->get_name();
      }
    }
    const std::string where = level == &app ? "" : level->get_name() + " ";
    if (!best.empty()) return fmt::format("unknown command '{}{}'; did you mean '{}{}'?", where, arg, where, best);
    std::string names;
    for (const CLI::App* command : commands) names += (names.empty() ? "" : ", ") + command->get_name();
    return fmt::format("unknown command '{}{}' (one of: {})", where, arg, names);
  }
  return "";
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

  // In the order `--help` lists them; a group takes exactly one of its commands.
  using AddCommand = void (*)(CLI::App&, Context&);
  const auto add_all = [&ctx](CLI::App& parent, std::initializer_list<AddCommand> adds) {
    for (AddCommand add : adds) add(parent, ctx);
  };
  const auto add_group = [&app](std::string name, std::string description) -> CLI::App& {
    CLI::App* group = app.add_subcommand(std::move(name), std::move(description));
    group->require_subcommand(1);
    return *group;
  };
  add_init_command(app, ctx);
  add_all(add_group("sources", "List, add, remove, import and export sources"),
          {add_sources_list_command, add_sources_edit_commands, add_sources_opml_commands});
  add_all(app, {add_crawl_command, add_recrawl_command, add_events_command, add_digest_command, add_search_command,
                add_stats_command, add_reextract_command, add_rules_commands});
  add_all(add_group("parse", "Parse a feed or an article page, from a file or a URL, and print what banwatch sees"),
          {add_parse_feed_command, add_parse_article_command});
  add_all(app, {add_backup_command, add_workers_command, add_migrate_command, add_demo_command, add_serve_command});

  // Logging is set up before any subcommand callback runs.
  app.parse_complete_callback([&] {
    o.verbosity = quiet ? -1 : verbose;
    setup_logging(o.verbosity, o.log_format);
  });

  // Errors found before the options are applied follow --log-format too.
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto json_requested = [&args] {
    for (std::size_t i = 0; i < args.size(); ++i)
      if (args[i] == "--log-format=json" || (args[i] == "--log-format" && i + 1 < args.size() && args[i + 1] == "json"))
        return true;
    return false;
  };
  if (const std::string unknown = unknown_command(app, args); !unknown.empty()) {
    if (json_requested()) setup_logging(0, "json");
    std::cerr << "banwatch: " << unknown << "\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0 && json_requested()) {
      setup_logging(0, "json");
      std::cerr << "banwatch: " << e.what() << "\n";  // one line, at level error
      return kExitUsage;
    }
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
