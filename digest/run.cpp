#include "digest/run.h"

#include <map>
#include <utility>

namespace banwatch::digest {

int RunOutcome::failures() const {
  int n = 0;
  for (const auto& c : channels) n += c.error.has_value() ? 1 : 0;
  return n;
}

bool cursor_may_move(const RunRequest& request) {
  return request.since_last && request.build.vendors.empty() && !request.build.until && !request.build.since;
}

RunOutcome run_digest(store::Store& store, const RunRequest& request, const std::vector<Channel*>& channels) {
  RunOutcome outcome;
  // Channels usually share one cursor: build each distinct digest once.
  std::map<std::pair<model::Id, model::Id>, Digest> built;
  const bool move = cursor_may_move(request);

  for (Channel* channel : channels) {
    ChannelOutcome co;
    co.key = channel->key();
    co.label = channel->label();
    BuildOptions build = request.build;
    build.use_cursor = request.since_last;
    build.cursor.reset();
    if (request.since_last) {
      auto cursor = store.last_digest(co.key);
      if (!cursor) {
        co.error = cursor.error().with_context(co.label + ": reading its cursor");
        outcome.channels.push_back(std::move(co));
        continue;
      }
      build.cursor = *cursor;
    }
    const std::pair<model::Id, model::Id> cache_key =
        build.cursor ? std::make_pair(build.cursor->up_to_event_id, build.cursor->up_to_mention_id)
                     : std::make_pair(model::Id{-1}, model::Id{-1});
    auto it = built.find(cache_key);
    if (it == built.end()) {
      auto digest = build_digest(store, build);
      if (!digest) {
        co.error = digest.error().with_context(co.label + ": building the digest");
        outcome.channels.push_back(std::move(co));
        continue;
      }
      it = built.emplace(cache_key, std::move(*digest)).first;
    }
    // The cached digest is shared; previous_brief_at is the only per-channel part.
    Digest digest = it->second;
    digest.previous_brief_at = build.cursor ? std::optional<Timestamp>(build.cursor->created_at) : std::nullopt;
    if (!outcome.first_digest) outcome.first_digest = digest;
    co.events = digest.event_count();
    outcome.events = std::max(outcome.events, co.events);

    if (digest.empty() && !channel->wants_empty()) {
      co.skipped_empty = true;
      outcome.channels.push_back(std::move(co));
      continue;
    }
    if (auto s = channel->deliver(digest); !s) {
      co.error = s.error();
      outcome.channels.push_back(std::move(co));
      continue;
    }
    co.delivered = true;
    const bool advances = !build.cursor || digest.up_to_event_id != build.cursor->up_to_event_id ||
                          digest.up_to_mention_id != build.cursor->up_to_mention_id;
    if (move && advances) {
      store::DigestRecord record;
      record.channel = co.key;
      record.created_at = request.build.now;
      record.up_to_event_id = digest.up_to_event_id;
      record.up_to_mention_id = digest.up_to_mention_id;
      record.event_count = co.events;
      record.format = request.format_name;
      if (auto s = store.record_digest(record); !s) {
        co.error = s.error().with_context(co.label +
                                          ": delivered, but its cursor could not be saved, so the next "
                                          "brief repeats these events");
      } else {
        co.cursor_moved = true;
      }
    }
    outcome.channels.push_back(std::move(co));
  }
  return outcome;
}

}  // namespace banwatch::digest
