-- PostgreSQL schema version 7: the compact keys of SQLite's schema version 4
-- (store/schema/migrations/0004_compact_keys.sql), with the same values, so a
-- store copied by `banwatch migrate` keys its rows exactly as SQLite did.
--   events.timeline_key   = banwatch_key(vendor || '\n' || actor || '\n' || action)
--   mentions.mention_key  = banwatch_key(rule_id || '\n' || evidence || '\n' || subject)
-- subject: vendor, actor, action and status joined by '\n' (version 6's
-- subject_key, which the mention key replaces). banwatch_key(t): the first
-- 8 bytes of the SHA-256 of t's UTF-8 bytes as a big-endian signed bigint.
CREATE FUNCTION banwatch_key(p_text TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ('x' || left(encode(sha256(convert_to(p_text, 'UTF8')), 'hex'), 16))::bit(64)::bigint
$$;

-- Filling the new columns of rows already stored is the one sanctioned write
-- to existing events and mentions; the append-only triggers are off only for it.
ALTER TABLE events ADD COLUMN timeline_key BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events DISABLE TRIGGER events_append_only;
UPDATE events SET timeline_key = banwatch_key(vendor || E'\n' || actor || E'\n' || action);
ALTER TABLE events ENABLE TRIGGER events_append_only;
DROP INDEX events_timeline;
DROP INDEX events_cluster_key;
-- Clustering and status-change linking walk one history in date order.
CREATE INDEX events_timeline ON events (timeline_key, event_date);

ALTER TABLE mentions ADD COLUMN mention_key BIGINT;
ALTER TABLE mentions DISABLE TRIGGER mentions_append_only;
UPDATE mentions SET mention_key = banwatch_key(rule_id || E'\n' || evidence || E'\n' || subject_key);
ALTER TABLE mentions ENABLE TRIGGER mentions_append_only;
ALTER TABLE mentions ALTER COLUMN mention_key SET NOT NULL;
ALTER TABLE mentions DROP CONSTRAINT mentions_key;
ALTER TABLE mentions DROP COLUMN subject_key;
ALTER TABLE mentions ADD CONSTRAINT mentions_key UNIQUE (article_id, mention_key);

-- The same signature as version 6 (the callers are unchanged; p_evidence_hash
-- is stored as before): the keys are computed here.
CREATE OR REPLACE FUNCTION banwatch_append_mention(
    p_article_id BIGINT, p_check_existing BOOLEAN,
    p_vendor TEXT, p_actor TEXT, p_actor_type TEXT, p_action TEXT, p_status TEXT, p_scope TEXT,
    p_start BIGINT, p_precision TEXT, p_end BIGINT, p_window BIGINT, p_longest BIGINT,
    p_now BIGINT, p_confidence DOUBLE PRECISION,
    p_rule_id TEXT, p_rule_pack_version TEXT, p_evidence TEXT, p_evidence_hash TEXT,
    OUT event_created BOOLEAN, OUT mention_created BOOLEAN)
LANGUAGE plpgsql AS $$
DECLARE
  v_event BIGINT;
  v_previous BIGINT;
  v_previous_status TEXT;
  v_timeline BIGINT := banwatch_key(p_vendor || E'\n' || p_actor || E'\n' || p_action);
  v_mention_key BIGINT := banwatch_key(p_rule_id || E'\n' || p_evidence || E'\n' || p_vendor || E'\n' || p_actor
                                       || E'\n' || p_action || E'\n' || p_status);
BEGIN
  event_created := false;
  mention_created := false;
  IF p_check_existing AND EXISTS (SELECT 1 FROM mentions WHERE article_id = p_article_id
                                   AND mention_key = v_mention_key) THEN
    RETURN;
  END IF;
  -- The timeline key narrows each search; the text columns are compared too,
  -- so two histories whose keys collide never mix.
  IF p_start IS NOT NULL THEN
    SELECT id INTO v_event FROM events
     WHERE timeline_key = v_timeline AND vendor = p_vendor AND actor = p_actor AND action = p_action
       AND status = p_status
       AND event_date BETWEEN p_start - p_window - p_longest AND p_end + p_window
       AND event_date_end >= p_start - p_window
     ORDER BY abs((event_date + event_date_end) - (p_start + p_end)), id DESC LIMIT 1;
  ELSE
    SELECT id INTO v_event FROM events
     WHERE timeline_key = v_timeline AND vendor = p_vendor AND actor = p_actor AND action = p_action
       AND status = p_status AND event_date IS NULL
     ORDER BY id DESC LIMIT 1;
  END IF;
  IF v_event IS NULL THEN
    IF p_start IS NOT NULL THEN
      SELECT id, status INTO v_previous, v_previous_status FROM events
       WHERE timeline_key = v_timeline AND vendor = p_vendor AND actor = p_actor AND action = p_action
         AND event_date <= p_start
       ORDER BY event_date DESC, id DESC LIMIT 1;
      IF v_previous IS NULL THEN
        SELECT id, status INTO v_previous, v_previous_status FROM events
         WHERE timeline_key = v_timeline AND vendor = p_vendor AND actor = p_actor AND action = p_action
           AND event_date IS NULL
         ORDER BY id DESC LIMIT 1;
      END IF;
    ELSE
      SELECT id, status INTO v_previous, v_previous_status FROM events
       WHERE timeline_key = v_timeline AND vendor = p_vendor AND actor = p_actor AND action = p_action
       ORDER BY id DESC LIMIT 1;
    END IF;
    IF v_previous_status = p_status THEN
      v_previous := NULL;
    END IF;
    INSERT INTO events (vendor, actor, actor_type, action, status, scope, event_date, event_date_precision,
                        event_date_end, first_seen_at, confidence, previous_event_id, timeline_key)
    VALUES (p_vendor, p_actor, p_actor_type, p_action, p_status, p_scope, p_start, p_precision,
            p_end, p_now, p_confidence, v_previous, v_timeline)
    RETURNING id INTO v_event;
    event_created := true;
  END IF;
  INSERT INTO mentions (event_id, article_id, rule_id, rule_pack_version, evidence, evidence_hash,
                        confidence, extracted_at, mention_key)
  VALUES (v_event, p_article_id, p_rule_id, p_rule_pack_version, p_evidence, p_evidence_hash,
          p_confidence, p_now, v_mention_key)
  ON CONFLICT (article_id, mention_key) DO NOTHING;
  mention_created := FOUND;
END;
$$;
