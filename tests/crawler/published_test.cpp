// The feed's or the page's publication date (crawler/published.h).
#include "crawler/published.h"

#include <gtest/gtest.h>

#include <chrono>

namespace banwatch::crawler {
namespace {

using namespace std::chrono;

PreciseTime T(int y, unsigned m, unsigned d, int h = 0) {
  return PreciseTime{time_point_cast<seconds>(sys_days{year{y} / month{m} / day{d}}) + hours{h},
                     DatePrecision::kSecond};
}

article::Article page(std::optional<PreciseTime> published, const char* source,
                      std::optional<PreciseTime> modified = std::nullopt) {
  article::Article a;
  a.published = published;
  a.published_source = published ? source : "";
  a.modified = modified;
  return a;
}

const Timestamp kNow = T(2024, 3, 1).time;

TEST(ChoosePublished, AgreeingWithinADayKeepsTheFeeds) {
  auto feed = T(2024, 2, 20, 23);
  EXPECT_EQ(choose_published(feed, std::nullopt, page(T(2024, 2, 21, 1), "json-ld"), kNow), feed);
}

TEST(ChoosePublished, StructuredPageDateWinsAWideDisagreement) {
  // A feed re-listing an old article with the day it entered the feed.
  auto feed = T(2024, 2, 28, 9);
  for (const char* source :
       {"json-ld", "meta:article:published_time", "url", "microdata", "time-pubdate", "microformat"}) {
    EXPECT_EQ(choose_published(feed, std::nullopt, page(T(2024, 1, 5, 8), source), kNow), T(2024, 1, 5, 8)) << source;
  }
}

TEST(ChoosePublished, TextAndModificationDatesNeverOverrideTheFeed) {
  auto feed = T(2024, 2, 28, 9);
  for (const char* source :
       {"byline", "headline-text", "text", "title", "description", "time", "modified:meta:og:updated_time"}) {
    EXPECT_EQ(choose_published(feed, std::nullopt, page(T(2024, 1, 5), source), kNow), feed) << source;
  }
}

TEST(ChoosePublished, FeedUpdatedDateCountsAsTheFeedsDate) {
  auto updated = T(2024, 2, 27);
  EXPECT_EQ(choose_published(std::nullopt, updated, page(std::nullopt, ""), kNow), updated);
  EXPECT_EQ(choose_published(std::nullopt, updated, page(T(2024, 1, 2), "json-ld"), kNow), T(2024, 1, 2));
}

TEST(ChoosePublished, NoFeedDateTakesThePagesThenItsModification) {
  EXPECT_EQ(choose_published(std::nullopt, std::nullopt, page(T(2024, 1, 2), "byline"), kNow), T(2024, 1, 2));
  EXPECT_EQ(choose_published(std::nullopt, std::nullopt, page(std::nullopt, "", T(2024, 1, 3)), kNow), T(2024, 1, 3));
  EXPECT_EQ(choose_published(std::nullopt, std::nullopt, page(std::nullopt, ""), kNow), std::nullopt);
}

TEST(ChoosePublished, Lenient_FeedDateInTheFutureIsDropped) {
  auto future = T(2030, 1, 1);
  EXPECT_EQ(choose_published(future, std::nullopt, page(T(2024, 2, 2), "byline"), kNow), T(2024, 2, 2));
  EXPECT_EQ(choose_published(future, std::nullopt, page(std::nullopt, ""), kNow), std::nullopt);
}

}  // namespace
}  // namespace banwatch::crawler
