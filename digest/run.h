// One digest run over several channels, each with its own cursor:
//
//   for each channel: read its cursor -> build the digest -> deliver ->
//                     record the new cursor (only if delivery succeeded)
//
// so a failed channel gets the same events again next run (nothing skipped)
// and a channel that succeeded never gets them twice (nothing repeated).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "digest/deliver.h"
#include "digest/digest.h"
#include "store/store.h"

namespace banwatch::digest {

struct RunRequest {
  // Window, vendors, title, now. `cursor` and `use_cursor` are set per channel
  // from `since_last`.
  BuildOptions build;
  bool since_last = true;   // --since last: each channel's cursor
  std::string format_name;  // recorded with the cursor ("markdown", ...)
};

struct ChannelOutcome {
  std::string key, label;
  bool delivered = false;
  bool skipped_empty = false;  // nothing new and the channel does not want empty briefs
  bool cursor_moved = false;
  int events = 0;
  std::optional<Error> error;
};

struct RunOutcome {
  std::vector<ChannelOutcome> channels;
  int events = 0;  // the largest digest delivered or built
  int failures() const;
  // The digest built for the first channel (for metrics and summaries).
  std::optional<Digest> first_digest;
};

// The cursor moves only for cursor runs over everything (no --vendor, no
// --until): a filtered brief must not mark unfiltered events as sent.
bool cursor_may_move(const RunRequest& request);

// Store errors while reading a cursor or building are returned as the
// channel's error, like delivery errors; the run continues with the next
// channel. Never throws.
RunOutcome run_digest(store::Store& store, const RunRequest& request, const std::vector<Channel*>& channels);

}  // namespace banwatch::digest
