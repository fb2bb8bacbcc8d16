// What commands read and how they stop: a file or standard input under a byte
// budget, and SIGINT/SIGTERM turned into a flag long work polls.
#pragma once

#include <signal.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/error.h"

namespace banwatch::app {

// The bytes of `path`, or of standard input when `path` is "-". More than
// `max_bytes` is kBudgetExceeded, with a message naming the budget (`what`:
// "page", "feed", ...) and, for a regular file, its size, read no further.
// kNotFound when the file cannot be opened, kIo when it cannot be read.
Result<std::string> read_input(const std::string& path, std::size_t max_bytes, std::string_view what);

// While one lives, SIGINT and SIGTERM store their number in stop_flag(), which
// the work polls (crawler options' `cancel`); a second signal kills at once
// (SA_RESETHAND restores the default action). Constructing one clears the
// flag; destroying it puts the previous handlers back. `banwatch serve` waits
// for its signals with sigwait() instead (app/cmd_serve.cpp).
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ = {}, old_term_ = {};
};

// The flag: 0, or the number of the signal received.
const std::atomic<int>* stop_flag();
int stop_signal();
// The exit code for work stopped by `signo`: 143 for SIGTERM, else 130
// (kExitInterrupted), as docs/cli.md documents.
int interrupted_exit_code(int signo);

}  // namespace banwatch::app
