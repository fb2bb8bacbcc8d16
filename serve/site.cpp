// Routing and the HTML pages of `banwatch serve` (serve.h).
#include <fmt/format.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <expected>
#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "common/url.h"
#include "digest/render.h"
#include "serve/html.h"
#include "serve/serve.h"

namespace banwatch::serve {

std::string status_class(std::string_view status) {
  for (std::string_view known : {"enacted", "proposed", "considering", "reversed"}) {
    if (status == known) return "status-" + std::string(known);
  }
  return "status-other";
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      append_percent_encoded(out, u);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> security_headers() {
  return {{"Content-Security-Policy",
           "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
           "frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"X-Frame-Options", "DENY"},
          {"Cache-Control", "no-store"}};
}

namespace {

using digest::escape_html;
using Params = std::multimap<std::string, std::string>;

constexpr const char* kStatuses[] = {"enacted", "proposed", "considering", "reversed"};

// ---- answers ----------------------------------------------------------------

// `items` as a JSON array, each through `to_json`.
template <typename Items, typename ToJson>
nlohmann::json json_array(const Items& items, ToJson to_json) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& item : items) all.push_back(to_json(item));
  return all;
}

Response json_response(const nlohmann::json& body, int status = 200) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return r;
}

std::string page(std::string_view title, std::string_view body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{} · banwatch</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n"
      "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\" title=\"banwatch events\">\n"
      "</head>\n<body>\n<header class=\"top\"><a class=\"brand\" href=\"/\">banwatch</a>"
      "<nav><a href=\"/\">Events</a><a href=\"/sources\">Sources</a><a href=\"/feed.atom\">Atom feed</a>"
      "<a href=\"/api/events\">JSON</a></nav></header>\n<main>\n{}</main>\n"
      "<footer class=\"bottom\">banwatch · read-only view of the event store</footer>\n</body>\n</html>\n",
      escape_html(title), body);
}

Response html_response(std::string_view title, std::string_view body, int status = 200) {
  Response r;
  r.status = status;
  r.body = page(title, body);
  return r;
}

Response error_response(bool api, int status, const std::string& message) {
  if (api) return json_response({{"error", message}, {"status", status}}, status);
  return html_response("Error", fmt::format("<h1>{}</h1>\n<p class=\"error\">{}</p>\n", status, escape_html(message)),
                       status);
}

// ---- parameters ---------------------------------------------------------------

// The parameters a route accepts; an empty value counts as absent (an empty
// field of the filter form). "token" is the login parameter, accepted anywhere.
std::optional<std::string> check_params(const Params& params, const std::vector<std::string_view>& allowed) {
  for (const auto& [key, value] : params) {
    if (key == "token") continue;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return fmt::format("unknown query parameter '{}'{}", key,
                         allowed.size() == 0 ? std::string(" (this page takes none)")
                                             : fmt::format(" (this page takes: {})", fmt::join(allowed, ", ")));
    }
  }
  return std::nullopt;
}

std::vector<std::string> values(const Params& params, const std::string& key) {
  std::vector<std::string> out;
  auto [from, to] = params.equal_range(key);
  for (auto it = from; it != to; ++it) {
    if (!it->second.empty()) out.push_back(it->second);
  }
  return out;
}

std::optional<std::string> single(const Params& params, const std::string& key) {
  auto all = values(params, key);
  if (all.empty()) return std::nullopt;
  return all.back();
}

Result<std::uint64_t> positive_integer(const std::string& key, const std::string& text, std::uint64_t max) {
  std::uint64_t value = 0;
  bool ok = !text.empty() && text.size() <= 19;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    if (ok) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || value == 0 || value > max) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("parameter '{}': '{}' is not a whole number from 1 to {}", key, text, max));
  }
  return value;
}

