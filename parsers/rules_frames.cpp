// The clause and discourse layers of the rule engine (rules_internal.h,
// FrameReader). A sentence's dictionary mentions (vendors, actors, references)
// and the lexicon's own items (action words, lists, pronouns, plural and actor
// references) are laid out in order; each action word takes its clause (cut at
// ';', dashes and a comma before a clause break), its voice (an auxiliary
// before a participle is a passive, a determiner or possessive before a noun
// form is a nominal) and then its roles:
//   active   agent = the nearest actor to its left in the clause (a list of
//            them: each), patients = the vendors to its right;
//   passive  patients = the vendors to its left, agent = "by X", else an actor
//            earlier in the sentence, else the article's last actor, else the
//            keeper of a list in the clause;
//   nominal  agent = a possessive ("X's ban"), "by X", or the clause's
//            subject; patients = after an object marker ("ban on Y") or a
//            compound ("the Y ban");
//   list     a list of the lexicon in a clause with a vendor ("remains on the
//            Entity List") is a listing by the list's keeper unless an actor
//            is named.
// What the clause leaves open comes from the article: a pronoun by its role
// (an agent pronoun is the last actor, a patient pronoun the last vendors), a
// plural reference ("the two firms") the vendors of the last sentence that
// named several, an actor reference ("the regulator") the last actor.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <tuple>

#include "common/text.h"
#include "parsers/rules_internal.h"

namespace banwatch::rules::internal {
namespace {

constexpr std::size_t kMaxObjectWords = 24;  // how far right of a verb its objects may stand
constexpr std::size_t kMaxAgentGapWords = 14;
constexpr std::size_t kRecentSentences = 3;  // how far back the article's last actor may be taken from
constexpr int kMaxFramesPerSentence = 32;

bool word_byte(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c >= 0x80; }

// A regex matching any of `terms` as whole words, case-insensitively.
Result<std::unique_ptr<RE2>> words_regex(const std::vector<std::string>& terms, const RE2::Options& base,
                                         const std::string& what) {
  RE2::Options o = base;
  o.set_case_sensitive(false);
  auto re = std::make_unique<RE2>(alternation(terms), o);
  if (!re->ok()) return fail(ErrorCode::kConfig, what + ": " + re->error());
  return re;
}

std::set<std::string, std::less<>> key_set(const std::vector<std::string>& words) {
  std::set<std::string, std::less<>> out;
  for (const auto& w : words) out.insert(term_key(w));
  return out;
}

using WordSet = std::set<std::string, std::less<>>;

// The entry of `set` that opens at words[k]: the word, or the word and the
// next one ("called on", "wies an"); "" when neither is an entry.
std::string entry_at(const std::vector<Word>& words, std::size_t k, const WordSet& set) {
  if (k >= words.size()) return {};
  if (set.contains(words[k].key)) return words[k].key;
  if (k + 1 < words.size()) {
    std::string two = words[k].key + " " + words[k + 1].key;
    if (set.contains(two)) return two;
  }
  return {};
}

enum class Role { kVendor, kPluralRef, kPronounSg, kPronounPl, kActor, kActorRef, kList, kNeutral };

struct Item {
  std::size_t begin = 0, end = 0;
  Role role = Role::kNeutral;
  const Mention* mention = nullptr;
  int list = -1;  // into lexicon lists
  bool in_parens = false;
  bool possessive = false;  // followed by 's
  std::string text;
};

bool is_vendorish(Role r) { return r == Role::kVendor || r == Role::kPluralRef; }
bool is_actorish(Role r) { return r == Role::kActor || r == Role::kActorRef; }

}  // namespace

namespace {

// Where the elided word at the start of s[b, e) ends ("l'" in "l'interdiction",
// "dall'" in "dall'Autorità"), after its apostrophe (straight or typographic);
// 0 when the word opens with no elision of `elisions` (keys with a straight
// apostrophe).
std::size_t elision_end(std::string_view s, std::size_t b, std::size_t e, const WordSet& elisions) {
  for (std::size_t p = b; p < e && p < b + 8; ++p) {
    std::size_t len = 0;
    if (s[p] == '\'') len = 1;
    if (s.substr(p, 3) == "\xE2\x80\x99") len = 3;
    if (len == 0) continue;
    if (p == b || p + len >= e) return 0;
    return elisions.contains(ascii_lower(s.substr(b, p - b)) + "'") ? p + len : 0;
  }
  return 0;
}

}  // namespace

std::vector<Word> words_in(std::string_view s, std::size_t from, std::size_t to, const WordSet* elisions) {
  std::vector<Word> out;
  std::size_t i = from;
  while (i < to) {
    while (i < to && !word_byte(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t b = i;
    while (i < to && (word_byte(static_cast<unsigned char>(s[i])) || s[i] == '\'' || s[i] == '.')) ++i;
    std::size_t e = i;
    while (e > b && (s[e - 1] == '.' || s[e - 1] == '\'')) --e;
    if (e <= b) continue;
    if (const std::size_t cut = elisions && !elisions->empty() ? elision_end(s, b, e, *elisions) : 0; cut) {
      std::string key = ascii_lower(s.substr(b, cut - b));  // keyed with a straight apostrophe
      if (key.ends_with("\xE2\x80\x99")) key.replace(key.size() - 3, 3, "'");
      out.push_back(Word{b, cut, std::move(key)});
      b = cut;
    }
    out.push_back(Word{b, e, ascii_lower(s.substr(b, e - b))});
  }
  return out;
}

Result<std::unique_ptr<FrameReader>> FrameReader::build(const Lexicon& lexicon, const Pack& pack,
                                                        const RE2::Options& options) {
  auto r = std::unique_ptr<FrameReader>(new FrameReader());
  r->lexicon_ = lexicon;
  r->pack_ = &pack;
  const std::string where = lexicon.origin.str() + ": frames (" + lexicon.language + ")";
  std::vector<std::string> all;
  for (std::size_t i = 0; i < lexicon.triggers.size(); ++i) {
    const auto& t = lexicon.triggers[i];
    auto add = [&](const std::vector<std::string>& list, int which) {
      for (const auto& w : list) {
        auto& forms = r->forms_[term_key(w)];
        auto it = std::find_if(forms.begin(), forms.end(), [&](const Form& f) { return f.trigger == int(i); });
        if (it == forms.end()) {
          forms.push_back(Form{static_cast<int>(i)});
          it = std::prev(forms.end());
        }
        (which == 0 ? it->verb : which == 1 ? it->participle : it->noun) = true;
        all.push_back(w);
      }
    };
    add(t.verbs, 0);
    // A participle agrees with its patient ("vietato", "vietate"): each form
    // also reads with the other endings of its group.
    std::vector<std::string> participles = t.participles;
    for (const auto& p : t.participles)
      for (const auto& group : lexicon.endings) {
        const std::string* longest = nullptr;
        for (const auto& e : group)
          if (p.size() > e.size() + 2 && p.ends_with(e) && (!longest || e.size() > longest->size())) longest = &e;
        if (!longest) continue;
        const std::string stem = p.substr(0, p.size() - longest->size());
        for (const auto& e : group)
          if (&e != longest) participles.push_back(stem + e);
        break;
      }
    add(participles, 1);
    add(t.nouns, 2);
  }
  // Cessations read as the ban trigger's, and only inside an order.
  if (const auto ban = std::find_if(lexicon.triggers.begin(), lexicon.triggers.end(),
                                    [](const TriggerDef& t) { return t.action == "ban"; });
      ban != lexicon.triggers.end())
    for (const auto& w : lexicon.cessations) {
      auto& forms = r->forms_[term_key(w)];
      Form form{static_cast<int>(ban - lexicon.triggers.begin())};
      form.cessation = true;
      forms.insert(forms.begin(), form);
      all.push_back(w);
    }
  auto tre = words_regex(all, options, where + " triggers");
  if (!tre) return std::unexpected(tre.error());
  r->triggers_re_ = std::move(*tre);
  std::vector<std::string> list_terms;
  for (std::size_t i = 0; i < lexicon.lists.size(); ++i)
    for (const auto& t : lexicon.lists[i].terms) {
      r->list_terms_.emplace(term_key(t), static_cast<int>(i));
      list_terms.push_back(t);
    }
  std::vector<std::string> any = all;
  any.insert(any.end(), list_terms.begin(), list_terms.end());
  auto anyre = words_regex(any, options, where + " triggers and lists");
  if (!anyre) return std::unexpected(anyre.error());
  r->any_trigger_re_ = std::move(*anyre);
  auto lre = words_regex(list_terms, options, where + " lists");
  if (!lre) return std::unexpected(lre.error());
  r->lists_re_ = std::move(*lre);
  std::vector<std::string> pronouns = lexicon.singular_pronouns;
  pronouns.insert(pronouns.end(), lexicon.plural_pronouns.begin(), lexicon.plural_pronouns.end());
  for (const auto& p : lexicon.singular_pronouns) r->singular_pronouns_.emplace(term_key(p), 1);
  std::vector<std::string> references = pronouns;
  references.insert(references.end(), lexicon.plural_references.begin(), lexicon.plural_references.end());
  references.insert(references.end(), lexicon.actor_references.begin(), lexicon.actor_references.end());
  references.insert(references.end(), lexicon.state_references.begin(), lexicon.state_references.end());
  auto refre = words_regex(references, options, where + " references");
  if (!refre) return std::unexpected(refre.error());
  r->any_reference_re_ = std::move(*refre);
  auto pre = words_regex(pronouns, options, where + " pronouns");
  if (!pre) return std::unexpected(pre.error());
  r->pronouns_re_ = std::move(*pre);
  auto plre = words_regex(lexicon.plural_references, options, where + " plural references");
  if (!plre) return std::unexpected(plre.error());
  r->plural_refs_re_ = std::move(*plre);
  std::vector<std::string> actor_refs = lexicon.actor_references;
  actor_refs.insert(actor_refs.end(), lexicon.state_references.begin(), lexicon.state_references.end());
  auto are = words_regex(actor_refs, options, where + " actor references");
  if (!are) return std::unexpected(are.error());
  r->actor_refs_re_ = std::move(*are);
  r->auxiliaries_ = key_set(lexicon.auxiliaries);
  r->adverbs_ = key_set(lexicon.adverbs);
  r->agent_markers_ = key_set(lexicon.agent_markers);
  r->scope_markers_ = key_set(lexicon.scope_markers);
  r->possessive_pronouns_ = key_set(lexicon.possessive_pronouns);
  r->measure_nouns_ = key_set(lexicon.measure_nouns);
  r->object_markers_ = key_set(lexicon.object_markers);
  r->clause_breaks_ = key_set(lexicon.clause_breaks);
  r->comparisons_ = key_set(lexicon.comparisons);
  r->list_verbs_ = key_set(lexicon.list_verbs);
  r->reporting_verbs_ = key_set(lexicon.reporting_verbs);
  r->modals_ = key_set(lexicon.modals);
  r->determiners_ = key_set(lexicon.determiners);
  r->conjunctions_ = key_set(lexicon.conjunctions);
  r->relatives_ = key_set(lexicon.relatives);
  r->qualified_nouns_ = key_set(lexicon.qualified_nouns);
  // Advice and pressure are directives too; which kind decides the act.
  r->advisories_ = key_set(lexicon.advisories);
  r->pressures_ = key_set(lexicon.pressures);
  r->decisions_ = key_set(lexicon.decisions);
  r->directives_ = key_set(lexicon.directives);
  r->directives_.insert(r->advisories_.begin(), r->advisories_.end());
  r->directives_.insert(r->pressures_.begin(), r->pressures_.end());
  r->name_suffixes_ = key_set(lexicon.name_suffixes);
  r->state_references_ = key_set(lexicon.state_references);
  r->prepositions_ = key_set(lexicon.prepositions);
  r->name_connectors_ = key_set(lexicon.name_connectors);
  r->inclusions_ = key_set(lexicon.inclusions);
  for (std::string w : lexicon.elisions) {  // keyed with a straight apostrophe
    w = term_key(w);
    if (w.ends_with("\xE2\x80\x99")) w.resize(w.size() - 3);
    if (!w.ends_with('\'')) w.push_back('\'');
    r->elisions_.insert(w);
  }
  // Capitalized words that never start an unknown actor's name: the pack's
  // not_actors, and the adjectives and demonyms of its countries.
  r->not_names_ = key_set(pack.not_actors);
  for (const auto& a : pack.actors) {
    for (const auto& w : a.adjectives) r->not_names_.insert(term_key(w));
    for (const auto& w : a.demonyms) r->not_names_.insert(term_key(w));
  }
  auto cre = words_regex(lexicon.comparisons, options, where + " comparisons");
  if (!cre) return std::unexpected(cre.error());
  r->comparisons_re_ = std::move(*cre);
  for (std::size_t i = 0; i < pack.actors.size(); ++i) r->actor_by_name_.emplace(pack.actors[i].name, int(i));
  return r;
}

bool FrameReader::has_trigger(std::string_view s) const {
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *any_trigger_re_);
}

std::pair<std::size_t, std::size_t> FrameReader::clause_around(std::string_view s, std::size_t begin,
                                                               std::size_t end) const {
  std::size_t b = 0, e = s.size();
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool cut = s[i] == ';';
    std::size_t at = i + 1;
    // A comma, or a space inside the clause, before a clause break.
    if (s[i] == ',' || (s[i] == ' ' && i > 0 && word_byte(static_cast<unsigned char>(s[i - 1])))) {
      std::size_t w = i + 1;
      while (w < s.size() && s[w] == ' ') ++w;
      std::size_t x = w;
      while (x < s.size() && word_byte(static_cast<unsigned char>(s[x]))) ++x;
      if (x > w && clause_breaks_.contains(ascii_lower(s.substr(w, x - w)))) {
        cut = true;
        at = w;
      }
    }
    if (!cut) continue;
    if (i < begin) b = at;
    if (i >= end) {
      e = i;
      break;
    }
  }
  return {b, std::max(b, e)};
}

bool FrameReader::relates(std::string_view gap) const {
  if (has_trigger(gap)) return true;
  for (const auto& w : words_in(gap, 0, gap.size(), &elisions_))
    if (prepositions_.contains(w.key) || object_markers_.contains(w.key)) return true;
  return false;
}

bool FrameReader::advised_or_pressed(std::string_view s, std::size_t at) const {
  const auto clause = clause_around(s, at, std::min(at + 1, s.size()));
  const std::vector<Word> before = words_in(s, clause.first, std::min(at, s.size()), &elisions_);
  for (std::size_t k = before.size(), n = 0; k-- > 0 && n < 10; ++n) {
    const std::string d = entry_at(before, k, directives_);
    if (d.empty()) continue;
    if (k + 2 >= before.size()) return false;  // no one told: "pushes to revoke"
    return advisories_.contains(d) || pressures_.contains(d);
  }
  return false;
}

bool FrameReader::told(std::string_view s, std::size_t at) const {
  const auto clause = clause_around(s, at, std::min(at + 1, s.size()));
  const std::vector<Word> before = words_in(s, clause.first, std::min(at, s.size()), &elisions_);
  std::size_t k = before.size();
  while (k > 0 && determiners_.contains(before[k - 1].key)) --k;  // "ordered the carriers to"
  // "asked Apple and Google to remove X": the earlier names of a list of the
  // ones told (capitalized words; a conjunction or a comma between).
  const std::size_t own = k;
  bool listed = false;
  for (int names = 0; names < 4 && k > 0; ++names) {
    std::size_t j = k;  // one past the words of the earlier name
    const std::size_t next = k < before.size() ? before[k].begin : at;
    const std::string_view sep = s.substr(before[k - 1].end, next - before[k - 1].end);
    if (conjunctions_.contains(before[k - 1].key))
      j = k - 1;
    else if (sep.find(',') == std::string_view::npos || sep.find_first_not_of(", ") != std::string_view::npos)
      break;
    std::size_t m = j, capitals = 0;
    while (m > 0 && capitals < 4 && std::isupper(static_cast<unsigned char>(s[before[m - 1].begin]))) {
      const std::size_t nb = m < before.size() ? before[m].begin : at;
      if (m != j &&
          s.substr(before[m - 1].end, nb - before[m - 1].end).find_first_of(",;:()\"") != std::string_view::npos)
        break;
      --m;
      ++capitals;
    }
    if (capitals == 0) break;
    k = m;
    listed = true;
    while (k > 0 && determiners_.contains(before[k - 1].key)) --k;
  }
  // Only a directive that is no action word itself: "banned Huawei and
  // Germany blocked ZTE" tells no one.
  if (listed && (k == 0 || forms_.contains(before[k - 1].key) || !directives_.contains(before[k - 1].key))) k = own;
  if (k == 0) return false;
  const std::size_t end = k == before.size() ? at : before[k].begin;
  if (s.substr(before[k - 1].end, end - before[k - 1].end).find_first_of(",;:()\"") != std::string_view::npos)
    return false;
  if (directives_.contains(before[k - 1].key)) return true;
  return k >= 2 && directives_.contains(before[k - 2].key + " " + before[k - 1].key);  // "called on"
}

bool FrameReader::may_refer(std::string_view s) const {
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *any_reference_re_);
}

