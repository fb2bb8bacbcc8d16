#include "store/backend.h"
#include "store/pg/pg_store.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/url.h"
#include "store/identity.h"
#include "store/pg/pg_internal.h"

namespace banwatch::store {

namespace pg {

// ---- text and values -----------------------------------------------------------

std::string clean_text(std::string_view input) {
  // PostgreSQL text is valid UTF-8 without NUL bytes. Invalid sequences
  // become U+FFFD and NULs are dropped, so no record is refused (or cut
  // short, as libpq would cut it at a NUL) for a stray byte.
  std::string out;
  out.reserve(input.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(input.data());
  const std::size_t size = input.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    if (c == 0) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned int lower = 0x80, upper = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) lower = 0xA0;
      if (c == 0xED) upper = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) lower = 0x90;
      if (c == 0xF4) upper = 0x8F;
    }
    bool valid = length > 0 && i + length <= size;
    for (std::size_t k = 1; valid && k < length; ++k) {
      const unsigned char next = bytes[i + k];
      const unsigned int low = k == 1 ? lower : 0x80;
      const unsigned int high = k == 1 ? upper : 0xBF;
      if (next < low || next > high) valid = false;
    }
    if (valid) {
      out.append(input.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

bool needs_cleaning(std::string_view input) {
  for (unsigned char c : input) {
    if (c == 0 || c >= 0x80) return true;
  }
  return false;
}

Args& Args::text(std::string_view value) {
  values_.emplace_back(needs_cleaning(value) ? clean_text(value) : std::string(value));
  return *this;
}
Args& Args::integer(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}
Args& Args::integer(const std::optional<std::int64_t>& value) {
  if (value) return integer(*value);
  return null();
}
Args& Args::time(Timestamp value) { return integer(value.time_since_epoch().count()); }
Args& Args::time(const std::optional<Timestamp>& value) {
  if (value) return time(*value);
  return null();
}
Args& Args::real(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  values_.emplace_back(buffer);
  return *this;
}
Args& Args::null() {
  values_.emplace_back(std::nullopt);
  return *this;
}
Args& Args::text_array(const std::vector<std::string>& values) {
  // An array literal: {"a","b"} with " and \ escaped.
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    for (char c : clean_text(values[i])) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  values_.emplace_back(std::move(literal));
  return *this;
}

std::vector<const char*> Args::pointers() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const auto& value : values_) pointers.push_back(value ? value->c_str() : nullptr);
  return pointers;
}

pqxx::result exec(pqxx::transaction_base& tx, const std::string& sql, const Args& args) {
  const std::vector<const char*> pointers = args.pointers();
  return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(pointers));
}

std::int64_t to_int(const pqxx::field& field) { return field.as<std::int64_t>(); }
std::optional<std::int64_t> to_optional_int(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::int64_t>();
}
std::string to_text(const pqxx::field& field) {
  if (field.is_null()) return std::string();
  return std::string(field.c_str(), field.size());
}
Timestamp to_time(const pqxx::field& field) { return Timestamp(std::chrono::seconds(to_int(field))); }
std::optional<Timestamp> to_optional_time(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return to_time(field);
}

std::string redact(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db; also
  // a password=... parameter.
  std::string out = url;
  const auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    const auto authority_start = scheme + 3;
    const auto authority_end = out.find_first_of("/?", authority_start);
    const auto at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
    if (at != std::string::npos && at > authority_start) {
      const auto colon = out.find(':', authority_start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t position = out.find("password="); position != std::string::npos;
       position = out.find("password=", position + 1)) {
    const auto value_start = position + std::strlen("password=");
    auto value_end = out.find_first_of("& ", value_start);
    if (value_end == std::string::npos) value_end = out.size();
    out.replace(value_start, value_end - value_start, "***");
  }
  return out;
}

}  // namespace pg

std::string redact_store_url(const std::string& url) { return pg::redact(url); }

int postgres_schema_version() { return postgres_migrations().empty() ? 0 : postgres_migrations().back().version; }

namespace {

using pg::Args;
using pg::to_int;
using pg::to_optional_int;
using pg::to_optional_time;
using pg::to_text;
using pg::to_time;
using std::chrono::seconds;

std::optional<PreciseTime> optional_precise(const pqxx::field& time, const pqxx::field& precision) {
  if (time.is_null()) return std::nullopt;
  PreciseTime value;
  value.time = to_time(time);
  value.precision = precision.is_null() ? DatePrecision::kSecond : precision_from_name(precision.c_str());
  return value;
}

// A source's spec as the parameters url, host, kind, interval_s, tags,
// enabled, article_policy (in that order).
Args& add_source_fields(Args& args, const SourceSpec& spec, const std::string& host) {
  return args.text(spec.url)
      .text(host)
      .text(spec.kind)
      .integer(spec.interval.count())
      .text(tags_to_json(spec.tags))
      .integer(spec.enabled ? 1 : 0)
      .text(spec.article_policy);
}

// An article's content as the parameters published_at, published_precision,
// fetched_at, language, site_name, authors, description, text, content_hash,
// feed_only (in that order).
Args& add_article_content(Args& args, const model::ArticleRecord& article) {
  if (article.published_at) {
    args.time(article.published_at->time).text(precision_name(article.published_at->precision));
  } else {
    args.null().null();
  }
  return args.time(article.fetched_at)
      .text(article.language)
      .text(article.site_name)
      .text(article.authors)
      .text(article.description)
      .text(article.text)
      .text(article.content_hash)
      .integer(article.feed_only ? 1 : 0);
}

// A stored event of a case's history (columns as identity::kHistorySql).
identity::Candidate read_candidate(const pqxx::row& row) {
  identity::Candidate candidate;
  candidate.id = to_int(row[0]);
  candidate.vendor = to_text(row[1]);
  candidate.actor = to_text(row[2]);
  candidate.action = to_text(row[3]);
  candidate.status = to_text(row[4]);
  candidate.dated = to_int(row[5]) != 0;
  candidate.when = {to_int(row[6]), to_int(row[7])};
  return candidate;
}

// The advisory-lock key of an event's cluster: every append that may create
// or join an event of this vendor, actor and action holds it, so two workers
// never create the same event twice.
std::string cluster_lock_key(const model::ExtractedEvent& event) {
  return "event:" + identity::case_text(event.vendor, event.actor, event.action);
}

constexpr const char* kSourceColumns =
    "s.id, s.name, s.url, s.kind, s.interval_s, s.tags, s.enabled, s.article_policy, "
    "st.etag, st.last_modified, st.next_due, st.last_fetch, st.last_success, st.last_change, "
    "st.consecutive_errors, st.last_status, st.last_error, st.current_interval_s, st.source_id";

Source read_source(const pqxx::row& row) {
  Source source;
  source.id = to_int(row[0]);
  source.spec.name = to_text(row[1]);
  source.spec.url = to_text(row[2]);
  source.spec.kind = to_text(row[3]);
  source.spec.interval = seconds(to_int(row[4]));
  source.spec.tags = tags_from_json(to_text(row[5]));
  source.spec.enabled = to_int(row[6]) != 0;
  source.spec.article_policy = to_text(row[7]);
  if (!row[18].is_null()) {  // the LEFT JOIN found a state row
    FetchState& state = source.state;
    state.etag = to_text(row[8]);
    state.last_modified = to_text(row[9]);
    state.next_due = to_optional_time(row[10]);
    state.last_fetch = to_optional_time(row[11]);
    state.last_success = to_optional_time(row[12]);
    state.last_change = to_optional_time(row[13]);
    state.consecutive_errors = static_cast<int>(to_int(row[14]));
    state.last_status = static_cast<int>(to_int(row[15]));
    state.last_error = to_text(row[16]);
    state.current_interval = seconds(to_int(row[17]));
  }
  return source;
}

Run read_run(const pqxx::row& row) {
  Run run;
  run.id = to_int(row[0]);
  run.kind = to_text(row[1]);
  run.started_at = to_time(row[2]);
  run.finished_at = to_optional_time(row[3]);
  run.outcome = to_text(row[4]);
  run.fetched = static_cast<int>(to_int(row[5]));
  run.not_modified = static_cast<int>(to_int(row[6]));
  run.failed = static_cast<int>(to_int(row[7]));
  run.articles_stored = static_cast<int>(to_int(row[8]));
  run.events_appended = static_cast<int>(to_int(row[9]));
  run.mentions_appended = static_cast<int>(to_int(row[10]));
  run.message = to_text(row[11]);
  return run;
}

// kArticleColumns of "FROM articles a".
const std::string& article_columns() {
  static const std::string columns = qualified_columns(kArticleColumns, "a");
  return columns;
}

model::ArticleRecord read_article(const pqxx::row& row) {
  model::ArticleRecord article;
  article.id = to_int(row[0]);
  article.source_id = to_optional_int(row[1]);
  article.url = to_text(row[2]);
  article.canonical_url = to_text(row[3]);
  article.item_id = to_text(row[4]);
  article.title = to_text(row[5]);
  article.published_at = optional_precise(row[6], row[7]);
  article.fetched_at = to_time(row[8]);
  article.language = to_text(row[9]);
  article.site_name = to_text(row[10]);
  article.authors = to_text(row[11]);
  article.description = to_text(row[12]);
  article.text = to_text(row[13]);
  article.content_hash = to_text(row[14]);
  article.feed_only = to_int(row[15]) != 0;
  return article;
}

// SQLSTATEs that mean "run the transaction again".
bool is_retryable(const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  return state == "40P01" /* deadlock_detected */ || state == "40001" /* serialization_failure */;
}

Error map_sql_error(std::string_view what, const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  std::string message = e.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (state == "55P03" /* lock_not_available */ || state == "57014" /* query_canceled */) {
    return Error(ErrorCode::kStoreBusy, std::string(what) + ": the store is busy (" + message + ")");
  }
  return Error(ErrorCode::kStore, std::string(what) + ": " + message);
}

// Thrown inside a transaction body to leave with an Error (rolled back).
struct Abort {
  Error error;
};
// Thrown inside a transaction body that lost a race with another writer: the
// transaction is rolled back and run again, and then sees the winner's rows.
struct RunAgain {};

// ---- the backend ------------------------------------------------------------------

class PostgresStore final : public Store, public WorkQueue {
 public:
  PostgresStore(std::string url, StoreOptions options)
      : url_(std::move(url)), label_(pg::redact(url_)), options_(options) {}

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
  WorkQueue& work_queue() override { return *this; }

