#include "crawler/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <limits>
#include <list>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/url.h"
#include "crawler/ingest.h"
#include "crawler/published.h"
#include "crawler/scheduler.h"
#include "crawler/serial_executor.h"
#include "crawler/text.h"
#include "feeds/feed.h"
#include "parsers/article.h"

namespace banwatch::crawler {

namespace {
// The feed item's fields a queued fetch keeps, by their JSON names.
constexpr std::pair<const char*, std::string feeds::Item::*> kQueuedItemText[] = {
    {"id", &feeds::Item::id},
    {"url", &feeds::Item::url},
    {"title", &feeds::Item::title},
    {"summary", &feeds::Item::summary},
    {"content", &feeds::Item::content},
    {"language", &feeds::Item::language},
    {"publication_name", &feeds::Item::publication_name}};
constexpr std::pair<const char*, std::optional<PreciseTime> feeds::Item::*> kQueuedItemDates[] = {
    {"published", &feeds::Item::published}, {"updated", &feeds::Item::updated}};
}  // namespace

std::string queued_item_json(const std::string& key, const feeds::Item& item) {
  nlohmann::json j;
  j["key"] = key;
  for (const auto& [name, field] : kQueuedItemText) j[name] = item.*field;
  j["authors"] = item.authors;
  for (const auto& [name, field] : kQueuedItemDates) {
    if (item.*field) j[name] = format_precise(*(item.*field));
  }
  // Invalid UTF-8 in a feed must not lose the item: replace, as the store does.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::pair<std::string, feeds::Item>> parse_queued_item(std::string_view json) {
  try {
    const auto j = nlohmann::json::parse(json);
    if (!j.is_object()) return fail(ErrorCode::kParse, "queued item: not a JSON object");
    feeds::Item item;
    for (const auto& [name, field] : kQueuedItemText) {
      if (j.contains(name)) item.*field = j.at(name).get<std::string>();
    }
    if (j.contains("authors")) item.authors = j.at("authors").get<std::vector<std::string>>();
    for (const auto& [name, field] : kQueuedItemDates) {
      if (!j.contains(name)) continue;
      auto parsed = parse_precise(j.at(name).get<std::string>());
      if (!parsed) return fail(ErrorCode::kParse, std::string("queued item: unreadable date in '") + name + "'");
      item.*field = *parsed;
    }
    return std::pair{j.contains("key") ? j.at("key").get<std::string>() : std::string(), std::move(item)};
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kParse, std::string("queued item: ") + e.what());
  }
}

std::string item_key(const std::string& source_name, const std::string& item_id) {
  auto colon = item_id.find(':');
  bool absolute = colon != std::string::npos && colon > 0 &&
                  std::all_of(item_id.begin(), item_id.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
                  });
  return absolute ? item_id : source_name + "#" + item_id;
}

namespace {

constexpr std::size_t kMaxChildSitemaps = 20;
// A page whose extracted body is shorter than this adds nothing to the feed's summary.
constexpr std::size_t kMinPageText = 80;
constexpr const char* kFeedAccept =
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
    "*/*;q=0.5";
constexpr const char* kPageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

bool looks_like_html_type(const std::string& mime) {
  return mime.empty() || mime == "text/html" || mime == "application/xhtml+xml" || mime == "text/plain" ||
         mime == "application/octet-stream";
}

// One item on its way to the store.
struct ItemWork {
  feeds::Item item;
  std::string key;        // item_key()
  std::string canonical;  // canonical URL, or the key when the item has no link
  bool has_link = false;  // canonical is an http(s) URL
  bool fetch_page = false;
  // A claimed article-fetch queue entry: completed with this outcome once stored.
  std::optional<model::Id> queued_fetch;
  std::string queued_url;  // the entry's URL: the page to request (a redirect target, or the canonical URL)
  int queued_attempts = 0;
  store::FetchOutcome queued_outcome = store::FetchOutcome::kDone;
  std::string queued_error;
};

struct SourceTask {
  store::Source source;
  std::string policy;  // matching | all | none
  SourceReport report;
  Response feed;  // status and validators of the feed response
  bool feed_ok = false;
  int pending = 0;  // outstanding feed/child/page work
  bool processing = true;
  FetchOutcome outcome;
  bool recrawl = false;
  bool force = false;
  bool loose = false;                         // a single article of a recrawl: no feed, no schedule
  std::vector<store::ArticleFetch> to_queue;  // worker mode: pages on hosts not held
  std::string host;                           // the feed URL's authority: start_more() spreads sources over hosts
};

// What the processing thread reads of a source task: a copy, since the loop
// thread goes on changing the task.
struct TaskInfo {
  model::Id source_id = 0;  // 0: none
  std::string kind;         // the source's kind (feed | sitemap | page)
  std::string name;         // for warnings
};

// What processing one item did, applied to the crawl's counters on the loop thread.
struct Processed {
  std::vector<std::string> warnings;
  bool feed_only = false;
  bool recorded = false;  // reached the rules and the store (or the dry run)
  std::optional<store::AppendResult> appended;
  std::optional<DryRunArticle> dry_run;
  bool queue_completed = false;
  std::optional<Error> store_error;
  // Set by the processing stage when the item is to be appended; the append
  // itself is batched with the pages processed just before and after it.
  std::optional<store::Store::ArticleWithEvents> to_append;
};

// Pages waiting for the processing thread: at most this many, and this many
// bytes of body, before the fetch loop waits for it.
constexpr std::size_t kMaxProcessingJobs = 64;
constexpr std::size_t kMaxProcessingBytes = 64u << 20;
// Articles appended in one store transaction at most: the pages processed
// since the processing thread last ran out of work. One commit per article
// rewrote the same index pages for each (a third of a crawl's CPU time was
// the store's writes); a bound keeps transactions, and what a failed one
// takes back, small.
constexpr std::size_t kMaxAppendBatch = 32;

// The processing thread's work on one item: the page read (or the feed's
// content taken), the rules run, the record made ready for the store. Uses
// only what of `deps` is thread-safe; once `store_failed` is set (a store
// write failed), nothing more is recorded.
class ItemProcessor {
 public:
  ItemProcessor(const CrawlDeps& deps, bool dry_run, const std::atomic<bool>& store_failed)
      : deps_(deps), dry_run_(dry_run), store_failed_(store_failed) {}

