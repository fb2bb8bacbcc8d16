// Sentence splitting for news English. A byte scanner: one pass, no regex, no
// allocation beyond the result. Decisions are local: a terminator ('.', '!',
// '?', '…') ends a sentence when it is followed by optional closing quotes or
// brackets, whitespace, and something that can start a sentence, and when the
// word it closes is not an abbreviation that continues the sentence.
#include "parsers/sentences.h"

#include "common/text.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace banwatch::text {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return is_upper(c) || is_lower(c); }

// Abbreviations after which a period never ends the sentence (titles, months
// and the like are always followed by more of the same sentence; Spanish
// "EE. UU.").
constexpr std::array<std::string_view, 53> kNeverEnd = {
    "mr",     "mrs",  "ms",  "dr",  "prof", "sen", "rep", "gov",  "gen", "col", "lt",   "sgt", "capt", "cmdr",
    "adm",    "maj",  "st",  "hon", "pres", "rev", "jan", "feb",  "mar", "apr", "jun",  "jul", "aug",  "sep",
    "sept",   "oct",  "nov", "dec", "no",   "nos", "fig", "figs", "vol", "pp",  "para", "art", "sec",  "ch",
    "approx", "dept", "est", "ave", "blvd", "mt",  "ft",  "vs",   "v",   "cf",  "ee"};

// Abbreviations that usually continue the sentence but may end it ("...a deal
// with Huawei Technologies Co. The deal..."): they end it only when the next
// word is a typical sentence opener.
// "r." (Polish "rok": "w 2020 r.") likewise.
constexpr std::array<std::string_view, 15> kMayEnd = {"inc", "corp", "co", "ltd",  "llc", "plc", "bros", "jr",
                                                      "sr",  "etc",  "al", "gmbh", "ag",  "bhd", "r"};

// Month names after a German ordinal day ("am 15. März"): the period is the
// ordinal's, not the sentence's.
constexpr std::array<std::string_view, 13> kOrdinalMonths = {"januar",  "jänner",   "februar", "märz",   "april",
                                                             "mai",     "juni",     "juli",    "august", "september",
                                                             "oktober", "november", "dezember"};

// Words that typically open a sentence; used to decide after ambiguous
// abbreviations and dotted acronyms ("U.S.").
constexpr std::array<std::string_view, 44> kOpeners = {
    "the",       "a",     "an",   "it",   "its",   "this",    "that",  "these", "those", "he",        "she",
    "they",      "we",    "i",    "in",   "on",    "at",      "for",   "but",   "and",   "also",      "however",
    "meanwhile", "still", "now",  "then", "last",  "earlier", "later", "some",  "many",  "several",   "after",
    "before",    "while", "when", "if",   "there", "his",     "her",   "their", "our",   "according", "separately"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Bytes the scanner must look at; inside a sentence every other byte is
// plain content.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> special{};
  for (unsigned char c : {'\n', ' ', '\t', '\r', '\f', '\v', '.', '!', '?', '\xE2'}) special[c] = true;
  return special;
}();

bool is_closing(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }

// Length of a UTF-8 closing quote (’ ” ») at `i`, or 0.
std::size_t utf8_closing_at(std::string_view t, std::size_t i) {
  if (i + 2 < t.size()) {
    auto b0 = static_cast<unsigned char>(t[i]), b1 = static_cast<unsigned char>(t[i + 1]),
         b2 = static_cast<unsigned char>(t[i + 2]);
    if (b0 == 0xE2 && b1 == 0x80 && (b2 == 0x99 || b2 == 0x9D)) return 3;  // ’ ”
  }
  if (i + 1 < t.size() && static_cast<unsigned char>(t[i]) == 0xC2 && static_cast<unsigned char>(t[i + 1]) == 0xBB)
    return 2;  // »
  return 0;
}

// Length of a list bullet at `i` ("•", "·", "-", "*", "–", "—"), or 0.
std::size_t bullet_at(std::string_view t, std::size_t i) {
  if (i >= t.size()) return 0;
  char c = t[i];
  if ((c == '-' || c == '*') && i + 1 < t.size() && (t[i + 1] == ' ' || t[i + 1] == '\t')) return 1;
  if (i + 2 < t.size()) {
    auto b0 = static_cast<unsigned char>(t[i]), b1 = static_cast<unsigned char>(t[i + 1]),
         b2 = static_cast<unsigned char>(t[i + 2]);
    if (b0 == 0xE2 && b1 == 0x80 && (b2 == 0xA2 || b2 == 0x93 || b2 == 0x94)) return 3;  // • – —
    if (b0 == 0xE2 && b1 == 0x96 && (b2 == 0xAA || b2 == 0xB8)) return 3;                // ▪ ▸
  }
  if (i + 1 < t.size() && static_cast<unsigned char>(t[i]) == 0xC2 && static_cast<unsigned char>(t[i + 1]) == 0xB7)
    return 2;  // ·
  return 0;
}

// The word (letters and inner periods) ending just before position `dot`.
std::string_view word_before(std::string_view t, std::size_t dot) {
  std::size_t b = dot;
  while (b > 0 && (is_alpha(t[b - 1]) || t[b - 1] == '.' || is_digit(t[b - 1]))) --b;
  return t.substr(b, dot - b);
}

