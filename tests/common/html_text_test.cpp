// HTML fragments to text (common/html_text.h), the one stripper feed titles
// and the crawl pipeline's summaries and content go through.
#include "common/html_text.h"

#include <gtest/gtest.h>

namespace banwatch {
namespace {

TEST(HtmlToText, OneLineForTitles) {
  EXPECT_EQ(html_to_text("<b>UK</b> bans <i>Hikvision</i>"), "UK bans Hikvision");
  EXPECT_EQ(html_to_text("<p>One</p><p>Two</p>"), "One Two");
  EXPECT_EQ(html_to_text("  a\n\n b  "), "a b");
  EXPECT_EQ(html_to_text("<b>B</b>an"), "Ban");  // inline tags do not split words
  EXPECT_EQ(html_to_text("a<td>b</td>c"), "a b c");
}

TEST(HtmlToText, ParagraphsForArticleText) {
  EXPECT_EQ(html_to_text("<p>One &amp; two.</p><p>Three&nbsp;<b>four</b></p>", HtmlBreaks::kParagraphs),
            "One & two.\n\nThree four");
  EXPECT_EQ(html_to_text("line one\nline two\n\nnext", HtmlBreaks::kParagraphs), "line one line two\n\nnext");
  EXPECT_EQ(html_to_text("<div><br/></div>x", HtmlBreaks::kParagraphs), "x");
}

TEST(HtmlToText, ReferencesDecoded) {
  EXPECT_EQ(html_to_text("caf&#233; &#x2014; 1 &lt; 2 &hellip; &oslash; &apos;"), "café — 1 < 2 … ø '");
  EXPECT_EQ(html_to_text("&#233 without a semicolon"), "é without a semicolon");
  EXPECT_EQ(html_to_text("a < b and &unknown; stays & so does this"), "a < b and &unknown; stays & so does this");
  EXPECT_EQ(html_to_text("&#0;&#xD800;&#1114112;"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(HtmlToText, WhatIsNotTextGoes) {
  EXPECT_EQ(html_to_text("a <script>var x = '<p>';</script>b <STYLE>p{}</STYLE>c"), "a b c");
  EXPECT_EQ(html_to_text("<!DOCTYPE html><?xml version=\"1.0\"?>x<!-- note -->y"), "xy");
  EXPECT_EQ(html_to_text("<![CDATA[x &amp; y]]>"), "x &amp; y");
  EXPECT_EQ(html_to_text("<a title=\"a > b\">link</a>"), "link");
  EXPECT_EQ(html_to_text("x\xC2\xA0\xC2\xA0y"), "x y");  // U+00A0 is white space
}

TEST(HtmlToText, Lenient_UnterminatedConstructs) {
  EXPECT_EQ(html_to_text("text <b"), "text");
  EXPECT_EQ(html_to_text("a <!-- never closed"), "a");
  EXPECT_EQ(html_to_text("a <script>never closed"), "a");
  EXPECT_EQ(html_to_text("<3 &"), "<3 &");
}

TEST(DecodeHtmlReference, MovesPastTheReference) {
  std::string out;
  std::size_t i = 1;
  EXPECT_TRUE(decode_html_reference("x&amp;y", i, out));
  EXPECT_EQ(out, "&");
  EXPECT_EQ(i, 6u);
  i = 0;
  EXPECT_FALSE(decode_html_reference("&nosuch;", i, out));
  EXPECT_EQ(i, 0u);
  EXPECT_EQ(out, "&");
}

}  // namespace
}  // namespace banwatch
