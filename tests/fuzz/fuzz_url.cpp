// URL parsing, resolution and canonicalization on arbitrary bytes.
#include <cstdint>
#include <string_view>

#include "common/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto split = text.find('\n');
  std::string_view base = text.substr(0, split);
  std::string_view ref = split == std::string_view::npos ? std::string_view{} : text.substr(split + 1);
  auto url = banwatch::Url::parse(base);
  if (!url) return 0;
  auto canonical = url->canonical();
  // Canonicalization is idempotent and its output parses again to itself.
  auto reparsed = banwatch::Url::parse(canonical.str());
  if (!reparsed || reparsed->canonical().str() != canonical.str()) __builtin_trap();
  if (auto r = url->resolve(ref)) (void)r->canonical().str();
  return 0;
}
