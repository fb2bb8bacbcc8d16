// banwatch events: the stored events, filtered, as a table, JSON, JSON Lines,
// CSV or an Atom feed.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "common/charset.h"
#include "common/time.h"
#include "digest/render.h"
#include "parsers/rules.h"
#include "serve/serve.h"

namespace banwatch::app {
namespace {

struct EventsOptions {
  std::string since, until;
  std::vector<std::string> vendors, actors, actions, statuses;
  std::string by = "seen";       // seen (first_seen_at) | date (event_date)
  std::string format = "table";  // table | json | jsonl | csv | atom
  std::string group = "event";   // event: one row per event | cluster: each event with its citations
  std::size_t limit = 0;
};

// At most `width` code points, with "…" when cut; never splits a UTF-8 sequence.
std::string clip(std::string_view text, std::size_t width) {
  std::size_t points = 0, i = 0;
  while (i < text.size()) {
    if (points == width) return std::string(text.substr(0, i)) + "…";
    ++points;
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return std::string(text);
}

std::string date_text(const std::optional<PreciseTime>& t) { return t ? format_precise(*t) : ""; }

// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void write_csv(const std::vector<store::EventWithMentions>& events, bool per_citation, std::ostream& out) {
  const auto row = [&out](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
    out << "\r\n";
  };
  std::vector<std::string> header = {
      "event_id", "event_date", "vendor",        "actor",      "actor_type",        "action",
      "status",   "scope",      "first_seen_at", "confidence", "previous_event_id", "case_status",
      "citations"};
  if (per_citation) {
    for (const char* column : {"mention_id", "source", "title", "url", "published_at", "evidence", "rule_id"}) {
      header.push_back(column);
    }
  } else {
    header.push_back("first_url");
  }
  row(header);
  for (const auto& entry : events) {
    const model::Event& e = entry.event;
    std::vector<std::string> fields = {std::to_string(e.id),
                                       date_text(e.event_date),
                                       e.vendor,
                                       e.actor,
                                       e.actor_type,
                                       e.action,
                                       e.status,
                                       e.scope,
                                       format_iso8601(e.first_seen_at),
                                       fmt::format("{:.2f}", e.confidence),
                                       e.previous_event_id ? std::to_string(*e.previous_event_id) : "",
                                       e.case_status,
                                       std::to_string(entry.mentions.size())};
    if (!per_citation) {
      fields.push_back(entry.mentions.empty() ? "" : entry.mentions.front().article_url);
      row(fields);
      continue;
    }
    for (const auto& m : entry.mentions) {
      std::vector<std::string> with_citation = fields;
      for (const std::string& value : {std::to_string(m.id), m.source_name, m.article_title, m.article_url,
                                       date_text(m.article_published_at), m.evidence, m.rule_id}) {
        with_citation.push_back(value);
      }
      row(with_citation);
    }
  }
}

void write_table(const std::vector<store::EventWithMentions>& events, bool with_citations, std::ostream& out) {
  out << fmt::format("{:>7}  {:<10}  {:<16}  {:<22}  {:<18}  {:<11}  {:<11}  {:>5}  {}\n", "ID", "DATE", "VENDOR",
                     "ACTOR", "ACTION", "STATUS", "CASE NOW", "CITES", "FOLLOWS");
  for (const auto& entry : events) {
    const model::Event& e = entry.event;
    // Names are fitted to their columns by display width, so a cut or a
    // non-ASCII name keeps the columns after it in line.
    out << fmt::format("{:>7}  {:<10}  {}  {}  {}  {}  {}  {:>5}  {}\n", e.id,
                       e.event_date ? format_precise(*e.event_date).substr(0, 10) : "-",
                       fit_width(printable(e.vendor), 16), fit_width(printable(e.actor), 22),
                       fit_width(printable(e.action), 18), fit_width(printable(e.status), 11),
                       fit_width(printable(e.case_status.empty() ? e.status : e.case_status), 11),
                       entry.mentions.size(), e.previous_event_id ? "#" + std::to_string(*e.previous_event_id) : "");
    if (!with_citations) continue;
    for (const auto& m : entry.mentions) {
      const std::string source = m.source_name.empty() ? "" : printable(m.source_name) + ": ";
      out << "         " << source << clip(printable(m.article_title), 90) << "\n";
      out << "           " << printable(m.article_url) << "\n";
      out << "           \"" << clip(printable(m.evidence), 160) << "\"\n";
    }
  }
  out << fmt::format("{} event{}\n", events.size(), events.size() == 1 ? "" : "s");
}

int run_events(Context& ctx, const EventsOptions& opts) {
  const Timestamp now = SystemClock().now();
  store::EventQuery query;
  query.with_timeline = true;  // the case status and the links of late-read steps
  if (!opts.since.empty()) {
    auto since = time_option("--since", opts.since, now);
    if (!since) return ctx.report(since.error());
    query.since = *since;
  }
  if (!opts.until.empty()) {
    auto until = time_option("--until", opts.until, now, /*upper=*/true);
    if (!until) return ctx.report(until.error());
    query.until = *until;
  }
  query.by_event_date = opts.by == "date";
  query.vendors = opts.vendors;
  query.actors = opts.actors;
  canonical_names(ctx, query.vendors, query.actors);
  query.actions = opts.actions;
  query.statuses = opts.statuses;
  if (opts.limit > 0) {
    query.limit = opts.limit;  // the newest N ...
    query.newest_first = true;
  }
  auto store = ctx.store(false);
  if (!store) return ctx.report(store.error());
  auto found = (*store)->query_events(query);
  if (!found) return ctx.report(found.error());
  std::vector<store::EventWithMentions>& events = *found;
  if (opts.limit > 0) std::reverse(events.begin(), events.end());  // ... shown oldest first

  const bool citations = opts.group == "cluster";
  if (opts.format == "json") {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& entry : events) all.push_back(serve::event_json(entry));
    std::cout << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (opts.format == "jsonl") {
    for (const auto& entry : events) {
      std::cout << serve::event_json(entry).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
  } else if (opts.format == "csv") {
    write_csv(events, citations, std::cout);
  } else if (opts.format == "atom") {
    std::reverse(events.begin(), events.end());  // a feed lists the newest first
    std::cout << digest::render_events_atom(events, now);
  } else {
    write_table(events, citations, std::cout);
  }
  std::cout.flush();
  if (!std::cout) return ctx.report(Error(ErrorCode::kIo, "events: writing to standard output failed"));
  return kExitOk;
}

}  // namespace

void add_events_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] =
      add_command<EventsOptions>(app, ctx, "events", "List stored events with their citations, filtered", run_events);
  cmd->add_option("--since", opts->since, "Events first seen at or after: a date (2026-03-01) or a duration (7d)")
      ->type_name("DATE|DURATION");
  cmd->add_option("--until", opts->until, "Events first seen before the end of this date, or this long ago")
      ->type_name("DATE|DURATION");
  cmd->add_option("--vendor", opts->vendors, "Only this vendor: its name or an alias, any case (repeatable)")
      ->type_name("V");
  cmd->add_option("--actor", opts->actors, "Only this actor: its name or an alias (FCC), any case (repeatable)")
      ->type_name("A");
  cmd->add_option("--action", opts->actions, "Only this action (repeatable)")
      ->type_name("X")
      ->check(one_of(rules::event_actions()));
  cmd->add_option("--status", opts->statuses, "Only this status (repeatable)")
      ->type_name("S")
      ->check(one_of(rules::event_statuses()));
  cmd->add_option("--by", opts->by,
                  "Apply --since/--until to when banwatch first saw the event, or to the event's date")
      ->check(CLI::IsMember({"seen", "date"}))
      ->capture_default_str();
  cmd->add_option("--limit", opts->limit, "Only the newest N events (0: all)")->type_name("N")->check(whole_number());
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv", "atom"}))
      ->capture_default_str();
  cmd->add_option("--group", opts->group,
                  "event: one row per event; cluster: each event followed by every report citing it")
      ->check(CLI::IsMember({"event", "cluster"}))
      ->capture_default_str();
}

}  // namespace banwatch::app
