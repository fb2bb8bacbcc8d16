// The JSON records of the API: the same objects the CLI prints.
#include "common/time.h"
#include "serve/serve.h"

namespace banwatch::serve {
namespace {

nlohmann::json optional_precise(const std::optional<PreciseTime>& t) {
  return t ? nlohmann::json(format_precise(*t)) : nlohmann::json(nullptr);
}

nlohmann::json optional_time(const std::optional<Timestamp>& t) {
  return t ? nlohmann::json(format_iso8601(*t)) : nlohmann::json("");
}

nlohmann::json mention_json(const model::Mention& m) {
  return {{"id", m.id},
          {"article_id", m.article_id},
          {"url", m.article_url},
          {"title", m.article_title},
          {"source", m.source_name},
          {"published_at", optional_precise(m.article_published_at)},
          {"evidence", m.evidence},
          {"rule_id", m.rule_id},
          {"rule_pack_version", m.rule_pack_version},
          {"extracted_at", format_iso8601(m.extracted_at)}};
}

}  // namespace

nlohmann::json event_json(const store::EventWithMentions& entry) {
  const model::Event& e = entry.event;
  nlohmann::json mentions = nlohmann::json::array();
  for (const auto& m : entry.mentions) mentions.push_back(mention_json(m));
  return {{"id", e.id},
          {"vendor", e.vendor},
          {"actor", e.actor},
          {"actor_type", e.actor_type},
          {"action", e.action},
          {"status", e.status},
          {"scope", e.scope},
          {"event_date", optional_precise(e.event_date)},
          {"event_date_precision", e.event_date ? nlohmann::json(to_string(e.event_date->precision)) : nullptr},
          {"first_seen_at", format_iso8601(e.first_seen_at)},
          {"confidence", e.confidence},
          {"previous_event_id", e.previous_event_id ? nlohmann::json(*e.previous_event_id) : nullptr},
          {"case_status", e.case_status},
          {"mentions", mentions}};
}

nlohmann::json search_hit_json(const store::SearchHit& hit) {
  return {{"article_id", hit.article_id},
          {"url", hit.url},
          {"title", hit.title},
          {"published_at", optional_precise(hit.published_at)},
          {"snippet", hit.snippet}};
}

nlohmann::json source_json(const store::Source& s) {
  return {{"name", s.spec.name},
          {"url", s.spec.url},
          {"kind", s.spec.kind},
          {"interval", format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(s.spec.interval))},
          {"tags", s.spec.tags},
          {"enabled", s.spec.enabled},
          {"next_due", optional_time(s.state.next_due)},
          {"last_status", s.state.last_status},
          {"consecutive_errors", s.state.consecutive_errors},
          {"last_error", s.state.last_error},
          {"last_success", optional_time(s.state.last_success)},
          {"last_fetch", optional_time(s.state.last_fetch)}};
}

}  // namespace banwatch::serve
