// The clause layer in German, French, Italian, Spanish and Polish through the
// default pack (rules/frames-<lang>.yaml), language detection
// (parsers/language.h), dates written in those languages, and `rules check`
// on a broken language file. Every sentence here was written for these tests.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "parsers/language.h"
#include "parsers/rules.h"

namespace banwatch::rules {
namespace {

namespace fs = std::filesystem;

const std::string kDefaultPack = std::string(BANWATCH_SOURCE_DIR) + "/rules";

class FramesLang : public ::testing::Test {
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
  // `lang` empty: detected from the text.
  static std::vector<Extraction> run(const std::string& text, const std::string& lang = "",
                                     const std::string& published = "") {
    ExtractContext c;
    c.explain = true;
    if (!lang.empty()) c.language = lang;
    if (!published.empty()) c.published = parse_precise(published);
    return engine_->extract(text, c);
  }
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
  // The action word an event was read from.
  static std::string trigger_of(const std::string& text, const Extraction& x) {
    if (!x.explanation) return "";
    const std::string sentence = text.substr(x.sentence_begin, x.sentence_end - x.sentence_begin);
    return sentence.substr(x.explanation->match_begin, x.explanation->match_end - x.explanation->match_begin);
  }
  static RuleEngine* engine_;
};
RuleEngine* FramesLang::engine_ = nullptr;

// ---- language detection ---------------------------------------------------------

TEST(Language, DetectsEachLanguageByItsFunctionWords) {
  EXPECT_EQ(language::detect("The ministry said it was reviewing the contracts with the supplier."), "en");
  EXPECT_EQ(language::detect("Die Behörde hat die Nutzung der App auf den Geräten der Mitarbeiter untersagt."), "de");
  EXPECT_EQ(language::detect("Le ministère a annoncé que les agents ne pourront plus utiliser cette application."),
            "fr");
  EXPECT_EQ(language::detect("Il ministero ha deciso che gli uffici non potranno più usare il programma."), "it");
  EXPECT_EQ(language::detect("El ministerio ha decidido que los funcionarios no podrán usar la aplicación."), "es");
  EXPECT_EQ(language::detect("Ministerstwo poinformowało, że urzędnicy nie będą mogli korzystać z aplikacji."), "pl");
}

TEST(Language, ShortTextFallsBackOnLettersThenEnglish) {
  EXPECT_EQ(language::detect("Urząd wszczął postępowanie."), "pl");
  EXPECT_EQ(language::detect("Zoom"), "en");
  EXPECT_EQ(language::detect(""), "en");
}

TEST(Language, NormalizesDeclaredTags) {
  EXPECT_EQ(language::normalize("de-DE"), "de");
  EXPECT_EQ(language::normalize("FR_fr"), "fr");
  EXPECT_EQ(language::normalize("pl"), "pl");
  EXPECT_EQ(language::normalize("deu"), "");
  EXPECT_EQ(language::normalize(""), "");
}

// ---- German -----------------------------------------------------------------------

TEST_F(FramesLang, GermanPerfectObjectBeforeTheVerb) {
  const std::string text = "Das Bundesinnenministerium hat Telegram auf allen Diensthandys verboten.";
  auto xs = run(text);
  const auto* x = find(xs, "Telegram", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "German Federal Ministry of the Interior");
  EXPECT_EQ(x->event.status, "enacted");
  EXPECT_EQ(trigger_of(text, *x), "verboten");  // what `rules test --explain` shows
}

TEST_F(FramesLang, GermanSubjectAfterTheVerb) {
  auto xs = run("Am Dienstag sperrte die Bundesregierung die Nutzung von TikTok in allen Ministerien.");
  const auto* x = find(xs, "TikTok", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Germany");
}

TEST_F(FramesLang, GermanPassiveWithTheAuxiliaryApart) {
  auto xs = run("In Polen wurde der Einsatz von Hikvision-Kameras in Behörden untersagt.");
  const auto* x = find(xs, "Hikvision", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Poland");
  EXPECT_EQ(x->event.rule_id, "frame.ban.passive");
}

TEST_F(FramesLang, GermanNominalWithObjectMarker) {
  auto xs = run("Die EU-Kommission hat ein förmliches Verfahren gegen Temu eingeleitet.");
  const auto* x = find(xs, "Temu", "investigation");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "European Commission");
}

TEST_F(FramesLang, GermanNegationAndPlanCues) {
  auto negated = run("Das Bundesamt für Sicherheit in der Informationstechnik hat Kaspersky nicht verboten.");
  EXPECT_EQ(find(negated, "Kaspersky", "ban"), nullptr) << dump(negated);
  auto planned = run("Die Bundesregierung plant ein Verbot von Huawei im Kernnetz.");
  const auto* x = find(planned, "Huawei", "ban");
  ASSERT_NE(x, nullptr) << dump(planned);
  EXPECT_EQ(x->event.status, "proposed");
}

TEST_F(FramesLang, GermanWarningAndOrdinalDate) {
  auto xs = run("Am 15. März 2022 warnte das BSI vor dem Einsatz von Kaspersky.");
  const auto* x = find(xs, "Kaspersky", "warning");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "German Federal Office for Information Security (BSI)");
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date), "2022-03-15");
}

