// Tests of the SQLite event store through the Store interface, plus a raw
// sqlite3 connection where a test needs to act as a second writer or to
// write an old schema by hand.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/open/open_store.h"

namespace banwatch::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

Timestamp at(int y, unsigned m, unsigned d, int hour = 0) {
  using namespace std::chrono;
  return Timestamp(sys_days{year{y} / month{m} / day{d}}) + hours{hour};
}

PreciseTime day_date(int y, unsigned m, unsigned d) { return PreciseTime{at(y, m, d), DatePrecision::kDay}; }

// A raw connection for what the Store interface deliberately cannot do.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
  ~RawDb() { sqlite3_close(db_); }
  // Returns "" on success, else SQLite's message.
  std::string exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return "";
    std::string text = message ? message : "error";
    sqlite3_free(message);
    return text;
  }
  std::int64_t integer(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    std::int64_t value = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("banwatch-store-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  Store& open(StoreOptions options = {}) {
    auto opened = open_store(path_, options);
    EXPECT_TRUE(opened.has_value()) << (opened ? "" : opened.error().message);
    if (!opened) std::abort();
    store_ = std::move(*opened);
    return *store_;
  }

  static model::ArticleRecord article(const std::string& slug, Timestamp fetched = at(2026, 3, 1)) {
    model::ArticleRecord a;
    a.url = "https://news.example/" + slug + "?utm_source=x";
    a.canonical_url = "https://news.example/" + slug;
    a.item_id = "item:" + slug;
    a.title = "Title of " + slug;
    a.published_at = PreciseTime{fetched - 2h, DatePrecision::kMinute};
    a.fetched_at = fetched;
    a.language = "en";
    a.text = "Body of " + slug + ". Regulators discussed telecom equipment.";
    a.content_hash = "hash-" + slug;
    return a;
  }

  static model::ExtractedEvent event(const std::string& vendor, const std::string& actor, const std::string& status,
                                     std::optional<PreciseTime> date, const std::string& evidence) {
    model::ExtractedEvent e;
    e.vendor = vendor;
    e.actor = actor;
    e.actor_type = "government";
    e.action = "ban";
    e.status = status;
    e.scope = "5G core network";
    e.event_date = date;
    e.evidence = evidence;
    e.rule_id = "ban.government.v1";
    e.rule_pack_version = "2026.11";
    e.confidence = 0.9;
    return e;
  }

  AppendResult append(const model::ArticleRecord& a, const std::vector<model::ExtractedEvent>& events,
                      Timestamp now = at(2026, 3, 1)) {
    AppendOptions options;
    options.now = now;
    auto appended = store_->append_article(a, events, options);
    EXPECT_TRUE(appended.has_value()) << (appended ? "" : appended.error().message);
    return appended.value_or(AppendResult{});
  }

  std::vector<EventWithMentions> events(EventQuery query = {}) {
    auto found = store_->query_events(query);
    EXPECT_TRUE(found.has_value()) << (found ? "" : found.error().message);
    return found.value_or(std::vector<EventWithMentions>{});
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

// ---- opening, URLs, migrations -----------------------------------------------------

TEST_F(StoreTest, OpenCreatesTheLatestSchemaInWalMode) {
  open();
  store_.reset();
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), sqlite_schema_version());
  EXPECT_GE(sqlite_schema_version(), 2);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  for (const char* table :
       {"sources", "source_state", "articles", "events", "mentions", "runs", "digests", "articles_fts"}) {
    EXPECT_EQ(raw.integer(std::string("SELECT count(*) FROM sqlite_master WHERE name = '") + table + "'"), 1) << table;
  }
}

TEST_F(StoreTest, OpenStoreAcceptsPathAndSqliteUrlAndRefusesOthers) {
  {
    auto by_url = open_store("sqlite:" + path_, {});
    ASSERT_TRUE(by_url.has_value()) << by_url.error().message;
  }
  EXPECT_TRUE(fs::exists(path_));
  auto by_path = open_store(path_, {});
  ASSERT_TRUE(by_path.has_value());

  // Dispatched to the PostgreSQL backend when it is built (nothing listens on
  // port 1), refused as unsupported when it is not.
  auto postgres = open_store("postgresql://user@127.0.0.1:1/banwatch", {});
  ASSERT_FALSE(postgres.has_value());
#ifdef BANWATCH_HAVE_PQXX
  EXPECT_EQ(postgres.error().code, ErrorCode::kStore) << postgres.error().message;
#else
  EXPECT_EQ(postgres.error().code, ErrorCode::kUnsupported) << postgres.error().message;
#endif

  auto unknown = open_store("mysql://localhost/db", {});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);

  StoreOptions no_create;
  no_create.create = false;
  auto missing = open_store((dir_ / "missing.db").string(), no_create);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("missing.db"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "missing.db"));
}

TEST_F(StoreTest, RefusesAnSqliteFileThatIsNotAStore) {
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("CREATE TABLE unrelated (x INTEGER)"), "");
  }
  auto opened = open_store(path_, {});
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kStore);
  EXPECT_NE(opened.error().message.find("not a banwatch store"), std::string::npos);
}

TEST_F(StoreTest, RefusesASchemaNewerThanThisBuild) {
  open();
  store_.reset();
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("PRAGMA user_version = 999"), "");
  }
  auto opened = open_store(path_, {});
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kStore);
  EXPECT_NE(opened.error().message.find("newer"), std::string::npos);
}

// The version-1 schema as it was released, written by hand: a migration test
// must not depend on the migration files it tests.
constexpr const char* kSchemaVersion1 = R"sql(
CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'sitemap', 'page')),
  interval_s INTEGER NOT NULL CHECK (interval_s >= 0), tags TEXT NOT NULL DEFAULT '[]',
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)), article_policy TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, removed_at INTEGER);
CREATE TABLE source_state (source_id INTEGER PRIMARY KEY REFERENCES sources(id),
  etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '', next_due INTEGER,
  last_fetch INTEGER, last_success INTEGER, last_change INTEGER,
  consecutive_errors INTEGER NOT NULL DEFAULT 0, last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '', current_interval_s INTEGER NOT NULL DEFAULT 0);
CREATE TABLE articles (id INTEGER PRIMARY KEY, source_id INTEGER REFERENCES sources(id),
  url TEXT NOT NULL, canonical_url TEXT NOT NULL UNIQUE, item_id TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '', published_at INTEGER, published_precision TEXT,
  fetched_at INTEGER NOT NULL, language TEXT NOT NULL DEFAULT '', site_name TEXT NOT NULL DEFAULT '',
  authors TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '', feed_only INTEGER NOT NULL DEFAULT 0 CHECK (feed_only IN (0, 1)));
