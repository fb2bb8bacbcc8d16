// The rule engine reading a text. Per text: split into sentences; one RE2::Set
// pass per sentence finds vendor names, generic references and action
// triggers; only a sentence holding a vendor (or a reference to one named
// earlier in the paragraph) and a trigger is analysed further. There,
// dictionary mentions are replaced by tokens and the action patterns, written
// against that masked sentence, pick subjects and objects; status cues,
// negation, scope and date are read around the match; the clause and
// discourse layers (rules_frames.cpp) read what the patterns do not.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <unordered_map>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "common/text.h"
#include "parsers/language.h"
#include "parsers/rules_engine.h"

namespace banwatch::rules::internal {
namespace {

bool overlaps(const Mention& m, const std::vector<Mention>& accepted) {
  for (const auto& a : accepted)
    if (m.begin < a.end && a.begin < m.end) return true;
  return false;
}

// A body the pack does not list, named after its country: the country's
// shortest adjective (the first of equal length) before the body's own name,
// else the country's name.
std::string qualified_name(const ActorDef& country, std::string_view body) {
  const std::string* adjective = nullptr;
  for (const auto& adj : country.adjectives)
    if (adjective == nullptr || adj.size() < adjective->size()) adjective = &adj;
  return (adjective != nullptr ? *adjective : country.name) + " " + std::string(body);
}

}  // namespace

Engine::SetHits Engine::scan(std::string_view sentence) const {
  SetHits hits;
  std::vector<int> v;
  RE2::Set::ErrorInfo info{};
  if (!sentence_set_->Match(re2::StringPiece(sentence.data(), sentence.size()), &v, &info)) {
    if (info.kind != RE2::Set::kNoError) hits.failed = true;
    return hits;
  }
  for (int i : v) {
    if (i == sentence_bodies_index_)
      hits.bodies = true;
    else if (i == sentence_appositives_index_)
      hits.appositives = true;
    else if (i == sentence_countries_index_)
      hits.countries = true;
    else
      hits.triggers.push_back(i);
  }
  return hits;
}

namespace {

// The definition whose name, else whose alias, is `name` (the canonical name
// first: an alias of one definition may be written like another's name).
template <typename Def, typename Terms>
std::optional<std::string> find_canonical(const std::vector<Def>& defs, std::string_view name, Terms terms) {
  for (const auto& def : defs)
    if (ascii_iequals(def.name, name)) return def.name;
  for (const auto& def : defs)
    for (const auto& term : terms(def))
      if (ascii_iequals(term, name)) return def.name;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> Engine::canonical_vendor(std::string_view name) const {
  return find_canonical(
      pack_.vendors, name, [](const internal::VendorDef& d) -> const auto& { return d.terms; });
}

std::optional<std::string> Engine::canonical_actor(std::string_view name) const {
  return find_canonical(
      pack_.actors, name, [](const internal::ActorDef& d) -> const auto& { return d.forms; });
}

std::vector<std::string> Engine::actor_names(std::string_view name) const {
  const auto canonical = canonical_actor(name);
  if (!canonical) return {};
  for (const auto& def : pack_.actors) {
    if (def.name != *canonical) continue;
    std::vector<std::string> names = {def.name};
    names.insert(names.end(), def.forms.begin(), def.forms.end());
    return names;
  }
  return {*canonical};
}

bool Engine::is_candidate(std::string_view text) const {
  std::vector<int> v;
  RE2::Set::ErrorInfo info{};
  if (!set_->Match(re2::StringPiece(text.data(), text.size()), &v, &info)) return info.kind != RE2::Set::kNoError;
  return true;
}

// Where the word after a leading "[Tt]he\s+" (the dictionary patterns'
// optional article) starts in s[begin, end), or `begin` when there is none.
std::size_t after_article(const re2::StringPiece& s, std::size_t begin, std::size_t end) {
  auto space = [&](std::size_t i) {
    const char c = s[i];
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  };
  if (end - begin <= 4 || (s[begin] != 'T' && s[begin] != 't') || s[begin + 1] != 'h' || s[begin + 2] != 'e' ||
      !space(begin + 3))
    return begin;
  std::size_t at = begin + 3;
  while (at < end && space(at)) ++at;
  return at;
}

namespace {

// The first position >= `from` where "[Tt]he" and a whitespace byte (RE2's
// \s) start; text.size() if none.
std::size_t next_article(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i + 3 < text.size(); ++i) {
    if (text[i + 1] != 'h' || text[i + 2] != 'e' || (text[i] != 'T' && text[i] != 't')) continue;
    const char c = text[i + 3];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r') return i;
  }
  return text.size();
}

}  // namespace

bool Engine::leftmost_at_starts(const RE2& re, const internal::TermStarts& starts, const re2::StringPiece& s,
                                std::size_t pos, re2::StringPiece* g) {
  const std::string_view text(s.data(), s.size());
  std::size_t term = starts.next(text, pos), article = next_article(text, pos);
  while (true) {
    const std::size_t at = std::min(term, article);
    if (at >= text.size()) return false;
    // The leftmost match is the first possible start where the anchored search succeeds.
    if (re.Match(s, at, s.size(), RE2::ANCHOR_START, g, 1)) return true;
    if (at == term) term = starts.next(text, at + 1);
    if (at == article) article = next_article(text, at + 1);
  }
}

// body_re_.Match(s, pos, s.size(), UNANCHORED, g, 3) for g[0] and g[1]. The
// capture engine over the body dictionary's long alternation is what costs;
// here the DFAs find the match, and group 1 follows from the pattern's shape,
// (?:[Tt]he\s+)?(TERMS)(?:\s*\(ACRONYM\))?, read leftmost-first: the optional
// article is taken when a term follows it, and the first term that matches
// there wins (what follows it is optional).
bool Engine::match_body(const re2::StringPiece& s, std::size_t pos, re2::StringPiece* g) const {
  if (!body_terms_re_) return body_re_->Match(s, pos, s.size(), RE2::UNANCHORED, g, 3);
  if (!leftmost_at_starts(*body_re_, *body_starts_, s, pos, g)) return false;
  const std::size_t begin = static_cast<std::size_t>(g[0].data() - s.data()), end = begin + g[0].size();
  if (const std::size_t at = after_article(s, begin, end);
      at != begin && body_terms_re_->Match(s, at, end, RE2::ANCHOR_START, &g[1], 1))
    return true;
  if (body_terms_re_->Match(s, begin, end, RE2::ANCHOR_START, &g[1], 1)) return true;
  return body_re_->Match(s, begin, s.size(), RE2::ANCHOR_START, g, 3);  // not reached: the shapes agree
}

// country_re_.Match(s, pos, s.size(), UNANCHORED, g, 6) for g[0] to g[4], in
// the same way as match_body(): the pattern is
// (?:[Tt]he\s+)?(?:(FORMS)(POSS?TAIL)?|(ADJECTIVES)(TAIL))(?:\s*\(ACRONYM\))?, and
// when a form matches where the match starts (after the article, if one is
// there) the first branch is taken with the first form that matches, and its
// optional tail is the tail's own leftmost match there. Anything else (an
// adjective) goes to the capture engine.
bool Engine::match_country(const re2::StringPiece& s, std::size_t pos, re2::StringPiece* g) const {
  if (!country_starts_) return country_re_->Match(s, pos, s.size(), RE2::UNANCHORED, g, 6);
  if (!leftmost_at_starts(*country_re_, *country_starts_, s, pos, g)) return false;
  const std::size_t begin = static_cast<std::size_t>(g[0].data() - s.data()), end = begin + g[0].size();
  const std::size_t word = after_article(s, begin, end);
  // Should the forms not compile, the capture engine below reads every match.
  if (country_forms_re_->Match(s, word, end, RE2::ANCHOR_START, &g[1], 1)) {
    const std::size_t form_end = static_cast<std::size_t>(g[1].data() - s.data()) + g[1].size();
    if (!country_tail_re_->Match(s, form_end, end, RE2::ANCHOR_START, &g[2], 1)) g[2] = re2::StringPiece();
    g[3] = g[4] = g[5] = re2::StringPiece();
    return true;
  }
  // The leftmost match starts at `begin`: the capture engine reads it there.
  return country_re_->Match(s, begin, s.size(), RE2::ANCHOR_START, g, 6);
}

// "China's DeepSeek", "Russia's antivirus maker Kaspersky": a possessive
// country before a vendor, with at most two lower-case descriptor words and
// no action word between, says where the vendor is from.
bool Engine::vendor_of_country(std::string_view s, std::size_t country_end, const std::vector<Mention>& known) const {
  if (!frames_) return false;  // without a lexicon, "X's ban on Y" cannot be told from "X's Y"
  std::size_t at = country_end;
  if (s.substr(at).starts_with("'s"))
    at += 2;
  else if (s.substr(at).starts_with("\xE2\x80\x99s"))
    at += 4;
  else
    return false;
  for (const auto& v : known) {
    if (v.kind != MentionKind::kVendor || v.begin < at) continue;
    const std::string_view gap = s.substr(at, v.begin - at);
    if (gap.size() > 40 || gap.find_first_of(",;:()\"") != std::string_view::npos) return false;
    int words = 0;
    bool word = false;
    for (char c : gap) {
      if (c >= 'A' && c <= 'Z') return false;
      const bool letter = c != ' ' && c != '\t' && c != '\n';
      if (letter && !word) ++words;
      word = letter;
    }
    if (words > 2) return false;
    return !frames_->relates(gap);
  }
  return false;
}

void Engine::named_courts(std::string_view s, std::vector<Mention>& accepted) const {
  const std::vector<Word> words = words_in(s, 0, s.size());
  auto capital = [&](const Word& w) { return std::isupper(static_cast<unsigned char>(s[w.begin])) != 0; };
  auto bare = [&](const Word& w) {  // the word without its possessive
    std::string_view t = s.substr(w.begin, w.end - w.begin);
    for (const char* poss : {"'s", "\xE2\x80\x99s"})
      if (t.size() > std::strlen(poss) && t.ends_with(poss)) t.remove_suffix(std::strlen(poss));
    return t;
  };
  auto is_head = [&](const Word& w) { return capital(w) && court_heads_.contains(term_key(bare(w))); };
  auto joined = [&](const Word& a, const Word& b) {  // only spaces between
    return s.substr(a.end, b.begin - a.end).find_first_not_of(' ') == std::string_view::npos;
  };
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (!is_head(words[k]) || (k > 0 && is_head(words[k - 1]) && joined(words[k - 1], words[k]))) continue;
    // Back over capitalized words: modifiers ("High", "District") and the
    // place; a possessive ends the place ("Moscow's Tagansky District Court").
    std::size_t first = k;
    int country = -1;
    bool proper = false, own = false;
    while (first > 0 && k - first < 5 && capital(words[first - 1]) && joined(words[first - 1], words[first])) {
      const std::string key = term_key(bare(words[first - 1]));
      if (not_actors_.contains(key) && !head_modifiers_.contains(key)) break;
      --first;
      if (head_modifiers_.contains(key)) continue;
      proper = true;
      if (auto f = country_forms_.find(key); f != country_forms_.end()) {
        country = f->second;
        own = term_key(pack_.actors[std::size_t(country)].name) == key;
      } else if (auto a = country_adjectives_.find(key); a != country_adjectives_.end()) {
        country = a->second;
        own = true;
      }
    }
    if (!proper) continue;
    std::size_t last = k;  // "Court Justice X": the court ends at its last head
    while (last + 1 < words.size() && is_head(words[last + 1]) && joined(words[last], words[last + 1])) ++last;
    Mention m{words[first].begin, words[k].end, MentionKind::kActor, -1, "", "other", ""};
    // "the Islamabad High Court (IHC)": the acronym belongs to the name.
    static const RE2 acronym(R"(^\s*\([A-Z][A-Za-z.&]{1,12}\))");
    if (re2::StringPiece rest(s.data() + m.end, s.size() - m.end); last == k && RE2::Consume(&rest, acronym))
      m.end = static_cast<std::size_t>(rest.data() - s.data());
    if (std::any_of(accepted.begin(), accepted.end(),
                    [&](const Mention& a) { return a.begin < words[k].end && words[first].begin < a.end; }))
      continue;  // a known body ("U.S. District Court") or a vendor
    std::string name;
    for (std::size_t j = first; j <= k; ++j) name += (name.empty() ? "" : " ") + std::string(bare(words[j]));
    if (own) {
      m.entity = country;
      m.name = pack_.actors[std::size_t(country)].name;
      m.how = "court of " + m.name + ": '" + name + "'";
    } else {
      m.name = name;
      m.how = "named court: '" + name + "'";
    }
    accepted.push_back(std::move(m));
    k = last;
  }
}

bool Engine::bad_subject(std::string_view name) const {
  std::string key = term_key(name);  // also drops a leading "the "
  if (key.empty() || not_actors_.contains(key) || adjective_words_.contains(key)) return true;
  // A name opening with a function word ("Also Ferrari", "Critics of") is not a name.
  std::string first = key.substr(0, key.find(' '));
  if (not_actors_.contains(first)) return true;
  if (vendor_terms_.contains(key)) return true;
  return false;
}

std::vector<Mention> Engine::mentions(std::string_view s, std::optional<int> last_vendor,
                                      const MentionHints& hints) const {
  std::vector<Mention> accepted;
  const re2::StringPiece input(s.data(), s.size());
  re2::StringPiece g[6];
  auto offset = [&](const re2::StringPiece& piece) { return static_cast<std::size_t>(piece.data() - s.data()); };
  // The successive leftmost matches of `re` in the sentence, or the ones the
  // caller already found.
  auto each_match = [&](const RE2& re, const std::vector<std::pair<std::size_t, std::size_t>>* known, auto&& visit) {
    if (known) {
      for (const auto& [b, e] : *known) {
        g[0] = re2::StringPiece(s.data() + b, e - b);
        visit();
      }
      return;
    }
    for (std::size_t pos = 0; pos < s.size() && re.Match(input, pos, s.size(), RE2::UNANCHORED, g, 1);) {
      pos = std::max(offset(g[0]) + g[0].size(), pos + 1);
      visit();
    }
  };

  // 1. Vendors.
  each_match(*vendor_re_, hints.vendors, [&] {
    Mention m{offset(g[0]), offset(g[0]) + g[0].size(), MentionKind::kVendor, -1, "", "", ""};
    auto it = vendor_terms_.find(term_key(std::string_view(g[0].data(), g[0].size())));
    if (it == vendor_terms_.end()) return;
    m.entity = it->second;
    m.name = pack_.vendors[static_cast<std::size_t>(it->second)].name;
    m.how = "vendor dictionary: '" + std::string(g[0].data(), g[0].size()) + "'";
    accepted.push_back(std::move(m));
  });
  // 2. Known bodies (agencies, companies, courts).
  for (std::size_t pos = 0; hints.bodies && pos < s.size() && match_body(input, pos, g);) {
    Mention m{offset(g[0]), offset(g[0]) + g[0].size(), MentionKind::kActor, -1, "", "", ""};
    pos = std::max(m.end, pos + 1);
    if (m.end < s.size() && s[m.end] == '-') continue;  // "FCC-approved"
    auto it = body_terms_.find(term_key(std::string_view(g[1].data(), g[1].size())));
    if (it == body_terms_.end() || overlaps(m, accepted)) continue;
    const auto& a = pack_.actors[static_cast<std::size_t>(it->second)];
    m.entity = it->second;
    m.name = a.name;
    m.type = a.type;
    m.how = "actor dictionary: '" + std::string(g[0].data(), g[0].size()) + "'";
    accepted.push_back(std::move(m));
  }
  // 2b. Courts named by their place.
  named_courts(s, accepted);
  // 3. Appositives naming an unknown organization: "MSP software provider
  // Kaseya", "Telecom and IT services giant NTT". The descriptor words before
  // the head noun belong to the mention (so "Australia" in "Australia and New
  // Zealand distributor X" is not an actor).
  for (std::size_t pos = 0;
       hints.appositives && pos < s.size() && appositive_re_->Match(input, pos, s.size(), RE2::UNANCHORED, g, 3);) {
    std::size_t head_begin = offset(g[1]);
    std::size_t name_begin = offset(g[2]);
    std::size_t name_end = name_begin + g[2].size();
    pos = std::max(name_end, pos + 1);
    std::string name(g[2].data(), g[2].size());
    // Trim a possessive and trailing dots.
    for (const char* suffix : {"'s", "\xE2\x80\x99s"})
      if (name.ends_with(suffix)) {
        name.resize(name.size() - std::strlen(suffix));
        name_end -= std::strlen(suffix);
      }
    while (!name.empty() && name.back() == '.') {
      name.pop_back();
      --name_end;
    }
    if (name.empty() || bad_subject(name)) continue;
    // Extend backwards over descriptor words.
    static const std::set<std::string, std::less<>> stop = {
        "the",   "a",     "an",     "its",     "their", "his",     "her",    "our",  "said",      "says",  "that",
        "which", "who",   "by",     "with",    "of",    "to",      "from",   "in",   "on",        "at",    "for",
        "as",    "is",    "was",    "are",     "were",  "has",     "have",   "had",  "will",      "would", "may",
        "could", "after", "before", "while",   "when",  "also",    "than",   "like", "including", "such",  "but",
        "or",    "nor",   "if",     "because", "told",  "between", "against"};
    std::size_t begin = head_begin;
    int words = 0;
    while (words < 6 && begin > 0) {
      std::size_t e = begin;
      while (e > 0 && (s[e - 1] == ' ')) --e;
      if (e == begin || e == 0) break;
      std::size_t b = e;
      while (b > 0 && s[b - 1] != ' ' && s[b - 1] != ',' && s[b - 1] != ';' && s[b - 1] != ':' && s[b - 1] != '(' &&
             s[b - 1] != '"')
        --b;
      std::string word = term_key(s.substr(b, e - b));
      const char last = s[e - 1];
      if (last == ',' || last == ':' || last == ';' || last == ')' || last == '"' || last == '.') break;
      if (word.empty() || stop.contains(word) || (b > 0 && s[b - 1] != ' ')) {
        if (!word.empty() && !stop.contains(word) && b > 0 && s[b - 1] != ' ') {
          begin = b;  // the clause's first descriptor word, after punctuation
        }
        break;
      }
      begin = b;
      ++words;
    }
    // A descriptor that starts at a capitalized non-clause start is fine; a
    // leading "and" (dangling) is not part of it.
    while (begin < head_begin && s.substr(begin).starts_with("and ")) begin += 4;
    Mention m{begin,
              name_end,
              MentionKind::kActor,
              -1,
              name,
              "company",
              "appositive: '" + std::string(s.substr(begin, name_end - begin)) + "'"};
    Mention name_only{name_begin, name_end, MentionKind::kActor, -1, "", "", ""};
    if (overlaps(name_only, accepted)) continue;  // the name is a vendor or a known body
    // Drop whatever the descriptor overlapped that is not a vendor (countries are
    // matched later, so only appositive conflicts can occur here).
    if (overlaps(m, accepted)) {
      m.begin = name_begin;
    }
    accepted.push_back(std::move(m));
  }
  // 4. Countries, their capitals and adjectives with head nouns.
  for (std::size_t pos = 0; hints.countries && pos < s.size() && match_country(input, pos, g);) {
    Mention m{offset(g[0]), offset(g[0]) + g[0].size(), MentionKind::kActor, -1, "", "", ""};
    pos = std::max(m.end, pos + 1);
    if (m.end < s.size() && s[m.end] == '-') continue;  // "China-based", "U.S.-made"
    if (overlaps(m, accepted)) {
      // "U.S. Commerce Department": the country qualifies a known body right after it.
      continue;
    }
    const bool by_form = g[1].data() != nullptr;
    const re2::StringPiece& word = by_form ? g[1] : g[3];
    const re2::StringPiece& tail = by_form ? g[2] : g[4];
    const auto& table = by_form ? country_forms_ : country_adjectives_;
    auto it = table.find(term_key(std::string_view(word.data(), word.size())));
    if (it == table.end()) continue;
    const auto& a = pack_.actors[static_cast<std::size_t>(it->second)];
    m.entity = it->second;
    m.name = a.name;
    m.type = a.type;
    // The words between the country word and its head must be modifiers the
    // pack allows ("cyber security agency"), not a clause ("will prohibit
    // government"); otherwise the country word stands alone.
    bool tail_ok = tail.data() != nullptr;
    if (tail_ok && !head_modifiers_.empty()) {
      std::string t = term_key(std::string_view(tail.data(), tail.size()));
      for (const char* poss : {"'s ", "\xE2\x80\x99s "})
        if (t.starts_with(poss)) t.erase(0, std::strlen(poss));
      std::istringstream in(t);
      std::vector<std::string> words;
      for (std::string w; in >> w;) words.push_back(w);
      for (std::size_t k = 0; k + 1 < words.size(); ++k)
        if (!head_modifiers_.contains(words[k])) tail_ok = false;
    }
    if (tail.data() != nullptr && !tail_ok) {
      if (!by_form) continue;
      m.end = offset(word) + word.size();
    }
    if (tail_ok) {
      std::string t = term_key(std::string_view(tail.data(), tail.size()));
      auto last_space = t.rfind(' ');
      std::string head = last_space == std::string::npos ? t : t.substr(last_space + 1);
      // Two-word regulator heads ("data protection authority") end in a one-word head too.
      if (regulator_heads_.contains(head)) m.type = "regulator";
      if (court_heads_.contains(head)) m.type = "other";  // "Ireland's High Court"
    }
    // "Sweden's Post and Telecom Authority": a named body of that country.
    if (!tail_ok && by_form) {
      static const RE2 named_body(
          "^(?:'s|\xE2\x80\x99s)\\s+((?:[A-Z][\\w\\-]*\\s+(?:(?:and|of|for|on)\\s+)?){0,5}?"
          "(Authority|Agency|Ministry|Commission|Office|Centre|Center|Council|Department|Directorate|Inspectorate|"
          "Bureau|Service|Regulator|Watchdog|Parliament|Senate|Assembly|Institute|Board|Administration)"
          "(?:\\s+(?:of|for)\\s+(?:[A-Z][\\w\\-]*(?:\\s+and)?\\s*){1,4})?)");
      std::string_view after_country = s.substr(m.end);
      re2::StringPiece body[3];
      if (named_body.Match(re2::StringPiece(after_country.data(), after_country.size()), 0, after_country.size(),
                           RE2::ANCHOR_START, body, 3)) {
        std::string name(body[1].data(), body[1].size());
        while (!name.empty() && name.back() == ' ') name.pop_back();
        const std::string head(body[2].data(), body[2].size());
        static const std::set<std::string, std::less<>> government = {
            "Ministry", "Department", "Council", "Parliament", "Senate", "Assembly", "Administration"};
        // The country stays in the name, as its shortest adjective ("Indian
        // Department of Telecom", "US Department of Labor"; the name itself when
        // the pack gives none): a body's bare name says nothing of where it is.
        // A known body under its country's name or adjective ("Sweden's Post and
        // Telecom Authority" is the Swedish Post and Telecom Authority; "Belgium's
        // Centre for Cybersecurity" the Centre for Cybersecurity Belgium).
        int known_body = -1;
        std::vector<std::string> spellings = {a.name + " " + name, name + " " + a.name};
        for (const auto& adj : a.adjectives) spellings.push_back(adj + " " + name);
        for (const auto& spelling : spellings)
          if (auto hit = body_terms_.find(term_key(spelling)); hit != body_terms_.end()) known_body = hit->second;
        Mention b{m.begin,
                  m.end + static_cast<std::size_t>(body[1].data() - after_country.data()) + name.size(),
                  MentionKind::kActor,
                  known_body,
                  known_body >= 0 ? pack_.actors[std::size_t(known_body)].name : qualified_name(a, name),
                  known_body >= 0             ? pack_.actors[std::size_t(known_body)].type
                  : government.contains(head) ? "government"
                                              : "regulator",
                  "named body of " + a.name + ": '" + name + "'"};
        if (!overlaps(b, accepted)) {
          accepted.push_back(std::move(b));
          continue;
        }
      }
    }
    // A country qualifying a group it does not name ("five EU member nations",
    // "three Baltic states") is no actor; neither is one counted.
    std::string_view after = s.substr(m.end);
    static const RE2 member(R"(^\s+(?:member\s+)?(?:states|nations|countries|members|member|allies|partners)\b)");
    static const RE2 counted(
        R"((?i)(?:\b(?:two|three|four|five|six|seven|eight|nine|ten|several|some|many|other|\d+)\s+)$)");
    const bool bare = !tail_ok;
    if (RE2::PartialMatch(re2::StringPiece(after.data(), after.size()), member) ||
        (bare && RE2::PartialMatch(re2::StringPiece(s.data(), m.begin), counted))) {
      m.kind = MentionKind::kNeutral;
      m.how = "qualifier of an unnamed group";
    } else if (bare && vendor_of_country(s, m.end, accepted)) {
      m.kind = MentionKind::kNeutral;
      m.how = "where the vendor after it is from";
    } else {
      m.how = std::string(by_form ? "country" : "country adjective") + ": '" +
              std::string(s.substr(m.begin, m.end - m.begin)) + "'";
    }
    // A body of the same country right after the country word: the body wins.
    accepted.push_back(std::move(m));
  }
  // 5. Generic references to the vendor named last ("the software maker").
  each_match(*reference_re_, hints.references, [&] {
    Mention m{offset(g[0]), offset(g[0]) + g[0].size(), MentionKind::kReference, -1, "", "", ""};
    if (overlaps(m, accepted)) return;
    // The nearest vendor named before it in this sentence, else in the paragraph.
    int vendor = -1;
    for (const auto& a : accepted)
      if (a.kind == MentionKind::kVendor && a.end <= m.begin) vendor = a.entity;
    std::string how;
    if (vendor >= 0) {
      how = "reference '" + std::string(g[0].data(), g[0].size()) + "' to the vendor named earlier in the sentence";
    } else if (last_vendor) {
      vendor = *last_vendor;
      how = "reference '" + std::string(g[0].data(), g[0].size()) + "' to the vendor named last";
    } else {
      return;
    }
    m.entity = vendor;
    m.name = pack_.vendors[static_cast<std::size_t>(vendor)].name;
    m.how = how;
    accepted.push_back(std::move(m));
  });
  std::sort(accepted.begin(), accepted.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return accepted;
}

std::string Engine::cue_kind(std::string_view before, std::string_view prefix, std::string_view sentence,
                             bool sentence_cues, const std::string& language) const {
  auto matches = [](const std::unique_ptr<RE2>& re, std::string_view text) {
    return re && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re);
  };
  auto hit_in = [&](const std::string& key, bool near) {
    auto it = cues_.find(key);
    if (it == cues_.end()) return false;
    if (near) return matches(it->second.before, before) || matches(it->second.prefix, prefix);
    return sentence_cues && matches(it->second.sentence, sentence);
  };
  auto hit = [&](const char* kind, bool near) {
    return hit_in(kind, near) || (language != "en" && hit_in(language + ":" + kind, near));
  };
  // A negation anywhere it is read wins: a question or a denial framing the
  // sentence ("Why X wants Y banned") reports no measure, whatever status
  // words stand nearer.
  if (hit("negation", true) || hit("negation", false)) return "negation";
  // Nearest cues first: the words between subject and verb decide, then the
  // sentence's framing ("according to a draft decree").
  for (bool near : {true, false})
    for (const char* kind : {"negation", "reversed", "considering", "proposed"})
      if (hit(kind, near)) return kind;
  return "";
}

std::vector<Mention> Engine::sentence_mentions(std::string_view s, std::optional<int> last_vendor, const SetHits& hits,
                                               const MentionHints& known) const {
  MentionHints hints = known;
  if (hits.failed) hints.bodies = hints.appositives = hints.countries = true;
  if (s.size() > kMaxSentenceBytes) hints = MentionHints{};  // the candidate pass saw the whole sentence
  return mentions(s.substr(0, std::min(s.size(), kMaxSentenceBytes)), last_vendor, hints);
}

void Engine::analyse(std::string_view text, const text::Sentence& sentence, std::string_view s,
                     const std::vector<Mention>& ms, const SetHits& hits, LazyDate& date, const ExtractContext& context,
                     std::vector<Extraction>& out, std::optional<int>& vendor_after) const {
  for (const auto& m : ms)
    if (m.kind == MentionKind::kVendor) vendor_after = m.entity;

  // The masked sentence.
  std::string masked;
  masked.reserve(s.size() + 16);
  std::vector<Piece> pieces;
  std::size_t at = 0;
  auto copy_plain = [&](std::size_t from, std::size_t to) {
    if (to <= from) return;
    pieces.push_back(Piece{masked.size(), from, to - from, to - from});
    for (std::size_t i = from; i < to; ++i) {
      char c = s[i];
      masked.push_back(c == kOpen || c == kClose ? ' ' : c);
    }
  };
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const auto& m = ms[i];
    copy_plain(at, m.begin);
    std::string token(1, kOpen);
    token += m.kind == MentionKind::kVendor      ? 'V'
             : m.kind == MentionKind::kReference ? 'R'
             : m.kind == MentionKind::kActor     ? 'A'
                                                 : 'N';
    token += std::to_string(i);
    token.push_back(kClose);
    pieces.push_back(Piece{masked.size(), m.begin, token.size(), m.end - m.begin});
    masked += token;
    at = m.end;
  }
  copy_plain(at, s.size());
  auto to_orig = [&](std::size_t mpos) -> std::size_t {
    for (const auto& p : pieces)
      if (mpos >= p.masked_begin && mpos < p.masked_begin + p.masked_len)
        return p.orig_begin + (p.masked_len == p.orig_len ? mpos - p.masked_begin : 0);
    return s.size();
  };
  auto tokens_in = [&](const re2::StringPiece& g, char kind1, char kind2) {
    std::vector<int> idx;
    if (g.data() == nullptr) return idx;
    std::string_view v(g.data(), g.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] != kOpen || i + 1 >= v.size() || (v[i + 1] != kind1 && v[i + 1] != kind2)) continue;
      idx.push_back(std::atoi(std::string(v.substr(i + 2)).c_str()));
    }
    return idx;
  };

  std::vector<int> trigger_list = hits.triggers;
  if (hits.failed) {
    trigger_list.clear();
    for (std::size_t i = 0; i < triggers_.size(); ++i) trigger_list.push_back(static_cast<int>(i));
  }
  // One event per actor and vendor in a sentence: the earliest rule in pack
  // order wins, so specific rules ("removed from the Entity List") are listed
  // before general ones ("removed").
  std::set<std::pair<std::string, std::string>> seen;
  std::optional<std::string> evidence;  // built for the first event only
  const re2::StringPiece minput(masked);
  std::vector<int> rule_ids;
  for (int t : trigger_list)
    for (int r : rules_by_trigger_[static_cast<std::size_t>(t)]) rule_ids.push_back(r);
  std::sort(rule_ids.begin(), rule_ids.end());  // pack order: earlier rules take precedence
  for (int r : rule_ids) {
    const auto& rule = rules_[static_cast<std::size_t>(r)];
    const int ngroups = rule.re->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> g(static_cast<std::size_t>(ngroups));
    std::size_t pos = 0;
    for (int round = 0; round < kMaxMatchesPerRule && pos < masked.size(); ++round) {
      if (!rule.re->Match(minput, pos, masked.size(), RE2::UNANCHORED, g.data(), ngroups)) break;
      const std::size_t mbegin = static_cast<std::size_t>(g[0].data() - masked.data());
      const std::size_t mend = mbegin + g[0].size();
      const re2::StringPiece& cue = g[static_cast<std::size_t>(rule.cue_group)];
      const std::size_t cue_begin = cue.data() ? static_cast<std::size_t>(cue.data() - masked.data()) : mbegin;
      const std::size_t cue_end = cue.data() ? cue_begin + cue.size() : mend;
      pos = std::max(mbegin + 1, cue_end);

      struct ActorPick {
        std::string name, type, how;
        bool unknown = false;
      };
      std::vector<ActorPick> actors;
      for (int i : tokens_in(g[static_cast<std::size_t>(rule.actors_group)], 'A', 'A')) {
        if (i < 0 || static_cast<std::size_t>(i) >= ms.size()) continue;
        const auto& m = ms[static_cast<std::size_t>(i)];
        actors.push_back(ActorPick{m.name, m.type, m.how, m.entity < 0});
      }
      const auto subject_it = rule.re->NamedCapturingGroups().find("subject");
      if (actors.empty() && subject_it != rule.re->NamedCapturingGroups().end()) {
        const re2::StringPiece& subj = g[static_cast<std::size_t>(subject_it->second)];
        if (subj.data() != nullptr) {
          // "Cambridge University and Imperial College": one actor per name.
          static const RE2 separator(R"((\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as|along\s+with|plus)\s+))");
          std::string all(subj.data(), subj.size());
          std::vector<std::string> names;
          re2::StringPiece rest(all), sep;
          std::size_t from = 0;
          while (RE2::FindAndConsume(&rest, separator, &sep)) {
            const std::size_t sep_at = static_cast<std::size_t>(sep.data() - all.data());
            names.push_back(all.substr(from, sep_at - from));
            from = sep_at + sep.size();
          }
          names.push_back(all.substr(from));
          bool bad = false;
          for (auto& name : names) {
            while (!name.empty() && name.back() == '.') name.pop_back();
            if (name.starts_with("The ") && name.size() > 4 && name[4] >= 'A' && name[4] <= 'Z') name.erase(0, 4);
            if (bad_subject(name)) bad = true;
          }
          if (bad) {
            pos = mbegin + 1;
            continue;
          }
          for (const auto& name : names)
            actors.push_back(ActorPick{name, "company", "subject proper noun '" + name + "'", true});
        }
      }
      std::vector<const Mention*> vendors;
      for (int i : tokens_in(g[static_cast<std::size_t>(rule.vendors_group)], 'V', 'R')) {
        if (i < 0 || static_cast<std::size_t>(i) >= ms.size()) continue;
        // "Facebook's WhatsApp": the owner's possessive right before another
        // vendor names what is meant, not a second patient.
        if (const std::size_t k = static_cast<std::size_t>(i) + 1;
            k < ms.size() && ms[k].kind == MentionKind::kVendor && ms[k - 1].kind == MentionKind::kVendor) {
          const std::string_view gap = s.substr(ms[k - 1].end, ms[k].begin - ms[k - 1].end);
          if (gap == "'s " || gap == "\xE2\x80\x99s ") continue;
        }
        vendors.push_back(&ms[static_cast<std::size_t>(i)]);
      }
      if (actors.empty() || vendors.empty()) continue;
      if (frames_ && cue.data() != nullptr) {
        // The vendors stand in another clause than the action word ("will
        // exclude risky gear without a ruling on X"): not its object.
        const re2::StringPiece& vg = g[static_cast<std::size_t>(rule.vendors_group)];
        const std::size_t vb = static_cast<std::size_t>(vg.data() - masked.data());
        const auto [clause_b, clause_e] = frames_->clause_around(masked, cue_begin, cue_end);
        if (vb >= clause_e || vb + vg.size() <= clause_b) continue;
      }
      if (rule.unless) {
        // The match and what directly follows it ("banned Telegram channels").
        const std::size_t tail_end = std::min(masked.size(), mend + 40);
        if (RE2::PartialMatch(re2::StringPiece(masked.data() + mbegin, tail_end - mbegin), *rule.unless)) continue;
      }

      std::string status = rule.def->status;
      // The cue itself counts ("proposed restrictions on ..."), so patterns
      // keep status words out of their cue groups unless meant.
      std::string_view before(masked.data() + mbegin, cue_end - mbegin);
      const std::size_t prefix_begin = mbegin > 60 ? mbegin - 60 : 0;
      std::string_view prefix(masked.data() + prefix_begin, mbegin - prefix_begin);
      // Sentence-wide cues count in the match's clause when the pack's
      // lexicon says where clauses end ("X banned Y, but Z proposed a ban").
      std::string_view clause = masked;
      if (frames_) {
        const auto [clause_b, clause_e] = frames_->clause_around(masked, mbegin, mend);
        clause = std::string_view(masked).substr(clause_b, clause_e - clause_b);
      }
      std::string kind = cue_kind(before, prefix, clause, rule.def->status_cues == "all");
      if (kind == "negation") continue;
      // Advice and pressure: the frames read the adviser's warning; the one
      // advised or pressed takes no act.
      if (frames_ && frames_->advised_or_pressed(masked, cue_begin)) continue;
      // "ordered Apple and Google to block X": the ones told take no act; the
      // frames read the giver's.
      if (const re2::StringPiece& ag = g[static_cast<std::size_t>(rule.actors_group)];
          frames_ && ag.data() != nullptr && frames_->told(masked, static_cast<std::size_t>(ag.data() - masked.data())))
        continue;
      if (!rule.def->fixed_status && !kind.empty()) status = kind;

      std::string scope;
      for (const auto& sre : scopes_) {
        re2::StringPiece sg[2];
        if (sre->Match(minput, cue_begin, masked.size(), RE2::UNANCHORED, sg, 2) && sg[1].data() != nullptr) {
          std::string found = collapse_ascii_space(std::string_view(sg[1].data(), sg[1].size()));
          if (found.find(kOpen) == std::string::npos) {
            scope = found;
            break;
          }
        }
      }

      for (const auto& actor : actors) {
        for (const Mention* v : vendors) {
          if (term_key(actor.name) == term_key(v->name)) continue;
          auto key = std::make_pair(actor.name, v->name);
          if (!seen.insert(key).second) continue;
          Extraction x;
          auto& ev = x.event;
          ev.vendor = v->name;
          ev.actor = actor.name;
          ev.actor_type =
              rule.def->actor_type.empty() ? (actor.type.empty() ? "other" : actor.type) : rule.def->actor_type;
          ev.action = rule.def->action;
          ev.status = status;
          ev.scope = scope;
          ev.event_date = date.get().date;
          if (!evidence) evidence = collapse_ascii_space(sentence.view(text));
          ev.evidence = *evidence;
          ev.rule_id = rule.def->id;
          ev.rule_pack_version = version_;
          double confidence = rule.def->confidence;
          if (v->kind == MentionKind::kReference) confidence -= 0.1;
          if (actor.unknown) confidence -= 0.1;
          if (vendors.size() > 1 || actors.size() > 1) confidence -= 0.05;
          ev.confidence = std::clamp(confidence, 0.05, 1.0);
          x.sentence_begin = sentence.begin;
          x.sentence_end = sentence.end;
          if (context.explain) {
            Explanation e;
            e.rule_id = rule.def->id;
            e.match_begin = to_orig(mbegin);
            e.match_end = mend > 0 ? std::min(s.size(), to_orig(mend - 1) + 1) : 0;
            if (mend > 0) {
              // The match may end inside a token: cover the whole mention.
              for (const auto& p : pieces)
                if (mend - 1 >= p.masked_begin && mend - 1 < p.masked_begin + p.masked_len &&
                    p.masked_len != p.orig_len)
                  e.match_end = p.orig_begin + p.orig_len;
            }
            e.actor_how = actor.how;
            e.vendor_how = v->how;
            e.date_how = date.get().date ? date.get().how : "no date in the sentence or its context";
            if (!kind.empty() && !rule.def->fixed_status) e.date_how += "; status cue: " + kind;
            x.explanation = std::move(e);
          }
          out.push_back(std::move(x));
        }
      }
    }
  }
}

