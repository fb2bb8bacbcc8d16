// Page metadata: <head> meta tags, Open Graph, schema.org JSON-LD and
// microdata, <time>, bylines and dates in the URL.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/url.h"
#include "parsers/article_internal.h"
#include "parsers/dates.h"

namespace banwatch::article::detail {
namespace {

using html::Kind;
using nlohmann::json;

constexpr std::size_t kMaxJsonLdBytes = 4u << 20;
constexpr std::size_t kMaxAuthors = 20;

std::string json_string(const json& value) {
  const json* p = &value;
  while (p->is_array() && !p->empty()) p = &p->front();  // [[["x"]]]: iteratively, any depth
  const json& v = *p;
  if (v.is_string()) return html::collapse_whitespace(v.get<std::string>());
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_object()) {
    for (const char* key : {"name", "@value", "text"}) {
      auto it = v.find(key);
      if (it != v.end() && it->is_string()) return html::collapse_whitespace(it->get<std::string>());
    }
  }
  return {};
}

bool looks_like_url(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//") || s.starts_with("/");
}

void add_author(std::vector<std::string>& authors, std::string name) {
  name = html::collapse_whitespace(name);
  std::string_view t = trim_ascii_space(name);
  for (std::string_view prefix : {"By ", "by ", "BY "})
    if (t.starts_with(prefix)) t.remove_prefix(prefix.size());
  t = trim_ascii_space(t);
  if (t.empty() || t.size() > 100 || looks_like_url(t) || authors.size() >= kMaxAuthors) return;
  for (const auto& a : authors)
    if (ascii_iequals(a, t)) return;
  authors.emplace_back(t);
}

void json_authors(const json& v, std::vector<std::string>& out) {
  if (v.is_array()) {
    for (const auto& e : v) {
      if (e.is_array()) continue;  // no deeper nesting
      json_authors(e, out);
    }
    return;
  }
  std::string name = json_string(v);
  if (!name.empty()) add_author(out, name);
}

bool type_is(const json& obj, std::initializer_list<std::string_view> suffixes) {
  auto it = obj.find("@type");
  if (it == obj.end()) return false;
  auto check = [&](const json& t) {
    if (!t.is_string()) return false;
    const std::string& s = t.get_ref<const std::string&>();
    for (std::string_view x : suffixes)
      if (s.find(x) != std::string::npos) return true;
    return false;
  };
  if (it->is_array()) {
    for (const auto& t : *it)
      if (check(t)) return true;
    return false;
  }
  return check(*it);
}

void read_article_object(const json& obj, JsonLd& ld) {
  auto get = [&](const char* key) -> std::string {
    auto it = obj.find(key);
    return it == obj.end() ? std::string() : json_string(*it);
  };
  ld.found = true;
  ld.headline = get("headline");
  if (ld.headline.empty()) ld.headline = get("name");
  if (auto it = obj.find("articleBody"); it != obj.end() && it->is_string()) ld.article_body = it->get<std::string>();
  ld.description = get("description");
  ld.date_published = get("datePublished");
  if (ld.date_published.empty()) ld.date_published = get("dateCreated");
  ld.date_modified = get("dateModified");
  ld.language = get("inLanguage");
  if (auto it = obj.find("author"); it != obj.end()) json_authors(*it, ld.authors);
  if (ld.authors.empty())
    if (auto it = obj.find("creator"); it != obj.end()) json_authors(*it, ld.authors);
  if (auto it = obj.find("publisher"); it != obj.end()) ld.publisher = json_string(*it);
  if (auto it = obj.find("mainEntityOfPage"); it != obj.end()) {
    if (it->is_string())
      ld.url = it->get<std::string>();
    else if (it->is_object() && it->contains("@id") && (*it)["@id"].is_string())
      ld.url = (*it)["@id"].get<std::string>();
  }
  if (ld.url.empty()) ld.url = get("url");
  if (auto it = obj.find("isAccessibleForFree"); it != obj.end()) {
    if (it->is_boolean())
      ld.accessible_for_free = it->get<bool>();
    else if (it->is_string()) {
      std::string s = ascii_lower(it->get<std::string>());
      if (s == "false" || s == "no")
        ld.accessible_for_free = false;
      else if (s == "true" || s == "yes")
        ld.accessible_for_free = true;
    }
  }
}

// Every JSON-LD object (through @graph and arrays), iteratively.
void collect_objects(const json& root, std::vector<const json*>& out) {
  std::vector<const json*> stack{&root};
  while (!stack.empty() && out.size() < 1000) {
    const json* v = stack.back();
    stack.pop_back();
    if (v->is_array()) {
      for (auto it = v->rbegin(); it != v->rend(); ++it) stack.push_back(&*it);
    } else if (v->is_object()) {
      out.push_back(v);
      if (auto g = v->find("@graph"); g != v->end()) stack.push_back(&*g);
    }
  }
}

JsonLd read_json_ld(const std::vector<std::string>& scripts) {
  JsonLd best;
  int best_rank = 0;
  std::string any_date, any_modified;
  int any_date_rank = 0;
  for (const std::string& text : scripts) {
    if (text.size() > kMaxJsonLdBytes) continue;
    json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) continue;
    std::vector<const json*> objects;
    collect_objects(root, objects);
    for (const json* obj : objects) {
      for (const char* key : {"datePublished", "dateCreated", "uploadDate"}) {
        auto it = obj->find(key);
        if (it == obj->end()) continue;
        std::string value = json_string(*it);
        if (value.empty()) continue;
        int date_rank = type_is(*obj, {"Article", "BlogPosting", "Report", "Posting"})                      ? 3
                        : type_is(*obj, {"WebPage", "CreativeWork", "Object", "Recipe", "Review", "Event"}) ? 2
                                                                                                            : 1;
        if (date_rank > any_date_rank) {
          any_date = std::move(value);
          any_date_rank = date_rank;
          auto mod = obj->find("dateModified");
          any_modified = mod == obj->end() ? std::string() : json_string(*mod);
        }
        break;
      }
      int rank = 0;
      bool article = type_is(*obj, {"Article", "BlogPosting", "Report", "Posting"});
      if (article && obj->contains("articleBody"))
        rank = 4;
      else if (article)
        rank = 3;
      else if (obj->contains("headline"))
        rank = 2;
      if (rank > best_rank) {
        try {
          JsonLd candidate;
          read_article_object(*obj, candidate);
          best = std::move(candidate);
          best_rank = rank;
        } catch (const json::exception&) {
          // A field of an unexpected type: keep what we had.
        }
      }
    }
  }
  best.any_date_published = std::move(any_date);
  if (best.date_modified.empty()) best.date_modified = std::move(any_modified);
  return best;
}