  // The fetched page's article, or the feed's content when the page has none.
  void process_page(const TaskInfo& info, const ItemWork& work, const Response& r, Timestamp now,
                    Processed& out) const {
    std::string mime = r.mime_type();
    if (!looks_like_html_type(mime)) {
      return store_feed_only(info, work, fmt::format("{}: not an HTML page ({})", r.final_url, mime), now, out);
    }
    article::Options ao;
    ao.url = r.final_url;
    ao.http_charset = r.charset();
    ao.max_bytes = deps_.config->fetch.max_bytes;
    ao.reference = now;
    auto extracted = article::extract(r.body, ao);
    if (!extracted) return store_feed_only(info, work, extracted.error().with_context(r.final_url).message, now, out);
    if (extracted->body_partial || extracted->text.size() < kMinPageText) {
      std::string why = extracted->body_partial ? "paywalled or script-rendered page" : "no article text on the page";
      // With nothing better in the feed, what the page gave is kept.
      const bool feed_has_nothing = info.kind == "page" || (work.item.summary.empty() && work.item.content.empty());
      if (!feed_has_nothing || extracted->text.empty()) {
        return store_feed_only(info, work, fmt::format("{}: {}", r.final_url, why), now, out);
      }
    }
    model::ArticleRecord rec = base_record(info, work, now);
    rec.url = r.final_url.empty() ? work.item.url : r.final_url;
    if (rec.title.empty()) rec.title = extracted->title;
    rec.published_at = choose_published(work.item.published, work.item.updated, *extracted, now);
    if (!extracted->language.empty()) rec.language = extracted->language;
    rec.site_name = extracted->site_name;
    if (!extracted->authors.empty()) rec.authors = join(extracted->authors, ", ");
    if (!extracted->description.empty()) rec.description = extracted->description;
    rec.text = std::move(extracted->text);
    rec.feed_only = false;
    store_record(std::move(rec), out);
  }

  // The feed's content (the longer of content and summary) as the article;
  // `why` (when not "") is warned about.
  void store_feed_only(const TaskInfo& info, const ItemWork& work, const std::string& why, Timestamp now,
                       Processed& out) const {
    if (!why.empty()) out.warnings.push_back(fmt::format("source {}: {}; using the feed's content", info.name, why));
    model::ArticleRecord rec = base_record(info, work, now);
    std::string content = html_fragment_to_text(work.item.content);
    std::string summary = rec.description;
    rec.text = content.size() >= summary.size() ? content : summary;
    rec.feed_only = true;
    out.feed_only = true;
    store_record(std::move(rec), out);
  }

 private:
  // What the feed item says of the article.
  static model::ArticleRecord base_record(const TaskInfo& info, const ItemWork& work, Timestamp now) {
    model::ArticleRecord rec;
    if (info.source_id) rec.source_id = info.source_id;
    rec.url = work.item.url.empty() ? work.canonical : work.item.url;
    rec.canonical_url = work.canonical;
    rec.item_id = work.key;
    rec.title = html_fragment_to_text(work.item.title);
    rec.published_at = work.item.published ? work.item.published : work.item.updated;
    rec.fetched_at = now;
    rec.language = work.item.language;
    rec.site_name = work.item.publication_name;
    rec.authors = join(work.item.authors, ", ");
    rec.description = html_fragment_to_text(work.item.summary);
    return rec;
  }

  // Seals the record and runs the rules: a dry-run article, or one to append.
  void store_record(model::ArticleRecord rec, Processed& out) const {
    if (store_failed_.load()) return;  // the run is ending: nothing more is written
    out.recorded = true;
    seal_article(rec);
    std::vector<model::ExtractedEvent> events = extract_events(*deps_.rules, rec);
    if (dry_run_) {
      out.dry_run = DryRunArticle{std::move(rec), std::move(events)};
      return;
    }
    out.to_append = store::Store::ArticleWithEvents{std::move(rec), std::move(events)};
  }

  const CrawlDeps& deps_;
  bool dry_run_;
  const std::atomic<bool>& store_failed_;
};

class Crawl {
 public:
  Crawl(const CrawlDeps& deps, Fetcher& fetcher, bool dry_run, std::function<void(const std::string&)> warn)
      : deps_(deps), fetcher_(fetcher), dry_run_(dry_run), warn_(std::move(warn)) {
    const auto& c = *deps_.config;
    bounds_.min_interval = c.crawl.min_interval;
    bounds_.max_interval = c.crawl.max_interval;
    bounds_.max_backoff = c.crawl.max_backoff;
    max_active_ = std::max(4, c.fetch.concurrency * 2);
    processor_ = std::make_unique<SerialExecutor>(kMaxProcessingJobs, kMaxProcessingBytes, [this] { flush_appends(); });
  }

  // After run() has returned: lets the processing thread finish the pages it
  // holds (a page fetched before a cancel is still stored), then applies
  // their results without starting anything new. Call before destruction.
  void finish_processing() {
    finishing_ = true;
    processor_->drain();
    (void)fetcher_.run(nullptr);  // runs the posted results; no transfer is left to start
  }

  std::function<void(const SourceReport&)> source_done;
  std::function<void(const DryRunArticle&)> dry_run_article;
  std::function<void()> item_finished;
  const ArticleQueue* queue = nullptr;

  CrawlSummary& summary() { return summary_; }
  const std::optional<Error>& fatal() const { return fatal_; }

  // ---- planning sources ----

