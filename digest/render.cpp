#include "digest/render.h"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "common/enum_names.h"
#include "common/failure.h"
#include "common/text.h"

namespace banwatch::digest {

using Json = nlohmann::ordered_json;

// ---- formats ------------------------------------------------------------------

namespace {

// A format's name, its file extension (also accepted as a name) and its media type.
struct FormatRow {
  Format value;
  std::string_view name, extension, media_type;
};

constexpr FormatRow kFormats[] = {
    {Format::kMarkdown, "markdown", "md", "text/markdown; charset=utf-8"},
    {Format::kHtml, "html", "html", "text/html; charset=utf-8"},
    {Format::kText, "text", "txt", "text/plain; charset=utf-8"},
    {Format::kJson, "json", "json", "application/json"},
    {Format::kAtom, "atom", "atom", "application/atom+xml"},
};

}  // namespace

std::optional<Format> format_from_string(std::string_view name) {
  for (const FormatRow& row : kFormats) {
    if (name == row.name || name == row.extension) return row.value;
  }
  return std::nullopt;
}

std::string_view to_string(Format format) noexcept { return name_of(kFormats, format, "markdown"); }

std::string_view file_extension(Format format) noexcept {
  const FormatRow* row = row_of(kFormats, format);
  return row ? row->extension : "md";
}

std::string_view media_type(Format format) noexcept {
  const FormatRow* row = row_of(kFormats, format);
  return row ? row->media_type : "text/plain; charset=utf-8";
}

std::string render(const Digest& digest, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::kMarkdown:
      return render_markdown(digest);
    case Format::kHtml:
      return render_html(digest);
    case Format::kText:
      return render_text(digest);
    case Format::kJson:
      return render_json(digest);
    case Format::kAtom:
      return render_atom(digest, options);
  }
  return render_markdown(digest);
}

// ---- escaping -------------------------------------------------------------------

std::string escape_html(std::string_view text) { return escape_markup(sanitize_utf8(text), Quotes::kBoth); }

bool is_web_url(std::string_view url) {
  if (!ascii_istarts_with(url, "http://") && !ascii_istarts_with(url, "https://")) return false;
  // A URL with spaces, quotes or controls was not normalized by the store;
  // it is shown as text rather than trusted as a link.
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  return true;
}

