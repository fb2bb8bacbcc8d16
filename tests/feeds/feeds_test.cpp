// Feed, sitemap and JSON Feed parsing: Spec_* tests follow the format's
// specification section by section, Lenient_* tests pin the tolerance chosen
// for broken real-world feeds, Budget_* tests the limits on untrusted input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/time.h"
#include "feeds/feed.h"

namespace banwatch::feeds {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(BANWATCH_TEST_DATA) + "/feeds/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Feed parse_ok(std::string_view bytes, Options options = {}) {
  auto feed = parse(bytes, options);
  EXPECT_TRUE(feed.has_value()) << (feed ? "" : feed.error().message);
  return feed ? *feed : Feed{};
}

std::string iso(const std::optional<PreciseTime>& t) { return t ? format_iso8601(t->time) : "(none)"; }

// ---- RSS 2.0 --------------------------------------------------------------

TEST(FeedsRss20, Spec_ChannelElements) {
  Feed feed = parse_ok(read_fixture("rss20_news.xml"));
  EXPECT_EQ(feed.format, Format::kRss20);
  EXPECT_EQ(feed.title, "Harbour Gazette: Policy");  // not the <image> title
  EXPECT_EQ(feed.link, "https://gazette.example/policy/");
  EXPECT_EQ(feed.language, "en-gb");
  EXPECT_EQ(iso(feed.updated), "2026-11-24T09:30:00Z");
  EXPECT_EQ(feed.ttl_minutes, 15);
  EXPECT_FALSE(feed.bozo()) << feed.warnings.front();
  ASSERT_EQ(feed.items.size(), 3u);
}

TEST(FeedsRss20, Spec_ItemElements) {
  Options options;
  options.base_url = "https://gazette.example/policy/rss";
  Feed feed = parse_ok(read_fixture("rss20_news.xml"), options);
  ASSERT_EQ(feed.items.size(), 3u);
  const Item& item = feed.items[0];
  EXPECT_EQ(item.title, "Council bars Acme routers from municipal networks");
  EXPECT_EQ(item.url, "https://gazette.example/policy/2026/11/acme-routers");  // resolved
  EXPECT_EQ(item.id, "gazette-4711");
  EXPECT_EQ(iso(item.published), "2026-11-24T07:15:00Z");
  EXPECT_EQ(item.published_raw, "Tue, 24 Nov 2026 08:15:00 +0100");
  EXPECT_EQ(item.authors, (std::vector<std::string>{"Ann Writer"}));
  EXPECT_EQ(item.categories, (std::vector<std::string>{"Security", "Procurement"}));
  EXPECT_EQ(item.summary, "The council voted <b>unanimously</b>.");
  EXPECT_EQ(item.summary_type, "text/html");
  EXPECT_EQ(item.content_type, "text/html");
  // Relative links inside content are resolved against the feed URL.
  EXPECT_NE(item.content.find("href=\"https://gazette.example/about\""), std::string::npos) << item.content;
  ASSERT_EQ(item.enclosures.size(), 1u);
  EXPECT_EQ(item.enclosures[0].url, "https://gazette.example/audio/4711.mp3");
  EXPECT_EQ(item.enclosures[0].length, 123456);
  EXPECT_EQ(item.enclosures[0].type, "audio/mpeg");
}

TEST(FeedsRss20, Spec_AuthorEmailWithNameInParentheses) {
  Feed feed = parse_ok(read_fixture("rss20_news.xml"));
  ASSERT_GE(feed.items.size(), 2u);
  EXPECT_EQ(feed.items[1].authors, (std::vector<std::string>{"News Desk"}));
  ASSERT_EQ(feed.items[1].author_details.size(), 1u);
  EXPECT_EQ(feed.items[1].author_details[0].email, "desk@gazette.example");
}

TEST(FeedsRss20, Spec_Rfc822TwoDigitYearNamedZoneNoSeconds) {
  Feed feed = parse_ok(read_fixture("rss20_news.xml"));
  ASSERT_GE(feed.items.size(), 2u);
  EXPECT_EQ(iso(feed.items[1].published), "2026-11-23T22:00:00Z");
}

