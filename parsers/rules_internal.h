// Internal to the rule engine (parsers/rules*.cpp): the parsed rule pack, its
// compiled form, and the date resolution helpers. Not a public interface.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "parsers/rules.h"

namespace banwatch::rules::internal {

// A word of a sentence: its byte span and its key in lower case.
struct Word {
  std::size_t begin, end;
  std::string key;  // lower case
};

// The words of s[from, to), split at spaces and punctuation (an apostrophe, a
// hyphen and a dot stay inside a word, not at its end), an elided word of
// `elisions` standing apart ("l'interdiction" is "l'" and "interdiction").
std::vector<Word> words_in(std::string_view s, std::size_t from, std::size_t to,
                           const std::set<std::string, std::less<>>* elisions = nullptr);

// Where a definition came from, for error messages: "rules/actions.yaml:42".
struct Origin {
  std::string file;
  int line = 0;
  std::string str() const { return file + ":" + std::to_string(line); }
};

struct VendorDef {
  std::string name;                // canonical
  std::vector<std::string> terms;  // name, aliases, products, subsidiaries
  Origin origin;
};

// A known actor: a country (with its forms and adjectives), a body (agency,
// regulator, court, company) with its aliases.
struct ActorDef {
  std::string name;
  std::string type;                     // government | regulator | company | other
  std::string country;                  // for bodies; "" when none
  std::vector<std::string> forms;       // nouns that name it on their own
  std::vector<std::string> adjectives;  // need a head noun ("Italian authorities")
  std::vector<std::string> demonyms;    // its people: never an actor
  bool is_country = false;
  Origin origin;
};

struct RuleDef {
  std::string id;
  std::string action;
  std::string status = "enacted";
  bool fixed_status = false;        // status cues do not apply
  std::string status_cues = "all";  // all | before (only cues before the verb) | none
  std::string trigger;              // regex for the candidate Set; "" = derived from the cue group
  std::string pattern;              // with placeholders
  std::string actor_type;           // override; "" = from the actor
  std::string unless;               // regex: no event when it matches inside the match
  double confidence = 0.9;
  Origin origin;
};

struct CueDef {
  std::string kind;   // proposed | considering | reversed | negation
  std::string where;  // before (between subject and verb) | prefix (just before the match) | sentence
  std::string regex;
  Origin origin;
  std::string language;  // "" = every language
};

// The words of one language that the clause and discourse layers read
// (docs/rules.md, "Frames"). The engine knows no words of its own: every
// trigger, auxiliary, clause break and reference lives here.
struct TriggerDef {
  std::string action;
  std::vector<std::string> verbs;        // active forms: "bans", "banned", "will not be supplying"
  std::vector<std::string> participles;  // after an auxiliary: passive ("was banned")
  std::vector<std::string> nouns;        // nominal forms: "ban", "prohibition"
  std::vector<std::string> actor_types;  // who may take this action (empty: anyone); "investigation" is an authority's
  Origin origin;
};
struct ListDef {  // a named list and its keeper: "added to the Entity List" without an agent
  std::string name;
  std::vector<std::string> terms;
  std::string owner;     // an actor's canonical name (bodies or countries)
  bool generic = false;  // "a list of companies": a listing only after a list verb ("added to")
  Origin origin;
};
struct Lexicon {
  std::string language = "en";
  std::vector<TriggerDef> triggers;
  std::vector<std::string> auxiliaries;          // before a participle: the passive voice
  std::vector<std::string> adverbs;              // may stand between an auxiliary and its participle
  std::vector<std::string> agent_markers;        // "by": the agent of a passive or a nominal
  std::vector<std::string> scope_markers;        // "from": the owner of the place a passive keeps a vendor from
  std::vector<std::string> possessive_pronouns;  // "its", "their": qualify a noun, never a subject
  std::vector<std::string> measure_nouns;        // "the new rule forbids ...": a measure acts for its issuer
  std::vector<std::string> object_markers;       // "on", "against": the object of a nominal trigger
  std::vector<std::string> clause_breaks;        // words that open a new clause after a comma
  std::vector<std::string> singular_pronouns, plural_pronouns;  // resolved by their role in the clause
  std::vector<std::string> plural_references;                   // "the two companies": the last vendors named
  std::vector<std::string> actor_references;                    // "the regulator": the actor named last
  std::vector<std::string> state_references;                    // "the government": the country of the actor named last
  std::vector<std::string> comparisons;                         // "a similar step by A": A takes the compared action
  std::vector<std::string> list_verbs;                          // "remains on", "added to" with a list
  std::vector<std::string> reporting_verbs;  // "said", "reported": their subject is the speaker, not an agent
  std::vector<std::string> modals;           // before a verb form: it is a verb ("to ban", "will ban")
  std::vector<std::string> determiners;      // before a form: it is a noun ("the ban", "a new ban")
  std::vector<std::string> conjunctions;     // join the items of a list ("A, B and C")
  std::vector<std::string> relatives;        // ", which ...": the clause's subject is the word before
  std::vector<std::string> qualified_nouns;  // "Telegram channels", "Huawei's distributor": not the vendor itself
  std::vector<std::string> directives;       // "ordered Apple to remove X": the order's giver is the actor
  std::vector<std::string> advisories;       // directives that only advise ("urged carriers to drop X"): a warning
  std::vector<std::string> pressures;        // "lobbied Brazil to ban X": pressure, no act of the one who presses
  std::vector<std::string> decisions;        // "took the decision on a ban": a measure after one is the subject's
  std::vector<std::string> name_suffixes;    // "Co., Ltd.": a company name's legal form, inside a list of names
  std::vector<std::string> prepositions;     // a vendor after one is no clause subject ("a probe into X and banned")
  std::vector<std::string> name_connectors;  // lower-case words inside a name ("University of X")
  std::vector<std::string> elisions;         // "l'", "dall'": an elided word, apart from the word it leans on
  std::vector<std::string> cessations;       // "ordered X to cease ...": the vendor told to stop is banned
  std::vector<std::string> inclusions;       // "include", "such as": a list of what a measure named before covers
  std::vector<ListDef> lists;
  // Endings that replace each other on a participle (gender and number
  // agreement): with {"o", "a", "i", "e"}, "vietato" also reads "vietate".
  std::vector<std::vector<std::string>> endings;
  // Word order (`word_order:`), for languages whose clauses differ from English:
  bool objects_before_verb = false;  // an active verb with no vendor after it takes those before it
  bool subject_after_verb = false;   // an active verb with no actor before it takes the one after it
  bool distant_auxiliaries = false;  // a participle is passive with an auxiliary anywhere before it in
                                     // its clause, or right after it ("verboten werden")
  bool proper_subjects = true;       // an unknown capitalized name before a verb is its actor
  bool governed_subjects = false;    // an actor after a preposition ("En France, une loi a limité X") is
                                     // the subject when no other actor is
  // A passive with no vendor before it takes the first one after it ("è stato vietato l'uso di X").
  bool subjects_after_passive = false;
  // A noun's object in the genitive, right after it with no marker ("zakaz TikToka").
  bool genitive_objects = false;
  Origin origin;
};

struct Pack {
  std::string name = "banwatch";
  std::string version = "0";
  std::vector<VendorDef> vendors;
  std::vector<std::string> references;  // "the software maker", "the company"
  std::vector<ActorDef> actors;
  std::vector<std::string> government_heads, regulator_heads, court_heads, appositive_heads;
  std::vector<std::string> head_modifiers;  // words allowed between a country word and its head noun
  std::vector<std::string> not_actors;      // capitalized words never taken as an actor name
  std::vector<RuleDef> rules;
  std::vector<CueDef> cues;
  std::vector<std::string> scopes;                  // regexes with one capture group
  std::vector<Lexicon> lexicons;                    // by language; frames run only where one is given
  std::map<std::string, std::string> placeholders;  // user-defined {NAME} -> regex
  std::vector<std::string> warnings;
  std::uint64_t content_hash = 1469598103934665603ull;  // FNV-1a over the files
};

// Parses one YAML document into `pack` (merging lists). `name` for errors.
Status parse_yaml_into(std::string_view yaml, const std::string& name, Pack& pack);
// Validates the whole pack (unknown actions, duplicates, empty dictionaries).
Status validate(Pack& pack);

// ---- compiled ----------------------------------------------------------------
// A regex compiled on first use. The large dictionary alternations (bodies,
// countries, references) serve only sentences that name a vendor, which most
// texts hold none of; compiling them all with the pack cost more than half of
// its start-up. Thread-safe. compile() compiles it now and reports what RE2
// reports (`rules check` compiles everything, to name every problem); should a
// pattern first compiled on use not compile, it matches nothing.
// `*re` and `re->` read like a std::unique_ptr<RE2>; a LazyRegex without a
// pattern is false.
class LazyRegex {
 public:
  LazyRegex() = default;
  LazyRegex(const LazyRegex&) = delete;
  LazyRegex& operator=(const LazyRegex&) = delete;
  void set(std::string pattern, const RE2::Options& options) {
    pattern_ = std::move(pattern);
    options_ = options;
    configured_ = true;
  }
  explicit operator bool() const { return configured_; }
  // The RE2 error when the pattern does not compile; "" when it does.
  std::string compile() const;
  const RE2& operator*() const;
  const RE2* operator->() const { return &**this; }