Result<Timestamp> time_bound(const std::string& key, const std::string& text, Timestamp now, bool upper) {
  if (auto duration = parse_duration(text)) {
    return now - std::chrono::duration_cast<std::chrono::seconds>(*duration);
  }
  if (auto date = parse_precise(text)) return upper ? period_end(*date) : date->time;
  return fail(ErrorCode::kInvalidArgument,
              fmt::format("parameter '{}': '{}' is not a date (2026-03, 2026-03-25, 2026-03-25T10:00Z) or a duration "
                          "(7d, 24h)",
                          key, text));
}

// A query string of the given parameters (for paging links).
std::string query_string(const Params& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (value.empty() || key == "token") continue;
    out += out.empty() ? "?" : "&";
    out += url_encode(key) + "=" + url_encode(value);
  }
  return out;
}

}  // namespace

Result<EventFilter> parse_event_filter(const Params& params, const SiteOptions& options, Timestamp now) {
  EventFilter filter;
  store::EventQuery& q = filter.query;
  q.vendors = values(params, "vendor");
  q.actors = values(params, "actor");
  q.actions = values(params, "action");
  q.statuses = values(params, "status");
  for (const std::string& status : q.statuses) {
    if (std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses)) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("parameter 'status': '{}' is not enacted, proposed, considering or reversed", status));
    }
  }
  if (auto by = single(params, "by")) {
    if (*by != "seen" && *by != "date") {
      return fail(ErrorCode::kInvalidArgument, fmt::format("parameter 'by': '{}' is not seen or date", *by));
    }
    q.by_event_date = *by == "date";
  }
  if (auto since = single(params, "since")) {
    auto bound = time_bound("since", *since, now, false);
    if (!bound) return std::unexpected(bound.error());
    q.since = *bound;
  }
  if (auto until = single(params, "until")) {
    auto bound = time_bound("until", *until, now, true);
    if (!bound) return std::unexpected(bound.error());
    q.until = *bound;
  }
  if (q.since && q.until && *q.until <= *q.since) {
    return fail(ErrorCode::kInvalidArgument, "parameters 'since' and 'until': the range is empty (until <= since)");
  }
  filter.limit = options.page_size;
  if (auto limit = single(params, "limit")) {
    auto n = positive_integer("limit", *limit, options.max_limit);
    if (!n) return std::unexpected(n.error());
    filter.limit = static_cast<std::size_t>(*n);
  }
  if (auto before = single(params, "before")) {
    auto id = positive_integer("before", *before, static_cast<std::uint64_t>(std::numeric_limits<model::Id>::max()));
    if (!id) return std::unexpected(id.error());
    q.before_event_id = static_cast<model::Id>(*id);
  }
  if (auto text = single(params, "q")) filter.text = *text;
  q.limit = filter.limit;
  q.newest_first = true;
  q.with_timeline = true;
  return filter;
}

std::string highlight_evidence(std::string_view text, std::string_view evidence) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view paragraph = text.substr(start, end - start);
    if (!paragraph.empty()) {
      out += "<p>";
      std::size_t at = 0;
      while (true) {
        const std::size_t hit = evidence.empty() ? std::string_view::npos : paragraph.find(evidence, at);
        if (hit == std::string_view::npos) break;
        out += escape_html(paragraph.substr(at, hit - at));
        out += "<mark>" + escape_html(evidence) + "</mark>";
        at = hit + evidence.size();
      }
      out += escape_html(paragraph.substr(at));
      out += "</p>\n";
    }
    start = end + 2;
  }
  return out;
}

