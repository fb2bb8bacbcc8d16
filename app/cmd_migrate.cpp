// banwatch migrate: copies a single-machine SQLite store into PostgreSQL and
// proves the copy by row counts and per-table checksums.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <string_view>

#include "app/app.h"
#ifdef BANWATCH_HAVE_PQXX
#include "store/pg/pg_store.h"
#endif

namespace banwatch::app {
namespace {

struct MigrateOptions {
  std::string from;  // sqlite:PATH (or a plain path)
  std::string to;    // postgresql://...; default: --db / the config's store when it is one
  bool verify_only = false;
  std::size_t batch_rows = 500;
};

#ifdef BANWATCH_HAVE_PQXX
bool is_postgres(std::string_view url) { return url.starts_with("postgresql://") || url.starts_with("postgres://"); }

std::string sqlite_path(std::string_view from) {
  if (from.starts_with("sqlite://"))
    from.remove_prefix(9);
  else if (from.starts_with("sqlite:"))
    from.remove_prefix(7);
  return std::string(from);
}

int print_report(const store::StoreCopyReport& report) {
  std::cout << fmt::format("{:<14} {:>12} {:>12}  {:<16} {:<16} {}\n", "TABLE", "SQLITE ROWS", "PG ROWS",
                           "SQLITE SHA-256", "PG SHA-256", "");
  for (const auto& table : report.tables) {
    std::cout << fmt::format("{:<14} {:>12} {:>12}  {:<16} {:<16} {}\n", table.table, table.source_rows,
                             table.target_rows, table.source_checksum.substr(0, 16),
                             table.target_checksum.substr(0, 16), table.matches() ? "ok" : "DIFFERENT");
  }
  if (report.verified()) {
    std::cout << "verified: every table has the same rows and checksum\n";
    return kExitOk;
  }
  std::cout << "NOT verified: the stores differ\n";
  return kExitFailure;
}
#endif

int run_migrate(Context& ctx, MigrateOptions opts) {
#ifdef BANWATCH_HAVE_PQXX
  if (opts.to.empty() && is_postgres(ctx.store_path())) opts.to = ctx.store_path();
  if (!is_postgres(opts.to)) {
    return ctx.report(Error(ErrorCode::kInvalidArgument, "--to '" + opts.to + "' is not a postgresql:// URL"));
  }
  const bool other_scheme = opts.from.find("://") != std::string::npos && !opts.from.starts_with("sqlite://");
  if (opts.from.empty() || other_scheme) {
    return ctx.report(
        Error(ErrorCode::kInvalidArgument, "--from '" + opts.from + "' is not a SQLite store (sqlite:PATH)"));
  }
  const std::string path = sqlite_path(opts.from);
  if (opts.verify_only) {
    auto report = store::compare_sqlite_with_postgres(path, opts.to);
    if (!report) return ctx.report(report.error());
    return print_report(*report);
  }
  store::StoreCopyOptions copy;
  copy.batch_rows = opts.batch_rows;
  copy.progress = [](const std::string& table, std::int64_t rows) {
    spdlog::info("migrate: {} rows of {} copied", rows, table);
  };
  spdlog::info("migrate: copying {} into {}", path, store::redact_store_url(opts.to));
  auto report = store::copy_sqlite_to_postgres(path, opts.to, copy);
  if (!report) return ctx.report(report.error());
  const int code = print_report(*report);
  if (code != kExitOk) std::cout << "the copy was rolled back: the PostgreSQL store is unchanged\n";
  return code;
#else
  (void)opts;
  return ctx.report(Error(ErrorCode::kUnsupported, "this banwatch was built without PostgreSQL support (libpqxx)"));
#endif
}

}  // namespace

void add_migrate_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<MigrateOptions>(
      app, ctx, "migrate", "Copy a SQLite store into PostgreSQL, verified by counts and checksums", run_migrate);
  cmd->add_option("--from", opts->from, "The SQLite store: sqlite:PATH")->required();
  cmd->add_option("--to", opts->to, "The PostgreSQL store: postgresql://user@host/db (default: --db)");
  cmd->add_flag("--verify-only", opts->verify_only, "Only compare counts and checksums of an earlier copy");
  cmd->add_option("--batch", opts->batch_rows, "Rows per INSERT statement")->check(CLI::Range(1, 10000));
  cmd->footer(
      "The target must hold no rows yet; the copy is one transaction that is kept only when every "
      "table's row count and SHA-256 checksum match the source. Ids are kept, so digest cursors "
      "carry over. See docs/scale-out.md.");
}

}  // namespace banwatch::app
