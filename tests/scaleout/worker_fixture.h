// Shared pieces of the scale-out tests that run real `banwatch crawl --worker`
// processes against one PostgreSQL store: a PostgreSQL schema per test, news
// hosts on 127.0.0.1 (one cpp-httplib server per host, so each is its own
// lease) that record which worker sent every request and whether that worker
// held the host's lease at that moment, and helpers to run workers until the
// store has everything.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/hardening/site.h"

namespace banwatch::scaleout {

using hardening::Banwatch;
using hardening::Dump;
using hardening::Exit;

inline std::string pg_url() {
  const char* url = std::getenv("BANWATCH_TEST_PG_URL");
  return url != nullptr ? std::string(url) : std::string();
}

inline std::string with_param(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

// A PostgreSQL schema that lives for one test (a store of its own in a shared
// database, opened through the libpq `options` parameter).
class PgSchema {
 public:
  explicit PgSchema(std::string server_url = pg_url()) : server_(std::move(server_url)) {
    static std::atomic<int> counter{0};
    name_ = "bwscale_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    exec_on(server_, "CREATE SCHEMA " + name_);
  }
  ~PgSchema() {
    try {
      exec_on(server_, "DROP SCHEMA " + name_ + " CASCADE");
    } catch (const std::exception&) {
      // A leftover schema in a throwaway cluster harms nobody.
    }
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  // The store URL; `application` names the connection (pg_stat_activity).
  std::string url(const std::string& application = "") const {
    return with_param(with_param(server_, "options=-csearch_path%3D" + name_),
                      "application_name=" + (application.empty() ? name_ : name_ + "_" + application));
  }
  const std::string& name() const { return name_; }

  std::int64_t integer(const std::string& sql) const {
    pqxx::connection connection(url("check"));
    pqxx::work tx(connection);
    auto row = tx.exec1(sql);
    return row[0].is_null() ? 0 : row[0].as<std::int64_t>();
  }
  void exec(const std::string& sql) const {
    pqxx::connection connection(url("check"));
    pqxx::work tx(connection);
    tx.exec(sql);
    tx.commit();
  }
  std::vector<std::vector<std::string>> rows(const std::string& sql) const {
    pqxx::connection connection(url("check"));
    pqxx::work tx(connection);
    std::vector<std::vector<std::string>> out;
    for (const auto& row : tx.exec(sql)) {
      auto& line = out.emplace_back();
      for (const auto& field : row) line.push_back(field.is_null() ? "" : field.c_str());
    }
    return out;
  }
  // Connections of this schema's workers (application_name NAME_<worker>).
  int terminate_backends(const std::string& application_prefix) const {
    pqxx::connection connection(server_);
    pqxx::work tx(connection);
    auto row = tx.exec1(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE application_name LIKE " +
        tx.quote(name_ + "_" + application_prefix + "%"));
    tx.commit();
    return row[0].as<int>();
  }

 private:
  static void exec_on(const std::string& url, const std::string& sql) {
    pqxx::connection connection(url);
    pqxx::work tx(connection);
    tx.exec(sql);
    tx.commit();
  }
  std::string server_, name_;
};

// One request a host received.
struct Hit {
  std::string agent;  // the worker's User-Agent (one per worker in these tests)
  std::string path;
  std::int64_t epoch_seconds = 0;
  std::string lease_owner;  // the host's lease owner in the store at that moment ("" = none, or unchecked)
};

// One news host. Pages are generated like the hardening tests' news site
// (every `ban_every`th page carries a ban sentence the default rules know);
// feeds are added by the test and may point at other hosts' pages.
class Host {
 public:
  Host(int index, int pages, int ban_every = 3, std::chrono::milliseconds page_delay = {})
      : index_(index), page_delay_(page_delay) {
    server_.set_keep_alive_max_count(1000);
    server_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    for (int i = 0; i < pages; ++i) {
      const int n = index * 1000 + i;
      std::string body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title(i) +
                         "</title><meta property=\"article:published_time\" content=\"2026-11-20T09:30:00Z\">"
                         "</head><body><article><h1>" +
                         title(i) + "</h1>";
      for (int p = 0; p < 4; ++p) {
        body += "<p>" + hardening::filler(index, i, p);
        if (p == 1 && i % ban_every == 0) body += " " + hardening::ban_sentence(n / ban_every + index);
        body += "</p>";
      }
      body += "</article></body></html>";
      pages_[page_path(i)] = std::move(body);
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Host() {
    server_.stop();
    thread_.join();
  }
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url(const std::string& path) const { return "http://" + authority() + path; }
  static std::string page_path(int i) { return "/articles/" + std::to_string(i) + ".html"; }
  std::string title(int i) const { return "Report " + std::to_string(index_) + "-" + std::to_string(i); }
  int pages() const { return static_cast<int>(pages_.size()); }

  // An RSS feed at `path` listing pages of `hosts` (pairs of host and page number).
  void add_feed(const std::string& path, const std::vector<std::pair<const Host*, int>>& items) {
    std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Desk " + path +
                       "</title><link>" + url("/") + "</link><description>Generated</description>\n";
    for (const auto& [host, i] : items) {
      body += "<item><title>" + host->title(i) + "</title><link>" + host->url(page_path(i)) +
              "</link><guid isPermaLink=\"false\">urn:test:" + std::to_string(host->index_) + ":" + std::to_string(i) +
              "</guid><description>Report from the regional desk.</description>"
              "<pubDate>Fri, 20 Nov 2026 09:30:00 GMT</pubDate></item>\n";
    }
    body += "</channel></rss>\n";
    std::lock_guard lock(mutex_);
    feeds_[path] = std::move(body);
  }

  // Checks every request against the store's lease of this host: the owner
  // at that moment is recorded with the hit.
  void check_leases_in(const std::string& store_url) {
    std::lock_guard lock(mutex_);
    lease_url_ = store_url;
    lease_db_ = std::make_unique<pqxx::connection>(store_url);
  }
  // Answers requests for `path` with this status (e.g. 503) from now on.
  void fail_with(const std::string& path, int status) {
    std::lock_guard lock(mutex_);
    failing_[path] = status;
  }
  // Answers requests for `path` with a 301 to `location` from now on.
  void redirect(const std::string& path, const std::string& location) {
    std::lock_guard lock(mutex_);
    redirects_[path] = location;
  }
  // Called for each request, after it is recorded (e.g. to SIGKILL a worker).
  void on_request(std::function<void(const Hit&)> hook) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
  }

  std::vector<Hit> hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
  }
  // Page requests (not feeds, not robots.txt) by path.
  std::map<std::string, int> page_requests() const {
    std::map<std::string, int> counts;
    for (const auto& hit : hits())
      if (pages_.count(hit.path)) ++counts[hit.path];
    return counts;
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    Hit hit;
    hit.agent = req.get_header_value("User-Agent");
    hit.path = req.path;
    hit.epoch_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::function<void(const Hit&)> hook;
    {
      std::lock_guard lock(mutex_);
      if (!lease_url_.empty()) hit.lease_owner = current_owner();
      hits_.push_back(hit);
      hook = hook_;
    }
    if (hook) hook(hit);
    std::string feed;
    {
      std::lock_guard lock(mutex_);
      if (auto it = failing_.find(req.path); it != failing_.end()) {
        res.status = it->second;
        res.set_content("failing on purpose", "text/plain");
        return;
      }
      if (auto it = redirects_.find(req.path); it != redirects_.end()) {
        res.set_redirect(it->second, 301);
        return;
      }
      if (auto it = feeds_.find(req.path); it != feeds_.end()) feed = it->second;
    }
    if (!feed.empty()) {
      res.set_content(feed, "application/rss+xml");
      return;
    }
    if (auto it = pages_.find(req.path); it != pages_.end()) {
      if (page_delay_.count() > 0) std::this_thread::sleep_for(page_delay_);
      res.set_content(it->second, "text/html; charset=utf-8");
      return;
    }
    res.status = 404;
    res.set_content("not found", "text/plain");
  }

  // The unexpired lease owner of this host, by the database's clock.
  std::string current_owner() {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!lease_db_ || !lease_db_->is_open()) lease_db_ = std::make_unique<pqxx::connection>(lease_url_);
        pqxx::work tx(*lease_db_);
        auto rows = tx.exec_params(
            "SELECT lease_owner FROM hosts WHERE host = $1 AND lease_owner IS NOT NULL"
            " AND lease_expires > floor(extract(epoch from clock_timestamp()))::bigint",
            authority());
        return rows.empty() ? std::string("(none)") : rows[0][0].c_str();
      } catch (const std::exception& e) {
        if (attempt == 1) return std::string("(unknown: ") + e.what() + ")";
        lease_db_.reset();
      }
    }
    return "(unknown)";
  }

