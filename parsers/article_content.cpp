// Main-text extraction: Readability's scoring model (paragraph scores flowing
// to ancestors, link density, class/id hints, sibling merging, conditional
// cleaning, retries with relaxed rules) computed over a flat pre-order array,
// plus boilerplate rules of our own (captions, hidden and ARIA-role elements,
// newsletter/cookie/recirculation boxes, stock boilerplate lines).
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/article_internal.h"
#include "parsers/html_dom.h"

namespace banwatch::article::detail {
namespace {

using html::Document;
using html::Kind;
using html::Node;

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

bool contains_any(std::string_view hay, std::initializer_list<std::string_view> needles) {
  for (std::string_view n : needles)
    if (contains(hay, n)) return true;
  return false;
}

// "hid" as a whole class token (Readability's ^hid$| hid$| hid |^hid ).
bool has_word(std::string_view hay, std::string_view word) {
  std::size_t pos = 0;
  while ((pos = hay.find(word, pos)) != std::string_view::npos) {
    bool left = pos == 0 || hay[pos - 1] == ' ';
    bool right = pos + word.size() == hay.size() || hay[pos + word.size()] == ' ';
    if (left && right) return true;
    pos += word.size();
  }
  return false;
}

bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// `word` delimited by non-alphanumerics (Readability's (\b|_)share(\b|_)).
bool has_delimited(std::string_view hay, std::string_view word) {
  std::size_t pos = 0;
  while ((pos = hay.find(word, pos)) != std::string_view::npos) {
    bool left = pos == 0 || !is_word_char(hay[pos - 1]);
    std::size_t e = pos + word.size();
    bool right = e == hay.size() || !is_word_char(hay[e]);
    if (left && right) return true;
    pos += word.size();
  }
  return false;
}

// Readability's patterns, plus recirculation, newsletter and consent boxes.
bool unlikely_hint(std::string_view s) {
  return contains_any(
      s, {"-ad-",       "ai2html",   "banner",       "breadcrumbs",  "combx",      "comment",  "community",
          "cover-wrap", "disqus",    "extra",        "footer",       "gdpr",       "header",   "legends",
          "menu",       "related",   "remark",       "replies",      "rss",        "shoutbox", "sidebar",
          "skyscraper", "social",    "sponsor",      "supplemental", "ad-break",   "agegate",  "pagination",
          "pager",      "popup",     "yom-remote",   "newsletter",   "cookie",     "taboola",  "outbrain",
          "recirc",     "trending",  "most-popular", "mostpopular",  "subscribe-", "signup",   "promo",
          "gallery",    "slideshow", "carousel",     "caption",      "credit",     "lightbox", "timestamp"});
}
bool maybe_hint(std::string_view s) {
  return contains_any(s, {"and", "article", "body", "column", "content", "main", "mathjax", "shadow"});
}
bool positive_hint(std::string_view s) {
  return contains_any(s, {"article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "pagination",
                          "post", "text", "blog", "story"});
}
bool negative_hint(std::string_view s) {
  return contains_any(s, {"-ad-",     "hidden", "banner",   "combx",      "comment", "com-",       "contact",
                          "footer",   "gdpr",   "masthead", "media",      "meta",    "outbrain",   "promo",
                          "related",  "scroll", "share",    "shoutbox",   "sidebar", "skyscraper", "sponsor",
                          "shopping", "tags",   "widget",   "newsletter", "taboola"}) ||
         has_word(s, "hid");
}
bool byline_hint(std::string_view s) {
  return contains_any(s, {"byline", "author", "dateline", "writtenby", "p-author"});
}

bool is_heading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 ||
         t == GUMBO_TAG_H6;
}

// Never article text, whatever the pass.
bool junk_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

// Static facts about a node, computed once.
enum : std::uint16_t {
  kJunk = 1 << 0,      // removed in every pass
  kUnlikely = 1 << 1,  // removed in the first pass
  kByline = 1 << 2,
  kShare = 1 << 3,
  kInLink = 1 << 4,    // inside <a href>
  kHashLink = 1 << 5,  // inside <a href="#...">
  kInHeading = 1 << 6,
  kInList = 1 << 7,
  kInTableOrCode = 1 << 8,  // inside <table>, <code> or <pre>
  kInFigure = 1 << 9,
  kBlock = 1 << 10,
  kDataTable = 1 << 11,
  kInCode = 1 << 12,  // inside <code> or <pre>
};

struct Agg {
  std::uint32_t text = 0;
  float link = 0;
  std::uint32_t commas = 0;
  std::uint32_t heading = 0, list = 0;
  std::uint32_t p = 0, img = 0, li = 0, input = 0, embed = 0;
};

struct Flags {
  bool strip_unlikely = true, weight_classes = true, clean_conditionally = true;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Lines that are page furniture wherever they appear.
bool boilerplate_line(std::string_view p) {
  if (p.size() > 120) return false;
  std::string s = ascii_lower(p);
  while (!s.empty() && (s.back() == ':' || s.back() == '.' || s.back() == ' ')) s.pop_back();
  static const std::array<std::string_view, 24> kExact = {"advertisement",
                                                          "advertising",
                                                          "ad",
                                                          "sponsored",
                                                          "sponsored content",
                                                          "share",
                                                          "share this",
                                                          "share this article",
                                                          "share this story",
                                                          "share on facebook",
                                                          "share on twitter",
                                                          "tweet",
                                                          "email",
                                                          "print",
                                                          "comments",
                                                          "related",
                                                          "related articles",
                                                          "related stories",
                                                          "read more",
                                                          "more",
                                                          "loading",
                                                          "loading...",
                                                          "skip to content",
                                                          "skip advertisement"};
  for (std::string_view e : kExact)
    if (s == e) return true;
  static const std::array<std::string_view, 10> kPrefix = {
      "advertisement - continue reading", "story continues below", "article continues below",
      "continue reading below",           "scroll to continue",    "this article continues below",
      "the story continues below",        "sign up for our",       "subscribe to our newsletter",
      "click here to subscribe"};
  for (std::string_view e : kPrefix)
    if (s.starts_with(e)) return true;
  // Copyright and photo-credit lines.
  if (p.size() < 200 && (s.starts_with("\xC2\xA9") || s.starts_with("copyright ") || s.starts_with("(c) ") ||
                         s.starts_with("photo: ") || s.starts_with("image: ") || s.starts_with("photograph: ")))
    return true;
  return false;
}

class Extractor {
 public:
  Extractor(const Document& doc, std::string_view title)
      : doc_(doc), nodes_(doc.nodes()), n_(nodes_.size()), title_(title) {}