  Status register_worker(const WorkerInfo& worker) override;
  Result<std::vector<HostLease>> claim_hosts(const WorkerInfo& worker, std::chrono::seconds lease_duration,
                                             std::size_t max_hosts) override;
  Result<std::vector<HostLease>> renew_leases(const WorkerInfo& worker, std::chrono::seconds lease_duration) override;
  Status release_leases(const WorkerInfo& worker, const std::vector<HostRelease>& hosts) override;
  Result<std::int64_t> enqueue_article_fetches(const std::vector<ArticleFetch>& fetches, Timestamp now) override;
  Result<std::vector<ArticleFetch>> claim_article_fetches(const WorkerInfo& worker, std::size_t max,
                                                          std::chrono::seconds claim_duration) override;
  Status complete_article_fetch(const WorkerInfo& worker, model::Id fetch_id, FetchOutcome outcome,
                                const std::string& error, std::chrono::seconds retry_after) override;
  Result<std::vector<WorkerStatus>> list_workers(std::chrono::seconds window, bool include_dead) override;
  Result<WorkQueueStats> work_queue_stats() override;
  Result<bool> try_lock_job(const std::string& name) override;
  Status unlock_job(const std::string& name) override;

 private:
  enum class Retry { kSafe, kNotAfterCommit };

  // Runs `body` in one transaction (READ COMMITTED unless `setup` says
  // otherwise), reconnecting with backoff after a lost connection and running
  // the body again after deadlocks; commits; maps every exception to an Error.
  template <class T, class Body>
  Result<T> transact(std::string_view what, Retry retry, Body&& body, const char* setup = nullptr);

  Status connect_locked(std::string_view what);
  std::string context(std::string_view what) const { return store_context(label_, what); }

  Status migrate(pqxx::work& tx);
  static void merge_duplicates(pqxx::work& tx);  // schema 8: identity::plan_merges() applied
  Result<model::Id> add_or_upsert_source(const SourceSpec& spec, bool upsert);
  void append_article_tx(pqxx::work& tx, const model::ArticleRecord& article,
                         const std::vector<model::ExtractedEvent>& events, Timestamp now, std::chrono::days window,
                         AppendResult& result);
  void append_events_tx(pqxx::work& tx, model::Id article_id, bool article_is_new,
                        const std::vector<model::ExtractedEvent>& events,
                        const std::optional<PreciseTime>& published_at, Timestamp fetched_at, Timestamp now,
                        std::chrono::days window, AppendResult& result);
  static void lock_clusters(pqxx::work& tx, const std::vector<const model::ExtractedEvent*>& events);
  Timestamp store_now(pqxx::work& tx, Timestamp requested);
  void count_stored(pqxx::work& tx, std::int64_t articles);
  std::vector<HostLease> describe_leases(pqxx::work& tx, const pqxx::result& leased, Timestamp now);

  static constexpr auto kReconnectBudget = std::chrono::seconds(60);
  static constexpr int kMaxRetries = 8;

  std::mutex mutex_;
  std::string url_;
  std::string label_;
  StoreOptions options_;
  std::unique_ptr<pqxx::connection> connection_;
  std::string worker_;  // set by register_worker(): appends count toward it
};

Status PostgresStore::connect_locked(std::string_view what) {
  if (connection_ && connection_->is_open()) return {};
  connection_.reset();
  try {
    auto connection = std::make_unique<pqxx::connection>(url_);
    // Waiting on a row lock longer than the busy timeout fails as kStoreBusy.
    pqxx::nontransaction setup(*connection);
    setup.exec("SET lock_timeout = " + std::to_string(options_.busy_timeout.count()));
    setup.exec("SET client_min_messages = warning");
    if (options_.read_only) setup.exec("SET default_transaction_read_only = on");
    setup.commit();
    connection_ = std::move(connection);
    return {};
  } catch (const pqxx::broken_connection& e) {
    std::string message = e.what();
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return fail(ErrorCode::kStore, context(what) + ": cannot connect: " + pg::redact(message));
  } catch (const std::exception& e) {
    return fail(ErrorCode::kStore, context(what) + ": cannot connect: " + pg::redact(e.what()));
  }
}

template <class T, class Body>
Result<T> PostgresStore::transact(std::string_view what, Retry retry, Body&& body, const char* setup) {
  const auto deadline = std::chrono::steady_clock::now() + kReconnectBudget;
  auto backoff = std::chrono::milliseconds(100);
  int conflicts = 0;
  const auto wait_or_give_up = [&](const Error& error) -> std::optional<Error> {
    if (std::chrono::steady_clock::now() + backoff > deadline) return error;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    return std::nullopt;
  };
  while (true) {
    if (auto connected = connect_locked(what); !connected) {
      if (auto given_up = wait_or_give_up(connected.error())) return std::unexpected(*given_up);
      continue;
    }
    bool committing = false;
    try {
      pqxx::work tx(*connection_);
      if (setup != nullptr) tx.exec(setup);
      if constexpr (std::is_void_v<T>) {
        body(tx);
        committing = true;
        tx.commit();
        return {};
      } else {
        T value = body(tx);
        committing = true;
        tx.commit();
        return value;
      }
    } catch (const Abort& abort) {
      return std::unexpected(abort.error);
    } catch (const RunAgain&) {
      if (++conflicts > kMaxRetries) {
        return fail(ErrorCode::kStoreBusy, context(what) + ": kept losing races with other writers");
      }
      continue;
    } catch (const pqxx::in_doubt_error& e) {
      connection_.reset();
      if (retry == Retry::kNotAfterCommit) {
        return fail(ErrorCode::kStore, context(what) +
                                           ": the connection was lost while committing; the change may "
                                           "or may not have been applied");
      }
      if (auto given_up = wait_or_give_up(Error(ErrorCode::kStore, context(what) + ": " + e.what()))) {
        return std::unexpected(*given_up);
      }
    } catch (const pqxx::broken_connection& e) {
      connection_.reset();
      if (committing && retry == Retry::kNotAfterCommit) {
        return fail(ErrorCode::kStore, context(what) +
                                           ": the connection was lost while committing; the change may "
                                           "or may not have been applied");
      }
      if (auto given_up =
              wait_or_give_up(Error(ErrorCode::kStore, context(what) + ": connection lost: " + pg::redact(e.what())))) {
        return std::unexpected(*given_up);
      }
    } catch (const pqxx::sql_error& e) {
      if (is_retryable(e) && ++conflicts <= kMaxRetries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * conflicts));
        continue;
      }
      return std::unexpected(map_sql_error(context(what), e));
    } catch (const std::bad_alloc&) {
      return fail(ErrorCode::kStore, context(what) + ": out of memory");
    } catch (const std::exception& e) {
      // A query on a connection the server closed can surface as a plain
      // failure; a closed connection is handled as a lost one.
      if (connection_ && !connection_->is_open()) {
        connection_.reset();
        if (!(committing && retry == Retry::kNotAfterCommit)) {
          if (auto given_up = wait_or_give_up(Error(ErrorCode::kStore, context(what) + ": " + e.what()))) {
            return std::unexpected(*given_up);
          }
          continue;
        }
      }
      return fail(ErrorCode::kStore, context(what) + ": " + e.what());
    }
  }
}

// ---- opening and migrating --------------------------------------------------------

Status PostgresStore::initialize() {
  std::lock_guard lock(mutex_);
  if (auto connected = connect_locked("open"); !connected) return connected;
  return transact<void>("open", Retry::kSafe, [&](pqxx::work& tx) {
    if (auto migrated = migrate(tx); !migrated) throw Abort{migrated.error()};
  });
}

