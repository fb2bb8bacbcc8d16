// Fuzz target for the lenient date parsers: any bytes must give a value or
// nullopt, never a crash, a hang or an out-of-range span.
#include <chrono>
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
  banwatch::dates::parse_dcmi_period(text);
  if (auto found = banwatch::dates::find_prose_date(text)) {
    if (found->begin >= found->end || found->end > text.size()) std::abort();
  }
  banwatch::dates::ProseOptions options;
  options.reference = banwatch::Timestamp{std::chrono::seconds{1'650'000'000}};
  options.year_only = true;
  std::size_t previous_end = 0;
  for (const auto& found : banwatch::dates::find_prose_dates(text, options)) {
    if (found.begin < previous_end || found.begin >= found.end || found.end > text.size()) std::abort();
    previous_end = found.end;
  }
  return 0;
}
