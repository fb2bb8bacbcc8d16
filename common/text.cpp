#include "common/text.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace banwatch {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// Length of the leading run of ASCII bytes from s[i], eight at a time.
std::size_t ascii_prefix(std::string_view s, std::size_t i) {
  const std::size_t start = i;
  while (i + 8 <= s.size()) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
    i += 8;
  }
  while (i < s.size() && byte_at(s, i) < 0x80) ++i;
  return i - start;
}

template <bool (*IsSpace)(char) noexcept>
std::string_view trim_with(std::string_view s) noexcept {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ascii_space(char c) noexcept { return is_ascii_space(c); }
bool html_space(char c) noexcept { return is_html_space(c); }

}  // namespace

// ---- ASCII case ----------------------------------------------------------------

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool ascii_istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

// ---- white space -----------------------------------------------------------------

std::string_view trim_ascii_space(std::string_view s) noexcept { return trim_with<ascii_space>(s); }
std::string_view trim_html_space(std::string_view s) noexcept { return trim_with<html_space>(s); }

std::string collapse_ascii_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (is_ascii_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool is_ascii(std::string_view s) noexcept { return ascii_prefix(s, 0) == s.size(); }

// ---- UTF-8 -------------------------------------------------------------------------

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void append_utf8_or_replacement(std::string& out, char32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  append_utf8(out, cp);
}

std::size_t utf8_length(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& consumed) noexcept {
  const unsigned char c = byte_at(s, i);
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    consumed = 1;
    return 0;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) {
      consumed = k;
      return 0;
    }
    const unsigned char b = byte_at(s, i + k);
    if (b < lo || b > hi) {
      consumed = k;
      return 0;
    }
    lo = 0x80, hi = 0xBF;
  }
  return need + 1;
}

std::size_t repair_utf8(std::string_view s, std::string& out) {
  std::size_t replaced = 0;
  out.reserve(out.size() + s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t run = ascii_prefix(s, i);
    out.append(s.substr(i, run));
    i += run;
    if (i >= s.size()) break;
    std::size_t consumed = 0;
    const std::size_t len = utf8_sequence(s, i, consumed);
    if (len != 0) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append(kReplacement);
      ++replaced;
      i += consumed;
    }
  }
  return replaced;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = byte_at(s, i);
    if (c < 0x80) {
      if ((c >= 0x20 && c != 0x7F) || c == '\t' || c == '\n') out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::size_t consumed = 0;
    const std::size_t len = utf8_sequence(s, i, consumed);
    const std::string_view seq = s.substr(i, len);
    if (len == 0 || seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF") {  // XML forbids U+FFFE and U+FFFF
      out += kReplacement;
      ++i;
      continue;
    }
    if (len == 2 && c == 0xC2 && byte_at(s, i + 1) <= 0x9F) {  // C1 controls: dropped
      i += len;
      continue;
    }
    out.append(seq);
    i += len;
  }
  return out;
}

// ---- markup escaping ----------------------------------------------------------------

void append_escaped_markup(std::string& out, std::string_view text, Quotes quotes) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += quotes == Quotes::kKeep ? "\"" : "&quot;";
        break;
      case '\'':
        out += quotes == Quotes::kBoth ? "&#39;" : "'";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string escape_markup(std::string_view text, Quotes quotes) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_escaped_markup(out, text, quotes);
  return out;
}

// ---- hashing -------------------------------------------------------------------------

std::string hex_lower(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return hex_lower(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace banwatch
