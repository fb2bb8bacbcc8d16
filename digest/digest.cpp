#include "digest/digest.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "common/enum_names.h"
#include "common/text.h"

namespace banwatch::digest {

namespace {

// In the order of Change's values.
constexpr std::string_view kChangeNames[] = {"new", "status_change", "new_citations"};
static_assert(std::size(kChangeNames) == static_cast<std::size_t>(Change::kNewCitations) + 1);

}  // namespace

std::string_view to_string(Change change) noexcept { return name_at(kChangeNames, change, "new"); }

int Digest::event_count() const {
  int n = 0;
  for (const auto& group : vendors) n += static_cast<int>(group.events.size());
  return n;
}

namespace {

// Newest event date first; an undated event sorts after every dated one, and
// ties fall back to first_seen_at then id (newest first) so output is stable.
bool newer_event(const DigestEvent& a, const DigestEvent& b) {
  const auto& da = a.event.event_date;
  const auto& db = b.event.event_date;
  if (da.has_value() != db.has_value()) return da.has_value();
  if (da && db && da->time != db->time) return da->time > db->time;
  if (a.event.first_seen_at != b.event.first_seen_at) return a.event.first_seen_at > b.event.first_seen_at;
  return a.event.id > b.event.id;
}

bool within(Timestamp t, const Novelty& novelty) {
  return (!novelty.since || t >= *novelty.since) && (!novelty.until || t < *novelty.until);
}

Citation to_citation(const model::Mention& m, const Novelty& novelty) {
  return {.mention_id = m.id,
          .source = m.source_name,
          .title = m.article_title,
          .url = m.article_url,
          .published = m.article_published_at,
          .evidence = strip_dateline(m.evidence),
          .is_new = m.id > novelty.known_mention_limit && within(m.extracted_at, novelty),
          .extracted_at = m.extracted_at};
}

}  // namespace

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

std::vector<VendorSummary> vendor_summary(const Digest& digest) {
  std::vector<VendorSummary> rows;
  for (const auto& g : digest.vendors) {
    VendorSummary& row = rows.emplace_back();
    row.vendor = g.vendor;
    for (const auto& de : g.events) {
      row.new_events += de.change == Change::kNewCitations ? 0 : 1;
      row.updated_events += de.change == Change::kNewCitations ? 1 : 0;
      row.status_changes += de.change == Change::kStatusChange ? 1 : 0;
    }
  }
  return rows;
}

std::string strip_dateline(std::string_view evidence) {
  constexpr std::size_t kMaxDateline = 80;
  // The separator: a dash between spaces.
  std::size_t dash = std::string_view::npos, after = 0;
  for (std::string_view sep : {" - ", " -- ", " \u2013 ", " \u2014 "}) {
    const std::size_t at = evidence.substr(0, kMaxDateline + sep.size()).find(sep);
    if (at != std::string_view::npos && at <= kMaxDateline && (dash == std::string_view::npos || at < dash)) {
      dash = at;
      after = at + sep.size();
    }
  }
  if (dash == std::string_view::npos || after >= evidence.size()) return std::string(evidence);
  const std::string_view head = evidence.substr(0, dash);
  // The place: capitals (and spaces, dots, hyphens, apostrophes), two letters at least.
  std::size_t i = 0, letters = 0;
  while (i < head.size() &&
         (is_upper(head[i]) || head[i] == ' ' || head[i] == '.' || head[i] == '-' || head[i] == '\'')) {
    letters += is_upper(head[i]) ? 1 : 0;
    ++i;
  }
  if (letters < 2) return std::string(evidence);
  std::string_view rest = head.substr(i);
  // Then nothing, ", <date>" and/or "(<agency>)", with no sentence inside.
  if (!rest.empty() && rest.front() == ',') {
    const std::size_t paren = rest.find(" (");
    const std::string_view date = rest.substr(1, paren == std::string_view::npos ? rest.npos : paren - 1);
    if (date.size() > 24 || date.find_first_of(".;:!?") != std::string_view::npos) return std::string(evidence);
    rest = paren == std::string_view::npos ? std::string_view() : rest.substr(paren);
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!rest.empty()) {
    if (rest.front() != '(' || rest.back() != ')' || rest.size() > 40) return std::string(evidence);
  }
  std::string_view body = evidence.substr(after);
  while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
  return body.empty() ? std::string(evidence) : std::string(body);
}

std::vector<VendorGroup> group_events(const std::vector<store::EventWithMentions>& events, model::Id known_event_limit,
                                      model::Id known_mention_limit) {
  return group_events(events, Novelty{known_event_limit, known_mention_limit, std::nullopt, std::nullopt});
}

std::vector<VendorGroup> group_events(const std::vector<store::EventWithMentions>& events, const Novelty& novelty) {
  std::map<std::string, VendorGroup> by_vendor;
  for (const auto& ewm : events) {
    DigestEvent de;
    de.event = ewm.event;
    if (ewm.event.id > novelty.known_event_limit && within(ewm.event.first_seen_at, novelty)) {
      de.change = ewm.event.previous_event_id ? Change::kStatusChange : Change::kNew;
    } else {
      de.change = Change::kNewCitations;
    }
    // One event, many reports: the same article can be cited once only, even
    // when two rules matched two of its sentences.
    std::set<std::string> seen_urls;
    std::vector<model::Mention> mentions = ewm.mentions;
    std::sort(mentions.begin(), mentions.end(),
              [](const model::Mention& a, const model::Mention& b) { return a.id < b.id; });
    for (const auto& m : mentions) {
      const std::string key = m.article_url.empty() ? "#" + std::to_string(m.article_id) : m.article_url;
      if (!seen_urls.insert(key).second) continue;
      de.citations.push_back(to_citation(m, novelty));
    }
    std::stable_sort(de.citations.begin(), de.citations.end(), [](const Citation& a, const Citation& b) {
      if (a.published.has_value() != b.published.has_value()) return a.published.has_value();
      if (a.published && b.published && a.published->time != b.published->time)
        return a.published->time < b.published->time;
      return a.mention_id < b.mention_id;
    });
    if (!de.citations.empty()) de.evidence = de.citations.front().evidence;
    auto& group = by_vendor[ewm.event.vendor];
    group.vendor = ewm.event.vendor;
    group.events.push_back(std::move(de));
  }
  std::vector<VendorGroup> groups;
  groups.reserve(by_vendor.size());
  for (auto& [name, group] : by_vendor) {
    std::sort(group.events.begin(), group.events.end(), newer_event);
    groups.push_back(std::move(group));
  }
  std::stable_sort(groups.begin(), groups.end(), [](const VendorGroup& a, const VendorGroup& b) {
    return newer_event(a.events.front(), b.events.front());
  });
  return groups;
}

namespace {

bool vendor_selected(const std::vector<std::string>& filter, const std::string& vendor) {
  if (filter.empty()) return true;
  for (const auto& v : filter) {
    if (ascii_iequals(v, vendor)) return true;
  }
  return false;
}

bool in_window(Timestamp t, const BuildOptions& o) {
  if (o.since && t < *o.since) return false;
  if (o.until && t >= *o.until) return false;
  return true;
}

// First seen in the window, or cited by a report appended in it.
bool in_window(const store::EventWithMentions& e, const BuildOptions& o) {
  if (in_window(e.event.first_seen_at, o)) return true;
  for (const auto& m : e.mentions)
    if (in_window(m.extracted_at, o)) return true;
  return false;
}

model::Id max_mention_id(const store::EventWithMentions& e) {
  model::Id m = 0;
  for (const auto& mention : e.mentions) m = std::max(m, mention.id);
  return m;
}

Result<Health> read_health(store::Store& store) {
  Health health;
  auto stats = store.stats();
  if (!stats) return std::unexpected(stats.error().with_context("reading run health"));
  health.sources = stats->sources;
  for (const auto& s : stats->failing_sources) {
    FailingSource f;
    f.name = s.spec.name;
    f.url = s.spec.url;
    f.consecutive_errors = s.state.consecutive_errors;
    f.last_status = s.state.last_status;
    f.last_error = s.state.last_error;
    f.last_success = s.state.last_success;
    health.failing_sources.push_back(std::move(f));
  }
  std::sort(health.failing_sources.begin(), health.failing_sources.end(),
            [](const FailingSource& a, const FailingSource& b) {
              if (a.consecutive_errors != b.consecutive_errors) return a.consecutive_errors > b.consecutive_errors;
              return a.name < b.name;
            });
  auto last = store.last_run("crawl", false);
  if (!last) return std::unexpected(last.error().with_context("reading the last crawl"));
  health.last_crawl = *last;
  auto ok = store.last_run("crawl", true);
  if (!ok) return std::unexpected(ok.error().with_context("reading the last successful crawl"));
  if (*ok) health.last_successful_crawl = (*ok)->finished_at ? *(*ok)->finished_at : (*ok)->started_at;
  return health;
}

}  // namespace

Result<Digest> build_digest(store::Store& store, const BuildOptions& options) {
  Digest digest;
  digest.title = options.title;
  digest.generated_at = options.now;
  digest.since = options.since;
  digest.until = options.until;
  digest.vendor_filter = options.vendors;

  const model::Id known_event = options.cursor ? options.cursor->up_to_event_id : 0;
  const model::Id known_mention = options.cursor ? options.cursor->up_to_mention_id : 0;
  if (options.use_cursor) {
    digest.after_event_id = known_event;
    if (options.cursor) digest.previous_brief_at = options.cursor->created_at;
  }

  // Fetch. Every filter is applied again here, so a backend that ignores an
  // optional query field returns a superset and the digest is still right.
  std::unordered_map<model::Id, store::EventWithMentions> found;
  auto add_all = [&](Result<std::vector<store::EventWithMentions>> r, const char* what) -> Status {
    if (!r) return std::unexpected(r.error().with_context(what));
    for (auto& e : *r) {
      if (!vendor_selected(options.vendors, e.event.vendor) || !in_window(e, options)) continue;
      if (options.use_cursor && e.event.id <= known_event && max_mention_id(e) <= known_mention) continue;
      const model::Id id = e.event.id;
      found.emplace(id, std::move(e));
    }
    return {};
  };

  store::EventQuery base;
  base.with_timeline = true;  // where each case stands, and links read late
  base.since = options.since;
  base.until = options.until;
  // People type "hikvision"; the store keeps the rule pack's spelling. Map
  // each name to the stored one so the store's exact match finds it.
  if (!options.vendors.empty()) {
    auto stats = store.stats();
    if (!stats) return std::unexpected(stats.error().with_context("reading vendor names"));
    for (const auto& wanted : options.vendors) {
      std::string name = wanted;
      for (const auto& [stored, count] : stats->events_per_vendor)
        if (vendor_selected({wanted}, stored)) name = stored;
      base.vendors.push_back(name);
    }
  }
  if (options.use_cursor) {
    store::EventQuery q = base;
    q.after_event_id = known_event;
    if (auto s = add_all(store.query_events(q), "reading new events"); !s) return std::unexpected(s.error());
    if (options.cursor) {
      store::EventQuery cited = base;
      cited.with_mentions_after_id = known_mention;
      if (auto s = add_all(store.query_events(cited), "reading new citations"); !s) return std::unexpected(s.error());
    }
  } else {
    if (auto s = add_all(store.query_events(base), "reading events"); !s) return std::unexpected(s.error());
    if (options.since || options.until) {
      // Events first seen before the window that new reports cite: updates.
      store::EventQuery cited = base;
      cited.since.reset();
      cited.until.reset();
      cited.cited_since = options.since;
      cited.cited_until = options.until;
      if (auto s = add_all(store.query_events(cited), "reading new citations"); !s) return std::unexpected(s.error());
    }
  }

  // Budget: keep the oldest news so the cursor can stop just before the
  // first event left out, and nothing is skipped by the next brief.
  std::vector<store::EventWithMentions> events;
  events.reserve(found.size());
  for (auto& [id, e] : found) events.push_back(std::move(e));
  // Ordered by each event's first new mention: new events come in id order
  // (an event and its first mention are written together), and a known
  // event newly cited takes its place by that citation, so every cut makes
  // progress on both cursors.
  auto first_new_mention = [&](const store::EventWithMentions& e) {
    model::Id first = std::numeric_limits<model::Id>::max();
    for (const auto& m : e.mentions)
      if (m.id > known_mention) first = std::min(first, m.id);
    return first;
  };
  std::sort(events.begin(), events.end(), [&](const auto& a, const auto& b) {
    const model::Id fa = first_new_mention(a), fb = first_new_mention(b);
    return fa != fb ? fa < fb : a.event.id < b.event.id;
  });
  model::Id event_cap = std::numeric_limits<model::Id>::max();
  model::Id mention_cap = std::numeric_limits<model::Id>::max();
  if (events.size() > options.max_events) {
    for (std::size_t i = options.max_events; i < events.size(); ++i) {
      const auto& e = events[i];
      if (e.event.id > known_event) event_cap = std::min(event_cap, e.event.id - 1);
      for (const auto& m : e.mentions)
        if (m.id > known_mention) mention_cap = std::min(mention_cap, m.id - 1);
    }
    events.resize(options.max_events);
  }

  digest.up_to_event_id = known_event;
  digest.up_to_mention_id = known_mention;
  for (const auto& e : events) {
    digest.up_to_event_id = std::max(digest.up_to_event_id, e.event.id);
    digest.up_to_mention_id = std::max(digest.up_to_mention_id, max_mention_id(e));
  }
  digest.up_to_event_id = std::max(known_event, std::min(digest.up_to_event_id, event_cap));
  digest.up_to_mention_id = std::max(known_mention, std::min(digest.up_to_mention_id, mention_cap));

  // Window mode has no previous brief: what the window holds is new.
  Novelty novelty;
  if (options.use_cursor) {
    novelty.known_event_limit = known_event;
    novelty.known_mention_limit = known_mention;
  } else {
    novelty.since = options.since;
    novelty.until = options.until;
  }
  digest.vendors = group_events(events, novelty);

  // Timeline: the earlier event of each status change.
  std::set<model::Id> wanted;
  std::unordered_map<model::Id, model::Event> by_id;
  for (const auto& e : events) by_id.emplace(e.event.id, e.event);
  for (const auto& g : digest.vendors)
    for (const auto& de : g.events)
      if (de.event.previous_event_id && !by_id.count(*de.event.previous_event_id))
        wanted.insert(*de.event.previous_event_id);
  if (!wanted.empty()) {
    store::EventQuery q;
    q.with_timeline = true;
    q.ids.assign(wanted.begin(), wanted.end());
    auto prev = store.query_events(q);
    if (!prev) return std::unexpected(prev.error().with_context("reading earlier events"));
    for (const auto& e : *prev)
      if (wanted.count(e.event.id)) by_id.emplace(e.event.id, e.event);
  }
  for (auto& g : digest.vendors) {
    for (auto& de : g.events) {
      if (de.event.previous_event_id) {
        auto it = by_id.find(*de.event.previous_event_id);
        if (it != by_id.end()) de.previous = it->second;
      }
      switch (de.change) {
        case Change::kStatusChange:
          ++digest.changes.status_changes;
          ++digest.changes.new_events;
          break;
        case Change::kNew:
          ++digest.changes.new_events;
          break;
        case Change::kNewCitations:
          ++digest.changes.known_events_cited;
          for (const auto& c : de.citations) digest.changes.new_citations += c.is_new ? 1 : 0;
          break;
      }
    }
  }

  auto health = read_health(store);
  if (!health) return std::unexpected(health.error());
  digest.health = std::move(*health);
  return digest;
}

}  // namespace banwatch::digest
