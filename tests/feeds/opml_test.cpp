// OPML 1.0/2.0 import and export of subscription lists.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "feeds/opml.h"

namespace banwatch::feeds {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(BANWATCH_TEST_DATA) + "/feeds/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Opml, Spec_NestedOutlinesBecomeTags) {
  auto doc = parse_opml(read_fixture("subscriptions.opml"));
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->title, "Analyst subscriptions");
  ASSERT_EQ(doc->feeds.size(), 4u);
  EXPECT_EQ(doc->feeds[0].title, "Gazette Policy");
  EXPECT_EQ(doc->feeds[0].tags, (std::vector<std::string>{"Security"}));
  EXPECT_EQ(doc->feeds[0].html_url, "https://gazette.example/policy/");
  EXPECT_EQ(doc->feeds[1].xml_url, "https://tech.example/feed.atom");
  EXPECT_EQ(doc->feeds[1].tags, (std::vector<std::string>{"Security", "Vendors", "de", "tech"}));
  EXPECT_TRUE(doc->feeds[2].tags.empty());
  // The duplicate is returned; skipping it is the importer's decision.
  EXPECT_EQ(doc->feeds[3].xml_url, doc->feeds[0].xml_url);
  // The link outline is reported, not imported.
  ASSERT_FALSE(doc->warnings.empty());
}

TEST(Opml, Spec_Opml1WithoutTypes) {
  auto doc = parse_opml(R"(<opml version="1.0"><body><outline title="Only title"
      xmlUrl="https://a.example/rss"/></body></opml>)");
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->feeds.size(), 1u);
  EXPECT_EQ(doc->feeds[0].title, "Only title");
}

TEST(Opml, Spec_ExportThenImportKeepsFeedsAndTags) {
  std::vector<OpmlFeed> feeds = {
      {"A & B news", "https://a.example/rss?x=1&y=2", "", {"Security", "EU"}},
      {"Plain", "https://p.example/feed", "https://p.example/", {}},
      {"C", "https://c.example/atom", "", {"Security"}},
  };
  std::string text = write_opml("banwatch sources", feeds);
  auto doc = parse_opml(text);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_TRUE(doc->warnings.empty());
  ASSERT_EQ(doc->feeds.size(), 3u);
  // Untagged first, then by folder.
  EXPECT_EQ(doc->feeds[0].title, "Plain");
  EXPECT_EQ(doc->feeds[0].html_url, "https://p.example/");
  EXPECT_EQ(doc->feeds[1].title, "A & B news");
  EXPECT_EQ(doc->feeds[1].xml_url, "https://a.example/rss?x=1&y=2");
  EXPECT_EQ(doc->feeds[1].tags, (std::vector<std::string>{"Security", "EU"}));
  EXPECT_EQ(doc->feeds[2].tags, (std::vector<std::string>{"Security"}));
}

TEST(Opml, Spec_NotOpmlNamesTheRoot) {
  auto doc = parse_opml("<rss version=\"2.0\"/>");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, ErrorCode::kParse);
  EXPECT_NE(doc.error().message.find("<rss>"), std::string::npos);
}

TEST(Opml, Budget_OutlinesAndDepth) {
  std::string deep = "<opml><body>";
  for (int i = 0; i < 100; ++i) deep += "<outline text=\"f\">";
  deep += "</body></opml>";
  OpmlOptions options;
  options.max_depth = 20;
  auto doc = parse_opml(deep, options);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, ErrorCode::kBudgetExceeded);
  std::string many = "<opml><body>";
  for (int i = 0; i < 50; ++i) many += "<outline xmlUrl=\"https://x.example/" + std::to_string(i) + "\"/>";
  many += "</body></opml>";
  options.max_outlines = 10;
  auto doc2 = parse_opml(many, options);
  ASSERT_FALSE(doc2);
  EXPECT_EQ(doc2.error().code, ErrorCode::kBudgetExceeded);
}

TEST(Opml, Lenient_BareAmpersandInUrl) {
  auto doc = parse_opml(R"(<opml version="2.0"><body><outline text="x"
      xmlUrl="https://a.example/rss?a=1&b=2"/></body></opml>)");
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->feeds.size(), 1u);
  EXPECT_EQ(doc->feeds[0].xml_url, "https://a.example/rss?a=1&b=2");
}

}  // namespace
}  // namespace banwatch::feeds
