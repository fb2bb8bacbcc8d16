// A crawler worker for a shared (PostgreSQL) store: leases hosts, runs the
// crawl pipeline (crawler/pipeline.h) over the due sources of the hosts it
// holds and over the article fetches queued on them, renews its leases while
// the pass runs, and gives the hosts back. It sends requests only to hosts it
// holds: an item whose page is on another host is queued in the store for
// that host's holder (pipeline.h, ArticleQueue). Many workers on many
// machines split the work this way with no coordinator; docs/scale-out.md
// describes the protocol and its failure modes.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "common/error.h"
#include "crawler/pipeline.h"
#include "store/store.h"

namespace banwatch::crawler {

struct WorkerOptions {
  store::WorkerInfo identity;                    // name required; hostname and pid for `banwatch workers`
  std::chrono::seconds lease_duration{60};       // renewed every third of it
  std::size_t max_hosts = 8;                     // hosts held at once (at most; see run_worker)
  bool loop = false;                             // false: one pass, then return
  std::chrono::seconds idle_sleep{15};           // --loop: wait when no host has due work
  const std::atomic<int>* cancel = nullptr;      // non-zero: stop (the signal number)
  std::function<void(const std::string&)> warn;  // default: spdlog warn
  std::function<void(const CrawlSummary&)> pass_done;
};

struct WorkerSummary {
  int passes = 0;          // passes that held at least one host
  int hosts_leased = 0;    // leases taken over all passes
  int leases_lost = 0;     // passes cut short because a lease was lost
  CrawlSummary totals;     // summed over the passes
  bool cancelled = false;  // stopped by `cancel`
};

// Runs the worker until one pass is done (or, with `loop`, until `cancel`).
// Each claim takes a fair share of the hosts: min(max_hosts, ceil(hosts /
// workers seen within a lease duration)).
// Fails with kUnsupported on a store that cannot lease (SQLite), and with
// kStore when the store stays unreachable beyond its reconnect budget (with
// `loop`, a failed pass is logged and retried after idle_sleep instead).
// A lease lost during a pass (the worker stalled past its expiry) cancels
// that pass; completed work is kept, as with a signal.
Result<WorkerSummary> run_worker(const CrawlDeps& deps, const WorkerOptions& options);

}  // namespace banwatch::crawler
