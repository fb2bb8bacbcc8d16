// Resource bounds and memory errors of the real binary, run on request
// (BANWATCH_HARDENING_SLOW=1; tests/hardening/run-slow.sh): peak RSS of a
// crawl of 10,000 sources and of a 50 MB feed (GNU time), and an end-to-end
// crawl under valgrind memcheck with no leaks and no invalid accesses.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "tests/hardening/site.h"

namespace banwatch::hardening {
namespace {

bool slow_tests_enabled() {
  const char* env = std::getenv("BANWATCH_HARDENING_SLOW");
  return env && *env && std::string(env) != "0";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Peak RSS in MB from GNU time's `-f %M` output file (kilobytes).
long peak_rss_mb(const std::string& path) {
  std::ifstream in(path);
  long kb = -1;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) kb = std::atol(line.c_str());
  return kb < 0 ? -1 : kb / 1024;
}

class ResourceBounds : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!slow_tests_enabled()) GTEST_SKIP() << "set BANWATCH_HARDENING_SLOW=1 to run";
    if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built";
    dir_ = temp_dir("resources");
  }
  void TearDown() override {
    if (!dir_.empty() && !HasFailure()) std::filesystem::remove_all(dir_);
  }
  std::string dir_;
};

// Memory must not grow with the number of sources (target: under 300 MB).
TEST_F(ResourceBounds, TenThousandSourcesStayUnder300MB) {
  SiteOptions o;
  o.feeds = 10000;
  o.items_per_feed = 2;
  o.shared_items = 0;
  NewsSite site(o);
  std::string db = dir_ + "/sources.db";
  Banwatch bw(dir_, write_config(dir_, site, db, "none", "  concurrency: 16\n  host_connections: 8\n"));
  bw.prefix = {"/usr/bin/time", "-f", "%M", "-o", dir_ + "/time.txt"};
  auto e = bw.run({"crawl"}, {}, "sources");
  ASSERT_EQ(e.code, 0) << e.err.substr(0, 2000);
  long rss = peak_rss_mb(dir_ + "/time.txt");
  std::cerr << "10,000 sources (20,000 feed-only articles): peak RSS " << rss << " MB, " << slurp(dir_ + "/time.txt");
  EXPECT_GT(rss, 0);
  EXPECT_LT(rss, 300);
  Dump d = dump_store(db);
  EXPECT_EQ(d.integrity, "ok");
  EXPECT_EQ(d.articles.size(), 20000u);
}

TEST_F(ResourceBounds, FiftyMegabyteFeedStaysUnder300MB) {
  std::string big =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Big</title>"
      "<link>http://example.org/</link><description>Fifty megabytes</description>\n";
  for (int i = 0; big.size() < (50u << 20); ++i) {
    big += "<item><title>Item " + std::to_string(i) + "</title><link>http://127.0.0.1:1/big/" + std::to_string(i) +
           "</link><guid isPermaLink=\"false\">big-" + std::to_string(i) + "</guid><description>" + filler(1, i, 0) +
           " " + filler(2, i, 1) + "</description><pubDate>Fri, 20 Nov 2026 09:30:00 GMT</pubDate></item>\n";
  }
  big += "</channel></rss>\n";
  SiteOptions o;
  o.feeds = 0;
  o.extra_feeds["/big.xml"] = big;
  NewsSite site(o);
  std::string db = dir_ + "/big.db";
  Banwatch bw(dir_, write_config(dir_, site, db, "none", "  max_bytes: 64MB\n", {"/big.xml"}));
  bw.prefix = {"/usr/bin/time", "-f", "%M", "-o", dir_ + "/time.txt"};
  auto e = bw.run({"crawl"}, {}, "big");
  ASSERT_EQ(e.code, 0) << e.err.substr(0, 2000);
  long rss = peak_rss_mb(dir_ + "/time.txt");
  std::cerr << "50 MB feed (" << big.size() / 1000000 << " MB, crawl.max_items_per_source kept): peak RSS " << rss
            << " MB, " << slurp(dir_ + "/time.txt");
  EXPECT_GT(rss, 0);
  EXPECT_LT(rss, 300);
  Dump d = dump_store(db);
  EXPECT_EQ(d.integrity, "ok");
  EXPECT_FALSE(d.articles.empty());
}

// A full crawl (feeds, pages, extraction, rules, store) under memcheck.
TEST_F(ResourceBounds, EndToEndCrawlIsCleanUnderValgrind) {
  if (!std::filesystem::exists("/usr/bin/valgrind")) GTEST_SKIP() << "valgrind not installed";
  SiteOptions o;
  o.feeds = 2;
  o.items_per_feed = 12;
  NewsSite site(o);
  std::string db = dir_ + "/valgrind.db";
  Banwatch bw(dir_, write_config(dir_, site, db));
  std::string log = dir_ + "/valgrind.log";
  bw.prefix = {"/usr/bin/valgrind",
               "--tool=memcheck",
               "--leak-check=full",
               std::string("--suppressions=") + BANWATCH_SOURCE_DIR + "/tests/hardening/valgrind.supp",
               "--show-leak-kinds=definite,indirect",
               "--errors-for-leak-kinds=definite,indirect",
               "--error-exitcode=99",
               "--log-file=" + log};
  auto e = bw.run({"crawl"}, {}, "valgrind");
  std::string report = slurp(log);
  EXPECT_EQ(e.code, 0) << e.err.substr(0, 2000) << report.substr(0, 4000);
  EXPECT_NE(report.find("ERROR SUMMARY: 0 errors"), std::string::npos) << report.substr(0, 6000);
  std::smatch m;
  EXPECT_EQ(report.find("Invalid read"), std::string::npos);
  EXPECT_EQ(report.find("Invalid write"), std::string::npos);
  if (std::regex_search(report, m, std::regex("definitely lost: [^\\n]*"))) std::cerr << "valgrind: " << m[0] << "\n";
  if (std::regex_search(report, m, std::regex("ERROR SUMMARY: [^\\n]*"))) std::cerr << "valgrind: " << m[0] << "\n";
  Dump d = dump_store(db);
  EXPECT_EQ(d.integrity, "ok");
  EXPECT_EQ(static_cast<int>(d.articles.size()), site.articles());
  EXPECT_FALSE(d.mentions.empty());
}

}  // namespace
}  // namespace banwatch::hardening
