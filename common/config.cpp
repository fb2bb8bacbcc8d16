#include "common/config.h"
#include "common/yaml_keys.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "common/time.h"

namespace banwatch {
namespace {

// Thrown only inside this file and turned into an Error at the border.
struct ConfigError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void error(const YAML::Node& node, const std::string& key, const std::string& msg) const {
    auto mark = node.Mark();
    std::string where = mark.line >= 0 ? fmt::format("{}:{}", name_, mark.line + 1) : name_;
    throw ConfigError{fmt::format("{}: {}: {}", where, key, msg)};
  }

  void check_map(const YAML::Node& node, const std::string& key, const std::set<std::string>& allowed) const {
    if (!node.IsMap()) error(node, key, "expected a mapping");
    for (const auto& kv : node) {
      auto k = kv.first.as<std::string>();
      if (!allowed.contains(k)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        error(kv.first, key.empty() ? k : key + "." + k, "unknown key (expected one of: " + list + ")");
      }
    }
  }

  std::string str(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) error(node, key, "expected a string");
    return node.as<std::string>();
  }

  bool boolean(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) error(node, key, "expected true or false");
    auto s = node.as<std::string>();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    error(node, key, "expected true or false, got '" + s + "'");
  }

  long long integer(const YAML::Node& node, const std::string& key, long long lo, long long hi) const {
    if (!node.IsScalar()) error(node, key, "expected a whole number");
    auto s = node.as<std::string>();
    long long v = 0;
    std::size_t used = 0;
    try {
      v = std::stoll(s, &used);
    } catch (...) {
      used = 0;
    }
    if (used != s.size() || s.empty()) error(node, key, "expected a whole number, got '" + s + "'");
    if (v < lo || v > hi) error(node, key, fmt::format("{} is out of range ({} to {})", v, lo, hi));
    return v;
  }

  std::chrono::milliseconds duration(const YAML::Node& node, const std::string& key, std::chrono::milliseconds lo,
                                     std::chrono::milliseconds hi) const {
    if (!node.IsScalar()) error(node, key, "expected a duration such as 30s, 15m, 2h, 500ms");
    auto s = node.as<std::string>();
    auto d = parse_duration(s);
    if (!d) error(node, key, "expected a duration such as 30s, 15m, 2h, 500ms, got '" + s + "'");
    if (*d < lo || *d > hi)
      error(node, key, fmt::format("{} is out of range ({} to {})", s, format_duration(lo), format_duration(hi)));
    return *d;
  }

  std::size_t bytes(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) error(node, key, "expected a size such as 16MB");
    auto s = node.as<std::string>();
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == 0 || i > 12) error(node, key, "expected a size such as 512KB, 16MB, 1GB, got '" + s + "'");
    std::size_t n = std::stoull(s.substr(0, i));
    std::string unit = s.substr(i);
    std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::toupper(c); });
    std::size_t mult = 0;
    if (unit.empty() || unit == "B")
      mult = 1;
    else if (unit == "KB" || unit == "KIB" || unit == "K")
      mult = 1024;
    else if (unit == "MB" || unit == "MIB" || unit == "M")
      mult = 1024 * 1024;
    else if (unit == "GB" || unit == "GIB" || unit == "G")
      mult = 1024ULL * 1024 * 1024;
    else
      error(node, key, "unknown size unit '" + unit + "' (B, KB, MB, GB)");
    if (n * mult < 1024 || n * mult > (8ULL << 30)) error(node, key, "size out of range (1KB to 8GB)");
    return n * mult;
  }

  std::string one_of(const YAML::Node& node, const std::string& key, const std::vector<std::string>& choices) const {
    auto s = str(node, key);
    if (std::find(choices.begin(), choices.end(), s) == choices.end()) {
      std::string list;
      for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
      error(node, key, "'" + s + "' is not one of: " + list);
    }
    return s;
  }

  std::vector<std::string> strings(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      out.push_back(node.as<std::string>());
      return out;
    }
    if (!node.IsSequence()) error(node, key, "expected a list of strings");
    for (const auto& n : node) out.push_back(str(n, key));
    return out;
  }

 private:
  std::string name_;
};

using namespace std::chrono;
constexpr auto kNoLimit = milliseconds(365LL * 24 * 3600 * 1000);