// The next word starting at `i` (letters only), lower-cased.
std::string next_word(std::string_view t, std::size_t i) {
  std::size_t e = i;
  while (e < t.size() && is_alpha(t[e])) ++e;
  return ascii_lower(t.substr(i, e - i));
}

bool can_start_sentence(std::string_view t, std::size_t i) {
  if (i >= t.size()) return true;
  char c = t[i];
  if (is_upper(c) || is_digit(c)) return true;
  if (c == '"' || c == '\'' || c == '(' || c == '[') return true;
  if (static_cast<unsigned char>(c) >= 0x80) return true;  // non-ASCII letter, quote, bullet
  return false;
}

// Whether the period at `dot` (followed by whitespace and a possible
// sentence start at `next`) ends a sentence.
bool period_ends(std::string_view t, std::size_t dot, std::size_t next) {
  std::string_view word = word_before(t, dot);
  if (word.empty()) return true;  // "...)." or '".'
  std::string w = ascii_lower(word);
  if (w.find('.') != std::string::npos) {
    // Dotted acronym (U.S., e.g., a.m.): ends only before a typical opener.
    return contains(kOpeners, next_word(t, next));
  }
  if (word.size() == 1 && is_upper(word[0])) return false;  // an initial: "J. D. Vance"
  if (word.size() <= 2 && std::all_of(word.begin(), word.end(), is_digit)) {
    std::size_t e = next;  // the next word, with its non-ASCII letters ("März")
    while (e < t.size() && (is_alpha(t[e]) || static_cast<unsigned char>(t[e]) >= 0x80)) ++e;
    if (contains(kOrdinalMonths, ascii_lower(t.substr(next, e - next)))) return false;
  }
  if (contains(kNeverEnd, w)) return false;
  if (contains(kMayEnd, w)) return contains(kOpeners, next_word(t, next));
  return true;
}

}  // namespace

std::vector<Sentence> split_sentences(std::string_view t) {
  std::vector<Sentence> out;
  std::size_t paragraph = 0;
  std::size_t start = std::string_view::npos;  // start of the current sentence
  std::size_t last_content = 0;                // one past the last non-space byte
  bool item = false;                           // a bullet opened the current sentence

  auto emit = [&](std::size_t end) {
    if (start != std::string_view::npos && end > start) out.push_back(Sentence{start, end, paragraph, item});
    start = std::string_view::npos;
    item = false;
  };

  std::size_t i = 0;
  const std::size_t n = t.size();
  while (i < n) {
    if (start != std::string_view::npos && !kSpecial[static_cast<unsigned char>(t[i])]) {
      do {
        ++i;
      } while (i < n && !kSpecial[static_cast<unsigned char>(t[i])]);
      last_content = i;
      continue;
    }
    char c = t[i];
    if (c == '\n') {
      // Blank line: paragraph break. A line starting with a bullet: a new
      // sentence in the same paragraph (list items).
      std::size_t j = i + 1;
      bool blank = false;
      while (j < n && is_ascii_space(t[j])) {
        if (t[j] == '\n') blank = true;
        ++j;
      }
      if (blank) {
        emit(last_content);
        if (!out.empty() && out.back().paragraph == paragraph) ++paragraph;
      } else if (bullet_at(t, j) > 0) {
        emit(last_content);
      }
      i = j;
      continue;
    }
    if (is_ascii_space(c)) {
      ++i;
      continue;
    }
    if (start == std::string_view::npos) {
      // Skip a leading bullet and the spaces after it.
      if (std::size_t b = bullet_at(t, i); b > 0) {
        i += b;
        item = true;
        continue;
      }
      start = i;
    }
    bool terminator = c == '.' || c == '!' || c == '?';
    std::size_t term_len = 1;
    if (!terminator && i + 2 < n && static_cast<unsigned char>(c) == 0xE2 &&
        static_cast<unsigned char>(t[i + 1]) == 0x80 && static_cast<unsigned char>(t[i + 2]) == 0xA6) {
      terminator = true;  // …
      term_len = 3;
    }
    if (!terminator) {
      ++i;
      last_content = i;
      continue;
    }
    // Swallow repeated terminators ("?!", "...") and closing quotes/brackets.
    std::size_t j = i + term_len;
    while (j < n && (t[j] == '.' || t[j] == '!' || t[j] == '?')) ++j;
    while (j < n) {
      if (is_closing(t[j])) {
        ++j;
      } else if (std::size_t q = utf8_closing_at(t, j); q > 0) {
        j += q;
      } else {
        break;
      }
    }
    last_content = j;
    if (j < n && !is_ascii_space(t[j])) {  // "3.5", "U.S.-made", "example.com"
      i = j;
      continue;
    }
    std::size_t k = j;
    while (k < n && is_ascii_space(t[k]) && t[k] != '\n') ++k;
    bool at_end = k >= n || t[k] == '\n';
    bool ends = at_end || can_start_sentence(t, k);
    if (ends && c == '.' && j == i + 1 && !at_end) ends = period_ends(t, i, k);
    if (ends) emit(j);
    i = j;
  }
  emit(last_content);
  return out;
}

}  // namespace banwatch::text