// Open Graph / Twitter / Dublin Core / plain names, lower-cased; first wins.
using MetaMap = std::unordered_map<std::string, std::string>;

const std::string* meta(const MetaMap& m, std::string_view key) {
  auto it = m.find(std::string(key));
  return it == m.end() || it->second.empty() ? nullptr : &it->second;
}

std::optional<PreciseTime> first_date(const MetaMap& m, std::span<const std::string_view> keys) {
  for (std::string_view k : keys)
    if (const std::string* v = meta(m, k))
      if (auto d = dates::parse_date(*v)) return d;
  return std::nullopt;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// /2022/03/25/, /2022-03-25/, /20220325/ and /2022/03/ in a URL path.
std::optional<PreciseTime> url_date(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  auto path_start = url.find('/', scheme + 3);
  if (path_start == std::string_view::npos) return std::nullopt;
  std::string_view path = url.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  std::vector<std::string_view> seg;
  for (std::size_t i = 1; i <= path.size();) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    seg.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  auto make = [](int y, int m, int d) -> std::optional<PreciseTime> {
    using namespace std::chrono;
    if (y < 1995 || y > 2100 || m < 1 || m > 12) return std::nullopt;
    if (d == 0) return PreciseTime{sys_days(year{y} / month{static_cast<unsigned>(m)} / 1), DatePrecision::kMonth};
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return PreciseTime{sys_days(ymd), DatePrecision::kDay};
  };
  for (std::size_t i = 0; i < seg.size(); ++i) {
    std::string_view s = seg[i];
    // /2022/03/25/ and /2017/7/12/.
    auto one_or_two = [](std::string_view x) { return (x.size() == 1 || x.size() == 2) && all_digits(x); };
    if (s.size() == 4 && all_digits(s) && i + 1 < seg.size() && one_or_two(seg[i + 1])) {
      int y = std::stoi(std::string(s)), m = std::stoi(std::string(seg[i + 1]));
      if (i + 2 < seg.size() && one_or_two(seg[i + 2])) return make(y, m, std::stoi(std::string(seg[i + 2])));
      if (seg[i + 1].size() == 2) return make(y, m, 0);
      continue;
    }
    // /2019/nov/18/ (the Guardian, PolitiFact).
    if (s.size() == 4 && all_digits(s) && i + 2 < seg.size() && seg[i + 1].size() == 3 && one_or_two(seg[i + 2])) {
      static constexpr std::string_view kAbbr[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
      const std::string m = ascii_lower(seg[i + 1]);
      for (int k = 0; k < 12; ++k)
        if (m == kAbbr[k])
          if (auto d = make(std::stoi(std::string(s)), k + 1, std::stoi(std::string(seg[i + 2])))) return d;
    }
    // A slug that ends in -20191115.
    if (s.size() > 9 && (s[s.size() - 9] == '-' || s[s.size() - 9] == '_') && all_digits(s.substr(s.size() - 8))) {
      std::string_view t = s.substr(s.size() - 8);
      if (auto d = make(std::stoi(std::string(t.substr(0, 4))), std::stoi(std::string(t.substr(4, 2))),
                        std::stoi(std::string(t.substr(6, 2)))))
        return d;
    }
    // A segment that is 29-10-2021 or 29.10.2021.
    if (s.size() == 10 && all_digits(s.substr(0, 2)) && (s[2] == '-' || s[2] == '.') && s[5] == s[2] &&
        all_digits(s.substr(3, 2)) && all_digits(s.substr(6, 4)))
      if (auto d = make(std::stoi(std::string(s.substr(6, 4))), std::stoi(std::string(s.substr(3, 2))),
                        std::stoi(std::string(s.substr(0, 2)))))
        return d;
    // 2022-03-25 at the start of a segment, or a segment that is 20220325.
    if (s.size() >= 10 && all_digits(s.substr(0, 4)) && s[4] == '-' && all_digits(s.substr(5, 2)) && s[7] == '-' &&
        all_digits(s.substr(8, 2)))
      return make(std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(5, 2))),
                  std::stoi(std::string(s.substr(8, 2))));
    if (s.size() == 8 && all_digits(s))
      if (auto d = make(std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(4, 2))),
                        std::stoi(std::string(s.substr(6, 2)))))
        return d;
  }
  return std::nullopt;
}

std::string primary_language(std::string_view tag) {
  tag = trim_ascii_space(tag);
  std::size_t end = tag.find_first_of("-_ ;,");
  std::string primary = ascii_lower(tag.substr(0, end));
  if (primary.size() < 2 || primary.size() > 3) return {};
  for (char c : primary)
    if (c < 'a' || c > 'z') return {};
  return primary;
}

