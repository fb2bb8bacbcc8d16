#include "store/backend.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <stdexcept>

#include "common/url.h"
#include "store/identity.h"

namespace banwatch::store {

const char* precision_name(DatePrecision p) { return to_string(p).data(); }

DatePrecision precision_from_name(std::string_view name) {
  return date_precision_from_string(name).value_or(DatePrecision::kSecond);
}

namespace {

// The digest and its context are fetched once per thread: OpenSSL 3's
// one-shot SHA256() looks the algorithm up on every call.
void sha256(std::string_view data, unsigned char (&digest)[SHA256_DIGEST_LENGTH]) {
  struct Hasher {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    ~Hasher() {
      EVP_MD_CTX_free(context);
      EVP_MD_free(md);
    }
  };
  thread_local Hasher hasher;
  unsigned int length = 0;
  if (hasher.md == nullptr || hasher.context == nullptr ||
      EVP_DigestInit_ex2(hasher.context, hasher.md, nullptr) != 1 ||
      EVP_DigestUpdate(hasher.context, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(hasher.context, digest, &length) != 1 || length != SHA256_DIGEST_LENGTH) {
    throw std::runtime_error("SHA-256 is unavailable in this OpenSSL");
  }
}

}  // namespace

std::int64_t key64(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  sha256(data, digest);
  std::uint64_t key = 0;
  for (int i = 0; i < 8; ++i) key = (key << 8) | digest[i];
  return static_cast<std::int64_t>(key);  // two's complement, as PostgreSQL's bit(64)::bigint
}

std::int64_t timeline_key(const model::ExtractedEvent& event, std::string& scratch) {
  scratch = identity::case_text(event.vendor, event.actor, event.action);
  return key64(scratch);
}

std::int64_t mention_key(const model::ExtractedEvent& event, std::string& scratch) {
  // The subject in the spelling identity compares (schema 0005), so the key
  // of a mention matches the event it joined, however either was spelled.
  scratch.assign(event.rule_id).append(1, '\n').append(event.evidence).append(1, '\n');
  scratch.append(identity::case_text(event.vendor, event.actor, event.action)).append(1, '\n');
  scratch.append(identity::normalize(event.status));
  return key64(scratch);
}

Status validate_event(const model::ExtractedEvent& event) {
  const auto missing = [&](const char* field) {
    return fail(ErrorCode::kInvalidArgument,
                std::string("extracted event of rule '") + event.rule_id + "' has an empty " + field);
  };
  if (event.vendor.empty()) return missing("vendor");
  if (event.actor.empty()) return missing("actor");
  if (event.action.empty()) return missing("action");
  if (event.status.empty()) return missing("status");
  if (event.rule_id.empty()) return missing("rule id");
  return {};
}

std::string tags_to_json(const std::vector<std::string>& tags) {
  return nlohmann::json(tags).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> tags_from_json(const std::string& text) {
  std::vector<std::string> tags;
  try {
    const auto parsed = nlohmann::json::parse(text);
    if (parsed.is_array()) {
      for (const auto& tag : parsed) {
        if (tag.is_string()) tags.push_back(tag.get<std::string>());
      }
    }
  } catch (const nlohmann::json::exception&) {
    // A hand-edited row with bad JSON reads as no tags rather than failing every listing.
  }
  return tags;
}

std::string qualified_columns(std::string_view columns, std::string_view alias) {
  std::string out;
  bool first = true;
  while (!columns.empty()) {
    const auto comma = columns.find(',');
    std::string_view column = columns.substr(0, comma);
    while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
    if (!first) out += ", ";
    out += alias;
    out += '.';
    out += column;
    first = false;
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 1);
  }
  return out;
}

std::string store_context(std::string_view label, std::string_view what) {
  return "store '" + std::string(label) + "': " + std::string(what);
}

Timestamp system_now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

Timestamp effective_now(const AppendOptions& options, const model::ArticleRecord* article) {
  if (options.now != Timestamp{}) return options.now;
  if (article != nullptr && article->fetched_at != Timestamp{}) return article->fetched_at;
  return system_now();
}

Status validate_spec(const SourceSpec& spec) {
  if (spec.name.empty()) return fail(ErrorCode::kInvalidArgument, "a source needs a name");
  if (spec.url.empty()) return fail(ErrorCode::kInvalidArgument, "source '" + spec.name + "' has no URL");
  if (spec.kind != "feed" && spec.kind != "sitemap" && spec.kind != "page") {
    return fail(ErrorCode::kInvalidArgument,
                "source '" + spec.name + "': kind '" + spec.kind + "' is not feed, sitemap or page");
  }
  if (spec.interval.count() < 0) {
    return fail(ErrorCode::kInvalidArgument, "source '" + spec.name + "': negative interval");
  }
  return {};
}

std::string host_of(const std::string& url) {
  auto parsed = Url::parse(url);
  if (!parsed) return std::string();
  return parsed->authority();
}

bool replaces_text(bool stored_feed_only, std::string_view stored_hash, const model::ArticleRecord& article) {
  const bool upgrade = stored_feed_only && !article.feed_only;
  const bool changed = stored_feed_only == article.feed_only && !article.text.empty() &&
                       !article.content_hash.empty() && article.content_hash != stored_hash;
  return upgrade || changed;
}

Status check_not_newer(std::string_view label, int version, int latest) {
  if (version <= latest) return {};
  return fail(ErrorCode::kStore, store_context(label, "schema version " + std::to_string(version) +
                                                          " is newer than this banwatch understands (" +
                                                          std::to_string(latest) + "): upgrade banwatch"));
}

Status check_writable_for_migration(std::string_view label, int version, int latest, bool read_only) {
  if (!read_only) return {};
  return fail(ErrorCode::kStore,
              store_context(label, "schema version " + std::to_string(version) + " needs migrating to " +
                                       std::to_string(latest) + "; open the store read-write once"));
}

}  // namespace banwatch::store