TEST(FeedsRss20, Spec_GuidPermalinkIsTheLinkWhenNoLink) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><item>
      <guid>https://site.example/a?x=1&amp;y=2</guid></item></channel></rss>)");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].url, "https://site.example/a?x=1&y=2");
  EXPECT_EQ(feed.items[0].id, "https://site.example/a?x=1&y=2");
}

TEST(FeedsRss20, Spec_GuidNotPermalinkIsNotALink) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><item>
      <guid isPermaLink="false">https://site.example/a</guid></item></channel></rss>)");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].url, "");
}

TEST(FeedsRss20, Spec_VersionAttribute) {
  EXPECT_EQ(parse_ok(R"(<rss version="0.91"><channel/></rss>)").format, Format::kRss091);
  EXPECT_EQ(parse_ok(R"(<rss version="0.92"><channel/></rss>)").format, Format::kRss092);
  EXPECT_EQ(parse_ok(R"(<rss version="2.0"><channel/></rss>)").format, Format::kRss20);
  EXPECT_EQ(parse_ok(R"(<rss><channel/></rss>)").format, Format::kRssUnversioned);
}

TEST(FeedsRss20, Spec_SkipHoursAndDays) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><skipHours><hour>0</hour><hour>23</hour>
      </skipHours><skipDays><day>Sunday</day></skipDays></channel></rss>)");
  EXPECT_EQ(feed.skip_hours, (std::vector<int>{0, 23}));
  EXPECT_EQ(feed.skip_days, (std::vector<std::string>{"Sunday"}));
}

// ---- RSS 1.0 / RDF ---------------------------------------------------------

TEST(FeedsRss10, Spec_RdfChannelAndItemsAsSiblings) {
  Feed feed = parse_ok(read_fixture("rdf_rss10.xml"));
  EXPECT_EQ(feed.format, Format::kRss10);
  EXPECT_EQ(feed.title, "Wire Service");
  EXPECT_EQ(feed.language, "fr");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].id, "https://wire.example/a1");  // rdf:about
  EXPECT_EQ(feed.items[0].categories, (std::vector<std::string>{"Politique"}));
  EXPECT_EQ(iso(feed.items[0].updated), "2026-11-20T06:45:00Z");  // dc:date
}

TEST(FeedsRss10, Spec_Rss090Namespace) {
  Feed feed = parse_ok(R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Old</title></channel>
      <item><title>One</title><link>https://old.example/1</link></item></rdf:RDF>)");
  EXPECT_EQ(feed.format, Format::kRss090);
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].url, "https://old.example/1");
}

// ---- Atom 1.0 (RFC 4287) -------------------------------------------------

TEST(FeedsAtom10, Spec_4_2_FeedMetadata) {
  Feed feed = parse_ok(read_fixture("atom10_entries.xml"));
  EXPECT_EQ(feed.format, Format::kAtom10);
  EXPECT_EQ(feed.title, "Tech & Politik");  // type="html": plain text of the HTML
  EXPECT_EQ(feed.title_type, "text/html");
  EXPECT_EQ(feed.link, "https://tech.example/");  // rel=alternate, not self
  EXPECT_EQ(feed.language, "de");                 // xml:lang
  EXPECT_EQ(iso(feed.updated), "2026-11-25T09:00:00Z");
  EXPECT_EQ(feed.authors, (std::vector<std::string>{"Redaktion"}));
}

TEST(FeedsAtom10, Spec_4_1_2_EntryWithXmlBase) {
  Feed feed = parse_ok(read_fixture("atom10_entries.xml"));
  ASSERT_EQ(feed.items.size(), 2u);
  const Item& e = feed.items[0];
  EXPECT_EQ(e.title, "Verbot für Acme-Kameras");
  EXPECT_EQ(e.title_raw, "Verbot für <em>Acme</em>-Kameras");
  EXPECT_EQ(e.url, "https://tech.example/artikel/42");
  EXPECT_EQ(e.id, "tag:tech.example,2026:42");
  EXPECT_EQ(iso(e.published), "2026-11-25T08:00:00Z");
  EXPECT_EQ(iso(e.updated), "2026-11-25T08:12:30Z");
  EXPECT_EQ(e.authors, (std::vector<std::string>{"Bea Autorin"}));
  ASSERT_EQ(e.author_details.size(), 1u);
  EXPECT_EQ(e.author_details[0].uri, "https://tech.example/autoren/bea");
  EXPECT_EQ(e.categories, (std::vector<std::string>{"Sicherheit"}));
  ASSERT_EQ(e.enclosures.size(), 1u);
  EXPECT_EQ(e.enclosures[0].url, "https://tech.example/img/42.jpg");
  EXPECT_EQ(e.language, "de");
  // Entry-level xml:base overrides the feed's.
  EXPECT_EQ(feed.items[1].url, "https://other.example/sub/beitrag");
}

