// Copying a SQLite store into PostgreSQL, verified by counts and checksums
// (`banwatch migrate`).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <openssl/evp.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/url.h"
#include "store/pg/pg_internal.h"
#include "store/pg/pg_store.h"

namespace banwatch::store {
namespace {

enum class Kind { kInteger, kReal, kText };

struct Column {
  const char* name;
  Kind kind;
};

struct Table {
  const char* name;
  const char* key;  // the ordering (and paging) key
  std::vector<Column> columns;
};

// Every table of the SQLite schema (version 2) in foreign-key order, with
// every column: what is copied is what is checksummed.
const std::vector<Table>& tables() {
  using K = Kind;
  static const std::vector<Table> all = {
      {"sources",
       "id",
       {{"id", K::kInteger},
        {"name", K::kText},
        {"url", K::kText},
        {"kind", K::kText},
        {"interval_s", K::kInteger},
        {"tags", K::kText},
        {"enabled", K::kInteger},
        {"article_policy", K::kText},
        {"created_at", K::kInteger},
        {"removed_at", K::kInteger}}},
      {"source_state",
       "source_id",
       {{"source_id", K::kInteger},
        {"etag", K::kText},
        {"last_modified", K::kText},
        {"next_due", K::kInteger},
        {"last_fetch", K::kInteger},
        {"last_success", K::kInteger},
        {"last_change", K::kInteger},
        {"consecutive_errors", K::kInteger},
        {"last_status", K::kInteger},
        {"last_error", K::kText},
        {"current_interval_s", K::kInteger}}},
      {"articles",
       "id",
       {{"id", K::kInteger},
        {"source_id", K::kInteger},
        {"url", K::kText},
        {"canonical_url", K::kText},
        {"item_id", K::kText},
        {"title", K::kText},
        {"published_at", K::kInteger},
        {"published_precision", K::kText},
        {"fetched_at", K::kInteger},
        {"language", K::kText},
        {"site_name", K::kText},
        {"authors", K::kText},
        {"description", K::kText},
        {"text", K::kText},
        {"content_hash", K::kText},
        {"feed_only", K::kInteger}}},
      {"events",
       "id",
       {{"id", K::kInteger},
        {"vendor", K::kText},
        {"actor", K::kText},
        {"actor_type", K::kText},
        {"action", K::kText},
        {"status", K::kText},
        {"scope", K::kText},
        {"event_date", K::kInteger},
        {"event_date_precision", K::kText},
        {"event_date_end", K::kInteger},
        {"first_seen_at", K::kInteger},
        {"confidence", K::kReal},
        {"previous_event_id", K::kInteger},
        {"timeline_key", K::kInteger},
        {"anchor_at", K::kInteger},
        {"anchor_end", K::kInteger}}},
      {"mentions",
       "id",
       {{"id", K::kInteger},
        {"event_id", K::kInteger},
        {"article_id", K::kInteger},
        {"rule_id", K::kText},
        {"rule_pack_version", K::kText},
        {"evidence", K::kText},
        {"evidence_hash", K::kText},
        {"confidence", K::kReal},
        {"extracted_at", K::kInteger},
        {"mention_key", K::kInteger}}},
      {"runs",
       "id",
       {{"id", K::kInteger},
        {"kind", K::kText},
        {"started_at", K::kInteger},
        {"finished_at", K::kInteger},
        {"outcome", K::kText},
        {"fetched", K::kInteger},
        {"not_modified", K::kInteger},
        {"failed", K::kInteger},
        {"articles_stored", K::kInteger},
        {"events_appended", K::kInteger},
        {"mentions_appended", K::kInteger},
        {"message", K::kText}}},
      {"digests",
       "id",
       {{"id", K::kInteger},
        {"channel", K::kText},
        {"created_at", K::kInteger},
        {"up_to_event_id", K::kInteger},
        {"up_to_mention_id", K::kInteger},
        {"event_count", K::kInteger},
        {"format", K::kText}}},
      {"article_versions",
       "id",
       {{"id", K::kInteger},
        {"article_id", K::kInteger},
        {"content_hash", K::kText},
        {"fetched_at", K::kInteger},
        {"feed_only", K::kInteger},
        {"replaced_at", K::kInteger}}},
  };
  return all;
}

std::string column_list(const Table& table) {
  std::string list;
  for (const Column& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += column.name;
  }
  return list;
}

std::string format_real(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// A streaming SHA-256 over rows: each value is written length-prefixed (or
// as a NULL marker) so that no two different rows hash alike.
class RowHasher {
 public:
  RowHasher() : context_(EVP_MD_CTX_new()) {
    if (context_ == nullptr || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("SHA-256 unavailable");
    }
  }
  ~RowHasher() { EVP_MD_CTX_free(context_); }
  RowHasher(const RowHasher&) = delete;
  RowHasher& operator=(const RowHasher&) = delete;

  void value(const std::optional<std::string>& v) {
    if (!v) {
      update("N;");
      return;
    }
    update(std::to_string(v->size()) + ":");
    update(*v);
  }
  void end_row() {
    update("\n");
    ++rows_;
  }
  std::int64_t rows() const { return rows_; }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_, digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out.push_back(kHex[digest[i] >> 4]);
      out.push_back(kHex[digest[i] & 0xF]);
    }
    return out;
  }

