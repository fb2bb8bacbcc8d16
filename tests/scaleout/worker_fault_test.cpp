// Process-level faults of scale-out (docs/scale-out.md, "When a worker
// fails", "When the database fails"): real `banwatch crawl --worker` processes,
// real loopback news hosts, a real PostgreSQL cluster.
//
// Every test crawls the same three hosts (one with a feed that lists the
// other two hosts' pages, so the article-fetch queue is in play) and ends
// with the store of one undisturbed single-worker run: the same articles,
// each once, the same events and mentions, integrity_check "ok".
//  - a worker SIGKILLed mid-lease: the other worker takes its hosts only
//    after the lease expires, and finishes its work;
//  - the PostgreSQL server restarted mid-crawl (a cluster of the test's own);
//  - every worker connection cut (pg_terminate_backend) twice mid-crawl;
//  - two digest jobs at once: the job lock lets one send, each event once.
// Skips without BANWATCH_TEST_PG_URL (tests/store_pg/pg-cluster.sh).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "store/open/open_store.h"
#include "tests/scaleout/worker_fixture.h"

namespace banwatch::scaleout {
namespace {

using namespace std::chrono_literals;

constexpr int kPagesPerHost = 16;
constexpr int kCrossPages = 4;  // per other host, listed by host 0's second feed
constexpr int kArticles = 3 * kPagesPerHost;
constexpr int kLeaseSeconds = 3;

bool is_page(const std::string& path) { return path.rfind("/articles/", 0) == 0; }

std::int64_t epoch_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Three hosts, their feeds, and the store of one undisturbed worker.
class WorkerFaultTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (pg_url().empty() || !std::filesystem::exists(BANWATCH_BINARY)) return;
    dir_ = new std::string(hardening::temp_dir("scaleout-fault"));
    for (int h = 0; h < 3; ++h) hosts_[h] = new Host(10 + h, kPagesPerHost, 3, 120ms);
    std::vector<std::pair<std::string, std::string>> feeds;
    for (int h = 0; h < 3; ++h) {
      std::vector<std::pair<const Host*, int>> own;
      for (int i = 0; i < kPagesPerHost; ++i) own.push_back({hosts_[h], i});
      hosts_[h]->add_feed("/feeds/own.xml", own);
      feeds.push_back({"desk" + std::to_string(h), hosts_[h]->url("/feeds/own.xml")});
    }
    std::vector<std::pair<const Host*, int>> cross;
    for (int h = 1; h < 3; ++h)
      for (int i = 0; i < kCrossPages; ++i) cross.push_back({hosts_[h], kPagesPerHost - 1 - i});
    hosts_[0]->add_feed("/feeds/cross.xml", cross);
    feeds.push_back({"syndication", hosts_[0]->url("/feeds/cross.xml")});
    config_ = new std::string(write_worker_config(*dir_, feeds, "all", /*host_connections=*/2));

    // The reference: one worker alone (one pass), which must itself equal a
    // single-machine crawl on SQLite.
    Banwatch bw(*dir_, *config_);
    PgSchema schema;
    const Exit solo = bw.run({"--db", schema.url("solo"), "crawl", "--worker", "solo"}, {}, "solo");
    ASSERT_EQ(solo.code, 0) << solo.err;
    reference_ = new Dump(hardening::dump_store(schema.url()));
    const Exit sqlite = bw.run({"--db", *dir_ + "/single.db", "crawl"}, {}, "single");
    ASSERT_EQ(sqlite.code, 0) << sqlite.err;
    const Dump single = hardening::dump_store(*dir_ + "/single.db");
    ASSERT_EQ(reference_->articles, single.articles);
    ASSERT_EQ(reference_->events, single.events);
    ASSERT_EQ(reference_->mentions, single.mentions);
  }
  static void TearDownTestSuite() {
    for (auto*& host : hosts_) {
      delete host;
      host = nullptr;
    }
    if (dir_) std::filesystem::remove_all(*dir_);
    delete dir_;
    delete config_;
    delete reference_;
    dir_ = config_ = nullptr;
    reference_ = nullptr;
  }

