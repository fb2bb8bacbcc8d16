// Small text functions of the feed reader: telling HTML from text, repairing
// ampersands and windows-1252 controls, resolving URLs in HTML.
#include <fmt/format.h>

#include "common/url.h"
#include "feeds/internal.h"

namespace banwatch::feeds::internal {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

bool looks_like_html(std::string_view text) {
  // An end tag "</name>" or a character/entity reference "&name;" / "&#123;".
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '<' && text[i + 1] == '/' && is_alpha(text[i + 2])) {
      std::size_t j = i + 2;
      while (j < text.size() && (is_alpha(text[j]) || is_digit(text[j]))) ++j;
      if (j < text.size() && text[j] == '>') return true;
    } else if (text[i] == '&') {
      std::size_t j = i + 1;
      if (text[j] == '#') ++j;
      std::size_t start = j;
      while (j < text.size() && (is_alpha(text[j]) || is_digit(text[j]))) ++j;
      if (j > start && j < text.size() && text[j] == ';') return true;
    }
  }
  return false;
}

bool escape_bare_ampersands(std::string_view text, std::string& out, std::size_t& fixed) {
  fixed = 0;
  std::size_t copied = 0;  // text[0, copied) already in out
  std::size_t i = 0;
  auto valid_reference = [&](std::size_t at) {
    std::size_t j = at + 1;
    if (j < text.size() && text[j] == '#') {
      ++j;
      bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
      if (hex) ++j;
      std::size_t start = j;
      while (j < text.size() && (hex ? is_hex(text[j]) : is_digit(text[j]))) ++j;
      return j > start && j < text.size() && text[j] == ';';
    }
    std::size_t start = j;
    // XML Name characters, ASCII subset plus anything non-ASCII.
    while (j < text.size() && (is_alpha(text[j]) || is_digit(text[j]) || text[j] == '_' || text[j] == '-' ||
                               text[j] == '.' || text[j] == ':' || static_cast<unsigned char>(text[j]) >= 0x80)) {
      ++j;
    }
    return j > start && j < text.size() && text[j] == ';' && !is_digit(text[start]);
  };
  std::size_t next_bang = text.find("<!");
  while (i < text.size()) {
    std::size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) break;
    // CDATA sections and comments before the ampersand hide what they hold.
    while (next_bang < amp) {
      std::size_t skip_to = next_bang + 2;
      std::string_view rest = text.substr(next_bang);
      std::string_view closer = rest.starts_with("<![CDATA[") ? "]]>" : rest.starts_with("<!--") ? "-->" : "";
      if (!closer.empty()) {
        std::size_t end = text.find(closer, next_bang + 4);
        skip_to = end == std::string_view::npos ? text.size() : end + closer.size();
      }
      if (skip_to > amp) amp = text.find('&', skip_to);
      next_bang = skip_to >= text.size() ? std::string_view::npos : text.find("<!", skip_to);
      if (amp == std::string_view::npos) break;
    }
    if (amp == std::string_view::npos) break;
    if (!valid_reference(amp)) {
      out.append(text.substr(copied, amp + 1 - copied));
      out += "amp;";
      copied = amp + 1;
      ++fixed;
    }
    i = amp + 1;
  }
  if (fixed == 0) return false;
  out.append(text.substr(copied));
  return true;
}

std::string resolve_url(std::string_view base, std::string_view reference) {
  std::string_view ref = trim_html_space(reference);
  if (ref.empty()) return std::string(base);
  if (base.empty()) return std::string(ref);
  auto parsed = Url::parse(base);
  if (!parsed) return std::string(ref);
  auto resolved = parsed->resolve(ref);
  if (!resolved) return std::string(ref);
  return resolved->str();
}

