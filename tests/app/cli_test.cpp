// The CLI's conventions, through the real binary: exit codes, where output
// goes, and clear errors naming the input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

}  // namespace