// Title minus a trailing (or leading) site name: "Headline | Site".
std::string strip_site_suffix(const std::string& title, std::string_view site, bool only_if_site) {
  static const std::array<std::string_view, 8> kSeparators = {" | ",  " - ",        " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                                              " :: ", " \xC2\xB7 ", " \xC2\xBB ",     " // "};
  for (std::string_view sep : kSeparators) {
    std::size_t pos = title.rfind(sep);
    if (pos == std::string::npos || pos == 0) continue;
    std::string_view head = trim_ascii_space(std::string_view(title).substr(0, pos));
    std::string_view tail = trim_ascii_space(std::string_view(title).substr(pos + sep.size()));
    if (!site.empty() && ascii_iequals(tail, site)) return std::string(head);
    std::size_t first = title.find(sep);
    if (!site.empty() && first != std::string::npos &&
        ascii_iequals(trim_ascii_space(std::string_view(title).substr(0, first)), site))
      return std::string(trim_ascii_space(std::string_view(title).substr(first + sep.size())));
    if (only_if_site) continue;
    // Without a known site name: drop a short tail when the head is a real headline.
    auto words = [](std::string_view s) { return std::count(s.begin(), s.end(), ' ') + 1; };
    if (words(tail) <= 4 && words(head) >= 3) return std::string(head);
  }
  return title;
}

std::string guess_language(std::string_view text) {
  // Scripts first, then stop words for Latin-script languages.
  std::size_t cyr = 0, han = 0, kana = 0, hangul = 0, arabic = 0, greek = 0, hebrew = 0, latin = 0;
  std::size_t limit = std::min<std::size_t>(text.size(), 20000);
  for (std::size_t i = 0; i < limit;) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    char32_t cp;
    std::size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if (c < 0xE0 && i + 1 < limit) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      len = 2;
    } else if (c < 0xF0 && i + 2 < limit) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      len = 3;
    } else {
      cp = 0;
      len = c >= 0xF0 ? 4 : 1;
    }
    i += len;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
      ++latin;
    else if (cp >= 0x400 && cp < 0x530)
      ++cyr;
    else if (cp >= 0x370 && cp < 0x400)
      ++greek;
    else if (cp >= 0x590 && cp < 0x600)
      ++hebrew;
    else if (cp >= 0x600 && cp < 0x700)
      ++arabic;
    else if (cp >= 0x3040 && cp < 0x3100)
      ++kana;
    else if (cp >= 0xAC00 && cp < 0xD7B0)
      ++hangul;
    else if (cp >= 0x4E00 && cp < 0xA000)
      ++han;
  }
  std::size_t total = cyr + han + kana + hangul + arabic + greek + hebrew + latin;
  if (total < 20) return {};
  if (kana * 10 > total) return "ja";
  if (hangul * 3 > total) return "ko";
  if (han * 3 > total) return "zh";
  if (cyr * 2 > total) return "ru";
  if (arabic * 2 > total) return "ar";
  if (greek * 2 > total) return "el";
  if (hebrew * 2 > total) return "he";
  struct Lang {
    const char* code;
    std::array<std::string_view, 8> words;
  };
  static const std::array<Lang, 7> kLangs = {{
      {"en", {"the", "and", "of", "to", "is", "that", "with", "for"}},
      {"de", {"der", "die", "und", "das", "ist", "nicht", "mit", "auf"}},
      {"fr", {"le", "les", "et", "des", "est", "une", "pour", "dans"}},
      {"es", {"el", "los", "las", "y", "que", "del", "por", "una"}},
      {"it", {"il", "di", "che", "per", "non", "della", "sono", "gli"}},
      {"pt", {"o", "os", "que", "do", "da", "não", "uma", "para"}},
      {"nl", {"de", "het", "een", "en", "van", "niet", "zijn", "voor"}},
  }};
  std::array<int, 7> counts{};
  std::size_t i = 0, words = 0;
  while (i < limit && words < 2000) {
    while (i < limit && !std::isalpha(static_cast<unsigned char>(text[i])) &&
           static_cast<unsigned char>(text[i]) < 0x80)
      ++i;
    std::size_t j = i;
    while (j < limit &&
           (std::isalpha(static_cast<unsigned char>(text[j])) || static_cast<unsigned char>(text[j]) >= 0x80))
      ++j;
    if (j == i) break;
    std::string w = ascii_lower(text.substr(i, j - i));
    ++words;
    for (std::size_t l = 0; l < kLangs.size(); ++l)
      for (std::string_view sw : kLangs[l].words)
        if (w == sw) ++counts[l];
    i = j;
  }
  auto best = std::max_element(counts.begin(), counts.end());
  if (*best < 3 || static_cast<std::size_t>(*best) * 20 < words) return {};
  return kLangs[static_cast<std::size_t>(best - counts.begin())].code;
}

std::string node_text(const html::Document& doc, std::size_t root) {
  const auto& nodes = doc.nodes();
  std::string out;
  bool pending = false;
  for (std::int32_t j = static_cast<std::int32_t>(root); j < nodes[root].end; ++j) {
    auto i = static_cast<std::size_t>(j);
    if (nodes[i].kind == Kind::kElement &&
        (nodes[i].tag == GUMBO_TAG_SCRIPT || nodes[i].tag == GUMBO_TAG_STYLE || nodes[i].tag == GUMBO_TAG_TEMPLATE)) {
      j = nodes[i].end - 1;
      continue;
    }
    if (nodes[i].kind != Kind::kElement) html::append_collapsed(out, doc.text(i), pending);
    if (out.size() > 2000) break;
  }
  return std::string(trim_ascii_space(out));
}

// ---- Publication dates -------------------------------------------------------

constexpr std::size_t kMaxDateMarkup = 40;  // date-class elements looked at
constexpr std::size_t kMaxPlaceChecks = 400;
constexpr std::size_t kMaxScriptBytes =
    4u << 20;  // inline script text searched for a date      // elements whose ancestors are walked
constexpr std::size_t kMaxPageText = 200u << 10;  // body text searched for dates

// Class or id words that mark an element holding the publication date
// (htmldate's and the common CMS names: "date", "datum", "entry-date",
// "post-meta", "byline", "dateline", "published", "fecha", "meta-info" ...).
bool date_markup_name(std::string_view cls) {
  // "updated", "last-modified": the modification date, ranked apart.
  if (cls.find("updat") != std::string_view::npos || cls.find("modif") != std::string_view::npos) return false;
  for (std::string_view k : {"date",     "datum",      "time",      "posted",       "publish",  "pubdate",   "byline",
                             "dateline", "entry-meta", "post-meta", "article-meta", "postmeta", "meta-info", "metadata",
                             "fecha",    "data-pub",   "submitted", "created",      "author",   "info",      "meta"})
    if (cls.find(k) != std::string_view::npos) return true;
  return false;
}

// Names of places that hold other pages' or readers' dates.
bool foreign_place(const html::Document& doc, std::size_t i) {
  const auto& nodes = doc.nodes();
  int hops = 0;
  for (std::int32_t p = static_cast<std::int32_t>(i); p >= 0 && hops < 40;
       p = nodes[static_cast<std::size_t>(p)].parent, ++hops) {
    auto k = static_cast<std::size_t>(p);
    GumboTag t = nodes[k].tag;
    if (t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_NAV) return true;
    std::string cls = ascii_lower(std::string(doc.attr(k, "class")) + " " + std::string(doc.attr(k, "id")));
    // Comments, sidebars, lists of other pages, and the site header's
    // "today" widget ("Thursday, November 9th 2023").
    for (std::string_view word : {"comment", "sidebar", "related", "footer", "widget", "teaser", "site-header",
                                  "header-top", "top-header", "td-header", "masthead", "top-bar", "topbar", "head-date",
                                  "navbar", "menu", "breadcrumb", "ticker", "weather"})
      if (cls.find(word) != std::string::npos) return true;
  }
  return false;
}

