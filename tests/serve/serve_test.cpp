// The web UI and JSON API of `banwatch serve`: the pages and answers from a
// real SQLite store (handle(), no socket), then every route over HTTP on
// loopback (serve::Server and a cpp-httplib client).
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/serve.h"
#include "store/open/open_store.h"

namespace {

namespace fs = std::filesystem;
using namespace banwatch;
using namespace banwatch::store;

Timestamp at(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return Timestamp(sys_days{year{y} / month{m} / day{d}});
}
PreciseTime day_date(int y, unsigned m, unsigned d) { return PreciseTime{at(y, m, d), DatePrecision::kDay}; }

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

constexpr const char* kPlantedTitle = "Ban <b id=\"planted\">bold</b> & <script>alert(1)</script>";
constexpr const char* kPlantedText =
    "Opening words.\n\nThe Tarrow Assembly banned Zentel routers on March 3, 2026.\n\n"
    "<img src=x onerror=alert(2)> closing words.";

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("banwatch-serve-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto opened = open_store((dir_ / "store.db").string(), {});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->add_source({.name = "wire", .url = "https://wire.example/feed"}));
    const model::Id source = store_->get_source("wire")->id;
    // Zentel, Tarrow Assembly: proposed, then enacted (a status change);
    // Zentel, Peru: undated; Kova, France: enacted.
    append("proposal", "Tarrow may ban Zentel", "The Tarrow Assembly proposed a ban on Zentel routers.",
           {event("Zentel", "Tarrow Assembly", "proposed", day_date(2026, 1, 10),
                  "The Tarrow Assembly proposed a ban on Zentel routers.")},
           source, at(2026, 1, 11));
    append("vote", kPlantedTitle, kPlantedText,
           {event("Zentel", "Tarrow Assembly", "enacted", day_date(2026, 3, 3),
                  "The Tarrow Assembly banned Zentel routers on March 3, 2026.")},
           source, at(2026, 3, 4));
    append("peru", "Peru and Zentel", "Peru restricted Zentel.",
           {event("Zentel", "Peru", "considering", std::nullopt, "Peru is weighing limits on Zentel.")}, source,
           at(2026, 3, 5));
    append("kova", "France and Kova", "France banned Kova cameras.",
           {event("Kova", "France", "enacted", day_date(2026, 2, 1), "France banned Kova cameras.")}, source,
           at(2026, 3, 6));
    options_.now = at(2026, 4, 1);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  static model::ExtractedEvent event(const std::string& vendor, const std::string& actor, const std::string& status,
                                     std::optional<PreciseTime> date, const std::string& evidence) {
    model::ExtractedEvent e;
    e.vendor = vendor;
    e.actor = actor;
    e.actor_type = "government";
    e.action = "ban";
    e.status = status;
    e.event_date = date;
    e.evidence = evidence;
    e.rule_id = "ban.v1";
    e.rule_pack_version = "1";
    e.confidence = 0.9;
    return e;
  }

  void append(const std::string& slug, const std::string& title, const std::string& text,
              const std::vector<model::ExtractedEvent>& events, model::Id source, Timestamp when) {
    model::ArticleRecord a;
    a.source_id = source;
    a.url = "https://wire.example/" + slug;
    a.canonical_url = a.url;
    a.title = title;
    a.text = text;
    a.content_hash = slug;
    a.fetched_at = when;
    a.published_at = PreciseTime{when, DatePrecision::kMinute};
    AppendOptions options;
    options.now = when;
    ASSERT_TRUE(store_->append_article(a, events, options));
  }

  serve::Response get(const std::string& path, std::multimap<std::string, std::string> params = {},
                      const std::string& method = "GET") {
    serve::Request request;
    request.method = method;
    request.path = path;
    request.params = std::move(params);
    return serve::handle(*store_, request, options_);
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  serve::SiteOptions options_;
};

TEST_F(ServeTest, EventsPageListsEveryEventNewestFirstWithBadgesAndCitations) {
  auto r = get("/");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(count(r.body, "<article class=\"event\""), 4);
  EXPECT_LT(r.body.find("id=\"event-4\""), r.body.find("id=\"event-1\"")) << "newest first";
  EXPECT_NE(r.body.find("<span class=\"badge status-enacted\">enacted</span>"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"https://wire.example/kova\""), std::string::npos);
  EXPECT_NE(r.body.find("<blockquote class=\"evidence\">France banned Kova cameras.</blockquote>"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/vendors/Zentel\""), std::string::npos);
}

TEST_F(ServeTest, FiltersNarrowTheEventsAndPagesGoOlder) {
  EXPECT_EQ(count(get("/", {{"vendor", "Kova"}}).body, "<article class=\"event\""), 1);
  EXPECT_EQ(count(get("/", {{"status", "enacted"}}).body, "<article class=\"event\""), 2);
  EXPECT_EQ(count(get("/", {{"actor", "Peru"}, {"vendor", ""}}).body, "<article class=\"event\""), 1)
      << "an empty field of the form is no filter";
  EXPECT_EQ(count(get("/", {{"since", "2026-01-01"}, {"until", "2026-02-28"}, {"by", "date"}}).body,
                  "<article class=\"event\""),
            2);
  EXPECT_EQ(count(get("/", {{"q", "cameras"}}).body, "<article class=\"event\""), 1) << "text: full-text search";
  auto first = get("/", {{"limit", "2"}});
  EXPECT_EQ(count(first.body, "<article class=\"event\""), 2);
  EXPECT_NE(first.body.find("href=\"/?before=3&amp;limit=2\""), std::string::npos) << first.body;
  auto older = get("/", {{"limit", "2"}, {"before", "3"}});
  EXPECT_NE(older.body.find("id=\"event-2\""), std::string::npos);
  EXPECT_NE(older.body.find("id=\"event-1\""), std::string::npos);
}

TEST_F(ServeTest, BadParametersAre400WithAMessageNamingThem) {
  const std::vector<std::pair<std::multimap<std::string, std::string>, std::string>> cases = {
      {{{"limit", "0"}}, "limit"},
      {{{"limit", "abc"}}, "limit"},
      {{{"limit", "100000"}}, "limit"},
      {{{"since", "yesterday"}}, "since"},
      {{{"status", "banned"}}, "status"},
      {{{"by", "week"}}, "by"},
      {{{"colour", "red"}}, "colour"},
      {{{"before", "-1"}}, "before"},
      {{{"since", "2026-03-01"}, {"until", "2026-02-01"}}, "range is empty"}};
  for (const auto& [params, message] : cases) {
    for (const char* path : {"/", "/api/events", "/feed.atom", "/vendors/Zentel"}) {
      auto r = get(path, params);
      EXPECT_EQ(r.status, 400) << path << " " << params.begin()->first;
      // The message names the parameter (quoted: &#39; in HTML, ' in JSON).
      const bool named = r.body.find("&#39;" + message + "&#39;") != std::string::npos ||
                         r.body.find("'" + message + "'") != std::string::npos ||
                         (r.body.find(message) != std::string::npos && message == "range is empty");
      EXPECT_TRUE(named) << path << ": " << r.body;
    }
  }
  auto search = get("/api/search");
  EXPECT_EQ(search.status, 400);
  EXPECT_NE(search.body.find("'q'"), std::string::npos);
  EXPECT_EQ(get("/sources", {{"x", "1"}}).status, 400);
  EXPECT_EQ(get("/api/vendors", {{"x", "1"}}).status, 400);
}

TEST_F(ServeTest, EveryMethodButGetAndHeadIs405) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    for (const char* path : {"/", "/api/events", "/events/1", "/nowhere"}) {
      auto r = get(path, {}, method);
      EXPECT_EQ(r.status, 405) << method << " " << path;
      EXPECT_NE(
          std::find(r.headers.begin(), r.headers.end(), std::pair<std::string, std::string>{"Allow", "GET, HEAD"}),
          r.headers.end());
    }
  }
  EXPECT_EQ(get("/", {}, "HEAD").status, 200);
}

