// A one-line progress indicator on standard error for long crawls,
// recrawls and reextracts: drawn only when stderr is a terminal (never in
// cron mail, logs or pipes), not with -q or --log-format json, redrawn at
// most ten times a second, and erased when the work ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace banwatch::app {

class Context;

class ProgressLine {
 public:
  ProgressLine(const Context& ctx, std::string label);
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }
  // "<label> 12/40 <unit>, <detail>"; total 0: unknown ("<label> 12 <unit>").
  void update(std::size_t done, std::size_t total, std::string_view unit, std::string_view detail = "");
  void clear();  // erases the line, if one was drawn

 private:
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace banwatch::app