  void SetUp() override {
    if (pg_url().empty())
      GTEST_SKIP() << "BANWATCH_TEST_PG_URL is not set (tests/store_pg/pg-cluster.sh starts a server)";
    if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
    ASSERT_NE(reference_, nullptr) << "the reference run failed";
    ASSERT_EQ(reference_->articles.size(), static_cast<std::size_t>(kArticles));
    ASSERT_FALSE(reference_->events.empty());
    for (Host* host : hosts_) host->on_request(nullptr);
    hits_before_.clear();
    for (Host* host : hosts_) hits_before_.push_back(host->hits().size());
  }

  // Hits of this test's workers (not the reference runs).
  std::vector<std::pair<int, Hit>> worker_hits() const {
    std::vector<std::pair<int, Hit>> out;
    for (int h = 0; h < 3; ++h) {
      auto hits = hosts_[h]->hits();
      for (std::size_t i = hits_before_[static_cast<std::size_t>(h)]; i < hits.size(); ++i) {
        if (hits[i].agent.rfind(agent_of(""), 0) == 0) out.push_back({h, hits[i]});
      }
    }
    return out;
  }
  int worker_page_hits() const {
    int n = 0;
    for (const auto& [h, hit] : worker_hits()) n += is_page(hit.path) ? 1 : 0;
    return n;
  }

  // Waits for the store to hold every article with nothing queued, then
  // stops the live workers with SIGTERM; they must exit 143 (interrupted, not
  // failed) without having abandoned a pass.
  void finish(Banwatch& bw, const PgSchema& schema, const std::vector<pid_t>& live) {
    const auto started = std::chrono::steady_clock::now();
    const bool complete = wait_until([&] { return store_complete(schema, kArticles); }, 60s);
    std::cerr
        << "[          ] store complete " << (complete ? "" : "NOT ") << "after "
        << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
        << " ms of waiting\n";
    for (pid_t pid : live) ::kill(pid, SIGTERM);
    std::string logs;
    for (pid_t pid : live) {
      const Exit e = bw.wait(pid);
      EXPECT_EQ(e.code, 143) << e.err;
      // A fault is absorbed by reconnecting, not by giving up on a pass.
      EXPECT_EQ(e.err.find("pass failed"), std::string::npos) << e.err;
      logs += e.err;
    }
    ASSERT_TRUE(complete) << "the workers did not finish within 60 s:\n" << logs;
  }

  void expect_reference_store(const PgSchema& schema) {
    const Dump dump = hardening::dump_store(schema.url());
    EXPECT_EQ(dump.integrity, "ok");
    EXPECT_EQ(dump.articles, reference_->articles);  // sorted: a duplicate would show
    EXPECT_EQ(dump.events, reference_->events);
    EXPECT_EQ(dump.mentions, reference_->mentions);
    EXPECT_EQ(schema.integer("SELECT count(*) FROM article_fetches WHERE state <> 'done'"), 0);
  }

  static std::string* dir_;
  static std::string* config_;
  static Dump* reference_;
  static Host* hosts_[3];
  std::vector<std::size_t> hits_before_;
};

std::string* WorkerFaultTest::dir_ = nullptr;
std::string* WorkerFaultTest::config_ = nullptr;
Dump* WorkerFaultTest::reference_ = nullptr;
Host* WorkerFaultTest::hosts_[3] = {nullptr, nullptr, nullptr};