  void add_source(store::Source source, bool recrawl = false, bool force = false) {
    auto task = std::make_unique<SourceTask>();
    task->source = std::move(source);
    task->policy =
        task->source.spec.article_policy.empty() ? deps_.config->crawl.articles : task->source.spec.article_policy;
    task->report.name = task->source.spec.name;
    task->report.url = task->source.spec.url;
    if (auto url = Url::parse(task->source.spec.url)) task->host = url->authority();
    task->recrawl = recrawl;
    task->force = force;
    auto& waiting = queued_by_host_[task->host];
    if (waiting.empty()) waiting_hosts_.push_back(task->host);
    waiting.push_back(std::move(task));
  }

  // Starts queued sources up to the limit, each time the first queued source
  // of the host with the fewest sources running. Sources usually arrive
  // grouped by site (names sort that way); started in that order, the running
  // ones would share one or two hosts, whose per-host delay then paces the
  // whole pass while the fetcher's other slots stay idle. Cost per start:
  // at most max_active_ + 1 hosts looked at (only that many can have a
  // source running).
  void start_more() {
    while (!fatal_ && !finishing_ && active_ < max_active_ && !waiting_hosts_.empty()) {
      auto pick = waiting_hosts_.begin();
      int fewest = std::numeric_limits<int>::max();
      for (auto it = waiting_hosts_.begin(); it != waiting_hosts_.end() && fewest > 0; ++it) {
        auto running = running_per_host_.find(*it);
        const int count = running == running_per_host_.end() ? 0 : running->second;
        if (count < fewest) {
          fewest = count;
          pick = it;
        }
      }
      auto& waiting = queued_by_host_[*pick];
      std::unique_ptr<SourceTask> owned = std::move(waiting.front());
      waiting.pop_front();
      if (waiting.empty()) {
        queued_by_host_.erase(*pick);
        waiting_hosts_.erase(pick);
      } else {
        waiting_hosts_.splice(waiting_hosts_.end(), waiting_hosts_, pick);  // round robin among equals
      }
      SourceTask* task = owned.get();
      tasks_.push_back(std::move(owned));
      ++active_;
      ++running_per_host_[task->host];
      start_source(*task);
    }
  }

  // Article-only work (recrawl --url / --since): no source task schedule.
  void add_loose_item(ItemWork work, std::optional<model::Id> source_id, std::string policy) {
    add_loose(std::move(work), source_id, std::move(policy), "");
  }

  // Worker mode: claimed queue entries. One already stored is completed at
  // once; the others are fetched beside the sources.
  void add_claimed_fetches(const std::vector<store::ArticleFetch>& fetches) {
    for (const auto& fetch : fetches) {
      auto found = deps_.store->find_article(fetch.canonical_url);
      if (!found) return store_failed(found.error());
      if (*found) {
        ++summary_.queue_already_stored;
        complete_queued(fetch.id, store::FetchOutcome::kDone, "");
        continue;
      }
      ItemWork work = claimed_work(fetch);
      // A feed of this pass listing the same page leaves it to this entry.
      seen_canonicals_.insert(work.canonical);
      add_loose(std::move(work), fetch.source_id, "all", "article queue");
    }
  }

  // Fetches and processes every task added by add_loose_item() and add_claimed_fetches().
  void start_loose() {
    for (auto& [task, work] : loose_) {
      ++task->pending;
      process_item(*task, std::move(work));
      task->processing = false;
    }
    loose_.clear();
  }

  // Runs the pass to its end (every source and loose item done, or the
  // cancel flag set, or the store failed), lets the processing thread finish
  // what it holds, and returns the summary.
  CrawlSummary run_to_end(const std::atomic<int>* cancel) {
    start_loose();
    start_more();
    auto status = fetcher_.run(cancel);
    if (!status && status.error().code == ErrorCode::kCancelled && !fatal_) summary_.cancelled = true;
    finish_processing();
    return summary_;
  }

 private:
  void warn(const std::string& message) {
    if (summary_.warnings.size() < 1000) summary_.warnings.push_back(message);
    if (warn_) warn_(message);
  }

  // A task of its own for one article (no feed, no schedule to save), started by start_loose().
  void add_loose(ItemWork work, std::optional<model::Id> source_id, std::string policy, std::string report_name) {
    auto task = std::make_unique<SourceTask>();
    task->source.id = source_id.value_or(0);
    task->report.name = std::move(report_name);
    task->policy = std::move(policy);
    task->recrawl = true;
    task->loose = true;
    task->feed_ok = true;
    SourceTask* raw = task.get();
    tasks_.push_back(std::move(task));
    loose_.push_back({raw, std::move(work)});
  }

  // The work of a claimed queue entry: its feed item (when readable), the
  // page to request and the entry to complete.
  ItemWork claimed_work(const store::ArticleFetch& fetch) {
    auto parsed = parse_queued_item(fetch.item_json);
    ItemWork work;
    if (parsed) {
      work.key = parsed->first;
      work.item = std::move(parsed->second);
    } else {
      // The page itself is still worth fetching; only the feed-only fallback is lost.
      warn(fmt::format("article queue: entry {} ({}): {}", fetch.id, fetch.url, parsed.error().message));
    }
    if (work.key.empty()) work.key = fetch.canonical_url;
    if (work.item.url.empty()) work.item.url = fetch.url;
    work.canonical = fetch.canonical_url;
    work.has_link = true;
    work.fetch_page = true;
    work.queued_fetch = fetch.id;
    work.queued_url = fetch.url;
    work.queued_attempts = fetch.attempts;
    return work;
  }

  // ---- fetching feeds ----

  void start_source(SourceTask& task) {
    Request req;
    req.url = task.source.spec.url;
    req.accept = task.source.spec.kind == "page" ? kPageAccept : kFeedAccept;
    if (!task.force) {
      req.etag = task.source.state.etag;
      req.last_modified = task.source.state.last_modified;
    }
    task.pending = 1;
    fetcher_.submit(std::move(req), [this, &task](Response&& r) { on_feed(task, std::move(r)); });
  }

