#include "crawler/worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace banwatch::crawler {
namespace {

// The pass's cancel flag says why it stopped: a signal number, or this.
constexpr int kLeaseLost = -1;
// Queued article fetches claimed per pass; the next claim takes more.
constexpr std::size_t kFetchesPerPass = 256;

void add(CrawlSummary& total, const CrawlSummary& pass) {
  total.sources += pass.sources;
  total.fetched += pass.fetched;
  total.not_modified += pass.not_modified;
  total.failed += pass.failed;
  total.items_new += pass.items_new;
  total.pages_fetched += pass.pages_fetched;
  total.feed_only += pass.feed_only;
  total.articles_stored += pass.articles_stored;
  total.events_appended += pass.events_appended;
  total.mentions_appended += pass.mentions_appended;
  total.pages_queued += pass.pages_queued;
  total.queue_completed += pass.queue_completed;
  total.queue_retried += pass.queue_retried;
  total.queue_already_stored += pass.queue_already_stored;
  for (const auto& failure : pass.failures) total.failures.push_back(failure);
  for (const auto& warning : pass.warnings) total.warnings.push_back(warning);
}

// Renews the leases of one pass every third of their duration, and turns an
// outside cancel or a lost lease into the pass's cancel flag. Stops with the pass.
class LeaseKeeper {
 public:
  LeaseKeeper(store::WorkQueue& queue, const WorkerOptions& options, std::set<std::string> hosts,
              std::atomic<int>& pass_cancel)
      : queue_(queue), options_(options), hosts_(std::move(hosts)), pass_cancel_(pass_cancel), thread_([this] {
          run();
        }) {}
  ~LeaseKeeper() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

 private:
  void run() {
    const auto renew_every = std::max<std::chrono::milliseconds>(options_.lease_duration / 3, std::chrono::seconds(1));
    auto next_renewal = std::chrono::steady_clock::now() + renew_every;
    std::unique_lock lock(mutex_);
    while (!done_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      if (done_) break;
      if (options_.cancel != nullptr && options_.cancel->load() != 0 && pass_cancel_.load() == 0) {
        pass_cancel_.store(options_.cancel->load());
      }
      if (std::chrono::steady_clock::now() < next_renewal) continue;
      next_renewal = std::chrono::steady_clock::now() + renew_every;
      lock.unlock();
      auto renewed = queue_.renew_leases(options_.identity, options_.lease_duration);
      lock.lock();
      if (!renewed) {
        // The store reconnects by itself; a renewal that still fails is
        // tried again, and the lease's own expiry is the backstop.
        spdlog::warn("worker {}: lease renewal failed: {}", options_.identity.name, renewed.error().message);
        continue;
      }
      std::set<std::string> held;
      for (const auto& lease : *renewed) held.insert(lease.host);
      for (const auto& host : hosts_) {
        if (!held.count(host)) {
          spdlog::warn("worker {}: lease on {} was lost (expired and taken over); stopping this pass",
                       options_.identity.name, host);
          pass_cancel_.store(kLeaseLost);
          break;
        }
      }
    }
  }

  store::WorkQueue& queue_;
  const WorkerOptions& options_;
  std::set<std::string> hosts_;
  std::atomic<int>& pass_cancel_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

bool cancelled(const WorkerOptions& options) { return options.cancel != nullptr && options.cancel->load() != 0; }

// Sleeps up to `duration`, waking early on cancel.
void idle(const WorkerOptions& options, std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!cancelled(options) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(200),
        std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now())));
  }
}

// How many hosts to claim: a fair share, min(max_hosts, ceil(hosts / live
// workers)), so that N workers starting together split the hosts instead of
// the first ones taking max_hosts each and the last finding none. Live
// workers are those seen (claim, renewal, registration) within a lease
// duration. Without the figures (a store error) the bound itself is used.
std::size_t fair_claim(store::WorkQueue& queue, const WorkerOptions& options) {
  auto stats = queue.work_queue_stats();
  auto workers = queue.list_workers(options.lease_duration, /*include_dead=*/false);
  if (!stats || !workers || stats->hosts <= 0) return options.max_hosts;
  const auto live = static_cast<std::int64_t>(std::max<std::size_t>(1, workers->size()));
  const auto share = static_cast<std::size_t>((stats->hosts + live - 1) / live);
  return std::clamp<std::size_t>(share, 1, std::max<std::size_t>(1, options.max_hosts));
}

}  // namespace

