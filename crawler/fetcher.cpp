#include "crawler/fetcher.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <queue>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "common/text.h"
#include "common/url.h"
#include "crawler/politeness.h"
#include "crawler/robots.h"

namespace banwatch::crawler {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;
using std::chrono::milliseconds;

bool ipv4_private(std::uint32_t a) {  // host byte order
  auto in = [a](std::uint32_t net, int bits) {
    std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t(0) << (32 - bits);
    return (a & mask) == net;
  };
  return in(0x00000000, 8) ||   // "this network", 0.0.0.0
         in(0x0A000000, 8) ||   // 10/8
         in(0x64400000, 10) ||  // 100.64/10 carrier-grade NAT
         in(0x7F000000, 8) ||   // loopback
         in(0xA9FE0000, 16) ||  // link-local, cloud metadata 169.254.169.254
         in(0xAC100000, 12) ||  // 172.16/12
         in(0xC0000000, 24) ||  // 192.0.0/24 IETF protocol assignments
         in(0xC0000200, 24) ||  // TEST-NET-1
         in(0xC0A80000, 16) ||  // 192.168/16
         in(0xC6120000, 15) ||  // 198.18/15 benchmarking
         in(0xC6336400, 24) ||  // TEST-NET-2
         in(0xCB007100, 24) ||  // TEST-NET-3
         in(0xE0000000, 4) ||   // multicast
         in(0xF0000000, 4);     // reserved, broadcast
}

bool ipv6_private(const unsigned char* b) {
  static const unsigned char kZero[16] = {};
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
  auto v4 = [&](int offset) {
    return ipv4_private((std::uint32_t(b[offset]) << 24) | (std::uint32_t(b[offset + 1]) << 16) |
                        (std::uint32_t(b[offset + 2]) << 8) | std::uint32_t(b[offset + 3]));
  };
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, 12) == 0) return v4(12);
  if (std::memcmp(b, kZero, 12) == 0) return true;  // deprecated IPv4-compatible ::a.b.c.d
  static const unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, 12) == 0) return v4(12);
  if ((b[0] & 0xfe) == 0xfc) return true;                                         // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;                         // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;                         // fec0::/10 site-local (deprecated)
  if (b[0] == 0xff) return true;                                                  // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // documentation
  return false;
}

std::string sockaddr_ip(const struct sockaddr* addr) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, buf, sizeof buf);
  } else if (addr->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

bool transient_status(int status) { return status == 429 || (status >= 500 && status <= 599); }

// The cause a transfer error is reported under (common/failure.h groups by
// it): the first words of the message after the URL.
std::string_view curl_cause(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "DNS failure";
    case CURLE_COULDNT_CONNECT:
      return "connection refused";
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return "TLS failure";
    default:
      return "connection failure";
  }
}

bool transient_curl_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP3:
      return true;
    default:
      return false;
  }
}

std::string status_reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 429:
      return "Too Many Requests";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::once_flag g_curl_init;

}  // namespace

bool is_private_address(const std::string& ip) {
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) return ipv4_private(ntohl(v4.s_addr));
  in6_addr v6{};
  std::string bare = ip;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') bare = bare.substr(1, bare.size() - 2);
  if (auto pct = bare.find('%'); pct != std::string::npos) bare.resize(pct);  // zone id
  if (inet_pton(AF_INET6, bare.c_str(), &v6) == 1) return ipv6_private(v6.s6_addr);
  return false;
}

std::optional<std::chrono::seconds> parse_retry_after(const std::string& value, std::int64_t now_epoch_seconds) {
  std::string_view v = trim_ascii_space(value);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (v.size() > 9) return std::chrono::seconds(999'999'999);
    return std::chrono::seconds(std::stoll(std::string(v)));
  }
  time_t when = curl_getdate(std::string(v).c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::chrono::seconds(std::max<std::int64_t>(0, static_cast<std::int64_t>(when) - now_epoch_seconds));
}

std::string Response::mime_type() const {
  auto semi = content_type.find(';');
  return ascii_lower(trim_ascii_space(std::string_view(content_type).substr(0, semi)));
}

std::string Response::charset() const {
  std::string lowered = ascii_lower(content_type);
  auto pos = lowered.find("charset=");
  if (pos == std::string::npos) return "";
  std::string_view rest = std::string_view(content_type).substr(pos + 8);
  auto end = rest.find(';');
  rest = trim_ascii_space(rest.substr(0, end));
  if (rest.size() >= 2 && (rest.front() == '"' || rest.front() == '\'')) rest = rest.substr(1, rest.size() - 2);
  return std::string(rest);
}

