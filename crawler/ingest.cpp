#include "crawler/ingest.h"

#include <fmt/format.h>

#include <optional>

#include "crawler/text.h"
#include "parsers/language.h"

namespace banwatch::crawler {

void seal_article(model::ArticleRecord& article) { article.content_hash = sha256_hex(article.text); }

std::vector<model::ExtractedEvent> extract_events(const rules::RuleEngine& rules, const model::ArticleRecord& article) {
  rules::ExtractContext context;
  context.published = article.published_at;
  // The article's declared language picks the lexicon; without one the text's is detected.
  if (auto code = language::normalize(article.language); !code.empty()) context.language = code;
  const std::string text = article.title.empty() ? article.text : article.title + "\n\n" + article.text;
  std::vector<model::ExtractedEvent> events;
  for (auto& extracted : rules.extract(text, context)) events.push_back(std::move(extracted.event));
  return events;
}

Result<ReextractSummary> reextract(store::Store& store, const rules::RuleEngine& rules,
                                   const ReextractOptions& options) {
  if (options.clock == nullptr) return fail(ErrorCode::kInvalidArgument, "reextract: no clock");
  ReextractSummary summary;
  std::optional<Error> failure;
  store::AppendOptions append;
  append.cluster_window = options.cluster_window;
  auto walked = store.for_each_article(options.filter, [&](const model::ArticleRecord& article) {
    if (options.cancel != nullptr && options.cancel->load() != 0) {
      summary.cancelled = true;
      return false;
    }
    const std::vector<model::ExtractedEvent> events = extract_events(rules, article);
    ++summary.articles;
    if (events.empty()) {
      if (options.progress) options.progress(summary.articles, summary.events_appended);
      return true;
    }
    append.now = options.clock->now();
    auto result = store.append_events(article.id, events, append);
    if (!result) {
      failure = result.error().with_context(fmt::format("article {} ({})", article.id, article.url));
      return false;
    }
    summary.events_appended += result->events_appended;
    summary.mentions_appended += result->mentions_appended;
    if (options.progress) options.progress(summary.articles, summary.events_appended);
    return true;
  });
  if (!walked) return std::unexpected(walked.error());
  if (failure) return std::unexpected(*failure);
  return summary;
}

}  // namespace banwatch::crawler
