// Internals shared by the PostgreSQL backend's files (store/pg_*.cpp); not a
// public header.
#pragma once

#include <pqxx/pqxx>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "store/migrations.h"

namespace banwatch::store {

// store/schema/postgresql/*.sql in version order (generated at build time).
const std::vector<Migration>& postgres_migrations();

namespace pg {

// Valid UTF-8 without NUL bytes: invalid sequences become U+FFFD, NULs are dropped.
std::string clean_text(std::string_view input);
bool needs_cleaning(std::string_view input);

// Positional parameters ($1, $2, ...) in text format; text is cleaned.
class Args {
 public:
  Args& text(std::string_view value);
  Args& integer(std::int64_t value);
  Args& integer(const std::optional<std::int64_t>& value);
  Args& time(Timestamp value);
  Args& time(const std::optional<Timestamp>& value);
  Args& real(double value);
  Args& null();
  Args& text_array(const std::vector<std::string>& values);  // for $n::text[] and $n::bigint[]
  std::vector<const char*> pointers() const;
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<std::optional<std::string>> values_;
};

pqxx::result exec(pqxx::transaction_base& tx, const std::string& sql, const Args& args);

std::int64_t to_int(const pqxx::field& field);
std::optional<std::int64_t> to_optional_int(const pqxx::field& field);
std::string to_text(const pqxx::field& field);
Timestamp to_time(const pqxx::field& field);
std::optional<Timestamp> to_optional_time(const pqxx::field& field);

std::string redact(const std::string& url);

}  // namespace pg
}  // namespace banwatch::store
