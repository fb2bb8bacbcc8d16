#include "parsers/dates.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/text.h"

namespace banwatch::dates {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

// Longer input is not a date field; refusing it bounds the work per call.
constexpr std::size_t kMaxDateLength = 256;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Letters of non-ASCII scripts (Greek, Hungarian, Korean) arrive as UTF-8
// bytes >= 0x80; for tokenizing they count as letters.
bool is_word_byte(char c) { return is_alpha(c) || static_cast<unsigned char>(c) >= 0x80; }

// Parses a run of ASCII digits as an integer; digits are limited by callers.
int to_int(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// ---------------------------------------------------------------------------
// Names.

struct NamedMonth {
  std::string_view name;
  int month;
};

// English full names and abbreviations, plus the foreign month names that
// feedparser's date tests exercise (Greek abbreviations as Greek feeds write
// them, Hungarian full names). Matching is case-insensitive for ASCII only.
constexpr NamedMonth kMonths[] = {
    {"jan", 1},
    {"january", 1},
    {"feb", 2},
    {"february", 2},
    {"mar", 3},
    {"march", 3},
    {"apr", 4},
    {"april", 4},
    {"may", 5},
    {"jun", 6},
    {"june", 6},
    {"jul", 7},
    {"july", 7},
    {"aug", 8},
    {"august", 8},
    {"sep", 9},
    {"sept", 9},
    {"september", 9},
    {"oct", 10},
    {"october", 10},
    {"nov", 11},
    {"november", 11},
    {"dec", 12},
    {"december", 12},
    // Greek.
    {"\u0399\u03b1\u03bd", 1},
    {"\u03a6\u03b5\u03b2", 2},
    {"\u039c\u03ac\u03ce", 3},
    {"\u039c\u03b1\u03ce", 3},
    {"\u039c\u03ac\u03c1", 3},
    {"\u0391\u03c0\u03c1", 4},
    {"\u039c\u03ac\u03b9", 5},
    {"\u039c\u03b1\u03ca", 5},
    {"\u039c\u03b1\u03b9", 5},
    {"\u0399\u03bf\u03cd\u03bd", 6},
    {"\u0399\u03bf\u03bd", 6},
    {"\u0399\u03bf\u03cd\u03bb", 7},
    {"\u0399\u03bf\u03bb", 7},
    {"\u0391\u03cd\u03b3", 8},
    {"\u0391\u03c5\u03b3", 8},
    {"\u03a3\u03b5\u03c0", 9},
    {"\u039f\u03ba\u03c4", 10},
    {"\u039d\u03bf\u03ad", 11},
    {"\u039d\u03bf\u03b5", 11},
    {"\u0394\u03b5\u03ba", 12},
    // Hungarian ("m\u00e1jus"; feedparser also accepts the misspelling
    // "m\u00e1ujus").
    {"janu\u00e1r", 1},
    {"febru\u00e1r", 2},
    {"m\u00e1rcius", 3},
    {"\u00e1prilis", 4},
    {"m\u00e1jus", 5},
    {"m\u00e1ujus", 5},
    {"j\u00fanius", 6},
    {"j\u00falius", 7},
    {"augusztus", 8},
    {"szeptember", 9},
    {"okt\u00f3ber", 10},
    // Portuguese, Spanish, French, German, Italian and Dutch feeds write their
    // own month names in RFC 822 dates ("Seg, 24 Set 2018 19:18:49 -0300").
    {"fev", 2},
    {"abr", 4},
    {"mai", 5},
    {"ago", 8},
    {"set", 9},
    {"out", 10},
    {"dez", 12},
    {"janeiro", 1},
    {"fevereiro", 2},
    {"mar\u00e7o", 3},
    {"abril", 4},
    {"maio", 5},
    {"junho", 6},
    {"julho", 7},
    {"agosto", 8},
    {"setembro", 9},
    {"outubro", 10},
    {"novembro", 11},
    {"dezembro", 12},
    {"ene", 1},
    {"dic", 12},
    {"enero", 1},
    {"febrero", 2},
    {"marzo", 3},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
    {"janv", 1},
    {"janvier", 1},
    {"f\u00e9vr", 2},
    {"f\u00e9vrier", 2},
    {"mars", 3},
    {"avr", 4},
    {"avril", 4},
    {"juin", 6},
    {"juil", 7},
    {"juillet", 7},
    {"ao\u00fbt", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"d\u00e9c", 12},
    {"d\u00e9cembre", 12},
    {"januar", 1},
    {"februar", 2},
    {"m\u00e4rz", 3},
    {"m\u00e4r", 3},
    {"mrz", 3},
    {"juni", 6},
    {"juli", 7},
    {"okt", 10},
    {"oktober", 10},
    {"dezember", 12},
    {"gen", 1},
    {"gennaio", 1},
    {"febbraio", 2},
    {"aprile", 4},
    {"mag", 5},
    {"maggio", 5},
    {"giu", 6},
    {"giugno", 6},
    {"lug", 7},
    {"luglio", 7},
    {"settembre", 9},
    {"ott", 10},
    {"ottobre", 10},
    {"dicembre", 12},
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"mrt", 3},
    {"mei", 5},
    {"augustus", 8},
};

// ASCII-lowercased copy of a short word for the table look-ups below; words
// longer than any table entry come back empty and match nothing.
struct LowerWord {
  char buf[24];
  std::size_t len = 0;
  explicit LowerWord(std::string_view w) {
    if (w.size() > sizeof(buf)) return;
    for (char c : w) buf[len++] = ascii_lower(c);
  }
  std::string_view view() const { return {buf, len}; }
  // Cheaper than string_view's == for the many short entries: most differ in
  // length or first byte, and those never reach memcmp.
  bool is(std::string_view name) const {
    return name.size() == len && len != 0 && name[0] == buf[0] &&
           std::char_traits<char>::compare(buf, name.data(), len) == 0;
  }
};

int month_from_name(std::string_view word) {
  const LowerWord w(word);
  if (w.len == 0) return 0;
  for (const auto& m : kMonths)
    if (w.is(m.name)) return m.month;
  return 0;
}

constexpr std::string_view kWeekdays[] = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday", "thu", "thur", "thurs", "thursday", "fri",
    "friday", "sat", "saturday", "sun", "sunday",
    // Greek.
    "\u039a\u03c5\u03c1", "\u0394\u03b5\u03c5", "\u03a4\u03c1\u03b9", "\u03a4\u03b5\u03c4", "\u03a0\u03b5\u03bc",
    "\u03a0\u03b1\u03c1", "\u03a3\u03b1\u03b2"};

bool is_weekday(std::string_view word) {
  const LowerWord w(word);
  if (w.len == 0) return false;
  for (auto name : kWeekdays)
    if (w.is(name)) return true;
  return false;
}

struct NamedZone {
  std::string_view name;
  int offset_minutes;
};

// RFC 822 section 5.1 names, the North American zones feeds use, and the
// abbreviations common in the world's news bylines. Ambiguous abbreviations
// take their most common news meaning (CST: US Central, IST: India).
constexpr NamedZone kZones[] = {
    {"ut", 0},
    {"utc", 0},
    {"gmt", 0},
    {"z", 0},
    {"est", -5 * 60},
    {"edt", -4 * 60},
    {"cst", -6 * 60},
    {"cdt", -5 * 60},
    {"mst", -7 * 60},
    {"mdt", -6 * 60},
    {"pst", -8 * 60},
    {"pdt", -7 * 60},
    {"et", -5 * 60},
    {"ct", -6 * 60},
    {"mt", -7 * 60},
    {"pt", -8 * 60},
    {"ast", -4 * 60},
    {"adt", -3 * 60},
    {"at", -4 * 60},
    {"akst", -9 * 60},
    {"akdt", -8 * 60},
    {"hst", -10 * 60},
    {"hdt", -9 * 60},
    {"nst", -3 * 60 - 30},
    {"ndt", -2 * 60 - 30},
    {"bst", 60},
    {"ist", 5 * 60 + 30},
    {"wet", 0},
    {"west", 60},
    {"cet", 60},
    {"cest", 2 * 60},
    {"met", 60},
    {"mest", 2 * 60},
    {"eet", 2 * 60},
    {"eest", 3 * 60},
    {"msk", 3 * 60},
    {"sast", 2 * 60},
    {"cat", 2 * 60},
    {"eat", 3 * 60},
    {"wat", 60},
    {"pkt", 5 * 60},
    {"npt", 5 * 60 + 45},
    {"ict", 7 * 60},
    {"wib", 7 * 60},
    {"sgt", 8 * 60},
    {"hkt", 8 * 60},
    {"pht", 8 * 60},
    {"awst", 8 * 60},
    {"jst", 9 * 60},
    {"kst", 9 * 60},
    {"acst", 9 * 60 + 30},
    {"aest", 10 * 60},
    {"aedt", 11 * 60},
    {"nzst", 12 * 60},
    {"nzdt", 13 * 60},
    {"brt", -3 * 60},
    {"msd", 4 * 60},
    {"idt", 3 * 60},
    {"art", -3 * 60},
    {"clt", -4 * 60},
    {"cot", -5 * 60},
    {"pet", -5 * 60},
    {"vet", -4 * 60},
    {"wez", 0},
    {"mez", 60},
    {"mesz", 2 * 60},
    {"myt", 8 * 60},
    {"gst", 4 * 60},
    {"irst", 3 * 60 + 30},
    {"aft", 4 * 60 + 30},
    {"bdt", 6 * 60},
    {"mmt", 6 * 60 + 30},
    {"sst", -11 * 60},
    {"chst", 10 * 60},
    {"hkst", 9 * 60},
    {"wita", 8 * 60},
    {"wit", 9 * 60},
};

