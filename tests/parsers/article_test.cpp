// Article extraction: boilerplate removal, metadata and dates, charsets,
// paywalls and script shells, budgets and broken input, and the public
// benchmark score when the shared corpus is present.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/time.h"
#include "parsers/article.h"

namespace banwatch::article {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(BANWATCH_TEST_DATA) + "/parsers/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Article extract_ok(const std::string& html, const Options& options = {}) {
  auto a = extract(html, options);
  EXPECT_TRUE(a.has_value()) << (a ? "" : a.error().message);
  return a ? *a : Article{};
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

bool any_warning(const Article& a, const std::string& needle) {
  for (const auto& w : a.warnings)
    if (has(w, needle)) return true;
  return false;
}

std::string iso(const std::optional<PreciseTime>& t) { return t ? format_precise(*t) : "none"; }

TEST(ArticleText, StripsNavigationShareRelatedAdsCookieNewsletterCommentsCaptionsFooter) {
  Article a = extract_ok(fixture("article_boilerplate.html"));
  EXPECT_TRUE(has(a.text, "ordered every government agency to remove software made by ExampleSoft"));
  EXPECT_TRUE(has(a.text, "What the order requires"));  // subheadings are part of the body
  EXPECT_TRUE(has(a.text, "would challenge the decision in court"));
  for (const char* noise : {"cookies", "Home", "Share on Facebook", "Agencies scramble", "Most read",
                            "Sign up for our morning briefing", "First!", "All rights reserved", "headquarters",
                            "Advertisement", "hidden and must not appear", "By Dana", "Regulation"}) {
    EXPECT_FALSE(has(a.text, noise)) << noise;
  }
  // The headline is metadata, not body text.
  EXPECT_FALSE(a.text.starts_with("Regulator bars"));
}

TEST(ArticleText, ParagraphsSeparatedByBlankLinesWithCollapsedWhitespace) {
  Article a = extract_ok(fixture("article_boilerplate.html"));
  EXPECT_TRUE(has(a.text, "state networks.\n\nThe order, published"));
  EXPECT_FALSE(has(a.text, "  "));
  EXPECT_FALSE(has(a.text, "\n\n\n"));
  EXPECT_FALSE(a.text.starts_with("\n"));
  EXPECT_FALSE(a.text.ends_with("\n"));
}

TEST(ArticleText, LineBreaksAndDoubleBreaksInsideAParagraph) {
  std::string html =
      "<html><body><div class='article-body'><p>First line of a long enough paragraph, with commas, here.<br>"
      "Second line of the same paragraph continues the thought for a while longer.<br><br>"
      "A new paragraph after two breaks, which is how many small sites write their articles.</p></div>"
      "</body></html>";
  Article a = extract_ok(html);
  EXPECT_EQ(a.text,
            "First line of a long enough paragraph, with commas, here.\n"
            "Second line of the same paragraph continues the thought for a while longer.\n\n"
            "A new paragraph after two breaks, which is how many small sites write their articles.");
}

TEST(ArticleMetadata, JsonLdOpenGraphAndCanonical) {
  Options options;
  options.url = "https://ledger.example.org/tech/regulator-bars-examplesoft?utm_source=rss";
  Article a = extract_ok(fixture("article_boilerplate.html"), options);
  EXPECT_EQ(a.title, "Regulator bars ExampleSoft from state networks");
  EXPECT_EQ(a.site_name, "The Harbour Ledger");
  EXPECT_EQ(a.description, "A national regulator has ordered agencies to remove ExampleSoft products.");
  EXPECT_EQ(a.language, "en");
  EXPECT_EQ(a.url, options.url);
  EXPECT_TRUE(a.canonical_url.starts_with("https://ledger.example.org/tech/regulator-bars-examplesoft"))
      << a.canonical_url;
  ASSERT_EQ(a.authors.size(), 2u);
  EXPECT_EQ(a.authors[0], "Dana Whitlock");
  EXPECT_EQ(a.authors[1], "Omar Reyes");
  // JSON-LD datePublished with an offset, converted to UTC at its precision.
  EXPECT_EQ(iso(a.published), "2022-03-25T09:15:00Z");
  EXPECT_EQ(iso(a.modified), "2022-03-26T08:00:00Z");
}

TEST(ArticleMetadata, RelativeCanonicalWithoutPageUrlResolvesAgainstOgUrl) {
  Article a = extract_ok(fixture("article_boilerplate.html"));
  EXPECT_TRUE(a.canonical_url.starts_with("https://ledger.example.org/tech/regulator-bars-examplesoft"))
      << a.canonical_url;
}

TEST(ArticleMetadata, TitleWithoutSiteSuffixAndMetaDateAuthorLanguage) {
  Article a = extract_ok(fixture("article_meta_date.html"));
  EXPECT_EQ(a.title, "Port authority suspends crane contract");
  EXPECT_EQ(iso(a.published), "2021-11-02T18:30:00Z");
  ASSERT_EQ(a.authors.size(), 1u);
  EXPECT_EQ(a.authors[0], "Priya Natarajan");
  EXPECT_EQ(a.language, "fr");  // Content-Language declared in the page
}

TEST(ArticleMetadata, DateFromTimeElementKeepsDayPrecision) {
  Article a = extract_ok(fixture("article_time_date.html"));
  ASSERT_TRUE(a.published.has_value());
  EXPECT_EQ(a.published->precision, DatePrecision::kDay);
  EXPECT_EQ(iso(a.published), "2020-06-15");
  EXPECT_EQ(a.language, "de");
}

TEST(ArticleMetadata, DateFromUrlPath) {
  Options options;
  options.url = "https://county.example.com/news/2019/04/17/council-weighs-drone-purchase/";
  Article a = extract_ok(fixture("article_url_date.html"), options);
  EXPECT_EQ(iso(a.published), "2019-04-17");
  Article none = extract_ok(fixture("article_url_date.html"));
  EXPECT_FALSE(none.published.has_value());
}

TEST(ArticleMetadata, DateAndAuthorFromVisibleByline) {
  Article a = extract_ok(fixture("article_byline_date.html"));
  EXPECT_EQ(iso(a.published), "2022-03-25");
  ASSERT_EQ(a.authors.size(), 1u);
  EXPECT_EQ(a.authors[0], "Lena Fischer");
  EXPECT_FALSE(has(a.text, "Lena Fischer"));
}

TEST(ArticleMetadata, LanguageDetectedWhenUndeclared) {
  std::string html =
      "<html><body><div class='content'><p>The committee said that the vendor is not able to meet the terms "
      "of the contract and that the work will be given to another firm with experience in the field.</p>"
      "<p>It is the second time this year that the city has had to cancel a contract for the same kind of "
      "system.</p></div></body></html>";
  Article a = extract_ok(html);
  EXPECT_EQ(a.language, "en");
  EXPECT_TRUE(any_warning(a, "language detected"));
}

TEST(ArticleCharset, Spec_MetaCharsetLatin1IsDecoded) {
  Article a = extract_ok(fixture("article_latin1.html"));
  EXPECT_EQ(a.title, "Marché public annulé");
  EXPECT_TRUE(has(a.text, "La région a annulé le marché public"));
  EXPECT_TRUE(has(a.text, "administratif \xE2\x80\x93 une"));  // 0x96 is an en dash in windows-1252
}

TEST(ArticleCharset, Spec_HttpCharsetOverridesWrongMeta) {
  Options options;
  options.http_charset = "UTF-8";
  Article a = extract_ok(fixture("article_wrong_meta.html"), options);
  EXPECT_EQ(a.title, "Café chain drops card readers");
  EXPECT_TRUE(has(a.text, "government\xE2\x80\x99s list"));
}

TEST(ArticleCharset, Lenient_InvalidBytesReplacedWithWarning) {
  Article a = extract_ok(fixture("article_invalid_utf8.html"));
  EXPECT_TRUE(has(a.text, "stray byte here: \xEF\xBF\xBD and"));
  EXPECT_TRUE(any_warning(a, "U+FFFD"));
}

TEST(ArticleCharset, EntitiesDecodedAndTextInNfc) {
  Article a = extract_ok(fixture("article_invalid_utf8.html"));
  EXPECT_TRUE(has(a.text, "café & crème \xE2\x80\x93 and"));
  EXPECT_TRUE(has(a.text, "decomposed Caf\xC3\xA9 becomes"));  // e + U+0301 composed to U+00E9
  EXPECT_FALSE(has(a.text, "e\xCC\x81"));
}

TEST(ArticleCharset, Spec_Utf8BomWins) {
  std::string html = "\xEF\xBB\xBF<html><head><meta charset='iso-8859-1'><title>Caf\xC3\xA9</title></head></html>";
  Article a = extract_ok(html);
  EXPECT_EQ(a.title, "Café");
}

TEST(ArticlePartial, PaywallTakesJsonLdBodyAndSaysSo) {
  Article a = extract_ok(fixture("article_paywall.html"));
  EXPECT_TRUE(has(a.text, "The change affects policies renewed after the first of April"));
  EXPECT_FALSE(has(a.text, "Subscribe to keep reading"));
  EXPECT_TRUE(a.body_partial);
  EXPECT_TRUE(any_warning(a, "JSON-LD articleBody"));
  EXPECT_TRUE(any_warning(a, "not free"));
  EXPECT_EQ(iso(a.published), "2023-01-10");
}

TEST(ArticlePartial, ScriptRenderedShellGivesMetadataAndAWarningNeverInventedText) {
  Article a = extract_ok(fixture("article_script_shell.html"));
  EXPECT_EQ(a.text, "");
  EXPECT_EQ(a.description, "A page whose text arrives by script.");
  EXPECT_TRUE(a.body_partial);
  EXPECT_TRUE(any_warning(a, "no article body"));
  EXPECT_TRUE(any_warning(a, "rendered by script"));
}

TEST(ArticleRobustness, Lenient_TruncatedHtmlKeepsWhatArrived) {
  Article a = extract_ok(fixture("article_truncated.html"));
  EXPECT_TRUE(has(a.text, "must be returned intact"));
  EXPECT_TRUE(has(a.text, "A second paragraph arrived"));
}

TEST(ArticleRobustness, Budget_HundredThousandNestedDivsDoNotOverflowTheStack) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<p>deep text</p>";
  for (int i = 0; i < 100000; ++i) html += "</div>";
  html += "</body></html>";
  auto a = extract(html, {});
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_TRUE(any_warning(*a, "deeper than"));
  EXPECT_TRUE(a->body_partial);
}

