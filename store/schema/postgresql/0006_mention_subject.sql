-- PostgreSQL schema version 6: a mention is keyed by what it says, not only
-- by where it says it. One sentence can state several events ("banned
-- Hikvision and Dahua"; "Poland and Ireland want to ban ..."), all from one
-- rule and one evidence sentence, so the idempotence key gains subject_key:
-- vendor, actor, action and status of the event, joined by newlines.
ALTER TABLE mentions ADD COLUMN subject_key TEXT NOT NULL DEFAULT '';

-- Filling the new column for rows already stored is the one sanctioned write
-- to existing mentions; the append-only trigger is off only for it.
ALTER TABLE mentions DISABLE TRIGGER mentions_append_only;
UPDATE mentions m
   SET subject_key = e.vendor || E'\n' || e.actor || E'\n' || e.action || E'\n' || e.status
  FROM events e
 WHERE e.id = m.event_id;
ALTER TABLE mentions ENABLE TRIGGER mentions_append_only;

ALTER TABLE mentions DROP CONSTRAINT mentions_article_id_rule_id_evidence_hash_key;
ALTER TABLE mentions ADD CONSTRAINT mentions_key UNIQUE (article_id, rule_id, evidence_hash, subject_key);

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
  v_subject TEXT := p_vendor || E'\n' || p_actor || E'\n' || p_action || E'\n' || p_status;
BEGIN
  event_created := false;
  mention_created := false;
  IF p_check_existing AND EXISTS (SELECT 1 FROM mentions WHERE article_id = p_article_id
                                   AND rule_id = p_rule_id AND evidence_hash = p_evidence_hash
                                   AND subject_key = v_subject) THEN
    RETURN;
  END IF;
  IF p_start IS NOT NULL THEN
    SELECT id INTO v_event FROM events
     WHERE vendor = p_vendor AND actor = p_actor AND action = p_action AND status = p_status
       AND event_date BETWEEN p_start - p_window - p_longest AND p_end + p_window
       AND event_date_end >= p_start - p_window
     ORDER BY abs((event_date + event_date_end) - (p_start + p_end)), id DESC LIMIT 1;
  ELSE
    SELECT id INTO v_event FROM events
     WHERE vendor = p_vendor AND actor = p_actor AND action = p_action AND status = p_status
       AND event_date IS NULL
     ORDER BY id DESC LIMIT 1;
  END IF;
  IF v_event IS NULL THEN
    IF p_start IS NOT NULL THEN
      SELECT id, status INTO v_previous, v_previous_status FROM events
       WHERE vendor = p_vendor AND actor = p_actor AND action = p_action AND event_date <= p_start
       ORDER BY event_date DESC, id DESC LIMIT 1;
      IF v_previous IS NULL THEN
        SELECT id, status INTO v_previous, v_previous_status FROM events
         WHERE vendor = p_vendor AND actor = p_actor AND action = p_action AND event_date IS NULL
         ORDER BY id DESC LIMIT 1;
      END IF;
    ELSE
      SELECT id, status INTO v_previous, v_previous_status FROM events
       WHERE vendor = p_vendor AND actor = p_actor AND action = p_action
       ORDER BY id DESC LIMIT 1;
    END IF;
    IF v_previous_status = p_status THEN
      v_previous := NULL;
    END IF;
    INSERT INTO events (vendor, actor, actor_type, action, status, scope, event_date, event_date_precision,
                        event_date_end, first_seen_at, confidence, previous_event_id)
    VALUES (p_vendor, p_actor, p_actor_type, p_action, p_status, p_scope, p_start, p_precision,
            p_end, p_now, p_confidence, v_previous)
    RETURNING id INTO v_event;
    event_created := true;
  END IF;
  INSERT INTO mentions (event_id, article_id, rule_id, rule_pack_version, evidence, evidence_hash,
                        confidence, extracted_at, subject_key)
  VALUES (v_event, p_article_id, p_rule_id, p_rule_pack_version, p_evidence, p_evidence_hash,
          p_confidence, p_now, v_subject)
  ON CONFLICT (article_id, rule_id, evidence_hash, subject_key) DO NOTHING;
  mention_created := FOUND;
END;
$$;
