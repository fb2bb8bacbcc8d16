#include "common/failure.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "common/text.h"

namespace banwatch {
namespace {

bool has(const std::string& haystack, std::string_view needle) { return haystack.find(needle) != std::string::npos; }

// The status of the first "HTTP NNN" in the message, or 0.
int http_status_in(const std::string& message) {
  for (std::size_t at = message.find("http "); at != std::string::npos; at = message.find("http ", at + 1)) {
    if (at + 8 > message.size()) break;
    const std::string_view digits(message.data() + at + 5, 3);
    if (std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        (at + 8 == message.size() || !std::isdigit(static_cast<unsigned char>(message[at + 8]))))
      return std::stoi(std::string(digits));
  }
  return 0;
}

}  // namespace

std::string failure_cause(std::string_view message, int status) {
  const std::string m = ascii_lower(message);
  // The transport first: a robots.txt that could not be reached names it.
  if (has(m, "dns failure") || has(m, "resolve host") || has(m, "resolve proxy") || has(m, "name resolution"))
    return "DNS failure";
  if (has(m, "timed out") || has(m, "timeout")) return "timeout";
  if (has(m, "connection refused") || has(m, "couldn't connect") || has(m, "failed to connect"))
    return "connection refused";
  if (has(m, "tls failure") || has(m, "ssl") || has(m, "certificate")) return "TLS failure";
  if (has(m, "robots.txt disallows")) return "disallowed by robots.txt";
  if (has(m, "robots.txt unreachable")) {
    const int robots_status = http_status_in(m);
    return robots_status ? fmt::format("HTTP {} (robots.txt)", robots_status) : "robots.txt unreachable";
  }
  if (has(m, "private address")) return "private address refused";
  if (const int s = http_status_in(m); s > 0) return fmt::format("HTTP {}", s);
  if (status >= 400) return fmt::format("HTTP {}", status);
  if (has(m, "connection failure") || has(m, "connection reset") || has(m, "empty reply") || has(m, "recv failure") ||
      has(m, "send failure"))
    return "connection failure";
  if (has(m, "larger than") || has(m, "budget")) return "too large";
  if (has(m, "not a feed") || has(m, "not an rss") || has(m, "not a sitemap") || has(m, "no feed") || has(m, "parse") ||
      has(m, "xml"))
    return "not a feed or sitemap";
  return "other";
}

std::vector<FailureGroup> group_failures(const std::vector<NamedFailure>& failures) {
  std::map<std::string, std::vector<std::string>> by_cause;
  for (const auto& f : failures) by_cause[failure_cause(f.message, f.status)].push_back(f.name);
  std::vector<FailureGroup> groups;
  groups.reserve(by_cause.size());
  for (auto& [cause, names] : by_cause) groups.push_back({cause, std::move(names)});
  std::stable_sort(groups.begin(), groups.end(),
                   [](const FailureGroup& a, const FailureGroup& b) { return a.names.size() > b.names.size(); });
  return groups;
}

std::string first_names(const std::vector<std::string>& names, std::size_t shown) {
  std::string out;
  const std::size_t n = std::min(names.size(), std::max<std::size_t>(shown, 1));
  for (std::size_t i = 0; i < n; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > n) out += fmt::format(" and {} more", names.size() - n);
  return out;
}

std::string format_failure_groups(const std::vector<FailureGroup>& groups, std::string_view indent,
                                  std::size_t names_shown) {
  std::string out;
  for (const auto& g : groups)
    out += fmt::format("{}{}: {} ({})\n", indent, g.cause, g.names.size(), first_names(g.names, names_shown));
  return out;
}

}  // namespace banwatch
