// Backend-neutral rules of the store's data model, shared by the SQLite and
// PostgreSQL backends so both read and key events identically. Internal to
// store/ (not part of the public Store interface).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/text.h"
#include "common/time.h"
#include "store/store.h"

namespace banwatch::store {

// The store's spelling of a date precision (docs/store.md): common/time.h's names.
const char* precision_name(DatePrecision p);
DatePrecision precision_from_name(std::string_view name);  // unknown: second

// period_end(), the exclusive end of the period a precise time states, is
// common/time.h's.

// The longest period a stated date can cover (a leap year), for index ranges.
inline constexpr std::int64_t kLongestPeriodSeconds = 366LL * 86400;

// The evidence hash is common/text.h's sha256_hex().

// The first 8 bytes of the SHA-256 of `data`, big-endian, as a signed
// integer: the SQL function banwatch_key() of both backends (schema 0004 of
// SQLite, 0007 of PostgreSQL). Throws std::runtime_error only when OpenSSL
// has no SHA-256, which the backends turn into kStore.
std::int64_t key64(std::string_view data);

// events.timeline_key: key64(identity::case_text(vendor, actor, action)), the
// normalized names (schema 0005). Equal keys only narrow a search; the
// identity rules compare the normalized text too.
// `scratch` is reused across calls to spare an allocation per event.
std::int64_t timeline_key(const model::ExtractedEvent& event, std::string& scratch);

// mentions.mention_key, unique per article: key64(rule_id '\n' evidence '\n'
// identity::case_text(vendor, actor, action) '\n' normalize(status)) (schema 0005).
std::int64_t mention_key(const model::ExtractedEvent& event, std::string& scratch);

// kInvalidArgument naming the rule when a required field is empty.
Status validate_event(const model::ExtractedEvent& event);

// sources.tags as a JSON array; unreadable JSON reads as no tags.
std::string tags_to_json(const std::vector<std::string>& tags);
std::vector<std::string> tags_from_json(const std::string& text);

// ---- what both backends' methods share --------------------------------------

// The columns both backends read a run and an article from, in their
// readers' order.
inline constexpr const char* kRunColumns =
    "id, kind, started_at, finished_at, outcome, fetched, not_modified, failed, articles_stored, "
    "events_appended, mentions_appended, message";
inline constexpr const char* kArticleColumns =
    "id, source_id, url, canonical_url, item_id, title, published_at, published_precision, fetched_at, "
    "language, site_name, authors, description, text, content_hash, feed_only";

// `columns`, a comma-separated list, with every column prefixed by `alias`
// and '.': ("id, url", "a") is "a.id, a.url".
std::string qualified_columns(std::string_view columns, std::string_view alias);

// Store::query_events() of both backends: kSelectedEventsSql, the filters
// and order of the query, then kEventsWithMentionsSql joins their mentions,
// one row per mention (or one with NULL mention columns). Columns: event
// 0-11 (id, vendor, actor, actor_type, action, status, scope, event_date,
// event_date_precision, first_seen_at, confidence, previous_event_id),
// mention 12-17 (id, article_id, evidence, rule_id, rule_pack_version,
// extracted_at), its article 18-22 (url, title, source name, published_at,
// published_precision), then the event's timeline_key.
inline constexpr const char* kSelectedEventsSql =
    "WITH selected AS (SELECT id, vendor, actor, actor_type, action, status, scope, event_date,"
    " event_date_precision, first_seen_at, confidence, previous_event_id, timeline_key FROM events";
inline constexpr const char* kEventsWithMentionsSql =
    ") SELECT e.id, e.vendor, e.actor, e.actor_type, e.action, e.status, e.scope, e.event_date,"
    " e.event_date_precision, e.first_seen_at, e.confidence, e.previous_event_id,"
    " m.id, m.article_id, m.evidence, m.rule_id, m.rule_pack_version, m.extracted_at,"
    " a.url, a.title, s.name, a.published_at, a.published_precision, e.timeline_key"
    " FROM selected e LEFT JOIN mentions m ON m.event_id = e.id"
    " LEFT JOIN articles a ON a.id = m.article_id LEFT JOIN sources s ON s.id = a.source_id";

// "store '<label>': <what>", the form of every error a backend returns.
std::string store_context(std::string_view label, std::string_view what);

// The store's clock: now, to the second.
Timestamp system_now();

// The time an append records: options.now when set, else when the article
// was fetched (when given and set), else system_now().
Timestamp effective_now(const AppendOptions& options, const model::ArticleRecord* article);

// kInvalidArgument when a source has no name or URL, a kind other than feed,
// sitemap or page, or a negative interval.
Status validate_spec(const SourceSpec& spec);

// Url::authority() of `url`; empty when it does not parse.
std::string host_of(const std::string& url);

// Whether an article appended again replaces the stored one's text: a page
// fetched after its feed-only stub replaces the stub; a changed page replaces
// its older text. A full text is never replaced by a stub.
bool replaces_text(bool stored_feed_only, std::string_view stored_hash, const model::ArticleRecord& article);

// Opening a store at schema `version` with a build whose migrations reach
// `latest`: kStore when the store is newer than this build...
Status check_not_newer(std::string_view label, int version, int latest);
// ...and when it needs migrating but is opened read-only.
Status check_writable_for_migration(std::string_view label, int version, int latest, bool read_only);

// Store::for_each_article() of both backends: keyset pagination over pages
// of `page_size` articles in id order. `read_page(after, page)` appends the
// next page's articles (ids above `after`) to `page`; each page is visited
// after read_page returns, so a backend may read under its lock and visit
// without it (`visit` may call the store). `visit` returning false stops.
template <class ReadPage>
Status walk_article_pages(std::size_t page_size, ReadPage&& read_page,
                          const std::function<bool(const model::ArticleRecord&)>& visit) {
  model::Id after = 0;
  while (true) {
    std::vector<model::ArticleRecord> page;
    if (Status read = read_page(after, page); !read) return read;
    for (const model::ArticleRecord& article : page) {
      if (!visit(article)) return {};
    }
    if (page.size() < page_size) return {};
    after = page.back().id;
  }
}

}  // namespace banwatch::store
