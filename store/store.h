// The dated, append-only event store. One interface, several backends (SQLite
// now, PostgreSQL for scale-out), chosen by the store URL given to open_store().
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
#include "common/time.h"

namespace banwatch::store {

using Id = std::int64_t;

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
  Id id = 0;
  SourceSpec spec;
  FetchState state;
};

// ---- articles, events, mentions ---------------------------------------------
struct ArticleRecord {
  Id id = 0;  // filled by the store
  std::optional<Id> source_id;
  std::string url;            // as fetched (after redirects)
  std::string canonical_url;  // de-duplication key (common/url.h canonical())
  std::string item_id;        // the feed item's id, when it came from a feed
  std::string title;
  std::optional<PreciseTime> published_at;
  Timestamp fetched_at{};
  std::string language;
  std::string site_name;
  std::string authors;  // comma-separated
  std::string description;
  std::string text;          // main text, paragraphs separated by "\n\n"
  std::string content_hash;  // hex SHA-256 of text
  bool feed_only = false;    // the text is the feed's title/summary, not the page
};

// One event as the rule engine extracted it from one sentence.
struct ExtractedEvent {
  std::string vendor;
  std::string actor;
  std::string actor_type;  // government | regulator | company | other
  std::string action;      // ban | restrict | remove_or_replace | ...
  std::string status;      // enacted | proposed | considering | reversed
  std::string scope;
  std::optional<PreciseTime> event_date;
  std::string evidence;  // the sentence
  std::string rule_id;
  std::string rule_pack_version;
  double confidence = 0.0;
};

struct Event {
  Id id = 0;
  std::string vendor, actor, actor_type, action, status, scope;
  std::optional<PreciseTime> event_date;
  Timestamp first_seen_at{};
  double confidence = 0.0;
  // The earlier event of a status change (proposed -> enacted -> reversed):
  // the link made when the event was appended, or, for an event appended
  // before the one it follows, the link its case's history gives when read
  // (query_events; docs/store.md "Timeline").
  std::optional<Id> previous_event_id;
  // Filled by query_events: the status of the latest event of this event's
  // case (vendor, actor and action), e.g. "reversed" for an enactment lifted since.
  std::string case_status;
};

struct Mention {
  Id id = 0;
  Id event_id = 0;
  Id article_id = 0;
  std::string evidence;
  std::string rule_id;
  std::string rule_pack_version;
  Timestamp extracted_at{};
  // Joined from the article for citations:
  std::string article_url, article_title, source_name;
  std::optional<PreciseTime> article_published_at;
};

struct AppendOptions {
  // Mentions of the same vendor, actor, action and status whose event dates
  // lie within this window (or that both lack a date) are one event.
  std::chrono::days cluster_window{std::chrono::days(14)};
  Timestamp now{};
};

struct AppendResult {
  Id article_id = 0;
  bool article_inserted = false;  // false: the article was already stored
  int events_appended = 0;
  int mentions_appended = 0;
};

// ---- queries -----------------------------------------------------------------
struct EventQuery {
  std::optional<Timestamp> since;  // on first_seen_at (default) or event_date
  std::optional<Timestamp> until;
  bool by_event_date = false;
  std::optional<Id> after_event_id;                             // digest cursor: events with id > this
  std::optional<Id> before_event_id;                            // paging newest first: events with id < this
  std::vector<std::string> vendors, actors, actions, statuses;  // empty = any
  std::size_t limit = 0;                                        // 0 = no limit
  // Digest cursor for new citations: only events having a mention with
  // id > this (all of their mentions are returned).
  std::optional<Id> with_mentions_after_id;
  // Window form of the same: only events having a mention appended
  // (extracted_at) in [cited_since, cited_until); either bound may be open.
  // Reads every mention: for digests, not for hot paths.
  std::optional<Timestamp> cited_since, cited_until;
  std::vector<Id> ids;  // only these events; empty = any
  // Only events cited by one of these articles (e.g. the hits of search());
  // empty = any.
  std::vector<Id> article_ids;
  // Only the events of this event's case (vendor, actor and action as the
  // store identifies them: "the FCC" is "FCC"), this one included. Read
  // through the case index, whatever the store's size.
  std::optional<Id> case_of;
  bool newest_first = false;  // order by id descending (a limit keeps the newest)
  // Read the cases (vendor, actor, action) of the events found: fills
  // Event::case_status and the links of events appended before the event
  // they follow. One more index probe per event, and a read of every case
  // that holds several (docs/store.md measures it); `events` and the digest
  // ask for it, bulk readers need not.
  bool with_timeline = false;
};

struct EventWithMentions {
  Event event;
  std::vector<Mention> mentions;
};

struct Run {
  Id id = 0;
  std::string kind;  // crawl | recrawl | reextract | digest
  Timestamp started_at{};
  std::optional<Timestamp> finished_at;
  std::string outcome;  // running | ok | partial | failed | interrupted
  int fetched = 0, not_modified = 0, failed = 0;
  int articles_stored = 0, events_appended = 0, mentions_appended = 0;
  std::string message;
};