CREATE INDEX articles_fetched_at ON articles (fetched_at);
CREATE INDEX articles_item_id ON articles (item_id) WHERE item_id <> '';
CREATE INDEX articles_source ON articles (source_id, fetched_at);
CREATE TABLE events (id INTEGER PRIMARY KEY, vendor TEXT NOT NULL, actor TEXT NOT NULL,
  actor_type TEXT NOT NULL DEFAULT '', action TEXT NOT NULL, status TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT '', event_date INTEGER, event_date_precision TEXT, event_date_end INTEGER,
  first_seen_at INTEGER NOT NULL, confidence REAL NOT NULL DEFAULT 0,
  previous_event_id INTEGER REFERENCES events(id),
  CHECK ((event_date IS NULL) = (event_date_end IS NULL)));
CREATE INDEX events_first_seen_at ON events (first_seen_at);
CREATE INDEX events_event_date ON events (event_date);
CREATE INDEX events_timeline ON events (vendor, actor, action, event_date);
CREATE TABLE mentions (id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events(id),
  article_id INTEGER NOT NULL REFERENCES articles(id), rule_id TEXT NOT NULL,
  rule_pack_version TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL, evidence_hash TEXT NOT NULL,
  confidence REAL NOT NULL DEFAULT 0, extracted_at INTEGER NOT NULL,
  UNIQUE (article_id, rule_id, evidence_hash));
CREATE INDEX mentions_event ON mentions (event_id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
CREATE TRIGGER mentions_append_only_update BEFORE UPDATE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: UPDATE refused'); END;
CREATE TRIGGER mentions_append_only_delete BEFORE DELETE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: DELETE refused'); END;
CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at INTEGER NOT NULL,
  finished_at INTEGER, outcome TEXT NOT NULL DEFAULT 'running', fetched INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
  articles_stored INTEGER NOT NULL DEFAULT 0, events_appended INTEGER NOT NULL DEFAULT 0,
  mentions_appended INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '');
CREATE INDEX runs_kind_started ON runs (kind, started_at);
CREATE TABLE digests (id INTEGER PRIMARY KEY, channel TEXT NOT NULL, created_at INTEGER NOT NULL,
  up_to_event_id INTEGER NOT NULL, up_to_mention_id INTEGER NOT NULL,
  event_count INTEGER NOT NULL DEFAULT 0, format TEXT NOT NULL DEFAULT '');
CREATE INDEX digests_channel ON digests (channel, up_to_event_id);
PRAGMA user_version = 1;
)sql";

TEST_F(StoreTest, MigratesAVersion1StoreAndKeepsItsData) {
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec(kSchemaVersion1), "");
    ASSERT_EQ(raw.exec("INSERT INTO sources (id, name, url, interval_s, created_at)"
                       " VALUES (1, 'wire', 'https://wire.example/feed', 1800, 1700000000);"
                       "INSERT INTO articles (id, source_id, url, canonical_url, title, fetched_at, text)"
                       " VALUES (7, 1, 'https://wire.example/a', 'https://wire.example/a',"
                       " 'Ministry restricts Zentel routers', 1700000100,"
                       " 'The ministry said on Tuesday that Zentel routers must leave state networks.');"
                       "INSERT INTO events (id, vendor, actor, action, status, first_seen_at, confidence)"
                       " VALUES (3, 'Zentel', 'Ministry', 'ban', 'enacted', 1700000100, 0.8);"
                       "INSERT INTO mentions (event_id, article_id, rule_id, evidence, evidence_hash, extracted_at)"
                       " VALUES (3, 7, 'r1', 'Zentel routers must leave state networks.', 'h', 1700000100);"),
              "");
    ASSERT_EQ(raw.integer("PRAGMA user_version"), 1);
  }
  open();
  {
    RawDb raw(path_);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), sqlite_schema_version());
  }
  // The old rows are all there, and the article written before full-text
  // search existed is searchable.
  auto stats = store_->stats();
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->schema_version, sqlite_schema_version());
  EXPECT_EQ(stats->sources, 1);
  EXPECT_EQ(stats->articles, 1);
  EXPECT_EQ(stats->events, 1);
  EXPECT_EQ(stats->mentions, 1);
  auto hits = store_->search("zentel", std::nullopt, 10);
  ASSERT_TRUE(hits.has_value()) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].article_id, 7);
  auto found = events();
  ASSERT_EQ(found.size(), 1u);
  ASSERT_EQ(found[0].mentions.size(), 1u);
  EXPECT_EQ(found[0].mentions[0].source_name, "wire");
  EXPECT_EQ(store_->integrity_check().value_or("failed"), "ok");
  // Articles appended after the migration are indexed too.
  append(article("after-migration"), {});
  EXPECT_EQ(store_->search("after", std::nullopt, 10).value_or(std::vector<SearchHit>{}).size(), 1u);
}

// What versions 2 and 3 added to the version-1 schema, as released, written
// by hand like kSchemaVersion1.
constexpr const char* kSchemaVersion3Delta = R"sql(
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content = 'articles', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END;
DROP TABLE mentions;
CREATE TABLE mentions (id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events(id),
  article_id INTEGER NOT NULL REFERENCES articles(id), rule_id TEXT NOT NULL,
  rule_pack_version TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL, evidence_hash TEXT NOT NULL,
  confidence REAL NOT NULL DEFAULT 0, extracted_at INTEGER NOT NULL, subject_key TEXT NOT NULL DEFAULT '',
  UNIQUE (article_id, rule_id, evidence_hash, subject_key));
CREATE INDEX mentions_event ON mentions (event_id);
CREATE TRIGGER mentions_append_only_update BEFORE UPDATE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: UPDATE refused'); END;
CREATE TRIGGER mentions_append_only_delete BEFORE DELETE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: DELETE refused'); END;
PRAGMA user_version = 3;
)sql";

