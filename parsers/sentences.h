// A sentence splitter for news English, shared by the article extractor and the
// rule engine. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace banwatch::text {

struct Sentence {
  std::size_t begin = 0, end = 0;  // byte span in the input
  std::size_t paragraph = 0;       // index of the paragraph ("\n\n"-separated)
  bool item = false;               // the sentence opens a list item: a bullet comes before it on its line
  std::string_view view(std::string_view input) const { return input.substr(begin, end - begin); }
};

// Splits on sentence ends, never inside abbreviations (U.S., Inc., Mr., Jan.,
// No., initials "J. D."), decimal numbers, or quotes that continue the sentence;
// a paragraph break always ends a sentence; a list-style lead date ("March 25,
// 2022: ...") stays with its sentence. Leading/trailing whitespace is excluded.
std::vector<Sentence> split_sentences(std::string_view text);

}  // namespace banwatch::text