TEST(ArticleRobustness, Budget_HundredThousandUnclosedFormattingTags) {
  std::string html = "<html><body><p>";
  for (int i = 0; i < 100000; ++i) html += "<b><i>x";
  auto a = extract(html, {});
  ASSERT_TRUE(a.has_value()) << a.error().message;
}

TEST(ArticleRobustness, Budget_BytesRejected) {
  Options options;
  options.max_bytes = 1000;
  auto a = extract(std::string(2000, 'x'), options);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::kBudgetExceeded);
  EXPECT_TRUE(has(a.error().message, "budget"));
}

TEST(ArticleRobustness, Budget_NodesRejected) {
  Options options;
  options.max_nodes = 500;
  std::string html = "<html><body>";
  for (int i = 0; i < 1000; ++i) html += "<span>a</span>";
  auto a = extract(html, options);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::kBudgetExceeded);
}

TEST(ArticleRobustness, EmptyAndBinaryInputRejectedWithAClearError) {
  for (const std::string& bad :
       {std::string(), std::string("  \n\t "), std::string("\x00\x01\x02\x03\x04\x05\x06\x07", 8),
        std::string("plain text without any markup")}) {
    auto a = extract(bad, {});
    ASSERT_FALSE(a.has_value());
    EXPECT_EQ(a.error().code, ErrorCode::kParse);
    EXPECT_FALSE(a.error().message.empty());
  }
}

