// Internal to the rule engine: the compiled engine (rules_build.cpp compiles a
// pack into it; rules_match.cpp reads texts with it). Not a public interface.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parsers/rules.h"
#include "parsers/rules_internal.h"
#include "parsers/sentences.h"

namespace banwatch::rules::internal {

// Dictionary mentions are masked in a sentence as "\x01A3\x02" (actor 3),
// "\x01V0\x02" (vendor 0); the patterns are written against that text.
inline constexpr char kOpen = '\x01', kClose = '\x02';
inline constexpr std::size_t kMaxSentenceBytes = 4000;  // longer "sentences" are cut (runaway text)
inline constexpr int kMaxMatchesPerRule = 16;

// A sentence's event date, worked out on first use: most candidate sentences
// give no event, and the date reading (prose dates, relative references, the
// previous sentences' dates) costs as much as the patterns.
class LazyDate {
 public:
  struct Value {
    std::optional<PreciseTime> date;
    std::string how;
  };
  explicit LazyDate(std::function<Value()> compute) : compute_(std::move(compute)) {}
  const Value& get() {
    if (!value_) value_ = compute_();
    return *value_;
  }

 private:
  std::function<Value()> compute_;
  std::optional<Value> value_;
};

struct Piece {  // masked-text segment -> original offset
  std::size_t masked_begin, orig_begin, masked_len, orig_len;
};

class Engine final : public RuleEngine {
 public:
  // With `problems`, compile errors in rules, cues and scopes are collected
  // and the build goes on; without, the first one is returned.
  static Result<std::unique_ptr<Engine>> build(Pack pack, const LoadOptions& options,
                                               std::vector<std::string>* problems = nullptr);
  std::size_t vendor_count() const { return pack_.vendors.size(); }
  std::size_t actor_count() const { return pack_.actors.size(); }

  std::vector<Extraction> extract(std::string_view text, const ExtractContext& context) const override;
  bool is_candidate(std::string_view text) const override;
  std::string version() const override { return version_; }
  std::size_t rule_count() const override { return rules_.size(); }
  std::vector<std::string> warnings() const override { return pack_.warnings; }
  std::optional<std::string> canonical_vendor(std::string_view name) const override;
  std::optional<std::string> canonical_actor(std::string_view name) const override;
  std::vector<std::string> actor_names(std::string_view name) const override;

 private:
  struct SetHits {
    std::vector<int> triggers;  // trigger indices
    // Which of the mention passes' own regexes match somewhere in the sentence.
    bool bodies = false, appositives = false, countries = false;
    bool failed = false;  // the DFA ran out of memory: treat as all
  };
  // What the candidate pass already knows about a sentence, so mentions()
  // need not search again: dictionary matches found in the text (offsets in
  // the sentence; null when they must be searched for) and which of the other
  // passes can match at all.
  struct MentionHints {
    const std::vector<std::pair<std::size_t, std::size_t>>* vendors = nullptr;
    const std::vector<std::pair<std::size_t, std::size_t>>* references = nullptr;
    bool bodies = true, appositives = true, countries = true;
  };
  SetHits scan(std::string_view sentence) const;
  std::vector<Mention> mentions(std::string_view s, std::optional<int> last_vendor, const MentionHints& hints) const;
  // The leftmost match (g[0] only) of `re` in s from `pos`, for a dictionary
  // pattern whose matches open with a term of `starts` or with an optional
  // "[Tt]he\s+" before one: anchored searches where a match may start, which
  // find what RE2's unanchored search finds without its reverse program.
  static bool leftmost_at_starts(const RE2& re, const internal::TermStarts& starts, const re2::StringPiece& s,
                                 std::size_t pos, re2::StringPiece* g);
  bool match_body(const re2::StringPiece& s, std::size_t pos, re2::StringPiece* g) const;
  bool match_country(const re2::StringPiece& s, std::size_t pos, re2::StringPiece* g) const;
  void analyse(std::string_view text, const text::Sentence& sentence, std::string_view s,
               const std::vector<Mention>& ms, const SetHits& hits, LazyDate& date, const ExtractContext& context,
               std::vector<Extraction>& out, std::optional<int>& vendor_after) const;
  // `language`: its own cues apply besides the pack-wide ones.
  std::string cue_kind(std::string_view before, std::string_view prefix, std::string_view sentence, bool sentence_cues,
                       const std::string& language = "en") const;
  bool bad_subject(std::string_view name) const;
  bool vendor_of_country(std::string_view s, std::size_t country_end, const std::vector<Mention>& known) const;
  // Courts named by their place ("the Islamabad High Court", "Moscow's
  // Tagansky District Court"): capitalized words ending in a court head of the
  // pack. A country's own court ("Brazil's Supreme Court") acts for the country.
  void named_courts(std::string_view s, std::vector<Mention>& accepted) const;

