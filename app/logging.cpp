#include "app/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <iostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>

namespace banwatch::app {
namespace {

// `text` as the body of a JSON string, so a message with quotes or newlines
// still gives one valid JSON object a line.
void append_json_escaped(std::string_view text, spdlog::memory_buf_t& dest) {
  static constexpr std::pair<char, std::string_view> kShortEscapes[] = {
      {'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\r', "\\r"}, {'\t', "\\t"}};
  for (char c : text) {
    const auto* escape =
        std::find_if(std::begin(kShortEscapes), std::end(kShortEscapes), [c](const auto& e) { return e.first == c; });
    if (escape != std::end(kShortEscapes)) {
      dest.append(escape->second);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      dest.append(std::string_view(buf));
    } else {
      dest.push_back(c);
    }
  }
}

// %j: the message, escaped.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

// std::cerr's buffer under --log-format json: each line written to it leaves
// as one JSON object, in the logger's shape.
class JsonLines final : public std::streambuf {
 public:
  JsonLines() : original_(std::cerr.rdbuf(this)) {}
  ~JsonLines() override {
    emit();
    std::cerr.rdbuf(original_);
  }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    if (c == '\n') {
      emit();
    } else if (c == '\r') {
      line_.clear();  // a progress bar redrawing itself
    } else {
      line_.push_back(static_cast<char>(c));
    }
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) overflow(static_cast<unsigned char>(s[i]));
    return n;
  }
  int sync() override {
    std::fflush(stderr);
    return 0;
  }

 private:
  void emit() {
    if (line_.empty()) return;
    std::string_view text = line_;
    std::string_view level = "info";
    if (text.starts_with("banwatch: ")) {
      text.remove_prefix(10);
      level = "error";
      if (text.starts_with("warning: ")) {
        text.remove_prefix(9);
        level = "warning";
      }
    }
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    spdlog::memory_buf_t out;
    fmt::format_to(std::back_inserter(out), R"({{"time":"{}.{:03}Z","level":"{}","msg":")", stamp, millis, level);
    append_json_escaped(text, out);
    out.append(std::string_view("\"}\n"));
    if (auto logger = spdlog::default_logger_raw()) logger->flush();
    std::fwrite(out.data(), 1, out.size(), stderr);
    std::fflush(stderr);
    line_.clear();
  }

  std::streambuf* original_;
  std::string line_;
};

}  // namespace

void setup_logging(int verbosity, const std::string& format) {
  auto logger = spdlog::get("banwatch");
  if (!logger) logger = spdlog::stderr_color_mt("banwatch");
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('j').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%j"})");
    logger->set_formatter(std::move(formatter));
    static JsonLines lines;  // constructed once, after std::cerr; restores it at exit
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%SZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
  spdlog::level::level_enum level = spdlog::level::warn;
  if (verbosity < 0)
    level = spdlog::level::err;
  else if (verbosity == 1)
    level = spdlog::level::info;
  else if (verbosity >= 2)
    level = spdlog::level::debug;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

}  // namespace banwatch::app
