// banwatch workers: the crawler workers sharing a PostgreSQL store, the hosts
// each one leases, and how fast each one completes article fetches.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "app/app.h"
#include "common/time.h"

namespace banwatch::app {
namespace {

struct WorkersOptions {
  std::string window = "5m";  // liveness and throughput window
  bool all = false;           // include workers not seen within the window
  bool json = false;
};

std::string ago(Timestamp then, Timestamp now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - then);
  if (seconds.count() <= 0) return "now";
  return format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(seconds)) + " ago";
}

int run_workers(Context& ctx, const WorkersOptions& opts) {
  const auto window = parse_duration(opts.window);
  if (!window || window->count() < 1000) {
    return ctx.report(
        Error(ErrorCode::kInvalidArgument, "--window '" + opts.window + "' is not a duration of 1s or more"));
  }
  const auto window_s = std::chrono::duration_cast<std::chrono::seconds>(*window);
  auto store = ctx.store(false);
  if (!store) return ctx.report(store.error());
  store::WorkQueue& work_queue = (*store)->work_queue();
  auto workers = work_queue.list_workers(window_s, opts.all);
  if (!workers) return ctx.report(workers.error());
  auto queue = work_queue.work_queue_stats();
  if (!queue) return ctx.report(queue.error());
  const Timestamp now = SystemClock().now();
  const double minutes = static_cast<double>(window_s.count()) / 60.0;

  if (opts.json) {
    for (const auto& w : *workers) {
      nlohmann::json leases = nlohmann::json::array();
      for (const auto& lease : w.leases) {
        leases.push_back(
            {{"host", lease.host}, {"token", lease.token}, {"expires_at", format_iso8601(lease.expires_at)}});
      }
      nlohmann::json j = {{"name", w.name},
                          {"hostname", w.hostname},
                          {"pid", w.pid},
                          {"live", w.live},
                          {"started_at", format_iso8601(w.started_at)},
                          {"last_seen", format_iso8601(w.last_seen)},
                          {"leases", leases},
                          {"articles_done_total", w.articles_done_total},
                          {"articles_done_recent", w.articles_done_recent},
                          {"window_seconds", w.window.count()},
                          {"articles_per_minute", static_cast<double>(w.articles_done_recent) / minutes}};
      std::cout << j.dump() << "\n";
    }
    return kExitOk;
  }

  std::cout << fmt::format("{:<20} {:<20} {:>8} {:<5} {:<14} {:>6} {:>10} {:>10}\n", "WORKER", "MACHINE", "PID", "LIVE",
                           "LAST SEEN", "HOSTS", "ART/MIN", "ART TOTAL");
  for (const auto& w : *workers) {
    std::cout << fmt::format("{:<20} {:<20} {:>8} {:<5} {:<14} {:>6} {:>10.1f} {:>10}\n", w.name, w.hostname, w.pid,
                             w.live ? "yes" : "no", ago(w.last_seen, now), w.leases.size(),
                             static_cast<double>(w.articles_done_recent) / minutes, w.articles_done_total);
    for (const auto& lease : w.leases) {
      const auto left = std::chrono::duration_cast<std::chrono::seconds>(lease.expires_at - now);
      std::cout << fmt::format("    {} (lease {}, {}s left)\n", lease.host, lease.token, left.count());
    }
  }
  if (workers->empty()) std::cout << "(no worker seen in the last " << opts.window << ")\n";
  std::cout << fmt::format("hosts: {} ({} leased); article fetches: {} queued, {} in progress, {} done, {} failed\n",
                           queue->hosts, queue->hosts_leased, queue->fetches_queued, queue->fetches_claimed,
                           queue->fetches_done, queue->fetches_failed);
  return kExitOk;
}

}  // namespace

void add_workers_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<WorkersOptions>(
      app, ctx, "workers", "List the crawler workers sharing a PostgreSQL store, their host leases and throughput",
      run_workers);
  cmd->add_option("--window", opts->window, "Liveness and throughput window (default 5m)");
  cmd->add_flag("--all", opts->all, "Include workers not seen within the window");
  cmd->add_flag("--json", opts->json, "One JSON object a line");
  cmd->footer("Needs a shared store (--db postgresql://...); see docs/scale-out.md.");
}

}  // namespace banwatch::app
