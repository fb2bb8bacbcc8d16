// The rule engine. Per text: split into sentences; one RE2::Set pass per
// sentence finds vendor names, generic references and action triggers; only a
// sentence holding a vendor (or a reference to one named earlier in the
// paragraph) and a trigger is analysed further. There, dictionary mentions are
// replaced by tokens ("\x01A3\x02" for actor 3, "\x01V0\x02" for vendor 0) and
// the action patterns, written against that masked sentence, pick subjects and
// objects; status cues, negation, scope and date are read around the match.
//
// This file: compiling a pack into the engine (its regexes, sets and
// readers), and loading and checking packs; rules_match.cpp reads texts.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "common/text.h"
#include "parsers/rules_engine.h"

namespace banwatch::rules {
namespace internal {
namespace {

using internal::alternation;
using internal::Pack;
using internal::term_key;

// Built-in placeholders for patterns over the masked sentence.
const char* const kActorToken = "\\x01A\\d+\\x02";
const char* const kVendorToken = "\\x01[VR]\\d+\\x02";
const char* const kPossessive = "(?:'s|\xE2\x80\x99s|'|\xE2\x80\x99)";
const char* const kProper = "[A-Z][A-Za-z0-9&.\\-]*(?:\\s+(?:[A-Z][A-Za-z0-9&.\\-]*|of|de|&)){0,3}";

std::string list_of(const std::string& item) {
  std::string conj = "(?:and|or|as\\s+well\\s+as|along\\s+with|plus)";
  return item + "(?:\\s*,\\s*" + item + ")*(?:\\s*,?\\s+" + conj + "\\s+" + item + ")?";
}

std::map<std::string, std::string> builtin_placeholders() {
  std::string actor_item = std::string(kActorToken) + kPossessive + "?";
  std::string vendor_item = std::string(kVendorToken) + kPossessive + "?";
  std::map<std::string, std::string> p;
  p["ACTORS"] = "(?:(?P<actors>" + list_of(actor_item) +
                ")|(?:^|[,;:(]\\s*|\\b(?:that|but|while|when|after|as|and|Also|also)\\s+)(?P<subject>" +
                list_of(kProper) + ")(?:" + kPossessive + "(?:\\s+[A-Za-z][\\w\\-]*){1,3}?)?)";
  p["VENDORS"] = "(?P<vendors>" + list_of(vendor_item) + ")";
  // Words inside the clause; a vendor named in passing ("fined the company
  // and then barred ...") may stand among them, another actor may not.
  p["GAP"] = "(?:\\s+(?:[^\\s\\x01,;:()]+|\\x01[VR]\\d+\\x02\\S*)){0,8}?\\s+";
  p["OBJ"] = "(?:\\s+[^\\s\\x01,;:()]+){0,8}?\\s+";
  p["FAR"] = "[^;]{0,240}?";
  p["POSS"] = kPossessive;
  p["ACTOR_TOKEN"] = kActorToken;
  p["VENDOR_TOKEN"] = kVendorToken;
  return p;
}

// Expands {NAME} placeholders (user-defined first, then built-in), a few
// rounds deep so user placeholders may use others.
Result<std::string> expand(const std::string& pattern, const std::map<std::string, std::string>& user,
                           const std::map<std::string, std::string>& builtin) {
  std::string cur = pattern;
  for (int round = 0; round < 4; ++round) {
    std::string out;
    bool changed = false;
    for (std::size_t i = 0; i < cur.size();) {
      if (cur[i] == '{') {
        std::size_t close = cur.find('}', i);
        if (close != std::string::npos) {
          std::string name = cur.substr(i + 1, close - i - 1);
          bool upper = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
          });
          if (upper && !std::isdigit(static_cast<unsigned char>(name[0]))) {
            auto u = user.find(name);
            if (u != user.end()) {
              out += "(?:" + u->second + ")";
              changed = true;
            } else if (auto b = builtin.find(name); b != builtin.end()) {
              out += b->second;
              changed = true;
            } else {
              return fail(ErrorCode::kConfig, "unknown placeholder {" + name + "}");
            }
            i = close + 1;
            continue;
          }
        }
      }
      out.push_back(cur[i]);
      ++i;
    }
    cur = std::move(out);
    if (!changed) return cur;
  }
  return fail(ErrorCode::kConfig, "placeholders nest too deeply");
}

// The body of the named group `(?P<cue>...)` in an expanded pattern.
std::optional<std::string> cue_body(const std::string& pattern) {
  auto at = pattern.find("(?P<cue>");
  if (at == std::string::npos) return std::nullopt;
  std::size_t i = at + 8;
  int depth = 1;
  bool in_class = false;
  for (std::size_t j = i; j < pattern.size(); ++j) {
    char c = pattern[j];
    if (c == '\\') {
      ++j;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[')
      in_class = true;
    else if (c == '(')
      ++depth;
    else if (c == ')' && --depth == 0)
      return pattern.substr(i, j - i);
  }
  return std::nullopt;
}

std::string hex64(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 15];
  return out;
}

RE2::Options base_options(const LoadOptions& options) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(static_cast<int64_t>(options.max_regex_memory));
  return o;
}

Result<std::unique_ptr<RE2>> compile(const std::string& regex, const RE2::Options& o, const std::string& where) {
  auto re = std::make_unique<RE2>(regex, o);
  if (!re->ok()) return fail(ErrorCode::kConfig, where + ": " + re->error());
  return re;
}

// Sets `re` to compile `regex` on first use; compiles it now when `eager` (a
// check of the pack), with the error compile() would give.
Status defer(LazyRegex& re, std::string regex, const RE2::Options& o, const std::string& where, bool eager) {
  re.set(std::move(regex), o);
  if (!eager) return {};
  if (std::string error = re.compile(); !error.empty()) return fail(ErrorCode::kConfig, where + ": " + error);
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, path.string() + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return fail(ErrorCode::kIo, path.string() + ": read error");
  return buf.str();
}

// The files of a pack: every *.yaml (or *.yml) of a directory, sorted, or the
// one file named.
Result<std::vector<std::filesystem::path>> pack_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      const auto ext = it->path().extension();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) return fail(ErrorCode::kIo, path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return fail(ErrorCode::kNotFound, path + ": no *.yaml rule files");
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    return fail(ErrorCode::kNotFound, path + ": rule pack not found");
  }
  return files;
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::build(Pack pack, const LoadOptions& options,
                                              std::vector<std::string>* problems) {
  // Returns true when the build may go on after `error`.
  auto tolerate = [problems](const Error& error) {
    if (!problems) return false;
    problems->push_back(error.message);
    return true;
  };
  auto e = std::unique_ptr<Engine>(new Engine());
  e->pack_ = std::move(pack);
  Pack& p = e->pack_;
  e->version_ = p.version + "+" + hex64(p.content_hash).substr(0, 12);
  const RE2::Options o = base_options(options);
  const auto builtin = builtin_placeholders();

  // Dictionaries.
  std::vector<std::string> vendor_terms;
  for (std::size_t i = 0; i < p.vendors.size(); ++i)
    for (const auto& t : p.vendors[i].terms) {
      e->vendor_terms_.emplace(term_key(t), static_cast<int>(i));
      vendor_terms.push_back(t);
    }
  auto vre = compile(alternation(vendor_terms), o, "vendor dictionary");
  if (!vre) return std::unexpected(vre.error());
  e->vendor_re_ = std::move(*vre);
  e->vendor_starts_ = std::make_unique<internal::TermStarts>(vendor_terms);

  // A check compiles every regex now, to report every problem; a load leaves
  // what only some sentences need to their first use.
  const bool eager = problems != nullptr;
  RE2::Options ci = o;
  ci.set_case_sensitive(false);
  if (auto s = defer(e->reference_re_, alternation(p.references), ci, "references", eager); !s)
    return std::unexpected(s.error());

  std::vector<std::string> body_terms, country_forms, country_adjs;
  for (std::size_t i = 0; i < p.actors.size(); ++i) {
    const auto& a = p.actors[i];
    for (const auto& f : a.forms) {
      if (a.is_country) {
        e->country_forms_.emplace(term_key(f), static_cast<int>(i));
        country_forms.push_back(f);
      } else {
        e->body_terms_.emplace(term_key(f), static_cast<int>(i));
        body_terms.push_back(f);
      }
    }
    for (const auto& adj : a.adjectives) {
      e->adjective_words_.insert(term_key(adj));
      e->country_adjectives_.emplace(term_key(adj), static_cast<int>(i));
      country_adjs.push_back(adj);
    }
    for (const auto& d : a.demonyms) e->adjective_words_.insert(term_key(d));
  }
  for (const auto& w : p.not_actors) e->not_actors_.insert(term_key(w));
  for (const auto& h : p.regulator_heads) e->regulator_heads_.insert(term_key(h));
  for (const auto& h : p.court_heads) e->court_heads_.insert(term_key(h));
  for (const auto& w : p.head_modifiers) e->head_modifiers_.insert(term_key(w));
  std::vector<std::string> heads = p.government_heads;
  heads.insert(heads.end(), p.regulator_heads.begin(), p.regulator_heads.end());
  heads.insert(heads.end(), p.court_heads.begin(), p.court_heads.end());
  const std::string heads_alt = internal::alternation(heads);
  const std::string poss = kPossessive;

  const std::string body_alternation = alternation(body_terms);
  const std::string body_pattern = "(?:[Tt]he\\s+)?(" + body_alternation + ")(?:\\s*\\(([A-Z][A-Za-z.&]{1,12})\\))?";
  if (auto s = defer(e->body_re_, body_pattern, o, "body dictionary", eager); !s) return std::unexpected(s.error());
  // match_body() reads group 1 with this when no term starts with whitespace
  // (which could take back part of the "The\s+" before it).
  if (std::none_of(body_terms.begin(), body_terms.end(), [](const std::string& t) {
        return !t.empty() && std::isspace(static_cast<unsigned char>(t.front()));
      })) {
    if (auto s = defer(e->body_terms_re_, body_alternation, o, "body dictionary", eager); !s)
      return std::unexpected(s.error());
    e->body_starts_ = std::make_unique<internal::TermStarts>(body_terms);
  }
  // Country forms, optionally with a head noun ("Italy's public authorities",
  // "the U.S. government"); adjectives only with one ("Italian agencies").
  std::string head_tail = "(?:\\s+[a-z][a-z\\-]*){0,3}?\\s+" + heads_alt;
  const std::string country_alternation = alternation(country_forms) + "|" + alternation(country_adjs);
  const std::string country_pattern = "(?:[Tt]he\\s+)?(?:(" + alternation(country_forms) + ")(" + poss + "?" +
                                      head_tail + ")?|(" + alternation(country_adjs) + ")(" + head_tail +
                                      "))(?:\\s*\\(([A-Z][A-Za-z.&]{1,12})\\))?";
  if (auto s = defer(e->country_re_, country_pattern, o, "country dictionary", eager); !s)
    return std::unexpected(s.error());
  if (std::none_of(country_forms.begin(), country_forms.end(), [](const std::string& t) {
        return !t.empty() && std::isspace(static_cast<unsigned char>(t.front()));
      })) {
    // The forms alone, for match_country() and scan().
    if (auto s = defer(e->country_forms_re_, alternation(country_forms), o, "country dictionary", eager); !s)
      return std::unexpected(s.error());
    if (auto s = defer(e->country_tail_re_, poss + "?" + head_tail, o, "country dictionary", eager); !s)
      return std::unexpected(s.error());
    std::vector<std::string> country_words = country_forms;
    country_words.insert(country_words.end(), country_adjs.begin(), country_adjs.end());
    e->country_starts_ = std::make_unique<internal::TermStarts>(country_words);
  }
  const std::string appositive_pattern = "(" + alternation(p.appositive_heads) + ")\\s+(" + kProper + ")";
  if (auto s = defer(e->appositive_re_, appositive_pattern, o, "appositive heads", eager); !s)
    return std::unexpected(s.error());

  // Cues.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> grouped;
  for (const auto& c : p.cues) {
    RE2 probe(c.regex, o);
    if (!probe.ok()) {
      Error error(ErrorCode::kConfig, c.origin.str() + ": " + c.kind + " cue '" + c.regex + "': " + probe.error());
      if (tolerate(error)) continue;
      return std::unexpected(error);
    }
    grouped[{c.language.empty() ? c.kind : c.language + ":" + c.kind, c.where}].push_back(c.regex);
  }
  for (auto& [key, list] : grouped) {
    std::string alt;
    for (const auto& r : list) alt += (alt.empty() ? "" : "|") + std::string("(?:") + r + ")";
    auto re = compile(alt, o, key.first + " cues");
    if (!re) return std::unexpected(re.error());
    auto& slot = key.second == "before"   ? e->cues_[key.first].before
                 : key.second == "prefix" ? e->cues_[key.first].prefix
                                          : e->cues_[key.first].sentence;
    slot = std::move(*re);
  }
  for (const auto& s : p.scopes) {
    auto re = compile(s, o, "scope '" + s + "'");
    if (!re) {
      if (tolerate(re.error())) continue;
      return std::unexpected(re.error());
    }
    if ((*re)->NumberOfCapturingGroups() < 1) {
      Error error(ErrorCode::kConfig, "scope '" + s + "' needs one capturing group");
      if (tolerate(error)) continue;
      return std::unexpected(error);
    }
    e->scopes_.push_back(std::move(*re));
  }

  // Rules.
  std::map<std::string, int> trigger_ids;
  for (const auto& def : p.rules) {
    const std::string where = def.origin.str() + ": rule '" + def.id + "'";
    auto compiled = [&]() -> Result<std::pair<internal::CompiledRule, std::string>> {
      auto expanded = expand(def.pattern, p.placeholders, builtin);
      if (!expanded) return std::unexpected(expanded.error().with_context(where));
      internal::CompiledRule rule;
      rule.def = &def;
      auto re = compile(*expanded, o, where);
      if (!re) return std::unexpected(re.error());
      rule.re = std::move(*re);
      const auto& groups = rule.re->NamedCapturingGroups();
      auto group = [&](const char* name) {
        auto it = groups.find(name);
        return it == groups.end() ? -1 : it->second;
      };
      rule.actors_group = group("actors");
      rule.vendors_group = group("vendors");
      rule.cue_group = group("cue");
      if (rule.vendors_group < 0) return fail(ErrorCode::kConfig, where + ": pattern has no {VENDORS}");
      if (rule.actors_group < 0) return fail(ErrorCode::kConfig, where + ": pattern has no {ACTORS}");
      if (rule.cue_group < 0) return fail(ErrorCode::kConfig, where + ": pattern has no (?P<cue>...) group");
      std::string trigger = def.trigger;
      if (trigger.empty()) {
        auto body = cue_body(*expanded);
        if (!body) return fail(ErrorCode::kConfig, where + ": cannot derive a trigger from the cue group");
        trigger = *body;
      }
      RE2 probe(trigger, o);
      if (!probe.ok()) return fail(ErrorCode::kConfig, where + ": trigger: " + probe.error());
      return std::make_pair(std::move(rule), trigger);
    }();
    if (!compiled) {
      if (tolerate(compiled.error())) continue;
      return std::unexpected(compiled.error());
    }
    internal::CompiledRule rule = std::move(compiled->first);
    if (!def.unless.empty()) {
      auto unless = compile(def.unless, o, where + ": unless");
      if (!unless) {
        if (tolerate(unless.error())) continue;
        return std::unexpected(unless.error());
      }
      rule.unless = std::move(*unless);
    }
    const std::string trigger = std::move(compiled->second);
    auto [it, inserted] = trigger_ids.emplace(trigger, static_cast<int>(e->triggers_.size()));
    if (inserted) {
      e->triggers_.push_back(trigger);
      e->rules_by_trigger_.emplace_back();
    }
    rule.trigger_index = it->second;
    e->rules_by_trigger_[static_cast<std::size_t>(it->second)].push_back(static_cast<int>(e->rules_.size()));
    e->rules_.push_back(std::move(rule));
  }

  // The candidate Set for whole texts (is_candidate): vendors, then the
  // references, then the triggers. Compiled by its first Match() (a check
  // compiles it now): extract() never reads it.
  e->set_ = std::make_unique<internal::LazySet>(o, RE2::UNANCHORED);
  std::string err;
  for (const auto& v : p.vendors) {
    if (e->set_->Add(alternation(v.terms), &err) < 0)
      return fail(ErrorCode::kConfig, v.origin.str() + ": vendor '" + v.name + "': " + err);
  }
  e->set_reference_index_ = e->set_->Add(alternation(p.references), &err);
  if (e->set_reference_index_ < 0) return fail(ErrorCode::kConfig, "references: " + err);
  e->set_first_trigger_ = e->set_reference_index_ + 1;
  for (const auto& t : e->triggers_)
    if (e->set_->Add(t, &err) < 0) return fail(ErrorCode::kConfig, "trigger '" + t + "': " + err);
  if (eager && !e->set_->Compile())
    return fail(ErrorCode::kBudgetExceeded, "the candidate pattern set does not fit the regex memory budget of " +
                                                std::to_string(options.max_regex_memory) + " bytes");
  // The Set for a sentence that names a vendor (the whole-text pass already
  // found where vendors and references are): the triggers, then the mention
  // passes' own regexes, so a pass that matches nowhere in the sentence is
  // skipped. Compiled when a text first has a sentence to read.
  e->sentence_set_ = std::make_unique<internal::LazySet>(o, RE2::UNANCHORED);
  for (const auto& t : e->triggers_)
    if (e->sentence_set_->Add(t, &err) < 0) return fail(ErrorCode::kConfig, "trigger '" + t + "': " + err);
  // Each entry is the part every match of the pass's regex contains (its
  // dictionary alternation), which is lighter for the Set's DFA.
  e->sentence_bodies_index_ = e->sentence_set_->Add(body_alternation, &err);
  e->sentence_countries_index_ = e->sentence_set_->Add(country_alternation, &err);
  if (e->sentence_bodies_index_ < 0 || e->sentence_countries_index_ < 0)
    return fail(ErrorCode::kConfig, "actor dictionaries in the sentence set: " + err);
  // The appositive pattern matches where its head and a capital letter do
  // (the proper name's other words are optional): that shorter entry says the same.
  e->sentence_appositives_index_ = e->sentence_set_->Add("(?:" + alternation(p.appositive_heads) + ")\\s+[A-Z]", &err);
  if (e->sentence_appositives_index_ < 0)
    return fail(ErrorCode::kConfig, "appositive heads in the sentence set: " + err);
  if (eager && !e->sentence_set_->Compile())
    return fail(ErrorCode::kBudgetExceeded, "the sentence pattern set does not fit the regex memory budget of " +
                                                std::to_string(options.max_regex_memory) + " bytes");
  // The Set holds the references as written (lower case), which covers their
  // use mid-sentence; the mention pass matches them case-insensitively.
  // The clause layer of English (else of the first language) is built now;
  // the others when a text in their language first needs them, so a run
  // that reads one language compiles one lexicon. A check builds them all,
  // to report every problem.
  e->regex_options_ = o;
  std::size_t primary = 0;
  for (std::size_t i = 0; i < p.lexicons.size(); ++i)
    if (p.lexicons[i].language == "en") {
      primary = i;
      break;
    }
  for (std::size_t i = 0; i < p.lexicons.size(); ++i) {
    auto lazy = std::make_unique<LazyReader>();
    lazy->lexicon = &p.lexicons[i];
    if (problems || i == primary) {
      std::optional<Error> failed;
      std::call_once(lazy->once, [&] {
        auto reader = internal::FrameReader::build(p.lexicons[i], p, o);
        if (reader)
          lazy->reader = std::move(*reader);
        else
          failed = reader.error();
      });
      if (failed) {
        if (tolerate(*failed)) continue;
        return std::unexpected(*failed);
      }
    }
    e->readers_.push_back(std::move(lazy));
  }
  for (const auto& r : e->readers_)
    if (r->reader && (!e->frames_ || r->lexicon->language == "en")) e->frames_ = r->reader.get();
  if (problems && !problems->empty()) return fail(ErrorCode::kConfig, problems->front());
  return e;
}

}  // namespace internal