// The text of the body in document order (scripts, styles and templates
// skipped), blocks separated by newlines, at most kMaxPageText bytes; `marks`
// receives the text offset of each listed node.
std::string page_text(const html::Document& doc, std::size_t from,
                      std::vector<std::pair<std::size_t, std::size_t>>& marks) {
  const auto& nodes = doc.nodes();
  std::string out;
  std::size_t m = 0;
  std::sort(marks.begin(), marks.end());
  for (std::size_t i = from; i < nodes.size() && out.size() < kMaxPageText; ++i) {
    while (m < marks.size() && marks[m].first <= i) marks[m++].second = out.size();
    const html::Node& n = nodes[i];
    if (n.kind == Kind::kElement) {
      if (n.tag == GUMBO_TAG_SCRIPT || n.tag == GUMBO_TAG_STYLE || n.tag == GUMBO_TAG_TEMPLATE ||
          n.tag == GUMBO_TAG_NOSCRIPT) {
        i = static_cast<std::size_t>(n.end) - 1;
        continue;
      }
      if (html::is_block_tag(n.tag) || n.tag == GUMBO_TAG_BR) {
        if (!out.empty() && out.back() != '\n') out += '\n';
      }
      continue;
    }
    std::string_view t = doc.text(i);
    if (!out.empty() && out.back() != '\n' && out.back() != ' ') out += ' ';
    out.append(t.substr(0, kMaxPageText - std::min(kMaxPageText, out.size())));
  }
  while (m < marks.size()) marks[m++].second = out.size();
  return out;
}

// `needle` (lower case) in `hay` at the start of a word, ignoring ASCII case.
bool ascii_ifind(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (i > 0 &&
        (std::isalpha(static_cast<unsigned char>(hay[i - 1])) || static_cast<unsigned char>(hay[i - 1]) >= 0x80))
      continue;
    bool ok = true;
    for (std::size_t k = 0; k < needle.size() && ok; ++k)
      ok = std::tolower(static_cast<unsigned char>(hay[i + k])) == static_cast<unsigned char>(needle[k]);
    if (ok) return true;
  }
  return false;
}

// A label just before a date in text: +1 for a publication label
// ("Published", "Datum:", "Veröffentlicht am", "publié le", ...), -1 for a
// modification label ("Updated", "Aktualisiert", "mis à jour"), 0 none.
// `before` is the text from the start of the date's line; the label word
// starts a word within its last 24 bytes. Bare prepositions ("am", "vom",
// "le", "on") are no label: sentences use them for every other date ("die am
// 15. Januar in Kraft getretene Regel").
int date_label(std::string_view before) {
  if (before.size() > 48) before = before.substr(before.size() - 48);
  std::string_view tail = before.size() > 24 ? before.substr(before.size() - 24) : before;
  for (std::string_view k : {"updated", "aktualisiert", "modified", "mis \xC3\xA0 jour", "modifi\xC3\xA9", "aggiornato",
                             "actualizado", "atualizado", "bijgewerkt", "ge\xC3\xA4ndert", "last edited", "revised"})
    if (ascii_ifind(tail, k)) return -1;
  for (std::string_view k : {"published", "publication", "posted", "datum", "date",
                             "ver\xC3\xB6"
                             "ffentlicht",
                             "erschienen", "erstellt", "publi\xC3\xA9", "pubblicato", "publicado", "publicad",
                             "opublikowano", "gepubliceerd", "geplaatst", "written", "stand", "data", "fecha"})
    if (ascii_ifind(tail, k)) return 1;
  return 0;
}

// The page's convention for slash dates: US English writes month first.
dates::DayOrder slash_order(std::string_view lang_tag) {
  std::string t = ascii_lower(trim_ascii_space(lang_tag));
  if (t == "en" || t.starts_with("en-us") || t.starts_with("en_us")) return dates::DayOrder::kMonthFirst;
  return dates::DayOrder::kDayFirst;
}

// The value of the first publication key in script text:
// "datePublished":"...", "publishedDate": "...", 'published_at':'...'.
std::string script_date(std::string_view text) {
  std::size_t best = std::string_view::npos;
  std::string value;
  for (std::string_view key : {"datePublished", "publishedDate", "published_at", "publishDate", "date_published",
                               "publicationDate", "firstPublished", "publishedAt"}) {
    for (std::size_t at = text.find(key); at != std::string_view::npos && at < best; at = text.find(key, at + 1)) {
      std::size_t j = at + key.size();
      if (at == 0 || (text[at - 1] != '"' && text[at - 1] != '\'') || j >= text.size() || text[j] != text[at - 1])
        continue;
      ++j;
      while (j < text.size() && (text[j] == ' ' || text[j] == ':')) ++j;
      if (j >= text.size() || (text[j] != '"' && text[j] != '\'')) continue;
      const char quote = text[j++];
      std::size_t end = text.find(quote, j);
      if (end == std::string_view::npos || end - j > 40 || end == j) continue;
      best = at;
      value = std::string(text.substr(j, end - j));
      break;
    }
  }
  return value;
}

struct DateChoice {
  dates::LocalDate date;
  std::string source;
};

// Meta names that carry the modification date, best first.
constexpr std::string_view kModifiedMeta[] = {
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "dc.date.modified",      "dcterms.modified",         "lastmod",         "revised"};

// ---- One pass over the document ----------------------------------------------

// What the pass over the document collects: meta tags, scripts, the
// headline, microdata, bylines and the places that may hold a date.
struct PageFacts {
  MetaMap metas;
  std::vector<std::string> scripts;  // JSON-LD texts
  std::string title_tag, h1, canonical_link, html_lang;
  std::string time_published, item_published, item_modified;
  std::vector<std::string> byline_authors;
  std::string byline_text;
  // Date places: microformats, date markup (index, is a byline), the headline.
  std::string microformat_published, microformat_updated, item_created, time_body;
  std::vector<std::size_t> date_markup;
  std::size_t headline_node = 0, h2_node = 0;
  std::vector<std::size_t> other_scripts;  // text nodes of inline scripts, for script_date()
  std::size_t body_node = 0;
};

// Walks the nodes once in document order and fills PageFacts.
class PageScan {
 public:
  explicit PageScan(const html::Document& doc) : doc_(doc) {}

