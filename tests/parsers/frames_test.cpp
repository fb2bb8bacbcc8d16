// The clause and discourse layers (parsers/rules_frames.cpp) through the
// default pack: one test per kind of sentence the layers exist for. Every
// sentence here was written for these tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "parsers/rules.h"

namespace banwatch::rules {
namespace {

const std::string kDefaultPack = std::string(BANWATCH_SOURCE_DIR) + "/rules";

class Frames : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto e = RuleEngine::load(kDefaultPack);
    ASSERT_TRUE(e.has_value()) << e.error().message;
    engine_ = e->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static std::vector<Extraction> run(const std::string& text, const std::string& published = "") {
    ExtractContext c;
    c.explain = true;
    if (!published.empty()) c.published = parse_precise(published);
    return engine_->extract(text, c);
  }
  // The one event for (vendor, action), or null.
  static const Extraction* find(const std::vector<Extraction>& xs, const std::string& vendor,
                                const std::string& action) {
    for (const auto& x : xs)
      if (x.event.vendor == vendor && x.event.action == action) return &x;
    return nullptr;
  }
  static std::string dump(const std::vector<Extraction>& xs) {
    std::string out;
    for (const auto& x : xs)
      out += x.event.actor + " | " + x.event.action + "/" + x.event.status + " | " + x.event.vendor + " [" +
             x.event.rule_id + "]\n";
    return out;
  }
  static RuleEngine* engine_;
};
RuleEngine* Frames::engine_ = nullptr;

TEST_F(Frames, PronounObjectTakesTheVendorsNamedBefore) {
  auto xs =
      run("Hytera has sold handheld radios to police forces for a decade.\n\n"
          "Last week the Bundesnetzagentur barred them from state tenders.");
  const auto* x = find(xs, "Hytera", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "German Federal Network Agency (Bundesnetzagentur)");
  ASSERT_TRUE(x->explanation.has_value());
  EXPECT_NE(x->explanation->vendor_how.find("them"), std::string::npos) << x->explanation->vendor_how;
}

TEST_F(Frames, PluralReferenceNamesEveryVendorOfTheListBefore) {
  auto xs =
      run("Ministers spent the morning on Dahua and Uniview cameras.\n\n"
          "By the evening the Home Office had excluded the two companies from its buildings.");
  ASSERT_NE(find(xs, "Dahua", "ban"), nullptr) << dump(xs);
  ASSERT_NE(find(xs, "Uniview", "ban"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Uniview", "ban")->event.actor, "UK Home Office");
}

TEST_F(Frames, ActorReferenceTakesTheActorNamedBefore) {
  auto xs =
      run("PTS published the rules of its spectrum auction on Friday. The regulator excluded ZTE from the bidding.");
  const auto* x = find(xs, "ZTE", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Swedish Post and Telecom Authority");
}

// A body the pack does not list, after its country's possessive, is named with
// the country's adjective; a listed body under its country's name is found.
TEST_F(Frames, UnlistedBodyIsNamedWithItsCountry) {
  auto xs = run("Kenya's Ministry of Information and Digital Economy suspended Temu on Monday.");
  const auto* x = find(xs, "Temu", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Kenyan Ministry of Information and Digital Economy");
  EXPECT_EQ(x->event.actor_type, "government");
  auto us = run("America's Department of Labor prohibited WeChat on its phones.");
  const auto* y = find(us, "WeChat", "ban");
  ASSERT_NE(y, nullptr) << dump(us);
  EXPECT_EQ(y->event.actor, "US Department of Labor");
  auto known = run("Belgium's Centre for Cybersecurity warned against Kaspersky products.");
  const auto* z = find(known, "Kaspersky", "warning");
  ASSERT_NE(z, nullptr) << dump(known);
  EXPECT_EQ(z->event.actor, "Centre for Cybersecurity Belgium");
}

TEST_F(Frames, InterruptedClauseKeepsItsSubject) {
  auto xs =
      run("The Treasury Board, citing advice from its security service, prohibited Kaspersky, DeepSeek and WeChat on "
          "government phones.");
  for (const char* v : {"Kaspersky", "DeepSeek", "WeChat"}) {
    const auto* x = find(xs, v, "ban");
    ASSERT_NE(x, nullptr) << v << "\n" << dump(xs);
    EXPECT_EQ(x->event.actor, "Canadian Treasury Board") << v;
  }
}

TEST_F(Frames, AgentlessPassiveOnAListTakesTheKeeper) {
  auto xs = run("Fujian Jinhua was put on the Entity List in October 2018, cutting it off from American tools.");
  const auto* x = find(xs, "Fujian Jinhua", "list_addition");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "U.S. Department of Commerce");
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date).substr(0, 7), "2018-10");
}

TEST_F(Frames, RemainingOnAListIsAListing) {
  auto xs = run("Hikvision still remains on the FCC's Covered List, officials confirmed.");
  const auto* x = find(xs, "Hikvision", "list_addition");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "U.S. Federal Communications Commission");
}

TEST_F(Frames, PossessiveNominalNamesTheActor) {
  auto xs = run("Italy's ban on DeepSeek took effect immediately, leaving users unable to download the app.");
  const auto* x = find(xs, "DeepSeek", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Italy");
}

TEST_F(Frames, CompoundNominalWithAnAgent) {
  auto xs = run("The Kaspersky ban imposed by the Commerce Department applies to every new sale.");
  const auto* x = find(xs, "Kaspersky", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "U.S. Department of Commerce");
}

TEST_F(Frames, RelativeClauseTakesItsAntecedent) {
  auto xs = run("Users flocked to Lemon8, which India blocked in June 2020 along with dozens of other apps.");
  const auto* x = find(xs, "Lemon8", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "India");
}

TEST_F(Frames, NegationSuppresses) {
  auto xs = run("The Home Office has no plans to ban Xiaomi phones, a spokesperson said.");
  EXPECT_EQ(find(xs, "Xiaomi", "ban"), nullptr) << dump(xs);
}

TEST_F(Frames, VendorAsSubjectIsItsOwnDecision) {
  auto xs = run("Huawei barred its engineers from travelling abroad without approval.");
  EXPECT_TRUE(xs.empty()) << dump(xs);
}

TEST_F(Frames, ComparisonCopiesTheActionToTheComparedActor) {
  auto xs = run("Denmark barred Huawei from its 5G core, following a similar step by Sweden.");
  ASSERT_NE(find(xs, "Huawei", "ban"), nullptr) << dump(xs);
  int actors = 0;
  for (const auto& x : xs)
    if (x.event.vendor == "Huawei" && x.event.action == "ban") ++actors;
  EXPECT_EQ(actors, 2) << dump(xs);
}

TEST_F(Frames, HeadlineAndBodyAreOneEventWithTheBodysDate) {
  auto xs =
      run("Norway bars TikTok from ministry phones\n\n"
          "Norway on 21 March 2023 barred TikTok from ministry phones, the justice ministry said.");
  int n = 0;
  for (const auto& x : xs)
    if (x.event.vendor == "TikTok" && x.event.action == "ban") ++n;
  EXPECT_EQ(n, 1) << dump(xs);
  const auto* x = find(xs, "TikTok", "ban");
  ASSERT_NE(x, nullptr);
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date), "2023-03-21");
}