Status PostgresStore::migrate(pqxx::work& tx) {
  // One migrator at a time across every machine; the lock ends with the transaction.
  tx.exec("SELECT pg_advisory_xact_lock(hashtextextended('banwatch:schema', 0))");
  const bool has_version_table = tx.exec("SELECT to_regclass('banwatch_schema') IS NOT NULL")[0][0].as<bool>();
  int version = 0;
  if (has_version_table) {
    auto row = tx.exec("SELECT COALESCE(max(version), 0) FROM banwatch_schema");
    version = row[0][0].as<int>();
  } else {
    const auto tables = tx.exec(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_name IN ('sources', 'articles', 'events', 'mentions', 'runs', 'digests')");
    if (tables[0][0].as<int>() > 0) {
      return fail(ErrorCode::kStore, context("the schema holds tables of another application, not a banwatch store"));
    }
  }
  const int latest = postgres_schema_version();
  if (auto known = check_not_newer(label_, version, latest); !known) return known;
  if (version == latest) return {};
  if (version == 0 && !options_.create) {
    return fail(ErrorCode::kNotFound, context("no banwatch store here (create it with `banwatch init`)"));
  }
  if (auto writable = check_writable_for_migration(label_, version, latest, options_.read_only); !writable) {
    return writable;
  }
  tx.exec(
      "CREATE TABLE IF NOT EXISTS banwatch_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
      " applied_at BIGINT NOT NULL)");
  for (const Migration& migration : postgres_migrations()) {
    if (migration.version <= version) continue;
    tx.exec(migration.sql);
    if (migration.version == 8) merge_duplicates(tx);
    pg::exec(tx, "INSERT INTO banwatch_schema (version, name, applied_at) VALUES ($1, $2, $3)",
             Args().integer(migration.version).text(migration.name).time(system_now()));
  }
  return {};
}

// Schema 8 (SQLite's 5): the events older identity rules kept apart and the
// present ones join (identity::plan_merges(), at the default cluster window)
// become one: their mentions move to the earliest, links to a merged event
// point to the event it joined, and the merged rows go, with the append-only
// triggers off only for this, inside the migration's transaction.
void PostgresStore::merge_duplicates(pqxx::work& tx) {
  // One case (timeline key) at a time, as the SQLite backend does.
  identity::MergePlanner planner(std::chrono::duration_cast<seconds>(AppendOptions{}.cluster_window).count());
  for (const auto& row : tx.exec(identity::kEventsByCaseSql)) planner.add(to_int(row[8]), read_candidate(row));
  const std::vector<std::pair<model::Id, model::Id>> merges = planner.finish();
  if (merges.empty()) return;
  std::vector<std::string> from, into;
  for (const auto& [merged, joined] : merges) {
    from.push_back(std::to_string(merged));
    into.push_back(std::to_string(joined));
  }
  tx.exec("CREATE TEMP TABLE merged_events (id BIGINT PRIMARY KEY, into_id BIGINT NOT NULL) ON COMMIT DROP");
  pg::exec(tx, "INSERT INTO merged_events SELECT * FROM unnest($1::bigint[], $2::bigint[])",
           Args().text_array(from).text_array(into));
  tx.exec(
      "ALTER TABLE events DISABLE TRIGGER events_append_only;"
      "ALTER TABLE mentions DISABLE TRIGGER mentions_append_only;"
      "UPDATE mentions SET event_id = m.into_id FROM merged_events m WHERE m.id = mentions.event_id;"
      // A link to a merged event now points to the event it joined; when
      // that one has the same status, it is no status change and goes.
      "UPDATE events SET previous_event_id = CASE WHEN p.status = events.status THEN NULL ELSE p.id END"
      "  FROM merged_events m JOIN events p ON p.id = m.into_id WHERE m.id = events.previous_event_id;"
      "DELETE FROM events WHERE id IN (SELECT id FROM merged_events);"
      "ALTER TABLE events ENABLE TRIGGER events_append_only;"
      "ALTER TABLE mentions ENABLE TRIGGER mentions_append_only;");
}

// ---- sources -----------------------------------------------------------------------

Result<model::Id> PostgresStore::add_or_upsert_source(const SourceSpec& spec, bool upsert) {
  if (auto valid = validate_spec(spec); !valid) return std::unexpected(valid.error());
  std::lock_guard lock(mutex_);
  return transact<model::Id>("source '" + spec.name + "'", Retry::kSafe, [&](pqxx::work& tx) -> model::Id {
    const std::string host = host_of(spec.url);
    auto existing =
        pg::exec(tx, "SELECT id, removed_at FROM sources WHERE name = $1 FOR UPDATE", Args().text(spec.name));
    model::Id id = 0;
    if (!existing.empty()) {
      id = to_int(existing[0][0]);
      const bool removed = !existing[0][1].is_null();
      if (!removed && !upsert)
        throw Abort{Error(ErrorCode::kAlreadyExists, "source '" + spec.name + "' already exists")};
      Args update;
      add_source_fields(update, spec, host).integer(id);
      pg::exec(tx,
               "UPDATE sources SET url = $1, host = $2, kind = $3, interval_s = $4, tags = $5, enabled = $6,"
               " article_policy = $7, removed_at = NULL WHERE id = $8",
               update);
      if (removed) pg::exec(tx, "DELETE FROM source_state WHERE source_id = $1", Args().integer(id));
    } else {
      // ON CONFLICT: another machine may add the same name at the same moment.
      Args insert;
      add_source_fields(insert.text(spec.name), spec, host).time(system_now());
      auto inserted =
          pg::exec(tx,
                   "INSERT INTO sources (name, url, host, kind, interval_s, tags, enabled, article_policy, created_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name) DO NOTHING RETURNING id",
                   insert);
      if (inserted.empty()) {
        // Lost the race: run the whole call again, which now sees the row.
        throw RunAgain{};
      }
      id = to_int(inserted[0][0]);
    }
    pg::exec(tx, "INSERT INTO source_state (source_id) VALUES ($1) ON CONFLICT (source_id) DO NOTHING",
             Args().integer(id));
    if (!host.empty()) {
      pg::exec(tx, "INSERT INTO hosts (host) VALUES ($1) ON CONFLICT DO NOTHING", Args().text(host));
    }
    return id;
  });
}

Result<model::Id> PostgresStore::add_source(const SourceSpec& spec) { return add_or_upsert_source(spec, false); }

Status PostgresStore::upsert_source(const SourceSpec& spec) {
  auto added = add_or_upsert_source(spec, true);
  if (!added) return std::unexpected(added.error());
  return {};
}

Status PostgresStore::remove_source(const std::string& name) {
  std::lock_guard lock(mutex_);
  return transact<void>("remove source '" + name + "'", Retry::kSafe, [&](pqxx::work& tx) {
    auto updated = pg::exec(tx,
                            "UPDATE sources SET removed_at = $1, enabled = 0 WHERE name = $2 AND removed_at IS NULL"
                            " RETURNING id",
                            Args().time(system_now()).text(name));
    if (updated.empty()) throw Abort{Error(ErrorCode::kNotFound, "source '" + name + "' does not exist")};
  });
}

Result<std::vector<Source>> PostgresStore::list_sources() {
  std::lock_guard lock(mutex_);
  return transact<std::vector<Source>>("list sources", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows = tx.exec(std::string("SELECT ") + kSourceColumns +
                        " FROM sources s LEFT JOIN source_state st ON st.source_id = s.id"
                        " WHERE s.removed_at IS NULL ORDER BY s.name COLLATE \"C\"");
    std::vector<Source> sources;
    sources.reserve(rows.size());
    for (const auto& row : rows) sources.push_back(read_source(row));
    return sources;
  });
}

Result<std::vector<std::string>> PostgresStore::removed_source_names() {
  std::lock_guard lock(mutex_);
  return transact<std::vector<std::string>>("list removed sources", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows = tx.exec("SELECT name FROM sources WHERE removed_at IS NOT NULL ORDER BY name COLLATE \"C\"");
    std::vector<std::string> names;
    names.reserve(rows.size());
    for (const auto& row : rows) names.push_back(row[0].as<std::string>());
    return names;
  });
}

Result<Source> PostgresStore::get_source(const std::string& name) {
  std::lock_guard lock(mutex_);
  return transact<Source>("source '" + name + "'", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows = pg::exec(tx,
                         std::string("SELECT ") + kSourceColumns +
                             " FROM sources s LEFT JOIN source_state st ON st.source_id = s.id"
                             " WHERE s.name = $1 AND s.removed_at IS NULL",
                         Args().text(name));
    if (rows.empty()) throw Abort{Error(ErrorCode::kNotFound, "source '" + name + "' does not exist")};
    return read_source(rows[0]);
  });
}

Status PostgresStore::save_fetch_state(model::Id source_id, const FetchState& state) {
  std::lock_guard lock(mutex_);
  return transact<void>("save fetch state", Retry::kSafe, [&](pqxx::work& tx) {
    auto exists = pg::exec(tx, "SELECT 1 FROM sources WHERE id = $1", Args().integer(source_id));
    if (exists.empty()) {
      throw Abort{Error(ErrorCode::kNotFound, "source id " + std::to_string(source_id) + " does not exist")};
    }
    pg::exec(tx,
             "INSERT INTO source_state (source_id, etag, last_modified, next_due, last_fetch, last_success,"
             " last_change, consecutive_errors, last_status, last_error, current_interval_s)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
             " ON CONFLICT (source_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
             " next_due = excluded.next_due, last_fetch = excluded.last_fetch, last_success = excluded.last_success,"
             " last_change = excluded.last_change, consecutive_errors = excluded.consecutive_errors,"
             " last_status = excluded.last_status, last_error = excluded.last_error,"
             " current_interval_s = excluded.current_interval_s",
             Args()
                 .integer(source_id)
                 .text(state.etag)
                 .text(state.last_modified)
                 .time(state.next_due)
                 .time(state.last_fetch)
                 .time(state.last_success)
                 .time(state.last_change)
                 .integer(state.consecutive_errors)
                 .integer(state.last_status)
                 .text(state.last_error)
                 .integer(state.current_interval.count()));
  });
}

// ---- articles, events, mentions -----------------------------------------------------

Result<std::optional<model::Id>> PostgresStore::find_article(const std::string& canonical_url) {
  std::lock_guard lock(mutex_);
  return transact<std::optional<model::Id>>("find article", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows = pg::exec(tx, "SELECT id FROM articles WHERE canonical_url = $1", Args().text(canonical_url));
    if (rows.empty()) return std::optional<model::Id>();
    return std::optional<model::Id>(to_int(rows[0][0]));
  });
}

Result<bool> PostgresStore::has_item(const std::string& item_id) {
  if (item_id.empty()) return false;
  std::lock_guard lock(mutex_);
  return transact<bool>("find item", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows =
        pg::exec(tx, "SELECT 1 FROM articles WHERE item_id = $1 AND item_id <> '' LIMIT 1", Args().text(item_id));
    return !rows.empty();
  });
}

void PostgresStore::lock_clusters(pqxx::work& tx, const std::vector<const model::ExtractedEvent*>& events) {
  // Taken in one sorted order by every appender, so appenders never deadlock on them.
  std::set<std::string> keys;
  for (const model::ExtractedEvent* event : events) keys.insert(cluster_lock_key(*event));
  if (keys.empty()) return;
  std::vector<std::string> sorted(keys.begin(), keys.end());
  pg::exec(tx,
           "SELECT pg_advisory_xact_lock(hashtextextended(k, 7)) FROM unnest($1::text[]) AS k"
           " ORDER BY hashtextextended(k, 7)",
           Args().text_array(sorted));
}

