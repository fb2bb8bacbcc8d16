// OPML 1.0/2.0 subscription lists: reading them into feed entries with tags
// (the titles of the folders that enclose each feed, plus its category
// attribute) and writing sources back out. Pure: bytes in, values out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace banwatch::feeds {

struct OpmlFeed {
  std::string title;              // text, else title attribute, else the URL
  std::string xml_url;            // the feed
  std::string html_url;           // the site, when given
  std::vector<std::string> tags;  // enclosing folders outermost first, then categories
};

struct OpmlDocument {
  std::string title;                  // <head><title>
  std::vector<OpmlFeed> feeds;        // in document order
  std::vector<std::string> warnings;  // recovered XML errors, outlines skipped
};

struct OpmlOptions {
  std::size_t max_bytes = 16u << 20;
  std::size_t max_outlines = 100'000;
  std::size_t max_depth = 64;
};

// Errors: kParse when the input is not OPML (naming the root element found),
// kBudgetExceeded for bytes, outlines or nesting depth.
Result<OpmlDocument> parse_opml(std::string_view bytes, const OpmlOptions& options = {});

// An OPML 2.0 document: feeds grouped into folder outlines by their first tag,
// every tag also listed in the category attribute so that import(export(x))
// gives back the same tags.
std::string write_opml(std::string_view title, const std::vector<OpmlFeed>& feeds);

}  // namespace banwatch::feeds