struct DigestRecord {
  Id id = 0;
  std::string channel;  // "file", "email", "webhook", "command", "stdout"
  Timestamp created_at{};
  Id up_to_event_id = 0;  // cursor: every event with id <= this was sent
  Id up_to_mention_id = 0;
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
  Id article_id = 0;
  std::string url, title, snippet;  // snippet marks matches with [ and ]
  std::optional<PreciseTime> published_at;
};

// ---- scale-out: workers, host leases and the article-fetch queue ---------------
// Only backends shared by many machines (PostgreSQL) implement these; the
// default implementations fail with kUnsupported. docs/scale-out.md describes
// the protocol: a worker registers, claims hosts (never more than one owner
// per host), renews its leases while it works, fetches only from hosts it
// holds, and releases them when it stops. A dead worker's leases expire and
// are claimed by others.
struct WorkerInfo {
  std::string name;      // unique per worker, e.g. "crawl-03"
  std::string hostname;  // the machine
  std::int64_t pid = 0;
  Timestamp now{};  // the caller's clock; {} = the store's clock
};

struct HostLease {
  std::string host;        // Url::authority(): "example.com" or "example.com:8080"
  std::int64_t token = 0;  // grows with every change of owner (a fencing token)
  Timestamp expires_at{};
  std::optional<Timestamp> last_request_at;  // the previous owner's last request (politeness)
  std::vector<Id> due_source_ids;            // sources on this host due at claim time
  std::int64_t queued_fetches = 0;           // article fetches waiting on this host
};

// One article page to fetch, queued by the worker that read its feed.
struct ArticleFetch {
  Id id = 0;  // filled by the store
  std::string url;
  std::string canonical_url;  // unique in the queue: a URL is queued once
  std::string host;           // Url::authority() of url; filled from url when empty
  std::optional<Id> source_id;
  std::string item_json;  // the feed item (title, summary, dates) as JSON, for feed-only fallback
  int attempts = 0;
  std::string last_error;
};

enum class FetchOutcome {
  kDone,    // stored (or found already stored): never fetched again
  kRetry,   // transient failure: queued again after `retry_after`
  kFailed,  // permanent failure (404, refused): kept with its error, never retried
};

struct WorkerStatus {
  std::string name, hostname;
  std::int64_t pid = 0;
  Timestamp started_at{}, last_seen{};
  bool live = false;                      // seen within the liveness window
  std::vector<HostLease> leases;          // hosts it holds now (unexpired)
  std::int64_t articles_done_total = 0;   // new articles stored by the worker, all time
  std::int64_t articles_done_recent = 0;  // within the throughput window (whole minutes)
  std::chrono::seconds window{0};
  std::int64_t feeds_fetched_total = 0;
};

struct WorkQueueStats {
  std::int64_t hosts = 0, hosts_leased = 0;
  std::int64_t fetches_queued = 0, fetches_claimed = 0, fetches_done = 0, fetches_failed = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Sources
  virtual Result<Id> add_source(const SourceSpec& spec) = 0;  // kAlreadyExists
  virtual Status upsert_source(const SourceSpec& spec) = 0;   // by name; keeps state
  virtual Status remove_source(const std::string& name) = 0;  // kNotFound
  virtual Result<std::vector<Source>> list_sources() = 0;
  // Sources retired by remove_source(), by name: the configuration's sources
  // are imported once, and a removed one is not imported again.
  virtual Result<std::vector<std::string>> removed_source_names() = 0;
  virtual Result<Source> get_source(const std::string& name) = 0;  // kNotFound
  virtual Status save_fetch_state(Id source_id, const FetchState& state) = 0;

  // Articles, events, mentions. One call = one transaction.
  virtual Result<std::optional<Id>> find_article(const std::string& canonical_url) = 0;
  virtual Result<bool> has_item(const std::string& item_id) = 0;
  virtual Result<AppendResult> append_article(const ArticleRecord& article, const std::vector<ExtractedEvent>& events,
                                              const AppendOptions& options) = 0;
  // Many articles in one transaction (bulk import, benchmarks): all or none.
  // Results are in input order. Backends that cannot batch fall back to one
  // append_article() per entry (not atomic across entries).
  struct ArticleWithEvents {
    ArticleRecord article;
    std::vector<ExtractedEvent> events;
  };
  virtual Result<std::vector<AppendResult>> append_batch(const std::vector<ArticleWithEvents>& batch,
                                                         const AppendOptions& options);
  // Re-extraction: appends mentions (and events) for an already stored article.
  virtual Result<AppendResult> append_events(Id article_id, const std::vector<ExtractedEvent>& events,
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
                                  const std::function<bool(const ArticleRecord&)>& visit) = 0;

