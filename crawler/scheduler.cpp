#include "crawler/scheduler.h"

#include <algorithm>

namespace banwatch::crawler {

using std::chrono::seconds;

bool is_due(const store::FetchState& state, Timestamp now) { return !state.next_due || *state.next_due <= now; }

seconds next_interval(seconds configured, seconds current, bool changed, const ScheduleBounds& bounds) {
  if (configured <= seconds(0)) configured = bounds.min_interval;
  seconds lower = std::max(bounds.min_interval, configured / 4);
  seconds upper = std::max(lower, std::min(bounds.max_interval, configured * 8));
  if (current <= seconds(0)) current = configured;
  seconds next = changed ? seconds(current.count() * 3 / 4) : seconds(current.count() * 5 / 4);
  // A change never lengthens and a quiet fetch never shortens, even at tiny values.
  if (!changed && next == current) next += seconds(1);
  return std::clamp(next, lower, upper);
}

Timestamp skip_hours_forward(Timestamp t, const std::vector<int>& skip_hours) {
  if (skip_hours.empty()) return t;
  bool skipped[24] = {};
  int count = 0;
  for (int h : skip_hours) {
    if (h >= 0 && h < 24 && !skipped[h]) {
      skipped[h] = true;
      ++count;
    }
  }
  if (count == 0 || count == 24) return t;
  auto hour_start = std::chrono::floor<std::chrono::hours>(t);
  auto day_start = std::chrono::floor<std::chrono::days>(t);
  int hour = static_cast<int>((hour_start - day_start).count());
  if (!skipped[hour]) return t;
  for (int step = 1; step < 24; ++step) {
    if (!skipped[(hour + step) % 24]) return Timestamp(hour_start + std::chrono::hours(step));
  }
  return t;
}

void schedule_success(store::FetchState& state, seconds configured, const FetchOutcome& outcome, Timestamp now,
                      const ScheduleBounds& bounds) {
  state.current_interval = next_interval(configured, state.current_interval, outcome.changed, bounds);
  seconds wait = state.current_interval;
  if (outcome.ttl_minutes && *outcome.ttl_minutes > 0) {
    // A ttl is the publisher's caching hint; it is honoured but capped by max_interval.
    wait = std::max(wait, std::min(seconds(std::chrono::minutes(*outcome.ttl_minutes)), bounds.max_interval));
  }
  state.next_due = skip_hours_forward(now + wait, outcome.skip_hours);
  state.consecutive_errors = 0;
  state.last_error.clear();
}

seconds backoff_delay(seconds configured, int consecutive_errors, const ScheduleBounds& bounds) {
  seconds base = std::max(std::min(configured, bounds.max_backoff), seconds(60));
  seconds delay = base;
  for (int i = 1; i < consecutive_errors && delay < bounds.max_backoff; ++i) delay *= 2;
  return std::min(delay, std::max(bounds.max_backoff, base));
}

void schedule_failure(store::FetchState& state, seconds configured, std::optional<seconds> retry_after, Timestamp now,
                      const ScheduleBounds& bounds) {
  state.consecutive_errors = std::max(0, state.consecutive_errors) + 1;
  seconds wait = backoff_delay(configured, state.consecutive_errors, bounds);
  if (retry_after && *retry_after > wait) wait = std::min(*retry_after, std::max(bounds.max_backoff, wait));
  state.next_due = now + wait;
}

}  // namespace banwatch::crawler