// Version 4 replaced the text keys of clustering and of mention idempotence
// by integer keys computed from the same text: rows written by version 3
// must still cluster with, and deduplicate, what is appended after.
TEST_F(StoreTest, MigratesAVersion3StoreAndItsRowsStillClusterAndDeduplicate) {
  const model::ArticleRecord old_article = article("zentel-ban", at(2026, 3, 1));
  const model::ExtractedEvent old_event =
      event("Zentel", "Ministry", "enacted", day_date(2026, 2, 20), "The ministry banned Zentel routers.");
  const auto seconds_of = [](Timestamp t) { return std::to_string(t.time_since_epoch().count()); };
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec(kSchemaVersion1), "");
    ASSERT_EQ(raw.exec(kSchemaVersion3Delta), "");
    ASSERT_EQ(
        raw.exec("INSERT INTO sources (id, name, url, interval_s, created_at)"
                 " VALUES (1, 'wire', 'https://wire.example/feed', 1800, 1700000000);"
                 "INSERT INTO articles (id, source_id, url, canonical_url, title, fetched_at, text, content_hash)"
                 " VALUES (7, 1, '" +
                 old_article.url + "', '" + old_article.canonical_url + "', '" + old_article.title + "', " +
                 seconds_of(old_article.fetched_at) + ", '" + old_article.text + "', '" + old_article.content_hash +
                 "');"
                 "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');"
                 "INSERT INTO events (id, vendor, actor, actor_type, action, status, event_date,"
                 " event_date_precision, event_date_end, first_seen_at, confidence)"
                 " VALUES (3, 'Zentel', 'Ministry', 'government', 'ban', 'enacted', " +
                 seconds_of(at(2026, 2, 20)) + ", 'day', " + seconds_of(at(2026, 2, 21)) + ", " +
                 seconds_of(at(2026, 3, 1)) +
                 ", 0.9);"
                 "INSERT INTO mentions (id, event_id, article_id, rule_id, evidence, evidence_hash, extracted_at,"
                 " subject_key) VALUES (5, 3, 7, 'ban.government.v1', '" +
                 old_event.evidence + "', 'not-checked', " + seconds_of(at(2026, 3, 1)) +
                 ", 'Zentel' || char(10) || 'Ministry'"
                 " || char(10) || 'ban' || char(10) || 'enacted');"),
        "");
    ASSERT_EQ(raw.integer("PRAGMA user_version"), 3);
  }
  open();
  {
    RawDb raw(path_);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), sqlite_schema_version());
    EXPECT_EQ(raw.integer("SELECT count(*) FROM mentions WHERE id = 5 AND event_id = 3 AND article_id = 7"), 1);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM events WHERE timeline_key = 0"), 0);
    // The append-only triggers came back with the rebuilt and altered tables.
    EXPECT_NE(raw.exec("UPDATE events SET status = 'proposed' WHERE id = 3"), "");
    EXPECT_NE(raw.exec("UPDATE mentions SET evidence = 'x' WHERE id = 5"), "");
    EXPECT_NE(raw.exec("DELETE FROM mentions WHERE id = 5"), "");
  }
  // The same article and sentence again, as a repeated crawl or reextract
  // would append them: the migrated mention key recognises them.
  AppendResult again = append(old_article, {old_event});
  EXPECT_FALSE(again.article_inserted);
  EXPECT_EQ(again.events_appended, 0);
  EXPECT_EQ(again.mentions_appended, 0);
  auto reextracted = store_->append_events(7, {old_event}, {});
  ASSERT_TRUE(reextracted.has_value()) << reextracted.error().message;
  EXPECT_EQ(reextracted->mentions_appended, 0);
  // The same sentence stating another subject is another mention.
  model::ExtractedEvent other_subject = old_event;
  other_subject.vendor = "Quanta";
  EXPECT_EQ(append(old_article, {other_subject}).mentions_appended, 1);
  // A new report of the same ban two days later joins the migrated event (the
  // migrated timeline key finds it); a reversal links to it.
  AppendResult joined = append(article("zentel-ban-2", at(2026, 3, 2)),
                               {event("Zentel", "Ministry", "enacted", day_date(2026, 2, 22),
                                      "Zentel routers are banned, the ministry confirmed.")},
                               at(2026, 3, 2));
  EXPECT_EQ(joined.events_appended, 0);
  EXPECT_EQ(joined.mentions_appended, 1);
  AppendResult reversed = append(article("zentel-reversal", at(2026, 3, 12)),
                                 {event("Zentel", "Ministry", "reversed", day_date(2026, 3, 10),
                                        "The ministry lifted its ban on Zentel routers.")},
                                 at(2026, 3, 12));
  EXPECT_EQ(reversed.events_appended, 1);
  auto found = events();
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].event.id, 3);
  ASSERT_EQ(found[0].mentions.size(), 2u);
  EXPECT_EQ(found[0].mentions[0].id, 5);
  EXPECT_EQ(found[1].event.vendor, "Quanta");
  EXPECT_EQ(found[2].event.status, "reversed");
  EXPECT_EQ(found[2].event.previous_event_id, std::optional<model::Id>(3));
  EXPECT_EQ(store_->integrity_check().value_or("failed"), "ok");
}

TEST_F(StoreTest, ReadOnlyStoreThatNeedsMigrationIsRefused) {
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec(kSchemaVersion1), "");
  }
  StoreOptions read_only;
  read_only.read_only = true;
  auto opened = open_store(path_, read_only);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kStore);
  EXPECT_NE(opened.error().message.find("read-write"), std::string::npos);
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), 1);
}

TEST_F(StoreTest, AFailedMigrationRollsBackToTheOldVersion) {
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec(kSchemaVersion1), "");
    // A name the version-2 migration needs is taken, so it fails midway.
    ASSERT_EQ(raw.exec("CREATE TABLE articles_fts (x INTEGER)"), "");
  }
  auto opened = open_store(path_, {});
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kStore);
  EXPECT_NE(opened.error().message.find("0002"), std::string::npos) << opened.error().message;
  RawDb raw(path_);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), 1);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts_update'"), 0);
}

// ---- sources ------------------------------------------------------------------------

TEST_F(StoreTest, SourcesAddUpsertRemove) {
  open();
  SourceSpec spec{.name = "wire",
                  .url = "https://wire.example/feed",
                  .kind = "feed",
                  .interval = 15min,
                  .tags = {"en", "tech"},
                  .enabled = true,
                  .article_policy = ""};
  auto id = store_->add_source(spec);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  auto duplicate = store_->add_source(spec);
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);

  FetchState state;
  state.etag = "\"v1\"";
  state.consecutive_errors = 2;
  ASSERT_TRUE(store_->save_fetch_state(*id, state).has_value());
  spec.url = "https://wire.example/rss";
  spec.tags = {"en"};
  ASSERT_TRUE(store_->upsert_source(spec).has_value());
  auto got = store_->get_source("wire");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->spec.url, "https://wire.example/rss");
  EXPECT_EQ(got->spec.tags, std::vector<std::string>{"en"});
  EXPECT_EQ(got->spec.interval, 15min);
  EXPECT_EQ(got->state.etag, "\"v1\"") << "upsert keeps the fetch state";

  SourceSpec bad = spec;
  bad.name = "bad";
  bad.kind = "podcast";
  auto refused = store_->add_source(bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);

  ASSERT_TRUE(store_->remove_source("wire").has_value());
  EXPECT_EQ(store_->get_source("wire").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->remove_source("wire").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->list_sources()->empty());
  // Remembered as removed, so the configuration does not import it again.
  EXPECT_EQ(*store_->removed_source_names(), std::vector<std::string>{"wire"});
  // Added again, it keeps its id (old articles still cite it) but starts afresh.
  auto again = store_->add_source(spec);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *id);
  EXPECT_EQ(store_->get_source("wire")->state.etag, "");
  EXPECT_TRUE(store_->removed_source_names()->empty());
}

