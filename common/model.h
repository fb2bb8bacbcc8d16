// The domain model every module shares: the article a crawl stores, the event
// the rule engine extracts from one of its sentences, and the event and
// mention the store keeps of them. Plain values: no I/O, no behaviour. The
// parsers produce ExtractedEvent; the store turns articles and extracted
// events into Events and Mentions (store/store.h); the crawler, the digest
// and the server read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"

namespace banwatch::model {

// A store row's id; 0 until the store has assigned one.
using Id = std::int64_t;

// One fetched article: its page (or its feed entry) and what was read from it.
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

// A stored event: the reports of one vendor, actor, action and status that
// the store's identity rules take for one happening (docs/store.md).
struct Event {
  Id id = 0;
  std::string vendor, actor, actor_type, action, status, scope;
  std::optional<PreciseTime> event_date;
  Timestamp first_seen_at{};
  double confidence = 0.0;
  // The earlier event of a status change (proposed -> enacted -> reversed):
  // the link made when the event was appended, or, for an event appended
  // before the one it follows, the link its case's history gives when read
  // (Store::query_events; docs/store.md "Timeline").
  std::optional<Id> previous_event_id;
  // Filled by Store::query_events: the status of the latest event of this
  // event's case (vendor, actor and action), e.g. "reversed" for an
  // enactment lifted since.
  std::string case_status;
};

// One report of an event: the sentence of one article that states it.
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

}  // namespace banwatch::model