namespace {

// One line: newlines and tabs become spaces, runs of spaces collapse (the
// sanitized text holds no other white space).
std::string one_line(std::string_view text) { return collapse_ascii_space(sanitize_utf8(text)); }

// Markdown: a backslash before every character CommonMark gives a meaning
// inline (emphasis, code, links, raw HTML, entities, tables), and before a
// leading list or heading marker, so a title can neither format nor inject
// HTML or links. Plain punctuation (. , ' ") stays readable.
std::string escape_markdown(std::string_view text) {
  const std::string line = one_line(text);
  std::string out;
  out.reserve(line.size() + 8);
  std::size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    const bool leading_marker =
        (i == 0 && (c == '-' || c == '+' || c == '=')) || (i == digits && digits > 0 && (c == '.' || c == ')'));
    if (leading_marker || std::string_view("\\`*_{}[]<>#|~&!").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Markdown link destinations: angle-bracketed, so only < > and newline need
// care; is_web_url() already refused those.
std::string markdown_link(std::string_view label, std::string_view url) {
  if (!is_web_url(url)) return escape_markdown(label);
  return fmt::format("[{}](<{}>)", escape_markdown(label.empty() ? url : label), url);
}

// Slack mrkdwn: only & < > are special; links are <url|label>.
std::string escape_slack(std::string_view text) { return escape_markup(one_line(text), Quotes::kKeep); }

std::string slack_link(std::string_view label, std::string_view url) {
  if (!is_web_url(url) || url.find('|') != std::string_view::npos) return escape_slack(label);
  return fmt::format("<{}|{}>", url, escape_slack(label.empty() ? url : label));
}

std::string plural(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string humanize(std::string_view token) {
  std::string out(token);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string event_headline(const model::Event& e) {
  std::string s = e.actor.empty() ? std::string("(unknown actor)") : one_line(e.actor);
  s += " — ";
  s += humanize(one_line(e.action));
  return s;
}

std::string status_line(const DigestEvent& de) {
  if (de.change == Change::kStatusChange && de.previous)
    return fmt::format("{} → {}", one_line(de.previous->status), one_line(de.event.status));
  return one_line(de.event.status);
}

// In the order of Change's values.
constexpr std::string_view kChangeLabels[] = {"new", "status change", "new reports"};
static_assert(std::size(kChangeLabels) == static_cast<std::size_t>(Change::kNewCitations) + 1);

std::string change_label(const DigestEvent& de) { return std::string(name_at(kChangeLabels, de.change, "new")); }

std::string window_line(const Digest& d) {
  std::string s = fmt::format("Generated {}", format_human(d.generated_at));
  if (d.after_event_id) {
    if (d.previous_brief_at)
      s += fmt::format(" · since the brief of {}", format_human(*d.previous_brief_at));
    else
      s += " · first brief";
  } else if (d.since) {
    s += fmt::format(" · events first seen since {}", format_human(*d.since));
  }
  if (d.until) s += fmt::format(" until {}", format_human(*d.until));
  if (!d.vendor_filter.empty()) {
    s += " · vendors: ";
    for (std::size_t i = 0; i < d.vendor_filter.size(); ++i) s += (i ? ", " : "") + one_line(d.vendor_filter[i]);
  }
  return s;
}

// A sentence written for people, reused by every human format.
std::string what_changed(const Digest& d) {
  const auto& c = d.changes;
  if (d.empty()) return d.after_event_id ? "Nothing new since the last brief." : "No events in this period.";
  std::vector<std::string> parts;
  const int fresh = c.new_events - c.status_changes;
  if (fresh > 0) parts.push_back(plural(fresh, "new event", "new events"));
  if (c.status_changes > 0) parts.push_back(plural(c.status_changes, "status change", "status changes"));
  if (c.new_citations > 0)
    parts.push_back(fmt::format("{} of {}", plural(c.new_citations, "new report", "new reports"),
                                plural(c.known_events_cited, "known event", "known events")));
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) s += (i + 1 == parts.size()) ? " and " : ", ";
    s += parts[i];
  }
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s + ".";
}

// The table a brief opens with: per vendor, new events, events newly cited
// (updates) and status changes. Rows as cells, header first.
std::vector<std::array<std::string, 4>> vendor_table(const Digest& d) {
  std::vector<std::array<std::string, 4>> rows;
  const auto summary = vendor_summary(d);
  if (summary.empty()) return rows;
  rows.push_back({"Vendor", "New events", "Updated events", "Status changes"});
  for (const auto& v : summary) {
    rows.push_back({one_line(v.vendor), std::to_string(v.new_events), std::to_string(v.updated_events),
                    std::to_string(v.status_changes)});
  }
  return rows;
}

std::vector<std::string> status_change_notes(const Digest& d) {
  std::vector<std::string> notes;
  for (const auto& g : d.vendors)
    for (const auto& de : g.events)
      if (de.change == Change::kStatusChange)
        notes.push_back(fmt::format("{}: {} ({})", one_line(g.vendor), event_headline(de.event), status_line(de)));
  return notes;
}

std::string health_line(const Health& h) {
  std::string s;
  if (h.last_successful_crawl)
    s = fmt::format("Last successful crawl: {}.", format_human(*h.last_successful_crawl));
  else
    s = "No successful crawl recorded.";
  if (h.last_crawl && h.last_crawl->outcome != "ok") {
    s += fmt::format(" Last crawl {} ({}).", one_line(h.last_crawl->outcome), format_human(h.last_crawl->started_at));
  }
  if (h.failing_sources.empty())
    s += " All sources healthy.";
  else
    s += fmt::format(" {} failing:", plural(static_cast<int>(h.failing_sources.size()), "source", "sources"));
  return s;
}

// The failing sources by cause, a line a cause (common/failure.h): short
// however many sources fail for the same reason.
std::vector<FailureGroup> failure_groups(const Health& h) {
  std::vector<NamedFailure> failures;
  for (const auto& f : h.failing_sources) failures.push_back({one_line(f.name), f.last_error, f.last_status});
  return group_failures(failures);
}

std::string group_line(const FailureGroup& g) {
  return fmt::format("{}: {} ({})", g.cause, g.names.size(), first_names(g.names));
}

std::string citation_meta(const Citation& c) {
  std::string s;
  if (!c.source.empty()) s = one_line(c.source);
  if (c.published)
    s += (s.empty() ? "" : ", ") + format_event_date(c.published->precision >= DatePrecision::kDay
                                                         ? PreciseTime{c.published->time, DatePrecision::kDay}
                                                         : *c.published);
  return s;
}

std::string event_meta(const DigestEvent& de) {
  const auto& e = de.event;
  std::vector<std::string> parts;
  parts.push_back(e.event_date ? format_event_date(*e.event_date) : "date not stated");
  if (!e.actor_type.empty()) parts.push_back(one_line(e.actor_type));
  if (!e.scope.empty()) parts.push_back("scope: " + one_line(e.scope));
  parts.push_back(plural(static_cast<int>(de.citations.size()), "report", "reports"));
  // Where the case stands now, when a later step changed it (enacted, since reversed).
  if (!e.case_status.empty() && e.case_status != e.status) parts.push_back("now " + one_line(e.case_status));
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? " · " : "") + parts[i];
  return s;
}

// Word wrap by code points (terminals), with a hanging indent.
std::string wrap(std::string_view text, std::size_t width, std::string_view indent) {
  std::string out;
  std::size_t col = 0;
  std::size_t pos = 0;
  const std::string line = one_line(text);
  std::string_view rest = line;
  out += indent;
  col = utf8_length(indent);
  bool first = true;
  while (pos < rest.size()) {
    std::size_t end = rest.find(' ', pos);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view word = rest.substr(pos, end - pos);
    const std::size_t w = utf8_length(word);
    if (!first && col + 1 + w > width) {
      out += "\n";
      out += indent;
      col = utf8_length(indent);
      first = true;
    }
    if (!first) {
      out += ' ';
      ++col;
    }
    out += word;
    col += w;
    first = false;
    pos = end + 1;
  }
  return out;
}

}  // namespace

// ---- dates --------------------------------------------------------------------

std::string format_human(Timestamp t) { return date::format("%d %b %Y %H:%M UTC", t); }

namespace {

struct EventDatePattern {
  DatePrecision value;
  const char* pattern;
};

constexpr EventDatePattern kEventDatePatterns[] = {
    {DatePrecision::kYear, "%Y"},
    {DatePrecision::kMonth, "%b %Y"},
    {DatePrecision::kDay, "%d %b %Y"},
    {DatePrecision::kMinute, "%d %b %Y %H:%M UTC"},
    {DatePrecision::kSecond, "%d %b %Y %H:%M UTC"},
};

}  // namespace

std::string format_event_date(const PreciseTime& t) {
  const EventDatePattern* row = row_of(kEventDatePatterns, t.precision);
  return date::format(row ? row->pattern : "%d %b %Y", t.time);
}

std::string format_rfc3339(Timestamp t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); }

