// Per-host politeness: at most N connections to a host at once and at least a
// minimum delay between the starts of two requests to it (raised by the host's
// robots.txt Crawl-delay, capped). Pure bookkeeping over a time the caller
// passes in, so it is tested without sleeping.
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

namespace banwatch::crawler {

class HostPolicy {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  // A Crawl-delay above this is treated as this: a robots.txt asking for one
  // request an hour would otherwise stall the whole run.
  static constexpr std::chrono::milliseconds kMaxCrawlDelay{std::chrono::seconds(60)};

  HostPolicy(int max_connections_per_host, std::chrono::milliseconds min_delay);

  // True when a request to `host` may start at `now`.
  bool can_start(const std::string& host, TimePoint now) const;
  // The earliest time a request to `host` may start, ignoring the connection
  // limit (a finished transfer frees a slot; the caller polls again then).
  TimePoint earliest_start(const std::string& host) const;

  void on_start(const std::string& host, TimePoint now);
  void on_finish(const std::string& host);

  // Raises the host's delay to `delay` (never below the configured minimum).
  void set_crawl_delay(const std::string& host, std::chrono::milliseconds delay);
  std::chrono::milliseconds delay(const std::string& host) const;
  int active(const std::string& host) const;

 private:
  struct HostState {
    int active = 0;
    bool started = false;
    TimePoint last_start{};
    std::chrono::milliseconds delay{0};
  };
  int max_connections_;
  std::chrono::milliseconds min_delay_;
  std::unordered_map<std::string, HostState> hosts_;
};

}  // namespace banwatch::crawler