Result<WorkerSummary> run_worker(const CrawlDeps& deps, const WorkerOptions& options) {
  if (deps.store == nullptr || deps.config == nullptr || deps.clock == nullptr) {
    return fail(ErrorCode::kInternal, "run_worker: store, config and clock are required");
  }
  if (options.identity.name.empty()) return fail(ErrorCode::kInvalidArgument, "a worker needs a name (--worker NAME)");
  store::Store& store = *deps.store;
  store::WorkQueue& work_queue = store.work_queue();
  if (auto registered = work_queue.register_worker(options.identity); !registered) {
    return std::unexpected(registered.error());
  }
  const auto warn = options.warn ? options.warn : [](const std::string& message) { spdlog::warn("{}", message); };

  WorkerSummary summary;
  std::set<model::Id> crawled;  // one pass (no loop) crawls each source once
  while (!cancelled(options)) {
    auto leases = work_queue.claim_hosts(options.identity, options.lease_duration, fair_claim(work_queue, options));
    if (!leases) {
      if (!options.loop) return std::unexpected(leases.error());
      warn("worker " + options.identity.name + ": " + leases.error().message);
      idle(options, options.idle_sleep);
      continue;
    }
    std::vector<model::Id> due;
    std::set<std::string> hosts;
    std::optional<Timestamp> politeness_until;
    bool queued_work = false;
    for (const auto& lease : *leases) {
      hosts.insert(lease.host);
      queued_work = queued_work || lease.queued_fetches > 0;
      for (model::Id id : lease.due_source_ids) {
        if (options.loop || !crawled.count(id)) due.push_back(id);
      }
      if (lease.last_request_at) {
        // The previous owner's last request: keep the per-host delay across the handover.
        const Timestamp until =
            *lease.last_request_at + std::chrono::ceil<std::chrono::seconds>(deps.config->fetch.host_delay);
        politeness_until = politeness_until ? std::max(*politeness_until, until) : until;
      }
    }
    // Article pages other workers' feeds queued on these hosts. The claims
    // last as long as the leases, and are renewed and released with them.
    std::vector<store::ArticleFetch> claimed;
    if (queued_work) {
      auto fetches = work_queue.claim_article_fetches(options.identity, kFetchesPerPass, options.lease_duration);
      if (fetches) {
        claimed = std::move(*fetches);
      } else {
        warn("worker " + options.identity.name + ": claiming queued article fetches: " + fetches.error().message);
      }
    }
    if (due.empty() && claimed.empty()) {
      if (!leases->empty()) {
        std::vector<store::HostRelease> releases;
        for (const auto& host : hosts) releases.push_back({host, std::nullopt});
        (void)work_queue.release_leases(options.identity, releases);
      }
      if (!options.loop) break;
      idle(options, options.idle_sleep);
      continue;
    }
    summary.hosts_leased += static_cast<int>(leases->size());
    ++summary.passes;
    if (politeness_until) {
      const auto wait = *politeness_until - deps.clock->now();
      if (wait.count() > 0) idle(options, std::chrono::duration_cast<std::chrono::milliseconds>(wait));
    }

    auto sources = store.list_sources();
    if (!sources) {
      (void)work_queue.release_leases(options.identity, {});  // they expire by themselves otherwise
      if (!options.loop) return std::unexpected(sources.error());
      warn("worker " + options.identity.name + ": listing sources: " + sources.error().message);
      idle(options, options.idle_sleep);
      continue;
    }
    std::map<model::Id, std::string> names;
    for (const auto& source : *sources) names[source.id] = source.spec.name;
    ArticleQueue queue;
    queue.work_queue = &work_queue;
    queue.worker = options.identity;
    queue.retry_after = deps.config->crawl.queue_retry_after;
    queue.max_attempts = deps.config->crawl.queue_max_attempts;
    queue.held_hosts = hosts;
    queue.claimed = std::move(claimed);
    CrawlOptions pass;
    pass.queue = &queue;
    for (model::Id id : due) {
      crawled.insert(id);
      if (auto it = names.find(id); it != names.end()) pass.sources.push_back(it->second);
    }
    std::atomic<int> pass_cancel{0};
    pass.cancel = &pass_cancel;
    pass.warn = options.warn;
    Result<CrawlSummary> result = [&] {
      LeaseKeeper keeper(work_queue, options, hosts, pass_cancel);
      return crawl(deps, pass);
    }();
    // Give the hosts back with the time of the last request, so the next
    // owner keeps the per-host delay.
    std::vector<store::HostRelease> releases;
    const Timestamp finished = deps.clock->now();
    for (const auto& host : hosts) releases.push_back({host, finished});
    if (auto released = work_queue.release_leases(options.identity, releases); !released) {
      warn("worker " + options.identity.name + ": releasing leases: " + released.error().message +
           " (they expire by themselves)");
    }
    if (!result) {
      if (!options.loop) return std::unexpected(result.error());
      warn("worker " + options.identity.name + ": pass failed: " + result.error().message);
      idle(options, options.idle_sleep);
      continue;
    }
    add(summary.totals, *result);
    if (options.pass_done) options.pass_done(*result);
    if (result->cancelled && pass_cancel.load() == kLeaseLost) ++summary.leases_lost;
    // Without --loop the worker goes on claiming until no host has a source
    // it has not crawled yet. With --loop, a pass that fetched nothing (every
    // source failing before a request) waits before the next claim.
    const int requests_answered = result->fetched + result->not_modified + result->failed + result->pages_fetched +
                                  result->queue_completed + result->queue_retried;
    if (options.loop && requests_answered == 0) {
      idle(options, options.idle_sleep);
    }
  }
  summary.cancelled = cancelled(options);
  if (summary.cancelled) {
    (void)work_queue.release_leases(options.identity, {});
  }
  summary.totals.cancelled = summary.cancelled;
  return summary;
}

}  // namespace banwatch::crawler