  Content run() {
    if (n_ == 0) return {};
    prepare();
    std::array<Flags, 4> attempts = {Flags{true, true, true}, Flags{false, true, true}, Flags{false, false, true},
                                     Flags{false, false, false}};
    Content best;
    for (const Flags& f : attempts) {
      Content c = attempt(f);
      if (c.chars >= 500) return c;
      if (c.chars > best.chars) best = std::move(c);
    }
    return best;
  }

 private:
  void prepare() {
    facts_.assign(n_, 0);
    weight_.assign(n_, 0);
    owner_.assign(n_, -1);
    len_.assign(n_, 0);
    commas_.assign(n_, 0);
    class_.assign(n_, {});
    for (std::size_t i = 0; i < n_; ++i) {
      const Node& node = nodes_[i];
      std::uint16_t inherited = 0;
      std::int32_t owner = -1;
      if (node.parent >= 0) {
        auto p = static_cast<std::size_t>(node.parent);
        inherited =
            facts_[p] & (kInLink | kHashLink | kInHeading | kInList | kInTableOrCode | kInFigure | kJunk | kInCode);
        owner = (facts_[p] & kBlock) ? node.parent : owner_[p];
      }
      owner_[i] = owner;
      if (node.kind != Kind::kElement) {
        facts_[i] = inherited;
        bool pending = false;
        std::string_view t = doc_.text(i);
        len_[i] = static_cast<std::uint32_t>(html::collapsed_length(t, pending) + (pending ? 1 : 0));
        std::uint32_t commas = 0;
        for (std::size_t k = 0; k < t.size(); ++k) {
          if (t[k] == ',') ++commas;
          // U+060C, U+FF0C, U+3001 (Arabic, full-width and ideographic commas)
          else if (static_cast<unsigned char>(t[k]) >= 0xD8 && k + 1 < t.size()) {
            std::string_view rest = t.substr(k, 3);
            if (rest.starts_with("\xD8\x8C") || rest == "\xEF\xBC\x8C" || rest == "\xE3\x80\x81") ++commas;
          }
        }
        commas_[i] = commas;
        continue;
      }
      GumboTag tag = node.tag;
      std::uint16_t f = inherited;
      if (html::is_block_tag(tag)) f |= kBlock;
      if (tag == GUMBO_TAG_A) {
        std::string_view href = doc_.attr(i, "href");
        if (!href.empty() || doc_.has_attr(i, "href")) {
          f |= kInLink;
          if (href.starts_with("#")) f |= kHashLink;
        }
      }
      if (is_heading(tag)) f |= kInHeading;
      if (tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL) f |= kInList;
      if (tag == GUMBO_TAG_TABLE || tag == GUMBO_TAG_CODE || tag == GUMBO_TAG_PRE) f |= kInTableOrCode;
      if (tag == GUMBO_TAG_CODE || tag == GUMBO_TAG_PRE) f |= kInCode;
      if (tag == GUMBO_TAG_FIGURE) f |= kInFigure;
      if (tag == GUMBO_TAG_TABLE && is_data_table(i)) f |= kDataTable;

      std::string cls = ascii_lower(doc_.attr(i, "class"));
      std::string id = ascii_lower(doc_.attr(i, "id"));
      if (junk_tag(tag) || hidden(i)) f |= kJunk;
      if (tag == GUMBO_TAG_UNKNOWN && doc_.tag_name(i) == "dialog") f |= kJunk;
      std::string_view role = doc_.attr(i, "role");
      if (role == "menu" || role == "menubar" || role == "complementary" || role == "navigation" || role == "alert" ||
          role == "alertdialog" || role == "dialog" || doc_.attr(i, "aria-modal") == "true")
        f |= kJunk;
      if (!cls.empty() || !id.empty()) {
        std::string match = cls + " " + id;
        if (unlikely_hint(match) && !maybe_hint(match) && tag != GUMBO_TAG_BODY && tag != GUMBO_TAG_A &&
            tag != GUMBO_TAG_HTML && !(inherited & kInTableOrCode))
          f |= kUnlikely;
        if (byline_hint(match)) f |= kByline;
        if (has_delimited(match, "share") || has_delimited(match, "sharedaddy")) f |= kShare;
        int w = 0;
        if (!cls.empty()) {
          if (negative_hint(cls)) w -= 25;
          if (positive_hint(cls)) w += 25;
        }
        if (!id.empty()) {
          if (negative_hint(id)) w -= 25;
          if (positive_hint(id)) w += 25;
        }
        weight_[i] = static_cast<std::int16_t>(w);
        class_[i] = cls;
      }
      std::string_view rel = doc_.attr(i, "rel");
      std::string_view itemprop = doc_.attr(i, "itemprop");
      if (rel == "author" || contains(itemprop, "author")) f |= kByline;
      facts_[i] = f;
    }
  }

