// banwatch digest: the brief of what is new, written or delivered once per
// channel (digest/run.h keeps one cursor per channel in the store).
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "app/app.h"
#include "common/lockfile.h"
#include "common/time.h"
#include "digest/deliver.h"
#include "digest/metrics.h"
#include "digest/render.h"
#include "digest/run.h"

namespace banwatch::app {
namespace {

struct DigestOptions {
  std::string since = "last";  // last | duration (24h, 7d) | DATE
  std::string until;
  std::vector<std::string> vendors;
  std::string format;  // "" = config digest.format
  std::string out;     // "" = config digest.out, else stdout
  bool deliver = false;
  bool send_empty = false;
  std::string metrics_file;
  std::string title;
};

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<digest::Metric> digest_metrics(const digest::RunOutcome& outcome, Timestamp started,
                                           std::chrono::duration<double> took) {
  using digest::Metric;
  std::vector<Metric> m;
  m.push_back({"banwatch_digest_last_run_timestamp_seconds",
               "When the last digest run started (Unix time).",
               "gauge",
               {},
               static_cast<double>(started.time_since_epoch().count())});
  m.push_back({"banwatch_digest_duration_seconds", "How long the last digest run took.", "gauge", {}, took.count()});
  m.push_back(
      {"banwatch_digest_events", "Events in the last digest.", "gauge", {}, static_cast<double>(outcome.events)});
  m.push_back({"banwatch_digest_channels_failed",
               "Channels that failed in the last digest run.",
               "gauge",
               {},
               static_cast<double>(outcome.failures())});
  for (const auto& c : outcome.channels) {
    const char* result = c.error ? "failed" : c.skipped_empty ? "skipped_empty" : "delivered";
    m.push_back({"banwatch_digest_channel_success",
                 "1 when the channel accepted the last digest (or had nothing to send).",
                 "gauge",
                 {{"channel", c.key}, {"result", result}},
                 c.error ? 0.0 : 1.0});
  }
  if (outcome.first_digest) {
    const auto& h = outcome.first_digest->health;
    m.push_back({"banwatch_sources_failing",
                 "Sources whose last fetch failed.",
                 "gauge",
                 {},
                 static_cast<double>(h.failing_sources.size())});
    if (h.last_successful_crawl)
      m.push_back({"banwatch_last_successful_crawl_timestamp_seconds",
                   "When the last successful crawl finished.",
                   "gauge",
                   {},
                   static_cast<double>(h.last_successful_crawl->time_since_epoch().count())});
  }
  return m;
}

// The channels this job may send to. On a store shared by many machines
// (PostgreSQL) each channel has a job lock, "digest:<channel key>", that any
// machine sees: a channel whose lock another digest job holds is left to that
// job. Other stores answer kUnsupported and the caller takes the file lock.
struct DigestJobLocks {
  store::WorkQueue* work_queue = nullptr;
  bool shared = false;
  std::vector<digest::Channel*> channels;
  std::vector<std::string> held;
  void unlock() {
    for (const auto& name : held) {
      if (auto st = work_queue->unlock_job(name); !st)
        spdlog::warn("digest: releasing job lock {}: {}", name, st.error().message);
    }
    held.clear();
  }
};

Result<DigestJobLocks> lock_digest_jobs(store::Store& store,
                                        const std::vector<std::unique_ptr<digest::Channel>>& owned) {
  DigestJobLocks locks;
  locks.work_queue = &store.work_queue();
  for (const auto& channel : owned) {
    const std::string name = "digest:" + channel->key();
    auto taken = locks.work_queue->try_lock_job(name);
    if (!taken && taken.error().code == ErrorCode::kUnsupported) {
      locks.shared = false;
      locks.channels.clear();
      for (const auto& c : owned) locks.channels.push_back(c.get());
      return locks;
    }
    if (!taken) {
      locks.unlock();
      return std::unexpected(taken.error().with_context("digest job lock " + name));
    }
    locks.shared = true;
    if (*taken) {
      locks.held.push_back(name);
      locks.channels.push_back(channel.get());
    } else {
      spdlog::warn("digest: {}: another digest job is sending to this channel; nothing sent by this one",
                   channel->label());
    }
  }
  return locks;
}

int run_digest_command(Context& ctx, const DigestOptions& o) {
  const auto wall_start = std::chrono::steady_clock::now();
  const Timestamp now = SystemClock().now();
  auto config = ctx.config();
  if (!config) return ctx.report(config.error());
  const DigestConfig& dc = (*config)->digest;

  digest::RunRequest request;
  request.build.now = now;
  request.build.vendors = o.vendors;
  std::vector<std::string> no_actors;
  canonical_names(ctx, request.build.vendors, no_actors);
  if (!o.title.empty()) request.build.title = o.title;
  request.since_last = o.since == "last";
  if (!request.since_last) {
    auto since = time_option("--since", o.since, now);
    if (!since) return ctx.report(since.error());
    request.build.since = *since;
  }
  if (!o.until.empty()) {
    auto until = time_option("--until", o.until, now, /*upper=*/true);
    if (!until) return ctx.report(until.error());
    request.build.until = *until;
  }
  const std::string format_name = o.format.empty() ? dc.format : o.format;
  const auto format = digest::format_from_string(format_name);
  if (!format)
    return ctx.report(Error(o.format.empty() ? ErrorCode::kConfig : ErrorCode::kInvalidArgument,
                            "unknown digest format '" + format_name + "' (markdown, html, text, json, atom)"));
  request.format_name = std::string(digest::to_string(*format));
  if (request.since_last && !digest::cursor_may_move(request))
    spdlog::warn("digest: --vendor/--until narrow the brief, so the delivery cursor does not move");

  digest::DeliveryOptions delivery;
  delivery.send_empty = o.send_empty;
  delivery.user_agent = (*config)->fetch.user_agent;
  digest::Environment env = digest::system_environment();
  if (!(*config)->path.empty()) {
    const auto slash = (*config)->path.rfind('/');
    env.base_dir = slash == std::string::npos ? "." : (*config)->path.substr(0, slash);
  }

  std::vector<std::unique_ptr<digest::Channel>> owned;
  const std::string out = o.out.empty() ? resolve_relative(**config, dc.out) : o.out;
  if (!o.out.empty() || !dc.out.empty()) {
    const bool as_dir = is_directory(out) || out.ends_with('/');
    owned.push_back(digest::make_file_channel(out, as_dir, *format, delivery, /*replace_dated=*/!request.since_last));
  } else if (!o.deliver) {
    owned.push_back(digest::make_stdout_channel(*format, delivery));
  }
  if (o.deliver) {
    auto configured = digest::make_configured_channels(dc, env, delivery);
    if (!configured) return ctx.report(configured.error());
    if (configured->empty() && owned.empty())
      return ctx.report(Error(ErrorCode::kConfig, "--deliver: no email, webhook or command configured under digest:"));
    for (auto& c : *configured) owned.push_back(std::move(c));
  }

  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  // Two overlapping digest runs would both read the same cursor and send the
  // same brief twice; crawls use another lock and may run meanwhile.
  auto job_locks = lock_digest_jobs(**store, owned);
  if (!job_locks) return ctx.report(job_locks.error());
  std::optional<RunLock> file_lock;
  if (!job_locks->shared) {
    auto lock = RunLock::acquire(lock_path_for_store(ctx.store_path() + "-digest"), std::chrono::minutes(2));
    if (!lock) return ctx.report(lock.error());
    file_lock.emplace(std::move(*lock));
  }
  if (job_locks->channels.empty()) {
    spdlog::warn("digest: another digest job is running for every channel; nothing sent by this one");
    return kExitLocked;
  }
  const digest::RunOutcome outcome = digest::run_digest(**store, request, job_locks->channels);
  job_locks.value().unlock();

  for (const auto& c : outcome.channels) {
    if (c.error)
      spdlog::error("digest: {}", c.error->message);
    else if (c.skipped_empty)
      spdlog::info("digest: {}: nothing new, not sent", c.label);
    else
      spdlog::info("digest: {}: {} event{} delivered{}", c.label, c.events, c.events == 1 ? "" : "s",
                   c.cursor_moved ? "" : " (cursor unchanged)");
  }

  int code = outcome.failures() > 0 ? kExitFailure : kExitOk;
  if (!o.metrics_file.empty()) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - wall_start;
    if (auto s = digest::write_prometheus_textfile(o.metrics_file, digest_metrics(outcome, now, took)); !s) {
      spdlog::error("digest: metrics: {}", s.error().message);
      code = kExitFailure;
    }
  }
  return code;
}

}  // namespace

