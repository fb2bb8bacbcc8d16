#include "common/time.h"

#include <date/date.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "common/enum_names.h"
#include "common/text.h"

namespace banwatch {

using namespace std::chrono;

namespace {

// A precision's name and its ISO 8601 form, to the precision.
struct PrecisionRow {
  DatePrecision value;
  std::string_view name;
  const char* iso_pattern;
};

constexpr const char* kIsoSeconds = "%Y-%m-%dT%H:%M:%SZ";

constexpr PrecisionRow kPrecisions[] = {
    {DatePrecision::kYear, "year", "%Y"},
    {DatePrecision::kMonth, "month", "%Y-%m"},
    {DatePrecision::kDay, "day", "%Y-%m-%d"},
    {DatePrecision::kMinute, "minute", "%Y-%m-%dT%H:%MZ"},
    {DatePrecision::kSecond, "second", kIsoSeconds},
};

}  // namespace

std::string_view to_string(DatePrecision p) noexcept { return name_of(kPrecisions, p, "second"); }

std::optional<DatePrecision> date_precision_from_string(std::string_view s) noexcept {
  return value_of(kPrecisions, s);
}

std::string format_iso8601(Timestamp t) { return date::format(kIsoSeconds, t); }

std::string format_precise(const PreciseTime& t) {
  const PrecisionRow* row = row_of(kPrecisions, t.precision);
  return date::format(row ? row->iso_pattern : kIsoSeconds, t.time);
}

namespace {

// Reads exactly `n` digits at `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += n;
  return true;
}

}  // namespace

std::optional<PreciseTime> parse_precise(std::string_view s) {
  s = trim_ascii_space(s);
  std::size_t pos = 0;
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 4, y)) return std::nullopt;
  DatePrecision precision = DatePrecision::kYear;
  auto done = [&]() -> std::optional<PreciseTime> {
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                             date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    auto t = date::sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec);
    return PreciseTime{time_point_cast<seconds>(t), precision};
  };
  if (pos == s.size()) return done();
  if (s[pos] != '-') return std::nullopt;
  ++pos;
  if (!read_digits(s, pos, 2, mo)) return std::nullopt;
  precision = DatePrecision::kMonth;
  if (pos == s.size()) return done();
  if (s[pos] != '-') return std::nullopt;
  ++pos;
  if (!read_digits(s, pos, 2, d)) return std::nullopt;
  precision = DatePrecision::kDay;
  if (pos == s.size()) return done();
  if (s[pos] != 'T' && s[pos] != ' ' && s[pos] != 't') return std::nullopt;
  ++pos;
  if (!read_digits(s, pos, 2, h) || pos >= s.size() || s[pos] != ':') return std::nullopt;
  ++pos;
  if (!read_digits(s, pos, 2, mi)) return std::nullopt;
  precision = DatePrecision::kMinute;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!read_digits(s, pos, 2, sec)) return std::nullopt;
    precision = DatePrecision::kSecond;
    if (pos < s.size() && s[pos] == '.') {  // fractional seconds are dropped
      ++pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    }
  }
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z'))
    ++pos;
  else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh = 0, om = 0;
    int sign = s[pos] == '-' ? -1 : 1;
    std::size_t p = pos + 1;
    if (!read_digits(s, p, 2, oh)) return std::nullopt;
    ++p;
    if (!read_digits(s, p, 2, om)) return std::nullopt;
    auto r = done();
    if (!r) return r;
    r->time -= seconds(sign * (oh * 3600 + om * 60));
    return r;
  }
  if (pos != s.size()) return std::nullopt;
  return done();
}

std::optional<milliseconds> parse_duration(std::string_view s) {
  s = trim_ascii_space(s);
  if (s.empty()) return std::nullopt;
  milliseconds total{0};
  while (!s.empty()) {
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || n < 0) return std::nullopt;
    s.remove_prefix(static_cast<std::size_t>(ptr - s.data()));
    std::int64_t unit_ms = 0;
    if (s.starts_with("ms")) {
      unit_ms = 1;
      s.remove_prefix(2);
    } else if (s.starts_with("s")) {
      unit_ms = 1000;
      s.remove_prefix(1);
    } else if (s.starts_with("m")) {
      unit_ms = 60'000;
      s.remove_prefix(1);
    } else if (s.starts_with("h")) {
      unit_ms = 3'600'000;
      s.remove_prefix(1);
    } else if (s.starts_with("d")) {
      unit_ms = 86'400'000;
      s.remove_prefix(1);
    } else if (s.starts_with("w")) {
      unit_ms = 7 * 86'400'000LL;
      s.remove_prefix(1);
    } else
      return std::nullopt;
    if (n > (std::int64_t{1} << 40) / unit_ms) return std::nullopt;  // absurdly long
    total += milliseconds(n * unit_ms);
  }
  return total;
}

std::string format_duration(milliseconds d) {
  auto ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) return fmt::format("{}ms", ms);
  auto s = ms / 1000;
  std::string out;
  if (s >= 86400 && s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s >= 3600) {
    out += fmt::format("{}h", s / 3600);
    s %= 3600;
  }
  if (s >= 60) {
    out += fmt::format("{}m", s / 60);
    s %= 60;
  }
  if (s > 0) out += fmt::format("{}s", s);
  return out;
}

Timestamp period_end(const PreciseTime& t) {
  const sys_days day = floor<days>(t.time);
  const year_month_day ymd{day};
  switch (t.precision) {
    case DatePrecision::kYear:
      return Timestamp(sys_days{(ymd.year() + years{1}) / January / 1});
    case DatePrecision::kMonth:
      return Timestamp(sys_days{(year_month{ymd.year(), ymd.month()} + months{1}) / 1});
    case DatePrecision::kDay:
      return Timestamp(day + days{1});
    case DatePrecision::kMinute:
      return floor<minutes>(t.time) + minutes{1};
    case DatePrecision::kSecond:
      return t.time + seconds{1};
  }
  return t.time;
}

std::optional<Timestamp> parse_time_bound(std::string_view text, Timestamp now, bool upper) {
  if (auto duration = parse_duration(text)) return now - duration_cast<seconds>(*duration);
  if (auto date = parse_precise(text)) return upper ? period_end(*date) : date->time;
  return std::nullopt;
}

Timestamp SystemClock::now() const { return time_point_cast<seconds>(system_clock::now()); }

}  // namespace banwatch