  bool hidden(std::size_t i) const {
    if (doc_.has_attr(i, "hidden")) return true;
    std::string_view aria = doc_.attr(i, "aria-hidden");
    if (aria == "true" && !contains(doc_.attr(i, "class"), "fallback-image")) return true;
    std::string_view style = doc_.attr(i, "style");
    if (!style.empty()) {
      std::string s = ascii_lower(style);
      s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
      if (contains(s, "display:none") || contains(s, "visibility:hidden")) return true;
    }
    return false;
  }

  bool is_data_table(std::size_t i) const {
    if (doc_.attr(i, "role") == "presentation") return false;
    if (doc_.attr(i, "datatable") == "0") return false;
    if (doc_.has_attr(i, "summary")) return true;
    int rows = 0;
    for (std::int32_t j = static_cast<std::int32_t>(i) + 1; j < nodes_[i].end; ++j) {
      GumboTag t = nodes_[static_cast<std::size_t>(j)].tag;
      if (nodes_[static_cast<std::size_t>(j)].kind != Kind::kElement) continue;
      if (t == GUMBO_TAG_TABLE) return false;  // nested tables: layout
      if (t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT || t == GUMBO_TAG_TH ||
          t == GUMBO_TAG_COLGROUP || t == GUMBO_TAG_COL)
        return true;
      if (t == GUMBO_TAG_TR) ++rows;
    }
    return rows >= 10;
  }