// ---- Markdown -----------------------------------------------------------------

std::string render_markdown(const Digest& d) {
  std::string out;
  out += fmt::format("# {}\n\n", escape_markdown(d.title));
  out += fmt::format("_{}_\n\n", escape_markdown(window_line(d)));
  if (const auto table = vendor_table(d); !table.empty()) {
    for (std::size_t r = 0; r < table.size(); ++r) {
      out +=
          fmt::format("| {} | {} | {} | {} |\n", escape_markdown(table[r][0]), table[r][1], table[r][2], table[r][3]);
      if (r == 0) out += "|---|---:|---:|---:|\n";
    }
    out += "\n";
  }
  out += fmt::format("**What changed:** {}\n", escape_markdown(what_changed(d)));
  for (const auto& note : status_change_notes(d)) out += fmt::format("- {}\n", escape_markdown(note));
  out += "\n";
  for (const auto& g : d.vendors) {
    out += fmt::format("## {} ({})\n\n", escape_markdown(g.vendor),
                       plural(static_cast<int>(g.events.size()), "event", "events"));
    for (const auto& de : g.events) {
      out += fmt::format("### {} — {} ({})\n\n", escape_markdown(event_headline(de.event)),
                         escape_markdown(status_line(de)), escape_markdown(change_label(de)));
      out += escape_markdown(event_meta(de)) + "\n\n";
      if (!de.evidence.empty()) out += fmt::format("> {}\n\n", escape_markdown(de.evidence));
      for (const auto& c : de.citations) {
        out += "- " + markdown_link(c.title.empty() ? c.url : c.title, c.url);
        const std::string meta = citation_meta(c);
        if (!meta.empty()) out += " — " + escape_markdown(meta);
        if (c.is_new && de.change == Change::kNewCitations) out += " **new**";
        out += "\n";
      }
      out += "\n";
    }
  }
  out += "## Run health\n\n";
  out += escape_markdown(health_line(d.health)) + "\n";
  for (const auto& g : failure_groups(d.health)) out += fmt::format("- {}\n", escape_markdown(group_line(g)));
  return out;
}

// ---- plain text ---------------------------------------------------------------

