// Renderers: golden output of each format, escaping of hostile article text,
// and the Atom feed read back by banwatch's own feed parser and by
// python3-feedparser.
#include <gtest/gtest.h>

#include <algorithm>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "digest/render.h"
#include "tests/digest/golden.h"
#include "tests/digest/sample.h"
#if defined(BANWATCH_HAVE_FEEDS)
#include "feeds/feed.h"
#endif

namespace banwatch::digest {
namespace {

using testing::expect_golden;
using testing::sample_digest;

bool valid_utf8(std::string_view s) { return sanitize_utf8(s).size() == s.size() && sanitize_utf8(s) == s; }

// ---- golden -------------------------------------------------------------------

TEST(DigestRender, Golden_Markdown) { expect_golden("sample.md", render_markdown(sample_digest())); }
TEST(DigestRender, Golden_Html) { expect_golden("sample.html", render_html(sample_digest())); }
TEST(DigestRender, Golden_Text) { expect_golden("sample.txt", render_text(sample_digest())); }
TEST(DigestRender, Golden_Json) { expect_golden("sample.json", render_json(sample_digest())); }
TEST(DigestRender, Golden_Atom) { expect_golden("sample.atom", render_atom(sample_digest())); }
TEST(DigestRender, Golden_Slack) { expect_golden("sample.slack.json", render_slack_message(sample_digest())); }
TEST(DigestRender, Golden_Teams) { expect_golden("sample.teams.json", render_teams_message(sample_digest())); }

TEST(DigestRender, ContentHasWhatTheAnalystNeeds) {
  const std::string md = render_markdown(sample_digest());
  // Grouped by vendor, newest event date first: Huawei (24 Nov) before
  // Hikvision (Oct) before Kaspersky (undated).
  const auto huawei = md.find("## Huawei"), hik = md.find("## Hikvision"), kas = md.find("## Kaspersky");
  ASSERT_NE(huawei, std::string::npos);
  ASSERT_NE(hik, std::string::npos);
  ASSERT_NE(kas, std::string::npos);
  EXPECT_LT(huawei, hik);
  EXPECT_LT(hik, kas);
  EXPECT_NE(md.find("proposed → enacted"), std::string::npos);        // the timeline
  EXPECT_NE(md.find("> Ruritania's parliament"), std::string::npos);  // evidence quoted
  EXPECT_NE(md.find("(<https://wire.example/2026/11/24/ban>)"), std::string::npos);
  EXPECT_NE(md.find("1 new event, 1 status change and 1 new report of 1 known event"), std::string::npos);
  EXPECT_NE(md.find("Broken Feed"), std::string::npos);  // run health
  EXPECT_NE(md.find("Last successful crawl: 26 Nov 2026 05:45 UTC"), std::string::npos);
}

TEST(DigestRender, EmptyDigestSaysNothingNew) {
  Digest d;
  d.generated_at = testing::at("2026-11-26T06:00:00Z");
  d.after_event_id = 0;
  for (Format f : {Format::kMarkdown, Format::kHtml, Format::kText}) {
    EXPECT_NE(render(d, f).find("Nothing new since the last brief."), std::string::npos) << to_string(f);
  }
  const auto j = nlohmann::json::parse(render_json(d));
  EXPECT_EQ(j["event_count"], 0);
  EXPECT_TRUE(j["vendors"].empty());
}

// However many sources fail for one reason, the run health is a line a
// cause: it must not run longer than the events above it.
TEST(DigestRender, RunHealthGroupsFailingSourcesByCause) {
  Digest d = sample_digest();
  d.health.failing_sources.clear();
  for (int i = 0; i < 30; ++i) {
    FailingSource f;
    f.name = "outlet-" + std::to_string(i);
    f.url = "https://outlet-" + std::to_string(i) + ".example/feed";
    f.consecutive_errors = 3;
    f.last_error = f.url + ": DNS failure: Could not resolve host: outlet-" + std::to_string(i) + ".example";
    d.health.failing_sources.push_back(f);
  }
  FailingSource gone;
  gone.name = "gone";
  gone.last_status = 410;
  gone.last_error = "https://gone.example/feed: HTTP 410 Gone";
  d.health.failing_sources.push_back(gone);
  for (Format f : {Format::kMarkdown, Format::kText, Format::kHtml}) {
    const std::string out = render(d, f);
    const std::string health = out.substr(out.find("Run health"));
    EXPECT_NE(health.find("DNS failure: 30 (outlet-0, outlet-1, outlet-2 and 27 more)"), std::string::npos)
        << to_string(f) << "\n"
        << health;
    EXPECT_NE(health.find("HTTP 410: 1 (gone)"), std::string::npos) << to_string(f) << "\n" << health;
    EXPECT_EQ(health.find("outlet-29"), std::string::npos) << to_string(f) << "\n" << health;
  }
  const std::string text = render(d, Format::kText);
  const std::string health = text.substr(text.find("Run health"));
  EXPECT_LE(std::count(health.begin(), health.end(), '\n'), 6) << health;
  const auto j = nlohmann::json::parse(render_json(d));
  EXPECT_EQ(j["health"]["failing_sources"][0]["cause"], "DNS failure");
}

// ---- escaping ------------------------------------------------------------------

// Walks the parsed HTML the way a browser builds it and fails on anything
// that could run or navigate to script.
void expect_inert_html(const std::string& html) {
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), "digest.html", "utf-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  ASSERT_NE(doc, nullptr);
  int elements = 0;
  std::vector<xmlNodePtr> stack{xmlDocGetRootElement(doc)};
  while (!stack.empty()) {
    xmlNodePtr n = stack.back();
    stack.pop_back();
    if (n == nullptr) continue;
    if (n->type == XML_ELEMENT_NODE) {
      ++elements;
      const std::string name = reinterpret_cast<const char*>(n->name);
      EXPECT_NE(name, "script");
      EXPECT_NE(name, "img");
      EXPECT_NE(name, "iframe");
      EXPECT_NE(name, "b") << "markup from evidence text became an element";
      for (xmlAttrPtr a = n->properties; a != nullptr; a = a->next) {
        const std::string attr = reinterpret_cast<const char*>(a->name);
        EXPECT_FALSE(attr.starts_with("on")) << "event handler attribute " << attr;
        if (attr == "href" || attr == "src") {
          xmlChar* v = xmlNodeListGetString(doc, a->children, 1);
          const std::string value = v ? reinterpret_cast<const char*>(v) : "";
          xmlFree(v);
          EXPECT_TRUE(value.starts_with("https://") || value.starts_with("http://")) << attr << "=" << value;
        }
      }
    }
    for (xmlNodePtr c = n->children; c != nullptr; c = c->next) stack.push_back(c);
  }
  EXPECT_GT(elements, 20);
  xmlFreeDoc(doc);
}

TEST(DigestRender, Html_HostileArticleTitleIsEscaped) {
  const std::string html = render_html(sample_digest(true));
  expect_inert_html(html);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("javascript:alert(document"), std::string::npos)
      << "a javascript: URL must not be shown as a link";
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos)
      << "the title is shown, as text";
  EXPECT_TRUE(valid_utf8(html));
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_EQ(html.find('\x01'), std::string::npos);
}