void PostgresStore::append_article_tx(pqxx::work& tx, const model::ArticleRecord& article,
                                      const std::vector<model::ExtractedEvent>& events, Timestamp now,
                                      std::chrono::days window, AppendResult& result) {
  if (article.canonical_url.empty()) {
    throw Abort{Error(ErrorCode::kInvalidArgument, "article '" + article.url + "' has no canonical URL")};
  }
  for (const model::ExtractedEvent& event : events) {
    if (auto valid = validate_event(event); !valid) {
      throw Abort{valid.error().with_context("article '" + article.canonical_url + "'")};
    }
  }
  std::optional<PreciseTime> published_at = article.published_at;
  Args insert_args;
  insert_args.integer(article.source_id)
      .text(article.url)
      .text(article.canonical_url)
      .text(article.item_id)
      .text(article.title);
  add_article_content(insert_args, article);
  // A concurrent insert of the same URL makes this one wait, then do nothing.
  auto inserted =
      pg::exec(tx,
               "INSERT INTO articles (source_id, url, canonical_url, item_id, title, published_at, published_precision,"
               " fetched_at, language, site_name, authors, description, text, content_hash, feed_only)"
               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
               " ON CONFLICT (canonical_url) DO NOTHING RETURNING id",
               insert_args);
  if (!inserted.empty()) {
    result.article_id = to_int(inserted[0][0]);
    result.article_inserted = true;
  } else {
    // The row lock serializes appends of one article across workers.
    auto existing = pg::exec(tx,
                             "SELECT id, feed_only, content_hash, published_at, published_precision FROM articles"
                             " WHERE canonical_url = $1 FOR UPDATE",
                             Args().text(article.canonical_url));
    if (existing.empty()) throw RunAgain{};
    result.article_id = to_int(existing[0][0]);
    if (!published_at) published_at = optional_precise(existing[0][3], existing[0][4]);
    const bool existing_feed_only = to_int(existing[0][1]) != 0;
    const std::string existing_hash = to_text(existing[0][2]);
    if (replaces_text(existing_feed_only, existing_hash, article)) {
      Args update;
      update.text(article.url).text(article.title);
      add_article_content(update, article);
      update.text(article.item_id).integer(article.source_id).integer(result.article_id);
      // The version replaced, by hash (schema 8's article_versions).
      pg::exec(tx,
               "INSERT INTO article_versions (article_id, content_hash, fetched_at, feed_only, replaced_at)"
               " SELECT id, content_hash, fetched_at, feed_only, $2 FROM articles WHERE id = $1",
               Args().integer(result.article_id).time(now));
      pg::exec(tx,
               "UPDATE articles SET url = $1, title = $2, published_at = COALESCE($3, published_at),"
               " published_precision = CASE WHEN $3::bigint IS NULL THEN published_precision ELSE $4 END,"
               " fetched_at = $5, language = $6, site_name = $7, authors = $8, description = $9, text = $10,"
               " content_hash = $11, feed_only = $12,"
               " item_id = CASE WHEN item_id = '' THEN $13 ELSE item_id END,"
               " source_id = COALESCE(source_id, $14) WHERE id = $15",
               update);
    }
  }
  append_events_tx(tx, result.article_id, result.article_inserted, events, published_at,
                   article.fetched_at != Timestamp{} ? article.fetched_at : now, now, window, result);
}

void PostgresStore::append_events_tx(pqxx::work& tx, model::Id article_id, bool article_is_new,
                                     const std::vector<model::ExtractedEvent>& events,
                                     const std::optional<PreciseTime>& published_at, Timestamp fetched_at,
                                     Timestamp now, std::chrono::days window, AppendResult& result) {
  const std::int64_t window_s = std::chrono::duration_cast<seconds>(window).count();
  std::vector<std::int64_t> keys_in_call;
  std::string scratch;
  std::vector<std::string> keys;
  for (const model::ExtractedEvent& event : events) {
    if (auto valid = validate_event(event); !valid) throw Abort{valid.error()};
    keys.push_back(std::to_string(timeline_key(event, scratch)));
  }
  // The whole cases of the article's reports in one round trip (the
  // advisory locks of lock_clusters() keep them still), kept up to date with
  // the events this call creates: identity::decide() takes any history that
  // holds the range kHistorySql reads.
  std::unordered_map<std::int64_t, std::vector<identity::Candidate>> cases;
  if (!keys.empty()) {
    for (const auto& row : pg::exec(tx, identity::kCasesOfKeysPostgresSql, Args().text_array(keys))) {
      cases[to_int(row[8])].push_back(read_candidate(row));
    }
  }
  // Dated reports first: an undated headline joins the event its dated body
  // states (identity::append_order()).
  for (const std::size_t index : identity::append_order(events)) {
    const model::ExtractedEvent& original = events[index];
    model::ExtractedEvent cleaned;
    const bool clean = pg::needs_cleaning(original.evidence);
    if (clean) {
      cleaned = original;
      cleaned.evidence = pg::clean_text(original.evidence);
    }
    const model::ExtractedEvent& event = clean ? cleaned : original;
    // The mention key: one rule's sentence may state several events. It
    // decides before any event is created, so a repeated append neither
    // adds a mention nor leaves an event without one.
    const std::int64_t key = mention_key(event, scratch);
    if (std::find(keys_in_call.begin(), keys_in_call.end(), key) != keys_in_call.end()) continue;
    keys_in_call.push_back(key);
    if (!article_is_new) {
      auto exists = pg::exec(tx, "SELECT 1 FROM mentions WHERE article_id = $1 AND mention_key = $2",
                             Args().integer(article_id).integer(key));
      if (!exists.empty()) continue;
    }
    // The history read as the SQLite backend reads it; identity::decide()
    // decides for both. The caller holds the case's advisory lock
    // (lock_clusters), so no other appender changes this history meanwhile.
    const identity::Period when = identity::anchor(event.event_date, published_at, fetched_at);
    const std::int64_t timeline = timeline_key(event, scratch);
    const identity::Report report{scratch, event.status, event.event_date.has_value(), when};
    std::vector<identity::Candidate>& history = cases[timeline];
    const identity::Decision decision = identity::decide(report, history, window_s);
    const std::string evidence_hash = sha256_hex(event.evidence);
    Args mention;
    mention.integer(article_id)
        .text(event.rule_id)
        .text(event.rule_pack_version)
        .text(event.evidence)
        .text(evidence_hash)
        .real(event.confidence)
        .time(now)
        .integer(key);
    if (decision.join != 0) {
      mention.integer(decision.join);
      auto inserted = pg::exec(tx,
                               "INSERT INTO mentions (article_id, rule_id, rule_pack_version, evidence, evidence_hash,"
                               " confidence, extracted_at, mention_key, event_id)"
                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                               " ON CONFLICT (article_id, mention_key) DO NOTHING RETURNING id",
                               mention);
      if (!inserted.empty()) ++result.mentions_appended;
      continue;
    }
    // A new event and its first mention in one round trip.
    mention.text(event.vendor).text(event.actor).text(event.actor_type).text(event.action).text(event.status);
    mention.text(event.scope);
    if (event.event_date) {
      mention.integer(when.start).text(precision_name(event.event_date->precision)).integer(when.end);
    } else {
      mention.null().null().null();
    }
    mention.integer(decision.previous != 0 ? std::optional<std::int64_t>(decision.previous) : std::nullopt)
        .integer(timeline)
        .integer(when.start)
        .integer(when.end);
    auto inserted = pg::exec(
        tx,
        "WITH e AS (INSERT INTO events (vendor, actor, actor_type, action, status, scope, event_date,"
        " event_date_precision, event_date_end, first_seen_at, confidence, previous_event_id, timeline_key,"
        " anchor_at, anchor_end) VALUES ($9, $10, $11, $12, $13, $14, $15, $16, $17, $7, $6, $18, $19, $20, $21)"
        " RETURNING id)"
        " INSERT INTO mentions (article_id, rule_id, rule_pack_version, evidence, evidence_hash,"
        " confidence, extracted_at, mention_key, event_id)"
        " SELECT $1, $2, $3, $4, $5, $6, $7, $8, e.id FROM e RETURNING event_id",
        mention);
    ++result.events_appended;
    if (!inserted.empty()) {
      ++result.mentions_appended;
      identity::Candidate& created = history.emplace_back();
      created.id = to_int(inserted[0][0]);
      created.vendor = event.vendor;
      created.actor = event.actor;
      created.action = event.action;
      created.status = event.status;
      created.dated = event.event_date.has_value();
      created.when = when;
    }
  }
}

Result<AppendResult> PostgresStore::append_article(const model::ArticleRecord& article,
                                                   const std::vector<model::ExtractedEvent>& events,
                                                   const AppendOptions& options) {
  std::lock_guard lock(mutex_);
  return transact<AppendResult>("append article '" + article.canonical_url + "'", Retry::kSafe, [&](pqxx::work& tx) {
    std::vector<const model::ExtractedEvent*> all;
    for (const auto& event : events) all.push_back(&event);
    lock_clusters(tx, all);
    AppendResult result;
    append_article_tx(tx, article, events, effective_now(options, &article), options.cluster_window, result);
    count_stored(tx, result.article_inserted ? 1 : 0);
    return result;
  });
}

Result<std::vector<AppendResult>> PostgresStore::append_batch(const std::vector<ArticleWithEvents>& batch,
                                                              const AppendOptions& options) {
  std::lock_guard lock(mutex_);
  return transact<std::vector<AppendResult>>("append batch", Retry::kSafe, [&](pqxx::work& tx) {
    std::vector<const model::ExtractedEvent*> all;
    for (const auto& entry : batch) {
      for (const auto& event : entry.events) all.push_back(&event);
    }
    lock_clusters(tx, all);
    std::vector<AppendResult> results;
    results.reserve(batch.size());
    for (const ArticleWithEvents& entry : batch) {
      AppendResult result;
      append_article_tx(tx, entry.article, entry.events, effective_now(options, &entry.article), options.cluster_window,
                        result);
      results.push_back(result);
    }
    std::int64_t inserted = 0;
    for (const AppendResult& result : results) inserted += result.article_inserted ? 1 : 0;
    count_stored(tx, inserted);
    return results;
  });
}