TEST_F(WorkerFaultTest, WorkerKilledMidLeaseIsTakenOverAfterExpiryAndNothingIsStoredTwice) {
  PgSchema schema;
  for (Host* host : hosts_) host->check_leases_in(schema.url("leasecheck"));
  Banwatch bw(*dir_, *config_);
  std::atomic<pid_t> victim{0};
  std::atomic<int> victim_pages{0};
  std::atomic<int> killed_on{-1};
  std::atomic<std::size_t> kill_hit{0};  // index of the killing request in that host's hits
  for (int h = 0; h < 3; ++h) {
    hosts_[h]->on_request([&, h](const Hit& hit) {
      // SIGKILL w1 as its 5th page request arrives: four pages fetched, one in flight.
      if (hit.agent != agent_of("w1") || !is_page(hit.path) || victim.load() == 0) return;
      if (victim_pages.fetch_add(1) + 1 == 5) {
        ::kill(victim.load(), SIGKILL);
        kill_hit.store(hosts_[h]->hits().size() - 1);
        killed_on.store(h);
      }
    });
  }
  const pid_t w1 = bw.spawn(worker_args(schema, "w1", kLeaseSeconds, 1), {}, "w1");
  victim.store(w1);
  const pid_t w2 = bw.spawn(worker_args(schema, "w2", kLeaseSeconds, 1), {}, "w2");
  const Exit dead = bw.wait(w1);
  ASSERT_TRUE(dead.signaled) << "w1 was not killed: " << dead.err;
  ASSERT_GE(killed_on.load(), 0);
  for (Host* host : hosts_) host->on_request(nullptr);
  // It died holding the lease of the host it was fetching from.
  const auto held = schema.rows(
      "SELECT host, lease_expires FROM hosts WHERE lease_owner = 'w1'"
      " AND lease_expires > floor(extract(epoch FROM clock_timestamp()))");
  ASSERT_EQ(held.size(), 1u) << "w1 should have died mid-lease";
  EXPECT_EQ(held[0][0], hosts_[killed_on.load()]->authority());
  const std::int64_t expires = std::stoll(held[0][1]);
  const int stored_at_kill = static_cast<int>(schema.integer("SELECT count(*) FROM articles"));

  finish(bw, schema, {w2});
  expect_reference_store(schema);
  EXPECT_LT(stored_at_kill, kArticles);

  // Only lease holders sent requests.
  for (const auto& [h, hit] : worker_hits()) {
    const std::string worker = hit.agent.substr(agent_of("").size());
    EXPECT_EQ(hit.lease_owner, worker) << hosts_[h]->authority() << hit.path << " requested by " << worker;
  }
  // The dead worker's host was requested again only after its lease ran
  // out (the server's clock is the database's), and by w2.
  const auto victim_host_hits = hosts_[killed_on.load()]->hits();
  int after_kill = 0;
  for (std::size_t i = kill_hit.load() + 1; i < victim_host_hits.size(); ++i) {
    const Hit& hit = victim_host_hits[i];
    // Requests w1 sent just before it died may be recorded after the one that killed it.
    if (hit.agent != agent_of("w2")) continue;
    EXPECT_GE(hit.epoch_seconds, expires) << hit.path << " requested before w1's lease expired";
    ++after_kill;
  }
  EXPECT_GT(after_kill, 0) << "w2 never took over the dead worker's host";
  // The lease moved: its fencing token grew.
  EXPECT_EQ(schema.integer("SELECT count(*) FROM hosts WHERE host = '" + hosts_[killed_on.load()]->authority() +
                           "' AND lease_token >= 2"),
            1);
}

// A throwaway cluster this test may restart without disturbing other tests.
class OwnCluster {
 public:
  OwnCluster() : dir_(hardening::temp_dir("scaleout-pg")) {
    const std::string script = std::string(BANWATCH_SOURCE_DIR) + "/tests/store_pg/pg-cluster.sh";
    FILE* out = ::popen((script + " start " + dir_ + " 2>" + dir_ + ".log").c_str(), "r");
    if (out == nullptr) return;
    char line[512];
    while (std::fgets(line, sizeof line, out) != nullptr) {
      std::string text(line);
      const std::string key = "export BANWATCH_TEST_PG_URL='";
      if (auto at = text.find(key); at != std::string::npos) {
        url_ = text.substr(at + key.size());
        url_ = url_.substr(0, url_.find('\''));
      }
    }
    if (::pclose(out) != 0) url_.clear();
  }
  ~OwnCluster() {
    (void)std::system((script() + " stop " + dir_ + " >/dev/null 2>&1").c_str());
    std::filesystem::remove(dir_ + ".log");
  }
  OwnCluster(const OwnCluster&) = delete;
  OwnCluster& operator=(const OwnCluster&) = delete;