  float link_density(std::size_t i) const {
    const Agg& a = agg_[i];
    return a.text == 0 ? 0.0f : a.link / static_cast<float>(a.text);
  }

  // A div (or similar) without block children stands for a paragraph.
  bool paragraph_like(std::size_t i) const {
    GumboTag t = nodes_[i].tag;
    if (t == GUMBO_TAG_P) return true;
    return (t == GUMBO_TAG_DIV || t == GUMBO_TAG_SECTION) && !has_block_child_[i] && agg_[i].text > 0;
  }

  Content attempt(const Flags& flags) {
    // 1. What this pass removes.
    removed_.assign(n_, 0);
    for (std::size_t i = 0; i < n_; ++i) {
      const Node& node = nodes_[i];
      bool r = node.parent >= 0 && removed_[static_cast<std::size_t>(node.parent)];
      if (!r && node.kind == Kind::kElement) {
        std::uint16_t f = facts_[i];
        if (f & kJunk)
          r = true;
        else if (flags.strip_unlikely && (f & kUnlikely))
          r = true;
      }
      removed_[i] = r;
    }
    // Bylines are metadata; drop short ones from the text.
    aggregate();
    for (std::size_t i = 0; i < n_; ++i) {
      if (removed_[i] || nodes_[i].kind != Kind::kElement) continue;
      if ((facts_[i] & kByline) && agg_[i].text < 100) {
        for (std::int32_t j = static_cast<std::int32_t>(i); j < nodes_[i].end; ++j)
          removed_[static_cast<std::size_t>(j)] = 1;
      }
    }
    aggregate();

    // 2. Score paragraphs into their ancestors.
    score_.assign(n_, 0.0f);
    scored_.assign(n_, 0);
    own_len_.assign(n_, 0);
    own_commas_.assign(n_, 0);
    for (std::size_t i = 0; i < n_; ++i) {
      if (removed_[i] || nodes_[i].kind == Kind::kElement || owner_[i] < 0) continue;
      auto o = static_cast<std::size_t>(owner_[i]);
      own_len_[o] += len_[i];
      own_commas_[o] += commas_[i];
    }
    std::vector<std::size_t> candidates;
    auto initialize = [&](std::size_t c) {
      if (scored_[c]) return;
      scored_[c] = 1;
      candidates.push_back(c);
      float s = 0;
      switch (nodes_[c].tag) {
        case GUMBO_TAG_DIV:
          s = 5;
          break;
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_TD:
        case GUMBO_TAG_BLOCKQUOTE:
          s = 3;
          break;
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_FORM:
          s = -3;
          break;
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_TH:
          s = -5;
          break;
        default:
          break;
      }
      if (flags.weight_classes) s += weight_[c];
      score_[c] = s;
    };
    for (std::size_t i = 0; i < n_; ++i) {
      if (removed_[i] || nodes_[i].kind != Kind::kElement || own_len_[i] < 25) continue;
      GumboTag t = nodes_[i].tag;
      if (t == GUMBO_TAG_LI || t == GUMBO_TAG_DT || t == GUMBO_TAG_DD || t == GUMBO_TAG_TH || t == GUMBO_TAG_H1 ||
          t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_HTML)
        continue;
      float content =
          2.0f + static_cast<float>(own_commas_[i]) + static_cast<float>(std::min<std::uint32_t>(own_len_[i] / 100, 3));
      // Text mixed with block children is scored as if wrapped in its own
      // paragraph inside this element.
      std::int32_t a = has_block_child_[i] && t != GUMBO_TAG_P ? static_cast<std::int32_t>(i) : nodes_[i].parent;
      for (int level = 0; level < 5 && a >= 0; ++level) {
        auto ai = static_cast<std::size_t>(a);
        if (nodes_[ai].tag == GUMBO_TAG_HTML) break;
        initialize(ai);
        float divider = level == 0 ? 1.0f : level == 1 ? 2.0f : static_cast<float>(level * 3);
        score_[ai] += content / divider;
        a = nodes_[ai].parent;
      }
    }
    for (std::size_t c : candidates) score_[c] *= 1.0f - link_density(c);

    // 3. The top candidate.
    std::int32_t body = -1;
    for (std::size_t i = 0; i < n_; ++i)
      if (nodes_[i].tag == GUMBO_TAG_BODY) {
        body = static_cast<std::int32_t>(i);
        break;
      }
    std::vector<std::size_t> top;
    for (std::size_t c : candidates) {
      auto it = std::find_if(top.begin(), top.end(), [&](std::size_t t) { return score_[c] > score_[t]; });
      top.insert(it, c);
      if (top.size() > 5) top.pop_back();
    }
    std::int32_t chosen;
    if (top.empty() || nodes_[top[0]].tag == GUMBO_TAG_BODY) {
      chosen = body;
      if (chosen < 0) return {};
    } else {
      chosen = static_cast<std::int32_t>(top[0]);
      promote(chosen, top, body);
    }

    // 4. Siblings that belong with it.
    std::vector<std::size_t> roots;
    auto ci = static_cast<std::size_t>(chosen);
    std::int32_t parent = nodes_[ci].parent;
    if (chosen == body || parent < 0) {
      roots.push_back(ci);
    } else {
      float top_score = scored_[ci] ? score_[ci] : 0;
      float threshold = std::max(10.0f, top_score * 0.2f);
      auto pi = static_cast<std::size_t>(parent);
      for (std::int32_t s = parent + 1; s < nodes_[pi].end; s = nodes_[static_cast<std::size_t>(s)].end) {
        auto si = static_cast<std::size_t>(s);
        if (removed_[si] || nodes_[si].kind != Kind::kElement) continue;
        if (s == chosen) {
          roots.push_back(si);
          continue;
        }
        float bonus = (!class_[ci].empty() && class_[si] == class_[ci]) ? top_score * 0.2f : 0.0f;
        if (scored_[si] && score_[si] + bonus >= threshold) {
          roots.push_back(si);
        } else if (paragraph_like(si)) {
          float ld = link_density(si);
          std::uint32_t len = agg_[si].text;
          if (len > 80 && ld < 0.25f) {
            roots.push_back(si);
          } else if (len < 80 && len > 0 && ld == 0) {
            std::string t = text_of(si);
            std::string_view tv = trim(t);
            if (contains(tv, ". ") || tv.ends_with(".")) roots.push_back(si);
          }
        }
      }
    }

    // 5. Clean inside the kept subtrees, then write the text.
    for (std::size_t r : roots) clean(r, flags);
    Content out;
    for (std::size_t r : roots) emit(r, out);
    return out;
  }

