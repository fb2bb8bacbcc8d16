#include "common/time.h"

#include <gtest/gtest.h>

namespace banwatch {
namespace {

using namespace std::chrono;

TEST(Time, FormatsIso8601Utc) {
  Timestamp t = sys_days(year{2026} / 11 / 26) + hours(21) + minutes(9);
  EXPECT_EQ(format_iso8601(t), "2026-11-26T21:09:00Z");
}

TEST(Time, PreciseRoundTripsEveryPrecision) {
  for (const char* s : {"2022", "2022-03", "2022-03-25", "2022-03-25T10:00Z", "2022-03-25T10:00:05Z"}) {
    auto p = parse_precise(s);
    ASSERT_TRUE(p) << s;
    EXPECT_EQ(format_precise(*p), s);
  }
  EXPECT_EQ(parse_precise("2022-03")->precision, DatePrecision::kMonth);
}

TEST(Time, PreciseAppliesOffsetsAndRejectsNonsense) {
  auto p = parse_precise("2022-03-25T10:00:00+02:00");
  ASSERT_TRUE(p);
  EXPECT_EQ(format_iso8601(p->time), "2022-03-25T08:00:00Z");
  EXPECT_FALSE(parse_precise("2022-02-30"));
  EXPECT_FALSE(parse_precise("yesterday"));
  EXPECT_FALSE(parse_precise("2022-13"));
  EXPECT_FALSE(parse_precise("2022-03-25T25:00Z"));
}

TEST(Time, DurationsAsUsersWriteThem) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("90s"), seconds(90));
  EXPECT_EQ(parse_duration("15m"), minutes(15));
  EXPECT_EQ(parse_duration("1h30m"), minutes(90));
  EXPECT_EQ(parse_duration("7d"), hours(168));
  EXPECT_EQ(parse_duration("0s"), milliseconds(0));
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("15"));
  EXPECT_FALSE(parse_duration("-5s"));
  EXPECT_FALSE(parse_duration("5 minutes"));
  EXPECT_FALSE(parse_duration("99999999999999999d"));
  EXPECT_EQ(format_duration(minutes(90)), "1h30m");
  EXPECT_EQ(format_duration(milliseconds(500)), "500ms");
  EXPECT_EQ(format_duration(hours(48)), "2d");
}

TEST(Time, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(sys_days(year{2026} / 1 / 1));
  auto t0 = clock.now();
  clock.advance(minutes(15));
  EXPECT_EQ(clock.now() - t0, minutes(15));
}

}  // namespace
}  // namespace banwatch