TEST(FeedsAtom10, Spec_3_1_1_TextConstructTypes) {
  Feed feed = parse_ok(read_fixture("atom10_entries.xml"));
  ASSERT_GE(feed.items.size(), 1u);
  const Item& e = feed.items[0];
  EXPECT_EQ(e.summary, "Kurzfassung <ohne> Markup");
  EXPECT_EQ(e.summary_type, "text/plain");
  // type="xhtml": the wrapping div is not part of the content (§3.1.1.3).
  EXPECT_EQ(e.content_type, "application/xhtml+xml");
  EXPECT_EQ(e.content,
            "<p>Die <strong>Behörde</strong> verbietet <a href=\"https://tech.example/quelle\">"
            "Kameras</a>.</p><br />");
}

TEST(FeedsAtom10, Spec_4_1_3_3_Base64ContentForOtherMediaTypes) {
  Feed feed = parse_ok(R"(<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id>
      <content type="application/octet-stream">SGVsbG8gPGI+d29ybGQ8L2I+</content></entry></feed>)");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].content, "Hello <b>world</b>");
}

TEST(FeedsAtom10, Spec_PartialW3cdtfDateKeepsPrecision) {
  Feed feed = parse_ok(read_fixture("atom10_entries.xml"));
  ASSERT_EQ(feed.items.size(), 2u);
  ASSERT_TRUE(feed.items[1].updated.has_value());
  EXPECT_EQ(feed.items[1].updated->precision, DatePrecision::kMonth);
}

TEST(FeedsAtom03, Spec_EscapedModeAndLinkPriority) {
  Feed feed = parse_ok(R"(<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry>
      <title type="text/html" mode="escaped">A &lt;b&gt;bold&lt;/b&gt; move</title>
      <link rel="enclosure" href="https://x.example/e.mp3"/>
      <link rel="alternate" type="text/html" href="https://x.example/post"/>
      <issued>2004-01-01T19:48:21Z</issued></entry></feed>)");
  EXPECT_EQ(feed.format, Format::kAtom03);
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].title, "A bold move");
  EXPECT_EQ(feed.items[0].url, "https://x.example/post");
  EXPECT_EQ(iso(feed.items[0].published), "2004-01-01T19:48:21Z");
}

// ---- JSON Feed ------------------------------------------------------------

TEST(FeedsJson, Spec_JsonFeed11TopLevelAndItems) {
  Feed feed = parse_ok(read_fixture("jsonfeed11.json"));
  EXPECT_EQ(feed.format, Format::kJsonFeed11);
  EXPECT_EQ(feed.title, "Procurement Watch");
  EXPECT_EQ(feed.link, "https://watch.example/");
  ASSERT_EQ(feed.items.size(), 2u);
  const Item& a = feed.items[0];
  EXPECT_EQ(a.id, "w-1");
  EXPECT_EQ(a.content, "<p>The agency <em>ended</em> the contract.</p>");
  EXPECT_EQ(a.content_type, "text/html");
  EXPECT_EQ(iso(a.published), "2026-11-21T17:00:00Z");
  EXPECT_EQ(a.categories, (std::vector<std::string>{"cloud", "ban"}));
  ASSERT_EQ(a.enclosures.size(), 1u);
  EXPECT_EQ(a.enclosures[0].length, 9001);
  EXPECT_EQ(a.authors, (std::vector<std::string>{"Watch Team"}));  // inherited
  const Item& b = feed.items[1];
  EXPECT_EQ(b.id, "2");  // numeric ids of 1.0 feeds kept as text
  EXPECT_EQ(b.url, "https://watch.example/posts/2");
  EXPECT_EQ(b.content_type, "text/plain");
}