  void aggregate() {
    agg_.assign(n_, Agg{});
    has_block_child_.assign(n_, 0);
    for (std::size_t k = n_; k-- > 0;) {
      if (removed_[k]) continue;
      const Node& node = nodes_[k];
      Agg& a = agg_[k];
      if (node.kind != Kind::kElement) {
        a.text = len_[k];
        a.commas = commas_[k];
        std::uint16_t f = facts_[k];
        if (f & kInLink) a.link = static_cast<float>(len_[k]) * ((f & kHashLink) ? 0.3f : 1.0f);
        if (f & kInHeading) a.heading = len_[k];
        if (f & kInList) a.list = len_[k];
      } else {
        switch (node.tag) {
          case GUMBO_TAG_P:
            ++a.p;
            break;
          case GUMBO_TAG_IMG:
            ++a.img;
            break;
          case GUMBO_TAG_LI:
            ++a.li;
            break;
          case GUMBO_TAG_INPUT:
            ++a.input;
            break;
          case GUMBO_TAG_OBJECT:
          case GUMBO_TAG_EMBED:
          case GUMBO_TAG_IFRAME:
            ++a.embed;
            break;
          default:
            break;
        }
        if ((node.tag == GUMBO_TAG_DIV || node.tag == GUMBO_TAG_SECTION) && !has_block_child_[k] && a.text > 0)
          ++a.p;  // a div standing for a paragraph
      }
      if (node.parent < 0) continue;
      auto p = static_cast<std::size_t>(node.parent);
      Agg& b = agg_[p];
      b.text += a.text;
      b.link += a.link;
      b.commas += a.commas;
      b.heading += a.heading;
      b.list += a.list;
      b.p += a.p;
      b.img += a.img;
      b.li += a.li;
      b.input += a.input;
      b.embed += a.embed;
      if (node.kind == Kind::kElement && (facts_[k] & kBlock)) has_block_child_[p] = 1;
    }
  }

