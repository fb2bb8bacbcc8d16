// Fuzz target for the lenient date parsers: any bytes must give a value or
// nullopt, never a crash, a hang or an out-of-range span.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parsers/dates.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  banwatch::dates::parse_date(text);
  banwatch::dates::parse_rfc822(text);
  banwatch::dates::parse_iso8601(text);
  if (auto found = banwatch::dates::find_prose_date(text)) {
    if (found->begin >= found->end || found->end > text.size()) std::abort();
  }
  return 0;
}