TEST(DigestRender, Html_SelfContainedAndMobileFriendly) {
  const std::string html = render_html(sample_digest());
  expect_inert_html(html);
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), std::string::npos);
  EXPECT_NE(html.find("max-width:680px"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos) << "no external stylesheet";
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos) << "no external images";
}

TEST(DigestRender, Markdown_HostileTitleCannotFormatOrLink) {
  const std::string md = render_markdown(sample_digest(true));
  // Each occurrence must be backslash-escaped: "\\<script" is text.
  auto unescaped = [&](std::string_view needle) {
    for (auto pos = md.find(needle); pos != std::string::npos; pos = md.find(needle, pos + 1))
      if (pos == 0 || md[pos - 1] != '\\') return true;
    return false;
  };
  EXPECT_FALSE(unescaped("<script"));
  EXPECT_FALSE(unescaped("<img"));
  EXPECT_FALSE(unescaped("](javascript"));
  EXPECT_FALSE(unescaped("*bold*"));
  EXPECT_NE(md.find("\\<script\\>"), std::string::npos);
  EXPECT_EQ(md.find("(<javascript"), std::string::npos);
  EXPECT_TRUE(valid_utf8(md));
}

TEST(DigestRender, Json_HostileTextStaysDataAndValidUtf8) {
  const std::string out = render_json(sample_digest(true));
  EXPECT_TRUE(valid_utf8(out));
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["event_count"], 3);
  const auto& cite = j["vendors"][1]["events"][0]["citations"][1];
  EXPECT_EQ(cite["url"], testing::kHostileUrl);  // JSON is data: the consumer decides
  EXPECT_NE(cite["title"].get<std::string>().find("<script>"), std::string::npos);
}

