// Event dates: an explicit date in the sentence, a list-style lead date, or a
// relative reference resolved against the previous sentence's date or the
// article's published date.
#include <re2/re2.h>

#include <cctype>
#include <chrono>
#include <cstdlib>

#include "parsers/dates.h"
#include "common/text.h"
#include "parsers/rules_internal.h"

namespace banwatch::rules::internal {
namespace {

using namespace std::chrono;

PreciseTime day_of(sys_days d) { return PreciseTime{sys_seconds(d), DatePrecision::kDay}; }
PreciseTime month_of(year_month ym) { return PreciseTime{sys_seconds(sys_days(ym / 1)), DatePrecision::kMonth}; }
PreciseTime year_of(int y) { return PreciseTime{sys_seconds(sys_days(year(y) / January / 1)), DatePrecision::kYear}; }

year_month_day ymd_of(const PreciseTime& t) { return year_month_day(floor<days>(t.time)); }

// Words before a date that make it the date of the report, not of the event.
const RE2& report_prefix() {
  static const RE2 re(
      R"((?i)(?:reported|said|published|wrote|noted|told\s+\S+|updated|posted)\s+(?:on\s+|late\s+|early\s+)?$)");
  return re;
}

const RE2& month_day_no_year() {
  // "on March 5", "March 5," with no year: the year comes from the reference.
  static const RE2 re(
      R"(\b(?:on\s+)?(Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)\s+(\d{1,2})(?:st|nd|rd|th)?\b)");
  return re;
}

const RE2& month_no_year() {
  static const RE2 re(
      R"(\b(?:in|since|during|early|late|mid-?)\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b)");
  return re;
}

const RE2& bare_year() {
  static const RE2 re(R"(\b(?i:in|since|back\s+in|during|early|late|mid-?|of|as\s+of)\s+((?:19|20)\d\d)\b)");
  return re;
}

const RE2& relative() {
  static const RE2 re(
      R"((?i)\b(that\s+same\s+day|the\s+same\s+day|that\s+day|later\s+that\s+day|the\s+next\s+day|the\s+following\s+day|a\s+day\s+later|the\s+day\s+before|yesterday|today|this\s+week|last\s+week|earlier\s+this\s+week|last\s+month|earlier\s+this\s+month|this\s+month|last\s+year|earlier\s+this\s+year|this\s+year|(?:on|last|this\s+past)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b)");
  return re;
}

// Dates written day first with the month named in German, French, Italian,
// Spanish or Polish ("am 15. März 2022", "le 1er avril 2025", "23 marzo
// 2022", "el 20 de febrero", "15 marca 2022 r."); the year may be missing.
struct ForeignMonth {
  std::string_view name;
  int month;
};
constexpr ForeignMonth kForeignMonths[] = {
    {"januar", 1},
    {"jänner", 1},
    {"janvier", 1},
    {"gennaio", 1},
    {"enero", 1},
    {"stycznia", 1},
    {"februar", 2},
    {"février", 2},
    {"fevrier", 2},
    {"febbraio", 2},
    {"febrero", 2},
    {"lutego", 2},
    {"märz", 3},
    {"mars", 3},
    {"marzo", 3},
    {"marca", 3},
    {"april", 4},
    {"avril", 4},
    {"aprile", 4},
    {"abril", 4},
    {"kwietnia", 4},
    {"mai", 5},
    {"maggio", 5},
    {"mayo", 5},
    {"maja", 5},
    {"juni", 6},
    {"juin", 6},
    {"giugno", 6},
    {"junio", 6},
    {"czerwca", 6},
    {"juli", 7},
    {"juillet", 7},
    {"luglio", 7},
    {"julio", 7},
    {"lipca", 7},
    {"august", 8},
    {"août", 8},
    {"aout", 8},
    {"agosto", 8},
    {"sierpnia", 8},
    {"september", 9},
    {"septembre", 9},
    {"settembre", 9},
    {"septiembre", 9},
    {"setiembre", 9},
    {"września", 9},
    {"oktober", 10},
    {"octobre", 10},
    {"ottobre", 10},
    {"octubre", 10},
    {"października", 10},
    {"november", 11},
    {"novembre", 11},
    {"noviembre", 11},
    {"listopada", 11},
    {"dezember", 12},
    {"décembre", 12},
    {"decembre", 12},
    {"dicembre", 12},
    {"diciembre", 12},
    {"grudnia", 12},
    // Polish locative, after "w" ("w marcu 2022").
    {"styczniu", 1},
    {"lutym", 2},
    {"marcu", 3},
    {"kwietniu", 4},
    {"maju", 5},
    {"czerwcu", 6},
    {"lipcu", 7},
    {"sierpniu", 8},
    {"wrześniu", 9},
    {"październiku", 10},
    {"listopadzie", 11},
    {"grudniu", 12},
};

// The month names of kForeignMonths as one regex alternation.
std::string foreign_month_alternation() {
  std::string names;
  for (const auto& m : kForeignMonths) names += (names.empty() ? "" : "|") + std::string(m.name);
  return names;
}

const RE2& foreign_day_month() {
  static const RE2 re([] {
    const std::string names = foreign_month_alternation();
    return R"((?i)\b(\d{1,2})(?:\.|er|º)?\s+(?:de\s+)?()" + names +
           R"()(?:\s+(?:de\s+|del\s+)?((?:19|20)\d\d))?(?:\b|\s|$))";
  }());
  return re;
}

// A month named in one of these languages and its year, no day ("im März
// 2022", "en mars 2022", "nel giugno 2023", "en marzo de 2022", "w marcu 2022").
const RE2& foreign_month_year() {
  static const RE2 re([] {
    const std::string names = foreign_month_alternation();
    return R"((?i)(?:^|[^\pL\d])()" + names + R"()\s+(?:de\s+|del\s+)?((?:19|20)\d\d)\b)";
  }());
  return re;
}

int foreign_month_number(std::string_view name) {
  const std::string l = ascii_lower(name);
  for (const auto& m : kForeignMonths) {
    if (m.name == l) return m.month;
    // Upper-case non-ASCII first letters ("Märzen" aside): compare after the first byte.
    if (l.size() == m.name.size() && l.size() > 2 && l.substr(1) == m.name.substr(1)) return m.month;
  }
  return 0;
}

// A year after a preposition of these languages ("im Jahr 2018", "en 2017",
// "nel 2019", "w 2020 r.").
const RE2& foreign_bare_year() {
  static const RE2 re(
      R"((?:^|[^\pL\d])(?i:im\s+jahre?|seit|bereits|ab|en|depuis|dès|dés|nel|dal|dall'anno|desde|w|od)\s+((?:19|20)\d\d)\b)");
  return re;
}

int month_number(std::string_view m) {
  static constexpr std::string_view names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string l = ascii_lower(m.substr(0, 3));
  for (int i = 0; i < 12; ++i)
    if (l == names[i]) return i + 1;
  return 0;
}

int weekday_number(std::string_view w) {
  static constexpr std::string_view names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  const std::string l = ascii_lower(w.substr(0, 3));
  for (int i = 0; i < 7; ++i)
    if (l == names[i]) return i;
  return -1;
}

std::optional<PreciseTime> resolve_relative(std::string phrase, const std::optional<PreciseTime>& previous,
                                            const std::optional<PreciseTime>& published, bool& used_previous) {
  phrase = ascii_lower(phrase);
  std::string norm;
  for (char c : phrase) {
    if (is_ascii_space(c)) {
      if (!norm.empty() && norm.back() != ' ') norm.push_back(' ');
    } else {
      norm.push_back(c);
    }
  }
  used_previous = false;
  if (norm == "that same day" || norm == "the same day" || norm == "that day" || norm == "later that day") {
    used_previous = true;
    return previous;
  }
  if (norm == "the next day" || norm == "the following day" || norm == "a day later" || norm == "the day before") {
    if (!previous || previous->precision < DatePrecision::kDay) return std::nullopt;
    used_previous = true;
    auto d = floor<days>(previous->time) + days(norm == "the day before" ? -1 : 1);
    return day_of(d);
  }
  if (!published) return std::nullopt;
  const sys_days pub = floor<days>(published->time);
  const year_month_day ymd(pub);
  if (norm == "yesterday") return day_of(pub - days(1));
  if (norm == "today" || norm == "this week" || norm == "earlier this week") return day_of(pub);
  if (norm == "last week") return day_of(pub - days(7));
  if (norm == "this month" || norm == "earlier this month") return month_of(ymd.year() / ymd.month());
  if (norm == "last month") return month_of((ymd.year() / ymd.month()) - months(1));
  if (norm == "this year" || norm == "earlier this year") return year_of(int(ymd.year()));
  if (norm == "last year") return year_of(int(ymd.year()) - 1);
  auto space = norm.find(' ');
  if (space != std::string::npos) {
    int wd = weekday_number(norm.substr(space + 1));
    if (wd >= 0) {
      // The most recent such weekday on or before the published day ("on
      // Monday" in a Monday article is that day; "last Monday" is strictly before).
      bool strictly = norm.starts_with("last") || norm.starts_with("this past");
      weekday pub_wd(pub);
      int back = (static_cast<int>(pub_wd.c_encoding()) - wd + 7) % 7;
      if (back == 0 && strictly) back = 7;
      return day_of(pub - days(back));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<PreciseTime> lead_date(std::string_view s) {
  auto found = dates::find_prose_date(s.substr(0, std::min<std::size_t>(s.size(), 40)));
  if (!found || found->begin > 0) return std::nullopt;
  std::size_t i = found->end;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= s.size()) return std::nullopt;
  if (s[i] == ':' || s[i] == '-' || s.substr(i).starts_with("\xE2\x80\x93") || s.substr(i).starts_with("\xE2\x80\x94"))
    return found->date;
  return std::nullopt;
}

std::optional<DateFinding> sentence_date(std::string_view s, const std::optional<PreciseTime>& previous,
                                         const std::optional<PreciseTime>& published) {
  // 1. Explicit prose dates, skipping report dates.
  std::size_t offset = 0;
  while (offset < s.size()) {
    auto found = dates::find_prose_date(s.substr(offset));
    if (!found) break;
    std::size_t b = offset + found->begin, e = offset + found->end;
    std::string_view before = s.substr(b >= 40 ? b - 40 : 0, b >= 40 ? 40 : b);
    if (!RE2::PartialMatch(before, report_prefix())) {
      return DateFinding{found->date, "explicit date '" + std::string(s.substr(b, e - b)) + "'", false};
    }
    offset = e > offset ? e : offset + 1;
  }
  // 1b. Day and month named in another language.
  {
    re2::StringPiece input(s.data(), s.size());
    re2::StringPiece g[4];
    std::size_t pos = 0;
    const std::optional<PreciseTime>& reference = published ? published : previous;
    while (pos < s.size() && foreign_day_month().Match(input, pos, s.size(), RE2::UNANCHORED, g, 4)) {
      const std::size_t b = static_cast<std::size_t>(g[0].data() - s.data());
      pos = std::max(b + g[0].size(), pos + 1);
      const int m = foreign_month_number(std::string_view(g[2].data(), g[2].size()));
      const int d = std::atoi(std::string(g[1].data(), g[1].size()).c_str());
      if (m == 0) continue;
      std::optional<year_month_day> cand;
      if (g[3].data() != nullptr) {
        cand = year_month_day(year(std::atoi(std::string(g[3].data(), g[3].size()).c_str())),
                              std::chrono::month(unsigned(m)), std::chrono::day(unsigned(d)));
      } else if (reference) {
        const year_month_day ref = ymd_of(*reference);
        cand = year_month_day(ref.year(), std::chrono::month(unsigned(m)), std::chrono::day(unsigned(d)));
        if (cand->ok() && sys_days(*cand) > sys_days(ref))
          cand = year_month_day(ref.year() - years(1), cand->month(), cand->day());
      }
      if (!cand || !cand->ok()) continue;
      std::string text(g[0].data(), g[0].size());
      while (!text.empty() && is_ascii_space(text.back())) text.pop_back();
      return DateFinding{day_of(sys_days(*cand)), "explicit date '" + text + "'", false};
    }
  }
  // 2. Relative references.
  {
    re2::StringPiece input(s.data(), s.size());
    re2::StringPiece phrase;
    if (RE2::FindAndConsume(&input, relative(), &phrase)) {
      bool used_previous = false;
      if (auto d = resolve_relative(std::string(phrase), previous, published, used_previous)) {
        return DateFinding{*d,
                           "relative '" + std::string(phrase) + "' against the " +
                               (used_previous ? "previous sentence's date" : "published date"),
                           used_previous};
      }
    }
  }
  // 3. A month and day without a year: the year of the reference date, or the
  // year before when that would put the event after the reference.
  const std::optional<PreciseTime>& reference = published ? published : previous;
  if (reference) {
    re2::StringPiece input(s.data(), s.size());
    re2::StringPiece groups[3];
    std::size_t pos = 0;
    while (pos < s.size() && month_day_no_year().Match(input, pos, s.size(), RE2::UNANCHORED, groups, 3)) {
      std::size_t b = static_cast<std::size_t>(groups[0].data() - s.data());
      std::size_t e = b + groups[0].size();
      pos = e > pos ? e : pos + 1;
      std::string_view before = s.substr(b >= 40 ? b - 40 : 0, b >= 40 ? 40 : b);
      if (RE2::PartialMatch(before, report_prefix())) continue;
      std::string_view rest = s.substr(e);
      if (rest.size() >= 4 && (rest[0] == ',' || rest[0] == ' ')) {
        std::size_t k = rest[0] == ',' ? 1 : 0;
        while (k < rest.size() && rest[k] == ' ') ++k;
        if (k + 4 <= rest.size() && std::isdigit(static_cast<unsigned char>(rest[k])) &&
            std::isdigit(static_cast<unsigned char>(rest[k + 3])))
          continue;  // a full date the prose parser declined (report date, range)
      }
      int m = month_number(std::string_view(groups[1].data(), groups[1].size()));
      int d = std::atoi(std::string(groups[2].data(), groups[2].size()).c_str());
      if (m == 0) continue;
      year_month_day ref = ymd_of(*reference);
      year_month_day cand(ref.year(), std::chrono::month(unsigned(m)), std::chrono::day(unsigned(d)));
      if (!cand.ok()) continue;
      if (sys_days(cand) > sys_days(ref)) cand = year_month_day(ref.year() - years(1), cand.month(), cand.day());
      if (cand.ok())
        return DateFinding{
            day_of(sys_days(cand)),
            "month and day '" + std::string(groups[0].data(), groups[0].size()) + "' in the reference year", false};
    }
  }
  {
    re2::StringPiece name, y;
    if (RE2::PartialMatch(s, foreign_month_year(), &name, &y)) {
      if (const int m = foreign_month_number(std::string_view(name.data(), name.size())); m != 0) {
        const year_month ym =
            year(std::atoi(std::string(y.data(), y.size()).c_str())) / std::chrono::month(unsigned(m));
        return DateFinding{
            month_of(ym),
            "month '" + std::string(name.data(), name.size()) + " " + std::string(y.data(), y.size()) + "'", false};
      }
    }
  }
  {
    std::string month;
    if (RE2::PartialMatch(s, month_no_year(), &month) && reference) {
      int m = month_number(month);
      year_month_day ref = ymd_of(*reference);
      year_month ym = ref.year() / std::chrono::month(unsigned(m));
      if (ym > ref.year() / ref.month()) ym -= years(1);
      return DateFinding{month_of(ym), "month '" + month + "' in the reference year", false};
    }
  }
  // 4. A bare year ("back in 2017").
  {
    std::string y;
    if (RE2::PartialMatch(s, bare_year(), &y) || RE2::PartialMatch(s, foreign_bare_year(), &y))
      return DateFinding{year_of(std::atoi(y.c_str())), "year '" + y + "'", false};
  }
  return std::nullopt;
}

}  // namespace banwatch::rules::internal
