// Feeds and sitemaps parsed into one normalized model. Pure: bytes in, values
// out; no network, no clock, no globals. parse() sits beside the network path
// so tests feed fixture files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"

namespace banwatch::feeds {

enum class Format {
  kRss090,
  kRss091,
  kRss092,
  kRss20,
  kRss10 /* RDF */,
  kAtom03,
  kAtom10,
  kJsonFeed10,
  kJsonFeed11,
  kSitemap,
  kSitemapIndex,
  kNewsSitemap,
  kRss091Netscape /* with Netscape's DTD */,
  kRss093,
  kRss094,
  kRssUnversioned /* <rss> without a version attribute */,
};
std::string_view to_string(Format f) noexcept;  // "rss20", "atom10", "sitemap", …

struct Options {
  std::string base_url;      // the feed's URL: base for relative links
  std::string http_charset;  // charset from the HTTP Content-Type, if any
  std::string http_content_type;
  std::size_t max_bytes = 64u << 20;
  std::size_t max_items = 100'000;
  std::size_t max_depth = 256;
};

struct Enclosure {
  std::string url, type;
  std::int64_t length = 0;
};

struct Author {
  std::string name, email, uri;
};

struct Item {
  std::string id;       // guid/id, else canonical link, else hash of title+date
  std::string url;      // resolved against xml:base and the feed URL
  std::string title;    // plain text
  std::string summary;  // as published (HTML or text, see summary_type)
  std::string summary_type = "text/plain";
  std::string content;
  std::string content_type = "text/html";  // text/html | text/plain | application/xhtml+xml
  std::vector<std::string> authors;
  std::vector<std::string> categories;  // includes news:keywords
  std::vector<Enclosure> enclosures;
  std::optional<PreciseTime> published, updated;
  std::string published_raw, updated_raw;
  std::string publication_name;  // news sitemap
  std::string language;
  std::vector<std::string> warnings;      // e.g. an unparseable date
  std::vector<Author> author_details;     // name/email/uri as published
  std::string title_raw;                  // the title as published (HTML when title_type says so)
  std::string title_type = "text/plain";  // how the title was published
};

struct Feed {
  Format format = Format::kRss20;
  std::string title, link, language, description;
  std::optional<PreciseTime> updated;
  std::optional<PreciseTime> published;
  std::string updated_raw, published_raw;
  std::vector<std::string> authors;
  std::string title_raw;                  // the title as published (HTML when title_type says so)
  std::string title_type = "text/plain";  // how the title was published
  std::optional<int> ttl_minutes;         // RSS <ttl>
  std::vector<int> skip_hours;            // RSS <skipHours>, 0-23 UTC
  std::vector<std::string> skip_days;
  std::vector<Item> items;            // sitemap index: items are child sitemaps
  std::string encoding;               // the encoding the bytes were read as
  std::vector<std::string> warnings;  // feedparser's "bozo": recovered problems
  bool bozo() const { return !warnings.empty(); }
};

// Errors: kParse when the input is not a feed ("an HTML page", "empty body",
// naming what was found), kBudgetExceeded for bytes/items/depth/entities.
Result<Feed> parse(std::string_view bytes, const Options& options);

}  // namespace banwatch::feeds
