#include "app/progress.h"

#include <unistd.h>

#include <iostream>

#include <fmt/format.h>

#include "app/app.h"

namespace banwatch::app {

ProgressLine::ProgressLine(const Context& ctx, std::string label)
    : label_(std::move(label)),
      enabled_(ctx.options.verbosity >= 0 && ctx.options.log_format == "text" && ::isatty(STDERR_FILENO) == 1) {}

void ProgressLine::update(std::size_t done, std::size_t total, std::string_view unit, std::string_view detail) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool last = total > 0 && done >= total;
  if (drawn_ && !last && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::string line =
      total > 0 ? fmt::format("{} {}/{} {}", label_, done, total, unit) : fmt::format("{} {} {}", label_, done, unit);
  if (!detail.empty()) line += fmt::format(", {}", detail);
  // \r and erase-to-end-of-line: the line is redrawn in place.
  std::cerr << "\r\033[K" << line << std::flush;
  drawn_ = true;
}

void ProgressLine::clear() {
  if (!drawn_) return;
  std::cerr << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace banwatch::app