FetcherOptions FetcherOptions::from_config(const FetchConfig& c) {
  FetcherOptions o;
  o.concurrency = c.concurrency;
  o.host_connections = c.host_connections;
  o.host_delay = c.host_delay;
  o.connect_timeout = c.connect_timeout;
  o.timeout = c.timeout;
  o.low_speed_bytes = c.low_speed_bytes;
  o.low_speed_time = c.low_speed_time;
  o.max_bytes = c.max_bytes;
  o.max_redirects = c.max_redirects;
  o.retries = c.retries;
  o.allow_private_networks = c.allow_private_networks;
  o.user_agent = c.user_agent;
  o.robots_ttl = c.robots_ttl;
  return o;
}

namespace {

class CurlFetcher final : public Fetcher {
 public:
  explicit CurlFetcher(const FetcherOptions& options)
      : options_(options),
        policy_(options.host_connections, options.host_delay),
        robots_token_(robots_product_token(options.user_agent)),
        rng_(std::random_device{}()) {
    options_.concurrency = std::max(1, options_.concurrency);
    allowed_private_.insert(options.allowed_private_addresses.begin(), options.allowed_private_addresses.end());
    for (const auto& entry : options.connect_to) connect_to_ = curl_slist_append(connect_to_, entry.c_str());
  }

  ~CurlFetcher() override {
    abandon_all();
    if (connect_to_) curl_slist_free_all(connect_to_);
    for (CURL* easy : free_handles_) curl_easy_cleanup(easy);
    if (multi_) curl_multi_cleanup(multi_);
  }

