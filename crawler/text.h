// The crawl pipeline's text functions. Both live in common/ (html_text.h,
// text.h); this header names them as the pipeline uses them.
#pragma once

#include <string>
#include <string_view>

#include "common/html_text.h"
#include "common/text.h"

namespace banwatch::crawler {

// Feed summaries and content are HTML fragments: their text, block elements
// becoming paragraph breaks ("\n\n"), as html_to_text() reads them.
inline std::string html_fragment_to_text(std::string_view html) { return html_to_text(html, HtmlBreaks::kParagraphs); }

// Lower-case hex SHA-256.
using banwatch::sha256_hex;

}  // namespace banwatch::crawler
