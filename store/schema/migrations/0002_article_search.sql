-- Schema version 2: full-text search over article titles and texts.
--
-- An external-content FTS5 index: the text lives once, in articles. PostgreSQL mirrors this with a generated tsvector
-- column and a GIN index.

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, text,
  content = 'articles', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

-- New articles are indexed by the store itself at the end of each write
-- transaction, with one INSERT ... SELECT per transaction: an AFTER INSERT
-- trigger would make FTS5 flush its buffer at every later statement of the
-- transaction (each opens a savepoint), which costs bulk appends 10x.
-- Updates and deletes, rare, are kept in step by triggers.
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