namespace {

// ---- pieces of pages ------------------------------------------------------------

std::string link_or_text(const std::string& url, const std::string& label) {
  const std::string text = escape_html(label.empty() ? url : label);
  if (!digest::is_web_url(url)) return text;
  return fmt::format("<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>", escape_html(url), text);
}

std::string badge(std::string_view status) {
  return fmt::format("<span class=\"badge {}\">{}</span>", status_class(status), escape_html(status));
}

std::string date_html(const std::optional<PreciseTime>& date) {
  if (!date) return "<span class=\"date undated\">undated</span>";
  return fmt::format("<time class=\"date\" datetime=\"{}\">{}</time>", escape_html(format_precise(*date)),
                     escape_html(digest::format_event_date(*date)));
}

std::string vendor_link(const std::string& vendor) {
  return fmt::format("<a class=\"vendor\" href=\"/vendors/{}\">{}</a>", url_encode(vendor), escape_html(vendor));
}

std::string citations_html(const std::vector<model::Mention>& mentions, bool with_evidence) {
  std::string out = "<ul class=\"citations\">\n";
  for (const model::Mention& m : mentions) {
    out += "<li>" + link_or_text(m.article_url, m.article_title);
    if (!m.source_name.empty()) out += " <span class=\"source\">" + escape_html(m.source_name) + "</span>";
    if (m.article_published_at) {
      out +=
          " <span class=\"published\">" + escape_html(digest::format_event_date(*m.article_published_at)) + "</span>";
    }
    if (with_evidence) out += "<blockquote class=\"evidence\">" + escape_html(m.evidence) + "</blockquote>";
    out += "</li>\n";
  }
  return out + "</ul>\n";
}

std::string event_card(const store::EventWithMentions& entry) {
  const model::Event& e = entry.event;
  std::string out = fmt::format("<article class=\"event\" id=\"event-{}\" data-event-id=\"{}\">\n<header>", e.id, e.id);
  out += badge(e.status) + " " + date_html(e.event_date) + " " + vendor_link(e.vendor);
  out += " <span class=\"sep\">·</span> <span class=\"actor\">" + escape_html(e.actor) + "</span>";
  out += " <span class=\"sep\">·</span> <span class=\"action\">" + escape_html(e.action) + "</span>";
  if (!e.case_status.empty() && e.case_status != e.status) {
    out += " <span class=\"case-now\">now " + badge(e.case_status) + "</span>";
  }
  out += fmt::format(" <a class=\"permalink\" href=\"/events/{}\">#{}</a></header>\n", e.id, e.id);
  if (!entry.mentions.empty()) {
    out += "<blockquote class=\"evidence\">" + escape_html(entry.mentions.front().evidence) + "</blockquote>\n";
  }
  out += citations_html(entry.mentions, false);
  return out + "</article>\n";
}

std::string filter_form(const Params& params, std::string_view action, bool with_vendor) {
  const auto value = [&](const std::string& key) { return escape_html(single(params, key).value_or("")); };
  std::string out = fmt::format("<form class=\"filters\" method=\"get\" action=\"{}\">\n", action);
  const auto input = [&](const char* key, const char* label, const char* placeholder) {
    out += fmt::format("<label>{} <input type=\"text\" name=\"{}\" value=\"{}\" placeholder=\"{}\"></label>\n", label,
                       key, value(key), placeholder);
  };
  if (with_vendor) input("vendor", "Vendor", "Huawei");
  input("actor", "Actor", "FCC");
  input("action", "Action", "ban");
  out += "<label>Status <select name=\"status\"><option value=\"\">any</option>";
  const std::string current = single(params, "status").value_or("");
  for (const char* status : kStatuses) {
    out += fmt::format("<option{}>{}</option>", current == status ? " selected" : "", status);
  }
  out += "</select></label>\n";
  input("since", "Since", "2026-01-01 or 30d");
  input("until", "Until", "2026-12-31");
  input("q", "Text", "words in the articles");
  out += "<button type=\"submit\">Filter</button>\n</form>\n";
  return out;
}

std::string older_link(const std::string& path, const Params& params,
                       const std::vector<store::EventWithMentions>& events, std::size_t limit) {
  if (events.size() < limit || events.empty()) return "";
  Params next = params;
  next.erase("before");
  next.emplace("before", std::to_string(events.back().event.id));
  return fmt::format("<p class=\"paging\"><a rel=\"next\" href=\"{}{}\">Older events →</a></p>\n", path,
                     escape_html(query_string(next)));
}

// ---- routes ----------------------------------------------------------------------

Timestamp now_of(const SiteOptions& options) { return options.now.value_or(SystemClock().now()); }

// The events a filter selects; with q, only those cited by the articles the
// full-text search finds for it (the best 500).
Result<std::vector<store::EventWithMentions>> find_events(store::Store& store, const EventFilter& filter) {
  store::EventQuery query = filter.query;
  if (!filter.text.empty()) {
    auto hits = store.search(filter.text, std::nullopt, 500);
    if (!hits) return std::unexpected(hits.error());
    if (hits->empty()) return std::vector<store::EventWithMentions>{};
    for (const auto& hit : *hits) query.article_ids.push_back(hit.article_id);
  }
  return store.query_events(query);
}

const std::vector<std::string_view> kFilterParams = {"vendor", "actor", "action", "status", "since",
                                                     "until",  "by",    "q",      "limit",  "before"};

struct FilteredEvents {
  EventFilter filter;
  std::vector<store::EventWithMentions> events;
};

// The events the request's filter parameters select, for the events page
// (`api` false) or the API: else the error response, 400 for a parameter.
std::expected<FilteredEvents, Response> requested_events(store::Store& store, const Request& request,
                                                         const SiteOptions& options, bool api) {
  if (auto bad = check_params(request.params, kFilterParams)) return std::unexpected(error_response(api, 400, *bad));
  auto filter = parse_event_filter(request.params, options, now_of(options));
  if (!filter) return std::unexpected(error_response(api, 400, filter.error().message));
  auto events = find_events(store, *filter);
  if (!events) return std::unexpected(error_response(api, 500, events.error().message));
  return FilteredEvents{std::move(*filter), std::move(*events)};
}

Response events_page(store::Store& store, const Request& request, const SiteOptions& options) {
  auto found = requested_events(store, request, options, false);
  if (!found) return std::move(found.error());
  const auto& [filter, events] = *found;
  std::string body = "<h1>Events</h1>\n" + filter_form(request.params, "/", true);
  body += fmt::format("<p class=\"count\">{} event{}{}, newest first.</p>\n", events.size(),
                      events.size() == 1 ? "" : "s", events.size() == filter.limit ? " on this page" : "");
  body += "<section class=\"events\">\n";
  for (const auto& entry : events) body += event_card(entry);
  body += "</section>\n" + older_link("/", request.params, events, filter.limit);
  return html_response("Events", body);
}

Response vendor_page(store::Store& store, const Request& request, const std::string& vendor,
                     const SiteOptions& options) {
  if (auto bad =
          check_params(request.params, {"actor", "action", "status", "since", "until", "by", "q", "limit", "before"})) {
    return error_response(false, 400, *bad);
  }
  auto filter = parse_event_filter(request.params, options, now_of(options));
  if (!filter) return error_response(false, 400, filter.error().message);
  filter->query.vendors = {vendor};
  // One read serves the timeline and the first page of the list below it.
  const std::size_t list_limit = filter->limit;
  filter->query.limit = std::max(list_limit, options.timeline_events);
  auto events = find_events(store, *filter);
  if (!events) return error_response(false, 500, events.error().message);
  if (events->empty() && request.params.empty()) {
    return error_response(false, 404, "no events of vendor '" + vendor + "'");
  }
  std::vector<store::EventWithMentions> drawn(
      events->begin(),
      events->begin() + static_cast<std::ptrdiff_t>(std::min(events->size(), options.timeline_events)));
  std::string body = "<h1>" + escape_html(vendor) + "</h1>\n";
  body += filter_form(request.params, "/vendors/" + url_encode(vendor), false);
  body += "<h2>Timeline</h2>\n";
  if (events->size() > drawn.size() || drawn.size() == options.timeline_events) {
    body += fmt::format("<p class=\"note\">The newest {} events.</p>\n", drawn.size());
  }
  body += render_timeline_svg(drawn);
  if (events->size() > list_limit) events->resize(list_limit);
  body += fmt::format("<h2>Events</h2>\n<p class=\"count\">{} event{}{}, newest first.</p>\n", events->size(),
                      events->size() == 1 ? "" : "s", events->size() == list_limit ? " on this page" : "");
  body += "<section class=\"events\">\n";
  for (const auto& entry : *events) body += event_card(entry);
  body += "</section>\n" + older_link("/vendors/" + url_encode(vendor), request.params, *events, list_limit);
  return html_response(vendor, body);
}

Result<model::Id> event_id(const std::string& text) {
  auto id = positive_integer("event id", text, static_cast<std::uint64_t>(std::numeric_limits<model::Id>::max()));
  if (!id) return std::unexpected(id.error());
  return static_cast<model::Id>(*id);
}

struct EventDetail {
  store::EventWithMentions event;
  std::vector<store::EventWithMentions> history;  // the case, oldest first
};

// An event with its case (its vendor, actor and action). kNotFound.
Result<EventDetail> read_event(store::Store& store, model::Id id) {
  store::EventQuery query;
  query.ids = {id};
  query.with_timeline = true;
  auto found = store.query_events(query);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " does not exist");
  EventDetail detail{std::move(found->front()), {}};
  store::EventQuery history;
  history.case_of = id;
  history.with_timeline = true;
  history.limit = 500;
  auto steps = store.query_events(history);
  if (!steps) return std::unexpected(steps.error());
  detail.history = std::move(*steps);
  return detail;
}

