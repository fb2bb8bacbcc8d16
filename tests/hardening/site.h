// Shared pieces of the hardening tests: a generated news site served on
// 127.0.0.1 (cpp-httplib) that can SIGKILL the crawler at its Kth request, a
// runner for the real banwatch binary, and a canonical dump of a store's
// articles, events and mentions for comparing runs.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/open/open_store.h"

extern char** environ;

namespace banwatch::hardening {

// Actors and vendors the default rule pack knows; sentence forms it reads
// as enacted, considering and proposed bans.
inline const std::vector<std::string> kActors = {"Sweden", "Germany", "Australia", "Japan", "India", "Poland"};
inline const std::vector<std::string> kVendors = {"Huawei", "ZTE", "Kaspersky", "Hikvision", "DJI", "Dahua"};

inline std::string ban_sentence(int n) {
  const std::string& actor = kActors[static_cast<std::size_t>(n) % kActors.size()];
  const std::string& vendor = kVendors[static_cast<std::size_t>(n / 2) % kVendors.size()];
  switch (n % 3) {
    case 0:
      return actor + " has banned " + vendor + " from its 5G networks, the regulator said on Monday.";
    case 1:
      return actor + " is considering a ban on " + vendor + " equipment in federal agencies.";
    default:
      return "Officials said " + actor + " has banned " + vendor + " from government networks.";
  }
}

// Filler prose that differs per article, so every page has its own text.
inline std::string filler(int feed, int item, int para) {
  static const char* words[] = {"council", "harbour", "festival", "weather", "library", "market",  "river",
                                "school",  "railway", "museum",   "garden",  "bridge",  "theatre", "stadium"};
  std::string s = "The " + std::string(words[(feed * 7 + item + para) % 14]) + " report number " +
                  std::to_string(feed * 1000 + item) + " paragraph " + std::to_string(para) + " describes how ";
  for (int w = 0; w < 30; ++w) {
    s += words[(feed + item * 3 + para * 5 + w * 11) % 14];
    s += w % 9 == 8 ? ", and " : " ";
  }
  s += "residents gathered to discuss the plans for the coming season.";
  return s;
}

struct SiteOptions {
  int feeds = 6;
  int items_per_feed = 50;
  int ban_every = 3;                        // every Nth article carries a ban sentence
  int shared_items = 3;                     // feed k also lists this many of feed k-1's items (tracking query added)
  std::chrono::milliseconds page_delay{0};  // per article page, to lengthen a run
  std::map<std::string, std::string> extra_feeds;  // path -> RSS body, served beside the generated ones
};

class NewsSite {
 public:
  explicit NewsSite(SiteOptions options = {}) : options_(options) {
    server_.set_keep_alive_max_count(1000);
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    generate();  // links name the bound port
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~NewsSite() {
    server_.stop();
    thread_.join();
  }
  NewsSite(const NewsSite&) = delete;
  NewsSite& operator=(const NewsSite&) = delete;

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int feeds() const { return options_.feeds; }
  int articles() const { return static_cast<int>(pages_.size()); }
  int ban_articles() const { return ban_articles_; }

  // SIGKILLs `pid` when the Kth request (1-based, counted from now) arrives.
  void arm_kill(pid_t pid, int kth_request) {
    requests_.store(0);
    kill_at_.store(kth_request);
    kill_pid_.store(pid);
  }
  void disarm() {
    kill_pid_.store(0);
    kill_at_.store(0);
  }
  void reset_requests() { requests_.store(0); }
  int requests() const { return requests_.load(); }
  bool killed() const { return killed_.exchange(false); }

 private:
  void generate() {
    for (const auto& [path, body] : options_.extra_feeds) feeds_[path] = body;
    int n = 0;
    for (int f = 0; f < options_.feeds; ++f) {
      std::string items;
      auto item = [&](const std::string& link, const std::string& guid, const std::string& title) {
        items += "<item><title>" + title + "</title><link>" + link + "</link><guid isPermaLink=\"false\">" + guid +
                 "</guid><description>Report from the regional desk.</description>"
                 "<pubDate>Fri, 20 Nov 2026 09:30:00 GMT</pubDate></item>\n";
      };
      for (int i = 0; i < options_.items_per_feed; ++i, ++n) {
        std::string path = "/news/" + std::to_string(f) + "/" + std::to_string(i) + ".html";
        std::string title = "Regional report " + std::to_string(f) + "-" + std::to_string(i);
        std::string body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title +
                           "</title><meta property=\"article:published_time\" content=\"2026-11-20T09:30:00Z\">"
                           "</head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
                           "<article><h1>" +
                           title + "</h1>";
        for (int p = 0; p < 4; ++p) {
          body += "<p>" + filler(f, i, p);
          if (p == 1 && n % options_.ban_every == 0) body += " " + ban_sentence(n / options_.ban_every);
          body += "</p>";
        }
        body += "</article><footer>Copyright Example News</footer></body></html>";
        if (n % options_.ban_every == 0) ++ban_articles_;
        pages_[path] = std::move(body);
        item(url(path), "urn:example:" + std::to_string(f) + ":" + std::to_string(i), title);
      }
      if (f > 0) {
        for (int i = 0; i < options_.shared_items; ++i) {
          std::string path = "/news/" + std::to_string(f - 1) + "/" + std::to_string(i) + ".html";
          item(url(path) + "?utm_source=feed" + std::to_string(f),
               "urn:syndicated:" + std::to_string(f) + ":" + std::to_string(i),
               "Syndicated report " + std::to_string(f - 1) + "-" + std::to_string(i));
        }
      }
      feeds_["/feeds/" + std::to_string(f) + ".xml"] =
          "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Desk " + std::to_string(f) +
          "</title><link>" + url("/") + "</link><description>Generated</description>\n" + items + "</channel></rss>\n";
    }
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    int n = requests_.fetch_add(1) + 1;
    pid_t pid = kill_pid_.load();
    if (pid > 0 && n == kill_at_.load()) {
      ::kill(pid, SIGKILL);
      killed_.store(true);
      kill_pid_.store(0);
    }
    if (auto it = feeds_.find(req.path); it != feeds_.end()) {
      std::string etag = "\"" + std::to_string(std::hash<std::string>{}(it->second)) + "\"";
      res.set_header("ETag", etag);
      if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
      }
      res.set_content(it->second, "application/rss+xml");
      return;
    }
    if (auto it = pages_.find(req.path); it != pages_.end()) {
      if (options_.page_delay.count() > 0) std::this_thread::sleep_for(options_.page_delay);
      res.set_content(it->second, "text/html; charset=utf-8");
      return;
    }
    res.status = 404;
    res.set_content("not found", "text/plain");
  }