std::optional<int> zone_from_name(std::string_view word) {
  if (word.size() > 5) return std::nullopt;  // no zone name is longer
  const LowerWord w(word);
  for (const auto& z : kZones)
    if (w.is(z.name)) return z.offset_minutes;
  // RFC 822 section 5.1 military zones, with the signs as RFC 822 writes them
  // (A = -1 ... M = -12, N = +1 ... Y = +12; J unused). RFC 1123 section
  // 5.2.14 notes those signs are reversed from military use, but feeds that
  // still write them follow RFC 822, and so does feedparser.
  if (word.size() == 1 && is_alpha(word[0])) {
    char c = ascii_lower(word[0]);
    if (c == 'z') return 0;
    if (c >= 'a' && c <= 'i') return -(c - 'a' + 1) * 60;
    if (c >= 'k' && c <= 'm') return -(c - 'k' + 10) * 60;
    if (c >= 'n' && c <= 'y') return (c - 'n' + 1) * 60;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Building the result.

struct Fields {
  int year = 0;
  int month = 0;  // 0: not given
  int day = 0;    // 0: not given
  bool has_time = false;
  int hour = 0, minute = 0, second = 0;
  bool has_seconds = false;
  std::optional<int> offset_minutes;
};

std::optional<PreciseTime> build(const Fields& f) {
  if (f.year < 1 || f.year > 9999) return std::nullopt;
  if (f.month < 0 || f.month > 12) return std::nullopt;
  if (f.month == 0) {
    if (f.day != 0 || f.has_time) return std::nullopt;
    return PreciseTime{sys_days{std::chrono::year{f.year} / std::chrono::January / 1}, DatePrecision::kYear};
  }
  const std::chrono::year_month ym{std::chrono::year{f.year}, std::chrono::month{static_cast<unsigned>(f.month)}};
  if (f.day == 0) {
    if (f.has_time) return std::nullopt;
    return PreciseTime{sys_days{ym / 1}, DatePrecision::kMonth};
  }
  const std::chrono::year_month_day ymd = ym / std::chrono::day{static_cast<unsigned>(f.day)};
  if (!ymd.ok()) return std::nullopt;
  if (!f.has_time) return PreciseTime{sys_days{ymd}, DatePrecision::kDay};
  if (f.hour < 0 || f.minute < 0 || f.second < 0 || f.minute > 59 || f.second > 60) return std::nullopt;
  // 24:00 is the end of the day (ISO 8601 section 4.2.3); a leap second 60
  // rolls into the next minute.
  if (f.hour > 24 || (f.hour == 24 && (f.minute != 0 || f.second != 0))) return std::nullopt;
  if (f.offset_minutes && (*f.offset_minutes <= -24 * 60 || *f.offset_minutes >= 24 * 60)) return std::nullopt;
  auto t = std::chrono::time_point_cast<seconds>(sys_days{ymd}) + hours{f.hour} + minutes{f.minute} +
           seconds{f.second} - minutes{f.offset_minutes.value_or(0)};
  return PreciseTime{t, f.has_seconds ? DatePrecision::kSecond : DatePrecision::kMinute};
}

// ---------------------------------------------------------------------------
// A small cursor over the input.

struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek(std::size_t ahead = 0) const { return i + ahead < s.size() ? s[i + ahead] : '\0'; }
  bool eat(char c) {
    if (peek() == c) {
      ++i;
      return true;
    }
    return false;
  }
  // Exactly n digits.
  std::optional<int> digits(std::size_t n) {
    if (i + n > s.size()) return std::nullopt;
    for (std::size_t k = 0; k < n; ++k)
      if (!is_digit(s[i + k])) return std::nullopt;
    int v = to_int(s.substr(i, n));
    i += n;
    return v;
  }
  std::size_t count_digits() const {
    std::size_t n = 0;
    while (i + n < s.size() && is_digit(s[i + n])) ++n;
    return n;
  }
  void skip_spaces() {
    while (!done() && is_ascii_space(s[i])) ++i;
  }
};

// Parses "hh", "hh:mm", "hhmm" after a sign; returns minutes east of UTC.
std::optional<int> parse_offset_digits(Cursor& c, int sign) {
  std::size_t n = c.count_digits();
  int h = 0, m = 0;
  if (n == 4) {
    h = *c.digits(2);
    m = *c.digits(2);
  } else if (n == 3) {  // "+530": lenient
    h = *c.digits(1);
    m = *c.digits(2);
  } else if (n == 2 || n == 1) {
    h = *c.digits(n);
    if (c.peek() == ':' && is_digit(c.peek(1)) && is_digit(c.peek(2))) {
      c.i += 1;
      m = *c.digits(2);
    }
  } else {
    return std::nullopt;
  }
  if (h > 23 || m > 59) return std::nullopt;
  return sign * (h * 60 + m);
}

// ---------------------------------------------------------------------------
// ISO 8601 / W3CDTF.

// An ISO 8601 date before it is resolved to a calendar date.
struct IsoDate {
  Fields fields;     // year, and month/day for calendar dates
  int ordinal = 0;   // YYYY-DDD (section 4.1.3)
  int week = 0;      // YYYY-Www[-D] (section 4.1.4)
  int week_day = 0;  // 1 = Monday; 0 when the week has no day
  bool has_day() const { return fields.day != 0 || ordinal != 0 || week_day != 0; }
};

// Reads the date part. Returns false when the text does not start with one.
bool iso_date(Cursor& c, IsoDate& d) {
  Fields& f = d.fields;
  std::size_t n = c.count_digits();
  if (n == 8) {  // YYYYMMDD (basic format)
    f.year = *c.digits(4);
    f.month = *c.digits(2);
    f.day = *c.digits(2);
    return true;
  }
  if (n == 7) {  // YYYYDDD (basic ordinal)
    f.year = *c.digits(4);
    d.ordinal = *c.digits(3);
    return true;
  }
  if (n != 4) return false;
  f.year = *c.digits(4);
  const bool extended = c.eat('-');
  if (c.peek() == 'W') {  // YYYY-Www[-D] or YYYYWww[D]
    ++c.i;
    auto week = c.digits(2);
    if (!week || *week == 0) return false;
    d.week = *week;
    if (extended ? (c.peek() == '-' && is_digit(c.peek(1))) : is_digit(c.peek())) {
      if (extended) ++c.i;
      d.week_day = *c.digits(1);
      if (d.week_day < 1 || d.week_day > 7) return false;
    }
    return true;
  }
  if (!extended) return true;  // YYYY
  std::size_t m = c.count_digits();
  if (m == 3) {  // YYYY-DDD
    d.ordinal = *c.digits(3);
    return d.ordinal != 0;
  }
  if (m == 2) {
    f.month = *c.digits(2);
  } else if (m == 1) {  // lenient: YYYY-M-D
    f.month = *c.digits(1);
  } else if (is_word_byte(c.peek())) {
    // Lenient: a month name in place of the number ("2004-j\u00falius-13",
    // as Hungarian feeds write it).
    std::size_t b = c.i;
    while (!c.done() && is_word_byte(c.peek())) ++c.i;
    f.month = month_from_name(c.s.substr(b, c.i - b));
    if (f.month == 0) return false;
  } else {
    return false;
  }
  if (c.eat('-')) {
    std::size_t dn = c.count_digits();
    if (dn != 2 && dn != 1) return false;
    f.day = *c.digits(dn);
    if (f.day == 0) return false;
  }
  return true;
}

// Turns an ordinal or week date into year/month/day in d.fields. A week
// without a day is stated to the day of its Monday, the closest precision
// PreciseTime offers.
bool resolve_iso_calendar(IsoDate& d) {
  Fields& f = d.fields;
  if (d.ordinal == 0 && d.week == 0) return true;
  if (f.year < 1 || f.year > 9999) return false;
  const std::chrono::year y{f.year};
  sys_days date;
  if (d.week != 0) {
    const int wday = d.week_day == 0 ? 1 : d.week_day;
    if (d.week > 53) return false;
    // ISO 8601 section 4.1.4.2: week 1 holds the year's first Thursday, so
    // its Monday is the Monday on or before January 4th.
    const sys_days jan4{y / std::chrono::January / 4};
    const unsigned iso_wd = std::chrono::weekday{jan4}.iso_encoding();
    const sys_days week1 = jan4 - days{iso_wd - 1};
    date = week1 + days{(d.week - 1) * 7 + (wday - 1)};
    // Week 53 only exists in long years: its Thursday must be in year y.
    const std::chrono::year_month_day thursday{date - days{wday - 1} + days{3}};
    if (thursday.year() != y) return false;
  } else {
    const int len = y.is_leap() ? 366 : 365;
    if (d.ordinal < 1 || d.ordinal > len) return false;
    date = sys_days{y / std::chrono::January / 1} + days{d.ordinal - 1};
  }
  const std::chrono::year_month_day ymd{date};
  f.year = static_cast<int>(ymd.year());
  f.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  f.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return true;
}

// Reads "hh[:mm[:ss[.fff]]]" or the basic "hhmm[ss]". Fractions are dropped:
// PreciseTime is to the second.
bool iso_time(Cursor& c, Fields& f) {
  std::size_t n = c.count_digits();
  if (n == 4 || n == 6) {
    f.hour = *c.digits(2);
    f.minute = *c.digits(2);
    if (n == 6) {
      f.second = *c.digits(2);
      f.has_seconds = true;
    }
  } else if (n == 2 || n == 1) {  // one-digit hour: lenient
    f.hour = *c.digits(n);
    if (c.peek() == ':') {
      ++c.i;
      auto mm = c.digits(2);
      if (!mm) return false;
      f.minute = *mm;
      if (c.peek() == ':') {
        ++c.i;
        auto ss = c.digits(2);
        if (!ss) return false;
        f.second = *ss;
        f.has_seconds = true;
      }
    }
  } else {
    return false;
  }
  if ((c.peek() == '.' || c.peek() == ',') && is_digit(c.peek(1))) {
    ++c.i;
    while (is_digit(c.peek())) ++c.i;
  }
  f.has_time = true;
  return true;
}

// Zone after an ISO time: Z, +hh, +hh:mm, +hhmm, or (lenient) a space and a
// named zone or offset ("2004-07-08 23:56:58 EST", "... +0000", "... UTC").
bool iso_zone(Cursor& c, Fields& f) {
  std::size_t save = c.i;
  c.skip_spaces();
  if (c.done()) {
    c.i = save;
    return true;
  }
  char ch = c.peek();
  if (ch == '+' || ch == '-') {
    ++c.i;
    auto off = parse_offset_digits(c, ch == '-' ? -1 : 1);
    if (!off) return false;
    f.offset_minutes = off;
    return true;
  }
  if (is_alpha(ch)) {
    std::size_t b = c.i;
    while (is_alpha(c.peek())) ++c.i;
    auto zone = zone_from_name(c.s.substr(b, c.i - b));
    if (!zone) return false;
    f.offset_minutes = zone;
    // "UTC+01:00"
    if ((c.peek() == '+' || c.peek() == '-') && *zone == 0) {
      int sign = c.peek() == '-' ? -1 : 1;
      ++c.i;
      auto off = parse_offset_digits(c, sign);
      if (!off) return false;
      f.offset_minutes = off;
    }
    return true;
  }
  return false;
}

std::optional<PreciseTime> iso_full(std::string_view text, std::optional<int>* offset_out = nullptr) {
  Cursor c{text};
  IsoDate d;
  if (!iso_date(c, d)) return std::nullopt;
  Fields& f = d.fields;
  if (!c.done()) {
    char sep = c.peek();
    bool t_sep = sep == 'T' || sep == 't';
    bool space_sep = is_ascii_space(sep);
    if (!t_sep && !space_sep) return std::nullopt;
    ++c.i;
    if (space_sep) c.skip_spaces();
    if (!d.has_day()) return std::nullopt;  // a time needs a day
    if (!iso_time(c, f)) return std::nullopt;
    if (!iso_zone(c, f)) return std::nullopt;
    c.skip_spaces();
    if (!c.done()) return std::nullopt;
  }
  if (!resolve_iso_calendar(d)) return std::nullopt;
  if (offset_out != nullptr) *offset_out = f.offset_minutes;
  return build(f);
}

// ---------------------------------------------------------------------------
// The token-based parser for RFC 822 and its many broken relatives.

enum class Tok { kNumber, kWord, kTime, kOffset, kDateGroup, kAmPm };

struct Token {
  Tok kind;
  std::string_view text;
  int a = 0, b = 0, c = 0;  // number value; time h/m/s; offset minutes; date parts
  std::size_t ndigits = 0;  // for numbers
  bool flag = false;        // time: has seconds; ampm: pm
  char sep = 0;             // date group separator
};

// Korean markers for year, month, day, AM and PM.
constexpr std::string_view kKoYear = "\ub144";
constexpr std::string_view kKoMonth = "\uc6d4";
constexpr std::string_view kKoDay = "\uc77c";
constexpr std::string_view kKoAm = "\uc624\uc804";
constexpr std::string_view kKoPm = "\uc624\ud6c4";

bool tokenize(std::string_view s, std::vector<Token>& out) {
  Cursor c{s};
  bool after_space = true;
  while (!c.done()) {
    if (out.size() > 24) return false;
    char ch = c.peek();
    if (ch == '(') {
      // RFC 2822 section 3.2.3: a comment is ignored ("(Coordinated Universal
      // Time)"), unless it is nothing but a zone name ("(PST)"), which then
      // serves when no other zone is given.
      const std::size_t close = s.find(')', c.i);
      const std::string_view inner = trim_ascii_space(
          s.substr(c.i + 1, close == std::string_view::npos ? std::string_view::npos : close - c.i - 1));
      if (inner.size() > 1 && zone_from_name(inner)) out.push_back(Token{Tok::kWord, inner});
      c.i = close == std::string_view::npos ? s.size() : close + 1;
      after_space = true;
      continue;
    }
    if (is_ascii_space(ch) || ch == ',' || ch == ')') {
      ++c.i;
      after_space = true;
      continue;
    }
    std::size_t begin = c.i;
    if (is_digit(ch)) {
      std::size_t n = c.count_digits();
      if (n > 8) return false;
      // Time: h:mm[:ss[.frac]]
      if (n <= 2 && c.peek(n) == ':' && is_digit(c.peek(n + 1))) {
        Token t{Tok::kTime, {}};
        t.a = *c.digits(n);
        ++c.i;
        std::size_t mn = c.count_digits();
        if (mn > 2) return false;
        t.b = *c.digits(mn);
        if (c.peek() == ':' && is_digit(c.peek(1))) {
          ++c.i;
          std::size_t sn = c.count_digits();
          if (sn > 2) return false;
          t.c = *c.digits(sn);
          t.flag = true;
          if ((c.peek() == '.' || c.peek() == ',') && is_digit(c.peek(1))) {
            ++c.i;
            while (is_digit(c.peek())) ++c.i;
          }
        }
        if (c.peek() == ':') return false;  // "1:2:3:4" is not a time
        t.text = s.substr(begin, c.i - begin);
        out.push_back(t);
        after_space = false;
        continue;
      }
      // Date group: 2006/09/15, 15.09.2006, 2004-07-08.
      char sep = c.peek(n);
      if ((sep == '/' || sep == '-' || sep == '.') && is_digit(c.peek(n + 1))) {
        Token t{Tok::kDateGroup, {}};
        t.sep = sep;
        std::array<std::pair<int, std::size_t>, 3> parts{};
        std::size_t count = 0;
        for (;;) {
          std::size_t k = c.count_digits();
          if (k == 0 || k > 4 || count == 3) return false;
          parts[count++] = {*c.digits(k), k};
          if (c.peek() == sep && is_digit(c.peek(1))) {
            ++c.i;
            continue;
          }
          break;
        }
        if (count != 3) return false;
        if (parts[0].second == 4) {
          t.a = parts[0].first, t.b = parts[1].first, t.c = parts[2].first;
        } else if (parts[2].second == 4) {
          int x = parts[0].first, y = parts[1].first;
          if (sep == '.' || x > 12) {  // D.M.Y: Europe writes dots
            t.a = parts[2].first, t.b = y, t.c = x;
          } else if (y > 12) {
            t.a = parts[2].first, t.b = x, t.c = y;
          } else {
            return false;  // 03/04/2005 is ambiguous between M/D and D/M
          }
        } else {
          return false;
        }
        t.text = s.substr(begin, c.i - begin);
        out.push_back(t);
        after_space = false;
        continue;
      }
      Token t{Tok::kNumber, {}};
      t.ndigits = n;
      t.a = *c.digits(n);
      // Ordinal suffixes: 1st, 2nd, 3rd, 4th.
      if (c.i + 1 < s.size()) {
        std::string_view two = s.substr(c.i, 2);
        if (ascii_iequals(two, "st") || ascii_iequals(two, "nd") || ascii_iequals(two, "rd") ||
            ascii_iequals(two, "th")) {
          if (c.i + 2 >= s.size() || !is_word_byte(s[c.i + 2])) c.i += 2;
        }
      }
      t.text = s.substr(begin, c.i - begin);
      out.push_back(t);
      after_space = false;
      continue;
    }
    if ((ch == '+' || ch == '-') && is_digit(c.peek(1))) {
      bool zone_before = !out.empty() && out.back().kind == Tok::kWord && zone_from_name(out.back().text) == 0;
      bool time_before = !out.empty() && out.back().kind == Tok::kTime;
      if (after_space || zone_before || time_before) {
        ++c.i;
        auto off = parse_offset_digits(c, ch == '-' ? -1 : 1);
        if (!off || is_digit(c.peek())) return false;
        Token t{Tok::kOffset, s.substr(begin, c.i - begin)};
        t.a = *off;
        out.push_back(t);
        after_space = false;
        continue;
      }
      ++c.i;  // a separator: "01-Jan-2004"
      continue;
    }
    if (is_word_byte(ch)) {
      // A word ends at a digit, so Korean markers ("2004\ub144") stay
      // separate tokens from their numbers.
      while (!c.done() && is_word_byte(c.peek())) ++c.i;
      std::string_view word = s.substr(begin, c.i - begin);
      // "a.m." / "p.m."
      if ((ascii_iequals(word, "a") || ascii_iequals(word, "p")) && c.peek() == '.' && ascii_lower(c.peek(1)) == 'm') {
        c.i += 2;
        c.eat('.');
        Token t{Tok::kAmPm, s.substr(begin, c.i - begin)};
        t.flag = ascii_iequals(word, "p");
        out.push_back(t);
        after_space = false;
        continue;
      }
      if (ascii_iequals(word, "am") || ascii_iequals(word, "pm") || word == kKoAm || word == kKoPm) {
        Token t{Tok::kAmPm, word};
        t.flag = ascii_iequals(word, "pm") || word == kKoPm;
        out.push_back(t);
        after_space = false;
        continue;
      }
      c.eat('.');  // "Sept." "Jan."
      out.push_back(Token{Tok::kWord, word});
      after_space = false;
      continue;
    }
    // Other punctuation separates tokens.
    ++c.i;
    after_space = true;
  }
  return true;
}

std::optional<PreciseTime> tokens_to_date(const std::vector<Token>& toks, std::optional<int>* offset_out) {
  Fields f;
  bool have_year = false, have_month = false, have_day = false;
  bool korean = false;
  std::optional<bool> pm;
  std::vector<const Token*> numbers;
  std::size_t unknown_words = 0;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const Token& t = toks[i];
    switch (t.kind) {
      case Tok::kTime:
        if (f.has_time) return std::nullopt;
        f.has_time = true;
        f.hour = t.a, f.minute = t.b, f.second = t.c, f.has_seconds = t.flag;
        break;
      case Tok::kAmPm:
        pm = t.flag;
        if (t.text == kKoAm || t.text == kKoPm) korean = true;
        break;
      case Tok::kOffset: {
        // "GMT+0100": an offset right after a universal zone name refines it.
        bool refines = i > 0 && toks[i - 1].kind == Tok::kWord && toks[i - 1].text.size() > 1 &&
                       zone_from_name(toks[i - 1].text) == 0;
        if (!f.offset_minutes || refines) f.offset_minutes = t.a;
        break;
      }
      case Tok::kDateGroup:
        if (have_year || have_month) return std::nullopt;
        f.year = t.a, f.month = t.b, f.day = t.c;
        have_year = have_month = have_day = true;
        break;
      case Tok::kNumber: {
        // Korean: "2004\ub144 05\uc6d4 28\uc77c".
        if (i + 1 < toks.size() && toks[i + 1].kind == Tok::kWord) {
          std::string_view next = toks[i + 1].text;
          if (next == kKoYear || next == kKoMonth || next == kKoDay) {
            korean = true;
            if (next == kKoYear) f.year = t.a, have_year = true;
            if (next == kKoMonth) f.month = t.a, have_month = true;
            if (next == kKoDay) f.day = t.a, have_day = true;
            ++i;
            break;
          }
        }
        numbers.push_back(&t);
        break;
      }
      case Tok::kWord: {
        if (int m = month_from_name(t.text); m != 0) {
          if (have_month) return std::nullopt;
          f.month = m;
          have_month = true;
          break;
        }
        if (is_weekday(t.text)) break;
        // A zone word is one after the time, or one that is clearly a zone
        // name (not a single letter, which could be an initial).
        if (auto z = zone_from_name(t.text)) {
          if (t.text.size() > 1 || f.has_time) {
            if (!f.offset_minutes) f.offset_minutes = *z;
            break;
          }
        }
        if (t.text.size() == 1 && !ascii_iequals(t.text, "T")) return std::nullopt;
        if (ascii_iequals(t.text, "T") || ascii_iequals(t.text, "at") || ascii_iequals(t.text, "on") ||
            ascii_iequals(t.text, "of"))
          break;
        ++unknown_words;
        break;
      }
    }
  }
  if (unknown_words > 2) return std::nullopt;
  // Numbers: the day and the year, in the order the writer chose.
  for (const Token* n : numbers) {
    if (n->ndigits == 4 && !have_year) {
      f.year = n->a;
      have_year = true;
    } else if (n->ndigits <= 2 && !have_day && have_month) {
      f.day = n->a;
      have_day = true;
    } else if (n->ndigits <= 2 && !have_year && have_day) {
      // RFC 2822 section 4.3: 00-49 are 2000-2049, 50-99 are 1950-1999.
      f.year = n->a < 50 ? 2000 + n->a : 1900 + n->a;
      have_year = true;
    } else if (n->ndigits <= 2 && !have_day && !have_month) {
      // "4 January 2004": the day comes before the month name.
      f.day = n->a;
      have_day = true;
    } else {
      return std::nullopt;
    }
  }
  if (!have_year || !have_month) return std::nullopt;
  if (!have_day) {
    if (f.has_time) return std::nullopt;
    f.day = 0;
  }
  if (pm) {
    if (!f.has_time || f.hour < 1 || f.hour > 12) return std::nullopt;
    if (*pm && f.hour != 12) f.hour += 12;
    if (!*pm && f.hour == 12) f.hour = 0;
  }
  // Korean blogs and portals write Korea Standard Time without saying so.
  if (korean && !f.offset_minutes) f.offset_minutes = 9 * 60;
  if (offset_out != nullptr) *offset_out = f.offset_minutes;
  return build(f);
}

