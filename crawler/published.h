// Which publication date an article keeps when its feed and its page both
// state one (internal to crawler/; the rule is documented in docs/dates.md).
#pragma once

#include <optional>

#include "common/time.h"
#include "parsers/article.h"

namespace banwatch::crawler {

// The feed item's dates and what the page's extraction found.
//
// The feed's date (its published, else its updated date) stands, unless:
//  - it is missing or lies more than a day after `now` (the fetch time):
//    then the page's date, and failing that its modification date;
//  - it disagrees with the page's by more than a day and the page's date is
//    better founded: stated by the publisher for machines on the article
//    itself (article::published_source_is_structured: the URL, JSON-LD, meta
//    tags, microdata, <time pubdate>, microformats). A date read from the
//    page's visible text, or only a modification date, never overrides the
//    feed's.
// Within a day the two agree, and the feed's (usually to the second) stands.
std::optional<PreciseTime> choose_published(const std::optional<PreciseTime>& feed_published,
                                            const std::optional<PreciseTime>& feed_updated,
                                            const article::Article& page, Timestamp now);

}  // namespace banwatch::crawler