void read_fetch(const Reader& r, const YAML::Node& n, FetchConfig& f) {
  r.check_map(n, "fetch",
              {"concurrency", "host_connections", "host_delay", "connect_timeout", "timeout", "low_speed_bytes",
               "low_speed_time", "max_bytes", "max_redirects", "retries", "allow_private_networks", "user_agent",
               "robots_ttl"});
  if (n["concurrency"]) f.concurrency = static_cast<int>(r.integer(n["concurrency"], "fetch.concurrency", 1, 1024));
  if (n["host_connections"])
    f.host_connections = static_cast<int>(r.integer(n["host_connections"], "fetch.host_connections", 1, 64));
  if (n["host_delay"]) f.host_delay = r.duration(n["host_delay"], "fetch.host_delay", milliseconds(0), hours(1));
  if (n["connect_timeout"])
    f.connect_timeout = r.duration(n["connect_timeout"], "fetch.connect_timeout", milliseconds(100), minutes(10));
  if (n["timeout"]) f.timeout = r.duration(n["timeout"], "fetch.timeout", milliseconds(100), hours(1));
  if (n["low_speed_bytes"])
    f.low_speed_bytes = static_cast<int>(r.integer(n["low_speed_bytes"], "fetch.low_speed_bytes", 0, 1 << 30));
  if (n["low_speed_time"])
    f.low_speed_time = r.duration(n["low_speed_time"], "fetch.low_speed_time", seconds(1), hours(1));
  if (n["max_bytes"]) f.max_bytes = r.bytes(n["max_bytes"], "fetch.max_bytes");
  if (n["max_redirects"])
    f.max_redirects = static_cast<int>(r.integer(n["max_redirects"], "fetch.max_redirects", 0, 20));
  if (n["retries"]) f.retries = static_cast<int>(r.integer(n["retries"], "fetch.retries", 0, 10));
  if (n["allow_private_networks"])
    f.allow_private_networks = r.boolean(n["allow_private_networks"], "fetch.allow_private_networks");
  if (n["user_agent"]) {
    f.user_agent = r.str(n["user_agent"], "fetch.user_agent");
    if (f.user_agent.empty())
      r.error(n["user_agent"], "fetch.user_agent", "must not be empty: sites need to know who crawls them");
  }
  if (n["robots_ttl"])
    f.robots_ttl = duration_cast<seconds>(r.duration(n["robots_ttl"], "fetch.robots_ttl", seconds(0), kNoLimit));
}

const std::vector<std::string> kArticlePolicies = {"matching", "all", "none"};

void read_crawl(const Reader& r, const YAML::Node& n, CrawlConfig& c) {
  r.check_map(n, "crawl",
              {"articles", "min_interval", "max_interval", "max_backoff", "max_items_per_source", "max_item_age",
               "queue_retry_after", "queue_max_attempts"});
  if (n["articles"]) c.articles = r.one_of(n["articles"], "crawl.articles", kArticlePolicies);
  if (n["min_interval"])
    c.min_interval = duration_cast<seconds>(r.duration(n["min_interval"], "crawl.min_interval", seconds(0), kNoLimit));
  if (n["max_interval"])
    c.max_interval = duration_cast<seconds>(r.duration(n["max_interval"], "crawl.max_interval", seconds(1), kNoLimit));
  if (n["max_backoff"])
    c.max_backoff = duration_cast<seconds>(r.duration(n["max_backoff"], "crawl.max_backoff", seconds(1), kNoLimit));
  if (n["max_items_per_source"])
    c.max_items_per_source =
        static_cast<int>(r.integer(n["max_items_per_source"], "crawl.max_items_per_source", 1, 100000));
  if (n["max_item_age"])
    c.max_item_age = duration_cast<days>(r.duration(n["max_item_age"], "crawl.max_item_age", hours(24), kNoLimit * 50));
  if (n["queue_retry_after"]) {
    c.queue_retry_after =
        duration_cast<seconds>(r.duration(n["queue_retry_after"], "crawl.queue_retry_after", seconds(1), kNoLimit));
  }
  if (n["queue_max_attempts"]) {
    c.queue_max_attempts = static_cast<int>(r.integer(n["queue_max_attempts"], "crawl.queue_max_attempts", 1, 100));
  }
  if (c.min_interval > c.max_interval) r.error(n, "crawl", "min_interval is larger than max_interval");
}