std::optional<PreciseTime> lenient(std::string_view text, std::optional<int>* offset_out = nullptr) {
  std::vector<Token> toks;
  toks.reserve(12);
  if (!tokenize(text, toks)) return std::nullopt;
  if (toks.empty()) return std::nullopt;
  return tokens_to_date(toks, offset_out);
}

// ---------------------------------------------------------------------------
// Prose.

// English month names a sentence may use; capitalized as prose writes them.
struct ProseMonth {
  std::string_view name;
  int month;
  bool abbreviation;
};
constexpr ProseMonth kProseMonths[] = {
    {"January", 1, false},   {"February", 2, false}, {"March", 3, false},     {"April", 4, false},
    {"May", 5, false},       {"June", 6, false},     {"July", 7, false},      {"August", 8, false},
    {"September", 9, false}, {"October", 10, false}, {"November", 11, false}, {"December", 12, false},
    {"Jan", 1, true},        {"Feb", 2, true},       {"Mar", 3, true},        {"Apr", 4, true},
    {"Jun", 6, true},        {"Jul", 7, true},       {"Aug", 8, true},        {"Sept", 9, true},
    {"Sep", 9, true},        {"Oct", 10, true},      {"Nov", 11, true},       {"Dec", 12, true},
};

// Matches a month name at s[i] (whole word, capitalized or all caps);
// returns the month and advances i past the name and an abbreviation's dot.
int prose_month_at(std::string_view s, std::size_t& i) {
  if (i > 0 && is_word_byte(s[i - 1])) return 0;
  for (const auto& m : kProseMonths) {
    if (i + m.name.size() > s.size()) continue;
    std::string_view cand = s.substr(i, m.name.size());
    bool exact = cand == m.name;
    bool caps = !exact && ascii_iequals(cand, m.name) && cand[1] >= 'A' && cand[1] <= 'Z';
    if (!exact && !caps) continue;
    std::size_t j = i + m.name.size();
    if (j < s.size() && is_word_byte(s[j])) continue;
    if (m.abbreviation && j < s.size() && s[j] == '.') ++j;
    i = j;
    return m.month;
  }
  return 0;
}

