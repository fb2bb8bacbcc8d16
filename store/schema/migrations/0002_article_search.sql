-- Schema version 2: full-text search over article titles and texts.
--
-- An external-content FTS5 index: the text lives once, in articles; triggers
-- keep the index in step. PostgreSQL mirrors this with a generated tsvector
-- column and a GIN index.

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, text,
  content = 'articles', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
BEGIN
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Index what a version-1 store already holds.
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