  void promote(std::int32_t& chosen, const std::vector<std::size_t>& top, std::int32_t body) {
    auto is_ancestor = [&](std::int32_t a, std::size_t c) {
      return a < static_cast<std::int32_t>(c) && static_cast<std::int32_t>(c) < nodes_[static_cast<std::size_t>(a)].end;
    };
    // Several near-equal candidates under one ancestor: the ancestor is the article.
    std::vector<std::size_t> alternatives;
    float best = score_[static_cast<std::size_t>(chosen)];
    for (std::size_t k = 1; k < top.size(); ++k)
      if (best > 0 && score_[top[k]] / best >= 0.75f) alternatives.push_back(top[k]);
    if (alternatives.size() >= 3) {
      std::int32_t a = nodes_[static_cast<std::size_t>(chosen)].parent;
      while (a >= 0 && a != body) {
        int lists = 0;
        for (std::size_t alt : alternatives) lists += is_ancestor(a, alt) ? 1 : 0;
        if (lists >= 3) {
          chosen = a;
          break;
        }
        a = nodes_[static_cast<std::size_t>(a)].parent;
      }
    }
    auto c = static_cast<std::size_t>(chosen);
    if (!scored_[c]) {
      scored_[c] = 1;
      score_[c] = 0;
    }
    // Parents scoring higher than the candidate hold more of the article.
    float last = score_[c];
    float threshold = last / 3;
    std::int32_t a = nodes_[c].parent;
    while (a >= 0 && a != body) {
      auto ai = static_cast<std::size_t>(a);
      if (!scored_[ai]) {
        a = nodes_[ai].parent;
        continue;
      }
      if (score_[ai] < threshold) break;
      if (score_[ai] > last) {
        chosen = a;
        break;
      }
      last = score_[ai];
      a = nodes_[ai].parent;
    }
    // An only child stands for its parent.
    while (true) {
      std::int32_t p = nodes_[static_cast<std::size_t>(chosen)].parent;
      if (p < 0 || p == body) break;
      auto pi = static_cast<std::size_t>(p);
      int elements = 0;
      for (std::int32_t s = p + 1; s < nodes_[pi].end; s = nodes_[static_cast<std::size_t>(s)].end) {
        auto si = static_cast<std::size_t>(s);
        if (nodes_[si].kind == Kind::kElement && !removed_[si]) ++elements;
      }
      if (elements != 1) break;
      chosen = p;
    }
  }

