// Why a fetch failed, in a few words, and failures grouped by that cause: what
// the crawl, `stats` and the digest's run health print instead of one long
// line per source. The cause is read from the error message (live, or as the
// store kept it in source_state.last_error), so the two always agree.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace banwatch {

// The root cause of a failed fetch: "DNS failure", "connection refused",
// "timeout", "TLS failure", "connection failure", "HTTP 404", "HTTP 503
// (robots.txt)", "disallowed by robots.txt", "private address refused",
// "too large", "not a feed or sitemap", or "other". A robots.txt that could not
// be reached reads as what kept it out of reach (DNS, connect, timeout).
// `status` is the HTTP status when known (0: none).
std::string failure_cause(std::string_view message, int status = 0);

struct FailureGroup {
  std::string cause;
  std::vector<std::string> names;  // in the order given
};

struct NamedFailure {
  std::string name;
  std::string message;
  int status = 0;
};

// By cause, the largest group first (ties: by cause).
std::vector<FailureGroup> group_failures(const std::vector<NamedFailure>& failures);

// One line per group: `<indent>DNS failure: 30 (a, b, c and 27 more)`.
std::string format_failure_groups(const std::vector<FailureGroup>& groups, std::string_view indent = "  ",
                                  std::size_t names_shown = 3);

// "a, b, c and 27 more": the first `shown` names of a group.
std::string first_names(const std::vector<std::string>& names, std::size_t shown = 3);

}  // namespace banwatch