TEST_F(ServeTest, MarkupFromTheStoreIsEscapedOnEveryPage) {
  for (const std::string path : {"/", "/vendors/Zentel", "/events/2"}) {
    auto r = get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find("<b id=\"planted\">"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("<script"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("<img"), std::string::npos) << path;
    EXPECT_NE(r.body.find("&lt;b id=&quot;planted&quot;&gt;bold&lt;/b&gt; &amp; &lt;script&gt;"), std::string::npos)
        << path;
  }
  auto event = get("/events/2");
  EXPECT_NE(event.body.find("&lt;img src=x onerror=alert(2)&gt; closing words."), std::string::npos);
  auto feed = get("/feed.atom");
  EXPECT_EQ(feed.content_type, "application/atom+xml; charset=utf-8");
  EXPECT_EQ(feed.body.find("<b id=\"planted\">"), std::string::npos);
  auto api = nlohmann::json::parse(get("/api/events/2").body);
  EXPECT_EQ(api["mentions"][0]["title"], kPlantedTitle) << "JSON carries the text as it is, JSON-escaped";
}

TEST_F(ServeTest, VendorPageDrawsOneMarkPerDatedEventAndLinksTheStatusChange) {
  auto r = get("/vendors/Zentel");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(count(r.body, "<svg class=\"timeline\""), 1);
  EXPECT_EQ(count(r.body, "<circle class=\"mark"), 2) << "the undated event is not drawn";
  EXPECT_NE(r.body.find("class=\"mark status-proposed\" data-event-id=\"1\""), std::string::npos);
  EXPECT_NE(r.body.find("class=\"mark status-enacted\" data-event-id=\"2\""), std::string::npos);
  EXPECT_NE(r.body.find("<line class=\"link\" data-from=\"1\" data-to=\"2\""), std::string::npos);
  EXPECT_NE(r.body.find("1 undated, not drawn"), std::string::npos);
  EXPECT_EQ(count(r.body, "<article class=\"event\""), 3) << "the events below the timeline";
  EXPECT_EQ(get("/vendors/Nobody").status, 404);
  EXPECT_EQ(count(get("/vendors/Zentel", {{"actor", "Peru"}}).body, "<circle class=\"mark"), 0);
}

TEST_F(ServeTest, TimelineRowsAreCasesAndMarksFollowTime) {
  auto events = store_->query_events({.vendors = {"Zentel"}, .with_timeline = true});
  ASSERT_TRUE(events);
  const std::string svg = serve::render_timeline_svg(*events);
  EXPECT_EQ(count(svg, "class=\"row-label\""), 1) << "Peru's only event is undated";
  std::smatch m;
  std::regex cx("data-event-id=\"(\\d)\" cx=\"([0-9.]+)\"");
  std::map<std::string, double> x;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), cx); it != std::sregex_iterator(); ++it) {
    x[(*it)[1]] = std::stod((*it)[2]);
  }
  ASSERT_EQ(x.size(), 2u);
  EXPECT_LT(x["1"], x["2"]) << "January before March";
  EXPECT_NE(serve::render_timeline_svg({}).find("No dated events"), std::string::npos);
}

