#include "common/html_text.h"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <cstdint>

#include "common/text.h"

namespace banwatch {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

// How an element's tags separate the text around them.
enum class Separation { kNone, kWord, kParagraph };

Separation separation(std::string_view name) {
  static constexpr std::string_view kParagraph[] = {
      "p",  "br",    "div",        "li",      "ul",      "ol",     "h1",     "h2",  "h3", "h4", "h5", "h6",
      "tr", "table", "blockquote", "section", "article", "header", "footer", "pre", "hr", "dd", "dt", "figcaption"};
  for (auto b : kParagraph)
    if (name == b) return Separation::kParagraph;
  if (name == "td" || name == "th") return Separation::kWord;
  return Separation::kNone;
}

// The end of the element `name` (lower case) whose content starts at html[i]:
// the position after its end tag's '>', or the end of the input.
std::size_t skip_raw_text(std::string_view html, std::size_t i, std::string_view name) {
  const std::size_t n = html.size();
  while (i < n) {
    const std::size_t lt = html.find("</", i);
    if (lt == std::string_view::npos) return n;
    if (ascii_iequals(html.substr(lt + 2, name.size()), name)) {
      const std::size_t gt = html.find('>', lt);
      return gt == std::string_view::npos ? n : gt + 1;
    }
    i = lt + 2;
  }
  return n;
}

// Collapses white space while text is appended: a run becomes one space, or
// with paragraphs a paragraph break when it held a block element or a blank
// line; nothing at either end.
class Collapser {
 public:
  explicit Collapser(bool paragraphs, std::size_t reserve) : paragraphs_(paragraphs) { out_.reserve(reserve); }

  void text(char c) {
    if (c == '\n') {
      if (paragraphs_)
        ++newlines_;
      else
        space_ = true;
    } else if (is_ascii_space(c)) {
      space_ = true;
    } else {
      if (!out_.empty()) {
        if (newlines_ >= 2)
          out_ += "\n\n";
        else if (newlines_ == 1 || space_)
          out_ += ' ';
      }
      newlines_ = 0;
      space_ = false;
      out_ += c;
    }
  }
  void text(std::string_view s) {
    for (std::size_t k = 0; k < s.size(); ++k) {
      if (s.substr(k, 2) == "\xC2\xA0") {  // U+00A0 no-break space
        space_ = true;
        ++k;
        continue;
      }
      text(s[k]);
    }
  }
  void separate(Separation how) {
    if (how == Separation::kParagraph && paragraphs_)
      newlines_ += 2;
    else if (how != Separation::kNone)
      space_ = true;
  }
  std::string take() { return std::move(out_); }

 private:
  bool paragraphs_;
  std::string out_;
  int newlines_ = 0;
  bool space_ = false;
};

}  // namespace

bool decode_html_reference(std::string_view text, std::size_t& i, std::string& out) {
  std::size_t j = i + 1;
  if (j < text.size() && text[j] == '#') {
    ++j;
    const bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
    if (hex) ++j;
    std::uint32_t cp = 0;
    std::size_t digits = 0;
    while (j < text.size() && (hex ? is_hex(text[j]) : is_digit(text[j])) && digits < 8) {
      const char c = text[j];
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
      ++j;
      ++digits;
    }
    if (digits == 0) return false;
    if (j < text.size() && text[j] == ';') ++j;
    append_utf8_or_replacement(out, cp);
    i = j;
    return true;
  }
  const std::size_t start = j;
  while (j < text.size() && is_alnum(text[j]) && j - start < 32) ++j;
  if (j == start || j >= text.size() || text[j] != ';') return false;
  const std::string name(text.substr(start, j - start));
  if (name == "apos") {
    out += '\'';
  } else {
    const htmlEntityDesc* desc = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()));
    if (desc == nullptr) return false;
    append_utf8(out, desc->value);
  }
  i = j + 1;
  return true;
}

std::string html_to_text(std::string_view html, HtmlBreaks breaks) {
  Collapser out(breaks == HtmlBreaks::kParagraphs, html.size());
  const std::size_t n = html.size();
  std::size_t i = 0;
  std::string decoded;
  while (i < n) {
    const char c = html[i];
    if (c == '<' && i + 1 < n &&
        (is_alpha(html[i + 1]) || html[i + 1] == '/' || html[i + 1] == '!' || html[i + 1] == '?')) {
      if (html.compare(i, 4, "<!--") == 0) {
        const std::size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? n : end + 3;
        continue;
      }
      if (html.compare(i, 9, "<![CDATA[") == 0) {
        const std::size_t end = html.find("]]>", i + 9);
        out.text(html.substr(i + 9, (end == std::string_view::npos ? n : end) - i - 9));
        i = end == std::string_view::npos ? n : end + 3;
        continue;
      }
      // The tag, up to a '>' outside quoted attribute values.
      std::size_t j = i + 1;
      char quote = 0;
      while (j < n) {
        const char d = html[j];
        if (quote) {
          if (d == quote) quote = 0;
        } else if (d == '"' || d == '\'') {
          quote = d;
        } else if (d == '>') {
          break;
        }
        ++j;
      }
      const bool closing = html[i + 1] == '/';
      std::size_t name_end = i + 1 + (closing ? 1 : 0);
      const std::size_t name_start = name_end;
      while (name_end < std::min(j, n) && is_alnum(html[name_end])) ++name_end;
      const std::string name = ascii_lower(html.substr(name_start, name_end - name_start));
      i = j < n ? j + 1 : n;
      if (!closing && (name == "script" || name == "style")) {
        i = skip_raw_text(html, i, name);
        continue;
      }
      out.separate(separation(name));
      continue;
    }
    if (c == '&') {
      decoded.clear();
      std::size_t k = i;
      if (decode_html_reference(html, k, decoded)) {
        out.text(decoded);
        i = k;
        continue;
      }
    }
    if (c == '\xC2' && i + 1 < n && html[i + 1] == '\xA0') {
      out.text(html.substr(i, 2));
      i += 2;
      continue;
    }
    out.text(c);
    ++i;
  }
  return out.take();
}

}  // namespace banwatch
