#include "store/backend.h"
#include "store/sqlite_store.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "store/identity.h"
#include "store/migrations.h"

namespace banwatch::store {

int sqlite_schema_version() { return sqlite_migrations().empty() ? 0 : sqlite_migrations().back().version; }

namespace {

using std::chrono::seconds;

// ---- value conversions -------------------------------------------------------

std::int64_t to_db(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp time_from_db(std::int64_t v) { return Timestamp(seconds(v)); }

Error map_sqlite_error(std::string_view what, const SQLite::Exception& e) {
  const int primary = e.getErrorCode() & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error(ErrorCode::kStoreBusy,
                 std::string(what) + ": the store is locked by another writer (" + e.what() + ")");
  }
  return Error(ErrorCode::kStore, std::string(what) + ": " + e.what());
}

// Runs `body` and turns every exception into an Error: nothing thrown inside
// the backend crosses the Store interface.
template <class Body>
auto guarded(std::string_view what, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(map_sqlite_error(what, e));
  } catch (const std::bad_alloc&) {
    return std::unexpected(Error(ErrorCode::kStore, std::string(what) + ": out of memory"));
  } catch (const std::exception& e) {
    return std::unexpected(Error(ErrorCode::kStore, std::string(what) + ": " + e.what()));
  }
}

// ---- statements ---------------------------------------------------------------

// A cached statement in use: resets it when the scope ends so that no
// half-stepped SELECT keeps a read transaction (and a stale WAL snapshot) open.
class Query {
 public:
  explicit Query(SQLite::Statement& statement) : statement_(statement) {}
  ~Query() { statement_.tryReset(); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  SQLite::Statement* operator->() { return &statement_; }
  SQLite::Statement& operator*() { return statement_; }

  void bind_text(int index, const std::string& value) { statement_.bind(index, value); }
  // Without a copy: `value` must outlive this Query (the caller's data).
  void bind_ref(int index, const std::string& value) { statement_.bindNoCopy(index, value); }
  void bind_int(int index, std::int64_t value) { statement_.bind(index, static_cast<int64_t>(value)); }
  void bind_time(int index, Timestamp value) { bind_int(index, to_db(value)); }
  void bind_time(int index, const std::optional<Timestamp>& value) {
    if (value) {
      bind_time(index, *value);
    } else {
      statement_.bind(index);
    }
  }
  bool step() { return statement_.executeStep(); }
  // Runs a statement that returns no rows; returns the number of changed rows.
  int run() { return statement_.exec(); }

 private:
  SQLite::Statement& statement_;
};

std::optional<Timestamp> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return time_from_db(column.getInt64());
}

std::optional<PreciseTime> optional_precise(const SQLite::Column& time, const SQLite::Column& precision) {
  if (time.isNull()) return std::nullopt;
  PreciseTime value;
  value.time = time_from_db(time.getInt64());
  value.precision = precision.isNull() ? DatePrecision::kSecond : precision_from_name(precision.getString());
  return value;
}

// BEGIN IMMEDIATE ... COMMIT, rolled back unless committed. IMMEDIATE takes the
// write lock up front, so a busy store fails at BEGIN (after busy_timeout)
// instead of midway, and WAL readers never block the writer.
class WriteTransaction {
 public:
  explicit WriteTransaction(SQLite::Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction() {
    if (!done_) db_.tryExec("ROLLBACK");
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  SQLite::Database& db_;
  bool done_ = false;
};

constexpr const char* kSourceColumns =
    "s.id, s.name, s.url, s.kind, s.interval_s, s.tags, s.enabled, s.article_policy, "
    "st.etag, st.last_modified, st.next_due, st.last_fetch, st.last_success, st.last_change, "
    "st.consecutive_errors, st.last_status, st.last_error, st.current_interval_s";

Source read_source(SQLite::Statement& row) {
  Source source;
  source.id = row.getColumn(0).getInt64();
  source.spec.name = row.getColumn(1).getString();
  source.spec.url = row.getColumn(2).getString();
  source.spec.kind = row.getColumn(3).getString();
  source.spec.interval = seconds(row.getColumn(4).getInt64());
  source.spec.tags = tags_from_json(row.getColumn(5).getString());
  source.spec.enabled = row.getColumn(6).getInt() != 0;
  source.spec.article_policy = row.getColumn(7).getString();
  if (!row.getColumn(8).isNull()) {  // the LEFT JOIN found a state row
    FetchState& state = source.state;
    state.etag = row.getColumn(8).getString();
    state.last_modified = row.getColumn(9).getString();
    state.next_due = optional_time(row.getColumn(10));
    state.last_fetch = optional_time(row.getColumn(11));
    state.last_success = optional_time(row.getColumn(12));
    state.last_change = optional_time(row.getColumn(13));
    state.consecutive_errors = row.getColumn(14).getInt();
    state.last_status = row.getColumn(15).getInt();
    state.last_error = row.getColumn(16).getString();
    state.current_interval = seconds(row.getColumn(17).getInt64());
  }
  return source;
}

Run read_run(SQLite::Statement& row) {
  Run run;
  run.id = row.getColumn(0).getInt64();
  run.kind = row.getColumn(1).getString();
  run.started_at = time_from_db(row.getColumn(2).getInt64());
  run.finished_at = optional_time(row.getColumn(3));
  run.outcome = row.getColumn(4).getString();
  run.fetched = row.getColumn(5).getInt();
  run.not_modified = row.getColumn(6).getInt();
  run.failed = row.getColumn(7).getInt();
  run.articles_stored = row.getColumn(8).getInt();
  run.events_appended = row.getColumn(9).getInt();
  run.mentions_appended = row.getColumn(10).getInt();
  run.message = row.getColumn(11).getString();
  return run;
}

model::ArticleRecord read_article(SQLite::Statement& row) {
  model::ArticleRecord article;
  article.id = row.getColumn(0).getInt64();
  if (!row.getColumn(1).isNull()) article.source_id = row.getColumn(1).getInt64();
  article.url = row.getColumn(2).getString();
  article.canonical_url = row.getColumn(3).getString();
  article.item_id = row.getColumn(4).getString();
  article.title = row.getColumn(5).getString();
  article.published_at = optional_precise(row.getColumn(6), row.getColumn(7));
  article.fetched_at = time_from_db(row.getColumn(8).getInt64());
  article.language = row.getColumn(9).getString();
  article.site_name = row.getColumn(10).getString();
  article.authors = row.getColumn(11).getString();
  article.description = row.getColumn(12).getString();
  article.text = row.getColumn(13).getString();
  article.content_hash = row.getColumn(14).getString();
  article.feed_only = row.getColumn(15).getInt() != 0;
  return article;
}

// A stored event of a case's history (columns as identity::kHistorySql).
identity::Candidate read_candidate(SQLite::Statement& row) {
  identity::Candidate candidate;
  candidate.id = row.getColumn(0).getInt64();
  candidate.vendor = row.getColumn(1).getString();
  candidate.actor = row.getColumn(2).getString();
  candidate.action = row.getColumn(3).getString();
  candidate.status = row.getColumn(4).getString();
  candidate.dated = row.getColumn(5).getInt() != 0;
  candidate.when = {row.getColumn(6).getInt64(), row.getColumn(7).getInt64()};
  return candidate;
}

// Quotes every word of a user's query so that it is a valid FTS5 query
// (an implicit AND of phrases) whatever punctuation it contains.
std::string quote_fts_terms(std::string_view query) {
  std::string quoted;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && std::isspace(static_cast<unsigned char>(query[i]))) ++i;
    const std::size_t start = i;
    while (i < query.size() && !std::isspace(static_cast<unsigned char>(query[i]))) ++i;
    if (i == start) break;
    std::string term;
    for (char c : query.substr(start, i - start)) {
      if (c == '"') {
        term += "\"\"";
      } else {
        term.push_back(c);
      }
    }
    if (!quoted.empty()) quoted.push_back(' ');
    quoted += '"' + term + '"';
  }
  return quoted;
}

// The text of a SQL function's argument, its UTF-8 bytes; nullopt for NULL.
std::optional<std::string_view> text_argument(sqlite3_value* value) {
  if (sqlite3_value_type(value) == SQLITE_NULL) return std::nullopt;
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  const int bytes = sqlite3_value_bytes(value);
  return std::string_view(text == nullptr ? "" : text, static_cast<std::size_t>(bytes));
}

// banwatch_key(text) in SQL: key64() of the text's UTF-8 bytes (backend.h), so
// migrations compute the same keys as appends (0004_compact_keys.sql).
void sql_banwatch_key(sqlite3_context* context, int, sqlite3_value** arguments) {
  const auto text = text_argument(arguments[0]);
  if (!text) return sqlite3_result_null(context);
  try {
    sqlite3_result_int64(context, key64(*text));
  } catch (const std::exception& e) {
    sqlite3_result_error(context, e.what(), -1);
  }
}

// banwatch_identity(text) in SQL: identity::normalize(), the spelling names
// are compared in (schema 0005).
void sql_banwatch_identity(sqlite3_context* context, int, sqlite3_value** arguments) {
  const auto text = text_argument(arguments[0]);
  if (!text) return sqlite3_result_null(context);
  const std::string normalized = identity::normalize(*text);
  sqlite3_result_text(context, normalized.data(), static_cast<int>(normalized.size()), SQLITE_TRANSIENT);
}

// ---- the backend ----------------------------------------------------------------

class SqliteStore final : public Store, public WorkQueue {
 public:
  SqliteStore(std::unique_ptr<SQLite::Database> db, std::string path, StoreOptions options)
      : db_(std::move(db)), path_(std::move(path)), options_(options) {}

