// The CLI's conventions, through the real binary: exit codes, where output
// goes, and clear errors naming the input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/lockfile.h"
#include "tests/app/run_in_dir.h"

#include "run_in_dir.h"

namespace {

namespace fs = std::filesystem;

using banwatch::testing::Outcome;
using banwatch::testing::read_file;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = banwatch::testing::fresh_test_directory("bw-cli"); }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs banwatch in the test's directory with a clean environment.
  Outcome run(const std::string& args, const std::string& env = "") {
    return banwatch::testing::run_in(dir_, std::string(BANWATCH_BINARY) + " " + args, env);
  }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  fs::path dir_;
};

TEST_F(Cli, VersionAndHelpGoToStdoutWithExitZero) {
  auto v = run("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("banwatch "), std::string::npos);
  auto h = run("--help");
  EXPECT_EQ(h.code, 0);
  EXPECT_NE(h.out.find("init"), std::string::npos);
  EXPECT_NE(h.out.find("Exit codes"), std::string::npos);
}

TEST_F(Cli, EveryCommandHasHelp) {
  for (const char* cmd : {"init", "sources list", "stats", "events", "crawl", "digest", "rules check", "parse feed",
                          "parse article", "reextract", "search", "backup", "demo"}) {
    auto o = run(std::string(cmd) + " --help");
    EXPECT_EQ(o.code, 0) << cmd << ": " << o.err;
    EXPECT_FALSE(o.out.empty()) << cmd;
  }
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("").code, 2);
  EXPECT_EQ(run("no-such-command").code, 2);
  EXPECT_EQ(run("--log-format xml stats").code, 2);
}

TEST_F(Cli, InitWritesAConfigAndAStoreOnce) {
  auto first = run("init");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_TRUE(fs::exists(dir_ / "banwatch.yaml"));
  EXPECT_TRUE(fs::exists(dir_ / "banwatch.db"));
  EXPECT_NE(first.out.find("schema version"), std::string::npos);
  write("banwatch.yaml", read_file(dir_ / "banwatch.yaml") + "\n# edited by the user\n");
  auto second = run("init");
  EXPECT_EQ(second.code, 0);
  EXPECT_NE(read_file(dir_ / "banwatch.yaml").find("edited by the user"), std::string::npos)
      << "init must not overwrite an existing configuration";
  auto sources = run("sources list");
  EXPECT_EQ(sources.code, 0) << sources.err;
  EXPECT_NE(sources.out.find("reuters-news-sitemap"), std::string::npos);
}

TEST_F(Cli, ConfigErrorsNameFileLineAndKeyAndExitTwo) {
  write("bad.yaml", "store:\n  path: x.db\nfetch:\n  concurency: 4\n");
  auto o = run("--config bad.yaml stats");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("bad.yaml:4: fetch.concurency: unknown key"), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty());
}

TEST_F(Cli, AnExplicitConfigThatDoesNotExistIsAnError) {
  auto o = run("--config missing.yaml stats");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("missing.yaml"), std::string::npos) << o.err;
  auto e = run("stats", "BANWATCH_CONFIG=missing-too.yaml");
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("missing-too.yaml"), std::string::npos) << e.err;
}

TEST_F(Cli, BadSetOverrideIsAUsageError) {
  auto o = run("--set fetch.timeout=forever stats");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("fetch.timeout"), std::string::npos) << o.err;
}

TEST_F(Cli, DbFlagAndEnvironmentChooseTheStore) {
  ASSERT_EQ(run("--db chosen.db init").code, 0);
  EXPECT_TRUE(fs::exists(dir_ / "chosen.db"));
  EXPECT_EQ(run("--db chosen.db stats").code, 0);
  ASSERT_EQ(run("init", "BANWATCH_DB=from-env.db").code, 0);
  EXPECT_TRUE(fs::exists(dir_ / "from-env.db"));
  EXPECT_FALSE(fs::exists(dir_ / "banwatch.db")) << "--db and BANWATCH_DB replace the configured store";
}

TEST_F(Cli, ReadCommandsDoNotCreateAMissingStore) {
  auto o = run("--db absent.db stats");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("absent.db"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "absent.db"));
}

TEST_F(Cli, JsonLogsAreOneObjectALine) {
  write("ok.yaml", "fetch: {concurrency: 4}\n");
  ASSERT_EQ(run("--config ok.yaml init").code, 0);
  auto o = run("--log-format json -vv --config ok.yaml stats");
  EXPECT_EQ(o.code, 0) << o.err;
  // An error, with a quote in it, is a JSON line too.
  auto failed = run("--log-format json --db 'missing\"store.db' stats");
  EXPECT_EQ(failed.code, 1);
  EXPECT_FALSE(failed.err.empty());
  std::istringstream lines(o.err + failed.err);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    EXPECT_EQ(line.front(), '{') << line;
    EXPECT_EQ(line.back(), '}') << line;
    EXPECT_NE(line.find("\"msg\":"), std::string::npos) << line;
  }
}

