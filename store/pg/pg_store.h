// The PostgreSQL backend of the Store interface (store/store.h), for many
// crawler workers on many machines sharing one database (docs/scale-out.md).
// Its schema is store/schema/postgresql/*.sql: the SQLite schema's tables,
// keys and append-only triggers, a tsvector + GIN index for search, and the
// hosts, workers and article_fetches tables of work leasing.
//
// One PostgresStore is one connection; its methods are serialized by a mutex.
// A lost connection (server restart, network cut) is re-established with
// exponential backoff for up to a minute, and the interrupted transaction is
// run again when that is safe (every write call is one transaction, and the
// appends are idempotent). Deadlocks and serialization failures are retried.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/store.h"

namespace banwatch::store {

// Opens the store at `url` (postgresql://user[:password]@host[:port]/db[?param=...];
// every libpq URI parameter works, e.g. options=-csearch_path%3Dteam_a to keep
// several stores in one database) and brings its schema to
// postgres_schema_version(), each migration in one transaction, serialized
// across machines by an advisory lock. Fails with kNotFound when the schema is
// missing and options.create is false, and with kStore when the database
// cannot be reached, holds tables that are not a banwatch store, is newer than
// this build, or needs a migration but was opened read-only. Passwords never
// appear in error messages.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, const StoreOptions& options);

// The schema version this build's PostgreSQL migrations produce.
int postgres_schema_version();

// `url` with any password replaced by "***", for messages and logs.
std::string redact_store_url(const std::string& url);

// ---- copying a SQLite store into PostgreSQL (`banwatch migrate`) -------------

struct TableCopyReport {
  std::string table;
  std::int64_t source_rows = 0, target_rows = 0;
  std::string source_checksum, target_checksum;  // hex SHA-256 over every column of every row, in id order
  bool matches() const { return source_rows == target_rows && source_checksum == target_checksum; }
};

struct StoreCopyReport {
  std::vector<TableCopyReport> tables;
  bool verified() const {
    for (const auto& table : tables) {
      if (!table.matches()) return false;
    }
    return !tables.empty();
  }
};

struct StoreCopyOptions {
  std::size_t batch_rows = 500;  // rows per INSERT statement
  // Called after each batch: table name and rows copied so far.
  std::function<void(const std::string&, std::int64_t)> progress;
};

// Copies every row of the SQLite store at `sqlite_path` (which must be at the
// latest SQLite schema version) into the PostgreSQL store at `postgres_url`
// (created or migrated first, and which must hold no articles, events,
// mentions, runs or digests yet), keeping every id, in one transaction: on
// any failure the target is left as it was. Then reads both sides back and
// compares row counts and per-table checksums; the report says whether they agree.
Result<StoreCopyReport> copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& postgres_url,
                                                const StoreCopyOptions& options);

// Counts and checksums only, for re-verifying an earlier copy.
Result<StoreCopyReport> compare_sqlite_with_postgres(const std::string& sqlite_path, const std::string& postgres_url);

}  // namespace banwatch::store
