#include "store/identity.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <numeric>
#include <tuple>

#include "store/backend.h"

namespace banwatch::store::identity {

std::string normalize(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c >= 0x80) {
      // U+2019 (right single quotation mark, the typographic apostrophe).
      if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
          static_cast<unsigned char>(name[i + 2]) == 0x99) {
        i += 2;
        continue;
      }
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (c == '.' || c == '\'') continue;
    const bool upper = c >= 'A' && c <= 'Z';
    const bool keep = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!keep) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(upper ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  if (out.starts_with("the ")) out.erase(0, 4);
  return out;
}

std::string case_text(std::string_view vendor, std::string_view actor, std::string_view action) {
  std::string text = normalize(vendor);
  text.push_back('\n');
  text += normalize(actor);
  text.push_back('\n');
  text += normalize(action);
  return text;
}

Period anchor(const std::optional<PreciseTime>& event_date, const std::optional<PreciseTime>& published_at,
              Timestamp fetched_at) {
  const auto seconds_of = [](Timestamp t) { return static_cast<std::int64_t>(t.time_since_epoch().count()); };
  if (event_date) return {seconds_of(event_date->time), seconds_of(period_end(*event_date))};
  if (published_at) return {seconds_of(published_at->time), seconds_of(period_end(*published_at))};
  return {seconds_of(fetched_at), seconds_of(fetched_at) + 1};
}

HistoryRange history_range(const Period& when, std::int64_t window_s) {
  // An event anchored before `lowest` ends at most a longest period later,
  // still before the window opens: it cannot be joined.
  return {when.start - window_s - kLongestPeriodSeconds, when.end + window_s};
}

namespace {

bool same_status(std::string_view a, std::string_view b) { return a == b || normalize(a) == normalize(b); }

// Anchor order: start, then id (append order).
bool anchored_before(const Candidate& a, const Candidate& b) {
  return std::tie(a.when.start, a.id) < std::tie(b.when.start, b.id);
}

}  // namespace

Decision decide(const Report& report, const std::vector<Candidate>& history, std::int64_t window_s) {
  Decision decision;
  const Candidate* best = nullptr;
  std::int64_t best_distance = 0;
  const Candidate* latest_before = nullptr;
  const std::int64_t middle = report.when.start + report.when.end;  // twice the midpoint
  for (const Candidate& candidate : history) {
    if (case_text(candidate.vendor, candidate.actor, candidate.action) != report.case_text) continue;
    if (candidate.when.start <= report.when.start &&
        (latest_before == nullptr || anchored_before(*latest_before, candidate))) {
      latest_before = &candidate;
    }
    if (!same_status(candidate.status, report.status)) continue;
    const bool within =
        candidate.when.end >= report.when.start - window_s && candidate.when.start <= report.when.end + window_s;
    if (!within) continue;
    const std::int64_t distance = std::llabs(candidate.when.start + candidate.when.end - middle);
    const bool better = best == nullptr || distance < best_distance ||
                        (distance == best_distance &&
                         std::make_tuple(candidate.dated, candidate.id) > std::make_tuple(best->dated, best->id));
    if (better) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best != nullptr) {
    decision.join = best->id;
    return decision;
  }
  if (latest_before != nullptr && !same_status(latest_before->status, report.status)) {
    decision.previous = latest_before->id;
  }
  return decision;
}

std::vector<std::size_t> append_order(const std::vector<model::ExtractedEvent>& events) {
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_partition(order.begin(), order.end(), [&](std::size_t i) { return events[i].event_date.has_value(); });
  return order;
}

std::vector<model::Id> timeline_links(const std::vector<Candidate>& history) {
  std::vector<std::size_t> order(history.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return anchored_before(history[a], history[b]); });
  std::vector<model::Id> links(history.size(), 0);
  for (std::size_t i = 1; i < order.size(); ++i) {
    const Candidate& before = history[order[i - 1]];
    const Candidate& event = history[order[i]];
    if (!same_status(before.status, event.status)) links[order[i]] = before.id;
  }
  return links;
}

