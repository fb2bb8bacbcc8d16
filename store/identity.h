// Event identity: when a report is an event already stored, and which
// earlier event a new one follows. The one authority for clustering: the
// SQLite and PostgreSQL backends read a case's history (kHistorySql, or the
// whole case) and hand it to decide(); neither decides on its own
// (docs/store.md, "One event, many reports"). Pure: no I/O, no clock.
// Internal to store/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "store/store.h"

namespace banwatch::store::identity {

// The spelling names are compared in: ASCII letters lower-cased, '.', '\''
// and U+2019 removed ("U.S." is "us"), every other run of ASCII characters
// that are not letters or digits one space, no space at either end, and a
// leading "the " dropped. Bytes beyond ASCII are kept as they are. The SQL
// function banwatch_identity() of both backends computes the same (SQLite:
// registered from this function; PostgreSQL: schema 0008), pinned by a
// table of cases run against both.
std::string normalize(std::string_view name);

// normalize(vendor) '\n' normalize(actor) '\n' normalize(action): the text
// whose key64() is events.timeline_key. Two reports belong to one case
// (one history of status changes) exactly when these agree.
std::string case_text(std::string_view vendor, std::string_view actor, std::string_view action);

// A half-open period of Unix seconds [start, end).
struct Period {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

// When a report places its event: its stated date when it has one, else the
// publication date of its article (the period that date states), else when
// the article was fetched (one second). Stored as events.anchor_at/anchor_end.
Period anchor(const std::optional<PreciseTime>& event_date, const std::optional<PreciseTime>& published_at,
              Timestamp fetched_at);

struct Report {
  std::string case_text;  // case_text() of its vendor, actor, action
  std::string status;
  bool dated = false;
  Period when;  // anchor()
};

// One stored event of the report's history, as the backends read it.
struct Candidate {
  model::Id id = 0;
  std::string vendor, actor, action, status;
  bool dated = false;
  Period when;  // anchor_at, anchor_end
};

// The anchor range a backend must read: every event of the timeline key with
// anchor_at in [lowest, highest], plus the one latest event below `lowest`
// (for the status-change link). `window_s` is the cluster window.
struct HistoryRange {
  std::int64_t lowest = 0;
  std::int64_t highest = 0;
};
HistoryRange history_range(const Period& when, std::int64_t window_s);

// The history query ($1 timeline key, $2 lowest, $3 highest; SQLite reads
// $N as a named parameter of index N), read for each report by the SQLite
// backend. Columns: id, vendor, actor, action, status, dated (0/1),
// anchor_at, anchor_end. decide() takes any history holding these rows:
// PostgreSQL reads the whole cases of an article's reports in one round trip
// instead (kCasesOfKeysPostgresSql, then timeline_key) and adds the events it
// creates.
inline constexpr const char* kHistorySql =
    "SELECT id, vendor, actor, action, status, CASE WHEN event_date IS NULL THEN 0 ELSE 1 END, anchor_at, anchor_end"
    " FROM events WHERE timeline_key = $1 AND anchor_at BETWEEN $2 AND $3"
    " UNION ALL SELECT * FROM (SELECT id, vendor, actor, action, status,"
    " CASE WHEN event_date IS NULL THEN 0 ELSE 1 END, anchor_at, anchor_end"
    " FROM events WHERE timeline_key = $1 AND anchor_at < $2 ORDER BY anchor_at DESC, id DESC LIMIT 1) AS below";

inline constexpr const char* kCasesOfKeysPostgresSql =
    "SELECT id, vendor, actor, action, status, CASE WHEN event_date IS NULL THEN 0 ELSE 1 END, anchor_at, anchor_end,"
    " timeline_key FROM events WHERE timeline_key = ANY($1::bigint[])";

struct Decision {
  model::Id join = 0;      // the event the report joins; 0: create a new event
  model::Id previous = 0;  // for a new event: the event it follows (a status change); 0: none
};

// The identity rules (docs/store.md):
//  1. A report joins an event of its case (vendor, actor and action agree
//     after normalize()) with the same status whose anchor period lies
//     within `window_s` of the report's; of several, the nearest (midpoints),
//     a dated one before an undated one at equal distance, then the newest.
//  2. Otherwise it is a new event. It follows the latest event of its case
//     anchored at or before it (by anchor start, then id); that link is kept
//     only when the status differs (proposed -> enacted -> reversed).
// Candidates of another case (a timeline key collision) are ignored.
Decision decide(const Report& report, const std::vector<Candidate>& history, std::int64_t window_s);

// Within one article, dated reports are appended before undated ones, so the
// undated headline joins the event its dated body created rather than the
// other way round (an event keeps the date of the report that created it).
// Returns the order to append `events` in (indexes), stable otherwise.
std::vector<std::size_t> append_order(const std::vector<model::ExtractedEvent>& events);

// The step before each event of one case, known once the whole case is
// read (an event may be appended before the one it follows): rule 2 of
// decide() applied to the whole case, that is, walking it in anchor order
// (start, then id), the event just before, when its status differs.
// Per entry of `history`, in its order; 0: none.
std::vector<model::Id> timeline_links(const std::vector<Candidate>& history);

// The case's current status: the status of its latest event in anchor order
// (ties: the highest id). Empty for an empty history.
std::string case_status(const std::vector<Candidate>& history);

// The events of the cases that hold more than one event, among the cases
// whose timeline keys are given ($1: SQLite a JSON array, PostgreSQL a
// bigint[]). The count reads only the index. Columns as kHistorySql, then
// timeline_key.
inline constexpr const char* kCasesSqliteSql =
    "SELECT id, vendor, actor, action, status, CASE WHEN event_date IS NULL THEN 0 ELSE 1 END, anchor_at, anchor_end,"
    " timeline_key FROM events WHERE timeline_key IN (SELECT value FROM json_each($1)"
    " WHERE (SELECT count(*) FROM events WHERE timeline_key = value) > 1)";
inline constexpr const char* kCasesPostgresSql =
    "SELECT id, vendor, actor, action, status, CASE WHEN event_date IS NULL THEN 0 ELSE 1 END, anchor_at, anchor_end,"
    " timeline_key FROM events WHERE timeline_key IN (SELECT k FROM unnest($1::bigint[]) AS k"
    " WHERE (SELECT count(*) FROM events WHERE timeline_key = k) > 1)";

// Fills case_status of every event of `events`, and previous_event_id of
// those stored without one that timeline_links() gives one. `cases` holds
// every event of their cases of several events with its timeline key
// (kCases*Sql); an event of no such case is its case's latest.
void apply_timeline(std::vector<EventWithMentions>& events,
                    const std::vector<std::pair<std::int64_t, Candidate>>& cases);

// Replays decide() over stored events in append (id) order, case by case,
// as if each had been appended under these rules: the events a later one
// would have joined. Returns (merged event, event it joins), the latter
// always an earlier id that is not itself merged. Used by the schema 5
// migration of both backends to merge duplicates of older rules.
std::vector<std::pair<model::Id, model::Id>> plan_merges(std::vector<Candidate> events, std::int64_t window_s);

// Every stored event in the order MergePlanner takes them: by timeline key,
// then id. Columns as kHistorySql, then timeline_key.
inline constexpr const char* kEventsByCaseSql =
    "SELECT id, vendor, actor, action, status, CASE WHEN event_date IS NULL THEN 0 ELSE 1 END,"
    " anchor_at, anchor_end, timeline_key FROM events ORDER BY timeline_key, id";

// plan_merges() over the whole store, one timeline key at a time, so that
// memory is bounded by the longest history, not by the store: add() every
// event read by kEventsByCaseSql, then finish().
class MergePlanner {
 public:
  explicit MergePlanner(std::int64_t window_s) : window_s_(window_s) {}
  void add(std::int64_t timeline_key, Candidate event);
  std::vector<std::pair<model::Id, model::Id>> finish();

 private:
  void flush();

  std::int64_t window_s_;
  std::vector<std::pair<model::Id, model::Id>> merges_;
  std::vector<Candidate> group_;
  std::int64_t group_key_ = 0;
};

}  // namespace banwatch::store::identity