Result<AppendResult> PostgresStore::append_events(model::Id article_id,
                                                  const std::vector<model::ExtractedEvent>& events,
                                                  const AppendOptions& options) {
  std::lock_guard lock(mutex_);
  return transact<AppendResult>(
      "append events of article " + std::to_string(article_id), Retry::kSafe, [&](pqxx::work& tx) {
        std::vector<const model::ExtractedEvent*> all;
        for (const auto& event : events) all.push_back(&event);
        lock_clusters(tx, all);
        auto exists = pg::exec(tx,
                               "SELECT published_at, published_precision, fetched_at FROM articles WHERE id = $1"
                               " FOR UPDATE",
                               Args().integer(article_id));
        if (exists.empty()) {
          throw Abort{Error(ErrorCode::kNotFound, "article id " + std::to_string(article_id) + " does not exist")};
        }
        AppendResult result;
        result.article_id = article_id;
        append_events_tx(tx, article_id, false, events, optional_precise(exists[0][0], exists[0][1]),
                         Timestamp(seconds(to_int(exists[0][2]))), effective_now(options, nullptr),
                         options.cluster_window, result);
        return result;
      });
}

Status PostgresStore::for_each_article(const ArticleFilter& filter,
                                       const std::function<bool(const model::ArticleRecord&)>& visit) {
  // Keyset pagination: each page is one short transaction under the lock,
  // visited without it, so `visit` may call the store.
  constexpr std::size_t kPageSize = 128;
  std::string sql = "SELECT " + article_columns() + " FROM articles a";
  int parameter = 1;
  if (filter.source_name) {
    sql += " JOIN sources s ON s.id = a.source_id AND s.name = $" + std::to_string(parameter++);
  }
  sql += " WHERE a.id > $" + std::to_string(parameter++);
  if (filter.since) sql += " AND a.fetched_at >= $" + std::to_string(parameter++);
  if (!filter.urls.empty()) {
    const std::string urls = "$" + std::to_string(parameter++) + "::text[]";
    sql += " AND (a.url = ANY(" + urls + ") OR a.canonical_url = ANY(" + urls + "))";
  }
  sql += " ORDER BY a.id LIMIT " + std::to_string(kPageSize);

  const auto read_page = [&](model::Id after, std::vector<model::ArticleRecord>& page) -> Status {
    std::lock_guard lock(mutex_);
    auto read = transact<std::vector<model::ArticleRecord>>("read articles", Retry::kSafe, [&](pqxx::work& tx) {
      Args args;
      if (filter.source_name) args.text(*filter.source_name);
      args.integer(after);
      if (filter.since) args.time(*filter.since);
      if (!filter.urls.empty()) args.text_array(filter.urls);
      auto rows = pg::exec(tx, sql, args);
      std::vector<model::ArticleRecord> records;
      records.reserve(rows.size());
      for (const auto& row : rows) records.push_back(read_article(row));
      return records;
    });
    if (!read) return std::unexpected(read.error());
    page = std::move(*read);
    return {};
  };
  return walk_article_pages(kPageSize, read_page, visit);
}

Result<model::ArticleRecord> PostgresStore::get_article(model::Id article_id) {
  std::lock_guard lock(mutex_);
  return transact<model::ArticleRecord>("article " + std::to_string(article_id), Retry::kSafe, [&](pqxx::work& tx) {
    auto rows =
        pg::exec(tx, "SELECT " + article_columns() + " FROM articles a WHERE a.id = $1", Args().integer(article_id));
    if (rows.empty())
      throw Abort{Error(ErrorCode::kNotFound, "article " + std::to_string(article_id) + " does not exist")};
    return read_article(rows[0]);
  });
}

Result<std::vector<EventWithMentions>> PostgresStore::query_events(const EventQuery& query) {
  std::string where = " WHERE true";
  Args args;
  int parameter = 1;
  const auto next = [&]() { return "$" + std::to_string(parameter++); };
  const char* time_column = query.by_event_date ? "event_date" : "first_seen_at";
  if (query.since) {
    where += std::string(" AND ") + time_column + " >= " + next();
    args.time(*query.since);
  }
  if (query.until) {
    where += std::string(" AND ") + time_column + " < " + next();
    args.time(*query.until);
  }
  if (query.after_event_id) {
    where += " AND id > " + next();
    args.integer(*query.after_event_id);
  }
  if (query.before_event_id) {
    where += " AND id < " + next();
    args.integer(*query.before_event_id);
  }
  const auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    where += std::string(" AND ") + column + " = ANY(" + next() + "::text[])";
    args.text_array(values);
  };
  in_list("vendor", query.vendors);
  in_list("actor", query.actors);
  in_list("action", query.actions);
  in_list("status", query.statuses);
  if (!query.ids.empty()) {
    std::vector<std::string> ids;
    for (model::Id id : query.ids) ids.push_back(std::to_string(id));
    where += " AND id = ANY(" + next() + "::bigint[])";
    args.text_array(ids);
  }
  if (!query.article_ids.empty()) {
    std::vector<std::string> ids;
    for (model::Id id : query.article_ids) ids.push_back(std::to_string(id));
    where += " AND id IN (SELECT event_id FROM mentions WHERE article_id = ANY(" + next() + "::bigint[]))";
    args.text_array(ids);
  }
  if (query.case_of) {
    where += " AND timeline_key = (SELECT timeline_key FROM events WHERE id = " + next() + ")";
    args.integer(*query.case_of);
  }
  if (query.with_mentions_after_id) {
    where += " AND id IN (SELECT event_id FROM mentions WHERE id > " + next() + ")";
    args.integer(*query.with_mentions_after_id);
  }
  if (query.cited_since || query.cited_until) {
    where += " AND id IN (SELECT event_id FROM mentions WHERE extracted_at >= " + next() + " AND extracted_at < " +
             next() + ")";
    args.integer(query.cited_since ? query.cited_since->time_since_epoch().count()
                                   : std::numeric_limits<std::int64_t>::min());
    args.integer(query.cited_until ? query.cited_until->time_since_epoch().count()
                                   : std::numeric_limits<std::int64_t>::max());
  }
  const char* order = query.newest_first ? " DESC" : "";
  std::string sql = kSelectedEventsSql + where + " ORDER BY id" + order;
  if (query.limit > 0) sql += " LIMIT " + std::to_string(query.limit);
  sql += kEventsWithMentionsSql;
  sql += " ORDER BY e.id" + std::string(order) + ", m.id";

  std::lock_guard lock(mutex_);
  return transact<std::vector<EventWithMentions>>("query events", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows = pg::exec(tx, sql, args);
    std::vector<EventWithMentions> results;
    std::vector<std::string> keys;  // the timeline keys of the events, for with_timeline
    for (const auto& row : rows) {
      const model::Id event_id = to_int(row[0]);
      if (results.empty() || results.back().event.id != event_id) {
        EventWithMentions& entry = results.emplace_back();
        model::Event& event = entry.event;
        event.id = event_id;
        event.vendor = to_text(row[1]);
        if (query.with_timeline) keys.push_back(std::to_string(to_int(row[23])));
        event.actor = to_text(row[2]);
        event.actor_type = to_text(row[3]);
        event.action = to_text(row[4]);
        event.status = to_text(row[5]);
        event.scope = to_text(row[6]);
        event.event_date = optional_precise(row[7], row[8]);
        event.first_seen_at = to_time(row[9]);
        event.confidence = row[10].as<double>();
        event.previous_event_id = to_optional_int(row[11]);
      }
      if (row[12].is_null()) continue;
      model::Mention& mention = results.back().mentions.emplace_back();
      mention.id = to_int(row[12]);
      mention.event_id = event_id;
      mention.article_id = to_int(row[13]);
      mention.evidence = to_text(row[14]);
      mention.rule_id = to_text(row[15]);
      mention.rule_pack_version = to_text(row[16]);
      mention.extracted_at = to_time(row[17]);
      mention.article_url = to_text(row[18]);
      mention.article_title = to_text(row[19]);
      mention.source_name = to_text(row[20]);
      mention.article_published_at = optional_precise(row[21], row[22]);
    }
    if (query.with_timeline && !results.empty()) {
      // The cases of several events among those found, read whole
      // (identity::apply_timeline()).
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      std::vector<std::pair<std::int64_t, identity::Candidate>> cases;
      for (const auto& row : pg::exec(tx, identity::kCasesPostgresSql, Args().text_array(keys))) {
        cases.emplace_back(to_int(row[8]), read_candidate(row));
      }
      identity::apply_timeline(results, cases);
    }
    return results;
  });
}

Result<std::vector<SearchHit>> PostgresStore::search(const std::string& query, std::optional<Timestamp> since,
                                                     std::size_t limit) {
  bool has_word = false;
  for (unsigned char c : query) {
    if (!std::isspace(c)) has_word = true;
  }
  if (!has_word) return fail(ErrorCode::kInvalidArgument, "the search query is empty");
  // websearch_to_tsquery accepts any text: words are ANDed, "quoted phrases",
  // OR and -exclusion work as in web search engines, and nothing is a syntax error.
  std::string sql =
      "SELECT a.id, a.url, a.title,"
      " ts_headline('simple', a.title || E'\\n' || left(a.text, 100000), q,"
      "   'StartSel=[, StopSel=], MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=...'),"
      " a.published_at, a.published_precision"
      " FROM articles a, websearch_to_tsquery('simple', $1) q"
      " WHERE a.search_vector @@ q";
  Args args;
  args.text(query);
  if (since) {
    sql += " AND COALESCE(a.published_at, a.fetched_at) >= $2";
    args.time(*since);
  }
  sql += " ORDER BY ts_rank_cd(a.search_vector, q) DESC, a.id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  std::lock_guard lock(mutex_);
  return transact<std::vector<SearchHit>>("search '" + query + "'", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows = pg::exec(tx, sql, args);
    std::vector<SearchHit> hits;
    hits.reserve(rows.size());
    for (const auto& row : rows) {
      SearchHit& hit = hits.emplace_back();
      hit.article_id = to_int(row[0]);
      hit.url = to_text(row[1]);
      hit.title = to_text(row[2]);
      hit.snippet = to_text(row[3]);
      hit.published_at = optional_precise(row[4], row[5]);
    }
    return hits;
  });
}