// The event `id_text` names, for its page (`api` false) or the API: else the
// error response, 400 for a query parameter, 404 for no such event.
std::expected<EventDetail, Response> requested_event(store::Store& store, const Request& request,
                                                     const std::string& id_text, bool api) {
  if (auto bad = check_params(request.params, {})) return std::unexpected(error_response(api, 400, *bad));
  auto id = event_id(id_text);
  if (!id) return std::unexpected(error_response(api, 404, "no event '" + id_text + "'"));
  auto detail = read_event(store, *id);
  if (!detail) {
    return std::unexpected(
        error_response(api, detail.error().code == ErrorCode::kNotFound ? 404 : 500, detail.error().message));
  }
  return std::move(*detail);
}

Response event_page(store::Store& store, const Request& request, const std::string& id_text) {
  auto detail = requested_event(store, request, id_text, false);
  if (!detail) return std::move(detail.error());
  const model::Event& e = detail->event.event;
  std::string body =
      fmt::format("<h1>{} · {} · {}</h1>\n", escape_html(e.vendor), escape_html(e.actor), escape_html(e.action));
  body += "<dl class=\"facts\">";
  body += "<dt>Status</dt><dd>" + badge(e.status);
  if (!e.case_status.empty() && e.case_status != e.status) body += " (the case is now " + badge(e.case_status) + ")";
  body += "</dd><dt>Date</dt><dd>" + date_html(e.event_date) + "</dd>";
  body += "<dt>Vendor</dt><dd>" + vendor_link(e.vendor) + "</dd>";
  body += "<dt>Actor</dt><dd>" + escape_html(e.actor) + " (" + escape_html(e.actor_type) + ")</dd>";
  if (!e.scope.empty()) body += "<dt>Scope</dt><dd>" + escape_html(e.scope) + "</dd>";
  body += "<dt>First seen</dt><dd>" + escape_html(digest::format_human(e.first_seen_at)) + "</dd>";
  body += fmt::format("<dt>Confidence</dt><dd>{:.2f}</dd>", e.confidence);
  if (e.previous_event_id) {
    body += fmt::format("<dt>Follows</dt><dd><a href=\"/events/{}\">#{}</a></dd>", *e.previous_event_id,
                        *e.previous_event_id);
  }
  body += fmt::format("<dt>JSON</dt><dd><a href=\"/api/events/{}\">/api/events/{}</a></dd></dl>\n", e.id, e.id);

  body += "<h2>Case history</h2>\n" + render_timeline_svg(detail->history) + "<ol class=\"history\">\n";
  for (const auto& step : detail->history) {
    const model::Event& s = step.event;
    body += fmt::format("<li{}>{} {} <a href=\"/events/{}\">#{}</a>{}</li>\n", s.id == e.id ? " class=\"current\"" : "",
                        badge(s.status), date_html(s.event_date), s.id, s.id,
                        s.previous_event_id ? fmt::format(" follows #{}", *s.previous_event_id) : "");
  }
  body += "</ol>\n";

  body += fmt::format("<h2>Citations ({})</h2>\n", detail->event.mentions.size());
  body += citations_html(detail->event.mentions, true);

  body += "<h2>Stored article text</h2>\n";
  std::unordered_set<model::Id> shown;
  for (const model::Mention& m : detail->event.mentions) {
    if (!shown.insert(m.article_id).second || shown.size() > 20) continue;
    auto article = store.get_article(m.article_id);
    if (!article) {
      body += "<p class=\"error\">" + escape_html(article.error().message) + "</p>\n";
      continue;
    }
    body += fmt::format("<section class=\"article-text\" id=\"article-{}\">\n<h3>{}</h3>\n", article->id,
                        link_or_text(article->url, article->title));
    // Every sentence of this event quoted from this article is marked.
    std::vector<std::string> evidence;
    for (const model::Mention& other : detail->event.mentions) {
      if (other.article_id == m.article_id) evidence.push_back(other.evidence);
    }
    std::string rendered = highlight_evidence(article->text, evidence.front());
    for (std::size_t i = 1; i < evidence.size(); ++i) {
      // Further sentences of the same article: marked in the escaped text.
      const std::string escaped = escape_html(evidence[i]);
      for (std::size_t at = rendered.find(escaped); at != std::string::npos && !escaped.empty();
           at = rendered.find(escaped, at + escaped.size() + 13)) {
        rendered.replace(at, escaped.size(), "<mark>" + escaped + "</mark>");
      }
    }
    body += rendered + "</section>\n";
  }
  return html_response(e.vendor + " · " + e.actor, body);
}

