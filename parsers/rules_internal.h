// Internal to the rule engine (parsers/rules*.cpp): the parsed rule pack, its
// compiled form, and the date resolution helpers. Not a public interface.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <cstdint>
#include <map>
#include <memory>
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
};

struct Pack {
  std::string name = "banwatch";
  std::string version = "0";
  std::vector<VendorDef> vendors;
  std::vector<std::string> references;  // "the software maker", "the company"
  std::vector<ActorDef> actors;
  std::vector<std::string> government_heads, regulator_heads, appositive_heads;
  std::vector<std::string> head_modifiers;  // words allowed between a country word and its head noun
  std::vector<std::string> not_actors;      // capitalized words never taken as an actor name
  std::vector<RuleDef> rules;
  std::vector<CueDef> cues;
  std::vector<std::string> scopes;                  // regexes with one capture group
  std::map<std::string, std::string> placeholders;  // user-defined {NAME} -> regex
  std::vector<std::string> warnings;
  std::uint64_t content_hash = 1469598103934665603ull;  // FNV-1a over the files
};

// Parses one YAML document into `pack` (merging lists). `name` for errors.
Status parse_yaml_into(std::string_view yaml, const std::string& name, Pack& pack);
// Validates the whole pack (unknown actions, duplicates, empty dictionaries).
Status validate(Pack& pack);

// ---- compiled ----------------------------------------------------------------
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

// Normalized lookup key for a dictionary term ("The  FCC" -> "fcc").
std::string term_key(std::string_view s);

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
