// The shared byte-level text functions (common/text.h): ASCII case, the two
// white-space sets, UTF-8 encoding, repair and sanitising, markup escaping and
// SHA-256.
#include "common/text.h"

#include <gtest/gtest.h>

namespace banwatch {
namespace {

TEST(AsciiCase, LowersOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("HeLLo, World 42"), "hello, world 42");
  EXPECT_EQ(ascii_lower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // "Été": UTF-8 bytes untouched
  EXPECT_EQ(ascii_lower('Z'), 'z');
  EXPECT_EQ(ascii_lower('['), '[');
  EXPECT_TRUE(ascii_iequals("Content-Type", "content-type"));
  EXPECT_FALSE(ascii_iequals("abc", "abcd"));
  EXPECT_TRUE(ascii_istarts_with("HTTPS://x", "https://"));
  EXPECT_FALSE(ascii_istarts_with("http", "https://"));
}

TEST(WhiteSpace, TheTwoSetsDifferByVerticalTab) {
  for (char c : std::string_view(" \t\n\f\r")) {
    EXPECT_TRUE(is_ascii_space(c));
    EXPECT_TRUE(is_html_space(c));
  }
  EXPECT_TRUE(is_ascii_space('\v'));
  EXPECT_FALSE(is_html_space('\v'));
  EXPECT_FALSE(is_ascii_space('\xA0'));
  EXPECT_EQ(trim_ascii_space("\v\t a b \r\n"), "a b");
  EXPECT_EQ(trim_html_space("\v a \f"), "\v a");
  EXPECT_EQ(trim_html_space("   "), "");
  EXPECT_EQ(collapse_ascii_space("  a \t\n b\v\fc  "), "a b c");
  EXPECT_EQ(collapse_ascii_space(" \n "), "");
  EXPECT_TRUE(is_ascii("plain text, 0123456789 and more than eight bytes"));
  EXPECT_FALSE(is_ascii("caf\xC3\xA9"));
  EXPECT_TRUE(is_ascii(""));
}

TEST(Utf8, AppendsEveryLength) {
  std::string out;
  append_utf8(out, U'A');
  append_utf8(out, 0xE9);
  append_utf8(out, 0x20AC);
  append_utf8(out, 0x1F4F0);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x93\xB0");
  out.clear();
  append_utf8_or_replacement(out, 0);
  append_utf8_or_replacement(out, 0xD800);
  append_utf8_or_replacement(out, 0x110000);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8, LengthCountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("caf\xC3\xA9 \xF0\x9F\x93\xB0"), 6u);
}

TEST(Utf8, SequencesAndMaximalSubparts) {
  std::size_t consumed = 0;
  EXPECT_EQ(utf8_sequence("\xE2\x82\xAC", 0, consumed), 3u);
  EXPECT_EQ(utf8_sequence("\xE2\x82"
                          "A",
                          0, consumed),
            0u);
  EXPECT_EQ(consumed, 2u);
  EXPECT_EQ(utf8_sequence("\xE0\x80\x80", 0, consumed), 0u);  // overlong
  EXPECT_EQ(consumed, 1u);
  EXPECT_EQ(utf8_sequence("\xED\xA0\x80", 0, consumed), 0u);      // surrogate
  EXPECT_EQ(utf8_sequence("\xF4\x90\x80\x80", 0, consumed), 0u);  // past U+10FFFF
}

TEST(Utf8, RepairReplacesMaximalSubparts) {
  std::string out = "x";
  EXPECT_EQ(repair_utf8("caf\xC3\xA9", out), 0u);
  EXPECT_EQ(out, "xcaf\xC3\xA9");
  out.clear();
  EXPECT_EQ(repair_utf8("a\xE2\x82"
                        "b\xFF",
                        out),
            2u);
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(Utf8, SanitizeReplacesEveryBadByteAndDropsControls) {
  EXPECT_EQ(sanitize_utf8("a\x01\tb\r\nc\x7F"), "a\tb\nc");
  EXPECT_EQ(sanitize_utf8("\xE2\x82"
                          "b"),
            "\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");                                                                    // one U+FFFD per byte
  EXPECT_EQ(sanitize_utf8("\xC2\x85x"), "x");                                        // C1 control
  EXPECT_EQ(sanitize_utf8("\xEF\xBF\xBE"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFE
  EXPECT_EQ(sanitize_utf8("caf\xC3\xA9 \xF0\x9F\x93\xB0"), "caf\xC3\xA9 \xF0\x9F\x93\xB0");
}

TEST(Markup, QuotesAsAsked) {
  EXPECT_EQ(escape_markup("<a href=\"x\">'&'</a>", Quotes::kKeep), "&lt;a href=\"x\"&gt;'&amp;'&lt;/a&gt;");
  EXPECT_EQ(escape_markup("\"it's\"", Quotes::kDouble), "&quot;it's&quot;");
  EXPECT_EQ(escape_markup("\"it's\"", Quotes::kBoth), "&quot;it&#39;s&quot;");
  std::string out = "<p>";
  append_escaped_markup(out, "1 < 2", Quotes::kKeep);
  EXPECT_EQ(out, "<p>1 &lt; 2");
}

TEST(Hashing, Sha256AndHex) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_lower(std::string_view("\x00\x7F\xFF", 3)), "007fff");
}

}  // namespace
}  // namespace banwatch
