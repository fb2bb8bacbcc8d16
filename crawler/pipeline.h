// The crawl pipeline: feed -> items -> article pages -> text -> rules -> store.
//
// Crash consistency (what makes a run killed at any point and run again end
// with the same store as an uninterrupted run):
//  - an item is done only when its article row, events and mentions are
//    committed in one Store::append_article() transaction (idempotent);
//  - a source's fetch state (ETag, Last-Modified, next due time) is saved only
//    after every one of its items is done, so an interrupted source is fetched
//    again in full next time, and the items already stored are skipped
//    (Store::has_item / Store::find_article on the canonical URL).
// Items are de-duplicated by id and canonical URL, across sources and runs.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/error.h"
#include "common/time.h"
#include "crawler/fetcher.h"
#include "feeds/feed.h"
#include "parsers/rules.h"
#include "store/store.h"
#include "store/work_queue.h"

namespace banwatch::crawler {

struct CrawlDeps {
  store::Store* store = nullptr;
  const rules::RuleEngine* rules = nullptr;
  const Config* config = nullptr;
  const Clock* clock = nullptr;
  Fetcher* fetcher = nullptr;  // null: one is created from config->fetch
};

// One source's result in a run.
struct SourceReport {
  std::string name, url;
  int status = 0;
  bool not_modified = false;
  std::optional<Error> error;
  int consecutive_errors = 0;
  std::optional<Timestamp> next_due;
  int items = 0, items_new = 0, pages_fetched = 0, feed_only = 0;
  int articles_stored = 0, events_appended = 0, mentions_appended = 0;
};

struct CrawlSummary {
  model::Id run_id = 0;
  int sources = 0, fetched = 0, not_modified = 0, failed = 0;
  int items_new = 0, pages_fetched = 0, feed_only = 0;
  int articles_stored = 0, events_appended = 0, mentions_appended = 0;
  // Worker mode (ArticleQueue): pages queued for the holder of their host,
  // and claimed queue entries completed, requeued after a transient failure,
  // or found already stored (completed without a request).
  int pages_queued = 0, queue_completed = 0, queue_retried = 0, queue_already_stored = 0;
  bool cancelled = false;
  std::vector<SourceReport> failures;  // sources whose fetch failed this run
  std::vector<std::string> warnings;   // e.g. a page that could not be fetched
};

// What a dry run would have stored.
struct DryRunArticle {
  model::ArticleRecord article;
  std::vector<model::ExtractedEvent> events;
};

// Worker mode: the article-fetch queue of a shared store (docs/scale-out.md).
// A page on a host the worker does not lease is never requested: its item is
// queued (WorkQueue::enqueue_article_fetches, with the feed item as JSON) for
// the worker that holds that host. A page on a held host is fetched in the
// pass, as on a single machine. Claimed entries (WorkQueue::claim_article_fetches)
// run beside the sources: one already stored is completed without a request;
// otherwise the page is fetched, extracted, run through the rules and stored
// exactly as a feed item's page, then completed (kDone). A transient failure
// (network, 5xx, 429) requeues it (kRetry, `retry_after` doubled per
// attempt) until `max_attempts`; then, and on a permanent failure, the feed's
// content is stored instead and the entry ends kFailed with the error.
struct ArticleQueue {
  store::WorkQueue* work_queue = nullptr;  // the shared store's (Store::work_queue()); required
  store::WorkerInfo worker;
  std::set<std::string> held_hosts;          // Url::authority() of the leased hosts
  std::vector<store::ArticleFetch> claimed;  // claimed entries to run in this pass
  std::chrono::seconds retry_after{60};
  int max_attempts = 3;
};

// The feed item of a queued fetch as JSON (store::ArticleFetch::item_json),
// and back; `key` is the item's item_key(). Exposed for tests.
std::string queued_item_json(const std::string& key, const feeds::Item& item);
Result<std::pair<std::string, feeds::Item>> parse_queued_item(std::string_view json);

struct CrawlOptions {
  std::vector<std::string> sources;                      // by name; empty = every due source (none with `queue`)
  bool all = false;                                      // every enabled source, due or not
  bool dry_run = false;                                  // fetch and extract, write nothing
  const std::atomic<int>* cancel = nullptr;              // non-zero: stop (signal number)
  std::function<void(const std::string&)> warn;          // default: spdlog warn
  std::function<void(const SourceReport&)> source_done;  // each source, when it is done
  std::function<void(std::size_t done, std::size_t total, const CrawlSummary& so_far)> progress;
  std::function<void(const DryRunArticle&)> dry_run_article;
  const ArticleQueue* queue = nullptr;  // worker mode; null on a single machine
};

// Whether a crawl reached none of its sources: some were tried, every one
// failed (the exit code of a total outage, not of a partial failure).
inline bool reached_none(const CrawlSummary& s) { return s.failed > 0 && s.fetched == 0 && s.not_modified == 0; }

// One scheduled pass. Errors: kNotFound (a named source), kInvalidArgument
// (a named source is disabled), kStore (a write
// failed; the run stops, what was committed stays), kCancelled is not an
// error: summary.cancelled is set.
Result<CrawlSummary> crawl(const CrawlDeps& deps, const CrawlOptions& options);

struct RecrawlOptions {
  std::vector<std::string> urls;      // these article URLs
  std::optional<std::string> source;  // every item of this source's feed
  std::optional<Timestamp> since;     // every stored article fetched since
  bool force = false;                 // no conditional headers
  const std::atomic<int>* cancel = nullptr;
  std::function<void(const std::string&)> warn;
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Fetches again, re-extracts and appends only what is new (the store's
// idempotent append keeps existing mentions single). Does not move schedules.
Result<CrawlSummary> recrawl(const CrawlDeps& deps, const RecrawlOptions& options);

// The key an item is remembered by: ids that are absolute URIs (http:, urn:,
// tag:) are global; bare ids ("123") are scoped by the source name.
std::string item_key(const std::string& source_name, const std::string& item_id);

}  // namespace banwatch::crawler