const internal::FrameReader* Engine::reader_for(const std::string& language) const {
  for (const auto& r : readers_) {
    if (r->lexicon->language != language) continue;
    // Built on first use; a lexicon that does not compile reads as none.
    std::call_once(r->once, [&] {
      if (auto reader = internal::FrameReader::build(*r->lexicon, pack_, regex_options_))
        r->reader = std::move(*reader);
    });
    if (r->reader) return r->reader.get();
  }
  return nullptr;
}

void Engine::add_frames(const internal::FrameReader& reader, std::string_view text, const text::Sentence& sentence,
                        std::string_view s, const std::vector<Mention>& ms, internal::FrameReader::Discourse& discourse,
                        LazyDate& date, const ExtractContext& context, std::vector<Extraction>& out) const {
  const auto frames = reader.read(s, ms, discourse);
  std::optional<std::string> evidence;
  // One event per actor and vendor in a sentence, as with the patterns: what
  // a pattern (or an earlier action word) read here wins.
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& x : out)
    if (x.sentence_begin == sentence.begin && x.sentence_end == sentence.end)
      seen.emplace(term_key(x.event.actor), x.event.vendor);
  for (const auto& f : frames) {
    const std::size_t prefix_begin = f.cue_begin > 60 ? f.cue_begin - 60 : 0;
    const std::string_view before = s.substr(f.cue_begin, f.trigger_begin - f.cue_begin);  // not the action word itself
    const std::string_view prefix = s.substr(prefix_begin, f.cue_begin - prefix_begin);
    // Cues are written in lower case; a sentence may open with one ("If ...").
    // Sentence-wide cues ("a draft law", "proposed legislation") count in
    // the frame's own clause only: "X banned it, and Y has proposed a ban".
    const std::string_view clause =
        f.clause_end > f.clause_begin ? s.substr(f.clause_begin, f.clause_end - f.clause_begin) : s;
    std::string kind = cue_kind(ascii_lower(before), ascii_lower(prefix), clause, true, reader.language());
    if (kind == "negation") continue;
    // A court that blocks or suspends a vendor bans it: the cue that reads a
    // court's step as the reversal of a measure is about this very act.
    if (kind == "reversed" && f.action == "ban" && !f.actors.empty() &&
        std::all_of(f.actors.begin(), f.actors.end(), [](const auto& a) { return a.type == "other"; }))
      kind.clear();
    // So is a lifting: the cue that reads it as a measure blocked ("a judge
    // blocked the department from imposing restrictions on X") is the lifting.
    if (kind == "reversed" && f.action == "lift_ban") kind.clear();
    std::string scope;
    const re2::StringPiece input(s.data(), s.size());
    for (const auto& sre : scopes_) {
      re2::StringPiece sg[2];
      if (sre->Match(input, f.trigger_begin, s.size(), RE2::UNANCHORED, sg, 2) && sg[1].data() != nullptr) {
        scope = collapse_ascii_space(std::string_view(sg[1].data(), sg[1].size()));
        break;
      }
    }
    for (const auto& actor : f.actors) {
      for (const auto& v : f.vendors) {
        if (term_key(actor.name) == term_key(v.name)) continue;
        if (!seen.emplace(term_key(actor.name), v.name).second) continue;
        Extraction x;
        auto& ev = x.event;
        ev.vendor = v.name;
        ev.actor = actor.name;
        ev.actor_type = actor.type.empty() ? "other" : actor.type;
        ev.action = f.action;
        ev.status = kind.empty() ? "enacted" : kind;
        ev.scope = scope;
        ev.event_date = date.get().date;
        if (!evidence) evidence = collapse_ascii_space(sentence.view(text));
        ev.evidence = *evidence;
        // A list item names only the vendor: the line that announced the
        // list comes first ("... covered by the order: ... ZTE Corporation;").
        if (const auto& e = discourse.enumeration;
            f.voice == "listed" && e && e->last == discourse.sentence && e->opened < discourse.sentence)
          ev.evidence = collapse_ascii_space(text.substr(e->begin, e->end - e->begin)) +
                        (e->opened + 1 == discourse.sentence ? " " : " \xE2\x80\xA6 ") + *evidence;
        ev.rule_id = "frame." + f.action + "." + f.voice;
        ev.rule_pack_version = version_;
        ev.confidence =
            std::clamp(f.confidence - (f.vendors.size() > 1 || f.actors.size() > 1 ? 0.05 : 0.0), 0.05, 1.0);
        x.sentence_begin = sentence.begin;
        x.sentence_end = sentence.end;
        if (context.explain) {
          Explanation e;
          e.rule_id = ev.rule_id;
          e.match_begin = f.trigger_begin;
          e.match_end = f.trigger_end;
          e.actor_how = actor.how;
          e.vendor_how = v.how;
          e.date_how = date.get().date ? date.get().how : "no date in the sentence or its context";
          if (!kind.empty()) e.date_how += "; status cue: " + kind;
          x.explanation = std::move(e);
        }
        out.push_back(std::move(x));
      }
    }
  }
}

