-- PostgreSQL schema version 5: what each worker stored, per minute, for the
-- throughput `banwatch workers` shows. A connection that registered as a
-- worker adds its new articles to its own row in the append transaction, so
-- workers never contend on these rows.
CREATE TABLE worker_activity (
  worker   TEXT    NOT NULL,
  minute   BIGINT  NOT NULL,   -- epoch seconds at the start of the minute
  articles BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (worker, minute)
);