// ---- runs, digests, maintenance -----------------------------------------------------

Result<model::Id> PostgresStore::begin_run(const std::string& kind, Timestamp started_at) {
  std::lock_guard lock(mutex_);
  return transact<model::Id>("begin run", Retry::kNotAfterCommit, [&](pqxx::work& tx) {
    auto row = pg::exec(tx, "INSERT INTO runs (kind, started_at, outcome) VALUES ($1, $2, 'running') RETURNING id",
                        Args().text(kind).time(started_at));
    return to_int(row[0][0]);
  });
}

Status PostgresStore::finish_run(const Run& run) {
  std::lock_guard lock(mutex_);
  return transact<void>("finish run " + std::to_string(run.id), Retry::kSafe, [&](pqxx::work& tx) {
    auto updated = pg::exec(tx,
                            "UPDATE runs SET finished_at = $1, outcome = $2, fetched = $3, not_modified = $4,"
                            " failed = $5, articles_stored = $6, events_appended = $7, mentions_appended = $8,"
                            " message = $9 WHERE id = $10 RETURNING id",
                            Args()
                                .time(run.finished_at ? *run.finished_at : system_now())
                                .text(run.outcome.empty() ? std::string("ok") : run.outcome)
                                .integer(run.fetched)
                                .integer(run.not_modified)
                                .integer(run.failed)
                                .integer(run.articles_stored)
                                .integer(run.events_appended)
                                .integer(run.mentions_appended)
                                .text(run.message)
                                .integer(run.id));
    if (updated.empty()) throw Abort{Error(ErrorCode::kNotFound, "run " + std::to_string(run.id) + " does not exist")};
  });
}

Result<std::optional<Run>> PostgresStore::last_run(const std::string& kind, bool successful_only) {
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE ($1 = '' OR kind = $1)";
  if (successful_only) sql += " AND outcome IN ('ok', 'partial')";
  sql += " ORDER BY started_at DESC, id DESC LIMIT 1";
  std::lock_guard lock(mutex_);
  return transact<std::optional<Run>>("last run", Retry::kSafe, [&](pqxx::work& tx) {
    auto rows = pg::exec(tx, sql, Args().text(kind));
    if (rows.empty()) return std::optional<Run>();
    return std::optional<Run>(read_run(rows[0]));
  });
}

Result<std::optional<DigestRecord>> PostgresStore::last_digest(const std::string& channel) {
  std::lock_guard lock(mutex_);
  return transact<std::optional<DigestRecord>>("last digest", Retry::kSafe, [&](pqxx::work& tx) {
    // The furthest cursor wins, so a digest recorded with an older cursor can
    // never make the next one send events twice.
    auto rows = pg::exec(tx,
                         "SELECT id, channel, created_at, up_to_event_id, up_to_mention_id, event_count, format"
                         " FROM digests WHERE ($1 = '' OR channel = $1)"
                         " ORDER BY up_to_event_id DESC, up_to_mention_id DESC, id DESC LIMIT 1",
                         Args().text(channel));
    if (rows.empty()) return std::optional<DigestRecord>();
    DigestRecord digest;
    digest.id = to_int(rows[0][0]);
    digest.channel = to_text(rows[0][1]);
    digest.created_at = to_time(rows[0][2]);
    digest.up_to_event_id = to_int(rows[0][3]);
    digest.up_to_mention_id = to_int(rows[0][4]);
    digest.event_count = static_cast<int>(to_int(rows[0][5]));
    digest.format = to_text(rows[0][6]);
    return std::optional<DigestRecord>(digest);
  });
}

Status PostgresStore::record_digest(const DigestRecord& digest) {
  std::lock_guard lock(mutex_);
  return transact<void>("record digest", Retry::kSafe, [&](pqxx::work& tx) {
    pg::exec(tx,
             "INSERT INTO digests (channel, created_at, up_to_event_id, up_to_mention_id, event_count, format)"
             " VALUES ($1, $2, $3, $4, $5, $6)",
             Args()
                 .text(digest.channel)
                 .time(digest.created_at == Timestamp{} ? system_now() : digest.created_at)
                 .integer(digest.up_to_event_id)
                 .integer(digest.up_to_mention_id)
                 .integer(digest.event_count)
                 .text(digest.format));
  });
}

