// Checks against the shared corpus (BANWATCH_CORPUS): every real captured
// feed parses, and the feedparser conformance suite passes at the target
// rate. Skipped when the corpus, python3 or the CLI binary is absent.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "feeds/feed.h"

namespace banwatch::feeds {
namespace {

namespace fs = std::filesystem;

fs::path corpus_dir() {
  const char* env = std::getenv("BANWATCH_CORPUS");
  return fs::path(env && *env ? env : BANWATCH_CORPUS_DEFAULT);
}

TEST(FeedsCorpus, EveryRealFeedParses) {
  fs::path dir = corpus_dir() / "feeds-real";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    auto ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".xml" && ext != ".rss" && ext != ".atom")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto feed = parse(ss.str(), {});
    ASSERT_TRUE(feed) << entry.path() << ": " << feed.error().message;
    ++files;
    if (entry.path().filename() != "Rss20DailyMail.xml") {
      EXPECT_FALSE(feed->items.empty()) << entry.path();
    }
    for (const auto& item : feed->items) {
      EXPECT_FALSE(item.id.empty()) << entry.path();
    }
  }
  EXPECT_GE(files, 50);
}

TEST(FeedsCorpus, FeedparserConformanceAtTarget) {
  fs::path corpus = corpus_dir() / "feeds-feedparser";
  fs::path tool = fs::path(BANWATCH_SHARED_DEFAULT) / "tools" / "feed-conformance";
  fs::path binary = BANWATCH_BINARY;
  if (!fs::is_directory(corpus)) GTEST_SKIP() << "no conformance corpus at " << corpus;
  if (!fs::exists(tool)) GTEST_SKIP() << "no checker at " << tool;
  if (!fs::exists(binary)) GTEST_SKIP() << "the banwatch CLI is not built at " << binary;
  if (std::system("python3 -c '' >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  std::string command =
      "python3 '" + tool.string() + "' --json --banwatch '" + binary.string() + "' --corpus '" + corpus.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  ASSERT_EQ(pclose(pipe), 0) << output;
  auto report = nlohmann::json::parse(output, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << output;
  int applicable = 0, passed = 0;
  for (const auto& [folder, st] : report["folders"].items()) {
    EXPECT_EQ(st["crash"].get<int>(), 0) << folder;
    EXPECT_EQ(st["hang"].get<int>(), 0) << folder;
    EXPECT_EQ(st["slow"].get<int>(), 0) << folder;
    if (folder.starts_with("wellformed") || folder == "encoding") {
      applicable += st["applicable"].get<int>();
      passed += st["pass"].get<int>();
    }
  }
  ASSERT_GT(applicable, 0);
  double rate = 100.0 * passed / applicable;
  RecordProperty("wellformed_encoding_pass_rate", std::to_string(rate));
  EXPECT_GE(rate, 95.0) << passed << "/" << applicable << " expectations in wellformed/ and encoding/";
}

}  // namespace
}  // namespace banwatch::feeds