  void on_feed(SourceTask& task, Response&& r) {
    task.report.status = r.status;
    if (!r.ok()) {
      task.report.error = *r.error;
      task.feed = std::move(r);
      task.feed_ok = false;
      work_done(task);
      return;
    }
    ++summary_.fetched;
    task.feed_ok = true;
    if (r.not_modified()) {
      task.report.not_modified = true;
      task.feed = std::move(r);
      work_done(task);
      return;
    }
    std::string body = std::move(r.body);
    task.feed = std::move(r);
    if (task.source.spec.kind == "page") {
      process_page_source(task, std::move(body));
    } else {
      process_feed_bytes(task, body, task.feed, /*depth=*/0);
    }
    work_done(task);
  }

  // A source of kind "page": the response is the article itself.
  void process_page_source(SourceTask& task, std::string body) {
    ItemWork work;
    work.item.url = task.feed.final_url;
    work.item.id = task.source.spec.url;
    work.key = item_key(task.source.spec.name, task.source.spec.url);
    auto url = Url::parse(task.source.spec.url);
    work.canonical = url ? url->canonical().str() : work.key;
    work.fetch_page = false;
    ++task.report.items;
    ++task.report.items_new;
    ++task.pending;
    Response page = task.feed;
    page.body = std::move(body);
    submit_processing(task, std::move(work), std::move(page), "");
  }

  void process_feed_bytes(SourceTask& task, std::string_view body, const Response& r, int depth) {
    feeds::Options fo;
    fo.base_url = r.final_url;
    fo.http_charset = r.charset();
    fo.http_content_type = r.content_type;
    fo.max_bytes = deps_.config->fetch.max_bytes;
    auto feed = feeds::parse(body, fo);
    if (!feed) {
      if (depth == 0) {
        task.feed_ok = false;
        task.report.error = feed.error().with_context(r.final_url);
      } else {
        warn(fmt::format("source {}: child sitemap {}: {}", task.report.name, r.final_url, feed.error().message));
      }
      return;
    }
    if (depth == 0) {
      task.outcome.ttl_minutes = feed->ttl_minutes;
      task.outcome.skip_hours = feed->skip_hours;
    }
    if (feed->format == feeds::Format::kSitemapIndex) {
      if (depth > 0) return;  // one level of index: nested indexes are not followed
      return fetch_child_sitemaps(task, feed->items);
    }
    bool truncated = std::any_of(feed->warnings.begin(), feed->warnings.end(),
                                 [](const std::string& w) { return w.find("truncated") != std::string::npos; });
    if (truncated && !feed->items.empty()) {
      // The item open when the bytes ended may be cut anywhere: leave it for
      // the next, complete fetch rather than store half of it.
      warn(fmt::format("source {}: {} is truncated; its last item is left for the next fetch", task.report.name,
                       r.final_url));
      feed->items.pop_back();
    }
    select_items(task, std::move(feed->items));
    flush_queue(task);
  }

  // The first kMaxChildSitemaps sitemaps of an index, each read as the
  // source's feed (one level deep).
  void fetch_child_sitemaps(SourceTask& task, const std::vector<feeds::Item>& children) {
    std::size_t count = 0;
    for (const auto& child : children) {
      if (count++ >= kMaxChildSitemaps) break;
      ++task.pending;
      Request req;
      req.url = child.url;
      req.accept = kFeedAccept;
      fetcher_.submit(std::move(req), [this, &task](Response&& cr) {
        if (!cr.ok()) {
          warn(fmt::format("source {}: child sitemap: {}", task.report.name, cr.error->message));
        } else if (!cr.not_modified()) {
          process_feed_bytes(task, cr.body, cr, 1);
        }
        work_done(task);
      });
    }
  }

  // ---- discovering articles ----

  void select_items(SourceTask& task, std::vector<feeds::Item> items) {
    const auto& cc = deps_.config->crawl;
    Timestamp now = deps_.clock->now();
    Timestamp oldest = now - std::chrono::duration_cast<std::chrono::seconds>(cc.max_item_age);
    std::size_t taken = 0;
    for (auto& item : items) {
      ++task.report.items;
      if (taken >= static_cast<std::size_t>(std::max(0, cc.max_items_per_source))) break;
      auto date = item.published ? item.published : item.updated;
      if (!task.recrawl && date && date->time < oldest) continue;
      ItemWork work = item_work(task, item);
      if (!seen_keys_.insert(work.key).second || !seen_canonicals_.insert(work.canonical).second) continue;
      if (!task.recrawl) {
        auto stored = stored_before(work);
        if (!stored) return store_failed(stored.error());
        if (*stored) continue;
      }
      ++taken;
      ++task.report.items_new;
      ++summary_.items_new;
      work.item = std::move(item);
      ++task.pending;
      decide_and_process(task, std::move(work));
      if (fatal_) return;
    }
  }

  // A feed item's key and canonical URL (the key when it has no http(s) link).
  static ItemWork item_work(const SourceTask& task, const feeds::Item& item) {
    ItemWork work;
    work.key = item_key(task.source.spec.name, item.id.empty() ? item.url : item.id);
    if (auto url = Url::parse(item.url); url && url->is_http()) {
      work.canonical = url->canonical().str();
      work.has_link = true;
    } else {
      work.canonical = work.key;
    }
    return work;
  }

  // Whether an earlier run stored the item, or the same article under
  // another id or source.
  Result<bool> stored_before(const ItemWork& work) const {
    auto has = deps_.store->has_item(work.key);
    if (!has) return std::unexpected(has.error());
    if (*has) return true;
    auto found = deps_.store->find_article(work.canonical);
    if (!found) return std::unexpected(found.error());
    return found->has_value();
  }

