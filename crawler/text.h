// Small text helpers of the crawl pipeline (internal to crawler/).
#pragma once

#include <string>
#include <string_view>

namespace banwatch::crawler {

// Feed summaries and content are HTML fragments: tags removed, block elements
// become paragraph breaks ("\n\n"), script/style dropped, character references
// decoded, runs of white space collapsed. Iterative, linear, never throws.
std::string html_fragment_to_text(std::string_view html);

// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

}  // namespace banwatch::crawler