  bool init() {
    multi_ = curl_multi_init();
    if (!multi_) return false;
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options_.concurrency));
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(std::max(1, options_.host_connections)));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.concurrency * 4));
    curl_multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    return true;
  }

  void submit(Request request, Callback done) override {
    auto job = std::make_unique<Job>();
    job->url = request.url;
    job->request = std::move(request);
    job->done = std::move(done);
    job->first_start = SteadyClock::now();
    auto parsed = Url::parse(job->url);
    if (!parsed) {
      fail_job(std::move(job),
               Error(ErrorCode::kInvalidArgument, "bad URL " + job->url + ": " + parsed.error().message));
      return;
    }
    if (!parsed->is_http()) {
      fail_job(std::move(job), Error(ErrorCode::kRefused, "refused " + job->url + ": only http and https are fetched"));
      return;
    }
    job->url = parsed->str();
    job->path_and_query = parsed->path_and_query();
    job->origin = parsed->origin();
    enqueue(std::move(job));
  }

  Status run(const std::atomic<int>* cancel) override {
    while (true) {
      deliver_callbacks();
      if ((cancel && cancel->load() != 0) || cancel_requested_) {
        cancel_requested_ = false;
        abandon_all();
        return fail(ErrorCode::kCancelled, "cancelled");
      }
      deliver_posted();
      dispatch();
      if (!pending_callbacks_.empty()) continue;
      if (running_.empty() && waiting_count_ == 0 && delayed_.empty()) {
        if (holds_ == 0) return {};
        wait_for_posted();
        continue;
      }
      int still_running = 0;
      curl_multi_perform(multi_, &still_running);
      collect_finished();
      if (!pending_callbacks_.empty()) continue;
      const int wait_ms = poll_timeout_ms();
      if (!running_.empty() || wait_ms > 0) curl_multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
    }
  }

  Response fetch(const Request& request, const std::atomic<int>* cancel) override {
    Response result;
    bool completed = false;
    submit(request, [&](Response&& r) {
      result = std::move(r);
      completed = true;
    });
    auto status = run(cancel);
    if (!completed) {
      result.url = request.url;
      result.error = status ? Error(ErrorCode::kInternal, "request did not complete") : status.error();
    }
    return result;
  }

  const Counters& counters() const override { return counters_; }

  void cancel() override { cancel_requested_ = true; }

  void hold() override { ++holds_; }

  void post(std::function<void()> task) override {
    bool first = false;
    {
      std::lock_guard lock(posted_mutex_);
      first = posted_.empty();
      posted_.push_back(std::move(task));
    }
    // One wake-up per batch: the loop takes every task posted by then.
    if (!first) return;
    posted_ready_.notify_one();
    curl_multi_wakeup(multi_);  // thread-safe; interrupts curl_multi_poll
  }

 private:
  struct Job {
    Request request;
    Callback done;
    std::string url;  // current hop
    std::string origin;
    std::string path_and_query;
    std::vector<std::string> visited;
    int redirects = 0;
    int attempts = 0;
    SteadyTime first_start;
  };

  struct Transfer {
    CurlFetcher* owner = nullptr;
    CURL* easy = nullptr;
    std::unique_ptr<Job> job;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
    curl_slist* request_headers = nullptr;
    bool over_budget = false;
    bool cut = false;   // the body reached the request's keep_first_bytes
    bool sent = false;  // the request went out (politeness counts from then)
    std::string refused_ip;
    char errbuf[CURL_ERROR_SIZE] = {};
  };

  struct Origin {
    std::deque<std::unique_ptr<Job>> waiting;
    std::optional<Robots> robots;
    SteadyTime robots_expires{};
    bool robots_fetching = false;
    std::string robots_unreachable_reason;  // set while robots.txt could not be fetched
    ErrorCode robots_unreachable_code = ErrorCode::kRefused;
  };

  struct Delayed {
    SteadyTime when;
    std::uint64_t seq;
    Job* job;
    bool operator>(const Delayed& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };

  // ---- queueing -------------------------------------------------------------
  void enqueue(std::unique_ptr<Job> job) {
    std::string key = job->origin;
    // robots.txt fetches (and their retries and redirects) go first: the
    // jobs behind them wait for the answer.
    if (job->request.check_robots) {
      origins_[key].waiting.push_back(std::move(job));
    } else {
      origins_[key].waiting.push_front(std::move(job));
    }
    ++waiting_count_;
    ready_origins_.insert(std::move(key));
  }

  void fail_job(std::unique_ptr<Job> job, Error error, int status = 0, std::string not_followed = "") {
    Response r;
    r.not_followed = std::move(not_followed);
    r.url = job->request.url;
    r.final_url = job->url;
    r.status = status;
    r.redirects = job->redirects;
    r.attempts = job->attempts;
    r.error = std::move(error);
    if (r.error->code == ErrorCode::kRefused) ++counters_.refused;
    finish_job(std::move(job), std::move(r));
  }

  void finish_job(std::unique_ptr<Job> job, Response r) {
    r.elapsed = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - job->first_start);
    pending_callbacks_.emplace_back(std::move(job->done), std::move(r));
  }

  void deliver_posted() {
    std::vector<std::function<void()>> batch;
    {
      std::lock_guard lock(posted_mutex_);
      batch.swap(posted_);
    }
    for (auto& task : batch) {
      --holds_;
      task();
    }
  }

  void deliver_callbacks() {
    while (!pending_callbacks_.empty()) {
      auto batch = std::move(pending_callbacks_);
      pending_callbacks_.clear();
      for (auto& [callback, response] : batch) callback(std::move(response));
    }
  }

  // ---- the loop's waits ------------------------------------------------------

  // Only work on other threads is left: sleeps until one posts (or 100 ms).
  void wait_for_posted() {
    std::unique_lock lock(posted_mutex_);
    if (posted_.empty()) posted_ready_.wait_for(lock, milliseconds(100));
  }

  // How long the loop may wait for curl: until the next retry or host slot
  // is due, and at most 100 ms so a cancel request is seen promptly.
  int poll_timeout_ms() const {
    int wait_ms = 100;
    auto now = SteadyClock::now();
    if (auto wake = next_wakeup()) {
      // earliest_start() is time_point::min() for a host never contacted:
      // compare before subtracting, or the difference overflows.
      long long until = *wake <= now ? 0 : std::chrono::duration_cast<milliseconds>(*wake - now).count();
      wait_ms = static_cast<int>(std::clamp<long long>(until, 0, 100));
    }
    return wait_ms;
  }

  // ---- politeness: robots.txt per origin, per-host pacing ------------------
  // Queues the origin's robots.txt ahead of the jobs that wait for it.
  void start_robots_fetch(const std::string& origin_key, Origin& origin) {
    origin.robots_fetching = true;
    ++counters_.robots_fetches;
    auto job = std::make_unique<Job>();
    job->request.url = origin_key + "/robots.txt";
    job->request.check_robots = false;
    job->request.accept = "text/plain, */*;q=0.5";
    job->request.keep_first_bytes = kRobotsMaxBytes;  // RFC 9309 §2.5
    job->url = job->request.url;
    job->origin = origin_key;
    job->path_and_query = "/robots.txt";
    job->first_start = SteadyClock::now();
    job->done = [this, origin_key](Response&& r) { on_robots(origin_key, r); };
    origin.waiting.push_front(std::move(job));
    ++waiting_count_;
  }

  // Caches the origin's robots.txt answer (RFC 9309 §2.3.1) and its
  // Crawl-delay; an unreachable one disallows all, for 10 minutes at most.
  void on_robots(const std::string& origin_key, const Response& r) {
    Origin& origin = origins_[origin_key];
    origin.robots_fetching = false;
    auto ttl = std::chrono::duration_cast<SteadyClock::duration>(options_.robots_ttl);
    if (r.ok() && r.status >= 200 && r.status < 300) {
      origin.robots = Robots::parse(r.body, robots_token_);
      origin.robots_unreachable_reason.clear();
      if (auto delay = origin.robots->crawl_delay()) policy_.set_crawl_delay(origin_key, *delay);
    } else if (!r.ok() && r.error->code == ErrorCode::kRefused) {
      // The address is refused: the request itself will fail with that reason.
      origin.robots = Robots::allow_all();
      origin.robots_unreachable_reason.clear();
    } else if (!r.ok() && r.error->code == ErrorCode::kHttp && r.status >= 400 && r.status < 500 && r.status != 429) {
      origin.robots = Robots::allow_all();  // RFC 9309 §2.3.1.3: unavailable
      origin.robots_unreachable_reason.clear();
    } else {
      // §2.3.1.4: unreachable (5xx, 429, network): assume complete disallow,
      // and ask again soon rather than after the full TTL.
      origin.robots = Robots::disallow_all();
      // The reason without robots.txt's own URL: the refused request names its URL.
      origin.robots_unreachable_reason = r.ok() ? fmt::format("HTTP {}", r.status) : r.error->message;
      if (const std::string prefix = r.final_url + ": "; origin.robots_unreachable_reason.starts_with(prefix))
        origin.robots_unreachable_reason.erase(0, prefix.size());
      // A host that cannot be reached at all is a network failure of the
      // request, not a policy refusal: the source's error says so.
      origin.robots_unreachable_code =
          !r.ok() && r.error->code == ErrorCode::kNetwork ? ErrorCode::kNetwork : ErrorCode::kRefused;
      ttl = std::min<SteadyClock::duration>(ttl, std::chrono::minutes(10));
    }
    origin.robots_expires = SteadyClock::now() + ttl;
    if (!origin.waiting.empty()) ready_origins_.insert(origin_key);
  }

  // What robots.txt says of the job at the front of an origin's queue.
  enum class RobotsGate {
    kGo,     // allowed (or not checked): the job may start
    kWait,   // robots.txt is being fetched: the origin waits
    kAgain,  // the front of the queue changed (a robots.txt fetch, a refusal): look again
  };

  RobotsGate check_robots(const std::string& key, Origin& origin, SteadyTime now) {
    const Job& front = *origin.waiting.front();
    bool fresh = origin.robots && now < origin.robots_expires;
    if (!fresh) {
      if (!origin.robots_fetching) start_robots_fetch(key, origin);
      return origin.waiting.front()->request.check_robots ? RobotsGate::kWait : RobotsGate::kAgain;
    }
    if (origin.robots->allowed(front.path_and_query)) return RobotsGate::kGo;
    auto job = take_waiting(origin);
    Error refusal = robots_refusal(origin, *job);
    fail_job(std::move(job), std::move(refusal));
    return RobotsGate::kAgain;
  }

  // Why robots.txt keeps `job` back. A host that could not be reached reads
  // as that (DNS, connect, timeout), not as a robots.txt refusal: the root
  // cause first.
  static Error robots_refusal(const Origin& origin, const Job& job) {
    const bool unreachable = !origin.robots_unreachable_reason.empty();
    ErrorCode code = unreachable ? origin.robots_unreachable_code : ErrorCode::kRefused;
    std::string why = !unreachable ? "robots.txt disallows " + job.path_and_query
                      : code == ErrorCode::kNetwork
                          ? origin.robots_unreachable_reason + " (reaching robots.txt)"
                          : "robots.txt unreachable (" + origin.robots_unreachable_reason + "): disallowed for now";
    return Error(code, job.url + ": " + why);
  }

  // When the next retry or waiting host is due; nullopt when nothing waits.
  std::optional<SteadyTime> next_wakeup() const {
    std::optional<SteadyTime> wake;
    if (!delayed_.empty()) wake = delayed_.top().when;
    if (static_cast<int>(running_.size()) < options_.concurrency) {
      for (const auto& key : ready_origins_) {
        auto t = policy_.earliest_start(key);
        if (!wake || t < *wake) wake = t;
      }
    }
    return wake;
  }

  // ---- dispatch: from the queues to transfers --------------------------------

  // Starts every transfer politeness and the global limit allow now.
  void dispatch() {
    auto now = SteadyClock::now();
    requeue_due_retries(now);
    for (const std::string& key : origins_longest_waiting()) {
      Origin& origin = origins_[key];
      start_waiting(key, origin, now);
      if (origin.waiting.empty()) ready_origins_.erase(key);
      if (at_capacity()) break;
    }
  }

  bool at_capacity() const { return static_cast<int>(running_.size()) >= options_.concurrency; }

  // Retries whose delay has passed go back to their origin's queue.
  void requeue_due_retries(SteadyTime now) {
    while (!delayed_.empty() && delayed_.top().when <= now) {
      Job* raw = delayed_.top().job;
      delayed_.pop();
      enqueue(std::unique_ptr<Job>(raw));
    }
  }

  // The origins with waiting jobs, the one that has waited longest first. In
  // the set's own (hash) order, the same origins would take every freed slot
  // while the last ones starved, and a pass would end on one host working
  // alone at its per-host rate (a third of a 4-worker benchmark run).
  std::vector<std::string> origins_longest_waiting() const {
    std::vector<std::pair<SteadyTime, std::string>> keys;
    keys.reserve(ready_origins_.size());
    for (const auto& key : ready_origins_) keys.emplace_back(policy_.last_start(key), key);
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> ordered;
    ordered.reserve(keys.size());
    for (auto& [last_start, key] : keys) ordered.push_back(std::move(key));
    return ordered;
  }

  // Starts the origin's waiting jobs, in order, while robots.txt, the host's
  // politeness and the global limit allow.
  void start_waiting(const std::string& key, Origin& origin, SteadyTime now) {
    while (!origin.waiting.empty()) {
      if (origin.waiting.front()->request.check_robots) {
        const RobotsGate gate = check_robots(key, origin, now);
        if (gate == RobotsGate::kWait) break;
        if (gate == RobotsGate::kAgain) continue;
      }
      if (at_capacity()) break;
      if (!policy_.can_start(key, now)) break;
      auto job = take_waiting(origin);
      policy_.on_start(key, now);
      start_transfer(std::move(job));
    }
  }

  std::unique_ptr<Job> take_waiting(Origin& origin) {
    auto job = std::move(origin.waiting.front());
    origin.waiting.pop_front();
    --waiting_count_;
    return job;
  }

  // ---- transfers -------------------------------------------------------------
  static size_t on_write(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    if (const std::size_t keep = t->job->request.keep_first_bytes; keep > 0) {
      if (t->body.size() + n <= keep) {
        t->body.append(data, n);
        return n;
      }
      t->body.append(data, keep - t->body.size());
      t->cut = true;
      return 0;  // ends the transfer; complete() keeps what came
    }
    if (t->body.size() + n > t->owner->options_.max_bytes) {
      t->over_budget = true;
      return 0;  // aborts the transfer: the limit counts decoded bytes
    }
    t->body.append(data, n);
    return n;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    std::string_view line(data, n);
    if (line.starts_with("HTTP/")) {
      t->headers.clear();  // a new response (after 1xx)
      return n;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || t->headers.size() >= 200) return n;
    t->headers.emplace_back(ascii_lower(trim_ascii_space(line.substr(0, colon))),
                            std::string(trim_ascii_space(line.substr(colon + 1))));
    return n;
  }

  // Called by libcurl on a connected socket right before the request is
  // sent: the moment the per-host delay counts from.
  static int on_prereq(void* user, char*, char*, int, int) {
    auto* t = static_cast<Transfer*>(user);
    t->owner->policy_.on_sent(t->job->origin, SteadyClock::now(), !t->sent);
    t->sent = true;
    return CURL_PREREQFUNC_OK;
  }

  static curl_socket_t on_open_socket(void* user, curlsocktype, struct curl_sockaddr* address) {
    auto* t = static_cast<Transfer*>(user);
    const FetcherOptions& o = t->owner->options_;
    if (!o.allow_private_networks) {
      std::string ip = sockaddr_ip(&address->addr);
      if (is_private_address(ip) && !t->owner->allowed_private_.contains(ip)) {
        t->refused_ip = ip;
        return CURL_SOCKET_BAD;
      }
    }
    return socket(address->family, address->socktype, address->protocol);
  }

  CURL* take_handle() {
    if (!free_handles_.empty()) {
      CURL* easy = free_handles_.back();
      free_handles_.pop_back();
      curl_easy_reset(easy);
      return easy;
    }
    return curl_easy_init();
  }

  void release_handle(CURL* easy) {
    if (free_handles_.size() < static_cast<std::size_t>(options_.concurrency) * 2) {
      free_handles_.push_back(easy);
    } else {
      curl_easy_cleanup(easy);
    }
  }

  void start_transfer(std::unique_ptr<Job> job) {
    ++job->attempts;
    ++counters_.transfers;
    auto t = std::make_unique<Transfer>();
    t->owner = this;
    t->job = std::move(job);
    CURL* easy = take_handle();
    if (!easy) {
      policy_.on_finish(t->job->origin, /*sent=*/false);
      fail_job(std::move(t->job), Error(ErrorCode::kInternal, "curl_easy_init failed"));
      return;
    }
    t->easy = easy;
    t->request_headers = request_headers(t->job->request);
    configure_handle(*t);
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
      policy_.on_finish(t->job->origin, /*sent=*/false);
      auto failed_job = std::move(t->job);
      cleanup_transfer(*t);
      fail_job(std::move(failed_job), Error(ErrorCode::kInternal, "curl_multi_add_handle failed"));
      return;
    }
    running_.emplace(easy, std::move(t));
  }

  // The conditional-request validators and Accept of `req`.
  static curl_slist* request_headers(const Request& req) {
    curl_slist* headers = nullptr;
    if (!req.etag.empty()) headers = curl_slist_append(headers, ("If-None-Match: " + req.etag).c_str());
    if (!req.last_modified.empty())
      headers = curl_slist_append(headers, ("If-Modified-Since: " + req.last_modified).c_str());
    return curl_slist_append(headers, ("Accept: " + (req.accept.empty() ? std::string("*/*") : req.accept)).c_str());
  }

  // Sets up t.easy for one hop: no redirects followed by curl, every decoder,
  // the timeouts and budgets, the callbacks that check and collect.
  void configure_handle(Transfer& t) {
    CURL* easy = t.easy;
    curl_easy_setopt(easy, CURLOPT_URL, t.job->url.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every decoder libcurl has
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.request_headers);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(std::max(0, options_.low_speed_bytes)));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max<long long>(1, (options_.low_speed_time.count() + 999) / 1000)));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlFetcher::on_write);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &CurlFetcher::on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &CurlFetcher::on_open_socket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &t);
    curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &CurlFetcher::on_prereq);
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, &t);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.errbuf);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_PROXY, "");  // environment proxies would bypass the address check
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    if (connect_to_) curl_easy_setopt(easy, CURLOPT_CONNECT_TO, connect_to_);
  }

  void cleanup_transfer(Transfer& t) {
    if (t.request_headers) curl_slist_free_all(t.request_headers);
    t.request_headers = nullptr;
    if (t.easy) release_handle(t.easy);
    t.easy = nullptr;
  }

  std::string header(const Transfer& t, std::string_view name) const {
    for (const auto& [k, v] : t.headers)
      if (k == name) return v;
    return "";
  }

  void collect_finished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi_, easy);
      auto it = running_.find(easy);
      if (it == running_.end()) continue;
      std::unique_ptr<Transfer> t = std::move(it->second);
      running_.erase(it);
      policy_.on_finish(t->job->origin, t->sent);
      complete(*t, code);
      cleanup_transfer(*t);
    }
  }

  void retry_later(std::unique_ptr<Job> job, milliseconds delay) {
    ++counters_.retries;
    delayed_.push(Delayed{SteadyClock::now() + delay, delay_seq_++, job.release()});
  }

  milliseconds backoff(int attempt) {
    auto base = options_.retry_base_delay.count() << std::min(attempt - 1, 10);
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    return milliseconds(static_cast<long long>(static_cast<double>(base) * jitter(rng_)));
  }

  // ---- responses: errors, retries, redirects ----------------------------------

  // A finished transfer becomes a response, a retry, a redirect hop or a failure.
  void complete(Transfer& t, CURLcode code) {
    std::unique_ptr<Job> job = std::move(t.job);
    Response r = response_of(t, *job);
    counters_.bytes += static_cast<std::int64_t>(t.body.size());
    if (code == CURLE_WRITE_ERROR && t.cut) code = CURLE_OK;  // as much as was wanted
    if (code != CURLE_OK) return transfer_failed(std::move(job), t, code, r);

    read_headers(t, r);
    if (r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 || r.status == 308) {
      std::string location = header(t, "location");
      if (location.empty()) {
        fail_job(std::move(job),
                 Error(ErrorCode::kHttp, fmt::format("{}: HTTP {} without Location", r.final_url, r.status)), r.status);
        return;
      }
      follow_redirect(std::move(job), location, r.status);
      return;
    }
    if (auto delay = status_retry_delay(*job, r)) return retry_later(std::move(job), *delay);
    r.error = status_error(r);
    r.body = std::move(t.body);
    finish_job(std::move(job), std::move(r));
  }

  // What is known of the hop before its headers are read: URLs, counts,
  // status, the address connected.
  static Response response_of(const Transfer& t, const Job& job) {
    Response r;
    r.url = job.request.url;
    r.final_url = job.url;
    r.redirects = job.redirects;
    r.attempts = job.attempts;
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    r.status = static_cast<int>(status);
    char* ip = nullptr;
    if (curl_easy_getinfo(t.easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip) r.primary_ip = ip;
    return r;
  }

  // The response headers the caller reads: type, validators, encoding, Retry-After.
  void read_headers(const Transfer& t, Response& r) const {
    r.content_type = header(t, "content-type");
    r.etag = header(t, "etag");
    r.last_modified = header(t, "last-modified");
    r.content_encoding = header(t, "content-encoding");
    std::string retry_after = header(t, "retry-after");
    if (!retry_after.empty()) {
      r.retry_after = parse_retry_after(retry_after, std::chrono::duration_cast<std::chrono::seconds>(
                                                         std::chrono::system_clock::now().time_since_epoch())
                                                         .count());
    }
  }

  // A transfer that ended without a response: a refused address, a body
  // over budget, an undecodable body, or a network error (retried while
  // transient and attempts are left).
  void transfer_failed(std::unique_ptr<Job> job, const Transfer& t, CURLcode code, const Response& r) {
    if (!t.refused_ip.empty()) {
      fail_job(std::move(job), Error(ErrorCode::kRefused, fmt::format("refused to connect to private address {} for {}",
                                                                      t.refused_ip, r.final_url)));
      return;
    }
    if (t.over_budget) {
      fail_job(std::move(job),
               Error(ErrorCode::kBudgetExceeded,
                     fmt::format("{}: body larger than {} bytes (after decoding)", r.final_url, options_.max_bytes)),
               r.status);
      return;
    }
    std::string detail = t.errbuf[0] ? std::string(t.errbuf) : std::string(curl_easy_strerror(code));
    Error error(ErrorCode::kNetwork, fmt::format("{}: {}: {}", r.final_url, curl_cause(code), detail));
    if (code == CURLE_BAD_CONTENT_ENCODING || code == CURLE_UNSUPPORTED_PROTOCOL) {
      error.code = code == CURLE_UNSUPPORTED_PROTOCOL ? ErrorCode::kRefused : ErrorCode::kParse;
      fail_job(std::move(job), std::move(error), r.status);
      return;
    }
    if (transient_curl_error(code) && job->attempts <= options_.retries) {
      milliseconds delay = backoff(job->attempts);
      retry_later(std::move(job), delay);
      return;
    }
    fail_job(std::move(job), std::move(error), r.status);
  }

  // The delay before a transient status (429, 5xx) is asked again; nullopt
  // when no attempt is left or the server's Retry-After is too long.
  std::optional<milliseconds> status_retry_delay(const Job& job, const Response& r) {
    if (!transient_status(r.status)) return std::nullopt;
    bool retry_allowed = job.attempts <= options_.retries;
    if (r.retry_after && *r.retry_after > options_.max_retry_after) retry_allowed = false;
    if (!retry_allowed) return std::nullopt;
    milliseconds delay = backoff(job.attempts);
    if (r.retry_after) delay = std::max<milliseconds>(delay, *r.retry_after);
    return delay;
  }

  // kHttp for a final status other than 2xx and 304.
  static std::optional<Error> status_error(const Response& r) {
    if (!(r.status >= 400 || r.status < 200 || (r.status >= 300 && r.status != 304))) return std::nullopt;
    std::string reason = status_reason(r.status);
    std::string message = fmt::format("{}: HTTP {}{}{}", r.final_url, r.status, reason.empty() ? "" : " ", reason);
    if (r.retry_after) message += fmt::format(" (Retry-After {}s)", r.retry_after->count());
    return Error(ErrorCode::kHttp, message);
  }

  void follow_redirect(std::unique_ptr<Job> job, const std::string& location, int status) {
    auto base = Url::parse(job->url);
    auto target = base ? base->resolve(location) : Result<Url>(std::unexpected(base.error()));
    if (!target) {
      fail_job(std::move(job),
               Error(ErrorCode::kHttp, fmt::format("{}: HTTP {} to a bad Location \"{}\"", job->url, status, location)),
               status);
      return;
    }
    if (!target->is_http()) {
      fail_job(std::move(job),
               Error(ErrorCode::kRefused, fmt::format("{}: redirect to {} refused: only http and https are followed",
                                                      job->url, target->str())),
               status);
      return;
    }
    std::string next = target->str();
    if (job->request.follow_redirect && !job->request.follow_redirect(*target)) {
      Error refused(ErrorCode::kRefused, fmt::format("{}: redirect to {} not followed", job->url, next));
      fail_job(std::move(job), std::move(refused), status, std::move(next));
      return;
    }
    job->visited.push_back(job->url);
    if (std::find(job->visited.begin(), job->visited.end(), next) != job->visited.end()) {
      fail_job(std::move(job), Error(ErrorCode::kHttp, fmt::format("{}: redirect loop back to {}", job->url, next)),
               status);
      return;
    }
    if (job->redirects + 1 > options_.max_redirects) {
      fail_job(std::move(job),
               Error(ErrorCode::kBudgetExceeded,
                     fmt::format("{}: more than {} redirects", job->request.url, options_.max_redirects)),
               status);
      return;
    }
    ++job->redirects;
    ++counters_.redirects;
    job->url = next;
    job->origin = target->origin();
    job->path_and_query = target->path_and_query();
    job->attempts = 0;
    enqueue(std::move(job));
  }

  void abandon_all() {
    for (auto& [easy, t] : running_) {
      curl_multi_remove_handle(multi_, easy);
      policy_.on_finish(t->job ? t->job->origin : std::string(), t->sent);
      cleanup_transfer(*t);
    }
    running_.clear();
    for (auto& [key, origin] : origins_) {
      origin.waiting.clear();
      origin.robots_fetching = false;
    }
    waiting_count_ = 0;
    ready_origins_.clear();
    while (!delayed_.empty()) {
      delete delayed_.top().job;
      delayed_.pop();
    }
    pending_callbacks_.clear();
  }

  FetcherOptions options_;
  HostPolicy policy_;
  std::string robots_token_;
  std::unordered_set<std::string> allowed_private_;
  curl_slist* connect_to_ = nullptr;  // FetcherOptions::connect_to
  CURLM* multi_ = nullptr;
  std::vector<CURL*> free_handles_;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running_;
  std::unordered_map<std::string, Origin> origins_;
  std::unordered_set<std::string> ready_origins_;
  std::size_t waiting_count_ = 0;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<>> delayed_;
  std::uint64_t delay_seq_ = 0;
  std::vector<std::pair<Callback, Response>> pending_callbacks_;
  Counters counters_;
  bool cancel_requested_ = false;
  std::mt19937_64 rng_;
  // hold()/post(): work on other threads. holds_ is the loop thread's alone.
  long holds_ = 0;
  std::mutex posted_mutex_;
  std::condition_variable posted_ready_;
  std::vector<std::function<void()>> posted_;
};

}  // namespace

Result<std::unique_ptr<Fetcher>> Fetcher::create(const FetcherOptions& options) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (options.max_redirects < 0 || options.max_bytes == 0)
    return fail(ErrorCode::kInvalidArgument, "fetch options: max_redirects must be >= 0 and max_bytes > 0");
  auto fetcher = std::make_unique<CurlFetcher>(options);
  if (!fetcher->init()) return fail(ErrorCode::kInternal, "curl_multi_init failed");
  return std::unique_ptr<Fetcher>(std::move(fetcher));
}

}  // namespace banwatch::crawler
