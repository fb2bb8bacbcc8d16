#include "parsers/language.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <unordered_map>

#include "common/text.h"

namespace banwatch::language {
namespace {

struct Language {
  const char* code;
  std::array<const char*, 28> words;  // lower case, most frequent first; nullptr ends early
};

// Function words that are frequent in one language and rare in the others
// (words shared by two languages, such as "de", "la", "a", "in", are left out).
constexpr Language kLanguages[] = {
    {"en", {"the",  "and", "of",   "to",  "is",    "was",  "that", "for", "with", "on",   "its",  "by",
            "from", "has", "have", "are", "which", "said", "will", "it",  "this", "were", "been", "their"}},
    {"de", {"der", "die", "das",  "und", "nicht", "ist",   "von",    "mit", "den", "dem", "des",  "sich",
            "auf", "für", "eine", "ein", "auch",  "wurde", "werden", "zu",  "im",  "bei", "nach", "dass"}},
    {"fr", {"le",  "les", "des", "est", "une", "du",  "et",  "dans",  "pour", "que",  "qui", "sur",
            "par", "au",  "aux", "pas", "ont", "été", "ses", "cette", "avec", "sont", "il",  "elle"}},
    {"it", {"il", "della", "che",   "di",     "per", "del",   "non",   "sono",  "gli", "delle", "dei", "nel", "alla",
            "ha", "è",     "anche", "questo", "dal", "degli", "sulla", "stato", "più", "alle",  "ai",  "ma"}},
    {"es", {"el", "los",  "las", "del", "que", "por", "para", "una",  "con",   "es",    "se",      "su",
            "al", "como", "sus", "más", "ha",  "fue", "este", "esta", "sobre", "entre", "también", "pero"}},
    {"pl", {"nie", "się", "na", "jest", "że",   "do",    "już",    "przez", "oraz", "jak", "od",  "w",
            "z",   "za",  "po", "dla",  "jego", "które", "został", "była",  "było", "ich", "też", "tym"}},
};

bool letter(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

// Letters (UTF-8) that only one of the languages writes: a weaker signal than
// a function word, for short texts ("Komisja wszczęła postępowanie").
struct Letter {
  const char* utf8;
  std::size_t language;  // index into kLanguages
};
constexpr Letter kLetters[] = {
    {"\xC3\xA4", 1}, {"\xC3\xB6", 1}, {"\xC3\xBC", 1}, {"\xC3\x9F", 1},                   // ä ö ü ß
    {"\xC3\xA7", 2}, {"\xC3\xAA", 2}, {"\xC3\xA2", 2}, {"\xC5\x93", 2},                   // ç ê â œ
    {"\xC3\xB2", 3}, {"\xC3\xAC", 3},                                                     // ò ì
    {"\xC3\xB1", 4}, {"\xC2\xBF", 4}, {"\xC2\xA1", 4},                                    // ñ ¿ ¡
    {"\xC4\x85", 5}, {"\xC4\x99", 5}, {"\xC5\x82", 5}, {"\xC5\x9B", 5}, {"\xC5\xBC", 5},  // ą ę ł ś ż
    {"\xC5\xBA", 5}, {"\xC4\x87", 5}, {"\xC5\x84", 5},                                    // ź ć ń
};

// The languages each function word belongs to (a bit per language), built once.
const std::unordered_map<std::string, unsigned>& word_languages() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string, unsigned>();
    for (std::size_t l = 0; l < std::size(kLanguages); ++l)
      for (const char* w : kLanguages[l].words)
        if (w) (*t)[w] |= 1u << l;
    return t;
  }();
  return *table;
}

}  // namespace

std::string detect(std::string_view text, std::size_t budget) {
  text = text.substr(0, std::min(text.size(), budget));
  std::array<int, std::size(kLanguages)> score{};
  const auto& table = word_languages();
  std::string word;
  auto count = [&]() {
    if (word.empty() || word.size() > 8) return;
    const auto it = table.find(word);
    if (it == table.end()) return;
    for (std::size_t l = 0; l < std::size(kLanguages); ++l)
      if (it->second & (1u << l)) ++score[l];
  };
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (letter(c)) {
      word.push_back(ascii_lower(static_cast<char>(c)));
    } else {
      count();
      word.clear();
    }
  }
  // A function word counts two, a letter of one language one.
  for (auto& v : score) v *= 2;
  for (const auto& l : kLetters)
    for (std::size_t at = text.find(l.utf8); at != std::string_view::npos; at = text.find(l.utf8, at + 2))
      ++score[l.language];
  std::size_t best = 0;  // English on a tie
  for (std::size_t l = 1; l < score.size(); ++l)
    if (score[l] > score[best]) best = l;
  return kLanguages[best].code;
}

std::string normalize(std::string_view declared) {
  if (declared.size() < 2 || !std::isalpha(static_cast<unsigned char>(declared[0])) ||
      !std::isalpha(static_cast<unsigned char>(declared[1])))
    return "";
  if (declared.size() > 2 && std::isalpha(static_cast<unsigned char>(declared[2]))) return "";
  std::string out;
  return ascii_lower(declared.substr(0, 2));
}

}  // namespace banwatch::language