  bool remove_conditionally(std::size_t i, const Flags& flags) const {
    GumboTag t = nodes_[i].tag;
    if (facts_[i] & kInCode) return false;
    if (t == GUMBO_TAG_TABLE && (facts_[i] & kDataTable)) return false;
    const Agg& a = agg_[i];
    int weight = flags.weight_classes ? weight_[i] : 0;
    float score = scored_[i] ? score_[i] : 0;
    if (weight + score < 0) return true;
    if (a.commas >= 10) return false;
    std::string text;
    if (a.text < 30) {
      text = text_of(i);
      std::string l = ascii_lower(trim(text));
      if (l == "ad" || l == "advertising" || l == "advertisement" || l == "loading" || l == "loading..." ||
          l == "loading\xE2\x80\xA6")
        return true;
    }
    bool is_list = t == GUMBO_TAG_UL || t == GUMBO_TAG_OL;
    if (!is_list && a.text > 0 && static_cast<float>(a.list) / static_cast<float>(a.text) > 0.9f) is_list = true;
    bool in_figure = (facts_[i] & kInFigure) != 0;
    float p = static_cast<float>(a.p);
    float img = static_cast<float>(a.img);
    float li = static_cast<float>(a.li) - 100.0f;
    float ld = link_density(i);
    float heading_density = a.text == 0 ? 0 : static_cast<float>(a.heading) / static_cast<float>(a.text);
    bool remove =
        (!in_figure && a.img > 1 && p / img < 0.5f) || (!is_list && li > p) || (a.input > a.p / 3) ||
        (!is_list && !in_figure && heading_density < 0.9f && a.text < 25 && (a.img == 0 || a.img > 2) && ld > 0) ||
        (!is_list && weight < 25 && ld > 0.2f) || (weight >= 25 && ld > 0.5f) || (a.embed == 1 && a.text < 75) ||
        a.embed > 1 || (a.img == 0 && a.text == 0);
    if (is_list && remove) {
      for (std::int32_t c = static_cast<std::int32_t>(i) + 1; c < nodes_[i].end;
           c = nodes_[static_cast<std::size_t>(c)].end) {
        auto ci = static_cast<std::size_t>(c);
        if (nodes_[ci].kind != Kind::kElement) continue;
        int grandchildren = 0;
        for (std::int32_t g = c + 1; g < nodes_[ci].end; g = nodes_[static_cast<std::size_t>(g)].end)
          if (nodes_[static_cast<std::size_t>(g)].kind == Kind::kElement) ++grandchildren;
        if (grandchildren > 1) return true;
      }
      if (a.img == a.li) return false;
    }
    return remove;
  }

  void clean(std::size_t root, const Flags& flags) {
    for (std::int32_t j = static_cast<std::int32_t>(root); j < nodes_[root].end;) {
      auto i = static_cast<std::size_t>(j);
      if (removed_[i] || nodes_[i].kind != Kind::kElement) {
        j = removed_[i] ? nodes_[i].end : j + 1;
        continue;
      }
      bool remove = false;
      GumboTag t = nodes_[i].tag;
      if (i != root) {
        if ((facts_[i] & kShare) && agg_[i].text < 500)
          remove = true;
        else if ((t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2) && flags.weight_classes && weight_[i] < 0)
          remove = true;
        else if (flags.clean_conditionally && (t == GUMBO_TAG_FORM || t == GUMBO_TAG_FIELDSET || t == GUMBO_TAG_TABLE ||
                                               t == GUMBO_TAG_UL || (t == GUMBO_TAG_DIV && has_block_child_[i])))
          remove = remove_conditionally(i, flags);
      }
      if (remove) {
        for (std::int32_t k = j; k < nodes_[i].end; ++k) removed_[static_cast<std::size_t>(k)] = 1;
        j = nodes_[i].end;
      } else {
        ++j;
      }
    }
  }

  std::string text_of(std::size_t root) const {
    std::string out;
    bool pending = false;
    for (std::int32_t j = static_cast<std::int32_t>(root); j < nodes_[root].end; ++j) {
      auto i = static_cast<std::size_t>(j);
      if (removed_[i]) {
        j = nodes_[i].end - 1;
        continue;
      }
      if (nodes_[i].kind != Kind::kElement) html::append_collapsed(out, doc_.text(i), pending);
    }
    return out;
  }