TEST_F(Frames, SentenceInitialYearIsTheActsDate) {
  auto xs = run("In 2019, the Pentagon barred DJI drones from its bases.");
  const auto* x = find(xs, "DJI", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date).substr(0, 4), "2019");
}

TEST_F(Frames, CamelCaseVendorInOtherCasing) {
  auto xs = run("Taiwan's Ministry of Digital Affairs banned Deepseek on public sector devices.");
  ASSERT_NE(find(xs, "DeepSeek", "ban"), nullptr) << dump(xs);
}

TEST_F(Frames, ExplainNamesTheLayerAndTheRole) {
  auto xs = run("Zenith radios made by Hytera were removed by the Home Office last year.");
  const auto* x = find(xs, "Hytera", "remove_or_replace");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_TRUE(x->event.rule_id.starts_with("frame.")) << x->event.rule_id;
  ASSERT_TRUE(x->explanation.has_value());
  EXPECT_NE(x->explanation->actor_how.find("by"), std::string::npos) << x->explanation->actor_how;
}

TEST_F(Frames, DashAsideIsSkippedAndKeepsTheClause) {
  auto xs =
      run("The Home Office \xE2\x80\x93 the department in charge of policing \xE2\x80\x93 has barred Dahua from "
          "its estate.");
  const auto* x = find(xs, "Dahua", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "UK Home Office");
}

TEST_F(Frames, ColonBeforeAListOfVendorsKeepsTheListInItsClause) {
  auto xs = run("The firms the FCC placed on the Covered List are: Hytera, Dahua and Hikvision.");
  for (const char* v : {"Hytera", "Dahua", "Hikvision"}) {
    const auto* x = find(xs, v, "list_addition");
    ASSERT_NE(x, nullptr) << v << "\n" << dump(xs);
    EXPECT_EQ(x->event.actor, "U.S. Federal Communications Commission");
  }
}