namespace {

// How far a report says the measure went: a decision outranks a proposal.
int decidedness(const Extraction& x) { return x.event.status == "reversed" ? 2 : x.event.status == "enacted" ? 1 : 0; }

}  // namespace

// One event per actor, vendor and action in a text: a headline and the body
// that repeats it, or two sentences about one measure, are one event. The
// first report is kept, unless a later one states a date the first does not
// (its sentence then is the better evidence); a pattern's event is preferred
// to a frame's for the same key.
void merge_repeats(std::vector<Extraction>& out) {
  const auto decided = decidedness;
  // A proposal dated before its enactment, both dated, is an earlier step of
  // the case told in the same article ("proposed on 23 November; banned on
  // 3 December"), not the same act said twice.
  auto earlier_step = [&](const Extraction& a, const Extraction& b) {
    if (decided(a) == decided(b) || (decided(a) > 0 && decided(b) > 0)) return false;
    const Extraction& step = decided(a) ? b : a;
    const Extraction& act = decided(a) ? a : b;
    return step.event.event_date && act.event.event_date && step.event.event_date->time < act.event.event_date->time;
  };
  std::vector<Extraction> kept;
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::size_t>> index;
  for (auto& x : out) {
    auto& slots = index[std::make_tuple(term_key(x.event.actor), x.event.vendor, x.event.action)];
    auto same = std::find_if(slots.begin(), slots.end(), [&](std::size_t k) { return !earlier_step(kept[k], x); });
    if (same == slots.end()) {
      slots.push_back(kept.size());
      kept.push_back(std::move(x));
      continue;
    }
    // One act reported twice: the first report is kept unless a later one
    // states a date it lacks or is a pattern's where the first is a frame's;
    // the status is the furthest any report gives it.
    Extraction& first = kept[*same];
    const bool first_frame = first.event.rule_id.starts_with("frame.");
    const bool this_frame = x.event.rule_id.starts_with("frame.");
    const bool dated_later = !first.event.event_date && x.event.event_date;
    const std::string status = decided(x) > decided(first) ? x.event.status : first.event.status;
    if (dated_later || (first_frame && !this_frame && (x.event.event_date || !first.event.event_date)))
      first = std::move(x);
    first.event.status = status;
  }
  // A measure the same text says was lifted ("the ban, which the court
  // lifted in May") stands reversed; the lifting is its own event.
  std::set<std::string> lifted;
  for (const auto& x : kept)
    if (x.event.action == "lift_ban" && x.event.status == "enacted") lifted.insert(x.event.vendor);
  for (auto& x : kept)
    if (lifted.contains(x.event.vendor) && x.event.status == "enacted" &&
        (x.event.action == "ban" || x.event.action == "restrict" || x.event.action == "list_addition"))
      x.event.status = "reversed";
  out = std::move(kept);
}