  // Every element, then the headline falls back to the first <h2>.
  PageFacts run() && {
    const auto& nodes = doc_.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const html::Node& n = nodes[i];
      if (n.kind != Kind::kElement) continue;
      i = read_tag(i);
      if (n.tag == GUMBO_TAG_META) continue;
      read_microdata(i, n.end);
      if (in_body_ && (doc_.has_attr(i, "class") || doc_.has_attr(i, "id"))) read_class_markup(i);
    }
    if (f_.headline_node == 0) f_.headline_node = f_.h2_node;  // blogs title posts with <h2>
    return std::move(f_);
  }

 private:
  // Records a meta name (lower-cased, trimmed) with its value; the first wins.
  void put(std::string key, std::string_view value) {
    key = ascii_lower(trim_ascii_space(key));
    if (key.empty()) return;
    f_.metas.try_emplace(std::move(key), html::collapse_whitespace(value));
  }

  // Whether element `i` may hold this page's date (not a footer, sidebar,
  // comment ...); the ancestor walks are bounded per page.
  bool own_place(std::size_t i) { return place_checks_++ < kMaxPlaceChecks && !foreign_place(doc_, i); }

  // What the element's tag says (<html lang>, <title>, <meta>, <link
  // rel=canonical>, scripts, headings, <time>); returns the last node
  // handled, past the content of elements whose text is not the page's.
  std::size_t read_tag(std::size_t i) {
    const html::Node& n = doc_.nodes()[i];
    switch (n.tag) {
      case GUMBO_TAG_HTML:
        if (f_.html_lang.empty()) f_.html_lang = std::string(doc_.attr(i, "lang"));
        if (f_.html_lang.empty()) f_.html_lang = std::string(doc_.attr(i, "xml:lang"));
        break;
      case GUMBO_TAG_BODY:
        in_body_ = true;
        f_.body_node = i;
        break;
      case GUMBO_TAG_TITLE:
        if (f_.title_tag.empty() && !in_body_) f_.title_tag = node_text(doc_, i);
        break;
      case GUMBO_TAG_META: {
        std::string_view content = doc_.attr(i, "content");
        if (content.empty()) break;
        for (const char* a : {"property", "name", "itemprop", "http-equiv"}) {
          std::string_view key = doc_.attr(i, a);
          if (!key.empty()) put(std::string(key), content);
        }
        break;
      }
      case GUMBO_TAG_LINK: {
        std::string rel = ascii_lower(doc_.attr(i, "rel"));
        if (rel == "canonical" && f_.canonical_link.empty())
          f_.canonical_link = std::string(trim_ascii_space(doc_.attr(i, "href")));
        break;
      }
      case GUMBO_TAG_SCRIPT: {
        std::string type = ascii_lower(trim_ascii_space(doc_.attr(i, "type")));
        if (type == "application/ld+json" && n.end > static_cast<std::int32_t>(i) + 1) {
          std::string s;
          for (std::int32_t c = static_cast<std::int32_t>(i) + 1; c < n.end; ++c)
            s += doc_.text(static_cast<std::size_t>(c));
          f_.scripts.push_back(std::move(s));
        } else if (n.end > static_cast<std::int32_t>(i) + 1 && f_.other_scripts.size() < 64) {
          f_.other_scripts.push_back(i + 1);
        }
        return static_cast<std::size_t>(n.end) - 1;
      }
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_TEMPLATE:
      case GUMBO_TAG_NOSCRIPT:
        return static_cast<std::size_t>(n.end) - 1;
      case GUMBO_TAG_H2:
        if (f_.h2_node == 0 && in_body_) f_.h2_node = i;
        break;
      case GUMBO_TAG_H1:
        if (f_.h1.empty()) {
          f_.h1 = node_text(doc_, i);
          f_.headline_node = i;
        }
        break;
      case GUMBO_TAG_TIME:
        read_time(i);
        break;
      default:
        break;
    }
    return i;
  }

  // <time datetime> (pubdate or itemprop=datePublished, else the first in
  // the body), and <time> without one as date markup.
  void read_time(std::size_t i) {
    std::string_view dt = doc_.attr(i, "datetime");
    if (dt.empty()) {
      // <time>29.04.2020, 12:01 Uhr</time>: date markup by its tag.
      if (in_body_ && !doc_.has_attr(i, "class") && f_.date_markup.size() < kMaxDateMarkup && own_place(i))
        f_.date_markup.push_back(i);
      return;
    }
    std::string_view itemprop = doc_.attr(i, "itemprop");
    if (f_.time_published.empty() && (doc_.has_attr(i, "pubdate") || itemprop == "datePublished"))
      f_.time_published = std::string(dt);
    if (f_.time_body.empty() && in_body_ && own_place(i)) f_.time_body = std::string(dt);
  }

  // Microdata dates and authors (itemprop) and rel=author on element `i`;
  // `end` bounds the search for an author's itemprop=name.
  void read_microdata(std::size_t i, std::int32_t end) {
    std::string_view itemprop = doc_.attr(i, "itemprop");
    if (!itemprop.empty()) {
      std::string_view value = doc_.attr(i, "content");
      if (value.empty()) value = doc_.attr(i, "datetime");
      auto value_or_text = [&] { return value.empty() ? node_text(doc_, i) : std::string(value); };
      if (itemprop == "datePublished" && f_.item_published.empty()) f_.item_published = value_or_text();
      if (itemprop == "dateModified" && f_.item_modified.empty()) f_.item_modified = value_or_text();
      if ((itemprop == "dateCreated" || itemprop == "uploadDate") && f_.item_created.empty())
        f_.item_created = value_or_text();
      if (itemprop.find("author") != std::string_view::npos && f_.byline_authors.size() < kMaxAuthors) {
        // <span itemprop="author"><span itemprop="name">X</span></span>
        std::string name;
        for (std::int32_t c = static_cast<std::int32_t>(i) + 1; c < end; ++c)
          if (doc_.attr(static_cast<std::size_t>(c), "itemprop") == "name") {
            name = node_text(doc_, static_cast<std::size_t>(c));
            break;
          }
        if (name.empty()) name = value_or_text();
        if (name.size() < 100) f_.byline_authors.push_back(name);
      }
    }
    if (doc_.attr(i, "rel") == "author" && f_.byline_authors.size() < kMaxAuthors) {
      std::string name = node_text(doc_, i);
      if (name.size() < 100) f_.byline_authors.push_back(name);
    }
  }

  // Class and id words of a body element: the byline, hAtom/microformat
  // stamps, and date markup.
  void read_class_markup(std::size_t i) {
    std::string cls = ascii_lower(std::string(doc_.attr(i, "class")) + " " + std::string(doc_.attr(i, "id")));
    if (f_.byline_text.empty() &&
        (cls.find("byline") != std::string::npos || cls.find("dateline") != std::string::npos)) {
      std::string t = node_text(doc_, i);
      if (!t.empty() && t.size() < 300) f_.byline_text = t;
    }
    // hAtom / microformats: <abbr class="published" title="2009-08-06T14:12:32+0200">.
    std::string_view stamp = doc_.attr(i, "title");
    if (stamp.empty()) stamp = doc_.attr(i, "datetime");
    if (!stamp.empty() && stamp.size() < 64) {
      if (f_.microformat_published.empty() &&
          (cls.find("published") != std::string::npos || cls.find("dtstart") != std::string::npos))
        f_.microformat_published = std::string(stamp);
      else if (f_.microformat_updated.empty() && cls.find("updated") != std::string::npos)
        f_.microformat_updated = std::string(stamp);
    }
    if (f_.date_markup.size() < kMaxDateMarkup && date_markup_name(cls) && own_place(i)) f_.date_markup.push_back(i);
  }

  const html::Document& doc_;
  PageFacts f_;
  bool in_body_ = false;
  std::size_t place_checks_ = 0;  // ancestor walks of foreign_place(), bounded per page
};

