#include "parsers/rules.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

namespace banwatch::rules {
namespace {

namespace fs = std::filesystem;

const std::string kDefaultPack = std::string(BANWATCH_SOURCE_DIR) + "/rules";

// A small pack written for these tests: two vendors, a few actors, one rule
// per shape the engine must handle.
const char* kMiniPack = R"yaml(
pack: {name: mini, version: "1"}
vendors:
  - {name: Acmesoft, aliases: [Acmesoft Labs], products: [AcmeGuard]}
  - {name: Zenithcam, aliases: [Zenith Camera Co]}
references: [the software maker, the company]
countries:
  - {name: Freedonia, forms: [Freedonia], adjectives: [Freedonian], demonyms: [Freedonians]}
  - {name: Sylvania, forms: [Sylvania], adjectives: [Sylvanian]}
bodies:
  - {name: Freedonian Trade Office, aliases: [FTO], country: Freedonia, type: regulator}
heads:
  government: [government, authorities]
  regulator: [agency, regulator]
  appositive: [provider, giant]
not_actors: [The, Also, Several]
cues:
  negation: {before: ['\bnot\b', '\bno\s+plans\b']}
  proposed: {before: ['\bwants?\s+to\b', '\bplans?\s+to\b']}
  considering: {before: ['\bmay\b']}
  reversed: {sentence: ['\bcourt\b(?:\s+\S+){0,3}?\s+blocked\b']}
scopes: ['\bon\s+((?:government|official)\s+devices)']
rules:
  - id: lift.lift
    action: lift_ban
    status_cues: before
    pattern: '{ACTORS}{GAP}(?P<cue>lift(?:s|ed)?)\s+(?:its\s+|the\s+)?ban\s+on{OBJ}{VENDORS}'
  - id: ban.verb
    action: ban
    pattern: '{ACTORS}{GAP}(?P<cue>ban(?:s|ned)?)\b{OBJ}{VENDORS}'
  - id: ban.passive
    action: ban
    pattern: '{VENDORS}{GAP}(?P<cue>banned)\s+by\s+{ACTORS}'
  - id: ban.possessive
    action: ban
    pattern: '{ACTORS}{POSS}?\s+(?P<cue>ban)\s+on{OBJ}{VENDORS}'
  - id: partner.end
    action: end_partnership
    pattern: '{ACTORS}{GAP}(?P<cue>end(?:s|ed)?)\s+(?:[\w-]+\s+){0,3}?partnership\s+with{OBJ}{VENDORS}'
)yaml";

std::unique_ptr<RuleEngine> mini() {
  auto engine = RuleEngine::load_yaml(kMiniPack, "mini.yaml");
  EXPECT_TRUE(engine.has_value()) << (engine ? "" : engine.error().message);
  return engine ? std::move(*engine) : nullptr;
}

std::vector<model::ExtractedEvent> events(const RuleEngine& engine, std::string_view text,
                                          std::optional<PreciseTime> published = std::nullopt) {
  ExtractContext context;
  context.published = published;
  std::vector<model::ExtractedEvent> out;
  for (auto& x : engine.extract(text, context)) out.push_back(x.event);
  return out;
}

PreciseTime day(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return PreciseTime{sys_seconds(sys_days(year(y) / month(m) / d)), DatePrecision::kDay};
}

// ---- loading ------------------------------------------------------------------

TEST(RulesLoad, Spec_BadRegexNamesFileLineAndRe2Error) {
  std::string yaml = std::string(kMiniPack) + R"yaml(
  - id: broken.rule
    action: ban
    pattern: '{ACTORS}{GAP}(?P<cue>ban(s|ned)\b{OBJ}{VENDORS}'
)yaml";
  auto engine = RuleEngine::load_yaml(yaml, "pack.yaml");
  ASSERT_FALSE(engine.has_value());
  const std::string& m = engine.error().message;
  EXPECT_NE(m.find("pack.yaml:"), std::string::npos) << m;
  EXPECT_NE(m.find("broken.rule"), std::string::npos) << m;
  EXPECT_NE(m.find("missing )"), std::string::npos) << m;  // RE2's own words
}