TEST_F(StoreTest, FetchStateRoundTrip) {
  open();
  auto id = store_->add_source({.name = "s", .url = "https://s.example/feed"});
  ASSERT_TRUE(id.has_value());
  auto fresh = store_->get_source("s");
  ASSERT_TRUE(fresh.has_value());
  EXPECT_FALSE(fresh->state.next_due.has_value()) << "a new source is due now";

  FetchState state;
  state.etag = "W/\"abc\"";
  state.last_modified = "Wed, 25 Nov 2026 10:00:00 GMT";
  state.next_due = at(2026, 11, 26, 12);
  state.last_fetch = at(2026, 11, 26, 11);
  state.last_success = at(2026, 11, 26, 10);
  state.last_change = at(2026, 11, 20);
  state.consecutive_errors = 3;
  state.last_status = 503;
  state.last_error = "HTTP 503 from s.example";
  state.current_interval = 45min;
  ASSERT_TRUE(store_->save_fetch_state(*id, state).has_value());
  auto got = store_->get_source("s");
  ASSERT_TRUE(got.has_value());
  const FetchState& back = got->state;
  EXPECT_EQ(back.etag, state.etag);
  EXPECT_EQ(back.last_modified, state.last_modified);
  EXPECT_EQ(back.next_due, state.next_due);
  EXPECT_EQ(back.last_fetch, state.last_fetch);
  EXPECT_EQ(back.last_success, state.last_success);
  EXPECT_EQ(back.last_change, state.last_change);
  EXPECT_EQ(back.consecutive_errors, 3);
  EXPECT_EQ(back.last_status, 503);
  EXPECT_EQ(back.last_error, state.last_error);
  EXPECT_EQ(back.current_interval, 45min);

  // Clearing optional fields round-trips too.
  ASSERT_TRUE(store_->save_fetch_state(*id, FetchState{}).has_value());
  got = store_->get_source("s");
  EXPECT_FALSE(got->state.next_due.has_value());
  EXPECT_EQ(got->state.consecutive_errors, 0);

  EXPECT_EQ(store_->save_fetch_state(999, state).error().code, ErrorCode::kNotFound);
}

// ---- appends -------------------------------------------------------------------------

TEST_F(StoreTest, AppendIsIdempotent) {
  open();
  const model::ArticleRecord a = article("one");
  const std::vector<model::ExtractedEvent> extracted = {
      event("Zentel", "Germany", "enacted", day_date(2026, 2, 20), "Germany banned Zentel."),
      event("Kova", "Germany", "proposed", std::nullopt, "Germany may restrict Kova."),
  };
  AppendResult first = append(a, extracted);
  EXPECT_TRUE(first.article_inserted);
  EXPECT_EQ(first.events_appended, 2);
  EXPECT_EQ(first.mentions_appended, 2);

  // A repeated crawl: nothing new.
  AppendResult second = append(a, extracted);
  EXPECT_FALSE(second.article_inserted);
  EXPECT_EQ(second.article_id, first.article_id);
  EXPECT_EQ(second.events_appended, 0);
  EXPECT_EQ(second.mentions_appended, 0);

  // Re-extraction of the stored article: nothing new either.
  auto again = store_->append_events(first.article_id, extracted, {});
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->events_appended, 0);
  EXPECT_EQ(again->mentions_appended, 0);

  // The same sentence twice in one call counts once.
  AppendResult doubled = append(article("two"), {extracted[0], extracted[0]});
  EXPECT_EQ(doubled.mentions_appended, 1);

  // A new rule matching the same sentence is a new mention of the same event.
  model::ExtractedEvent other_rule = extracted[0];
  other_rule.rule_id = "ban.government.v2";
  auto new_rule = store_->append_events(first.article_id, {other_rule}, {});
  ASSERT_TRUE(new_rule.has_value());
  EXPECT_EQ(new_rule->events_appended, 0);
  EXPECT_EQ(new_rule->mentions_appended, 1);

  auto stats = store_->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->articles, 2);
  EXPECT_EQ(stats->events, 2);
  EXPECT_EQ(stats->mentions, 4);
  auto found = store_->find_article(a.canonical_url);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->value_or(0), first.article_id);
  EXPECT_FALSE(store_->find_article("https://news.example/none")->has_value());
  EXPECT_TRUE(*store_->has_item("item:one"));
  EXPECT_FALSE(*store_->has_item("item:none"));
  EXPECT_FALSE(*store_->has_item(""));
}

// "Germany banned Zentel and Kova" is two events from one rule and one
// sentence; "Germany and Austria banned Zentel" likewise. Each is kept, once.
TEST_F(StoreTest, OneSentenceStatingSeveralEventsKeepsEveryOne) {
  open();
  const std::string both_vendors = "Germany banned Zentel and Kova.";
  const std::string both_actors = "Germany and Austria banned Zentel.";
  const std::vector<model::ExtractedEvent> extracted = {
      event("Zentel", "Germany", "enacted", day_date(2026, 2, 20), both_vendors),
      event("Kova", "Germany", "enacted", day_date(2026, 2, 20), both_vendors),
      event("Zentel", "Germany", "enacted", day_date(2026, 2, 20), both_actors),
      event("Zentel", "Austria", "enacted", day_date(2026, 2, 20), both_actors),
  };
  AppendResult first = append(article("several"), extracted);
  EXPECT_EQ(first.events_appended, 3);  // Germany-Zentel is one event cited twice
  EXPECT_EQ(first.mentions_appended, 4);
  auto again = store_->append_events(first.article_id, extracted, {});
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->events_appended, 0);
  EXPECT_EQ(again->mentions_appended, 0);
  EXPECT_EQ(events().size(), 3u);
}

TEST_F(StoreTest, AppendEventsToAMissingArticleIsNotFound) {
  open();
  auto appended = store_->append_events(42, {event("Zentel", "Peru", "enacted", std::nullopt, "x")}, {});
  ASSERT_FALSE(appended.has_value());
  EXPECT_EQ(appended.error().code, ErrorCode::kNotFound);
}

TEST_F(StoreTest, AFailedBatchLeavesNothingBehind) {
  open();
  std::vector<Store::ArticleWithEvents> batch(2);
  batch[0].article = article("good");
  batch[0].events = {event("Zentel", "Chile", "enacted", std::nullopt, "Chile banned Zentel.")};
  batch[1].article = article("bad");
  batch[1].events = {event("", "Chile", "enacted", std::nullopt, "No vendor here.")};
  auto appended = store_->append_batch(batch, {});
  ASSERT_FALSE(appended.has_value());
  EXPECT_EQ(appended.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(appended.error().message.find("vendor"), std::string::npos);
  auto stats = store_->stats();
  EXPECT_EQ(stats->articles, 0);
  EXPECT_EQ(stats->events, 0);

  batch.pop_back();
  auto good = store_->append_batch(batch, {});
  ASSERT_TRUE(good.has_value()) << good.error().message;
  ASSERT_EQ(good->size(), 1u);
  EXPECT_EQ((*good)[0].mentions_appended, 1);
}

TEST_F(StoreTest, AFullPageReplacesItsFeedOnlyStubButNotTheReverse) {
  open();
  model::ArticleRecord stub = article("stub");
  stub.feed_only = true;
  stub.text = "Short summary.";
  stub.content_hash = "h1";
  const model::Id id = append(stub, {}).article_id;

  model::ArticleRecord full = article("stub");
  full.text = "The full page text mentions a satellite operator.";
  full.content_hash = "h2";
  AppendResult upgraded = append(full, {});
  EXPECT_FALSE(upgraded.article_inserted);
  EXPECT_EQ(upgraded.article_id, id);

  model::ArticleRecord stub_again = stub;
  stub_again.text = "Another summary.";
  stub_again.content_hash = "h3";
  append(stub_again, {});

  std::vector<model::ArticleRecord> seen;
  ASSERT_TRUE(store_
                  ->for_each_article({},
                                     [&](const model::ArticleRecord& a) {
                                       seen.push_back(a);
                                       return true;
                                     })
                  .has_value());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].text, full.text);
  EXPECT_FALSE(seen[0].feed_only);
  EXPECT_EQ(store_->search("satellite", std::nullopt, 10)->size(), 1u) << "the search index follows the text";
  EXPECT_TRUE(store_->search("summary", std::nullopt, 10)->empty());
}

