// banwatch sources add | remove: edit the sources kept in the store (sources
// listed in the configuration file are synced into it on every crawl).
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
  auto id = (*store)->add_source(spec);
  if (!id) return ctx.report(id.error());
  std::cout << fmt::format("added source {} ({}, every {}): {}\n", spec.name, spec.kind, format_duration(*every),
                           spec.url);
  return kExitOk;
}

int run_remove(Context& ctx, const std::string& name) {
  auto store = ctx.store(/*create=*/false);
  if (!store) return ctx.report(store.error());
  if (auto st = (*store)->remove_source(name); !st) return ctx.report(st.error());
  std::cout << "removed source " << name << "\n";
  if (auto config = ctx.config(); config) {
    for (const auto& s : (*config)->sources) {
      if (s.name == name) {
        std::cerr << fmt::format(
            "banwatch: source {} is listed in {}: remove it there too, or the next crawl adds it back\n", name,
            (*config)->path.empty() ? std::string("the configuration") : (*config)->path);
      }
    }
  }
  return kExitOk;
}

}  // namespace

void add_sources_edit_commands(CLI::App& sources, Context& ctx) {
  auto add = std::make_shared<AddOptions>();
  auto* add_cmd = sources.add_subcommand("add", "Add a source: a feed, a (news) sitemap or a page to watch");
  add_cmd->add_option("name", add->name, "Unique name")->required();
  add_cmd->add_option("url", add->url, "http(s) URL")->required();
  add_cmd->add_option("--kind", add->kind, "feed | sitemap | page")
      ->check(CLI::IsMember({"feed", "sitemap", "page"}))
      ->capture_default_str();
  add_cmd->add_option("--every", add->every, "Interval between fetches (15m, 2h, 1d)")->capture_default_str();
  add_cmd->add_option("--tag", add->tags, "A tag (repeatable)")->type_name("TAG");
  add_cmd->add_option("--articles", add->articles, "Article policy for this source: matching | all | none")
      ->check(CLI::IsMember({"matching", "all", "none"}));
  add_cmd->callback([&ctx, add] { ctx.exit_code = run_add(ctx, *add); });

  auto name = std::make_shared<std::string>();
  auto* remove_cmd = sources.add_subcommand("remove", "Remove a source (its articles and events stay)");
  remove_cmd->add_option("name", *name, "Source name")->required();
  remove_cmd->callback([&ctx, name] { ctx.exit_code = run_remove(ctx, *name); });
}

}  // namespace banwatch::app