TEST(RulesLoad, Spec_UnknownPlaceholderActionAndKeysAreErrors) {
  auto unknown_placeholder = RuleEngine::load_yaml(std::string(kMiniPack) + R"yaml(
  - {id: x, action: ban, pattern: '{ACTORS} (?P<cue>ban) {NOPE} {VENDORS}'}
)yaml",
                                                   "p.yaml");
  ASSERT_FALSE(unknown_placeholder);
  EXPECT_NE(unknown_placeholder.error().message.find("{NOPE}"), std::string::npos);

  auto unknown_action = RuleEngine::load_yaml(std::string(kMiniPack) + R"yaml(
  - {id: y, action: embargo, pattern: '{ACTORS} (?P<cue>ban) {VENDORS}'}
)yaml",
                                              "p.yaml");
  ASSERT_FALSE(unknown_action);
  EXPECT_NE(unknown_action.error().message.find("embargo"), std::string::npos);

  auto no_cue = RuleEngine::load_yaml(std::string(kMiniPack) + R"yaml(
  - {id: z, action: ban, pattern: '{ACTORS} ban {VENDORS}'}
)yaml",
                                      "p.yaml");
  ASSERT_FALSE(no_cue);
  EXPECT_NE(no_cue.error().message.find("cue"), std::string::npos);

  auto bad_key = RuleEngine::load_yaml("vendors:\n  - {name: A, alias: [B]}\n", "k.yaml");
  ASSERT_FALSE(bad_key);
  EXPECT_NE(bad_key.error().message.find("k.yaml:2"), std::string::npos) << bad_key.error().message;
}

// YAML 1.2 section 3.2.1.1: mapping keys are unique. A second `vendors:` in
// one document was dropped without a word (its vendors never watched).
TEST(RulesLoad, Spec_Yaml12_3_2_1_1_ADuplicateKeyIsAnErrorWithFileAndLine) {
  auto top = RuleEngine::load_yaml(std::string(kMiniPack) + "vendors:\n  - {name: Latecomer}\n", "dup.yaml");
  ASSERT_FALSE(top);
  EXPECT_NE(top.error().message.find("dup.yaml:40: vendors: duplicate key (first given at line 3)"), std::string::npos)
      << top.error().message;
  auto nested = RuleEngine::load_yaml("vendors:\n  - {name: A, aliases: [B], aliases: [C]}\n", "n.yaml");
  ASSERT_FALSE(nested);
  EXPECT_NE(nested.error().message.find("n.yaml:2: vendors.aliases: duplicate key"), std::string::npos)
      << nested.error().message;
  // Documents of one file, and files of one pack, still add up.
  EXPECT_TRUE(RuleEngine::load_yaml(std::string(kMiniPack) + "---\nvendors:\n  - {name: Latecomer}\n", "docs.yaml"));
  EXPECT_TRUE(RuleEngine::load(kDefaultPack)) << "the default pack has no repeated key";
}

// What `events --vendor` and `--actor` resolve a user's name with.
TEST(RulesLoad, CanonicalNamesComeFromNamesAndAliasesInAnyCase) {
  auto engine = RuleEngine::load_yaml(kMiniPack, "mini.yaml");
  ASSERT_TRUE(engine) << engine.error().message;
  EXPECT_EQ((*engine)->canonical_vendor("acmesoft"), "Acmesoft");
  EXPECT_EQ((*engine)->canonical_vendor("ZENITH CAMERA CO"), "Zenithcam");
  EXPECT_EQ((*engine)->canonical_vendor("Freedonia"), std::nullopt);
  EXPECT_EQ((*engine)->canonical_actor("fto"), "Freedonian Trade Office");
  EXPECT_EQ((*engine)->canonical_actor("freedonia"), "Freedonia");
  EXPECT_EQ((*engine)->canonical_actor("Acmesoft"), std::nullopt);
  auto full = RuleEngine::load(kDefaultPack);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ((*full)->canonical_actor("FCC"), "U.S. Federal Communications Commission");
  EXPECT_EQ((*full)->canonical_vendor("hikvision"), "Hikvision");
}

