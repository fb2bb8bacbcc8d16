// banwatch sources add | remove | enable | disable: edit the sources in the
// store, their one home (the configuration's `sources:` only seed it; see
// Context::sync_sources).
#include <iostream>

#include <fmt/format.h>

#include "app/app.h"
#include "common/time.h"
#include "common/url.h"

namespace banwatch::app {
namespace {

struct AddOptions {
  std::string name, url;
  std::string kind = "feed";
  std::string every = "30m";
  std::vector<std::string> tags;
  std::string articles;
};

int run_add(Context& ctx, const AddOptions& opts) {
  auto url = Url::parse(opts.url);
  if (!url || !url->is_http())
    return ctx.report(Error(ErrorCode::kInvalidArgument,
                            fmt::format("sources add {}: {} is not an http(s) URL", opts.name, opts.url)));
  auto every = parse_duration(opts.every);
  if (!every || *every < std::chrono::minutes(1))
    return ctx.report(Error(ErrorCode::kInvalidArgument,
                            fmt::format("sources add {}: --every {} is not a duration of at least 1m (15m, 2h, 1d)",
                                        opts.name, opts.every)));
  store::SourceSpec spec;
  spec.name = opts.name;
  spec.url = url->str();
  spec.kind = opts.kind;
  spec.interval = std::chrono::duration_cast<std::chrono::seconds>(*every);
  spec.tags = opts.tags;
  spec.article_policy = opts.articles;
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  // The configuration's sources first, so a duplicate of one is caught too.
  if (auto st = ctx.sync_sources(); !st) return ctx.report(st.error());
  auto sources = (*store)->list_sources();
  if (!sources) return ctx.report(sources.error());
  const std::string key = canonical_url_string(spec.url);
  for (const auto& s : *sources) {
    if (s.spec.name != spec.name && canonical_url_string(s.spec.url) == key)
      return ctx.report(Error(ErrorCode::kAlreadyExists, fmt::format("sources add {}: source {} already has the URL {}",
                                                                     spec.name, s.spec.name, s.spec.url)));
  }
  auto id = (*store)->add_source(spec);
  if (!id) return ctx.report(id.error());
  std::cout << fmt::format("added source {} ({}, every {}): {}\n", spec.name, spec.kind, format_duration(*every),
                           spec.url);
  return kExitOk;
}

int run_remove(Context& ctx, const std::string& name) {
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  // Imported first: removing a configured source that was never imported
  // must retire it, or the next start would add it.
  if (auto st = ctx.sync_sources(); !st) return ctx.report(st.error());
  if (auto st = (*store)->remove_source(name); !st) return ctx.report(st.error());
  std::cout << "removed source " << name << " (its articles and events stay; `sources add` brings it back)\n";
  return kExitOk;
}

int run_set_enabled(Context& ctx, const std::string& name, bool enabled) {
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  if (auto st = ctx.sync_sources(); !st) return ctx.report(st.error());
  auto source = (*store)->get_source(name);
  if (!source) return ctx.report(source.error());
  if (source->spec.enabled == enabled) {
    std::cout << fmt::format("source {} is already {}\n", name, enabled ? "enabled" : "disabled");
    return kExitOk;
  }
  store::SourceSpec spec = source->spec;
  spec.enabled = enabled;
  if (auto st = (*store)->upsert_source(spec); !st) return ctx.report(st.error());
  std::cout << fmt::format("{} source {}{}\n", enabled ? "enabled" : "disabled", name,
                           enabled ? "" : " (not crawled until `sources enable`)");
  return kExitOk;
}

}  // namespace

void add_sources_edit_commands(CLI::App& sources, Context& ctx) {
  auto [add_cmd, add] = add_command<AddOptions>(sources, ctx, "add",
                                                "Add a source: a feed, a (news) sitemap or a page to watch", run_add);
  add_cmd->add_option("name", add->name, "Unique name")->required();
  add_cmd->add_option("url", add->url, "http(s) URL; one source per URL")->required();
  add_cmd->add_option("--kind", add->kind, "feed | sitemap | page")
      ->check(CLI::IsMember({"feed", "sitemap", "page"}))
      ->capture_default_str();
  add_cmd->add_option("--every", add->every, "Interval between fetches (15m, 2h, 1d)")->capture_default_str();
  add_cmd->add_option("--tag", add->tags, "A tag (repeatable)")->type_name("TAG");
  add_cmd->add_option("--articles", add->articles, "Article policy for this source: matching | all | none")
      ->check(CLI::IsMember({"matching", "all", "none"}));

  auto name = std::make_shared<std::string>();
  auto* remove_cmd =
      sources.add_subcommand("remove", "Remove a source for good, configured ones too (its articles and events stay)");
  remove_cmd->add_option("name", *name, "Source name")->required();
  remove_cmd->callback([&ctx, name] { ctx.exit_code = run_remove(ctx, *name); });

  for (const bool enabled : {true, false}) {
    auto target = std::make_shared<std::string>();
    auto* cmd = sources.add_subcommand(enabled ? "enable" : "disable",
                                       enabled ? "Crawl a disabled source again"
                                               : "Stop crawling a source for a while (it stays listed, as disabled)");
    cmd->add_option("name", *target, "Source name")->required();
    cmd->callback([&ctx, target, enabled] { ctx.exit_code = run_set_enabled(ctx, *target, enabled); });
  }
}

}  // namespace banwatch::app
