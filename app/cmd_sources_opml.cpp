// banwatch sources import-opml FILE / sources export-opml: subscription lists
// in and out. Nested outlines become tags; a feed whose URL is already a
// source is skipped and reported.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <set>

#include "app/app.h"
#include "app/input.h"
#include "common/url.h"
#include "feeds/opml.h"

namespace banwatch::app {
namespace {

struct ImportOptions {
  std::string file;
  std::string kind = "feed";
  bool dry_run = false;
};

struct ExportOptions {
  std::string output;  // "" or "-" = standard output
  std::string title = "banwatch sources";
};

// A unique source name: the outline's title, else the feed's host, with a
// number appended when taken.
std::string unique_name(const feeds::OpmlFeed& feed, const std::set<std::string>& taken) {
  std::string base = feed.title;
  if (base.empty() || base == feed.xml_url) {
    auto url = Url::parse(feed.xml_url);
    base = url ? url->host() : feed.xml_url;
  }
  std::string name = base;
  for (int n = 2; taken.count(name) != 0; ++n) name = fmt::format("{} ({})", base, n);
  return name;
}

int run_import(Context& ctx, const ImportOptions& opts) {
  auto bytes = read_input(opts.file, feeds::OpmlOptions{}.max_bytes, "OPML");
  if (!bytes) return ctx.report(bytes.error());
  auto doc = feeds::parse_opml(*bytes);
  if (!doc) return ctx.report(doc.error().with_context(opts.file));
  for (const auto& w : doc->warnings) std::cerr << fmt::format("banwatch: {}: {}\n", opts.file, w);
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  if (auto st = ctx.sync_sources(); !st) return ctx.report(st.error());  // the configured ones count too
  auto existing = (*store)->list_sources();
  if (!existing) return ctx.report(existing.error());
  std::set<std::string> names, urls;
  for (const auto& s : *existing) {
    names.insert(s.spec.name);
    urls.insert(canonical_url_string(s.spec.url));
  }
  int added = 0, skipped = 0, failed = 0;
  for (const auto& feed : doc->feeds) {
    std::string key = canonical_url_string(feed.xml_url);
    if (urls.count(key) != 0) {
      ++skipped;
      std::cout << fmt::format("skipped (already a source): {}  {}\n", feed.title, feed.xml_url);
      continue;
    }
    auto url = Url::parse(feed.xml_url);
    if (!url || !url->is_http()) {
      ++failed;
      std::cerr << fmt::format("banwatch: {}: \"{}\" has no usable http(s) URL ({}), not imported\n", opts.file,
                               feed.title, feed.xml_url);
      continue;
    }
    store::SourceSpec spec;
    spec.name = unique_name(feed, names);
    spec.url = url->str();
    spec.kind = opts.kind;
    spec.tags = feed.tags;
    if (!opts.dry_run) {
      auto id = (*store)->add_source(spec);
      if (!id) {
        ++failed;
        ctx.report(id.error().with_context(spec.name));
        continue;
      }
    }
    names.insert(spec.name);
    urls.insert(key);
    ++added;
    std::string tags;
    for (const auto& t : spec.tags) tags += (tags.empty() ? "" : ", ") + t;
    std::cout << fmt::format("{}: {}  {}{}\n", opts.dry_run ? "would add" : "added", spec.name, spec.url,
                             tags.empty() ? "" : "  [" + tags + "]");
  }
  std::cout << fmt::format("{} added, {} duplicates skipped, {} failed\n", added, skipped, failed);
  if (failed == 0) return kExitOk;
  return added > 0 ? kExitPartial : kExitFailure;
}

int run_export(Context& ctx, const ExportOptions& opts) {
  auto store = ctx.store();
  if (!store) return ctx.report(store.error());
  auto sources = (*store)->list_sources();
  if (!sources) return ctx.report(sources.error());
  std::vector<feeds::OpmlFeed> list;
  for (const auto& s : *sources) {
    if (s.spec.kind == "page") continue;  // OPML lists feeds
    list.push_back({s.spec.name, s.spec.url, "", s.spec.tags});
  }
  std::string text = feeds::write_opml(opts.title, list);
  if (opts.output.empty() || opts.output == "-") {
    std::cout << text;
    std::cout.flush();
    return kExitOk;
  }
  std::ofstream out(opts.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return ctx.report(Error(ErrorCode::kIo, opts.output + ": cannot write the file"));
  std::cerr << fmt::format("banwatch: {} sources written to {}\n", list.size(), opts.output);
  return kExitOk;
}

}  // namespace

void add_sources_opml_commands(CLI::App& sources, Context& ctx) {
  auto [import_cmd, import_opts] = add_command<ImportOptions>(
      sources, ctx, "import-opml", "Add the feeds of an OPML file as sources (folders become tags)", run_import);
  import_cmd->add_option("file", import_opts->file, "OPML file (\"-\" for standard input)")->required();
  import_cmd->add_option("--kind", import_opts->kind, "Kind of the new sources")
      ->check(CLI::IsMember({"feed", "sitemap"}));
  import_cmd->add_flag("--dry-run", import_opts->dry_run, "Show what would be added, add nothing");

  auto [export_cmd, export_opts] =
      add_command<ExportOptions>(sources, ctx, "export-opml", "Write the sources as OPML 2.0", run_export);
  export_cmd->add_option("-o,--output", export_opts->output, "Output file (default: standard output)");
  export_cmd->add_option("--title", export_opts->title, "Title of the OPML document");
}

}  // namespace banwatch::app