namespace {

// "Full Name (ACR)": the name before the parentheses, else the name itself.
std::string_view without_acronym(std::string_view name) {
  if (!name.ends_with(')')) return name;
  const auto open = name.rfind(" (");
  return open == std::string_view::npos ? name : name.substr(0, open);
}

}  // namespace

void Engine::merge_identities(std::vector<Extraction>& out, std::string_view text) const {
  if (out.size() < 2) return;
  const internal::ActorDef* none = nullptr;
  auto def_of = [&](std::string_view name) {
    const auto canonical = canonical_actor(without_acronym(name));
    if (!canonical) return none;
    for (const auto& d : pack_.actors)
      if (d.name == *canonical) return &d;
    return none;
  };
  // The name an actor goes by: its canonical one when the pack knows it.
  auto identity = [&](std::string_view name) {
    const auto* d = def_of(name);
    return term_key(d ? std::string_view(d->name) : without_acronym(name));
  };
  // The country a body belongs to: the pack's, else the country its name
  // opens with ("Estonian ... Authority"); "" for a country or when unknown.
  auto country_of = [&](std::string_view name) -> std::string {
    if (const auto* d = def_of(name)) return d->is_country ? "" : d->country;
    for (const auto& c : pack_.actors) {
      if (!c.is_country) continue;
      auto opens = [&](const std::string& w) {
        return name.size() > w.size() + 1 && name[w.size()] == ' ' && ascii_iequals(name.substr(0, w.size()), w);
      };
      if (opens(c.name)) return c.name;
      for (const auto& a : c.adjectives)
        if (opens(a)) return c.name;
    }
    return "";
  };
  auto is_country = [&](std::string_view name) {
    const auto* d = def_of(name);
    return d && d->is_country;
  };
  auto is_court = [&](std::string_view name) {
    for (std::size_t i = 0; i < name.size();) {
      const auto j = std::min(name.find(' ', i), name.size());
      if (court_heads_.contains(term_key(name.substr(i, j - i)))) return true;
      i = j + 1;
    }
    return false;
  };
  // "Full Name (ACR)" in the actor or in the text ties the acronym to it.
  auto tied = [&](std::string_view acronym, std::string_view full) {
    const std::string_view base = without_acronym(full);
    if (acronym.empty() || base.size() <= acronym.size()) return false;
    if (full.size() > base.size() && full.substr(base.size()) == " (" + std::string(acronym) + ")") return true;
    const std::string written = std::string(base) + " (" + std::string(acronym) + ")";
    if (text.find(written) != std::string_view::npos) return true;
    // "Norway's Communications Authority (NCA)" for "Norwegian Communications
    // Authority": the acronym in parentheses and the name's initials.
    std::string initials;
    for (std::size_t i = 0; i < base.size(); i = std::min(base.find(' ', i), base.size()) + 1)
      if (std::isupper(static_cast<unsigned char>(base[i]))) initials += base[i];
    return initials == acronym && text.find("(" + std::string(acronym) + ")") != std::string_view::npos;
  };
  auto rename = [&](Extraction& x, const Extraction& to, std::string_view why) {
    if (x.explanation)
      x.explanation->actor_how += "; named \"" + x.event.actor + "\" here, " + std::string(why) + " \"" +
                                  to.event.actor + "\" for the same measure";
    x.event.actor = to.event.actor;
    x.event.actor_type = to.event.actor_type;
  };
  std::map<std::tuple<std::string, std::string, int>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < out.size(); ++i)
    groups[std::make_tuple(out[i].event.vendor, out[i].event.action, decidedness(out[i]))].push_back(i);
  for (const auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    // (a) One body under two names: the pack's alias, or an acronym tied to
    // its full name; the longer name stands.
    for (std::size_t a : members)
      for (std::size_t b : members) {
        const std::string& an = out[a].event.actor;
        const std::string& bn = out[b].event.actor;
        if (an == bn || an.size() >= bn.size()) continue;
        if (identity(an) == identity(bn) || tied(an, bn)) {
          const Extraction to = out[b];
          for (std::size_t c : members)
            if (out[c].event.actor == an) rename(out[c], to, "the same body as");
        }
      }
    // (b) A country and one body of it named for one measure: the body is
    // the actor. Two bodies of the country, or a court, leave it as it is.
    std::map<std::string, std::map<std::string, std::size_t>> bodies;  // country -> body name -> an event
    for (std::size_t m : members) {
      const std::string& n = out[m].event.actor;
      if (is_country(n)) continue;
      if (auto c = country_of(n); !c.empty()) bodies[c].emplace(is_court(n) ? std::string() : n, m);
    }
    for (std::size_t m : members) {
      if (!is_country(out[m].event.actor)) continue;
      const auto* d = def_of(out[m].event.actor);
      const auto it = bodies.find(d->name);
      if (it == bodies.end() || it->second.size() != 1 || it->second.begin()->first.empty()) continue;
      const Extraction to = out[it->second.begin()->second];
      // A dated report of the country's own is another measure unless the
      // body's report states that date too ("banned in 2017" beside the
      // ministry's later ban).
      const auto& when = out[m].event.event_date;
      if (when && (!to.event.event_date || to.event.event_date->time != when->time)) continue;
      rename(out[m], to, "whose body is");
    }
  }
}

