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

// Every command's --since and --until read the same forms.
TEST(Time, CommandLineBoundsAreDatesOrDurationsBackFromNow) {
  const Timestamp now = sys_days(year{2026} / 11 / 26) + hours(12);
  EXPECT_EQ(parse_time_bound("7d", now), now - days(7));
  EXPECT_EQ(parse_time_bound("1h30m", now), now - minutes(90));
  EXPECT_EQ(parse_time_bound("2026-03", now), Timestamp(sys_days(year{2026} / 3 / 1)));
  EXPECT_EQ(parse_time_bound("2026-03", now, /*upper=*/true), Timestamp(sys_days(year{2026} / 4 / 1)));
  EXPECT_EQ(parse_time_bound("2026-03-25", now, true), Timestamp(sys_days(year{2026} / 3 / 26)));
  EXPECT_EQ(parse_time_bound("2026-03-25T10:00Z", now, true),
            Timestamp(sys_days(year{2026} / 3 / 25) + hours(10) + minutes(1)));
  EXPECT_EQ(parse_time_bound("7d", now, true), now - days(7));
  for (const char* bad : {"", "last", "seven days", "-7d", "2026-13-01", "7x"}) {
    EXPECT_FALSE(parse_time_bound(bad, now)) << bad;
  }
}

TEST(Time, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(sys_days(year{2026} / 1 / 1));
  auto t0 = clock.now();
  clock.advance(minutes(15));
  EXPECT_EQ(clock.now() - t0, minutes(15));
}

}  // namespace
}  // namespace banwatch
