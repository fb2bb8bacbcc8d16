#include "crawler/robots.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "common/text.h"
#include "common/url.h"

namespace banwatch::crawler {
namespace {

// Budget on the rules kept from one file, so a hostile robots.txt cannot make
// every match expensive. Only rules of groups that may apply to us are kept
// and counted, each kind on its own budget: rules for other crawlers cannot
// crowd out the groups we obey, and the "*" groups' cannot crowd out ours.
constexpr std::size_t kMaxRules = 20'000;
constexpr std::size_t kMaxPatternBytes = 4096;

// Lines are split at CR and LF, so a field holds only blanks and tabs (and a
// CR before a lone LF) at its ends: RFC 9309's whitespace, not the wider sets
// of common/text.h.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

enum class Key { kUserAgent, kAllow, kDisallow, kCrawlDelay, kSitemap, kOther };

Key classify(std::string_view raw_key) {
  std::string key = ascii_lower(trim(raw_key));
  // Lenient_: common misspellings seen in the wild (Google's parser accepts them too).
  if (key == "user-agent" || key == "useragent" || key == "user agent") return Key::kUserAgent;
  if (key == "allow") return Key::kAllow;
  if (key == "disallow" || key == "dissallow" || key == "dissalow" || key == "disalow" || key == "diasllow" ||
      key == "disallaw")
    return Key::kDisallow;
  if (key == "crawl-delay" || key == "crawl delay" || key == "crawldelay") return Key::kCrawlDelay;
  if (key == "sitemap" || key == "site-map") return Key::kSitemap;
  return Key::kOther;
}

bool is_unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The agent named on a user-agent line, reduced to its product token:
// Lenient_ "Banwatch/1.0" is read as "banwatch".
std::string agent_token(std::string_view value) {
  value = trim(value);
  std::size_t end = 0;
  while (end < value.size() && (std::isalpha(static_cast<unsigned char>(value[end])) || value[end] == '_' ||
                                value[end] == '-' || value[end] == '*'))
    ++end;
  return ascii_lower(value.substr(0, end));
}

std::optional<std::chrono::milliseconds> parse_delay(std::string_view value) {
  value = trim(value);
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || ptr == value.data() || !std::isfinite(seconds) || seconds < 0) return std::nullopt;
  seconds = std::min(seconds, 86'400.0);
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

}  // namespace

std::string robots_normalize(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c == '%' && i + 2 < path.size() && hex_value(path[i + 1]) >= 0 && hex_value(path[i + 2]) >= 0) {
      auto decoded = static_cast<unsigned char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      if (is_unreserved(decoded))
        out += static_cast<char>(decoded);
      else
        append_percent_encoded(out, decoded);
      i += 2;
    } else if (c <= 0x20 || c >= 0x7f || c == '%') {
      // A '%' that starts no escape is encoded so normalizing twice changes nothing.
      append_percent_encoded(out, c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool robots_pattern_matches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Classic wildcard match with single-star backtracking: linear in practice,
  // O(pattern x path) at worst, no recursion.
  std::size_t p = 0, s = 0;
  std::size_t star = std::string_view::npos, star_s = 0;
  while (s < path.size()) {
    if (p == pattern.size() && !anchored) return true;  // a prefix matched
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_s = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string robots_product_token(std::string_view user_agent) { return agent_token(user_agent); }

Robots Robots::allow_all() { return Robots(); }

Robots Robots::disallow_all() {
  Robots r;
  r.disallow_everything_ = true;
  return r;
}

Robots Robots::parse(std::string_view body, std::string_view product_token) {
  if (body.size() > kRobotsMaxBytes) body = body.substr(0, kRobotsMaxBytes);
  // Lenient_: a UTF-8 byte-order mark before the first line.
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const std::string token = ascii_lower(product_token);

  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
    std::optional<std::chrono::milliseconds> delay;
    bool ours = false, star = false;  // names our product token; names "*"
  };
  std::vector<Group> groups;
  std::vector<std::string> sitemaps;
  bool last_was_agent = false;
  std::size_t our_rules = 0, star_rules = 0;

  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (end < body.size() && body[end] == '\r' && pos < body.size() && body[pos] == '\n') ++pos;

    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      // Lenient_: "Disallow /path" without a colon, as some sites write it.
      auto space = trim(line).find_first_of(" \t");
      if (space == std::string_view::npos) continue;
      line = trim(line);
      colon = space;
    }
    Key key = classify(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));

    switch (key) {
      case Key::kUserAgent: {
        if (!last_was_agent || groups.empty()) groups.emplace_back();
        Group& group = groups.back();
        group.agents.push_back(agent_token(value));
        if (group.agents.back() == "*") group.star = true;
        if (!token.empty() && token != "*" && group.agents.back() == token) group.ours = true;
        last_was_agent = true;
        break;
      }
      case Key::kAllow:
      case Key::kDisallow: {
        last_was_agent = false;
        // Rules before any user-agent line belong to no group (§2.2.1).
        if (groups.empty() || value.empty()) break;
        Group& group = groups.back();
        if (!group.ours && !group.star) break;  // another crawler's
        std::size_t& count = group.ours ? our_rules : star_rules;
        if (count >= kMaxRules) break;
        if (value.size() > kMaxPatternBytes) value = value.substr(0, kMaxPatternBytes);
        group.rules.push_back(Rule{key == Key::kAllow, robots_normalize(value)});
        ++count;
        break;
      }
      case Key::kCrawlDelay:
        // Not a rule (§2.2.2 knows only allow and disallow): like Sitemap, it
        // does not end a run of user-agent lines (§2.2.1), and it applies to
        // the whole group.
        if (!groups.empty()) {
          if (auto d = parse_delay(value)) groups.back().delay = d;
        }
        break;
      case Key::kSitemap:
        // Not a group member: does not end a run of user-agent lines.
        if (!value.empty() && sitemaps.size() < 1000) sitemaps.emplace_back(value);
        break;
      case Key::kOther:
        break;
    }
  }

  Robots result;
  result.sitemaps_ = std::move(sitemaps);
  auto collect = [&](auto&& matches) {
    bool any = false;
    for (auto& g : groups) {
      if (std::none_of(g.agents.begin(), g.agents.end(), matches)) continue;
      any = true;
      for (auto& r : g.rules) result.rules_.push_back(std::move(r));
      if (g.delay && (!result.crawl_delay_ || *g.delay > *result.crawl_delay_)) result.crawl_delay_ = g.delay;
    }
    return any;
  };
  if (!token.empty() && token != "*" && collect([&](const std::string& a) { return a == token; })) return result;
  collect([](const std::string& a) { return a == "*"; });
  return result;
}

bool Robots::allowed(std::string_view path_and_query) const {
  if (path_and_query.empty()) path_and_query = "/";
  if (path_and_query == "/robots.txt") return true;
  if (disallow_everything_) return false;
  if (rules_.empty()) return true;
  const std::string path = robots_normalize(path_and_query);
  std::size_t best_length = 0;
  bool best_allow = true;
  bool matched = false;
  for (const auto& rule : rules_) {
    if (!robots_pattern_matches(rule.pattern, path)) continue;
    std::size_t length = rule.pattern.size();
    if (!matched || length > best_length || (length == best_length && rule.allow && !best_allow)) {
      best_length = length;
      best_allow = rule.allow;
      matched = true;
    }
  }
  return !matched || best_allow;
}

}  // namespace banwatch::crawler
