// Scheduling with a fake clock: no test sleeps.
#include <gtest/gtest.h>

#include "crawler/politeness.h"
#include "crawler/scheduler.h"

namespace banwatch::crawler {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

Timestamp at(int hour, int minute = 0) {
  return Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 11 / 26).time_since_epoch() +
                   std::chrono::hours(hour) + std::chrono::minutes(minute));
}

TEST(Scheduler, NewSourceIsDueAndFutureIsNot) {
  FakeClock clock(at(10));
  store::FetchState s;
  EXPECT_TRUE(is_due(s, clock.now()));
  s.next_due = clock.now() + 60s;
  EXPECT_FALSE(is_due(s, clock.now()));
  clock.advance(60s);
  EXPECT_TRUE(is_due(s, clock.now()));
}

TEST(Scheduler, AdaptiveIntervalShrinksOnChangeAndGrowsWhenQuiet) {
  ScheduleBounds b;
  seconds configured = 30min;
  seconds quiet = next_interval(configured, 0s, false, b);
  EXPECT_GT(quiet, configured);
  seconds busy = next_interval(configured, 0s, true, b);
  EXPECT_LT(busy, configured);
  // Repeated quiet fetches stop at min(max_interval, 8 x configured).
  seconds cur = configured;
  for (int i = 0; i < 100; ++i) cur = next_interval(configured, cur, false, b);
  EXPECT_EQ(cur, 240min);
  // Repeated changes stop at max(min_interval, configured / 4).
  for (int i = 0; i < 100; ++i) cur = next_interval(configured, cur, true, b);
  EXPECT_EQ(cur, seconds(450));
}

TEST(Scheduler, AdaptiveBoundsRespectConfig) {
  ScheduleBounds b;
  b.min_interval = 10min;
  b.max_interval = 1h;
  seconds cur = 15min;
  for (int i = 0; i < 50; ++i) cur = next_interval(15min, cur, true, b);
  EXPECT_EQ(cur, 10min);
  for (int i = 0; i < 50; ++i) cur = next_interval(15min, cur, false, b);
  EXPECT_EQ(cur, 1h);
}

TEST(Scheduler, SuccessSetsNextDueAndClearsErrors) {
  FakeClock clock(at(10));
  store::FetchState s;
  s.consecutive_errors = 3;
  s.last_error = "HTTP 500";
  schedule_success(s, 30min, FetchOutcome{true, {}, {}}, clock.now(), {});
  EXPECT_EQ(s.consecutive_errors, 0);
  EXPECT_TRUE(s.last_error.empty());
  ASSERT_TRUE(s.next_due);
  EXPECT_EQ(*s.next_due, clock.now() + s.current_interval);
  clock.advance(s.current_interval - 1s);
  EXPECT_FALSE(is_due(s, clock.now()));
  clock.advance(1s);
  EXPECT_TRUE(is_due(s, clock.now()));
}

TEST(Scheduler, Spec_RssTtlIsAFloor) {
  store::FetchState s;
  schedule_success(s, 15min, FetchOutcome{true, 120, {}}, at(10), {});
  EXPECT_EQ(*s.next_due, at(12));
}

TEST(Scheduler, Spec_RssSkipHoursMovesDueTime) {
  store::FetchState s;
  FetchOutcome o;
  o.skip_hours = {10, 11, 12};
  schedule_success(s, 15min, o, at(9, 55), {});
  // 09:55 + ~18 min falls in hour 10: moved to 13:00.
  EXPECT_EQ(*s.next_due, at(13));
  EXPECT_EQ(skip_hours_forward(at(9, 30), o.skip_hours), at(9, 30));
  std::vector<int> all;
  for (int h = 0; h < 24; ++h) all.push_back(h);
  EXPECT_EQ(skip_hours_forward(at(10, 5), all), at(10, 5));  // every hour skipped: ignored
}

TEST(Scheduler, FailureBacksOffDoublingUpToCap) {
  FakeClock clock(at(0));
  ScheduleBounds b;
  b.max_backoff = 24h;
  store::FetchState s;
  std::vector<seconds> delays;
  for (int i = 0; i < 10; ++i) {
    schedule_failure(s, 30min, std::nullopt, clock.now(), b);
    delays.push_back(std::chrono::duration_cast<seconds>(*s.next_due - clock.now()));
    clock.set(*s.next_due);
  }
  EXPECT_EQ(delays[0], 30min);
  EXPECT_EQ(delays[1], 60min);
  EXPECT_EQ(delays[2], 120min);
  EXPECT_EQ(delays[5], 16h);
  EXPECT_EQ(delays[6], 24h);  // 32 h is past the cap
  EXPECT_EQ(delays[9], 24h);  // never abandoned: stays scheduled at the cap
  EXPECT_EQ(s.consecutive_errors, 10);
}

