// banwatch sources list: every source with its schedule and health.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "app/app.h"
#include "common/time.h"

namespace banwatch::app {
namespace {

struct ListOptions {
  bool json = false;
};

std::string due_text(const store::Source& s, Timestamp now) {
  if (!s.spec.enabled) return "disabled";
  if (!s.state.next_due || *s.state.next_due <= now) return "now";
  return "in " + format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::duration_cast<std::chrono::minutes>(*s.state.next_due - now)));
}

int run_list(Context& ctx, const ListOptions& opts) {
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  if (auto st = ctx.sync_sources(); !st) return ctx.report(st.error());
  auto sources = (*store)->list_sources();
  if (!sources) return ctx.report(sources.error());
  Timestamp now = SystemClock().now();
  if (opts.json) {
    for (const auto& s : *sources) {
      nlohmann::json j = {
          {"name", s.spec.name},
          {"url", s.spec.url},
          {"kind", s.spec.kind},
          {"interval", format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(s.spec.interval))},
          {"tags", s.spec.tags},
          {"enabled", s.spec.enabled},
          {"next_due", s.state.next_due ? format_iso8601(*s.state.next_due) : ""},
          {"last_status", s.state.last_status},
          {"consecutive_errors", s.state.consecutive_errors},
          {"last_error", s.state.last_error}};
      std::cout << j.dump() << "\n";
    }
    return kExitOk;
  }
  std::cout << fmt::format("{:<28} {:<8} {:>6} {:<10} {:>6} {:>6}  {}\n", "NAME", "KIND", "EVERY", "DUE", "STATUS",
                           "ERRORS", "URL");
  for (const auto& s : *sources) {
    std::cout << fmt::format("{:<28} {:<8} {:>6} {:<10} {:>6} {:>6}  {}\n", s.spec.name, s.spec.kind,
                             format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(s.spec.interval)),
                             due_text(s, now), s.state.last_status ? std::to_string(s.state.last_status) : "-",
                             s.state.consecutive_errors, s.spec.url);
    if (!s.state.last_error.empty()) std::cout << "    last error: " << s.state.last_error << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_sources_list_command(CLI::App& sources, Context& ctx) {
  auto [cmd, opts] = add_command<ListOptions>(
      sources, ctx, "list", "List sources with their due time, last status and error count", run_list);
  cmd->add_flag("--json", opts->json, "One JSON object a line");
}

}  // namespace banwatch::app