std::string render_text(const Digest& d) {
  constexpr std::size_t kWidth = 78;
  std::string out;
  const std::string title = one_line(d.title);
  out += title + "\n" + std::string(std::min<std::size_t>(title.size(), kWidth), '=') + "\n";
  out += wrap(window_line(d), kWidth, "") + "\n\n";
  if (const auto table = vendor_table(d); !table.empty()) {
    std::size_t first = 0;
    for (const auto& row : table) first = std::max(first, utf8_length(row[0]));
    first = std::min<std::size_t>(first, 30);
    for (const auto& row : table) {
      std::string name = row[0];
      const std::size_t width = utf8_length(name);
      if (width < first) name += std::string(first - width, ' ');
      out += fmt::format("  {}  {:>10}  {:>14}  {:>14}\n", name, row[1], row[2], row[3]);
    }
    out += "\n";
  }
  out += wrap("What changed: " + what_changed(d), kWidth, "") + "\n";
  for (const auto& note : status_change_notes(d)) out += wrap(note, kWidth, "    ").replace(0, 4, "  * ") + "\n";
  out += "\n";
  for (const auto& g : d.vendors) {
    const std::string head =
        fmt::format("{} ({})", one_line(g.vendor), plural(static_cast<int>(g.events.size()), "event", "events"));
    out += head + "\n" + std::string(std::min<std::size_t>(head.size(), kWidth), '-') + "\n";
    for (const auto& de : g.events) {
      out +=
          wrap(fmt::format("* {} [{}] ({})", event_headline(de.event), status_line(de), change_label(de)), kWidth, "  ")
              .replace(0, 2, "") +
          "\n";
      out += wrap(event_meta(de), kWidth, "  ") + "\n";
      if (!de.evidence.empty()) out += wrap("\"" + one_line(de.evidence) + "\"", kWidth, "    ") + "\n";
      for (const auto& c : de.citations) {
        std::string line = c.title.empty() ? one_line(c.url) : one_line(c.title);
        const std::string meta = citation_meta(c);
        if (!meta.empty()) line += " — " + meta;
        if (c.is_new && de.change == Change::kNewCitations) line += " [new]";
        out += wrap(line, kWidth, "      ").replace(0, 6, "    - ") + "\n";
        if (!c.url.empty()) out += "      " + one_line(c.url) + "\n";
      }
      out += "\n";
    }
  }
  out += "Run health\n----------\n";
  out += wrap(health_line(d.health), kWidth, "") + "\n";
  for (const auto& g : failure_groups(d.health)) out += wrap("- " + group_line(g), kWidth, "  ") + "\n";
  return out;
}

// ---- HTML ---------------------------------------------------------------------

namespace {

constexpr std::string_view kFont = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

std::string status_colour(std::string_view status) {
  if (status == "enacted") return "#b42318";
  if (status == "proposed") return "#b54708";
  if (status == "considering") return "#175cd3";
  if (status == "reversed") return "#067647";
  return "#475467";
}

std::string badge(std::string_view text, std::string_view colour) {
  return fmt::format(
      "<span style=\"display:inline-block;font-size:12px;font-weight:600;letter-spacing:.02em;"
      "text-transform:uppercase;color:#fff;background:{};border-radius:4px;padding:1px 6px;"
      "margin:0 4px 4px 0\">{}</span>",
      colour, escape_html(text));
}

std::string html_link(std::string_view label, std::string_view url) {
  const std::string text = escape_html(one_line(label.empty() ? url : label));
  if (!is_web_url(url)) return text;
  return fmt::format("<a href=\"{}\" style=\"color:#0b57d0;text-decoration:underline\">{}</a>", escape_html(url), text);
}

}  // namespace