// A named list's keeper may be written as any name the pack knows the body by;
// the engine reads the body's canonical name, and a keeper it does not know is
// an error naming the file and the list.
TEST(RulesLoad, ListOwnerIsAnyNameOfABody) {
  const std::string frames =
      "---\nframes:\n  language: en\n  lists:\n"
      "    - {name: Trade Watch List, terms: [Trade Watch List], owner: FTO}\n";
  auto engine = RuleEngine::load_yaml(std::string(kMiniPack) + frames, "owner.yaml");
  ASSERT_TRUE(engine) << engine.error().message;
  ExtractContext context;
  std::vector<model::ExtractedEvent> out;
  for (auto& x : (*engine)->extract("Acmesoft was put on the Trade Watch List in May.", context))
    out.push_back(x.event);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].actor, "Freedonian Trade Office");
  EXPECT_EQ(out[0].action, "list_addition");

  std::string unknown = frames;
  unknown.replace(unknown.find("owner: FTO"), 10, "owner: Nobody");
  auto bad = RuleEngine::load_yaml(std::string(kMiniPack) + unknown, "owner.yaml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("owner.yaml:"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("owner 'Nobody' is not a country or body"), std::string::npos)
      << bad.error().message;
}

TEST(RulesLoad, Lenient_MalformedYamlIsAnErrorNotACrash) {
  for (const char* yaml : {"rules: [", "- just a list", "vendors: 3", "\x01\x02\xff",
                           "rules:\n  - {id: a, action: ban}\n", "cues: {negation: {anywhere: ['x']}}"}) {
    auto engine = RuleEngine::load_yaml(yaml, "bad.yaml");
    EXPECT_FALSE(engine.has_value()) << yaml;
  }
}

// yaml-cpp 0.7's LoadAll() never returns on a top-level ',' (an endless run
// of empty documents, taking memory until the process dies): found by fuzzing.
TEST(RulesLoad, Lenient_StrayTopLevelCommaIsAnErrorNotAHang) {
  for (const char* yaml : {",", "# a comment\n,# more\nvendors: []\n"}) {
    auto engine = RuleEngine::load_yaml(yaml, "comma.yaml");
    ASSERT_FALSE(engine.has_value()) << yaml;
    EXPECT_NE(engine.error().message.find("comma.yaml:"), std::string::npos) << engine.error().message;
    EXPECT_NE(engine.error().message.find("YAML documents"), std::string::npos) << engine.error().message;
  }
}

TEST(RulesLoad, Spec_CheckReportsEveryProblem) {
  fs::path dir = fs::temp_directory_path() / ("banwatch-rules-check-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "a.yaml") << kMiniPack << R"yaml(
  - {id: bad1, action: ban, pattern: '{ACTORS} (?P<cue>ban( {VENDORS}'}
  - {id: bad2, action: ban, pattern: '{ACTORS} (?P<cue>ban[) {VENDORS}'}
)yaml";
  auto report = RuleEngine::check(dir.string());
  EXPECT_EQ(report.problems.size(), 2u);
  for (const auto& p : report.problems) EXPECT_NE(p.find("a.yaml:"), std::string::npos) << p;
  fs::remove_all(dir);
}

TEST(RulesLoad, Spec_RegexMemoryBudgetIsEnforced) {
  LoadOptions tiny;
  tiny.max_regex_memory = 2048;
  auto engine = RuleEngine::load(kDefaultPack, tiny);
  ASSERT_FALSE(engine.has_value());
}

TEST(RulesLoad, DefaultPackLoadsCleanly) {
  auto report = RuleEngine::check(kDefaultPack);
  EXPECT_TRUE(report.problems.empty()) << report.problems.front();
  EXPECT_GE(report.rules, 30u);
  EXPECT_GE(report.actors, 190u);
  EXPECT_GE(report.vendors, 20u);
  auto engine = RuleEngine::load(kDefaultPack);
  ASSERT_TRUE(engine) << engine.error().message;
  EXPECT_TRUE((*engine)->version().starts_with("2026.")) << (*engine)->version();
}

// ---- extraction on the mini pack ------------------------------------------------

TEST(RulesExtract, Basic_SubjectVerbObject) {
  auto e = mini();
  auto got = events(*e, "Freedonia banned Acmesoft on government devices.");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].actor, "Freedonia");
  EXPECT_EQ(got[0].actor_type, "government");
  EXPECT_EQ(got[0].vendor, "Acmesoft");
  EXPECT_EQ(got[0].action, "ban");
  EXPECT_EQ(got[0].status, "enacted");
  EXPECT_EQ(got[0].scope, "government devices");
  EXPECT_EQ(got[0].rule_id, "ban.verb");
  EXPECT_EQ(got[0].evidence, "Freedonia banned Acmesoft on government devices.");
  EXPECT_EQ(got[0].rule_pack_version, e->version());
  EXPECT_GT(got[0].confidence, 0.5);
}

