// `banwatch serve`: a read-only web UI and JSON API over the event store.
//
// handle() routes one request to a page or an API answer. It only reads the
// store, and builds every answer from the store's query results with the
// pure functions below, so each page can be tested without a socket.
// Server runs handle() behind cpp-httplib on one address.
//
// Rules every answer keeps (docs/serve.md):
//  - read-only: GET and HEAD; every other method is answered 405;
//  - everything read from the store (titles, article text, evidence, names,
//    URLs) is escaped for HTML, XML or JSON; a link is only made of an
//    http(s) URL;
//  - a Content-Security-Policy that allows no script at all, and no inline
//    style (the stylesheet is /style.css);
//  - a bad query parameter (unknown, malformed, out of range) is answered 400
//    with a message naming it;
//  - with a token configured, every request must carry it, as
//    "Authorization: Bearer TOKEN" or the cookie banwatch_token=TOKEN
//    (GET /?token=TOKEN sets the cookie and redirects); else 401.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/time.h"
#include "store/store.h"

namespace banwatch::serve {

struct Request {
  std::string method = "GET";
  std::string path = "/";                          // without the query string, percent-decoded
  std::multimap<std::string, std::string> params;  // the query string, decoded
  std::string authorization;                       // the Authorization header
  std::string cookie;                              // the Cookie header
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beside the security headers every answer has
};

struct SiteOptions {
  std::string auth_token;        // "" = no token asked for (loopback only; cmd_serve enforces it)
  std::size_t page_size = 50;    // events per page (the `limit` parameter's default)
  std::size_t max_limit = 1000;  // the largest `limit` accepted
  // The vendor page draws its newest this many events on the timeline.
  std::size_t timeline_events = 300;
  std::optional<Timestamp> now;  // the clock for relative dates; nullopt = the system clock
};

// Routes one request. Never throws; a store failure is a 500 naming it.
Response handle(store::Store& store, const Request& request, const SiteOptions& options);

// The headers every answer carries (CSP, nosniff, no referrer, no framing).
std::vector<std::pair<std::string, std::string>> security_headers();

// ---- the pieces, for tests --------------------------------------------------

// The filters of /, /vendors/NAME, /api/events and /feed.atom, from the query
// string: vendor, actor, action, status (each repeatable), since, until
// (dates or durations, as `events`), by (seen|date), q (words searched in the
// articles that cite the events), limit (1..max_limit), before (an event id:
// the page of events older than it). kInvalidArgument names the parameter.
struct EventFilter {
  store::EventQuery query;  // with limit, newest_first and before_event_id set
  std::string text;         // q
  std::size_t limit = 0;
};
Result<EventFilter> parse_event_filter(const std::multimap<std::string, std::string>& params,
                                       const SiteOptions& options, Timestamp now);

// The JSON of `banwatch events --format json`, `search --json` and
// `sources list --json`, one object per record.
nlohmann::json event_json(const store::EventWithMentions& entry);
nlohmann::json search_hit_json(const store::SearchHit& hit);
nlohmann::json source_json(const store::Source& source);

// The vendor timeline as inline SVG: time across, one row per case (actor and
// action), one mark per dated event (class "mark status-<status>", inside a
// link to /events/ID), a line from each event to the earlier step of its
// case it follows when both are drawn (class "link"). Undated events are
// left out (the caption counts them).
std::string render_timeline_svg(const std::vector<store::EventWithMentions>& events);

// Article text as HTML paragraphs, every occurrence of `evidence` in a <mark>.
std::string highlight_evidence(std::string_view text, std::string_view evidence);

// The stylesheet served at /style.css.
std::string_view stylesheet();

// ---- the listening server ----------------------------------------------------

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 address, or "localhost"
  int port = 0;      // 0 = any free port
};
// "127.0.0.1:8080", "[::1]:8080", "localhost:8080", ":8080" (loopback), "8080".
Result<ListenAddress> parse_listen(std::string_view text);
// 127.0.0.0/8, ::1 and localhost.
bool is_loopback(std::string_view host);

class Server {
 public:
  // Binds (kIo when the address cannot be bound) and starts answering on
  // `threads` worker threads. `store` must outlive the server.
  static Result<std::unique_ptr<Server>> start(store::Store& store, const ListenAddress& address,
                                               const SiteOptions& options);
  ~Server();  // stops and waits
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;  // the bound port
  void stop();       // makes wait() return; safe from another thread
  void wait();       // until stop()

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace banwatch::serve
