#include "parsers/html_charset.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>

namespace banwatch::html {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"' || s.front() == '\'' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\'' || s.back() == '\t' || s.back() == ';'))
    s.remove_suffix(1);
  return s;
}

// WHATWG label aliases that matter in practice; iconv knows the rest.
std::string normalize_label(std::string_view label) {
  std::string l = lower(trim(label));
  if (l == "utf8" || l == "unicode-1-1-utf-8" || l == "x-unicode20utf8") return "utf-8";
  if (l == "latin1" || l == "iso-8859-1" || l == "iso8859-1" || l == "us-ascii" || l == "ascii" ||
      l == "l1" || l == "cp1252" || l == "x-cp1252" || l == "iso_8859-1")
    return "windows-1252";
  if (l == "x-sjis" || l == "sjis" || l == "ms_kanji" || l == "windows-31j") return "shift_jis";
  if (l == "gb2312" || l == "x-gbk" || l == "gbk" || l == "chinese") return "gb18030";
  if (l == "ks_c_5601-1987" || l == "korean") return "euc-kr";
  if (l == "iso-8859-9" || l == "latin5") return "windows-1254";
  if (l == "tis-620" || l == "iso-8859-11") return "windows-874";
  if (l == "utf-16") return "utf-16le";
  return l;
}

// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n = s.size();
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return i + 1 < n && (b(i + 1) & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (i + 2 >= n || (b(i + 1) & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (i + 3 >= n || (b(i + 1) & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80 || (b(i + 3) & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t k = utf8_sequence(s, i);
    if (k == 0) return false;
    i += k;
  }
  return true;
}

void repair_utf8(std::string_view s, DecodedPage& out) {
  out.text.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t k = utf8_sequence(s, i);
    if (k == 0) {
      out.text += "\xEF\xBF\xBD";
      ++out.replaced;
      ++i;
      continue;
    }
    // Copy a run of valid bytes at once.
    std::size_t j = i + k;
    while (j < s.size() && static_cast<unsigned char>(s[j]) < 0x80) ++j;
    out.text.append(s.data() + i, j - i);
    i = j;
  }
}

bool iconv_decode(std::string_view s, const std::string& charset, DecodedPage& out) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.text.clear();
  out.text.reserve(s.size() * 2);
  std::string buffer(64 * 1024, '\0');
  char* in = const_cast<char*>(s.data());
  std::size_t in_left = s.size();
  while (in_left > 0) {
    char* o = buffer.data();
    std::size_t o_left = buffer.size();
    std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    out.text.append(buffer.data(), buffer.size() - o_left);
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ or EINVAL (truncated sequence at the end): replace one byte.
      out.text += "\xEF\xBF\xBD";
      ++out.replaced;
      ++in;
      --in_left;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
  }
  iconv_close(cd);
  return true;
}

std::string_view bom_charset(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) return "utf-8";
  if (s.starts_with("\xFF\xFE")) return "utf-16le";
  if (s.starts_with("\xFE\xFF")) return "utf-16be";
  return {};
}

}  // namespace

std::string meta_charset(std::string_view bytes) {
  std::string head = lower(bytes.substr(0, 4096));
  std::size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    std::size_t end = head.find('>', pos);
    if (end == std::string::npos) break;
    std::string_view tag = std::string_view(head).substr(pos, end - pos);
    pos = end;
    std::size_t c = tag.find("charset");
    if (c == std::string_view::npos) continue;
    c += 7;
    while (c < tag.size() && (tag[c] == ' ')) ++c;
    if (c >= tag.size() || tag[c] != '=') continue;
    ++c;
    while (c < tag.size() && (tag[c] == ' ' || tag[c] == '"' || tag[c] == '\'')) ++c;
    std::size_t e = c;
    while (e < tag.size() && tag[e] != '"' && tag[e] != '\'' && tag[e] != ' ' && tag[e] != ';' && tag[e] != '/') ++e;
    if (e > c) return std::string(tag.substr(c, e - c));
  }
  return {};
}

DecodedPage decode_page(std::string_view bytes, std::string_view http_charset) {
  DecodedPage out;
  std::string charset;
  std::string_view bom = bom_charset(bytes);
  if (!bom.empty()) {
    charset = std::string(bom);
    bytes.remove_prefix(bom == "utf-8" ? 3 : 2);
  } else if (!trim(http_charset).empty()) {
    charset = normalize_label(http_charset);
  } else {
    std::string declared = meta_charset(bytes);
    if (!declared.empty()) {
      charset = normalize_label(declared);
      // A page served as UTF-16 cannot declare it in ASCII <meta>; WHATWG says utf-8.
      if (charset.starts_with("utf-16")) charset = "utf-8";
    }
  }
  if (charset.empty()) charset = valid_utf8(bytes) ? "utf-8" : "windows-1252";
  out.encoding = charset;
  if (charset == "utf-8") {
    repair_utf8(bytes, out);
  } else if (!iconv_decode(bytes, charset, out)) {
    out.warnings.push_back("unknown charset \"" + charset + "\"; read as UTF-8");
    out.encoding = "utf-8";
    out.text.clear();
    repair_utf8(bytes, out);
  } else if (charset != "utf-8") {
    // iconv's output is UTF-8 by construction.
  }
  if (out.replaced > 0) {
    out.warnings.push_back(std::to_string(out.replaced) + " invalid byte sequence(s) in " + out.encoding +
                           " replaced by U+FFFD");
  }
  return out;
}

}  // namespace banwatch::html