  // Whether the item's page is fetched (the source's policy; "matching": its
  // title and summary interest the rules), then on to process_item().
  void decide_and_process(SourceTask& task, ItemWork work) {
    bool has_link = work.has_link;
    if (task.policy == "all") {
      work.fetch_page = has_link;
    } else if (task.policy == "none") {
      work.fetch_page = false;
    } else {
      std::string probe = work.item.title + "\n" + html_fragment_to_text(work.item.summary);
      work.fetch_page = has_link && deps_.rules->is_candidate(probe);
    }
    process_item(task, std::move(work));
  }

  // ---- fetching articles ----

  // The item's page is fetched here, by the queue entry's own request, or
  // left to the worker leasing its host; an item without one goes on with
  // the feed's content.
  void process_item(SourceTask& task, ItemWork work) {
    if (!work.fetch_page) return submit_processing(task, std::move(work), std::nullopt, "");
    if (work.queued_fetch) return process_queued(task, std::move(work));
    if (queue && !held(work.canonical)) {
      // Another worker's host (or nobody's yet): its holder fetches the page.
      task.to_queue.push_back(queued_fetch(task, work, work.canonical));
      work_done(task);
      return;
    }
    Request req;
    // The canonical URL: tracking parameters and fragments are not sent.
    req.url = work.canonical;
    req.accept = kPageAccept;
    if (queue) req.follow_redirect = [this](const Url& target) { return held(target); };
    auto shared = std::make_shared<ItemWork>(std::move(work));
    fetcher_.submit(std::move(req), [this, &task, shared](Response&& r) {
      if (!r.ok() && !r.not_followed.empty()) {
        // The page moved to a host another worker leases: its holder fetches it there.
        task.to_queue.push_back(queued_fetch(task, *shared, r.not_followed));
        flush_queue(task);
        return work_done(task);
      }
      if (!r.ok()) return submit_processing(task, std::move(*shared), std::nullopt, r.error->message);
      ++task.report.pages_fetched;
      ++summary_.pages_fetched;
      submit_processing(task, std::move(*shared), std::move(r), "");
    });
  }

  bool held(const std::string& canonical) const {
    auto url = Url::parse(canonical);
    return url && held(*url);
  }
  bool held(const Url& url) const { return queue->held_hosts.count(url.authority()) > 0; }

  // A queue entry for the page of `work`, requested at `url` by whoever leases its host.
  static store::ArticleFetch queued_fetch(const SourceTask& task, const ItemWork& work, const std::string& url) {
    store::ArticleFetch fetch;
    fetch.url = url;
    fetch.canonical_url = work.canonical;
    if (task.source.id) fetch.source_id = task.source.id;
    fetch.item_json = queued_item_json(work.key, work.item);
    return fetch;
  }

  // Commits the pages of one feed document that go through the queue, before
  // the source's fetch state can be saved: a feed marked fetched has all its
  // items stored or queued.
  void flush_queue(SourceTask& task) {
    if (task.to_queue.empty() || fatal_) return;
    auto queued = queue->work_queue->enqueue_article_fetches(task.to_queue, deps_.clock->now());
    task.to_queue.clear();
    if (!queued) return store_failed(queued.error());
    summary_.pages_queued += static_cast<int>(*queued);
  }

  static bool transient(const Response& r) {
    return r.error->code == ErrorCode::kNetwork || r.status == 429 || r.status >= 500;
  }

  void process_queued(SourceTask& task, ItemWork work) {
    Request req;
    req.url = work.queued_url.empty() ? work.canonical : work.queued_url;
    req.accept = kPageAccept;
    // A second move to a host not held ends the entry (feed content stands in).
    req.follow_redirect = [this](const Url& target) { return held(target); };
    auto shared = std::make_shared<ItemWork>(std::move(work));
    fetcher_.submit(std::move(req), [this, &task, shared](Response&& r) {
      if (r.ok()) {
        ++task.report.pages_fetched;
        ++summary_.pages_fetched;
        // The processing thread completes the entry once the article is stored.
        return submit_processing(task, std::move(*shared), std::move(r), "");
      }
      const std::string error = r.error->message;
      if (transient(r) && shared->queued_attempts < queue->max_attempts) {
        const int doublings = std::clamp(shared->queued_attempts - 1, 0, 6);
        ++summary_.queue_retried;
        complete_queued(*shared->queued_fetch, store::FetchOutcome::kRetry, error,
                        queue->retry_after * (1 << doublings));
        work_done(task);
      } else {
        shared->queued_outcome = store::FetchOutcome::kFailed;
        shared->queued_error = error;
        submit_processing(task, std::move(*shared), std::nullopt, error);
      }
    });
  }

  void complete_queued(model::Id id, store::FetchOutcome outcome, const std::string& error,
                       std::chrono::seconds retry_after = std::chrono::seconds(0)) {
    if (outcome != store::FetchOutcome::kRetry) ++summary_.queue_completed;
    if (std::string problem = complete_entry(id, outcome, error, retry_after); !problem.empty()) warn(problem);
  }

  // The store call of complete_queued(), for either thread: a warning, or "".
  std::string complete_entry(model::Id id, store::FetchOutcome outcome, const std::string& error,
                             std::chrono::seconds retry_after = std::chrono::seconds(0)) const {
    auto done = queue->work_queue->complete_article_fetch(queue->worker, id, outcome, error, retry_after);
    // Not fatal: the article is stored, and whoever claims the entry next
    // finds it stored and completes it without a request.
    if (!done) return fmt::format("article queue: completing entry {}: {}", id, done.error().message);
    return "";
  }

  // ---- extracting and storing ----

