// Sitemaps and news sitemaps: the feed parser entered with a sitemap prefix
// so that the fuzzer spends its time inside <urlset>/<sitemapindex>.
#include <cstdint>
#include <string>
#include <string_view>

#include "feeds/feed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view tail(reinterpret_cast<const char*>(data), size);
  bool index = size > 0 && (data[0] & 1);
  std::string doc = index ? "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                          : "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                            "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url>";
  doc.append(tail);
  banwatch::feeds::Options options;
  options.base_url = "https://fuzz.example/sitemap.xml";
  auto feed = banwatch::feeds::parse(doc, options);
  if (feed && feed->items.size() > options.max_items) __builtin_trap();
  return 0;
}
