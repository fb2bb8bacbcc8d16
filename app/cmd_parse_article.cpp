// banwatch parse article FILE... [--url URL] [--charset CS] [--json]:
// what the extractor reads out of saved pages.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/app.h"
#include "app/input.h"
#include "common/time.h"
#include "parsers/article.h"
#include "parsers/dates.h"

namespace banwatch::app {
namespace {

struct ParseArticleOptions {
  std::vector<std::string> files;
  std::string url;
  std::string charset;
  bool json = false;
  bool allow_private_networks = false;
};

// `published` in the publisher's own offset (RFC 3339), so that its first
// ten characters are the publisher's calendar day.
std::string published_text(const article::Article& a) {
  if (!a.published) return {};
  return dates::format_local(dates::LocalDate{*a.published, a.published_offset_minutes});
}

nlohmann::json to_json(const std::string& file, const article::Article& a) {
  auto when = [](const std::optional<PreciseTime>& t) -> nlohmann::json {
    return t ? nlohmann::json(format_precise(*t)) : nlohmann::json(nullptr);
  };
  const std::string published = published_text(a);
  return {
      {"file", file},
      {"url", a.url},
      {"canonical_url", a.canonical_url},
      {"title", a.title},
      {"text", a.text},
      {"published", published.empty() ? nlohmann::json(nullptr) : nlohmann::json(published)},
      {"published_source", a.published_source.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.published_source)},
      {"modified", when(a.modified)},
      {"authors", a.authors},
      {"site_name", a.site_name},
      {"language", a.language},
      {"description", a.description},
      {"warnings", a.warnings}};
}

void print_text(const std::string& file, const article::Article& a) {
  auto when = [](const std::optional<PreciseTime>& t) { return t ? format_precise(*t) : std::string("-"); };
  std::string published = a.published ? published_text(a) + " (" + a.published_source + ")" : std::string("-");
  std::string authors;
  for (const auto& name : a.authors) authors += (authors.empty() ? "" : ", ") + name;
  std::cout << fmt::format("file:        {}\n", file);
  if (!a.url.empty()) std::cout << fmt::format("url:         {}\n", a.url);
  std::cout << fmt::format(
      "canonical:   {}\ntitle:       {}\npublished:   {}\nmodified:    {}\n"
      "authors:     {}\nsite:        {}\nlanguage:    {}\ndescription: {}\n",
      a.canonical_url, a.title, published, when(a.modified), authors, a.site_name, a.language, a.description);
  for (const auto& w : a.warnings) std::cout << fmt::format("warning:     {}\n", w);
  std::cout << "\n" << a.text << "\n";
}

int run_parse_article(Context& ctx, const ParseArticleOptions& opts) {
  article::Options options;
  options.url = opts.url;
  options.http_charset = opts.charset;
  options.reference = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  int failures = 0;
  bool first = true;
  // JSON: the JSON-encoded text may contain invalid UTF-8 only if the
  // extractor let it through; replace rather than throw.
  auto dump = [](const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
  for (const auto& file : opts.files) {
    Result<article::Article> result = [&]() -> Result<article::Article> {
      if (is_http_url(file)) {
        auto page =
            fetch_input(ctx, file, opts.allow_private_networks, "text/html, application/xhtml+xml;q=0.9, */*;q=0.5");
        if (!page) return std::unexpected(page.error());
        article::Options fetched = options;
        if (fetched.url.empty()) fetched.url = page->final_url;
        if (fetched.http_charset.empty()) fetched.http_charset = page->charset;
        auto extracted = article::extract(page->body, fetched);
        if (!extracted) return std::unexpected(extracted.error().with_context(file));
        return extracted;
      }
      auto bytes = read_input(file, options.max_bytes, "page");
      if (!bytes) return std::unexpected(bytes.error());
      auto extracted = article::extract(*bytes, options);
      if (!extracted) return std::unexpected(extracted.error().with_context(file));
      return extracted;
    }();
    if (!result) {
      ++failures;
      ctx.report(result.error());
      if (opts.json && opts.files.size() > 1) {
        std::cout << dump(nlohmann::json{{"file", file}, {"error", result.error().message}}) << "\n";
      }
      continue;
    }
    if (opts.json) {
      std::cout << dump(to_json(file, *result)) << "\n";
    } else {
      if (!first) std::cout << "\n----\n\n";
      print_text(file, *result);
    }
    first = false;
  }
  std::cout.flush();
  if (failures == 0) return kExitOk;
  return failures == static_cast<int>(opts.files.size()) ? kExitFailure : kExitPartial;
}

}  // namespace

void add_parse_article_command(CLI::App& parse, Context& ctx) {
  auto [cmd, opts] = add_command<ParseArticleOptions>(
      parse, ctx, "article", "Extract the main text and metadata of article pages, saved or fetched",
      run_parse_article);
  cmd->add_option("files", opts->files,
                  "HTML files (\"-\" for standard input), or http(s) URLs fetched as a crawl fetches them")
      ->required();
  cmd->add_option("--url", opts->url, "The page's URL: resolves links, dates in the URL (default: a fetched page's)");
  cmd->add_option("--charset", opts->charset,
                  "The charset the server declared; overrides <meta charset> (default: a fetched page's)");
  add_parse_fetch_flag(*cmd, opts->allow_private_networks);
  cmd->add_flag("--json", opts->json, "JSON: one object per file (JSON Lines for several files)");
}

}  // namespace banwatch::app
