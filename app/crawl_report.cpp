// What crawl, crawl --worker, recrawl and demo say about a run: the exit code
// and the failed sources grouped by cause.
#include <algorithm>

#include <fmt/format.h>

#include "app/app.h"
#include "common/failure.h"
#include "crawler/pipeline.h"

namespace banwatch::app {

int crawl_exit_code(const crawler::CrawlSummary& summary) {
  if (crawler::reached_none(summary)) return kExitFailure;
  return summary.failed > 0 ? kExitPartial : kExitOk;
}

std::string failures_block(const Context& ctx, const std::vector<crawler::SourceReport>& failures, int sources,
                           std::string_view what) {
  const bool quiet = ctx.options.verbosity < 0;
  std::vector<NamedFailure> shown;
  for (const auto& f : failures) {
    // A source that failed its previous fetch too is not news under -q.
    if (quiet && f.consecutive_errors > 1) continue;
    shown.push_back({f.name, f.error ? f.error->message : "unknown error", f.status});
  }
  if (shown.empty()) return "";
  sources = std::max(sources, static_cast<int>(failures.size()));
  std::string head = quiet ? fmt::format("banwatch: {}: {} newly failing (of {} failing sources, {} tried)", what,
                                         shown.size(), failures.size(), sources)
                           : fmt::format("banwatch: {}: {} of {} sources failed", what, failures.size(), sources);
  return head + "\n" + format_failure_groups(group_failures(shown));
}

}  // namespace banwatch::app