// ---- append-only triggers ------------------------------------------------------------------

TEST_F(StoreTest, EventsAndMentionsAreAppendOnly) {
  open();
  append(article("a"), {event("Zentel", "Peru", "enacted", std::nullopt, "Peru banned Zentel.")});
  store_.reset();
  RawDb raw(path_);
  for (const char* sql : {"UPDATE events SET status = 'reversed'", "DELETE FROM events",
                          "UPDATE mentions SET evidence = 'forged'", "DELETE FROM mentions"}) {
    const std::string error = raw.exec(sql);
    EXPECT_NE(error.find("append-only"), std::string::npos) << sql << ": " << error;
  }
  EXPECT_EQ(raw.integer("SELECT count(*) FROM events"), 1);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM mentions"), 1);
  EXPECT_EQ(raw.text("SELECT status FROM events"), "enacted");
  EXPECT_EQ(raw.text("SELECT evidence FROM mentions"), "Peru banned Zentel.");
}

// ---- clustering and status changes -------------------------------------------------------------

TEST_F(StoreTest, ReportsOfTheSameEventWithinTheWindowAreOneEvent) {
  open();
  AppendResult reuters =
      append(article("reuters"), {event("Zentel", "Germany", "enacted", day_date(2026, 2, 10), "Reuters says.")});
  AppendResult bloomberg =
      append(article("bloomberg"), {event("Zentel", "Germany", "enacted", day_date(2026, 2, 15), "Bloomberg says.")});
  EXPECT_EQ(reuters.events_appended, 1);
  EXPECT_EQ(bloomberg.events_appended, 0);
  EXPECT_EQ(bloomberg.mentions_appended, 1);
  auto found = events();
  ASSERT_EQ(found.size(), 1u);
  ASSERT_EQ(found[0].mentions.size(), 2u);
  EXPECT_EQ(found[0].mentions[0].article_id, reuters.article_id);
  EXPECT_EQ(found[0].mentions[1].article_id, bloomberg.article_id);
  EXPECT_EQ(found[0].mentions[1].article_title, "Title of bloomberg");
  EXPECT_EQ(found[0].event.event_date, day_date(2026, 2, 10));
}

TEST_F(StoreTest, ClusteringRespectsWindowStatusAndPrecision) {
  open();
  append(article("a"), {event("Zentel", "Germany", "enacted", day_date(2026, 1, 1), "a")});
  // Outside the default 14-day window: another event.
  EXPECT_EQ(append(article("b"), {event("Zentel", "Germany", "enacted", day_date(2026, 3, 1), "b")}).events_appended,
            1);
  // A month-precision date covers the day-precision one inside that month.
  EXPECT_EQ(append(article("c"),
                   {event("Zentel", "Germany", "enacted", PreciseTime{at(2026, 3, 1), DatePrecision::kMonth}, "c")})
                .events_appended,
            0);
  // Another actor: another event. (Undated reports, spellings and links:
  // the table of identity cases in tests/store_pg/store_backends_test.cpp,
  // run against both backends.)
  EXPECT_EQ(append(article("d"), {event("Zentel", "France", "enacted", day_date(2026, 1, 1), "d")}).events_appended, 1);
  // A wider window joins what the default kept apart.
  AppendOptions wide;
  wide.cluster_window = std::chrono::days(90);
  auto joined =
      store_->append_article(article("g"), {event("Zentel", "Germany", "enacted", day_date(2026, 2, 1), "g")}, wide);
  ASSERT_TRUE(joined.has_value());
  EXPECT_EQ(joined->events_appended, 0);
  EXPECT_EQ(events().size(), 3u);
}

TEST_F(StoreTest, AStatusChangeIsANewEventLinkedToTheEarlierOne) {
  open();
  append(article("p"), {event("Zentel", "Germany", "proposed", day_date(2025, 6, 1), "Germany proposes.")});
  append(article("e"), {event("Zentel", "Germany", "enacted", day_date(2026, 1, 15), "Germany enacts.")});
  append(article("r"), {event("Zentel", "Germany", "reversed", day_date(2026, 9, 1), "Germany reverses.")});
  // Another vendor's history stays apart.
  append(article("o"), {event("Kova", "Germany", "enacted", day_date(2026, 1, 16), "Kova too.")});
  auto found = events();
  ASSERT_EQ(found.size(), 4u);
  EXPECT_FALSE(found[0].event.previous_event_id.has_value());
  EXPECT_EQ(found[1].event.previous_event_id, found[0].event.id);
  EXPECT_EQ(found[2].event.previous_event_id, found[1].event.id);
  EXPECT_FALSE(found[3].event.previous_event_id.has_value());

  // A report of the proposal read late links by date, not by arrival.
  append(article("late"), {event("Zentel", "Germany", "considering", day_date(2025, 3, 1), "Germany considers.")});
  auto late = events({.statuses = {"considering"}});
  ASSERT_EQ(late.size(), 1u);
  EXPECT_FALSE(late[0].event.previous_event_id.has_value());
}

// ---- queries --------------------------------------------------------------------------------

