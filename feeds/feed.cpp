// parse(): budget, decoding, detection by content, then the format reader.
#include "feeds/feed.h"

#include <fmt/format.h>

#include "common/enum_names.h"
#include "common/url.h"
#include "feeds/internal.h"
#include "parsers/dates.h"

namespace banwatch::feeds {

namespace {

// In the order of Format's values.
constexpr std::string_view kFormatNames[] = {
    "rss090",     "rss091",  "rss092",       "rss20",       "rss10",   "atom03", "atom10", "jsonfeed10",
    "jsonfeed11", "sitemap", "sitemapindex", "newssitemap", "rss091n", "rss093", "rss094", "rss"};
static_assert(std::size(kFormatNames) == static_cast<std::size_t>(Format::kRssUnversioned) + 1);

}  // namespace

std::string_view to_string(Format f) noexcept { return name_at(kFormatNames, f, "unknown"); }

namespace internal {

namespace {

// Parses `raw` into `out`; an unparseable non-empty date is a warning.
void parse_date_field(const std::string& raw, std::optional<PreciseTime>& out, std::vector<std::string>& warnings,
                      std::string_view what) {
  if (raw.empty() || out) return;
  out = dates::parse_date(raw);
  if (!out) warnings.push_back(fmt::format("unparseable {} date \"{}\"", what, raw.substr(0, 80)));
}

}  // namespace

void finish_item(Item& item) {
  parse_date_field(item.published_raw, item.published, item.warnings, "published");
  parse_date_field(item.updated_raw, item.updated, item.warnings, "updated");
  if (item.summary.empty() && !item.content.empty() &&
      (item.content_type == "text/html" || item.content_type == "text/plain")) {
    item.summary = item.content;
    item.summary_type = item.content_type;
  }
  if (item.id.empty()) {
    if (!item.url.empty()) {
      item.id = canonical_url_string(item.url);
    } else if (!item.title.empty() || !item.published_raw.empty() || !item.updated_raw.empty()) {
      item.id = stable_hash(item.title, item.published_raw.empty() ? item.updated_raw : item.published_raw);
    }
  }
}

void finish_feed(Feed& feed) {
  std::vector<std::string> ignored;
  parse_date_field(feed.updated_raw, feed.updated, ignored, "updated");
  parse_date_field(feed.published_raw, feed.published, ignored, "published");
}

}  // namespace internal

namespace {

std::string describe_start(std::string_view text) {
  std::string shown;
  for (char c : text.substr(0, 40)) {
    shown += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  return shown;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

}  // namespace

Result<Feed> parse(std::string_view bytes, const Options& options) {
  if (bytes.size() > options.max_bytes) {
    return fail(ErrorCode::kBudgetExceeded,
                fmt::format("feed of {} bytes exceeds the {}-byte budget", bytes.size(), options.max_bytes));
  }
  auto decoded = internal::decode_document(bytes, options);
  if (!decoded) return std::unexpected(decoded.error());
  Feed feed;
  feed.encoding = decoded->encoding;
  feed.warnings = std::move(decoded->warnings);
  std::string_view text = trim_html_space(decoded->text);
  if (text.empty()) {
    return fail(ErrorCode::kParse,
                bytes.empty() ? "not a feed: empty body" : "not a feed: the body is only whitespace");
  }
  if (text.front() == '{' || text.front() == '[') {
    auto status = internal::parse_json_feed(text, options, feed);
    if (!status) return std::unexpected(status.error());
  } else if (text.front() == '<') {
    if (starts_with_icase(text, "<!doctype html") || starts_with_icase(text, "<html")) {
      return fail(ErrorCode::kParse, "not a feed: an HTML page (starts with \"" + describe_start(text) + "\")");
    }
    std::string fixed;
    std::size_t ampersands = 0;
    std::string_view xml = text;
    if (internal::escape_bare_ampersands(text, fixed, ampersands)) {
      xml = fixed;
      feed.warnings.push_back(fmt::format("{} unescaped '&' read as literal ampersands", ampersands));
    }
    auto status = internal::parse_xml(xml, options, feed);
    if (!status) return std::unexpected(status.error());
  } else {
    return fail(ErrorCode::kParse,
                "not a feed: neither XML nor JSON (the body starts with \"" + describe_start(text) + "\")");
  }
  internal::finish_feed(feed);
  return feed;
}

}  // namespace banwatch::feeds