  // Hands one item to the processing thread: the page (when fetched) is read,
  // its rules run and the result is appended there, in submission order;
  // apply() then counts it on the loop thread and consumes the unit of
  // `task.pending` the item holds. `why`: why the feed's content stands in
  // for the page ("" when the page was not wanted).
  void submit_processing(SourceTask& task, ItemWork work, std::optional<Response> page, std::string why) {
    TaskInfo info{task.source.id, task.source.spec.kind, task.report.name};
    const Timestamp now = deps_.clock->now();
    const std::size_t weight = page ? page->body.size() : 0;
    fetcher_.hold();
    processor_->submit(
        [this, &task, info = std::move(info), work = std::move(work), page = std::move(page), why = std::move(why),
         now]() {
          Processed out;
          if (page) {
            items_.process_page(info, work, *page, now, out);
          } else {
            items_.store_feed_only(info, work, why, now, out);
          }
          if (out.to_append) return append_later(task, work, std::move(out));
          post_result(task, std::move(out));
        },
        weight);
  }

  // ---- appends, on the processing thread ----

  struct PendingAppend {
    SourceTask* task;
    ItemWork work;
    Processed out;
  };

  void post_result(SourceTask& task, Processed out) {
    fetcher_.post([this, &task, out = std::move(out)]() mutable { apply(task, std::move(out)); });
  }

  void append_later(SourceTask& task, const ItemWork& work, Processed out) {
    // A recrawled article goes the way of a new one: append_article() finds
    // it by canonical URL, replaces a changed text (and its search entry,
    // keeping the old version's hash) and appends only the new mentions.
    pending_appends_.push_back(PendingAppend{&task, work, std::move(out)});
    if (pending_appends_.size() >= kMaxAppendBatch) flush_appends();
  }

  // One transaction for every pending article, in the order processed (the
  // order event clustering sees, as with one append each).
  void flush_appends() {
    if (pending_appends_.empty()) return;
    std::vector<store::Store::ArticleWithEvents> batch;
    batch.reserve(pending_appends_.size());
    for (PendingAppend& pending : pending_appends_) {
      batch.push_back(std::move(*pending.out.to_append));
      pending.out.to_append.reset();
    }
    store::AppendOptions ao;
    ao.cluster_window = deps_.config->store.cluster_window;  // `now`: each article's fetched_at
    Result<std::vector<store::AppendResult>> results =
        store_failed_.load() ? Result<std::vector<store::AppendResult>>(
                                   std::unexpected(Error(ErrorCode::kStore, "not written: an earlier append failed")))
                             : deps_.store->append_batch(batch, ao);
    for (std::size_t i = 0; i < pending_appends_.size(); ++i) {
      PendingAppend& pending = pending_appends_[i];
      const Result<store::AppendResult> result =
          results ? Result<store::AppendResult>((*results)[i]) : std::unexpected(results.error());
      finish_append(pending.work, result, pending.out);
      post_result(*pending.task, std::move(pending.out));
    }
    pending_appends_.clear();
  }

  // Records an append's outcome and completes the item's queue entry once it is stored.
  void finish_append(const ItemWork& work, const Result<store::AppendResult>& result, Processed& out) {
    if (!result) {
      store_failed_ = true;
      out.store_error = result.error();
      return;
    }
    out.appended = *result;
    if (work.queued_fetch) {
      out.queue_completed = work.queued_outcome != store::FetchOutcome::kRetry;
      std::string problem = complete_entry(*work.queued_fetch, work.queued_outcome, work.queued_error);
      if (!problem.empty()) out.warnings.push_back(std::move(problem));
    }
  }

  // ---- back on the loop thread: reporting ----

  // Counts what processing one item did and releases the item's unit of `task.pending`.
  void apply(SourceTask& task, Processed out) {
    for (const std::string& message : out.warnings) warn(message);
    if (out.feed_only) {
      ++task.report.feed_only;
      ++summary_.feed_only;
    }
    if (out.recorded && item_finished) item_finished();
    if (out.dry_run && dry_run_article) dry_run_article(*out.dry_run);
    if (out.appended) {
      if (out.appended->article_inserted) {
        ++task.report.articles_stored;
        ++summary_.articles_stored;
      }
      task.report.events_appended += out.appended->events_appended;
      task.report.mentions_appended += out.appended->mentions_appended;
      summary_.events_appended += out.appended->events_appended;
      summary_.mentions_appended += out.appended->mentions_appended;
    }
    if (out.queue_completed) ++summary_.queue_completed;
    if (out.store_error) store_failed(*out.store_error);
    work_done(task);
  }

  // A failed store write ends the run: nothing more is written or started.
  void store_failed(const Error& error) {
    store_failed_ = true;
    if (!fatal_) fatal_ = error.with_context("store");
    fetcher_.cancel();
  }

  // One unit of the task's outstanding work is done; after the last, the
  // source is finalized and the next queued source starts.
  void work_done(SourceTask& task) {
    if (--task.pending > 0 || fatal_) return;
    finalize(task);
    if (task.loose) return;
    --active_;
    if (auto running = running_per_host_.find(task.host);
        running != running_per_host_.end() && --running->second <= 0) {
      running_per_host_.erase(running);
    }
    start_more();
  }

  // A source is done: its fetch state and next due time are saved (not for
  // a recrawl), and it is reported.
  void finalize(SourceTask& task) {
    if (task.recrawl) {
      if (!task.feed_ok && task.report.error) {
        ++summary_.failed;
        summary_.failures.push_back(task.report);
      }
      return;
    }
    store::FetchState state = next_fetch_state(task);
    task.report.consecutive_errors = state.consecutive_errors;
    task.report.next_due = state.next_due;
    if (!dry_run_) {
      if (auto st = deps_.store->save_fetch_state(task.source.id, state); !st) return store_failed(st.error());
    }
    if (!task.feed_ok) summary_.failures.push_back(task.report);
    if (source_done) source_done(task.report);
  }

