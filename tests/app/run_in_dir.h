// A command (banwatch, make, sh) run as a user runs it: in the test's own
// directory, with a clean BANWATCH_CONFIG/BANWATCH_DB, no standard input,
// its exit code and both output streams kept.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace banwatch::testing {

struct Outcome {
  int code = -1;
  std::string out, err;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh, empty directory for the running test: <tmp>/<prefix>-<pid>-<test name>.
inline std::filesystem::path fresh_test_directory(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()) + "-" +
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// `env` is prepended as `env` arguments (VAR=value ...).
inline Outcome run_in(const std::filesystem::path& dir, const std::string& command, const std::string& env = "") {
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string cmd = "cd '" + dir.string() + "' && env -u BANWATCH_CONFIG -u BANWATCH_DB " + env + " " + command +
                          " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(cmd.c_str());
  Outcome o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = read_file(out);
  o.err = read_file(err);
  return o;
}

}  // namespace banwatch::testing