bool FrameReader::names_measure(std::string_view s) const {
  for (const auto& w : words_in(s, 0, s.size(), &elisions_))
    if (measure_nouns_.contains(w.key)) return true;
  return false;
}

bool FrameReader::announces_list(std::string_view s, std::size_t colon) const {
  const std::string_view before = s.substr(0, std::min(colon, s.size()));
  return names_measure(before) || has_trigger(before) ||
         RE2::PartialMatch(re2::StringPiece(before.data(), before.size()), *lists_re_);
}

void FrameReader::observe_vendors(const std::vector<int>& vendors, Discourse& d) const {
  if (vendors.empty()) return;
  std::vector<int> distinct;
  for (int v : vendors)
    if (std::find(distinct.begin(), distinct.end(), v) == distinct.end()) distinct.push_back(v);
  d.last_vendor = vendors.back();
  d.last_vendors = std::move(distinct);
  d.last_vendors_sentence = d.sentence;
}

bool FrameReader::targeted(std::string_view s, const Mention& m) const {
  // "X expanded sanctions against Y": an actor after an object marker is a
  // target. A marker that also joins names ("University System of Georgia")
  // marks none.
  if (s.empty() || m.begin > s.size()) return false;
  const auto before = words_in(s, m.begin >= 24 ? m.begin - 24 : 0, m.begin, &elisions_);
  std::size_t k = before.size();
  while (k > 0 && determiners_.contains(before[k - 1].key)) --k;
  return k > 0 && object_markers_.contains(before[k - 1].key) && !name_connectors_.contains(before[k - 1].key) &&
         s.substr(before[k - 1].end, m.begin - before[k - 1].end).find_first_of(",;:()") == std::string_view::npos;
}

std::optional<FrameReader::Entity> FrameReader::last_actor(std::string_view s,
                                                           const std::vector<Mention>& mentions) const {
  // A target is the last actor only when the sentence names no other.
  const Mention* last = nullptr;
  const Mention* last_free = nullptr;
  for (const auto& m : mentions) {
    if (m.kind != MentionKind::kActor) continue;
    last = &m;
    if (!targeted(s, m)) last_free = &m;
  }
  const Mention* m = last_free ? last_free : last;
  if (!m) return std::nullopt;
  return Entity{m->name, m->type.empty() ? "other" : m->type, m->how, -1};
}

void FrameReader::observe(const std::vector<Mention>& mentions, Discourse& d, std::string_view s) const {
  std::vector<int> vendors;
  if (auto a = last_actor(s, mentions)) {
    d.last_actor = std::move(a);
    d.last_actor_sentence = d.sentence;
  }
  for (const auto& m : mentions) {
    if (m.kind == MentionKind::kVendor && m.entity >= 0) {
      if (std::find(vendors.begin(), vendors.end(), m.entity) == vendors.end()) vendors.push_back(m.entity);
      d.last_vendor = m.entity;
    }
  }
  if (!vendors.empty()) {
    d.last_vendors = std::move(vendors);
    d.last_vendors_sentence = d.sentence;
  }
}