  // The source's fetch state after this run: validators, the last success
  // or error, and when it is next due.
  store::FetchState next_fetch_state(SourceTask& task) {
    Timestamp now = deps_.clock->now();
    store::FetchState state = task.source.state;
    state.last_fetch = now;
    state.last_status = task.feed.status;
    std::chrono::seconds configured = task.source.spec.interval;
    if (task.feed_ok) {
      state.last_success = now;
      if (!task.report.not_modified) {
        // Validators only from a full response: a 304 may omit them.
        state.etag = task.feed.etag;
        state.last_modified = task.feed.last_modified;
      } else {
        if (!task.feed.etag.empty()) state.etag = task.feed.etag;
        if (!task.feed.last_modified.empty()) state.last_modified = task.feed.last_modified;
        ++summary_.not_modified;
      }
      task.outcome.changed = task.report.items_new > 0;
      if (task.outcome.changed) state.last_change = now;
      schedule_success(state, configured, task.outcome, now, bounds_);
    } else {
      const Error& e = *task.report.error;
      std::string message = e.message;
      if (task.feed.status == 404 || task.feed.status == 410)
        message += task.feed.status == 410 ? " (the feed is gone: remove or update the source)"
                                           : " (the feed was not found: check the URL)";
      state.last_error = message;
      task.report.error = Error(e.code, message);
      schedule_failure(state, configured, task.feed.retry_after, now, bounds_);
      ++summary_.failed;
    }
    return state;
  }

  const CrawlDeps& deps_;
  Fetcher& fetcher_;
  bool dry_run_;
  std::function<void(const std::string&)> warn_;
  ScheduleBounds bounds_;
  int max_active_ = 4;
  int active_ = 0;
  std::unordered_map<std::string, int> running_per_host_;  // started sources not yet done, by host
  // Sources not started yet, by host, and the hosts that have some in the order they came.
  std::unordered_map<std::string, std::deque<std::unique_ptr<SourceTask>>> queued_by_host_;
  std::list<std::string> waiting_hosts_;
  std::vector<std::unique_ptr<SourceTask>> tasks_;
  std::vector<std::pair<SourceTask*, ItemWork>> loose_;
  std::unordered_set<std::string> seen_keys_, seen_canonicals_;
  CrawlSummary summary_;
  std::optional<Error> fatal_;
  std::atomic<bool> store_failed_{false};                // set by the processing thread at the first failed append
  ItemProcessor items_{deps_, dry_run_, store_failed_};  // runs on the processing thread
  bool finishing_ = false;                               // run() has returned: results are applied, nothing is started
  std::vector<PendingAppend> pending_appends_;           // the processing thread's alone
  // Last member: destroyed (its thread joined) before anything its jobs use.
  std::unique_ptr<SerialExecutor> processor_;

  friend Result<CrawlSummary> banwatch::crawler::recrawl(const CrawlDeps&, const RecrawlOptions&);
};

std::function<void(const std::string&)> default_warn(std::function<void(const std::string&)> warn) {
  if (warn) return warn;
  return [](const std::string& m) { spdlog::warn("{}", m); };
}

Status check_deps(const CrawlDeps& deps) {
  if (!deps.store || !deps.rules || !deps.config || !deps.clock)
    return fail(ErrorCode::kInternal, "crawl: store, rules, config and clock are required");
  return {};
}

struct FetcherHolder {
  std::unique_ptr<Fetcher> owned;
  Fetcher* fetcher = nullptr;
};

Result<FetcherHolder> fetcher_for(const CrawlDeps& deps) {
  FetcherHolder h;
  if (deps.fetcher) {
    h.fetcher = deps.fetcher;
    return h;
  }
  auto created = Fetcher::create(FetcherOptions::from_config(deps.config->fetch));
  if (!created) return std::unexpected(created.error());
  h.owned = std::move(*created);
  h.fetcher = h.owned.get();
  return h;
}

std::string run_outcome(const CrawlSummary& s, bool fatal) {
  if (fatal) return "failed";
  if (s.cancelled) return "interrupted";
  if (s.failed > 0) return s.failed == s.sources ? "failed" : "partial";
  return "ok";
}

Status finish_run(store::Store& store, const CrawlSummary& s, const std::string& kind, Timestamp started,
                  Timestamp finished, bool fatal, const std::string& message) {
  store::Run run;
  run.id = s.run_id;
  run.kind = kind;
  run.started_at = started;
  run.finished_at = finished;
  run.outcome = run_outcome(s, fatal);
  run.fetched = s.fetched;
  run.not_modified = s.not_modified;
  run.failed = s.failed;
  run.articles_stored = s.articles_stored;
  run.events_appended = s.events_appended;
  run.mentions_appended = s.mentions_appended;
  run.message = message;
  return store.finish_run(run);
}

// The sources of a pass: those named (each must exist and be enabled), else
// every enabled source that is due (or every one with `all`), the
// longest-waiting first; none in worker mode unless named.
Result<std::vector<store::Source>> select_sources(std::vector<store::Source> sources, const CrawlOptions& options,
                                                  Timestamp now) {
  std::vector<store::Source> selected;
  if (!options.sources.empty()) {
    for (const auto& name : options.sources) {
      auto it =
          std::find_if(sources.begin(), sources.end(), [&](const store::Source& s) { return s.spec.name == name; });
      if (it == sources.end()) return fail(ErrorCode::kNotFound, "no source named \"" + name + "\"");
      if (!it->spec.enabled)
        return fail(ErrorCode::kInvalidArgument,
                    "source \"" + name + "\" is disabled (banwatch sources enable " + name + ")");
      selected.push_back(*it);
    }
  } else if (!options.queue) {
    for (auto& s : sources) {
      if (!s.spec.enabled) continue;
      if (options.all || is_due(s.state, now)) selected.push_back(std::move(s));
    }
    // The longest-waiting first.
    std::stable_sort(selected.begin(), selected.end(), [](const store::Source& a, const store::Source& b) {
      return a.state.next_due.value_or(Timestamp::min()) < b.state.next_due.value_or(Timestamp::min());
    });
  }
  return selected;
}

// A stored article as recrawl work: its page is fetched again when it has an http(s) URL.
ItemWork recrawl_work(const model::ArticleRecord& a) {
  ItemWork w;
  w.item.url = a.url;
  w.item.id = a.item_id;
  w.item.title = a.title;
  w.item.summary = a.description;
  w.item.content = a.text;
  w.item.published = a.published_at;
  w.key = a.item_id.empty() ? a.canonical_url : a.item_id;
  w.canonical = a.canonical_url;
  auto parsed = Url::parse(a.url);
  w.has_link = parsed && parsed->is_http();
  w.fetch_page = w.has_link;
  return w;
}

using LooseItems = std::vector<std::pair<ItemWork, std::optional<model::Id>>>;

// The articles a recrawl names by URL or by fetch time: the stored ones,
// then each named URL not stored yet as a new page.
Result<LooseItems> recrawl_items(const CrawlDeps& deps, const RecrawlOptions& options) {
  LooseItems loose;
  store::Store::ArticleFilter filter;
  filter.since = options.since;
  filter.urls = options.urls;
  std::unordered_set<std::string> found_urls;
  auto st = deps.store->for_each_article(filter, [&](const model::ArticleRecord& a) {
    found_urls.insert(a.url);
    found_urls.insert(a.canonical_url);
    loose.emplace_back(recrawl_work(a), a.source_id);
    return true;
  });
  if (!st) return std::unexpected(st.error());
  for (const auto& u : options.urls) {
    auto parsed = Url::parse(u);
    if (!parsed || !parsed->is_http()) return fail(ErrorCode::kInvalidArgument, "recrawl: not an http(s) URL: " + u);
    std::string canonical = parsed->canonical().str();
    if (found_urls.contains(u) || found_urls.contains(canonical)) continue;
    ItemWork w;
    w.item.url = parsed->str();
    w.item.id = canonical;
    w.key = canonical;
    w.canonical = canonical;
    w.has_link = true;
    w.fetch_page = true;
    loose.emplace_back(std::move(w), std::nullopt);
  }
  return loose;
}

// Ends a run: records it in the store (best effort: the run row is
// bookkeeping; a store that just failed may fail again) and returns the
// summary, or the error that stopped the run.
Result<CrawlSummary> end_run(const CrawlDeps& deps, const Crawl& crawl, const CrawlSummary& summary,
                             const std::string& kind, Timestamp started, bool record) {
  if (record) {
    std::string message = crawl.fatal() ? crawl.fatal()->message : "";
    (void)finish_run(*deps.store, summary, kind, started, deps.clock->now(), crawl.fatal().has_value(), message);
  }
  if (crawl.fatal()) return std::unexpected(*crawl.fatal());
  return summary;
}

}  // namespace