 private:
  std::string pattern_;
  RE2::Options options_;
  bool configured_ = false;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re_;
  mutable std::string error_;
};

// An RE2::Set whose patterns are added (and so parsed and checked) with the
// pack, compiled on the first Match(). Compile() compiles it now. Should it not
// fit the memory budget then, Match() reports RE2::Set::kOutOfMemory, which
// callers already read as "every pattern may match".
class LazySet {
 public:
  LazySet(const RE2::Options& options, RE2::Anchor anchor) : set_(options, anchor) {}
  int Add(const re2::StringPiece& pattern, std::string* error) { return set_.Add(pattern, error); }
  bool Compile() const;
  bool Match(const re2::StringPiece& text, std::vector<int>* v, RE2::Set::ErrorInfo* info) const;

 private:
  mutable RE2::Set set_;
  mutable std::once_flag once_;
  mutable bool compiled_ = false;
};

struct CompiledRule {
  const RuleDef* def = nullptr;
  std::unique_ptr<RE2> re;
  std::unique_ptr<RE2> unless;
  int actors_group = -1, vendors_group = -1, cue_group = -1;  // 1-based capture indices
  int trigger_index = -1;                                     // in the Set
};

struct Term {     // a dictionary entry looked up after a regex match
  int index = 0;  // into vendors or actors
};

std::uint64_t fnv1a(std::string_view data, std::uint64_t h);

// Builds `\b(?:a|b|c)\b`-style alternations of literal terms, longest first,
// with flexible whitespace.
std::string alternation(std::vector<std::string> terms);
// Where a match of alternation(terms) may start, judged by the first three
// bytes: a table lookup per byte of text instead of a regex step, so a long
// text is scanned fast and the alternation runs anchored only where a term may
// begin. Exact: every position where alternation(terms) matches is reported
// (some where it does not, too).
class TermStarts {
 public:
  explicit TermStarts(const std::vector<std::string>& terms);
  // The first position >= `from` where a term may start; text.size() if none.
  std::size_t next(std::string_view text, std::size_t from) const;

