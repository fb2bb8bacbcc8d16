// The work queue of a store shared by many crawler workers: worker
// registration, host leases, the article-fetch queue and job locks
// (docs/scale-out.md). A worker registers, claims hosts (never more than one
// owner per host), renews its leases while it works, fetches only from hosts
// it holds, and releases them when it stops; a dead worker's leases expire
// and are claimed by others. An item whose page is on a host another worker
// holds is queued here for that worker.
//
// Every store has one (Store::work_queue()). Only backends shared by many
// machines (PostgreSQL) implement it; on a single-machine store (SQLite)
// every call fails with kUnsupported, the defaults below. Like the Store, no
// method throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/model.h"
#include "common/time.h"

namespace banwatch::store {

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
  std::vector<model::Id> due_source_ids;     // sources on this host due at claim time
  std::int64_t queued_fetches = 0;           // article fetches waiting on this host
};

// One article page to fetch, queued by the worker that read its feed.
struct ArticleFetch {
  model::Id id = 0;  // filled by the store
  std::string url;
  std::string canonical_url;  // unique in the queue: a URL is queued once
  std::string host;           // Url::authority() of url; filled from url when empty
  std::optional<model::Id> source_id;
  std::string item_json;  // the feed item (title, summary, dates) as JSON, for feed-only fallback
  int attempts = 0;
  std::string last_error;
};

enum class FetchOutcome {
  kDone,    // stored (or found already stored): never fetched again
  kRetry,   // transient failure: queued again after `retry_after`
  kFailed,  // permanent failure (404, refused): kept with its error, never retried
};

// A host given back by release_leases(): when its last request was sent.
struct HostRelease {
  std::string host;
  std::optional<Timestamp> last_request_at;
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

class WorkQueue {
 public:
  virtual ~WorkQueue() = default;

  // Creates or refreshes the worker's row (started_at is reset when the pid changes).
  virtual Status register_worker(const WorkerInfo& worker) { return unsupported(worker.name); }
  // Leases up to `max_hosts` hosts that have due work (a due source or a
  // queued article fetch) and no live lease of another worker; hosts the
  // worker already holds are renewed and returned too. Rows are taken with
  // SELECT ... FOR UPDATE SKIP LOCKED: concurrent claims never block each
  // other and never lease one host twice.
  virtual Result<std::vector<HostLease>> claim_hosts(const WorkerInfo& worker, std::chrono::seconds /*lease_duration*/,
                                                     std::size_t /*max_hosts*/) {
    return unsupported(worker.name);
  }
  // Extends every lease the worker still holds (and its last_seen); returns
  // them. A host missing from the result was lost (expired and taken over):
  // the worker must stop fetching from it.
  virtual Result<std::vector<HostLease>> renew_leases(const WorkerInfo& worker,
                                                      std::chrono::seconds /*lease_duration*/) {
    return unsupported(worker.name);
  }
  // Gives hosts back (all of the worker's when `hosts` is empty), recording
  // the time of the last request so the next owner keeps the per-host delay.
  virtual Status release_leases(const WorkerInfo& worker, const std::vector<HostRelease>& /*hosts*/) {
    return unsupported(worker.name);
  }
  // Queues article fetches; a canonical URL already queued (in any state) or
  // already stored as an article is skipped. Returns how many were queued.
  virtual Result<std::int64_t> enqueue_article_fetches(const std::vector<ArticleFetch>& /*fetches*/,
                                                       Timestamp /*now*/) {
    return unsupported("");
  }
  // Claims up to `max` queued fetches on hosts the worker holds (FOR UPDATE
  // SKIP LOCKED); a claim expires after `claim_duration`, so a dead worker's
  // fetches are claimed again.
  virtual Result<std::vector<ArticleFetch>> claim_article_fetches(const WorkerInfo& worker, std::size_t /*max*/,
                                                                  std::chrono::seconds /*claim_duration*/) {
    return unsupported(worker.name);
  }
  // Ends a claim. kRetry requeues the fetch after `retry_after`; kFailed and
  // kDone are final. Fails with kNotFound when the claim was lost to another worker.
  virtual Status complete_article_fetch(const WorkerInfo& worker, model::Id /*fetch_id*/, FetchOutcome,
                                        const std::string& /*error*/, std::chrono::seconds /*retry_after*/) {
    return unsupported(worker.name);
  }
  // Workers seen within `window` (or all with `include_dead`), their leases
  // and throughput over `window`.
  virtual Result<std::vector<WorkerStatus>> list_workers(std::chrono::seconds /*window*/, bool /*include_dead*/) {
    return unsupported("");
  }
  virtual Result<WorkQueueStats> work_queue_stats() { return unsupported(""); }
  // A named lock held by this store connection across machines (PostgreSQL:
  // a session advisory lock), e.g. "digest:<channel>" so that of two digest
  // jobs run at once one sends and the other finds the lock taken.
  // Returns false when another connection holds it.
  virtual Result<bool> try_lock_job(const std::string& name) { return unsupported(name); }
  virtual Status unlock_job(const std::string& name) { return unsupported(name); }

 protected:
  static std::unexpected<Error> unsupported(const std::string& subject) {
    return fail(ErrorCode::kUnsupported, (subject.empty() ? std::string() : "'" + subject + "': ") +
                                             "work leasing needs a shared store (postgresql://...); "
                                             "this store is a single-machine one");
  }
};

}  // namespace banwatch::store