// The whole-text vendor scan (a byte table, then the dictionary regex
// anchored) must find exactly what the regex alone finds: a space in a term is
// any run of whitespace, a term needs word boundaries, and the text's first
// and last bytes are no special case.
TEST(RulesExtract, Spec_VendorTermsAnyWhitespaceWordBoundsAndTextEdges) {
  auto e = mini();
  auto vendors_of = [&](std::string_view text) {
    std::vector<std::string> out;
    for (const auto& ev : events(*e, text)) out.push_back(ev.vendor);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(vendors_of("Freedonia banned Acmesoft\n\t Labs products."), V{"Acmesoft"});
  EXPECT_EQ(vendors_of("Freedonia banned Zenith \r\n Camera  Co gear."), V{"Zenithcam"});
  EXPECT_EQ(vendors_of("Freedonia banned XAcmesoft and Acmesofts."), V{});
  EXPECT_EQ(vendors_of("Freedonia banned Acmesoft"), V{"Acmesoft"});
  EXPECT_EQ(vendors_of("Acmesoft was banned by Freedonia."), V{"Acmesoft"});
  EXPECT_EQ(vendors_of("Freedonia banned _Acmesoft, then Acmesoft_ and 9Acmesoft."), V{});
  // A mention found in the whole text and then read again in its sentence.
  EXPECT_EQ(vendors_of("Acmesoft grew.\n\nFreedonia banned Zenithcam. Sylvania banned AcmeGuard."),
            (V{"Zenithcam", "Acmesoft"}));
}

// The sentence Set skips a mention pass only when its dictionary is absent:
// a body, a country adjective with its head noun, an appositive and a
// reference are each still found.
TEST(RulesExtract, Spec_EveryMentionPassRunsWhenItsDictionaryIsPresent) {
  auto e = mini();
  auto got = events(*e,
                    "The FTO and the Freedonian authorities banned Acmesoft. "
                    "Security provider Norvex ended its partnership with the company.");
  std::set<std::tuple<std::string, std::string, std::string>> found;
  for (const auto& ev : got) found.emplace(ev.actor, ev.action, ev.vendor);
  EXPECT_EQ(found,
            (std::set<std::tuple<std::string, std::string, std::string>>{{"Freedonian Trade Office", "ban", "Acmesoft"},
                                                                         {"Freedonia", "ban", "Acmesoft"},
                                                                         {"Norvex", "end_partnership", "Acmesoft"}}));
}

TEST(RulesExtract, MultiActorAndMultiVendorGiveOneEventEach) {
  auto e = mini();
  auto got = events(*e, "Freedonia and Sylvania banned Acmesoft and Zenithcam.");
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& ev : got) pairs.emplace(ev.actor, ev.vendor);
  EXPECT_EQ(
      pairs,
      (std::set<std::pair<std::string, std::string>>{
          {"Freedonia", "Acmesoft"}, {"Freedonia", "Zenithcam"}, {"Sylvania", "Acmesoft"}, {"Sylvania", "Zenithcam"}}));
}

TEST(RulesExtract, AliasesProductsAndPossessivesMapToTheVendor) {
  auto e = mini();
  auto got = events(*e, "The FTO banned AcmeGuard's consumer edition.");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].vendor, "Acmesoft");
  EXPECT_EQ(got[0].actor, "Freedonian Trade Office");
  EXPECT_EQ(got[0].actor_type, "regulator");
}

TEST(RulesExtract, HeadNounsMakeAdjectivesActorsAndSetTheType) {
  auto e = mini();
  auto got = events(*e, "The Freedonian authorities banned Acmesoft. Sylvania's cyber agency banned Zenithcam.");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].actor, "Freedonia");
  EXPECT_EQ(got[0].actor_type, "government");
  EXPECT_EQ(got[1].actor, "Sylvania");
  EXPECT_EQ(got[1].actor_type, "regulator");
}