// Reads a day number 1-31 with an optional ordinal suffix at s[i].
int prose_day_at(std::string_view s, std::size_t& i) {
  std::size_t j = i, n = 0;
  while (j < s.size() && is_digit(s[j]) && n < 3) ++j, ++n;
  if (n == 0 || n > 2) return 0;
  if (i > 0 && (is_digit(s[i - 1]) || is_alpha(s[i - 1]))) return 0;
  int d = to_int(s.substr(i, n));
  if (j + 1 < s.size()) {
    std::string_view two = s.substr(j, 2);
    if (ascii_iequals(two, "st") || ascii_iequals(two, "nd") || ascii_iequals(two, "rd") || ascii_iequals(two, "th"))
      if (j + 2 >= s.size() || !is_word_byte(s[j + 2])) j += 2;
  }
  if (j < s.size() && (is_digit(s[j]) || is_word_byte(s[j]))) return 0;
  if (d < 1 || d > 31) return 0;
  i = j;
  return d;
}

// Reads a four-digit year 1000-2999 not followed by more digits.
int prose_year_at(std::string_view s, std::size_t& i) {
  if (i + 4 > s.size()) return 0;
  for (std::size_t k = 0; k < 4; ++k)
    if (!is_digit(s[i + k])) return 0;
  if (i + 4 < s.size() && (is_digit(s[i + 4]) || is_word_byte(s[i + 4]))) return 0;
  int y = to_int(s.substr(i, 4));
  if (y < 1000 || y > 2999) return 0;
  i += 4;
  return y;
}