Result<Stats> PostgresStore::stats() {
  std::lock_guard lock(mutex_);
  // One snapshot, so the figures agree with each other.
  return transact<Stats>(
      "stats", Retry::kSafe,
      [&](pqxx::work& tx) {
        Stats stats;
        auto counts = tx.exec(
            "SELECT (SELECT count(*) FROM sources WHERE removed_at IS NULL), (SELECT count(*) FROM articles),"
            " (SELECT count(*) FROM events), (SELECT count(*) FROM mentions), (SELECT count(*) FROM runs),"
            " (SELECT count(*) FROM digests), (SELECT COALESCE(max(version), 0) FROM banwatch_schema)");
        stats.sources = to_int(counts[0][0]);
        stats.articles = to_int(counts[0][1]);
        stats.events = to_int(counts[0][2]);
        stats.mentions = to_int(counts[0][3]);
        stats.runs = to_int(counts[0][4]);
        stats.digests = to_int(counts[0][5]);
        stats.schema_version = static_cast<int>(to_int(counts[0][6]));
        for (const auto& row : tx.exec(
                 "SELECT vendor, count(*) AS n FROM events GROUP BY vendor ORDER BY n DESC, vendor COLLATE \"C\"")) {
          stats.events_per_vendor.emplace_back(to_text(row[0]), to_int(row[1]));
        }
        auto run =
            tx.exec(std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY started_at DESC, id DESC LIMIT 1");
        if (!run.empty()) stats.last_run = read_run(run[0]);
        for (const auto& row : tx.exec(std::string("SELECT ") + kSourceColumns +
                                       " FROM sources s JOIN source_state st ON st.source_id = s.id"
                                       " WHERE s.removed_at IS NULL AND st.consecutive_errors > 0"
                                       " ORDER BY st.consecutive_errors DESC, s.name COLLATE \"C\"")) {
          stats.failing_sources.push_back(read_source(row));
        }
        return stats;
      },
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

Result<std::string> PostgresStore::integrity_check() {
  std::lock_guard lock(mutex_);
  return transact<std::string>(
      "integrity check", Retry::kSafe,
      [&](pqxx::work& tx) {
        // PostgreSQL checks pages and keys itself; what it cannot know is
        // banwatch's own invariants, checked here.
        std::vector<std::string> problems;
        const int version = tx.exec("SELECT COALESCE(max(version), 0) FROM banwatch_schema")[0][0].as<int>();
        if (version != postgres_schema_version()) {
          problems.push_back("schema version " + std::to_string(version) + ", expected " +
                             std::to_string(postgres_schema_version()));
        }
        auto triggers = tx.exec(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.oid IN ('events'::regclass, 'mentions'::regclass) AND NOT t.tgisinternal"
            " AND t.tgenabled <> 'D' AND t.tgname LIKE '%append_only%'");
        if (to_int(triggers[0][0]) != 4) {
          problems.push_back("append-only triggers: " + std::to_string(to_int(triggers[0][0])) +
                             " of 4 present and enabled");
        }
        const auto report = [&](const char* sql, const std::string& label) {
          const std::int64_t n = to_int(tx.exec(sql)[0][0]);
          if (n > 0) problems.push_back(label + ": " + std::to_string(n));
        };
        report("SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = e.id)",
               "events without any mention");
        report(
            "SELECT count(*) FROM mentions WHERE evidence_hash <> encode(sha256(convert_to(evidence, 'UTF8')), 'hex')",
            "mentions whose evidence_hash does not match their evidence");
        report("SELECT count(*) FROM events WHERE previous_event_id >= id",
               "events whose previous event is not earlier");
        report(
            "SELECT count(*) FROM events"
            " WHERE timeline_key <> banwatch_key(banwatch_identity(vendor) || E'\\n' || banwatch_identity(actor)"
            " || E'\\n' || banwatch_identity(action))",
            "events whose timeline_key does not match their vendor, actor and action");
        // A mention's subject is its event's in the identity spelling:
        // clustering joins only the same case and status.
        report(
            "SELECT count(*) FROM mentions m JOIN events e ON e.id = m.event_id"
            " WHERE m.mention_key <> banwatch_key(m.rule_id || E'\\n' || m.evidence || E'\\n'"
            " || banwatch_identity(e.vendor) || E'\\n' || banwatch_identity(e.actor) || E'\\n'"
            " || banwatch_identity(e.action) || E'\\n' || banwatch_identity(e.status))",
            "mentions whose mention_key does not match their rule, evidence and event");
        report(
            "SELECT count(*) FROM events WHERE event_date IS NOT NULL"
            " AND (anchor_at <> event_date OR anchor_end <> event_date_end)",
            "dated events anchored elsewhere than their date");
        report(
            "SELECT count(*) FROM sources s WHERE s.removed_at IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM source_state st WHERE st.source_id = s.id)",
            "sources without a fetch state row");
        report(
            "SELECT count(*) FROM hosts WHERE lease_owner IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM workers w WHERE w.name = hosts.lease_owner)",
            "host leases held by unregistered workers");
        if (problems.empty()) return std::string("ok");
        std::string text;
        for (const auto& problem : problems) {
          if (!text.empty()) text += '\n';
          text += problem;
        }
        return text;
      },
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

Status PostgresStore::backup_to(const std::string& path) {
  return fail(ErrorCode::kUnsupported,
              context("backup to '" + path +
                      "': back a PostgreSQL store up with PostgreSQL's own tools (pg_dump, or continuous archiving);"
                      " see docs/scale-out.md"));
}

// ---- work leasing ----------------------------------------------------------------------

Timestamp PostgresStore::store_now(pqxx::work& tx, Timestamp requested) {
  // Leases compare times written by many machines: the database's clock is
  // the one they share. Tests pass their own.
  if (requested != Timestamp{}) return requested;
  return to_time(tx.exec("SELECT floor(extract(epoch FROM clock_timestamp()))::bigint")[0][0]);
}

std::vector<HostLease> PostgresStore::describe_leases(pqxx::work& tx, const pqxx::result& leased, Timestamp now) {
  std::vector<HostLease> leases;
  std::vector<std::string> hosts;
  for (const auto& row : leased) {
    HostLease& lease = leases.emplace_back();
    lease.host = to_text(row[0]);
    lease.token = to_int(row[1]);
    lease.expires_at = to_time(row[2]);
    lease.last_request_at = to_optional_time(row[3]);
    hosts.push_back(lease.host);
  }
  if (hosts.empty()) return leases;
  std::sort(leases.begin(), leases.end(), [](const HostLease& a, const HostLease& b) { return a.host < b.host; });
  const auto find = [&](const std::string& host) -> HostLease* {
    auto it = std::lower_bound(leases.begin(), leases.end(), host,
                               [](const HostLease& lease, const std::string& h) { return lease.host < h; });
    return it != leases.end() && it->host == host ? &*it : nullptr;
  };
  for (const auto& row : pg::exec(tx,
                                  "SELECT s.host, s.id FROM sources s LEFT JOIN source_state st ON st.source_id = s.id"
                                  " WHERE s.host = ANY($1::text[]) AND s.removed_at IS NULL AND s.enabled = 1"
                                  " AND (st.next_due IS NULL OR st.next_due <= $2) ORDER BY s.id",
                                  Args().text_array(hosts).time(now))) {
    if (HostLease* lease = find(to_text(row[0]))) lease->due_source_ids.push_back(to_int(row[1]));
  }
  for (const auto& row : pg::exec(tx,
                                  "SELECT host, count(*) FROM article_fetches WHERE host = ANY($1::text[])"
                                  " AND state = 'queued' GROUP BY host",
                                  Args().text_array(hosts))) {
    if (HostLease* lease = find(to_text(row[0]))) lease->queued_fetches = to_int(row[1]);
  }
  return leases;
}

void PostgresStore::count_stored(pqxx::work& tx, std::int64_t articles) {
  if (worker_.empty() || articles == 0) return;
  pg::exec(tx,
           "INSERT INTO worker_activity (worker, minute, articles)"
           " VALUES ($1, floor(extract(epoch FROM clock_timestamp()) / 60)::bigint * 60, $2)"
           " ON CONFLICT (worker, minute) DO UPDATE SET articles = worker_activity.articles + excluded.articles",
           Args().text(worker_).integer(articles));
}

Status PostgresStore::register_worker(const WorkerInfo& worker) {
  if (worker.name.empty()) return fail(ErrorCode::kInvalidArgument, "a worker needs a name");
  std::lock_guard lock(mutex_);
  return transact<void>("register worker '" + worker.name + "'", Retry::kSafe, [&](pqxx::work& tx) {
    const Timestamp now = store_now(tx, worker.now);
    pg::exec(tx,
             "INSERT INTO workers (name, hostname, pid, started_at, last_seen) VALUES ($1, $2, $3, $4, $4)"
             " ON CONFLICT (name) DO UPDATE SET hostname = excluded.hostname, pid = excluded.pid,"
             " last_seen = excluded.last_seen,"
             " started_at = CASE WHEN workers.pid = excluded.pid AND workers.hostname = excluded.hostname"
             "   THEN workers.started_at ELSE excluded.started_at END",
             Args().text(worker.name).text(worker.hostname).integer(worker.pid).time(now));
    worker_ = worker.name;
  });
}

Result<std::vector<HostLease>> PostgresStore::claim_hosts(const WorkerInfo& worker, std::chrono::seconds lease_duration,
                                                          std::size_t max_hosts) {
  if (worker.name.empty()) return fail(ErrorCode::kInvalidArgument, "a worker needs a name");
  if (lease_duration.count() <= 0) return fail(ErrorCode::kInvalidArgument, "a lease needs a positive duration");
  std::lock_guard lock(mutex_);
  return transact<std::vector<HostLease>>("claim hosts for '" + worker.name + "'", Retry::kSafe, [&](pqxx::work& tx) {
    const Timestamp now = store_now(tx, worker.now);
    // A worker that claims is registered, whether or not it called register_worker().
    pg::exec(tx,
             "INSERT INTO workers (name, hostname, pid, started_at, last_seen) VALUES ($1, $2, $3, $4, $4)"
             " ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen",
             Args().text(worker.name).text(worker.hostname).integer(worker.pid).time(now));
    // Candidates: hosts free (never leased, released, or expired) or already
    // this worker's, with due work. SKIP LOCKED: a host another claimer is
    // looking at right now is left to it rather than waited for.
    auto leased = pg::exec(
        tx,
        "WITH candidates AS ("
        "  SELECT h.host FROM hosts h"
        "  WHERE (h.lease_owner IS NULL OR h.lease_expires <= $2 OR h.lease_owner = $1)"
        "    AND (EXISTS (SELECT 1 FROM sources s LEFT JOIN source_state st ON st.source_id = s.id"
        "                 WHERE s.host = h.host AND s.removed_at IS NULL AND s.enabled = 1"
        "                   AND (st.next_due IS NULL OR st.next_due <= $2))"
        "      OR EXISTS (SELECT 1 FROM article_fetches f WHERE f.host = h.host AND f.state = 'queued'"
        "                 AND f.not_before <= $2 AND (f.claimed_until IS NULL OR f.claimed_until <= $2)))"
        "  ORDER BY (h.lease_owner IS NOT DISTINCT FROM $1) DESC, h.last_request_at NULLS FIRST, h.host"
        "  LIMIT $4 FOR UPDATE OF h SKIP LOCKED)"
        " UPDATE hosts h SET"
        "  lease_token = CASE WHEN h.lease_owner IS NOT DISTINCT FROM $1 THEN h.lease_token ELSE h.lease_token + 1 END,"
        "  lease_owner = $1, lease_expires = $2::bigint + $3::bigint"
        " FROM candidates c WHERE h.host = c.host"
        " RETURNING h.host, h.lease_token, h.lease_expires, h.last_request_at",
        Args()
            .text(worker.name)
            .time(now)
            .integer(lease_duration.count())
            .integer(static_cast<std::int64_t>(max_hosts)));
    return describe_leases(tx, leased, now);
  });
}

Result<std::vector<HostLease>> PostgresStore::renew_leases(const WorkerInfo& worker,
                                                           std::chrono::seconds lease_duration) {
  if (lease_duration.count() <= 0) return fail(ErrorCode::kInvalidArgument, "a lease needs a positive duration");
  std::lock_guard lock(mutex_);
  return transact<std::vector<HostLease>>("renew leases of '" + worker.name + "'", Retry::kSafe, [&](pqxx::work& tx) {
    const Timestamp now = store_now(tx, worker.now);
    pg::exec(tx, "UPDATE workers SET last_seen = $2 WHERE name = $1", Args().text(worker.name).time(now));
    // A lease that ran out but was not taken by anyone is still this
    // worker's: nobody else can have sent the host a request meanwhile.
    auto leased = pg::exec(tx,
                           "UPDATE hosts SET lease_expires = $2::bigint + $3::bigint WHERE lease_owner = $1"
                           " RETURNING host, lease_token, lease_expires, last_request_at",
                           Args().text(worker.name).time(now).integer(lease_duration.count()));
    pg::exec(
        tx,
        "UPDATE article_fetches SET claimed_until = $2::bigint + $3::bigint WHERE claimed_by = $1 AND state = 'queued'"
        " AND host IN (SELECT host FROM hosts WHERE lease_owner = $1)",
        Args().text(worker.name).time(now).integer(lease_duration.count()));
    return describe_leases(tx, leased, now);
  });
}

Status PostgresStore::release_leases(const WorkerInfo& worker, const std::vector<HostRelease>& hosts) {
  std::lock_guard lock(mutex_);
  return transact<void>("release leases of '" + worker.name + "'", Retry::kSafe, [&](pqxx::work& tx) {
    if (hosts.empty()) {
      pg::exec(tx,
               "UPDATE article_fetches SET claimed_by = NULL, claimed_until = NULL"
               " WHERE claimed_by = $1 AND state = 'queued'",
               Args().text(worker.name));
      pg::exec(tx, "UPDATE hosts SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = $1",
               Args().text(worker.name));
      return;
    }
    for (const HostRelease& release : hosts) {
      pg::exec(tx,
               "UPDATE article_fetches SET claimed_by = NULL, claimed_until = NULL"
               " WHERE claimed_by = $1 AND state = 'queued' AND host = $2",
               Args().text(worker.name).text(release.host));
      pg::exec(tx,
               "UPDATE hosts SET lease_owner = NULL, lease_expires = NULL,"
               " last_request_at = GREATEST(last_request_at, $3) WHERE lease_owner = $1 AND host = $2",
               Args().text(worker.name).text(release.host).time(release.last_request_at));
    }
  });
}

Result<std::int64_t> PostgresStore::enqueue_article_fetches(const std::vector<ArticleFetch>& fetches, Timestamp now) {
  if (fetches.empty()) return 0;
  if (now == Timestamp{}) now = system_now();
  std::vector<ArticleFetch> prepared;
  prepared.reserve(fetches.size());
  for (const ArticleFetch& fetch : fetches) {
    ArticleFetch entry = fetch;
    if (entry.canonical_url.empty()) entry.canonical_url = canonical_url_string(entry.url);
    if (entry.host.empty()) entry.host = host_of(entry.url);
    if (entry.host.empty()) {
      return fail(ErrorCode::kInvalidArgument, "article fetch '" + entry.url + "': not an absolute URL with a host");
    }
    if (entry.item_json.empty()) entry.item_json = "{}";
    prepared.push_back(std::move(entry));
  }
  std::lock_guard lock(mutex_);
  return transact<std::int64_t>("queue article fetches", Retry::kSafe, [&](pqxx::work& tx) {
    std::vector<std::string> hosts;
    for (const auto& fetch : prepared) hosts.push_back(fetch.host);
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    pg::exec(tx, "INSERT INTO hosts (host) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING",
             Args().text_array(hosts));
    std::int64_t queued = 0;
    for (const auto& fetch : prepared) {
      auto inserted = pg::exec(
          tx,
          "INSERT INTO article_fetches (url, canonical_url, host, source_id, item_json, not_before, enqueued_at)"
          " SELECT $1, $2, $3, $4, $5, $6, $6"
          " WHERE NOT EXISTS (SELECT 1 FROM articles WHERE canonical_url = $2)"
          " ON CONFLICT (canonical_url) DO NOTHING RETURNING id",
          Args()
              .text(fetch.url)
              .text(fetch.canonical_url)
              .text(fetch.host)
              .integer(fetch.source_id)
              .text(fetch.item_json)
              .time(now));
      queued += static_cast<std::int64_t>(inserted.size());
    }
    return queued;
  });
}

Result<std::vector<ArticleFetch>> PostgresStore::claim_article_fetches(const WorkerInfo& worker, std::size_t max,
                                                                       std::chrono::seconds claim_duration) {
  if (claim_duration.count() <= 0) return fail(ErrorCode::kInvalidArgument, "a claim needs a positive duration");
  std::lock_guard lock(mutex_);
  return transact<std::vector<ArticleFetch>>(
      "claim article fetches for '" + worker.name + "'", Retry::kSafe, [&](pqxx::work& tx) {
        const Timestamp now = store_now(tx, worker.now);
        auto rows = pg::exec(
            tx,
            "WITH claimable AS ("
            "  SELECT f.id FROM article_fetches f JOIN hosts h ON h.host = f.host"
            "  WHERE h.lease_owner = $1 AND h.lease_expires > $2 AND f.state = 'queued' AND f.not_before <= $2"
            "    AND (f.claimed_until IS NULL OR f.claimed_until <= $2)"
            "  ORDER BY f.id LIMIT $4 FOR UPDATE OF f SKIP LOCKED)"
            " UPDATE article_fetches f SET claimed_by = $1, claimed_until = $2::bigint + $3::bigint, attempts = "
            "f.attempts + 1"
            " FROM claimable c WHERE f.id = c.id"
            " RETURNING f.id, f.url, f.canonical_url, f.host, f.source_id, f.item_json, f.attempts, f.last_error",
            Args().text(worker.name).time(now).integer(claim_duration.count()).integer(static_cast<std::int64_t>(max)));
        std::vector<ArticleFetch> fetches;
        fetches.reserve(rows.size());
        for (const auto& row : rows) {
          ArticleFetch& fetch = fetches.emplace_back();
          fetch.id = to_int(row[0]);
          fetch.url = to_text(row[1]);
          fetch.canonical_url = to_text(row[2]);
          fetch.host = to_text(row[3]);
          fetch.source_id = to_optional_int(row[4]);
          fetch.item_json = to_text(row[5]);
          fetch.attempts = static_cast<int>(to_int(row[6]));
          fetch.last_error = to_text(row[7]);
        }
        std::sort(fetches.begin(), fetches.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        return fetches;
      });
}

Status PostgresStore::complete_article_fetch(const WorkerInfo& worker, model::Id fetch_id, FetchOutcome outcome,
                                             const std::string& error, std::chrono::seconds retry_after) {
  std::lock_guard lock(mutex_);
  return transact<void>("complete article fetch " + std::to_string(fetch_id), Retry::kSafe, [&](pqxx::work& tx) {
    const Timestamp now = store_now(tx, worker.now);
    pqxx::result updated;
    if (outcome == FetchOutcome::kRetry) {
      updated = pg::exec(
          tx,
          "UPDATE article_fetches SET claimed_by = NULL, claimed_until = NULL, not_before = $3::bigint + $4::bigint,"
          " last_error = $5 WHERE id = $1 AND claimed_by = $2 AND state = 'queued' RETURNING id",
          Args()
              .integer(fetch_id)
              .text(worker.name)
              .time(now)
              .integer(std::max<std::int64_t>(retry_after.count(), 0))
              .text(error));
    } else {
      updated = pg::exec(tx,
                         "UPDATE article_fetches SET claimed_by = NULL, claimed_until = NULL, state = $3,"
                         " completed_by = $2, completed_at = $4, last_error = $5"
                         " WHERE id = $1 AND claimed_by = $2 AND state = 'queued' RETURNING id",
                         Args()
                             .integer(fetch_id)
                             .text(worker.name)
                             .text(outcome == FetchOutcome::kDone ? "done" : "failed")
                             .time(now)
                             .text(error));
    }
    if (updated.empty()) {
      throw Abort{Error(ErrorCode::kNotFound, "article fetch " + std::to_string(fetch_id) +
                                                  " is not claimed by worker '" + worker.name +
                                                  "' (its claim expired and was taken over, or it is finished)")};
    }
  });
}

Result<std::vector<WorkerStatus>> PostgresStore::list_workers(std::chrono::seconds window, bool include_dead) {
  std::lock_guard lock(mutex_);
  return transact<std::vector<WorkerStatus>>(
      "list workers", Retry::kSafe,
      [&](pqxx::work& tx) {
        const Timestamp now = store_now(tx, Timestamp{});
        auto rows = pg::exec(
            tx,
            "SELECT w.name, w.hostname, w.pid, w.started_at, w.last_seen,"
            " (SELECT COALESCE(sum(articles), 0) FROM worker_activity a WHERE a.worker = w.name),"
            " (SELECT COALESCE(sum(articles), 0) FROM worker_activity a WHERE a.worker = w.name"
            "   AND a.minute >= $1::bigint - $2::bigint)"
            " FROM workers w WHERE $3::boolean OR w.last_seen >= $1::bigint - $2::bigint ORDER BY w.name COLLATE \"C\"",
            Args().time(now).integer(window.count()).text(include_dead ? "true" : "false"));
        std::vector<WorkerStatus> workers;
        for (const auto& row : rows) {
          WorkerStatus& status = workers.emplace_back();
          status.name = to_text(row[0]);
          status.hostname = to_text(row[1]);
          status.pid = to_int(row[2]);
          status.started_at = to_time(row[3]);
          status.last_seen = to_time(row[4]);
          status.live = status.last_seen >= now - window;
          status.articles_done_total = to_int(row[5]);
          status.articles_done_recent = to_int(row[6]);
          status.window = window;
        }
        auto leases = pg::exec(tx,
                               "SELECT host, lease_token, lease_expires, last_request_at, lease_owner FROM hosts"
                               " WHERE lease_owner IS NOT NULL AND lease_expires > $1 ORDER BY host COLLATE \"C\"",
                               Args().time(now));
        for (const auto& row : leases) {
          const std::string owner = to_text(row[4]);
          for (WorkerStatus& status : workers) {
            if (status.name != owner) continue;
            HostLease& lease = status.leases.emplace_back();
            lease.host = to_text(row[0]);
            lease.token = to_int(row[1]);
            lease.expires_at = to_time(row[2]);
            lease.last_request_at = to_optional_time(row[3]);
          }
        }
        return workers;
      },
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

Result<WorkQueueStats> PostgresStore::work_queue_stats() {
  std::lock_guard lock(mutex_);
  return transact<WorkQueueStats>(
      "work queue stats", Retry::kSafe,
      [&](pqxx::work& tx) {
        const Timestamp now = store_now(tx, Timestamp{});
        auto row =
            pg::exec(tx,
                     "SELECT (SELECT count(*) FROM hosts),"
                     " (SELECT count(*) FROM hosts WHERE lease_owner IS NOT NULL AND lease_expires > $1),"
                     " count(*) FILTER (WHERE state = 'queued' AND (claimed_until IS NULL OR claimed_until <= $1)),"
                     " count(*) FILTER (WHERE state = 'queued' AND claimed_until > $1),"
                     " count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'failed')"
                     " FROM article_fetches",
                     Args().time(now));
        WorkQueueStats stats;
        stats.hosts = to_int(row[0][0]);
        stats.hosts_leased = to_int(row[0][1]);
        stats.fetches_queued = to_int(row[0][2]);
        stats.fetches_claimed = to_int(row[0][3]);
        stats.fetches_done = to_int(row[0][4]);
        stats.fetches_failed = to_int(row[0][5]);
        return stats;
      },
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

Result<bool> PostgresStore::try_lock_job(const std::string& name) {
  std::lock_guard lock(mutex_);
  // A session lock outlives the transaction that took it; it ends with
  // unlock_job() or with the connection (a crashed job frees it at once).
  return transact<bool>("lock '" + name + "'", Retry::kNotAfterCommit, [&](pqxx::work& tx) {
    return pg::exec(tx, "SELECT pg_try_advisory_lock(hashtextextended($1, 11))", Args().text("job:" + name))[0][0]
        .as<bool>();
  });
}

Status PostgresStore::unlock_job(const std::string& name) {
  std::lock_guard lock(mutex_);
  return transact<void>("unlock '" + name + "'", Retry::kNotAfterCommit, [&](pqxx::work& tx) {
    pg::exec(tx, "SELECT pg_advisory_unlock(hashtextextended($1, 11))", Args().text("job:" + name));
  });
}

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, const StoreOptions& options) {
  auto store = std::make_unique<PostgresStore>(url, options);
  if (auto initialized = store->initialize(); !initialized) return std::unexpected(initialized.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace banwatch::store
