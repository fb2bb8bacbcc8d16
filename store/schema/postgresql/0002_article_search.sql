-- PostgreSQL schema version 2: full-text search over article titles and
-- texts, in place of SQLite's FTS5 table. A stored generated tsvector column
-- stays in step with every insert and update, with no trigger to maintain;
-- a GIN index serves the searches. The 'simple' configuration neither stems
-- nor drops stop words, like FTS5's unicode61 tokenizer, so both backends
-- find the same words. Titles weigh more than body text in the ranking.
-- The text is capped (tsvector's 1 MB limit must never fail an append).

ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple'::regconfig, left(title, 2000)), 'A') ||
  setweight(to_tsvector('simple'::regconfig, left(text, 400000)), 'B')
) STORED;
CREATE INDEX articles_search ON articles USING gin (search_vector);