TEST_F(ServeTest, EventPageShowsTheCaseEveryCitationAndTheTextWithTheEvidenceMarked) {
  auto r = get("/events/2");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<h2>Case history</h2>"), std::string::npos);
  EXPECT_NE(r.body.find("<a href=\"/events/1\">#1</a>"), std::string::npos);
  EXPECT_NE(r.body.find("<h2>Citations (1)</h2>"), std::string::npos);
  EXPECT_NE(r.body.find("<p><mark>The Tarrow Assembly banned Zentel routers on March 3, 2026.</mark></p>"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("<p>Opening words.</p>"), std::string::npos);
  EXPECT_EQ(get("/events/99").status, 404);
  EXPECT_EQ(get("/events/abc").status, 404);
  EXPECT_EQ(get("/api/events/99").status, 404);
}

TEST_F(ServeTest, HighlightEscapesAndMarksEveryOccurrence) {
  EXPECT_EQ(serve::highlight_evidence("a <x> b\n\nb again", "b"),
            "<p>a &lt;x&gt; <mark>b</mark></p>\n<p><mark>b</mark> again</p>\n");
  EXPECT_EQ(serve::highlight_evidence("no match", "zzz"), "<p>no match</p>\n");
}

TEST_F(ServeTest, ApiAnswersTheCliJson) {
  auto events = get("/api/events");
  ASSERT_EQ(events.status, 200);
  EXPECT_EQ(events.content_type, "application/json; charset=utf-8");
  auto all = nlohmann::json::parse(events.body);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0]["id"], 4);
  for (const char* key :
       {"id", "vendor", "actor", "actor_type", "action", "status", "scope", "event_date", "event_date_precision",
        "first_seen_at", "confidence", "previous_event_id", "case_status", "mentions"}) {
    EXPECT_TRUE(all[0].contains(key)) << key;
  }
  EXPECT_EQ(all[2]["previous_event_id"], 1);
  EXPECT_EQ(nlohmann::json::parse(get("/api/events", {{"vendor", "Kova"}}).body).size(), 1u);
  auto paged = get("/api/events", {{"limit", "1"}});
  EXPECT_NE(std::find(paged.headers.begin(), paged.headers.end(),
                      std::pair<std::string, std::string>{"Link", "</api/events?before=4&limit=1>; rel=\"next\""}),
            paged.headers.end());

  auto one = nlohmann::json::parse(get("/api/events/2").body);
  EXPECT_EQ(one["status"], "enacted");
  ASSERT_EQ(one["case_history"].size(), 2u);
  EXPECT_EQ(one["case_history"][0]["id"], 1);

  auto vendors = nlohmann::json::parse(get("/api/vendors").body);
  ASSERT_EQ(vendors.size(), 2u);
  EXPECT_EQ(vendors[0], (nlohmann::json{{"vendor", "Zentel"}, {"events", 3}}));

  auto hits = nlohmann::json::parse(get("/api/search", {{"q", "cameras"}}).body);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["url"], "https://wire.example/kova");

  auto sources = nlohmann::json::parse(get("/api/sources").body);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0]["name"], "wire");
  EXPECT_EQ(get("/api/nothing").status, 404);
  EXPECT_EQ(nlohmann::json::parse(get("/api/nothing").body)["status"], 404);
}