 private:
  void update(const std::string& bytes) { EVP_DigestUpdate(context_, bytes.data(), bytes.size()); }
  EVP_MD_CTX* context_;
  std::int64_t rows_ = 0;
};

std::optional<std::string> sqlite_value(const SQLite::Column& column, Kind kind) {
  if (column.isNull()) return std::nullopt;
  switch (kind) {
    case Kind::kInteger:
      return std::to_string(column.getInt64());
    case Kind::kReal:
      return format_real(column.getDouble());
    case Kind::kText:
      return column.getString();
  }
  return std::nullopt;
}

std::optional<std::string> postgres_value(const pqxx::field& field, Kind kind) {
  if (field.is_null()) return std::nullopt;
  if (kind == Kind::kReal) return format_real(field.as<double>());
  return std::string(field.c_str(), field.size());
}

Result<std::unique_ptr<SQLite::Database>> open_source(const std::string& sqlite_path) {
  try {
    auto db = std::make_unique<SQLite::Database>(sqlite_path, SQLite::OPEN_READONLY);
    db->setBusyTimeout(10000);
    const int version = db->execAndGet("PRAGMA user_version").getInt();
    if (version != sqlite_schema_version()) {
      return fail(ErrorCode::kStore,
                  "SQLite store '" + sqlite_path + "' has schema version " + std::to_string(version) + ", expected " +
                      std::to_string(sqlite_schema_version()) + " (open it once with this banwatch to migrate it)");
    }
    return db;
  } catch (const SQLite::Exception& e) {
    return fail(ErrorCode::kStore, "SQLite store '" + sqlite_path + "': " + e.what());
  }
}

void checksum_sqlite(SQLite::Database& db, TableCopyReport& report, const Table& table) {
  SQLite::Statement rows(db, "SELECT " + column_list(table) + " FROM " + table.name + " ORDER BY " + table.key);
  RowHasher hasher;
  while (rows.executeStep()) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      hasher.value(sqlite_value(rows.getColumn(static_cast<int>(i)), table.columns[i].kind));
    }
    hasher.end_row();
  }
  report.source_rows = hasher.rows();
  report.source_checksum = hasher.hex();
}

void checksum_postgres(pqxx::transaction_base& tx, TableCopyReport& report, const Table& table) {
  // Keyset pages keep memory bounded over a large store.
  constexpr int kPage = 2000;
  const std::string sql = "SELECT " + column_list(table) + " FROM " + table.name + " WHERE " + table.key +
                          " > $1 ORDER BY " + table.key + " LIMIT " + std::to_string(kPage);
  RowHasher hasher;
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  while (true) {
    auto rows = pg::exec(tx, sql, pg::Args().integer(after));
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        hasher.value(postgres_value(row[static_cast<int>(i)], table.columns[i].kind));
      }
      hasher.end_row();
      after = row[0].as<std::int64_t>();
    }
    if (rows.size() < static_cast<std::size_t>(kPage)) break;
  }
  report.target_rows = hasher.rows();
  report.target_checksum = hasher.hex();
}

void insert_rows(pqxx::transaction_base& tx, const Table& table, std::vector<pg::Args>& pending,
                 std::size_t row_width) {
  if (pending.empty()) return;
  const bool is_sources = std::string_view(table.name) == "sources";
  std::string sql =
      std::string("INSERT INTO ") + table.name + " (" + column_list(table) + (is_sources ? ", host" : "") + ") VALUES ";
  pg::Args all;
  int parameter = 1;
  for (std::size_t r = 0; r < pending.size(); ++r) {
    sql += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < row_width; ++c) {
      if (c > 0) sql += ", ";
      sql += "$" + std::to_string(parameter++);
    }
    sql += ")";
  }
  // Flatten: pointers of each row's Args, in order.
  std::vector<const char*> pointers;
  for (const pg::Args& row : pending) {
    for (const char* p : row.pointers()) pointers.push_back(p);
  }
  tx.exec_params(sql, pqxx::prepare::make_dynamic_params(pointers));
  pending.clear();
}

Result<StoreCopyReport> compare(SQLite::Database& source, pqxx::transaction_base& tx) {
  StoreCopyReport report;
  for (const Table& table : tables()) {
    TableCopyReport& entry = report.tables.emplace_back();
    entry.table = table.name;
    checksum_sqlite(source, entry, table);
    checksum_postgres(tx, entry, table);
  }
  return report;
}

}  // namespace

