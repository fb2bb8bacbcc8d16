// Fuzz target for charset sniffing and conversion: any bytes, under any of a
// few labels, must decode to valid UTF-8 (or a clean kUnsupported), never
// crash or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/charset.h"

namespace {
constexpr std::string_view kLabels[] = {
    "",     "utf-8",  "windows-1252", "utf-16", "utf-16be",   "utf-32",         "shift_jis", "gb2312",
    "big5", "euc-kr", "iso-2022-jp",  "koi8-r", "iso-8859-2", "x-user-defined", "bogus"};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t label = data[0] % (sizeof(kLabels) / sizeof(kLabels[0]));
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (auto decoded = banwatch::to_utf8(bytes, kLabels[label])) {
    if (!banwatch::is_valid_utf8(decoded->text)) std::abort();
    if (!banwatch::is_valid_utf8(banwatch::nfc(decoded->text))) std::abort();
  }
  const auto page = banwatch::decode_html(bytes, kLabels[label]);
  if (!banwatch::is_valid_utf8(page.text)) std::abort();
  banwatch::sniff_bom(bytes);
  banwatch::xml_declared_encoding(bytes);
  banwatch::html_meta_charset(bytes);
  banwatch::charset_from_content_type(bytes);
  banwatch::canonical_charset(bytes);
  return 0;
}
