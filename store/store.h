// The dated, append-only event store: sources and their fetch state, the
// articles, events and mentions of the data model (common/model.h), runs and
// the digest cursor. One interface, several backends (SQLite now, PostgreSQL
// for scale-out), chosen by the store URL given to open_store()
// (store/open/open_store.h). The workers' side of a shared store, host leases
// and the article-fetch queue, is the store's WorkQueue (store/work_queue.h).
//
// Guarantees every backend keeps (docs/store.md):
//  - events and mentions are append-only: never updated or deleted by normal
//    operation (enforced by triggers); corrections are new rows;
//  - every write call is one transaction: it fully happens or not at all;
//  - append_article() is idempotent: the same article + rule + evidence never
//    gives a second mention, whatever is repeated or interrupted;
//  - no method throws: failures come back as Error values (kStore, kStoreBusy).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/model.h"
#include "common/time.h"
#include "store/work_queue.h"

namespace banwatch::store {

// ---- sources and their fetch state ----------------------------------------
struct SourceSpec {
  std::string name;  // unique
  std::string url;
  std::string kind = "feed";  // feed | sitemap | page
  std::chrono::seconds interval{std::chrono::minutes(30)};
  std::vector<std::string> tags;
  bool enabled = true;
  std::string article_policy;  // "" = config default; matching | all | none

  bool operator==(const SourceSpec&) const = default;
};

struct FetchState {
  std::string etag;
  std::string last_modified;
  std::optional<Timestamp> next_due;      // nullopt = due now
  std::optional<Timestamp> last_fetch;    // last attempt
  std::optional<Timestamp> last_success;  // last 2xx/304
  std::optional<Timestamp> last_change;   // last time the content changed
  int consecutive_errors = 0;
  int last_status = 0;                       // HTTP status, 0 when no response
  std::string last_error;                    // empty after a success
  std::chrono::seconds current_interval{0};  // adaptive interval; 0 = use spec
};

struct Source {
  model::Id id = 0;
  SourceSpec spec;
  FetchState state;
};

struct AppendOptions {
  // Mentions of the same vendor, actor, action and status whose event dates
  // lie within this window (or that both lack a date) are one event.
  std::chrono::days cluster_window{std::chrono::days(14)};
  Timestamp now{};
};

struct AppendResult {
  model::Id article_id = 0;
  bool article_inserted = false;  // false: the article was already stored
  int events_appended = 0;
  int mentions_appended = 0;
};

// ---- queries -----------------------------------------------------------------
struct EventQuery {
  std::optional<Timestamp> since;  // on first_seen_at (default) or event_date
  std::optional<Timestamp> until;
  bool by_event_date = false;
  std::optional<model::Id> after_event_id;                      // digest cursor: events with id > this
  std::optional<model::Id> before_event_id;                     // paging newest first: events with id < this
  std::vector<std::string> vendors, actors, actions, statuses;  // empty = any
  std::size_t limit = 0;                                        // 0 = no limit
  // Digest cursor for new citations: only events having a mention with
  // id > this (all of their mentions are returned).
  std::optional<model::Id> with_mentions_after_id;
  // Window form of the same: only events having a mention appended
  // (extracted_at) in [cited_since, cited_until); either bound may be open.
  // Reads every mention: for digests, not for hot paths.
  std::optional<Timestamp> cited_since, cited_until;
  std::vector<model::Id> ids;  // only these events; empty = any
  // Only events cited by one of these articles (e.g. the hits of search());
  // empty = any.
  std::vector<model::Id> article_ids;
  // Only the events of this event's case (vendor, actor and action as the
  // store identifies them: "the FCC" is "FCC"), this one included. Read
  // through the case index, whatever the store's size.
  std::optional<model::Id> case_of;
  bool newest_first = false;  // order by id descending (a limit keeps the newest)
  // Read the cases (vendor, actor, action) of the events found: fills
  // model::Event::case_status and the links of events appended before the event
  // they follow. One more index probe per event, and a read of every case
  // that holds several (docs/store.md measures it); `events` and the digest
  // ask for it, bulk readers need not.
  bool with_timeline = false;
};

struct EventWithMentions {
  model::Event event;
  std::vector<model::Mention> mentions;
};

struct Run {
  model::Id id = 0;
  std::string kind;  // crawl | recrawl | reextract | digest
  Timestamp started_at{};
  std::optional<Timestamp> finished_at;
  std::string outcome;  // running | ok | partial | failed | interrupted
  int fetched = 0, not_modified = 0, failed = 0;
  int articles_stored = 0, events_appended = 0, mentions_appended = 0;
  std::string message;
};

struct DigestRecord {
  model::Id id = 0;
  std::string channel;  // "file", "email", "webhook", "command", "stdout"
  Timestamp created_at{};
  model::Id up_to_event_id = 0;  // cursor: every event with id <= this was sent
  model::Id up_to_mention_id = 0;
  int event_count = 0;
  std::string format;
};

struct Stats {
  std::int64_t sources = 0, articles = 0, events = 0, mentions = 0, runs = 0, digests = 0;
  std::vector<std::pair<std::string, std::int64_t>> events_per_vendor;  // most first
  std::optional<Run> last_run;
  std::vector<Source> failing_sources;  // consecutive_errors > 0
  int schema_version = 0;
};

struct SearchHit {
  model::Id article_id = 0;
  std::string url, title, snippet;  // snippet marks matches with [ and ]
  std::optional<PreciseTime> published_at;
};

class Store {
 public:
  virtual ~Store() = default;

