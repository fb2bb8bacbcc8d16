// `banwatch parse feed --json`: the documented JSON shape, run against the
// built CLI. Skipped when the binary has not been built.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return out;
  }
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  status = pclose(pipe);
  return out;
}

TEST(ParseFeedCli, Spec_JsonShape) {
  fs::path binary = BANWATCH_BINARY;
  if (!fs::exists(binary)) GTEST_SKIP() << "the banwatch CLI is not built at " << binary;
  int status = 0;
  std::string out = run("'" + binary.string() + "' parse feed '" + BANWATCH_TEST_DATA +
                            "/feeds/rss20_news.xml' --url https://gazette.example/policy/rss --json",
                        status);
  ASSERT_EQ(status, 0) << out;
  auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc["format"], "rss20");
  EXPECT_EQ(doc["title"], "Harbour Gazette: Policy");
  EXPECT_EQ(doc["link"], "https://gazette.example/policy/");
  EXPECT_EQ(doc["language"], "en-gb");
  EXPECT_EQ(doc["updated"], "2026-11-24T09:30:00Z");
  ASSERT_TRUE(doc["warnings"].is_array());
  ASSERT_EQ(doc["items"].size(), 3u);
  const auto& item = doc["items"][0];
  for (const char* key :
       {"id", "url", "title", "summary", "content", "content_type", "authors", "categories", "published", "updated"}) {
    EXPECT_TRUE(item.contains(key)) << key;
  }
  EXPECT_EQ(item["url"], "https://gazette.example/policy/2026/11/acme-routers");
  EXPECT_EQ(item["published"], "2026-11-24T07:15:00Z");
}

TEST(ParseFeedCli, Spec_NotAFeedIsAClearError) {
  fs::path binary = BANWATCH_BINARY;
  if (!fs::exists(binary)) GTEST_SKIP() << "the banwatch CLI is not built at " << binary;
  int status = 0;
  std::string out =
      run("printf '<!DOCTYPE html><html><body>oops</body></html>' | '" + binary.string() + "' parse feed - --json 2>&1",
          status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("HTML page"), std::string::npos) << out;
}

}  // namespace
