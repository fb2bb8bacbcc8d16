// Reading the YAML rule pack into internal::Pack. yaml-cpp exceptions are
// caught here and turned into errors naming the file and line.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <set>

#include "common/yaml_keys.h"
#include "parsers/rules_internal.h"

namespace banwatch::rules::internal {
namespace {

const std::set<std::string, std::less<>> kActions = {"ban",        "restrict",        "remove_or_replace",
                                                     "stop_using", "end_partnership", "list_addition",
                                                     "warning",    "investigation",   "lift_ban"};
const std::set<std::string, std::less<>> kStatuses = {"enacted", "proposed", "considering", "reversed"};
const std::set<std::string, std::less<>> kActorTypes = {"government", "regulator", "company", "other"};

}  // namespace

}  // namespace banwatch::rules::internal

namespace banwatch::rules {

const std::vector<std::string>& event_actions() {
  static const std::vector<std::string> actions(internal::kActions.begin(), internal::kActions.end());
  return actions;
}

const std::vector<std::string>& event_statuses() {
  static const std::vector<std::string> statuses(internal::kStatuses.begin(), internal::kStatuses.end());
  return statuses;
}

}  // namespace banwatch::rules

namespace banwatch::rules::internal {
namespace {

// Nesting and size budgets for untrusted YAML.
constexpr std::size_t kMaxYamlBytes = 8u << 20;
// A rule file holds one YAML document, or a few separated by '---'.
constexpr int kMaxYamlDocuments = 64;
constexpr std::size_t kMaxListItems = 200000;

Origin origin_of(const std::string& file, const YAML::Node& node) {
  return Origin{file, node.Mark().line >= 0 ? node.Mark().line + 1 : 0};
}

std::unexpected<Error> parse_error(const std::string& file, const YAML::Node& node, const std::string& what) {
  return fail(ErrorCode::kParse, origin_of(file, node).str() + ": " + what);
}

Result<std::string> scalar(const std::string& file, const YAML::Node& node, const char* what) {
  if (!node || !node.IsScalar()) return parse_error(file, node, std::string(what) + " must be a string");
  return node.Scalar();
}

Result<std::vector<std::string>> strings(const std::string& file, const YAML::Node& node, const char* what) {
  std::vector<std::string> out;
  if (!node || node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) return parse_error(file, node, std::string(what) + " must be a list of strings");
  if (node.size() > kMaxListItems) return parse_error(file, node, std::string(what) + ": too many items");
  for (const auto& item : node) {
    if (!item.IsScalar()) return parse_error(file, item, std::string(what) + " must be a list of strings");
    if (!item.Scalar().empty()) out.push_back(item.Scalar());
  }
  return out;
}

Status append_strings(const std::string& file, const YAML::Node& node, const char* what,
                      std::vector<std::string>& into) {
  auto list = strings(file, node, what);
  if (!list) return std::unexpected(list.error());
  into.insert(into.end(), list->begin(), list->end());
  return {};
}

Status check_keys(const std::string& file, const YAML::Node& map, std::initializer_list<std::string_view> known,
                  const char* what) {
  for (const auto& kv : map) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (std::find(known.begin(), known.end(), key) == known.end())
      return parse_error(file, kv.first, std::string("unknown key '") + key + "' in " + what);
  }
  return {};
}

Status parse_vendors(const std::string& file, const YAML::Node& node, Pack& pack) {
  if (!node.IsSequence()) return parse_error(file, node, "'vendors' must be a list");
  for (const auto& v : node) {
    if (!v.IsMap()) return parse_error(file, v, "a vendor must be a mapping with a 'name'");
    if (auto s = check_keys(file, v, {"name", "aliases", "products", "subsidiaries", "country", "note"}, "vendor"); !s)
      return s;
    VendorDef def;
    auto name = scalar(file, v["name"], "vendor 'name'");
    if (!name) return std::unexpected(name.error());
    def.name = *name;
    def.origin = origin_of(file, v);
    def.terms.push_back(def.name);
    for (const char* key : {"aliases", "products", "subsidiaries"})
      if (auto s = append_strings(file, v[key], key, def.terms); !s) return s;
    // A name written in camel case ("TikTok", "DeepSeek", "iFlytek") is also
    // written "Tiktok" and "TIKTOK", and an acronym ("ZTE", "DJI") "Zte", in
    // other languages' press above all.
    const std::size_t written = def.terms.size();
    for (std::size_t i = 0; i < written; ++i) {
      const std::string t = def.terms[i];
      const bool letters = t.size() >= 3 && std::all_of(t.begin(), t.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                           });
      if (!letters) continue;
      const bool camel = t.size() >= 4 &&
                         std::any_of(t.begin() + 1, t.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                         std::any_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      const bool acronym =
          t.size() <= 5 && std::all_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      if (!camel && !acronym) continue;
      std::string title = t, upper = t;
      for (std::size_t k = 0; k < t.size(); ++k) {
        const auto c = static_cast<unsigned char>(t[k]);
        title[k] = static_cast<char>(k == 0 ? std::toupper(c) : std::tolower(c));
        upper[k] = static_cast<char>(std::toupper(c));
      }
      for (auto& variant : {title, upper})
        if (std::find(def.terms.begin(), def.terms.end(), variant) == def.terms.end()) def.terms.push_back(variant);
    }
    // A name of several words is also written in capitals ("CLEARVIEW AI"),
    // in headlines and in official notices.
    for (std::size_t i = 0; i < written; ++i) {
      const std::string& t = def.terms[i];
      if (t.find(' ') == std::string::npos || !std::all_of(t.begin(), t.end(), [](char c) {
            return std::isalpha(static_cast<unsigned char>(c)) || c == ' ';
          }))
        continue;
      std::string upper = t;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (std::find(def.terms.begin(), def.terms.end(), upper) == def.terms.end()) def.terms.push_back(upper);
    }
    pack.vendors.push_back(std::move(def));
  }
  return {};
}

Status parse_actor(const std::string& file, const YAML::Node& a, bool country, Pack& pack) {
  if (!a.IsMap()) return parse_error(file, a, "an actor must be a mapping with a 'name'");
  if (auto s = check_keys(file, a, {"name", "forms", "aliases", "adjectives", "demonyms", "country", "type", "note"},
                          country ? "country" : "body");
      !s)
    return s;
  ActorDef def;
  auto name = scalar(file, a["name"], "actor 'name'");
  if (!name) return std::unexpected(name.error());
  def.name = *name;
  def.is_country = country;
  def.origin = origin_of(file, a);
  def.type = country ? "government" : "regulator";
  if (a["type"]) {
    auto t = scalar(file, a["type"], "actor 'type'");
    if (!t) return std::unexpected(t.error());
    if (!kActorTypes.contains(*t))
      return parse_error(file, a["type"], "actor type '" + *t + "' is not government, regulator, company or other");
    def.type = *t;
  }
  if (a["country"]) {
    auto c = scalar(file, a["country"], "actor 'country'");
    if (!c) return std::unexpected(c.error());
    def.country = *c;
  }
  if (auto s = append_strings(file, a["forms"], "forms", def.forms); !s) return s;
  if (auto s = append_strings(file, a["aliases"], "aliases", def.forms); !s) return s;
  if (auto s = append_strings(file, a["adjectives"], "adjectives", def.adjectives); !s) return s;
  if (auto s = append_strings(file, a["demonyms"], "demonyms", def.demonyms); !s) return s;
  if (std::find(def.forms.begin(), def.forms.end(), def.name) == def.forms.end())
    def.forms.insert(def.forms.begin(), def.name);
  // A body's acronym of four letters or more is also written as a word
  // ("CNIL", "Cnil"; "AGCOM", "Agcom"), in the press of several languages.
  // Shorter ones are not: "Bis" is a German word, not the BIS.
  if (!country) {
    const std::size_t written = def.forms.size();
    for (std::size_t i = 0; i < written; ++i) {
      const std::string& f = def.forms[i];
      if (f.size() < 4 || f.size() > 6 || !std::all_of(f.begin(), f.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        continue;
      std::string word = f;
      for (std::size_t k = 1; k < word.size(); ++k) word[k] = static_cast<char>(word[k] - 'A' + 'a');
      if (std::find(def.forms.begin(), def.forms.end(), word) == def.forms.end()) def.forms.push_back(word);
    }
  }
  pack.actors.push_back(std::move(def));
  return {};
}

Status parse_rules(const std::string& file, const YAML::Node& node, Pack& pack) {
  if (!node.IsSequence()) return parse_error(file, node, "'rules' must be a list");
  for (const auto& r : node) {
    if (!r.IsMap()) return parse_error(file, r, "a rule must be a mapping");
    if (auto s = check_keys(file, r,
                            {"id", "action", "status", "fixed_status", "status_cues", "trigger", "unless", "pattern",
                             "actor_type", "confidence", "note"},
                            "rule");
        !s)
      return s;
    RuleDef def;
    def.origin = origin_of(file, r);
    auto id = scalar(file, r["id"], "rule 'id'");
    if (!id) return std::unexpected(id.error());
    def.id = *id;
    auto action = scalar(file, r["action"], "rule 'action'");
    if (!action) return std::unexpected(action.error());
    if (!kActions.contains(*action))
      return parse_error(file, r["action"], "rule '" + def.id + "': unknown action '" + *action + "'");
    def.action = *action;
    if (r["status"]) {
      auto st = scalar(file, r["status"], "rule 'status'");
      if (!st) return std::unexpected(st.error());
      if (!kStatuses.contains(*st))
        return parse_error(file, r["status"], "rule '" + def.id + "': unknown status '" + *st + "'");
      def.status = *st;
    }
    if (r["fixed_status"]) def.fixed_status = r["fixed_status"].as<bool>();
    if (r["status_cues"]) {
      auto sc = scalar(file, r["status_cues"], "rule 'status_cues'");
      if (!sc) return std::unexpected(sc.error());
      if (*sc != "all" && *sc != "before" && *sc != "none")
        return parse_error(file, r["status_cues"], "rule '" + def.id + "': status_cues must be all, before or none");
      def.status_cues = *sc;
      if (*sc == "none") def.fixed_status = true;
    }
    if (r["trigger"]) {
      auto t = scalar(file, r["trigger"], "rule 'trigger'");
      if (!t) return std::unexpected(t.error());
      def.trigger = *t;
    }
    if (r["unless"]) {
      auto u = scalar(file, r["unless"], "rule 'unless'");
      if (!u) return std::unexpected(u.error());
      def.unless = *u;
    }
    auto pattern = scalar(file, r["pattern"], "rule 'pattern'");
    if (!pattern) return std::unexpected(pattern.error());
    def.pattern = *pattern;
    if (r["actor_type"]) {
      auto t = scalar(file, r["actor_type"], "rule 'actor_type'");
      if (!t) return std::unexpected(t.error());
      if (!kActorTypes.contains(*t)) return parse_error(file, r["actor_type"], "rule '" + def.id + "': bad actor_type");
      def.actor_type = *t;
    }
    if (r["confidence"]) {
      def.confidence = r["confidence"].as<double>();
      if (!(def.confidence > 0.0 && def.confidence <= 1.0))
        return parse_error(file, r["confidence"], "rule '" + def.id + "': confidence must be in (0, 1]");
    }
    pack.rules.push_back(std::move(def));
  }
  return {};
}

Status parse_cues(const std::string& file, const YAML::Node& node, Pack& pack) {
  if (!node.IsMap())
    return parse_error(file, node, "'cues' must be a mapping of proposed/considering/reversed/negation");
  // `language: de` makes the file's cues apply to text of that language only.
  std::string language;
  if (node["language"]) {
    auto l = scalar(file, node["language"], "cues 'language'");
    if (!l) return std::unexpected(l.error());
    language = *l;
  }
  for (const auto& kv : node) {
    std::string kind = kv.first.Scalar();
    if (kind == "language") continue;
    if (kind != "proposed" && kind != "considering" && kind != "reversed" && kind != "negation")
      return parse_error(file, kv.first, "unknown cue kind '" + kind + "'");
    if (!kv.second.IsMap())
      return parse_error(file, kv.second, "cue kind '" + kind + "' must map before/sentence to lists");
    for (const auto& w : kv.second) {
      std::string where = w.first.Scalar();
      if (where != "before" && where != "sentence" && where != "prefix")
        return parse_error(file, w.first, "cue scope must be 'before', 'prefix' or 'sentence', not '" + where + "'");
      if (!w.second.IsSequence()) return parse_error(file, w.second, "cues must be a list of regexes");
      for (const auto& item : w.second) {
        if (!item.IsScalar()) return parse_error(file, item, "a cue must be a regex string");
        pack.cues.push_back(CueDef{kind, where, item.Scalar(), origin_of(file, item), language});
      }
    }
  }
  return {};
}

// frames: the clause and discourse layers' words for one language. Files
// naming the same language merge.
Status parse_frames(const std::string& file, const YAML::Node& node, Pack& pack) {
  if (!node.IsMap()) return parse_error(file, node, "'frames' must be a mapping (language, triggers, ...)");
  if (auto s = check_keys(file, node,
                          {"language",
                           "triggers",
                           "auxiliaries",
                           "adverbs",
                           "agent_markers",
                           "scope_markers",
                           "possessive_pronouns",
                           "measure_nouns",
                           "object_markers",
                           "clause_breaks",
                           "pronouns",
                           "references",
                           "comparisons",
                           "list_verbs",
                           "reporting_verbs",
                           "modals",
                           "determiners",
                           "conjunctions",
                           "relatives",
                           "qualified_nouns",
                           "directives",
                           "advisories",
                           "pressures",
                           "decisions",
                           "endings",
                           "name_suffixes",
                           "prepositions",
                           "name_connectors",
                           "elisions",
                           "cessations",
                           "inclusions",
                           "lists",
                           "word_order",
                           "note"},
                          "frames");
      !s)
    return s;
  std::string language = "en";
  if (node["language"]) {
    auto l = scalar(file, node["language"], "frames 'language'");
    if (!l) return std::unexpected(l.error());
    language = *l;
    const bool ok = language.size() >= 2 && language.size() <= 3 &&
                    std::all_of(language.begin(), language.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!ok) return parse_error(file, node["language"], "frames 'language' must be an ISO 639-1 code such as 'en'");
  }
  auto it = std::find_if(pack.lexicons.begin(), pack.lexicons.end(),
                         [&](const Lexicon& l) { return l.language == language; });
  if (it == pack.lexicons.end()) {
    pack.lexicons.push_back(Lexicon{});
    it = std::prev(pack.lexicons.end());
    it->language = language;
    it->origin = origin_of(file, node);
  }
  Lexicon& lex = *it;
  if (const auto& t = node["triggers"]; t) {
    if (!t.IsSequence()) return parse_error(file, t, "frames 'triggers' must be a list of {action, verbs, ...}");
    for (const auto& item : t) {
      if (!item.IsMap()) return parse_error(file, item, "a frames trigger must be a mapping with an 'action'");
      if (auto s = check_keys(file, item, {"action", "verbs", "participles", "nouns", "actor_types", "note"},
                              "frames trigger");
          !s)
        return s;
      TriggerDef def;
      auto action = scalar(file, item["action"], "frames trigger 'action'");
      if (!action) return std::unexpected(action.error());
      if (!kActions.contains(*action))
        return parse_error(file, item["action"], "frames trigger: unknown action '" + *action + "'");
      def.action = *action;
      def.origin = origin_of(file, item);
      if (auto s = append_strings(file, item["verbs"], "frames trigger 'verbs'", def.verbs); !s) return s;
      if (auto s = append_strings(file, item["participles"], "frames trigger 'participles'", def.participles); !s)
        return s;
      if (auto s = append_strings(file, item["nouns"], "frames trigger 'nouns'", def.nouns); !s) return s;
      if (auto s = append_strings(file, item["actor_types"], "frames trigger 'actor_types'", def.actor_types); !s)
        return s;
      for (const auto& type : def.actor_types)
        if (!kActorTypes.contains(type))
          return parse_error(
              file, item["actor_types"],
              "frames trigger: actor type '" + type + "' is not government, regulator, company or other");
      if (def.verbs.empty() && def.participles.empty() && def.nouns.empty())
        return parse_error(file, item, "frames trigger for '" + def.action + "' has no verbs, participles or nouns");
      lex.triggers.push_back(std::move(def));
    }
  }
  struct Words {
    const char* key;
    std::vector<std::string>* into;
  };
  for (const Words& w : {Words{"auxiliaries", &lex.auxiliaries},
                         Words{"adverbs", &lex.adverbs},
                         Words{"agent_markers", &lex.agent_markers},
                         Words{"scope_markers", &lex.scope_markers},
                         Words{"possessive_pronouns", &lex.possessive_pronouns},
                         Words{"measure_nouns", &lex.measure_nouns},
                         Words{"object_markers", &lex.object_markers},
                         Words{"clause_breaks", &lex.clause_breaks},
                         Words{"comparisons", &lex.comparisons},
                         Words{"list_verbs", &lex.list_verbs},
                         Words{"reporting_verbs", &lex.reporting_verbs},
                         Words{"modals", &lex.modals},
                         Words{"determiners", &lex.determiners},
                         Words{"conjunctions", &lex.conjunctions},
                         Words{"relatives", &lex.relatives},
                         Words{"qualified_nouns", &lex.qualified_nouns},
                         Words{"directives", &lex.directives},
                         Words{"advisories", &lex.advisories},
                         Words{"pressures", &lex.pressures},
                         Words{"decisions", &lex.decisions},
                         Words{"name_suffixes", &lex.name_suffixes},
                         Words{"prepositions", &lex.prepositions},
                         Words{"name_connectors", &lex.name_connectors},
                         Words{"elisions", &lex.elisions},
                         Words{"cessations", &lex.cessations},
                         Words{"inclusions", &lex.inclusions}}) {
    const std::string what = std::string("frames '") + w.key + "'";
    if (auto s = append_strings(file, node[w.key], what.c_str(), *w.into); !s) return s;
  }
  if (const auto& p = node["pronouns"]; p) {
    if (!p.IsMap()) return parse_error(file, p, "frames 'pronouns' must map singular/plural to lists");
    if (auto s = check_keys(file, p, {"singular", "plural"}, "frames pronouns"); !s) return s;
    if (auto s = append_strings(file, p["singular"], "singular pronouns", lex.singular_pronouns); !s) return s;
    if (auto s = append_strings(file, p["plural"], "plural pronouns", lex.plural_pronouns); !s) return s;
  }
  if (const auto& r = node["references"]; r) {
    if (!r.IsMap()) return parse_error(file, r, "frames 'references' must map plural/actor to lists");
    if (auto s = check_keys(file, r, {"plural", "actor", "state"}, "frames references"); !s) return s;
    if (auto s = append_strings(file, r["plural"], "plural references", lex.plural_references); !s) return s;
    if (auto s = append_strings(file, r["actor"], "actor references", lex.actor_references); !s) return s;
    if (auto s = append_strings(file, r["state"], "state references", lex.state_references); !s) return s;
  }
  if (const auto& l = node["lists"]; l) {
    if (!l.IsSequence()) return parse_error(file, l, "frames 'lists' must be a list of {name, terms, owner}");
    for (const auto& item : l) {
      if (!item.IsMap()) return parse_error(file, item, "a frames list must be a mapping with 'name' and 'terms'");
      if (auto s = check_keys(file, item, {"name", "terms", "owner", "generic", "note"}, "frames list"); !s) return s;
      ListDef def;
      auto name = scalar(file, item["name"], "frames list 'name'");
      if (!name) return std::unexpected(name.error());
      def.name = *name;
      def.origin = origin_of(file, item);
      if (auto s = append_strings(file, item["terms"], "frames list 'terms'", def.terms); !s) return s;
      if (def.terms.empty()) def.terms.push_back(def.name);
      if (item["owner"]) {
        auto owner = scalar(file, item["owner"], "frames list 'owner'");
        if (!owner) return std::unexpected(owner.error());
        def.owner = *owner;
      }
      if (item["generic"]) {
        if (!item["generic"].IsScalar() || (item["generic"].Scalar() != "true" && item["generic"].Scalar() != "false"))
          return parse_error(file, item["generic"], "frames list 'generic' must be true or false");
        def.generic = item["generic"].Scalar() == "true";
      }
      lex.lists.push_back(std::move(def));
    }
  }
  if (const auto& e = node["endings"]; e) {
    if (!e.IsSequence()) return parse_error(file, e, "frames 'endings' must be a list of lists of word endings");
    for (const auto& group : e) {
      std::vector<std::string> endings;
      if (!group.IsSequence()) return parse_error(file, group, "frames 'endings': each item must be a list of endings");
      for (const auto& item : group) {
        if (!item.IsScalar()) return parse_error(file, item, "frames 'endings' must be lists of strings");
        endings.push_back(item.Scalar());  // "" is an ending: the bare form
      }
      if (endings.size() < 2) return parse_error(file, group, "frames 'endings': a group needs two endings or more");
      lex.endings.push_back(std::move(endings));
    }
  }
  if (const auto& w = node["word_order"]) {
    if (!w.IsMap()) return parse_error(file, w, "frames 'word_order' must map flags to true or false");
    if (auto s = check_keys(file, w,
                            {"objects_before_verb", "subject_after_verb", "distant_auxiliaries", "proper_subjects",
                             "governed_subjects", "subjects_after_passive", "genitive_objects"},
                            "frames word_order");
        !s)
      return s;
    for (auto [key, flag] :
         {std::pair{"objects_before_verb", &lex.objects_before_verb},
          std::pair{"subject_after_verb", &lex.subject_after_verb},
          std::pair{"distant_auxiliaries", &lex.distant_auxiliaries},
          std::pair{"proper_subjects", &lex.proper_subjects}, std::pair{"governed_subjects", &lex.governed_subjects},
          std::pair{"subjects_after_passive", &lex.subjects_after_passive},
          std::pair{"genitive_objects", &lex.genitive_objects}}) {
      if (!w[key]) continue;
      if (!w[key].IsScalar() || (w[key].Scalar() != "true" && w[key].Scalar() != "false"))
        return parse_error(file, w[key], std::string("frames word_order '") + key + "' must be true or false");
      *flag = w[key].Scalar() == "true";
    }
  }
  return {};
}

Status parse_document(const std::string& file, const YAML::Node& root, Pack& pack) {
  if (root.IsNull()) return {};
  if (!root.IsMap()) return parse_error(file, root, "a rule-pack file must be a mapping");
  if (auto s = check_keys(file, root,
                          {"pack", "vendors", "references", "countries", "bodies", "heads", "not_actors", "rules",
                           "cues", "scopes", "placeholders", "frames"},
                          "rule-pack file");
      !s)
    return s;
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "pack") {
      if (!v.IsMap()) return parse_error(file, v, "'pack' must be a mapping with name and version");
      if (v["name"]) pack.name = v["name"].Scalar();
      if (v["version"]) pack.version = v["version"].Scalar();
    } else if (key == "vendors") {
      if (auto s = parse_vendors(file, v, pack); !s) return s;
    } else if (key == "references") {
      if (auto s = append_strings(file, v, "references", pack.references); !s) return s;
    } else if (key == "countries" || key == "bodies") {
      if (!v.IsSequence()) return parse_error(file, v, "'" + key + "' must be a list");
      for (const auto& a : v)
        if (auto s = parse_actor(file, a, key == "countries", pack); !s) return s;
    } else if (key == "heads") {
      if (!v.IsMap()) return parse_error(file, v, "'heads' must map government/regulator/appositive to lists");
      if (auto s = check_keys(file, v, {"government", "regulator", "court", "appositive", "modifiers"}, "heads"); !s)
        return s;
      if (auto s = append_strings(file, v["modifiers"], "head modifiers", pack.head_modifiers); !s) return s;
      if (auto s = append_strings(file, v["government"], "government heads", pack.government_heads); !s) return s;
      if (auto s = append_strings(file, v["regulator"], "regulator heads", pack.regulator_heads); !s) return s;
      if (auto s = append_strings(file, v["court"], "court heads", pack.court_heads); !s) return s;
      if (auto s = append_strings(file, v["appositive"], "appositive heads", pack.appositive_heads); !s) return s;
    } else if (key == "not_actors") {
      if (auto s = append_strings(file, v, "not_actors", pack.not_actors); !s) return s;
    } else if (key == "rules") {
      if (auto s = parse_rules(file, v, pack); !s) return s;
    } else if (key == "cues") {
      if (auto s = parse_cues(file, v, pack); !s) return s;
    } else if (key == "frames") {
      if (auto s = parse_frames(file, v, pack); !s) return s;
    } else if (key == "scopes") {
      if (auto s = append_strings(file, v, "scopes", pack.scopes); !s) return s;
    } else if (key == "placeholders") {
      if (!v.IsMap()) return parse_error(file, v, "'placeholders' must map NAME to a regex");
      for (const auto& p : v) {
        const std::string pname = p.first.Scalar();
        bool ok = !pname.empty() && std::all_of(pname.begin(), pname.end(), [](char c) {
          return (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
        });
        if (!ok || !p.second.IsScalar())
          return parse_error(file, p.first, "placeholder names are UPPER_CASE and map to a regex string");
        pack.placeholders[pname] = p.second.Scalar();
      }
    }
  }
  return {};
}

}  // namespace

namespace {

// Counts the documents of a YAML stream without building them, and where the
// last one starts. yaml-cpp 0.7's LoadAll() never returns on some malformed
// streams (a ',' at the top level starts an empty document forever, taking
// memory until the process dies), so the stream is counted, within a
// budget, before it is loaded.
class DocumentCounter : public YAML::EventHandler {
 public:
  int documents = 0;
  YAML::Mark last_start;
  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents;
    last_start = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Throws YAML::Exception on a syntax error, as LoadAll() would.
Status check_document_count(const std::string& yaml, const std::string& name) {
  std::istringstream in(yaml);
  YAML::Parser parser(in);
  DocumentCounter counter;
  while (parser.HandleNextDocument(counter)) {
    if (counter.documents > kMaxYamlDocuments) {
      return fail(ErrorCode::kParse, name + ":" + std::to_string(counter.last_start.line + 1) + ": more than " +
                                         std::to_string(kMaxYamlDocuments) +
                                         " YAML documents (a stray ',' or '---' at the top level?)");
    }
  }
  return {};
}

}  // namespace

std::uint64_t fnv1a(std::string_view data, std::uint64_t h) {
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Status parse_yaml_into(std::string_view yaml, const std::string& name, Pack& pack) {
  if (yaml.size() > kMaxYamlBytes)
    return fail(ErrorCode::kBudgetExceeded,
                name + ": rule-pack file larger than " + std::to_string(kMaxYamlBytes) + " bytes");
  pack.content_hash = fnv1a(name.substr(name.find_last_of('/') == std::string::npos ? 0 : name.find_last_of('/') + 1),
                            pack.content_hash);
  pack.content_hash = fnv1a(yaml, pack.content_hash);
  try {
    const std::string text(yaml);
    if (auto counted = check_document_count(text, name); !counted) return counted;
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    for (const auto& doc : docs) {
      if (auto duplicate = find_duplicate_key(doc))
        return fail(ErrorCode::kParse, name + ":" + std::to_string(duplicate->line) + ": " + duplicate->key +
                                           ": duplicate key (first given at line " +
                                           std::to_string(duplicate->first_line) + ")");
      if (auto s = parse_document(name, doc, pack); !s) return s;
    }
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::kParse, name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kParse, name + ": " + e.what());
  }
  return {};
}

Status validate(Pack& pack) {
  if (pack.rules.empty()) return fail(ErrorCode::kConfig, "rule pack has no rules");
  if (pack.vendors.empty()) return fail(ErrorCode::kConfig, "rule pack has no vendors");
  std::set<std::string> ids;
  for (const auto& r : pack.rules)
    if (!ids.insert(r.id).second)
      return fail(ErrorCode::kConfig, r.origin.str() + ": duplicate rule id '" + r.id + "'");
  std::map<std::string, std::string> vendor_terms;
  for (const auto& v : pack.vendors) {
    for (const auto& t : v.terms) {
      auto [it, inserted] = vendor_terms.emplace(term_key(t), v.name);
      if (!inserted && it->second != v.name)
        pack.warnings.push_back(v.origin.str() + ": term '" + t + "' of vendor '" + v.name + "' already names '" +
                                it->second + "'; the first wins");
    }
  }
  std::set<std::string> actor_names;
  std::map<std::string, std::string, std::less<>> actor_by_form;  // a name or alias -> the name
  for (const auto& a : pack.actors) {
    if (!actor_names.insert(a.name).second)
      pack.warnings.push_back(a.origin.str() + ": actor '" + a.name + "' defined twice");
    actor_by_form.emplace(a.name, a.name);
    for (const auto& f : a.forms) actor_by_form.emplace(f, a.name);
  }
  // A list's owner may be written as any name the pack knows a body by ("FCC"); the
  // engine reads the body's canonical name.
  for (auto& lex : pack.lexicons)
    for (auto& l : lex.lists) {
      if (l.owner.empty()) continue;
      auto it = actor_by_form.find(l.owner);
      if (it == actor_by_form.end())
        return fail(ErrorCode::kConfig, l.origin.str() + ": list '" + l.name + "': owner '" + l.owner +
                                            "' is not a country or body of the pack");
      l.owner = it->second;
    }
  if (pack.government_heads.empty() && pack.regulator_heads.empty())
    pack.warnings.push_back("rule pack has no head nouns: adjectives ('Italian authorities') will not name actors");
  return {};
}

}  // namespace banwatch::rules::internal
