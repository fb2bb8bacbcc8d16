#include "common/error.h"

namespace banwatch {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kParse:
      return "parse error";
    case ErrorCode::kBudgetExceeded:
      return "budget exceeded";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kAlreadyExists:
      return "already exists";
    case ErrorCode::kIo:
      return "I/O error";
    case ErrorCode::kNetwork:
      return "network error";
    case ErrorCode::kHttp:
      return "HTTP error";
    case ErrorCode::kRefused:
      return "refused";
    case ErrorCode::kStore:
      return "store error";
    case ErrorCode::kStoreBusy:
      return "store busy";
    case ErrorCode::kLocked:
      return "locked";
    case ErrorCode::kConfig:
      return "configuration error";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "unknown error";
}

}  // namespace banwatch
