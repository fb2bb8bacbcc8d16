#include "store/store.h"

namespace banwatch::store {

Result<std::vector<AppendResult>> Store::append_batch(const std::vector<ArticleWithEvents>& batch,
                                                      const AppendOptions& options) {
  std::vector<AppendResult> results;
  results.reserve(batch.size());
  for (const ArticleWithEvents& entry : batch) {
    auto appended = append_article(entry.article, entry.events, options);
    if (!appended) return std::unexpected(appended.error());
    results.push_back(*appended);
  }
  return results;
}

}  // namespace banwatch::store