// ---- Names, title, language, canonical URL -------------------------------------

// og:site_name, else the JSON-LD publisher, else application-name.
std::string choose_site_name(const MetaMap& metas, const JsonLd& ld) {
  if (const std::string* v = meta(metas, "og:site_name")) return *v;
  if (!ld.publisher.empty()) return ld.publisher;
  if (const std::string* v = meta(metas, "application-name")) return *v;
  return {};
}

// og:title, JSON-LD headline, twitter:title, <h1>, <title>: the first
// present, stripped of the site's name.
std::string choose_title(const MetaMap& metas, const JsonLd& ld, const PageFacts& page, std::string_view site) {
  if (const std::string* v = meta(metas, "og:title")) return strip_site_suffix(*v, site, true);
  if (!ld.headline.empty()) return ld.headline;
  if (const std::string* v = meta(metas, "twitter:title")) return strip_site_suffix(*v, site, true);
  if (!page.h1.empty()) return page.h1;
  return strip_site_suffix(page.title_tag, site, false);
}

// The primary language tag: <html lang>, language meta names, JSON-LD
// inLanguage, the HTTP Content-Language; "" when none says.
std::string choose_language(const MetaMap& metas, const JsonLd& ld, const PageFacts& page, const Options& options) {
  std::string language = primary_language(page.html_lang);
  if (language.empty())
    for (const char* key : {"content-language", "language", "dc.language", "og:locale"})
      if (const std::string* v = meta(metas, key)) {
        language = primary_language(*v);
        if (!language.empty()) break;
      }
  if (language.empty()) language = primary_language(ld.language);
  if (language.empty()) language = primary_language(options.http_content_language);
  return language;
}

// <link rel=canonical>, else og:url, resolved against the page URL (or,
// without one, against an absolute og:url); "" when the page names none.
std::string resolve_canonical(const MetaMap& metas, const std::string& canonical_link, const std::string& page_url) {
  std::string canonical = canonical_link;
  if (canonical.empty())
    if (const std::string* v = meta(metas, "og:url")) canonical = *v;
  if (canonical.empty()) return canonical;
  if (!page_url.empty()) {
    if (auto base = Url::parse(page_url)) {
      if (auto resolved = base->resolve(canonical)) canonical = resolved->str();
    }
  } else if (auto parsed = Url::parse(canonical)) {
    canonical = parsed->str();
  } else {
    // Relative, and no page URL: resolve against og:url when that is absolute.
    const std::string* og = meta(metas, "og:url");
    auto base = og != nullptr ? Url::parse(*og) : Result<Url>(fail(ErrorCode::kInvalidArgument, "no base"));
    auto resolved = base ? base->resolve(canonical) : Result<Url>(fail(ErrorCode::kInvalidArgument, "no base"));
    canonical = resolved ? resolved->str() : std::string();
  }
  return canonical;
}

// ---- Publication date ------------------------------------------------------------

// Publication names (Open Graph, schema.org, news CMSs, scholarly citations).
constexpr std::string_view kPublishedMeta[] = {"article:published_time",
                                               "og:article:published_time",
                                               "og:published_time",
                                               "article.published",
                                               "datepublished",
                                               "pubdate",
                                               "publishdate",
                                               "publish-date",
                                               "publish_date",
                                               "published_time",
                                               "parsely-pub-date",
                                               "sailthru.date",
                                               "sw-pubdate",
                                               "publication_date",
                                               "dc.date.issued",
                                               "dcterms.issued",
                                               "dc:date.issued",
                                               "citation_publication_date",
                                               "citation_date",
                                               "bepress_citation_date",
                                               "citation_online_date",
                                               "originalpublicationdate",
                                               "article_date_original",
                                               "og:pubdate",
                                               "rnews:datepublished",
                                               "article:post_date",
                                               "og:published",
                                               "cxenseparse:recs:publishtime"};
// Generic date names, which CMSs also fill with other days.
constexpr std::string_view kGenericMeta[] = {
    "displaydate", "dc.date",    "dc:date",         "dcterms.date",      "dcterms:date",
    "date",        "pdate",      "dc.date.created", "dcterms.created",   "datecreated",
    "created",     "og:regdate", "uploaddate",      "dc.date.available", "creation_date"};

