// Byte-level text functions every module shares: ASCII case and white space,
// UTF-8 encoding, repair and sanitising, markup escaping and SHA-256. Pure
// functions: no locale (std::tolower and std::isspace are not used, so a
// process locale cannot change a result), no globals.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace banwatch {

// ---- ASCII case ----------------------------------------------------------------

// 'A'-'Z' to 'a'-'z'; every other byte (UTF-8 included) unchanged.
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string ascii_lower(std::string_view s);
// Equal after ascii_lower().
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;
// `s` starts with `prefix`, compared after ascii_lower().
bool ascii_istarts_with(std::string_view s, std::string_view prefix) noexcept;

// ---- white space -----------------------------------------------------------------
// Two sets, named for where they come from:
// - is_ascii_space: " \t\n\v\f\r", C's isspace() in the "C" locale.
// - is_html_space: " \t\n\f\r", the HTML and Encoding Standards' "ASCII
//   whitespace" (no vertical tab), which feeds and charset labels follow.

constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
constexpr bool is_html_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// `s` without leading and trailing bytes of the set.
std::string_view trim_ascii_space(std::string_view s) noexcept;
std::string_view trim_html_space(std::string_view s) noexcept;

// `s` with every run of is_ascii_space bytes made one space, and none at
// either end.
std::string collapse_ascii_space(std::string_view s);

// True when every byte is below 0x80.
bool is_ascii(std::string_view s) noexcept;

// ---- UTF-8 -------------------------------------------------------------------------

// Appends the UTF-8 form of `cp`, which callers keep to Unicode scalar values
// (no surrogates, at most U+10FFFF); see append_utf8_or_replacement().
void append_utf8(std::string& out, char32_t cp);
// As append_utf8(), with U+0000, surrogates and values past U+10FFFF written
// as U+FFFD (what character references decode to).
void append_utf8_or_replacement(std::string& out, char32_t cp);

// Code points in UTF-8 text: the bytes that are not continuation bytes.
std::size_t utf8_length(std::string_view s) noexcept;

// The length (1-4) of the well-formed UTF-8 sequence at s[i], or 0 when it is
// ill-formed; then `consumed` is the length of its maximal subpart, which one
// U+FFFD replaces (Unicode chapter 3, as the WHATWG decoder does). Overlong
// forms, surrogates and values past U+10FFFF are ill-formed.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& consumed) noexcept;

// Appends `s` to `out` with every ill-formed sequence replaced by U+FFFD
// (maximal subparts, as utf8_sequence()); returns how many were replaced.
std::size_t repair_utf8(std::string_view s, std::string& out);

// Text for people and for XML 1.0: valid UTF-8 where every byte of an
// ill-formed sequence, and U+FFFE/U+FFFF, become one U+FFFD each; C0 controls
// other than tab and newline, DEL and the C1 controls are dropped (CR too, so
// CRLF reads as LF).
std::string sanitize_utf8(std::string_view s);

// ---- markup escaping ----------------------------------------------------------------

// Which quotes escape_markup() writes as character references, besides & < >.
enum class Quotes {
  kKeep,    // text content, Slack mrkdwn
  kDouble,  // " as &quot;: attribute values in double quotes
  kBoth,    // " as &quot; and ' as &#39;: safe anywhere in HTML and XML
};
void append_escaped_markup(std::string& out, std::string_view text, Quotes quotes);
std::string escape_markup(std::string_view text, Quotes quotes);

// ---- hashing -------------------------------------------------------------------------

// Lower-case hex SHA-256 (OpenSSL's libcrypto).
std::string sha256_hex(std::string_view data);
// Lower-case hex of raw bytes.
std::string hex_lower(std::string_view bytes);

}  // namespace banwatch
