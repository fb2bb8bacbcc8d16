// banwatch stats: what the store holds and how the last run went.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/app.h"
#include "common/failure.h"
#include "common/time.h"

namespace banwatch::app {
namespace {

struct StatsOptions {
  bool json = false;
  std::size_t vendors = 20;  // rows of the per-vendor table; 0 = all
};

nlohmann::json run_json(const store::Run& run) {
  return {{"id", run.id},
          {"kind", run.kind},
          {"started_at", format_iso8601(run.started_at)},
          {"finished_at", run.finished_at ? nlohmann::json(format_iso8601(*run.finished_at)) : nullptr},
          {"outcome", run.outcome},
          {"fetched", run.fetched},
          {"not_modified", run.not_modified},
          {"failed", run.failed},
          {"articles_stored", run.articles_stored},
          {"events_appended", run.events_appended},
          {"mentions_appended", run.mentions_appended},
          {"message", run.message}};
}

std::vector<FailureGroup> failure_groups(const store::Stats& s) {
  std::vector<NamedFailure> failures;
  for (const auto& source : s.failing_sources)
    failures.push_back({source.spec.name, source.state.last_error, source.state.last_status});
  return group_failures(failures);
}

int run_stats(Context& ctx, const StatsOptions& opts) {
  auto store = ctx.store(false);
  if (!store) return ctx.report(store.error());
  auto stats = (*store)->stats();
  if (!stats) return ctx.report(stats.error());
  const store::Stats& s = *stats;

  if (opts.json) {
    nlohmann::json vendors = nlohmann::json::array();
    for (const auto& [vendor, count] : s.events_per_vendor) vendors.push_back({{"vendor", vendor}, {"events", count}});
    nlohmann::json failing = nlohmann::json::array();
    for (const auto& source : s.failing_sources) {
      failing.push_back(
          {{"name", source.spec.name},
           {"cause", failure_cause(source.state.last_error, source.state.last_status)},
           {"url", source.spec.url},
           {"consecutive_errors", source.state.consecutive_errors},
           {"last_status", source.state.last_status},
           {"last_error", source.state.last_error},
           {"last_success",
            source.state.last_success ? nlohmann::json(format_iso8601(*source.state.last_success)) : nullptr}});
    }
    nlohmann::json causes = nlohmann::json::array();
    for (const auto& g : failure_groups(s)) causes.push_back({{"cause", g.cause}, {"sources", g.names}});
    nlohmann::json out = {{"store", ctx.store_path()},
                          {"schema_version", s.schema_version},
                          {"counts",
                           {{"sources", s.sources},
                            {"articles", s.articles},
                            {"events", s.events},
                            {"mentions", s.mentions},
                            {"runs", s.runs},
                            {"digests", s.digests}}},
                          {"events_per_vendor", vendors},
                          {"last_run", s.last_run ? run_json(*s.last_run) : nlohmann::json(nullptr)},
                          {"failing_sources", failing},
                          {"failure_causes", causes}};
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }

  std::cout << fmt::format("store     {} (schema version {})\n", ctx.store_path(), s.schema_version);
  std::cout << fmt::format(
      "sources   {:>10}\narticles  {:>10}\nevents    {:>10}\nmentions  {:>10}\n"
      "runs      {:>10}\ndigests   {:>10}\n",
      s.sources, s.articles, s.events, s.mentions, s.runs, s.digests);
  if (!s.events_per_vendor.empty()) {
    std::cout << "\nevents per vendor\n";
    std::size_t shown = 0;
    for (const auto& [vendor, count] : s.events_per_vendor) {
      if (opts.vendors > 0 && shown == opts.vendors) {
        std::cout << fmt::format("  ... and {} more vendors (--vendors 0 lists all)\n",
                                 s.events_per_vendor.size() - shown);
        break;
      }
      std::cout << fmt::format("  {:<30} {:>8}\n", vendor, count);
      ++shown;
    }
  }
  std::cout << "\nlast run\n";
  if (s.last_run) {
    const store::Run& r = *s.last_run;
    std::cout << fmt::format(
        "  {} #{} started {}, {}\n", r.kind, r.id, format_iso8601(r.started_at),
        r.finished_at ? "finished " + format_iso8601(*r.finished_at) : std::string("not finished"));
    std::cout << fmt::format(
        "  outcome {}: {} fetched, {} not modified, {} failed; {} articles, {} events, "
        "{} mentions stored\n",
        r.outcome, r.fetched, r.not_modified, r.failed, r.articles_stored, r.events_appended, r.mentions_appended);
    if (!r.message.empty()) std::cout << "  " << r.message << "\n";
  } else {
    std::cout << "  none yet\n";
  }
  // Grouped by cause, a line a cause; -v adds a line a source.
  std::cout << fmt::format("\nfailing sources: {}\n", s.failing_sources.size())
            << format_failure_groups(failure_groups(s));
  if (ctx.options.verbosity >= 1) {
    for (const auto& source : s.failing_sources) {
      std::cout << fmt::format("  {:<28} {:>3} {}, last status {}, last success {}\n", source.spec.name,
                               source.state.consecutive_errors,
                               source.state.consecutive_errors == 1 ? "error" : "errors",
                               source.state.last_status ? std::to_string(source.state.last_status) : "-",
                               source.state.last_success ? format_iso8601(*source.state.last_success) : "never");
      if (!source.state.last_error.empty()) std::cout << "    " << source.state.last_error << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void add_stats_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<StatsOptions>(
      app, ctx, "stats", "Counts per table and per vendor, the last run and the failing sources", run_stats);
  cmd->add_flag("--json", opts->json, "One JSON document");
  cmd->add_option("--vendors", opts->vendors, "Vendors listed in the per-vendor table (0: all)")->capture_default_str();
}

}  // namespace banwatch::app