std::string render_html(const Digest& d) {
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta name=\"color-scheme\" content=\"light\">\n";
  o += fmt::format("<title>{}</title>\n</head>\n", escape_html(d.title));
  o += fmt::format(
      "<body style=\"margin:0;padding:0;background:#f2f4f7;color:#101828;font-family:{};"
      "font-size:16px;line-height:1.5;-webkit-text-size-adjust:100%\">\n",
      kFont);
  o += "<div style=\"max-width:680px;margin:0 auto;padding:16px 12px\">\n";
  o += fmt::format("<h1 style=\"font-size:24px;line-height:1.25;margin:8px 0 4px\">{}</h1>\n", escape_html(d.title));
  o += fmt::format("<p style=\"margin:0 0 16px;color:#475467;font-size:14px\">{}</p>\n", escape_html(window_line(d)));

  o += "<div style=\"background:#fff;border:1px solid #d0d5dd;border-left:4px solid #344054;border-radius:8px;"
       "padding:10px 14px;margin:0 0 20px\">\n";
  if (const auto table = vendor_table(d); !table.empty()) {
    o += "<table style=\"border-collapse:collapse;font-size:14px;margin:0 0 8px\">\n";
    for (std::size_t r = 0; r < table.size(); ++r) {
      const char* cell = r == 0 ? "th" : "td";
      o += "<tr>";
      for (std::size_t c = 0; c < 4; ++c) {
        o += fmt::format("<{} style=\"padding:2px 10px 2px 0;text-align:{}\">{}</{}>", cell, c == 0 ? "left" : "right",
                         escape_html(table[r][c]), cell);
      }
      o += "</tr>\n";
    }
    o += "</table>\n";
  }
  o += fmt::format("<p style=\"margin:0\"><strong>What changed:</strong> {}</p>\n", escape_html(what_changed(d)));
  const auto notes = status_change_notes(d);
  if (!notes.empty()) {
    o += "<ul style=\"margin:6px 0 0;padding-left:20px;font-size:14px\">\n";
    for (const auto& n : notes) o += fmt::format("<li>{}</li>\n", escape_html(n));
    o += "</ul>\n";
  }
  o += "</div>\n";

  for (const auto& g : d.vendors) {
    o += fmt::format(
        "<h2 style=\"font-size:20px;line-height:1.3;margin:24px 0 10px;padding-bottom:4px;border-bottom:2px solid "
        "#d0d5dd\">"
        "{} <span style=\"font-size:14px;font-weight:400;color:#475467\">{}</span></h2>\n",
        escape_html(g.vendor), escape_html(plural(static_cast<int>(g.events.size()), "event", "events")));
    for (const auto& de : g.events) {
      o += "<div style=\"background:#fff;border:1px solid #d0d5dd;border-radius:8px;padding:12px 14px;margin:0 0 12px;"
           "overflow-wrap:anywhere;word-break:break-word\">\n<div>";
      if (de.change == Change::kStatusChange && de.previous)
        o += badge(fmt::format("{} → {}", one_line(de.previous->status), one_line(de.event.status)),
                   status_colour(de.event.status));
      else
        o += badge(one_line(de.event.status), status_colour(de.event.status));
      o += badge(change_label(de), de.change == Change::kNewCitations ? "#667085" : "#344054");
      o += "</div>\n";
      o += fmt::format("<div style=\"font-size:17px;font-weight:600;margin:2px 0\">{}</div>\n",
                       escape_html(event_headline(de.event)));
      o += fmt::format("<div style=\"font-size:14px;color:#475467\">{}</div>\n", escape_html(event_meta(de)));
      if (!de.evidence.empty())
        o += fmt::format(
            "<blockquote style=\"margin:10px 0;padding:2px 0 2px 12px;border-left:3px solid #98a2b3;"
            "color:#344054;font-style:italic\">“{}”</blockquote>\n",
            escape_html(one_line(de.evidence)));
      o += "<ol style=\"margin:6px 0 0;padding-left:22px;font-size:14px\">\n";
      for (const auto& c : de.citations) {
        o += "<li style=\"margin:0 0 4px\">" + html_link(c.title, c.url);
        const std::string meta = citation_meta(c);
        if (!meta.empty()) o += fmt::format(" <span style=\"color:#475467\">— {}</span>", escape_html(meta));
        if (c.is_new && de.change == Change::kNewCitations) o += " <strong style=\"color:#b54708\">new</strong>";
        o += "</li>\n";
      }
      o += "</ol>\n</div>\n";
    }
  }

  o += "<h2 style=\"font-size:18px;margin:24px 0 8px\">Run health</h2>\n";
  o += fmt::format("<p style=\"margin:0 0 6px;font-size:14px\">{}</p>\n", escape_html(health_line(d.health)));
  if (!d.health.failing_sources.empty()) {
    o += "<ul style=\"margin:0;padding-left:20px;font-size:14px\">\n";
    for (const auto& g : failure_groups(d.health)) o += fmt::format("<li>{}</li>\n", escape_html(group_line(g)));
    o += "</ul>\n";
  }
  o += "<p style=\"margin:24px 0 8px;font-size:12px;color:#667085\">Sent by banwatch.</p>\n";
  o += "</div>\n</body>\n</html>\n";
  return o;
}

// ---- JSON ---------------------------------------------------------------------