void skip_blanks(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  // A no-break space (U+00A0) is common between day and month in pages.
  while (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    i += 2;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
}

constexpr std::size_t kMaxTimeWord = 12;

// Optional ", 10:30 a.m. ET" / " at 14:05 UTC" after a day: taken only with
// an explicit zone, since a clock time without one is not a point in time.
std::optional<PreciseTime> prose_time_after(std::string_view s, std::size_t& i, const Fields& day) {
  std::size_t j = i;
  if (j < s.size() && s[j] == ',') ++j;
  skip_blanks(s, j);
  if (j + 2 < s.size() && ascii_iequals(s.substr(j, 2), "at") && is_ascii_space(s[j + 2])) {
    j += 2;
    skip_blanks(s, j);
  }
  std::size_t begin = j;
  std::size_t n = 0;
  while (j < s.size() && is_digit(s[j]) && n < 3) ++j, ++n;
  if (n == 0 || n > 2 || j >= s.size() || s[j] != ':') return std::nullopt;
  std::size_t end = j + 1;
  std::size_t e2 = end;
  while (e2 < s.size() && is_digit(s[e2])) ++e2;
  if (e2 - end != 2) return std::nullopt;
  end = e2;
  if (end + 2 < s.size() && s[end] == ':' && is_digit(s[end + 1]) && is_digit(s[end + 2])) end += 3;
  // Am/pm and the zone: up to three more words.
  std::size_t k = end;
  std::size_t last_good = 0;
  for (int words = 0; words < 3; ++words) {
    std::size_t w = k;
    skip_blanks(s, w);
    std::size_t wb = w;
    while (w < s.size() && (is_alpha(s[w]) || s[w] == '.')) ++w;
    if (w < s.size() && (s[w] == '+' || s[w] == '-')) {
      while (w < s.size() && (s[w] == '+' || s[w] == '-' || s[w] == ':' || is_digit(s[w]))) ++w;
    }
    if (w == wb) break;
    if (w - wb > kMaxTimeWord) break;  // no am/pm or zone is this long
    k = w;
    std::vector<Token> toks;
    if (!tokenize(s.substr(begin, k - begin), toks)) break;
    bool has_zone = false;
    for (const auto& t : toks)
      if (t.kind == Tok::kOffset || (t.kind == Tok::kWord && zone_from_name(t.text) && t.text.size() > 1))
        has_zone = true;
    if (has_zone) last_good = k;
  }
  if (last_good == 0) return std::nullopt;
  std::vector<Token> toks;
  if (!tokenize(s.substr(begin, last_good - begin), toks)) return std::nullopt;
  // Only a time, am/pm and zones may follow the date here.
  Fields f = day;
  std::optional<bool> pm;
  for (const auto& t : toks) {
    if (t.kind == Tok::kTime) {
      f.has_time = true;
      f.hour = t.a, f.minute = t.b, f.second = t.c, f.has_seconds = t.flag;
    } else if (t.kind == Tok::kAmPm) {
      pm = t.flag;
    } else if (t.kind == Tok::kOffset) {
      if (!f.offset_minutes) f.offset_minutes = t.a;
    } else if (t.kind == Tok::kWord) {
      auto z = zone_from_name(t.text);
      if (!z || t.text.size() < 2) return std::nullopt;
      if (!f.offset_minutes) f.offset_minutes = z;
    } else {
      return std::nullopt;
    }
  }
  if (!f.has_time) return std::nullopt;
  if (pm) {
    if (f.hour < 1 || f.hour > 12) return std::nullopt;
    if (*pm && f.hour != 12) f.hour += 12;
    if (!*pm && f.hour == 12) f.hour = 0;
  }
  auto t = build(f);
  if (t) i = last_good;  // the span ends after the zone
  return t;
}

// True when the word before s[start] makes a bare number a year: "in 2019",
// "since 2014", "during 2020", "until 2025", "by 2030", "early 2021",
// "late 2019", "mid-2020".
bool year_cue_before(std::string_view s, std::size_t start) {
  if (start == 0) return false;
  std::size_t end = start;
  if (s[end - 1] == '-') {
    --end;  // "mid-2020"
  } else if (s[end - 1] == ' ') {
    --end;
  } else {
    return false;
  }
  std::size_t begin = end;
  while (begin > 0 && is_alpha(s[begin - 1]) && end - begin < 8) --begin;
  if (begin > 0 && is_alpha(s[begin - 1])) return false;
  const std::string_view word = s.substr(begin, end - begin);
  if (s[end] == '-') return ascii_iequals(word, "mid");
  for (std::string_view cue : {"in", "since", "during", "until", "by", "early", "late", "mid"})
    if (ascii_iequals(word, cue)) return true;
  return false;
}

// The year that puts month/day closest to the reference (news writes "on
// March 25" for recent or coming days).
std::optional<PreciseTime> infer_year(int month, int day, Timestamp reference) {
  const auto ref_year = static_cast<int>(std::chrono::year_month_day{std::chrono::floor<days>(reference)}.year());
  std::optional<PreciseTime> best;
  seconds best_distance{};
  for (int y = ref_year - 1; y <= ref_year + 1; ++y) {
    Fields f;
    f.year = y, f.month = month, f.day = day;
    auto t = build(f);
    if (!t) continue;
    const seconds distance = t->time > reference ? t->time - reference : reference - t->time;
    if (!best || distance < best_distance) best = t, best_distance = distance;
  }
  return best;
}

// The day written from `start` to `end` in `s`, extended over a zoned time
// that follows it; nullopt when year, month and day make no date.
std::optional<FoundDate> written_day(std::string_view s, std::size_t start, std::size_t end, int year, int month,
                                     int day) {
  Fields f;
  f.year = year, f.month = month, f.day = day;
  auto date = build(f);
  if (!date) return std::nullopt;
  std::size_t timed_end = end;
  if (auto timed = prose_time_after(s, timed_end, f)) return FoundDate{*timed, start, timed_end};
  return FoundDate{*date, start, end};
}

// A day written without its year (from `start` to `end`): dated by the
// reference time when there is one.
std::optional<FoundDate> yearless_day(int month, int day, std::size_t start, std::size_t end,
                                      const ProseOptions& options) {
  if (options.reference) {
    if (auto date = infer_year(month, day, *options.reference)) return FoundDate{*date, start, end, true};
  }
  return std::nullopt;
}

std::optional<FoundDate> prose_at(std::string_view s, std::size_t start, const ProseOptions& options) {
  std::size_t i = start;
  const char ch = s[i];
  if (ch >= 'A' && ch <= 'Z') {
    // "March 25, 2022", "Mar. 25 2022", "March 25th, 2022", "March 2022",
    // "March 25-26, 2022".
    int month = prose_month_at(s, i);
    if (month == 0) return std::nullopt;
    std::size_t after_month = i;
    skip_blanks(s, i);
    std::size_t j = i;
    if (int day = prose_day_at(s, j); day != 0) {
      // A range "25-26" or "25 and 26" keeps the first day.
      std::size_t r = j;
      if (r < s.size() && (s[r] == '-' || s[r] == '/')) {
        std::size_t r2 = r + 1;
        if (prose_day_at(s, r2) != 0) j = r2;
      }
      std::size_t k = j;
      if (k < s.size() && s[k] == ',') ++k;
      skip_blanks(s, k);
      if (int year = prose_year_at(s, k); year != 0) return written_day(s, start, k, year, month, day);
      return yearless_day(month, day, start, j, options);
    }
    // "March 2022", "March, 2022", "in Sept. 2021".
    std::size_t k = after_month;
    if (k < s.size() && s[k] == ',') ++k;
    skip_blanks(s, k);
    if (int year = prose_year_at(s, k); year != 0) {
      Fields f;
      f.year = year, f.month = month;
      if (auto date = build(f)) return FoundDate{*date, start, k};
    }
    return std::nullopt;
  }
  if (is_digit(ch)) {
    // "in 2019", "since 2014", "mid-2020" (only when asked for).
    if (options.year_only) {
      std::size_t k = start;
      if (int year = prose_year_at(s, k); year >= 1900 && year <= 2199 && year_cue_before(s, start)) {
        Fields f;
        f.year = year;
        if (auto date = build(f)) return FoundDate{*date, start, k};
      }
    }
    if (start > 0 && (is_digit(s[start - 1]) || is_alpha(s[start - 1]) || s[start - 1] == '.' || s[start - 1] == '/' ||
                      s[start - 1] == '-' || s[start - 1] == ':'))
      return std::nullopt;
    // "2022-03-25", with an ISO time when one follows directly.
    if (start + 10 <= s.size() && s[start + 4] == '-' && s[start + 7] == '-') {
      std::size_t end = start + 10;
      if (end < s.size() && is_digit(s[end])) return std::nullopt;
      IsoDate d;
      Cursor c{s.substr(start, 10)};
      if (!iso_date(c, d) || !c.done() || d.fields.day == 0) return std::nullopt;
      auto date = build(d.fields);
      if (!date) return std::nullopt;
      // Extend over "T10:00:00Z" or " 10:00 UTC" when it parses as ISO.
      if (end < s.size() && (s[end] == 'T' || s[end] == ' ')) {
        std::size_t e = end + 1;
        // "T10:14:55.123456+05:30" is under 32 bytes; the bound keeps the
        // prefix search below linear in a long run of digits.
        while (e < s.size() && e < end + 32 &&
               (is_digit(s[e]) || s[e] == ':' || s[e] == '.' || s[e] == '+' || s[e] == '-' || s[e] == 'Z'))
          ++e;
        if (e > end + 1 && is_digit(s[end + 1])) {
          // Take the longest prefix that parses with an explicit zone.
          for (std::size_t e2 = e; e2 > end + 1; --e2) {
            std::string_view cand = s.substr(start, e2 - start);
            char last = cand.back();
            if (!(last == 'Z' || is_digit(last))) continue;
            if (auto full = iso_full(cand); full && full->precision >= DatePrecision::kMinute) {
              bool zoned = last == 'Z' || cand.find('+', 10) != std::string_view::npos ||
                           cand.find('-', 11) != std::string_view::npos;
              if (zoned) return FoundDate{*full, start, e2};
            }
          }
        }
      }
      return FoundDate{*date, start, end};
    }
    // "25 March 2022", "25th of March, 2022".
    std::size_t j = start;
    int day = prose_day_at(s, j);
    if (day == 0) return std::nullopt;
    skip_blanks(s, j);
    if (j + 2 < s.size() && s.substr(j, 2) == "of" && is_ascii_space(s[j + 2])) {
      j += 2;
      skip_blanks(s, j);
    }
    if (j >= s.size() || !(s[j] >= 'A' && s[j] <= 'Z')) return std::nullopt;
    int month = prose_month_at(s, j);
    if (month == 0) return std::nullopt;
    std::size_t k = j;
    if (k < s.size() && s[k] == ',') ++k;
    skip_blanks(s, k);
    int year = prose_year_at(s, k);
    if (year == 0) return yearless_day(month, day, start, j, options);
    return written_day(s, start, k, year, month, day);
  }
  return std::nullopt;
}

}  // namespace

