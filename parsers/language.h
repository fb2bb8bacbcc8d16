// Language of a text by its function words: a pure, bounded guess among the
// languages the rule pack has lexicons for (en, de, fr, it, es, pl).
#pragma once

#include <string>
#include <string_view>

namespace banwatch::language {

// The ISO 639-1 code of the language `text` is most likely written in, read
// from at most its first `budget` bytes: each language's most frequent
// function words (and the letters only one of them writes) are counted and the
// language with the most wins. English
// when no word is recognised or on a tie with English.
std::string detect(std::string_view text, std::size_t budget = 4096);

// The ISO 639-1 code in a declared language ("de-DE", "fr_FR", "DE",
// "pl-PL"): its first two letters in lower case; "" when it has none.
std::string normalize(std::string_view declared);

}  // namespace banwatch::language
