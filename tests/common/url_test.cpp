#include "common/url.h"

#include <gtest/gtest.h>

namespace banwatch {
namespace {

std::string parsed(std::string_view s) {
  auto u = Url::parse(s);
  return u ? u->str() : "ERROR: " + u.error().message;
}

std::string resolved(std::string_view base, std::string_view ref) {
  auto b = Url::parse(base);
  if (!b) return "BASE ERROR";
  auto r = b->resolve(ref);
  return r ? r->str() : "ERROR: " + r.error().message;
}

TEST(Url, Spec_Rfc3986_3_ComponentsAreSplit) {
  auto u = Url::parse("https://user@Example.COM:8443/a/b?x=1&y=2#frag");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme(), "https");
  EXPECT_EQ(u->userinfo(), "user");
  EXPECT_EQ(u->host(), "example.com");
  EXPECT_EQ(u->port(), 8443);
  EXPECT_EQ(u->path(), "/a/b");
  EXPECT_EQ(u->query(), "x=1&y=2");
  EXPECT_EQ(u->fragment(), "frag");
  EXPECT_EQ(u->authority(), "example.com:8443");
  EXPECT_EQ(u->origin(), "https://example.com:8443");
  EXPECT_EQ(u->path_and_query(), "/a/b?x=1&y=2");
}

TEST(Url, Spec_Rfc3986_6_2_3_DefaultPortAndEmptyPathNormalized) {
  EXPECT_EQ(parsed("HTTP://Example.com:80"), "http://example.com/");
  EXPECT_EQ(parsed("https://example.com:443/x"), "https://example.com/x");
  EXPECT_EQ(Url::parse("https://example.com/")->effective_port(), 443);
}

TEST(Url, Spec_Rfc3986_5_4_1_NormalExamples) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(resolved(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(resolved(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(resolved(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(resolved(base, "/g"), "http://a/g");
  EXPECT_EQ(resolved(base, "//g"), "http://g/");
  EXPECT_EQ(resolved(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(resolved(base, "g?y"), "http://a/b/c/g?y");
  EXPECT_EQ(resolved(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(resolved(base, "g#s"), "http://a/b/c/g#s");
  EXPECT_EQ(resolved(base, ";x"), "http://a/b/c/;x");
  EXPECT_EQ(resolved(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(resolved(base, "."), "http://a/b/c/");
  EXPECT_EQ(resolved(base, "./"), "http://a/b/c/");
  EXPECT_EQ(resolved(base, ".."), "http://a/b/");
  EXPECT_EQ(resolved(base, "../"), "http://a/b/");
  EXPECT_EQ(resolved(base, "../g"), "http://a/b/g");
  EXPECT_EQ(resolved(base, "../.."), "http://a/");
  EXPECT_EQ(resolved(base, "../../g"), "http://a/g");
}

TEST(Url, Spec_Rfc3986_5_4_2_AbnormalExamples) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(resolved(base, "../../../g"), "http://a/g");
  EXPECT_EQ(resolved(base, "/./g"), "http://a/g");
  EXPECT_EQ(resolved(base, "/../g"), "http://a/g");
  EXPECT_EQ(resolved(base, "g."), "http://a/b/c/g.");
  EXPECT_EQ(resolved(base, "..g"), "http://a/b/c/..g");
  EXPECT_EQ(resolved(base, "./../g"), "http://a/b/g");
  EXPECT_EQ(resolved(base, "g/./h"), "http://a/b/c/g/h");
  EXPECT_EQ(resolved(base, "g/../h"), "http://a/b/c/h");
  EXPECT_EQ(resolved(base, "http:g"), "http://a/b/c/g");
}

TEST(Url, Spec_AbsoluteReferenceReplacesBase) {
  EXPECT_EQ(resolved("https://a.example/x", "https://b.example/y?z#f"), "https://b.example/y?z#f");
  EXPECT_EQ(resolved("https://a.example/x", "mailto:someone@example.com"), "mailto:someone@example.com");
}

TEST(Url, Lenient_WhitespaceAndControlCharactersAreStripped) {
  EXPECT_EQ(parsed("  https://example.com/a\n/b \t"), "https://example.com/a/b");
  EXPECT_EQ(parsed("https://example.com/a b"), "https://example.com/a%20b");
}

TEST(Url, Lenient_NonAsciiIsPercentEncoded) {
  EXPECT_EQ(parsed("https://example.com/caf\xc3\xa9"), "https://example.com/caf%C3%A9");
}

TEST(Url, Lenient_BackslashesAreSlashesForHttp) {
  EXPECT_EQ(parsed("https:\\\\example.com\\a\\b"), "https://example.com/a/b");
}

TEST(Url, Lenient_TrailingHostDotIsDropped) { EXPECT_EQ(parsed("https://example.com./x"), "https://example.com/x"); }

TEST(Url, RejectsWhatIsNotAnAbsoluteUrl) {
  EXPECT_FALSE(Url::parse(""));
  EXPECT_FALSE(Url::parse("/relative/path"));
  EXPECT_FALSE(Url::parse("example.com/x"));
  EXPECT_FALSE(Url::parse("https://"));
  EXPECT_FALSE(Url::parse("https://example.com:99999/"));
  EXPECT_FALSE(Url::parse("https://example.com:12ab/"));
  EXPECT_EQ(Url::parse("https://[::1/").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Url::parse(std::string(20000, 'a')).error().code, ErrorCode::kBudgetExceeded);
}

TEST(Url, Ipv6HostsKeepBracketsInAuthority) {
  auto u = Url::parse("http://[::1]:8080/x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host(), "::1");
  EXPECT_EQ(u->authority(), "[::1]:8080");
  EXPECT_EQ(u->str(), "http://[::1]:8080/x");
}

// Found by fuzz_url: a host with a stray ':' or ']' was written back in
// brackets, as if it were an IPv6 address, and the result did not parse.
TEST(Url, Spec_Rfc3986_3_2_2_HostIsARegNameOrAnIpLiteral) {
  EXPECT_EQ(Url::parse("http://a:b:80/").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Url::parse("http://x]y/").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Url::parse("http://[x]y/").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Url::parse("http://[zz::1]/").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed("http://[2001:DB8::1]:8080/x"), "http://[2001:db8::1]:8080/x");
  EXPECT_EQ(parsed("http://[::ffff:192.0.2.1]/"), "http://[::ffff:192.0.2.1]/");
}

TEST(Url, CanonicalDropsTrackingParametersAndFragment) {
  auto u = Url::parse("https://News.Example.com/story?id=7&utm_source=x&UTM_Medium=y&fbclid=abc&page=2&gclid=1#top");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->canonical().str(), "https://news.example.com/story?id=7&page=2");
  EXPECT_EQ(canonical_url_string("https://example.com/a?utm_campaign=z"), "https://example.com/a");
  EXPECT_EQ(canonical_url_string("not a url"), "not a url");
  // http and https stay distinct: they may be different documents.
  EXPECT_NE(canonical_url_string("http://example.com/a"), canonical_url_string("https://example.com/a"));
}

TEST(Url, CanonicalIsIdempotent) {
  auto once = Url::parse("https://example.com/a/../b/?x=1&utm_term=2#f")->canonical();
  EXPECT_EQ(once.canonical().str(), once.str());
  EXPECT_EQ(once.str(), "https://example.com/b/?x=1");
}

}  // namespace
}  // namespace banwatch
