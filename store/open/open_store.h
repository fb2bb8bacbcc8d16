// Opening a store by its URL: the one place that knows every backend, above
// them all (store/ and store/pg/), so that no backend depends on another.
#pragma once

#include <memory>
#include <string>

#include "common/error.h"
#include "store/store.h"

namespace banwatch::store {

// "path/to/file.db", "sqlite:path", or "postgresql://…" (when built with
// libpqxx; otherwise kUnsupported). An unknown scheme is kInvalidArgument.
Result<std::unique_ptr<Store>> open_store(const std::string& url, const StoreOptions& options);

}  // namespace banwatch::store
