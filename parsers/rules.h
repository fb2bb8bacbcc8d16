// The vendor-ban rule engine: a YAML rule pack (vendor and actor dictionaries,
// RE2 action patterns) compiled once; extract() finds candidate sentences with
// one RE2::Set pass and runs the full patterns only there. Construction never
// throws; load() returns an error naming the file, line and RE2's message.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/model.h"  // model::ExtractedEvent is the engine's output type
#include "common/time.h"

namespace banwatch::rules {

struct ExtractContext {
  std::optional<PreciseTime> published;  // resolves relative dates ("on Monday")
  bool explain = false;                  // fill Explanation
  // The text's language (ISO 639-1: "en", "de", ...); when unset it is
  // detected from the text (parsers/language.h). The clause layer reads with
  // that language's lexicon; the pattern rules (English) run on English only.
  std::optional<std::string> language;
};

struct Explanation {
  std::string rule_id;
  std::size_t match_begin = 0, match_end = 0;   // byte span in the sentence
  std::string actor_how, vendor_how, date_how;  // how each was resolved
};

struct Extraction {
  model::ExtractedEvent event;
  std::size_t sentence_begin = 0, sentence_end = 0;  // in the input text
  std::optional<Explanation> explanation;
};

struct LoadOptions {
  std::size_t max_regex_memory = 64u << 20;  // RE2 max_mem per pattern set
};

// What `rules check` reports: every problem found (not only the first).
struct CheckReport {
  std::vector<std::string> problems;  // empty when the pack loads
  std::vector<std::string> warnings;
  std::string version;
  std::size_t rules = 0, vendors = 0, actors = 0;
};

class RuleEngine {
 public:
  // `path`: a rule-pack directory (every *.yaml in it) or a single YAML file.
  static Result<std::unique_ptr<RuleEngine>> load(const std::string& path, const LoadOptions& options = {});
  // From YAML text held in memory (tests, fuzzing); `name` is used in errors.
  static Result<std::unique_ptr<RuleEngine>> load_yaml(std::string_view yaml, std::string_view name,
                                                       const LoadOptions& options = {});
  // Loads and compiles like load(), but goes on after a problem in one rule,
  // cue or file and reports all of them. Never throws.
  static CheckReport check(const std::string& path, const LoadOptions& options = {});
  virtual ~RuleEngine() = default;

  // All events in `text` (paragraphs separated by blank lines).
  virtual std::vector<Extraction> extract(std::string_view text, const ExtractContext& context) const = 0;

  // True when `text` mentions a watched vendor or an action cue (one Set pass):
  // the crawler's "matching" article policy.
  virtual bool is_candidate(std::string_view text) const = 0;

  virtual std::string version() const = 0;  // the pack's declared version + content hash
  virtual std::size_t rule_count() const = 0;
  virtual std::vector<std::string> warnings() const = 0;  // non-fatal problems from load

  // The name events carry for the vendor or actor a user names: the pack's
  // canonical name for its name or any of its aliases, in any letter case
  // ("hikvision" -> "Hikvision", "fcc" -> "U.S. Federal Communications
  // Commission"). nullopt when the pack knows no such name.
  virtual std::optional<std::string> canonical_vendor(std::string_view) const { return std::nullopt; }
  virtual std::optional<std::string> canonical_actor(std::string_view) const { return std::nullopt; }
  // Every name the pack knows the actor a user names by: its canonical name
  // first, then its aliases ("FCC" -> "U.S. Federal Communications
  // Commission", "Federal Communications Commission", "FCC", ...), so a query
  // also finds events stored before the pack renamed the body. Empty when the
  // pack knows no such name.
  virtual std::vector<std::string> actor_names(std::string_view) const { return {}; }
};

// Every action and every status an event can have, as rules name them.
const std::vector<std::string>& event_actions();
const std::vector<std::string>& event_statuses();

}  // namespace banwatch::rules