// Every stderr line of a run under --log-format json.
void expect_json_lines(const std::string& err, const std::string& what) {
  EXPECT_FALSE(err.empty()) << what;
  std::istringstream lines(err);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    EXPECT_EQ(line.front(), '{') << what << ": " << line;
    EXPECT_EQ(line.back(), '}') << what << ": " << line;
    EXPECT_NE(line.find("\"level\":"), std::string::npos) << what << ": " << line;
    EXPECT_NE(line.find("\"msg\":"), std::string::npos) << what << ": " << line;
  }
}

// Lines that commands print themselves, usage errors and unknown commands
// are JSON objects too, not only the logger's.
TEST_F(Cli, JsonLogsCoverEveryLineOnStandardError) {
  write("broken.yaml", "vendors:\n  - {name: A}\nrules:\n  - {id: r, action: banz, pattern: 'x'}\n");
  auto rules = run("--log-format json rules check --rules broken.yaml");
  EXPECT_EQ(rules.code, 2);
  expect_json_lines(rules.err, "rules check");
  EXPECT_NE(rules.err.find("\"level\":\"error\""), std::string::npos) << rules.err;
  auto usage = run("--log-format json events --limit -1");
  EXPECT_EQ(usage.code, 2);
  expect_json_lines(usage.err, "a usage error");
  auto unknown = run("--log-format=json crawll");
  EXPECT_EQ(unknown.code, 2);
  expect_json_lines(unknown.err, "an unknown command");
  EXPECT_NE(unknown.err.find("did you mean 'crawl'?"), std::string::npos) << unknown.err;
}

TEST_F(Cli, AnUnknownCommandIsNamedWithTheClosestOne) {
  auto typo = run("crawll");
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("unknown command 'crawll'; did you mean 'crawl'?"), std::string::npos) << typo.err;
  auto after_options = run("--config missing.yaml -v --set fetch.retries=1 evnets --since 7d");
  EXPECT_EQ(after_options.code, 2);
  EXPECT_NE(after_options.err.find("unknown command 'evnets'; did you mean 'events'?"), std::string::npos)
      << after_options.err;
  auto parent_option = run("sources --db listed.db list");
  EXPECT_EQ(parent_option.err.find("unknown command"), std::string::npos) << "a parent's option is no command";
  auto nested = run("sources lsit");
  EXPECT_EQ(nested.code, 2);
  EXPECT_NE(nested.err.find("unknown command 'sources lsit'; did you mean 'sources list'?"), std::string::npos)
      << nested.err;
  auto far = run("xyzzy");
  EXPECT_EQ(far.code, 2);
  EXPECT_NE(far.err.find("unknown command 'xyzzy' (one of: init, sources, crawl,"), std::string::npos) << far.err;
  EXPECT_EQ(run("parse feed --help").code, 0) << "known commands still parse";
}

// YAML 1.2 section 3.2.1.1: keys are unique; a repeated one was dropped without a word.
TEST_F(Cli, ADuplicateConfigurationKeyNamesTheFileAndLine) {
  write("dup.yaml", "fetch:\n  concurrency: 4\nfetch:\n  timeout: 5s\n");
  auto o = run("--config dup.yaml stats");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("dup.yaml:3: fetch: duplicate key (first given at line 1)"), std::string::npos) << o.err;
}

// `events` always took 7d; the commands that re-read stored articles take
// the same forms.
TEST_F(Cli, EveryCommandTakesTheSameDatesAndDurations) {
  ASSERT_EQ(run("--db store.db init").code, 0);
  auto reextract = run("--db store.db reextract --since 7d");
  EXPECT_EQ(reextract.code, 0) << reextract.err;
  auto recrawl = run("--db store.db recrawl --since 7d");
  EXPECT_EQ(recrawl.code, 0) << recrawl.err;
  for (const char* cmd : {"reextract --since 2026-03", "recrawl --since 2026-03-01T10:00Z", "events --since 24h",
                          "search x --since 1h30m", "digest --since 7d --until 2026-12"}) {
    auto o = run(std::string("--db store.db ") + cmd);
    EXPECT_EQ(o.code, 0) << cmd << ": " << o.err;
  }
  for (const char* cmd : {"reextract --since soon", "recrawl --since soon", "events --since soon",
                          "search x --since soon", "digest --until soon"}) {
    auto o = run(std::string("--db store.db ") + cmd);
    EXPECT_EQ(o.code, 2) << cmd;
    EXPECT_NE(o.err.find("'soon': expected a date (2026-03, 2026-03-25, 2026-03-25T10:00Z) or a duration"),
              std::string::npos)
        << cmd << ": " << o.err;
  }
}

