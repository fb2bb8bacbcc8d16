// banwatch search QUERY: full-text search over stored articles, best match
// first, with the matching words highlighted.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/app.h"
#include "common/time.h"

namespace banwatch::app {
namespace {

struct SearchOptions {
  std::string query;
  std::string since;
  std::size_t limit = 20;
  bool json = false;
};

// The store marks matches with [ and ]; a terminal shows them in bold.
std::string highlight(const std::string& snippet, bool terminal) {
  if (!terminal) return snippet;
  std::string out;
  for (char c : snippet) {
    if (c == '[') {
      out += "\x1b[1m";
    } else if (c == ']') {
      out += "\x1b[0m";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

int run_search(Context& ctx, const SearchOptions& opts) {
  std::optional<Timestamp> since;
  if (!opts.since.empty()) {
    auto bound = time_option("--since", opts.since, SystemClock().now());
    if (!bound) return ctx.report(bound.error());
    since = *bound;
  }
  auto store = ctx.store(false);
  if (!store) return ctx.report(store.error());
  auto hits = (*store)->search(opts.query, since, opts.limit);
  if (!hits) return ctx.report(hits.error());

  if (opts.json) {
    for (const auto& hit : *hits) {
      nlohmann::json j = {
          {"article_id", hit.article_id},
          {"url", hit.url},
          {"title", hit.title},
          {"published_at", hit.published_at ? nlohmann::json(format_precise(*hit.published_at)) : nullptr},
          {"snippet", hit.snippet}};
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return kExitOk;
  }
  const bool terminal = ctx.stdout_is_terminal();
  for (const auto& hit : *hits) {
    std::cout << fmt::format("{}  {}\n",
                             hit.published_at ? format_precise(*hit.published_at).substr(0, 10) : "----------",
                             printable(hit.title));
    std::cout << "  " << printable(hit.url) << "\n";
    std::cout << "  " << highlight(printable(hit.snippet), terminal) << "\n\n";
  }
  std::cout << fmt::format("{} article{}\n", hits->size(), hits->size() == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace

void add_search_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] = add_command<SearchOptions>(
      app, ctx, "search", "Full-text search over stored articles: words, \"exact phrases\", prefix*, OR, NOT",
      run_search);
  cmd->add_option("QUERY", opts->query, "What to look for")->required();
  cmd->add_option("--since", opts->since, "Only articles published since: a date (2026-03-01) or a duration (30d)")
      ->type_name("DATE|DURATION");
  cmd->add_option("--limit", opts->limit, "At most N articles (0: all)")
      ->type_name("N")
      ->check(whole_number())
      ->capture_default_str();
  cmd->add_flag("--json", opts->json, "One JSON object a line");
}

}  // namespace banwatch::app