// ---- French -------------------------------------------------------------------------

TEST_F(FramesLang, FrenchCompoundPastAndDate) {
  auto xs =
      run("Le 12 mars, le gouvernement français a interdit TikTok sur les téléphones des agents.", "", "2023-04-02");
  const auto* x = find(xs, "TikTok", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "France");
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date), "2023-03-12");
}

TEST_F(FramesLang, FrenchPassiveWithAgent) {
  auto xs = run("L'application DeepSeek a été bloquée par la CNIL la semaine dernière.");
  const auto* x = find(xs, "DeepSeek", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "French Data Protection Authority (CNIL)");
}

TEST_F(FramesLang, FrenchNegationAndConsideration) {
  auto negated = run("Le gouvernement français n'a pas interdit Huawei dans les réseaux 5G.");
  EXPECT_EQ(find(negated, "Huawei", "ban"), nullptr) << dump(negated);
  auto weighed = run("Le gouvernement français envisage de bannir Huawei des réseaux 5G.");
  const auto* x = find(weighed, "Huawei", "ban");
  ASSERT_NE(x, nullptr) << dump(weighed);
  EXPECT_EQ(x->event.status, "considering");
}

// ---- Italian -------------------------------------------------------------------------

TEST_F(FramesLang, ItalianActiveAndDate) {
  auto xs = run("Il 30 marzo 2023 il Garante per la privacy ha bloccato ChatGPT in Italia.");
  const auto* x = find(xs, "OpenAI", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Italian Data Protection Authority (Garante)");
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date), "2023-03-30");
}

TEST_F(FramesLang, ItalianNominalInvestigation) {
  auto xs = run("L'Antitrust italiano ha avviato un'istruttoria nei confronti di TikTok per i contenuti pericolosi.");
  const auto* x = find(xs, "TikTok", "investigation");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Italian Competition Authority");
}

TEST_F(FramesLang, ItalianNegation) {
  auto xs = run("Il governo italiano non ha vietato Hikvision negli edifici pubblici.");
  EXPECT_EQ(find(xs, "Hikvision", "ban"), nullptr) << dump(xs);
}

// ---- Spanish ---------------------------------------------------------------------------

TEST_F(FramesLang, SpanishNominalAfterADirective) {
  auto xs = run("La Agencia Española de Protección de Datos ha ordenado la suspensión de Worldcoin en España.");
  const auto* x = find(xs, "Worldcoin", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Spanish Data Protection Agency (AEPD)");
}

TEST_F(FramesLang, SpanishInvestigationAndDate) {
  auto xs = run("El 20 de febrero de 2024 la Comisión Europea abrió una investigación contra Temu.");
  const auto* x = find(xs, "Temu", "investigation");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "European Commission");
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date), "2024-02-20");
}

TEST_F(FramesLang, SpanishNegation) {
  auto xs = run("El Gobierno español no ha prohibido Huawei en las redes de la Policía.");
  EXPECT_EQ(find(xs, "Huawei", "ban"), nullptr) << dump(xs);
}

// ---- Polish ------------------------------------------------------------------------------

TEST_F(FramesLang, PolishInflectedVendorAndActor) {
  auto xs = run("Komisja Europejska wszczęła postępowanie przeciwko TikTokowi w sprawie ochrony nieletnich.");
  const auto* x = find(xs, "TikTok", "investigation");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "European Commission");
}

