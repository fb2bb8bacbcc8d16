// banwatch backup FILE: a consistent copy of the store, taken while crawls
// may be writing (SQLite's online backup API), checked, then renamed into place.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "app/app.h"

namespace banwatch::app {
namespace {

struct BackupOptions {
  std::string file;
  bool force = false;
};

int run_backup(Context& ctx, const BackupOptions& opts) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::exists(opts.file, error) && !opts.force) {
    return ctx.report(Error(ErrorCode::kAlreadyExists,
                            fmt::format("backup '{}' exists; choose another name or pass --force", opts.file)));
  }
  auto store = ctx.store(false);
  if (!store) return ctx.report(store.error());
  if (fs::weakly_canonical(opts.file, error) == fs::weakly_canonical(ctx.store_path(), error)) {
    return ctx.report(Error(ErrorCode::kInvalidArgument, fmt::format("backup '{}' is the store itself", opts.file)));
  }
  if (auto done = (*store)->backup_to(opts.file); !done) return ctx.report(done.error());
  const auto size = fs::file_size(opts.file, error);
  std::cout << fmt::format("backup written to {} ({:.1f} MiB)\n", opts.file,
                           error ? 0.0 : static_cast<double>(size) / (1024.0 * 1024.0));
  return kExitOk;
}

}  // namespace

void add_backup_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<BackupOptions>(
      app, ctx, "backup", "Copy the store to FILE while it stays in use (SQLite online backup)", run_backup);
  cmd->add_option("FILE", opts->file, "The backup file")->required();
  cmd->add_flag("--force", opts->force, "Replace FILE when it exists");
}

}  // namespace banwatch::app
