#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "app/app.h"
#include "common/url.h"
#include "common/version.h"
#include "store/open/open_store.h"

namespace banwatch::app {

namespace fs = std::filesystem;

Result<Config*> Context::config() {
  if (config_) return &*config_;
  Config loaded;
  if (options.config_explicit || fs::exists(options.config_path)) {
    auto c = load_config(options.config_path);
    if (!c) return std::unexpected(c.error());
    loaded = std::move(*c);
  } else {
    spdlog::debug("no configuration file at {}; using built-in defaults", options.config_path);
  }
  for (const auto& s : options.sets) {
    if (auto st = apply_override(loaded, s); !st) return std::unexpected(st.error());
  }
  config_ = std::move(loaded);
  return &*config_;
}

std::string Context::store_path() {
  if (!options.db.empty()) return options.db;
  auto c = config();
  if (!c) return "banwatch.db";
  return resolve_relative(**c, (*c)->store.path);
}

Result<store::Store*> Context::store(bool create) {
  if (store_) return store_.get();
  auto c = config();
  if (!c) return std::unexpected(c.error());
  store::StoreOptions so;
  so.busy_timeout = (*c)->store.busy_timeout;
  so.create = create;
  auto path = store_path();
  auto opened = store::open_store(path, so);
  if (!opened) return std::unexpected(opened.error());
  store_ = std::move(*opened);
  return store_.get();
}

Result<std::string> Context::rules_path() {
  auto c = config();
  if (!c) return std::unexpected(c.error());
  std::string p = resolve_relative(**c, (*c)->rules);
  if (fs::exists(p)) return p;
  // A config without its own rule pack falls back to the installed one, then
  // to the source tree's (for `make run` from a checkout).
  for (const std::string& candidate :
       {std::string(BANWATCH_INSTALL_DATADIR) + "/rules", std::string(BANWATCH_SOURCE_DIR) + "/rules"}) {
    if ((*c)->rules == "rules" && fs::exists(candidate)) return candidate;
  }
  return fail(ErrorCode::kConfig, "rule pack not found: " + p + " (set `rules:` in " +
                                      ((*c)->path.empty() ? std::string("the configuration") : (*c)->path) + ")");
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7F ? ' ' : c);
  }
  return out;
}

int exit_code_for(const Error& error) {
  switch (error.code) {
    case ErrorCode::kConfig:
    case ErrorCode::kInvalidArgument:
      return kExitUsage;
    case ErrorCode::kLocked:
      return kExitLocked;
    case ErrorCode::kCancelled:
      return kExitInterrupted;
    default:
      return kExitFailure;
  }
}

int Context::report(const Error& error) {
  // With --log-format json every line on stderr is a JSON object, errors too.
  if (options.log_format == "json") {
    spdlog::error("{}", error.message);
    spdlog::default_logger_raw()->flush();
  } else {
    spdlog::default_logger_raw()->flush();
    std::cerr << "banwatch: " << error.message << "\n";
  }
  return exit_code_for(error);
}

bool Context::stdout_is_terminal() const { return ::isatty(STDOUT_FILENO) == 1; }

}  // namespace banwatch::app

namespace banwatch::app {

Status Context::sync_sources() {
  auto c = config();
  if (!c) return std::unexpected(c.error());
  auto s = store();
  if (!s) return std::unexpected(s.error());
  // The store is the one home of sources (docs/configuration.md#sources).
  // The configuration's `sources:` seed it: a source is added the first time
  // its name is seen, and from then on the store's row is the source. A name
  // the store holds, or once held and had removed, is not written again, so
  // `sources remove`, `disable` and `enable` stick. Nothing is written when
  // nothing is new (every worker of a shared store syncs at start-up).
  auto stored = (*s)->list_sources();
  if (!stored) return std::unexpected(stored.error());
  auto removed = (*s)->removed_source_names();
  if (!removed) return std::unexpected(removed.error());
  std::unordered_map<std::string, const store::Source*> by_name;
  std::unordered_map<std::string, std::string> by_url;  // URL -> name
  for (const auto& source : *stored) {
    by_name.emplace(source.spec.name, &source);
    by_url.emplace(canonical_url_string(source.spec.url), source.spec.name);
  }
  const std::unordered_set<std::string> retired(removed->begin(), removed->end());
  const std::string file = (*c)->path.empty() ? std::string("the configuration") : (*c)->path;
  for (const auto& src : (*c)->sources) {
    if (retired.contains(src.name)) continue;
    if (auto held = by_name.find(src.name); held != by_name.end()) {
      if (held->second->spec.url != src.url)
        spdlog::info("source {}: {} gives {}, the store (its home) {}; the store's is used", src.name, file, src.url,
                     held->second->spec.url);
      continue;
    }
    if (auto same = by_url.find(canonical_url_string(src.url)); same != by_url.end()) {
      spdlog::warn("source {} in {} not added: source {} has the same URL {}", src.name, file, same->second, src.url);
      continue;
    }
    store::SourceSpec spec;
    spec.name = src.name;
    spec.url = src.url;
    spec.kind = src.kind;
    spec.interval = src.interval;
    spec.tags = src.tags;
    spec.enabled = src.enabled;
    spec.article_policy = src.articles;
    if (auto st = (*s)->upsert_source(spec); !st) return std::unexpected(st.error().with_context("source " + src.name));
    by_url.emplace(canonical_url_string(src.url), src.name);
  }
  return {};
}

}  // namespace banwatch::app