TEST(RulesExtract, PassiveVoiceFindsTheActorAfterBy) {
  auto e = mini();
  auto got = events(*e, "Zenith Camera Co was banned by Sylvania last year.");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].actor, "Sylvania");
  EXPECT_EQ(got[0].vendor, "Zenithcam");
  EXPECT_EQ(got[0].rule_id, "ban.passive");
}

TEST(RulesExtract, UnknownActorsFromAppositivesAndSubjects) {
  auto e = mini();
  auto got = events(*e,
                    "Cloud services giant Nimbus Systems ended its reseller partnership with Acmesoft. "
                    "Also, Orbitco's racing team ended a partnership with Zenithcam.");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].actor, "Nimbus Systems");
  EXPECT_EQ(got[0].actor_type, "company");
  EXPECT_EQ(got[1].actor, "Orbitco");
  EXPECT_EQ(got[1].action, "end_partnership");
}

TEST(RulesExtract, AppositiveSwallowsItsCountryWords) {
  auto e = mini();
  auto got = events(*e, "Freedonia and Sylvania provider Quillware ended its partnership with Acmesoft.");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].actor, "Quillware");
}

TEST(RulesExtract, ReferencesResolveWithinTheParagraphOnly) {
  auto e = mini();
  auto got = events(*e, "Acmesoft sells antivirus tools. Sylvania banned the software maker.");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].vendor, "Acmesoft");
  EXPECT_LT(got[0].confidence, 0.9);
  EXPECT_TRUE(events(*e, "Acmesoft sells antivirus tools.\n\nSylvania banned the software maker.").empty());
}

TEST(RulesExtract, StatusCues) {
  auto e = mini();
  auto proposed = events(*e, "Freedonia wants to ban Acmesoft.");
  ASSERT_EQ(proposed.size(), 1u);
  EXPECT_EQ(proposed[0].status, "proposed");
  auto considering = events(*e, "Sylvania may ban Zenithcam.");
  ASSERT_EQ(considering.size(), 1u);
  EXPECT_EQ(considering[0].status, "considering");
  auto reversed = events(*e, "A court in the capital blocked Freedonia's ban on Acmesoft.");
  ASSERT_EQ(reversed.size(), 1u);
  EXPECT_EQ(reversed[0].status, "reversed");
  auto lifted = events(*e, "Sylvania lifted its ban on Zenithcam.");
  ASSERT_EQ(lifted.size(), 1u);
  EXPECT_EQ(lifted[0].action, "lift_ban");
  EXPECT_EQ(lifted[0].status, "enacted");
}

TEST(RulesExtract, NegationSuppresses) {
  auto e = mini();
  EXPECT_TRUE(events(*e, "Freedonia did not ban Acmesoft.").empty());
  EXPECT_TRUE(events(*e, "Sylvania has no plans to ban Zenithcam.").empty());
}

TEST(RulesExtract, UnnamedActorsAndNonVendorsGiveNothing) {
  auto e = mini();
  EXPECT_TRUE(events(*e, "Freedonia banned fireworks.").empty());
  EXPECT_TRUE(events(*e, "Acmesoft banned cheating in its games.").empty());
  EXPECT_TRUE(events(*e, "Several countries banned Acmesoft.").empty());
  EXPECT_TRUE(events(*e, "The ban on Acmesoft was discussed.").empty());
}