// Every place the page states its publication date, best founded first:
// each step below runs only while no earlier one has chosen a date (the URL
// and the byline may still correct one).
class PublishedSearch {
 public:
  PublishedSearch(const html::Document& doc, const PageFacts& page, const JsonLd& ld, const Options& options,
                  const std::string& language, const std::string& canonical)
      : doc_(doc),
        page_(page),
        ld_(ld),
        options_(options),
        language_(language),
        canonical_(canonical),
        max_year_(
            options.reference
                ? static_cast<int>(
                      std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(*options.reference)}.year()) +
                      1
                : 2100) {}

  std::optional<DateChoice> run() && {
    structured_dates();
    url_day();
    shown_dates();
    labelled_body_date();
    consider(page_.time_body, "time");
    script_date_state();
    modification_dates();
    title_and_description_dates();
    near_headline();
    most_written_day();
    return std::move(chosen_);
  }

 private:
  // A day from 1995 up to the day after the reference time.
  bool plausible(const dates::LocalDate& d) const {
    const auto min_day = std::chrono::sys_days{std::chrono::year{1995} / 1 / 1};
    if (d.date.precision < DatePrecision::kDay) return false;
    const auto day = dates::local_day(d);
    if (day < min_day) return false;
    if (options_.reference && day > std::chrono::floor<std::chrono::days>(*options_.reference) + std::chrono::days{1})
      return false;
    return true;
  }

  // A structured value as a plausible date, or nullopt.
  std::optional<dates::LocalDate> take(std::string_view value) const {
    if (value.empty()) return std::nullopt;
    auto d = dates::parse_date_local(value);
    if (!d && value.size() > 10 && value[4] == '-' && value[7] == '-')
      d = dates::parse_date_local(value.substr(0, 10));  // "2022-01-10T22:06:08:684Z": the day stands
    if (d && plausible(*d)) return d;
    return std::nullopt;
  }

  // Chooses `value` when nothing is chosen yet and it is a plausible date.
  void consider(std::string_view value, std::string source) {
    if (chosen_) return;
    if (auto d = take(value)) chosen_ = DateChoice{*d, std::move(source)};
  }

  // The first of `keys` whose meta value is a plausible date.
  void consider_meta(std::span<const std::string_view> keys, std::string_view prefix) {
    for (std::string_view k : keys) {
      if (chosen_) break;
      if (const std::string* v = meta(page_.metas, k)) consider(*v, std::string(prefix) + std::string(k));
    }
  }

  // JSON-LD, then names that say "published", before the page's own
  // microdata; the generic "date", "DC.date" or "created" after it.
  void structured_dates() {
    consider(ld_.date_published, "json-ld");
    consider(ld_.any_date_published, "json-ld");
    consider_meta(kPublishedMeta, "meta:");
    consider(page_.item_published, "microdata");
    consider(page_.time_published, "time-pubdate");
    consider(page_.microformat_published, "microformat");
    consider_meta(kGenericMeta, "meta:");
    if (!chosen_) {
      // Other publisher names: "five_hundred_pixels:uploaded", "og:release_date" ...
      std::vector<std::string_view> keys;
      for (const auto& [k, v] : page_.metas) {
        bool dated = k.find("publish") != std::string::npos || k.find("pubdate") != std::string::npos ||
                     k.find("pub_date") != std::string::npos || k.find("upload") != std::string::npos ||
                     k.find("release") != std::string::npos || k.find("created") != std::string::npos;
        bool other = k.find("modif") != std::string::npos || k.find("updat") != std::string::npos ||
                     k.find("expir") != std::string::npos || k.find("revis") != std::string::npos;
        if (dated && !other) keys.push_back(k);
      }
      std::sort(keys.begin(), keys.end());
      for (std::string_view k : keys) consider(page_.metas.at(std::string(k)), "meta:" + std::string(k));
    }
    consider(page_.item_created, "microdata");
  }

  // The URL (the page's own, else its canonical address): a full day there
  // is the publication day, and wins over a structured date of another day.
  void url_day() {
    const std::string& page_url = options_.url;
    std::optional<PreciseTime> in_url = page_url.empty() ? std::nullopt : url_date(page_url);
    if (!in_url && !canonical_.empty()) in_url = url_date(canonical_);
    if (in_url && in_url->precision == DatePrecision::kDay) {
      dates::LocalDate u{*in_url, std::nullopt};
      if (plausible(u) && (!chosen_ || dates::local_day(chosen_->date) != dates::local_day(u)))
        chosen_ = DateChoice{u, "url"};
    }
  }

  // Slash dates: the order the page's other dates settle, else its language's.
  dates::DayOrder order() {
    if (!page_order_) {
      std::vector<std::pair<std::size_t, std::size_t>> none;
      page_order_ = dates::settled_slash_order(page_text(doc_, page_.body_node, none));
      if (!page_order_) page_order_ = slash_order(page_.html_lang.empty() ? language_ : page_.html_lang);
    }
    return *page_order_;
  }

  // The plausible dates written in `text`.
  std::vector<dates::TextDate> text_dates(std::string_view text, bool short_years) {
    dates::TextDateOptions o;
    if (text.find('/') != std::string_view::npos) o.slash_order = order();
    o.two_digit_years = short_years;
    o.max_year = max_year_;
    auto found = dates::find_text_dates(text, o);
    std::erase_if(found, [&](const dates::TextDate& t) { return !plausible(t.date); });
    return found;
  }

  // The first day the byline or the date markup shows.
  std::optional<dates::LocalDate> markup_date() {
    if (!page_.byline_text.empty()) {
      auto found = text_dates(page_.byline_text, true);
      if (!found.empty()) return found.front().date;
    }
    // A modification label ("Aktualisiert am") passes to the element's next date.
    for (std::size_t idx : page_.date_markup) {
      std::string t = node_text(doc_, idx);
      if (t.size() > 400) t.resize(400);
      auto found = text_dates(t, true);
      for (const auto& f : found) {
        if (date_label(std::string_view(t).substr(0, f.begin)) < 0 && &f != &found.back()) continue;
        return f.date;
      }
    }
    return std::nullopt;
  }

  // Visible text: the byline and the date markup. A time in UTC hides the
  // publisher's day; the day the page shows next to the article settles it
  // when it is one day off.
  void shown_dates() {
    if (chosen_ && chosen_->date.date.precision >= DatePrecision::kMinute && chosen_->source != "url" &&
        chosen_->date.offset_minutes.value_or(0) == 0) {
      if (auto shown = markup_date()) {
        auto delta = dates::local_day(*shown) - dates::local_day(chosen_->date);
        if (delta == std::chrono::days{1} || delta == std::chrono::days{-1}) chosen_ = DateChoice{*shown, "byline"};
      }
    }
    if (!chosen_)
      if (auto shown = markup_date()) chosen_ = DateChoice{*shown, "byline"};
  }

  // The body's text and its dates (kept for the last steps), and the first
  // of them behind a publication label: "Published 3 March 2020", "Datum:
  // 18.10.2021", "publié le 3 mars 2020".
  void labelled_body_date() {
    if (chosen_) return;
    std::vector<std::pair<std::size_t, std::size_t>> marks;
    if (page_.headline_node != 0) marks.emplace_back(page_.headline_node, 0);
    body_ = page_text(doc_, page_.body_node, marks);
    if (!marks.empty()) headline_at_ = marks.front().second;
    body_dates_ = text_dates(body_, false);
    for (const auto& f : body_dates_) {
      std::string_view before =
          std::string_view(body_).substr(f.begin > 64 ? f.begin - 64 : 0, std::min<std::size_t>(f.begin, 64));
      if (before.find('\n') != std::string_view::npos) before = before.substr(before.rfind('\n') + 1);
      if (date_label(before) > 0) {
        chosen_ = DateChoice{f.date, "byline"};
        break;
      }
    }
  }

  // The page's own state in inline scripts: {"datePublished":"2016-11-04T20:37:27Z"}.
  void script_date_state() {
    if (chosen_) return;
    std::size_t budget = kMaxScriptBytes;
    for (std::size_t t : page_.other_scripts) {
      std::string_view text = doc_.text(t);
      if (text.size() > budget) text = text.substr(0, budget);
      budget -= text.size();
      if (std::string value = script_date(text); !value.empty()) consider(value, "script");
      if (chosen_ || budget == 0) break;
    }
  }

  // The modification date stands in for an unknown publication date.
  void modification_dates() {
    consider(ld_.date_modified, "modified:json-ld");
    consider_meta(kModifiedMeta, "modified:meta:");
    consider(page_.item_modified, "modified:microdata");
    consider(page_.microformat_updated, "modified:microformat");
  }

  // A date in the <title>, then in the description.
  void title_and_description_dates() {
    if (!chosen_) {
      auto found = text_dates(page_.title_tag, false);
      if (!found.empty()) chosen_ = DateChoice{found.front().date, "title"};
    }
    for (const char* key : {"og:description", "description"}) {
      if (chosen_) break;
      if (const std::string* v = meta(page_.metas, key)) {
        auto found = text_dates(*v, false);
        if (!found.empty()) chosen_ = DateChoice{found.front().date, "description"};
      }
    }
  }

  // The first day written within a screen of the headline ("02.12.19" too).
  void near_headline() {
    if (chosen_ || page_.headline_node == 0) return;
    std::size_t from = headline_at_ > 600 ? headline_at_ - 600 : 0;
    std::size_t to = std::min(body_.size(), headline_at_ + 1500);
    if (from < to) {
      std::string_view window = std::string_view(body_).substr(from, to - from);
      if (from > 0) window.remove_prefix(std::min(window.size(), window.find_first_of(" \n") + 1));
      auto found = text_dates(window, true);
      if (!found.empty()) chosen_ = DateChoice{found.front().date, "headline-text"};
    }
  }

  // The text at large: the day written most often, the latest on a tie.
  void most_written_day() {
    if (chosen_ || body_dates_.empty()) return;
    std::vector<std::pair<std::chrono::sys_days, const dates::TextDate*>> days;
    for (const auto& f : body_dates_) days.emplace_back(dates::local_day(f.date), &f);
    std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t best_count = 0;
    const dates::TextDate* best = nullptr;
    for (std::size_t a = 0; a < days.size();) {
      std::size_t b = a;
      while (b < days.size() && days[b].first == days[a].first) ++b;
      if (b - a >= best_count) best_count = b - a, best = days[a].second;
      a = b;
    }
    if (best != nullptr) chosen_ = DateChoice{best->date, "text"};
  }

  const html::Document& doc_;
  const PageFacts& page_;
  const JsonLd& ld_;
  const Options& options_;
  const std::string& language_;   // the article's, for the order of slash dates
  const std::string& canonical_;  // resolved, or ""
  const int max_year_;            // the latest year a date in the text may name
  std::optional<DateChoice> chosen_;
  std::optional<dates::DayOrder> page_order_;
  std::string body_;  // labelled_body_date() on: the body's text, its dates, the headline's offset
  std::vector<dates::TextDate> body_dates_;
  std::size_t headline_at_ = 0;
};