std::vector<Extraction> Engine::extract(std::string_view text, const ExtractContext& context) const {
  std::vector<Extraction> out;
  // Prefilter: where vendors occur, in one pass over the whole text (a byte
  // table finds where a vendor term may start; the dictionary regex runs
  // anchored only there). Only paragraphs naming a vendor are split and read
  // further (a reference such as "the company" resolves within its paragraph,
  // so others cannot hold events).
  using Spans = std::vector<std::pair<std::size_t, std::size_t>>;  // [begin, end) in the text
  std::vector<std::pair<std::size_t, int>> vendor_hits;            // position, vendor
  Spans vendor_spans;                                              // every match, known term or not
  {
    re2::StringPiece input(text.data(), text.size()), g;
    for (std::size_t pos = 0; (pos = vendor_starts_->next(text, pos)) < text.size();) {
      // The leftmost match is the first possible start where the anchored search succeeds.
      const std::size_t at = pos;
      if (!vendor_re_->Match(input, at, text.size(), RE2::ANCHOR_START, &g, 1)) {
        ++pos;
        continue;
      }
      pos = std::max(at + g.size(), at + 1);
      vendor_spans.emplace_back(at, at + g.size());
      if (auto it = vendor_terms_.find(term_key(std::string_view(g.data(), g.size()))); it != vendor_terms_.end())
        vendor_hits.emplace_back(at, it->second);
    }
  }
  if (vendor_hits.empty()) return out;
  // The language picks the clause layer's lexicon; the pattern rules are
  // English and read English text only.
  const std::string language = context.language ? *context.language : banwatch::language::detect(text);
  const bool english = language == "en";
  const internal::FrameReader* reader = english ? frames_ : reader_for(language);
  if (!english && !reader) return out;
  auto blank_line_before = [&](std::size_t i) {  // text[i] == '\n' ends a blank line
    std::size_t j = i;
    while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t' || text[j - 1] == '\r')) --j;
    return j > 0 && text[j - 1] == '\n';
  };
  std::vector<text::Sentence> sentences;
  std::vector<std::pair<std::size_t, std::size_t>> read_ranges;  // the paragraphs split into sentences
  if (reader) {
    // The clause and discourse layers read the whole text: an actor or a
    // reference may stand in a paragraph that names no vendor.
    read_ranges.emplace_back(0, text.size());
    sentences = text::split_sentences(text);
  } else {
    std::size_t covered = 0, paragraph_index = 0;
    for (const auto& hit : vendor_hits) {
      if (hit.first < covered) continue;
      std::size_t b = hit.first;
      while (b > 0 && !(text[b - 1] == '\n' && blank_line_before(b - 1))) --b;
      std::size_t e = hit.first;
      while (e < text.size() && !(text[e] == '\n' && e > 0 && blank_line_before(e))) ++e;
      b = std::max(b, covered);
      read_ranges.emplace_back(b, e);
      for (auto piece : text::split_sentences(text.substr(b, e - b))) {
        piece.begin += b;
        piece.end += b;
        piece.paragraph = paragraph_index;
        sentences.push_back(piece);
      }
      ++paragraph_index;
      covered = e;
    }
  }
  std::optional<int> last_vendor;
  std::size_t paragraph = 0;

  // Dates are computed lazily, only around candidate sentences.
  std::vector<std::optional<std::optional<PreciseTime>>> own_cache(sentences.size());
  auto same_line = [&](std::size_t a, std::size_t b) {  // sentence a precedes b on the same line
    if (sentences[a].paragraph != sentences[b].paragraph) return false;
    std::string_view between = text.substr(sentences[a].end, sentences[b].begin - sentences[a].end);
    return between.find('\n') == std::string_view::npos;
  };
  auto lead_of_line = [&](std::size_t i) -> std::optional<PreciseTime> {
    for (std::size_t j = i + 1; j-- > 0;) {
      if (auto d = internal::lead_date(sentences[j].view(text))) return d;
      if (j == 0 || !same_line(j - 1, j)) break;
    }
    return std::nullopt;
  };
  // A sentence's own date (lead, explicit or inherited from its line's lead), for
  // resolving "that same day" in a later sentence.
  auto own_date = [&](std::size_t i) -> std::optional<PreciseTime> {
    if (!own_cache[i]) {
      std::optional<PreciseTime> d = lead_of_line(i);
      if (!d) {
        if (auto f = internal::sentence_date(sentences[i].view(text), std::nullopt, context.published);
            f && !f->relative_to_previous)
          d = f->date;
      }
      own_cache[i] = d;
    }
    return *own_cache[i];
  };

  // References matter only inside the paragraphs read (they resolve to a
  // vendor of their own paragraph), so only those are searched.
  std::vector<std::size_t> reference_hits;
  Spans reference_spans;
  {
    re2::StringPiece input(text.data(), text.size()), g;
    for (const auto& [range_begin, range_end] : read_ranges) {
      for (std::size_t pos = range_begin;
           pos < range_end && reference_re_->Match(input, pos, range_end, RE2::UNANCHORED, &g, 1);) {
        const std::size_t at = static_cast<std::size_t>(g.data() - text.data());
        pos = std::max(at + g.size(), pos + 1);
        reference_hits.push_back(at);
        reference_spans.emplace_back(at, at + g.size());
      }
    }
  }
  // The matches of a whole-text pass inside a sentence, as sentence offsets,
  // when they are exactly what searching the sentence alone would give: no
  // match crosses either end, and the bytes around the sentence are no word
  // characters (so \b reads the same). False when the sentence must be searched.
  auto spans_within = [&](const Spans& spans, const text::Sentence& sentence, Spans& into) {
    into.clear();
    auto it = std::lower_bound(spans.begin(), spans.end(), std::make_pair(sentence.begin, std::size_t{0}));
    if (it != spans.begin() && std::prev(it)->second > sentence.begin) return false;
    for (; it != spans.end() && it->first < sentence.end; ++it) {
      if (it->second > sentence.end) return false;
      into.emplace_back(it->first - sentence.begin, it->second - sentence.begin);
    }
    return true;
  };
  Spans sentence_vendors, sentence_references;
  std::size_t next_vendor = 0, next_reference = 0;

  internal::FrameReader::Discourse discourse;
  using Entity = internal::FrameReader::Entity;
  auto last_actor_of = [&](std::string_view sj, const std::vector<Mention>& ms) -> std::optional<Entity> {
    return reader ? reader->last_actor(sj, ms) : std::nullopt;
  };
  // The last actor of each sentence, read when a frame asks for it.
  // Kept only for the sentences read or asked about (few), not one slot per
  // sentence of the text.
  std::unordered_map<std::size_t, std::optional<Entity>> actors_seen;
  discourse.actor_in = [&](std::size_t j) -> std::optional<Entity> {
    if (!reader || j >= sentences.size()) return std::nullopt;
    auto it = actors_seen.find(j);
    if (it == actors_seen.end()) {
      const std::string_view sj = sentences[j].view(text);
      const SetHits h = scan(sj);
      it = actors_seen
               .emplace(j, (h.bodies || h.countries || h.appositives || h.failed)
                               ? last_actor_of(sj, sentence_mentions(sj, std::nullopt, h, MentionHints{}))
                               : std::nullopt)
               .first;
    }
    return it->second;
  };
  std::vector<int> vendors_here;
  constexpr std::size_t kMeasureReach = 4;  // sentences from a measure to a colon that lists what it covers
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    const auto& sentence = sentences[i];
    if (sentence.paragraph != paragraph) {
      paragraph = sentence.paragraph;
      last_vendor.reset();
    }
    std::optional<int> vendor_in_sentence;
    vendors_here.clear();
    while (next_vendor < vendor_hits.size() && vendor_hits[next_vendor].first < sentence.end) {
      if (vendor_hits[next_vendor].first >= sentence.begin) {
        vendor_in_sentence = vendor_hits[next_vendor].second;
        vendors_here.push_back(vendor_hits[next_vendor].second);
      }
      ++next_vendor;
    }
    bool reference_in_sentence = false;
    while (next_reference < reference_hits.size() && reference_hits[next_reference] < sentence.end) {
      if (reference_hits[next_reference] >= sentence.begin) reference_in_sentence = true;
      ++next_reference;
    }
    std::string_view s = sentence.view(text);
    discourse.sentence = i;
    discourse.paragraph = sentence.paragraph;
    const bool pattern_reach = english && (vendor_in_sentence || (reference_in_sentence && last_vendor));
    // The frames read a sentence with an action word that names a vendor, or
    // that follows one (a pronoun, "the two firms" or an agentless passive may
    // refer to the vendors named before).
    // So does a sentence just before a vendor is first named: its measure may
    // be listed there ("blocked 43 apps. They include X and Y.").
    const bool vendor_ahead = next_vendor < vendor_hits.size() &&
                              vendor_hits[next_vendor].first < sentences[std::min(i + 2, sentences.size() - 1)].end;
    const bool frame_reach = reader && (vendor_in_sentence || discourse.last_vendor >= 0 || vendor_ahead);
    // A list announced by a colon after a measure ("The following vendors
    // are named in the order:"): the sentence after the colon and the list
    // items right after it name what the measure covers; so do the vendors
    // after such a colon inside a sentence.
    bool enumerated = false;
    if (reader) {
      if (auto& e = discourse.enumeration) {
        if (i == e->last + 1 && (i == e->opened + 1 || sentence.item)) {
          e->last = i;
          e->item = sentence.item;
          enumerated = vendor_in_sentence.has_value();
        } else {
          e.reset();
        }
      }
      const auto& m = discourse.last_measure;
      if (!enumerated && m && i > m->sentence && i - m->sentence <= kMeasureReach &&
          s.find(':') != std::string_view::npos) {
        if (s.back() != ':')
          enumerated = vendor_in_sentence.has_value();
        else if (reader->announces_list(s, s.size() - 1))
          discourse.enumeration =
              internal::FrameReader::Discourse::Enumeration{*m, i, i, false, sentence.begin, sentence.end};
      }
    }
    bool frame_candidate = (frame_reach && reader->has_trigger(s)) || enumerated;
    // A sentence that is not read still names its vendors for what follows
    // ("X hat Probleme. Das BSI warnt vor der Software.").
    auto remember_vendors = [&] {
      if (!reader || !vendor_in_sentence) return;
      reader->observe_vendors(vendors_here, discourse);
      last_vendor = vendor_in_sentence;
    };
    if (!pattern_reach && !frame_candidate) {
      remember_vendors();
      continue;
    }
    SetHits hits = scan(s);
    // Without a vendor of its own, a sentence gives a frame only through an
    // actor (whose measure names none) or a reference to earlier vendors.
    if (frame_candidate && !vendor_in_sentence && !reference_in_sentence && !hits.failed && !hits.bodies &&
        !hits.countries && !hits.appositives && !reader->may_refer(s))
      frame_candidate = false;
    if (!pattern_reach && !frame_candidate) continue;
    const bool has_vendor = vendor_in_sentence || (reference_in_sentence && last_vendor);
    const bool candidate = pattern_reach && (hits.failed || (has_vendor && !hits.triggers.empty()));
    // Otherwise only the vendors matter (what a later "they" refers to).
    if (reader && !candidate && !frame_candidate) {
      remember_vendors();  // the dictionary hits suffice
      continue;
    }
    std::optional<int> vendor_after = last_vendor;
    if (candidate || frame_candidate) {
      LazyDate date([&]() -> LazyDate::Value {
        if (auto lead = internal::lead_date(s)) return {lead, "list-style lead date"};
        std::optional<PreciseTime> previous;
        for (std::size_t j = i; j-- > 0 && i - j <= 8 && sentences[j].paragraph == sentence.paragraph;) {
          if (auto d = own_date(j)) {
            previous = d;
            break;
          }
        }
        if (auto f = internal::sentence_date(s, previous, context.published)) return {f->date, std::move(f->how)};
        if (auto inherited = lead_of_line(i)) return {inherited, "lead date of its list item"};
        return {};
      });
      MentionHints known;
      const bool plain_edges =
          (sentence.begin == 0 || !internal::re2_word(static_cast<unsigned char>(text[sentence.begin - 1]))) &&
          (sentence.end >= text.size() || !internal::re2_word(static_cast<unsigned char>(text[sentence.end])));
      if (plain_edges && spans_within(vendor_spans, sentence, sentence_vendors)) known.vendors = &sentence_vendors;
      if (plain_edges && spans_within(reference_spans, sentence, sentence_references))
        known.references = &sentence_references;
      known.bodies = hits.bodies;
      known.appositives = hits.appositives;
      known.countries = hits.countries;
      // A reference opening a paragraph ("The app, owned by X, was banned"
      // on a line of its own) is the vendor the last two sentences named.
      std::optional<int> referred = last_vendor;
      if (!referred && reader && discourse.last_vendor >= 0 && i - discourse.last_vendors_sentence <= 2)
        referred = discourse.last_vendor;
      const std::vector<Mention> ms = sentence_mentions(s, referred, hits, known);
      const std::string_view cut = s.substr(0, std::min(s.size(), kMaxSentenceBytes));
      if (candidate)
        analyse(text, sentence, cut, ms, hits, date, context, out, vendor_after);
      else if (vendor_in_sentence)
        vendor_after = vendor_in_sentence;
      if (reader) actors_seen.insert_or_assign(i, last_actor_of(cut, ms));
      if (frame_candidate)
        add_frames(*reader, text, sentence, cut, ms, discourse, date, context, out);
      else if (reader)
        reader->observe(ms, discourse, cut);
    } else if (vendor_in_sentence) {
      vendor_after = vendor_in_sentence;
    }
    last_vendor = vendor_after;
  }
  if (reader) date_from_followers(*reader, text, sentences, vendor_hits, context, own_date, out);
  if (reader) merge_identities(out, text);
  if (reader) merge_repeats(out);
  return out;
}