  ~SqliteStore() override {
    statements_.clear();  // finalize before the connection closes
    literal_statements_.clear();
  }

  Status initialize();

  Result<model::Id> add_source(const SourceSpec& spec) override;
  Status upsert_source(const SourceSpec& spec) override;
  Status remove_source(const std::string& name) override;
  Result<std::vector<Source>> list_sources() override;
  Result<std::vector<std::string>> removed_source_names() override;
  Result<Source> get_source(const std::string& name) override;
  Status save_fetch_state(model::Id source_id, const FetchState& state) override;

  Result<std::optional<model::Id>> find_article(const std::string& canonical_url) override;
  Result<bool> has_item(const std::string& item_id) override;
  Result<AppendResult> append_article(const model::ArticleRecord& article,
                                      const std::vector<model::ExtractedEvent>& events,
                                      const AppendOptions& options) override;
  Result<std::vector<AppendResult>> append_batch(const std::vector<ArticleWithEvents>& batch,
                                                 const AppendOptions& options) override;
  Result<AppendResult> append_events(model::Id article_id, const std::vector<model::ExtractedEvent>& events,
                                     const AppendOptions& options) override;
  Status for_each_article(const ArticleFilter& filter,
                          const std::function<bool(const model::ArticleRecord&)>& visit) override;

  Result<std::vector<EventWithMentions>> query_events(const EventQuery& query) override;
  Result<model::ArticleRecord> get_article(model::Id article_id) override;
  Result<std::vector<SearchHit>> search(const std::string& query, std::optional<Timestamp> since,
                                        std::size_t limit) override;

  Result<model::Id> begin_run(const std::string& kind, Timestamp started_at) override;
  Status finish_run(const Run& run) override;
  Result<std::optional<Run>> last_run(const std::string& kind, bool successful_only) override;

  Result<std::optional<DigestRecord>> last_digest(const std::string& channel) override;
  Status record_digest(const DigestRecord& digest) override;

  Result<Stats> stats() override;
  Result<std::string> integrity_check() override;
  Status backup_to(const std::string& path) override;
  // A single machine's store: every work-queue call fails with kUnsupported.
  WorkQueue& work_queue() override { return *this; }

 private:
  // A prepared statement for the literal `sql`, compiled once per connection
  // and reused; keyed by the literal's address, which is cheaper than
  // hashing its text on every call of a hot path.
  Query prepare(const char* sql) {
    auto found = literal_statements_.find(sql);
    if (found == literal_statements_.end()) {
      found = literal_statements_.emplace(sql, std::make_unique<SQLite::Statement>(*db_, sql)).first;
    }
    return Query(*found->second);
  }
  // The same for SQL built at run time.
  Query prepare(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found == statements_.end()) {
      // Dynamic event queries vary with their filters; bound the cache anyway.
      if (statements_.size() >= kStatementCacheLimit) statements_.clear();
      found = statements_.emplace(sql, std::make_unique<SQLite::Statement>(*db_, sql)).first;
    }
    return Query(*found->second);
  }

  std::string context(std::string_view what) const { return store_context(path_, what); }

  Status migrate();
  Result<model::Id> add_or_upsert_source(const SourceSpec& spec, bool upsert);
  std::optional<Source> find_source_locked(const std::string& name);
  Status append_article_locked(const model::ArticleRecord& article, const std::vector<model::ExtractedEvent>& events,
                               Timestamp now, std::chrono::days window, AppendResult& result);
  // `published_at` and `fetched_at` are the article's: an undated report is
  // anchored at its article's publication (store/identity.h).
  Status append_events_locked(model::Id article_id, bool article_is_new,
                              const std::vector<model::ExtractedEvent>& events,
                              const std::optional<PreciseTime>& published_at, Timestamp fetched_at, Timestamp now,
                              std::chrono::days window, AppendResult& result);
  model::Id find_or_create_event(const model::ExtractedEvent& event, const identity::Period& when, Timestamp now,
                                 std::chrono::days window, bool& created);
  void merge_duplicates();  // schema 5: identity::plan_merges() applied
  // Indexes the articles inserted since the last flush (see 0002_article_search.sql).
  void flush_search_index() {
    if (search_pending_from_ == 0) return;
    Query index =
        prepare("INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id >= ?");
    index.bind_int(1, search_pending_from_);
    index.run();
    search_pending_from_ = 0;
  }
  std::vector<SearchHit> run_search(const std::string& match, std::optional<Timestamp> since, std::size_t limit);

  static constexpr std::size_t kStatementCacheLimit = 256;

  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
  std::string path_;
  StoreOptions options_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> literal_statements_;
  // The first article inserted in the current write transaction and not yet
  // in the full-text index; 0 when none.
  model::Id search_pending_from_ = 0;
  // Reused to build key64() inputs without an allocation per event.
  std::string key_scratch_;
};

// ---- opening and migrating -----------------------------------------------------------

