// OPML import on arbitrary bytes, and export/import round trips of what it read.
#include <cstdint>
#include <string_view>

#include "feeds/opml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto doc = banwatch::feeds::parse_opml(bytes);
  if (!doc) return 0;
  // What was read can be written and read back with the same feeds.
  auto again = banwatch::feeds::parse_opml(banwatch::feeds::write_opml(doc->title, doc->feeds));
  if (!again || again->feeds.size() != doc->feeds.size()) __builtin_trap();
  return 0;
}
