// HTTP fetching for the crawler: one Fetcher owns one libcurl multi handle and
// drives every transfer of a run from the calling thread. Callers submit
// Requests with a completion callback and call run(); callbacks run on the
// same thread and may submit more requests.
//
// What the fetcher guarantees for every request (the budgets of the crawl):
//  - only http and https, for the first URL and every redirect; at most
//    max_redirects redirects, followed one at a time so each hop is checked
//    again (scheme, loop, robots.txt, politeness, private address);
//  - no connection to loopback, private, link-local, multicast or unspecified
//    addresses unless allowed: checked on the address actually connected
//    (CURLOPT_OPENSOCKETFUNCTION), so DNS cannot steer it inward;
//  - connect timeout, total timeout, low-speed cut-off, body size limited
//    after decompression (gzip/deflate/br/zstd are accepted), so a bomb stops
//    at max_bytes;
//  - per-host politeness (HostPolicy) and robots.txt (fetched once per origin,
//    cached for robots_ttl; 4xx = allow all, 5xx/unreachable = disallow all);
//  - transient failures (network errors, 5xx, 429) retried with exponential
//    backoff and jitter; Retry-After honoured when it fits max_retry_after,
//    otherwise the request fails and reports it to the scheduler.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/error.h"
#include "common/url.h"

namespace banwatch::crawler {

struct FetcherOptions {
  int concurrency = 16;
  int host_connections = 2;
  std::chrono::milliseconds host_delay{1000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};
  int low_speed_bytes = 100;
  std::chrono::milliseconds low_speed_time{15'000};
  std::size_t max_bytes = 16u << 20;
  int max_redirects = 5;
  int retries = 2;
  std::chrono::milliseconds retry_base_delay{1000};
  std::chrono::milliseconds max_retry_after{std::chrono::seconds(60)};
  bool allow_private_networks = false;
  // IP literals exempt from the private-network refusal (an intranet host,
  // or the loopback test server while everything else stays refused).
  std::vector<std::string> allowed_private_addresses;
  // Connection overrides, as curl's --connect-to: "HOST:PORT:CONNECT-HOST:CONNECT-PORT"
  // sends requests for HOST:PORT to CONNECT-HOST:CONNECT-PORT, keeping the
  // URL, the Host header, robots.txt and politeness per HOST. The address
  // actually connected is still checked (allow it above when it is private).
  // For a site served on loopback under its own host names (banwatch demo).
  std::vector<std::string> connect_to;
  std::string user_agent = "banwatch/0.1";
  std::chrono::seconds robots_ttl{std::chrono::hours(24)};

  static FetcherOptions from_config(const FetchConfig& config);
};

struct Request {
  Request() = default;
  Request(std::string u) : url(std::move(u)) {}  // NOLINT: implicit, so {url} reads well

  std::string url;
  std::string etag;           // sent as If-None-Match when not empty
  std::string last_modified;  // sent as If-Modified-Since when not empty
  std::string accept;         // Accept header; "" = */*
  bool check_robots = true;
  // When not 0: a longer body is cut at this many bytes and the response is
  // complete with what came (in place of max_bytes). For robots.txt, whose
  // first 500 KiB are read and obeyed (RFC 9309 §2.5).
  std::size_t keep_first_bytes = 0;
  // Decides whether a redirect to `target` is followed (null: every http(s)
  // redirect is). A worker follows redirects only to hosts it leases; one it
  // refuses ends the request with kRefused and the target in `not_followed`.
  std::function<bool(const Url& target)> follow_redirect;
};

struct Response {
  std::string url;        // as requested
  std::string final_url;  // after redirects
  int status = 0;         // last HTTP status, 0 when no response
  std::string body;       // decoded
  std::string content_type, etag, last_modified, content_encoding;
  std::optional<std::chrono::seconds> retry_after;
  std::string primary_ip;
  int redirects = 0;
  int attempts = 0;
  std::string not_followed;  // a redirect target the request's follow_redirect refused
  std::chrono::milliseconds elapsed{0};
  // Set when there is no usable response: kNetwork (DNS, connect, reset,
  // timeouts), kHttp (4xx/5xx status), kRefused (scheme, private address,
  // robots.txt), kBudgetExceeded (body size, redirects).
  std::optional<Error> error;

  bool ok() const { return !error.has_value(); }
  bool not_modified() const { return !error && status == 304; }
  // "text/html; charset=utf-8" -> "utf-8"; "" when absent.
  std::string charset() const;
  // "text/html; charset=utf-8" -> "text/html".
  std::string mime_type() const;
};

// True for addresses the crawler refuses by default: loopback, RFC 1918 and
// RFC 6598 private, link-local (169.254/16 incl. cloud metadata, fe80::/10),
// unique-local fc00::/7, multicast, unspecified, broadcast, reserved, and
// IPv4-mapped IPv6 forms of those. `ip` is a literal; a non-IP returns false.
bool is_private_address(const std::string& ip);

// Retry-After: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), relative to
// `now_epoch_seconds`. nullopt when unparseable.
std::optional<std::chrono::seconds> parse_retry_after(const std::string& value, std::int64_t now_epoch_seconds);

class Fetcher {
 public:
  using Callback = std::function<void(Response&&)>;

  struct Counters {
    std::int64_t transfers = 0, retries = 0, redirects = 0, robots_fetches = 0;
    std::int64_t bytes = 0, refused = 0;
  };

  static Result<std::unique_ptr<Fetcher>> create(const FetcherOptions& options);
  virtual ~Fetcher() = default;

  // Queues `request`; `done` is called exactly once from run() unless the run
  // is cancelled first.
  virtual void submit(Request request, Callback done) = 0;

  // Drives transfers until every request (including those submitted by
  // callbacks) has completed: Status ok. When `*cancel` becomes non-zero,
  // in-flight transfers are abandoned, their callbacks are not called, the
  // queue is emptied, and kCancelled is returned. Not reentrant.
  virtual Status run(const std::atomic<int>* cancel = nullptr) = 0;

  // Makes the current (or next) run() abandon everything and return
  // kCancelled, as if its cancel flag had been set. Callable from callbacks.
  virtual void cancel() = 0;

  // Work handed to another thread comes back to the loop through these.
  // hold(), on run()'s thread, counts one piece of outstanding work: run()
  // does not return while any is outstanding, even with no transfer left.
  // post(), from any thread, queues `task` to run on run()'s thread at the
  // loop's next turn (in the order posted), wakes a waiting loop, and
  // releases one hold when the task runs. A cancelled run leaves posted
  // tasks queued; the next run() runs them.
  virtual void hold() = 0;
  virtual void post(std::function<void()> task) = 0;

  // Convenience: submit one request and run until it completes.
  virtual Response fetch(const Request& request, const std::atomic<int>* cancel = nullptr) = 0;

  virtual const Counters& counters() const = 0;
};

}  // namespace banwatch::crawler
