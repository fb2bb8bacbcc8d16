// The feed parser on arbitrary bytes: RSS, Atom, RDF, JSON Feed, sitemaps.
// The first byte picks options (HTTP charset, base URL, small budgets) so
// the fuzzer also explores the encoding reconciliation and budget paths.
#include <cstdint>
#include <string_view>

#include "feeds/feed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  banwatch::feeds::Options options;
  std::uint8_t selector = data[0];
  static constexpr const char* kCharsets[] = {"",          "utf-8",  "iso-8859-1", "windows-1251",
                                              "shift_jis", "utf-16", "gb2312",     "bogus"};
  options.http_charset = kCharsets[selector & 7];
  if (selector & 8) options.base_url = "https://fuzz.example/dir/feed.xml";
  if (selector & 16) {
    options.max_items = 3;
    options.max_depth = 8;
  }
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  auto feed = banwatch::feeds::parse(bytes, options);
  if (feed) {
    // Invariants: budgets hold and every item has been finished.
    if (feed->items.size() > options.max_items) __builtin_trap();
    for (const auto& item : feed->items) (void)item.id.size();
  }
  return 0;
}