namespace {

Json precise_json(const std::optional<PreciseTime>& t) {
  if (!t) return nullptr;
  return format_precise(*t);
}

Json event_json(const model::Event& e) {
  Json j;
  j["id"] = e.id;
  j["vendor"] = e.vendor;
  j["actor"] = e.actor;
  j["actor_type"] = e.actor_type;
  j["action"] = e.action;
  j["status"] = e.status;
  j["scope"] = e.scope;
  j["event_date"] = precise_json(e.event_date);
  j["event_date_precision"] = e.event_date ? Json(std::string(to_string(e.event_date->precision))) : Json(nullptr);
  j["first_seen_at"] = format_rfc3339(e.first_seen_at);
  j["confidence"] = e.confidence;
  j["previous_event_id"] = e.previous_event_id ? Json(*e.previous_event_id) : Json(nullptr);
  j["case_status"] = e.case_status.empty() ? Json(nullptr) : Json(e.case_status);
  return j;
}

}  // namespace

std::string render_json(const Digest& d) {
  Json j;
  j["title"] = d.title;
  j["generated_at"] = format_rfc3339(d.generated_at);
  j["since"] = d.since ? Json(format_rfc3339(*d.since)) : Json(nullptr);
  j["until"] = d.until ? Json(format_rfc3339(*d.until)) : Json(nullptr);
  j["after_event_id"] = d.after_event_id ? Json(*d.after_event_id) : Json(nullptr);
  j["previous_brief_at"] = d.previous_brief_at ? Json(format_rfc3339(*d.previous_brief_at)) : Json(nullptr);
  j["vendor_filter"] = d.vendor_filter;
  j["up_to_event_id"] = d.up_to_event_id;
  j["up_to_mention_id"] = d.up_to_mention_id;
  j["event_count"] = d.event_count();
  j["changes"] = {{"new_events", d.changes.new_events},
                  {"status_changes", d.changes.status_changes},
                  {"new_citations", d.changes.new_citations},
                  {"known_events_cited", d.changes.known_events_cited},
                  {"summary", what_changed(d)}};
  Json by_vendor = Json::array();
  for (const auto& v : vendor_summary(d)) {
    by_vendor.push_back({{"vendor", v.vendor},
                         {"new_events", v.new_events},
                         {"updated_events", v.updated_events},
                         {"status_changes", v.status_changes}});
  }
  j["by_vendor"] = std::move(by_vendor);
  Json vendors = Json::array();
  for (const auto& g : d.vendors) {
    Json jg;
    jg["vendor"] = g.vendor;
    Json events = Json::array();
    for (const auto& de : g.events) {
      Json je = event_json(de.event);
      je["change"] = std::string(to_string(de.change));
      je["previous_status"] = de.previous ? Json(de.previous->status) : Json(nullptr);
      je["evidence"] = de.evidence;
      Json cites = Json::array();
      for (const auto& c : de.citations) {
        cites.push_back({{"mention_id", c.mention_id},
                         {"source", c.source},
                         {"title", c.title},
                         {"url", c.url},
                         {"published", precise_json(c.published)},
                         {"evidence", c.evidence},
                         {"new", c.is_new}});
      }
      je["citations"] = std::move(cites);
      events.push_back(std::move(je));
    }
    jg["events"] = std::move(events);
    vendors.push_back(std::move(jg));
  }
  j["vendors"] = std::move(vendors);
  Json health;
  health["sources"] = d.health.sources;
  health["last_successful_crawl"] =
      d.health.last_successful_crawl ? Json(format_rfc3339(*d.health.last_successful_crawl)) : Json(nullptr);
  if (d.health.last_crawl) {
    const auto& r = *d.health.last_crawl;
    health["last_crawl"] = {{"started_at", format_rfc3339(r.started_at)},
                            {"finished_at", r.finished_at ? Json(format_rfc3339(*r.finished_at)) : Json(nullptr)},
                            {"outcome", r.outcome},
                            {"fetched", r.fetched},
                            {"not_modified", r.not_modified},
                            {"failed", r.failed},
                            {"articles_stored", r.articles_stored},
                            {"events_appended", r.events_appended}};
  } else {
    health["last_crawl"] = nullptr;
  }
  Json failing = Json::array();
  for (const auto& f : d.health.failing_sources)
    failing.push_back({{"name", f.name},
                       {"url", f.url},
                       {"cause", failure_cause(f.last_error, f.last_status)},
                       {"consecutive_errors", f.consecutive_errors},
                       {"last_status", f.last_status},
                       {"last_error", f.last_error},
                       {"last_success", f.last_success ? Json(format_rfc3339(*f.last_success)) : Json(nullptr)}});
  health["failing_sources"] = std::move(failing);
  j["health"] = std::move(health);
  // Invalid UTF-8 from an article must not make the dump throw.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// ---- Atom 1.0 (RFC 4287) ------------------------------------------------------

namespace {

Timestamp entry_updated(const DigestEvent& de) {
  Timestamp t = de.event.first_seen_at;
  for (const auto& c : de.citations) t = std::max(t, c.extracted_at);
  return t;
}

// The entry's HTML content: the same card as the HTML digest, without styles
// a feed reader would strip anyway.
std::string entry_content(const DigestEvent& de) {
  std::string h;
  h += fmt::format("<p><strong>{}</strong> — {}</p>", escape_html(status_line(de)), escape_html(event_meta(de)));
  if (!de.evidence.empty()) h += fmt::format("<blockquote>“{}”</blockquote>", escape_html(one_line(de.evidence)));
  h += "<ul>";
  for (const auto& c : de.citations) {
    h += "<li>" + html_link(c.title, c.url);
    const std::string meta = citation_meta(c);
    if (!meta.empty()) h += " — " + escape_html(meta);
    h += "</li>";
  }
  h += "</ul>";
  return h;
}

void atom_entry(std::string& o, const DigestEvent& de, std::string_view vendor, const RenderOptions& options,
                Timestamp updated) {
  const auto& e = de.event;
  o += "  <entry>\n";
  o += fmt::format("    <id>{}event:{}</id>\n", escape_html(options.atom_id_prefix), e.id);
  o += fmt::format("    <title type=\"text\">{}</title>\n",
                   escape_html(fmt::format("{}: {} ({})", one_line(vendor), event_headline(e), status_line(de))));
  o += fmt::format("    <published>{}</published>\n", format_rfc3339(e.first_seen_at));
  o += fmt::format("    <updated>{}</updated>\n", format_rfc3339(updated));
  bool alternate = false;
  for (const auto& c : de.citations) {
    if (!is_web_url(c.url)) continue;
    o += fmt::format("    <link rel=\"{}\" href=\"{}\"", alternate ? "related" : "alternate", escape_html(c.url));
    if (!c.title.empty()) o += fmt::format(" title=\"{}\"", escape_html(one_line(c.title)));
    o += "/>\n";
    alternate = true;
  }
  for (const auto& term : {e.vendor, e.action, e.status})
    if (!one_line(term).empty()) o += fmt::format("    <category term=\"{}\"/>\n", escape_html(one_line(term)));
  if (!de.evidence.empty())
    o += fmt::format("    <summary type=\"text\">{}</summary>\n", escape_html(one_line(de.evidence)));
  o += fmt::format("    <content type=\"html\">{}</content>\n", escape_html(entry_content(de)));
  o += "  </entry>\n";
}

std::string atom_feed(std::string_view title, std::string_view subtitle, Timestamp updated,
                      const std::vector<std::pair<std::string, const DigestEvent*>>& entries,
                      const RenderOptions& options) {
  std::string o;
  o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  o += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  o += fmt::format("  <id>{}events</id>\n", escape_html(options.atom_id_prefix));
  o += fmt::format("  <title type=\"text\">{}</title>\n", escape_html(one_line(title)));
  if (!subtitle.empty()) o += fmt::format("  <subtitle type=\"text\">{}</subtitle>\n", escape_html(one_line(subtitle)));
  o += fmt::format("  <updated>{}</updated>\n", format_rfc3339(updated));
  o += "  <author><name>banwatch</name></author>\n";
  o += fmt::format("  <generator{}>banwatch</generator>\n",
                   options.generator_version.empty()
                       ? std::string()
                       : fmt::format(" version=\"{}\"", escape_html(options.generator_version)));
  if (is_web_url(options.atom_self_url))
    o += fmt::format("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
                     escape_html(options.atom_self_url));
  for (const auto& [vendor, de] : entries) {
    Timestamp t = entry_updated(*de);
    atom_entry(o, *de, vendor, options, t);
  }
  o += "</feed>\n";
  return o;
}

}  // namespace

std::string render_atom(const Digest& d, const RenderOptions& options) {
  std::vector<std::pair<std::string, const DigestEvent*>> entries;
  for (const auto& g : d.vendors)
    for (const auto& de : g.events) entries.emplace_back(g.vendor, &de);
  // A feed's updated is the newest entry's, so readers see a stable value
  // until something changes; an empty feed says when it was generated.
  Timestamp updated = d.generated_at;
  if (!entries.empty()) {
    updated = Timestamp{};
    for (const auto& [v, de] : entries) updated = std::max(updated, entry_updated(*de));
  }
  return atom_feed(d.title, what_changed(d), updated, entries, options);
}

std::string render_events_atom(const std::vector<store::EventWithMentions>& events, Timestamp now,
                               const RenderOptions& options, std::string_view title) {
  // One group per vendor, newest first, then flattened newest-first overall.
  const auto groups = group_events(events, 0, 0);
  std::vector<std::pair<std::string, const DigestEvent*>> entries;
  for (const auto& g : groups)
    for (const auto& de : g.events) entries.emplace_back(g.vendor, &de);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second->event.first_seen_at > b.second->event.first_seen_at;
  });
  Timestamp updated = now;
  if (!entries.empty()) {
    updated = Timestamp{};
    for (const auto& [v, de] : entries) updated = std::max(updated, entry_updated(*de));
  }
  return atom_feed(title, "", updated, entries, options);
}