void read_store(const Reader& r, const YAML::Node& n, StoreConfig& s) {
  r.check_map(n, "store", {"path", "url", "busy_timeout", "cluster_window"});
  if (n["path"]) s.path = r.str(n["path"], "store.path");
  if (n["url"]) s.path = r.str(n["url"], "store.url");
  if (s.path.empty()) r.error(n, "store.path", "must not be empty");
  if (n["busy_timeout"])
    s.busy_timeout = r.duration(n["busy_timeout"], "store.busy_timeout", milliseconds(0), hours(1));
  if (n["cluster_window"])
    s.cluster_window = duration_cast<days>(r.duration(n["cluster_window"], "store.cluster_window", hours(0), kNoLimit));
}

void read_sources(const Reader& r, const YAML::Node& n, std::vector<SourceConfig>& out) {
  if (!n.IsSequence()) r.error(n, "sources", "expected a list of sources");
  std::set<std::string> names;
  for (const auto& s : n) {
    r.check_map(s, "sources[]", {"name", "url", "kind", "every", "interval", "tags", "enabled", "articles", "note"});
    SourceConfig src;
    if (!s["name"]) r.error(s, "sources[]", "a source needs a name");
    if (!s["url"]) r.error(s, "sources[]", "a source needs a url");
    src.name = r.str(s["name"], "sources[].name");
    std::string key = "sources[" + src.name + "]";
    if (src.name.empty()) r.error(s["name"], key + ".name", "must not be empty");
    if (!names.insert(src.name).second) r.error(s["name"], key + ".name", "duplicate source name");
    src.url = r.str(s["url"], key + ".url");
    if (!(src.url.starts_with("http://") || src.url.starts_with("https://")))
      r.error(s["url"], key + ".url", "must be an http:// or https:// URL, got '" + src.url + "'");
    if (s["kind"]) src.kind = r.one_of(s["kind"], key + ".kind", {"feed", "sitemap", "page"});
    if (s["every"]) src.interval = duration_cast<seconds>(r.duration(s["every"], key + ".every", minutes(1), kNoLimit));
    if (s["interval"])
      src.interval = duration_cast<seconds>(r.duration(s["interval"], key + ".interval", minutes(1), kNoLimit));
    if (s["tags"]) src.tags = r.strings(s["tags"], key + ".tags");
    if (s["enabled"]) src.enabled = r.boolean(s["enabled"], key + ".enabled");
    if (s["articles"]) src.articles = r.one_of(s["articles"], key + ".articles", kArticlePolicies);
    if (s["note"]) src.note = r.str(s["note"], key + ".note");
    out.push_back(std::move(src));
  }
}