TEST_F(Frames, MeasureAsSubjectActsForItsIssuer) {
  auto xs =
      run("Ohio's governor signed an executive order on Monday.\n\n"
          "The order forbids state agencies from buying drones made by Autel Robotics.");
  const auto* x = find(xs, "Autel Robotics", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Ohio");
}

TEST_F(Frames, SentenceCuesStayInTheirClause) {
  auto xs = run("Taiwan barred Temu from state phones, but the US has only proposed legislation for a similar ban.");
  const auto* x = find(xs, "Temu", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Taiwan");
  EXPECT_EQ(x->event.status, "enacted");
}

TEST_F(Frames, AMeasureTheTextSaysWasLiftedStandsReversed) {
  auto xs =
      run("Nepal banned TikTok in November 2023, citing social harmony.\n\n"
          "Nine months later Nepal lifted the ban on TikTok.");
  const auto* ban = find(xs, "TikTok", "ban");
  const auto* lift = find(xs, "TikTok", "lift_ban");
  ASSERT_NE(ban, nullptr) << dump(xs);
  ASSERT_NE(lift, nullptr) << dump(xs);
  EXPECT_EQ(ban->event.status, "reversed");
  EXPECT_EQ(lift->event.status, "enacted");
}

TEST_F(Frames, RemovalFromAListIsALifting) {
  auto xs = run("Washington took Sandvine off the Entity List in May 2025 after the company sold its unit.");
  const auto* x = find(xs, "Sandvine", "lift_ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Sandvine", "remove_or_replace"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Sandvine", "list_addition"), nullptr) << dump(xs);
  auto ys = run("Regulators in Ottawa said the Commerce Department removes Hesai from its Entity List today.");
  ASSERT_NE(find(ys, "Hesai", "lift_ban"), nullptr) << dump(ys);
  EXPECT_EQ(find(ys, "Hesai", "remove_or_replace"), nullptr) << dump(ys);
}

// Advice (a directive that only advises) is the adviser's warning against
// the vendor, whatever it advises to do; the one advised takes no act.
TEST_F(Frames, AdviceIsTheAdvisersWarning) {
  auto xs = run("The Dutch interior ministry has urged local councils to stop buying Hikvision cameras.");
  const auto* x = find(xs, "Hikvision", "warning");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Netherlands");
  EXPECT_EQ(find(xs, "Hikvision", "stop_using"), nullptr) << dump(xs);
}

// Pressure and lobbying are no act of anyone ("lobbied X to ban Y").
TEST_F(Frames, PressureToActIsNoEvent) {
  auto xs = run("Washington has lobbied Lisbon for months to exclude Huawei from its 5G rollout.");
  EXPECT_TRUE(xs.empty()) << dump(xs);
}

// A directive with no one told is the subject's own step ("moves to revoke").
TEST_F(Frames, DirectiveWithNoOneToldIsTheSubjectsOwnStep) {
  auto xs = run("The FCC asked to revoke the licence of China Unicom Americas.");
  EXPECT_NE(find(xs, "China Unicom", "ban"), nullptr) << dump(xs);
}

// "not to install X" is a prohibition only as the content of an order; a
// bare "do not use" describes a habit.
TEST_F(Frames, NegatedUseIsABanOnlyInsideAnOrder) {
  auto ordered = run("Japan's defence ministry instructed its staff not to install WeChat on work phones.");
  const auto* x = find(ordered, "WeChat", "ban");
  ASSERT_NE(x, nullptr) << dump(ordered);
  EXPECT_EQ(x->event.actor, "Japan");
  auto habit = run("Most German ministries do not use Zoom for internal meetings.");
  EXPECT_TRUE(habit.empty()) << dump(habit);
}

// An agentless passive takes the place it applies in as its actor
// ("banned in Nepal"), as it takes the place a vendor is kept from.
TEST_F(Frames, PassiveTakesThePlaceItAppliesIn) {
  auto xs =
      run("Since last spring the short-video app has been hard to reach. TikTok was blocked in Nepal for nine months.");
  const auto* x = find(xs, "TikTok", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Nepal");
}

// Sanctioning a company puts it on a sanctions list: a listing.
TEST_F(Frames, SanctioningIsAListing) {
  auto xs = run("The Treasury Department sanctioned Positive Technologies over its work for Russian intelligence.");
  EXPECT_NE(find(xs, "Positive Technologies", "list_addition"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Positive Technologies", "restrict"), nullptr) << dump(xs);
}

// A company's legal form stays inside a list of names: "Co., Ltd., and".
TEST_F(Frames, LegalFormsInsideAListOfVendors) {
  auto xs =
      run("Estonia's cyber security agency issued a warning against routers from Huawei Technologies Co., Ltd., "
          "and ZTE Corporation.");
  EXPECT_NE(find(xs, "Huawei", "warning"), nullptr) << dump(xs);
  EXPECT_NE(find(xs, "ZTE", "warning"), nullptr) << dump(xs);
}

// A court that blocks a measure, or an actor from taking one, lifts it; a
// court that blocks a vendor bans it. Courts act for their country.
TEST_F(Frames, CourtBlockingAMeasureLiftsIt) {
  auto lifted = run("A federal judge on Friday blocked the Commerce Department from imposing its rules on WeChat.");
  const auto* x = find(lifted, "WeChat", "lift_ban");
  ASSERT_NE(x, nullptr) << dump(lifted);
  EXPECT_EQ(x->event.actor, "U.S. federal court");
  EXPECT_EQ(x->event.actor_type, "other");
  EXPECT_EQ(find(lifted, "WeChat", "ban"), nullptr) << dump(lifted);
  auto banned = run("In April a Moscow court blocked Telegram across the country.");
  const auto* y = find(banned, "Telegram", "ban");
  ASSERT_NE(y, nullptr) << dump(banned);
  EXPECT_EQ(y->event.actor, "Russia");
  EXPECT_EQ(y->event.actor_type, "other");
}

// An owner's possessive before its product names what is meant ("Meta's
// WhatsApp"); a possessive with a relation between ("the ministry's
// sanctions against X") is the agent, not the vendor's origin.
TEST_F(Frames, PossessiveOwnerAndPossessiveAgent) {
  auto owner = run("A Brazilian court ordered carriers to block Meta's WhatsApp for two days.");
  EXPECT_NE(find(owner, "WhatsApp", "ban"), nullptr) << dump(owner);
  EXPECT_EQ(find(owner, "Meta", "ban"), nullptr) << dump(owner);
  auto agent = run("A federal judge has halted the Commerce Department's sanctions against WeChat.");
  const auto* x = find(agent, "WeChat", "lift_ban");
  ASSERT_NE(x, nullptr) << dump(agent);
  EXPECT_EQ(x->event.actor, "U.S. federal court");
}

// A vendor inside an ownership aside is no patient of the passive after it.
TEST_F(Frames, OwnershipAsideIsNoPatient) {
  auto xs = run("Lawmakers debated TikTok again. The app, owned by ByteDance, was banned on state phones in Texas.");
  EXPECT_EQ(find(xs, "ByteDance", "ban"), nullptr) << dump(xs);
}

// "the government" after a body stands for the body's country.
TEST_F(Frames, StateReferenceTakesTheCountryOfTheBodyNamedBefore) {
  auto xs =
      run("The FCC has warned carriers about foreign routers for years. The government has now blocked TP-Link "
          "from federal networks.");
  const auto* x = find(xs, "TP-Link", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "United States");
}

// "X said it will suspend sales": the pronoun is the vendor speaking of
// its own decision, not the country named in the dateline.
TEST_F(Frames, PronounAfterAVendorSpeakerIsTheVendor) {
  auto xs = run("HANOI, Vietnam (Wire) - Xiaomi said it will suspend sales in two provinces while it reviews prices.");
  EXPECT_TRUE(xs.empty()) << dump(xs);
}

// "without a decision on X": what follows "without" is no object of the verb.
TEST_F(Frames, WithoutOpensAnotherClause) {
  auto xs = run("Norway has said it will exclude risky equipment without any formal ruling on Huawei.");
  EXPECT_EQ(find(xs, "Huawei", "ban"), nullptr) << dump(xs);
}

// Pathological input: each finishes with a bounded result (ctest's timeout
// catches a hang).
TEST_F(Frames, Lenient_PathologicalInputsAreBounded) {
  std::string no_stop;
  while (no_stop.size() < 100000) no_stop += "the regulator banned Huawei and ZTE and they were removed ";
  auto a = run(no_stop);
  EXPECT_LE(a.size(), 64u);
  std::string many;
  for (int i = 0; i < 10000; ++i) many += i % 2 ? "Huawei, " : "ZTE, ";
  many += "were banned by the FCC.";
  auto b = run(many);
  EXPECT_LE(b.size(), 64u);
  std::string nested = "The FCC banned ";
  for (int i = 0; i < 5000; ++i) nested += "(\"[";
  nested += "Huawei";
  for (int i = 0; i < 5000; ++i) nested += "]\")";
  nested += ".";
  auto c = run(nested);
  EXPECT_LE(c.size(), 64u);
}

TEST_F(Frames, NominalWhosePassiveOnlySaysItWasTaken) {
  // "an inquiry was opened by X into Y": the verb between the measure and its
  // object says only that it was taken; the agent follows "by".
  auto xs = run("Last spring an inquiry was launched by Ofcom into Temu over its delivery claims.");
  const auto* x = find(xs, "Temu", "investigation");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Ofcom");
  auto ys = run("A formal ban was imposed on Hikvision by the Commerce Department in 2019.");
  const auto* y = find(ys, "Hikvision", "ban");
  ASSERT_NE(y, nullptr) << dump(ys);
  EXPECT_EQ(y->event.actor, "U.S. Department of Commerce");
}

TEST_F(Frames, VendorToldToCeaseIsBannedByWhoeverToldIt) {
  auto xs = run("The Garante ordered Replika to cease collecting the data of Italian users.");
  const auto* x = find(xs, "Replika", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Italian Data Protection Authority (Garante)");
  EXPECT_EQ(x->event.rule_id, "frame.ban.order");
  // What the vendor must stop is its users' content: no ban of the vendor.
  EXPECT_TRUE(run("The Garante ordered Telegram to halt channels that sold stolen data.").empty());
  // A company's demand on another is no ban.
  EXPECT_TRUE(run("Samsung told Xiaomi to cease copying the hinge of its folding phone.").empty());
  // Told to stop using a vendor: the vendor after the verb is the patient.
  auto ys = run("The FCC ordered carriers to suspend Huawei equipment purchases.");
  ASSERT_NE(find(ys, "Huawei", "ban"), nullptr) << dump(ys);
}

TEST_F(Frames, TwoWordDirectiveGivesTheOrder) {
  auto xs = run("The European Commission called on member states to exclude ZTE from their networks.");
  const auto* x = find(xs, "ZTE", "warning");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "European Commission");
}

TEST_F(Frames, ACourtThatSuspendsAVendorBansIt) {
  auto xs = run("Brazil's top court suspended Telegram nationwide in March 2022.");
  const auto* x = find(xs, "Telegram", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.status, "enacted");
}

TEST_F(Frames, NamesInCapitalsAndAcronymsAsWords) {
  auto xs = run("THE REGULATOR ACTS. The Cnil has fined and banned CLEARVIEW AI from French territory.");
  const auto* x = find(xs, "Clearview AI", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "French Data Protection Authority (CNIL)");
}

TEST_F(Frames, ListAfterAMeasureNamesWhatItCovers) {
  // The measure names no vendor; the next sentence lists what it covers.
  auto xs =
      run("On Tuesday the Ministry of Electronics and Information Technology blocked another 30 mobile applications. "
          "The blocked applications include WeChat, Weibo and Baidu.");
  for (const char* v : {"WeChat", "Weibo", "Baidu"}) {
    const auto* x = find(xs, v, "ban");
    ASSERT_NE(x, nullptr) << v << "\n" << dump(xs);
    EXPECT_EQ(x->event.rule_id, "frame.ban.listed");
  }
  // A list with no measure before it is no event.
  EXPECT_TRUE(run("The Ministry of Electronics and Information Technology met app makers on Monday. "
                  "They include WeChat, Weibo and Baidu.")
                  .empty());
}

// A list announced by a colon after a measure: official notices name what a
// directive covers on the lines after "... are covered by the order:".
TEST_F(Frames, ListAnnouncedByAColonNamesWhatTheMeasureCovers) {
  auto xs =
      run("Ohio's governor signed an order on Monday barring state agencies from using software from foreign "
          "companies such as Kaspersky.\n\n"
          "The state's technology office will keep the register current.\n\n"
          "These suppliers and products are covered by the order:\n"
          "  \xE2\x80\xA2 ZTE Corporation;\n"
          "  \xE2\x80\xA2 Tencent, including its WeChat messenger;\n"
          "  - Hytera\n\n"
          "Agencies have 30 days to comply.");
  for (const char* v : {"Kaspersky", "ZTE", "Tencent", "WeChat", "Hytera"}) {
    const auto* x = find(xs, v, "ban");
    ASSERT_NE(x, nullptr) << v << "\n" << dump(xs);
    EXPECT_EQ(x->event.actor, "Ohio") << v;
  }
  EXPECT_EQ(find(xs, "Hytera", "ban")->event.rule_id, "frame.ban.listed");
  // The evidence of an item holds the line that announced the list.
  EXPECT_EQ(find(xs, "Hytera", "ban")->event.evidence,
            "These suppliers and products are covered by the order: \xE2\x80\xA6 Hytera");

  // The list may follow the colon in the same sentence, or in the next paragraph.
  xs =
      run("The Federal Communications Commission has banned several carriers. The order names them: ZTE, "
          "Hytera and Tencent.");
  for (const char* v : {"ZTE", "Hytera", "Tencent"}) EXPECT_NE(find(xs, v, "ban"), nullptr) << v << "\n" << dump(xs);
  xs =
      run("The Danish government has banned several apps on official phones. The decision covers the following:\n\n"
          "WeChat and Tencent.");
  EXPECT_NE(find(xs, "WeChat", "ban"), nullptr) << dump(xs);
  EXPECT_NE(find(xs, "Tencent", "ban"), nullptr) << dump(xs);
}

TEST_F(Frames, AColonWithoutAMeasureBeforeItListsNothing) {
  // No measure read before the colon: no event.
  EXPECT_TRUE(run("Three vendors dominate the market: ZTE, Hytera and Tencent.").empty());
  // A measure, but the colon announces no measure: a quote, a label.
  auto xs =
      run("The Danish government has banned TikTok on official phones. A spokesman said: ZTE and Hytera "
          "remain welcome.");
  EXPECT_EQ(find(xs, "ZTE", "ban"), nullptr) << dump(xs);
  // The list ends with the items: a later paragraph is no part of it.
  xs =
      run("The Danish government has banned several apps. The list is in the decision:\n"
          "  \xE2\x80\xA2 WeChat\n\n"
          "Separately, Hytera opened an office in Berlin.");
  EXPECT_NE(find(xs, "WeChat", "ban"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Hytera", "ban"), nullptr) << dump(xs);
  // A measure too far back: nothing.
  xs = run(
      "The Danish government has banned several apps. It met carriers. It met vendors. It met users. It met the press. "
      "The decision lists them: WeChat and Hytera.");
  EXPECT_EQ(find(xs, "Hytera", "ban"), nullptr) << dump(xs);
}

// A court that blocks a government from imposing a measure lifts it: the
// lifting is enacted (the cue "blocked ... from" is the lifting itself) and
// the measure the text stated before stands reversed.
TEST_F(Frames, ACourtBlockingAMeasureIsAnEnactedLiftingAndTheMeasureIsReversed) {
  auto xs =
      run("In March the Department of Defense designated Xiaomi a Chinese military company. On Friday a "
          "federal judge blocked the Pentagon from imposing restrictions on Xiaomi.");
  const auto* lift = find(xs, "Xiaomi", "lift_ban");
  ASSERT_NE(lift, nullptr) << dump(xs);
  EXPECT_EQ(lift->event.status, "enacted") << dump(xs);
  const auto* listing = find(xs, "Xiaomi", "list_addition");
  ASSERT_NE(listing, nullptr) << dump(xs);
  EXPECT_EQ(listing->event.status, "reversed") << dump(xs);
}

// An act stated without a date, and the instrument that carries it dated in a
// sentence right after: the act took place on that day.
TEST_F(Frames, AnUndatedActTakesTheDayOfItsInstrumentStatedRightAfter) {
  auto xs =
      run("The Navy has told its sailors to stop using Hikvision cameras on its bases. The instruction, issued in a "
          "March 3 memorandum, cites espionage risks.",
          "2024-03-10");
  const auto* x = find(xs, "Hikvision", "stop_using");
  ASSERT_NE(x, nullptr) << dump(xs);
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date), "2024-03-03");
  ASSERT_TRUE(x->explanation.has_value());
  EXPECT_NE(x->explanation->date_how.find("the date of the measure in sentence 2"), std::string::npos);

  // Another vendor's affairs, a sentence with no measure, or another act in
  // between: no date is borrowed.
  for (const char* text :
       {"The Navy has told its sailors to stop using Hikvision cameras. A Dahua memorandum dated March 3 disagrees.",
        "The Navy has told its sailors to stop using Hikvision cameras. Sailors met on March 3 to discuss it.",
        "The Navy has told its sailors to stop using Hikvision cameras. The Army banned Hikvision too. The order "
        "is dated March 3."}) {
    xs = run(text, "2024-03-10");
    for (const auto& e : xs) {
      if (e.event.vendor == "Hikvision" && e.event.actor.find("Navy") != std::string::npos) {
        EXPECT_FALSE(e.event.event_date.has_value()) << text << "\n" << dump(xs);
      }
    }
  }
}

TEST_F(Frames, SuspensionIsABanNoun) {
  auto xs = run("Nigeria's information ministry announced the suspension of Twitter on Friday.");
  const auto* x = find(xs, "Twitter", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
}

// Actors in a list are each an actor, even after a preposition ("shut out in
// A, B and C", "including A, B and C").
TEST_F(Frames, ListOfActorsAfterAPrepositionKeepsItsFirstItem) {
  auto xs = run("Hikvision cameras were shut out in Denmark, Norway and Finland last spring.");
  std::vector<std::string> actors;
  for (const auto& x : xs)
    if (x.event.vendor == "Hikvision" && x.event.action == "ban") actors.push_back(x.event.actor);
  std::sort(actors.begin(), actors.end());
  EXPECT_EQ(actors, (std::vector<std::string>{"Denmark", "Finland", "Norway"})) << dump(xs);

  xs = run("A handful of states, including Poland, Estonia and Latvia, have since shut out ZTE from tenders.");
  actors.clear();
  for (const auto& x : xs)
    if (x.event.vendor == "ZTE" && x.event.action == "ban") actors.push_back(x.event.actor);
  std::sort(actors.begin(), actors.end());
  EXPECT_EQ(actors, (std::vector<std::string>{"Estonia", "Latvia", "Poland"})) << dump(xs);
}

// A court named by its place is the actor, not its country; a country's own
// court acts for the country.
TEST_F(Frames, NamedCourtIsTheActor) {
  auto xs = run("The Lahore High Court (LHC) on Tuesday told regulators to shut down Telegram within a week.");
  const auto* x = find(xs, "Telegram", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Lahore High Court");
  EXPECT_EQ(x->event.actor_type, "other");

  xs = run("Kyiv's Pechersk District Court has ordered the blocking of VKontakte.");
  x = find(xs, "VKontakte", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Kyiv Pechersk District Court");

  xs = run("Indian Supreme Court judge R. Mehta ordered the suspension of TikTok downloads.");
  x = find(xs, "TikTok", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "India");
  EXPECT_EQ(x->event.actor_type, "other");
}

// A reference opening a paragraph of its own is the vendor the last
// sentences named; a vendor in an ownership aside ("owned by Chinese company
// X") is not what the passive is about.
TEST_F(Frames, ReferenceOpeningAParagraphTakesTheVendorNamedBefore) {
  auto xs =
      run("Estonia will remove WeChat from ministry phones next month.\n\n"
          "The app, developed by the Chinese group Tencent, has already been shut out of official devices in Latvia.");
  const auto* x = find(xs, "WeChat", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Latvia");
  EXPECT_EQ(find(xs, "Tencent", "ban"), nullptr) << dump(xs);

  xs =
      run("Kaspersky has sold antivirus suites to schools for years.\n\n"
          "Two provinces have since dropped its suites, and Ontario shut out the antivirus maker last week.");
  x = find(xs, "Kaspersky", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Ontario");
}

TEST_F(Frames, TheOneToldTakesNoAct) {
  // The companies told to act are not actors; the giver of the order is.
  auto xs = run("A court in Lagos has requested Google to take down TikTok from its store.");
  for (const auto& x : xs) EXPECT_NE(x.event.actor, "Google") << dump(xs);
  xs = run("The telecoms regulator instructed Apple and Google to help block Telegram for two weeks.");
  for (const auto& x : xs) {
    EXPECT_NE(x.event.actor, "Apple") << dump(xs);
    EXPECT_NE(x.event.actor, "Google") << dump(xs);
  }
}

TEST_F(Frames, OwnersAsideIsNoPatient) {
  // The owner named in an aside is not what was banned.
  auto xs = run("The messaging service, run by parent firm ByteDance, was banned on official phones in Japan.");
  EXPECT_EQ(find(xs, "ByteDance", "ban"), nullptr) << dump(xs);
  // Without the aside's commas the maker is the patient ("radios made by X").
  xs = run("Radios made by Hytera were banned from police stations by the Home Office.");
  EXPECT_NE(find(xs, "Hytera", "ban"), nullptr) << dump(xs);
}

TEST_F(Frames, MeasureSpokenOfIsNotImposedBySpeaker) {
  auto xs =
      run("Washington barred Huawei from its networks last spring. "
          "Moscow said it was deeply worried about the ban.");
  for (const auto& x : xs) EXPECT_NE(x.event.actor, "Russia") << dump(xs);
  // A verb group between the noun and the marker: the marker is another predicate's.
  xs = run("The US Commerce Department barred ZTE last year. The ban has big implications on Huawei.");
  EXPECT_NE(find(xs, "ZTE", "ban"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Huawei", "ban"), nullptr) << dump(xs);
}

TEST_F(Frames, MeasureLeftOutDeclinedOrResistedIsNoEvent) {
  for (const char* text : {
           "Chile published its spectrum auction rules without a ban on Huawei.",
           "Chile published its spectrum auction rules with no restrictions on Huawei.",
           "Canada's minister criticised the firm but stopped short of urging councils to stop using Hikvision "
           "cameras.",
           "Mexico's regulator rejected calls to ban ZTE from the 5G network.",
           "Sweden's minister said blocking TikTok is not being considered.",
       })
    EXPECT_TRUE(run(text).empty()) << text << "\n" << dump(run(text));
  // A comparison with a measure said not to exist.
  auto xs = run("Estonia banned TikTok on official phones. There has been no hint of a similar restriction in Latvia.");
  EXPECT_NE(find(xs, "TikTok", "ban"), nullptr) << dump(xs);
  for (const auto& x : xs) EXPECT_NE(x.event.actor, "Latvia") << dump(xs);
  // "no longer" is no negation of the measure.
  xs = run("Norway's defence ministry will no longer use Hikvision cameras.");
  EXPECT_NE(find(xs, "Hikvision", "stop_using"), nullptr) << dump(xs);
}

// Taken off a list in any voice ("will be taken off", "the removal of X
// from the blacklist") is a lifting, not a removal of products nor a listing.
TEST_F(Frames, TakenOffAListInAnyVoiceIsALifting) {
  auto xs = run("The Treasury said Hikvision would be taken off the sanctions list next month.");
  ASSERT_NE(find(xs, "Hikvision", "lift_ban"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Hikvision", "remove_or_replace"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Hikvision", "list_addition"), nullptr) << dump(xs);
  auto ys = run("Officials confirmed the removal of Inspur from the blacklist by the Pentagon.");
  const auto* y = find(ys, "Inspur", "lift_ban");
  ASSERT_NE(y, nullptr) << dump(ys);
  EXPECT_EQ(y->event.actor, "U.S. Department of Defense");
  EXPECT_EQ(find(ys, "Inspur", "remove_or_replace"), nullptr) << dump(ys);
}

// A blocked vendor let back in: "unblocked X", "restored X".
TEST_F(Frames, AVendorLetBackInIsALifting) {
  auto xs = run("Russia's communications regulator unblocked Telegram on Thursday.");
  ASSERT_NE(find(xs, "Telegram", "lift_ban"), nullptr) << dump(xs);
  auto ys = run("Pakistan restored TikTok after a ten-day suspension.");
  ASSERT_NE(find(ys, "TikTok", "lift_ban"), nullptr) << dump(ys);
}

// A vendor stated to be on a list already is a listing.
TEST_F(Frames, BeenOnAListIsAListing) {
  auto xs = run("The Pentagon said Hikvision has been on a list of suspect suppliers since 2021.");
  const auto* x = find(xs, "Hikvision", "list_addition");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.status, "enacted");
}

// Advice to take a vendor out or not to use it, in the words of the pack's
// patterns, is the adviser's warning.
TEST_F(Frames, AdviceAgainstAVendorInOtherWordsIsAWarning) {
  auto xs = run("The FBI recommends replacing Hikvision cameras in federal buildings.");
  ASSERT_NE(find(xs, "Hikvision", "warning"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Hikvision", "remove_or_replace"), nullptr) << dump(xs);
  for (const char* text : {"CISA said agencies should not install DeepSeek on federal phones.",
                           "The NSA issued guidance to contractors against using DeepSeek.",
                           "The Army advised soldiers to not download DeepSeek on duty."}) {
    auto ys = run(text);
    ASSERT_NE(find(ys, "DeepSeek", "warning"), nullptr) << text << "\n" << dump(ys);
  }
  EXPECT_EQ(find(run("The FBI did not say agencies should not use DeepSeek."), "DeepSeek", "warning"), nullptr);
}

// A partner or supplier stopping the business itself ends the partnership.
TEST_F(Frames, StoppingTheBusinessWithAVendorEndsThePartnership) {
  auto xs = run("Cambridge University is suspending research grants and donations from ZTE.");
  ASSERT_NE(find(xs, "ZTE", "end_partnership"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "ZTE", "ban"), nullptr) << dump(xs);
  auto ys = run("TSMC halted shipments to Huawei last month.");
  ASSERT_NE(find(ys, "Huawei", "end_partnership"), nullptr) << dump(ys);
}

// Dropped from a list of approved suppliers is a restriction; an
// organisation's own purchases suspended are its stop of use.
TEST_F(Frames, OffAnApprovedListIsARestrictionAndOwnPurchasesStopped) {
  auto xs = run("China dropped Kaspersky and McAfee from its approved procurement list.");
  for (const char* v : {"Kaspersky", "McAfee"}) {
    ASSERT_NE(find(xs, v, "restrict"), nullptr) << v << "\n" << dump(xs);
    EXPECT_EQ(find(xs, v, "stop_using"), nullptr) << dump(xs);
  }
  auto ys = run("Vodafone said it is suspending the purchase of equipment made by ZTE for its network.");
  const auto* y = find(ys, "ZTE", "stop_using");
  ASSERT_NE(y, nullptr) << dump(ys);
  EXPECT_EQ(y->event.actor, "Vodafone");
}

// A ban ended, cancelled or taken back as a decision is a lifting, not the
// ban: "cancelled the ban on X", "reversed its decision to exclude X".
TEST_F(Frames, AMeasureEndedOrADecisionTakenBackIsALifting) {
  for (const char* text : {"Germany cancelled the ban on Huawei equipment last week.",
                           "The FCC reversed its decision to exclude Huawei from the auction.",
                           "The Commerce Department terminated the suspension of Huawei's export privileges."}) {
    auto xs = run(text);
    ASSERT_NE(find(xs, "Huawei", "lift_ban"), nullptr) << text << "\n" << dump(xs);
    EXPECT_EQ(find(xs, "Huawei", "ban"), nullptr) << text << "\n" << dump(xs);
  }
  // A contract cancelled stays the end of a partnership.
  auto ys = run("The FCC cancelled its contract with ZTE.");
  EXPECT_NE(find(ys, "ZTE", "end_partnership"), nullptr) << dump(ys);
  EXPECT_EQ(find(ys, "ZTE", "lift_ban"), nullptr) << dump(ys);
}

// A security check or an inspection of a vendor's products is an investigation.
TEST_F(Frames, ASecurityCheckOfProductsIsAnInvestigation) {
  auto xs = run("The Cyberspace Administration of China carried out a security check of chips made by Micron.");
  ASSERT_NE(find(xs, "Micron", "investigation"), nullptr) << dump(xs);
  // A country right before the vendor after "made by" is where the vendor is
  // from, not the agent of the check.
  auto ys =
      run("The Cyberspace Administration of China said it ran a security check of memory made by US "
          "chipmaker Micron.");
  const auto* y = find(ys, "Micron", "investigation");
  ASSERT_NE(y, nullptr) << dump(ys);
  EXPECT_EQ(y->event.actor, "Cyberspace Administration of China");
}

// A removal whose particle follows the object ("tear X kit out of ...").
TEST_F(Frames, RemovalWithItsParticleAfterTheObject) {
  auto xs = run("Britain will tear Huawei kit out of its networks by 2027.");
  ASSERT_NE(find(xs, "Huawei", "remove_or_replace"), nullptr) << dump(xs);
}

// A question asks about a measure and reports none: a headline that asks
// how or why, or a clause that ends with a question mark.
TEST_F(Frames, AQuestionReportsNoMeasure) {
  for (const char* text :
       {"Why a senator wants Temu banned across the country", "How a Canadian ban on WeChat would hit small traders",
        "Will Ottawa block Huawei from its 6G trials?", "What a state ban on DJI drones means for firefighters",
        "Why a trader wants Temu banned in Kenya"}) {
    auto xs = run(text);
    EXPECT_TRUE(xs.empty()) << text << "\n" << dump(xs);
  }
  // A label before a colon is no question ("Why it matters: ...").
  auto ys = run("Why it matters: Norway banned Temu from public procurement last year.");
  EXPECT_NE(find(ys, "Temu", "ban"), nullptr) << dump(ys);
}

// A seller taking a vendor's goods off its own shelves or out of its range
// stops its own sale; an app store pulling an app removes it.
TEST_F(Frames, GoodsOffAShopsShelvesAreItsOwnStop) {
  for (const char* text : {"Walmart cleared Hikvision cameras off its warehouse shelves in March.",
                           "Telstra pulled ZTE handsets from its autumn line-up of phones."}) {
    auto xs = run(text);
    EXPECT_NE(find(xs, text[0] == 'W' ? "Hikvision" : "ZTE", "stop_using"), nullptr) << text << "\n" << dump(xs);
    EXPECT_EQ(find(xs, text[0] == 'W' ? "Hikvision" : "ZTE", "end_partnership"), nullptr) << text << "\n" << dump(xs);
  }
  auto ys = run("Google pulled Temu from its app store in Brazil.");
  EXPECT_EQ(find(ys, "Temu", "stop_using"), nullptr) << dump(ys);
}

// One act told twice, once as planned and once as done, is one event with the
// furthest status; a proposal dated before a dated enactment stays a step.
TEST_F(Frames, OneActToldTwiceIsOneEventWithTheFurthestStatus) {
  auto xs =
      run("Latvia plans to ban Kaspersky software in ministries.\n\n"
          "Officials said Latvia banned Kaspersky software in all ministries.");
  std::size_t bans = 0;
  for (const auto& x : xs)
    if (x.event.vendor == "Kaspersky" && x.event.action == "ban") ++bans;
  EXPECT_EQ(bans, 1u) << dump(xs);
  ASSERT_NE(find(xs, "Kaspersky", "ban"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Kaspersky", "ban")->event.status, "enacted") << dump(xs);
  auto ys =
      run("Latvia proposed a ban on Kaspersky software on 2 March 2025.\n\n"
          "Latvia banned Kaspersky software on 9 June 2025.");
  std::size_t steps = 0;
  for (const auto& y : ys)
    if (y.event.vendor == "Kaspersky" && y.event.action == "ban") ++steps;
  EXPECT_EQ(steps, 2u) << dump(ys);
}

// What a vendor is punished for not doing is no measure on it ("fined X for
// its failure to remove ..."); an owner's possessive before the vendor meant
// is no second vendor ("Meta's WhatsApp").
TEST_F(Frames, APenaltysReasonAndAnOwnersPossessiveGiveNoMeasure) {
  for (const char* text : {"A Moscow court fined Google for its refusal to remove Telegram from its store.",
                           "The regulator fined Apple over its failure to pull Telegram from the App Store."}) {
    auto xs = run(text);
    EXPECT_EQ(find(xs, "Telegram", "remove_or_replace"), nullptr) << text << "\n" << dump(xs);
  }
  auto ys = run("Uganda blocked Facebook's WhatsApp during the vote count.");
  EXPECT_NE(find(ys, "WhatsApp", "ban"), nullptr) << dump(ys);
  EXPECT_EQ(find(ys, "Facebook", "ban"), nullptr) << dump(ys);
}

// Whether someone plans a measure is a question, not the measure; sanctions
// on a vendor are no restriction (a sanctions listing is read as a listing).
TEST_F(Frames, AQuestionOfPlansAndSanctionsGiveNoRestriction) {
  auto xs = run("Senators pressed the two stores on whether they intend to remove Temu from their shelves.");
  EXPECT_EQ(find(xs, "Temu", "remove_or_replace"), nullptr) << dump(xs);
  auto ys = run("The European Union imposed sanctions on Positive Technologies last spring.");
  EXPECT_EQ(find(ys, "Positive Technologies", "restrict"), nullptr) << dump(ys);
}

// A ban lifted under another's name ("revoked the Trump administration's
// ban on X") is a lifting and leaves that ban reversed; a court that stays
// an order on a ban reverses it; a ruling that upholds a ban is no ban of
// the court's own.
TEST_F(Frames, LiftingsStaysAndUpheldBans) {
  auto xs = run("The FCC revoked the Trump administration's ban on Temu last spring.");
  ASSERT_NE(find(xs, "Temu", "lift_ban"), nullptr) << dump(xs);
  auto ys = run("An appeals court stayed the ministry's order banning PUBG Mobile.");
  for (const auto& y : ys) {
    if (y.event.action == "ban") {
      EXPECT_EQ(y.event.status, "reversed") << dump(ys);
    }
  }
  auto zs = run("The Administrative Court of Appeal upheld the regulator's ban on Huawei kit.");
  for (const auto& z : zs) {
    EXPECT_EQ(z.event.actor.find("Court"), std::string::npos) << dump(zs);
  }
}

// ---- actor attribution -------------------------------------------------------

TEST_F(Frames, VerbsJoinedToAnOrderedOneAreOrderedToo) {
  // The second verb of "ordered X and Y to A and B" is the order's content:
  // the ones told are no actors of their own.
  auto xs =
      run("The Federal Communications Commission ordered Apple and Google to halt downloads of the Hytera app and "
          "remove Dahua's viewer from their stores.");
  for (const auto& x : xs) EXPECT_TRUE(x.event.actor != "Apple" && x.event.actor != "Google") << dump(xs);
  const auto* x = find(xs, "Dahua", "remove_or_replace");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "U.S. Federal Communications Commission");
}

TEST_F(Frames, EveryNameOfAListToldIsOnlyTold) {
  // "asked A, B and C to remove X": each name of the list is told.
  auto xs = run("The Garante asked Apple AAPL.O and Google GOOGL.O to remove Zoom from Italian app stores.");
  for (const auto& x : xs) EXPECT_TRUE(x.event.actor != "Apple" && x.event.actor != "Google") << dump(xs);
  // A banning verb before a list is no order: both acts stand.
  auto ys = run("Sweden banned Huawei and Denmark blocked ZTE last year.");
  const auto* y = find(ys, "ZTE", "ban");
  ASSERT_NE(y, nullptr) << dump(ys);
  EXPECT_EQ(y->event.actor, "Denmark");
}

TEST_F(Frames, AParticipleClauseAfterACommaHasTheMainSubject) {
  // ", excluding X" belongs to the subject of the sentence, not to the
  // objects named just before it.
  auto xs = run("Deutsche Telekom has picked Ericsson and Nokia as suppliers of its radio network, excluding Huawei.");
  const auto* x = find(xs, "Huawei", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Deutsche Telekom");
  for (const auto& e : xs) EXPECT_TRUE(e.event.actor != "Nokia" && e.event.actor != "Ericsson") << dump(xs);
}

TEST_F(Frames, APossessiveBeforeTheVendorOfAMeasureNounIsItsAgent) {
  // "the state's TikTok ban": the vendor qualifies the measure; the
  // possessive is who imposed it, not where the vendor is from.
  auto xs =
      run("Engineers at Kaspersky Lab met officials in Moscow last month. Weeks later the Dutch government's Kaspersky "
          "ban reached every ministry.");
  const auto* x = find(xs, "Kaspersky", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Netherlands");
  for (const auto& e : xs) EXPECT_NE(e.event.actor, "Russia") << dump(xs);
}

TEST_F(Frames, ATargetOfSanctionsIsNotTheNextBareSubjectsActor) {
  // "sanctions against Russia": Russia is a target; a decree signed next by
  // an unnamed official is the sanctioning country's.
  auto xs =
      run("Lithuania widened its sanctions against Russia on Friday.\n\n"
          "A decree signed that day blocks Yandex across the country.");
  const auto* x = find(xs, "Yandex", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Lithuania");
}

TEST_F(Frames, AProperSubjectWithATypographicPossessive) {
  auto xs = run("Westbrook Borough\u2019s decision to ban Dahua cameras followed a review.");
  const auto* x = find(xs, "Dahua", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Westbrook Borough");
}

// One body named two ways for one measure is one event: an acronym the text
// ties to the full name, or the country beside its own body.
long count(const std::vector<Extraction>& xs, const std::string& vendor, const std::string& action) {
  return std::count_if(xs.begin(), xs.end(),
                       [&](const Extraction& x) { return x.event.vendor == vendor && x.event.action == action; });
}

TEST_F(Frames, AnAcronymTiedToItsFullNameIsOneActor) {
  auto xs =
      run("Norway's Communications Authority (NCA) banned Huawei equipment in May.\n\n"
          "The NCA banned Huawei equipment after a review, officials said.");
  EXPECT_EQ(count(xs, "Huawei", "ban"), 1) << dump(xs);
  const auto* x = find(xs, "Huawei", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Norwegian Communications Authority") << dump(xs);
  EXPECT_EQ(x->event.actor_type, "regulator");
}

TEST_F(Frames, ACountryAndItsBodyForOneMeasureAreTheBody) {
  auto xs =
      run("Finland has banned Kaspersky software on government computers.\n\n"
          "Finland's Cyber Resilience Agency banned Kaspersky software on those computers in March.");
  EXPECT_EQ(count(xs, "Kaspersky", "ban"), 1) << dump(xs);
  const auto* x = find(xs, "Kaspersky", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Finnish Cyber Resilience Agency") << dump(xs);
  ASSERT_TRUE(x->explanation.has_value());
  EXPECT_NE(x->explanation->actor_how.find("Finland"), std::string::npos) << x->explanation->actor_how;
}

TEST_F(Frames, TwoBodiesOfOneCountryStayApart) {
  // Which of the two bodies the country's measure is cannot be told.
  auto xs =
      run("Hungary has banned Hikvision cameras in public buildings.\n\n"
          "Hungary's Postal Authority banned Hikvision cameras in its offices.\n\n"
          "Hungary's Rail Authority banned Hikvision cameras in its stations.");
  EXPECT_EQ(count(xs, "Hikvision", "ban"), 3) << dump(xs);
}

TEST_F(Frames, ACountrysDatedEarlierMeasureIsNotItsBodysLaterOne) {
  auto xs =
      run("Finland banned Kaspersky software in its ministries in 2017.\n\n"
          "Finland's Cyber Resilience Agency has now banned Kaspersky software on every state computer.");
  bool country = false, body = false;
  for (const auto& x : xs) {
    if (x.event.vendor != "Kaspersky" || x.event.action != "ban") continue;
    country = country || x.event.actor == "Finland";
    body = body || x.event.actor == "Finnish Cyber Resilience Agency";
  }
  EXPECT_TRUE(country && body) << dump(xs);
}

}  // namespace
}  // namespace banwatch::rules
