// The vendor timeline as inline SVG (serve.h, render_timeline_svg).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <unordered_map>

#include "digest/render.h"
#include "serve/html.h"
#include "serve/serve.h"

namespace banwatch::serve {
namespace {

constexpr int kLabelWidth = 210;  // the row labels on the left
constexpr int kPlotWidth = 620;
constexpr int kRowHeight = 22;
constexpr int kTop = 8;
constexpr int kAxisHeight = 26;
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string render_timeline_svg(const std::vector<store::EventWithMentions>& events) {
  using namespace std::chrono;
  // Rows: one per case (actor and action), in order of their first dated event.
  struct Row {
    std::string label;
    int index = 0;
  };
  std::map<std::pair<std::string, std::string>, Row> rows;
  std::vector<const store::EventWithMentions*> dated;
  for (const auto& entry : events) {
    if (entry.event.event_date) dated.push_back(&entry);
  }
  std::stable_sort(dated.begin(), dated.end(),
                   [](const auto* a, const auto* b) { return a->event.event_date->time < b->event.event_date->time; });
  for (const auto* entry : dated) {
    const auto key = std::make_pair(entry->event.actor, entry->event.action);
    if (!rows.contains(key)) {
      const int index = static_cast<int>(rows.size());
      rows.emplace(key, Row{entry->event.actor + " · " + entry->event.action, index});
    }
  }
  const std::size_t undated = events.size() - dated.size();
  if (dated.empty()) {
    return fmt::format("<p class=\"timeline-empty\">No dated events to draw ({} undated).</p>", undated);
  }

  // Time axis: from the first to the last dated event, padded by a month.
  const Timestamp first = dated.front()->event.event_date->time - days(30);
  const Timestamp last = dated.back()->event.event_date->time + days(30);
  const double span = std::max(1.0, duration<double>(last - first).count());
  const auto x_of = [&](Timestamp t) { return kLabelWidth + duration<double>(t - first).count() / span * kPlotWidth; };
  const int height = kTop + static_cast<int>(rows.size()) * kRowHeight + kAxisHeight;
  const int width = kLabelWidth + kPlotWidth + 20;

  std::string svg = fmt::format(
      "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" role=\"img\" aria-label=\"Timeline of {} dated event{}\">\n",
      width, height, width, height, dated.size(), dated.size() == 1 ? "" : "s");
  // Row labels and guides.
  for (const auto& [key, row] : rows) {
    const int y = kTop + row.index * kRowHeight + kRowHeight / 2;
    svg += fmt::format(
        "<text class=\"row-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
        "<line class=\"guide\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n",
        kLabelWidth - 8, y + 4, digest::escape_html(row.label), kLabelWidth, y, kLabelWidth + kPlotWidth, y);
  }
  // Axis: a tick per year (per month when the span is under two years).
  const int axis_y = kTop + static_cast<int>(rows.size()) * kRowHeight;
  svg += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", kLabelWidth, axis_y,
                     kLabelWidth + kPlotWidth, axis_y);
  const year_month_day from{floor<days>(first)};
  const year_month_day to{floor<days>(last)};
  const bool monthly = (to.year() - from.year()).count() < 2;
  year_month tick{from.year(), monthly ? from.month() : January};
  const year_month end_tick{to.year(), to.month()};
  // Every month labelled over a short span; over a longer one every quarter.
  const bool every_month = (end_tick - tick).count() <= 8;
  int ticks = 0;
  for (; tick <= end_tick && ticks < 400; tick += months{monthly ? 1 : 12}, ++ticks) {
    const Timestamp at = sys_days{tick / 1};
    if (at < first) continue;
    const double x = x_of(at);
    const bool labelled = !monthly || every_month || static_cast<unsigned>(tick.month()) % 3 == 1;
    svg +=
        fmt::format("<line class=\"tick\" x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\"/>", x, axis_y, x, axis_y + 4);
    if (labelled) {
      svg += fmt::format(
          "<text class=\"tick-label\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", x, axis_y + 16,
          monthly
              ? fmt::format("{} {}", kMonths[static_cast<unsigned>(tick.month()) - 1], static_cast<int>(tick.year()))
              : std::to_string(static_cast<int>(tick.year())));
    }
    svg += "\n";
  }

  // Links: each event to the earlier step of its case it follows, when drawn.
  std::unordered_map<model::Id, std::pair<double, int>> position;
  for (const auto* entry : dated) {
    const Row& row = rows.at({entry->event.actor, entry->event.action});
    position[entry->event.id] = {x_of(entry->event.event_date->time), kTop + row.index * kRowHeight + kRowHeight / 2};
  }
  for (const auto* entry : dated) {
    if (!entry->event.previous_event_id) continue;
    auto from_mark = position.find(*entry->event.previous_event_id);
    if (from_mark == position.end()) continue;
    const auto& [x2, y2] = position.at(entry->event.id);
    svg += fmt::format(
        "<line class=\"link\" data-from=\"{}\" data-to=\"{}\" x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\"/>\n",
        *entry->event.previous_event_id, entry->event.id, from_mark->second.first, from_mark->second.second, x2, y2);
  }
  // Marks, over the links.
  for (const auto* entry : dated) {
    const model::Event& e = entry->event;
    const auto& [x, y] = position.at(e.id);
    svg += fmt::format(
        "<a href=\"/events/{}\"><circle class=\"mark {}\" data-event-id=\"{}\" cx=\"{:.1f}\" cy=\"{}\" r=\"6\">"
        "<title>{} · {} · {} {} ({})</title></circle></a>\n",
        e.id, status_class(e.status), e.id, x, y, digest::escape_html(digest::format_event_date(*e.event_date)),
        digest::escape_html(e.actor), digest::escape_html(e.action), digest::escape_html(e.status), e.id);
  }
  svg += "</svg>\n";
  std::string caption = fmt::format("{} dated event{} in {} row{}", dated.size(), dated.size() == 1 ? "" : "s",
                                    rows.size(), rows.size() == 1 ? "" : "s");
  if (undated > 0) caption += fmt::format("; {} undated, not drawn", undated);
  return "<figure class=\"timeline-figure\"><div class=\"timeline-scroll\">" + svg + "</div><figcaption>" + caption +
         ". Marks: <span class=\"key status-proposed\">proposed</span> <span class=\"key "
         "status-considering\">considering</span> <span class=\"key status-enacted\">enacted</span> <span "
         "class=\"key status-reversed\">reversed</span>; lines join the steps of a case.</figcaption></figure>\n";
}

}  // namespace banwatch::serve
