#include "crawler/published.h"

#include <chrono>

namespace banwatch::crawler {

std::optional<PreciseTime> choose_published(const std::optional<PreciseTime>& feed_published,
                                            const std::optional<PreciseTime>& feed_updated,
                                            const article::Article& page, Timestamp now) {
  using std::chrono::days;
  std::optional<PreciseTime> feed = feed_published ? feed_published : feed_updated;
  if (feed && feed->time > now + days{1}) feed.reset();  // a wrong clock or a typo
  if (!feed) return page.published ? page.published : page.modified;
  if (!page.published) return feed;
  const auto gap =
      page.published->time > feed->time ? page.published->time - feed->time : feed->time - page.published->time;
  if (gap > days{1} && article::published_source_is_structured(page.published_source)) return page.published;
  return feed;
}

}  // namespace banwatch::crawler