  SiteOptions options_;
  std::map<std::string, std::string> feeds_, pages_;
  int ban_articles_ = 0;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0}, kill_at_{0};
  std::atomic<pid_t> kill_pid_{0};
  mutable std::atomic<bool> killed_{false};
};

inline std::string temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("banwatch-hardening-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// `fetch_extra` holds further lines of the fetch section ("  key: value\n").
inline std::string write_config(const std::string& dir, const NewsSite& site, const std::string& db,
                                const std::string& articles = "all", const std::string& fetch_extra = "",
                                const std::vector<std::string>& extra_source_paths = {}) {
  std::string path = dir + "/banwatch.yaml";
  std::ofstream out(path);
  out << "store:\n  path: " << db << "\n"
      << "fetch:\n  host_delay: 0s\n  host_connections: 4\n  allow_private_networks: true\n  retries: 1\n"
      << "  timeout: 60s\n"
      << fetch_extra << "crawl:\n  articles: " << articles << "\n  max_item_age: 3650d\n"
      << "rules: " << BANWATCH_SOURCE_DIR << "/rules\n"
      << "sources:\n";
  for (int f = 0; f < site.feeds(); ++f)
    out << "  - name: desk" << f << "\n    url: " << site.url("/feeds/" + std::to_string(f) + ".xml")
        << "\n    every: 1h\n";
  for (std::size_t i = 0; i < extra_source_paths.size(); ++i)
    out << "  - name: extra" << i << "\n    url: " << site.url(extra_source_paths[i]) << "\n    every: 1h\n";
  return path;
}

struct Exit {
  int code = -1;  // exit status, or 128 + signal
  bool signaled = false;
  std::chrono::milliseconds wall{0};
  std::string err;
};

// Runs `banwatch --config CONFIG ARGS...` with extra environment entries.
class Banwatch {
 public:
  Banwatch(std::string dir, std::string config) : dir_(std::move(dir)), config_(std::move(config)) {}

  // A command the binary runs under (e.g. /usr/bin/time, valgrind).
  std::vector<std::string> prefix;

  pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
              const std::string& tag = "run") {
    std::vector<std::string> argv_s = prefix;
    for (const char* a : {BANWATCH_BINARY, "--config"}) argv_s.emplace_back(a);
    argv_s.push_back(config_);
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s;
    // Extra entries replace inherited ones of the same name (getenv takes the first).
    auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
    for (char** e = environ; *e; ++e) {
      bool replaced = false;
      for (const auto& extra : env) replaced = replaced || name_of(extra) == name_of(*e);
      if (!replaced) env_s.emplace_back(*e);
    }
    env_s.insert(env_s.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string err = dir_ + "/" + tag + ".err";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    EXPECT_EQ(rc, 0) << "posix_spawn " << argv_s[0];
    started_[pid] = std::chrono::steady_clock::now();
    tags_[pid] = tag;
    return pid;
  }

  Exit wait(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    Exit e;
    e.signaled = WIFSIGNALED(status);
    e.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    e.wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_[pid]);
    std::ifstream in(dir_ + "/" + tags_[pid] + ".err");
    std::stringstream ss;
    ss << in.rdbuf();
    e.err = ss.str();
    return e;
  }

  Exit run(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
           const std::string& tag = "run") {
    return wait(spawn(args, env, tag));
  }

 private:
  std::string dir_, config_;
  std::map<pid_t, std::chrono::steady_clock::time_point> started_;
  std::map<pid_t, std::string> tags_;
};

