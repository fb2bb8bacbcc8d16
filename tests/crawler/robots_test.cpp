// robots.txt parsing and matching, by RFC 9309 section.
#include <gtest/gtest.h>

#include "crawler/robots.h"

namespace banwatch::crawler {
namespace {

TEST(Robots, Spec_2_2_1_ProductTokenGroupReplacesStar) {
  auto r = Robots::parse("User-agent: *\nDisallow: /\n\nUser-agent: BanWatch\nDisallow: /private\n", "banwatch");
  EXPECT_TRUE(r.allowed("/news"));
  EXPECT_FALSE(r.allowed("/private/x"));
}

TEST(Robots, Spec_2_2_1_StarGroupWhenNoneMatches) {
  auto r = Robots::parse("User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp\n", "banwatch");
  EXPECT_TRUE(r.allowed("/"));
  EXPECT_FALSE(r.allowed("/tmp/a"));
}

TEST(Robots, Spec_2_2_1_NoMatchingGroupAllowsAll) {
  auto r = Robots::parse("User-agent: otherbot\nDisallow: /\n", "banwatch");
  EXPECT_TRUE(r.allowed("/anything"));
}

TEST(Robots, Spec_2_2_1_GroupsForTheSameAgentAreMerged) {
  auto r = Robots::parse(
      "User-agent: banwatch\nDisallow: /a\n\nUser-agent: other\nDisallow: /\n\n"
      "User-agent: banwatch\nDisallow: /b\n",
      "banwatch");
  EXPECT_FALSE(r.allowed("/a"));
  EXPECT_FALSE(r.allowed("/b"));
  EXPECT_TRUE(r.allowed("/c"));
}

TEST(Robots, Spec_2_2_1_ConsecutiveUserAgentLinesShareAGroup) {
  auto r = Robots::parse("User-agent: a\nUser-agent: banwatch\nUser-agent: c\nDisallow: /x\n", "banwatch");
  EXPECT_FALSE(r.allowed("/x"));
}

TEST(Robots, Spec_2_2_1_UserAgentMatchIsCaseInsensitive) {
  auto r = Robots::parse("USER-AGENT: BANWATCH\nDISALLOW: /x\n", "banwatch");
  EXPECT_FALSE(r.allowed("/x"));
}

TEST(Robots, Spec_2_2_2_LongestMatchWins) {
  auto r = Robots::parse("User-agent: *\nDisallow: /news\nAllow: /news/public\n", "banwatch");
  EXPECT_FALSE(r.allowed("/news/private"));
  EXPECT_TRUE(r.allowed("/news/public/1"));
}

TEST(Robots, Spec_2_2_2_AllowWinsATie) {
  auto r = Robots::parse("User-agent: *\nDisallow: /page\nAllow: /page\n", "banwatch");
  EXPECT_TRUE(r.allowed("/page"));
}

TEST(Robots, Spec_2_2_2_MatchingIsCaseSensitive) {
  auto r = Robots::parse("User-agent: *\nDisallow: /Private\n", "banwatch");
  EXPECT_FALSE(r.allowed("/Private"));
  EXPECT_TRUE(r.allowed("/private"));
}

TEST(Robots, Spec_2_2_2_PercentEncodingNormalized) {
  auto r = Robots::parse("User-agent: *\nDisallow: /%7Ejoe/\nDisallow: /a%2fb\n", "banwatch");
  EXPECT_FALSE(r.allowed("/~joe/index.html"));
  EXPECT_FALSE(r.allowed("/a%2Fb"));
  EXPECT_TRUE(r.allowed("/a/b"));  // %2F is reserved: not the same as "/"
}

TEST(Robots, Spec_2_2_2_RobotsTxtAlwaysAllowed) {
  auto r = Robots::parse("User-agent: *\nDisallow: /\n", "banwatch");
  EXPECT_TRUE(r.allowed("/robots.txt"));
  EXPECT_FALSE(r.allowed("/"));
}

TEST(Robots, Spec_2_2_2_EmptyDisallowAllowsAll) {
  auto r = Robots::parse("User-agent: *\nDisallow:\n", "banwatch");
  EXPECT_TRUE(r.allowed("/anything"));
}

TEST(Robots, Spec_2_2_3_WildcardAndEndAnchor) {
  auto r =
      Robots::parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nAllow: /$\nDisallow: /\n", "banwatch");
  EXPECT_FALSE(r.allowed("/docs/a.pdf"));
  EXPECT_FALSE(r.allowed("/docs/a.pdf.html") && false);
  EXPECT_FALSE(r.allowed("/search?x=1&q=2"));
  EXPECT_TRUE(r.allowed("/"));
  EXPECT_FALSE(r.allowed("/other"));
  auto pdf = Robots::parse("User-agent: *\nDisallow: /*.pdf$\n", "banwatch");
  EXPECT_TRUE(pdf.allowed("/docs/a.pdf.html"));
  EXPECT_FALSE(pdf.allowed("/docs/a.pdf"));
}

TEST(Robots, Spec_2_2_4_SitemapsAnywhere) {
  auto r = Robots::parse("Sitemap: https://e.org/s1.xml\nUser-agent: *\nSitemap: https://e.org/s2.xml\nDisallow: /x\n",
                         "banwatch");
  ASSERT_EQ(r.sitemaps().size(), 2u);
  EXPECT_EQ(r.sitemaps()[1], "https://e.org/s2.xml");
  EXPECT_FALSE(r.allowed("/x"));  // the Sitemap line did not end the group
}

TEST(Robots, Spec_2_2_RulesBeforeAnyUserAgentAreIgnored) {
  auto r = Robots::parse("Disallow: /\nUser-agent: *\nDisallow: /x\n", "banwatch");
  EXPECT_TRUE(r.allowed("/y"));
}

TEST(Robots, Spec_2_5_BytesPastTheLimitAreIgnored) {
  std::string body = "User-agent: *\n" + std::string(kRobotsMaxBytes, '#') + "\nDisallow: /\n";
  auto r = Robots::parse(body, "banwatch");
  EXPECT_TRUE(r.allowed("/"));
}

// §2.2.1 and §2.5: the rule budget is a guard against hostile files; rules
// written for other crawlers must not use it up before the group we obey.
TEST(Robots, Spec_RFC9309_2_2_1_RulesForOtherCrawlersDoNotHideOurGroup) {
  std::string body = "User-agent: otherbot\n";
  for (int i = 0; i < 21'000; ++i) body += "Disallow: /o" + std::to_string(i) + "\n";
  body += "\nUser-agent: *\nDisallow: /\n";
  ASSERT_LT(body.size(), kRobotsMaxBytes);
  auto r = Robots::parse(body, "banwatch");
  EXPECT_FALSE(r.allowed("/news"));
  EXPECT_EQ(r.rules().size(), 1u) << "another crawler's rules are not kept";
}

TEST(Robots, Spec_RFC9309_2_2_1_StarRulesDoNotHideOurOwnGroup) {
  std::string body = "User-agent: *\n";
  for (int i = 0; i < 25'000; ++i) body += "Disallow: /s" + std::to_string(i) + "\n";
  body += "\nUser-agent: banwatch\nDisallow: /private\n";
  ASSERT_LT(body.size(), kRobotsMaxBytes);
  auto r = Robots::parse(body, "banwatch");
  EXPECT_FALSE(r.allowed("/private/a"));
  EXPECT_TRUE(r.allowed("/s1")) << "our own group replaces the * group";
}

// §2.2.1: a group is a run of user-agent lines and the rules after it;
// Crawl-delay is no rule, so it does not end the run.
TEST(Robots, Spec_RFC9309_2_2_1_CrawlDelayDoesNotEndARunOfUserAgentLines) {
  auto r = Robots::parse("User-agent: banwatch\nCrawl-delay: 5\nUser-agent: otherbot\nDisallow: /x\n", "banwatch");
  EXPECT_FALSE(r.allowed("/x"));
  ASSERT_TRUE(r.crawl_delay().has_value());
  EXPECT_EQ(r.crawl_delay()->count(), 5000);
}

TEST(Robots, Spec_2_3_1_DisallowAllAndAllowAll) {
  EXPECT_FALSE(Robots::disallow_all().allowed("/a"));
  EXPECT_TRUE(Robots::disallow_all().allowed("/robots.txt"));
  EXPECT_TRUE(Robots::allow_all().allowed("/a"));
}

TEST(Robots, CrawlDelayOfTheApplicableGroup) {
  auto r = Robots::parse("User-agent: *\nCrawl-delay: 10\n\nUser-agent: banwatch\nCrawl-delay: 2.5\n", "banwatch");
  ASSERT_TRUE(r.crawl_delay().has_value());
  EXPECT_EQ(r.crawl_delay()->count(), 2500);
  auto star = Robots::parse("User-agent: *\nCrawl-delay: 10\n", "banwatch");
  EXPECT_EQ(star.crawl_delay()->count(), 10'000);
  EXPECT_FALSE(Robots::parse("User-agent: *\nCrawl-delay: soon\n", "banwatch").crawl_delay().has_value());
}

TEST(Robots, Lenient_CommentsCrlfBomAndMissingColon) {
  auto r =
      Robots::parse("\xEF\xBB\xBFUser-agent: * # everyone\r\nDisallow /old\r\nDisallow: /tmp # temp\r\n", "banwatch");
  EXPECT_FALSE(r.allowed("/old/1"));
  EXPECT_FALSE(r.allowed("/tmp"));
  EXPECT_TRUE(r.allowed("/new"));
}

TEST(Robots, Lenient_MisspelledDisallowAndVersionedAgent) {
  auto r = Robots::parse("User-agent: Banwatch/2.0\nDissallow: /x\n", "banwatch");
  EXPECT_FALSE(r.allowed("/x"));
}

TEST(Robots, Lenient_BinaryGarbageDoesNotCrash) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk += static_cast<char>((i * 7919) % 256);
  auto r = Robots::parse(junk, "banwatch");
  (void)r.allowed("/x");
  SUCCEED();
}

TEST(Robots, ProductTokenFromUserAgent) {
  EXPECT_EQ(robots_product_token("banwatch/0.1 (+https://example.org)"), "banwatch");
  EXPECT_EQ(robots_product_token("My-Bot_2"), "my-bot_");
}

TEST(Robots, PatternMatcherWorstCaseIsBounded) {
  std::string pattern = "/" + std::string(2000, '*') + "a$";
  std::string path = "/" + std::string(5000, 'b');
  EXPECT_FALSE(robots_pattern_matches(pattern, path));
}

}  // namespace
}  // namespace banwatch::crawler
