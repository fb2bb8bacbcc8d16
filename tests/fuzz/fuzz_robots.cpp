// robots.txt parsing and matching on arbitrary bytes: the first line is the
// path to match, the rest the file. Also checks invariants of the matcher.
#include <cstdint>
#include <string_view>

#include "crawler/robots.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto split = text.find('\n');
  std::string_view path = text.substr(0, split);
  std::string_view body = split == std::string_view::npos ? std::string_view{} : text.substr(split + 1);
  if (path.size() > 4096) path = path.substr(0, 4096);
  auto robots = banwatch::crawler::Robots::parse(body, "banwatch");
  (void)robots.allowed(path);
  (void)robots.crawl_delay();
  // /robots.txt is always allowed, whatever the file says (RFC 9309 §2.2.2).
  if (!robots.allowed("/robots.txt")) __builtin_trap();
  // Normalization is idempotent.
  std::string once = banwatch::crawler::robots_normalize(path);
  if (banwatch::crawler::robots_normalize(once) != once) __builtin_trap();
  return 0;
}