// The lock's message says "use --wait SECONDS": every command that can print
// it takes --wait.
TEST_F(Cli, EveryCommandThatTakesTheRunLockAcceptsTheWaitItsMessageNames) {
  ASSERT_EQ(run("--db store.db init").code, 0);
  auto store = banwatch::RunLock::acquire((dir_ / "store.db.lock").string(), std::chrono::milliseconds(0));
  ASSERT_TRUE(store.has_value()) << store.error().message;
  auto demo = banwatch::RunLock::acquire((dir_ / "demo.db.lock").string(), std::chrono::milliseconds(0));
  ASSERT_TRUE(demo.has_value()) << demo.error().message;
  const std::vector<std::string> commands = {"--db store.db reextract", "--db store.db recrawl --since 7d",
                                             "demo --dir '" + dir_.string() + "'"};
  for (const std::string& cmd : commands) {
    auto refused = run(cmd);
    EXPECT_EQ(refused.code, 75) << cmd << ": " << refused.err;
    EXPECT_NE(refused.err.find("use --wait SECONDS"), std::string::npos) << cmd << ": " << refused.err;
    auto waited = run(cmd + " --wait 0.2");
    EXPECT_EQ(waited.code, 75) << cmd << ": " << waited.err;
    EXPECT_NE(waited.err.find("(waited"), std::string::npos) << cmd << ": " << waited.err;
  }
}

// docs/cli.md's row for a command names every option its --help lists.
TEST_F(Cli, TheCommandTableNamesEveryOptionOfEveryCommand) {
  const std::string docs = read_file(fs::path(BANWATCH_SOURCE_DIR) / "docs/cli.md");
  ASSERT_FALSE(docs.empty());
  for (const std::string command :
       {"init",           "sources list",   "events",          "digest",     "search",     "stats",
        "recrawl",        "reextract",      "rules check",     "rules test", "parse feed", "parse article",
        "backup",         "workers",        "migrate",         "demo",       "crawl",      "sources add",
        "sources remove", "sources enable", "sources disable", "serve"}) {
    std::string rows;  // every table row that opens with the command
    std::istringstream lines(docs);
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with("| `") &&
          (line.find("`" + command + " ") != std::string::npos || line.find("`" + command + "`") != std::string::npos))
        rows += line + "\n";
    EXPECT_FALSE(rows.empty()) << command;
    auto help = run(command + " --help");
    ASSERT_EQ(help.code, 0) << command;
    std::vector<std::string> flags;  // from the option lines ("  -h,--help ...", "  --since DATE ...")
    std::istringstream help_lines(help.out);
    for (std::string line; std::getline(help_lines, line);) {
      if (!line.starts_with("  -")) continue;
      std::istringstream names(line.substr(2, line.find(' ', 2) - 2));
      for (std::string name; std::getline(names, name, ',');)
        if (name.starts_with("--") && name != "--help") flags.push_back(name);
    }
    const bool takes_no_options = command == "init" || (command.starts_with("sources ") && command != "sources add");
    EXPECT_FALSE(flags.empty() && command != "stats" && !takes_no_options) << command << ": " << help.out;
    for (const std::string& flag : flags) {
      const bool named = [&] {
        for (const char* before : {"`", " ", "[", "(", "|"})
          for (std::size_t at_doc = rows.find(before + flag); at_doc != std::string::npos;
               at_doc = rows.find(before + flag, at_doc + 1)) {
            const std::size_t after = at_doc + 1 + flag.size();
            if (after >= rows.size() || !(std::isalnum(static_cast<unsigned char>(rows[after])) || rows[after] == '-'))
              return true;
          }
        return false;
      }();
      EXPECT_TRUE(named) << command << " " << flag << " is not in docs/cli.md's row for it";
    }
  }
}

// The README's first screen: the two commands, then where the binary is, how
// to add a source and switch the default ones off, an event and a brief.
TEST_F(Cli, TheReadmeOpensWithMakeRunAndMakeTestThenTheFirstAnswers) {
  const std::string readme = read_file(fs::path(BANWATCH_SOURCE_DIR) / "README.md");
  ASSERT_TRUE(readme.starts_with("# banwatch\n\n```sh\nmake run ")) << readme.substr(0, 80);
  const std::size_t make_test = readme.find("\nmake test ");
  ASSERT_NE(make_test, std::string::npos);
  EXPECT_EQ(readme.find("\n", readme.find("\n", readme.find("make run ")) + 1), make_test)
      << "make test is the second command";
  std::string first_screen;
  std::istringstream lines(readme);
  int n = 0;
  for (std::string line; n < 40 && std::getline(lines, line); ++n) first_screen += line + "\n";
  for (const char* needed : {"build/app/banwatch", "make install", "banwatch sources add ", "banwatch sources disable ",
                             "  ID  DATE        VENDOR", "(new)"}) {
    EXPECT_NE(first_screen.find(needed), std::string::npos) << needed;
  }
}

}  // namespace
