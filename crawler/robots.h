// robots.txt (RFC 9309): a pure parser and matcher. Bytes in, a value out; no
// network. The fetcher fetches and caches it per origin and applies the rules
// named here (4xx = allow all, 5xx or unreachable = disallow all for now).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace banwatch::crawler {

// RFC 9309 §2.5: crawlers must parse at least 500 KiB; bytes past this budget
// are ignored.
inline constexpr std::size_t kRobotsMaxBytes = 512 * 1024;

class Robots {
 public:
  // Everything allowed (no robots.txt, or it answered 4xx).
  static Robots allow_all();
  // Nothing allowed but /robots.txt (5xx or unreachable, RFC 9309 §2.3.1.4).
  static Robots disallow_all();

  // Parses `body` and keeps the rules of the group(s) that apply to
  // `product_token` (RFC 9309 §2.2.1: case-insensitive match of the token;
  // groups naming the same agent are merged; else the "*" groups; else none).
  // Never fails: lines it does not understand are ignored (§2.2).
  static Robots parse(std::string_view body, std::string_view product_token);

  // Whether `path_and_query` ("/a/b?c=d") may be fetched: the longest matching
  // rule wins; on equal length Allow wins (§2.2.2); "/robots.txt" is always
  // allowed (§2.2.2).
  bool allowed(std::string_view path_and_query) const;

  // The Crawl-delay of the applicable group (non-standard, widely used).
  std::optional<std::chrono::milliseconds> crawl_delay() const { return crawl_delay_; }
  // Sitemap: lines anywhere in the file (§2.2.4).
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }

  struct Rule {
    bool allow = false;
    std::string pattern;  // normalized (percent-encoding), may contain * and a final $
  };
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
  std::optional<std::chrono::milliseconds> crawl_delay_;
  std::vector<std::string> sitemaps_;
  bool disallow_everything_ = false;
};

// "banwatch/0.1 (+https://…)" -> "banwatch": the product token robots.txt
// groups are matched against (RFC 9309 §2.2.1 allows only [a-zA-Z_-]).
std::string robots_product_token(std::string_view user_agent);

// Matches a normalized robots pattern (with * and an optional final $) against
// a normalized path. Iterative; O(pattern x path) at worst.
bool robots_pattern_matches(std::string_view pattern, std::string_view path);

// Percent-encoding normalization applied to both rules and paths before
// comparison (§2.2.2): %XX of an unreserved character is decoded, other %XX
// are upper-cased, bytes outside printable ASCII are encoded.
std::string robots_normalize(std::string_view path);

}  // namespace banwatch::crawler
