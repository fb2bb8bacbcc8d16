#include "app/input.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/app.h"

namespace banwatch::app {
namespace {

std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

void on_stop_signal(int signo) { g_stop_signal.store(signo); }

// Reads `in` to its end, failing once more than `max_bytes` arrived.
Result<std::string> read_stream(std::istream& in, std::string_view name, std::size_t max_bytes, std::string_view what) {
  std::string bytes;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes)
      return fail(ErrorCode::kBudgetExceeded,
                  fmt::format("{}: more than the {} budget of {} bytes", name, what, max_bytes));
  }
  if (in.bad()) return fail(ErrorCode::kIo, fmt::format("{}: cannot read the file", name));
  return bytes;
}

}  // namespace

Result<std::string> read_input(const std::string& path, std::size_t max_bytes, std::string_view what) {
  if (path == "-") return read_stream(std::cin, "standard input", max_bytes, what);
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, path + ": cannot open the file");
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_bytes)
      return fail(ErrorCode::kBudgetExceeded,
                  fmt::format("{}: {} bytes, more than the {} budget of {}", path, size, what, max_bytes));
  }
  return read_stream(in, path, max_bytes, what);
}

StopSignals::StopSignals() {
  g_stop_signal.store(0);
  struct sigaction sa = {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

const std::atomic<int>* stop_flag() { return &g_stop_signal; }
int stop_signal() { return g_stop_signal.load(); }
int interrupted_exit_code(int signo) { return signo == SIGTERM ? 143 : kExitInterrupted; }

}  // namespace banwatch::app
