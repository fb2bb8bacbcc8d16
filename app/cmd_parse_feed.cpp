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

// What a feed and its items both carry: the title as published (HTML when
// title_type says so) and as plain text, and the dates, parsed and as given.
// (The object's keys are sorted, so adding them here keeps the output.)
template <typename FeedOrItem>
void add_title_and_dates(nlohmann::json& j, const FeedOrItem& x) {
  j["title"] = x.title_type == "text/plain" ? x.title : x.title_raw;
  j["title_text"] = x.title;
  j["title_type"] = x.title_type;
  j["published"] = when(x.published);
  j["published_raw"] = x.published_raw;
  j["updated"] = when(x.updated);
  j["updated_raw"] = x.updated_raw;
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
        {"id", it.id}, {"url", it.url}, {"authors", authors}, {"categories", it.categories}, {"enclosures", enclosures},
    };
    add_title_and_dates(item, it);
    if (!it.language.empty()) item["language"] = it.language;
    if (!it.publication_name.empty()) item["publication_name"] = it.publication_name;
    if (!it.warnings.empty()) item["warnings"] = it.warnings;
    // Absent rather than empty, so that "not given" and "given empty" differ.
    if (!it.summary.empty()) {
      item["summary"] = it.summary;
      item["summary_type"] = it.summary_type;
    }
    if (!it.content.empty()) {
      item["content"] = it.content;
      item["content_type"] = it.content_type;
    }
    items.push_back(std::move(item));
  }
  nlohmann::json out = {
      {"format", feeds::to_string(feed.format)},
      {"encoding", feed.encoding},
      {"link", feed.link},
      {"language", feed.language},
      {"description", feed.description},
      {"authors", feed.authors},
      {"items", std::move(items)},
      {"warnings", feed.warnings},
  };
  add_title_and_dates(out, feed);
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
  add_parse_fetch_flag(*cmd, opts->allow_private_networks);
  cmd->add_flag("--json", opts->json, "Print JSON");
}

}  // namespace banwatch::app
