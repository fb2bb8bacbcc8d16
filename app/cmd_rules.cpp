// banwatch rules check [--rules DIR]: load, validate and compile the rule
// pack, reporting every problem.
// banwatch rules test (--text T | --file F | -) [--lang L] [--published DATE] [--json]
// [--explain]: the events the rule pack reads out of a text.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/app.h"
#include "app/input.h"
#include "common/time.h"
#include "parsers/dates.h"
#include "parsers/language.h"
#include "parsers/rules.h"

namespace banwatch::app {
namespace {

constexpr std::size_t kMaxTextBytes = 32u << 20;

struct RulesCheckOptions {
  std::string rules;
};

struct RulesTestOptions {
  std::string rules;
  std::string text;
  std::string file;
  std::string input;  // "-" for standard input
  std::string published;
  std::string lang;  // ISO 639-1; "" = detected from the text
  bool json = false;
  bool explain = false;
};

Result<std::string> resolve_rules(Context& ctx, const std::string& given) {
  if (!given.empty()) return given;
  return ctx.rules_path();
}

Result<std::string> read_text(const RulesTestOptions& o) {
  int sources = (!o.text.empty()) + (!o.file.empty()) + (!o.input.empty());
  if (sources != 1) return fail(ErrorCode::kInvalidArgument, "rules test: give exactly one of --text, --file or -");
  if (!o.text.empty()) return o.text;
  return read_input(o.file.empty() ? o.input : o.file, kMaxTextBytes, "text");
}

nlohmann::json event_json(const rules::Extraction& x, std::string_view text, bool explain) {
  const auto& e = x.event;
  nlohmann::json j = {
      {"actor", e.actor},
      {"actor_type", e.actor_type},
      {"vendor", e.vendor},
      {"action", e.action},
      {"status", e.status},
      {"scope", e.scope},
      {"event_date", e.event_date ? nlohmann::json(format_precise(*e.event_date)) : nlohmann::json(nullptr)},
      {"event_date_precision",
       e.event_date ? nlohmann::json(to_string(e.event_date->precision)) : nlohmann::json(nullptr)},
      {"evidence", e.evidence},
      {"rule", e.rule_id},
      {"rule_pack_version", e.rule_pack_version},
      {"confidence", e.confidence},
  };
  if (explain && x.explanation) {
    const auto& ex = *x.explanation;
    std::string_view sentence = text.substr(x.sentence_begin, x.sentence_end - x.sentence_begin);
    std::string span(sentence.substr(std::min(ex.match_begin, sentence.size()),
                                     ex.match_end > ex.match_begin ? ex.match_end - ex.match_begin : 0));
    j["explain"] = {{"rule", ex.rule_id},        {"match", span},         {"match_begin", ex.match_begin},
                    {"match_end", ex.match_end}, {"actor", ex.actor_how}, {"vendor", ex.vendor_how},
                    {"date", ex.date_how}};
  }
  return j;
}

int run_rules_check(Context& ctx, const RulesCheckOptions& opts) {
  auto path = resolve_rules(ctx, opts.rules);
  if (!path) return ctx.report(path.error());
  auto report = rules::RuleEngine::check(*path);
  for (const auto& w : report.warnings) std::cerr << "banwatch: warning: " << w << "\n";
  if (!report.problems.empty()) {
    for (const auto& p : report.problems) std::cerr << "banwatch: " << p << "\n";
    std::cerr << fmt::format("banwatch: rule pack {}: {} problem{}\n", *path, report.problems.size(),
                             report.problems.size() == 1 ? "" : "s");
    return kExitUsage;
  }
  std::cout << fmt::format("rule pack {}: ok, version {}, {} rules, {} vendors, {} actors, {} warnings\n", *path,
                           report.version, report.rules, report.vendors, report.actors, report.warnings.size());
  return kExitOk;
}

int run_rules_test(Context& ctx, const RulesTestOptions& opts) {
  auto text = read_text(opts);
  if (!text) return ctx.report(text.error());
  rules::ExtractContext context;
  context.explain = opts.explain;
  if (!opts.lang.empty()) {
    const std::string code = language::normalize(opts.lang);
    if (code.empty())
      return ctx.report(Error(ErrorCode::kInvalidArgument,
                              "rules test: --lang " + opts.lang + " is not a language code (en, de, fr, ...)"));
    context.language = code;
  } else {
    context.language = language::detect(*text);
  }
  if (!opts.published.empty()) {
    auto published = parse_precise(opts.published);
    if (!published) published = dates::parse_date(opts.published);
    if (!published)
      return ctx.report(
          Error(ErrorCode::kInvalidArgument, "rules test: --published " + opts.published + " is not a date"));
    context.published = published;
  }
  auto path = resolve_rules(ctx, opts.rules);
  if (!path) return ctx.report(path.error());
  auto engine = rules::RuleEngine::load(*path);
  if (!engine) return ctx.report(engine.error());
  auto extractions = (*engine)->extract(*text, context);
  if (opts.json) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& x : extractions) events.push_back(event_json(x, *text, opts.explain));
    nlohmann::json out = {
        {"events", std::move(events)}, {"rule_pack_version", (*engine)->version()}, {"language", *context.language}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  if (opts.explain) std::cout << "language: " << *context.language << (opts.lang.empty() ? " (detected)\n" : "\n");
  if (extractions.empty()) std::cout << "no events\n";
  for (const auto& x : extractions) {
    const auto& e = x.event;
    std::cout << fmt::format("{} ({}) {} {} [{}] {}{}\n", e.actor, e.actor_type, e.action, e.vendor, e.status,
                             e.event_date ? format_precise(*e.event_date) : "undated",
                             e.scope.empty() ? "" : " scope: " + e.scope);
    std::cout << fmt::format("  evidence: {}\n  rule: {}  confidence: {:.2f}\n", e.evidence, e.rule_id, e.confidence);
    if (opts.explain && x.explanation) {
      const auto& ex = *x.explanation;
      std::string_view sentence = std::string_view(*text).substr(x.sentence_begin, x.sentence_end - x.sentence_begin);
      std::cout << fmt::format("  match:  \"{}\"\n  actor:  {}\n  vendor: {}\n  date:   {}\n",
                               sentence.substr(std::min(ex.match_begin, sentence.size()),
                                               ex.match_end > ex.match_begin ? ex.match_end - ex.match_begin : 0),
                               ex.actor_how, ex.vendor_how, ex.date_how);
    }
  }
  return kExitOk;
}

}  // namespace

void add_rules_commands(CLI::App& app, Context& ctx) {
  auto* rules_cmd = app.add_subcommand("rules", "Check the rule pack and try it on text");
  rules_cmd->require_subcommand(1);

  auto [check_cmd, check] = add_command<RulesCheckOptions>(
      *rules_cmd, ctx, "check", "Load, validate and compile the rule pack; report every problem", run_rules_check);
  check_cmd->add_option("--rules", check->rules, "Rule pack directory or file (default: the configuration's)")
      ->type_name("DIR");

  auto [test_cmd, test] = add_command<RulesTestOptions>(
      *rules_cmd, ctx, "test", "Print the events the rule pack finds in a text", run_rules_test);
  test_cmd->add_option("--text", test->text, "The text itself")->type_name("TEXT");
  test_cmd->add_option("--file", test->file, "A file holding the text (paragraphs separated by blank lines)")
      ->type_name("FILE");
  test_cmd->add_option("input", test->input, "\"-\" to read the text from standard input");
  test_cmd->add_option("--lang", test->lang, "The text's language (en, de, fr, it, es, pl); detected when not given");
  test_cmd->add_option("--published", test->published, "The article's published date, for relative dates")
      ->type_name("DATE");
  test_cmd->add_option("--rules", test->rules, "Rule pack directory or file (default: the configuration's)")
      ->type_name("DIR");
  test_cmd->add_flag("--json", test->json, "Print {\"events\":[...]}");
  test_cmd->add_flag("--explain", test->explain,
                     "Show the rule, the matched span and how actor, vendor and date were found");
}

}  // namespace banwatch::app