TEST_F(StoreTest, EventQueryFilters) {
  open();
  ASSERT_TRUE(store_->add_source({.name = "wire", .url = "https://wire.example/feed"}).has_value());
  const model::Id source = store_->get_source("wire")->id;
  model::ArticleRecord a = article("a");
  a.source_id = source;
  append(a, {event("Zentel", "Germany", "enacted", day_date(2026, 1, 10), "1")}, at(2026, 1, 11));
  append(article("b"), {event("Kova", "France", "proposed", day_date(2026, 2, 10), "2")}, at(2026, 2, 11));
  model::ExtractedEvent restrict = event("Zentel", "Peru", "enacted", std::nullopt, "3");
  restrict.action = "restrict";
  append(article("c"), {restrict}, at(2026, 3, 11));

  auto ids = [](const std::vector<EventWithMentions>& found) {
    std::vector<model::Id> out;
    for (const auto& e : found) out.push_back(e.event.id);
    return out;
  };
  EXPECT_EQ(ids(events()), (std::vector<model::Id>{1, 2, 3}));
  EXPECT_EQ(ids(events({.since = at(2026, 2, 1)})), (std::vector<model::Id>{2, 3}));
  EXPECT_EQ(ids(events({.since = at(2026, 2, 1), .until = at(2026, 3, 1)})), (std::vector<model::Id>{2}));
  EXPECT_EQ(ids(events({.since = at(2026, 1, 1), .until = at(2026, 2, 1), .by_event_date = true})),
            (std::vector<model::Id>{1}));
  EXPECT_EQ(ids(events({.after_event_id = 1})), (std::vector<model::Id>{2, 3}));
  EXPECT_EQ(ids(events({.vendors = {"Zentel"}})), (std::vector<model::Id>{1, 3}));
  EXPECT_EQ(ids(events({.vendors = {"Zentel", "Kova"}, .actors = {"France", "Peru"}})), (std::vector<model::Id>{2, 3}));
  EXPECT_EQ(ids(events({.actions = {"restrict"}})), (std::vector<model::Id>{3}));
  EXPECT_EQ(ids(events({.statuses = {"proposed"}})), (std::vector<model::Id>{2}));
  EXPECT_EQ(ids(events({.limit = 2})), (std::vector<model::Id>{1, 2}));
  EXPECT_EQ(ids(events({.limit = 2, .newest_first = true})), (std::vector<model::Id>{3, 2}));
  EXPECT_EQ(ids(events({.ids = {3, 1}})), (std::vector<model::Id>{1, 3}));
  EXPECT_TRUE(events({.vendors = {"Nobody"}}).empty());

  // A new citation of an old event is found by the mention cursor.
  append(article("d"), {event("Zentel", "Germany", "enacted", day_date(2026, 1, 12), "4")}, at(2026, 4, 1));
  auto cited = events({.with_mentions_after_id = 3});
  ASSERT_EQ(cited.size(), 1u);
  EXPECT_EQ(cited[0].event.id, 1);
  EXPECT_EQ(cited[0].mentions.size(), 2u) << "all mentions of the event come back";

  auto first = events({.ids = {1}});
  ASSERT_EQ(first.size(), 1u);
  const model::Mention& m = first[0].mentions[0];
  EXPECT_EQ(m.source_name, "wire");
  EXPECT_EQ(m.article_url, a.url);
  EXPECT_EQ(m.evidence, "1");
  EXPECT_EQ(m.rule_id, "ban.government.v1");
  EXPECT_EQ(m.rule_pack_version, "2026.11");
  EXPECT_EQ(m.extracted_at, at(2026, 1, 11));
  EXPECT_EQ(m.article_published_at, a.published_at);
  const model::Event& e = first[0].event;
  EXPECT_EQ(e.first_seen_at, at(2026, 1, 11));
  EXPECT_EQ(e.scope, "5G core network");
  EXPECT_EQ(e.actor_type, "government");
  EXPECT_DOUBLE_EQ(e.confidence, 0.9);
}

// Paging newest first (the web UI's "older" link), events cited by given
// articles (its text filter, fed by search()), the events of one case (its
// case history), and one article read whole.
TEST_F(StoreTest, EventQueryPagesBeforeAnIdAndFiltersByCitingArticle) {
  open();
  const AppendResult a = append(article("a"), {event("Zentel", "Germany", "enacted", day_date(2026, 1, 10), "1")});
  append(article("b"), {event("Kova", "France", "proposed", day_date(2026, 2, 10), "2")});
  const AppendResult c = append(article("c"), {event("Zentel", "Peru", "enacted", day_date(2026, 3, 10), "3")});
  auto ids = [](const std::vector<EventWithMentions>& found) {
    std::vector<model::Id> out;
    for (const auto& e : found) out.push_back(e.event.id);
    return out;
  };
  EXPECT_EQ(ids(events({.before_event_id = 3, .limit = 1, .newest_first = true})), (std::vector<model::Id>{2}));
  EXPECT_EQ(ids(events({.before_event_id = 3, .vendors = {"Zentel"}})), (std::vector<model::Id>{1}));
  EXPECT_EQ(ids(events({.article_ids = {c.article_id, a.article_id}})), (std::vector<model::Id>{1, 3}));
  EXPECT_TRUE(events({.article_ids = {999}}).empty());
  append(article("d"), {event("zentel", "the Germany", "proposed", day_date(2026, 4, 1), "4")});
  EXPECT_EQ(ids(events({.case_of = 1})), (std::vector<model::Id>{1, 4})) << "the case as the store spells it";
  EXPECT_EQ(ids(events({.case_of = 2})), (std::vector<model::Id>{2}));
  EXPECT_TRUE(events({.case_of = 999}).empty());

  auto stored = store_->get_article(c.article_id);
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  EXPECT_EQ(stored->id, c.article_id);
  EXPECT_EQ(stored->title, "Title of c");
  EXPECT_EQ(stored->text, article("c").text);
  auto missing = store_->get_article(999);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(StoreTest, DigestCursor) {
  open();
  auto none = store_->last_digest("email");
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());

  append(article("a"), {event("Zentel", "Peru", "enacted", std::nullopt, "a")});
  append(article("b"), {event("Kova", "Peru", "enacted", std::nullopt, "b")});
  auto all = events();
  ASSERT_EQ(all.size(), 2u);
  DigestRecord sent{.id = 0,
                    .channel = "email",
                    .created_at = at(2026, 3, 2),
                    .up_to_event_id = all.back().event.id,
                    .up_to_mention_id = all.back().mentions.back().id,
                    .event_count = 2,
                    .format = "markdown"};
  ASSERT_TRUE(store_->record_digest(sent).has_value());

  append(article("c"), {event("Orix", "Peru", "enacted", std::nullopt, "c")});
  auto cursor = store_->last_digest("email");
  ASSERT_TRUE(cursor.has_value() && cursor->has_value());
  EXPECT_EQ((*cursor)->up_to_event_id, sent.up_to_event_id);
  EXPECT_EQ((*cursor)->format, "markdown");
  EXPECT_EQ((*cursor)->created_at, at(2026, 3, 2));
  auto fresh = events({.after_event_id = (*cursor)->up_to_event_id});
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].event.vendor, "Orix");

  // A digest recorded with an older cursor never moves it back; channels are separate.
  DigestRecord older = sent;
  older.up_to_event_id = 1;
  ASSERT_TRUE(store_->record_digest(older).has_value());
  EXPECT_EQ((*store_->last_digest("email"))->up_to_event_id, sent.up_to_event_id);
  EXPECT_FALSE(store_->last_digest("webhook")->has_value());
  EXPECT_TRUE(store_->last_digest("")->has_value()) << "\"\" means any channel";
}

