// The fetcher against a real HTTP server on 127.0.0.1: one test per fault.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "crawler/fetcher.h"
#include "crawler/robots.h"
#include "tests/crawler/test_server.h"

namespace banwatch::crawler {
namespace {

using banwatch::testing::Encoding;
using banwatch::testing::Fault;
using banwatch::testing::Route;
using banwatch::testing::TestServer;
using std::chrono::milliseconds;

FetcherOptions test_options() {
  FetcherOptions o;
  o.host_delay = milliseconds(0);
  o.connect_timeout = milliseconds(2000);
  o.timeout = milliseconds(5000);
  o.retry_base_delay = milliseconds(10);
  o.retries = 2;
  o.allowed_private_addresses = {"127.0.0.1"};  // the test server; everything else private stays refused
  o.user_agent = "banwatch-test/1.0 (+https://example.org/contact)";
  return o;
}

std::unique_ptr<Fetcher> make(const FetcherOptions& o = test_options()) {
  auto f = Fetcher::create(o);
  EXPECT_TRUE(f.has_value());
  return std::move(*f);
}

Route text(std::string body, std::string type = "text/plain") {
  Route r;
  r.body = std::move(body);
  r.content_type = std::move(type);
  return r;
}

TEST(Fetcher, FetchesBodyAndValidators) {
  TestServer server;
  Route r = text("hello");
  r.etag = "\"v1\"";
  r.last_modified = "Wed, 21 Oct 2026 07:28:00 GMT";
  server.set("/a", r);
  auto f = make();
  auto resp = f->fetch({server.url("/a")});
  ASSERT_TRUE(resp.ok()) << resp.error->message;
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, "hello");
  EXPECT_EQ(resp.etag, "\"v1\"");
  EXPECT_EQ(resp.last_modified, "Wed, 21 Oct 2026 07:28:00 GMT");
  EXPECT_EQ(resp.mime_type(), "text/plain");
  auto hit = server.last_hit("/a");
  EXPECT_EQ(hit.user_agent, "banwatch-test/1.0 (+https://example.org/contact)");
  EXPECT_NE(hit.accept_encoding.find("gzip"), std::string::npos);
  EXPECT_NE(hit.accept_encoding.find("br"), std::string::npos);
}

TEST(Fetcher, ConditionalGetAnswered304) {
  TestServer server;
  Route r = text("feed");
  r.etag = "\"abc\"";
  server.set("/feed", r);
  auto f = make();
  Request req{server.url("/feed")};
  req.etag = "\"abc\"";
  auto resp = f->fetch(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp.not_modified());
  EXPECT_TRUE(resp.body.empty());
  EXPECT_EQ(server.last_hit("/feed").if_none_match, "\"abc\"");
}

TEST(Fetcher, ConnectTimeout) {
  // A listener whose accept queue is full drops further SYNs: connect() hangs.
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 0), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    fcntl(s, F_SETFL, O_NONBLOCK);
    connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(s);
  }
  usleep(50'000);
  auto o = test_options();
  o.connect_timeout = milliseconds(300);
  o.retries = 0;
  auto f = make(o);
  auto resp = f->fetch({"http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/"});
  for (int s : fillers) close(s);
  close(listener);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kNetwork);
  // curl words it "timed out" or "timeout" depending on its version.
  EXPECT_TRUE(resp.error->message.find("imed out") != std::string::npos ||
              resp.error->message.find("imeout") != std::string::npos)
      << resp.error->message;
  EXPECT_LT(resp.elapsed, milliseconds(3000));
}

