// Running the banwatch binary from a test, as a user runs it: in a directory
// of the test's, with a clean environment, standard output and standard
// error captured apart.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

// Runs the shell line `command` in `dir` without BANWATCH_CONFIG and
// BANWATCH_DB; `env` ("NAME=VALUE ...") is set for it.
inline Outcome run_in(const std::filesystem::path& dir, const std::string& command, const std::string& env = "") {
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string line = "cd '" + dir.string() + "' && env -u BANWATCH_CONFIG -u BANWATCH_DB " + env + " " + command +
                           " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(line.c_str());
  Outcome o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = read_file(out);
  o.err = read_file(err);
  return o;
}

}  // namespace banwatch::testing
