// The one YAML configuration file (docs/configuration.md documents every key).
// Unknown keys, wrong types and bad values are errors naming file, line and key.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace banwatch {

struct SourceConfig {
  std::string name;
  std::string url;
  std::string kind = "feed";  // feed | sitemap | page
  std::chrono::seconds interval{std::chrono::minutes(30)};
  std::vector<std::string> tags;
  bool enabled = true;
  std::string articles;  // "" = crawl.articles; matching | all | none
  std::string note;      // why this source is configured as it is
};

struct FetchConfig {
  int concurrency = 16;
  int host_connections = 2;
  std::chrono::milliseconds host_delay{1000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};
  int low_speed_bytes = 100;                         // below this many bytes/s …
  std::chrono::milliseconds low_speed_time{15'000};  // … for this long: cut off
  std::size_t max_bytes = 16u << 20;                 // after decompression
  int max_redirects = 5;
  int retries = 2;  // within a run, for transient failures
  bool allow_private_networks = false;
  std::string user_agent = "banwatch/0.1 (+https://github.com/banwatch/banwatch)";
  std::chrono::seconds robots_ttl{std::chrono::hours(24)};
};

struct CrawlConfig {
  std::string articles = "matching";  // matching | all | none
  std::chrono::seconds min_interval{std::chrono::minutes(5)};
  std::chrono::seconds max_interval{std::chrono::hours(24)};
  std::chrono::seconds max_backoff{std::chrono::hours(24)};
  int max_items_per_source = 200;      // newest first
  std::chrono::days max_item_age{30};  // older items are ignored
  // Worker mode: a queued article page that failed transiently is queued
  // again after this (doubled per attempt), up to queue_max_attempts.
  std::chrono::seconds queue_retry_after{60};
  int queue_max_attempts = 3;
};

struct StoreConfig {
  std::string path = "banwatch.db";  // or a store URL (postgresql://…)
  std::chrono::milliseconds busy_timeout{10'000};
  std::chrono::days cluster_window{14};
};

struct EmailConfig {
  std::string url;  // smtp://host:25, smtps://host:465
  bool starttls = false;
  std::string username;
  std::string password_env;  // name of an environment variable
  std::string password_file;
  std::string from;
  std::vector<std::string> to;
  std::string subject = "banwatch digest";
};

struct WebhookConfig {
  std::string url;
  std::string style = "json";  // json | slack | teams
  std::string secret_env;      // HMAC-SHA256 key from this variable
  std::string secret_file;
  int retries = 3;
};

struct CommandConfig {
  std::vector<std::string> argv;  // the digest goes to its standard input
};

struct DigestConfig {
  std::string format = "markdown";
  std::string out;  // file or directory; "" = stdout
  std::vector<EmailConfig> email;
  std::vector<WebhookConfig> webhook;
  std::vector<CommandConfig> command;
};

struct Config {
  std::string path;  // where it was loaded from ("" = built-in)
  StoreConfig store;
  FetchConfig fetch;
  CrawlConfig crawl;
  std::string rules = "rules";  // rule-pack directory, relative to the config file
  std::vector<SourceConfig> sources;
  DigestConfig digest;
};

// Parses YAML text; `name` is used in error messages ("banwatch.yaml:12: ...").
Result<Config> parse_config(std::string_view yaml, std::string_view name);
Result<Config> load_config(const std::string& path);

// Applies one "--set KEY=VALUE" override (dotted key: fetch.host_delay=0s).
Status apply_override(Config& config, std::string_view assignment);

// The commented default configuration `banwatch init` writes.
std::string default_config_yaml();

// Resolves a path relative to the directory of the config file.
std::string resolve_relative(const Config& config, const std::string& path);

}  // namespace banwatch