TEST(Fetcher, ReadTimeout) {
  TestServer server;
  Route r = text("late");
  r.fault = Fault::kStall;
  r.delay = milliseconds(3000);
  server.set("/stall", r);
  auto o = test_options();
  o.timeout = milliseconds(400);
  o.retries = 1;
  auto f = make(o);
  auto resp = f->fetch({server.url("/stall")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kNetwork);
  EXPECT_NE(resp.error->message.find("imed out"), std::string::npos) << resp.error->message;
  EXPECT_EQ(resp.attempts, 2);  // a timeout is transient: retried once
}

TEST(Fetcher, ConnectionResetMidBody) {
  TestServer server;
  Route r = text(std::string(100'000, 'x'));
  r.fault = Fault::kResetMidBody;
  server.set("/reset", r);
  auto o = test_options();
  o.retries = 2;
  auto f = make(o);
  auto resp = f->fetch({server.url("/reset")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kNetwork);
  EXPECT_EQ(server.hits("/reset"), 3);  // transient: 1 + 2 retries
  EXPECT_TRUE(resp.body.empty());       // a partial body is never handed on
}

TEST(Fetcher, SlowDrip) {
  TestServer server;
  Route r = text(std::string(1000, 'x'));
  r.fault = Fault::kSlowDrip;
  r.delay = milliseconds(300);
  server.set("/drip", r);
  auto o = test_options();
  o.low_speed_bytes = 100;
  o.low_speed_time = milliseconds(1000);
  o.retries = 0;
  auto f = make(o);
  auto resp = f->fetch({server.url("/drip")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kNetwork);
  EXPECT_NE(resp.error->message.find("too slow"), std::string::npos) << resp.error->message;
  EXPECT_LT(resp.elapsed, milliseconds(4000));
}

TEST(Fetcher, Http500RetriedThenReported) {
  TestServer server;
  Route r = text("boom");
  r.status = 500;
  server.set("/500", r);
  auto f = make();
  auto resp = f->fetch({server.url("/500")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kHttp);
  EXPECT_EQ(resp.status, 500);
  EXPECT_EQ(server.hits("/500"), 3);
  EXPECT_NE(resp.error->message.find("HTTP 500"), std::string::npos);
}

TEST(Fetcher, Http500ThenSuccessRecovers) {
  TestServer server;
  Route r = text("ok");
  r.first_statuses = {500, 502};
  server.set("/flaky", r);
  auto f = make();
  auto resp = f->fetch({server.url("/flaky")});
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp.body, "ok");
  EXPECT_EQ(resp.attempts, 3);
}

TEST(Fetcher, Http503WithRetryAfter) {
  TestServer server;
  Route r = text("ok");
  r.first_statuses = {503};
  r.headers.push_back({"Retry-After", "1"});
  server.set("/busy", r);
  auto f = make();
  auto resp = f->fetch({server.url("/busy")});
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(server.hits("/busy"), 2);
  EXPECT_GE(resp.elapsed, milliseconds(950));  // waited as asked, not the 10 ms backoff
}

TEST(Fetcher, Http503WithLongRetryAfterIsReportedNotAwaited) {
  TestServer server;
  Route r = text("later");
  r.status = 503;
  r.headers.push_back({"Retry-After", "7200"});
  server.set("/maint", r);
  auto f = make();
  auto resp = f->fetch({server.url("/maint")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(server.hits("/maint"), 1);
  ASSERT_TRUE(resp.retry_after.has_value());
  EXPECT_EQ(resp.retry_after->count(), 7200);
}

TEST(Fetcher, Http429) {
  TestServer server;
  Route r = text("slow down");
  r.status = 429;
  server.set("/429", r);
  auto f = make();
  auto resp = f->fetch({server.url("/429")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status, 429);
  EXPECT_EQ(server.hits("/429"), 3);
  EXPECT_NE(resp.error->message.find("Too Many Requests"), std::string::npos);
}

TEST(Fetcher, Http404And410AreNotRetried) {
  TestServer server;
  Route gone = text("gone");
  gone.status = 410;
  server.set("/gone", gone);
  auto f = make();
  auto resp = f->fetch({server.url("/gone")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status, 410);
  EXPECT_EQ(server.hits("/gone"), 1);
  EXPECT_NE(resp.error->message.find("HTTP 410 Gone"), std::string::npos);
  auto missing = f->fetch({server.url("/missing")});
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.error->message.find("HTTP 404 Not Found"), std::string::npos);
}

TEST(Fetcher, Redirect301_302_307_308Chain) {
  TestServer server;
  server.redirect("/r1", "/r2", 301);
  server.redirect("/r2", server.url("/r3"), 302);
  server.redirect("/r3", "r4", 307);
  server.redirect("/r4", "/final", 308);
  server.set("/final", text("arrived"));
  auto f = make();
  auto resp = f->fetch({server.url("/r1")});
  ASSERT_TRUE(resp.ok()) << resp.error->message;
  EXPECT_EQ(resp.body, "arrived");
  EXPECT_EQ(resp.redirects, 4);
  EXPECT_EQ(resp.final_url, server.url("/final"));
  EXPECT_EQ(resp.url, server.url("/r1"));
}

TEST(Fetcher, MoreThanFiveRedirectsIsOverBudget) {
  TestServer server;
  for (int i = 0; i < 7; ++i) server.redirect("/h" + std::to_string(i), "/h" + std::to_string(i + 1), 302);
  server.set("/h7", text("never"));
  auto f = make();
  auto resp = f->fetch({server.url("/h0")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kBudgetExceeded);
  EXPECT_EQ(server.hits("/h6"), 0);
}

TEST(Fetcher, RedirectLoop) {
  TestServer server;
  server.redirect("/loop-a", "/loop-b");
  server.redirect("/loop-b", "/loop-a");
  auto f = make();
  auto resp = f->fetch({server.url("/loop-a")});
  ASSERT_FALSE(resp.ok());
  EXPECT_NE(resp.error->message.find("redirect loop"), std::string::npos) << resp.error->message;
  EXPECT_EQ(server.hits("/loop-a"), 1);
}

// connect_to (curl --connect-to): a host name reaches the mapped address with
// its URL, robots.txt and politeness its own; the address actually connected
// is still checked.
TEST(Fetcher, ConnectToSendsAHostToTheMappedAddressAndKeepsTheAddressCheck) {
  TestServer server;
  server.set("/robots.txt", text("User-agent: *\nDisallow: /private/\n"));
  server.set("/page", text("mapped"));
  server.set("/private/page", text("secret"));
  auto o = test_options();
  o.connect_to = {"news.test:80:127.0.0.1:" + std::to_string(server.port())};
  auto f = make(o);
  auto resp = f->fetch({"http://news.test/page"});
  ASSERT_TRUE(resp.ok()) << resp.error->message;
  EXPECT_EQ(resp.body, "mapped");
  EXPECT_EQ(resp.final_url, "http://news.test/page");
  EXPECT_EQ(server.hits("/robots.txt"), 1);
  auto refused = f->fetch({"http://news.test/private/page"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error->code, ErrorCode::kRefused);
  EXPECT_EQ(server.hits("/private/page"), 0);

  // Mapped to an address that is not allowed: refused like any private address.
  auto strict = test_options();
  strict.allowed_private_addresses.clear();
  strict.connect_to = o.connect_to;
  auto g = make(strict);
  auto blocked = g->fetch({"http://news.test/page"});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error->code, ErrorCode::kRefused);
  EXPECT_EQ(server.hits("/page"), 1);
}

TEST(Fetcher, RedirectToPrivateAddress) {
  TestServer server;
  // 127.0.0.2 is loopback too, but not the allowed test address.
  server.redirect("/to-private", "http://127.0.0.2:" + std::to_string(server.port()) + "/secret");
  server.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
  server.set("/secret", text("internal"));
  auto f = make();
  auto resp = f->fetch({server.url("/to-private")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kRefused);
  EXPECT_NE(resp.error->message.find("127.0.0.2"), std::string::npos) << resp.error->message;
  EXPECT_EQ(server.hits("/secret"), 0);
  auto metadata = f->fetch({server.url("/to-metadata")});
  ASSERT_FALSE(metadata.ok());
  EXPECT_EQ(metadata.error->code, ErrorCode::kRefused);
  EXPECT_NE(metadata.error->message.find("169.254.169.254"), std::string::npos);
}

TEST(Fetcher, PrivateAddressRefusedByDefault) {
  TestServer server;
  server.set("/x", text("x"));
  FetcherOptions o = test_options();
  o.allowed_private_addresses.clear();
  auto f = make(o);
  auto resp = f->fetch({server.url("/x")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kRefused);
  EXPECT_EQ(server.total_hits(), 0);
  // By name too: the check is on the address actually connected.
  auto by_name = f->fetch({"http://localhost:" + std::to_string(server.port()) + "/x"});
  ASSERT_FALSE(by_name.ok());
  EXPECT_EQ(by_name.error->code, ErrorCode::kRefused);
  o.allow_private_networks = true;
  auto allowed = make(o)->fetch({server.url("/x")});
  EXPECT_TRUE(allowed.ok());
}

TEST(Fetcher, RedirectToFileOrFtp) {
  TestServer server;
  server.redirect("/to-file", "file:///etc/passwd");
  server.redirect("/to-ftp", "ftp://127.0.0.1/pub/x");
  auto f = make();
  for (const char* path : {"/to-file", "/to-ftp"}) {
    auto resp = f->fetch({server.url(path)});
    ASSERT_FALSE(resp.ok()) << path;
    EXPECT_EQ(resp.error->code, ErrorCode::kRefused) << path;
    EXPECT_NE(resp.error->message.find("only http and https"), std::string::npos);
  }
  auto direct = f->fetch({"file:///etc/passwd"});
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error->code, ErrorCode::kRefused);
}

TEST(Fetcher, GzipDeflateAndBrBodies) {
  TestServer server;
  std::string body = "<rss>" + std::string(5000, 'a') + "</rss>";
  Route g = text(body), d = text(body), b = text(body);
  g.encoding = Encoding::kGzip;
  d.encoding = Encoding::kDeflate;
  b.encoding = Encoding::kBrotli;
  server.set("/gzip", g);
  server.set("/deflate", d);
  server.set("/br", b);
  auto f = make();
  for (const char* path : {"/gzip", "/deflate", "/br"}) {
    auto resp = f->fetch({server.url(path)});
    ASSERT_TRUE(resp.ok()) << path << ": " << resp.error->message;
    EXPECT_EQ(resp.body, body) << path;
    EXPECT_FALSE(resp.content_encoding.empty()) << path;
  }
}

TEST(Fetcher, GzipBomb) {
  TestServer server;
  Route bomb = text(std::string(32u << 20, '\0'), "application/rss+xml");
  bomb.encoding = Encoding::kGzip;  // about 140 KB on the wire
  server.set("/bomb", bomb);
  auto o = test_options();
  o.max_bytes = 1u << 20;
  auto f = make(o);
  auto resp = f->fetch({server.url("/bomb")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kBudgetExceeded);
  EXPECT_TRUE(resp.body.empty());
  EXPECT_EQ(server.hits("/bomb"), 1);  // not retried
}

TEST(Fetcher, BodyOverBudget) {
  TestServer server;
  server.set("/big", text(std::string(300'000, 'x')));
  auto o = test_options();
  o.max_bytes = 100'000;
  auto f = make(o);
  auto resp = f->fetch({server.url("/big")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kBudgetExceeded);
  EXPECT_NE(resp.error->message.find("100000"), std::string::npos);
}

TEST(Fetcher, RobotsTxtDisallow) {
  TestServer server;
  server.set("/robots.txt", text("User-agent: *\nDisallow: /private\n\nUser-agent: banwatch-test\nDisallow: "
                                 "/news/secret\nAllow: /news/secret/ok\n"));
  server.set("/news/secret/x", text("no"));
  server.set("/news/secret/ok", text("yes"));
  server.set("/private", text("allowed for us: our group replaces *"));
  auto f = make();
  auto denied = f->fetch({server.url("/news/secret/x")});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error->code, ErrorCode::kRefused);
  EXPECT_NE(denied.error->message.find("robots.txt disallows"), std::string::npos);
  EXPECT_EQ(server.hits("/news/secret/x"), 0);
  EXPECT_TRUE(f->fetch({server.url("/news/secret/ok")}).ok());
  EXPECT_TRUE(f->fetch({server.url("/private")}).ok());
  EXPECT_EQ(server.hits("/robots.txt"), 1);  // cached per origin
}

// §2.5: a crawler must parse at least the first 500 KiB of robots.txt. A
// longer file (here also longer than the body budget) is read up to the
// limit and obeyed, not refused whole as unreachable.
TEST(Fetcher, Spec_RFC9309_2_5_ALongRobotsTxtIsReadUpToTheLimit) {
  TestServer server;
  std::string robots = "User-agent: *\nDisallow: /private\n";
  while (robots.size() < kRobotsMaxBytes + 200'000) robots += "# padding padding padding padding padding\n";
  robots += "Disallow: /late\n";
  server.set("/robots.txt", text(robots));
  server.set("/news", text("news"));
  server.set("/private", text("no"));
  server.set("/late", text("past the limit: never read"));
  auto o = test_options();
  o.max_bytes = 100'000;
  auto f = make(o);
  auto news = f->fetch({server.url("/news")});
  EXPECT_TRUE(news.ok()) << news.error->message;
  auto denied = f->fetch({server.url("/private")});
  ASSERT_FALSE(denied.ok());
  EXPECT_NE(denied.error->message.find("robots.txt disallows"), std::string::npos) << denied.error->message;
  EXPECT_TRUE(f->fetch({server.url("/late")}).ok());
  EXPECT_EQ(server.hits("/robots.txt"), 1);
}

TEST(Fetcher, RobotsTxt500) {
  TestServer server;
  Route robots = text("oops");
  robots.status = 500;
  server.set("/robots.txt", robots);
  server.set("/page", text("content"));
  auto f = make();
  auto resp = f->fetch({server.url("/page")});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error->code, ErrorCode::kRefused);
  EXPECT_NE(resp.error->message.find("robots.txt unreachable"), std::string::npos) << resp.error->message;
  EXPECT_EQ(server.hits("/page"), 0);
}

TEST(Fetcher, RobotsTxt404AllowsAll) {
  TestServer server;
  server.set("/page", text("content"));
  auto f = make();
  EXPECT_TRUE(f->fetch({server.url("/page")}).ok());
  EXPECT_EQ(server.hits("/robots.txt"), 1);
}

TEST(Fetcher, CrawlDelayAndHostDelaySpaceRequests) {
  TestServer server;
  server.set("/robots.txt", text("User-agent: *\nCrawl-delay: 0.3\n"));
  for (int i = 0; i < 3; ++i) server.set("/p" + std::to_string(i), text("x"));
  auto f = make();
  std::vector<Response> responses;
  for (int i = 0; i < 3; ++i)
    f->submit({server.url("/p" + std::to_string(i))}, [&](Response&& r) { responses.push_back(std::move(r)); });
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(f->run().has_value());
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(responses.size(), 3u);
  // robots.txt, then three pages at least 300 ms apart.
  EXPECT_GE(took, milliseconds(850));
}

// The per-host delay counts from when a request goes out, not from when the
// fetcher hands it to libcurl: slow callbacks (the pipeline's store writes)
// run between the two, and spacing handover times let requests arrive closer
// than the delay.
TEST(Fetcher, HostDelayHoldsAtTheServerWhileCallbacksAreSlow) {
  TestServer polite;  // the host whose spacing is checked
  TestServer busy;    // another host whose responses keep the callbacks busy
  polite.set("/robots.txt", text(""));
  busy.set("/robots.txt", text(""));
  constexpr int kPages = 8;
  for (int i = 0; i < kPages; ++i) {
    // A new connection per request: its request goes out only after the
    // connect, in a later turn of the event loop, after other callbacks.
    Route page = text("x");
    page.headers.emplace_back("Connection", "close");
    polite.set("/p" + std::to_string(i), page);
    busy.set("/b" + std::to_string(i), text("y"));
  }
  FetcherOptions o = test_options();
  o.host_delay = milliseconds(150);
  o.host_connections = 4;
  o.concurrency = 8;
  auto f = make(o);
  int done = 0;
  for (int i = 0; i < kPages; ++i) {
    f->submit({polite.url("/p" + std::to_string(i))}, [&](Response&&) { ++done; });
    f->submit({busy.url("/b" + std::to_string(i))}, [&](Response&&) {
      ++done;
      std::this_thread::sleep_for(milliseconds(70));  // a slow store write
    });
  }
  ASSERT_TRUE(f->run().has_value());
  ASSERT_EQ(done, 2 * kPages);
  std::vector<std::chrono::steady_clock::time_point> arrivals;
  for (const auto& hit : polite.log()) {
    if (hit.path != "/robots.txt") arrivals.push_back(hit.at);
  }
  ASSERT_EQ(arrivals.size(), static_cast<std::size_t>(kPages));
  std::sort(arrivals.begin(), arrivals.end());
  for (std::size_t i = 1; i < arrivals.size(); ++i) {
    // A little under the delay: the server thread stamps arrivals after the kernel delivers them.
    EXPECT_GE(arrivals[i] - arrivals[i - 1], milliseconds(140)) << "requests " << i - 1 << " and " << i;
  }
}

TEST(Fetcher, CancelAbandonsInFlightTransfers) {
  TestServer server;
  Route r = text("late");
  r.fault = Fault::kStall;
  r.delay = milliseconds(5000);
  server.set("/slow", r);
  server.set("/robots.txt", text(""));
  auto f = make();
  int called = 0;
  std::atomic<int> cancel{0};
  f->submit({server.url("/slow")}, [&](Response&&) { ++called; });
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    cancel.store(2);
  });
  auto status = f->run(&cancel);
  stopper.join();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(called, 0);
}

TEST(Fetcher, CallbacksMaySubmitMore) {
  TestServer server;
  server.set("/one", text("/two"));
  server.set("/two", text("done"));
  auto f = make();
  std::string second;
  f->submit({server.url("/one")},
            [&](Response&& r) { f->submit({server.url(r.body)}, [&](Response&& r2) { second = r2.body; }); });
  ASSERT_TRUE(f->run().has_value());
  EXPECT_EQ(second, "done");
}

TEST(PrivateAddress, Classification) {
  for (const char* ip : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                         "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
                         "fd12::3", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe"})
    EXPECT_TRUE(is_private_address(ip)) << ip;
  for (const char* ip :
       {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "example.com"})
    EXPECT_FALSE(is_private_address(ip)) << ip;
}

TEST(RetryAfter, SecondsAndHttpDate) {
  EXPECT_EQ(parse_retry_after("120", 0)->count(), 120);
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 30)->count(), 30);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 30)->count(), 0);
  EXPECT_FALSE(parse_retry_after("soon", 0).has_value());
  EXPECT_FALSE(parse_retry_after("", 0).has_value());
}

TEST(ResponseHeaders, CharsetAndMime) {
  Response r;
  r.content_type = "Text/HTML; Charset=\"ISO-8859-1\"";
  EXPECT_EQ(r.mime_type(), "text/html");
  EXPECT_EQ(r.charset(), "ISO-8859-1");
}

// hold()/post(): work handed to another thread keeps run() going; what the
// thread posts runs on run()'s thread, in order, and may submit more requests.
TEST(Fetcher, RunWaitsForHeldWorkAndRunsPostedTasksOnItsThread) {
  TestServer server;
  server.set("/a", text("first"));
  server.set("/b", text("second"));
  auto f = make();
  const auto loop_thread = std::this_thread::get_id();
  std::vector<std::string> order;
  std::thread worker;
  f->submit({server.url("/a")}, [&](Response&& r) {
    order.push_back(r.body);
    f->hold();
    worker = std::thread([&] {
      std::this_thread::sleep_for(milliseconds(300));  // longer than one idle turn of the loop
      f->post([&] {
        EXPECT_EQ(std::this_thread::get_id(), loop_thread);
        order.push_back("posted");
        f->submit({server.url("/b")}, [&](Response&& second) { order.push_back(second.body); });
      });
    });
  });
  ASSERT_TRUE(f->run().has_value());
  worker.join();
  EXPECT_EQ(order, (std::vector<std::string>{"first", "posted", "second"}));
}

TEST(Fetcher, TasksPostedAfterACancelRunInTheNextRun) {
  auto f = make();
  std::atomic<int> cancel{1};
  f->hold();
  int ran = 0;
  std::thread worker([&] { f->post([&] { ++ran; }); });
  worker.join();
  EXPECT_FALSE(f->run(&cancel).has_value());  // cancelled before the loop's first turn delivers it
  EXPECT_EQ(ran, 0);
  ASSERT_TRUE(f->run().has_value());
  EXPECT_EQ(ran, 1);
}

// Freed slots go to the origin that has waited longest: with one slot and
// three busy origins, the origins take turns. (In hash order, one origin took
// every slot until its queue was empty, and a crawl ended on one host alone.)
TEST(Fetcher, OriginsTakeTurnsForFreedSlots) {
  TestServer a, b, c;
  std::vector<TestServer*> servers{&a, &b, &c};
  for (TestServer* server : servers) {
    for (int i = 0; i < 4; ++i) server->set("/p" + std::to_string(i), text("x"));
  }
  FetcherOptions o = test_options();
  o.concurrency = 1;
  auto f = make(o);
  std::vector<int> served;
  for (int s = 0; s < 3; ++s) {
    for (int i = 0; i < 4; ++i) {
      Request request(servers[static_cast<std::size_t>(s)]->url("/p" + std::to_string(i)));
      request.check_robots = false;
      f->submit(std::move(request), [&served, s](Response&& r) {
        EXPECT_TRUE(r.ok()) << r.error->message;
        served.push_back(s);
      });
    }
  }
  ASSERT_TRUE(f->run().has_value());
  ASSERT_EQ(served.size(), 12u);
  for (std::size_t i = 1; i < served.size(); ++i) {
    EXPECT_NE(served[i], served[i - 1]) << "request " << i << " went to the origin served just before";
  }
}

}  // namespace
}  // namespace banwatch::crawler