TEST_F(ServeTest, SourcesPageGroupsFailuresByError) {
  ASSERT_TRUE(store_->add_source({.name = "dead-1", .url = "https://dead.example/1"}));
  ASSERT_TRUE(store_->add_source({.name = "dead-2", .url = "https://dead.example/2"}));
  for (const char* name : {"dead-1", "dead-2"}) {
    FetchState state;
    state.consecutive_errors = 3;
    state.last_error = "could not resolve host <dead.example>";
    ASSERT_TRUE(store_->save_fetch_state(store_->get_source(name)->id, state));
  }
  auto r = get("/sources");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("3 sources, 2 failing."), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<strong>could not resolve host &lt;dead.example&gt;</strong> (2 sources): dead-1, dead-2"),
            std::string::npos)
      << r.body;
}

TEST_F(ServeTest, TokenIsCheckedAsBearerOrCookieAndTheLoginSetsTheCookie) {
  options_.auth_token = "0123456789abcdef-token";
  EXPECT_EQ(get("/").status, 401);
  EXPECT_EQ(get("/api/events").status, 401);
  serve::Request request;
  request.path = "/api/events";
  request.authorization = "Bearer 0123456789abcdef-token";
  EXPECT_EQ(serve::handle(*store_, request, options_).status, 200);
  request.authorization = "Bearer wrong";
  EXPECT_EQ(serve::handle(*store_, request, options_).status, 401);
  request.authorization.clear();
  request.cookie = "theme=dark; banwatch_token=0123456789abcdef-token";
  EXPECT_EQ(serve::handle(*store_, request, options_).status, 200);
  request.cookie = "banwatch_token=0123456789abcdef-tokeX";
  EXPECT_EQ(serve::handle(*store_, request, options_).status, 401);

  auto login = get("/", {{"token", "0123456789abcdef-token"}, {"vendor", "Kova"}});
  EXPECT_EQ(login.status, 303);
  std::map<std::string, std::string> headers(login.headers.begin(), login.headers.end());
  EXPECT_EQ(headers["Location"], "/?vendor=Kova");
  EXPECT_EQ(headers["Set-Cookie"], "banwatch_token=0123456789abcdef-token; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(get("/", {{"token", "wrong"}}).status, 401);
  auto elsewhere = get("//evil.example/x", {{"token", "0123456789abcdef-token"}});
  EXPECT_EQ(elsewhere.status, 303);
  std::map<std::string, std::string> redirect(elsewhere.headers.begin(), elsewhere.headers.end());
  EXPECT_EQ(redirect["Location"], "/") << "never a redirect to another host";
  auto crlf = get("/vendors/A\r\nSet-Cookie: x=1", {{"token", "0123456789abcdef-token"}});
  std::map<std::string, std::string> encoded(crlf.headers.begin(), crlf.headers.end());
  EXPECT_EQ(encoded["Location"], "/vendors/A%0D%0ASet-Cookie%3A%20x%3D1");
}

TEST(ServeListen, ParsesAddressesAndKnowsLoopback) {
  auto plain = serve::parse_listen("127.0.0.1:8080");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 8080);
  auto v6 = serve::parse_listen("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(serve::parse_listen(":9000")->host, "127.0.0.1");
  EXPECT_EQ(serve::parse_listen("9000")->port, 9000);
  for (const char* bad : {"127.0.0.1:", "127.0.0.1:70000", "host.example:80", "::1:80", "[::1]80", "1.2.3.4:x"}) {
    auto r = serve::parse_listen(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("--listen"), std::string::npos);
  }
  for (const char* loopback : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) EXPECT_TRUE(serve::is_loopback(loopback));
  for (const char* other : {"0.0.0.0", "::", "192.168.1.4", "10.0.0.1", "::ffff:127.0.0.1x"}) {
    EXPECT_FALSE(serve::is_loopback(other)) << other;
  }
}

// ---- over HTTP ---------------------------------------------------------------------

// Sends `request` as is on a new connection; the status of the answer.
int raw_status(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return -1;
  }
  char buffer[64] = {};
  const ssize_t n = ::recv(fd, buffer, sizeof buffer - 1, 0);
  ::close(fd);
  const std::string head(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  return head.size() >= 12 && head.starts_with("HTTP/1.1 ") ? std::atoi(head.c_str() + 9) : -1;
}

TEST_F(ServeTest, EveryRouteOverHttpWithSecurityHeaders) {
  auto server = serve::Server::start(*store_, {"127.0.0.1", 0}, options_);
  ASSERT_TRUE(server) << server.error().message;
  httplib::Client client("127.0.0.1", (*server)->port());
  client.set_read_timeout(30, 0);
  for (const char* path : {"/", "/vendors/Zentel", "/events/2", "/sources", "/feed.atom", "/style.css", "/api/events",
                           "/api/events/2", "/api/vendors", "/api/search?q=Kova", "/api/sources"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    const std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("script-src"), std::string::npos) << "no script source at all: " << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  }
  auto vendor = client.Get("/vendors/Zentel%20Ltd");
  ASSERT_TRUE(vendor);
  EXPECT_EQ(vendor->status, 404);
  EXPECT_NE(vendor->body.find("Zentel Ltd"), std::string::npos) << vendor->body;
  auto head = client.Head("/api/events");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  auto post = client.Post("/api/events", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  auto del = client.Delete("/events/1");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  // A POST without a length, and a TRACE, straight on the socket.
  for (const std::string request :
       {"POST /api/events HTTP/1.1\r\nHost: x\r\n\r\n", "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    EXPECT_EQ(raw_status((*server)->port(), request), 405) << request;
  }
  auto bad = client.Get("/api/events?limit=-3");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(nlohmann::json::parse(bad->body)["error"].get<std::string>().find("'limit'"), std::string::npos);
  auto filtered = client.Get("/api/events?vendor=Zentel&status=enacted");
  ASSERT_TRUE(filtered);
  EXPECT_EQ(nlohmann::json::parse(filtered->body).size(), 1u);
}

}  // namespace
