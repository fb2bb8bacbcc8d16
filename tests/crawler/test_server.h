// A real HTTP server on 127.0.0.1 for crawler tests (cpp-httplib): fixture
// routes with per-path fault injection, conditional GET, and hit counts.
#pragma once

#include <brotli/encode.h>
#include <httplib.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace banwatch::testing {

enum class Fault {
  kNone,
  kStall,         // send nothing for `delay` (read timeout)
  kResetMidBody,  // announce the full length, send half, close
  kSlowDrip,      // one byte every `delay`
  kTruncate,      // send the first `truncate_at` bytes only, as if complete
};

enum class Encoding { kIdentity, kGzip, kDeflate, kBrotli };

struct Route {
  int status = 200;
  std::string body;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string etag;           // answered 304 when If-None-Match matches
  std::string last_modified;  // answered 304 when If-Modified-Since matches
  Encoding encoding = Encoding::kIdentity;
  Fault fault = Fault::kNone;
  std::chrono::milliseconds delay{0};
  std::size_t truncate_at = 0;
  // Answers with these statuses first (one per request), then with the route.
  std::vector<int> first_statuses;
};

struct Hit {
  std::string path;
  std::string if_none_match, if_modified_since, user_agent, accept_encoding;
  std::chrono::steady_clock::time_point at;  // when the request arrived
};

inline std::string compress_zlib(const std::string& data, bool gzip) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, gzip ? 15 + 16 : 15, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline std::string compress_brotli(const std::string& data) {
  std::size_t size = BrotliEncoderMaxCompressedSize(data.size());
  std::string out(size, '\0');
  BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                        reinterpret_cast<const uint8_t*>(data.data()), &size, reinterpret_cast<uint8_t*>(out.data()));
  out.resize(size);
  return out;
}

class TestServer {
 public:
  TestServer() {
    server_.set_keep_alive_max_count(100);
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TestServer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    server_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string url(const std::string& path) const { return base() + path; }

  void set(const std::string& path, Route route) {
    std::lock_guard lock(mu_);
    routes_[path] = std::move(route);
  }
  void redirect(const std::string& from, const std::string& to, int status = 302) {
    Route r;
    r.status = status;
    r.headers.push_back({"Location", to});
    r.body = "moved";
    set(from, r);
  }
  int hits(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = hit_counts_.find(path);
    return it == hit_counts_.end() ? 0 : it->second;
  }
  std::vector<Hit> log() const {
    std::lock_guard lock(mu_);
    return log_;
  }
  Hit last_hit(const std::string& path) const {
    std::lock_guard lock(mu_);
    for (auto it = log_.rbegin(); it != log_.rend(); ++it)
      if (it->path == path) return *it;
    return {};
  }
  int total_hits() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(log_.size());
  }

 private:
  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [this] { return stopping_; });
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    std::string path = req.path;
    if (!req.params.empty()) {
      // Routes may be registered with their query string.
      auto q = req.target.find('?');
      if (q != std::string::npos) path = req.target;
    }
    Route route;
    int forced_status = 0;
    {
      std::lock_guard lock(mu_);
      ++hit_counts_[path];
      log_.push_back(Hit{path, req.get_header_value("If-None-Match"), req.get_header_value("If-Modified-Since"),
                         req.get_header_value("User-Agent"), req.get_header_value("Accept-Encoding"),
                         std::chrono::steady_clock::now()});
      auto it = routes_.find(path);
      if (it == routes_.end()) {
        res.status = 404;
        res.set_content("not found", "text/plain");
        return;
      }
      if (!it->second.first_statuses.empty()) {
        forced_status = it->second.first_statuses.front();
        it->second.first_statuses.erase(it->second.first_statuses.begin());
      }
      route = it->second;
    }
    for (const auto& [k, v] : route.headers) res.set_header(k, v);
    if (forced_status) {
      res.status = forced_status;
      res.set_content("temporarily unavailable", "text/plain");
      return;
    }
    if (!route.etag.empty()) res.set_header("ETag", route.etag);
    if (!route.last_modified.empty()) res.set_header("Last-Modified", route.last_modified);
    bool not_modified = false;
    if (!route.etag.empty() && req.has_header("If-None-Match"))
      not_modified = req.get_header_value("If-None-Match") == route.etag;
    else if (!route.last_modified.empty() && req.has_header("If-Modified-Since"))
      not_modified = req.get_header_value("If-Modified-Since") == route.last_modified;
    if (not_modified) {
      res.status = 304;
      return;
    }
    res.status = route.status;
    std::string body = route.body;
    switch (route.encoding) {
      case Encoding::kIdentity:
        break;
      case Encoding::kGzip:
        body = compress_zlib(body, true);
        res.set_header("Content-Encoding", "gzip");
        break;
      case Encoding::kDeflate:
        body = compress_zlib(body, false);
        res.set_header("Content-Encoding", "deflate");
        break;
      case Encoding::kBrotli:
        body = compress_brotli(body);
        res.set_header("Content-Encoding", "br");
        break;
    }
    switch (route.fault) {
      case Fault::kNone:
        res.set_content(body, route.content_type.c_str());
        return;
      case Fault::kStall:
        sleep_for(route.delay);
        res.set_content(body, route.content_type.c_str());
        return;
      case Fault::kTruncate:
        res.set_content(body.substr(0, std::min(body.size(), route.truncate_at)), route.content_type.c_str());
        return;
      case Fault::kResetMidBody: {
        auto shared = std::make_shared<std::string>(body);
        res.set_content_provider(shared->size(), route.content_type.c_str(),
                                 [shared](size_t offset, size_t, httplib::DataSink& sink) {
                                   if (offset == 0) {
                                     sink.write(shared->data(), shared->size() / 2);
                                     return true;
                                   }
                                   return false;  // drop the connection half-way
                                 });
        return;
      }
      case Fault::kSlowDrip: {
        auto shared = std::make_shared<std::string>(body);
        auto delay = route.delay;
        res.set_chunked_content_provider(route.content_type.c_str(),
                                         [this, shared, delay](size_t offset, httplib::DataSink& sink) {
                                           if (offset >= shared->size()) {
                                             sink.done();
                                             return true;
                                           }
                                           if (!sleep_for(delay)) return false;
                                           return sink.write(shared->data() + offset, 1);
                                         });
        return;
      }
    }
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, Route> routes_;
  std::map<std::string, int> hit_counts_;
  std::vector<Hit> log_;
};

}  // namespace banwatch::testing