std::string relative(std::optional<Timestamp> t, Timestamp now, const char* never) {
  if (!t) return never;
  const auto delta = std::chrono::duration_cast<std::chrono::minutes>(*t > now ? *t - now : now - *t);
  const std::string amount =
      delta < std::chrono::minutes(1) ? "under a minute" : format_duration(std::chrono::milliseconds(delta));
  return escape_html(digest::format_human(*t)) + " <span class=\"ago\">(" +
         (*t > now ? "in " + amount : amount + " ago") + ")</span>";
}

Response sources_page(store::Store& store, const Request& request, const SiteOptions& options) {
  if (auto bad = check_params(request.params, {})) return error_response(false, 400, *bad);
  auto sources = store.list_sources();
  if (!sources) return error_response(false, 500, sources.error().message);
  const Timestamp now = now_of(options);
  std::string body = "<h1>Sources</h1>\n";
  std::map<std::string, std::vector<const store::Source*>> failures;
  for (const auto& s : *sources) {
    if (s.state.consecutive_errors > 0) failures[s.state.last_error].push_back(&s);
  }
  body += fmt::format(
      "<p class=\"count\">{} source{}, {} failing.</p>\n", sources->size(), sources->size() == 1 ? "" : "s",
      std::count_if(sources->begin(), sources->end(), [](const auto& s) { return s.state.consecutive_errors > 0; }));
  if (!failures.empty()) {
    body += "<h2>Failures, grouped by error</h2>\n<ul class=\"failures\">\n";
    for (const auto& [error, group] : failures) {
      body +=
          fmt::format("<li><strong>{}</strong> ({} source{}): ", escape_html(error.empty() ? "(no message)" : error),
                      group.size(), group.size() == 1 ? "" : "s");
      for (std::size_t i = 0; i < group.size(); ++i) {
        body += (i ? ", " : "") + escape_html(group[i]->spec.name);
      }
      body += "</li>\n";
    }
    body += "</ul>\n";
  }
  body +=
      "<div class=\"table-scroll\"><table class=\"sources\">\n<thead><tr><th>Source</th><th>Kind</th><th>Last "
      "success</th><th>Status</th><th>Errors</th><th>Next due</th></tr></thead>\n<tbody>\n";
  for (const auto& s : *sources) {
    const bool failing = s.state.consecutive_errors > 0;
    body += fmt::format(
        "<tr{}><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        failing ? " class=\"failing\"" : "", escape_html(s.spec.name), link_or_text(s.spec.url, s.spec.url),
        escape_html(s.spec.kind), relative(s.state.last_success, now, "never"),
        s.state.last_status ? std::to_string(s.state.last_status) : "-", s.state.consecutive_errors,
        !s.spec.enabled ? "disabled" : relative(s.state.next_due, now, "now"));
  }
  body += "</tbody></table></div>\n";
  return html_response("Sources", body);
}