std::string case_status(const std::vector<Candidate>& history) {
  const Candidate* latest = nullptr;
  for (const Candidate& candidate : history) {
    if (latest == nullptr || anchored_before(*latest, candidate)) latest = &candidate;
  }
  return latest == nullptr ? std::string() : latest->status;
}

void apply_timeline(std::vector<EventWithMentions>& events,
                    const std::vector<std::pair<std::int64_t, Candidate>>& cases) {
  // Most cases hold one event: grouped by key first, and only a key of
  // several events is split by case text (a key collision) and walked.
  std::unordered_map<std::int64_t, std::vector<const Candidate*>> by_key;
  by_key.reserve(cases.size());
  for (const auto& [key, candidate] : cases) by_key[key].push_back(&candidate);
  std::unordered_map<model::Id, model::Id> links;
  std::unordered_map<model::Id, std::string_view> statuses;  // event id -> its case's status
  statuses.reserve(cases.size());
  for (const auto& [key, members] : by_key) {
    if (members.size() == 1) {
      statuses.emplace(members.front()->id, members.front()->status);
      continue;
    }
    std::map<std::string, std::vector<Candidate>> by_case;
    for (const Candidate* candidate : members) {
      by_case[case_text(candidate->vendor, candidate->actor, candidate->action)].push_back(*candidate);
    }
    for (const auto& [text, history] : by_case) {
      const std::vector<model::Id> found = timeline_links(history);
      const Candidate* latest = &history.front();
      for (const Candidate& candidate : history) {
        if (anchored_before(*latest, candidate)) latest = &candidate;
      }
      for (std::size_t i = 0; i < history.size(); ++i) {
        if (found[i] != 0) links.emplace(history[i].id, found[i]);
      }
      // `latest` points into by_case, alive until this group is done: keep
      // the status from the stable `cases` entry of the same id instead.
      const model::Id latest_id = latest->id;
      const Candidate* stable = nullptr;
      for (const Candidate* candidate : members) {
        if (candidate->id == latest_id) stable = candidate;
      }
      for (const Candidate& candidate : history) statuses.emplace(candidate.id, stable->status);
    }
  }
  for (EventWithMentions& entry : events) {
    model::Event& event = entry.event;
    const auto status = statuses.find(event.id);
    if (status == statuses.end()) {
      event.case_status = event.status;  // the only event of its case
      continue;
    }
    event.case_status = std::string(status->second);
    if (!event.previous_event_id) {
      if (const auto link = links.find(event.id); link != links.end()) event.previous_event_id = link->second;
    }
  }
}

std::vector<std::pair<model::Id, model::Id>> plan_merges(std::vector<Candidate> events, std::int64_t window_s) {
  std::vector<std::string> texts;
  texts.reserve(events.size());
  for (const Candidate& event : events) texts.push_back(case_text(event.vendor, event.actor, event.action));
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(texts[a], events[a].id) < std::tie(texts[b], events[b].id);
  });
  std::vector<std::pair<model::Id, model::Id>> merges;
  std::vector<Candidate> kept;  // the current case's surviving events
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t index = order[i];
    if (i == 0 || texts[order[i - 1]] != texts[index]) kept.clear();
    const Candidate& event = events[index];
    Report report{texts[index], event.status, event.dated, event.when};
    const Decision decision = decide(report, kept, window_s);
    if (decision.join != 0) {
      merges.emplace_back(event.id, decision.join);
    } else {
      kept.push_back(event);
    }
  }
  return merges;
}

void MergePlanner::add(std::int64_t timeline_key, Candidate event) {
  if (timeline_key != group_key_) flush();
  group_key_ = timeline_key;
  group_.push_back(std::move(event));
}

std::vector<std::pair<model::Id, model::Id>> MergePlanner::finish() {
  flush();
  return std::move(merges_);
}

void MergePlanner::flush() {
  if (group_.size() > 1) {
    for (const auto& merge : plan_merges(std::move(group_), window_s_)) merges_.push_back(merge);
  }
  group_.clear();
}

}  // namespace banwatch::store::identity