TEST(FeedsJson, Spec_NotAJsonFeedNamesTheKeys) {
  auto result = parse(R"({"name": "x", "data": [1, 2]})", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kParse);
  EXPECT_NE(result.error().message.find("name"), std::string::npos) << result.error().message;
}

// ---- Sitemaps -------------------------------------------------------------

TEST(FeedsSitemap, Spec_GoogleNewsSitemap) {
  Feed feed = parse_ok(read_fixture("news_sitemap.xml"));
  EXPECT_EQ(feed.format, Format::kNewsSitemap);
  ASSERT_EQ(feed.items.size(), 2u);
  const Item& a = feed.items[0];
  EXPECT_EQ(a.url, "https://daily.example/world/2026/11/26/ministry-bans-acme-modems");
  EXPECT_EQ(a.title, "Ministry bans Acme modems in state offices");
  EXPECT_EQ(a.publication_name, "The Daily Example");
  EXPECT_EQ(a.language, "en");
  EXPECT_EQ(iso(a.published), "2026-11-26T10:30:00Z");
  EXPECT_EQ(iso(a.updated), "2026-11-26T11:02:00Z");
  EXPECT_EQ(a.categories, (std::vector<std::string>{"Acme", "modems", "procurement ban"}));
  EXPECT_EQ(a.id, a.url);  // no guid: the canonical link
}

TEST(FeedsSitemap, Spec_SitemapIndexListsChildSitemaps) {
  Feed feed = parse_ok(read_fixture("sitemap_index.xml"));
  EXPECT_EQ(feed.format, Format::kSitemapIndex);
  ASSERT_EQ(feed.items.size(), 2u);
  EXPECT_EQ(feed.items[0].url, "https://daily.example/sitemaps/news-1.xml");
  EXPECT_EQ(feed.items[0].updated->precision, DatePrecision::kDay);
}

TEST(FeedsSitemap, Spec_PlainSitemap) {
  Feed feed = parse_ok(R"(<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://a.example/1</loc></url></urlset>)");
  EXPECT_EQ(feed.format, Format::kSitemap);
  ASSERT_EQ(feed.items.size(), 1u);
}

// ---- Identity --------------------------------------------------------------

TEST(FeedsIdentity, Spec_StableIdFallbacks) {
  Feed feed = parse_ok(read_fixture("rss20_news.xml"));
  ASSERT_EQ(feed.items.size(), 3u);
  // No guid: the canonical link (tracking parameters dropped).
  EXPECT_EQ(feed.items[1].id, "https://gazette.example/policy/2026/11/second");
  // Neither guid nor link: a hash of title and date, the same every time.
  Feed again = parse_ok(read_fixture("rss20_news.xml"));
  EXPECT_TRUE(feed.items[2].id.starts_with("urn:banwatch:item:"));
  EXPECT_EQ(feed.items[2].id, again.items[2].id);
}

// ---- Encodings -------------------------------------------------------------

TEST(FeedsEncoding, Spec_DeclaredWindows1251ConvertedToUtf8) {
  Feed feed = parse_ok(read_fixture("rss_windows1251.xml"));
  EXPECT_EQ(feed.encoding, "windows-1251");
  EXPECT_EQ(feed.title, "Новости");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].title, "Запрет Acme");
  EXPECT_FALSE(feed.bozo());
}

TEST(FeedsEncoding, Spec_HttpCharsetOverridesDeclaration) {
  // Bytes are ISO-8859-1 although the document claims UTF-8; the server knew.
  std::string bytes =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
      "<title>Caf\xe9</title></channel></rss>";
  Options options;
  options.http_charset = "iso-8859-1";
  Feed feed = parse_ok(bytes, options);
  EXPECT_EQ(feed.title, "Café");
  EXPECT_EQ(feed.encoding, "iso-8859-1");
}