// JSON-LD dateModified, the modification meta names, microdata.
std::optional<PreciseTime> choose_modified(const MetaMap& metas, const JsonLd& ld, const PageFacts& page) {
  auto parse = [](const std::string& s) { return s.empty() ? std::nullopt : dates::parse_date(s); };
  std::optional<PreciseTime> modified = parse(ld.date_modified);
  if (!modified) modified = first_date(metas, kModifiedMeta);
  if (!modified) modified = parse(page.item_modified);
  return modified;
}

// ---- Authors and description ---------------------------------------------------

// "By Jane Roe and John Doe | March 25, 2022": the names up to a separator
// or the date, when the byline starts with "By".
void add_byline_names(std::string_view byline, std::vector<std::string>& authors) {
  std::string_view b = trim_ascii_space(byline);
  bool has_by = false;
  for (std::string_view prefix : {"By ", "by ", "BY "})
    if (b.starts_with(prefix)) {
      b.remove_prefix(prefix.size());
      has_by = true;
    }
  if (!has_by) return;
  if (auto found = dates::find_prose_date(b)) b = b.substr(0, found->begin);
  b = b.substr(0, std::min(b.find('|'), b.find(" - ")));
  b = b.substr(0, b.find(" on "));
  b = trim_ascii_space(b);
  while (!b.empty() && (b.back() == ',' || b.back() == '|' || b.back() == '-'))
    b = trim_ascii_space(b.substr(0, b.size() - 1));
  std::string names(b);
  std::size_t pos;
  while ((pos = names.find(" and ")) != std::string::npos) names.replace(pos, 5, ",");
  std::size_t start = 0;
  while (start < names.size() && authors.size() < kMaxAuthors) {
    std::size_t comma = names.find(',', start);
    if (comma == std::string::npos) comma = names.size();
    std::string name(trim_ascii_space(std::string_view(names).substr(start, comma - start)));
    if (!name.empty() && std::count(name.begin(), name.end(), ' ') <= 4) add_author(authors, name);
    start = comma + 1;
  }
}

// JSON-LD authors, else the first author meta name that is no URL, else
// microdata and rel=author, else the names of a "By ..." byline.
std::vector<std::string> choose_authors(const MetaMap& metas, const JsonLd& ld, const PageFacts& page) {
  std::vector<std::string> authors;
  for (const auto& a : ld.authors) add_author(authors, a);
  if (authors.empty())
    for (const char* key : {"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"})
      if (const std::string* v = meta(metas, key)) {
        if (looks_like_url(*v)) continue;
        add_author(authors, *v);
        break;
      }
  if (authors.empty())
    for (const auto& a : page.byline_authors) add_author(authors, a);
  if (authors.empty() && !page.byline_text.empty()) add_byline_names(page.byline_text, authors);
  return authors;
}

// The first description meta name, else JSON-LD's description.
std::string choose_description(const MetaMap& metas, const JsonLd& ld) {
  for (const char* key : {"og:description", "description", "twitter:description", "dc.description"})
    if (const std::string* v = meta(metas, key)) return *v;
  return ld.description;
}

}  // namespace

JsonLd extract_metadata(const html::Document& doc, const Options& options, Article& article) {
  const PageFacts page = PageScan(doc).run();
  const MetaMap& metas = page.metas;
  JsonLd ld = read_json_ld(page.scripts);
  // Site name first: the title is stripped of it.
  article.site_name = choose_site_name(metas, ld);
  article.title = choose_title(metas, ld, page, article.site_name);
  // Language before the date: it settles the order of slash dates.
  article.language = choose_language(metas, ld, page, options);
  const std::string canonical = resolve_canonical(metas, page.canonical_link, options.url);
  article.canonical_url = canonical.empty() ? options.url : canonical;
  if (auto chosen = PublishedSearch(doc, page, ld, options, article.language, canonical).run()) {
    article.published = chosen->date.date;
    article.published_offset_minutes = chosen->date.offset_minutes;
    article.published_source = std::move(chosen->source);
  }
  article.modified = choose_modified(metas, ld, page);
  article.authors = choose_authors(metas, ld, page);
  article.description = choose_description(metas, ld);
  return ld;
}

std::string detect_language(std::string_view text) { return guess_language(text); }

}  // namespace banwatch::article::detail

namespace banwatch::article {

bool published_source_is_structured(std::string_view source) {
  return source == "url" || source == "json-ld" || source.starts_with("meta:") || source == "microdata" ||
         source == "time-pubdate" || source == "microformat";
}

}  // namespace banwatch::article
