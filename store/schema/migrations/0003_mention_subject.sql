-- Schema version 3: a mention is keyed by what it says, not only by where it
-- says it. One sentence can state several events ("banned Hikvision and
-- Dahua"; "Poland and Ireland want to ban ..."), all from one rule and one
-- evidence sentence, so the idempotence key gains subject_key: the event's
-- vendor, actor, action and status joined by newlines.
--
-- SQLite cannot change a table's UNIQUE constraint in place: the table is
-- rebuilt with its rows, ids, index and append-only triggers. (DROP TABLE
-- drops the triggers before its implicit delete, so none fires.)

CREATE TABLE mentions_v3 (
  id                INTEGER PRIMARY KEY,
  event_id          INTEGER NOT NULL REFERENCES events(id),
  article_id        INTEGER NOT NULL REFERENCES articles(id),
  rule_id           TEXT    NOT NULL,
  rule_pack_version TEXT    NOT NULL DEFAULT '',
  evidence          TEXT    NOT NULL,
  evidence_hash     TEXT    NOT NULL,
  confidence        REAL    NOT NULL DEFAULT 0,
  extracted_at      INTEGER NOT NULL,
  subject_key       TEXT    NOT NULL DEFAULT '',
  UNIQUE (article_id, rule_id, evidence_hash, subject_key)
);

INSERT INTO mentions_v3 (id, event_id, article_id, rule_id, rule_pack_version, evidence, evidence_hash,
                         confidence, extracted_at, subject_key)
SELECT m.id, m.event_id, m.article_id, m.rule_id, m.rule_pack_version, m.evidence, m.evidence_hash,
       m.confidence, m.extracted_at,
       e.vendor || char(10) || e.actor || char(10) || e.action || char(10) || e.status
  FROM mentions m JOIN events e ON e.id = m.event_id
 ORDER BY m.id;

DROP TABLE mentions;
ALTER TABLE mentions_v3 RENAME TO mentions;
CREATE INDEX mentions_event ON mentions (event_id);

CREATE TRIGGER mentions_append_only_update BEFORE UPDATE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: UPDATE refused'); END;
CREATE TRIGGER mentions_append_only_delete BEFORE DELETE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: DELETE refused'); END;