std::optional<PreciseTime> parse_iso8601(std::string_view text) {
  text = trim_ascii_space(text);
  if (text.empty() || text.size() > kMaxDateLength) return std::nullopt;
  return iso_full(text);
}

std::optional<PreciseTime> parse_rfc822(std::string_view text) {
  text = trim_ascii_space(text);
  if (text.empty() || text.size() > kMaxDateLength) return std::nullopt;
  return lenient(text);
}

std::optional<PreciseTime> parse_date(std::string_view text) {
  text = trim_ascii_space(text);
  if (text.empty() || text.size() > kMaxDateLength) return std::nullopt;
  if (is_digit(text.front())) {
    if (auto iso = iso_full(text)) return iso;
  }
  return lenient(text);
}

std::optional<Period> parse_dcmi_period(std::string_view text) {
  if (text.size() > 4 * kMaxDateLength) return std::nullopt;
  Period period;
  // DCMI Period Encoding Scheme: "component=value" pairs separated by ';'.
  while (!text.empty()) {
    const std::size_t semi = text.find(';');
    const std::string_view part = trim_ascii_space(text.substr(0, semi));
    text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = trim_ascii_space(part.substr(0, eq));
    const std::string_view value = trim_ascii_space(part.substr(eq + 1));
    if (ascii_iequals(key, "start")) {
      period.start = parse_date(value);
    } else if (ascii_iequals(key, "end")) {
      period.end = parse_date(value);
    } else if (ascii_iequals(key, "name")) {
      period.name = std::string(value);
    }
  }
  if (!period.start && !period.end) return std::nullopt;
  return period;
}