TEST(RulesExtract, DatesLeadExplicitRelativeAndInherited) {
  auto e = mini();
  std::string text =
      "Timeline:\n"
      "- March 4, 2024: Freedonia banned Acmesoft. Also, Sylvania banned Zenithcam.\n"
      "- May 2023: Sylvania banned Acmesoft. That same day, Freedonia banned Zenithcam.\n\n"
      "On Monday, Sylvania wants to ban Acmesoft again.\n\n"
      "Freedonia banned Zenithcam last week.\n\n"
      "Back in 2019, Freedonia banned Acmesoft.\n\n"
      "Freedonia banned Acmesoft on June 2, 2021, Reuters reported on June 3, 2021.";
  auto got = events(*e, text, day(2024, 11, 27));  // a Wednesday
  ASSERT_EQ(got.size(), 8u);
  auto date = [](const model::ExtractedEvent& ev) { return ev.event_date ? format_precise(*ev.event_date) : "-"; };
  EXPECT_EQ(date(got[0]), "2024-03-04");
  EXPECT_EQ(date(got[1]), "2024-03-04");  // inherits its list item's lead date
  EXPECT_EQ(date(got[2]), "2023-05");
  EXPECT_EQ(date(got[3]), "2023-05");     // "that same day" takes the previous date
  EXPECT_EQ(date(got[4]), "2024-11-25");  // the Monday before publication
  EXPECT_EQ(date(got[5]), "2024-11-20");
  EXPECT_EQ(date(got[6]), "2019");
  EXPECT_EQ(date(got[7]), "2021-06-02");  // not the report date
}

// A body that announces its own measure on a date acted on that date; a
// reporter's "said on" stays the report's date.
TEST(RulesExtract, AnAnnouncementsDateIsTheActsDate) {
  auto e = mini();
  auto got = events(*e, "Freedonia announced on 4 February 2022 that it had banned Acmesoft.");
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0].event_date.has_value());
  EXPECT_EQ(format_precise(*got[0].event_date), "2022-02-04");
  auto reported = events(*e, "Freedonia banned Acmesoft, a spokesman said on 4 February 2022.");
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_FALSE(reported[0].event_date.has_value());
}

TEST(RulesExtract, ExplainShowsRuleSpanAndResolution) {
  auto e = mini();
  ExtractContext context;
  context.explain = true;
  std::string text = "Intro. Freedonia banned AcmeGuard's cloud service.";
  auto got = e->extract(text, context);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0].explanation);
  const auto& ex = *got[0].explanation;
  EXPECT_EQ(ex.rule_id, "ban.verb");
  std::string_view sentence =
      std::string_view(text).substr(got[0].sentence_begin, got[0].sentence_end - got[0].sentence_begin);
  EXPECT_EQ(sentence.substr(ex.match_begin, ex.match_end - ex.match_begin), "Freedonia banned AcmeGuard's");
  EXPECT_NE(ex.actor_how.find("country"), std::string::npos);
  EXPECT_NE(ex.vendor_how.find("AcmeGuard"), std::string::npos);
}

TEST(RulesExtract, IsCandidateUsesTheSet) {
  auto e = mini();
  EXPECT_TRUE(e->is_candidate("nothing but Acmesoft here"));
  EXPECT_FALSE(e->is_candidate("nothing to see"));
}

TEST(RulesExtract, Robust_HostileTextNeverCrashes) {
  auto e = mini();
  std::string junk;
  for (int i = 0; i < 20000; ++i) junk.push_back(static_cast<char>((i * 7919) % 251 + 1));
  junk +=
      " Freedonia banned Acmesoft \x01"
      "V0\x02 \x01"
      "A9999\x02 banned \x01"
      "V77\x02.";
  (void)e->extract(junk, {});
  std::string long_sentence(200000, 'a');
  long_sentence += " Freedonia banned Acmesoft";
  (void)e->extract(long_sentence, {});
  SUCCEED();
}

// ---- the annotated set ------------------------------------------------------------

