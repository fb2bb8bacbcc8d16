// Plain text out of the HTML fragments feeds carry (titles, summaries,
// content), without a DOM: the one stripper both the feed reader and the crawl
// pipeline use. Character references decode through libxml2's HTML entity
// table. Iterative, linear in the input, never throws. Whole pages go through
// the article extractor (parsers/), not here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace banwatch {

// What block-level elements (p, br, div, li, h1-h6, blockquote, ...) become.
enum class HtmlBreaks {
  kSpace,       // one line: a space, as titles want
  kParagraphs,  // "\n\n" between paragraphs, as article text wants
};

// The text of an HTML fragment:
// - tags are dropped; block-level elements (and td/th) separate words, inline
//   ones do not ("<b>B</b>an" is "Ban"); comments, <!DOCTYPE>, <?...?> and the
//   contents of <script> and <style> go; a CDATA section's text stays as is;
// - character references are decoded (numeric ones, and the HTML 4 names plus
//   &apos;); an unknown name ("&unknown;") or a lone '&' stays as written;
// - runs of white space (ASCII, and U+00A0 no-break space) collapse to one
//   space; with kParagraphs, a block element or a blank line in the source
//   makes a paragraph break, written "\n\n"; no white space at either end.
std::string html_to_text(std::string_view html, HtmlBreaks breaks = HtmlBreaks::kSpace);

// Decodes the character reference at text[i] == '&' ("&amp;", "&#233;",
// "&#xE9;"; the ';' may be missing after a number). On success appends the
// character as UTF-8 (U+FFFD for U+0000, surrogates and values past
// U+10FFFF), moves `i` past the reference and returns true; otherwise leaves
// both alone and returns false.
bool decode_html_reference(std::string_view text, std::size_t& i, std::string& out);

}  // namespace banwatch