// ---- the API -------------------------------------------------------------------------

Response api_events(store::Store& store, const Request& request, const SiteOptions& options) {
  auto found = requested_events(store, request, options, true);
  if (!found) return std::move(found.error());
  const auto& [filter, events] = *found;
  Response r = json_response(json_array(events, event_json));
  if (events.size() == filter.limit && !events.empty()) {
    Params next = request.params;
    next.erase("before");
    next.emplace("before", std::to_string(events.back().event.id));
    r.headers.emplace_back("Link", "</api/events" + query_string(next) + ">; rel=\"next\"");
  }
  return r;
}

Response api_event(store::Store& store, const Request& request, const std::string& id_text) {
  auto detail = requested_event(store, request, id_text, true);
  if (!detail) return std::move(detail.error());
  nlohmann::json out = event_json(detail->event);
  nlohmann::json history = nlohmann::json::array();
  for (const auto& step : detail->history) {
    const model::Event& s = step.event;
    history.push_back({{"id", s.id},
                       {"status", s.status},
                       {"event_date", s.event_date ? nlohmann::json(format_precise(*s.event_date)) : nullptr},
                       {"previous_event_id", s.previous_event_id ? nlohmann::json(*s.previous_event_id) : nullptr}});
  }
  out["case_history"] = history;
  return json_response(out);
}

