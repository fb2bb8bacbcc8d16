// The SQLite schema as an ordered list of forward migrations, embedded from
// store/schema/migrations/*.sql at build time. Migration N turns a version N-1
// store into a version N store; PRAGMA user_version holds the version.
#pragma once

#include <vector>

namespace banwatch::store {

struct Migration {
  int version;       // the schema version after this migration
  const char* name;  // file name without .sql, e.g. "0001_initial"
  const char* sql;   // one or more statements, run inside one transaction
};

// In version order, versions 1, 2, ... without gaps.
const std::vector<Migration>& sqlite_migrations();

}  // namespace banwatch::store
