#include "common/config.h"

#include <gtest/gtest.h>

namespace banwatch {
namespace {

using namespace std::chrono;

TEST(Config, EmptyFileMeansDefaults) {
  auto c = parse_config("", "empty.yaml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->fetch.concurrency, 16);
  EXPECT_EQ(c->fetch.host_connections, 2);
  EXPECT_EQ(c->fetch.host_delay, seconds(1));
  EXPECT_EQ(c->crawl.articles, "matching");
  EXPECT_EQ(c->store.path, "banwatch.db");
}

TEST(Config, TheDefaultConfigurationParses) {
  auto c = parse_config(default_config_yaml(), "default");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_GE(c->sources.size(), 20u);
  for (const auto& s : c->sources) EXPECT_FALSE(s.url.empty()) << s.name;
}

TEST(Config, ReadsEverySection) {
  auto c = parse_config(R"(
store: {path: /var/lib/banwatch/events.db, busy_timeout: 2s, cluster_window: 7d}
fetch:
  concurrency: 4
  host_delay: 250ms
  max_bytes: 2MB
  allow_private_networks: true
  user_agent: test-agent
crawl: {articles: all, max_items_per_source: 50, queue_retry_after: 5m, queue_max_attempts: 5}
rules: /etc/banwatch/rules
sources:
  - {name: a, url: "https://a.example/feed", every: 15m, tags: [x, y]}
  - {name: b, url: "https://b.example/sitemap.xml", kind: sitemap, enabled: false, articles: none}
digest:
  format: html
  email: {url: "smtp://localhost:2525", from: a@example.com, to: b@example.com}
  webhook: [{url: "https://hooks.example/x", style: slack, secret_env: HOOK_SECRET}]
  command: [[/bin/cat]]
)",
                        "full.yaml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->store.path, "/var/lib/banwatch/events.db");
  EXPECT_EQ(c->store.cluster_window, days(7));
  EXPECT_EQ(c->fetch.concurrency, 4);
  EXPECT_EQ(c->fetch.host_delay, milliseconds(250));
  EXPECT_EQ(c->fetch.max_bytes, 2u << 20);
  EXPECT_TRUE(c->fetch.allow_private_networks);
  EXPECT_EQ(c->crawl.articles, "all");
  EXPECT_EQ(c->crawl.queue_retry_after, minutes(5));
  EXPECT_EQ(c->crawl.queue_max_attempts, 5);
  ASSERT_EQ(c->sources.size(), 2u);
  EXPECT_EQ(c->sources[0].interval, minutes(15));
  EXPECT_EQ(c->sources[0].tags, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(c->sources[1].kind, "sitemap");
  EXPECT_FALSE(c->sources[1].enabled);
  ASSERT_EQ(c->digest.email.size(), 1u);
  EXPECT_EQ(c->digest.email[0].to, std::vector<std::string>{"b@example.com"});
  ASSERT_EQ(c->digest.webhook.size(), 1u);
  EXPECT_EQ(c->digest.webhook[0].style, "slack");
  ASSERT_EQ(c->digest.command.size(), 1u);
  EXPECT_EQ(c->digest.command[0].argv[0], "/bin/cat");
}

// Each error names the file, the line and the key.
void expect_error(const std::string& yaml, const std::string& fragment) {
  auto c = parse_config(yaml, "bad.yaml");
  ASSERT_FALSE(c) << yaml;
  EXPECT_EQ(c.error().code, ErrorCode::kConfig);
  EXPECT_NE(c.error().message.find(fragment), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("bad.yaml:"), std::string::npos) << c.error().message;
}

TEST(Config, UnknownKeysAreRejectedWithFileLineAndKey) {
  expect_error("fetch:\n  concurency: 4\n", "bad.yaml:2: fetch.concurency: unknown key");
  expect_error("colour: red\n", "colour: unknown key");
}

// YAML 1.2 section 3.2.1.1: the keys of a mapping are unique. yaml-cpp keeps
// the first and drops the repeat without a word; banwatch names it.
TEST(Config, Spec_Yaml12_3_2_1_1_ADuplicateKeyIsAnErrorWithFileAndLine) {
  expect_error("fetch:\n  concurrency: 4\nstore:\n  path: a.db\nfetch:\n  timeout: 5s\n",
               "bad.yaml:5: fetch: duplicate key (first given at line 1)");
  expect_error("fetch:\n  timeout: 5s\n  retries: 1\n  timeout: 9s\n", "bad.yaml:4: fetch.timeout: duplicate key");
  expect_error("sources:\n  - name: a\n    url: https://a.example/feed\n    name: b\n",
               "bad.yaml:4: sources.name: duplicate key");
}

TEST(Config, WrongTypesAndBadValuesAreRejected) {
  expect_error("fetch:\n  concurrency: many\n", "fetch.concurrency: expected a whole number");
  expect_error("fetch:\n  concurrency: 0\n", "out of range");
  expect_error("fetch:\n  host_delay: soon\n", "fetch.host_delay: expected a duration");
  expect_error("fetch:\n  max_bytes: 12 parsecs\n", "fetch.max_bytes");
  expect_error("fetch:\n  allow_private_networks: maybe\n", "expected true or false");
  expect_error("crawl:\n  articles: some\n", "'some' is not one of: matching, all, none");
  expect_error("crawl:\n  queue_max_attempts: 0\n", "crawl.queue_max_attempts");
  expect_error("crawl:\n  queue_retry_after: 0s\n", "crawl.queue_retry_after");
  expect_error("sources:\n  - name: a\n    url: ftp://x/\n", "must be an http:// or https:// URL");
  expect_error("sources:\n  - {name: a, url: 'https://x/'}\n  - {name: a, url: 'https://y/'}\n",
               "duplicate source name");
  expect_error("sources:\n  - {url: 'https://x/'}\n", "a source needs a name");
  expect_error("fetch: [1, 2]\n", "expected a mapping");
  expect_error("fetch: {concurrency: 4\n", "invalid YAML");
  expect_error("digest:\n  email: {url: 'http://x', from: a, to: b}\n", "smtp://");
}

TEST(Config, OverridesGoThroughTheSameValidation) {
  Config c;
  ASSERT_TRUE(apply_override(c, "fetch.host_delay=0s"));
  EXPECT_EQ(c.fetch.host_delay, milliseconds(0));
  ASSERT_TRUE(apply_override(c, "crawl.articles=all"));
  EXPECT_EQ(c.crawl.articles, "all");
  ASSERT_TRUE(apply_override(c, "fetch.allow_private_networks=true"));
  EXPECT_TRUE(c.fetch.allow_private_networks);
  ASSERT_TRUE(apply_override(c, "fetch.user_agent=agent with spaces: and colon"));
  EXPECT_EQ(c.fetch.user_agent, "agent with spaces: and colon");
  auto bad = apply_override(c, "fetch.timeout=forever");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("fetch.timeout"), std::string::npos);
  EXPECT_FALSE(apply_override(c, "no_equals_sign"));
  EXPECT_FALSE(apply_override(c, "fetch.nonexistent=1"));
  EXPECT_EQ(c.fetch.host_delay, milliseconds(0)) << "a failed override changes nothing";
}

TEST(Config, RelativePathsResolveAgainstTheConfigFile) {
  Config c;
  c.path = "/etc/banwatch/banwatch.yaml";
  EXPECT_EQ(resolve_relative(c, "rules"), "/etc/banwatch/rules");
  EXPECT_EQ(resolve_relative(c, "/abs/x.db"), "/abs/x.db");
  EXPECT_EQ(resolve_relative(c, "postgresql://u@h/db"), "postgresql://u@h/db");
}

TEST(Config, MissingFileIsAClearError) {
  auto c = load_config("/nonexistent/banwatch.yaml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kConfig);
  EXPECT_NE(c.error().message.find("/nonexistent/banwatch.yaml"), std::string::npos);
}

}  // namespace
}  // namespace banwatch