Response api_vendors(store::Store& store, const Request& request) {
  if (auto bad = check_params(request.params, {})) return error_response(true, 400, *bad);
  auto stats = store.stats();
  if (!stats) return error_response(true, 500, stats.error().message);
  return json_response(json_array(stats->events_per_vendor, [](const auto& vendor_count) {
    return nlohmann::json{{"vendor", vendor_count.first}, {"events", vendor_count.second}};
  }));
}

Response api_search(store::Store& store, const Request& request, const SiteOptions& options) {
  if (auto bad = check_params(request.params, {"q", "since", "limit"})) return error_response(true, 400, *bad);
  auto q = single(request.params, "q");
  if (!q) return error_response(true, 400, "parameter 'q' is missing: the words to search for");
  std::optional<Timestamp> since;
  if (auto text = single(request.params, "since")) {
    auto bound = time_bound("since", *text, now_of(options), false);
    if (!bound) return error_response(true, 400, bound.error().message);
    since = *bound;
  }
  std::size_t limit = 20;
  if (auto text = single(request.params, "limit")) {
    auto n = positive_integer("limit", *text, options.max_limit);
    if (!n) return error_response(true, 400, n.error().message);
    limit = static_cast<std::size_t>(*n);
  }
  auto hits = store.search(*q, since, limit);
  if (!hits) return error_response(true, 500, hits.error().message);
  return json_response(json_array(*hits, search_hit_json));
}

Response api_sources(store::Store& store, const Request& request) {
  if (auto bad = check_params(request.params, {})) return error_response(true, 400, *bad);
  auto sources = store.list_sources();
  if (!sources) return error_response(true, 500, sources.error().message);
  return json_response(json_array(*sources, source_json));
}