  int index_;
  std::chrono::milliseconds page_delay_;
  std::map<std::string, std::string> pages_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> feeds_;
  std::map<std::string, int> failing_;
  std::map<std::string, std::string> redirects_;
  std::vector<Hit> hits_;
  std::function<void(const Hit&)> hook_;
  std::string lease_url_;
  std::unique_ptr<pqxx::connection> lease_db_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// A banwatch.yaml naming `feeds` (name -> URL); the store comes from --db.
// `host_connections` bounds each worker's requests in flight per host.
inline std::string write_worker_config(const std::string& dir,
                                       const std::vector<std::pair<std::string, std::string>>& feeds,
                                       const std::string& articles = "all", int host_connections = 4) {
  std::string path = dir + "/banwatch.yaml";
  std::ofstream out(path);
  out << "fetch:\n  host_delay: 0s\n  host_connections: " << host_connections
      << "\n  allow_private_networks: true\n  retries: 1\n"
      << "  timeout: 30s\n"
      << "crawl:\n  articles: " << articles << "\n  max_item_age: 3650d\n"
      << "rules: " << BANWATCH_SOURCE_DIR << "/rules\n"
      << "sources:\n";
  for (const auto& [name, url] : feeds) out << "  - name: " << name << "\n    url: " << url << "\n    every: 1h\n";
  return path;
}

inline std::string agent_of(const std::string& worker) { return "banwatch-test-" + worker; }

// Arguments of one looping worker with a short lease; its connection is
// named after it (PgSchema::terminate_backends).
inline std::vector<std::string> worker_args(const PgSchema& schema, const std::string& worker, int lease_seconds,
                                            int max_hosts) {
  return {"--db",        schema.url(worker),
          "--set",       "fetch.user_agent=" + agent_of(worker),
          "crawl",       "--worker",
          worker,        "--loop",
          "--lease",     std::to_string(lease_seconds),
          "--max-hosts", std::to_string(max_hosts),
          "--idle",      "1"};
}

// Polls until `done` holds or `timeout` passes; returns whether it held.
inline bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    try {
      if (done()) return true;
    } catch (const std::exception&) {
      // The server may be restarting; ask again.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

// Every article stored and no article fetch waiting or claimed.
inline bool store_complete(const PgSchema& schema, std::int64_t articles) {
  return schema.integer("SELECT count(*) FROM articles") >= articles &&
         schema.integer("SELECT count(*) FROM article_fetches WHERE state = 'queued'") == 0;
}

}  // namespace banwatch::scaleout