using internal::Engine;
using internal::Pack;
using internal::pack_files;
using internal::read_file;

Result<std::unique_ptr<RuleEngine>> RuleEngine::load(const std::string& path, const LoadOptions& options) {
  auto files = pack_files(path);
  if (!files) return std::unexpected(files.error());
  Pack pack;
  for (const auto& f : *files) {
    auto content = read_file(f);
    if (!content) return std::unexpected(content.error());
    if (auto s = internal::parse_yaml_into(*content, f.string(), pack); !s) return std::unexpected(s.error());
  }
  if (auto s = internal::validate(pack); !s) return std::unexpected(s.error().with_context(path));
  auto engine = Engine::build(std::move(pack), options);
  if (!engine) return std::unexpected(engine.error());
  return std::unique_ptr<RuleEngine>(std::move(*engine));
}

CheckReport RuleEngine::check(const std::string& path, const LoadOptions& options) {
  CheckReport report;
  auto files = pack_files(path);
  if (!files) report.problems.push_back(files.error().message);
  Pack pack;
  for (const auto& f : files ? *files : std::vector<std::filesystem::path>{}) {
    auto content = read_file(f);
    if (!content) {
      report.problems.push_back(content.error().message);
      continue;
    }
    if (auto s = internal::parse_yaml_into(*content, f.string(), pack); !s)
      report.problems.push_back(s.error().message);
  }
  if (auto s = internal::validate(pack); !s) report.problems.push_back(s.error().message);
  report.warnings = pack.warnings;
  report.rules = pack.rules.size();
  report.vendors = pack.vendors.size();
  report.actors = pack.actors.size();
  std::vector<std::string> build_problems;
  auto engine = Engine::build(std::move(pack), options, &build_problems);
  if (build_problems.empty() && !engine) build_problems.push_back(engine.error().message);
  report.problems.insert(report.problems.end(), build_problems.begin(), build_problems.end());
  if (engine) report.version = (*engine)->version();
  return report;
}

Result<std::unique_ptr<RuleEngine>> RuleEngine::load_yaml(std::string_view yaml, std::string_view name,
                                                          const LoadOptions& options) {
  Pack pack;
  if (auto s = internal::parse_yaml_into(yaml, std::string(name), pack); !s) return std::unexpected(s.error());
  if (auto s = internal::validate(pack); !s) return std::unexpected(s.error().with_context(name));
  auto engine = Engine::build(std::move(pack), options);
  if (!engine) return std::unexpected(engine.error());
  return std::unique_ptr<RuleEngine>(std::move(*engine));
}

}  // namespace banwatch::rules