namespace {

bool is_url_attribute(std::string_view name) {
  static constexpr std::string_view kNames[] = {"href",   "src",      "cite", "action", "background", "longdesc",
                                                "usemap", "codebase", "data", "poster", "profile",    "classid"};
  for (auto n : kNames) {
    if (name.size() == n.size()) {
      bool same = true;
      for (std::size_t i = 0; i < n.size() && same; ++i) same = (name[i] | 0x20) == n[i];
      if (same) return true;
    }
  }
  return false;
}

bool has_scheme(std::string_view url) {
  url = trim_html_space(url);
  if (url.empty() || !is_alpha(url[0])) return false;
  for (std::size_t i = 1; i < url.size(); ++i) {
    char c = url[i];
    if (c == ':') return true;
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

}  // namespace

std::string resolve_html_urls(std::string_view html, std::string_view base) {
  std::string out;
  out.reserve(html.size() + 64);
  std::size_t copied = 0;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    ++i;
    if (i >= html.size() || !is_alpha(html[i])) continue;
    while (i < html.size() && (is_alpha(html[i]) || is_digit(html[i]))) ++i;  // tag name
    // Attributes until '>'.
    while (i < html.size() && html[i] != '>') {
      while (i < html.size() && (is_html_space(html[i]) || html[i] == '/')) ++i;
      std::size_t name_start = i;
      while (i < html.size() && !is_html_space(html[i]) && html[i] != '=' && html[i] != '>' && html[i] != '/') {
        ++i;
      }
      std::string_view name = html.substr(name_start, i - name_start);
      while (i < html.size() && is_html_space(html[i])) ++i;
      if (i >= html.size() || html[i] != '=') {
        if (name.empty() && i < html.size() && html[i] != '>') ++i;
        continue;
      }
      ++i;
      while (i < html.size() && is_html_space(html[i])) ++i;
      std::size_t value_start, value_end;
      if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
        char q = html[i];
        value_start = ++i;
        std::size_t close = html.find(q, i);
        value_end = close == std::string_view::npos ? html.size() : close;
        i = value_end == html.size() ? value_end : value_end + 1;
      } else {
        value_start = i;
        while (i < html.size() && !is_html_space(html[i]) && html[i] != '>') ++i;
        value_end = i;
      }
      if (!is_url_attribute(name)) continue;
      std::string_view value = html.substr(value_start, value_end - value_start);
      if (has_scheme(value) || trim_html_space(value).empty()) continue;
      std::string decoded;
      // Attribute values carry entity references (&amp;); resolve the URL they denote.
      for (std::size_t k = 0; k < value.size();) {
        if (value[k] == '&' && decode_html_reference(value, k, decoded)) continue;
        decoded += value[k++];
      }
      std::string resolved = resolve_url(base, decoded);
      out.append(html.substr(copied, value_start - copied));
      append_escaped_markup(out, resolved, Quotes::kDouble);
      copied = value_end;
    }
  }
  if (copied == 0) return std::string(html);
  out.append(html.substr(copied));
  return out;
}

namespace {

// windows-1252 code points for bytes 0x80-0x9F; 0 where the byte is unassigned.
constexpr std::uint16_t kWindows1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                                0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace

void fix_windows_1252_controls(std::string& text, bool html) {
  bool c1 = text.find('\xC2') != std::string::npos;
  bool refs = html && text.find("&#1") != std::string::npos;
  if (!c1 && !refs) return;
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xC2 && i + 1 < text.size()) {
      unsigned char d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x80 && d <= 0x9F && kWindows1252High[d - 0x80] != 0) {
        append_utf8(out, kWindows1252High[d - 0x80]);
        i += 2;
        continue;
      }
    }
    if (refs && c == '&' && text.compare(i, 3, "&#1") == 0 && i + 6 <= text.size() && is_digit(text[i + 3]) &&
        is_digit(text[i + 4]) && text[i + 5] == ';') {
      int n = 100 + (text[i + 3] - '0') * 10 + (text[i + 4] - '0');
      if (n >= 128 && n <= 159 && kWindows1252High[n - 128] != 0) {
        out += fmt::format("&#x{:x};", kWindows1252High[n - 128]);
        i += 6;
        continue;
      }
    }
    out += text[i++];
  }
  text = std::move(out);
}

void normalize_html_shorttags(std::string& html) {
  if (html.find("/>") == std::string::npos && html.find("&#X") == std::string::npos) return;
  std::string out;
  out.reserve(html.size() + 16);
  std::size_t last_lt = std::string::npos, last_gt = std::string::npos;
  for (std::size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (c == '<') last_lt = i;
    bool inside_tag = last_lt != std::string::npos && (last_gt == std::string::npos || last_gt < last_lt);
    if (c == '/' && inside_tag && i > 0 && i + 1 < html.size() && html[i + 1] == '>' && !is_html_space(html[i - 1])) {
      out += ' ';  // "<br/>" -> "<br />", as feedparser writes void elements
    }
    if (c == '>') last_gt = i;
    if (c == '&' && i + 2 < html.size() && html[i + 1] == '#' && html[i + 2] == 'X') {
      out += "&#x";
      i += 2;
      continue;
    }
    out += c;
  }
  html = std::move(out);
}

std::string stable_hash(std::string_view a, std::string_view b) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  mix(a);
  mix(std::string_view("\x1f", 1));
  mix(b);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "urn:banwatch:item:";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xF];
  return out;
}

}  // namespace banwatch::feeds::internal
