-- Schema version 5: event identity (docs/store.md, "One event, many reports").
--
-- Reports are compared by case (vendor, actor and action in the spelling of
-- banwatch_identity(): case, dots, apostrophes, punctuation and a leading
-- "the " do not count) and by anchor: the period an event is placed in, its
-- stated date when it has one, else the publication date of the article that
-- first reported it. An undated report is no longer kept apart from dated
-- ones: it joins the event nearest its article's publication date.
--   events.timeline_key = banwatch_key(banwatch_identity(vendor) || '\n' ||
--                         banwatch_identity(actor) || '\n' || banwatch_identity(action))
--   events.anchor_at, anchor_end: [start, end) of the anchor period
-- banwatch_identity() is registered by the store on its own connection.
-- After this script, in the same transaction, the store merges the events
-- the new identity makes one (store/identity.h, merge_duplicates()).

ALTER TABLE events ADD COLUMN anchor_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN anchor_end INTEGER NOT NULL DEFAULT 0;

-- Filling the new columns is the one sanctioned write to stored events; the
-- append-only trigger is off only for it and restored in this transaction.
DROP TRIGGER events_append_only_update;
UPDATE events SET timeline_key = banwatch_key(banwatch_identity(vendor) || char(10) || banwatch_identity(actor)
                                              || char(10) || banwatch_identity(action)),
                  anchor_at = event_date, anchor_end = event_date_end
 WHERE event_date IS NOT NULL;
-- An undated event: the publication date of the article of its first
-- mention (the period its precision states), else when it was first seen.
UPDATE events SET timeline_key = banwatch_key(banwatch_identity(vendor) || char(10) || banwatch_identity(actor)
                                              || char(10) || banwatch_identity(action)),
                  anchor_at = COALESCE(
                      (SELECT a.published_at FROM mentions m JOIN articles a ON a.id = m.article_id
                        WHERE m.event_id = events.id AND a.published_at IS NOT NULL ORDER BY m.id LIMIT 1),
                      first_seen_at),
                  anchor_end = COALESCE(
                      (SELECT CASE a.published_precision
                                WHEN 'year' THEN CAST(strftime('%s', a.published_at, 'unixepoch', '+1 year') AS INTEGER)
                                WHEN 'month' THEN CAST(strftime('%s', a.published_at, 'unixepoch', '+1 month') AS INTEGER)
                                WHEN 'day' THEN a.published_at + 86400
                                WHEN 'minute' THEN a.published_at + 60
                                ELSE a.published_at + 1 END
                         FROM mentions m JOIN articles a ON a.id = m.article_id
                        WHERE m.event_id = events.id AND a.published_at IS NOT NULL ORDER BY m.id LIMIT 1),
                      first_seen_at + 1)
 WHERE event_date IS NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;

-- A mention's key takes its subject in the same spelling, so a report
-- spelled "HIKVISION" keys like the "Hikvision" event it joins:
--   mentions.mention_key = banwatch_key(rule_id || '\n' || evidence || '\n' || identity of
--                          vendor, actor and action as above || '\n' || banwatch_identity(status))
DROP TRIGGER mentions_append_only_update;
UPDATE mentions SET mention_key = (
    SELECT banwatch_key(mentions.rule_id || char(10) || mentions.evidence || char(10) || banwatch_identity(e.vendor)
                        || char(10) || banwatch_identity(e.actor) || char(10) || banwatch_identity(e.action)
                        || char(10) || banwatch_identity(e.status))
      FROM events e WHERE e.id = mentions.event_id);
CREATE TRIGGER mentions_append_only_update BEFORE UPDATE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: UPDATE refused'); END;

-- Clustering and status-change linking walk one case in anchor order.
DROP INDEX events_timeline;
CREATE INDEX events_timeline ON events (timeline_key, anchor_at);

-- The versions of an article's text that a changed page replaced (recrawl):
-- the text is kept once, in articles; what it was before is known by hash.
CREATE TABLE article_versions (
  id           INTEGER PRIMARY KEY,
  article_id   INTEGER NOT NULL REFERENCES articles(id),
  content_hash TEXT    NOT NULL,
  fetched_at   INTEGER NOT NULL,
  feed_only    INTEGER NOT NULL DEFAULT 0,
  replaced_at  INTEGER NOT NULL
);
CREATE INDEX article_versions_article ON article_versions (article_id, id);