Result<CrawlSummary> crawl(const CrawlDeps& deps, const CrawlOptions& options) {
  if (auto st = check_deps(deps); !st) return std::unexpected(st.error());
  auto sources = deps.store->list_sources();
  if (!sources) return std::unexpected(sources.error());
  Timestamp now = deps.clock->now();
  auto selected = select_sources(std::move(*sources), options, now);
  if (!selected) return std::unexpected(selected.error());

  auto holder = fetcher_for(deps);
  if (!holder) return std::unexpected(holder.error());
  Crawl crawl(deps, *holder->fetcher, options.dry_run, default_warn(options.warn));
  crawl.source_done = options.source_done;
  if (options.progress) {
    crawl.source_done = [&crawl, &options, done = std::size_t{0},
                         total = selected->size()](const SourceReport& r) mutable {
      if (options.source_done) options.source_done(r);
      options.progress(++done, total, crawl.summary());
    };
  }
  crawl.dry_run_article = options.dry_run_article;
  crawl.queue = options.dry_run ? nullptr : options.queue;
  crawl.summary().sources = static_cast<int>(selected->size());
  if (!options.dry_run) {
    auto run_id = deps.store->begin_run("crawl", now);
    if (!run_id) return std::unexpected(run_id.error());
    crawl.summary().run_id = *run_id;
  }
  for (auto& s : *selected) crawl.add_source(std::move(s));
  if (crawl.queue) crawl.add_claimed_fetches(crawl.queue->claimed);
  const CrawlSummary summary = crawl.run_to_end(options.cancel);
  return end_run(deps, crawl, summary, "crawl", now, /*record=*/!options.dry_run);
}

Result<CrawlSummary> recrawl(const CrawlDeps& deps, const RecrawlOptions& options) {
  if (auto st = check_deps(deps); !st) return std::unexpected(st.error());
  if (options.urls.empty() && !options.source && !options.since)
    return fail(ErrorCode::kInvalidArgument, "recrawl: give --url, --source or --since");
  auto holder = fetcher_for(deps);
  if (!holder) return std::unexpected(holder.error());
  Timestamp now = deps.clock->now();
  Crawl crawl(deps, *holder->fetcher, false, default_warn(options.warn));
  auto run_id = deps.store->begin_run("recrawl", now);
  if (!run_id) return std::unexpected(run_id.error());
  crawl.summary().run_id = *run_id;

  if (options.source) {
    auto source = deps.store->get_source(*options.source);
    if (!source) return std::unexpected(source.error());
    crawl.add_source(std::move(*source), /*recrawl=*/true, options.force);
    crawl.summary().sources = 1;
  }
  LooseItems loose;
  if (!options.urls.empty() || options.since) {
    auto items = recrawl_items(deps, options);
    if (!items) return std::unexpected(items.error());
    loose = std::move(*items);
  }
  std::size_t total = loose.size();
  std::size_t done = 0;
  if (options.progress) crawl.item_finished = [&] { options.progress(++done, total); };
  for (auto& [work, source_id] : loose) crawl.add_loose_item(std::move(work), source_id, "all");
  const CrawlSummary summary = crawl.run_to_end(options.cancel);
  return end_run(deps, crawl, summary, "recrawl", now, /*record=*/true);
}

}  // namespace banwatch::crawler
