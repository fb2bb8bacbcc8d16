// The analyst's brief: what the store learned since the last brief, grouped
// by vendor and cited, plus the health of the runs that produced it.
//
// A Digest is a plain value built from a store::Store (build_digest) and then
// rendered (digest/render.h) and delivered (digest/deliver.h). Exactly-once
// delivery rests on the store's `digests` cursor: run_digest() moves a
// channel's cursor only after that channel accepted the digest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "store/store.h"

namespace banwatch::digest {

// Why an event is in this digest.
enum class Change {
  kNew,           // first seen since the last brief
  kStatusChange,  // first seen, and it continues an earlier event (proposed -> enacted)
  kNewCitations,  // known before; new reports cite it
};
std::string_view to_string(Change change) noexcept;  // "new", "status_change", "new_citations"

struct Citation {
  model::Id mention_id = 0;
  std::string source;  // the source's name; empty when the article came from a URL
  std::string title;
  std::string url;
  std::optional<PreciseTime> published;
  std::string evidence;      // the sentence of this report
  bool is_new = false;       // not in the previous brief
  Timestamp extracted_at{};  // when banwatch read it
};

struct DigestEvent {
  model::Event event;
  Change change = Change::kNew;
  std::optional<model::Event> previous;  // the earlier event when change == kStatusChange
  std::string evidence;                  // the sentence quoted (first citation's)
  std::vector<Citation> citations;       // oldest report first
};

struct VendorGroup {
  std::string vendor;
  std::vector<DigestEvent> events;  // newest event date first (undated last)
};

// One row of the table a brief opens with.
struct VendorSummary {
  std::string vendor;
  int new_events = 0;      // first seen in this brief (status changes included)
  int updated_events = 0;  // known before, newly cited
  int status_changes = 0;  // new events that change the status of an earlier one
};

struct ChangeSummary {
  int new_events = 0;  // includes status changes
  int status_changes = 0;
  int new_citations = 0;  // new reports of events known before
  int known_events_cited = 0;
};

struct FailingSource {
  std::string name;
  std::string url;
  int consecutive_errors = 0;
  int last_status = 0;
  std::string last_error;
  std::optional<Timestamp> last_success;
};

struct Health {
  std::optional<store::Run> last_crawl;            // the last crawl, whatever its outcome
  std::optional<Timestamp> last_successful_crawl;  // when it finished
  std::vector<FailingSource> failing_sources;
  std::int64_t sources = 0;
};

struct Digest {
  std::string title = "banwatch digest";
  Timestamp generated_at{};
  // The window this digest covers: since/until on first_seen_at, or the cursor.
  std::optional<Timestamp> since, until;
  std::optional<model::Id> after_event_id;     // cursor mode: the previous brief's cursor
  std::optional<Timestamp> previous_brief_at;  // when the previous brief was recorded
  std::vector<std::string> vendor_filter;
  std::vector<VendorGroup> vendors;  // vendors whose newest event is newest first
  ChangeSummary changes;
  Health health;
  // The cursor this digest reaches: every event and mention with an id at or
  // below these is in it or was in an earlier brief.
  model::Id up_to_event_id = 0;
  model::Id up_to_mention_id = 0;

  int event_count() const;
  bool empty() const { return vendors.empty(); }
};

struct BuildOptions {
  Timestamp now{};
  std::string title = "banwatch digest";
  // Cursor mode when set: events with id > after_event_id are new, and events
  // with a mention id > after_mention_id are known events newly cited.
  std::optional<store::DigestRecord> cursor;
  bool use_cursor = false;  // --since last: with no cursor yet, everything is new
  // Window mode: events first seen in [since, until), and events first seen
  // before it that reports appended in it cite (as updates).
  std::optional<Timestamp> since, until;
  std::vector<std::string> vendors;  // empty = every vendor
  std::size_t max_events = 10'000;   // a budget: a brief is read by a person
};

// The table a brief opens with, one row per vendor group, in its order.
std::vector<VendorSummary> vendor_summary(const Digest& digest);

// What counts as new in a brief. Cursor mode: ids above the previous brief's
// cursors. Window mode: an event first seen, a citation appended, within
// [since, until). Both conditions hold when both are given.
struct Novelty {
  model::Id known_event_limit = 0;
  model::Id known_mention_limit = 0;
  std::optional<Timestamp> since, until;
};

// A report's sentence without the wire dateline it may open with:
// "LONDON, Dec 7 (Wire) - The UK banned ..." gives "The UK banned ...".
// A dateline is a place in capitals, optionally a date after a comma and an
// agency in parentheses, then a dash (-, --, – or —) between spaces, within
// the first 80 bytes; text that does not open so is returned unchanged.
std::string strip_dateline(std::string_view evidence);

// Reads events, citations and run health from the store. Errors are the
// store's, with context.
Result<Digest> build_digest(store::Store& store, const BuildOptions& options);

// Groups and orders already-fetched events (the pure half of build_digest, for
// tests and for `banwatch events`). `known_mention_limit` is the previous
// mention cursor (0 = none): mentions at or below it are not new.
std::vector<VendorGroup> group_events(const std::vector<store::EventWithMentions>& events, model::Id known_event_limit,
                                      model::Id known_mention_limit);
std::vector<VendorGroup> group_events(const std::vector<store::EventWithMentions>& events, const Novelty& novelty);

}  // namespace banwatch::digest
