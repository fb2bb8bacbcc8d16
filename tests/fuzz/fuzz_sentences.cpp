// Fuzz target for the sentence splitter: any bytes give ordered, in-bounds,
// non-overlapping sentence spans; never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parsers/sentences.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t previous_end = 0, previous_paragraph = 0;
  for (const auto& s : banwatch::text::split_sentences(text)) {
    if (s.begin >= s.end || s.end > text.size() || s.begin < previous_end || s.paragraph < previous_paragraph)
      std::abort();
    previous_end = s.end;
    previous_paragraph = s.paragraph;
  }
  return 0;
}
