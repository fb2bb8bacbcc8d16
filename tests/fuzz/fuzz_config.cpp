// The configuration loader on arbitrary YAML: an error value or a Config, never a crash.
#include <cstdint>
#include <string_view>

#include "common/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = banwatch::parse_config(text, "fuzz.yaml");
  if (config) {
    banwatch::Config copy = *config;
    (void)banwatch::apply_override(copy, text.substr(0, 64));
  }
  return 0;
}
