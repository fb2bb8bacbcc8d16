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
  // "Now" for the page: a publication date more than a day after it is not
  // taken (a wrong clock, a typo, an event date). The caller passes its clock
  // (the fetch time); unset, no date is too late.
  std::optional<Timestamp> reference;
};

struct Article {
  std::string url;
  std::string canonical_url;
  std::string title;
  std::string text;                      // paragraphs separated by "\n\n"; NFC; no markup
  std::optional<PreciseTime> published;  // UTC, at the precision the page gave
  // The UTC offset the page wrote with `published` (minutes east), if any:
  // the publisher's calendar day is published + offset (dates::local_day).
  std::optional<int> published_offset_minutes;
  // Where `published` came from, best founded first: "url", "json-ld",
  // "meta:<name>" (e.g. "meta:article:published_time"), "microdata",
  // "time-pubdate", "microformat", "byline" (date markup and labels such as
  // "Published 3 March 2020"), "time", "script" (a publication key in
  // an inline script's JSON), "modified:<source>" (only a
  // modification date was found), "title", "description", "headline-text"
  // (the first day near the headline), "text" (the day the body writes most).
  // Empty when there is no date.
  std::string published_source;
  std::optional<PreciseTime> modified;
  std::vector<std::string> authors;
  std::string site_name;
  std::string language;  // BCP 47 primary tag, e.g. "en"
  std::string description;
  bool body_partial = false;  // paywall / script-rendered: body incomplete
  std::vector<std::string> warnings;
};

// True when a `published_source` is a date the publisher states for machines
// (the URL, JSON-LD, meta tags, microdata, <time pubdate>, microformats), as
// opposed to one read from visible text or only a modification date.
bool published_source_is_structured(std::string_view source);

// Errors: kBudgetExceeded, kParse (empty input, not HTML). A page with no
// extractable body still succeeds (empty text, a warning).
Result<Article> extract(std::string_view html, const Options& options);

}  // namespace banwatch::article