// ---- chat messages ------------------------------------------------------------

namespace {

constexpr std::size_t kSlackLimit = 35'000;  // Slack cuts "text" at 40,000 characters
constexpr std::size_t kTeamsLimit = 24'000;  // Teams refuses cards over ~28 KB

template <class EventLine>
std::string chat_text(const Digest& d, std::size_t limit, std::string_view bold, EventLine line) {
  std::string s = fmt::format("{}{}{}\n{}\n", bold, escape_slack(d.title), bold, escape_slack(what_changed(d)));
  const int total = d.event_count();
  int shown = 0;
  for (const auto& g : d.vendors) {
    std::string block = fmt::format("\n{}{}{}\n", bold, escape_slack(g.vendor), bold);
    for (const auto& de : g.events) {
      std::string l = line(de);
      if (s.size() + block.size() + l.size() > limit) {
        s += block;
        s += fmt::format("\n…and {} more (see the full digest)\n", plural(total - shown, "event", "events"));
        return s;
      }
      block += l;
      ++shown;
    }
    s += block;
  }
  if (!d.health.failing_sources.empty())
    s += fmt::format("\n{}\n", plural(static_cast<int>(d.health.failing_sources.size()), "source is failing",
                                      "sources are failing"));
  return s;
}

}  // namespace