// A store's content as sorted lines, independent of ids, timing and which
// source won a race: articles by canonical URL; events by vendor, actor,
// action, status, date and citation count; mentions by article, rule and
// evidence. Duplicates stay (and so show up).
struct Dump {
  std::vector<std::string> articles, events, mentions;
  std::string integrity;
  bool operator==(const Dump& o) const {
    return articles == o.articles && events == o.events && mentions == o.mentions;
  }
};

inline Dump dump_store(const std::string& db) {
  Dump d;
  store::StoreOptions so;
  so.create = false;
  auto opened = store::open_store(db, so);
  if (!opened) {
    ADD_FAILURE() << "open " << db << ": " << opened.error().message;
    return d;
  }
  auto& s = **opened;
  auto check = s.integrity_check();
  d.integrity = check ? *check : "error: " + check.error().message;
  std::map<model::Id, std::string> canonical;
  auto walked = s.for_each_article({}, [&](const model::ArticleRecord& a) {
    canonical[a.id] = a.canonical_url;
    d.articles.push_back(a.canonical_url);
    return true;
  });
  EXPECT_TRUE(walked.has_value()) << (walked ? "" : walked.error().message);
  auto events = s.query_events({});
  EXPECT_TRUE(events.has_value()) << (events ? "" : events.error().message);
  if (events) {
    for (const auto& em : *events) {
      const auto& e = em.event;
      d.events.push_back(e.vendor + "|" + e.actor + "|" + e.action + "|" + e.status + "|" +
                         (e.event_date ? format_precise(*e.event_date) : "-") + "|" +
                         std::to_string(em.mentions.size()));
      for (const auto& m : em.mentions)
        d.mentions.push_back(canonical[m.article_id] + "|" + m.rule_id + "|" + m.evidence + "|" + e.vendor + "|" +
                             e.actor);
    }
  }
  std::sort(d.articles.begin(), d.articles.end());
  std::sort(d.events.begin(), d.events.end());
  std::sort(d.mentions.begin(), d.mentions.end());
  return d;
}

}  // namespace banwatch::hardening