  const std::string& url() const { return url_; }
  std::string log() const {
    std::ifstream in(dir_ + ".log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  int restart() const { return std::system((script() + " restart " + dir_).c_str()); }

 private:
  static std::string script() { return std::string(BANWATCH_SOURCE_DIR) + "/tests/store_pg/pg-cluster.sh"; }
  std::string dir_, url_;
};

TEST_F(WorkerFaultTest, PostgresqlRestartedMidCrawlWorkersReconnectAndFinish) {
  OwnCluster cluster;
  if (cluster.url().empty())
    GTEST_SKIP() << "no PostgreSQL cluster of the test's own could be started: " << cluster.log();
  PgSchema schema(cluster.url());
  Banwatch bw(*dir_, *config_);
  const pid_t w1 = bw.spawn(worker_args(schema, "w1", kLeaseSeconds, 1), {}, "w1");
  const pid_t w2 = bw.spawn(worker_args(schema, "w2", kLeaseSeconds, 1), {}, "w2");
  ASSERT_TRUE(wait_until([&] { return worker_page_hits() >= 10; }, 30s));
  const std::int64_t stored_before = schema.integer("SELECT count(*) FROM articles");
  const std::int64_t restarted_at = epoch_now();
  ASSERT_EQ(cluster.restart(), 0);
  finish(bw, schema, {w1, w2});
  EXPECT_LT(stored_before, kArticles) << "the restart came after the crawl";
  int pages_after = 0;
  for (const auto& [h, hit] : worker_hits()) pages_after += is_page(hit.path) && hit.epoch_seconds > restarted_at;
  EXPECT_GT(pages_after, 0);
  expect_reference_store(schema);
}

TEST_F(WorkerFaultTest, WorkerConnectionsCutMidCrawlWorkersReconnectAndFinish) {
  PgSchema schema;
  Banwatch bw(*dir_, *config_);
  const pid_t w1 = bw.spawn(worker_args(schema, "w1", kLeaseSeconds, 1), {}, "w1");
  const pid_t w2 = bw.spawn(worker_args(schema, "w2", kLeaseSeconds, 1), {}, "w2");
  // Cut both workers' connections twice, as a network partition would.
  ASSERT_TRUE(wait_until([&] { return worker_page_hits() >= 8; }, 30s));
  const std::int64_t stored_before = schema.integer("SELECT count(*) FROM articles");
  EXPECT_EQ(schema.terminate_backends("w"), 2);
  ASSERT_TRUE(wait_until([&] { return worker_page_hits() >= 20; }, 30s));
  // A worker between two store calls holds no connection until its next
  // one: the second cut falls on the first connection a worker opens again.
  EXPECT_TRUE(wait_until([&] { return schema.terminate_backends("w") >= 1; }, 30s));
  finish(bw, schema, {w1, w2});
  EXPECT_LT(stored_before, kArticles) << "the cut came after the crawl";
  expect_reference_store(schema);
}

// ---- two digest jobs at once ------------------------------------------------

// Event ids in a JSON brief.
std::vector<std::int64_t> brief_event_ids(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::int64_t> ids;
  std::vector<nlohmann::json> todo{nlohmann::json::parse(in)};
  while (!todo.empty()) {
    nlohmann::json node = std::move(todo.back());
    todo.pop_back();
    if (node.is_object() && node.contains("actor_type") && node.contains("id"))
      ids.push_back(node["id"].get<std::int64_t>());
    if (node.is_structured())
      for (auto& child : node) todo.push_back(child);
  }
  return ids;
}

class DigestJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (pg_url().empty())
      GTEST_SKIP() << "BANWATCH_TEST_PG_URL is not set (tests/store_pg/pg-cluster.sh starts a server)";
    if (!std::filesystem::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch binary not built: " << BANWATCH_BINARY;
    dir_ = hardening::temp_dir("scaleout-digest");
    std::filesystem::create_directories(dir_ + "/briefs");
    // The command channel keeps each brief it receives, slowly, so that a
    // second job starts while the first is still sending.
    std::ofstream(dir_ + "/banwatch.yaml")
        << "rules: " << BANWATCH_SOURCE_DIR << "/rules\n"
        << "digest:\n  format: json\n  command:\n"
        << "    - [\"/bin/sh\", \"-c\", \"cat > \\\"$0\\\"/brief.$$.json; sleep 2\", \"" << dir_ << "/briefs\"]\n";
    schema_ = std::make_unique<PgSchema>();
    store::StoreOptions options;
    auto opened = store::open_store(schema_->url(), options);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    for (int i = 0; i < 3; ++i) {
      model::ArticleRecord article;
      article.url = article.canonical_url = "https://news.example/digest/" + std::to_string(i);
      article.item_id = article.canonical_url;
      article.title = "Report " + std::to_string(i);
      article.text = hardening::ban_sentence(i * 3);
      article.content_hash = std::to_string(i);
      article.fetched_at = now;
      model::ExtractedEvent event;
      event.vendor = hardening::kVendors[static_cast<std::size_t>(i)];
      event.actor = hardening::kActors[static_cast<std::size_t>(i)];
      event.actor_type = "government";
      event.action = "ban";
      event.status = "enacted";
      event.evidence = article.text;
      event.rule_id = "test";
      event.rule_pack_version = "1";
      event.confidence = 0.9;
      store::AppendOptions append;
      append.now = now;
      auto appended = (*opened)->append_article(article, {event}, append);
      ASSERT_TRUE(appended.has_value()) << appended.error().message;
      ASSERT_EQ(appended->events_appended, 1);
    }
  }
  void TearDown() override {
    if (!dir_.empty() && !HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::vector<std::string> briefs() const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ + "/briefs")) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> digest_args() const { return {"--db", schema_->url("digest"), "digest", "--deliver"}; }

  std::string dir_;
  std::unique_ptr<PgSchema> schema_;
};

TEST_F(DigestJobTest, SecondJobWhileTheFirstSendsSendsNothingAndExits75) {
  Banwatch bw(dir_, dir_ + "/banwatch.yaml");
  const pid_t first = bw.spawn(digest_args(), {}, "first");
  // The first job is delivering (its command has the brief) and holds the lock.
  ASSERT_TRUE(wait_until([&] { return !briefs().empty(); }, 30s));
  const Exit second = bw.run(digest_args(), {}, "second");
  EXPECT_EQ(second.code, 75) << second.err;
  EXPECT_NE(second.err.find("another digest job"), std::string::npos) << second.err;
  const Exit first_exit = bw.wait(first);
  EXPECT_EQ(first_exit.code, 0) << first_exit.err;
  // After it, a third job finds nothing new: the command channel gets no brief.
  const Exit third = bw.run(digest_args(), {}, "third");
  EXPECT_EQ(third.code, 0) << third.err;
  const auto sent = briefs();
  ASSERT_EQ(sent.size(), 1u);
  auto ids = brief_event_ids(sent[0]);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
  EXPECT_EQ(schema_->integer("SELECT count(*) FROM digests"), 1);
}

TEST_F(DigestJobTest, TwoJobsStartedTogetherSendEachEventOnce) {
  Banwatch bw(dir_, dir_ + "/banwatch.yaml");
  const pid_t a = bw.spawn(digest_args(), {}, "a");
  const pid_t b = bw.spawn(digest_args(), {}, "b");
  const Exit ea = bw.wait(a), eb = bw.wait(b);
  for (const Exit& e : {ea, eb}) EXPECT_TRUE(e.code == 0 || e.code == 75) << e.code << ": " << e.err;
  std::vector<std::int64_t> ids;
  for (const auto& brief : briefs()) {
    auto some = brief_event_ids(brief);
    ids.insert(ids.end(), some.begin(), some.end());
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), 3u) << "every event sent exactly once";
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
  EXPECT_EQ(briefs().size(), 1u);
}

}  // namespace
}  // namespace banwatch::scaleout