void read_digest(const Reader& r, const YAML::Node& n, DigestConfig& d) {
  r.check_map(n, "digest", {"format", "out", "email", "webhook", "command"});
  if (n["format"]) d.format = r.one_of(n["format"], "digest.format", {"markdown", "html", "text", "json", "atom"});
  if (n["out"]) d.out = r.str(n["out"], "digest.out");
  auto as_list = [](const YAML::Node& node) {
    std::vector<YAML::Node> items;
    if (node.IsSequence())
      for (const auto& x : node) items.push_back(x);
    else
      items.push_back(node);
    return items;
  };
  if (n["email"]) {
    for (const auto& e : as_list(n["email"])) {
      r.check_map(e, "digest.email",
                  {"url", "starttls", "username", "password_env", "password_file", "from", "to", "subject"});
      EmailConfig c;
      if (!e["url"]) r.error(e, "digest.email.url", "required (smtp://host:port or smtps://host:port)");
      c.url = r.str(e["url"], "digest.email.url");
      if (!(c.url.starts_with("smtp://") || c.url.starts_with("smtps://")))
        r.error(e["url"], "digest.email.url", "must start with smtp:// or smtps://");
      if (e["starttls"]) c.starttls = r.boolean(e["starttls"], "digest.email.starttls");
      if (e["username"]) c.username = r.str(e["username"], "digest.email.username");
      if (e["password_env"]) c.password_env = r.str(e["password_env"], "digest.email.password_env");
      if (e["password_file"]) c.password_file = r.str(e["password_file"], "digest.email.password_file");
      if (!e["from"]) r.error(e, "digest.email.from", "required");
      c.from = r.str(e["from"], "digest.email.from");
      if (!e["to"]) r.error(e, "digest.email.to", "required: one address or a list");
      c.to = r.strings(e["to"], "digest.email.to");
      if (c.to.empty()) r.error(e["to"], "digest.email.to", "needs at least one address");
      if (e["subject"]) c.subject = r.str(e["subject"], "digest.email.subject");
      d.email.push_back(std::move(c));
    }
  }
  if (n["webhook"]) {
    for (const auto& w : as_list(n["webhook"])) {
      r.check_map(w, "digest.webhook", {"url", "style", "secret_env", "secret_file", "retries"});
      WebhookConfig c;
      if (!w["url"]) r.error(w, "digest.webhook.url", "required");
      c.url = r.str(w["url"], "digest.webhook.url");
      if (!(c.url.starts_with("http://") || c.url.starts_with("https://")))
        r.error(w["url"], "digest.webhook.url", "must be an http:// or https:// URL");
      if (w["style"]) c.style = r.one_of(w["style"], "digest.webhook.style", {"json", "slack", "mattermost", "teams"});
      if (w["secret_env"]) c.secret_env = r.str(w["secret_env"], "digest.webhook.secret_env");
      if (w["secret_file"]) c.secret_file = r.str(w["secret_file"], "digest.webhook.secret_file");
      if (w["retries"]) c.retries = static_cast<int>(r.integer(w["retries"], "digest.webhook.retries", 0, 10));
      d.webhook.push_back(std::move(c));
    }
  }
  if (n["command"]) {
    for (const auto& c : as_list(n["command"])) {
      CommandConfig cc;
      cc.argv = r.strings(c, "digest.command");
      if (cc.argv.empty() || cc.argv[0].empty()) r.error(c, "digest.command", "needs a program");
      d.command.push_back(std::move(cc));
    }
  }
}

Config read_root(const Reader& r, const YAML::Node& root) {
  Config config;
  if (!root || root.IsNull()) return config;  // an empty file means all defaults
  r.check_map(root, "", {"store", "fetch", "crawl", "rules", "sources", "digest"});
  if (root["store"]) read_store(r, root["store"], config.store);
  if (root["fetch"]) read_fetch(r, root["fetch"], config.fetch);
  if (root["crawl"]) read_crawl(r, root["crawl"], config.crawl);
  if (root["rules"]) config.rules = r.str(root["rules"], "rules");
  if (root["sources"] && !root["sources"].IsNull()) read_sources(r, root["sources"], config.sources);
  if (root["digest"]) read_digest(r, root["digest"], config.digest);
  return config;
}

}  // namespace

Result<Config> parse_config(std::string_view yaml, std::string_view name) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (auto duplicate = find_duplicate_key(root))
      return fail(ErrorCode::kConfig, fmt::format("{}:{}: {}: duplicate key (first given at line {})", name,
                                                  duplicate->line, duplicate->key, duplicate->first_line));
    Reader reader{std::string(name)};
    return read_root(reader, root);
  } catch (const ConfigError& e) {
    return fail(ErrorCode::kConfig, e.message);
  } catch (const YAML::Exception& e) {
    std::string where = e.mark.line >= 0 ? fmt::format("{}:{}", name, e.mark.line + 1) : std::string(name);
    return fail(ErrorCode::kConfig, fmt::format("{}: invalid YAML: {}", where, e.msg));
  } catch (const std::exception& e) {
    return fail(ErrorCode::kConfig, fmt::format("{}: {}", name, e.what()));
  }
}

Result<Config> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kConfig, "cannot read configuration file " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  auto config = parse_config(buf.str(), path);
  if (config) config->path = path;
  return config;
}

