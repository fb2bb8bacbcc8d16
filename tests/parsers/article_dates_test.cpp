// Publication dates of pages: every place a page states one, ranked; the
// publisher's offset kept; future and pre-web days refused. Fixtures are
// hand-written pages in tests/data/parsers/dates_*.html. The shared
// htmldate pages are scored by the shared tool when present.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/time.h"
#include "parsers/article.h"
#include "parsers/dates.h"

namespace banwatch::article {
namespace {

using namespace std::chrono;

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

// `published` as parse article prints it: RFC 3339 in the page's offset.
std::string local(const Article& a) {
  if (!a.published) return "none";
  return dates::format_local(dates::LocalDate{*a.published, a.published_offset_minutes});
}

// A page with `head` in <head> and a short body around `body`.
std::string page(const std::string& head, const std::string& body = "", const std::string& lang = "en") {
  return "<!DOCTYPE html><html lang='" + lang +
         "'><head><meta charset='utf-8'><title>Council votes on the budget</title>" + head +
         "</head><body><h1>Council votes on the budget</h1>" + body +
         "<p>The council approved the budget after a long debate about the cost of the new library and the roads "
         "programme, and the mayor said the vote was a fair compromise.</p></body></html>";
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

Options at(int y, unsigned m, unsigned d) {
  Options o;
  o.reference = time_point_cast<seconds>(sys_days{year{y} / month{m} / day{d}});
  return o;
}

TEST(ArticleDates, JsonLdDatePublishedOnAWebPageNodeInAGraph) {
  Article a = extract_ok(fixture("dates_jsonld_graph.html"));
  EXPECT_EQ(a.published_source, "json-ld");
  // 23:54 at +02:00 is the 17th for the publisher, the 17th 21:54 in UTC.
  EXPECT_EQ(local(a), "2019-09-17T23:54:31+02:00");
  EXPECT_EQ(format_precise(*a.published), "2019-09-17T21:54:31Z");
  ASSERT_TRUE(a.published_offset_minutes.has_value());
  EXPECT_EQ(*a.published_offset_minutes, 120);
  ASSERT_TRUE(a.modified.has_value());
  EXPECT_EQ(format_precise(*a.modified), "2020-01-08T09:30:00Z");
}

TEST(ArticleDates, PublisherOffsetKeepsThePublishersDay) {
  Article a = extract_ok(page("<meta property='article:published_time' content='2020-02-15T07:00:00+09:00'>"));
  EXPECT_EQ(local(a), "2020-02-15T07:00:00+09:00");
  EXPECT_EQ(format_precise(*a.published), "2020-02-14T22:00:00Z");
  EXPECT_EQ(a.published_source, "meta:article:published_time");
}

TEST(ArticleDates, PublisherMetaNames) {
  struct Case {
    const char* attr;
    const char* name;
    const char* value;
    const char* want;
  };
  for (const Case& c :
       {Case{"name", "sw-pubdate", "2021-06-04", "2021-06-04"}, Case{"name", "DC.date", "2019-04-02", "2019-04-02"},
        Case{"name", "DC:date", "2019-04-02", "2019-04-02"},
        Case{"name", "bepress_citation_date", "2017/01/30", "2017-01-30"},
        Case{"name", "citation_date", "2017/01/30", "2017-01-30"},
        Case{"name", "publication_date", "2022-02-08T14:00:00", "2022-02-08T14:00:00Z"},
        Case{"name", "date", "2020-04-29", "2020-04-29"}, Case{"name", "pubdate", "2020-04-29", "2020-04-29"},
        Case{"property", "og:pubdate", "2018-11-16", "2018-11-16"},
        Case{"property", "five_hundred_pixels:uploaded", "2013-02-16T04:36:36-05:00", "2013-02-16T04:36:36-05:00"}}) {
    Article a = extract_ok(page(std::string("<meta ") + c.attr + "='" + c.name + "' content='" + c.value + "'>"));
    EXPECT_EQ(local(a), c.want) << c.name;
    EXPECT_EQ(a.published_source, "meta:" + lower(c.name)) << c.name;
  }
}

TEST(ArticleDates, PublicationWinsOverModification) {
  Article a =
      extract_ok(page("<meta property='article:modified_time' content='2021-05-02T10:00:00Z'>"
                      "<meta property='article:published_time' content='2021-04-30T09:00:00Z'>"));
  EXPECT_EQ(local(a), "2021-04-30T09:00:00Z");
  // Only a modification date: it is taken, and said to be one.
  Article m = extract_ok(page("<meta property='og:updated_time' content='2022-01-28T11:05:37+0100'>"));
  EXPECT_EQ(local(m), "2022-01-28T11:05:37+01:00");
  EXPECT_EQ(m.published_source, "modified:meta:og:updated_time");
  EXPECT_FALSE(published_source_is_structured(m.published_source));
}

TEST(ArticleDates, MicroformatPublishedTitle) {
  Article a = extract_ok(fixture("dates_microformat.html"));
  EXPECT_EQ(a.published_source, "microformat");
  EXPECT_EQ(local(a), "2016-12-23T05:11:00-05:00");
}

TEST(ArticleDates, TimeElementWithPubdateAndItemprop) {
  Article a =
      extract_ok(page("", "<p class='x'><time itemprop='datePublished' datetime='2020-06-15'>15 June</time></p>"));
  EXPECT_EQ(local(a), "2020-06-15");
  Article b = extract_ok(page("", "<p><time datetime='2020-06-16T08:00+02:00'>16. Juni</time></p>", "de"));
  EXPECT_EQ(local(b), "2020-06-16T08:00:00+02:00");
  EXPECT_EQ(b.published_source, "time");
  // Without datetime, its text is read as date markup.
  Article c = extract_ok(page("", "<p><time>29.04.2020, 12:01 Uhr</time></p>", "de"));
  EXPECT_EQ(local(c), "2020-04-29");
  EXPECT_EQ(c.published_source, "byline");
}

TEST(ArticleDates, DateMarkupBesideTheHeadlineNotTheSiteHeaderOrFooter) {
  Article a = extract_ok(fixture("dates_markup_de.html"));
  EXPECT_EQ(local(a), "2021-10-18");
  EXPECT_EQ(a.published_source, "byline");
}

TEST(ArticleDates, LabelledDateInText) {
  Article a = extract_ok(fixture("dates_label_text.html"));
  EXPECT_EQ(local(a), "2020-03-03");
  EXPECT_EQ(a.published_source, "byline");
  Article b = extract_ok(page("", "<p>Datum: 18.10.2021</p>", "de"));
  EXPECT_EQ(local(b), "2021-10-18");
  Article c = extract_ok(page("", "<p>Publi\xC3\xA9 le 3 mars 2020 \xC3\xA0 10h</p>", "fr"));
  EXPECT_EQ(local(c), "2020-03-03");
}

TEST(ArticleDates, DateInTheCanonicalUrlWhenNoUrlIsGiven) {
  Article a = extract_ok(fixture("dates_canonical_url.html"));
  EXPECT_EQ(local(a), "2017-06-29");
  EXPECT_EQ(a.published_source, "url");
  EXPECT_TRUE(published_source_is_structured(a.published_source));
}

TEST(ArticleDates, UrlForms) {
  struct Case {
    const char* url;
    const char* want;
  };
  for (const Case& c :
       {Case{"https://a.example/2017/7/12/title", "2017-07-12"},
        Case{"https://a.example/news/2022/03/25/title/", "2022-03-25"},
        Case{"https://a.example/2022-03-25-title", "2022-03-25"},
        Case{"https://a.example/20200428/title", "2020-04-28"},
        Case{"https://a.example/meldungen/29-10-2021", "2021-10-29"},
        Case{"https://a.example/statements/2019/nov/18/title", "2019-11-18"},
        Case{"https://a.example/tuft-cells-20191115/", "2019-11-15"}, Case{"https://a.example/item-12345678/", "none"},
        Case{"https://a.example/2022/03/title", "none"},  // a month is not a day
        Case{"https://a.example/2017/7/title", "none"}, Case{"https://a.example/1990/05/01/title", "none"}}) {
    Options o;
    o.url = c.url;
    EXPECT_EQ(local(extract_ok(page(""), o)), c.want) << c.url;
  }
}

TEST(ArticleDates, UrlDayWinsOverAStructuredDateOfAnotherDay) {
  Options o;
  o.url = "https://news.example.com/2021/03/08/royal-interview/";
  Article a = extract_ok(page("<meta property='article:published_time' content='2021-03-14T09:00:00Z'>"), o);
  EXPECT_EQ(local(a), "2021-03-08");
  // The same day: the structured value, with its time, stays.
  Article b = extract_ok(page("<meta property='article:published_time' content='2021-03-08T09:00:00Z'>"), o);
  EXPECT_EQ(local(b), "2021-03-08T09:00:00Z");
}

TEST(ArticleDates, TextNearTheHeadlineInItalian) {
  Article a = extract_ok(fixture("dates_headline_text.html"));
  EXPECT_EQ(local(a), "2020-01-14");
  EXPECT_EQ(a.published_source, "headline-text");
}

TEST(ArticleDates, UtcTimeOneDayOffTheShownDayYieldsToIt) {
  // 06:35 UTC on the 9th is the evening of the 8th on the US west coast,
  // which the byline shows.
  Article a = extract_ok(page("<meta property='article:published_time' content='2023-11-09T06:35:29Z'>",
                              "<div class='byline'>By Sam Ortiz, November 8, 2023</div>"));
  EXPECT_EQ(local(a), "2023-11-08");
  // With the offset stated, the page's own value stands.
  Article b = extract_ok(page("<meta property='article:published_time' content='2023-11-09T06:35:29+01:00'>",
                              "<div class='byline'>By Sam Ortiz, November 8, 2023</div>"));
  EXPECT_EQ(local(b), "2023-11-09T06:35:29+01:00");
}

TEST(ArticleDates, FutureDaysAfterTheReferenceAreRefused) {
  std::string html =
      page("<meta property='article:published_time' content='2031-01-01T00:00:00Z'>", "<p class='date'>4 May 2021</p>");
  Article a = extract_ok(html, at(2022, 1, 1));
  EXPECT_EQ(local(a), "2021-05-04");
  // Without a reference nothing is too late.
  Article b = extract_ok(html);
  EXPECT_EQ(local(b), "2031-01-01T00:00:00Z");
  // The reference day itself and the day after (a zone ahead) are fine.
  Article c = extract_ok(page("<meta name='date' content='2022-01-02'>"), at(2022, 1, 1));
  EXPECT_EQ(local(c), "2022-01-02");
}

TEST(ArticleDates, DaysBeforeTheWebAreRefused) {
  Article a = extract_ok(page("<meta name='citation_date' content='1988'>", "<p class='date'>30.01.2017</p>", "de"));
  EXPECT_EQ(local(a), "2017-01-30");
  Article b = extract_ok(page("<meta name='date' content='1990-05-01'>"));
  EXPECT_EQ(local(b), "none");
}

TEST(ArticleDates, SlashOrderFromTheLanguageAndTheOtherDates) {
  Article us = extract_ok(page("", "<p class='date'>03/04/2020</p>", "en-US"));
  EXPECT_EQ(local(us), "2020-03-04");
  Article gb = extract_ok(page("", "<p class='date'>03/04/2020</p>", "en-GB"));
  EXPECT_EQ(local(gb), "2020-04-03");
  // Another date on the page settles it: 13/04 can only be day first.
  Article settled = extract_ok(page("", "<p class='date'>03/04/2020</p><p>Next meeting 13/04/2020.</p>", "en-US"));
  EXPECT_EQ(local(settled), "2020-04-03");
}

TEST(ArticleDates, TheTextAtLargeAsTheLastResort) {
  Article a = extract_ok(
      "<html lang='de'><body><div><p>Termine</p></div><div><p>Sitzungen 20.03.2019, 12.03.2019 und "
      "12.03.2019.</p></div></body></html>");
  EXPECT_EQ(local(a), "2019-03-12");
  EXPECT_EQ(a.published_source, "text");
}

TEST(ArticleDates, Lenient_BrokenIsoTimeKeepsItsDay) {
  Article a = extract_ok(
      page("<script type='application/ld+json'>{\"@type\":\"HowTo\",\"datePublished\":\"2022-01-10T22:06:08:684Z\"}"
           "</script>"));
  EXPECT_EQ(local(a), "2022-01-10");
}

TEST(ArticleDates, Budget_ThousandsOfDatedTeasersStayCheap) {
  std::string teasers;
  for (int i = 0; i < 20000; ++i)
    teasers += "<div class='teaser'><div class='info'><span class='date'>01.01.2020</span></div></div>";
  auto start = steady_clock::now();
  Article a = extract_ok(page("", "<div class='x'>" + teasers + "</div><p class='date'>05.05.2021</p>", "de"));
  EXPECT_LT(steady_clock::now() - start, seconds{10});
  EXPECT_FALSE(local(a) == "none");
}

TEST(ArticleDates, PageStateInAnInlineScript) {
  Article a =
      extract_ok(page("<script type='application/json'>{\"review\":{\"publishedDate\":\"2016-11-04T20:37:27Z\","
                      "\"updatedDate\":null}}</script>"));
  EXPECT_EQ(local(a), "2016-11-04T20:37:27Z");
  EXPECT_EQ(a.published_source, "script");
  Article b = extract_ok(page("<script>var meta = {'published_at': '2019-03-02T06:22:28+01:00'};</script>"));
  EXPECT_EQ(local(b), "2019-03-02T06:22:28+01:00");
  // A key that merely contains the word, or a value that is no date, is not taken.
  Article c =
      extract_ok(page("<script>var x = {\"notpublishedDate\": \"2016-11-04\", \"datePublished\": 7};</script>"));
  EXPECT_EQ(local(c), "none");
}

TEST(ArticleDates, NoDateAnywhereGivesNone) {
  Article a = extract_ok(page(""));
  EXPECT_EQ(local(a), "none");
  EXPECT_EQ(a.published_source, "");
}

// The shared htmldate evaluation pages (799 pages with gold days), scored by
// the shared tool through the CLI when corpus, tool and python3 are present.
TEST(DatesCorpus, HtmldatePagesF1AtLeast094) {
  const char* env = std::getenv("BANWATCH_CORPUS");
  std::filesystem::path corpus = env != nullptr ? env : BANWATCH_CORPUS_DEFAULT;
  std::filesystem::path tool = std::filesystem::path(BANWATCH_SHARED_DEFAULT) / "tools" / "date-eval";
  if (!std::filesystem::exists(corpus / "dates-htmldate" / "ground-truth.json")) GTEST_SKIP() << "no corpus";
  if (!std::filesystem::exists(tool)) GTEST_SKIP() << "no date-eval";
  if (std::system("python3 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch CLI not built";
  std::string command = "python3 '" + tool.string() + "' --corpus '" + (corpus / "dates-htmldate").string() +
                        "' --banwatch '" + BANWATCH_BINARY + "' --jobs 2 --json";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0) << output;
  auto report = nlohmann::json::parse(output, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << output;
  EXPECT_EQ(report.value("pages", 0), 799);
  EXPECT_GE(report.value("f1", 0.0), 0.94) << output;
  EXPECT_GE(report.value("precision", 0.0), 0.91) << output;
}

}  // namespace
}  // namespace banwatch::article
