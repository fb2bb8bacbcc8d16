// Fuzz target for the rule engine: any text through a pack that exercises
// every placeholder, cue scope and mention kind; every event must point inside
// the text and carry the fields the store requires.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "parsers/rules.h"

namespace {

const char* const kPack = R"yaml(
pack: {name: fuzz, version: "1"}
vendors:
  - {name: Acmesoft, aliases: [Acmesoft Labs, ACME], products: [AcmeGuard]}
  - {name: Zenithcam, aliases: [Zenith]}
references: [the company, the app]
countries:
  - {name: Freedonia, forms: [Freedonia, FD, F.D.], adjectives: [Freedonian], demonyms: [Freedonians]}
  - {name: Sylvania, forms: [Sylvania]}
bodies:
  - {name: Trade Office, aliases: [TO], country: Freedonia, type: regulator}
heads:
  government: [government, authorities]
  regulator: [agency]
  appositive: [provider, giant]
  modifiers: [cyber, public]
not_actors: [The, Also]
cues:
  negation: {before: ['\bnot\b'], prefix: ['\bif\s+$'], sentence: ['\bno\s+ban\b']}
  proposed: {before: ['\bwants?\s+to\b']}
  considering: {before: ['\bmay\b']}
  reversed: {sentence: ['\bcourt\b']}
scopes: ['\bon\s+((?:government|official)\s+devices)']
rules:
  - {id: ban.verb, action: ban, pattern: '{ACTORS}{GAP}(?P<cue>ban(?:s|ned)?)\b{OBJ}{VENDORS}'}
  - {id: ban.passive, action: ban, pattern: '{VENDORS}{GAP}(?P<cue>banned)\s+by\s+{ACTORS}'}
  - {id: warn.that, action: warning, pattern: '{ACTORS}{GAP}(?P<cue>warned)\b{FAR}\bthat\b{FAR}{VENDORS}'}
  - {id: ban.poss, action: ban, unless: 'channels', pattern: '{ACTORS}{POSS}?\s+(?P<cue>ban)\s+on{OBJ}{VENDORS}'}
# The clause and discourse layers: every role and reference they read.
frames:
  language: en
  triggers:
    - {action: ban, verbs: [ban, bans, banned, bar, barred], participles: [banned, barred], nouns: [ban, bans]}
    - {action: lift_ban, verbs: [lift, lifted], participles: [lifted], nouns: [lifting]}
    - {action: investigation, actor_types: [government, regulator], verbs: [probed], nouns: [probe]}
  auxiliaries: [is, was, were, been]
  adverbs: [also, now]
  modals: [to, will, has]
  determiners: [a, the, its, new]
  agent_markers: [by]
  scope_markers: [from]
  object_markers: [on, against]
  conjunctions: [and, or, including]
  relatives: [which, who]
  clause_breaks: [while, but]
  reporting_verbs: [said]
  directives: [ordered, told]
  comparisons: [a similar, did the same]
  list_verbs: [added, remains]
  prepositions: [into, from]
  name_connectors: [of, and]
  qualified_nouns: [channels]
  measure_nouns: [rule, order]
  pronouns: {singular: [it, its], plural: [they, them, their]}
  possessive_pronouns: [its, their]
  references: {plural: [the two firms], actor: [the regulator]}
  lists:
    - {name: Watch List, terms: [Watch List], owner: Trade Office}
    - {name: a list, generic: true, terms: [list]}
)yaml";

const banwatch::rules::RuleEngine* engine() {
  static std::unique_ptr<banwatch::rules::RuleEngine> e = [] {
    auto loaded = banwatch::rules::RuleEngine::load_yaml(kPack, "fuzz.yaml");
    if (!loaded) std::abort();
    return std::move(*loaded);
  }();
  return e.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  banwatch::rules::ExtractContext context;
  context.explain = size % 2 == 0;
  if (size % 3 == 0)
    context.published =
        banwatch::PreciseTime{banwatch::Timestamp{std::chrono::seconds{1'700'000'000}}, banwatch::DatePrecision::kDay};
  for (const auto& x : engine()->extract(text, context)) {
    if (x.sentence_begin > x.sentence_end || x.sentence_end > text.size()) std::abort();
    if (x.event.vendor.empty() || x.event.actor.empty() || x.event.action.empty() || x.event.status.empty())
      std::abort();
    if (x.explanation && x.explanation->match_begin > x.explanation->match_end) std::abort();
  }
  (void)engine()->is_candidate(text);
  return 0;
}
