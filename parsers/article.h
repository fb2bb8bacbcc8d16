// Main text and metadata from a news page (Gumbo). Pure: bytes in, values out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"

namespace banwatch::article {

struct Options {
  std::string url;           // the page's URL, for resolving relative links and URL dates
  std::string http_charset;  // Content-Type charset from HTTP; overrides <meta charset>
  std::string http_content_language;
  std::size_t max_bytes = 16u << 20;  // larger input: kBudgetExceeded
  std::size_t max_nodes = 2'000'000;  // larger DOM: kBudgetExceeded
};

struct Article {
  std::string url;
  std::string canonical_url;
  std::string title;
  std::string text;  // paragraphs separated by "\n\n"; NFC; no markup
  std::optional<PreciseTime> published;
  std::optional<PreciseTime> modified;
  std::vector<std::string> authors;
  std::string site_name;
  std::string language;  // BCP 47 primary tag, e.g. "en"
  std::string description;
  bool body_partial = false;  // paywall / script-rendered: body incomplete
  std::vector<std::string> warnings;
};

// Errors: kBudgetExceeded, kParse (empty input, not HTML). A page with no
// extractable body still succeeds (empty text, a warning).
Result<Article> extract(std::string_view html, const Options& options);

}  // namespace banwatch::article