TEST(FeedsEncoding, Spec_Utf16WithBom) {
  std::string utf8 =
      "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel>"
      "<title>Zoë</title></channel></rss>";
  std::string bytes = "\xFF\xFE";
  // UTF-16LE of the (BMP-only) text.
  for (std::size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = c;
    if (c >= 0xC0) {
      cp = ((c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F);
      i += 2;
    } else {
      ++i;
    }
    bytes += static_cast<char>(cp & 0xFF);
    bytes += static_cast<char>(cp >> 8);
  }
  Feed feed = parse_ok(bytes);
  EXPECT_EQ(feed.title, "Zoë");
  EXPECT_EQ(feed.encoding, "utf-16le");
}

TEST(FeedsEncoding, Lenient_UndeclaredLatin1FallsBackToWindows1252) {
  Feed feed = parse_ok(
      "<rss version=\"2.0\"><channel><title>S\xe3o Paulo \x96 not\xed"
      "cias</title>"
      "</channel></rss>");
  EXPECT_EQ(feed.title, "São Paulo – notícias");
  EXPECT_EQ(feed.encoding, "windows-1252");
  EXPECT_TRUE(feed.bozo());  // declared (by default) UTF-8, read as windows-1252
}

TEST(FeedsEncoding, Lenient_StrayInvalidByteInUtf8IsReplacedWithWarning) {
  Feed feed = parse_ok(
      "<rss version=\"2.0\"><channel><title>na\xc3\xafve \xff caf\xc3\xa9</title>"
      "</channel></rss>");
  EXPECT_EQ(feed.title, "naïve \uFFFD café");
  EXPECT_EQ(feed.encoding, "utf-8");
  EXPECT_TRUE(feed.bozo());
}

TEST(FeedsEncoding, Lenient_Windows1252ControlCharactersRepaired) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><item><title>don&#146;t</title>
      </item></channel></rss>)");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].title, "don’t");
}

// ---- Malformed input -------------------------------------------------------

TEST(FeedsLenient, Lenient_UnescapedAmpersands) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><title>AT&T & friends</title><item>
      <link>https://x.example/?a=1&b=2</link></item></channel></rss>)");
  EXPECT_EQ(feed.title, "AT&T & friends");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].url, "https://x.example/?a=1&b=2");
  EXPECT_TRUE(feed.bozo());
}

TEST(FeedsLenient, Lenient_AmpersandInsideCdataUntouched) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><item><description><![CDATA[a & b &amp; c]]>
      </description></item></channel></rss>)");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].summary, "a & b &amp; c");
  EXPECT_FALSE(feed.bozo());
}

TEST(FeedsLenient, Lenient_HtmlEntitiesInXml) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><title>Caf&eacute;&nbsp;&mdash; &copy;</title>
      </channel></rss>)");
  EXPECT_EQ(feed.title, "Café\u00a0— ©");
  EXPECT_TRUE(feed.bozo());  // undeclared entities are an XML error, recovered
}

TEST(FeedsLenient, Lenient_TruncatedDocumentKeepsCompleteItems) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><title>T</title>
      <item><title>First</title><link>https://x.example/1</link></item>
      <item><title>Second</title><link>https://x.example/2</li)");
  ASSERT_GE(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].title, "First");
  EXPECT_TRUE(feed.bozo());
}

TEST(FeedsLenient, Lenient_UndeclaredNamespacePrefix) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><item><title>x</title>
      <dc:creator>Ann</dc:creator></item></channel></rss>)");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].authors, (std::vector<std::string>{"Ann"}));
}

TEST(FeedsLenient, Lenient_UnparseableDateIsAnItemWarning) {
  Feed feed = parse_ok(read_fixture("rss20_news.xml"));
  ASSERT_EQ(feed.items.size(), 3u);
  EXPECT_FALSE(feed.items[2].published.has_value());
  EXPECT_EQ(feed.items[2].published_raw, "sometime last week");
  ASSERT_EQ(feed.items[2].warnings.size(), 1u);
  EXPECT_NE(feed.items[2].warnings[0].find("sometime last week"), std::string::npos);
}

TEST(FeedsLenient, Lenient_IllegallyNestedMarkupInDescriptionKept) {
  Feed feed = parse_ok(R"(<rss version="2.0"><channel><item><title>x</title>
      <description>Text with <b>raw</b> markup<br/></description></item></channel></rss>)");
  ASSERT_EQ(feed.items.size(), 1u);
  EXPECT_EQ(feed.items[0].summary, "Text with <b>raw</b> markup<br />");
}

// ---- Not a feed ------------------------------------------------------------

