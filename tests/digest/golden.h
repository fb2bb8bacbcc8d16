// Golden files: tests/data/digest/<name>. BANWATCH_UPDATE_GOLDEN=1 rewrites
// them from the current output (then review the diff before committing).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace banwatch::digest::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(BANWATCH_TEST_DATA) + "/digest/" + name;
  const char* update = std::getenv("BANWATCH_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream probe(path);
  ASSERT_TRUE(probe.good()) << path << " is missing; run with BANWATCH_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(read_file(path), actual) << "output differs from " << path
                                     << " (BANWATCH_UPDATE_GOLDEN=1 rewrites it after review)";
}

}  // namespace banwatch::digest::testing