Result<StoreCopyReport> copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& postgres_url,
                                                const StoreCopyOptions& options) {
  auto source = open_source(sqlite_path);
  if (!source) return std::unexpected(source.error());
  {
    // Creates the schema, or migrates it, before anything is copied.
    StoreOptions store_options;
    store_options.create = true;
    auto target = open_postgres_store(postgres_url, store_options);
    if (!target) return std::unexpected(target.error());
  }
  const std::string label = "store '" + pg::redact(postgres_url) + "'";
  try {
    pqxx::connection connection(postgres_url);
    pqxx::work tx(connection);
    // Nobody writes while the copy runs: the copy must equal the source.
    for (const Table& table : tables()) {
      if (std::string_view(table.name) == "source_state") continue;
      tx.exec(std::string("LOCK TABLE ") + table.name + " IN SHARE ROW EXCLUSIVE MODE");
      if (!tx.exec(std::string("SELECT 1 FROM ") + table.name + " LIMIT 1").empty()) {
        return fail(ErrorCode::kAlreadyExists,
                    label + ": table " + table.name + " already holds rows; migrate into an empty store");
      }
    }
    const std::size_t batch_rows = std::max<std::size_t>(options.batch_rows, 1);
    (*source)->exec("BEGIN");  // one consistent snapshot of the source
    struct EndRead {
      SQLite::Database& db;
      ~EndRead() { db.tryExec("COMMIT"); }
    } end_read{**source};
    for (const Table& table : tables()) {
      const bool is_sources = std::string_view(table.name) == "sources";
      const std::size_t row_width = table.columns.size() + (is_sources ? 1 : 0);
      const std::size_t rows_per_statement = std::max<std::size_t>(1, std::min(batch_rows, 60000 / row_width));
      SQLite::Statement rows(**source,
                             "SELECT " + column_list(table) + " FROM " + table.name + " ORDER BY " + table.key);
      std::vector<pg::Args> pending;
      std::int64_t copied = 0;
      while (rows.executeStep()) {
        pg::Args& row = pending.emplace_back();
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
          const auto value = sqlite_value(rows.getColumn(static_cast<int>(i)), table.columns[i].kind);
          if (value) {
            row.text(*value);
          } else {
            row.null();
          }
        }
        if (is_sources) {
          auto url = Url::parse(rows.getColumn(2).getString());
          row.text(url ? url->authority() : std::string());
        }
        if (pending.size() >= rows_per_statement) {
          copied += static_cast<std::int64_t>(pending.size());
          insert_rows(tx, table, pending, row_width);
          if (options.progress) options.progress(table.name, copied);
        }
      }
      copied += static_cast<std::int64_t>(pending.size());
      insert_rows(tx, table, pending, row_width);
      if (options.progress) options.progress(table.name, copied);
      if (std::string_view(table.key) == "id") {
        // New rows continue after the copied ids.
        tx.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table.name +
                "', 'id'),"
                " COALESCE((SELECT max(id) FROM " +
                table.name +
                "), 1),"
                " (SELECT max(id) FROM " +
                table.name + ") IS NOT NULL)");
      }
    }
    tx.exec("INSERT INTO hosts (host) SELECT DISTINCT host FROM sources WHERE host <> '' ON CONFLICT DO NOTHING");
    auto report = compare(**source, tx);
    if (!report) return report;
    if (!report->verified()) {
      // Leave the target as it was: a copy that does not check out is not kept.
      return *report;
    }
    tx.commit();
    return *report;
  } catch (const pqxx::sql_error& e) {
    return fail(ErrorCode::kStore, label + ": copy failed: " + e.what());
  } catch (const SQLite::Exception& e) {
    return fail(ErrorCode::kStore, "SQLite store '" + sqlite_path + "': " + e.what());
  } catch (const std::exception& e) {
    return fail(ErrorCode::kStore, label + ": copy failed: " + pg::redact(e.what()));
  }
}

Result<StoreCopyReport> compare_sqlite_with_postgres(const std::string& sqlite_path, const std::string& postgres_url) {
  auto source = open_source(sqlite_path);
  if (!source) return std::unexpected(source.error());
  const std::string label = "store '" + pg::redact(postgres_url) + "'";
  try {
    pqxx::connection connection(postgres_url);
    pqxx::work tx(connection);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    (*source)->exec("BEGIN");
    struct EndRead {
      SQLite::Database& db;
      ~EndRead() { db.tryExec("COMMIT"); }
    } end_read{**source};
    return compare(**source, tx);
  } catch (const SQLite::Exception& e) {
    return fail(ErrorCode::kStore, "SQLite store '" + sqlite_path + "': " + e.what());
  } catch (const std::exception& e) {
    return fail(ErrorCode::kStore, label + ": " + pg::redact(e.what()));
  }
}

}  // namespace banwatch::store
