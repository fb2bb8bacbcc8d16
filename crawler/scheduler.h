// When a source is due next. Pure functions of the source's state, what the
// last fetch found and the current time (from an injected Clock upstream), so
// every rule is tested with a fake clock.
//
// Rules:
//  - a source is due when it has no next_due yet or next_due <= now;
//  - after a success the interval adapts to how often the feed really changes:
//    new items shrink it (x 0.75), a 304 or no new item grows it (x 1.25),
//    always within [max(min_interval, interval/4), min(max_interval, interval x 8)]
//    where `interval` is the source's configured one;
//  - the feed's own <ttl> is a floor, and a due time falling in the feed's
//    <skipHours> moves to the next hour that is not skipped;
//  - after a failure the delay doubles per consecutive error, starting from
//    the source's interval, up to max_backoff; a server's Retry-After is a
//    floor. A failing source is never dropped: it stays scheduled at the cap.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "common/time.h"
#include "store/store.h"

namespace banwatch::crawler {

struct ScheduleBounds {
  std::chrono::seconds min_interval{std::chrono::minutes(5)};
  std::chrono::seconds max_interval{std::chrono::hours(24)};
  std::chrono::seconds max_backoff{std::chrono::hours(24)};
};

// What a successful fetch learned.
struct FetchOutcome {
  bool changed = false;            // new items were found
  std::optional<int> ttl_minutes;  // RSS <ttl>
  std::vector<int> skip_hours;     // RSS <skipHours>, UTC
};

bool is_due(const store::FetchState& state, Timestamp now);

// The adaptive interval after a success (see the rules above).
std::chrono::seconds next_interval(std::chrono::seconds configured, std::chrono::seconds current, bool changed,
                                   const ScheduleBounds& bounds);

// Updates scheduling fields of `state` after a successful fetch (2xx or 304):
// current_interval, next_due, consecutive_errors = 0, last_error cleared.
void schedule_success(store::FetchState& state, std::chrono::seconds configured, const FetchOutcome& outcome,
                      Timestamp now, const ScheduleBounds& bounds);

// Updates scheduling fields of `state` after a failed fetch: consecutive_errors
// incremented, next_due = now + backoff (at least `retry_after` when given).
void schedule_failure(store::FetchState& state, std::chrono::seconds configured,
                      std::optional<std::chrono::seconds> retry_after, Timestamp now, const ScheduleBounds& bounds);

// The backoff delay for the n-th consecutive failure (n >= 1).
std::chrono::seconds backoff_delay(std::chrono::seconds configured, int consecutive_errors,
                                   const ScheduleBounds& bounds);

// `t` moved forward to the start of the first hour (UTC) not in `skip_hours`;
// unchanged when its hour is not skipped or every hour is skipped.
Timestamp skip_hours_forward(Timestamp t, const std::vector<int>& skip_hours);

}  // namespace banwatch::crawler