TEST_F(StoreTest, RunsAreRecorded) {
  open();
  auto crawl = store_->begin_run("crawl", at(2026, 3, 1, 6));
  ASSERT_TRUE(crawl.has_value());
  auto running = store_->last_run("crawl", false);
  ASSERT_TRUE(running.has_value() && running->has_value());
  EXPECT_EQ((*running)->outcome, "running");
  EXPECT_FALSE(store_->last_run("crawl", true)->has_value());

  store::Run done{.id = *crawl,
                  .kind = "crawl",
                  .started_at = at(2026, 3, 1, 6),
                  .finished_at = at(2026, 3, 1, 7),
                  .outcome = "partial",
                  .fetched = 10,
                  .not_modified = 4,
                  .failed = 1,
                  .articles_stored = 5,
                  .events_appended = 2,
                  .mentions_appended = 3,
                  .message = "1 source failed"};
  ASSERT_TRUE(store_->finish_run(done).has_value());
  auto last = store_->last_run("crawl", true);
  ASSERT_TRUE(last.has_value() && last->has_value());
  EXPECT_EQ((*last)->finished_at, at(2026, 3, 1, 7));
  EXPECT_EQ((*last)->fetched, 10);
  EXPECT_EQ((*last)->mentions_appended, 3);
  EXPECT_EQ((*last)->message, "1 source failed");

  auto failed = store_->begin_run("crawl", at(2026, 3, 2, 6));
  ASSERT_TRUE(store_->finish_run(store::Run{.id = *failed, .outcome = "failed"}).has_value());
  EXPECT_EQ((*store_->last_run("crawl", true))->id, *crawl);
  EXPECT_EQ((*store_->last_run("crawl", false))->id, *failed);
  EXPECT_EQ((*store_->last_run("", false))->id, *failed);
  EXPECT_FALSE(store_->last_run("digest", false)->has_value());
  EXPECT_EQ(store_->finish_run(store::Run{.id = 999}).error().code, ErrorCode::kNotFound);
}

TEST_F(StoreTest, SearchFindsArticlesWithHighlightedSnippets) {
  open();
  model::ArticleRecord a = article("a", at(2025, 3, 10));
  a.title = "Hikvision cameras removed";
  a.text = "Officials said the Hikvision cameras in government buildings would be replaced by March.";
  append(a, {});
  model::ArticleRecord b = article("b", at(2026, 2, 1));
  b.title = "Unrelated";
  b.text = "A story about weather and Hikvision's quarterly results.";
  append(b, {});
  append(article("c"), {});

  auto hits = store_->search("hikvision", std::nullopt, 10);
  ASSERT_TRUE(hits.has_value()) << hits.error().message;
  ASSERT_EQ(hits->size(), 2u);
  for (const SearchHit& hit : *hits) {
    EXPECT_NE(hit.snippet.find("[Hikvision]"), std::string::npos) << hit.snippet;
  }
  EXPECT_EQ(store_->search("hikvision", at(2026, 1, 1), 10)->size(), 1u);
  EXPECT_EQ(store_->search("hikvision", std::nullopt, 1)->size(), 1u);
  EXPECT_EQ(store_->search("\"government buildings\"", std::nullopt, 10)->size(), 1u);
  EXPECT_EQ(store_->search("camera*", std::nullopt, 10)->size(), 1u);
  // Not valid FTS5 syntax: searched as plain words instead of failing.
  auto loose = store_->search("hikvision's (results", std::nullopt, 10);
  ASSERT_TRUE(loose.has_value()) << loose.error().message;
  EXPECT_EQ(loose->size(), 1u);
  EXPECT_TRUE(store_->search("nothingmatches", std::nullopt, 10)->empty());
  EXPECT_EQ(store_->search("   ", std::nullopt, 10).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StoreTest, ForEachArticleStreamsInIdOrderWithFilters) {
  open();
  ASSERT_TRUE(store_->add_source({.name = "wire", .url = "https://wire.example/feed"}).has_value());
  const model::Id source = store_->get_source("wire")->id;
  std::vector<Store::ArticleWithEvents> batch;
  for (int i = 0; i < 300; ++i) {
    Store::ArticleWithEvents entry;
    entry.article = article("n" + std::to_string(i), at(2026, 1, 1) + std::chrono::hours(i));
    if (i % 2 == 0) entry.article.source_id = source;
    batch.push_back(entry);
  }
  ASSERT_TRUE(store_->append_batch(batch, {}).has_value());

  std::vector<model::Id> ids;
  ASSERT_TRUE(store_
                  ->for_each_article({},
                                     [&](const model::ArticleRecord& a) {
                                       ids.push_back(a.id);
                                       return true;
                                     })
                  .has_value());
  ASSERT_EQ(ids.size(), 300u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));

  int count = 0;
  ASSERT_TRUE(store_
                  ->for_each_article({.since = at(2026, 1, 1) + std::chrono::hours(250)},
                                     [&](const model::ArticleRecord&) {
                                       ++count;
                                       return true;
                                     })
                  .has_value());
  EXPECT_EQ(count, 50);
  count = 0;
  ASSERT_TRUE(store_
                  ->for_each_article({.source_name = "wire"},
                                     [&](const model::ArticleRecord& a) {
                                       EXPECT_EQ(a.source_id, source);
                                       ++count;
                                       return true;
                                     })
                  .has_value());
  EXPECT_EQ(count, 150);
  std::vector<std::string> urls;
  ASSERT_TRUE(store_
                  ->for_each_article({.urls = {"https://news.example/n7", batch[9].article.url}},
                                     [&](const model::ArticleRecord& a) {
                                       urls.push_back(a.canonical_url);
                                       return true;
                                     })
                  .has_value());
  EXPECT_EQ(urls, (std::vector<std::string>{"https://news.example/n7", "https://news.example/n9"}));
  // Stopping early, and writing to the store from inside the walk (reextract).
  count = 0;
  ASSERT_TRUE(store_
                  ->for_each_article(
                      {},
                      [&](const model::ArticleRecord& a) {
                        auto appended = store_->append_events(
                            a.id, {event("Zentel", "Peru", "enacted", std::nullopt, "Sentence of " + a.canonical_url)},
                            {});
                        EXPECT_TRUE(appended.has_value());
                        return ++count < 200;
                      })
                  .has_value());
  EXPECT_EQ(count, 200);
  EXPECT_EQ(store_->stats()->mentions, 200);
  // Every field comes back.
  model::ArticleRecord back;
  ASSERT_TRUE(store_
                  ->for_each_article({.urls = {"https://news.example/n4"}},
                                     [&](const model::ArticleRecord& a) {
                                       back = a;
                                       return true;
                                     })
                  .has_value());
  const model::ArticleRecord& sent = batch[4].article;
  EXPECT_EQ(back.url, sent.url);
  EXPECT_EQ(back.item_id, sent.item_id);
  EXPECT_EQ(back.title, sent.title);
  EXPECT_EQ(back.published_at, sent.published_at);
  EXPECT_EQ(back.fetched_at, sent.fetched_at);
  EXPECT_EQ(back.language, "en");
  EXPECT_EQ(back.text, sent.text);
  EXPECT_EQ(back.content_hash, sent.content_hash);
}

