-- PostgreSQL schema version 8: event identity, SQLite's schema version 5
-- (store/schema/migrations/0005_event_identity.sql), with the same keys.
-- Clustering is no longer decided here: both backends read a history with
-- one query and store/identity.cpp decides (banwatch_append_mention goes).
--   banwatch_identity(t): ASCII letters lower-cased, '.', '''' and U+2019
--   removed, every other run of ASCII non-alphanumerics one space, trimmed,
--   a leading 'the ' dropped (identity::normalize(); a shared table of
--   cases pins both).
--   events.timeline_key = banwatch_key(identity of vendor '\n' actor '\n' action)
--   events.anchor_at, anchor_end: the event date, or for an undated event
--   the publication date of its first article (else first_seen_at)
--   mentions.mention_key: the subject in the same spelling
CREATE FUNCTION banwatch_identity(p_text TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT regexp_replace(
           btrim(regexp_replace(translate(p_text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ.''' || chr(8217),
                                          'abcdefghijklmnopqrstuvwxyz'),
                                '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+', ' ', 'g'), ' '),
           '^the ', '')
$$;

DROP FUNCTION banwatch_append_mention(BIGINT, BOOLEAN, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, BIGINT, TEXT, BIGINT,
                                      BIGINT, BIGINT, BIGINT, DOUBLE PRECISION, TEXT, TEXT, TEXT, TEXT);

ALTER TABLE events ADD COLUMN anchor_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN anchor_end BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events DISABLE TRIGGER events_append_only;
UPDATE events SET timeline_key = banwatch_key(banwatch_identity(vendor) || E'\n' || banwatch_identity(actor)
                                              || E'\n' || banwatch_identity(action)),
                  anchor_at = event_date, anchor_end = event_date_end
 WHERE event_date IS NOT NULL;
UPDATE events e SET timeline_key = banwatch_key(banwatch_identity(e.vendor) || E'\n' || banwatch_identity(e.actor)
                                                || E'\n' || banwatch_identity(e.action)),
                    anchor_at = COALESCE(first.published_at, e.first_seen_at),
                    anchor_end = COALESCE(
                      CASE first.published_precision
                        WHEN 'year' THEN extract(epoch FROM to_timestamp(first.published_at) AT TIME ZONE 'UTC'
                                                            + interval '1 year')::bigint
                        WHEN 'month' THEN extract(epoch FROM to_timestamp(first.published_at) AT TIME ZONE 'UTC'
                                                             + interval '1 month')::bigint
                        WHEN 'day' THEN first.published_at + 86400
                        WHEN 'minute' THEN first.published_at + 60
                        ELSE first.published_at + 1 END,
                      e.first_seen_at + 1)
  FROM events u
  LEFT JOIN LATERAL (SELECT a.published_at, a.published_precision FROM mentions m JOIN articles a ON a.id = m.article_id
                      WHERE m.event_id = u.id AND a.published_at IS NOT NULL ORDER BY m.id LIMIT 1) first ON true
 WHERE u.id = e.id AND e.event_date IS NULL;
ALTER TABLE events ENABLE TRIGGER events_append_only;

ALTER TABLE mentions DISABLE TRIGGER mentions_append_only;
UPDATE mentions m SET mention_key = banwatch_key(m.rule_id || E'\n' || m.evidence || E'\n' || banwatch_identity(e.vendor)
                                                 || E'\n' || banwatch_identity(e.actor) || E'\n'
                                                 || banwatch_identity(e.action) || E'\n' || banwatch_identity(e.status))
  FROM events e WHERE e.id = m.event_id;
ALTER TABLE mentions ENABLE TRIGGER mentions_append_only;

-- Clustering and status-change linking walk one case in anchor order.
DROP INDEX events_timeline;
CREATE INDEX events_timeline ON events (timeline_key, anchor_at);
