// Lenient parsing of the dates the press and feeds write. Pure: no clock, no
// locale, no globals.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// A DCMI Period (dcterms:valid, dcterms:temporal): "start=2002-10-13T09:00+01:00;
// end=2002-10-17T17:00+01:00; scheme=W3C-DTF; name=...". Either bound may be
// missing; nullopt when neither parses.
struct Period {
  std::optional<PreciseTime> start, end;
  std::string name;
};
std::optional<Period> parse_dcmi_period(std::string_view text);

// Dates written in English prose: "March 25, 2022", "25 March 2022",
// "Mar. 25, 2022", "March 2022", "2022-03-25". For metadata bylines and the
// rule engine. Returns the first date found and its byte span in `text`.
// Also: ordinals ("March 25th", "the 3rd of June"), a leading day of a range
// ("March 25-26, 2022"), all-caps months, and a clock time that follows with
// an explicit zone ("March 25, 2022 at 10:30 a.m. ET" -> minute precision; a
// time without a zone leaves day precision). Month names must be capitalized
// ("may 2022" is not a date). Spans are byte offsets: text[begin, end).
struct FoundDate {
  PreciseTime date;
  std::size_t begin = 0, end = 0;
  bool year_inferred = false;  // the year came from ProseOptions::reference
};
std::optional<FoundDate> find_prose_date(std::string_view text);

struct ProseOptions {
  // When set, a month and day without a year ("on March 25", "Oct. 11") is
  // also a date: its year is the one (of the reference's year and the years
  // either side) that puts it closest to the reference, typically the
  // article's published time. Such results have year_inferred = true.
  std::optional<Timestamp> reference;
  // When true, a bare year after "in", "since", "during", "until", "by",
  // "early", "late" or "mid-" ("in 2019", "mid-2020") is a date of year
  // precision. Off by default: most bare four-digit numbers are not dates.
  bool year_only = false;
};
std::optional<FoundDate> find_prose_date(std::string_view text, const ProseOptions& options);

// Every prose date in `text`, in order, non-overlapping.
std::vector<FoundDate> find_prose_dates(std::string_view text, const ProseOptions& options = {});

// A date as its writer stated it: the instant (UTC, to the precision given)
// and the UTC offset the writer wrote, if any. The writer's calendar day is
// local_day(): "2020-02-15T07:00+09:00" is the 15th, though the 14th in UTC.
struct LocalDate {
  PreciseTime date;
  std::optional<int> offset_minutes;  // east of UTC; nullopt: none stated
  friend bool operator==(const LocalDate&, const LocalDate&) = default;
};

// parse_date(), keeping the offset the text states.
std::optional<LocalDate> parse_date_local(std::string_view text);

// The writer's calendar day (the UTC instant moved by the stated offset).
std::chrono::sys_days local_day(const LocalDate& d);

// RFC 3339 in the writer's offset, "2020-02-15T07:00:00+09:00" ("Z" when the
// offset is zero or none was stated); coarser dates to their precision:
// "2020-02-15", "2020-02", "2020".
std::string format_local(const LocalDate& d);

// How a numeric date with both fields <= 12 ("03/04/2020") is read.
enum class DayOrder { kDayFirst, kMonthFirst };

struct TextDateOptions {
  // For slash dates whose order the text does not settle: the page's
  // convention (US English writes month first). Dates the text settles
  // ("13/04/2020", "04/13/2020") override it for the whole text.
  DayOrder slash_order = DayOrder::kDayFirst;
  // Also "18.10.21" (dots only): for short labelled places such as a byline.
  bool two_digit_years = false;
  int min_year = 1995, max_year = 2100;
  std::size_t max_dates = 64;
};

// The order of slash dates that `text` settles: day first when some slash
// date there has a first field above 12 and none a second above 12, month
// first the other way round; nullopt when nothing (or contradicting dates)
// settles it.
std::optional<DayOrder> settled_slash_order(std::string_view text);

// A calendar day written in a page's text.
struct TextDate {
  LocalDate date;  // day precision, or finer when an ISO time with a zone follows
  std::size_t begin = 0, end = 0;
};

// Every calendar day written in `text`, in order, in the forms news and
// institutional pages use in English, German, French, Italian, Spanish,
// Polish, Portuguese and Dutch: "2021-10-18" (with an ISO time and zone when
// one follows), "2021/10/18", "18.10.2021", "18-10-2021", "18/10/2021" and
// "10/18/2021" (see slash_order), "18. Oktober 2021", "18 octobre 2021",
// "1er mars 2020", "3 de marzo de 2020", "3 marca 2020", "18 Oct. 2021",
// "October 18, 2021", "Oktober 18, 2021", and Russian and Ukrainian genitive
// month names ("15 августа 2016"). Month names are matched without
// regard to ASCII case; month-only and year-only forms are not days and are
// skipped. Years outside [min_year, max_year] are skipped. Pure and linear in
// the text.
std::vector<TextDate> find_text_dates(std::string_view text, const TextDateOptions& options = {});

}  // namespace banwatch::dates