  // Sources
  virtual Result<model::Id> add_source(const SourceSpec& spec) = 0;  // kAlreadyExists
  virtual Status upsert_source(const SourceSpec& spec) = 0;          // by name; keeps state
  virtual Status remove_source(const std::string& name) = 0;         // kNotFound
  virtual Result<std::vector<Source>> list_sources() = 0;
  // Sources retired by remove_source(), by name: the configuration's sources
  // are imported once, and a removed one is not imported again.
  virtual Result<std::vector<std::string>> removed_source_names() = 0;
  virtual Result<Source> get_source(const std::string& name) = 0;  // kNotFound
  virtual Status save_fetch_state(model::Id source_id, const FetchState& state) = 0;

  // Articles, events, mentions. One call = one transaction.
  virtual Result<std::optional<model::Id>> find_article(const std::string& canonical_url) = 0;
  virtual Result<bool> has_item(const std::string& item_id) = 0;
  virtual Result<AppendResult> append_article(const model::ArticleRecord& article,
                                              const std::vector<model::ExtractedEvent>& events,
                                              const AppendOptions& options) = 0;
  // Many articles in one transaction (bulk import, benchmarks): all or none.
  // Results are in input order. Backends that cannot batch fall back to one
  // append_article() per entry (not atomic across entries).
  struct ArticleWithEvents {
    model::ArticleRecord article;
    std::vector<model::ExtractedEvent> events;
  };
  virtual Result<std::vector<AppendResult>> append_batch(const std::vector<ArticleWithEvents>& batch,
                                                         const AppendOptions& options);
  // Re-extraction: appends mentions (and events) for an already stored article.
  virtual Result<AppendResult> append_events(model::Id article_id, const std::vector<model::ExtractedEvent>& events,
                                             const AppendOptions& options) = 0;
  // Articles for reextract/recrawl; calls `visit` for each, in id order,
  // streaming (memory independent of the number of articles). `visit`
  // returning false stops the walk.
  struct ArticleFilter {
    std::optional<Timestamp> since;  // fetched_at
    std::optional<std::string> source_name;
    std::vector<std::string> urls;
  };
  virtual Status for_each_article(const ArticleFilter& filter,
                                  const std::function<bool(const model::ArticleRecord&)>& visit) = 0;

  virtual Result<std::vector<EventWithMentions>> query_events(const EventQuery& query) = 0;
  // One stored article, with its text (kNotFound). Both backends implement
  // it; the default (kUnsupported) serves stand-ins that hold no articles.
  virtual Result<model::ArticleRecord> get_article(model::Id article_id) {
    return fail(ErrorCode::kUnsupported, "article " + std::to_string(article_id) + ": this store keeps no articles");
  }
  virtual Result<std::vector<SearchHit>> search(const std::string& query, std::optional<Timestamp> since,
                                                std::size_t limit) = 0;

  // Runs
  virtual Result<model::Id> begin_run(const std::string& kind, Timestamp started_at) = 0;
  virtual Status finish_run(const Run& run) = 0;
  virtual Result<std::optional<Run>> last_run(const std::string& kind, bool successful_only) = 0;

  // Digest cursor
  virtual Result<std::optional<DigestRecord>> last_digest(const std::string& channel) = 0;
  virtual Status record_digest(const DigestRecord& digest) = 0;

  virtual Result<Stats> stats() = 0;
  virtual Result<std::string> integrity_check() = 0;  // "ok" when healthy
  virtual Status backup_to(const std::string& path) = 0;

  // The store's work queue (store/work_queue.h), for the workers of a shared
  // store. Every backend has one; a single-machine store's refuses every
  // call (kUnsupported).
  virtual WorkQueue& work_queue() = 0;
};

struct StoreOptions {
  std::chrono::milliseconds busy_timeout{std::chrono::seconds(10)};
  bool read_only = false;
  bool create = true;  // create the file and schema when missing
};

// The current schema version of the SQLite backend (PRAGMA user_version).
int sqlite_schema_version();

}  // namespace banwatch::store
