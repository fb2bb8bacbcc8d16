#include "common/error.h"

#include "common/enum_names.h"

namespace banwatch {

namespace {

// In the order of ErrorCode's values.
constexpr std::string_view kErrorNames[] = {
    "invalid argument",    "parse error", "budget exceeded", "not found",     "already exists", "I/O error",
    "network error",       "HTTP error",  "refused",         "store error",   "store busy",     "locked",
    "configuration error", "cancelled",   "unsupported",     "internal error"};
static_assert(std::size(kErrorNames) == static_cast<std::size_t>(ErrorCode::kInternal) + 1);

}  // namespace

std::string_view to_string(ErrorCode code) noexcept { return name_at(kErrorNames, code, "unknown error"); }

}  // namespace banwatch
