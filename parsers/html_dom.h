// Internal to parsers/: an HTML document parsed by Gumbo and flattened into a
// pre-order array, so that every later pass is an index loop (no recursion over
// untrusted trees, subtree = contiguous range [i, end)).
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/text.h"

namespace banwatch::html {

struct Limits {
  std::size_t max_bytes = 16u << 20;
  std::size_t max_nodes = 2'000'000;
  // Deeper nesting than this (after the parser's implied end tags) is cut off:
  // Gumbo's scope checks are linear in the depth, so a page of 100,000 nested
  // <div>s would otherwise take quadratic time.
  std::size_t max_depth = 1500;
};

enum class Kind : std::uint8_t { kElement, kText, kWhitespace };

struct Node {
  const GumboNode* gumbo = nullptr;
  std::int32_t parent = -1;  // -1 for the root element (<html>)
  std::int32_t end = 0;      // one past the last descendant
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  Kind kind = Kind::kElement;
};

class Document {
 public:
  // Parses UTF-8 HTML. Errors: kBudgetExceeded (bytes, nodes).
  // When the input nests deeper than limits.max_depth, the rest of the input
  // is dropped and truncated() reports the byte offset.
  static Result<std::unique_ptr<Document>> parse(std::string_view utf8, const Limits& limits);

  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const std::vector<Node>& nodes() const { return nodes_; }
  std::size_t truncated_at() const { return truncated_at_; }  // 0 when not truncated

  // Attribute value or "" (Gumbo decodes entities in attribute values).
  std::string_view attr(std::size_t i, const char* name) const;
  bool has_attr(std::size_t i, const char* name) const;
  std::string_view text(std::size_t i) const;  // text/whitespace node content
  // Tag name in lower case, for unknown (custom) elements too.
  std::string_view tag_name(std::size_t i) const;

  struct Arena;

 private:
  Document() = default;
  std::unique_ptr<Arena> arena_;
  GumboOutput* output_ = nullptr;
  std::string input_;  // owned copy when truncated
  std::vector<Node> nodes_;
  std::size_t truncated_at_ = 0;
};

// Helpers shared by the article passes.
bool is_block_tag(GumboTag tag);
// Appends `text` to `out` collapsing every run of ASCII/Unicode whitespace to
// one space; `pending_space` carries a space across calls.
void append_collapsed(std::string& out, std::string_view text, bool& pending_space);
// Number of code points after whitespace collapsing (leading/trailing runs count as one).
std::size_t collapsed_length(std::string_view text, bool& pending_space);
std::string collapse_whitespace(std::string_view text);  // and trims

}  // namespace banwatch::html
