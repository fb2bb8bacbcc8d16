// Lenient parsing of the dates the press and feeds write. Pure: no clock, no
// locale, no globals.
#pragma once

#include <optional>
#include <string_view>

#include "common/time.h"

namespace banwatch::dates {

// Any date format seen in feeds and pages: RFC 822/1123/2822 (2- and 4-digit
// years, named and military zones, missing seconds or weekday, wrong weekday),
// ISO 8601 / W3CDTF in all partial forms, and the common broken forms
// feedparser documents (Asctime, Greek/Hungarian/Korean month names, "Mon, 26
// Nov 2026 10:00:00 +0000 GMT", …). Returns UTC with the precision stated;
// nullopt when nothing date-like was recognised.
std::optional<PreciseTime> parse_date(std::string_view text);

std::optional<PreciseTime> parse_rfc822(std::string_view text);
std::optional<PreciseTime> parse_iso8601(std::string_view text);

// Dates written in English prose: "March 25, 2022", "25 March 2022",
// "Mar. 25, 2022", "March 2022", "2022-03-25". For metadata bylines and the
// rule engine. Returns the first date found and its byte span in `text`.
struct FoundDate {
  PreciseTime date;
  std::size_t begin = 0, end = 0;
};
std::optional<FoundDate> find_prose_date(std::string_view text);

}  // namespace banwatch::dates
