// banwatch parse feed FILE|- [--url BASE] [--charset CS] [--json]: the
// normalized feed banwatch reads out of a saved feed or sitemap.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>

#include "app/app.h"
#include "app/input.h"
#include "common/time.h"
#include "feeds/feed.h"

namespace banwatch::app {
namespace {

struct ParseFeedOptions {
  std::string file;
  std::string url;
  std::string charset;
  std::string content_type;
  bool json = false;
  bool allow_private_networks = false;
};

nlohmann::json when(const std::optional<PreciseTime>& t) {
  return t ? nlohmann::json(format_iso8601(t->time)) : nlohmann::json(nullptr);
}

nlohmann::json to_json(const feeds::Feed& feed) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& it : feed.items) {
    nlohmann::json enclosures = nlohmann::json::array();
    for (const auto& e : it.enclosures) {
      enclosures.push_back({{"href", e.url}, {"type", e.type}, {"length", std::to_string(e.length)}});
    }
    nlohmann::json authors = nlohmann::json::array();
    for (const auto& name : it.authors) authors.push_back(name);
    nlohmann::json item = {
        {"id", it.id},
        {"url", it.url},
        // As published (HTML when title_type says so); title_text is plain.
        {"title", it.title_type == "text/plain" ? it.title : it.title_raw},
        {"title_text", it.title},
        {"title_type", it.title_type},
        {"summary", it.summary},
        {"summary_type", it.summary_type},
        {"content", it.content},
        {"content_type", it.content_type},
        {"authors", authors},
        {"categories", it.categories},
        {"enclosures", enclosures},
        {"published", when(it.published)},
        {"published_raw", it.published_raw},
        {"updated", when(it.updated)},
        {"updated_raw", it.updated_raw},
    };
    if (!it.language.empty()) item["language"] = it.language;
    if (!it.publication_name.empty()) item["publication_name"] = it.publication_name;
    if (!it.warnings.empty()) item["warnings"] = it.warnings;
    // Absent rather than empty, so that "not given" and "given empty" differ.
    if (it.summary.empty()) item.erase("summary"), item.erase("summary_type");
    if (it.content.empty()) item.erase("content"), item.erase("content_type");
    items.push_back(std::move(item));
  }
  nlohmann::json out = {
      {"format", feeds::to_string(feed.format)},
      {"encoding", feed.encoding},
      {"title", feed.title_type == "text/plain" ? feed.title : feed.title_raw},
      {"title_text", feed.title},
      {"title_type", feed.title_type},
      {"link", feed.link},
      {"language", feed.language},
      {"description", feed.description},
      {"authors", feed.authors},
      {"updated", when(feed.updated)},
      {"updated_raw", feed.updated_raw},
      {"published", when(feed.published)},
      {"published_raw", feed.published_raw},
      {"items", std::move(items)},
      {"warnings", feed.warnings},
  };
  if (feed.ttl_minutes) out["ttl"] = *feed.ttl_minutes;
  return out;
}

void print_text(const feeds::Feed& feed) {
  auto show = [](const std::optional<PreciseTime>& t) { return t ? format_iso8601(t->time) : std::string("-"); };
  std::cout << fmt::format(
      "format:   {}\nencoding: {}\ntitle:    {}\nlink:     {}\nlanguage: {}\n"
      "updated:  {}\nitems:    {}\n",
      feeds::to_string(feed.format), feed.encoding, feed.title, feed.link, feed.language, show(feed.updated),
      feed.items.size());
  for (const auto& w : feed.warnings) std::cout << fmt::format("warning:  {}\n", w);
  for (const auto& it : feed.items) {
    std::cout << fmt::format("\n- {}\n  url:       {}\n  id:        {}\n  published: {}\n", it.title, it.url, it.id,
                             show(it.published ? it.published : it.updated));
    for (const auto& w : it.warnings) std::cout << fmt::format("  warning:   {}\n", w);
  }
}

int run_parse_feed(Context& ctx, const ParseFeedOptions& opts) {
  feeds::Options options;
  options.base_url = opts.url;
  options.http_charset = opts.charset;
  options.http_content_type = opts.content_type;
  Result<std::string> bytes;
  if (is_http_url(opts.file)) {
    auto fetched = fetch_input(ctx, opts.file, opts.allow_private_networks,
                               "application/rss+xml, application/atom+xml, application/feed+json, application/xml, "
                               "text/xml;q=0.9, */*;q=0.5");
    if (!fetched) return ctx.report(fetched.error());
    if (options.base_url.empty()) options.base_url = fetched->final_url;
    if (options.http_charset.empty()) options.http_charset = fetched->charset;
    if (options.http_content_type.empty()) options.http_content_type = fetched->content_type;
    bytes = std::move(fetched->body);
  } else {
    bytes = read_input(opts.file, options.max_bytes, "feed");
  }
  if (!bytes) return ctx.report(bytes.error());
  auto result = feeds::parse(*bytes, options);
  if (!result) {
    return ctx.report(result.error().with_context(opts.file == "-" ? "standard input" : opts.file));
  }
  if (opts.json) {
    std::cout << to_json(*result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    print_text(*result);
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

void add_parse_feed_command(CLI::App& parse, Context& ctx) {
  auto [cmd, opts] = add_command<ParseFeedOptions>(
      parse, ctx, "feed", "Parse a feed or sitemap, saved or fetched, and print what banwatch reads", run_parse_feed);
  cmd->add_option("file", opts->file,
                  "Feed file (\"-\" for standard input), or an http(s) URL fetched as a crawl fetches it")
      ->required();
  cmd->add_option("--url", opts->url, "The feed's URL: base for relative links (default: a fetched feed's)");
  cmd->add_option("--charset", opts->charset,
                  "The charset the server declared (HTTP Content-Type; default: a fetched feed's)");
  cmd->add_option("--content-type", opts->content_type,
                  "The server's Content-Type, when known (default: a fetched feed's)");
  cmd->add_flag("--allow-private-networks", opts->allow_private_networks,
                "Allow fetching from loopback and private addresses");
  cmd->add_flag("--json", opts->json, "Print JSON");
}

}  // namespace banwatch::app
