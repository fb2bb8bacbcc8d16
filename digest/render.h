// Renders a Digest for people (Markdown, HTML, text), tools (JSON) and feed
// readers (Atom 1.0), and as chat messages for webhooks. Pure functions.
//
// Every string that came from an article (titles, evidence, source names,
// URLs) is untrusted: each renderer escapes it for its format, replaces
// invalid UTF-8 with U+FFFD, drops control characters, and turns a URL into a
// link only when it is http(s).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "common/time.h"
#include "digest/digest.h"
#include "store/store.h"

namespace banwatch::digest {

enum class Format { kMarkdown, kHtml, kText, kJson, kAtom };

std::optional<Format> format_from_string(std::string_view name);  // "markdown"/"md", "html", ...
std::string_view to_string(Format format) noexcept;
std::string_view file_extension(Format format) noexcept;  // "md", "html", "txt", "json", "atom"
std::string_view media_type(Format format) noexcept;      // "text/markdown; charset=utf-8", ...

struct RenderOptions {
  // Atom ids are "<atom_id_prefix>event:<id>"; a tag URI (RFC 4151) so that
  // ids stay the same whatever host serves the feed.
  std::string atom_id_prefix = "tag:banwatch.invalid,2026:";
  std::string atom_self_url;  // rel="self" link when the feed is published
  std::string generator_version;
};

std::string render(const Digest& digest, Format format, const RenderOptions& options = {});

std::string render_markdown(const Digest& digest);
std::string render_html(const Digest& digest);
std::string render_text(const Digest& digest);
std::string render_json(const Digest& digest);
std::string render_atom(const Digest& digest, const RenderOptions& options = {});

// `banwatch events --format atom`: the event stream as an Atom 1.0 feed, one
// entry per event (citations in the entry content), newest event first.
std::string render_events_atom(const std::vector<store::EventWithMentions>& events, Timestamp now,
                               const RenderOptions& options = {}, std::string_view title = "banwatch events");

// Chat messages for webhooks. Slack and Mattermost read {"text": mrkdwn};
// Teams reads a MessageCard. Long digests are cut to the channel's limit with
// a note saying how many events were left out.
std::string render_slack_message(const Digest& digest);
std::string render_teams_message(const Digest& digest);

// Escaping helpers, exposed for tests and for other renderers.
using banwatch::sanitize_utf8;                   // common/text.h: invalid bytes -> U+FFFD, controls dropped
std::string escape_html(std::string_view text);  // sanitized, then escaped for HTML/XML text and attributes
bool is_web_url(std::string_view url);           // http:// or https:// (case-insensitive)

// "26 Nov 2026 21:09 UTC".
std::string format_human(Timestamp t);
// An event date at its precision for people: "2022", "Mar 2022", "25 Mar 2022".
std::string format_event_date(const PreciseTime& t);
// RFC 3339 for Atom and JSON: "2026-11-26T21:09:00Z".
std::string format_rfc3339(Timestamp t);

}  // namespace banwatch::digest
