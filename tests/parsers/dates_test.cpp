#include "parsers/dates.h"

#include <gtest/gtest.h>

#include <string>

namespace banwatch::dates {
namespace {

// The parsed value at its stated precision ("2004-01-01T19:48:21Z",
// "2003-12", ...), or "none".
std::string P(std::string_view text) {
  auto t = parse_date(text);
  return t ? format_precise(*t) : "none";
}

std::string Prose(std::string_view text) {
  auto f = find_prose_date(text);
  if (!f) return "none";
  return format_precise(f->date) + " [" + std::string(text.substr(f->begin, f->end - f->begin)) + "]";
}

// ---------------------------------------------------------------------------
// RFC 822 section 5 / RFC 1123 section 5.2.14 / RFC 2822 section 3.3.

TEST(DatesTest, Spec_Rfc822_Sec5_FullDateTime) {
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(P("Sat, 07 Sep 2002 00:00:01 GMT"), "2002-09-07T00:00:01Z");
}

TEST(DatesTest, Spec_Rfc822_Sec5_TwoDigitYear) {
  EXPECT_EQ(P("Thu, 01 Jan 04 19:48:21 GMT"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(P("Wed, 31 Dec 99 23:00:00 GMT"), "1999-12-31T23:00:00Z");
}

TEST(DatesTest, Spec_Rfc2822_Sec4_3_TwoDigitYearWindow) {
  EXPECT_EQ(P("01 Jan 49 00:00:00 GMT"), "2049-01-01T00:00:00Z");
  EXPECT_EQ(P("01 Jan 50 00:00:00 GMT"), "1950-01-01T00:00:00Z");
}

TEST(DatesTest, Spec_Rfc1123_Sec5_2_14_FourDigitYear) {
  EXPECT_EQ(P("Sun, 06 Nov 1994 08:49:37 GMT"), "1994-11-06T08:49:37Z");
}

TEST(DatesTest, Spec_Rfc822_Sec5_NumericOffset) {
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 +0100"), "2004-01-01T18:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 -0800"), "2004-01-02T03:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 +0530"), "2004-01-01T14:18:21Z");
}

TEST(DatesTest, Spec_Rfc822_Sec5_UsZones) {
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 EST"), "2004-01-02T00:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 EDT"), "2004-01-01T23:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 CST"), "2004-01-02T01:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 CDT"), "2004-01-02T00:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 MST"), "2004-01-02T02:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 MDT"), "2004-01-02T01:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 PST"), "2004-01-02T03:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 PDT"), "2004-01-02T02:48:21Z");
}

TEST(DatesTest, Spec_Rfc822_Sec5_UniversalZones) {
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 UT"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 Z"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 UTC"), "2004-01-01T19:48:21Z");
}

TEST(DatesTest, Spec_Rfc822_Sec5_MilitaryZones) {
  // RFC 822 as written: A = -1 hour, M = -12, N = +1, Y = +12.
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 A"), "2004-01-01T20:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 M"), "2004-01-02T07:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 N"), "2004-01-01T18:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 Y"), "2004-01-01T07:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 J"), "none");  // J is not a zone
}

TEST(DatesTest, Spec_Rfc822_Sec5_SecondsOptional) { EXPECT_EQ(P("Thu, 01 Jan 2004 19:48 GMT"), "2004-01-01T19:48Z"); }

TEST(DatesTest, Spec_Rfc822_Sec5_WeekdayOptional) { EXPECT_EQ(P("01 Jan 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z"); }

TEST(DatesTest, Spec_Rfc2822_Sec3_3_Comments) {
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 -0800 (PST)"), "2004-01-02T03:48:21Z");
}

TEST(DatesTest, Spec_Rfc822_Sec5_InvalidFields) {
  EXPECT_EQ(P("Thu, 32 Jan 2004 19:48:21 GMT"), "none");
  EXPECT_EQ(P("Thu, 30 Feb 2004 19:48:21 GMT"), "none");
  EXPECT_EQ(P("Thu, 01 Jan 2004 25:48:21 GMT"), "none");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:61:21 GMT"), "none");
  EXPECT_EQ(P("Sun, 31 Dec 9999 23:59:59 -9999"), "none");
}

TEST(DatesTest, Spec_Rfc822_EarlyYearKeepsFourDigits) {
  EXPECT_EQ(P("Thu, 01 Jan 0100 00:00:01 +0100"), "0099-12-31T23:00:01Z");
}

// ---------------------------------------------------------------------------
// ISO 8601 / W3CDTF (W3C note "Date and Time Formats").

TEST(DatesTest, Spec_W3cdtf_CompleteDateTime) {
  EXPECT_EQ(P("2003-12-31T10:14:55Z"), "2003-12-31T10:14:55Z");
  EXPECT_EQ(P("2003-12-31T10:14:55-08:00"), "2003-12-31T18:14:55Z");
  EXPECT_EQ(P("2003-12-31T18:14:55+08:00"), "2003-12-31T10:14:55Z");
}

TEST(DatesTest, Spec_W3cdtf_HoursAndMinutes) { EXPECT_EQ(P("2002-10-13T09:00+01:00"), "2002-10-13T08:00Z"); }

TEST(DatesTest, Spec_W3cdtf_FractionOfSecond) {
  EXPECT_EQ(P("2003-12-31T10:14:55.123Z"), "2003-12-31T10:14:55Z");
  EXPECT_EQ(P("2003-12-31T10:14:55.000-08:00"), "2003-12-31T18:14:55Z");
}

TEST(DatesTest, Spec_W3cdtf_PartialForms) {
  EXPECT_EQ(P("2003"), "2003");
  EXPECT_EQ(P("2003-12"), "2003-12");
  EXPECT_EQ(P("2003-12-31"), "2003-12-31");
}

TEST(DatesTest, Spec_Iso8601_Sec4_1_2_BasicFormat) {
  EXPECT_EQ(P("20031231"), "2003-12-31");
  EXPECT_EQ(P("20031231T101455Z"), "2003-12-31T10:14:55Z");
  EXPECT_EQ(P("20031231T1014+0100"), "2003-12-31T09:14Z");
}

TEST(DatesTest, Spec_Iso8601_Sec4_1_3_OrdinalDate) {
  EXPECT_EQ(P("2003-335"), "2003-12-01");
  EXPECT_EQ(P("2004366"), "2004-12-31");
  EXPECT_EQ(P("2003-366"), "none");
}

TEST(DatesTest, Spec_Iso8601_Sec4_1_4_WeekDate) {
  EXPECT_EQ(P("2004-W01-1"), "2003-12-29");
  EXPECT_EQ(P("2009-W53-7"), "2010-01-03");
  EXPECT_EQ(P("2004W014"), "2004-01-01");
  EXPECT_EQ(P("2010-W53-1"), "none");  // 2010 has 52 weeks
}

TEST(DatesTest, Spec_Iso8601_Sec4_2_4_ZoneForms) {
  EXPECT_EQ(P("2003-12-31T10:14:55+0800"), "2003-12-31T02:14:55Z");
  EXPECT_EQ(P("2003-12-31T10:14:55+08"), "2003-12-31T02:14:55Z");
  EXPECT_EQ(P("2003-12-31T10:14:55z"), "2003-12-31T10:14:55Z");
}

TEST(DatesTest, Spec_Iso8601_Sec4_2_3_MidnightAsTwentyFour) {
  EXPECT_EQ(P("2003-12-31T24:00:00Z"), "2004-01-01T00:00:00Z");
  EXPECT_EQ(P("2003-12-31T24:00:01Z"), "none");
}

TEST(DatesTest, Spec_Iso8601_InvalidFields) {
  EXPECT_EQ(P("2003-13-01"), "none");
  EXPECT_EQ(P("2003-02-29"), "none");
  EXPECT_EQ(P("2004-02-29"), "2004-02-29");
  EXPECT_EQ(P("2003-12-31T25:00:00Z"), "none");
  EXPECT_EQ(P("2003-12-31T10:14:55+25:00"), "none");
}

TEST(DatesTest, Spec_ParseIso8601_RejectsRfc822) {
  EXPECT_FALSE(parse_iso8601("Thu, 01 Jan 2004 19:48:21 GMT"));
  EXPECT_TRUE(parse_iso8601("2003-12-31T10:14:55Z"));
  EXPECT_TRUE(parse_rfc822("Thu, 01 Jan 2004 19:48:21 GMT"));
}

// ---------------------------------------------------------------------------
// Tolerances for what feeds really write.

TEST(DatesTest, Lenient_WrongWeekdayIgnored) { EXPECT_EQ(P("Mon, 01 Jan 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z"); }

TEST(DatesTest, Lenient_FullWeekdayAndMonthNames) {
  EXPECT_EQ(P("Thursday, 01 January 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z");
}

TEST(DatesTest, Lenient_MissingComma) { EXPECT_EQ(P("Thu 01 Jan 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z"); }

TEST(DatesTest, Lenient_MonthBeforeDay) { EXPECT_EQ(P("Thu, Jan 01 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z"); }

TEST(DatesTest, Lenient_HyphenatedDate) { EXPECT_EQ(P("Thu, 01-Jan-2004 19:48:21 GMT"), "2004-01-01T19:48:21Z"); }

TEST(DatesTest, Lenient_DateWithoutTime) {
  EXPECT_EQ(P("Thu, 01 Jan 2004"), "2004-01-01");
  EXPECT_EQ(P("Jan 2004"), "2004-01");
}

TEST(DatesTest, Lenient_SingleDigitFields) { EXPECT_EQ(P("Thu, 5 Apr 2012 1:02:03 GMT"), "2012-04-05T01:02:03Z"); }

TEST(DatesTest, Lenient_TooManyTimeFields) { EXPECT_EQ(P("Sun, 16 Dec 2012 1:2:3:4 GMT"), "none"); }

TEST(DatesTest, Lenient_OffsetAndZoneName) {
  EXPECT_EQ(P("Mon, 26 Nov 2026 10:00:00 +0000 GMT"), "2026-11-26T10:00:00Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 GMT+0100"), "2004-01-01T18:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 UTC-05:00"), "2004-01-02T00:48:21Z");
}

TEST(DatesTest, Lenient_OffsetWithColon) { EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 +01:00"), "2004-01-01T18:48:21Z"); }

TEST(DatesTest, Lenient_MissingZoneIsUtc) { EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21"), "2004-01-01T19:48:21Z"); }

TEST(DatesTest, Lenient_WorldZoneAbbreviations) {
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 CET"), "2004-01-01T18:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 JST"), "2004-01-01T10:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 IST"), "2004-01-01T14:18:21Z");
}

TEST(DatesTest, Lenient_Asctime) { EXPECT_EQ(P("Sun Jan  4 16:29:06 2004"), "2004-01-04T16:29:06Z"); }

TEST(DatesTest, Lenient_UnixDateWithZoneBeforeYear) {
  EXPECT_EQ(P("Sun Jan  4 16:29:06 PST 2004"), "2004-01-05T00:29:06Z");
}

TEST(DatesTest, Lenient_TwitterStyle) { EXPECT_EQ(P("Sun Jul 15 01:16:00 +0000 2012"), "2012-07-15T01:16:00Z"); }

TEST(DatesTest, Lenient_Perforce) { EXPECT_EQ(P("Fri, 2006/09/15 08:19:53 EDT"), "2006-09-15T12:19:53Z"); }

TEST(DatesTest, Lenient_MsSqlSpaceSeparator) {
  EXPECT_EQ(P("2004-07-08 23:56:58"), "2004-07-08T23:56:58Z");
  EXPECT_EQ(P("2004-07-08 23:56:58.0"), "2004-07-08T23:56:58Z");
  EXPECT_EQ(P("2004-07-08 23:56:58 -05:00"), "2004-07-09T04:56:58Z");
  EXPECT_EQ(P("2004-07-08 23:56 EST"), "2004-07-09T04:56Z");
}

TEST(DatesTest, Lenient_LowercaseSeparatorT) { EXPECT_EQ(P("2003-12-31t10:14:55z"), "2003-12-31T10:14:55Z"); }

TEST(DatesTest, Lenient_IsoHourWithoutMinutes) { EXPECT_EQ(P("2003-12-31T10Z"), "2003-12-31T10:00Z"); }

TEST(DatesTest, Lenient_Greek) {
  EXPECT_EQ(P("\u039a\u03c5\u03c1, 11 \u0399\u03bf\u03cd\u03bb 2004 12:00:00 EST"), "2004-07-11T17:00:00Z");
}

TEST(DatesTest, Lenient_Hungarian) { EXPECT_EQ(P("2004-j\u00falius-13T9:15-05:00"), "2004-07-13T14:15Z"); }

TEST(DatesTest, Lenient_KoreanOnblog) {
  EXPECT_EQ(P("2004\ub144 05\uc6d4 28\uc77c  01:31:15"), "2004-05-27T16:31:15Z");
}

TEST(DatesTest, Lenient_KoreanNate) { EXPECT_EQ(P("2004-05-25 \uc624\ud6c4 11:23:17"), "2004-05-25T14:23:17Z"); }

TEST(DatesTest, Lenient_AmPm) {
  EXPECT_EQ(P("March 25, 2022 10:30 PM EST"), "2022-03-26T03:30Z");
  EXPECT_EQ(P("March 25, 2022 12:05 a.m. GMT"), "2022-03-25T00:05Z");
}

TEST(DatesTest, Lenient_NumericDayMonthYear) {
  EXPECT_EQ(P("25.03.2022"), "2022-03-25");
  EXPECT_EQ(P("25/03/2022 10:00"), "2022-03-25T10:00Z");
  EXPECT_EQ(P("03/25/2022"), "2022-03-25");
  EXPECT_EQ(P("03/04/2022"), "none");  // ambiguous
}

TEST(DatesTest, Lenient_LeapSecondRollsOver) { EXPECT_EQ(P("2016-12-31T23:59:60Z"), "2017-01-01T00:00:00Z"); }

TEST(DatesTest, Lenient_SurroundingWhitespace) { EXPECT_EQ(P("  \n 2003-12-31T10:14:55Z \t"), "2003-12-31T10:14:55Z"); }

TEST(DatesTest, Lenient_RejectsNonDates) {
  EXPECT_EQ(P(""), "none");
  EXPECT_EQ(P("   "), "none");
  EXPECT_EQ(P("yesterday"), "none");
  EXPECT_EQ(P("not a date at all, really not"), "none");
  EXPECT_EQ(P("12345"), "none");
  EXPECT_EQ(P("Jan"), "none");
  EXPECT_EQ(P(std::string(1000, '1')), "none");
}

TEST(DatesTest, Lenient_PartialYearlessFormsRejected) {
  // ISO 8601 forms without a year need a clock to resolve; parsers have none.
  EXPECT_EQ(P("--12-31"), "none");
  EXPECT_EQ(P("Jan 01 19:48:21"), "none");
}

// ---------------------------------------------------------------------------
// Dates in prose.

TEST(DatesTest, Lenient_ProseMonthDayYear) {
  EXPECT_EQ(Prose("On March 25, 2022, the agency said"), "2022-03-25 [March 25, 2022]");
  EXPECT_EQ(Prose("March 25 2022"), "2022-03-25 [March 25 2022]");
  EXPECT_EQ(Prose("on March 25th, 2022."), "2022-03-25 [March 25th, 2022]");
}

TEST(DatesTest, Lenient_ProseAbbreviatedMonth) {
  EXPECT_EQ(Prose("Posted Mar. 25, 2022 by staff"), "2022-03-25 [Mar. 25, 2022]");
  EXPECT_EQ(Prose("Sept. 23, 2022: the ministry"), "2022-09-23 [Sept. 23, 2022]");
  EXPECT_EQ(Prose("Sep 3, 2021"), "2021-09-03 [Sep 3, 2021]");
}

TEST(DatesTest, Lenient_ProseDayMonthYear) {
  EXPECT_EQ(Prose("Published 25 March 2022 in"), "2022-03-25 [25 March 2022]");
  EXPECT_EQ(Prose("the 3rd of June, 2021"), "2021-06-03 [3rd of June, 2021]");
}

TEST(DatesTest, Lenient_ProseMonthYear) {
  EXPECT_EQ(Prose("In March 2022 the government"), "2022-03 [March 2022]");
  EXPECT_EQ(Prose("since Sept. 2019,"), "2019-09 [Sept. 2019]");
}

TEST(DatesTest, Lenient_ProseIsoDate) {
  EXPECT_EQ(Prose("updated 2022-03-25 by"), "2022-03-25 [2022-03-25]");
  EXPECT_EQ(Prose("at 2022-03-25T10:00:00Z."), "2022-03-25T10:00:00Z [2022-03-25T10:00:00Z]");
}

TEST(DatesTest, Lenient_ProseTimeWithZone) {
  EXPECT_EQ(Prose("March 25, 2022 at 10:30 a.m. ET"), "2022-03-25T15:30Z [March 25, 2022 at 10:30 a.m. ET]");
  EXPECT_EQ(Prose("March 25, 2022, 14:05 UTC"), "2022-03-25T14:05Z [March 25, 2022, 14:05 UTC]");
  // A clock time without a zone is not a point in time: day precision.
  EXPECT_EQ(Prose("March 25, 2022 10:30 AM"), "2022-03-25 [March 25, 2022]");
}

TEST(DatesTest, Lenient_ProseRangeKeepsFirstDay) {
  EXPECT_EQ(Prose("March 25-26, 2022"), "2022-03-25 [March 25-26, 2022]");
}

TEST(DatesTest, Lenient_ProseFirstDateWins) {
  EXPECT_EQ(Prose("On 1 May 2020 and again on June 2, 2021"), "2020-05-01 [1 May 2020]");
}

TEST(DatesTest, Lenient_ProseRejects) {
  EXPECT_EQ(Prose("It may 2022 be"), "none");  // lowercase "may"
  EXPECT_EQ(Prose("March 25"), "none");        // no year
  EXPECT_EQ(Prose("Marches 2022"), "none");    // not a month word
  EXPECT_EQ(Prose("March 32, 2022"), "none");  // no such day
  EXPECT_EQ(Prose("February 30, 2022"), "none");
  EXPECT_EQ(Prose("order 12345 June"), "none");
  EXPECT_EQ(Prose("version 2022-03-251"), "none");
  EXPECT_EQ(Prose(""), "none");
}

TEST(DatesTest, Lenient_ProseSpanOffsetsAreBytes) {
  std::string text = "\u00c9t\u00e9: 4 July 2021";
  auto f = find_prose_date(text);
  ASSERT_TRUE(f);
  EXPECT_EQ(text.substr(f->begin, f->end - f->begin), "4 July 2021");
  EXPECT_EQ(f->date.precision, DatePrecision::kDay);
}

TEST(DatesTest, Lenient_ProseAllCapsMonth) { EXPECT_EQ(Prose("MARCH 25, 2022"), "2022-03-25 [MARCH 25, 2022]"); }

}  // namespace
}  // namespace banwatch::dates

namespace banwatch::dates {
namespace {

Timestamp At(std::string_view iso) { return parse_iso8601(iso)->time; }

std::string ProseAt(std::string_view text, std::string_view reference) {
  auto f = find_prose_date(text, ProseOptions{At(reference)});
  if (!f) return "none";
  return format_precise(f->date) + " [" + std::string(text.substr(f->begin, f->end - f->begin)) + "]" +
         (f->year_inferred ? " inferred" : "");
}

TEST(DatesTest, Lenient_ForeignMonthNames) {
  EXPECT_EQ(P("Seg, 24 Set 2018 19:18:49 -0300"), "2018-09-24T22:18:49Z");
  EXPECT_EQ(P("Mi, 24 Okt 2018 10:00:00 +0200"), "2018-10-24T08:00:00Z");
  EXPECT_EQ(P("24 d\u00e9c. 2018 10:00:00 +0100"), "2018-12-24T09:00:00Z");
  EXPECT_EQ(P("3 ago 2021"), "2021-08-03");
  EXPECT_EQ(P("5 m\u00e4rz 2021"), "2021-03-05");
}

TEST(DatesTest, Lenient_JavaScriptDateString) {
  EXPECT_EQ(P("Wed Nov 18 2020 14:03:11 GMT+0000 (Coordinated Universal Time)"), "2020-11-18T14:03:11Z");
  EXPECT_EQ(P("Wed Nov 18 2020 14:03:11 GMT-0500 (EST)"), "2020-11-18T19:03:11Z");
}

TEST(DatesTest, Lenient_ProseYearlessNeedsReference) {
  EXPECT_EQ(Prose("on March 25 the agency"), "none");
  EXPECT_EQ(ProseAt("on March 25 the agency", "2022-04-02T00:00:00Z"), "2022-03-25 [March 25] inferred");
  EXPECT_EQ(ProseAt("An Oct. 11 presentation", "2019-11-20T00:00:00Z"), "2019-10-11 [Oct. 11] inferred");
  EXPECT_EQ(ProseAt("on 25 March, officials", "2022-04-02T00:00:00Z"), "2022-03-25 [25 March] inferred");
}

TEST(DatesTest, Lenient_ProseYearlessPicksClosestYear) {
  // Early January: "December 28" is last year's.
  EXPECT_EQ(ProseAt("on December 28", "2020-01-05T00:00:00Z"), "2019-12-28 [December 28] inferred");
  // Late December: "January 3" is next year's.
  EXPECT_EQ(ProseAt("from January 3", "2019-12-30T00:00:00Z"), "2020-01-03 [January 3] inferred");
  // February 29 only exists in leap years.
  EXPECT_EQ(ProseAt("on February 29", "2021-01-10T00:00:00Z"), "2020-02-29 [February 29] inferred");
}

TEST(DatesTest, Lenient_ProseExplicitYearNotInferred) {
  EXPECT_EQ(ProseAt("On March 25, 2021, it", "2022-04-02T00:00:00Z"), "2021-03-25 [March 25, 2021]");
}

TEST(DatesTest, Lenient_ProseAllDates) {
  const std::string text = "Between March 3, 2021 and 5 May 2021, then in June 2022.";
  auto all = find_prose_dates(text);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(format_precise(all[0].date), "2021-03-03");
  EXPECT_EQ(format_precise(all[1].date), "2021-05-05");
  EXPECT_EQ(format_precise(all[2].date), "2022-06");
  EXPECT_LE(all[0].end, all[1].begin);
  EXPECT_TRUE(find_prose_dates("no dates here").empty());
}

}  // namespace
}  // namespace banwatch::dates

namespace banwatch::dates {
namespace {

TEST(DatesTest, Spec_Rfc2822_Sec3_2_3_CommentZoneUsedOnlyAlone) {
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 (PST)"), "2004-01-02T03:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 +0000 (PST)"), "2004-01-01T19:48:21Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 GMT (unclosed comment"), "2004-01-01T19:48:21Z");
}

}  // namespace
}  // namespace banwatch::dates

namespace banwatch::dates {
namespace {

std::string ProseYears(std::string_view text) {
  ProseOptions options;
  options.year_only = true;
  auto f = find_prose_date(text, options);
  if (!f) return "none";
  return format_precise(f->date) + " [" + std::string(text.substr(f->begin, f->end - f->begin)) + "]";
}

TEST(DatesTest, Lenient_ProseYearOnlyAfterCue) {
  EXPECT_EQ(ProseYears("In 2019, the FCC ordered"), "2019 [2019]");
  EXPECT_EQ(ProseYears("banned since 2014."), "2014 [2014]");
  EXPECT_EQ(ProseYears("by mid-2020 the carriers"), "2020 [2020]");
  EXPECT_EQ(ProseYears("a 2019 report"), "none");
  EXPECT_EQ(ProseYears("sold 2019 units"), "none");
  EXPECT_EQ(ProseYears("in 20190 cases"), "none");
  EXPECT_EQ(Prose("In 2019, the FCC ordered"), "none");  // off by default
  // A fuller date wins where it starts first.
  EXPECT_EQ(ProseYears("in March 2019"), "2019-03 [March 2019]");
}

}  // namespace
}  // namespace banwatch::dates

namespace banwatch::dates {
namespace {

TEST(DatesTest, Lenient_MoreZoneForms) {
  EXPECT_EQ(P("Wed, 19 Aug 2009 18:28:00 Etc/GMT"), "2009-08-19T18:28:00Z");
  EXPECT_EQ(P("Mon, 5 May 2008 23:59:59 MSD"), "2008-05-05T19:59:59Z");
  EXPECT_EQ(P("Sat, 26 Jul 2014 07:00:00 MESZ"), "2014-07-26T05:00:00Z");
  EXPECT_EQ(P("Thu, 01 Jan 2004 19:48:21 GMT+1"), "2004-01-01T18:48:21Z");
  EXPECT_EQ(P("Sun, 17 Jun 2012 19:16:11 -0000"), "2012-06-17T19:16:11Z");
  EXPECT_EQ(P("Tue, 10 Jun 2003 09:41:01.123 GMT"), "2003-06-10T09:41:01Z");
}

TEST(DatesTest, Lenient_NoSpaceAfterComma) { EXPECT_EQ(P("Thu,01 Jan 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z"); }

}  // namespace
}  // namespace banwatch::dates

namespace banwatch::dates {
namespace {

TEST(DatesTest, Spec_DcmiPeriod_StartAndEnd) {
  auto p = parse_dcmi_period("start=2002-10-13T09:00+01:00;end=2002-10-17T17:00+01:00;scheme=W3C-DTF");
  ASSERT_TRUE(p);
  ASSERT_TRUE(p->start && p->end);
  EXPECT_EQ(format_precise(*p->start), "2002-10-13T08:00Z");
  EXPECT_EQ(format_precise(*p->end), "2002-10-17T16:00Z");
}

TEST(DatesTest, Spec_DcmiPeriod_OneBoundAndName) {
  auto p = parse_dcmi_period("name=The Great Depression; end=1939; scheme=W3C-DTF");
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->start);
  EXPECT_EQ(format_precise(*p->end), "1939");
  EXPECT_EQ(p->name, "The Great Depression");
  EXPECT_FALSE(parse_dcmi_period("scheme=W3C-DTF"));
  EXPECT_FALSE(parse_dcmi_period("2002-10-13"));
}

// ---------------------------------------------------------------------------
// Dates as their writer stated them, and calendar days in page text.

std::string Local(std::string_view text) {
  auto d = parse_date_local(text);
  return d ? format_local(*d) : "none";
}

// Every day find_text_dates sees, "YYYY-MM-DD [matched text]" joined by "; ".
std::string Days(std::string_view text, const TextDateOptions& options = {}) {
  std::string out;
  for (const auto& d : find_text_dates(text, options)) {
    if (!out.empty()) out += "; ";
    out += format_local(d.date) + " [" + std::string(text.substr(d.begin, d.end - d.begin)) + "]";
  }
  return out.empty() ? "none" : out;
}

TEST(DatesLocalTest, Spec_Rfc3339_Sec4_2_OffsetIsKept) {
  EXPECT_EQ(Local("2020-02-15T07:00+09:00"), "2020-02-15T07:00:00+09:00");
  EXPECT_EQ(Local("2019-10-19T19:08:22+02:00"), "2019-10-19T19:08:22+02:00");
  EXPECT_EQ(Local("2013-02-16T04:36:36-05:00"), "2013-02-16T04:36:36-05:00");
  EXPECT_EQ(Local("2021-11-04T23:00:00Z"), "2021-11-04T23:00:00Z");
  EXPECT_EQ(Local("2020-01-01T10:00:00+00:00"), "2020-01-01T10:00:00Z");
  EXPECT_EQ(Local("Tue, 10 Jun 2003 04:00:00 -0400"), "2003-06-10T04:00:00-04:00");
  EXPECT_EQ(Local("2021-06-04"), "2021-06-04");
  EXPECT_EQ(Local("2021-06"), "2021-06");
  EXPECT_EQ(Local("not a date"), "none");
}

TEST(DatesLocalTest, LocalDayIsThePublishersDay) {
  auto d = parse_date_local("2020-02-15T07:00+09:00");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(format_precise(d->date), "2020-02-14T22:00Z");  // UTC: the previous day
  EXPECT_EQ(local_day(*d), std::chrono::sys_days{std::chrono::year{2020} / 2 / 15});
  auto w = parse_date_local("2023-11-08T22:35:29-08:00");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(local_day(*w), std::chrono::sys_days{std::chrono::year{2023} / 11 / 8});
}

TEST(DatesTextTest, NumericForms) {
  EXPECT_EQ(Days("Stand: 18.10.2021"), "2021-10-18 [18.10.2021]");
  EXPECT_EQ(Days("am 5.3.2020 um 10 Uhr"), "2020-03-05 [5.3.2020]");
  EXPECT_EQ(Days("2021-10-18 and 2021/10/19"), "2021-10-18 [2021-10-18]; 2021-10-19 [2021/10/19]");
  EXPECT_EQ(Days("posted 18-10-2021"), "2021-10-18 [18-10-2021]");
  EXPECT_EQ(Days("2021-10-18T23:30:00+02:00 local"), "2021-10-18T23:30:00+02:00 [2021-10-18T23:30:00+02:00]");
  // Not days: version numbers, phone numbers, times, ISBN-like runs.
  EXPECT_EQ(Days("version 1.2.2021a, call 030 12.10.20, ref 2021-13-45, 12345.10.2021"), "none");
}

TEST(DatesTextTest, TwoDigitYearsOnlyWhenAsked) {
  EXPECT_EQ(Days("02.12.19"), "none");
  TextDateOptions o;
  o.two_digit_years = true;
  EXPECT_EQ(Days("02.12.19", o), "2019-12-02 [02.12.19]");
}

TEST(DatesTextTest, SlashOrder) {
  EXPECT_EQ(Days("03/04/2020"), "2020-04-03 [03/04/2020]");
  TextDateOptions us;
  us.slash_order = DayOrder::kMonthFirst;
  EXPECT_EQ(Days("03/04/2020", us), "2020-03-04 [03/04/2020]");
  // A date the text settles overrides the convention for the whole text.
  EXPECT_EQ(Days("03/04/2020 and 13/04/2020", us), "2020-04-03 [03/04/2020]; 2020-04-13 [13/04/2020]");
  EXPECT_EQ(Days("03/04/2020 and 04/13/2020"), "2020-03-04 [03/04/2020]; 2020-04-13 [04/13/2020]");
  EXPECT_EQ(settled_slash_order("on 25/12/2019"), DayOrder::kDayFirst);
  EXPECT_EQ(settled_slash_order("on 12/25/2019"), DayOrder::kMonthFirst);
  EXPECT_EQ(settled_slash_order("on 12/11/2019"), std::nullopt);
  EXPECT_EQ(settled_slash_order("25/12/2019 and 12/25/2019"), std::nullopt);
}

TEST(DatesTextTest, MonthNamesInEightLanguages) {
  EXPECT_EQ(Days("Published 3 March 2020"), "2020-03-03 [3 March 2020]");
  EXPECT_EQ(Days("October 18, 2021 at 9:00"), "2021-10-18 [October 18, 2021]");
  EXPECT_EQ(Days("Oct. 18th, 2021"), "2021-10-18 [Oct. 18th, 2021]");
  EXPECT_EQ(Days("3rd of March 2020"), "2020-03-03 [3rd of March 2020]");
  EXPECT_EQ(Days("Ver\xC3\xB6"
                 "ffentlicht am 18. Oktober 2021"),
            "2021-10-18 [18. Oktober 2021]");
  EXPECT_EQ(Days("5. M\xC3\xA4rz 2020 und 6. J\xC3\xA4nner 2021"),
            "2020-03-05 [5. M\xC3\xA4rz 2020]; 2021-01-06 [6. J\xC3\xA4nner 2021]");
  EXPECT_EQ(Days("5. M\xC3\x84RZ 2020"), "2020-03-05 [5. M\xC3\x84RZ 2020]");
  EXPECT_EQ(Days("publi\xC3\xA9 le 1er f\xC3\xA9vrier 2020"), "2020-02-01 [1er f\xC3\xA9vrier 2020]");
  EXPECT_EQ(Days("le 3 ao\xC3\xBBt 2019"), "2019-08-03 [3 ao\xC3\xBBt 2019]");
  EXPECT_EQ(Days("Notizia del 14 gennaio 2020"), "2020-01-14 [14 gennaio 2020]");
  EXPECT_EQ(Days("publicado el 3 de marzo de 2020"), "2020-03-03 [3 de marzo de 2020]");
  EXPECT_EQ(Days("publicado em 7 de mar\xC3\xA7o de 2020"), "2020-03-07 [7 de mar\xC3\xA7o de 2020]");
  EXPECT_EQ(Days("opublikowano 3 pa\xC5\xBA"
                 "dziernika 2020"),
            "2020-10-03 [3 pa\xC5\xBA"
            "dziernika 2020]");
  EXPECT_EQ(Days("12 marca 2021"), "2021-03-12 [12 marca 2021]");
  EXPECT_EQ(Days("gepubliceerd op 3 maart 2020"), "2020-03-03 [3 maart 2020]");
  EXPECT_EQ(Days("18 okt. 2021"), "2021-10-18 [18 okt. 2021]");
  EXPECT_EQ(Days("Oktober 18, 2021"), "2021-10-18 [Oktober 18, 2021]");
  EXPECT_EQ(Days("15 \xD0\xB0\xD0\xB2\xD0\xB3\xD1\x83\xD1\x81\xD1\x82\xD0\xB0 2016, 13:43"),
            "2016-08-15 [15 \xD0\xB0\xD0\xB2\xD0\xB3\xD1\x83\xD1\x81\xD1\x82\xD0\xB0 2016]");  // Russian
  EXPECT_EQ(Days("3\xC2\xA0mars\xC2\xA0"
                 "2020"),
            "2020-03-03 [3\xC2\xA0mars\xC2\xA0"
            "2020]");
}

TEST(DatesTextTest, MonthsAndYearsAloneAreNotDays) {
  EXPECT_EQ(Days("March 2020, in 2019, Mai 2021, 2020/21"), "none");
  EXPECT_EQ(Days("the 3 marvels of 2020"), "none");
}

TEST(DatesTextTest, YearBounds) {
  EXPECT_EQ(Days("on 3 March 1988"), "none");
  TextDateOptions o;
  o.min_year = 1900;
  EXPECT_EQ(Days("on 3 March 1988", o), "1988-03-03 [3 March 1988]");
  o.max_year = 2021;
  EXPECT_EQ(Days("on 3 March 2022"), "2022-03-03 [3 March 2022]");
  EXPECT_EQ(Days("on 3 March 2022", o), "none");
}

TEST(DatesTextTest, Lenient_InvalidDaysAreSkipped) {
  EXPECT_EQ(Days("31.02.2021 and 30.02.2020 and 0.1.2020 and 31.4.2021"), "none");
  std::string long_digits(100000, '1');
  EXPECT_EQ(Days(long_digits), "none");
  std::string many_slashes;
  for (int i = 0; i < 20000; ++i) many_slashes += "1/";
  EXPECT_EQ(Days(many_slashes), "none");
}

}  // namespace
}  // namespace banwatch::dates