Response feed(store::Store& store, const Request& request, const SiteOptions& options) {
  if (auto bad = check_params(request.params, kFilterParams)) return error_response(false, 400, *bad);
  auto filter = parse_event_filter(request.params, options, now_of(options));
  if (!filter) return error_response(false, 400, filter.error().message);
  auto events = find_events(store, *filter);
  if (!events) return error_response(false, 500, events.error().message);
  Response r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = digest::render_events_atom(*events, now_of(options));
  return r;
}

// ---- the token ------------------------------------------------------------------------

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

bool authorized(const Request& request, const std::string& token) {
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view auth = request.authorization;
  if (auth.size() > kBearer.size() && auth.substr(0, kBearer.size()) == kBearer &&
      same_secret(auth.substr(kBearer.size()), token)) {
    return true;
  }
  auto cookie = cookie_value(request.cookie, "banwatch_token");
  return cookie && same_secret(*cookie, token);
}

}  // namespace

Response handle(store::Store& store, const Request& request, const SiteOptions& options) {
  const bool api = request.path.starts_with("/api/");
  Response r;
  if (request.method != "GET" && request.method != "HEAD") {
    r = error_response(api, 405, "this server is read-only: " + request.method + " is not allowed (GET and HEAD are)");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (!options.auth_token.empty() && !authorized(request, options.auth_token)) {
    auto given = single(request.params, "token");
    if (given && same_secret(*given, options.auth_token)) {
      Params rest = request.params;
      rest.erase("token");
      r.status = 303;
      r.content_type = "text/plain; charset=utf-8";
      r.body = "signed in\n";
      // Back to the same page on this server: its path encoded again (no
      // header injection), never "//host" (no redirect elsewhere).
      std::string location;
      for (const char c : request.path) location += c == '/' ? std::string("/") : url_encode(std::string(1, c));
      if (!location.starts_with('/') || location.starts_with("//")) location = "/";
      r.headers.emplace_back("Location", location + query_string(rest));
      r.headers.emplace_back("Set-Cookie",
                             "banwatch_token=" + options.auth_token + "; Path=/; HttpOnly; SameSite=Strict");
      return r;
    }
    r = error_response(api, 401,
                       "a token is required: send 'Authorization: Bearer TOKEN', or open /?token=TOKEN once to set "
                       "the banwatch_token cookie");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"banwatch\"");
    return r;
  }
  const std::string& path = request.path;
  // The rest of the path after `prefix`; a vendor's name may hold a slash.
  const auto tail = [&](std::string_view prefix, bool slashes = false) -> std::optional<std::string> {
    if (!path.starts_with(prefix) || path.size() == prefix.size()) return std::nullopt;
    std::string rest = path.substr(prefix.size());
    if (!slashes && rest.find('/') != std::string::npos) return std::nullopt;
    return rest;
  };
  if (path == "/") return events_page(store, request, options);
  if (path == "/style.css") {
    if (auto bad = check_params(request.params, {})) return error_response(false, 400, *bad);
    r.content_type = "text/css; charset=utf-8";
    r.body = std::string(stylesheet());
    return r;
  }
  if (path == "/sources") return sources_page(store, request, options);
  if (path == "/feed.atom") return feed(store, request, options);
  if (auto vendor = tail("/vendors/", true)) return vendor_page(store, request, *vendor, options);
  if (auto id = tail("/events/")) return event_page(store, request, *id);
  if (path == "/api/events") return api_events(store, request, options);
  if (auto id = tail("/api/events/")) return api_event(store, request, *id);
  if (path == "/api/vendors") return api_vendors(store, request);
  if (path == "/api/search") return api_search(store, request, options);
  if (path == "/api/sources") return api_sources(store, request);
  return error_response(api, 404, "no page at '" + path + "'");
}

}  // namespace banwatch::serve