TEST(DigestRender, SanitizeUtf8) {
  EXPECT_EQ(sanitize_utf8("plain"), "plain");
  EXPECT_EQ(sanitize_utf8("a\x01"
                          "b\x7f"
                          "c\r\nd"),
            "abc\nd");
  EXPECT_EQ(sanitize_utf8("\xff"), "\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(sanitize_utf8("\xC2\x85x"), "x");                                        // C1 control
  EXPECT_EQ(sanitize_utf8("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x93\xB0"), "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x93\xB0");
  EXPECT_EQ(sanitize_utf8("\xE2\x86"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

TEST(DigestRender, IsWebUrl) {
  EXPECT_TRUE(is_web_url("https://a.example/x"));
  EXPECT_TRUE(is_web_url("HTTP://a.example/"));
  EXPECT_FALSE(is_web_url("javascript:alert(1)"));
  EXPECT_FALSE(is_web_url("data:text/html,hi"));
  EXPECT_FALSE(is_web_url("https://a.example/\"onmouseover=x"));
  EXPECT_FALSE(is_web_url(""));
}

// ---- Atom ---------------------------------------------------------------------

void expect_well_formed_xml(const std::string& xml) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "digest.atom", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  ASSERT_NE(doc, nullptr) << "not well-formed XML:\n" << xml;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  ASSERT_NE(root, nullptr);
  EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "feed");
  ASSERT_NE(root->ns, nullptr);
  EXPECT_STREQ(reinterpret_cast<const char*>(root->ns->href), "http://www.w3.org/2005/Atom");
  xmlFreeDoc(doc);
}

TEST(DigestRender, Spec_Atom_Rfc4287_RequiredElements) {
  const std::string atom = render_atom(sample_digest(true));
  expect_well_formed_xml(atom);
  // RFC 4287 4.1.1: atom:feed has id, title, updated, and an author unless
  // every entry has one; 4.1.2: each entry has id, title, updated.
  EXPECT_NE(atom.find("<id>tag:banwatch.invalid,2026:events</id>"), std::string::npos);
  EXPECT_NE(atom.find("<author><name>banwatch</name></author>"), std::string::npos);
  EXPECT_NE(atom.find("<id>tag:banwatch.invalid,2026:event:5</id>"), std::string::npos);
  EXPECT_NE(atom.find("<updated>2026-11-25T15:00:00Z</updated>"), std::string::npos);
  EXPECT_EQ(atom.find("href=\"javascript"), std::string::npos);
  EXPECT_TRUE(valid_utf8(atom));
}

#if defined(BANWATCH_HAVE_FEEDS)
TEST(DigestRender, Atom_ReadBackByBanwatchFeedParser) {
  for (bool hostile : {false, true}) {
    const Digest d = sample_digest(hostile);
    const std::string atom = render_atom(d);
    auto feed = feeds::parse(atom, feeds::Options{});
    ASSERT_TRUE(feed.has_value()) << feed.error().message;
    EXPECT_EQ(feed->format, feeds::Format::kAtom10);
    EXPECT_FALSE(feed->bozo()) << (feed->warnings.empty() ? "" : feed->warnings.front());
    EXPECT_EQ(feed->title, "banwatch digest");
    ASSERT_EQ(feed->items.size(), 3u);
    EXPECT_EQ(feed->items[0].id, "tag:banwatch.invalid,2026:event:5");
    EXPECT_EQ(feed->items[0].url, "https://wire.example/2026/11/24/ban");
    EXPECT_EQ(feed->items[0].title, "Huawei: Ruritania — ban (proposed → enacted)");
    ASSERT_TRUE(feed->items[0].published.has_value());
    EXPECT_EQ(feed->items[0].published->time, testing::at("2026-11-25T09:30:00Z"));
    if (hostile) {
      // The hostile actor name is the Kaspersky entry's title, read back as text.
      EXPECT_NE(feed->items[2].title.find("<script>alert('x')</script>"), std::string::npos) << feed->items[2].title;
    }
  }
}
#endif

// Debian's python3-feedparser, the reference for lenient feed reading: it
// must read the feed without setting bozo.
TEST(DigestRender, Atom_ReadByPythonFeedparserWithoutBozo) {
  const char* python = "/usr/bin/python3";
  if (::access(python, X_OK) != 0 || std::system("/usr/bin/python3 -c 'import feedparser' 2>/dev/null") != 0)
    GTEST_SKIP() << "python3-feedparser is not installed";
  char dir[] = "/tmp/banwatch-atom-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/digest.atom";
  std::ofstream(path, std::ios::binary) << render_atom(sample_digest(true));
  const std::string out = std::string(dir) + "/out.json";
  const std::string cmd = std::string(python) +
                          " -c 'import feedparser,json,sys; d=feedparser.parse(sys.argv[1]); "
                          "json.dump({\"bozo\": int(d.bozo), \"version\": d.version, \"n\": len(d.entries), "
                          "\"title\": d.entries[0].title, \"link\": d.entries[0].link, \"id\": d.entries[0].id}, "
                          "open(sys.argv[2], \"w\"))' " +
                          path + " " + out;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const auto j = nlohmann::json::parse(testing::read_file(out));
  EXPECT_EQ(j["bozo"], 0);
  EXPECT_EQ(j["version"], "atom10");
  EXPECT_EQ(j["n"], 3);
  EXPECT_EQ(j["title"], "Huawei: Ruritania — ban (proposed → enacted)");
  EXPECT_EQ(j["link"], "https://wire.example/2026/11/24/ban");
  EXPECT_EQ(j["id"], "tag:banwatch.invalid,2026:event:5");
  std::remove(path.c_str());
  std::remove(out.c_str());
  ::rmdir(dir);
}

TEST(DigestRender, EventsAtom_NewestFirstAndValid) {
  std::vector<store::EventWithMentions> events(2);
  events[0].event.id = 1;
  events[0].event.vendor = "ZTE";
  events[0].event.actor = "Borduria";
  events[0].event.action = "ban";
  events[0].event.status = "proposed";
  events[0].event.first_seen_at = testing::at("2026-11-01T00:00:00Z");
  events[1] = events[0];
  events[1].event.id = 2;
  events[1].event.vendor = "Huawei";
  events[1].event.first_seen_at = testing::at("2026-11-02T00:00:00Z");
  model::Mention m;
  m.id = 1;
  m.article_url = "https://a.example/1";
  m.article_title = "A & B";
  m.evidence = "Borduria proposed a ban.";
  events[0].mentions.push_back(m);
  const std::string atom = render_events_atom(events, testing::at("2026-11-26T00:00:00Z"));
  expect_well_formed_xml(atom);
  EXPECT_LT(atom.find("event:2</id>"), atom.find("event:1</id>"));
  EXPECT_NE(atom.find("<updated>2026-11-02T00:00:00Z</updated>"), std::string::npos);
  EXPECT_NE(atom.find("title=\"A &amp; B\""), std::string::npos);
}

// ---- chat messages ---------------------------------------------------------------

TEST(DigestRender, Slack_LinksAndEscapes) {
  const auto j = nlohmann::json::parse(render_slack_message(sample_digest(true)));
  const std::string text = j["text"];
  EXPECT_NE(text.find("<https://wire.example/2026/11/24/ban|Ruritania parliament passes Huawei ban>"),
            std::string::npos);
  EXPECT_EQ(text.find("<script"), std::string::npos);
  EXPECT_EQ(text.find("<javascript"), std::string::npos);
}

TEST(DigestRender, Chat_LongDigestIsCutWithANote) {
  Digest d = sample_digest();
  auto& group = d.vendors[0];
  for (int i = 0; i < 2000; ++i) {
    DigestEvent e = group.events[0];
    e.event.id = 100 + i;
    group.events.push_back(e);
  }
  const std::string slack = nlohmann::json::parse(render_slack_message(d))["text"];
  EXPECT_LE(slack.size(), 36'000u);
  EXPECT_NE(slack.find("more (see the full digest)"), std::string::npos);
  const std::string teams = nlohmann::json::parse(render_teams_message(d))["text"];
  EXPECT_LE(teams.size(), 25'000u);
  EXPECT_NE(teams.find("more (see the full digest)"), std::string::npos);
}

TEST(DigestRender, FormatNames) {
  EXPECT_EQ(format_from_string("markdown"), Format::kMarkdown);
  EXPECT_EQ(format_from_string("md"), Format::kMarkdown);
  EXPECT_EQ(format_from_string("atom"), Format::kAtom);
  EXPECT_FALSE(format_from_string("pdf").has_value());
  EXPECT_EQ(file_extension(Format::kText), "txt");
  EXPECT_EQ(media_type(Format::kAtom), "application/atom+xml");
}

// A card quotes the report's sentence, not the wire's dateline before it.
TEST(DigestDateline, Lenient_WireDatelinesAreDroppedFromEvidence) {
  EXPECT_EQ(strip_dateline("LONDON, Dec 7 (Wire) - The UK on Monday banned Hikvision cameras."),
            "The UK on Monday banned Hikvision cameras.");
  EXPECT_EQ(strip_dateline("WASHINGTON (Reuters) - The FCC added Kaspersky to its list."),
            "The FCC added Kaspersky to its list.");
  EXPECT_EQ(strip_dateline("NEW DELHI, December 7, 2026 -- India banned TikTok."), "India banned TikTok.");
  EXPECT_EQ(strip_dateline("BRUSSELS \u2014 The Commission restricted Huawei."), "The Commission restricted Huawei.");
  EXPECT_EQ(strip_dateline("ST. JOHN'S, Dec 7 (Wire) - Officials removed ZTE gear."), "Officials removed ZTE gear.");
}

TEST(DigestDateline, SentencesWithoutADatelineStayWhole) {
  for (const char* kept : {
           "The UK banned Hikvision - a decision long expected.",       // a dash, but no capitals before it
           "UK bans Hikvision cameras from sensitive sites",            // a headline
           "US officials said on Monday - after a review - it stays.",  // capitals, then a sentence
           "LONDON - ",                                                 // nothing after the dash
           "",
       }) {
    EXPECT_EQ(strip_dateline(kept), kept);
  }
}

}  // namespace
}  // namespace banwatch::digest