namespace {

std::optional<FoundDate> find_from(std::string_view text, std::size_t from, const ProseOptions& options) {
  for (std::size_t i = from; i < text.size(); ++i) {
    char ch = text[i];
    // Only month initials and digits can start a prose date.
    if (!(is_digit(ch) || ch == 'J' || ch == 'F' || ch == 'M' || ch == 'A' || ch == 'S' || ch == 'O' || ch == 'N' ||
          ch == 'D'))
      continue;
    if (i > 0 && (is_alpha(text[i - 1]) || (is_digit(ch) && is_digit(text[i - 1])))) continue;
    if (auto found = prose_at(text, i, options)) return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<FoundDate> find_prose_date(std::string_view text) { return find_from(text, 0, ProseOptions{}); }

std::optional<FoundDate> find_prose_date(std::string_view text, const ProseOptions& options) {
  return find_from(text, 0, options);
}

std::vector<FoundDate> find_prose_dates(std::string_view text, const ProseOptions& options) {
  std::vector<FoundDate> out;
  std::size_t from = 0;
  while (from < text.size()) {
    auto found = find_from(text, from, options);
    if (!found) break;
    from = found->end;
    out.push_back(*found);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Dates as the writer stated them, and calendar days in page text.

std::optional<LocalDate> parse_date_local(std::string_view text) {
  text = trim_ascii_space(text);
  if (text.empty() || text.size() > kMaxDateLength) return std::nullopt;
  std::optional<int> offset;
  if (is_digit(text.front())) {
    if (auto iso = iso_full(text, &offset)) return LocalDate{*iso, offset};
  }
  offset.reset();
  if (auto d = lenient(text, &offset)) return LocalDate{*d, offset};
  return std::nullopt;
}

std::chrono::sys_days local_day(const LocalDate& d) {
  return std::chrono::floor<days>(d.date.time + minutes{d.offset_minutes.value_or(0)});
}

std::string format_local(const LocalDate& d) {
  const auto shifted = d.date.time + minutes{d.offset_minutes.value_or(0)};
  const std::chrono::year_month_day ymd{std::chrono::floor<days>(shifted)};
  const int y = static_cast<int>(ymd.year());
  const auto m = static_cast<unsigned>(ymd.month());
  const auto day = static_cast<unsigned>(ymd.day());
  char buf[64];
  switch (d.date.precision) {
    case DatePrecision::kYear:
      std::snprintf(buf, sizeof buf, "%04d", y);
      return buf;
    case DatePrecision::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02u", y, m);
      return buf;
    case DatePrecision::kDay:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, day);
      return buf;
    case DatePrecision::kMinute:
    case DatePrecision::kSecond:
      break;
  }
  const auto secs = (shifted - std::chrono::floor<days>(shifted)).count();
  const int off = d.offset_minutes.value_or(0);
  std::string zone = "Z";
  if (off != 0) {
    char z[16];
    std::snprintf(z, sizeof z, "%c%02d:%02d", off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
    zone = z;
  }
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%s", y, m, day, static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60), zone.c_str());
  return buf;
}

namespace {

// Month names of en, de, fr, it, es, pt, nl and pl (nominative and the
// genitive dates use), lower case; abbreviations may be followed by a dot.
constexpr NamedMonth kTextMonths[] = {
    // English.
    {"january", 1},
    {"february", 2},
    {"march", 3},
    {"april", 4},
    {"may", 5},
    {"june", 6},
    {"july", 7},
    {"august", 8},
    {"september", 9},
    {"october", 10},
    {"november", 11},
    {"december", 12},
    {"jan", 1},
    {"feb", 2},
    {"mar", 3},
    {"apr", 4},
    {"jun", 6},
    {"jul", 7},
    {"aug", 8},
    {"sep", 9},
    {"sept", 9},
    {"oct", 10},
    {"nov", 11},
    {"dec", 12},
    // German (and Austrian).
    {"januar", 1},
    {"j\u00e4nner", 1},
    {"jaenner", 1},
    {"februar", 2},
    {"feber", 2},
    {"m\u00e4rz", 3},
    {"maerz", 3},
    {"m\u00e4r", 3},
    {"mrz", 3},
    {"mai", 5},
    {"juni", 6},
    {"juli", 7},
    {"oktober", 10},
    {"okt", 10},
    {"dezember", 12},
    {"dez", 12},
    // French.
    {"janvier", 1},
    {"janv", 1},
    {"f\u00e9vrier", 2},
    {"fevrier", 2},
    {"f\u00e9vr", 2},
    {"fevr", 2},
    {"f\u00e9v", 2},
    {"mars", 3},
    {"avril", 4},
    {"avr", 4},
    {"juin", 6},
    {"juillet", 7},
    {"juil", 7},
    {"ao\u00fbt", 8},
    {"aout", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"d\u00e9cembre", 12},
    {"decembre", 12},
    {"d\u00e9c", 12},
    // Italian.
    {"gennaio", 1},
    {"gen", 1},
    {"febbraio", 2},
    {"marzo", 3},
    {"aprile", 4},
    {"maggio", 5},
    {"mag", 5},
    {"giugno", 6},
    {"giu", 6},
    {"luglio", 7},
    {"lug", 7},
    {"agosto", 8},
    {"ago", 8},
    {"settembre", 9},
    {"set", 9},
    {"ottobre", 10},
    {"ott", 10},
    {"dicembre", 12},
    {"dic", 12},
    // Spanish.
    {"enero", 1},
    {"ene", 1},
    {"febrero", 2},
    {"abril", 4},
    {"abr", 4},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
    // Portuguese.
    {"janeiro", 1},
    {"fevereiro", 2},
    {"fev", 2},
    {"mar\u00e7o", 3},
    {"marco", 3},
    {"maio", 5},
    {"junho", 6},
    {"julho", 7},
    {"setembro", 9},
    {"outubro", 10},
    {"out", 10},
    {"novembro", 11},
    {"dezembro", 12},
    // Dutch.
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"mrt", 3},
    {"mei", 5},
    {"augustus", 8},
    // Polish: nominative and genitive.
    {"stycze\u0144", 1},
    {"stycznia", 1},
    {"luty", 2},
    {"lutego", 2},
    {"marzec", 3},
    {"marca", 3},
    {"kwiecie\u0144", 4},
    {"kwietnia", 4},
    {"maj", 5},
    {"maja", 5},
    {"czerwiec", 6},
    {"czerwca", 6},
    {"lipiec", 7},
    {"lipca", 7},
    {"sierpie\u0144", 8},
    {"sierpnia", 8},
    {"wrzesie\u0144", 9},
    {"wrze\u015bnia", 9},
    {"pa\u017adziernik", 10},
    {"pa\u017adziernika", 10},
    {"listopad", 11},
    {"listopada", 11},
    {"grudzie\u0144", 12},
    {"grudnia", 12},
    // Russian and Ukrainian genitives, as dates write them ("15 августа 2016").
    {"\u044f\u043d\u0432\u0430\u0440\u044f", 1},
    {"\u0444\u0435\u0432\u0440\u0430\u043b\u044f", 2},
    {"\u043c\u0430\u0440\u0442\u0430", 3},
    {"\u0430\u043f\u0440\u0435\u043b\u044f", 4},
    {"\u043c\u0430\u044f", 5},
    {"\u0438\u044e\u043d\u044f", 6},
    {"\u0438\u044e\u043b\u044f", 7},
    {"\u0430\u0432\u0433\u0443\u0441\u0442\u0430", 8},
    {"\u0441\u0435\u043d\u0442\u044f\u0431\u0440\u044f", 9},
    {"\u043e\u043a\u0442\u044f\u0431\u0440\u044f", 10},
    {"\u043d\u043e\u044f\u0431\u0440\u044f", 11},
    {"\u0434\u0435\u043a\u0430\u0431\u0440\u044f", 12},
    {"\u0441\u0456\u0447\u043d\u044f", 1},
    {"\u043b\u044e\u0442\u043e\u0433\u043e", 2},
    {"\u0431\u0435\u0440\u0435\u0437\u043d\u044f", 3},
    {"\u043a\u0432\u0456\u0442\u043d\u044f", 4},
    {"\u0442\u0440\u0430\u0432\u043d\u044f", 5},
    {"\u0447\u0435\u0440\u0432\u043d\u044f", 6},
    {"\u043b\u0438\u043f\u043d\u044f", 7},
    {"\u0441\u0435\u0440\u043f\u043d\u044f", 8},
    {"\u0432\u0435\u0440\u0435\u0441\u043d\u044f", 9},
    {"\u0436\u043e\u0432\u0442\u043d\u044f", 10},
    {"\u043b\u0438\u0441\u0442\u043e\u043f\u0430\u0434\u0430", 11},
    {"\u0433\u0440\u0443\u0434\u043d\u044f", 12},
};

// Lower-cases ASCII and the capitals of the Latin-1 letters month names use
// (U+00C0-U+00DE are U+00E0-U+00FE); a word longer than any month is empty.
struct MonthWord {
  char buf[32];
  std::size_t len = 0;
  explicit MonthWord(std::string_view w) {
    if (w.size() > sizeof(buf)) return;
    for (std::size_t k = 0; k < w.size(); ++k) {
      char c = w[k];
      if (static_cast<unsigned char>(c) == 0xC3 && k + 1 < w.size()) {
        auto n = static_cast<unsigned char>(w[k + 1]);
        if (n >= 0x80 && n <= 0x9E && n != 0x97) {
          buf[len++] = c;
          buf[len++] = static_cast<char>(n + 0x20);
          ++k;
          continue;
        }
      }
      buf[len++] = ascii_lower(c);
    }
  }
};

int text_month(std::string_view word) {
  if (word.size() < 3) return 0;
  const MonthWord w(word);
  if (w.len == 0) return 0;
  const std::string_view v{w.buf, w.len};
  for (const auto& m : kTextMonths)
    if (m.name.size() == v.size() && m.name[0] == v[0] && m.name == v) return m.month;
  return 0;
}

// Non-ASCII code points that are spaces or punctuation, not letters:
// U+0080-U+00BF (no-break space, guillemets, ...) and U+2000-U+206F (dashes,
// quotes, thin spaces, bullets).
bool punct_code_point(std::string_view s, std::size_t at) {
  auto b = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  if (b(at) == 0xC2) return true;
  return b(at) == 0xE2 && (b(at + 1) == 0x80 || b(at + 1) == 0x81);
}

// A letter (ASCII, or a non-ASCII letter) starts at s[i].
bool letter_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return false;
  if (is_alpha(s[i])) return true;
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return false;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;  // the code point's lead byte
  return !punct_code_point(s, i);
}

// The code point that ends just before s[i] is a letter.
bool letter_before(std::string_view s, std::size_t i) { return i > 0 && letter_at(s, i - 1); }

// One past the last byte of the word that starts at s[i].
std::size_t word_end(std::string_view s, std::size_t i) {
  while (i < s.size() && letter_at(s, i)) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) {
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    } else {
      ++i;
    }
  }
  return i;
}

// A month word at s[i]: its month, and i moved past it (and an abbreviation's dot).
int text_month_at(std::string_view s, std::size_t& i) {
  if (!letter_at(s, i) || letter_before(s, i)) return 0;
  std::size_t j = word_end(s, i);
  if (j - i > 24) return 0;
  int m = text_month(s.substr(i, j - i));
  if (m == 0) return 0;
  if (j < s.size() && s[j] == '.') ++j;
  i = j;
  return m;
}

std::size_t digit_run(std::string_view s, std::size_t i) {
  std::size_t n = 0;
  while (i + n < s.size() && is_digit(s[i + n]) && n < 9) ++n;
  return n;
}

// Spaces, no-break spaces and (optionally) one of `punct` between date parts.
void skip_gap(std::string_view s, std::size_t& i, std::string_view punct = "") {
  bool took_punct = false;
  for (;;) {
    if (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
      ++i;
    } else if (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
               static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      i += 2;
    } else if (!took_punct && i < s.size() && punct.find(s[i]) != std::string_view::npos) {
      ++i;
      took_punct = true;
    } else {
      return;
    }
  }
}

// "de" / "of" / "del" between day, month and year (es, pt, en).
void skip_connector(std::string_view s, std::size_t& i) {
  for (std::string_view w : {"de ", "of ", "del "}) {
    if (i + w.size() <= s.size() && ascii_iequals(s.substr(i, w.size()), w)) {
      i += w.size();
      skip_gap(s, i);
      return;
    }
  }
}

// Four-digit year at s[i], not followed by a digit; 0 when absent.
int text_year_at(std::string_view s, std::size_t& i) {
  if (digit_run(s, i) != 4) return 0;
  int y = to_int(s.substr(i, 4));
  i += 4;
  return y;
}

struct RawDate {
  int y = 0, m = 0, d = 0;
  std::size_t begin = 0, end = 0;
  char slash = 0;  // '/': the order is settled later
  std::optional<LocalDate> timed;
};

// A numeric or named date starting at s[i] (a digit).
std::optional<RawDate> text_date_digit(std::string_view s, std::size_t i, const TextDateOptions& o) {
  const std::size_t n = digit_run(s, i);
  RawDate r;
  r.begin = i;
  if (n == 4) {
    // 2021-10-18, 2021/10/18, 2021.10.18.
    char sep = i + 4 < s.size() ? s[i + 4] : '\0';
    if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
    std::size_t j = i + 5;
    std::size_t mn = digit_run(s, j);
    if (mn < 1 || mn > 2 || j + mn >= s.size() || s[j + mn] != sep) return std::nullopt;
    std::size_t k = j + mn + 1;
    std::size_t dn = digit_run(s, k);
    if (dn < 1 || dn > 2) return std::nullopt;
    r.y = to_int(s.substr(i, 4)), r.m = to_int(s.substr(j, mn)), r.d = to_int(s.substr(k, dn));
    r.end = k + dn;
    if (r.end < s.size() && (is_alpha(s[r.end]) && s[r.end] != 'T')) return std::nullopt;
    // "2021-10-18T09:30:00+02:00": keep the zone the writer gave.
    if (sep == '-' && mn == 2 && dn == 2 && r.end < s.size() && s[r.end] == 'T') {
      std::size_t e = r.end + 1;
      while (e < s.size() && e < r.end + 32 &&
             (is_digit(s[e]) || s[e] == ':' || s[e] == '.' || s[e] == '+' || s[e] == '-' || s[e] == 'Z'))
        ++e;
      for (std::size_t e2 = e; e2 > r.end + 3; --e2) {
        std::optional<int> off;
        if (auto full = iso_full(s.substr(i, e2 - i), &off); full && off) {
          r.timed = LocalDate{*full, off};
          r.end = e2;
          break;
        }
      }
    }
    return r;
  }
  if (n < 1 || n > 2) return std::nullopt;
  const int first = to_int(s.substr(i, n));
  std::size_t j = i + n;
  // 18.10.2021, 18-10-2021, 18/10/2021 (and 10/18/2021).
  if (j < s.size() && (s[j] == '.' || s[j] == '-' || s[j] == '/')) {
    const char sep = s[j];
    std::size_t k = j + 1;
    std::size_t mn = digit_run(s, k);
    if (mn >= 1 && mn <= 2 && k + mn < s.size() && s[k + mn] == sep) {
      std::size_t yk = k + mn + 1;
      std::size_t yn = digit_run(s, yk);
      int second = to_int(s.substr(k, mn));
      if (yn == 4) {
        r.y = to_int(s.substr(yk, 4));
      } else if (yn == 2 && sep == '.' && o.two_digit_years) {
        r.y = 2000 + to_int(s.substr(yk, 2));
      } else {
        return std::nullopt;
      }
      r.end = yk + yn;
      if (r.end < s.size() &&
          (is_alpha(s[r.end]) || (s[r.end] == sep && r.end + 1 < s.size() && is_digit(s[r.end + 1]))))
        return std::nullopt;
      r.d = first, r.m = second;
      if (sep == '/') r.slash = '/';
      return r;
    }
  }
  // 18. Oktober 2021, 18 octobre 2021, 1er mars 2020, 3rd March 2020,
  // 3 de marzo de 2020, 18 Oct. 2021.
  if (j < s.size() && s[j] == '.') ++j;
  if (j + 1 < s.size()) {
    std::string_view two = s.substr(j, 2);
    if (ascii_iequals(two, "st") || ascii_iequals(two, "nd") || ascii_iequals(two, "rd") || ascii_iequals(two, "th") ||
        ascii_iequals(two, "er"))
      if (j + 2 >= s.size() || !letter_at(s, j + 2)) j += 2;
  }
  if (j < s.size() && letter_at(s, j)) return std::nullopt;
  skip_gap(s, j);
  skip_connector(s, j);
  int month = text_month_at(s, j);
  if (month == 0) return std::nullopt;
  std::size_t k = j;
  skip_gap(s, k, ",");
  skip_connector(s, k);
  int year = text_year_at(s, k);
  if (year == 0) return std::nullopt;
  r.y = year, r.m = month, r.d = first, r.end = k;
  return r;
}

// "October 18, 2021", "Oktober 18 2021", "Oct. 18th, 2021" at a word.
std::optional<RawDate> text_date_word(std::string_view s, std::size_t i) {
  std::size_t j = i;
  int month = text_month_at(s, j);
  if (month == 0) return std::nullopt;
  skip_gap(s, j);
  std::size_t n = digit_run(s, j);
  if (n < 1 || n > 2) return std::nullopt;
  int day = to_int(s.substr(j, n));
  j += n;
  if (j + 1 < s.size()) {
    std::string_view two = s.substr(j, 2);
    if (ascii_iequals(two, "st") || ascii_iequals(two, "nd") || ascii_iequals(two, "rd") || ascii_iequals(two, "th"))
      if (j + 2 >= s.size() || !letter_at(s, j + 2)) j += 2;
  }
  if (j < s.size() && (letter_at(s, j) || s[j] == ':' || s[j] == '.')) return std::nullopt;
  skip_gap(s, j, ",");
  int year = text_year_at(s, j);
  if (year == 0) return std::nullopt;
  RawDate r;
  r.y = year, r.m = month, r.d = day, r.begin = i, r.end = j;
  return r;
}

}  // namespace

std::optional<DayOrder> settled_slash_order(std::string_view text) {
  bool day_first = false, month_first = false;
  TextDateOptions o;
  for (std::size_t i = text.find('/'); i != std::string_view::npos && i < text.size(); i = text.find('/', i + 1)) {
    // Back to the start of the number before the slash.
    std::size_t b = i;
    while (b > 0 && is_digit(text[b - 1]) && i - b < 2) --b;
    if (b == i || (b > 0 && (is_digit(text[b - 1]) || text[b - 1] == '/'))) continue;
    auto r = text_date_digit(text, b, o);
    if (!r || !r->slash) continue;
    if (r->d > 12 && r->m <= 12) day_first = true;
    if (r->m > 12 && r->d <= 12) month_first = true;
    i = r->end;
  }
  if (day_first == month_first) return std::nullopt;
  return day_first ? DayOrder::kDayFirst : DayOrder::kMonthFirst;
}

std::vector<TextDate> find_text_dates(std::string_view text, const TextDateOptions& options) {
  std::vector<RawDate> raw;
  bool day_first_seen = false, month_first_seen = false;
  for (std::size_t i = 0; i < text.size() && raw.size() < options.max_dates;) {
    const char ch = text[i];
    std::optional<RawDate> r;
    if (is_digit(ch)) {
      if (i == 0 || !(is_digit(text[i - 1]) || is_alpha(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == '/' ||
                      text[i - 1] == '-' || text[i - 1] == ':' || text[i - 1] == '_'))
        r = text_date_digit(text, i, options);
      if (!r) {
        while (i < text.size() && is_digit(text[i])) ++i;
        continue;
      }
    } else if (letter_at(text, i)) {
      if (!letter_before(text, i)) r = text_date_word(text, i);
      if (!r) {
        i = std::max(word_end(text, i), i + 1);
        continue;
      }
    } else {
      ++i;
      continue;
    }
    if (r->slash) {
      if (r->d > 12 && r->m <= 12) day_first_seen = true;
      if (r->m > 12 && r->d <= 12) month_first_seen = true;
    }
    i = r->end;
    raw.push_back(*r);
  }
  DayOrder order = options.slash_order;
  if (day_first_seen != month_first_seen) order = day_first_seen ? DayOrder::kDayFirst : DayOrder::kMonthFirst;
  std::vector<TextDate> out;
  for (RawDate& r : raw) {
    if (r.slash && (order == DayOrder::kMonthFirst ? r.d <= 12 : r.m > 12)) std::swap(r.d, r.m);
    if (r.y < options.min_year || r.y > options.max_year) continue;
    if (r.timed) {
      out.push_back(TextDate{*r.timed, r.begin, r.end});
      continue;
    }
    Fields f;
    f.year = r.y, f.month = r.m, f.day = r.d;
    if (r.m < 1 || r.m > 12 || r.d < 1) continue;
    if (auto d = build(f)) out.push_back(TextDate{LocalDate{*d, std::nullopt}, r.begin, r.end});
  }
  return out;
}

}  // namespace banwatch::dates
