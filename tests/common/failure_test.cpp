// The root cause of a failed fetch, read from its message as the crawler
// words it and as older stores kept it, and failures grouped by it.
#include "common/failure.h"

#include <gtest/gtest.h>

namespace banwatch {
namespace {

TEST(FailureCause, TransportCausesComeFirst) {
  EXPECT_EQ(failure_cause("http://a.invalid/feed: DNS failure: Could not resolve host: a.invalid"), "DNS failure");
  // A robots.txt that could not be reached reads as what kept it out of
  // reach, in the current wording and in the one older stores hold.
  EXPECT_EQ(
      failure_cause("http://a.invalid/feed: DNS failure: Could not resolve host: a.invalid (reaching robots.txt)"),
      "DNS failure");
  EXPECT_EQ(failure_cause("http://a.invalid/feed: robots.txt unreachable (http://a.invalid/robots.txt: Could not "
                          "resolve host: a.invalid): disallowed for now"),
            "DNS failure");
  EXPECT_EQ(failure_cause("http://127.0.0.1:9/f: Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect "
                          "to server"),
            "connection refused");
  EXPECT_EQ(failure_cause("http://h/f: Failed to connect to h port 80 after 2001 ms: Timeout was reached"), "timeout");
  EXPECT_EQ(failure_cause("http://h/f: TLS failure: SSL certificate problem: self-signed certificate"), "TLS failure");
}

TEST(FailureCause, HttpAndPolicy) {
  EXPECT_EQ(failure_cause("http://h/f: HTTP 404 Not Found (the feed was not found: check the URL)", 404), "HTTP 404");
  EXPECT_EQ(failure_cause("http://h/f: something odd", 410), "HTTP 410");
  EXPECT_EQ(failure_cause("http://h/f: robots.txt unreachable (HTTP 503): disallowed for now"),
            "HTTP 503 (robots.txt)");
  EXPECT_EQ(failure_cause("http://h/f: robots.txt disallows /f"), "disallowed by robots.txt");
  EXPECT_EQ(failure_cause("refused to connect to private address 10.0.0.1 for http://h/f"), "private address refused");
  EXPECT_EQ(failure_cause("http://h/f: body larger than 100 bytes (after decoding)"), "too large");
  EXPECT_EQ(failure_cause("something nobody foresaw"), "other");
}

TEST(FailureGroups, LargestFirstWithAFewNames) {
  std::vector<NamedFailure> failures;
  for (const char* name : {"a", "b", "c", "d", "e"}) failures.push_back({name, "x: DNS failure: no", 0});
  failures.push_back({"f", "x: HTTP 500", 500});
  const auto groups = group_failures(failures);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].cause, "DNS failure");
  EXPECT_EQ(format_failure_groups(groups), "  DNS failure: 5 (a, b, c and 2 more)\n  HTTP 500: 1 (f)\n");
}

}  // namespace
}  // namespace banwatch
