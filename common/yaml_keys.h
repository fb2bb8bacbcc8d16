// yaml-cpp keeps every entry of a mapping whose key repeats, and a lookup
// finds only the first: the later value would be lost without a word. Both
// YAML readers (the configuration, the rule pack) refuse such a file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace banwatch {

struct DuplicateKey {
  std::string key;     // the key's path: "fetch.timeout"
  int line = 0;        // where it repeats (1-based)
  int first_line = 0;  // where it was first given
};

// The first key that repeats within one mapping, anywhere in `root` (nested
// mappings and mappings in lists too).
std::optional<DuplicateKey> find_duplicate_key(const YAML::Node& root);

}  // namespace banwatch