  Pack pack_;
  std::string version_;
  std::unique_ptr<internal::LazySet> set_;  // is_candidate() alone reads it
  int set_reference_index_ = -1, set_first_trigger_ = 0;
  std::unique_ptr<internal::LazySet> sentence_set_;  // triggers (by index), then the three below
  int sentence_bodies_index_ = -1, sentence_appositives_index_ = -1, sentence_countries_index_ = -1;
  std::vector<std::string> triggers_;
  std::vector<internal::CompiledRule> rules_;
  std::vector<std::vector<int>> rules_by_trigger_;
  std::unique_ptr<RE2> vendor_re_;  // every text is searched for vendors: compiled with the pack
  // The others on first use (a text that names no vendor reads none of them).
  internal::LazyRegex reference_re_, body_re_, country_re_, appositive_re_;
  std::unique_ptr<internal::TermStarts> vendor_starts_;  // where vendor_re_ may match
  internal::LazyRegex body_terms_re_;  // body_re_'s group 1 alone; unset when match_body must not use it
  std::unique_ptr<internal::TermStarts> body_starts_, country_starts_;  // where their dictionary terms may start
  // country_re_'s groups 1 and 2 alone; null when match_country must not use them.
  internal::LazyRegex country_tail_re_;
  internal::LazyRegex country_forms_re_;
  std::unordered_map<std::string, int> vendor_terms_, body_terms_, country_forms_, country_adjectives_;
  std::set<std::string> regulator_heads_, court_heads_, not_actors_, adjective_words_, head_modifiers_;
  // Cue regexes by kind and scope.
  struct CueSet {
    std::unique_ptr<RE2> before, prefix, sentence;
  };
  std::map<std::string, CueSet> cues_;
  std::vector<std::unique_ptr<RE2>> scopes_;
  // The clause and discourse layers, one per language of the pack; `frames_`
  // is the one extract() reads with (English when the pack has it).
  // The English one (else the first) is built with the engine, the others on
  // first use (reader_for).
  struct LazyReader {
    const internal::Lexicon* lexicon = nullptr;
    std::once_flag once;
    std::unique_ptr<internal::FrameReader> reader;
  };
  std::vector<std::unique_ptr<LazyReader>> readers_;
  RE2::Options regex_options_;
  const internal::FrameReader* frames_ = nullptr;
  // The reader of `language`; null when the pack has no lexicon for it.
  const internal::FrameReader* reader_for(const std::string& language) const;

  std::vector<Mention> sentence_mentions(std::string_view s, std::optional<int> last_vendor, const SetHits& hits,
                                         const MentionHints& known) const;
  void add_frames(const internal::FrameReader& frames, std::string_view text, const text::Sentence& sentence,
                  std::string_view s, const std::vector<Mention>& ms, internal::FrameReader::Discourse& discourse,
                  LazyDate& date, const ExtractContext& context, std::vector<Extraction>& out) const;
  // An event with no date takes the calendar day of a sentence among the
  // next three that names a measure by a measure noun ("The order, contained
  // in an August 2 memorandum, ..."), unless another act, another vendor or
  // another date comes first. `own_date(i)`: the date sentence i states.
  // One body named two ways for one measure (an alias, an acronym the text
  // ties to it, or its country beside it): the events take the body's name,
  // so that merge_repeats() keeps one.
  void merge_identities(std::vector<Extraction>& out, std::string_view text) const;
  void date_from_followers(const internal::FrameReader& frames, std::string_view text,
                           const std::vector<text::Sentence>& sentences,
                           const std::vector<std::pair<std::size_t, int>>& vendor_hits, const ExtractContext& context,
                           const std::function<std::optional<PreciseTime>(std::size_t)>& own_date,
                           std::vector<Extraction>& out) const;
};

}  // namespace banwatch::rules::internal