void Engine::date_from_followers(const internal::FrameReader& reader, std::string_view text,
                                 const std::vector<text::Sentence>& sentences,
                                 const std::vector<std::pair<std::size_t, int>>& vendor_hits,
                                 const ExtractContext& context,
                                 const std::function<std::optional<PreciseTime>(std::size_t)>& own_date,
                                 std::vector<Extraction>& out) const {
  constexpr std::size_t kReach = 3;  // sentences after the act
  std::set<std::size_t> acts;        // sentences (by their first byte) that state an event
  for (const auto& x : out) acts.insert(x.sentence_begin);
  for (auto& x : out) {
    // A vendor listed as covered by a measure stated before has that measure's date, not a later one.
    if (x.event.event_date || x.event.rule_id.ends_with(".listed")) continue;
    const auto at = std::lower_bound(sentences.begin(), sentences.end(), x.sentence_begin,
                                     [](const text::Sentence& s, std::size_t b) { return s.begin < b; });
    if (at == sentences.end() || at->begin != x.sentence_begin) continue;
    const std::size_t i = static_cast<std::size_t>(at - sentences.begin());
    if (own_date(i)) continue;  // the act's sentence has a date the event did not take (a deadline, ...)
    for (std::size_t j = i + 1; j < sentences.size() && j <= i + kReach; ++j) {
      const text::Sentence& next = sentences[j];
      if (acts.contains(next.begin)) break;  // another act: its date is its own
      // A sentence about another vendor dates that vendor's affairs.
      const bool other_vendor = std::any_of(vendor_hits.begin(), vendor_hits.end(), [&](const auto& h) {
        return h.first >= next.begin && h.first < next.end &&
               pack_.vendors[static_cast<std::size_t>(h.second)].name != x.event.vendor;
      });
      if (other_vendor) break;
      const std::string_view sj = next.view(text);
      const auto f = internal::sentence_date(sj, std::nullopt, context.published);
      if (!f) continue;
      // Only a calendar day the text states, in a sentence about a measure
      // ("The order, contained in an August 2 memorandum, ..."); any other
      // date ends the search.
      if (f->date.precision == DatePrecision::kDay && !f->relative_to_previous &&
          (f->how.starts_with("explicit date") || f->how.starts_with("month and day")) && reader.names_measure(sj)) {
        x.event.event_date = f->date;
        if (x.explanation)
          x.explanation->date_how = "the date of the measure in sentence " + std::to_string(j + 1) + ": " + f->how;
      }
      break;
    }
  }
}

}  // namespace banwatch::rules::internal
