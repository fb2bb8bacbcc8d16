// Fuzz target for the article extractor: any bytes must be extracted or
// rejected with an error, never a crash, a hang or invalid UTF-8 in the text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parsers/article.h"

namespace {
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  banwatch::article::Options options;
  options.url = "https://news.example.com/2022/03/25/story";
  options.max_bytes = 1u << 20;
  options.max_nodes = 200'000;
  // The first byte picks the declared charset, so the decoders are fuzzed too.
  static const char* const kCharsets[] = {"", "utf-8", "windows-1252", "shift_jis", "utf-16le", "koi8-r", "bogus"};
  if (!bytes.empty()) options.http_charset = kCharsets[static_cast<unsigned char>(bytes[0]) % 7];
  auto article = banwatch::article::extract(bytes, options);
  if (article) {
    if (!valid_utf8(article->text) || !valid_utf8(article->title)) std::abort();
    if (article->text.find("\n\n\n") != std::string::npos) std::abort();
  } else if (article.error().message.empty()) {
    std::abort();
  }
  return 0;
}