TEST(ArticleRobustness, PageWithoutBodyTextSucceedsWithAWarning) {
  auto a =
      extract("<html><head><title>Nothing here</title></head><body><nav><a href='/'>Home</a></nav></body></html>", {});
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->text, "");
  EXPECT_EQ(a->title, "Nothing here");
  EXPECT_TRUE(any_warning(*a, "no article body"));
}

TEST(ArticleRobustness, MalformedJsonLdIsIgnored) {
  std::string html =
      "<html><head><script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": [1, {]</script>"
      "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"author\":{\"name\":7},\"datePublished\":12}"
      "</script><title>Still fine</title></head><body><div class='article'><p>The page keeps working even when "
      "its structured data is broken, and the extractor reads the body from the markup.</p></div></body></html>";
  Article a = extract_ok(html);
  EXPECT_EQ(a.title, "Still fine");
  EXPECT_TRUE(has(a.text, "keeps working"));
}

TEST(ArticleRobustness, Budget_DeeplyNestedJsonLdDoesNotRecurse) {
  std::string ld = "{\"@type\":\"NewsArticle\",\"headline\":";
  for (int i = 0; i < 100000; ++i) ld += "[";
  ld += "\"Deep\"";
  for (int i = 0; i < 100000; ++i) ld += "]";
  ld += "}";
  std::string html = "<html><head><script type='application/ld+json'>" + ld +
                     "</script></head><body><p>Body text that is long enough to be read as the article body of "
                     "this small page, with a comma or two, for the scoring.</p></body></html>";
  auto a = extract(html, {});
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->title, "Deep");
}

// The public Zyte benchmark, scored by the shared tool, when corpus, python3
// and the CLI are present.
TEST(ArticleBenchmark, ZyteF1AtLeast096) {
  const char* env = std::getenv("BANWATCH_CORPUS");
  std::filesystem::path corpus = env != nullptr ? env : BANWATCH_CORPUS_DEFAULT;
  std::filesystem::path tool = std::filesystem::path(BANWATCH_SHARED_DEFAULT) / "tools" / "article-eval";
  if (!std::filesystem::exists(corpus / "articles-zyte" / "ground-truth.json")) GTEST_SKIP() << "no corpus";
  if (!std::filesystem::exists(tool)) GTEST_SKIP() << "no article-eval";
  if (std::system("python3 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch CLI not built";
  std::string command = "python3 '" + tool.string() + "' --corpus '" + (corpus / "articles-zyte").string() +
                        "' --banwatch '" + BANWATCH_BINARY + "' --json";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0) << output;
  auto report = nlohmann::json::parse(output, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << output;
  const auto& row = report["systems"]["banwatch"];
  EXPECT_EQ(row.value("failures", -1), 0);
  EXPECT_GE(row.value("f1", 0.0), 0.96) << output;
}

}  // namespace
}  // namespace banwatch::article
