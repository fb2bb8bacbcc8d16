#include "common/charset.h"

#include <iconv.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "common/text.h"

namespace banwatch {
namespace {

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// ---------------------------------------------------------------------------
// Labels.

struct Charset {
  std::string_view name;   // canonical (WHATWG) name
  std::string_view iconv;  // glibc iconv name; "" when decoded here
};

constexpr Charset kUtf8{"UTF-8", ""};
constexpr Charset kWindows1252{"windows-1252", ""};
constexpr Charset kUserDefined{"x-user-defined", ""};
constexpr Charset kUtf16{"UTF-16", ""};  // byte order decided per document
constexpr Charset kUtf32{"UTF-32", ""};

// A charset and its labels, compacted (lowercase, letters and digits only),
// separated by spaces.
struct LabelGroup {
  Charset charset;
  std::string_view labels;
};

// The WHATWG Encoding Standard's labels (section 4.2), compacted, plus a few
// aliases Python's codecs accept (feeds declare those too). Legacy CJK labels
// map to the Standard's supersets: GBK and gb2312 decode as GB18030, Big5 as
// Big5-HKSCS, EUC-KR as windows-949, Shift_JIS as windows-31J.
constexpr LabelGroup kLabels[] = {
    // UTF-8
    {kUtf8, "unicode11utf8 unicode20utf8 utf8 xunicode20utf8 u8 utf cp65001"},
    // Single-byte
    {{"IBM866", "IBM866"}, "866 cp866 csibm866 ibm866"},
    {{"ISO-8859-2", "ISO-8859-2"}, "csisolatin2 iso88592 isoir101 iso885921987 l2 latin2"},
    {{"ISO-8859-3", "ISO-8859-3"}, "csisolatin3 iso88593 isoir109 iso885931988 l3 latin3"},
    {{"ISO-8859-4", "ISO-8859-4"}, "csisolatin4 iso88594 isoir110 iso885941988 l4 latin4"},
    {{"ISO-8859-5", "ISO-8859-5"}, "csisolatincyrillic cyrillic iso88595 isoir144 iso885951988"},
    {{"ISO-8859-6", "ISO-8859-6"},
     "arabic asmo708 csiso88596e csiso88596i csisolatinarabic ecma114 iso88596 iso88596e iso88596i isoir127 "
     "iso885961987"},
    {{"ISO-8859-7", "ISO-8859-7"},
     "csisolatingreek ecma118 elot928 greek greek8 iso88597 isoir126 iso885971987 suneugreek"},
    {{"ISO-8859-8", "ISO-8859-8"},
     "csiso88598e csisolatinhebrew hebrew iso88598 iso88598e isoir138 iso885981988 visual"},
    {{"ISO-8859-8-I", "ISO-8859-8"}, "csiso88598i iso88598i logical"},
    {{"ISO-8859-10", "ISO-8859-10"}, "csisolatin6 iso885910 isoir157 l6 latin6"},
    {{"ISO-8859-13", "ISO-8859-13"}, "iso885913 latin7"},
    {{"ISO-8859-14", "ISO-8859-14"}, "iso885914 latin8"},
    {{"ISO-8859-15", "ISO-8859-15"}, "csisolatin9 iso885915 l9 latin9"},
    {{"ISO-8859-16", "ISO-8859-16"}, "iso885916 latin10"},
    {{"KOI8-R", "KOI8-R"}, "cskoi8r koi koi8 koi8r"},
    {{"KOI8-U", "KOI8-U"}, "koi8ru koi8u"},
    {{"macintosh", "MACINTOSH"}, "csmacintosh mac macintosh xmacroman macroman"},
    {{"windows-874", "WINDOWS-874"}, "dos874 iso885911 tis620 windows874 cp874"},
    {{"windows-1250", "CP1250"}, "cp1250 windows1250 xcp1250"},
    {{"windows-1251", "CP1251"}, "cp1251 windows1251 xcp1251"},
    {kWindows1252,
     "ansix341968 ascii cp1252 cp819 csisolatin1 ibm819 iso88591 isoir100 iso885911987 l1 latin1 usascii windows1252 "
     "xcp1252 us isolatin1 csascii 646"},
    {{"windows-1253", "CP1253"}, "cp1253 windows1253 xcp1253"},
    {{"windows-1254", "CP1254"}, "cp1254 csisolatin5 iso88599 isoir148 iso885991989 l5 latin5 windows1254 xcp1254"},
    {{"windows-1255", "CP1255"}, "cp1255 windows1255 xcp1255"},
    {{"windows-1256", "CP1256"}, "cp1256 windows1256 xcp1256"},
    {{"windows-1257", "CP1257"}, "cp1257 windows1257 xcp1257"},
    {{"windows-1258", "CP1258"}, "cp1258 windows1258 xcp1258"},
    {{"x-mac-cyrillic", "MAC-CYRILLIC"}, "xmaccyrillic xmacukrainian maccyrillic"},
    // Chinese
    {{"GBK", "GB18030"}, "chinese csgb2312 csiso58gb231280 gb2312 gb231280 gbk isoir58 xgbk cp936 ms936 euccn"},
    {{"gb18030", "GB18030"}, "gb18030"},
    {{"Big5", "BIG5-HKSCS"}, "big5 big5hkscs cnbig5 csbig5 xxbig5 cp950"},
    {{"ISO-2022-CN", "ISO-2022-CN"}, "iso2022cn"},
    {{"ISO-2022-CN-EXT", "ISO-2022-CN-EXT"}, "iso2022cnext"},
    // Japanese
    {{"EUC-JP", "EUC-JP"}, "cseucpkdfmtjapanese eucjp xeucjp"},
    {{"ISO-2022-JP", "ISO-2022-JP-2"}, "csiso2022jp iso2022jp"},
    {{"Shift_JIS", "CP932"}, "csshiftjis ms932 mskanji shiftjis sjis windows31j xsjis cp932"},
    // Korean
    {{"EUC-KR", "CP949"},
     "cseuckr csksc56011987 euckr isoir149 korean ksc56011987 ksc56011989 ksc5601 windows949 cp949 uhc"},
    {{"ISO-2022-KR", "ISO-2022-KR"}, "csiso2022kr iso2022kr"},
    // Unicode
    {{"UTF-16BE", "UTF-16BE"}, "unicodefffe utf16be"},
    {{"UTF-16LE", "UTF-16LE"}, "csunicode iso10646ucs2 ucs2 unicode unicodefeff utf16le"},
    {kUtf16, "utf16 u16"},
    {kUtf32, "utf32 u32 ucs4 iso10646ucs4"},
    {{"UTF-32LE", "UTF-32LE"}, "utf32le"},
    {{"UTF-32BE", "UTF-32BE"}, "utf32be"},
    {kUserDefined, "xuserdefined"},
    {kUtf32, "csucs4"},
    // EBCDIC, which XML 1.0 Appendix F detects and feedparser decodes.
    {{"IBM037", "IBM037"}, "cp037 ibm037 csibm037 ebcdiccpus ebcdiccpca ebcdiccpnl ebcdiccpwt"},
    {{"IBM500", "IBM500"}, "cp500 ibm500"},
    {{"IBM1047", "IBM1047"}, "cp1047 ibm1047"},
};

// Lowercase letters and digits only; "" when the label is implausibly long.
std::string compact_label(std::string_view label) {
  std::string out;
  label = trim_html_space(label);
  if (label.size() > 64) return out;
  for (char c : label) {
    char l = ascii_lower(c);
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) out.push_back(l);
  }
  return out;
}

std::optional<Charset> lookup(std::string_view label) {
  const std::string key = compact_label(label);
  if (key.empty()) return std::nullopt;
  for (const auto& group : kLabels) {
    for (std::string_view rest = group.labels; !rest.empty();) {
      const std::size_t space = rest.find(' ');
      if (rest.substr(0, space) == key) return group.charset;
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// UTF-8.

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// ---------------------------------------------------------------------------
// Single-byte charsets decode through a 256-entry table of UTF-8 forms, built
// per call (from iconv, one byte at a time), which is an order of magnitude
// faster than iconv over the whole text. windows-1252, the most common legacy
// charset, has its table here: glibc rejects its five unassigned bytes, which
// the Encoding Standard maps to the C1 controls.

constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

// One byte's UTF-8 form; len 0 marks an unassigned byte.
struct ByteForm {
  char utf8[3] = {};
  std::uint8_t len = 0;  // kept last so the form copies as one 4-byte word
};
static_assert(sizeof(ByteForm) == 4);
using ByteTable = std::array<ByteForm, 256>;

void set_form(ByteForm& form, char32_t cp) {
  std::string encoded;
  append_utf8(encoded, cp);
  form.len = static_cast<std::uint8_t>(encoded.size());
  std::memcpy(form.utf8, encoded.data(), encoded.size());
}

ByteTable ascii_table() {
  ByteTable table{};
  for (int b = 0; b < 0x80; ++b) set_form(table[b], static_cast<char32_t>(b));
  return table;
}

ByteTable windows1252_table() {
  ByteTable table = ascii_table();
  for (int b = 0x80; b < 0x100; ++b)
    set_form(table[b], b < 0xA0 ? kWindows1252High[b - 0x80] : static_cast<char32_t>(b));
  return table;
}

// The Encoding Standard's x-user-defined: high bytes to U+F780..U+F7FF.
ByteTable user_defined_table() {
  ByteTable table = ascii_table();
  for (int b = 0x80; b < 0x100; ++b) set_form(table[b], 0xF780 + (b - 0x80));
  return table;
}

// Charsets whose every byte is one character and whose low half is ASCII.
// windows-1258 is left to iconv: glibc composes its combining marks with the
// preceding letter, which a per-byte table cannot do.
bool is_single_byte(std::string_view name) {
  return (name.starts_with("ISO-8859-") || name.starts_with("windows-") || name.starts_with("KOI8-") ||
          name == "IBM866" || name == "macintosh" || name == "x-mac-cyrillic") &&
         name != "windows-1258";
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// The table of a single-byte charset from iconv; nullopt when iconv lacks it
// or answers in a way a table cannot hold.
std::optional<ByteTable> iconv_byte_table(std::string_view iconv_name) {
  const std::string name(iconv_name);
  iconv_t raw = iconv_open("UTF-8", name.c_str());
  if (raw == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::unique_ptr<void, IconvCloser> cd(raw);
  ByteTable table = ascii_table();
  for (int b = 0x80; b < 0x100; ++b) {
    char in_byte = static_cast<char>(b);
    char* in = &in_byte;
    std::size_t in_left = 1;
    char out[8];
    char* out_ptr = out;
    std::size_t out_left = sizeof(out);
    const std::size_t rc = iconv(raw, &in, &in_left, &out_ptr, &out_left);
    if (rc == static_cast<std::size_t>(-1)) {
      iconv(raw, nullptr, nullptr, nullptr, nullptr);  // reset after the error
      continue;                                        // unassigned: len 0
    }
    const std::size_t produced = sizeof(out) - out_left;
    if (produced == 0 || produced > 3) return std::nullopt;
    table[b].len = static_cast<std::uint8_t>(produced);
    std::memcpy(table[b].utf8, out, produced);
  }
  return table;
}

// Decodes with a byte table; returns how many bytes were unassigned.
std::size_t decode_single_byte(std::string_view s, const ByteTable& table, std::string& out) {
  std::size_t length = 0;
  for (char ch : s) {
    const ByteForm& form = table[static_cast<unsigned char>(ch)];
    length += form.len == 0 ? kReplacement.size() : form.len;
  }
  const std::size_t start = out.size();
  // Each form is stored with a fixed 4-byte copy; the slack absorbs the
  // last one's overhang.
  out.resize(start + length + sizeof(ByteForm));
  char* p = out.data() + start;
  std::size_t replaced = 0;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      *p++ = ch;
      continue;
    }
    const ByteForm& form = table[c];
    if (form.len == 0) {
      std::memcpy(p, kReplacement.data(), kReplacement.size());
      p += kReplacement.size();
      ++replaced;
    } else {
      std::memcpy(p, &form, sizeof(ByteForm));
      p += form.len;
    }
  }
  out.resize(start + length);
  return replaced;
}

// Converts through glibc iconv, replacing each undecodable unit with U+FFFD.
Result<std::size_t> decode_iconv(std::string_view s, std::string_view from, std::size_t unit, std::string& out) {
  const std::string from_name(from);
  iconv_t raw = iconv_open("UTF-8", from_name.c_str());
  if (raw == reinterpret_cast<iconv_t>(-1))
    return fail(ErrorCode::kUnsupported, fmt::format("charset {} is not available in this system's iconv", from_name));
  std::unique_ptr<void, IconvCloser> cd(raw);
  std::size_t replaced = 0;
  out.reserve(out.size() + s.size() * 3 / 2 + 16);
  std::string buffer(s.size() * 2 + 64, '\0');
  char* in = const_cast<char*>(s.data());  // iconv's signature; the input is not written
  std::size_t in_left = s.size();
  while (true) {
    char* out_ptr = buffer.data();
    std::size_t out_left = buffer.size();
    const std::size_t rc = in_left == 0 ? iconv(raw, nullptr, nullptr, &out_ptr, &out_left)
                                        : iconv(raw, &in, &in_left, &out_ptr, &out_left);
    const int err = errno;
    out.append(buffer.data(), buffer.size() - out_left);
    if (rc != static_cast<std::size_t>(-1)) {
      if (in_left == 0) {
        // Flush a stateful decoder once the input is used up.
        out_ptr = buffer.data();
        out_left = buffer.size();
        iconv(raw, nullptr, nullptr, &out_ptr, &out_left);
        out.append(buffer.data(), buffer.size() - out_left);
        break;
      }
      continue;
    }
    if (err == E2BIG) continue;
    if (err == EILSEQ) {
      // The Encoding Standard's gb18030 decoder reads a lone 0x80 as the euro
      // sign (Windows code page 936 does); glibc's GB18030 rejects it.
      if (from == "GB18030" && static_cast<unsigned char>(*in) == 0x80) {
        out.append("\xE2\x82\xAC");
        ++in;
        --in_left;
        continue;
      }
      out.append(kReplacement);
      ++replaced;
      const std::size_t skip = std::min(unit, in_left);
      in += skip;
      in_left -= skip;
      continue;
    }
    if (err == EINVAL) {  // a sequence cut off by the end of the input
      out.append(kReplacement);
      ++replaced;
      break;
    }
    return fail(ErrorCode::kInternal, fmt::format("iconv from {} failed with errno {}", from_name, err));
  }
  return replaced;
}

// Byte order of BOM-less UTF-16/32 from where the zero bytes sit in the
// first characters (markup starts with ASCII).
Charset utf16_order(std::string_view s) {
  std::size_t even_zero = 0, odd_zero = 0;
  const std::size_t n = std::min<std::size_t>(s.size() & ~std::size_t{1}, 512);
  for (std::size_t i = 0; i < n; i += 2) {
    even_zero += s[i] == '\0';
    odd_zero += s[i + 1] == '\0';
  }
  if (even_zero > odd_zero) return {"UTF-16BE", "UTF-16BE"};
  return {"UTF-16LE", "UTF-16LE"};
}

Charset utf32_order(std::string_view s) {
  if (s.size() >= 4 && s[0] == '\0' && s[1] == '\0' && s[3] != '\0') return {"UTF-32BE", "UTF-32BE"};
  return {"UTF-32LE", "UTF-32LE"};
}

std::size_t code_unit_size(std::string_view name) {
  if (name.starts_with("UTF-16")) return 2;
  if (name.starts_with("UTF-32")) return 4;
  return 1;
}

bool same_family(std::string_view bom, std::string_view declared) {
  if (bom == declared) return true;
  return (declared == "UTF-16" && bom.starts_with("UTF-16")) || (declared == "UTF-32" && bom.starts_with("UTF-32"));
}

// ---------------------------------------------------------------------------
// Prescan helpers (HTML Standard 13.2.3.2).

// "get an attribute": returns false when there are no more attributes.
bool get_attribute(std::string_view s, std::size_t& i, std::string& name, std::string& value) {
  name.clear();
  value.clear();
  while (i < s.size() && (is_html_space(s[i]) || s[i] == '/')) ++i;
  if (i >= s.size() || s[i] == '>') return false;
  // The name.
  while (i < s.size()) {
    const char c = s[i];
    if (c == '=' && !name.empty()) break;
    if (is_html_space(c)) break;
    if (c == '/' || c == '>') return true;
    name.push_back(ascii_lower(c));
    ++i;
  }
  while (i < s.size() && is_html_space(s[i])) ++i;
  if (i >= s.size() || s[i] != '=') return true;
  ++i;
  while (i < s.size() && is_html_space(s[i])) ++i;
  if (i >= s.size()) return true;
  if (s[i] == '"' || s[i] == '\'') {
    const char quote = s[i++];
    while (i < s.size() && s[i] != quote) value.push_back(ascii_lower(s[i++]));
    if (i < s.size()) ++i;
    return true;
  }
  if (s[i] == '>') return true;
  while (i < s.size() && !is_html_space(s[i]) && s[i] != '>') value.push_back(ascii_lower(s[i++]));
  return true;
}

// "extracting a character encoding from a meta element".
std::string charset_from_meta_content(std::string_view s) {
  std::size_t i = 0;
  while (true) {
    const std::size_t at = [&] {
      for (std::size_t k = i; k + 7 <= s.size(); ++k)
        if (ascii_iequals(s.substr(k, 7), "charset")) return k;
      return std::string_view::npos;
    }();
    if (at == std::string_view::npos) return {};
    i = at + 7;
    while (i < s.size() && is_html_space(s[i])) ++i;
    if (i >= s.size() || s[i] != '=') continue;
    ++i;
    while (i < s.size() && is_html_space(s[i])) ++i;
    if (i >= s.size()) return {};
    if (s[i] == '"' || s[i] == '\'') {
      const char quote = s[i];
      const std::size_t end = s.find(quote, i + 1);
      if (end == std::string_view::npos) return {};
      return std::string(s.substr(i + 1, end - i - 1));
    }
    std::size_t end = i;
    while (end < s.size() && !is_html_space(s[end]) && s[end] != ';') ++end;
    return std::string(s.substr(i, end - i));
  }
}

// ---------------------------------------------------------------------------
// The XML declaration, read as ASCII from any of the Appendix F forms.

enum class XmlForm { kAscii, kUtf16LE, kUtf16BE, kUtf32LE, kUtf32BE };

std::string declaration_ascii(std::string_view s, XmlForm form) {
  // Bytes a character takes, and where its low byte is, in XmlForm's order.
  static constexpr std::pair<std::size_t, std::size_t> kStrides[] = {{1, 0}, {2, 0}, {2, 1}, {4, 0}, {4, 3}};
  const auto [step, offset] = kStrides[static_cast<std::size_t>(form)];
  std::string out;
  for (std::size_t i = 0; i + step <= s.size() && out.size() < 512; i += step) {
    for (std::size_t k = 0; k < step; ++k)
      if (k != offset && s[i + k] != '\0') return out;  // not ASCII in this form
    const char c = s[i + offset];
    out.push_back(c);
    if (c == '>') break;
  }
  return out;
}

std::string encoding_pseudo_attribute(std::string_view decl) {
  if (decl.size() < 6 || decl.substr(0, 5) != "<?xml" || !is_html_space(decl[5])) return {};
  const std::size_t end = decl.find("?>");
  if (end != std::string_view::npos) decl = decl.substr(0, end);
  std::size_t i = decl.find("encoding");
  while (i != std::string_view::npos) {
    std::size_t k = i + 8;
    if (i > 0 && !is_html_space(decl[i - 1])) {
      i = decl.find("encoding", k);
      continue;
    }
    while (k < decl.size() && is_html_space(decl[k])) ++k;
    if (k >= decl.size() || decl[k] != '=') {
      i = decl.find("encoding", k);
      continue;
    }
    ++k;
    while (k < decl.size() && is_html_space(decl[k])) ++k;
    if (k >= decl.size() || (decl[k] != '"' && decl[k] != '\'')) return {};
    const char quote = decl[k];
    const std::size_t close = decl.find(quote, k + 1);
    if (close == std::string_view::npos) return {};
    return std::string(trim_html_space(decl.substr(k + 1, close - k - 1)));
  }
  return {};
}

// Code points that are NFC_Quick_Check=Yes with canonical combining class 0
// in blocks that make up most news text: text made only of them is already
// in NFC (UAX #15 section 9), so utf8proc is skipped. Anything else (combining
// marks, Hangul jamo, compatibility singletons) takes the full path.
bool nfc_stable(char32_t cp) {
  return cp < 0x300 ||                      // Latin, Latin-1, Latin Extended-A/B, IPA
         (cp >= 0x400 && cp <= 0x482) ||    // Cyrillic letters
         (cp >= 0x48A && cp <= 0x52F) ||    // Cyrillic letters, supplement
         (cp >= 0x5D0 && cp <= 0x5EA) ||    // Hebrew letters
         (cp >= 0x621 && cp <= 0x64A) ||    // Arabic letters
         (cp >= 0x2010 && cp <= 0x2027) ||  // dashes, quotes, bullets, ellipsis
         (cp >= 0x2030 && cp <= 0x205E) ||  // per mille, primes, guillemets
         (cp >= 0x20A0 && cp <= 0x20BF) ||  // currency signs
         (cp >= 0x3000 && cp <= 0x3029) ||  // CJK punctuation
         (cp >= 0x3041 && cp <= 0x3096) ||  // hiragana
         (cp >= 0x30A1 && cp <= 0x30FA) ||  // katakana
         (cp >= 0x4E00 && cp <= 0x9FFF) ||  // CJK unified ideographs
         (cp >= 0xAC00 && cp <= 0xD7A3) ||  // Hangul syllables
         (cp >= 0xFF01 && cp <= 0xFF5E);    // fullwidth ASCII
}

// True when valid UTF-8 `s` is certainly in NFC already.
bool is_nfc_quick(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    if (c < 0xE0) {
      cp = (char32_t{c} & 0x1F) << 6 | (p[i + 1] & 0x3F);
      i += 2;
    } else if (c < 0xF0) {
      cp = (char32_t{c} & 0x0F) << 12 | char32_t{p[i + 1] & 0x3Fu} << 6 | (p[i + 2] & 0x3F);
      i += 3;
    } else {
      return false;  // outside the listed blocks
    }
    if (!nfc_stable(cp)) return false;
  }
  return true;
}

}  // namespace

std::string canonical_charset(std::string_view label) {
  auto cs = lookup(label);
  return cs ? std::string(cs->name) : std::string();
}

std::string_view sniff_bom(std::string_view b) {
  auto at = [&](std::size_t i) { return byte_at(b, i); };
  if (b.size() >= 4 && at(0) == 0xFF && at(1) == 0xFE && at(2) == 0 && at(3) == 0) return "UTF-32LE";
  if (b.size() >= 4 && at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF) return "UTF-32BE";
  if (b.size() >= 3 && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return "UTF-8";
  if (b.size() >= 2 && at(0) == 0xFF && at(1) == 0xFE) return "UTF-16LE";
  if (b.size() >= 2 && at(0) == 0xFE && at(1) == 0xFF) return "UTF-16BE";
  return "";
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  auto continuation = [&](std::size_t k) { return (p[k] & 0xC0) == 0x80; };
  while (i < n) {
    if (p[i] < 0x80) {
      // Eight ASCII bytes at a time.
      while (i + 8 <= n) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        if (word & 0x8080808080808080ULL) break;
        i += 8;
      }
      while (i < n && p[i] < 0x80) ++i;
      continue;
    }
    const unsigned char c = p[i];
    if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 >= n || !continuation(i + 1)) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 >= n || !continuation(i + 1) || !continuation(i + 2)) return false;
      if (c == 0xE0 && p[i + 1] < 0xA0) return false;  // overlong
      if (c == 0xED && p[i + 1] > 0x9F) return false;  // surrogate
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (i + 3 >= n || !continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return false;
      if (c == 0xF0 && p[i + 1] < 0x90) return false;  // overlong
      if (c == 0xF4 && p[i + 1] > 0x8F) return false;  // above U+10FFFF
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

Result<Decoded> to_utf8(std::string_view bytes, std::string_view charset) {
  Decoded result;
  std::optional<Charset> cs;
  const std::string_view bom = sniff_bom(bytes);
  const std::string_view label = trim_html_space(charset);
  std::optional<Charset> declared;
  if (!label.empty()) declared = lookup(label);
  if (!bom.empty()) {
    cs = lookup(bom);
    bytes.remove_prefix(bom == "UTF-8" ? 3 : bom.starts_with("UTF-16") ? 2 : 4);
    if (!label.empty() && (!declared || !same_family(bom, declared->name)))
      result.warnings.push_back(
          fmt::format("byte order mark says {} but the declared charset is {}; decoded as {}", bom, label, bom));
  } else if (label.empty()) {
    if (is_valid_utf8(bytes)) {
      cs = kUtf8;
    } else {
      cs = kWindows1252;
      result.warnings.push_back("no charset declared and the bytes are not UTF-8; decoded as windows-1252");
    }
  } else {
    if (!declared) return fail(ErrorCode::kUnsupported, fmt::format("unsupported charset \"{}\"", label));
    cs = declared;
  }
  if (cs->name == "UTF-16") cs = utf16_order(bytes);
  if (cs->name == "UTF-32") cs = utf32_order(bytes);
  result.encoding = std::string(cs->name);

  if (cs->name == "UTF-8") {
    if (is_valid_utf8(bytes)) {
      result.text.assign(bytes);
    } else {
      result.replaced = repair_utf8(bytes, result.text);
    }
  } else if (cs->name == "windows-1252") {
    decode_single_byte(bytes, windows1252_table(), result.text);
  } else if (cs->name == "x-user-defined") {
    decode_single_byte(bytes, user_defined_table(), result.text);
  } else if (auto table = is_single_byte(cs->name) ? iconv_byte_table(cs->iconv) : std::nullopt) {
    result.replaced = decode_single_byte(bytes, *table, result.text);
  } else {
    auto replaced = decode_iconv(bytes, cs->iconv, code_unit_size(cs->name), result.text);
    if (!replaced) return std::unexpected(replaced.error());
    result.replaced = *replaced;
    // A BOM-less UTF-16/32 body may still carry a BOM after an explicit
    // label ("UTF-16LE" + FF FE): never keep U+FEFF at the start.
  }
  if (result.text.starts_with("\xEF\xBB\xBF")) result.text.erase(0, 3);
  if (result.replaced > 0)
    result.warnings.push_back(fmt::format("{} invalid byte sequence{} in {} input replaced with U+FFFD",
                                          result.replaced, result.replaced == 1 ? "" : "s", result.encoding));
  return result;
}

Decoded decode_html(std::string_view bytes, std::string_view http_charset) {
  std::vector<std::string> notes;
  std::string chosen;
  std::string_view source;
  if (!sniff_bom(bytes).empty()) {
    chosen = std::string(sniff_bom(bytes));
    source = "byte order mark";
  }
  if (chosen.empty() && !trim_html_space(http_charset).empty()) {
    if (auto cs = lookup(http_charset)) {
      chosen = std::string(cs->name);
      source = "HTTP charset";
    } else {
      notes.push_back(fmt::format("unknown HTTP charset \"{}\" ignored", trim_html_space(http_charset)));
    }
  }
  if (chosen == "UTF-8" && source == "HTTP charset" && !is_valid_utf8(bytes)) {
    // Servers often send a default "charset=UTF-8" for pages written in a
    // legacy charset their <meta> names; bytes that are not UTF-8 prove the
    // header wrong, and the page's own declaration is the better witness.
    std::string meta = html_meta_charset(bytes);
    if (!meta.empty() && meta != "UTF-8") {
      notes.push_back(
          fmt::format("HTTP charset says UTF-8 but the bytes are not UTF-8; decoded as {} from <meta>", meta));
      chosen = std::move(meta);
      source = "<meta> charset";
    }
  }
  if (chosen.empty()) {
    chosen = html_meta_charset(bytes);
    if (!chosen.empty()) source = "<meta> charset";
  }
  if (chosen.empty()) {
    chosen = is_valid_utf8(bytes) ? "UTF-8" : "windows-1252";
    source = "";
  }
  if (chosen == "windows-1252" && !source.empty() && is_valid_utf8(bytes) && !is_ascii(bytes)) {
    notes.push_back(fmt::format("{} says windows-1252 but the bytes are valid UTF-8; decoded as UTF-8", source));
    chosen = "UTF-8";
  }
  // A BOM decides inside to_utf8 as well; every label here is known, so the
  // conversion cannot fail, but stay total if it ever does.
  auto decoded = to_utf8(bytes, chosen);
  if (!decoded) {
    Decoded fallback;
    fallback.encoding = "windows-1252";
    decode_single_byte(bytes, windows1252_table(), fallback.text);
    fallback.warnings.push_back(decoded.error().message + "; decoded as windows-1252");
    decoded = std::move(fallback);
  }
  if (source.empty() && decoded->encoding == "windows-1252")
    notes.push_back("no charset declared and the bytes are not UTF-8; decoded as windows-1252");
  for (auto& w : decoded->warnings) notes.push_back(std::move(w));
  decoded->warnings = std::move(notes);
  return std::move(*decoded);
}

std::string xml_declared_encoding(std::string_view bytes) {
  const std::string_view bom = sniff_bom(bytes);
  XmlForm form = XmlForm::kAscii;
  bool sniffed_wide = false;
  if (!bom.empty()) {
    if (bom == "UTF-8") bytes.remove_prefix(3);
    if (bom == "UTF-16LE") form = XmlForm::kUtf16LE, bytes.remove_prefix(2);
    if (bom == "UTF-16BE") form = XmlForm::kUtf16BE, bytes.remove_prefix(2);
    if (bom == "UTF-32LE") form = XmlForm::kUtf32LE, bytes.remove_prefix(4);
    if (bom == "UTF-32BE") form = XmlForm::kUtf32BE, bytes.remove_prefix(4);
  } else if (bytes.size() >= 4) {
    // XML 1.0 Appendix F.1: the first four bytes of "<?" in each form.
    const std::string_view head = bytes.substr(0, 4);
    if (head == std::string_view("\0\0\0<", 4)) form = XmlForm::kUtf32BE, sniffed_wide = true;
    if (head == std::string_view("<\0\0\0", 4)) form = XmlForm::kUtf32LE, sniffed_wide = true;
    if (head == std::string_view("\0<\0?", 4)) form = XmlForm::kUtf16BE, sniffed_wide = true;
    if (head == std::string_view("<\0?\0", 4)) form = XmlForm::kUtf16LE, sniffed_wide = true;
  }
  if (form == XmlForm::kAscii) {
    // Lenient: whitespace before the declaration (not allowed by XML 1.0
    // section 2.8, but common in generated feeds).
    std::size_t lead = 0;
    while (lead < bytes.size() && lead < 1024 && is_html_space(bytes[lead])) ++lead;
    bytes.remove_prefix(lead);
  }
  if (bom.empty() && bytes.starts_with("\x4C\x6F\xA7\x94")) {
    // "<?xm" in EBCDIC (Appendix F.1): read the declaration through IBM037,
    // whose invariant characters cover everything a declaration may hold.
    std::string head;
    if (decode_iconv(bytes.substr(0, 512), "IBM037", 1, head)) {
      std::string declared = encoding_pseudo_attribute(declaration_ascii(head, XmlForm::kAscii));
      return declared.empty() ? std::string("IBM037") : declared;
    }
    return "IBM037";
  }
  std::string declared = encoding_pseudo_attribute(declaration_ascii(bytes, form));
  if (!sniffed_wide) return declared;
  std::string_view detected = form == XmlForm::kUtf16LE   ? "UTF-16LE"
                              : form == XmlForm::kUtf16BE ? "UTF-16BE"
                              : form == XmlForm::kUtf32LE ? "UTF-32LE"
                                                          : "UTF-32BE";
  const auto cs = lookup(declared);
  if (cs && code_unit_size(cs->name) == code_unit_size(detected)) return declared;
  return std::string(detected);
}

std::string html_meta_charset(std::string_view bytes, std::size_t limit) {
  const std::string_view s = bytes.substr(0, std::min(bytes.size(), limit));
  std::size_t i = 0;
  std::string name, value;
  while (i < s.size()) {
    if (s.substr(i).starts_with("<!--")) {
      const std::size_t end = s.find("-->", i + 2);
      if (end == std::string_view::npos) return {};
      i = end + 3;
      continue;
    }
    if (s.size() - i >= 6 && ascii_iequals(s.substr(i, 5), "<meta") && (is_html_space(s[i + 5]) || s[i + 5] == '/')) {
      i += 5;
      bool got_pragma = false;
      std::optional<bool> need_pragma;
      std::string charset;
      bool seen_http_equiv = false, seen_content = false, seen_charset = false;
      while (get_attribute(s, i, name, value)) {
        if (name == "http-equiv" && !seen_http_equiv) {
          seen_http_equiv = true;
          if (value == "content-type") got_pragma = true;
        } else if (name == "content" && !seen_content) {
          seen_content = true;
          if (charset.empty()) {
            std::string found = charset_from_meta_content(value);
            if (!found.empty()) {
              charset = std::move(found);
              need_pragma = true;
            }
          }
        } else if (name == "charset" && !seen_charset) {
          seen_charset = true;
          charset = value;
          need_pragma = false;
        }
      }
      if (!need_pragma || (*need_pragma && !got_pragma) || charset.empty()) continue;
      const auto cs = lookup(charset);
      if (!cs) continue;
      if (cs->name.starts_with("UTF-16") || cs->name.starts_with("UTF-32")) return "UTF-8";
      if (cs->name == "x-user-defined") return "windows-1252";
      return std::string(cs->name);
    }
    if (s[i] == '<' && i + 1 < s.size() &&
        (is_ascii_alpha(s[i + 1]) || (s[i + 1] == '/' && i + 2 < s.size() && is_ascii_alpha(s[i + 2])))) {
      // Another tag: skip its name and attributes, so "<" or "meta" inside
      // attribute values is not mistaken for markup.
      ++i;
      while (i < s.size() && !is_html_space(s[i]) && s[i] != '>') ++i;
      while (get_attribute(s, i, name, value)) {
      }
      if (i < s.size()) ++i;
      continue;
    }
    if (s[i] == '<' && i + 1 < s.size() && (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
      const std::size_t end = s.find('>', i + 1);
      if (end == std::string_view::npos) return {};
      i = end + 1;
      continue;
    }
    ++i;
  }
  return {};
}

std::string charset_from_content_type(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  while (semi != std::string_view::npos) {
    std::size_t i = semi + 1;
    const std::size_t next = [&] {
      // Find the parameter's end, skipping a quoted value.
      std::size_t k = i;
      bool quoted = false;
      for (; k < content_type.size(); ++k) {
        const char c = content_type[k];
        if (quoted && c == '\\') {
          ++k;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == ';' && !quoted) {
          return k;
        }
      }
      return std::string_view::npos;
    }();
    std::string_view param = content_type.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
    semi = next;
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (!ascii_iequals(trim_html_space(param.substr(0, eq)), "charset")) continue;
    std::string_view raw = trim_html_space(param.substr(eq + 1));
    std::string value;
    if (!raw.empty() && raw.front() == '"') {
      for (std::size_t k = 1; k < raw.size() && raw[k] != '"'; ++k) {
        if (raw[k] == '\\' && k + 1 < raw.size()) ++k;
        value.push_back(raw[k]);
      }
    } else {
      value = std::string(raw);
    }
    value = std::string(trim_html_space(value));
    if (!value.empty()) return value;
  }
  return {};
}

std::string nfc(std::string_view utf8) {
  std::string valid;
  if (!is_valid_utf8(utf8)) {
    repair_utf8(utf8, valid);
    utf8 = valid;
  }
  if (is_nfc_quick(utf8)) return std::string(utf8);
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t len =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()), static_cast<utf8proc_ssize_t>(utf8.size()),
                   &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (len < 0) {
    std::free(out);
    return std::string(utf8);
  }
  std::string result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
  std::free(out);
  return result;
}

namespace {

// The next character of `text` at `pos`: its byte length and its columns.
std::pair<std::size_t, std::size_t> next_character(std::string_view text, std::size_t pos) {
  utf8proc_int32_t point = 0;
  const utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                                              static_cast<utf8proc_ssize_t>(text.size() - pos), &point);
  if (n <= 0) return {1, 1};
  const int columns = utf8proc_charwidth(point);
  return {static_cast<std::size_t>(n), columns < 0 ? 0 : static_cast<std::size_t>(columns)};
}

}  // namespace

std::size_t display_width(std::string_view utf8) {
  std::size_t columns = 0;
  for (std::size_t pos = 0; pos < utf8.size();) {
    const auto [bytes, width] = next_character(utf8, pos);
    pos += bytes;
    columns += width;
  }
  return columns;
}

std::string fit_width(std::string_view utf8, std::size_t width) {
  const std::size_t columns = display_width(utf8);
  if (columns <= width) return std::string(utf8) + std::string(width - columns, ' ');
  if (width == 0) return {};
  std::size_t pos = 0, used = 0;
  while (pos < utf8.size()) {  // keep what fits in width - 1 columns, then the ellipsis
    const auto [bytes, w] = next_character(utf8, pos);
    if (used + w > width - 1) break;
    pos += bytes;
    used += w;
  }
  // Combining marks that follow the last kept character stay with it.
  while (pos < utf8.size()) {
    const auto [bytes, w] = next_character(utf8, pos);
    if (w != 0) break;
    pos += bytes;
  }
  return std::string(utf8.substr(0, pos)) + "…" + std::string(width - 1 - used, ' ');
}

}  // namespace banwatch