std::string norm(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  s = std::regex_replace(s, std::regex("u\\.s\\."), "us");
  s = std::regex_replace(s, std::regex("u\\.k\\."), "uk");
  s = std::regex_replace(s, std::regex("['\u2019]s\\b"), "");
  s = std::regex_replace(s, std::regex("[^a-z0-9 ]"), " ");
  static const std::set<std::string> suffixes = {
      "lab",        "labs",     "inc", "corp", "corporation", "co", "ltd", "limited", "group", "technologies",
      "technology", "holdings", "plc", "llc",  "ag",          "sa", "the", "company", "s"};
  std::istringstream in(s);
  std::string w, out;
  while (in >> w)
    if (!suffixes.contains(w)) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::set<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::set<std::string> out;
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

// As the shared event-eval tool compares actors: equal after normalization, or
// the words of one name all within the other ("Post and Telecom Authority").
bool same_actor(const std::string& a, const std::string& b) {
  std::string x = norm(a), y = norm(b);
  if (x.empty() || y.empty()) return false;
  if (x == y) return true;
  auto wx = words(x), wy = words(y);
  return std::includes(wy.begin(), wy.end(), wx.begin(), wx.end()) ||
         std::includes(wx.begin(), wx.end(), wy.begin(), wy.end());
}

struct Score {
  int gold = 0, predicted = 0, matched = 0, passages = 0, negatives = 0, negatives_clean = 0;
  std::vector<std::string> misses, false_positives;
};

Score score_annotated(const RuleEngine& engine, const std::string& path) {
  Score score;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    ++score.passages;
    ExtractContext context;
    if (j.contains("published") && j["published"].is_string())
      context.published = parse_precise(j["published"].get<std::string>());
    auto got = engine.extract(j["text"].get<std::string>(), context);
    const auto& gold = j["events"];
    if (gold.empty()) {
      ++score.negatives;
      score.negatives_clean += got.empty();
    }
    score.gold += static_cast<int>(gold.size());
    score.predicted += static_cast<int>(got.size());
    std::vector<bool> used(got.size(), false);
    for (const auto& g : gold) {
      bool found = false;
      for (std::size_t i = 0; i < got.size() && !found; ++i) {
        const auto& p = got[i].event;
        if (used[i] || norm(p.vendor) != norm(g["vendor"]) || p.action != g["action"] || p.status != g["status"] ||
            !same_actor(p.actor, g["actor"]))
          continue;
        if (g.contains("event_date") && g["event_date"].is_string()) {
          std::string want = g["event_date"];
          std::string have = p.event_date ? format_precise(*p.event_date) : "";
          if (have.substr(0, want.size()) != want) continue;
        }
        used[i] = found = true;
      }
      score.matched += found;
      if (!found)
        score.misses.push_back(j["id"].get<std::string>() + ": " + g["actor"].get<std::string>() + " " +
                               g["action"].get<std::string>() + "/" + g["status"].get<std::string>() + " " +
                               g["vendor"].get<std::string>());
    }
    for (std::size_t i = 0; i < got.size(); ++i)
      if (!used[i])
        score.false_positives.push_back(j["id"].get<std::string>() + ": " + got[i].event.actor + " " +
                                        got[i].event.action + "/" + got[i].event.status + " " + got[i].event.vendor +
                                        " [" + got[i].event.rule_id + "] " +
                                        (got[i].event.event_date ? format_precise(*got[i].event.event_date) : "-"));
  }
  return score;
}

TEST(RulesAnnotated, PrecisionAndRecallOnTheProjectsOwnSet) {
  auto engine = RuleEngine::load(kDefaultPack);
  ASSERT_TRUE(engine) << engine.error().message;
  Score s = score_annotated(**engine, std::string(BANWATCH_TEST_DATA) + "/rules/annotated.jsonl");
  ASSERT_GE(s.passages, 200);
  ASSERT_GE(s.negatives, 80);
  double precision = s.predicted ? double(s.matched) / s.predicted : 0.0;
  double recall = s.gold ? double(s.matched) / s.gold : 0.0;
  std::printf("annotated set: %d passages (%d negatives, %d clean), %d gold, %d predicted, %d matched: P %.3f R %.3f\n",
              s.passages, s.negatives, s.negatives_clean, s.gold, s.predicted, s.matched, precision, recall);
  for (const auto& m : s.misses) std::printf("MISS  %s\n", m.c_str());
  for (const auto& f : s.false_positives) std::printf("FALSE %s\n", f.c_str());
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.90);
}

// What the engine reaches on the shared development set (RulesDevSet below).
constexpr double kDevLooseF1 = 0.67, kDevLoosePrecision = 0.83, kDevStrictF1 = 0.58;
// The multilingual set (RulesDevSet below).
constexpr double kDevMultiLooseF1Bar = 0.56, kDevMultiLoosePrecisionBar = 0.80;

// ---- the seed example, scored by the shared tool -------------------------------