TEST(FeedsNotAFeed, Spec_EmptyBody) {
  auto r = parse("", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kParse);
  EXPECT_NE(r.error().message.find("empty body"), std::string::npos);
}

TEST(FeedsNotAFeed, Spec_HtmlErrorPage) {
  for (const char* page : {"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
                           "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
                           "<body/></html>"}) {
    auto r = parse(page, {});
    ASSERT_FALSE(r) << page;
    EXPECT_EQ(r.error().code, ErrorCode::kParse);
    EXPECT_NE(r.error().message.find("HTML page"), std::string::npos) << r.error().message;
  }
}

TEST(FeedsNotAFeed, Spec_OtherXmlNamesItsRoot) {
  auto r = parse("<config><a/></config>", {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("<config>"), std::string::npos) << r.error().message;
}

TEST(FeedsNotAFeed, Spec_PlainText) {
  auto r = parse("Service temporarily unavailable", {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("Service temporarily"), std::string::npos);
}

// ---- Budgets and safety ----------------------------------------------------

TEST(FeedsBudget, Budget_Bytes) {
  Options options;
  options.max_bytes = 100;
  auto r = parse(std::string(200, ' '), options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBudgetExceeded);
}

TEST(FeedsBudget, Budget_Items) {
  std::string feed = "<rss version=\"2.0\"><channel>";
  for (int i = 0; i < 20; ++i) feed += "<item><title>t</title></item>";
  feed += "</channel></rss>";
  Options options;
  options.max_items = 10;
  auto r = parse(feed, options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBudgetExceeded);
  EXPECT_NE(r.error().message.find("item"), std::string::npos);
}

TEST(FeedsBudget, Budget_Depth) {
  std::string feed = "<rss version=\"2.0\"><channel><item><description>";
  for (int i = 0; i < 100; ++i) feed += "<div>";
  feed += "</description></item></channel></rss>";
  Options options;
  options.max_depth = 50;
  auto r = parse(feed, options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBudgetExceeded);
  EXPECT_NE(r.error().message.find("deeper"), std::string::npos);
}

TEST(FeedsBudget, Budget_DepthOfJson) {
  std::string json = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[";
  for (int i = 0; i < 500; ++i) json += "[";
  Options options;
  options.max_depth = 64;
  auto r = parse(json, options);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().code == ErrorCode::kBudgetExceeded || r.error().code == ErrorCode::kParse);
}

TEST(FeedsBudget, Budget_BillionLaughsRefused) {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol \"lol\">";
  doc += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">";
  for (int i = 2; i <= 9; ++i) {
    doc += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) doc += "&lol" + std::to_string(i - 1) + ";";
    doc += "\">";
  }
  doc += "]><rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>";
  auto r = parse(doc, {});
  // Either refused outright or read without the expansion; never 10^9 bytes.
  if (r) {
    EXPECT_LT(r->title.size(), 10'000'000u);
    EXPECT_TRUE(r->bozo());
  } else {
    EXPECT_EQ(r.error().code, ErrorCode::kBudgetExceeded) << r.error().message;
  }
}

TEST(FeedsBudget, Budget_ExternalEntityNeverRead) {
  std::string secret_path = ::testing::TempDir() + "/banwatch_xxe_secret.txt";
  {
    std::ofstream out(secret_path);
    out << "TOP-SECRET-CONTENT";
  }
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://" + secret_path +
                    "\">]><rss version=\"2.0\"><channel><title>a&xxe;b</title>"
                    "</channel></rss>";
  auto r = parse(doc, {});
  if (r) {
    EXPECT_EQ(r->title.find("TOP-SECRET"), std::string::npos) << r->title;
  }
  std::string doc2 = "<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"file://" + secret_path +
                     "\"><rss version=\"2.0\"><channel><title>ok</title></channel></rss>";
  auto r2 = parse(doc2, {});
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->title, "ok");
  std::filesystem::remove(secret_path);
}

TEST(FeedsBudget, Budget_ParameterEntityToExternalDtdIgnored) {
  std::string doc =
      "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "
      "\"http://127.0.0.1:9/evil.dtd\"> %ext;]><rss version=\"2.0\"><channel>"
      "<title>safe</title></channel></rss>";
  auto r = parse(doc, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->title, "safe");
}

}  // namespace
}  // namespace banwatch::feeds