void add_digest_command(CLI::App& app, Context& ctx) {
  auto [cmd, o] = add_command<DigestOptions>(
      app, ctx, "digest", "Write or deliver the brief of new vendor-ban events, once per channel", run_digest_command);
  cmd->add_option("--since", o->since,
                  "last (since this channel's previous brief; the default), a duration (24h, 7d) or a date")
      ->default_val("last");
  cmd->add_option("--until", o->until, "Only events first seen before the end of this date, or this long ago")
      ->type_name("DATE|DURATION");
  cmd->add_option("--vendor", o->vendors,
                  "Only this vendor: its name or an alias, any case (repeatable); the cursor then stays put")
      ->type_name("V");
  cmd->add_option("--format", o->format, "markdown, html, text, json or atom (default: digest.format)")
      ->check(CLI::IsMember({"markdown", "md", "html", "text", "txt", "json", "atom"}));
  cmd->add_option(
      "--out", o->out,
      "A file (replaced atomically) or a directory (DIR/YYYY-MM-DD.<ext>); default digest.out, else stdout");
  cmd->add_flag("--deliver", o->deliver, "Send to the email, webhook and command channels configured under digest:");
  cmd->add_flag("--send-empty", o->send_empty, "Deliver a brief even when nothing is new");
  cmd->add_option("--title", o->title, "Title of the brief (default: banwatch digest)");
  cmd->add_option("--metrics-file", o->metrics_file,
                  "Write Prometheus text-format metrics here (node_exporter textfile collector)");
}

}  // namespace banwatch::app
