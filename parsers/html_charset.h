// Internal to parsers/: bytes of a page to UTF-8. The charset is taken from a
// BOM, else the HTTP header, else <meta charset> / http-equiv, else UTF-8 when
// the bytes are valid UTF-8, else windows-1252 (WHATWG's default for the web).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace banwatch::html {

struct DecodedPage {
  std::string text;      // UTF-8
  std::string encoding;  // the charset used, lower case
  std::size_t replaced = 0;  // invalid sequences replaced by U+FFFD
  std::vector<std::string> warnings;
};

DecodedPage decode_page(std::string_view bytes, std::string_view http_charset);

// The charset a <meta> in the first 4 KiB declares, lower case, or "".
std::string meta_charset(std::string_view bytes);

}  // namespace banwatch::html
