// The SQLite backend of the Store interface (store/store.h). Its schema is
// store/schema/migrations/*.sql, described in docs/store.md.
//
// One SqliteStore is one connection in WAL mode with a busy timeout, foreign
// keys on and synchronous=NORMAL. Its methods are serialized by a mutex, so a
// store may be shared by threads; for parallel reads open several stores.
#pragma once

#include <memory>
#include <string>

#include "common/error.h"
#include "store/store.h"

namespace banwatch::store {

// Opens (and, with options.create, creates) the SQLite store at `path`
// (a file name, or ":memory:"), then brings its schema to
// sqlite_schema_version() with forward migrations, each in one transaction.
// Fails with kNotFound when the file is missing and options.create is false,
// and with kStore when the file is not a banwatch store, is newer than this
// build, or needs a migration but was opened read-only.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const StoreOptions& options);

}  // namespace banwatch::store
