#include <gtest/gtest.h>

#include "crawler/pipeline.h"
#include "crawler/text.h"

namespace banwatch::crawler {
namespace {

TEST(FeedText, TagsRemovedBlocksBecomeParagraphs) {
  EXPECT_EQ(html_fragment_to_text("<p>One &amp; two.</p><p>Three&nbsp;<b>four</b></p>"), "One & two.\n\nThree four");
  EXPECT_EQ(html_fragment_to_text("a <script>var x = '<p>';</script>b <style>p{}</style>c"), "a b c");
  EXPECT_EQ(html_fragment_to_text("caf&#233; &#x2014; 1 &lt; 2"), "café — 1 < 2");
  EXPECT_EQ(html_fragment_to_text("plain text, no tags"), "plain text, no tags");
  EXPECT_EQ(html_fragment_to_text("a < b and &unknown; stays"), "a < b and &unknown; stays");
  EXPECT_EQ(html_fragment_to_text("<![CDATA[x]]>"), "x");
}

TEST(FeedText, Sha256) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ItemKey, AbsoluteIdsAreGlobalBareIdsAreScoped) {
  EXPECT_EQ(item_key("src", "https://e.org/a"), "https://e.org/a");
  EXPECT_EQ(item_key("src", "urn:uuid:1234"), "urn:uuid:1234");
  EXPECT_EQ(item_key("src", "tag:e.org,2026:1"), "tag:e.org,2026:1");
  EXPECT_EQ(item_key("src", "12345"), "src#12345");
  EXPECT_EQ(item_key("src", ":odd"), "src#:odd");
}

}  // namespace
}  // namespace banwatch::crawler
