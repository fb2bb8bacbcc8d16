// banwatch init: writes the commented default configuration (unless one exists)
// and creates the store with its schema.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/app.h"

namespace banwatch::app {
namespace {

struct InitOptions {
  bool force = false;  // overwrite an existing configuration file
};

int run_init(Context& ctx, const InitOptions& opts) {
  namespace fs = std::filesystem;
  const std::string& path = ctx.options.config_path;
  if (fs::exists(path) && !opts.force) {
    std::cout << "configuration " << path << " exists; keeping it (use --force to overwrite)\n";
  } else {
    auto tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << default_config_yaml();
      if (!out) return ctx.report(Error(ErrorCode::kIo, "cannot write " + tmp));
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return ctx.report(Error(ErrorCode::kIo, "cannot write " + path + ": " + ec.message()));
    std::cout << "wrote configuration " << path << "\n";
  }
  ctx.options.config_explicit = true;
  auto store = ctx.store(/*create=*/true);
  if (!store) return ctx.report(store.error());
  if (auto st = ctx.sync_sources(); !st) return ctx.report(st.error());
  auto stats = (*store)->stats();
  if (!stats) return ctx.report(stats.error());
  std::cout << "store " << ctx.store_path() << " ready (schema version " << stats->schema_version << ", "
            << stats->sources << " sources)\n";
  return kExitOk;
}

}  // namespace

void add_init_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<InitOptions>(app, ctx, "init",
                                              "Write a commented default configuration and create the store", run_init);
  cmd->add_flag("--force", opts->force, "Overwrite an existing configuration file");
}

}  // namespace banwatch::app
