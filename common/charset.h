// Turning bytes in any charset the press publishes into UTF-8, and finding
// the charset the bytes declare (BOM, XML declaration, HTML <meta>, HTTP
// Content-Type). Pure functions: no locale, no globals.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace banwatch {

struct Decoded {
  std::string text;                   // valid UTF-8, without a byte order mark
  std::string encoding;               // canonical name of the charset used ("windows-1251")
  std::size_t replaced = 0;           // invalid byte sequences replaced with U+FFFD
  std::vector<std::string> warnings;  // at most one per kind of problem
};

// The canonical name (the WHATWG Encoding Standard's, e.g. "windows-1252",
// "Shift_JIS", "GBK", "UTF-16LE") for a charset label as documents write it:
// case, surrounding whitespace, '-', '_', '.', ':' and spaces are ignored, so
// "ISO_8859-1", "latin1" and "iso8859-1" all give "windows-1252" (as the
// Encoding Standard and feedparser decode them). Beyond the Standard's labels:
// "UTF-16" and "UTF-32" (byte order from BOM or content), "UTF-32LE/BE", the
// ISO-2022-KR/CN family, the EBCDIC code pages IBM037/IBM500/IBM1047, and
// Python's aliases ("u8", "u16", "utf16").
// Returns "" for an unknown label.
std::string canonical_charset(std::string_view label);

// Decodes `bytes` in `charset` (a label; see canonical_charset) to UTF-8.
// - A byte order mark wins over `charset` (a warning notes a contradiction) and
//   is stripped.
// - Invalid or truncated sequences become U+FFFD; `replaced` counts them and
//   one warning says how many.
// - "UTF-16"/"UTF-32" without a BOM take the byte order the content shows
//   ("<\0" vs "\0<"), little-endian by default.
// - An empty `charset` means: BOM, else UTF-8 when the bytes are valid UTF-8,
//   else windows-1252 (with a warning).
// - Valid UTF-8 declared as UTF-8 is copied without conversion.
// Errors: kUnsupported naming the label when the charset is unknown (and no
// BOM decides it).
Result<Decoded> to_utf8(std::string_view bytes, std::string_view charset);

// An HTML page to UTF-8 by the HTML Standard's encoding sniffing (section
// 13.2.3.1): BOM, else the HTTP charset when it is a known label (it overrides
// <meta>), else the <meta> prescan, else UTF-8 when the bytes are valid
// UTF-8, else windows-1252. One tolerance beyond the Standard: a page labelled
// windows-1252/ISO-8859-1/ASCII (by HTTP or <meta>) whose bytes are valid
// UTF-8 with non-ASCII characters is decoded as UTF-8, with a warning; such
// mislabelling is common and the reverse coincidence is practically
// impossible in real text. Likewise an HTTP "UTF-8" on bytes that are not
// UTF-8 yields to a <meta> that names another charset. Never fails: an
// unknown label falls through to the next source with a warning.
Decoded decode_html(std::string_view bytes, std::string_view http_charset);

// "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE" when `bytes` start
// with that byte order mark, else "".
std::string_view sniff_bom(std::string_view bytes);

// The encoding named by the XML declaration (`<?xml ... encoding="..."?>`), as
// written, or "" when there is none. Reads the declaration through a BOM and
// in UTF-16/32 without a BOM (XML 1.0 Appendix F); for such BOM-less 16/32-bit
// bytes it returns the detected form ("UTF-16LE", ...) when the declaration
// names no encoding or an 8-bit one that cannot describe those bytes. EBCDIC
// ("<?xm" as 4C 6F A7 94) is read through IBM037; "IBM037" when undeclared.
std::string xml_declared_encoding(std::string_view bytes);

// The HTML Standard's prescan (section 13.2.3.2) for `<meta charset>` and
// `<meta http-equiv="Content-Type" content="...; charset=...">` over the first
// `limit` bytes, skipping comments and other tags' attributes. Returns the
// canonical name of the first recognised charset ("UTF-16*" is reported as
// "UTF-8" and "x-user-defined" as "windows-1252", as the Standard says), or "".
std::string html_meta_charset(std::string_view bytes, std::size_t limit = 4096);

// The charset parameter of an HTTP Content-Type value ("text/xml; charset=
// \"UTF-8\"" gives "UTF-8"), unquoted and trimmed, or "".
std::string charset_from_content_type(std::string_view content_type);

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// Unicode Normalization Form C of UTF-8 text (utf8proc). Invalid sequences are
// first replaced with U+FFFD, so the result is always valid UTF-8.
std::string nfc(std::string_view utf8);

// The columns UTF-8 text takes on a terminal: a wide (East Asian) character
// two, a combining mark none, anything else one (utf8proc's widths; an
// invalid byte counts one).
std::size_t display_width(std::string_view utf8);
// `utf8` in exactly `width` columns: cut at a character boundary with "…" as
// its last column when longer, padded with spaces when shorter.
std::string fit_width(std::string_view utf8, std::size_t width);

}  // namespace banwatch