TEST_F(FramesLang, PolishObjectBeforeTheVerbAndDate) {
  auto xs = run("W dniu 3 lutego 2025 r. Huaweia wykluczył z przetargu Urząd Komunikacji Elektronicznej.");
  const auto* x = find(xs, "Huawei", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Polish Office of Electronic Communications");
  ASSERT_TRUE(x->event.event_date.has_value());
  EXPECT_EQ(format_precise(*x->event.event_date), "2025-02-03");
}

TEST_F(FramesLang, PolishPlanCue) {
  auto xs = run("Rząd polski planuje zakaz używania DeepSeeka w administracji.");
  const auto* x = find(xs, "DeepSeek", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Poland");
  EXPECT_EQ(x->event.status, "proposed");
}

// ---- language selection ---------------------------------------------------------------------

// A participle agrees with its patient: the lexicon lists one form and its
// endings (`endings:`) give the others.
TEST_F(FramesLang, ParticipleAgreementReadsEveryEnding) {
  const auto fr = run("Depuis lundi, Telegram et Signal sont désormais proscrits en Suisse.", "fr");
  ASSERT_NE(find(fr, "Telegram", "ban"), nullptr) << dump(fr);
  EXPECT_EQ(find(fr, "Signal", "ban")->event.actor, "Switzerland");
  const auto it = run("Da ieri WeChat e Telegram sono vietate nella pubblica amministrazione in Italia.", "it");
  EXPECT_NE(find(it, "WeChat", "ban"), nullptr) << dump(it);
  const auto es = run("Las aplicaciones Telegram y WeChat fueron bloqueadas en Venezuela durante un mes.", "es");
  EXPECT_NE(find(es, "Telegram", "ban"), nullptr) << dump(es);
}

// Advice in another language is the adviser's warning too.
TEST_F(FramesLang, FrenchAdviceIsAWarning) {
  const auto xs = run("La Commission européenne exhorte les opérateurs à exclure ZTE de leurs réseaux.", "fr");
  const auto* x = find(xs, "ZTE", "warning");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "ZTE", "ban"), nullptr) << dump(xs);
}

// German and Austrian states act in their own right, named in German.
TEST_F(FramesLang, GermanAndAustrianStatesAreActors) {
  const auto a =
      run("Seit Montag verbietet die Steiermark WeChat auf den Dienstgeräten ihrer Landesbediensteten.", "de");
  const auto* x = find(a, "WeChat", "ban");
  ASSERT_NE(x, nullptr) << dump(a);
  EXPECT_EQ(x->event.actor, "Styria");
  const auto b = run("Bayern hat Telegram auf Dienstgeräten untersagt.", "de");
  ASSERT_NE(find(b, "Telegram", "ban"), nullptr) << dump(b);
  EXPECT_EQ(find(b, "Telegram", "ban")->event.actor, "Bavaria");
}

