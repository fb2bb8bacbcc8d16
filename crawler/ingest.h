// The one ingest path: a fetched page becomes an article record, the rule
// pack's events are extracted from it, and both go to the store. crawl,
// recrawl and crawl --worker (crawler/pipeline.cpp) and reextract (below)
// all take these steps from here, so what is extracted from an article, and
// how it joins stored events (store/identity.h), is the same whichever
// command reads it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "parsers/rules.h"
#include "store/store.h"

namespace banwatch::crawler {

// Completes a record for the store: its content_hash (hex SHA-256 of text).
void seal_article(model::ArticleRecord& article);

// The events the rule pack finds in an article: the title, then the body
// (an article's headline and body are one report), with its publication
// date for relative dates ("on Monday").
std::vector<model::ExtractedEvent> extract_events(const rules::RuleEngine& rules, const model::ArticleRecord& article);

struct ReextractOptions {
  store::Store::ArticleFilter filter;
  std::chrono::days cluster_window{14};
  const std::atomic<int>* cancel = nullptr;                              // non-zero: stop before the next article
  const Clock* clock = nullptr;                                          // required
  std::function<void(int articles_read, int events_appended)> progress;  // after each article
};

struct ReextractSummary {
  int articles = 0;
  int events_appended = 0, mentions_appended = 0;
  bool cancelled = false;
};

// Runs the rule pack over stored articles (streamed, id order) and appends
// what is new: each report goes through the store's identity rules, so a new
// report joins the event it describes and stored mentions, events and digest
// cursors are never touched (append-only). Stops at the first store error,
// naming the article; what was appended before stays.
Result<ReextractSummary> reextract(store::Store& store, const rules::RuleEngine& rules,
                                   const ReextractOptions& options);

}  // namespace banwatch::crawler
