// Time is std::chrono::sys_seconds in UTC everywhere. Dates read from text keep
// the precision the text gave (a bare year is not a midnight on January 1st).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace banwatch {

using Timestamp = std::chrono::sys_seconds;

enum class DatePrecision { kYear, kMonth, kDay, kMinute, kSecond };

std::string_view to_string(DatePrecision p) noexcept;
std::optional<DatePrecision> date_precision_from_string(std::string_view s) noexcept;

// A point in time with the precision its source stated. `time` is the start of
// the stated period in UTC (2022-03 -> 2022-03-01T00:00:00Z, precision kMonth).
struct PreciseTime {
  Timestamp time{};
  DatePrecision precision = DatePrecision::kSecond;
  friend bool operator==(const PreciseTime&, const PreciseTime&) = default;
};

// "2026-11-26T21:09:00Z".
std::string format_iso8601(Timestamp t);
// To the stated precision: "2022", "2022-03", "2022-03-25", "2022-03-25T10:00Z",
// "2022-03-25T10:00:05Z".
std::string format_precise(const PreciseTime& t);
// Strict parse of what format_iso8601/format_precise write (and of
// "YYYY-MM-DD HH:MM:SS"), for the store and for command-line options. For the
// lenient parser of press dates see parsers/dates.h.
std::optional<PreciseTime> parse_precise(std::string_view s);

// Durations as users write them in config and options: "90s", "15m", "2h",
// "7d", "500ms", "1h30m". Returns nullopt on anything else.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);
std::string format_duration(std::chrono::milliseconds d);

// The end of the period a date states (exclusive): 2026-03 ends at
// 2026-04-01T00:00Z, 2026-03-25T10:00Z at 10:01.
Timestamp period_end(const PreciseTime& t);

// A point in time as every command's --since and --until take it: a date
// ("2026-03", "2026-03-25", "2026-03-25T10:00Z") or a duration back from `now`
// ("7d", "24h", "1h30m"). An upper bound (`upper`) includes the whole period the
// date states: --until 2026-03 includes all of March. nullopt on anything else.
std::optional<Timestamp> parse_time_bound(std::string_view text, Timestamp now, bool upper = false);
// The forms parse_time_bound() accepts, for error messages.
inline constexpr std::string_view kTimeBoundForms =
    "a date (2026-03, 2026-03-25, 2026-03-25T10:00Z) or a duration back from now (7d, 24h, 1h30m)";

// The clock is an interface so that scheduling is tested with a fake clock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start) {}
  Timestamp now() const override { return now_; }
  void advance(std::chrono::seconds d) { now_ += d; }
  void set(Timestamp t) { now_ = t; }

 private:
  Timestamp now_;
};

}  // namespace banwatch