Status apply_override(Config& config, std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return fail(ErrorCode::kConfig, "--set " + std::string(assignment) + ": expected KEY=VALUE");
  std::string key(assignment.substr(0, eq));
  std::string value(assignment.substr(eq + 1));
  auto dot = key.find('.');
  if (dot == std::string::npos && key != "rules")
    return fail(ErrorCode::kConfig, "--set " + key + ": expected a dotted key such as fetch.timeout");
  // Build a one-key YAML document and run it through the same validation.
  std::string yaml;
  if (key == "rules") {
    yaml = "rules: " + YAML::Dump(YAML::Node(value)) + "\n";
  } else {
    std::string section = key.substr(0, dot), leaf = key.substr(dot + 1);
    if (section == "sources")
      return fail(ErrorCode::kConfig, "--set " + key + ": sources cannot be set one key at a time");
    YAML::Node n;
    n[section][leaf] = value;
    yaml = YAML::Dump(n);
  }
  auto parsed = parse_config(yaml, "--set " + std::string(assignment));
  if (!parsed) return std::unexpected(parsed.error());
  // Copy just the one key from the parsed config onto `config`.
  const Config& p = *parsed;
  // Each entry copies one member, the same way: a macro keeps the key and the
  // member side by side.
  // clang-format off
#define BANWATCH_COPY_KEY(key, member) {key, [](Config& c, const Config& s) { c.member = s.member; }}
  // clang-format on
  static const std::map<std::string, std::function<void(Config&, const Config&)>> kCopy = {
      BANWATCH_COPY_KEY("store.path", store.path),
      BANWATCH_COPY_KEY("store.url", store.path),
      BANWATCH_COPY_KEY("store.busy_timeout", store.busy_timeout),
      BANWATCH_COPY_KEY("store.cluster_window", store.cluster_window),
      BANWATCH_COPY_KEY("fetch.concurrency", fetch.concurrency),
      BANWATCH_COPY_KEY("fetch.host_connections", fetch.host_connections),
      BANWATCH_COPY_KEY("fetch.host_delay", fetch.host_delay),
      BANWATCH_COPY_KEY("fetch.connect_timeout", fetch.connect_timeout),
      BANWATCH_COPY_KEY("fetch.timeout", fetch.timeout),
      BANWATCH_COPY_KEY("fetch.low_speed_bytes", fetch.low_speed_bytes),
      BANWATCH_COPY_KEY("fetch.low_speed_time", fetch.low_speed_time),
      BANWATCH_COPY_KEY("fetch.max_bytes", fetch.max_bytes),
      BANWATCH_COPY_KEY("fetch.max_redirects", fetch.max_redirects),
      BANWATCH_COPY_KEY("fetch.retries", fetch.retries),
      BANWATCH_COPY_KEY("fetch.allow_private_networks", fetch.allow_private_networks),
      BANWATCH_COPY_KEY("fetch.user_agent", fetch.user_agent),
      BANWATCH_COPY_KEY("fetch.robots_ttl", fetch.robots_ttl),
      BANWATCH_COPY_KEY("crawl.articles", crawl.articles),
      BANWATCH_COPY_KEY("crawl.min_interval", crawl.min_interval),
      BANWATCH_COPY_KEY("crawl.max_interval", crawl.max_interval),
      BANWATCH_COPY_KEY("crawl.max_backoff", crawl.max_backoff),
      BANWATCH_COPY_KEY("crawl.max_items_per_source", crawl.max_items_per_source),
      BANWATCH_COPY_KEY("crawl.max_item_age", crawl.max_item_age),
      BANWATCH_COPY_KEY("crawl.queue_retry_after", crawl.queue_retry_after),
      BANWATCH_COPY_KEY("crawl.queue_max_attempts", crawl.queue_max_attempts),
      BANWATCH_COPY_KEY("digest.format", digest.format),
      BANWATCH_COPY_KEY("digest.out", digest.out),
      BANWATCH_COPY_KEY("rules", rules),
  };
#undef BANWATCH_COPY_KEY
  auto it = kCopy.find(key);
  if (it == kCopy.end())
    return fail(ErrorCode::kConfig, "--set " + key + ": not a key that can be set on the command line");
  it->second(config, p);
  return {};
}

std::string resolve_relative(const Config& config, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty() || path.find("://") != std::string::npos || fs::path(path).is_absolute() || config.path.empty())
    return path;
  auto dir = fs::path(config.path).parent_path();
  return dir.empty() ? path : (dir / path).lexically_normal().string();
}

}  // namespace banwatch