  void flush(std::string& paragraph, Content& out) const {
    // Trim spaces around line breaks; drop empty lines.
    std::string cleaned;
    cleaned.reserve(paragraph.size());
    std::size_t start = 0;
    while (start <= paragraph.size()) {
      std::size_t nl = paragraph.find('\n', start);
      if (nl == std::string::npos) nl = paragraph.size();
      std::string_view line = trim(std::string_view(paragraph).substr(start, nl - start));
      if (!line.empty()) {
        if (!cleaned.empty()) cleaned.push_back('\n');
        cleaned.append(line);
      }
      start = nl + 1;
    }
    paragraph.clear();
    if (cleaned.empty()) return;
    if (!title_.empty() && ascii_iequals(cleaned, title_)) return;
    if (boilerplate_line(cleaned)) return;
    out.chars += count_code_points(cleaned);
    out.paragraphs.push_back(std::move(cleaned));
  }

  void emit(std::size_t root, Content& out) const {
    std::string paragraph;
    bool pending = false;
    std::vector<std::int32_t> open;  // ends of open block elements
    for (std::int32_t j = static_cast<std::int32_t>(root); j < nodes_[root].end;) {
      while (!open.empty() && open.back() <= j) {
        open.pop_back();
        flush(paragraph, out);
        pending = false;
      }
      auto i = static_cast<std::size_t>(j);
      if (removed_[i]) {
        j = nodes_[i].end;
        continue;
      }
      const Node& node = nodes_[i];
      if (node.kind != Kind::kElement) {
        html::append_collapsed(paragraph, doc_.text(i), pending);
      } else if (node.tag == GUMBO_TAG_BR) {
        // Two line breaks in a row end a paragraph.
        if (!paragraph.empty() && paragraph.back() == '\n') {
          flush(paragraph, out);
        } else if (!paragraph.empty()) {
          paragraph.push_back('\n');
        }
        pending = false;
      } else if (facts_[i] & kBlock) {
        flush(paragraph, out);
        pending = false;
        open.push_back(node.end);
      } else if (node.tag == GUMBO_TAG_TD || node.tag == GUMBO_TAG_TH) {
        pending = true;
      }
      ++j;
    }
    flush(paragraph, out);
  }

  const Document& doc_;
  const std::vector<Node>& nodes_;
  std::size_t n_;
  std::string title_;

  std::vector<std::uint16_t> facts_;
  std::vector<std::int16_t> weight_;
  std::vector<std::int32_t> owner_;
  std::vector<std::uint32_t> len_, commas_;
  std::vector<std::string> class_;

  std::vector<std::uint8_t> removed_, scored_, has_block_child_;
  std::vector<Agg> agg_;
  std::vector<float> score_;
  std::vector<std::uint32_t> own_len_, own_commas_;
};

}  // namespace

std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

Content extract_content(const html::Document& doc, std::string_view title) { return Extractor(doc, title).run(); }

std::vector<std::string> plain_paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string stripped;
  if (text.find('<') != std::string_view::npos && text.find('>') != std::string_view::npos) {
    // Markup inside articleBody: parse it as a fragment and keep block breaks.
    auto doc = html::Document::parse(text, html::Limits{});
    if (doc) {
      const auto& nodes = (*doc)->nodes();
      bool pending = false;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].kind == Kind::kElement) {
          if (junk_tag(nodes[i].tag) && nodes[i].tag != GUMBO_TAG_HEAD) {
            i = static_cast<std::size_t>(nodes[i].end) - 1;
            continue;
          }
          if (html::is_block_tag(nodes[i].tag) || nodes[i].tag == GUMBO_TAG_BR) stripped.append("\n");
        } else {
          stripped.append((*doc)->text(i));
        }
      }
      (void)pending;
      text = stripped;
    }
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line = html::collapse_whitespace(text.substr(start, nl - start));
    std::string_view t = trim(line);
    if (!t.empty()) out.emplace_back(t);
    start = nl + 1;
  }
  return out;
}

}  // namespace banwatch::article::detail