  virtual Result<std::vector<EventWithMentions>> query_events(const EventQuery& query) = 0;
  // One stored article, with its text (kNotFound). Both backends implement
  // it; the default (kUnsupported) serves stand-ins that hold no articles.
  virtual Result<ArticleRecord> get_article(Id article_id) {
    return fail(ErrorCode::kUnsupported, "article " + std::to_string(article_id) + ": this store keeps no articles");
  }
  virtual Result<std::vector<SearchHit>> search(const std::string& query, std::optional<Timestamp> since,
                                                std::size_t limit) = 0;

  // Runs
  virtual Result<Id> begin_run(const std::string& kind, Timestamp started_at) = 0;
  virtual Status finish_run(const Run& run) = 0;
  virtual Result<std::optional<Run>> last_run(const std::string& kind, bool successful_only) = 0;

  // Digest cursor
  virtual Result<std::optional<DigestRecord>> last_digest(const std::string& channel) = 0;
  virtual Status record_digest(const DigestRecord& digest) = 0;

  // ---- scale-out (see the block above Store; default: kUnsupported) ----
  // Creates or refreshes the worker's row (started_at is reset when the pid changes).
  virtual Status register_worker(const WorkerInfo& worker) { return unsupported(worker.name); }
  // Leases up to `max_hosts` hosts that have due work (a due source or a
  // queued article fetch) and no live lease of another worker; hosts the
  // worker already holds are renewed and returned too. Rows are taken with
  // SELECT ... FOR UPDATE SKIP LOCKED: concurrent claims never block each
  // other and never lease one host twice.
  virtual Result<std::vector<HostLease>> claim_hosts(const WorkerInfo& worker, std::chrono::seconds, std::size_t) {
    return unsupported(worker.name);
  }
  // Extends every lease the worker still holds (and its last_seen); returns
  // them. A host missing from the result was lost (expired and taken over):
  // the worker must stop fetching from it.
  virtual Result<std::vector<HostLease>> renew_leases(const WorkerInfo& worker, std::chrono::seconds) {
    return unsupported(worker.name);
  }
  // Gives hosts back (all of the worker's when `hosts` is empty), recording
  // the time of the last request so the next owner keeps the per-host delay.
  struct HostRelease {
    std::string host;
    std::optional<Timestamp> last_request_at;
  };
  virtual Status release_leases(const WorkerInfo& worker, const std::vector<HostRelease>&) {
    return unsupported(worker.name);
  }
  // Queues article fetches; a canonical URL already queued (in any state) or
  // already stored as an article is skipped. Returns how many were queued.
  virtual Result<std::int64_t> enqueue_article_fetches(const std::vector<ArticleFetch>&, Timestamp) {
    return unsupported("");
  }
  // Claims up to `max` queued fetches on hosts the worker holds (FOR UPDATE
  // SKIP LOCKED); a claim expires after `claim_duration`, so a dead worker's
  // fetches are claimed again.
  virtual Result<std::vector<ArticleFetch>> claim_article_fetches(const WorkerInfo& worker, std::size_t,
                                                                  std::chrono::seconds) {
    return unsupported(worker.name);
  }
  // Ends a claim. kRetry requeues the fetch after `retry_after`; kFailed and
  // kDone are final. Fails with kNotFound when the claim was lost to another worker.
  virtual Status complete_article_fetch(const WorkerInfo& worker, Id, FetchOutcome, const std::string&,
                                        std::chrono::seconds) {
    return unsupported(worker.name);
  }
  // Workers seen within `window` (or all with `include_dead`), their leases
  // and throughput over `window`.
  virtual Result<std::vector<WorkerStatus>> list_workers(std::chrono::seconds, bool) { return unsupported(""); }
  virtual Result<WorkQueueStats> work_queue_stats() { return unsupported(""); }
  // A named lock held by this store connection across machines (PostgreSQL:
  // a session advisory lock), e.g. "digest:<channel>" so that of two digest
  // jobs run at once one sends and the other finds the lock taken.
  // Returns false when another connection holds it.
  virtual Result<bool> try_lock_job(const std::string& name) { return unsupported(name); }
  virtual Status unlock_job(const std::string& name) { return unsupported(name); }

  virtual Result<Stats> stats() = 0;
  virtual Result<std::string> integrity_check() = 0;  // "ok" when healthy
  virtual Status backup_to(const std::string& path) = 0;

 protected:
  static std::unexpected<Error> unsupported(const std::string& subject) {
    return fail(ErrorCode::kUnsupported, (subject.empty() ? std::string() : "'" + subject + "': ") +
                                             "work leasing needs a shared store (postgresql://...); "
                                             "this store is a single-machine one");
  }
};

struct StoreOptions {
  std::chrono::milliseconds busy_timeout{std::chrono::seconds(10)};
  bool read_only = false;
  bool create = true;  // create the file and schema when missing
};

// "path/to/file.db", "sqlite:path", or "postgresql://…" (when built with libpqxx).
Result<std::unique_ptr<Store>> open_store(const std::string& url, const StoreOptions& options);

// The current schema version of the SQLite backend (PRAGMA user_version).
int sqlite_schema_version();

}  // namespace banwatch::store
