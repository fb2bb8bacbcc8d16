#include "store/open/open_store.h"

#include <string_view>

#include "store/sqlite_store.h"
#ifdef BANWATCH_HAVE_PQXX
#include "store/pg/pg_store.h"
#endif

namespace banwatch::store {

Result<std::unique_ptr<Store>> open_store(const std::string& url, const StoreOptions& options) {
  std::string_view target = url;
  if (target.starts_with("postgresql://") || target.starts_with("postgres://")) {
#ifdef BANWATCH_HAVE_PQXX
    return open_postgres_store(url, options);
#endif
    return fail(ErrorCode::kUnsupported, "store '" + url + "': the PostgreSQL backend is not available in this build");
  }
  if (target.starts_with("sqlite://")) {
    target.remove_prefix(std::string_view("sqlite://").size());
  } else if (target.starts_with("sqlite:")) {
    target.remove_prefix(std::string_view("sqlite:").size());
  } else if (auto colon = target.find("://"); colon != std::string_view::npos) {
    return fail(ErrorCode::kInvalidArgument,
                "store '" + url + "': unknown scheme (use a file path, sqlite:PATH or postgresql://...)");
  }
  if (target.empty()) return fail(ErrorCode::kInvalidArgument, "store URL '" + url + "' names no file");
  return open_sqlite_store(std::string(target), options);
}

}  // namespace banwatch::store
