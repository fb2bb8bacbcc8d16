-- Schema version 4: compact keys for the two indexes every append writes.
--
-- The clustering index held vendor, actor and action as text, and the
-- mentions' idempotence key the rule id, the hex evidence hash and the
-- subject as text: wide keys compared byte by byte on every insert and
-- lookup. Both become 64-bit integers:
--   events.timeline_key   = banwatch_key(vendor || '\n' || actor || '\n' || action)
--   mentions.mention_key  = banwatch_key(rule_id || '\n' || evidence || '\n' || subject)
-- where subject is vendor, actor, action and status joined by '\n' (the
-- version-3 subject_key) and banwatch_key(t) is the first 8 bytes of the
-- SHA-256 of t's UTF-8 bytes, read as a big-endian signed integer. The store
-- registers banwatch_key() on its own connection; no other reader needs it.
--
-- A timeline key only narrows the walk: clustering also compares vendor,
-- actor and action, so a hash collision can never merge two histories. A
-- mention key is unique within one article, where a collision of 64-bit
-- SHA-256 prefixes is not a practical concern. What the columns tell users
-- stays readable: rule_id, evidence and evidence_hash are kept; the subject
-- is the mention's event.

-- Events: a new column, filled once. The append-only trigger is off only
-- for this one sanctioned write and restored in the same transaction.
ALTER TABLE events ADD COLUMN timeline_key INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER events_append_only_update;
UPDATE events SET timeline_key = banwatch_key(vendor || char(10) || actor || char(10) || action);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
DROP INDEX events_timeline;
-- Clustering and status-change linking walk one history in date order.
CREATE INDEX events_timeline ON events (timeline_key, event_date);

-- Mentions: the UNIQUE constraint changes, so the table is rebuilt with its
-- rows, ids, index and append-only triggers (as in version 3).
CREATE TABLE mentions_v4 (
  id                INTEGER PRIMARY KEY,
  event_id          INTEGER NOT NULL REFERENCES events(id),
  article_id        INTEGER NOT NULL REFERENCES articles(id),
  rule_id           TEXT    NOT NULL,
  rule_pack_version TEXT    NOT NULL DEFAULT '',
  evidence          TEXT    NOT NULL,
  evidence_hash     TEXT    NOT NULL,
  confidence        REAL    NOT NULL DEFAULT 0,
  extracted_at      INTEGER NOT NULL,
  mention_key       INTEGER NOT NULL,
  UNIQUE (article_id, mention_key)
);

INSERT INTO mentions_v4 (id, event_id, article_id, rule_id, rule_pack_version, evidence, evidence_hash,
                         confidence, extracted_at, mention_key)
SELECT id, event_id, article_id, rule_id, rule_pack_version, evidence, evidence_hash, confidence, extracted_at,
       banwatch_key(rule_id || char(10) || evidence || char(10) || subject_key)
  FROM mentions
 ORDER BY id;

DROP TABLE mentions;
ALTER TABLE mentions_v4 RENAME TO mentions;
CREATE INDEX mentions_event ON mentions (event_id);

CREATE TRIGGER mentions_append_only_update BEFORE UPDATE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: UPDATE refused'); END;
CREATE TRIGGER mentions_append_only_delete BEFORE DELETE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: DELETE refused'); END;