 private:
  void add_prefix(const std::string& prefix);
  std::vector<std::uint64_t> bigrams_;        // 65,536 bits: a match's first two bytes (3+ byte matches)
  std::vector<std::uint64_t> short_bigrams_;  // 65,536 bits: a whole two-byte match
  std::vector<std::uint32_t> trigrams_;       // sorted: a match's first three bytes
  bool short_bytes_[256] = {};                // a whole one-byte match
  bool first_bytes_[256] = {};                // a match's first byte
};

// A byte RE2's \b counts as a word character (ASCII only, whatever the locale).
constexpr bool re2_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Normalized lookup key for a dictionary term ("The  FCC" -> "fcc").
std::string term_key(std::string_view s);

// ---- mentions -------------------------------------------------------------------
enum class MentionKind { kVendor, kReference, kActor, kNeutral };

// A dictionary mention in a sentence: a vendor, a reference to one ("the
// software maker"), an actor, or a country that only qualifies an unnamed group.
struct Mention {
  std::size_t begin = 0, end = 0;  // in the sentence
  MentionKind kind = MentionKind::kActor;
  int entity = -1;   // vendor or actor index; -1 for appositive/neutral
  std::string name;  // canonical (actor) or vendor name
  std::string type;  // actor type
  std::string how;   // explanation
};

// ---- frames: the clause and discourse layers (rules_frames.cpp) -------------------
// Reads events the patterns do not: an action word (verb, participle or noun
// of the lexicon) takes its actor and vendors by their role in the clause
// (subject, object, "by" agent, possessive, compound, list), and what the
// clause leaves open (a pronoun, "the two companies", "the regulator", an
// agentless passive, a list with its keeper) is taken from the article read so
// far. Language-neutral: every word comes from a Lexicon.
class FrameReader {
 public:
  struct Entity {
    std::string name, type, how;
    int vendor = -1;  // vendor index, for vendors
  };
  // What the article has established so far (one per article).
  struct Discourse {
    std::size_t sentence = 0, paragraph = 0;
    std::vector<int> last_vendors;  // the vendors of the last sentence that named any
    std::size_t last_vendors_sentence = 0;
    int last_vendor = -1;
    std::optional<Entity> last_actor;
    std::size_t last_actor_sentence = 0;
    struct Act {
      int vendor;
      std::string action;
      std::size_t sentence;
    };
    std::optional<Act> last_act;  // for comparisons ("a similar step by A")
    // A measure whose actor was named but whose vendors were not ("blocked
    // 43 apps"): a list in the next sentences may name them ("the apps
    // include X and Y").
    struct Open {
      std::string action;
      std::vector<Entity> actors;
      std::size_t sentence;
    };
    std::optional<Open> open_act;
    // The last act read with its actor, vendors named or not: what a list
    // announced by a colon further on covers ("... are named in the order:").
    std::optional<Open> last_measure;
    // A list announced by a colon after such a measure: the measure, the
    // sentence of the colon and the last sentence of the list so far (the
    // sentence after the colon, then the list items that follow it).
    struct Enumeration {
      Open measure;
      std::size_t opened = 0, last = 0;
      bool item = false;               // the last sentence is a list item: each of its vendors is covered
      std::size_t begin = 0, end = 0;  // the sentence with the colon, in the text: part of the evidence
    };
    std::optional<Enumeration> enumeration;
    // The last actor named in an earlier sentence the engine did not read
    // (asked only when a frame leaves its agent open, so a sentence without a
    // vendor or an action word costs nothing until then).
    std::function<std::optional<Entity>(std::size_t sentence)> actor_in;
  };
  struct Frame {
    std::string action, voice;  // voice: active | passive | nominal | list | comparison
    std::size_t trigger_begin = 0, trigger_end = 0;
    std::size_t cue_begin = 0;                     // status cues are read from here to trigger_end
    std::size_t clause_begin = 0, clause_end = 0;  // the clause: the scope of sentence-wide cues
    std::vector<Entity> actors;
    std::vector<Entity> vendors;
    double confidence = 0.8;
  };

