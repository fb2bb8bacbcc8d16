#include "parsers/sentences.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace banwatch::text {
namespace {

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& s : split_sentences(text)) out.emplace_back(s.view(text));
  return out;
}

using Strings = std::vector<std::string>;

TEST(Sentences, Basic_SplitsOnTerminators) {
  EXPECT_EQ(split("Sweden banned the vendor. Norway did not! Why? Nobody knows."),
            (Strings{"Sweden banned the vendor.", "Norway did not!", "Why?", "Nobody knows."}));
}

TEST(Sentences, Basic_EmptyAndWhitespace) {
  EXPECT_TRUE(split("").empty());
  EXPECT_TRUE(split("   \n\n \t ").empty());
  EXPECT_EQ(split("  No terminator at all  "), (Strings{"No terminator at all"}));
}

TEST(Sentences, Abbreviation_TitlesAndMonthsNeverEnd) {
  EXPECT_EQ(split("Mr. Smith met Dr. Jones on Jan. 5 in St. Louis. They talked."),
            (Strings{"Mr. Smith met Dr. Jones on Jan. 5 in St. Louis.", "They talked."}));
  EXPECT_EQ(split("Sen. Warner wrote to Gov. Abbott. The letter was short."),
            (Strings{"Sen. Warner wrote to Gov. Abbott.", "The letter was short."}));
}

TEST(Sentences, Abbreviation_DottedAcronymContinuesBeforeNames) {
  EXPECT_EQ(split("The U.S. Commerce Department acted. It said so."),
            (Strings{"The U.S. Commerce Department acted.", "It said so."}));
  EXPECT_EQ(split("The rule covers the U.S. The agency said more."),
            (Strings{"The rule covers the U.S.", "The agency said more."}));
}

TEST(Sentences, Abbreviation_CompanySuffixes) {
  EXPECT_EQ(split("Acme Inc. said it would comply. Shares rose."),
            (Strings{"Acme Inc. said it would comply.", "Shares rose."}));
  EXPECT_EQ(split("It signed with Widget Co. The deal closed."),
            (Strings{"It signed with Widget Co.", "The deal closed."}));
}

TEST(Sentences, Abbreviation_InitialsStay) {
  EXPECT_EQ(split("J. D. Morgan spoke first. Then others."), (Strings{"J. D. Morgan spoke first.", "Then others."}));
}

TEST(Sentences, Numbers_DecimalsAndVersionsStay) {
  EXPECT_EQ(split("Revenue grew 3.5 percent to $1.2 billion. Costs fell."),
            (Strings{"Revenue grew 3.5 percent to $1.2 billion.", "Costs fell."}));
  EXPECT_EQ(split("Visit example.com today. Or not."), (Strings{"Visit example.com today.", "Or not."}));
}

TEST(Sentences, Quotes_ClosingQuoteStaysWithSentence) {
  EXPECT_EQ(split("He said \"we will act.\" The ministry agreed."),
            (Strings{"He said \"we will act.\"", "The ministry agreed."}));
  EXPECT_EQ(split("\"Is it safe?\" he asked. Nobody answered."),
            (Strings{"\"Is it safe?\" he asked.", "Nobody answered."}));
  EXPECT_EQ(split("She called it \xE2\x80\x9C"
                  "dangerous.\xE2\x80\x9D Officials disagreed."),
            (Strings{"She called it \xE2\x80\x9C"
                     "dangerous.\xE2\x80\x9D",
                     "Officials disagreed."}));
}

TEST(Sentences, Quotes_CommaInsideQuoteContinues) {
  EXPECT_EQ(split("\"We are reviewing it,\" a spokesman said. More later."),
            (Strings{"\"We are reviewing it,\" a spokesman said.", "More later."}));
}

TEST(Sentences, LeadDate_StaysWithItsSentence) {
  EXPECT_EQ(split("Sept. 12, 2023: The regulator acted. The vendor objected."),
            (Strings{"Sept. 12, 2023: The regulator acted.", "The vendor objected."}));
}

TEST(Sentences, Paragraphs_BlankLineEndsSentenceAndCounts) {
  std::string_view text = "First paragraph without end\n\nSecond one. Still second.\n \n\nThird.";
  auto s = split_sentences(text);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].view(text), "First paragraph without end");
  EXPECT_EQ(s[0].paragraph, 0u);
  EXPECT_EQ(s[1].paragraph, 1u);
  EXPECT_EQ(s[2].paragraph, 1u);
  EXPECT_EQ(s[3].view(text), "Third.");
  EXPECT_EQ(s[3].paragraph, 2u);
}

TEST(Sentences, Lists_BulletLinesAreSentencesWithoutTheBullet) {
  std::string_view text =
      "Developments:\n  \xE2\x80\xA2 May 2, 2021: One thing happened\n  \xE2\x80\xA2 Another thing.\n- A dash item";
  EXPECT_EQ(split(text),
            (Strings{"Developments:", "May 2, 2021: One thing happened", "Another thing.", "A dash item"}));
  // Each item says it is one; the line that announces them is not.
  const auto s = split_sentences(text);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_FALSE(s[0].item);
  EXPECT_TRUE(s[1].item);
  EXPECT_TRUE(s[2].item);
  EXPECT_TRUE(s[3].item);
  EXPECT_FALSE(split_sentences("Plain text. Two sentences.")[1].item);
}

TEST(Sentences, Lenient_SingleNewlineInsideSentenceIsSpace) {
  EXPECT_EQ(split("A wrapped\nline ends here. Next."), (Strings{"A wrapped\nline ends here.", "Next."}));
}

TEST(Sentences, Lenient_EllipsisAndRepeatedMarks) {
  EXPECT_EQ(split("Wait... What?! Fine\xE2\x80\xA6 Done."),
            (Strings{"Wait...", "What?!", "Fine\xE2\x80\xA6", "Done."}));
}

TEST(Sentences, Spans_AreByteOffsetsWithoutSurroundingSpace) {
  std::string_view text = "  One.   Two.  ";
  auto s = split_sentences(text);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].begin, 2u);
  EXPECT_EQ(s[0].end, 6u);
  EXPECT_EQ(s[1].begin, 9u);
  EXPECT_EQ(s[1].end, 13u);
}

TEST(Sentences, Robust_ArbitraryBytesNeverCrossBounds) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 131 + 7) % 256));
  for (const auto& s : split_sentences(junk)) {
    EXPECT_LE(s.begin, s.end);
    EXPECT_LE(s.end, junk.size());
  }
}

}  // namespace
}  // namespace banwatch::text