std::vector<FrameReader::Frame> FrameReader::read(std::string_view s, const std::vector<Mention>& mentions,
                                                  Discourse& d) const {
  std::vector<Frame> frames;
  const re2::StringPiece input(s.data(), s.size());

  // ---- 1. the sentence's items, in order ----------------------------------
  std::vector<Item> items;
  for (const auto& m : mentions) {
    Item it;
    it.begin = m.begin;
    it.end = m.end;
    it.mention = &m;
    it.role = m.kind == MentionKind::kVendor || m.kind == MentionKind::kReference ? Role::kVendor
              : m.kind == MentionKind::kActor                                     ? Role::kActor
                                                                                  : Role::kNeutral;
    if (m.kind == MentionKind::kReference && m.entity < 0) continue;
    items.push_back(it);
  }
  auto overlaps = [&](std::size_t b, std::size_t e) {
    return std::any_of(items.begin(), items.end(), [&](const Item& it) { return b < it.end && it.begin < e; });
  };
  auto add_matches = [&](const RE2& re, Role role) {
    re2::StringPiece g;
    for (std::size_t pos = 0; pos < s.size() && re.Match(input, pos, s.size(), RE2::UNANCHORED, &g, 1);) {
      const std::size_t b = static_cast<std::size_t>(g.data() - s.data()), e = b + g.size();
      pos = std::max(e, pos + 1);
      if (g.empty() || overlaps(b, e)) continue;
      Item it;
      it.begin = b;
      it.end = e;
      it.role = role;
      it.text = std::string(g.data(), g.size());
      if (role == Role::kPronounSg && !singular_pronouns_.contains(term_key(it.text))) it.role = Role::kPronounPl;
      if (role == Role::kList) {
        auto l = list_terms_.find(term_key(it.text));
        if (l == list_terms_.end()) continue;
        it.list = l->second;
      }
      items.push_back(std::move(it));
    }
  };
  add_matches(*lists_re_, Role::kList);
  add_matches(*plural_refs_re_, Role::kPluralRef);
  add_matches(*actor_refs_re_, Role::kActorRef);
  add_matches(*pronouns_re_, Role::kPronounSg);
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.begin < b.begin; });
  {
    int depth = 0;
    std::size_t k = 0;
    for (std::size_t i = 0; i < s.size() && k < items.size(); ++i) {
      while (k < items.size() && items[k].begin == i) items[k++].in_parens = depth > 0;
      if (s[i] == '(') ++depth;
      if (s[i] == ')' && depth > 0) --depth;
    }
  }
  for (auto& it : items) {
    std::string_view after = s.substr(it.end);
    it.possessive = after.starts_with("'s") || after.starts_with("\xE2\x80\x99s") ||
                    (after.starts_with("'") && it.end > 0 && s[it.end - 1] == 's') ||
                    (it.end > 2 && (s.substr(it.begin, it.end - it.begin).ends_with("'s") ||
                                    s.substr(it.begin, it.end - it.begin).ends_with("\xE2\x80\x99s")));
    if ((it.role == Role::kPronounSg || it.role == Role::kPronounPl) &&
        possessive_pronouns_.contains(term_key(it.text)))
      it.possessive = true;
  }
  // "China's ZTE", "Russia's Kaspersky Lab": a possessive actor right before
  // a vendor only says where the vendor is from.
  for (std::size_t i = 0; i + 1 < items.size(); ++i) {
    if (!items[i].possessive || items[i].role != Role::kActor) continue;
    for (std::size_t j = i + 1; j < items.size() && items[j].begin - items[i].end <= 40; ++j) {
      if (items[j].role == Role::kVendor) {
        const auto gap = s.substr(items[i].end, items[j].begin - items[i].end);
        const auto gap_words = words_in(gap, 0, gap.size(), &elisions_);
        const bool verb_between = std::any_of(gap_words.begin(), gap_words.end(), [&](const Word& w) {
          // A verb or a preposition between ("X's sanctions against Y") relates
          // them; only a description ("China's telecom giant Huawei") qualifies.
          return forms_.contains(w.key) || list_verbs_.contains(w.key) || w.key.ends_with("ed") ||
                 prepositions_.contains(w.key) || object_markers_.contains(w.key);
        });
        // "the government's TikTok ban": the vendor qualifies the measure
        // that follows, whose possessive is its agent.
        const auto next_words = words_in(s, items[j].end, std::min(s.size(), items[j].end + 24), &elisions_);
        const bool measure_after = !next_words.empty() && next_words.front().begin - items[j].end <= 1 && [&] {
          const auto f = forms_.find(next_words.front().key);
          return f != forms_.end() &&
                 std::any_of(f->second.begin(), f->second.end(), [](const Form& x) { return x.noun; });
        }();
        if (gap.find_first_of(",;:()") == std::string_view::npos && gap_words.size() <= 3 + 1 && !verb_between &&
            !measure_after)
          items[i].role = Role::kNeutral;
        break;
      }
      if (items[j].role != Role::kNeutral) break;
    }
  }

  // "Facebook's WhatsApp", "ByteDance's CapCut": a vendor's possessive right
  // before another vendor names the owner of what is meant.
  for (std::size_t i = 0; i + 1 < items.size(); ++i) {
    if (items[i].role != Role::kVendor || items[i + 1].role != Role::kVendor) continue;
    const auto gap = s.substr(items[i].end, items[i + 1].begin - items[i].end);
    if (gap.find_first_of(",;:()") != std::string_view::npos || gap.size() > 24) continue;
    // The possessive is the item's own or a legal form's after it ("Facebook Inc's").
    bool owner = items[i].possessive && gap.size() <= 5;
    if (!owner && (gap.find("'s ") != std::string_view::npos || gap.find("\xE2\x80\x99s ") != std::string_view::npos)) {
      owner = true;
      for (const auto& w : words_in(gap, 0, gap.size(), &elisions_)) {
        std::string key = w.key;
        for (const char* poss : {"'s", "\xE2\x80\x99s"})
          if (key.ends_with(poss)) key.resize(key.size() - std::strlen(poss));
        if (!name_suffixes_.contains(key) && !key.empty()) owner = false;
      }
    }
    if (owner) items[i].role = Role::kNeutral;
  }
  const std::vector<Word> words = words_in(s, 0, s.size(), &elisions_);
  auto word_at_or_after = [&](std::size_t pos) {
    return static_cast<std::size_t>(
        std::lower_bound(words.begin(), words.end(), pos, [](const Word& w, std::size_t p) { return w.begin < p; }) -
        words.begin());
  };
  auto words_between = [&](std::size_t a, std::size_t b) {
    return a >= b ? std::size_t{0} : word_at_or_after(b) - word_at_or_after(a);
  };
  // Where objects precede the verb, the list verb may close the clause
  // ("wurde auf die schwarze Liste gesetzt"): within a few words after the list.
  auto list_verb_after = [&](std::size_t end) {
    for (std::size_t k = word_at_or_after(end), n = 0; k < words.size() && n < 6; ++k, ++n) {
      if (s.substr(end, words[k].begin - end).find_first_of(",;:()") != std::string_view::npos) return false;
      if (list_verbs_.contains(words[k].key)) return true;
    }
    return false;
  };
  // A generic list ("a list of companies") is a listing only after a list
  // verb ("added Huawei to a list of ..."), within a few words.
  std::erase_if(items, [&](const Item& it) {
    if (it.role != Role::kList || !lexicon_.lists[std::size_t(it.list)].generic) return false;
    const std::size_t wi = word_at_or_after(it.begin);
    for (std::size_t k = wi, n = 0; k-- > 0 && n < 10; ++n) {
      const std::string_view between = s.substr(words[k].end, it.begin - words[k].end);
      if (between.find_first_of(";:()") != std::string_view::npos) break;
      if (list_verbs_.contains(words[k].key)) return false;
    }
    return !(lexicon_.objects_before_verb && list_verb_after(it.end));
  });
  // Is the item right after a preposition ("an investigation into Micron")?
  auto after_preposition = [&](const Item& it) {
    const std::size_t wi = word_at_or_after(it.begin);
    if (wi == 0) return false;
    const std::string_view between = s.substr(words[wi - 1].end, it.begin - words[wi - 1].end);
    if (between.find_first_of(",;:") != std::string_view::npos) return false;
    return prepositions_.contains(words[wi - 1].key) || object_markers_.contains(words[wi - 1].key);
  };
  // An actor followed by a reporting verb is the speaker of what follows.
  auto speaker = [&](const Item& it) {
    const std::size_t wi = word_at_or_after(it.end);
    return wi < words.size() && reporting_verbs_.contains(words[wi].key) &&
           s.substr(it.end, words[wi].begin - it.end).find_first_of(",;:") == std::string_view::npos;
  };
  // An organisation the dictionaries do not know, named as the subject at the
  // start of the clause: "Best Buy will stop selling X", "Tower Hamlets'
  // decision to ban X". Capitalized words (and connectors inside them), at
  // most eight words before the action word, no punctuation between.
  auto proper_subject = [&](std::size_t clause_begin, std::size_t trigger_begin) -> std::optional<Entity> {
    std::size_t k = word_at_or_after(clause_begin);
    const std::size_t end = word_at_or_after(trigger_begin);
    while (k < end &&
           (determiners_.contains(words[k].key) || conjunctions_.contains(words[k].key) ||
            clause_breaks_.contains(words[k].key) || relatives_.contains(words[k].key)) &&
           !std::isupper(static_cast<unsigned char>(s[words[k].begin]) && words[k].key != "the"))
      ++k;
    if (k < end && words[k].key == "the") ++k;
    const std::size_t first = k;
    std::size_t last = k;  // one past the name's last word
    bool possessive = false;
    for (; k < end; ++k) {
      const unsigned char c = static_cast<unsigned char>(s[words[k].begin]);
      const bool capital = std::isupper(c) || std::isdigit(c);
      if (!capital && !(name_connectors_.contains(words[k].key) && k > first)) break;
      if (k > first && s.substr(words[k - 1].end, words[k].begin - words[k - 1].end).find_first_of(",;:()\"") !=
                           std::string_view::npos)
        break;
      if (capital) last = k + 1;
      if (words[k].key.ends_with("'s") || words[k].key.ends_with("s'") || words[k].key.ends_with("\xE2\x80\x99s")) {
        possessive = true;
        break;
      }
    }
    if (last == first || last - first > 6) return std::nullopt;
    if (end - last > 8) return std::nullopt;
    // Between the name and the action word only its verb group ("will",
    // "has", "effectively"), unless the name is a possessive ("X's decision to").
    if (!possessive)
      for (std::size_t j = last; j < end; ++j)
        if (!modals_.contains(words[j].key) && !auxiliaries_.contains(words[j].key) && !adverbs_.contains(words[j].key))
          return std::nullopt;
    for (std::size_t j = last; j < end; ++j)
      if (std::isupper(static_cast<unsigned char>(s[words[j].begin]))) return std::nullopt;
    const std::string_view rest = s.substr(words[last - 1].end, trigger_begin - words[last - 1].end);
    if (rest.find_first_of(",;:()\"") != std::string_view::npos) return std::nullopt;
    std::string name(s.substr(words[first].begin, words[last - 1].end - words[first].begin));
    if (possessive || name.ends_with("'s")) {
      if (name.ends_with("\xE2\x80\x99s")) name.resize(name.size() - 4);  // a typographic apostrophe
      while (!name.empty() && (name.back() == 's' || name.back() == '\'')) name.pop_back();
    }
    if (measure_nouns_.contains(words[first].key)) return std::nullopt;  // "Section 5949 prohibits": a measure
    if (name.empty() || not_names_.contains(words[first].key) || not_names_.contains(term_key(name)))
      return std::nullopt;
    // The name is neither a known actor nor a vendor (those are items).
    for (const auto& it : items)
      if (it.begin < words[last - 1].end && words[first].begin < it.end) return std::nullopt;
    return Entity{name, "company", "subject proper noun '" + name + "'", -1};
  };

  // "The app, owned by Chinese company X, was banned": a comma, a participle
  // and an agent marker before the name, and a comma between it and the
  // action word, make an aside that only says who owns or makes what is
  // meant; X is not the patient.
  auto owner_aside = [&](const Item& it, std::size_t action_begin) {
    if (s.substr(it.end, action_begin - it.end).find(',') == std::string_view::npos) return false;
    const std::size_t wi = word_at_or_after(it.begin);
    for (std::size_t m = wi, n = 0; m-- > 0 && n < 4; ++n) {
      if (s.substr(words[m].end, (m + 1 < words.size() ? words[m + 1].begin : it.begin) - words[m].end)
              .find_first_of(",;:()") != std::string_view::npos)
        return false;
      if (!agent_markers_.contains(words[m].key)) continue;
      // The participle before the marker opens the aside after a comma.
      return m >= 2 &&
             s.substr(words[m - 2].end, words[m - 1].begin - words[m - 2].end).find(',') != std::string_view::npos;
    }
    return false;
  };

  // "Beijing said it was concerned about the ban": a measure governed by a
  // preposition is what its clause's subject speaks of or reacts to, not
  // what it imposed.
  auto governed_measure = [&](std::size_t noun_begin) {
    std::size_t k = word_at_or_after(noun_begin);
    while (k > 0 && (determiners_.contains(words[k - 1].key) || adverbs_.contains(words[k - 1].key))) --k;
    // "took the decision on a ban": the measure decided is the decider's own.
    if (k > 1 && decisions_.contains(words[k - 2].key)) return false;
    return k > 0 && prepositions_.contains(words[k - 1].key);
  };

  // ---- 2. clause boundaries ---------------------------------------------------
  // Cut points: ';', ':', a spaced dash, and a comma followed by a clause break
  // word (", which", ", while"). A clause break without a comma also cuts
  // ("... but the FCC banned ...").
  std::vector<std::size_t> cuts{0};
  std::vector<std::size_t> relative_cuts;  // cuts opened by a relative pronoun
  // Dashes: a pair encloses an aside ("the council – a body tied to the
  // cabinet – has decided"), which is skipped like a parenthesis; a lone dash
  // cuts.
  std::vector<std::pair<std::size_t, std::size_t>> dashes;  // [begin, end) of each dash
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (const char* dash : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - "})
      if (s.substr(i).starts_with(dash)) {
        dashes.emplace_back(i, i + std::strlen(dash));
        break;
      }
  }
  std::vector<std::pair<std::size_t, std::size_t>> asides;
  for (std::size_t k = 0; k + 1 < dashes.size(); k += 2) asides.emplace_back(dashes[k].first, dashes[k + 1].second);
  if (dashes.size() % 2 == 1) cuts.push_back(dashes.back().second);
  auto in_aside = [&](std::size_t pos) {
    return std::any_of(asides.begin(), asides.end(), [&](const auto& a) { return pos >= a.first && pos < a.second; });
  };
  for (auto& it : items)
    if (in_aside(it.begin)) it.in_parens = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool time = c == ':' && i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                      std::isdigit(static_cast<unsigned char>(s[i + 1]));
    if (c == ';' || (c == ':' && !time)) {
      // "The entities are: A, B and C": a colon before a list of vendors
      // keeps the list in its clause.
      if (c == ':') {
        auto next = std::find_if(items.begin(), items.end(), [&](const Item& it) { return it.begin > i; });
        if (next != items.end() && next->role == Role::kVendor && words_between(i, next->begin) <= 2) continue;
      }
      cuts.push_back(i + 1);
    }
  }
  for (std::size_t w = 0; w < words.size(); ++w) {
    if (!clause_breaks_.contains(words[w].key) && !relatives_.contains(words[w].key)) continue;
    std::size_t b = words[w].begin;
    if (in_aside(b)) continue;
    std::size_t j = b;
    while (j > 0 && s[j - 1] == ' ') --j;
    const bool comma = j > 0 && s[j - 1] == ',';
    if (relatives_.contains(words[w].key)) {
      if (comma) {
        cuts.push_back(b);
        relative_cuts.push_back(b);
      }
    } else if (comma || w > 0) {
      cuts.push_back(b);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  auto clause_of = [&](std::size_t pos) {
    auto it = std::upper_bound(cuts.begin(), cuts.end(), pos);
    const std::size_t b = *std::prev(it);
    const std::size_t e = it == cuts.end() ? s.size() : *it;
    return std::make_pair(b, e);
  };
  auto parens_at = [&](std::size_t pos) {
    int depth = 0;
    for (std::size_t i = 0; i < pos && i < s.size(); ++i) {
      if (s[i] == '(') ++depth;
      if (s[i] == ')' && depth > 0) --depth;
    }
    return depth > 0;
  };

  // ---- 3. the action words ---------------------------------------------------
  struct Hit {
    std::size_t begin, end;
    int trigger;
    std::string voice;      // active | passive | nominal | list | cessation
    std::size_t order = 0;  // cessation: the word index of the directive before it
  };
  std::vector<Hit> hits;
  {
    re2::StringPiece g;
    for (std::size_t pos = 0; pos < s.size() && triggers_re_->Match(input, pos, s.size(), RE2::UNANCHORED, &g, 1);) {
      const std::size_t b = static_cast<std::size_t>(g.data() - s.data()), e = b + g.size();
      pos = std::max(e, pos + 1);
      auto f = forms_.find(term_key(std::string_view(g.data(), g.size())));
      if (f == forms_.end() || f->second.empty()) continue;
      if (overlaps(b, e)) continue;  // inside a name ("Ban Ki-moon")
      if (e < s.size() && s[e] == '-' && e + 1 < s.size() && s[e + 1] != ' ') continue;  // "ban-proof"
      // The words before it, skipping adverbs.
      const std::size_t wi = word_at_or_after(b);
      std::size_t k = wi;
      std::string prev;
      while (k > 0) {
        const Word& w = words[k - 1];
        // A comma or other stop between stops the look-back.
        std::string_view between = s.substr(w.end, (k == wi ? b : words[k].begin) - w.end);
        if (between.find_first_of(",;:()\"") != std::string_view::npos) break;
        if (adverbs_.contains(w.key)) {
          --k;
          continue;
        }
        prev = w.key;
        break;
      }
      const std::string next = wi + 1 < words.size() && words[wi].begin == b ? words[wi + 1].key : "";
      const bool prev_possessive = prev.ends_with("'s") || prev.ends_with("\xE2\x80\x99s");
      bool prev_item = false;  // a vendor or actor right before it ("the TikTok ban")
      for (const auto& it : items)
        if (it.end <= b && b - it.end <= 2 && (is_vendorish(it.role) || is_actorish(it.role))) prev_item = true;
      // Word orders with the auxiliary apart from its participle: anywhere
      // before it in the clause, or right after it ("verboten werden").
      bool distant_auxiliary = false;
      if (lexicon_.distant_auxiliaries) {
        distant_auxiliary = auxiliaries_.contains(next);
        for (std::size_t a = word_at_or_after(clause_of(b).first); a < wi && !distant_auxiliary; ++a)
          distant_auxiliary = auxiliaries_.contains(words[a].key);
      }
      for (const Form& form : f->second) {
        std::string voice;
        if (form.cessation) {
          // Only as the content of an order; else the word's other forms.
          // A vendor is the one told ("ordered X to cease"), else the word's
          // other forms read it ("ordered carriers to suspend X").
          std::optional<std::size_t> ordered;
          // The order may stand across a comma ("hat X angewiesen, den Betrieb einzustellen").
          for (std::size_t dk = wi, n = 0; dk-- > 0 && n < 10; ++n) {
            if (entry_at(words, dk, directives_).empty()) continue;
            const std::size_t from = dk >= 3 && lexicon_.objects_before_verb ? words[dk - 3].begin : words[dk].end;
            if (std::any_of(items.begin(), items.end(), [&](const Item& it) {
                  return it.role == Role::kVendor && !it.possessive && it.begin >= from && it.end <= b;
                }))
              ordered = dk;
            break;
          }
          if (!ordered) continue;
          hits.push_back(Hit{b, e, form.trigger, "cessation", *ordered});
          break;
        } else if (form.participle && (auxiliaries_.contains(prev) || distant_auxiliary)) {
          voice = "passive";
        } else if (form.noun && !modals_.contains(prev) &&
                   (determiners_.contains(prev) || prev_possessive || prev_item || object_markers_.contains(next) ||
                    agent_markers_.contains(next) || !(form.verb || form.participle))) {
          voice = "nominal";
        } else if (form.participle && agent_markers_.contains(next)) {
          voice = "passive";  // a reduced passive: "Huawei, banned by the FCC"
        } else if (form.verb) {
          voice = "active";
        } else if (form.participle) {
          voice = "passive";  // a headline's passive: "Huawei banned from 5G"
        } else {
          continue;
        }
        hits.push_back(Hit{b, e, form.trigger, voice});
        break;  // the first form that fits
      }
    }
  }
  for (const auto& it : items)
    if (it.role == Role::kList) hits.push_back(Hit{it.begin, it.end, -1, "list"});
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.begin < b.begin; });

  // ---- 4. resolution helpers -------------------------------------------------
  // "Telegram channels", "Huawei's local distributor": the vendor's name
  // qualifies something that is not the vendor.
  auto qualifies_other = [&](const Item& it) {
    const std::size_t wi = word_at_or_after(it.end);
    for (std::size_t k = wi; k < words.size() && k < wi + 3; ++k) {
      if (words[k].begin < it.end) continue;
      if (qualified_nouns_.contains(words[k].key)) return true;
      if (k == wi && reporting_verbs_.contains(words[k].key)) return true;  // ", the company said": a speaker
      if (k == wi && it.possessive && words[k].key.size() <= 3) continue;   // "'s"
      if (!determiners_.contains(words[k].key) && k > wi) break;
    }
    return false;
  };
  auto vendor_entity = [&](const Item& it, std::vector<Entity>& into) {
    if (it.role == Role::kVendor && qualifies_other(it)) return;
    if (it.role == Role::kVendor) {
      into.push_back(Entity{it.mention->name, "", it.mention->how, it.mention->entity});
    } else if (it.role == Role::kPluralRef || it.role == Role::kPronounPl) {
      if (d.last_vendors.empty() || d.sentence - d.last_vendors_sentence > 6) return;
      for (int v : d.last_vendors)
        into.push_back(Entity{pack_->vendors[std::size_t(v)].name, "",
                              "reference '" + it.text + "' to the vendors named in sentence " +
                                  std::to_string(d.last_vendors_sentence + 1),
                              v});
    } else if (it.role == Role::kPronounSg) {
      // The vendor named earlier in this sentence first ("a probe into X and
      // banned its products"), else the one the article named last.
      for (auto p = items.rbegin(); p != items.rend(); ++p)
        if (p->end <= it.begin && p->role == Role::kVendor && p->mention->entity >= 0 && !qualifies_other(*p)) {
          into.push_back(Entity{p->mention->name, "",
                                "pronoun '" + it.text + "' as the patient: the vendor named earlier in the sentence",
                                p->mention->entity});
          return;
        }
      if (d.last_vendor < 0) return;
      into.push_back(Entity{pack_->vendors[std::size_t(d.last_vendor)].name, "",
                            "pronoun '" + it.text + "' as the patient: the vendor named last", d.last_vendor});
    }
  };
  // The article's last actor, when recent and an authority (a company is
  // rarely the unnamed agent of a ban or a listing).
  auto recent_actor = [&]() -> std::optional<Entity> {
    std::optional<Entity> found;
    std::size_t at = 0;
    for (std::size_t back = 1; back <= kRecentSentences && back <= d.sentence && !found; ++back) {
      const std::size_t j = d.sentence - back;
      if (d.last_actor && d.last_actor_sentence >= j) {
        found = d.last_actor;
        at = d.last_actor_sentence;
      } else if (d.actor_in) {
        found = d.actor_in(j);
        at = j;
      }
    }
    if (!found || found->type == "company") return std::nullopt;
    Entity e = *found;
    e.how = "the actor named in sentence " + std::to_string(at + 1) + " (" + e.how + ")";
    return e;
  };
  // An actor item as an entity; references and pronouns resolve to the actor
  // named last, in this sentence first.
  auto actor_entity = [&](const Item& it) -> std::optional<Entity> {
    if (it.role == Role::kActor) {
      const auto* m = it.mention;
      if (m->kind != MentionKind::kActor) return std::nullopt;
      return Entity{m->name, m->type.empty() ? "other" : m->type, m->how, -1};
    }
    if (it.role == Role::kActorRef || it.role == Role::kPronounSg || it.role == Role::kPronounPl) {
      const bool pronoun = it.role != Role::kActorRef;
      std::optional<Entity> found;
      for (auto p = items.rbegin(); p != items.rend() && !found; ++p) {
        if (p->end > it.begin) continue;
        // "DJI said it will suspend sales": a pronoun's nearest antecedent
        // is a vendor, whose own decision this is.
        if (pronoun && p->role == Role::kVendor && p->mention->entity >= 0 && !p->possessive) return std::nullopt;
        if (p->role == Role::kActor && p->mention->kind == MentionKind::kActor) {
          found = Entity{p->mention->name, p->mention->type.empty() ? "other" : p->mention->type, "", -1};
          found->how = "'" + it.text + "' refers to the actor named earlier in the sentence (" + p->mention->how + ")";
        }
      }
      if (!found)
        if (auto e = recent_actor()) {
          e->how = "'" + it.text + "' refers to " + e->how;
          found = std::move(e);
        }
      // "the government" of a body named before is its country's.
      if (found && it.role == Role::kActorRef && state_references_.contains(term_key(it.text)))
        if (auto a = actor_by_name_.find(found->name); a != actor_by_name_.end()) {
          const auto& def = pack_->actors[std::size_t(a->second)];
          if (!def.is_country && !def.country.empty()) {
            found->how += ", whose country is " + def.country;
            found->name = def.country;
            found->type = "government";
          }
        }
      return found;
    }
    return std::nullopt;
  };
  // The list an item belongs to ("A, B and C"): the items joined to it by
  // commas and conjunctions only.
  auto coordinated = [&](std::size_t index, bool want_vendor) {
    std::vector<std::size_t> out{index};
    auto joined = [&](std::size_t a, std::size_t b) {  // items a < b joined
      std::string_view between = s.substr(items[a].end, items[b].begin - items[a].end);
      std::size_t i = 0;
      if (between.starts_with("'s") || between.starts_with("\xE2\x80\x99s")) i = between.starts_with("'s") ? 2 : 4;
      bool any = false;
      for (const auto& w : words_in(between, i, between.size(), &elisions_)) {
        if (name_suffixes_.contains(w.key)) continue;  // "Huawei Technologies Co., Ltd., and ZTE"
        if (!conjunctions_.contains(w.key) && !determiners_.contains(w.key)) return false;
        any = true;
      }
      const bool comma = between.find(',') != std::string_view::npos;
      if (between.find_first_of(";:()") != std::string_view::npos) return false;
      return any || comma;
    };
    auto fits = [&](const Item& it) { return want_vendor ? is_vendorish(it.role) : is_actorish(it.role); };
    for (std::size_t j = index; j > 0 && fits(items[j - 1]) && joined(j - 1, j); --j) out.push_back(j - 1);
    for (std::size_t j = index; j + 1 < items.size() && fits(items[j + 1]) && joined(j, j + 1); ++j)
      out.push_back(j + 1);
    std::sort(out.begin(), out.end());
    return out;
  };

  // ---- 5. frames ---------------------------------------------------------------
  // The directive each active action word is the content of, by hit: a verb
  // joined to an ordered one by a conjunction shares its order ("ordered X to
  // block the app and remove it").
  std::vector<std::optional<std::size_t>> hit_directive(hits.size());
  for (std::size_t h = 0; h < hits.size() && static_cast<int>(frames.size()) < kMaxFramesPerSentence; ++h) {
    const Hit& hit = hits[h];
    auto [cb, ce] = clause_of(hit.begin);
    // The object zone ends at the next action word of another clause role.
    std::size_t zone_end = ce;
    for (std::size_t n = h + 1; n < hits.size(); ++n)
      if (hits[n].begin < ce && hits[n].voice == "active") {
        zone_end = hits[n].begin;
        // "..., and Twitter banned X": the next verb's subject is not this
        // verb's object.
        for (std::size_t j = items.size(); j-- > 0;) {
          if (items[j].end > zone_end || items[j].begin < hit.end) continue;
          if (words_between(items[j].end, zone_end) > 2) break;
          const std::string_view before_item = s.substr(hit.end, items[j].begin - hit.end);
          const auto lead = words_in(before_item, 0, before_item.size(), &elisions_);
          if (before_item.find(',') != std::string_view::npos && !lead.empty() &&
              conjunctions_.contains(lead.back().key))
            zone_end = items[j].begin;
          break;
        }
        break;
      }
    Frame f;
    f.trigger_begin = hit.begin;
    f.trigger_end = hit.end;
    f.voice = hit.voice;
    f.action = hit.trigger >= 0 ? lexicon_.triggers[std::size_t(hit.trigger)].action : "list_addition";
    std::string agent_how;
    // "removed X from the Entity List", "was taken off the blacklist", "the
    // removal of X from the list": the list's frame reads it (a lifting).
    if (f.action == "remove_or_replace" && std::any_of(items.begin(), items.end(), [&](const Item& it) {
          return it.role == Role::kList && it.begin >= hit.end && it.end <= zone_end;
        }))
      continue;

    // Items of the clause, by side.
    std::vector<std::size_t> left, right;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].begin >= cb && items[i].end <= hit.begin) left.push_back(i);
      if (items[i].begin >= hit.end && items[i].end <= zone_end &&
          words_between(hit.end, items[i].begin) <= kMaxObjectWords)
        right.push_back(i);
    }
    // The subject of a relative clause is the item before ", which".
    std::optional<std::size_t> antecedent;
    if (std::find(relative_cuts.begin(), relative_cuts.end(), cb) != relative_cuts.end()) {
      for (std::size_t i = items.size(); i-- > 0;)
        if (items[i].end <= cb) {
          if (cb - items[i].end <= 4) antecedent = i;
          break;
        }
    }

    // An actor after an agent or scope marker ("von der Regierung", "in
    // Deutschland"), determiners allowed between: the agent or the place.
    auto marked_agent_or_place = [&](const Item& item) {
      for (std::size_t k = word_at_or_after(item.begin); k-- > 0;) {
        if (s.substr(words[k].end, item.begin - words[k].end).find_first_of(",;:()") != std::string_view::npos)
          return false;
        if (agent_markers_.contains(words[k].key) || scope_markers_.contains(words[k].key)) return true;
        if (!determiners_.contains(words[k].key)) return false;
      }
      return false;
    };
    // Where the subject may follow the passive ("ma zostać wycofany sprzęt X",
    // "è stato vietato l'uso di X"): the first vendor after the participle,
    // unless an actor or an agent marker comes first (that is the agent).
    auto passive_subject_after = [&](const std::vector<std::size_t>& on_right) -> std::vector<std::size_t> {
      for (std::size_t i : on_right) {
        if (is_actorish(items[i].role) && !marked_agent_or_place(items[i])) return {};
        if (!is_vendorish(items[i].role) || qualifies_other(items[i])) continue;
        for (std::size_t k = word_at_or_after(hit.end); k < words.size() && words[k].end <= items[i].begin; ++k)
          if (agent_markers_.contains(words[k].key)) return {};
        return coordinated(i, true);
      }
      return {};
    };
    auto take_vendors = [&](const std::vector<std::size_t>& idx, std::vector<Entity>& into) {
      for (std::size_t i : idx) vendor_entity(items[i], into);
    };
    auto take_agents = [&](std::size_t i, const std::string& how) {
      for (std::size_t j : coordinated(i, false)) {
        if (items[j].in_parens && !items[i].in_parens) continue;
        // "Russia's communications watchdog Roskomnadzor": the body named
        // right after a country's description is the actor.
        // Only a space stands between: "Canada, Australia" is a list.
        if (j + 1 < items.size() && items[j + 1].role == Role::kActor && items[j + 1].begin >= items[j].end &&
            items[j + 1].begin - items[j].end <= 2 && items[j + 1].mention->entity >= 0 &&
            s.substr(items[j].end, items[j + 1].begin - items[j].end).find_first_not_of(' ') == std::string_view::npos)
          j = j + 1;
        if (auto e = actor_entity(items[j])) {
          e->how = how + ": " + e->how;
          f.actors.push_back(std::move(*e));
        }
      }
      f.cue_begin = std::min(f.cue_begin, items[i].begin);
    };
    f.cue_begin = cb;
    f.clause_begin = cb;
    f.clause_end = ce;
    // "by X" after the trigger (within a few words).
    auto by_agent = [&]() -> std::optional<std::size_t> {
      const std::size_t wi = word_at_or_after(hit.end);
      for (std::size_t k = wi; k < words.size() && k < wi + 10 && words[k].begin < zone_end; ++k) {
        if (!agent_markers_.contains(words[k].key)) continue;
        for (std::size_t i = 0; i < items.size(); ++i)
          if (items[i].begin >= words[k].end && is_actorish(items[i].role) &&
              words_between(words[k].end, items[i].begin) <= 3) {
            // "products made by US chipmaker X": the country only says where
            // the vendor after it is from.
            if (i + 1 < items.size() && items[i + 1].role == Role::kVendor) {
              const auto gap = s.substr(items[i].end, items[i + 1].begin - items[i].end);
              const auto gap_words = words_in(gap, 0, gap.size(), &elisions_);
              if (gap_words.size() <= 2 && gap.find_first_of(",;:()") == std::string_view::npos &&
                  std::none_of(gap_words.begin(), gap_words.end(), [&](const Word& w) {
                    return prepositions_.contains(w.key) || object_markers_.contains(w.key) ||
                           conjunctions_.contains(w.key);
                  }))
                return std::nullopt;
            }
            return i;
          }
        return std::nullopt;
      }
      return std::nullopt;
    };
    // A passive that only says a measure was taken, right after its noun
    // ("was opened", "ont été ouvertes", "è stata avviata", "wurde ...
    // eingeleitet"): the word index after its auxiliaries and participle (the
    // agent marker, when one follows), or `wi` when none stands there.
    auto past_support_passive = [&](std::size_t wi) {
      std::size_t k = wi, after_aux = wi;
      for (; k < words.size() && k < wi + 3 && words[k].begin < zone_end; ++k) {
        if (s.substr(words[k == wi ? k : k - 1].end, words[k].begin - words[k == wi ? k : k - 1].end)
                    .find_first_of(",;:()") != std::string_view::npos &&
            k > wi)
          break;
        if (object_markers_.contains(words[k].key) || agent_markers_.contains(words[k].key)) break;
        if (auxiliaries_.contains(words[k].key)) {
          after_aux = k + 1;
        } else if (after_aux > wi) {
          break;
        }
      }
      if (after_aux == wi) return wi;
      k = after_aux;
      while (k < words.size() && adverbs_.contains(words[k].key)) ++k;
      // The participle, unless the clause puts it last ("wurde von X gegen Y eingeleitet").
      if (k < words.size() && !agent_markers_.contains(words[k].key) && !object_markers_.contains(words[k].key)) ++k;
      return k;
    };
    // The nearest actor to the left in the clause, outside parentheses; a
    // vendor nearer than any actor is the subject (its own decision).
    auto left_subject = [&](bool allow_vendor_subject) -> std::optional<std::size_t> {
      // An actor after a preposition ("espionage from China", "in France, a
      // law limited X") is the subject only when no other actor is.
      std::optional<std::size_t> governed;
      for (auto it = left.rbegin(); it != left.rend(); ++it) {
        const Item& item = items[*it];
        if (item.in_parens && !parens_at(hit.begin)) continue;
        if (words_between(item.end, hit.begin) > kMaxAgentGapWords) break;
        if (is_actorish(item.role) && speaker(item)) continue;  // "Beijing said it was concerned about the ban"
        if (item.role == Role::kActor && after_preposition(item)) {
          if (!governed) governed = *it;
          continue;
        }
        if (is_actorish(item.role)) return *it;
        if (item.role == Role::kPronounSg || item.role == Role::kPronounPl) {
          if (item.possessive) continue;  // "its" before the verb qualifies a noun
          return *it;
        }
        if (item.role == Role::kVendor && after_preposition(item)) continue;  // "a probe into X and banned"
        if (item.role == Role::kVendor && !item.possessive && !allow_vendor_subject) {
          if (lexicon_.objects_before_verb) continue;  // the object before its verb
          break;
        }
        if (item.role == Role::kList) continue;
      }
      if (lexicon_.governed_subjects) return governed;
      return std::nullopt;
    };

    if (hit.voice == "cessation") {
      // "ordered X to cease its operations", "ha ordinato a X di interrompere
      // il trattamento", "hat X angewiesen, den Betrieb einzustellen": the
      // vendor told to stop is banned by whoever told it. The directive
      // stands a few words before, the vendor told between it and the verb
      // (or, where objects come first, just before the directive). What the
      // vendor must stop may not be content of its users ("to stop the posts").
      const std::size_t wi = word_at_or_after(hit.begin);
      const std::size_t directive = hit.order;  // found with the hit
      if (pressures_.contains(entry_at(words, directive, directives_))) continue;
      cb = std::min(cb, clause_of(words[directive].begin).first);
      bool content = false;
      for (std::size_t k = wi + 1; k < words.size() && k < wi + 5 && words[k].begin < ce && !content; ++k)
        content = qualified_nouns_.contains(words[k].key);
      if (content) continue;
      const std::size_t at = words[directive].begin, from = directive >= 3 ? words[directive - 3].begin : cb;
      std::optional<std::size_t> told;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Item& it = items[i];
        if (it.role != Role::kVendor || it.possessive || it.end > hit.begin) continue;
        if (it.begin >= words[directive].end ||
            (lexicon_.objects_before_verb && it.begin >= std::max(from, cb) && it.end <= at))
          told = i;
      }
      if (!told || qualifies_other(items[*told])) continue;
      std::optional<std::size_t> giver;
      for (std::size_t i = items.size(); i-- > 0;) {
        const Item& item = items[i];
        if (item.end > at || item.begin >= items[*told].begin) continue;
        if (item.begin < cb || words_between(item.end, at) > kMaxAgentGapWords) break;
        if (is_actorish(item.role) && !item.in_parens) {
          giver = i;
          break;
        }
      }
      if (giver) {
        take_agents(*giver, "giver of the order");
      } else if (auto e = recent_actor()) {
        e->how = "giver of the order, taken from " + e->how;
        f.actors.push_back(std::move(*e));
      }
      if (advisories_.contains(entry_at(words, directive, directives_))) f.action = "warning";
      // A company's demand on another ("Lenovo told X to stop copying") is no ban.
      std::erase_if(f.actors, [](const Entity& a) { return a.type == "company"; });
      vendor_entity(items[*told], f.vendors);
      if (!f.vendors.empty()) f.vendors.back().how = "the vendor told to stop: " + f.vendors.back().how;
      f.voice = "order";
      f.confidence = 0.7;
    } else if (hit.voice == "active") {
      auto subj = left_subject(false);
      // "X has chosen A and B as suppliers, excluding Y": a participle
      // clause after a comma has the main clause's subject, the first actor
      // of the clause, not the object nearest before it.
      if (subj) {
        const std::size_t wi = word_at_or_after(hit.begin);
        const bool after_comma =
            wi > 0 && words[wi - 1].end >= cb &&
            s.substr(words[wi - 1].end, hit.begin - words[wi - 1].end).find(',') != std::string_view::npos &&
            s.substr(words[wi - 1].end, hit.begin - words[wi - 1].end).find_first_not_of(", ") ==
                std::string_view::npos;
        if (after_comma)
          for (std::size_t i : left) {
            const Item& item = items[i];
            if (item.in_parens || after_preposition(item) || speaker(item)) continue;
            if (is_actorish(item.role)) subj = i;
            break;
          }
      }
      // "ordered Apple to remove X", "told carriers to stop using X": the
      // order's giver is the actor, the one told is not.
      std::optional<std::size_t> directive;  // word index of the directive verb
      bool negated_form = false;             // the action word opens with "not" or "to"
      {
        // The directive stands a few words before the action word, with the
        // one told between ("asked its citizens to stop buying X"); the action
        // word follows a modal ("to"), or opens with one or an adverb ("not to use").
        const std::size_t wi = word_at_or_after(hit.begin);
        std::size_t before = wi;
        while (before > 0 && adverbs_.contains(words[before - 1].key)) --before;
        const bool to_before = before > 0 && modals_.contains(words[before - 1].key);
        negated_form = wi < words.size() && words[wi].begin == hit.begin && words[wi].end < hit.end &&
                       (modals_.contains(words[wi].key) || adverbs_.contains(words[wi].key));
        for (std::size_t k = wi, n = 0; (to_before || negated_form) && k-- > 0 && n < 10 && words[k].begin >= cb; ++n)
          if (!entry_at(words, k, directives_).empty()) {
            // Someone is told: "pushes to revoke X" is the subject's own step.
            if (to_before && k + 2 >= before) break;
            directive = k;
            break;
          }
        // "ordered X to block the app and remove it": the second verb, joined
        // to the ordered one by a conjunction in the same clause, is ordered too.
        if (!directive && !to_before && before > 0 && conjunctions_.contains(words[before - 1].key))
          for (std::size_t o = h; o-- > 0 && hits[o].begin >= cb;) {
            if (hits[o].voice != "active") continue;  // "block the use of X and remove it"
            if (s.substr(hits[o].end, hit.begin - hits[o].end).find_first_of(",;:()") == std::string_view::npos)
              directive = hit_directive[o];
            break;
          }
        hit_directive[h] = directive;
      }
      // "not to use X" is a prohibition only as the content of an order.
      if (negated_form && !directive) continue;
      if (directive) {
        const std::size_t at = words[*directive].begin;
        std::size_t giver = items.size();
        for (auto it = left.rbegin(); it != left.rend(); ++it) {
          const Item& item = items[*it];
          if (item.end > at) continue;
          if (words_between(item.end, at) > kMaxAgentGapWords) break;
          if (is_actorish(item.role) ||
              (!item.possessive && (item.role == Role::kPronounSg || item.role == Role::kPronounPl))) {
            giver = *it;
            break;
          }
          if (item.role == Role::kVendor && !item.possessive) break;
        }
        if (giver < items.size()) {
          take_agents(giver, "giver of the order");
        } else if (auto e = recent_actor()) {
          e->how = "giver of the order, taken from " + e->how;
          f.actors.push_back(std::move(*e));
        }
        // Advice is a warning against the vendor, whatever it says to do
        // ("urged carriers to drop X"); an order to stop using is a ban;
        // pressure is no act of the one who presses ("lobbied Brazil to ban X").
        const std::string said = entry_at(words, *directive, directives_);
        if (pressures_.contains(said)) continue;
        if (advisories_.contains(said)) {
          f.action = "warning";
          std::erase_if(f.actors, [](const Entity& a) { return a.type == "company"; });
        }
      } else if (subj) {
        take_agents(*subj, "clause subject");
      } else if (auto named = lexicon_.proper_subjects ? proper_subject(cb, hit.begin) : std::nullopt) {
        f.actors.push_back(std::move(*named));
        f.confidence -= 0.1;
      } else {
        // "The new rule forbids agencies from ...": a measure as the subject
        // acts for whoever issued it, the authority the article named last.
        for (std::size_t k = word_at_or_after(cb); k < words.size() && words[k].end <= hit.begin; ++k)
          if (measure_nouns_.contains(words[k].key)) {
            if (auto e = recent_actor()) {
              e->how = "issuer of the measure ('" + words[k].key + "'), " + e->how;
              f.actors.push_back(std::move(*e));
              f.confidence -= 0.1;
            }
            break;
          }
      }
      if (f.actors.empty() && antecedent && is_actorish(items[*antecedent].role))
        take_agents(*antecedent, "subject of the relative clause");
      if (f.actors.empty() && lexicon_.subject_after_verb) {
        // The subject after its verb ("Am Freitag verbot die Regierung X"),
        // before the first vendor.
        for (std::size_t i : right) {
          if (is_vendorish(items[i].role)) break;
          if (is_actorish(items[i].role) && !items[i].in_parens) {
            take_agents(i, "clause subject after the verb");
            break;
          }
        }
      }
      // A court that blocks a measure, or an actor from taking one, lifts it
      // ("a judge blocked the ministry from imposing restrictions on X"); a
      // court that blocks a vendor bans it.
      if (f.action == "ban" && !f.actors.empty() &&
          std::all_of(f.actors.begin(), f.actors.end(), [](const Entity& a) { return a.type == "other"; })) {
        std::optional<std::size_t> first_vendor;
        for (std::size_t i : right)
          if (is_vendorish(items[i].role)) {
            first_vendor = items[i].begin;
            break;
          }
        const bool actor_first = !right.empty() && is_actorish(items[right.front()].role);
        const bool measure_first = first_vendor && std::any_of(hits.begin(), hits.end(), [&](const Hit& o) {
                                     return o.voice == "nominal" && o.begin >= hit.end && o.end <= *first_vendor;
                                   });
        if (first_vendor && (actor_first || measure_first)) f.action = "lift_ban";
      }
      // Patients: vendors to the right; pronouns only when no vendor is named.
      std::vector<std::size_t> named, pronouns;
      for (std::size_t i : right) {
        if (is_vendorish(items[i].role)) named.push_back(i);
        if (items[i].role == Role::kPronounSg || items[i].role == Role::kPronounPl) pronouns.push_back(i);
      }
      if (!named.empty() && f.action != "lift_ban") {
        // "blocked the ban on X", "announced restrictions on X": the noun
        // the verb governs carries the action; its own frame reads it.
        const bool governs = std::any_of(hits.begin(), hits.end(), [&](const Hit& o) {
          return o.voice == "nominal" && o.begin >= hit.end && o.end <= items[named.front()].begin;
        });
        if (governs) continue;
      }
      if (!named.empty()) {
        // The first vendor named after the verb and the list it heads ("A, B
        // and C", "vendors including A and B"); a vendor further on belongs
        // to another phrase ("..., the shutdown of B's operations").
        named = coordinated(named.front(), true);
        take_vendors(named, f.vendors);
      } else if (!pronouns.empty() && !f.actors.empty()) {
        // "banned it", "removed their products": the patient pronoun; a
        // possessive that belongs to the agent ("its employees") stays out.
        const Item& p = items[pronouns.front()];
        if (!p.possessive || words_between(hit.end, p.begin) <= 1) take_vendors({pronouns.front()}, f.vendors);
      }
      if (f.vendors.empty() && lexicon_.objects_before_verb && named.empty()) {
        // The object before its verb ("die Regierung hat X verboten"): the
        // vendor nearest the verb after its subject.
        const std::size_t from = subj ? items[*subj].end : cb;
        for (auto it = left.rbegin(); it != left.rend(); ++it) {
          const Item& item = items[*it];
          if (item.begin < from) break;
          if (is_vendorish(item.role) && !qualifies_other(item)) {
            take_vendors(coordinated(*it, true), f.vendors);
            break;
          }
        }
      }
      if (f.vendors.empty() && antecedent && is_vendorish(items[*antecedent].role))
        take_vendors({*antecedent}, f.vendors);
      f.confidence = 0.75;
    } else if (hit.voice == "passive") {
      // Patients: the nearest vendor (and its list) to the left in the clause;
      // one after an agent marker belongs to an aside when another stands
      // before it ("The app, owned by X, was banned"; but "radios made by X
      // were banned" are X's).
      std::optional<std::size_t> agent_before;  // "wurde von der Regierung verboten"
      // The agent marker may stand a few words before ("owned by Chinese company X").
      auto after_agent_marker = [&](const Item& item) {
        const std::size_t wi = word_at_or_after(item.begin);
        for (std::size_t k = wi; k-- > 0 && wi - k <= 4;) {
          if (s.substr(words[k].end, item.begin - words[k].end).find_first_of(",;:()") != std::string_view::npos)
            return false;
          if (agent_markers_.contains(words[k].key)) return true;
        }
        return false;
      };
      for (auto it = left.rbegin(); it != left.rend(); ++it) {
        const Item& item = items[*it];
        if (is_vendorish(item.role) && after_agent_marker(item) &&
            std::any_of(std::next(it), left.rend(), [&](std::size_t j) { return is_vendorish(items[j].role); }))
          continue;
        if (is_actorish(item.role) && !agent_before && lexicon_.objects_before_verb && marked_agent_or_place(item)) {
          agent_before = *it;
          continue;
        }
        if (is_vendorish(item.role) && owner_aside(item, hit.begin)) continue;
        if (is_vendorish(item.role) || item.role == Role::kPronounSg || item.role == Role::kPronounPl) {
          if (item.possessive && item.role != Role::kVendor) continue;
          take_vendors(coordinated(*it, true), f.vendors);
          if (f.vendors.empty()) vendor_entity(item, f.vendors);
          break;
        }
        if (is_actorish(item.role)) break;
      }
      if (f.vendors.empty() && antecedent) take_vendors(coordinated(*antecedent, true), f.vendors);
      if (f.vendors.empty() && lexicon_.subjects_after_passive) take_vendors(passive_subject_after(right), f.vendors);
      if (auto by = by_agent()) {
        take_agents(*by, "agent after 'by'");
      }
      if (f.actors.empty() && agent_before) take_agents(*agent_before, "agent or place before the participle");
      if (f.actors.empty()) {
        // "banned from the UK's 5G network", "from all Australian government
        // devices": the owner of the place it is kept from.
        const std::size_t wi = word_at_or_after(hit.end);
        for (std::size_t k = wi; k < words.size() && k < wi + 4 && words[k].begin < zone_end; ++k) {
          if (!scope_markers_.contains(words[k].key)) continue;
          for (std::size_t i : right) {
            if (items[i].begin < words[k].end) continue;
            if (words_between(words[k].end, items[i].begin) > 8) break;
            if (!is_actorish(items[i].role) || items[i].role == Role::kActorRef || items[i].in_parens) continue;
            if (items[i].mention->type == "company") break;  // "pulled from Apple's store": Apple only hosts it
            take_agents(i, "owner of the place it is kept from");
            break;
          }
          break;
        }
      }
      if (f.actors.empty()) {
        // An actor earlier in the sentence ("The FCC said Huawei was banned").
        for (std::size_t i = 0; i < items.size() && items[i].end <= hit.begin; ++i)
          if (items[i].role == Role::kActor && !items[i].in_parens && items[i].mention->kind == MentionKind::kActor) {
            take_agents(i, "actor earlier in the sentence");
            break;
          }
      }
      f.confidence = 0.7;
    } else if (hit.voice == "nominal") {
      // "lifted the ban on X", "removed the restrictions against X": a
      // measure taken away is a lifting. So is a ban or a restriction ended
      // ("terminated the suspension of X's privileges", "cancelled the ban").
      if (h > 0 && hits[h - 1].trigger >= 0 && words_between(hits[h - 1].end, hit.begin) <= 3 &&
          hits[h - 1].begin >= cb) {
        const std::string& governing = lexicon_.triggers[std::size_t(hits[h - 1].trigger)].action;
        const bool measure = f.action == "ban" || f.action == "restrict";
        if (governing == "lift_ban" || governing == "remove_or_replace" || (governing == "end_partnership" && measure))
          f.action = "lift_ban";
      }
      // Agent: a possessive right before ("Italy's ban"), "by X", or the clause subject.
      for (auto it = left.rbegin(); it != left.rend(); ++it) {
        const Item& item = items[*it];
        if (words_between(item.end, hit.begin) > 3) break;
        if (item.possessive && is_actorish(item.role)) {
          take_agents(*it, "possessive");
          break;
        }
        if (item.possessive && item.role == Role::kVendor) {
          vendor_entity(item, f.vendors);  // "TikTok's ban"
          break;
        }
        if (item.role == Role::kVendor && words_between(item.end, hit.begin) <= 1) {
          take_vendors(coordinated(*it, true), f.vendors);  // "the Huawei ban"
          break;
        }
        if (is_actorish(item.role) && words_between(item.end, hit.begin) <= 1 && !item.possessive) {
          take_agents(*it, "compound");  // "a U.S. ban"
          break;
        }
      }
      if (f.actors.empty())
        if (auto by = by_agent()) take_agents(*by, "agent after 'by'");
      if (f.vendors.empty()) {
        // "ban on Y", "bans and other restrictions on Y": the vendors after an
        // object marker a few words on. A passive that only says the measure
        // was taken stands between: "an inquiry was opened (by X) into Y".
        std::size_t wi = word_at_or_after(hit.end);
        if (const std::size_t past = past_support_passive(wi); past > wi) {
          wi = past;
          // The object stands after the agent's name (by_agent() above took the agent).
          if (wi < words.size() && agent_markers_.contains(words[wi].key))
            for (std::size_t i : right)
              if (items[i].begin >= words[wi].end && is_actorish(items[i].role) &&
                  words_between(words[wi].end, items[i].begin) <= 3) {
                wi = word_at_or_after(items[i].end);
                break;
              }
        }
        for (std::size_t k = wi; k < words.size() && k < wi + 4 && words[k].begin < zone_end; ++k) {
          // "The ban has implications on X": past a verb group the marker is another predicate's.
          if (!object_markers_.contains(words[k].key) &&
              (modals_.contains(words[k].key) || auxiliaries_.contains(words[k].key)))
            break;
          if (!object_markers_.contains(words[k].key)) continue;
          std::vector<std::size_t> named;
          for (std::size_t i : right)
            if (is_vendorish(items[i].role) && items[i].begin >= words[k].end &&
                words_between(words[k].end, items[i].begin) <= 12) {
              named = coordinated(i, true);
              break;
            }
          take_vendors(named, f.vendors);
          break;
        }
      }
      // A language that puts the object of a noun in the genitive
      // ("zakaz TikToka", "wykluczenie tej firmy"): the vendor right after it,
      // a word or two between but no preposition ("postępowanie ze sprzętem X"
      // is another construction) and no punctuation.
      if (f.vendors.empty() && lexicon_.genitive_objects)
        for (std::size_t i : right) {
          if (items[i].begin < hit.end) continue;
          if (is_vendorish(items[i].role) && items[i].begin <= zone_end &&
              words_between(hit.end, items[i].begin) <= 2 &&
              s.substr(hit.end, items[i].begin - hit.end).find_first_of(",;:()\"") == std::string_view::npos &&
              std::none_of(words.begin() + std::ptrdiff_t(word_at_or_after(hit.end)),
                           words.begin() + std::ptrdiff_t(word_at_or_after(items[i].begin)),
                           [&](const Word& w) { return prepositions_.contains(w.key); }))
            take_vendors(coordinated(i, true), f.vendors);
          break;
        }
      if (f.actors.empty()) {
        if (auto subj = left_subject(true); subj && !governed_measure(hit.begin)) take_agents(*subj, "clause subject");
      }
      // "The Navy and the Pentagon have issued bans": a measure with an agent
      // and no object is about the vendor the article just named, when this
      // sentence names none.
      if (f.vendors.empty() && !f.actors.empty() && d.last_vendor >= 0 && d.sentence - d.last_vendors_sentence <= 2 &&
          std::none_of(items.begin(), items.end(), [](const Item& it) { return is_vendorish(it.role); })) {
        const int v = d.last_vendor;
        f.vendors.push_back(Entity{pack_->vendors[std::size_t(v)].name, "",
                                   "the vendor the article named last (the measure names none)", v});
        f.confidence -= 0.1;
      }
      // "received complaints about X and opened an inquiry": a measure with an
      // agent and no object, in a predicate joined by a conjunction to the one
      // that named the vendor, is about that vendor when nothing after it names one.
      if (f.vendors.empty() && !f.actors.empty() && std::none_of(items.begin(), items.end(), [&](const Item& it) {
            return it.begin >= hit.end && is_vendorish(it.role);
          })) {
        for (auto p = items.rbegin(); p != items.rend(); ++p) {
          if (p->end > hit.begin || !is_vendorish(p->role)) continue;
          const std::size_t from = word_at_or_after(p->end), to = word_at_or_after(hit.begin);
          const bool joined =
              to - from <= 5 && std::any_of(words.begin() + std::ptrdiff_t(from), words.begin() + std::ptrdiff_t(to),
                                            [&](const Word& w) { return conjunctions_.contains(w.key); });
          if (joined && p->role == Role::kVendor && !p->possessive && !qualifies_other(*p)) {
            vendor_entity(*p, f.vendors);
            f.confidence -= 0.1;
          }
          break;
        }
      }
      f.confidence = std::min(f.confidence, 0.65);
    } else {  // list
      const ListDef& list =
          lexicon_
              .lists[std::size_t(items[std::size_t(std::find_if(items.begin(), items.end(),
                                                                [&](const Item& it) { return it.begin == hit.begin; }) -
                                                   items.begin())]
                                     .list)];
      // A lift word in the clause ("removed from the Entity List") makes it a lifting.
      // So does a removal before the list ("removes X from the Entity List").
      for (const auto& other : hits) {
        if (other.trigger < 0 || other.begin < cb || other.end > ce) continue;
        const std::string& a = lexicon_.triggers[std::size_t(other.trigger)].action;
        if (a == "lift_ban" || (a == "remove_or_replace" && other.end <= hit.begin)) f.action = "lift_ban";
      }
      std::vector<std::size_t> named;
      for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].begin >= cb && items[i].end <= ce && items[i].role == Role::kVendor) named.push_back(i);
      if (named.empty() && antecedent && is_vendorish(items[*antecedent].role)) named.push_back(*antecedent);
      take_vendors(named, f.vendors);
      if (f.vendors.empty()) {
        for (std::size_t i = 0; i < items.size(); ++i)
          if (items[i].begin >= cb && items[i].end <= ce &&
              (items[i].role == Role::kPluralRef || items[i].role == Role::kPronounPl ||
               (items[i].role == Role::kPronounSg && !items[i].possessive)))
            vendor_entity(items[i], f.vendors);
      }
      // Agent: "by X", else an actor of the clause before the list (or its
      // possessive: "the Commerce Department's Entity List"), else the keeper.
      if (auto by = by_agent()) take_agents(*by, "agent after 'by'");
      if (f.actors.empty()) {
        for (auto it = left.rbegin(); it != left.rend(); ++it)
          if (items[*it].role == Role::kActor && !items[*it].in_parens) {
            take_agents(*it, "actor of the clause");
            break;
          }
      }
      if (f.actors.empty() && !list.owner.empty()) {
        if (auto a = actor_by_name_.find(list.owner); a != actor_by_name_.end()) {
          const auto& def = pack_->actors[std::size_t(a->second)];
          f.actors.push_back(Entity{def.name, def.type, "keeper of the " + list.name, -1});
        }
      }
      f.voice = "list";
      f.confidence = 0.7;
    }
    // An agentless frame takes the article's recent actor when its subject is
    // a passive's or a nominal's open slot.
    if (f.actors.empty() && !f.vendors.empty() && (hit.voice == "passive" || hit.voice == "nominal")) {
      if (auto e = recent_actor()) {
        e->how = "agent left open, taken from " + e->how;
        f.actors.push_back(std::move(*e));
        f.confidence -= 0.1;
      }
    }
    if (hit.trigger >= 0) {
      // An action some actors cannot take ("reviewing a collaboration" is no
      // investigation when a company does it).
      const auto& allowed = lexicon_.triggers[std::size_t(hit.trigger)].actor_types;
      if (!allowed.empty())
        std::erase_if(f.actors, [&](const Entity& a) {
          return std::find(allowed.begin(), allowed.end(), a.type) == allowed.end();
        });
    }
    if (!f.actors.empty() && f.vendors.empty() && (hit.voice == "active" || hit.voice == "nominal")) {
      d.open_act = Discourse::Open{f.action, f.actors, d.sentence};
      d.last_measure = d.open_act;
    }
    if (f.actors.empty() || f.vendors.empty()) continue;
    frames.push_back(std::move(f));
  }

  // The actors of a measure read in an earlier sentence, for a frame that lists what it covers.
  auto take_measure_actors = [](const Discourse::Open& m, Frame& f) {
    for (auto a : m.actors) {
      a.how = "actor of the measure in sentence " + std::to_string(m.sentence + 1) + " (" + a.how + ")";
      f.actors.push_back(std::move(a));
    }
  };
  // A vendor the dictionary named (not a reference), not as an owner.
  auto named_vendor = [&](const Item& it) {
    return it.role == Role::kVendor && it.mention && it.mention->kind == MentionKind::kVendor && !it.possessive;
  };

  // ---- 6. a list of what a measure named before covers: "... blocked 43 apps.
  // The apps include X, Y and Z." The sentence reads no act of its own; the
  // vendors after an inclusion word ("include", "such as") take the measure
  // of the last two sentences whose actor was named but whose vendors were not.
  if (frames.empty() && d.open_act && d.open_act->sentence < d.sentence && d.sentence - d.open_act->sentence <= 2 &&
      !inclusions_.empty()) {
    for (std::size_t k = 0; k < words.size(); ++k) {
      if (entry_at(words, k, inclusions_).empty()) continue;
      std::optional<std::size_t> first;
      for (std::size_t i = 0; i < items.size() && !first; ++i)
        if (items[i].role == Role::kVendor && items[i].begin >= words[k].end && !items[i].possessive &&
            words_between(words[k].end, items[i].begin) <= 4)
          first = i;
      if (!first) continue;
      Frame f;
      f.action = d.open_act->action;
      f.voice = "listed";
      f.trigger_begin = words[k].begin;
      f.trigger_end = words[k].end;
      f.cue_begin = words[k].begin;
      std::tie(f.clause_begin, f.clause_end) = clause_of(words[k].begin);
      take_measure_actors(*d.open_act, f);
      for (std::size_t i : coordinated(*first, true)) vendor_entity(items[i], f.vendors);
      for (auto& v : f.vendors) v.how = "listed as covered by that measure: " + v.how;
      f.confidence = 0.55;
      if (!f.vendors.empty()) frames.push_back(std::move(f));
      d.open_act.reset();
      break;
    }
  }

  // ---- 6b. a list announced by a colon after a measure: "The following
  // vendors are named in the directive: X; Y; Z", on the lines after the
  // colon or after a colon in the sentence itself. The sentence reads no act
  // of its own; its vendors take the measure read last.
  if (frames.empty()) {
    const Discourse::Open* measure = nullptr;
    std::size_t from = 0;
    bool every_vendor = false;  // a list item: each of its vendors is covered
    if (d.enumeration && d.enumeration->last == d.sentence && d.enumeration->opened < d.sentence) {
      measure = &d.enumeration->measure;
      every_vendor = d.enumeration->item;
    } else if (d.last_measure && d.last_measure->sentence < d.sentence) {
      for (std::size_t c = s.find(':'); c != std::string_view::npos && !measure; c = s.find(':', c + 1))
        if (announces_list(s, c)) {
          measure = &*d.last_measure;
          from = c + 1;
        }
    }
    std::optional<std::size_t> first;
    for (std::size_t i = 0; measure && i < items.size() && !first; ++i)
      if (named_vendor(items[i]) && items[i].begin >= from && words_between(from, items[i].begin) <= 4) first = i;
    if (first) {
      Frame f;
      f.action = measure->action;
      f.voice = "listed";
      // The match shown is the colon, or on a line of its own the first vendor listed.
      f.trigger_begin = from > 0 ? from - 1 : items[*first].begin;
      f.trigger_end = from > 0 ? from : items[*first].end;
      f.cue_begin = f.trigger_begin;
      std::tie(f.clause_begin, f.clause_end) = clause_of(f.trigger_begin);
      take_measure_actors(*measure, f);
      if (every_vendor) {
        for (std::size_t i = *first; i < items.size(); ++i)
          if (named_vendor(items[i])) vendor_entity(items[i], f.vendors);
      } else {
        for (std::size_t i : coordinated(*first, true)) vendor_entity(items[i], f.vendors);
      }
      for (auto& v : f.vendors) v.how = "named in the list a colon announced after that measure: " + v.how;
      f.confidence = 0.55;
      if (!f.vendors.empty()) frames.push_back(std::move(f));
    }
  }

  // ---- 7. comparisons: "a similar step by A", "followed B", "A has done the same" ----
  if (!lexicon_.comparisons.empty()) {
    std::optional<Discourse::Act> act;
    if (!frames.empty() && !frames.front().vendors.empty())
      act = Discourse::Act{frames.front().vendors.front().vendor, frames.front().action, d.sentence};
    else if (d.last_act && d.sentence - d.last_act->sentence <= 2)
      act = d.last_act;
    re2::StringPiece g;
    for (std::size_t pos = 0;
         act && pos < s.size() && comparisons_re_->Match(input, pos, s.size(), RE2::UNANCHORED, &g, 1);) {
      const std::size_t cb0 = static_cast<std::size_t>(g.data() - s.data()), ce0 = cb0 + g.size();
      pos = std::max(ce0, pos + 1);
      const auto [clause_b, clause_e] = clause_of(cb0);
      std::optional<std::size_t> chosen;
      for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].begin >= ce0 && items[i].begin < clause_e && words_between(ce0, items[i].begin) <= 4 &&
            items[i].role == Role::kActor) {
          chosen = i;
          break;
        }
      if (!chosen)
        for (std::size_t i = items.size(); i-- > 0;)
          if (items[i].end <= cb0 && items[i].begin >= clause_b && items[i].role == Role::kActor &&
              words_between(items[i].end, cb0) <= 6) {
            chosen = i;
            break;
          }
      if (!chosen) continue;
      Frame f;
      f.action = act->action;
      f.voice = "comparison";
      f.trigger_begin = cb0;
      f.trigger_end = ce0;
      f.cue_begin = clause_b;
      f.clause_begin = clause_b;
      f.clause_end = clause_e;
      for (std::size_t j : coordinated(*chosen, false))
        if (auto e = actor_entity(items[j])) {
          e->how = "compared with the act before ('" + std::string(g.data(), g.size()) + "'): " + e->how;
          f.actors.push_back(std::move(*e));
        }
      const auto& v = pack_->vendors[std::size_t(act->vendor)];
      f.vendors.push_back(Entity{v.name, "", "the vendor of the compared act", act->vendor});
      f.confidence = 0.6;
      if (!f.actors.empty()) frames.push_back(std::move(f));
    }
  }

  // ---- 8. the discourse after this sentence -----------------------------------------
  observe(mentions, d, s);
  for (const auto& f : frames) {
    if (f.voice == "comparison") continue;
    // The vendors of this sentence's frames (a pronoun's resolution included)
    // stay the ones "they" refers to next.
    std::vector<int> vs;
    for (const auto& v : f.vendors)
      if (std::find(vs.begin(), vs.end(), v.vendor) == vs.end()) vs.push_back(v.vendor);
    if (vs.size() > 1 || d.last_vendors.empty()) {
      d.last_vendors = vs;
      d.last_vendors_sentence = d.sentence;
    }
    if (!f.actors.empty() && f.actors.front().vendor < 0) {
      d.last_actor = f.actors.front();
      d.last_actor_sentence = d.sentence;
      if (!d.last_measure || d.last_measure->sentence < d.sentence)
        d.last_measure = Discourse::Open{f.action, f.actors, d.sentence};
    }
    if (!f.vendors.empty()) d.last_act = Discourse::Act{f.vendors.front().vendor, f.action, d.sentence};
  }
  return frames;
}

}  // namespace banwatch::rules::internal