  static Result<std::unique_ptr<FrameReader>> build(const Lexicon& lexicon, const Pack& pack,
                                                    const RE2::Options& options);
  const std::string& language() const { return lexicon_.language; }
  // True when the sentence holds an action word or a list of the lexicon.
  bool has_trigger(std::string_view sentence) const;
  // True when the words between an owner's possessive and a vendor relate
  // them ("X's ban on Y", "X's sanctions against Y") rather than describe
  // the vendor ("China's telecom giant Y"): an action word or a preposition.
  bool relates(std::string_view gap) const;
  // The clause around s[begin, end): from the last cut before it to the first
  // after it (';', or a comma before a clause break of the lexicon).
  std::pair<std::size_t, std::size_t> clause_around(std::string_view s, std::size_t begin, std::size_t end) const;
  // True when the action word at s[at] is the content of advice or pressure
  // ("urged councils to stop buying X", "lobbied Lisbon to exclude X"): the
  // adviser's act is a warning (a frame reads it), the presser's none.
  bool advised_or_pressed(std::string_view s, std::size_t at) const;
  // True when the actor at s[at] is the one an order, advice or pressure is
  // given to ("ordered Apple and Google to remove X", "requested Apple to
  // take down X"): a directive stands right before it. The giver acts (a
  // frame reads it); the one told takes no act of its own.
  bool told(std::string_view s, std::size_t at) const;
  // True when the sentence holds a pronoun or a reference of the lexicon.
  bool may_refer(std::string_view sentence) const;
  // True when s[0, colon) names a measure (a measure noun, a list or an
  // action word of the lexicon) that the list after the colon spells out
  // ("The following vendors are named in the directive:").
  bool announces_list(std::string_view s, std::size_t colon) const;
  // True when the sentence names a measure by a measure noun of the lexicon
  // ("the order", "a memorandum").
  bool names_measure(std::string_view s) const;
  // The frames of one sentence; `mentions` come from the dictionary pass,
  // sorted by position. Reads and updates the discourse.
  std::vector<Frame> read(std::string_view sentence, const std::vector<Mention>& mentions, Discourse& d) const;
  // Records the vendors and actors of a sentence that gives no frame.
  // `s`, the sentence, lets an actor after an object marker ("sanctions
  // against X") give way to another as the last actor.
  void observe(const std::vector<Mention>& mentions, Discourse& d, std::string_view s = {}) const;
  // The actor a later reference or bare subject takes from sentence `s`: its
  // last actor that is no target ("sanctions against X"), else its last.
  std::optional<Entity> last_actor(std::string_view s, const std::vector<Mention>& mentions) const;
  // Records the vendors (by index, in order) of a sentence no one reads further.
  void observe_vendors(const std::vector<int>& vendors, Discourse& d) const;