Status SqliteStore::initialize() {
  return guarded(context("open"), [&]() -> Status {
    db_->setBusyTimeout(static_cast<int>(options_.busy_timeout.count()));
    // 16 KiB pages (effective only while the file is still empty): shallower
    // B-trees and fewer page splits; bulk appends measured 30% faster than
    // with 4 KiB (docs/store.md).
    if (!options_.read_only) db_->exec("PRAGMA page_size = 16384");
    db_->exec("PRAGMA foreign_keys = ON");
    if (sqlite3_create_function_v2(db_->getHandle(), "banwatch_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                   sql_banwatch_key, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return fail(ErrorCode::kStore, context(std::string("registering banwatch_key(): ") + db_->getErrorMsg()));
    }
    if (sqlite3_create_function_v2(db_->getHandle(), "banwatch_identity", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   nullptr, sql_banwatch_identity, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return fail(ErrorCode::kStore, context(std::string("registering banwatch_identity(): ") + db_->getErrorMsg()));
    }
    if (!options_.read_only) {
      // WAL: readers never block the writer and a crash never leaves a torn
      // page. synchronous=NORMAL is durable against application crashes and
      // consistent after power loss (the last commits may roll back).
      db_->exec("PRAGMA journal_mode = WAL");
      db_->exec("PRAGMA synchronous = NORMAL");
    }
    db_->exec("PRAGMA temp_store = MEMORY");
    db_->exec("PRAGMA cache_size = -262144");  // up to 256 MiB of page cache, taken only as used
    if (!options_.read_only) {
      // A bulk transaction rewrites most leaves of the randomly ordered
      // clustering index; checkpointing every 128 MiB instead of every 16 MiB
      // copies each such page into the database once per several commits
      // instead of once per commit. The WAL is cut back to 64 MiB afterwards.
      db_->exec("PRAGMA wal_autocheckpoint = 8192");
      db_->exec("PRAGMA journal_size_limit = 67108864");
    }
    db_->exec("PRAGMA mmap_size = 268435456");  // reads of the first 256 MiB skip read()
    return migrate();
  });
}

Status SqliteStore::migrate() {
  const int version = db_->execAndGet("PRAGMA user_version").getInt();
  const int latest = sqlite_schema_version();
  if (auto known = check_not_newer(path_, version, latest); !known) return known;
  if (version == latest) return {};
  if (version == 0) {
    const int objects = db_->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    if (objects > 0) {
      return fail(ErrorCode::kStore, context("the file is an SQLite database but not a banwatch store"));
    }
  }
  if (auto writable = check_writable_for_migration(path_, version, latest, options_.read_only); !writable) {
    return writable;
  }
  for (const Migration& migration : sqlite_migrations()) {
    if (migration.version <= version) continue;
    try {
      WriteTransaction transaction(*db_);
      db_->exec(migration.sql);
      if (migration.version == 5) merge_duplicates();
      db_->exec("PRAGMA user_version = " + std::to_string(migration.version));
      transaction.commit();
    } catch (const SQLite::Exception& e) {
      return std::unexpected(map_sqlite_error(context(std::string("migration ") + migration.name), e));
    }
  }
  return {};
}

// Schema 5: the events older identity rules kept apart and the present ones
// join (identity::plan_merges(), at the default cluster window) become one:
// their mentions move to the earliest, links to a merged event point to the
// event it joined, and the merged rows go. Like 0005's key update, the one
// sanctioned change to stored events and mentions, in the migration's
// transaction, with the append-only triggers off only for it.
void SqliteStore::merge_duplicates() {
  // One case (timeline key) at a time: memory is bounded by the longest
  // history, not by the store.
  identity::MergePlanner planner(std::chrono::duration_cast<seconds>(AppendOptions{}.cluster_window).count());
  {
    SQLite::Statement query(*db_, identity::kEventsByCaseSql);
    while (query.executeStep()) planner.add(query.getColumn(8).getInt64(), read_candidate(query));
  }
  const std::vector<std::pair<model::Id, model::Id>> merges = planner.finish();
  if (merges.empty()) return;
  db_->exec("CREATE TEMP TABLE merged_events (id INTEGER PRIMARY KEY, into_id INTEGER NOT NULL)");
  {
    SQLite::Statement insert(*db_, "INSERT INTO merged_events (id, into_id) VALUES (?, ?)");
    for (const auto& [from, into] : merges) {
      insert.bind(1, static_cast<int64_t>(from));
      insert.bind(2, static_cast<int64_t>(into));
      insert.exec();
      insert.reset();
    }
  }
  db_->exec(
      "DROP TRIGGER events_append_only_update;"
      "DROP TRIGGER events_append_only_delete;"
      "DROP TRIGGER mentions_append_only_update;"
      "UPDATE mentions SET event_id = (SELECT into_id FROM merged_events WHERE id = mentions.event_id)"
      " WHERE event_id IN (SELECT id FROM merged_events);"
      // A link to a merged event now points to the event it joined; when
      // that one has the same status, it is no status change and goes.
      "UPDATE events SET previous_event_id = (SELECT CASE WHEN p.status = events.status THEN NULL ELSE p.id END"
      "   FROM merged_events m JOIN events p ON p.id = m.into_id WHERE m.id = events.previous_event_id)"
      " WHERE previous_event_id IN (SELECT id FROM merged_events);"
      "DELETE FROM events WHERE id IN (SELECT id FROM merged_events);"
      "DROP TABLE merged_events;"
      "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events"
      " BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;"
      "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events"
      " BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;"
      "CREATE TRIGGER mentions_append_only_update BEFORE UPDATE ON mentions"
      " BEGIN SELECT RAISE(ABORT, 'mentions are append-only: UPDATE refused'); END;");
}

// ---- sources -------------------------------------------------------------------------------

std::optional<Source> SqliteStore::find_source_locked(const std::string& name) {
  Query query = prepare(std::string("SELECT ") + kSourceColumns +
                        " FROM sources s LEFT JOIN source_state st ON st.source_id = s.id"
                        " WHERE s.name = ? AND s.removed_at IS NULL");
  query.bind_text(1, name);
  if (!query.step()) return std::nullopt;
  return read_source(*query);
}

Result<model::Id> SqliteStore::add_or_upsert_source(const SourceSpec& spec, bool upsert) {
  if (auto valid = validate_spec(spec); !valid) return std::unexpected(valid.error());
  std::lock_guard lock(mutex_);
  return guarded(context("source '" + spec.name + "'"), [&]() -> Result<model::Id> {
    WriteTransaction transaction(*db_);
    std::optional<model::Id> existing;
    bool removed = false;
    {
      Query query = prepare("SELECT id, removed_at FROM sources WHERE name = ?");
      query.bind_text(1, spec.name);
      if (query.step()) {
        existing = query->getColumn(0).getInt64();
        removed = !query->getColumn(1).isNull();
      }
    }
    if (existing && !removed && !upsert) {
      return fail(ErrorCode::kAlreadyExists, "source '" + spec.name + "' already exists");
    }
    model::Id id = 0;
    if (existing) {
      id = *existing;
      Query update = prepare(
          "UPDATE sources SET url = ?, kind = ?, interval_s = ?, tags = ?, enabled = ?, article_policy = ?,"
          " removed_at = NULL WHERE id = ?");
      update.bind_text(1, spec.url);
      update.bind_text(2, spec.kind);
      update.bind_int(3, spec.interval.count());
      update.bind_text(4, tags_to_json(spec.tags));
      update.bind_int(5, spec.enabled ? 1 : 0);
      update.bind_text(6, spec.article_policy);
      update.bind_int(7, id);
      update.run();
      if (removed) {
        // A source added again starts afresh: validators of its old URL mean nothing now.
        Query reset = prepare("DELETE FROM source_state WHERE source_id = ?");
        reset.bind_int(1, id);
        reset.run();
      }
    } else {
      Query insert = prepare(
          "INSERT INTO sources (name, url, kind, interval_s, tags, enabled, article_policy, created_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      insert.bind_text(1, spec.name);
      insert.bind_text(2, spec.url);
      insert.bind_text(3, spec.kind);
      insert.bind_int(4, spec.interval.count());
      insert.bind_text(5, tags_to_json(spec.tags));
      insert.bind_int(6, spec.enabled ? 1 : 0);
      insert.bind_text(7, spec.article_policy);
      insert.bind_time(8, system_now());
      insert.run();
      id = db_->getLastInsertRowid();
    }
    Query state = prepare("INSERT INTO source_state (source_id) VALUES (?) ON CONFLICT (source_id) DO NOTHING");
    state.bind_int(1, id);
    state.run();
    transaction.commit();
    return id;
  });
}

Result<model::Id> SqliteStore::add_source(const SourceSpec& spec) { return add_or_upsert_source(spec, false); }

Status SqliteStore::upsert_source(const SourceSpec& spec) {
  auto added = add_or_upsert_source(spec, true);
  if (!added) return std::unexpected(added.error());
  return {};
}

Status SqliteStore::remove_source(const std::string& name) {
  std::lock_guard lock(mutex_);
  return guarded(context("remove source '" + name + "'"), [&]() -> Status {
    // Sources are retired, not deleted: their articles keep citing them by name.
    WriteTransaction transaction(*db_);
    Query update = prepare("UPDATE sources SET removed_at = ?, enabled = 0 WHERE name = ? AND removed_at IS NULL");
    update.bind_time(1, system_now());
    update.bind_text(2, name);
    if (update.run() == 0) return fail(ErrorCode::kNotFound, "source '" + name + "' does not exist");
    transaction.commit();
    return {};
  });
}

Result<std::vector<Source>> SqliteStore::list_sources() {
  std::lock_guard lock(mutex_);
  return guarded(context("list sources"), [&]() -> Result<std::vector<Source>> {
    Query query = prepare(std::string("SELECT ") + kSourceColumns +
                          " FROM sources s LEFT JOIN source_state st ON st.source_id = s.id"
                          " WHERE s.removed_at IS NULL ORDER BY s.name");
    std::vector<Source> sources;
    while (query.step()) sources.push_back(read_source(*query));
    return sources;
  });
}

Result<std::vector<std::string>> SqliteStore::removed_source_names() {
  std::lock_guard lock(mutex_);
  return guarded(context("list removed sources"), [&]() -> Result<std::vector<std::string>> {
    Query query = prepare("SELECT name FROM sources WHERE removed_at IS NOT NULL ORDER BY name");
    std::vector<std::string> names;
    while (query.step()) names.push_back(query->getColumn(0).getString());
    return names;
  });
}

Result<Source> SqliteStore::get_source(const std::string& name) {
  std::lock_guard lock(mutex_);
  return guarded(context("source '" + name + "'"), [&]() -> Result<Source> {
    auto source = find_source_locked(name);
    if (!source) return fail(ErrorCode::kNotFound, "source '" + name + "' does not exist");
    return *source;
  });
}

Status SqliteStore::save_fetch_state(model::Id source_id, const FetchState& state) {
  std::lock_guard lock(mutex_);
  return guarded(context("save fetch state"), [&]() -> Status {
    WriteTransaction transaction(*db_);
    {
      Query exists = prepare("SELECT 1 FROM sources WHERE id = ?");
      exists.bind_int(1, source_id);
      if (!exists.step()) {
        return fail(ErrorCode::kNotFound, "source id " + std::to_string(source_id) + " does not exist");
      }
    }
    Query upsert = prepare(
        "INSERT INTO source_state (source_id, etag, last_modified, next_due, last_fetch, last_success,"
        " last_change, consecutive_errors, last_status, last_error, current_interval_s)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (source_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
        " next_due = excluded.next_due, last_fetch = excluded.last_fetch, last_success = excluded.last_success,"
        " last_change = excluded.last_change, consecutive_errors = excluded.consecutive_errors,"
        " last_status = excluded.last_status, last_error = excluded.last_error,"
        " current_interval_s = excluded.current_interval_s");
    upsert.bind_int(1, source_id);
    upsert.bind_text(2, state.etag);
    upsert.bind_text(3, state.last_modified);
    upsert.bind_time(4, state.next_due);
    upsert.bind_time(5, state.last_fetch);
    upsert.bind_time(6, state.last_success);
    upsert.bind_time(7, state.last_change);
    upsert.bind_int(8, state.consecutive_errors);
    upsert.bind_int(9, state.last_status);
    upsert.bind_text(10, state.last_error);
    upsert.bind_int(11, state.current_interval.count());
    upsert.run();
    transaction.commit();
    return {};
  });
}

// ---- articles, events, mentions -------------------------------------------------------------

Result<std::optional<model::Id>> SqliteStore::find_article(const std::string& canonical_url) {
  std::lock_guard lock(mutex_);
  return guarded(context("find article"), [&]() -> Result<std::optional<model::Id>> {
    Query query = prepare("SELECT id FROM articles WHERE canonical_url = ?");
    query.bind_text(1, canonical_url);
    if (!query.step()) return std::optional<model::Id>();
    return std::optional<model::Id>(query->getColumn(0).getInt64());
  });
}

Result<bool> SqliteStore::has_item(const std::string& item_id) {
  if (item_id.empty()) return false;
  std::lock_guard lock(mutex_);
  return guarded(context("find item"), [&]() -> Result<bool> {
    Query query = prepare("SELECT 1 FROM articles WHERE item_id = ? AND item_id <> '' LIMIT 1");
    query.bind_text(1, item_id);
    return query.step();
  });
}

Status SqliteStore::append_article_locked(const model::ArticleRecord& article,
                                          const std::vector<model::ExtractedEvent>& events, Timestamp now,
                                          std::chrono::days window, AppendResult& result) {
  if (article.canonical_url.empty()) {
    return fail(ErrorCode::kInvalidArgument, "article '" + article.url + "' has no canonical URL");
  }
  for (const model::ExtractedEvent& event : events) {
    if (auto valid = validate_event(event); !valid) {
      return std::unexpected(valid.error().with_context("article '" + article.canonical_url + "'"));
    }
  }
  // A new article is the common case: try the insert first and look the
  // stored row up only when its canonical URL is already there.
  std::optional<model::Id> existing;
  bool existing_feed_only = false;
  std::string existing_hash;
  std::optional<PreciseTime> published_at = article.published_at;
  bool inserted = false;
  {
    Query insert = prepare(
        "INSERT INTO articles (source_id, url, canonical_url, item_id, title, published_at, published_precision,"
        " fetched_at, language, site_name, authors, description, text, content_hash, feed_only)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (canonical_url) DO NOTHING");
    if (article.source_id) {
      insert.bind_int(1, *article.source_id);
    } else {
      insert->bind(1);
    }
    insert->bindNoCopy(2, article.url);
    insert->bindNoCopy(3, article.canonical_url);
    insert->bindNoCopy(4, article.item_id);
    insert->bindNoCopy(5, article.title);
    if (article.published_at) {
      insert.bind_time(6, article.published_at->time);
      insert->bind(7, precision_name(article.published_at->precision));
    } else {
      insert->bind(6);
      insert->bind(7);
    }
    insert.bind_time(8, article.fetched_at);
    insert->bindNoCopy(9, article.language);
    insert->bindNoCopy(10, article.site_name);
    insert->bindNoCopy(11, article.authors);
    insert->bindNoCopy(12, article.description);
    insert->bindNoCopy(13, article.text);
    insert->bindNoCopy(14, article.content_hash);
    insert.bind_int(15, article.feed_only ? 1 : 0);
    inserted = insert.run() > 0;
  }
  if (inserted) {
    result.article_id = db_->getLastInsertRowid();
    result.article_inserted = true;
    if (search_pending_from_ == 0) search_pending_from_ = result.article_id;
  } else {
    {
      Query query = prepare(
          "SELECT id, feed_only, content_hash, published_at, published_precision FROM articles"
          " WHERE canonical_url = ?");
      query.bind_ref(1, article.canonical_url);
      if (!query.step()) throw std::runtime_error("article '" + article.canonical_url + "' vanished during its append");
      existing = query->getColumn(0).getInt64();
      existing_feed_only = query->getColumn(1).getInt() != 0;
      existing_hash = query->getColumn(2).getString();
      if (!published_at) published_at = optional_precise(query->getColumn(3), query->getColumn(4));
    }
    result.article_id = *existing;
    if (replaces_text(existing_feed_only, existing_hash, article)) {
      flush_search_index();  // the update trigger replaces the row's index entry
      {
        // The version replaced, by hash (schema 5's article_versions).
        Query keep = prepare(
            "INSERT INTO article_versions (article_id, content_hash, fetched_at, feed_only, replaced_at)"
            " SELECT id, content_hash, fetched_at, feed_only, ? FROM articles WHERE id = ?");
        keep.bind_time(1, now);
        keep.bind_int(2, *existing);
        keep.run();
      }
      Query update = prepare(
          "UPDATE articles SET url = ?, title = ?, published_at = COALESCE(?, published_at),"
          " published_precision = CASE WHEN ? IS NULL THEN published_precision ELSE ? END,"
          " fetched_at = ?, language = ?, site_name = ?, authors = ?, description = ?, text = ?,"
          " content_hash = ?, feed_only = ?,"
          " item_id = CASE WHEN item_id = '' THEN ? ELSE item_id END,"
          " source_id = COALESCE(source_id, ?) WHERE id = ?");
      update->bindNoCopy(1, article.url);
      update->bindNoCopy(2, article.title);
      if (article.published_at) {
        update.bind_time(3, article.published_at->time);
        update->bind(4, precision_name(article.published_at->precision));
        update->bind(5, precision_name(article.published_at->precision));
      } else {
        update->bind(3);
        update->bind(4);
        update->bind(5);
      }
      update.bind_time(6, article.fetched_at);
      update->bindNoCopy(7, article.language);
      update->bindNoCopy(8, article.site_name);
      update->bindNoCopy(9, article.authors);
      update->bindNoCopy(10, article.description);
      update->bindNoCopy(11, article.text);
      update->bindNoCopy(12, article.content_hash);
      update.bind_int(13, article.feed_only ? 1 : 0);
      update->bindNoCopy(14, article.item_id);
      if (article.source_id) {
        update.bind_int(15, *article.source_id);
      } else {
        update->bind(15);
      }
      update.bind_int(16, *existing);
      update.run();
    }
  }
  return append_events_locked(result.article_id, result.article_inserted, events, published_at,
                              article.fetched_at != Timestamp{} ? article.fetched_at : now, now, window, result);
}

Status SqliteStore::append_events_locked(model::Id article_id, bool article_is_new,
                                         const std::vector<model::ExtractedEvent>& events,
                                         const std::optional<PreciseTime>& published_at, Timestamp fetched_at,
                                         Timestamp now, std::chrono::days window, AppendResult& result) {
  // Keys already appended by this call: a handful, so a vector beats a set.
  std::vector<std::int64_t> keys_in_call;
  keys_in_call.reserve(events.size());
  for (const model::ExtractedEvent& event : events) {
    if (auto valid = validate_event(event); !valid) return std::unexpected(valid.error());
  }
  // Dated reports first: an undated headline joins the event its dated body
  // states (identity::append_order()).
  for (const std::size_t index : identity::append_order(events)) {
    const model::ExtractedEvent& event = events[index];
    // One rule's sentence may state several events: the key covers the subject.
    const std::int64_t key = mention_key(event, key_scratch_);
    if (std::find(keys_in_call.begin(), keys_in_call.end(), key) != keys_in_call.end()) continue;
    keys_in_call.push_back(key);
    // The mention key decides before any event is created, so a repeated
    // append neither adds a mention nor leaves an event without one. A new
    // article has no mentions yet, which spares the lookup on the hot path.
    if (!article_is_new) {
      Query exists = prepare("SELECT 1 FROM mentions WHERE article_id = ? AND mention_key = ?");
      exists.bind_int(1, article_id);
      exists.bind_int(2, key);
      if (exists.step()) continue;
    }
    const std::string evidence_hash = sha256_hex(event.evidence);
    bool created = false;
    const model::Id event_id =
        find_or_create_event(event, identity::anchor(event.event_date, published_at, fetched_at), now, window, created);
    Query insert = prepare(
        "INSERT INTO mentions (event_id, article_id, rule_id, rule_pack_version, evidence, evidence_hash,"
        " confidence, extracted_at, mention_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (article_id, mention_key) DO NOTHING");
    insert.bind_int(1, event_id);
    insert.bind_int(2, article_id);
    insert->bindNoCopy(3, event.rule_id);
    insert->bindNoCopy(4, event.rule_pack_version);
    insert->bindNoCopy(5, event.evidence);
    insert->bindNoCopy(6, evidence_hash);
    insert->bind(7, event.confidence);
    insert.bind_time(8, now);
    insert.bind_int(9, key);
    if (insert.run() > 0) ++result.mentions_appended;
    if (created) ++result.events_appended;
  }
  return {};
}

model::Id SqliteStore::find_or_create_event(const model::ExtractedEvent& event, const identity::Period& when,
                                            Timestamp now, std::chrono::days window, bool& created) {
  const std::int64_t window_s = std::chrono::duration_cast<seconds>(window).count();
  // The history read the same way by both backends; identity::decide() is
  // the one place that decides what joins what.
  const std::int64_t timeline = timeline_key(event, key_scratch_);
  identity::Report report{key_scratch_, event.status, event.event_date.has_value(), when};
  const identity::HistoryRange range = identity::history_range(when, window_s);
  std::vector<identity::Candidate> history;
  {
    Query query = prepare(identity::kHistorySql);
    query.bind_int(1, timeline);
    query.bind_int(2, range.lowest);
    query.bind_int(3, range.highest);
    while (query.step()) history.push_back(read_candidate(*query));
  }
  const identity::Decision decision = identity::decide(report, history, window_s);
  if (decision.join != 0) return decision.join;

  Query insert = prepare(
      "INSERT INTO events (vendor, actor, actor_type, action, status, scope, event_date, event_date_precision,"
      " event_date_end, first_seen_at, confidence, previous_event_id, timeline_key, anchor_at, anchor_end)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert->bindNoCopy(1, event.vendor);
  insert->bindNoCopy(2, event.actor);
  insert->bindNoCopy(3, event.actor_type);
  insert->bindNoCopy(4, event.action);
  insert->bindNoCopy(5, event.status);
  insert->bindNoCopy(6, event.scope);
  if (event.event_date) {
    insert.bind_int(7, when.start);
    insert->bind(8, precision_name(event.event_date->precision));
    insert.bind_int(9, when.end);
  } else {
    insert->bind(7);
    insert->bind(8);
    insert->bind(9);
  }
  insert.bind_time(10, now);
  insert->bind(11, event.confidence);
  if (decision.previous != 0) {
    insert.bind_int(12, decision.previous);
  } else {
    insert->bind(12);
  }
  insert.bind_int(13, timeline);
  insert.bind_int(14, when.start);
  insert.bind_int(15, when.end);
  insert.run();
  created = true;
  return db_->getLastInsertRowid();
}

Result<AppendResult> SqliteStore::append_article(const model::ArticleRecord& article,
                                                 const std::vector<model::ExtractedEvent>& events,
                                                 const AppendOptions& options) {
  std::lock_guard lock(mutex_);
  return guarded(context("append article '" + article.canonical_url + "'"), [&]() -> Result<AppendResult> {
    WriteTransaction transaction(*db_);
    search_pending_from_ = 0;
    AppendResult result;
    auto appended =
        append_article_locked(article, events, effective_now(options, &article), options.cluster_window, result);
    if (!appended) return std::unexpected(appended.error());
    flush_search_index();
    transaction.commit();
    return result;
  });
}

Result<std::vector<AppendResult>> SqliteStore::append_batch(const std::vector<ArticleWithEvents>& batch,
                                                            const AppendOptions& options) {
  std::lock_guard lock(mutex_);
  return guarded(context("append batch"), [&]() -> Result<std::vector<AppendResult>> {
    WriteTransaction transaction(*db_);
    search_pending_from_ = 0;
    std::vector<AppendResult> results;
    results.reserve(batch.size());
    for (const ArticleWithEvents& entry : batch) {
      AppendResult result;
      auto appended = append_article_locked(entry.article, entry.events, effective_now(options, &entry.article),
                                            options.cluster_window, result);
      if (!appended) return std::unexpected(appended.error());
      results.push_back(result);
    }
    flush_search_index();
    transaction.commit();
    return results;
  });
}

Result<AppendResult> SqliteStore::append_events(model::Id article_id, const std::vector<model::ExtractedEvent>& events,
                                                const AppendOptions& options) {
  std::lock_guard lock(mutex_);
  return guarded(context("append events of article " + std::to_string(article_id)), [&]() -> Result<AppendResult> {
    WriteTransaction transaction(*db_);
    std::optional<PreciseTime> published_at;
    Timestamp fetched_at{};
    {
      Query exists = prepare("SELECT published_at, published_precision, fetched_at FROM articles WHERE id = ?");
      exists.bind_int(1, article_id);
      if (!exists.step()) {
        return fail(ErrorCode::kNotFound, "article id " + std::to_string(article_id) + " does not exist");
      }
      published_at = optional_precise(exists->getColumn(0), exists->getColumn(1));
      fetched_at = time_from_db(exists->getColumn(2).getInt64());
    }
    AppendResult result;
    result.article_id = article_id;
    auto appended = append_events_locked(article_id, false, events, published_at, fetched_at,
                                         effective_now(options, nullptr), options.cluster_window, result);
    if (!appended) return std::unexpected(appended.error());
    transaction.commit();
    return result;
  });
}

Status SqliteStore::for_each_article(const ArticleFilter& filter,
                                     const std::function<bool(const model::ArticleRecord&)>& visit) {
  // Keyset pagination: each page is read under the lock with the statement
  // reset afterwards, then visited without the lock, so `visit` may call the
  // store (reextract appends while it walks) and no read transaction stays
  // open across a long walk.
  constexpr std::size_t kPageSize = 128;
  std::string sql = "SELECT " + qualified_columns(kArticleColumns, "a") + " FROM articles a";
  if (filter.source_name) sql += " JOIN sources s ON s.id = a.source_id AND s.name = ?";
  sql += " WHERE a.id > ?";
  if (filter.since) sql += " AND a.fetched_at >= ?";
  if (!filter.urls.empty()) {
    sql += " AND (a.url IN (";
    for (std::size_t i = 0; i < filter.urls.size(); ++i) sql += i == 0 ? "?" : ", ?";
    sql += ") OR a.canonical_url IN (";
    for (std::size_t i = 0; i < filter.urls.size(); ++i) sql += i == 0 ? "?" : ", ?";
    sql += "))";
  }
  sql += " ORDER BY a.id LIMIT " + std::to_string(kPageSize);

  const auto read_page = [&](model::Id after, std::vector<model::ArticleRecord>& page) -> Status {
    std::lock_guard lock(mutex_);
    return guarded(context("read articles"), [&]() -> Status {
      Query query = prepare(sql);
      int index = 1;
      if (filter.source_name) query.bind_text(index++, *filter.source_name);
      query.bind_int(index++, after);
      if (filter.since) query.bind_time(index++, *filter.since);
      for (int pass = 0; pass < 2; ++pass) {
        for (const std::string& url : filter.urls) query.bind_text(index++, url);
      }
      while (query.step()) page.push_back(read_article(*query));
      return {};
    });
  };
  return walk_article_pages(kPageSize, read_page, visit);
}

Result<std::vector<EventWithMentions>> SqliteStore::query_events(const EventQuery& query) {
  std::string where = " WHERE 1 = 1";
  const char* time_column = query.by_event_date ? "event_date" : "first_seen_at";
  // A range is always bounded on both sides: without statistics SQLite's
  // planner takes a one-sided range for a quarter of the table and would
  // rather scan it in id order than use the time index.
  const bool time_range = query.since || query.until;
  if (time_range) where += std::string(" AND ") + time_column + " >= ? AND " + time_column + " < ?";
  if (query.after_event_id) where += " AND id > ?";
  if (query.before_event_id) where += " AND id < ?";
  // With a time range the time index is the one to use: a unary + keeps
  // SQLite from preferring another index for an IN list (ids: the rowid).
  const auto in_list = [&](const char* column, std::size_t count) {
    if (count == 0) return;
    where += std::string(" AND ") + (time_range ? "+" : "") + column + " IN (";
    for (std::size_t i = 0; i < count; ++i) where += i == 0 ? "?" : ", ?";
    where += ")";
  };
  in_list("vendor", query.vendors.size());
  in_list("actor", query.actors.size());
  in_list("action", query.actions.size());
  in_list("status", query.statuses.size());
  in_list("id", query.ids.size());
  if (!query.article_ids.empty()) {
    where += " AND id IN (SELECT event_id FROM mentions WHERE article_id IN (";
    for (std::size_t i = 0; i < query.article_ids.size(); ++i) where += i == 0 ? "?" : ", ?";
    where += "))";
  }
  if (query.case_of) where += " AND timeline_key = (SELECT timeline_key FROM events WHERE id = ?)";
  if (query.with_mentions_after_id) where += " AND id IN (SELECT event_id FROM mentions WHERE id > ?)";
  const bool cited_range = query.cited_since || query.cited_until;
  if (cited_range) where += " AND id IN (SELECT event_id FROM mentions WHERE extracted_at >= ? AND extracted_at < ?)";
  const char* order = query.newest_first ? " DESC" : "";
  std::string sql = kSelectedEventsSql + where;
  if (query.limit > 0) sql += std::string(" ORDER BY id") + order + " LIMIT " + std::to_string(query.limit);
  sql += kEventsWithMentionsSql;
  // No ORDER BY: rows are grouped and sorted below, which spares SQLite a
  // sorter over every joined row (a third of the time of a month's query).

  std::lock_guard lock(mutex_);
  return guarded(context("query events"), [&]() -> Result<std::vector<EventWithMentions>> {
    Query statement = prepare(sql);
    int index = 1;
    if (time_range) {
      statement.bind_int(index++, query.since ? to_db(*query.since) : std::numeric_limits<std::int64_t>::min());
      statement.bind_int(index++, query.until ? to_db(*query.until) : std::numeric_limits<std::int64_t>::max());
    }
    if (query.after_event_id) statement.bind_int(index++, *query.after_event_id);
    if (query.before_event_id) statement.bind_int(index++, *query.before_event_id);
    for (const auto* list : {&query.vendors, &query.actors, &query.actions, &query.statuses}) {
      for (const std::string& value : *list) statement.bind_text(index++, value);
    }
    for (model::Id id : query.ids) statement.bind_int(index++, id);
    for (model::Id id : query.article_ids) statement.bind_int(index++, id);
    if (query.case_of) statement.bind_int(index++, *query.case_of);
    if (query.with_mentions_after_id) statement.bind_int(index++, *query.with_mentions_after_id);
    if (cited_range) {
      statement.bind_int(index++,
                         query.cited_since ? to_db(*query.cited_since) : std::numeric_limits<std::int64_t>::min());
      statement.bind_int(index++,
                         query.cited_until ? to_db(*query.cited_until) : std::numeric_limits<std::int64_t>::max());
    }

    std::vector<EventWithMentions> results;
    std::vector<std::int64_t> keys;                       // the timeline keys of the events, for with_timeline
    std::unordered_map<model::Id, std::size_t> position;  // event id -> index in results
    // Each column is fetched once and read on every row: a SQLite::Column
    // shares the statement by reference count, and making one per value cost
    // more than the strings themselves on a month of citations.
    std::vector<SQLite::Column> columns;
    const auto text = [&](int column) {
      const SQLite::Column& value = columns[static_cast<std::size_t>(column)];
      const char* data = value.getText(nullptr);
      return data == nullptr ? std::string() : std::string(data, static_cast<std::size_t>(value.getBytes()));
    };
    const auto is_null = [&](int column) { return columns[static_cast<std::size_t>(column)].isNull(); };
    const auto integer = [&](int column) {
      return static_cast<std::int64_t>(columns[static_cast<std::size_t>(column)].getInt64());
    };
    const auto precise = [&](int date_column, int precision_column) -> std::optional<PreciseTime> {
      if (is_null(date_column)) return std::nullopt;
      PreciseTime value;
      value.time = time_from_db(integer(date_column));
      const char* name = columns[static_cast<std::size_t>(precision_column)].getText(nullptr);
      value.precision = name == nullptr ? DatePrecision::kSecond : precision_from_name(name);
      return value;
    };
    while (statement.step()) {
      if (columns.empty()) {
        for (int i = 0; i < statement->getColumnCount(); ++i) columns.push_back(statement->getColumn(i));
      }
      const model::Id event_id = integer(0);
      std::size_t at = results.empty() || results.back().event.id != event_id ? results.size() : results.size() - 1;
      if (at == results.size()) {
        if (auto seen = position.find(event_id); seen != position.end()) at = seen->second;
      }
      if (at == results.size()) {
        position.emplace(event_id, at);
        EventWithMentions& entry = results.emplace_back();
        model::Event& event = entry.event;
        event.id = event_id;
        event.vendor = text(1);
        if (query.with_timeline) keys.push_back(integer(23));
        event.actor = text(2);
        event.actor_type = text(3);
        event.action = text(4);
        event.status = text(5);
        event.scope = text(6);
        event.event_date = precise(7, 8);
        event.first_seen_at = time_from_db(integer(9));
        event.confidence = columns[10].getDouble();
        if (!is_null(11)) event.previous_event_id = integer(11);
      }
      if (is_null(12)) continue;  // an event without mentions (none in normal operation)
      model::Mention& mention = results[at].mentions.emplace_back();
      mention.id = integer(12);
      mention.event_id = event_id;
      mention.article_id = integer(13);
      mention.evidence = text(14);
      mention.rule_id = text(15);
      mention.rule_pack_version = text(16);
      mention.extracted_at = time_from_db(integer(17));
      mention.article_url = text(18);
      mention.article_title = text(19);
      if (!is_null(20)) mention.source_name = text(20);
      mention.article_published_at = precise(21, 22);
    }
    const auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
    // Rows usually arrive in id order already (first_seen_at grows with id):
    // checking first spares moving every event and its strings.
    const auto in_order = [&](const EventWithMentions& a, const EventWithMentions& b) {
      return query.newest_first ? a.event.id > b.event.id : a.event.id < b.event.id;
    };
    if (!std::is_sorted(results.begin(), results.end(), in_order)) {
      std::sort(results.begin(), results.end(), in_order);
    }
    for (EventWithMentions& entry : results) {
      if (!std::is_sorted(entry.mentions.begin(), entry.mentions.end(), by_id)) {
        std::sort(entry.mentions.begin(), entry.mentions.end(), by_id);
      }
    }
    if (query.with_timeline && !results.empty()) {
      // The cases of the events found that hold more than one event, read
      // whole: the status each has reached and the links of events appended
      // before those they follow. A case of one event needs no read.
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      std::string list = "[";
      for (const std::int64_t key : keys) {
        if (list.size() > 1) list += ',';
        list += std::to_string(key);
      }
      list += ']';
      std::vector<std::pair<std::int64_t, identity::Candidate>> cases;
      Query read = prepare(identity::kCasesSqliteSql);
      read.bind_text(1, list);
      while (read.step()) {
        cases.emplace_back(read->getColumn(8).getInt64(), read_candidate(*read));
      }
      identity::apply_timeline(results, cases);
    }
    return results;
  });
}

Result<model::ArticleRecord> SqliteStore::get_article(model::Id article_id) {
  std::lock_guard lock(mutex_);
  return guarded(context("read article"), [&]() -> Result<model::ArticleRecord> {
    static const std::string sql = std::string("SELECT ") + kArticleColumns + " FROM articles WHERE id = ?";
    Query query = prepare(sql);
    query.bind_int(1, article_id);
    if (!query.step()) return fail(ErrorCode::kNotFound, "article " + std::to_string(article_id) + " does not exist");
    return read_article(*query);
  });
}

std::vector<SearchHit> SqliteStore::run_search(const std::string& match, std::optional<Timestamp> since,
                                               std::size_t limit) {
  std::string sql =
      "SELECT a.id, a.url, a.title, snippet(articles_fts, -1, '[', ']', '...', 16),"
      " a.published_at, a.published_precision"
      " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
      " WHERE articles_fts MATCH ?";
  if (since) sql += " AND COALESCE(a.published_at, a.fetched_at) >= ?";
  sql += " ORDER BY rank, a.id DESC LIMIT ?";
  Query query = prepare(sql);
  query.bind_text(1, match);
  int index = 2;
  if (since) query.bind_time(index++, *since);
  query.bind_int(index, limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(limit));
  std::vector<SearchHit> hits;
  while (query.step()) {
    SearchHit& hit = hits.emplace_back();
    hit.article_id = query->getColumn(0).getInt64();
    hit.url = query->getColumn(1).getString();
    hit.title = query->getColumn(2).getString();
    hit.snippet = query->getColumn(3).getString();
    hit.published_at = optional_precise(query->getColumn(4), query->getColumn(5));
  }
  return hits;
}

Result<std::vector<SearchHit>> SqliteStore::search(const std::string& query, std::optional<Timestamp> since,
                                                   std::size_t limit) {
  const std::string quoted = quote_fts_terms(query);
  if (quoted.empty()) return fail(ErrorCode::kInvalidArgument, "the search query is empty");
  std::lock_guard lock(mutex_);
  return guarded(context("search '" + query + "'"), [&]() -> Result<std::vector<SearchHit>> {
    // The query is first tried as FTS5 syntax (phrases, OR, NOT, prefix*);
    // text that is not valid syntax is searched as plain words.
    try {
      return run_search(query, since, limit);
    } catch (const SQLite::Exception& e) {
      if ((e.getErrorCode() & 0xFF) != SQLITE_ERROR) throw;
    }
    return run_search(quoted, since, limit);
  });
}

// ---- runs, digests, maintenance ---------------------------------------------------------------

Result<model::Id> SqliteStore::begin_run(const std::string& kind, Timestamp started_at) {
  std::lock_guard lock(mutex_);
  return guarded(context("begin run"), [&]() -> Result<model::Id> {
    WriteTransaction transaction(*db_);
    Query insert = prepare("INSERT INTO runs (kind, started_at, outcome) VALUES (?, ?, 'running')");
    insert.bind_text(1, kind);
    insert.bind_time(2, started_at);
    insert.run();
    const model::Id id = db_->getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Status SqliteStore::finish_run(const Run& run) {
  std::lock_guard lock(mutex_);
  return guarded(context("finish run " + std::to_string(run.id)), [&]() -> Status {
    WriteTransaction transaction(*db_);
    Query update = prepare(
        "UPDATE runs SET finished_at = ?, outcome = ?, fetched = ?, not_modified = ?, failed = ?,"
        " articles_stored = ?, events_appended = ?, mentions_appended = ?, message = ? WHERE id = ?");
    update.bind_time(1, run.finished_at ? *run.finished_at : system_now());
    update.bind_text(2, run.outcome.empty() ? std::string("ok") : run.outcome);
    update.bind_int(3, run.fetched);
    update.bind_int(4, run.not_modified);
    update.bind_int(5, run.failed);
    update.bind_int(6, run.articles_stored);
    update.bind_int(7, run.events_appended);
    update.bind_int(8, run.mentions_appended);
    update.bind_text(9, run.message);
    update.bind_int(10, run.id);
    if (update.run() == 0) return fail(ErrorCode::kNotFound, "run " + std::to_string(run.id) + " does not exist");
    transaction.commit();
    return {};
  });
}

Result<std::optional<Run>> SqliteStore::last_run(const std::string& kind, bool successful_only) {
  std::lock_guard lock(mutex_);
  return guarded(context("last run"), [&]() -> Result<std::optional<Run>> {
    std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE (? = '' OR kind = ?)";
    if (successful_only) sql += " AND outcome IN ('ok', 'partial')";
    sql += " ORDER BY started_at DESC, id DESC LIMIT 1";
    Query query = prepare(sql);
    query.bind_text(1, kind);
    query.bind_text(2, kind);
    if (!query.step()) return std::optional<Run>();
    return std::optional<Run>(read_run(*query));
  });
}

Result<std::optional<DigestRecord>> SqliteStore::last_digest(const std::string& channel) {
  std::lock_guard lock(mutex_);
  return guarded(context("last digest"), [&]() -> Result<std::optional<DigestRecord>> {
    // The furthest cursor wins, so a digest recorded with an older cursor can
    // never make the next one send events twice.
    Query query = prepare(
        "SELECT id, channel, created_at, up_to_event_id, up_to_mention_id, event_count, format FROM digests"
        " WHERE (? = '' OR channel = ?) ORDER BY up_to_event_id DESC, up_to_mention_id DESC, id DESC LIMIT 1");
    query.bind_text(1, channel);
    query.bind_text(2, channel);
    if (!query.step()) return std::optional<DigestRecord>();
    DigestRecord digest;
    digest.id = query->getColumn(0).getInt64();
    digest.channel = query->getColumn(1).getString();
    digest.created_at = time_from_db(query->getColumn(2).getInt64());
    digest.up_to_event_id = query->getColumn(3).getInt64();
    digest.up_to_mention_id = query->getColumn(4).getInt64();
    digest.event_count = query->getColumn(5).getInt();
    digest.format = query->getColumn(6).getString();
    return std::optional<DigestRecord>(digest);
  });
}

Status SqliteStore::record_digest(const DigestRecord& digest) {
  std::lock_guard lock(mutex_);
  return guarded(context("record digest"), [&]() -> Status {
    WriteTransaction transaction(*db_);
    Query insert = prepare(
        "INSERT INTO digests (channel, created_at, up_to_event_id, up_to_mention_id, event_count, format)"
        " VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind_text(1, digest.channel);
    insert.bind_time(2, digest.created_at == Timestamp{} ? system_now() : digest.created_at);
    insert.bind_int(3, digest.up_to_event_id);
    insert.bind_int(4, digest.up_to_mention_id);
    insert.bind_int(5, digest.event_count);
    insert.bind_text(6, digest.format);
    insert.run();
    transaction.commit();
    return {};
  });
}

Result<Stats> SqliteStore::stats() {
  std::lock_guard lock(mutex_);
  return guarded(context("stats"), [&]() -> Result<Stats> {
    Stats stats;
    // One read transaction, so the figures agree with each other.
    db_->exec("BEGIN");
    struct EndRead {
      SQLite::Database& db;
      ~EndRead() { db.tryExec("COMMIT"); }
    } end_read{*db_};
    const auto count = [&](const char* sql) {
      Query query = prepare(sql);
      query.step();
      return query->getColumn(0).getInt64();
    };
    stats.sources = count("SELECT count(*) FROM sources WHERE removed_at IS NULL");
    stats.articles = count("SELECT count(*) FROM articles");
    stats.events = count("SELECT count(*) FROM events");
    stats.mentions = count("SELECT count(*) FROM mentions");
    stats.runs = count("SELECT count(*) FROM runs");
    stats.digests = count("SELECT count(*) FROM digests");
    {
      Query vendors = prepare("SELECT vendor, count(*) AS n FROM events GROUP BY vendor ORDER BY n DESC, vendor");
      while (vendors.step()) {
        stats.events_per_vendor.emplace_back(vendors->getColumn(0).getString(), vendors->getColumn(1).getInt64());
      }
    }
    {
      Query run =
          prepare(std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY started_at DESC, id DESC LIMIT 1");
      if (run.step()) stats.last_run = read_run(*run);
    }
    {
      Query failing = prepare(std::string("SELECT ") + kSourceColumns +
                              " FROM sources s JOIN source_state st ON st.source_id = s.id"
                              " WHERE s.removed_at IS NULL AND st.consecutive_errors > 0"
                              " ORDER BY st.consecutive_errors DESC, s.name");
      while (failing.step()) stats.failing_sources.push_back(read_source(*failing));
    }
    stats.schema_version = db_->execAndGet("PRAGMA user_version").getInt();
    return stats;
  });
}

Result<std::string> SqliteStore::integrity_check() {
  std::lock_guard lock(mutex_);
  return guarded(context("integrity check"), [&]() -> Result<std::string> {
    std::vector<std::string> problems;
    {
      SQLite::Statement check(*db_, "PRAGMA integrity_check");
      while (check.executeStep()) {
        const std::string line = check.getColumn(0).getString();
        if (line != "ok") problems.push_back(line);
      }
    }
    {
      SQLite::Statement check(*db_, "PRAGMA foreign_key_check");
      while (check.executeStep()) {
        problems.push_back("foreign key: row " + check.getColumn(1).getString() + " of " +
                           check.getColumn(0).getString() + " references a missing row of " +
                           check.getColumn(2).getString());
      }
    }
    {
      // The integer keys must match the text they were computed from (schema
      // 0004, normalized by 0005); a mention's subject is its event's in the
      // identity spelling, since clustering joins only the same case and status.
      SQLite::Statement check(
          *db_,
          "SELECT (SELECT count(*) FROM events"
          "         WHERE timeline_key <> banwatch_key(banwatch_identity(vendor) || char(10) ||"
          "               banwatch_identity(actor) || char(10) || banwatch_identity(action))),"
          "       (SELECT count(*) FROM mentions m JOIN events e ON e.id = m.event_id"
          "         WHERE m.mention_key <> banwatch_key(m.rule_id || char(10) || m.evidence || char(10) ||"
          "               banwatch_identity(e.vendor) || char(10) || banwatch_identity(e.actor) || char(10) ||"
          "               banwatch_identity(e.action) || char(10) || banwatch_identity(e.status))),"
          "       (SELECT count(*) FROM events WHERE event_date IS NOT NULL"
          "         AND (anchor_at <> event_date OR anchor_end <> event_date_end))");
      if (check.executeStep()) {
        if (const auto n = check.getColumn(0).getInt64(); n > 0) {
          problems.push_back("events whose timeline_key does not match their vendor, actor and action: " +
                             std::to_string(n));
        }
        if (const auto n = check.getColumn(1).getInt64(); n > 0) {
          problems.push_back("mentions whose mention_key does not match their rule, evidence and event: " +
                             std::to_string(n));
        }
        if (const auto n = check.getColumn(2).getInt64(); n > 0) {
          problems.push_back("dated events anchored elsewhere than their date: " + std::to_string(n));
        }
      }
    }
    try {
      // FTS5's own check compares the index with the articles it was built from.
      db_->exec("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)");
    } catch (const SQLite::Exception& e) {
      if ((e.getErrorCode() & 0xFF) == SQLITE_READONLY) {
        // A read-only store cannot run FTS5's check; the page-level checks ran.
      } else if ((e.getErrorCode() & 0xFF) == SQLITE_BUSY) {
        throw;
      } else {
        problems.push_back(std::string("full-text index: ") + e.what());
      }
    }
    if (problems.empty()) return std::string("ok");
    std::string report;
    for (const std::string& problem : problems) {
      if (!report.empty()) report += '\n';
      report += problem;
    }
    return report;
  });
}

Status SqliteStore::backup_to(const std::string& path) {
  std::lock_guard lock(mutex_);
  return guarded(context("backup to '" + path + "'"), [&]() -> Status {
    namespace fs = std::filesystem;
    // Written beside the target and renamed into place: a failed backup never
    // leaves a half-written file under the requested name.
    const std::string partial = path + ".partial";
    std::error_code ignored;
    fs::remove(partial, ignored);
    {
      SQLite::Database destination(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      SQLite::Backup backup(destination, *db_);
      // Copy in steps; between steps other connections may write. A busy
      // source is retried until the busy timeout.
      const auto deadline = std::chrono::steady_clock::now() + options_.busy_timeout;
      while (true) {
        const int rc = backup.executeStep(1024);
        if (rc == SQLITE_DONE) break;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
          if (std::chrono::steady_clock::now() > deadline) {
            fs::remove(partial, ignored);
            return fail(ErrorCode::kStoreBusy, "the store stayed locked during the backup");
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
      // The copy is one self-contained file, checked before it is published.
      destination.exec("PRAGMA journal_mode = DELETE");
      const std::string check = destination.execAndGet("PRAGMA quick_check").getString();
      if (check != "ok") {
        fs::remove(partial, ignored);
        return fail(ErrorCode::kStore, "the backup copy failed its check: " + check);
      }
    }
    fs::rename(partial, path);
    return {};
  });
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& options) {
  namespace fs = std::filesystem;
  const bool in_memory = path == ":memory:";
  std::error_code error;
  if (!in_memory && !fs::exists(path, error)) {
    if (!options.create || options.read_only) {
      return fail(ErrorCode::kNotFound, "store '" + path + "' does not exist (create it with `banwatch init`)");
    }
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, error)) {
      return fail(ErrorCode::kIo, "store '" + path + "': directory '" + parent.string() + "' does not exist");
    }
  }
  // Allocation statistics make every SQLite malloc and free take a global
  // mutex and update counters: 5% of an append's instructions (callgrind).
  // banwatch reads none of them (no soft heap limit), so they are turned off,
  // once per process, before SQLite initializes. Refused (SQLITE_MISUSE,
  // harmless) when something in the process initialized SQLite first.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  // The store serializes its own calls, so SQLite's per-call mutexes are redundant.
  int flags = (options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE) | SQLite::OPEN_NOMUTEX;
  if (options.create && !options.read_only) flags |= SQLite::OPEN_CREATE;
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(path, flags, static_cast<int>(options.busy_timeout.count()));
  } catch (const SQLite::Exception& e) {
    return std::unexpected(map_sqlite_error("store '" + path + "': open", e));
  } catch (const std::exception& e) {
    return fail(ErrorCode::kStore, "store '" + path + "': open: " + e.what());
  }
  auto store = std::make_unique<SqliteStore>(std::move(db), path, options);
  if (auto initialized = store->initialize(); !initialized) return std::unexpected(initialized.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace banwatch::store