std::string render_slack_message(const Digest& d) {
  std::string text = chat_text(d, kSlackLimit, "*", [](const DigestEvent& de) {
    std::string l = fmt::format("• {} — _{}_", escape_slack(event_headline(de.event)), escape_slack(status_line(de)));
    if (de.event.event_date) l += " (" + escape_slack(format_event_date(*de.event.event_date)) + ")";
    if (de.change == Change::kNewCitations) l += " — new reports";
    l += "\n";
    for (const auto& c : de.citations) l += "    ◦ " + slack_link(c.title, c.url) + "\n";
    return l;
  });
  Json j;
  j["text"] = text;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string render_teams_message(const Digest& d) {
  // MessageCard text is Markdown: escape it as Markdown, not as mrkdwn.
  std::string text = fmt::format("**{}**\n\n{}\n\n", escape_markdown(d.title), escape_markdown(what_changed(d)));
  int shown = 0;
  const int total = d.event_count();
  bool cut = false;
  for (const auto& g : d.vendors) {
    if (cut) break;
    text += fmt::format("**{}**\n\n", escape_markdown(g.vendor));
    for (const auto& de : g.events) {
      std::string l =
          fmt::format("- {} — *{}*", escape_markdown(event_headline(de.event)), escape_markdown(status_line(de)));
      if (de.event.event_date) l += " (" + escape_markdown(format_event_date(*de.event.event_date)) + ")";
      for (const auto& c : de.citations) l += "\n  - " + markdown_link(c.title, c.url);
      l += "\n";
      if (text.size() + l.size() > kTeamsLimit) {
        text += fmt::format("\n…and {} more (see the full digest)\n", plural(total - shown, "event", "events"));
        cut = true;
        break;
      }
      text += l;
      ++shown;
    }
    text += "\n";
  }
  Json j;
  j["@type"] = "MessageCard";
  j["@context"] = "https://schema.org/extensions";
  j["summary"] = one_line(d.title);
  j["title"] = one_line(d.title);
  j["text"] = text;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace banwatch::digest