TEST(RulesSeed, EventEvalFindsAllTwelveAndNothingElse) {
  const fs::path shared = BANWATCH_SHARED_DEFAULT;
  const fs::path seed = shared / "examples" / "seed-kaspersky-msp";
  const fs::path tool = shared / "tools" / "event-eval";
  if (!fs::exists(seed) || !fs::exists(tool)) GTEST_SKIP() << "shared examples not present at " << shared;
  if (!fs::exists(BANWATCH_BINARY)) GTEST_SKIP() << "banwatch CLI not built";
  std::string cmd =
      "python3 '" + tool.string() + "' '" + seed.string() + "' --banwatch '" + BANWATCH_BINARY + "' --json 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  ASSERT_EQ(::pclose(pipe), 0) << out;
  auto j = nlohmann::json::parse(out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << out;
  EXPECT_EQ(j["gold_events"], 12);
  EXPECT_EQ(j["predicted"], 12) << out;
  EXPECT_DOUBLE_EQ(j["strict"]["recall"].get<double>(), 1.0) << out;
  EXPECT_DOUBLE_EQ(j["strict"]["precision"].get<double>(), 1.0) << out;
  EXPECT_EQ(j["errors"], 0);
}

// ---- the shared development set, scored by the shared tool ----------------------
// Real passages nobody here wrote (events-dev/*.jsonl). Each bar is what the
// engine reaches today, so a change that loses ground fails here; raise it
// when the engine gets better.
struct DevScore {
  std::string skip;  // why the set cannot be scored here; empty when it was
  std::string out;   // the tool's JSON summary
  nlohmann::json summary;
};

DevScore score_dev_set(const std::string& file) {
  const char* env = std::getenv("BANWATCH_CORPUS");
  const fs::path corpus = env != nullptr && *env ? fs::path(env) : fs::path(BANWATCH_CORPUS_DEFAULT);
  const fs::path gold = corpus / "events-dev" / file;
  const fs::path tool = corpus.parent_path() / "tools" / "event-eval";
  DevScore score;
  if (!fs::exists(gold) || !fs::exists(tool)) score.skip = "shared development set not present at " + corpus.string();
  if (!fs::exists(BANWATCH_BINARY)) score.skip = "banwatch CLI not built";
  if (!score.skip.empty()) return score;
  // The CLI reads the default pack from the source tree.
  const std::string cmd = "cd '" + std::string(BANWATCH_SOURCE_DIR) + "' && python3 '" + tool.string() + "' '" +
                          gold.string() + "' --banwatch '" + BANWATCH_BINARY + "' --json 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return score;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) score.out.append(buf, n);
  if (::pclose(pipe) != 0) return score;
  score.summary = nlohmann::json::parse(score.out, nullptr, false);
  std::printf("events-dev/%s: %s\n", file.c_str(), score.out.c_str());
  return score;
}

TEST(RulesDevSet, EventEvalHoldsTheEnglishBar) {
  const DevScore d = score_dev_set("en.jsonl");
  if (!d.skip.empty()) GTEST_SKIP() << d.skip;
  const auto& j = d.summary;
  ASSERT_TRUE(j.is_object()) << d.out;
  EXPECT_EQ(j["errors"], 0);
  EXPECT_GE(j["loose"]["f1"].get<double>(), kDevLooseF1) << d.out;
  EXPECT_GE(j["loose"]["precision"].get<double>(), kDevLoosePrecision) << d.out;
  EXPECT_GE(j["strict"]["f1"].get<double>(), kDevStrictF1) << d.out;
}

// The passages in German, French, Italian, Spanish and Polish: the clause
// layer's lexicons of those languages (rules/frames-<lang>.yaml).
TEST(RulesDevSet, EventEvalHoldsTheMultilingualBar) {
  const DevScore d = score_dev_set("multilingual.jsonl");
  if (!d.skip.empty()) GTEST_SKIP() << d.skip;
  const auto& j = d.summary;
  ASSERT_TRUE(j.is_object()) << d.out;
  EXPECT_EQ(j["errors"], 0);
  EXPECT_GE(j["loose"]["f1"].get<double>(), kDevMultiLooseF1Bar) << d.out;
  EXPECT_GE(j["loose"]["precision"].get<double>(), kDevMultiLoosePrecisionBar) << d.out;
}

}  // namespace
}  // namespace banwatch::rules