TEST(Scheduler, RetryAfterIsAFloorForBackoff) {
  store::FetchState s;
  schedule_failure(s, 15min, seconds(3 * 3600), at(0), {});
  EXPECT_EQ(*s.next_due, at(3));
}

// A steady-clock time well after its epoch, so times before it exist.
HostPolicy::TimePoint policy_time() { return HostPolicy::TimePoint{} + std::chrono::hours(1); }

TEST(Politeness, HostDelayAndConnectionLimit) {
  using TP = HostPolicy::TimePoint;
  HostPolicy p(2, std::chrono::milliseconds(1000));
  TP t0{};
  t0 += std::chrono::hours(1);
  EXPECT_TRUE(p.can_start("a", t0));
  p.on_start("a", t0);
  p.on_sent("a", t0);
  EXPECT_FALSE(p.can_start("a", t0 + std::chrono::milliseconds(999)));
  EXPECT_TRUE(p.can_start("a", t0 + std::chrono::milliseconds(1000)));
  EXPECT_TRUE(p.can_start("b", t0));  // other hosts are independent
  p.on_start("a", t0 + 1s);
  p.on_sent("a", t0 + 1s);
  EXPECT_FALSE(p.can_start("a", t0 + 5s));  // two connections open
  p.on_finish("a");
  EXPECT_TRUE(p.can_start("a", t0 + 5s));
}

TEST(Politeness, DelayCountsFromTheSendNotTheHandover) {
  using std::chrono::milliseconds;
  HostPolicy p(4, milliseconds(100));
  const auto t0 = policy_time();
  p.on_start("a", t0);
  // Not sent yet: the host is held whatever the time, and there is no wake-up time to poll for.
  EXPECT_FALSE(p.can_start("a", t0 + milliseconds(500)));
  EXPECT_EQ(p.earliest_start("a"), HostPolicy::TimePoint::max());
  EXPECT_TRUE(p.can_start("b", t0));      // other hosts are independent
  p.on_sent("a", t0 + milliseconds(60));  // went out 60 ms after the handover
  EXPECT_FALSE(p.can_start("a", t0 + milliseconds(100)));
  EXPECT_FALSE(p.can_start("a", t0 + milliseconds(159)));
  EXPECT_TRUE(p.can_start("a", t0 + milliseconds(160)));
  EXPECT_EQ(p.earliest_start("a"), t0 + milliseconds(160));
  // A resend of the same transfer moves the start again but is not counted twice.
  p.on_sent("a", t0 + milliseconds(90), /*first=*/false);
  EXPECT_FALSE(p.can_start("a", t0 + milliseconds(189)));
  EXPECT_TRUE(p.can_start("a", t0 + milliseconds(190)));
}

TEST(Politeness, ATransferThatNeverWentOutReleasesTheHost) {
  using std::chrono::milliseconds;
  HostPolicy p(2, milliseconds(100));
  const auto t0 = policy_time();
  p.on_start("a", t0);
  p.on_finish("a", /*sent=*/false);  // connect refused
  EXPECT_EQ(p.active("a"), 0);
  EXPECT_TRUE(p.can_start("a", t0 + milliseconds(100)));
}

TEST(Politeness, WithoutADelayConnectionsOpenInParallel) {
  HostPolicy p(2, std::chrono::milliseconds(0));
  const auto t0 = policy_time();
  p.on_start("a", t0);
  EXPECT_TRUE(p.can_start("a", t0));  // nothing to space: the second connection need not wait for the first send
  p.on_start("a", t0);
  EXPECT_FALSE(p.can_start("a", t0));  // the connection limit still holds
}

TEST(Politeness, CrawlDelayRaisesButNeverLowersAndIsCapped) {
  HostPolicy p(2, std::chrono::milliseconds(1000));
  p.set_crawl_delay("a", std::chrono::milliseconds(200));
  EXPECT_EQ(p.delay("a").count(), 1000);
  p.set_crawl_delay("a", std::chrono::milliseconds(5000));
  EXPECT_EQ(p.delay("a").count(), 5000);
  p.set_crawl_delay("a", std::chrono::hours(1));
  EXPECT_EQ(p.delay("a"), HostPolicy::kMaxCrawlDelay);
}

}  // namespace
}  // namespace banwatch::crawler