TEST_F(FramesLang, FrenchPassiveTakesThePlaceItAppliesIn) {
  const auto xs = run("Depuis janvier, WeChat et WhatsApp sont interdits dans l'armée suisse.", "fr");
  const auto* x = find(xs, "WhatsApp", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Swiss Armed Forces");
}

TEST_F(FramesLang, EnglishPatternsDoNotReadOtherLanguages) {
  // Forced to German, an English sentence gives no event (its words are not
  // in the German lexicon and the English patterns are not run).
  auto xs = run("The FCC banned Huawei from U.S. networks.", "de");
  EXPECT_TRUE(xs.empty()) << dump(xs);
  auto en = run("The FCC banned Huawei from U.S. networks.");
  EXPECT_NE(find(en, "Huawei", "ban"), nullptr) << dump(en);
}

TEST_F(FramesLang, UnknownLanguageGivesNoEvents) {
  auto xs = run("Het ministerie heeft TikTok verboden op werktelefoons.", "nl");
  EXPECT_TRUE(xs.empty()) << dump(xs);
}

// ---- rules check on a language file ---------------------------------------------------------

TEST(FramesLangCheck, ReportsFileLineAndKeyOfABadLanguageFile) {
  const fs::path dir = fs::temp_directory_path() / ("banwatch-frames-lang-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "vendors.yaml") << "vendors:\n  - name: Kaspersky\n";
    std::ofstream(dir / "frames-de.yaml") << "frames:\n"
                                             "  language: de\n"
                                             "  triggers:\n"
                                             "    - action: ban\n"
                                             "      verbs: [verbietet]\n"
                                             "  word_order: {objects_before_verb: yes please}\n";
  }
  const auto report = RuleEngine::check(dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(report.problems.empty());
  const std::string& p = report.problems.front();
  EXPECT_NE(p.find("frames-de.yaml:6"), std::string::npos) << p;
  EXPECT_NE(p.find("objects_before_verb"), std::string::npos) << p;
}

TEST(FramesLangCheck, ReportsAnEndingsGroupOfOne) {
  const fs::path dir = fs::temp_directory_path() / ("banwatch-frames-lang-end-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "vendors.yaml") << "vendors:\n  - name: Kaspersky\n";
    std::ofstream(dir / "frames-it.yaml") << "frames:\n"
                                             "  language: it\n"
                                             "  endings: [[o, a], [i]]\n";
  }
  const auto report = RuleEngine::check(dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(report.problems.empty());
  const std::string& p = report.problems.front();
  EXPECT_NE(p.find("frames-it.yaml:3"), std::string::npos) << p;
  EXPECT_NE(p.find("endings"), std::string::npos) << p;
}

TEST(FramesLangCheck, ReportsAnUnknownKeyInALanguageFile) {
  const fs::path dir = fs::temp_directory_path() / ("banwatch-frames-lang-key-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "vendors.yaml") << "vendors:\n  - name: Kaspersky\n";
    std::ofstream(dir / "frames-fr.yaml") << "frames:\n"
                                             "  language: fr\n"
                                             "  auxilaires: [est]\n";
  }
  const auto report = RuleEngine::check(dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(report.problems.empty());
  const std::string& p = report.problems.front();
  EXPECT_NE(p.find("frames-fr.yaml:3"), std::string::npos) << p;
  EXPECT_NE(p.find("auxilaires"), std::string::npos) << p;
}

TEST_F(FramesLang, ElidedWordsStandApart) {
  // "l'istruttoria", "dall'Autorità": the article or preposition leans on the
  // next word but reads as its own (a determiner, an agent marker).
  auto xs = run("Una nuova istruttoria è stata aperta dall'AGCM nei confronti di Shein per le sue promesse ambientali.",
                "it");
  const auto* x = find(xs, "Shein", "investigation");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Italian Competition Authority");
  auto ys = run("L'ANSSI a ouvert l'enquête contre Hikvision au printemps.", "fr");
  ASSERT_NE(find(ys, "Hikvision", "investigation"), nullptr) << dump(ys);
}

TEST_F(FramesLang, FrenchNominalWithItsSupportPassive) {
  auto xs =
      run("Des procédures ont été ouvertes par la Commission européenne contre AliExpress et Temu l'an dernier.", "fr");
  ASSERT_NE(find(xs, "AliExpress", "investigation"), nullptr) << dump(xs);
  const auto* x = find(xs, "Temu", "investigation");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "European Commission");
}

TEST_F(FramesLang, OrderToTheVendorToStopInEachLanguage) {
  struct Case {
    const char* lang;
    const char* text;
  };
  for (const Case& c : {
           Case{"es", "La AEPD ha obligado a Worldcoin a suspender su actividad en todo el país."},
           Case{"it", "Il Garante ha ordinato a Worldcoin di sospendere la raccolta delle iridi in Italia."},
           Case{"fr", "La CNIL a mis en demeure Worldcoin de cesser toute collecte en France."},
           Case{"de", "Das BSI hat Worldcoin angewiesen, den Betrieb in Deutschland sofort einzustellen."},
           Case{"pl", "UODO nakazał spółce Worldcoin wstrzymać skanowanie tęczówek w Polsce."},
       }) {
    auto xs = run(c.text, c.lang);
    const auto* x = find(xs, "Worldcoin", "ban");
    ASSERT_NE(x, nullptr) << c.lang << "\n" << dump(xs);
    EXPECT_EQ(x->event.rule_id, "frame.ban.order") << c.lang;
  }
}

TEST_F(FramesLang, ListAfterAMeasureInAnotherLanguage) {
  auto xs =
      run("Il governo indiano ha bloccato altre 40 applicazioni per motivi di sicurezza. "
          "Le applicazioni bloccate includono WeChat e Weibo, molto usate dagli studenti.",
          "it");
  ASSERT_NE(find(xs, "WeChat", "ban"), nullptr) << dump(xs);
  ASSERT_NE(find(xs, "Weibo", "ban"), nullptr) << dump(xs);
}

// A month and its year with no day, in each language, is the act's month; a
// year after "since" ("dès", "seit", "desde") is its year.
TEST_F(FramesLang, MonthAndYearWithoutADayInEachLanguage) {
  struct Case {
    const char* lang;
    const char* text;
    const char* vendor;
    const char* date;
  };
  for (const Case& c : {
           Case{"de", "Im Oktober 2021 hat die Bundesregierung Huawei aus dem Kernnetz verbannt.", "Huawei", "2021-10"},
           Case{"fr", "En novembre 2020, le gouvernement français a interdit Huawei dans le cœur du réseau.", "Huawei",
                "2020-11"},
           Case{"it", "Nel febbraio 2019 il governo italiano ha escluso Huawei dalle gare pubbliche.", "Huawei",
                "2019-02"},
           Case{"es", "El gobierno español prohibió Huawei en septiembre de 2020 en las redes del Estado.", "Huawei",
                "2020-09"},
           Case{"pl", "Polski rząd zakazał Huawei w listopadzie 2020 r. w sieciach administracji.", "Huawei",
                "2020-11"},
           Case{"fr", "Le gouvernement néerlandais a proscrit Kaspersky dans ses ministères dès 2018.", "Kaspersky",
                "2018"},
       }) {
    auto xs = run(c.text, c.lang);
    const auto* x = find(xs, c.vendor, "ban");
    ASSERT_NE(x, nullptr) << c.lang << ": " << c.text << "\n" << dump(xs);
    ASSERT_TRUE(x->event.event_date.has_value()) << c.text;
    EXPECT_EQ(format_precise(*x->event.event_date), c.date) << c.text;
  }
}

TEST_F(FramesLang, VendorOfAnUnreadSentenceIsReferredToLater) {
  // The vendor is named in a sentence with no action word; the measure in the
  // next one refers to it ("die Software", "el software", "il servizio").
  struct Case {
    const char* lang;
    const char* text;
    const char* vendor;
    const char* action;
  };
  for (const Case& c : {
           Case{"de", "Kaspersky verkauft Virenschutz in vielen Ländern. Das BSI warnt vor dem Einsatz der Software.",
                "Kaspersky", "warning"},
           Case{"es", "Muchos hogares usan Kaspersky desde hace años. El software fue prohibido en Lituania.",
                "Kaspersky", "ban"},
           Case{"it", "Molti uffici usano ancora Telegram. Il servizio è stato bloccato in Russia.", "Telegram", "ban"},
           Case{"fr",
                "China Telecom exploite des lignes depuis vingt ans. La FCC a ouvert une enquête sur "
                "l'opérateur en 2020.",
                "China Telecom", "investigation"},
       }) {
    auto xs = run(c.text, c.lang);
    ASSERT_NE(find(xs, c.vendor, c.action), nullptr) << c.lang << "\n" << dump(xs);
  }
}

TEST_F(FramesLang, PassiveWithItsSubjectAfterTheParticiple) {
  // Romance and Polish passives often put their subject last.
  auto xs = run("Il governo italiano ha deciso che sarà vietato l'uso di TikTok sui telefoni dei dipendenti.", "it");
  ASSERT_NE(find(xs, "TikTok", "ban"), nullptr) << dump(xs);
  auto ys = run("Polski rząd zdecydował, że do 2027 roku ma zostać wycofany cały sprzęt ZTE.", "pl");
  ASSERT_NE(find(ys, "ZTE", "remove_or_replace"), nullptr) << dump(ys);
  // An agent after the participle is no subject.
  auto zs = run("El Gobierno español informó que fue bloqueado por Huawei el acceso a los datos.", "es");
  EXPECT_EQ(find(zs, "Huawei", "ban"), nullptr) << dump(zs);
}

TEST_F(FramesLang, GenericListBeforeItsVerbAtTheClauseEnd) {
  // German puts the participle last: "auf die schwarze Liste gesetzt".
  auto xs = run("Im Mai hat die US-Regierung den Drohnenhersteller DJI auf eine schwarze Liste gesetzt.", "de");
  ASSERT_NE(find(xs, "DJI", "list_addition"), nullptr) << dump(xs);
  // A list with no list verb near it stays no listing.
  auto ys = run("Die Liste der Kunden von DJI ist lang, sagte die US-Regierung.", "de");
  EXPECT_EQ(find(ys, "DJI", "list_addition"), nullptr) << dump(ys);
}

TEST_F(FramesLang, VerbFinalPassiveWithItsAgentBeforeTheParticiple) {
  // German closes the clause with the participle, so the agent ("von der
  // Bundesregierung") or the place ("in den USA") stands between the vendor
  // and it.
  auto xs = run("Die App TikTok wurde am Montag von der Bundesregierung auf Dienstgeräten verboten.", "de");
  const auto* x = find(xs, "TikTok", "ban");
  ASSERT_NE(x, nullptr) << dump(xs);
  EXPECT_EQ(x->event.actor, "Germany");
  auto ys = run("Der Vertrieb von Kaspersky wird in den USA ab September untersagt.", "de");
  const auto* y = find(ys, "Kaspersky", "ban");
  ASSERT_NE(y, nullptr) << dump(ys);
  EXPECT_EQ(y->event.actor, "United States");
}

TEST_F(FramesLang, MeasureLeftOutAfterWithoutInEachLanguage) {
  // "without banning X": the action word right after the word for "without" is a measure not taken.
  struct Case {
    const char* lang;
    const char* left_out;
    const char* taken;
  };
  for (const Case& c : {
           Case{"de", "Das BSI hat die Ausschreibung ohne ein Verbot von Huawei veröffentlicht.",
                "Das BSI hat ein Verbot von Huawei veröffentlicht."},
           Case{"it", "Il Garante ha chiuso l'istruttoria senza vietare DeepSeek.", "Il Garante ha vietato DeepSeek."},
           Case{"es", "La AEPD cerró el expediente sin prohibir Worldcoin.", "La AEPD ha prohibido Worldcoin."},
           Case{"pl", "UODO zamknął sprawę bez zakazu dla Worldcoin.", "UODO wydał zakaz dla Worldcoin."},
       }) {
    EXPECT_TRUE(run(c.left_out, c.lang).empty()) << c.lang << "\n" << dump(run(c.left_out, c.lang));
    EXPECT_FALSE(run(c.taken, c.lang).empty()) << c.lang;
  }
}

// A vendor unblocked or struck off a list is a lifting in each language.
TEST_F(FramesLang, UnblockedOrStruckOffInEachLanguage) {
  struct Case {
    const char* lang;
    const char* text;
    const char* vendor;
  };
  for (const Case& c : {
           Case{"de", "Das Handelsministerium hat ZTE von der Entity List gestrichen.", "ZTE"},
           Case{"fr", "Le département du Commerce a radié ZTE de la liste.", "ZTE"},
           Case{"es", "Rusia desbloqueó Telegram el jueves.", "Telegram"},
           Case{"it", "La Russia ha sbloccato Telegram giovedì.", "Telegram"},
           Case{"pl", "Rosja odblokowała Telegram w czwartek.", "Telegram"},
       }) {
    auto xs = run(c.text, c.lang);
    ASSERT_NE(find(xs, c.vendor, "lift_ban"), nullptr) << c.lang << "\n" << dump(xs);
  }
}

// An organisation's own purchases suspended, in another language.
TEST_F(FramesLang, OwnPurchasesSuspendedInAnotherLanguage) {
  auto xs = run("La Germania ha sospeso gli acquisti di apparecchiature ZTE.", "it");
  ASSERT_NE(find(xs, "ZTE", "stop_using"), nullptr) << dump(xs);
}

// A ban ended ("beendete das Verbot") is a lifting: the verb that ends a
// partnership, governing a ban, takes the measure away.
TEST_F(FramesLang, ABanEndedIsALiftingInAnotherLanguage) {
  auto xs = run("Das Handelsministerium beendete im Mai das Verbot gegen Huawei.", "de");
  ASSERT_NE(find(xs, "Huawei", "lift_ban"), nullptr) << dump(xs);
  EXPECT_EQ(find(xs, "Huawei", "ban"), nullptr) << dump(xs);
}

// Polish puts a noun's object in the genitive, with no preposition: "zakaz
// TikToka", "wykluczenie firmy ZTE" (word_order: genitive_objects).
TEST_F(FramesLang, GenitiveObjectOfAMeasureNounInPolish) {
  auto xs = run("Ministerstwo Cyfryzacji zapowiedziało zakaz TikToka na służbowych telefonach.", "pl");
  ASSERT_NE(find(xs, "TikTok", "ban"), nullptr) << dump(xs);
  xs = run("Urząd Komunikacji Elektronicznej ogłosił wykluczenie Huaweia z przetargów na sieć 5G.", "pl");
  ASSERT_NE(find(xs, "Huawei", "ban"), nullptr) << dump(xs);
  // Past a comma the name is no object of the measure.
  EXPECT_TRUE(run("Urząd Komunikacji Elektronicznej omawiał zakaz, Huawei milczy.", "pl").empty());
}

// "took the decision on a ban": the measure after a noun of deciding and its
// preposition is the decider's own, in each language that writes it so.
TEST_F(FramesLang, DecisionOnAMeasureIsTheDecidersOwn) {
  struct Case {
    const char* lang;
    const char* text;
    const char* vendor;
  };
  for (const Case& c : {
           Case{"pl", "Urząd Komunikacji Elektronicznej podjął decyzję o zakazie stosowania urządzeń ZTE.", "ZTE"},
           Case{"de", "Die Bundesnetzagentur fasste einen Beschluss über ein Verbot von ZTE.", "ZTE"},
       }) {
    auto xs = run(c.text, c.lang);
    ASSERT_NE(find(xs, c.vendor, "ban"), nullptr) << c.lang << "\n" << dump(xs);
  }
}

// Word families: the tenses, persons and genders a news writer uses, not
// only the one form a text showed.
TEST_F(FramesLang, InflectedFormsOfEachActionInSpanishItalianAndPolish) {
  struct Case {
    const char* lang;
    const char* text;
    const char* vendor;
    const char* action;
  };
  for (const Case& c : {
           Case{"pl", "Ministerstwo Cyfryzacji zniosło zakaz dla TikToka.", "TikTok", "lift_ban"},
           Case{"pl", "UODO wszczęło postępowanie w sprawie ChatGPT.", "OpenAI", "investigation"},
           Case{"pl", "Ministerstwo Cyfryzacji ostrzegło urzędników przed aplikacją DeepSeek.", "DeepSeek", "warning"},
           Case{"pl", "Ministerstwo Obrony Narodowej usunęło kamery Hikvision z jednostek.", "Hikvision",
                "remove_or_replace"},
           Case{"es", "La Comisión Europea investigará a Temu por sus prácticas.", "Temu", "investigation"},
           Case{"es", "Las autoridades rusas levantaron el bloqueo de Telegram.", "Telegram", "lift_ban"},
           Case{"es", "El Gobierno de España retirará los equipos de Huawei de sus redes.", "Huawei",
                "remove_or_replace"},
           Case{"it", "Il Garante indagherà su DeepSeek nelle prossime settimane.", "DeepSeek", "investigation"},
           Case{"it", "Il Garante revocò il blocco di ChatGPT a fine aprile.", "OpenAI", "lift_ban"},
           Case{"it", "Il governo britannico sostituì le apparecchiature Huawei entro il 2027.", "Huawei",
                "remove_or_replace"},
       }) {
    auto xs = run(c.text, c.lang);
    ASSERT_NE(find(xs, c.vendor, c.action), nullptr) << c.lang << ": " << c.text << "\n" << dump(xs);
  }
}

// "received complaints about X and opened an inquiry": a measure with an agent
// and no object, joined by a conjunction to the predicate that named the
// vendor, is about that vendor.
TEST_F(FramesLang, MeasureJoinedToThePredicateThatNamedTheVendor) {
  auto xs = run("Il Garante ha ricevuto reclami su Replika e ha avviato un'istruttoria.", "it");
  ASSERT_NE(find(xs, "Replika", "investigation"), nullptr) << dump(xs);
  // Another vendor after the measure is its own object.
  xs = run("Il Garante ha ricevuto reclami su Replika e ha avviato un'istruttoria su DeepSeek.", "it");
  EXPECT_EQ(find(xs, "Replika", "investigation"), nullptr) << dump(xs);
}

}  // namespace
}  // namespace banwatch::rules