 private:
  FrameReader() = default;
  bool targeted(std::string_view s, const Mention& m) const;
  Lexicon lexicon_;
  const Pack* pack_ = nullptr;
  struct Form {
    int trigger = -1;  // into lexicon_.triggers
    bool verb = false, participle = false, noun = false;
    bool cessation = false;  // "cease", "halt": a ban only as the content of an order to the vendor
  };
  std::unique_ptr<RE2> triggers_re_, lists_re_, pronouns_re_, plural_refs_re_, actor_refs_re_, comparisons_re_,
      any_trigger_re_, any_reference_re_;
  std::unordered_map<std::string, std::vector<Form>> forms_;
  std::unordered_map<std::string, int> list_terms_, singular_pronouns_;
  std::set<std::string, std::less<>> auxiliaries_, adverbs_, agent_markers_, scope_markers_, possessive_pronouns_,
      measure_nouns_, object_markers_, clause_breaks_, comparisons_, list_verbs_, reporting_verbs_, modals_,
      determiners_, conjunctions_, relatives_, qualified_nouns_, directives_, advisories_, pressures_, name_suffixes_,
      decisions_, state_references_, prepositions_, name_connectors_, not_names_, elisions_, inclusions_;
  std::unordered_map<std::string, int> actor_by_name_;
};

// ---- dates ---------------------------------------------------------------------
// A list-style lead date at the start of the sentence ("March 25, 2022: ...").
std::optional<PreciseTime> lead_date(std::string_view sentence);
// A date stated in the sentence for the event (explicit, or relative to
// `reference`), with a short description of how it was found. Skips report
// dates ("Reuters reported on March 31, 2022").
struct DateFinding {
  PreciseTime date;
  std::string how;
  bool relative_to_previous = false;  // "that same day"
};
std::optional<DateFinding> sentence_date(std::string_view sentence, const std::optional<PreciseTime>& previous,
                                         const std::optional<PreciseTime>& published);

}  // namespace banwatch::rules::internal
