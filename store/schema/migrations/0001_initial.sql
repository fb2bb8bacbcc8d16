-- Schema version 1: sources with their fetch state, articles, events,
-- mentions, runs and digests. docs/store.md describes every column.
--
-- Portability: this file is written in the SQL subset SQLite and PostgreSQL
-- share where that costs nothing. Times are INTEGER seconds since the Unix
-- epoch (UTC); booleans are INTEGER 0/1; a date read from text keeps its
-- precision in a *_precision column (year | month | day | minute | second).

CREATE TABLE sources (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE,
  url            TEXT    NOT NULL,
  kind           TEXT    NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'sitemap', 'page')),
  interval_s     INTEGER NOT NULL CHECK (interval_s >= 0),
  tags           TEXT    NOT NULL DEFAULT '[]',      -- JSON array of strings
  enabled        INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  article_policy TEXT    NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  removed_at     INTEGER                              -- NULL while the source is configured
);

-- Per-source fetch state, one row per source, written by the crawler.
CREATE TABLE source_state (
  source_id          INTEGER PRIMARY KEY REFERENCES sources(id),
  etag               TEXT    NOT NULL DEFAULT '',
  last_modified      TEXT    NOT NULL DEFAULT '',
  next_due           INTEGER,
  last_fetch         INTEGER,
  last_success       INTEGER,
  last_change        INTEGER,
  consecutive_errors INTEGER NOT NULL DEFAULT 0,
  last_status        INTEGER NOT NULL DEFAULT 0,
  last_error         TEXT    NOT NULL DEFAULT '',
  current_interval_s INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
  id                  INTEGER PRIMARY KEY,
  source_id           INTEGER REFERENCES sources(id),
  url                 TEXT    NOT NULL,
  canonical_url       TEXT    NOT NULL UNIQUE,
  item_id             TEXT    NOT NULL DEFAULT '',
  title               TEXT    NOT NULL DEFAULT '',
  published_at        INTEGER,
  published_precision TEXT,
  fetched_at          INTEGER NOT NULL,
  language            TEXT    NOT NULL DEFAULT '',
  site_name           TEXT    NOT NULL DEFAULT '',
  authors             TEXT    NOT NULL DEFAULT '',
  description         TEXT    NOT NULL DEFAULT '',
  text                TEXT    NOT NULL DEFAULT '',
  content_hash        TEXT    NOT NULL DEFAULT '',
  feed_only           INTEGER NOT NULL DEFAULT 0 CHECK (feed_only IN (0, 1))
);
CREATE INDEX articles_fetched_at ON articles (fetched_at);
CREATE INDEX articles_item_id ON articles (item_id) WHERE item_id <> '';
CREATE INDEX articles_source ON articles (source_id, fetched_at);

-- One real-world event: a vendor, an actor, an action and a status at a date.
-- event_date_end is the exclusive end of the period event_date states
-- (2022-03 -> [2022-03-01, 2022-04-01)); clustering compares periods.
CREATE TABLE events (
  id                   INTEGER PRIMARY KEY,
  vendor               TEXT    NOT NULL,
  actor                TEXT    NOT NULL,
  actor_type           TEXT    NOT NULL DEFAULT '',
  action               TEXT    NOT NULL,
  status               TEXT    NOT NULL,
  scope                TEXT    NOT NULL DEFAULT '',
  event_date           INTEGER,
  event_date_precision TEXT,
  event_date_end       INTEGER,
  first_seen_at        INTEGER NOT NULL,
  confidence           REAL    NOT NULL DEFAULT 0,
  previous_event_id    INTEGER REFERENCES events(id),
  CHECK ((event_date IS NULL) = (event_date_end IS NULL))
);
CREATE INDEX events_first_seen_at ON events (first_seen_at);
CREATE INDEX events_event_date ON events (event_date);
-- Clustering and status-change linking both walk one vendor+actor+action
-- history in date order; one index serves both.
CREATE INDEX events_timeline ON events (vendor, actor, action, event_date);

-- One citation of an event: the sentence of one article that a rule matched.
-- (article_id, rule_id, evidence_hash) makes appends idempotent;
-- evidence_hash is the hex SHA-256 of the evidence sentence.
CREATE TABLE mentions (
  id                INTEGER PRIMARY KEY,
  event_id          INTEGER NOT NULL REFERENCES events(id),
  article_id        INTEGER NOT NULL REFERENCES articles(id),
  rule_id           TEXT    NOT NULL,
  rule_pack_version TEXT    NOT NULL DEFAULT '',
  evidence          TEXT    NOT NULL,
  evidence_hash     TEXT    NOT NULL,
  confidence        REAL    NOT NULL DEFAULT 0,
  extracted_at      INTEGER NOT NULL,
  UNIQUE (article_id, rule_id, evidence_hash)
);
CREATE INDEX mentions_event ON mentions (event_id);

-- Events and mentions are append-only: corrections are new rows.
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
CREATE TRIGGER mentions_append_only_update BEFORE UPDATE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: UPDATE refused'); END;
CREATE TRIGGER mentions_append_only_delete BEFORE DELETE ON mentions
BEGIN SELECT RAISE(ABORT, 'mentions are append-only: DELETE refused'); END;

-- Every crawl, recrawl, reextract and digest run.
CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  kind              TEXT    NOT NULL,
  started_at        INTEGER NOT NULL,
  finished_at       INTEGER,
  outcome           TEXT    NOT NULL DEFAULT 'running',
  fetched           INTEGER NOT NULL DEFAULT 0,
  not_modified      INTEGER NOT NULL DEFAULT 0,
  failed            INTEGER NOT NULL DEFAULT 0,
  articles_stored   INTEGER NOT NULL DEFAULT 0,
  events_appended   INTEGER NOT NULL DEFAULT 0,
  mentions_appended INTEGER NOT NULL DEFAULT 0,
  message           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX runs_kind_started ON runs (kind, started_at);

-- Every digest written or delivered; the cursor of "since the last digest".
CREATE TABLE digests (
  id               INTEGER PRIMARY KEY,
  channel          TEXT    NOT NULL,
  created_at       INTEGER NOT NULL,
  up_to_event_id   INTEGER NOT NULL,
  up_to_mention_id INTEGER NOT NULL,
  event_count      INTEGER NOT NULL DEFAULT 0,
  format           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX digests_channel ON digests (channel, up_to_event_id);
