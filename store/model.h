// Backend-neutral rules of the store's data model, shared by the SQLite and
// PostgreSQL backends so both read and key events identically. Internal to
// store/ (not part of the public Store interface).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "store/store.h"

namespace banwatch::store {

// The store's spelling of a date precision (docs/store.md): common/time.h's names.
const char* precision_name(DatePrecision p);
DatePrecision precision_from_name(std::string_view name);  // unknown: second

// period_end(), the exclusive end of the period a precise time states, is
// common/time.h's.

// The longest period a stated date can cover (a leap year), for index ranges.
inline constexpr std::int64_t kLongestPeriodSeconds = 366LL * 86400;

// Lower-case hex SHA-256 (the evidence hash). Throws std::runtime_error only
// when OpenSSL has no SHA-256, which the backends turn into kStore.
std::string sha256_hex(std::string_view data);

// The first 8 bytes of the SHA-256 of `data`, big-endian, as a signed
// integer: the SQL function banwatch_key() of both backends (schema 0004 of
// SQLite, 0007 of PostgreSQL). Throws as sha256_hex() does.
std::int64_t key64(std::string_view data);

// events.timeline_key: key64(identity::case_text(vendor, actor, action)), the
// normalized names (schema 0005). Equal keys only narrow a search; the
// identity rules compare the normalized text too.
// `scratch` is reused across calls to spare an allocation per event.
std::int64_t timeline_key(const ExtractedEvent& event, std::string& scratch);

// mentions.mention_key, unique per article: key64(rule_id '\n' evidence '\n'
// identity::case_text(vendor, actor, action) '\n' normalize(status)) (schema 0005).
std::int64_t mention_key(const ExtractedEvent& event, std::string& scratch);

// kInvalidArgument naming the rule when a required field is empty.
Status validate_event(const ExtractedEvent& event);

// sources.tags as a JSON array; unreadable JSON reads as no tags.
std::string tags_to_json(const std::vector<std::string>& tags);
std::vector<std::string> tags_from_json(const std::string& text);

}  // namespace banwatch::store