// ---- operations ---------------------------------------------------------------------------

TEST_F(StoreTest, StatsCountEverything) {
  open();
  ASSERT_TRUE(store_->add_source({.name = "ok", .url = "https://ok.example/feed"}).has_value());
  auto failing = store_->add_source({.name = "down", .url = "https://down.example/feed"});
  FetchState state;
  state.consecutive_errors = 4;
  state.last_error = "connection refused";
  ASSERT_TRUE(store_->save_fetch_state(*failing, state).has_value());
  append(article("a"),
         {event("Zentel", "Peru", "enacted", std::nullopt, "a"), event("Kova", "Peru", "enacted", std::nullopt, "b")});
  append(article("b"), {event("Zentel", "Chile", "enacted", std::nullopt, "c")});
  auto run = store_->begin_run("crawl", at(2026, 3, 1));
  ASSERT_TRUE(store_->finish_run(store::Run{.id = *run, .outcome = "ok"}).has_value());

  auto stats = store_->stats();
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->sources, 2);
  EXPECT_EQ(stats->articles, 2);
  EXPECT_EQ(stats->events, 3);
  EXPECT_EQ(stats->mentions, 3);
  EXPECT_EQ(stats->runs, 1);
  EXPECT_EQ(stats->digests, 0);
  ASSERT_EQ(stats->events_per_vendor.size(), 2u);
  EXPECT_EQ(stats->events_per_vendor[0], (std::pair<std::string, std::int64_t>{"Zentel", 2}));
  ASSERT_TRUE(stats->last_run.has_value());
  EXPECT_EQ(stats->last_run->outcome, "ok");
  ASSERT_EQ(stats->failing_sources.size(), 1u);
  EXPECT_EQ(stats->failing_sources[0].spec.name, "down");
  EXPECT_EQ(stats->failing_sources[0].state.last_error, "connection refused");
}

TEST_F(StoreTest, IntegrityCheckReportsOkAndFindsDamage) {
  open();
  append(article("a"), {event("Zentel", "Peru", "enacted", std::nullopt, "a")});
  EXPECT_EQ(store_->integrity_check().value_or("failed"), "ok");
  {
    // Damage the full-text index behind the store's back.
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("INSERT INTO articles_fts (rowid, title, text) VALUES (999, 'ghost', 'ghost')"), "");
  }
  auto report = store_->integrity_check();
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_NE(*report, "ok");
  EXPECT_NE(report->find("full-text"), std::string::npos) << *report;
}

// A row written behind the store's back with a wrong key would be invisible
// to clustering or to idempotence: the check names it.
TEST_F(StoreTest, IntegrityCheckFindsKeysThatDoNotMatchTheirText) {
  open();
  append(article("a"), {event("Zentel", "Peru", "enacted", day_date(2026, 2, 1), "Peru banned Zentel.")});
  EXPECT_EQ(store_->integrity_check().value_or("failed"), "ok");
  {
    RawDb raw(path_);
    ASSERT_EQ(raw.exec("INSERT INTO events (vendor, actor, action, status, first_seen_at, timeline_key)"
                       " VALUES ('Zentel', 'Chile', 'ban', 'enacted', 1, 42);"
                       "INSERT INTO mentions (event_id, article_id, rule_id, evidence, evidence_hash, extracted_at,"
                       " mention_key) VALUES (last_insert_rowid(), 1, 'r', 'Chile banned Zentel.', 'h', 1, 43)"),
              "");
  }
  auto report = store_->integrity_check();
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_NE(report->find("timeline_key does not match"), std::string::npos) << *report;
  EXPECT_NE(report->find("mention_key does not match"), std::string::npos) << *report;
}

TEST_F(StoreTest, BusyWhenAnotherConnectionHoldsTheWriteLock) {
  StoreOptions options;
  options.busy_timeout = std::chrono::milliseconds(100);
  open(options);
  append(article("before"), {});
  RawDb other(path_);
  ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), "");

  const auto started = std::chrono::steady_clock::now();
  auto appended = store_->append_article(article("during"), {}, {});
  ASSERT_FALSE(appended.has_value());
  EXPECT_EQ(appended.error().code, ErrorCode::kStoreBusy);
  EXPECT_NE(appended.error().message.find("locked"), std::string::npos) << appended.error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(90)) << "waited busy_timeout";
  EXPECT_EQ(store_->begin_run("crawl", at(2026, 3, 1)).error().code, ErrorCode::kStoreBusy);
  // Readers are not blocked by the writer (WAL).
  auto read = store_->query_events({});
  EXPECT_TRUE(read.has_value());
  EXPECT_TRUE(store_->find_article(article("before").canonical_url)->has_value());

  ASSERT_EQ(other.exec("COMMIT"), "");
  auto after = store_->append_article(article("during"), {}, {});
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_TRUE(after->article_inserted);
}

TEST_F(StoreTest, WritesByAnotherConnectionAreSeenAfterwards) {
  open();
  append(article("a"), {event("Zentel", "Peru", "enacted", std::nullopt, "a")});
  EXPECT_EQ(events().size(), 1u);
  {
    auto second = open_store(path_, {});
    ASSERT_TRUE(second.has_value());
    AppendOptions options;
    auto appended =
        (*second)->append_article(article("b"), {event("Kova", "Peru", "enacted", std::nullopt, "b")}, options);
    ASSERT_TRUE(appended.has_value()) << appended.error().message;
  }
  EXPECT_EQ(events().size(), 2u);
  EXPECT_EQ(append(article("c"), {event("Kova", "Peru", "enacted", std::nullopt, "c")}).events_appended, 0);
}

TEST_F(StoreTest, BackupIsACompleteCheckedCopy) {
  open();
  append(article("a"), {event("Zentel", "Peru", "enacted", std::nullopt, "a")});
  append(article("b"), {event("Kova", "Peru", "enacted", std::nullopt, "b")});
  const std::string copy = (dir_ / "backup.db").string();
  ASSERT_TRUE(store_->backup_to(copy).has_value());
  EXPECT_FALSE(fs::exists(copy + ".partial"));
  StoreOptions read_only;
  read_only.read_only = true;
  auto restored = open_store(copy, read_only);
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  auto stats = (*restored)->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->articles, 2);
  EXPECT_EQ(stats->events, 2);
  EXPECT_EQ(stats->schema_version, sqlite_schema_version());
  EXPECT_EQ((*restored)->integrity_check().value_or("failed"), "ok");
  // A backup into a missing directory fails cleanly.
  auto bad = store_->backup_to((dir_ / "no" / "such" / "dir.db").string());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kStore);
}

TEST_F(StoreTest, ReadOnlyStoreReadsButRefusesWrites) {
  open();
  append(article("a"), {});
  store_.reset();
  StoreOptions read_only;
  read_only.read_only = true;
  open(read_only);
  EXPECT_EQ(store_->stats()->articles, 1);
  auto refused = store_->append_article(article("b"), {}, {});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kStore);
}

}  // namespace
}  // namespace banwatch::store
