#include "common/yaml_keys.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

namespace banwatch {

std::optional<DuplicateKey> find_duplicate_key(const YAML::Node& root) {
  // Iterative: a deeply nested file must not exhaust the stack. A node that
  // aliases another is the same place in the text and is visited once, so
  // nested aliases ("billion laughs") cost no more than the text itself.
  std::vector<std::pair<YAML::Node, std::string>> pending = {{root, ""}};
  std::set<std::pair<int, int>> visited;
  while (!pending.empty()) {
    auto [node, path] = std::move(pending.back());
    pending.pop_back();
    if (!node.IsSequence() && !node.IsMap()) continue;
    if (!visited.emplace(node.Mark().line, node.Mark().column).second) continue;
    if (node.IsSequence()) {
      for (const auto& item : node) pending.emplace_back(item, path);
    } else if (node.IsMap()) {
      std::map<std::string, int> lines;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) continue;
        const std::string key = path.empty() ? entry.first.Scalar() : path + "." + entry.first.Scalar();
        const int line = entry.first.Mark().line + 1;
        if (auto [first, inserted] = lines.emplace(entry.first.Scalar(), line); !inserted)
          return DuplicateKey{key, line, first->second};
        pending.emplace_back(entry.second, key);
      }
    }
  }
  return std::nullopt;
}

}  // namespace banwatch
