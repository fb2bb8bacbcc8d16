// Errors are values at every module border: functions that can fail return
// Result<T> (std::expected<T, Error>); exceptions never cross a module border.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace banwatch {

enum class ErrorCode {
  kInvalidArgument,  // the caller's input is malformed (bad URL, bad option value)
  kParse,            // bytes could not be turned into a value (not a feed, bad YAML)
  kBudgetExceeded,   // a resource budget (bytes, items, depth, time) was exceeded
  kNotFound,         // a named thing (file, source, event) does not exist
  kAlreadyExists,    // a unique name is taken
  kIo,               // a file-system operation failed
  kNetwork,          // a transfer failed (DNS, connect, TLS, reset, timeout)
  kHttp,             // the server answered with an error status
  kRefused,          // policy forbade it (robots.txt, private address, scheme)
  kStore,            // the store failed (I/O, corruption, constraint)
  kStoreBusy,        // the store is busy or locked by another writer
  kLocked,           // another run holds the advisory lock
  kConfig,           // the configuration is invalid
  kCancelled,        // interrupted by a signal or by the caller
  kUnsupported,      // a feature this build or backend does not offer
  kInternal,         // a bug: an invariant did not hold
};

std::string_view to_string(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // names the input and the problem; no trailing period

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

  // "context: message" keeps the original code; used when passing an error up.
  [[nodiscard]] Error with_context(std::string_view context) const {
    return Error(code, std::string(context) + ": " + message);
  }
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error(code, std::move(message)));
}

}  // namespace banwatch
