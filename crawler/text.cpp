#include "crawler/text.h"

#include <openssl/evp.h>

#include <cctype>
#include <cstdint>
#include <cstring>

namespace banwatch::crawler {
namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

struct NamedEntity {
  const char* name;
  std::uint32_t cp;
};
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},     {"apos", '\''},    {"nbsp", 0xA0},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"hellip", 0x2026}, {"rsquo", 0x2019}, {"lsquo", 0x2018}, {"rdquo", 0x201D},
    {"ldquo", 0x201C}, {"euro", 0x20AC},  {"pound", 0xA3},    {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},
    {"laquo", 0xAB},   {"raquo", 0xBB},   {"eacute", 0xE9},   {"egrave", 0xE8},  {"uuml", 0xFC},    {"ouml", 0xF6},
    {"auml", 0xE4},    {"szlig", 0xDF},   {"ccedil", 0xE7},   {"aacute", 0xE1},  {"iacute", 0xED},  {"oacute", 0xF3},
    {"uacute", 0xFA},  {"ntilde", 0xF1},  {"middot", 0xB7},   {"bull", 0x2022},  {"deg", 0xB0},
};

bool is_block_tag(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {
      "p",  "br",    "div",        "li",      "ul",      "ol",     "h1",     "h2",  "h3", "h4", "h5", "h6",
      "tr", "table", "blockquote", "section", "article", "header", "footer", "pre", "hr", "dd", "dt", "figcaption"};
  for (auto b : kBlocks)
    if (name == b) return true;
  return false;
}

}  // namespace

std::string html_fragment_to_text(std::string_view html) {
  std::string raw;
  raw.reserve(html.size());
  std::size_t i = 0;
  const std::size_t n = html.size();
  while (i < n) {
    char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        auto end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? n : end + 3;
        continue;
      }
      if (html.substr(i, 9) == "<![CDATA[") {
        auto end = html.find("]]>", i + 9);
        std::size_t stop = end == std::string_view::npos ? n : end;
        raw.append(html.substr(i + 9, stop - i - 9));
        i = end == std::string_view::npos ? n : end + 3;
        continue;
      }
      std::size_t j = i + 1;
      bool closing = j < n && html[j] == '/';
      if (closing) ++j;
      std::size_t name_start = j;
      while (j < n && (std::isalnum(static_cast<unsigned char>(html[j])))) ++j;
      if (j == name_start) {  // a lone '<' is text
        raw += c;
        ++i;
        continue;
      }
      std::string name(html.substr(name_start, j - name_start));
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      auto end = html.find('>', j);
      i = end == std::string_view::npos ? n : end + 1;
      if (!closing && (name == "script" || name == "style")) {
        std::string close = "</" + name;
        // Case-insensitive search for the closing tag.
        std::size_t k = i;
        while (k < n) {
          auto lt = html.find("</", k);
          if (lt == std::string_view::npos) {
            k = n;
            break;
          }
          bool match = lt + close.size() <= n;
          for (std::size_t m = 0; match && m < close.size(); ++m)
            match = std::tolower(static_cast<unsigned char>(html[lt + m])) == close[m];
          if (match) {
            auto gt = html.find('>', lt);
            k = gt == std::string_view::npos ? n : gt + 1;
            break;
          }
          k = lt + 2;
        }
        i = k;
        continue;
      }
      if (is_block_tag(name))
        raw += "\n\n";
      else
        raw += ' ';
      continue;
    }
    if (c == '&') {
      auto semi = html.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view ref = html.substr(i + 1, semi - i - 1);
        bool decoded = false;
        if (!ref.empty() && ref[0] == '#') {
          std::uint32_t cp = 0;
          bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
          std::string_view digits = ref.substr(hex ? 2 : 1);
          bool valid = !digits.empty();
          for (char d : digits) {
            int v = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                    : hex && std::isxdigit(static_cast<unsigned char>(d))
                        ? std::tolower(static_cast<unsigned char>(d)) - 'a' + 10
                        : -1;
            if (v < 0) {
              valid = false;
              break;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
            if (cp > 0x10FFFF) cp = 0x110000;
          }
          if (valid) {
            append_utf8(raw, cp);
            decoded = true;
          }
        } else {
          for (const auto& e : kEntities) {
            if (ref == e.name) {
              append_utf8(raw, e.cp);
              decoded = true;
              break;
            }
          }
        }
        if (decoded) {
          i = semi + 1;
          continue;
        }
      }
    }
    raw += c;
    ++i;
  }

  // Collapse white space; keep paragraph breaks as exactly "\n\n".
  std::string out;
  out.reserve(raw.size());
  int pending_newlines = 0;
  bool pending_space = false;
  for (std::size_t k = 0; k < raw.size(); ++k) {
    unsigned char ch = static_cast<unsigned char>(raw[k]);
    // U+00A0 no-break space is white space here.
    if (ch == 0xC2 && k + 1 < raw.size() && static_cast<unsigned char>(raw[k + 1]) == 0xA0) {
      pending_space = true;
      ++k;
      continue;
    }
    if (ch == '\n') {
      ++pending_newlines;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
      pending_space = true;
      continue;
    }
    if (!out.empty()) {
      if (pending_newlines >= 2)
        out += "\n\n";
      else if (pending_newlines == 1 || pending_space)
        out += ' ';
    }
    pending_newlines = 0;
    pending_space = false;
    out += static_cast<char>(ch);
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace banwatch::crawler
