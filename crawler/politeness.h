// Per-host politeness: at most N connections to a host at once and at least a
// minimum delay between the starts of two requests to it (raised by the host's
// robots.txt Crawl-delay, capped). Pure bookkeeping over a time the caller
// passes in, so it is tested without sleeping.
//
// A request "starts" when its bytes go out, not when it is handed to the
// transfer engine: a transfer queued at t may only be sent at t + 50 ms (a
// connection to open, callbacks running before the next poll), and spacing
// queued times would then let the next request follow it too closely. So
// on_start() reserves the host, on_sent() records the real start, and while
// a request of a host with a delay has not gone out yet, nothing else starts
// on that host.
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
  // TimePoint::max() while a request of the host waits to be sent: the send
  // itself is the next event.
  TimePoint earliest_start(const std::string& host) const;

  // A request to `host` is handed over at `now` (provisionally its start).
  void on_start(const std::string& host, TimePoint now);
  // Its bytes went out at `now`: the delay counts from here. `first` is
  // false for a resend of the same transfer (a reused connection that had
  // closed), which moves the start but was already counted.
  void on_sent(const std::string& host, TimePoint now, bool first = true);
  // The transfer ended; `sent` says whether on_sent() was called for it.
  void on_finish(const std::string& host, bool sent = true);

  // Raises the host's delay to `delay` (never below the configured minimum).
  void set_crawl_delay(const std::string& host, std::chrono::milliseconds delay);
  std::chrono::milliseconds delay(const std::string& host) const;
  int active(const std::string& host) const;
  // When the host's latest request started (or was sent); TimePoint::min()
  // for a host never contacted. The fetcher serves the host that has waited
  // longest first.
  TimePoint last_start(const std::string& host) const;

 private:
  struct HostState {
    int active = 0;
    int unsent = 0;  // started, not yet sent
    bool started = false;
    TimePoint last_start{};
    std::chrono::milliseconds delay{0};
  };
  int max_connections_;
  std::chrono::milliseconds min_delay_;
  std::unordered_map<std::string, HostState> hosts_;
};

}  // namespace banwatch::crawler
