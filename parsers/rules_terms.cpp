// Dictionary terms: their lookup keys, the alternations that match them and
// the byte-table prefilter that finds where one may start.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "common/text.h"
#include "parsers/rules_internal.h"

namespace banwatch::rules {
namespace internal {

std::string term_key(std::string_view s) {
  std::string out = ascii_lower(collapse_ascii_space(s));
  if (out.starts_with("the ")) out.erase(0, 4);
  return out;
}

namespace {
bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
}  // namespace

std::string alternation(std::vector<std::string> terms) {
  std::sort(terms.begin(), terms.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  std::string out = "(?:";
  bool first = true;
  for (const auto& t : terms) {
    if (t.empty()) continue;
    if (!first) out += "|";
    first = false;
    std::string piece;
    if (word_char(t.front())) piece += "\\b";
    std::string quoted = RE2::QuoteMeta(t);
    // Flexible whitespace: "Kaspersky\ Lab" -> "Kaspersky\s+Lab".
    std::string flex;
    for (std::size_t i = 0; i < quoted.size(); ++i) {
      if (quoted[i] == '\\' && i + 1 < quoted.size() && quoted[i + 1] == ' ') {
        flex += "\\s+";
        ++i;
      } else {
        flex.push_back(quoted[i]);
      }
    }
    piece += flex;
    if (word_char(t.back())) piece += "\\b";
    out += piece;
  }
  if (first) out += "\\x00\\x00NEVER";
  out += ")";
  return out;
}

namespace {
// RE2's \s: the bytes one space in a term stands for (alternation() makes it \s+).
constexpr char kRe2Spaces[] = {' ', '\t', '\n', '\f', '\r'};
}  // namespace

TermStarts::TermStarts(const std::vector<std::string>& terms) : bigrams_(65536 / 64), short_bigrams_(65536 / 64) {
  // Every prefix (up to three bytes) of a string a term matches: each space
  // of the term is a run of one or more of RE2's whitespace bytes. A prefix
  // shorter than three bytes is a whole match.
  struct Step {
    const std::string* term;
    std::size_t at;      // next byte of the term
    bool space_started;  // at a space of the term, of which one byte is read
    std::string prefix;
  };
  std::vector<Step> todo;
  for (const auto& t : terms)
    if (!t.empty()) todo.push_back(Step{&t, 0, false, ""});
  while (!todo.empty()) {
    Step step = std::move(todo.back());
    todo.pop_back();
    const std::string& t = *step.term;
    if (step.prefix.size() == 3 || step.at == t.size()) {
      add_prefix(step.prefix);
      continue;
    }
    if (t[step.at] != ' ') {
      todo.push_back(Step{&t, step.at + 1, false, step.prefix + t[step.at]});
      continue;
    }
    if (step.space_started) todo.push_back(Step{&t, step.at + 1, false, step.prefix});  // the run ends
    for (char w : kRe2Spaces) todo.push_back(Step{&t, step.at, true, step.prefix + w});
  }
  std::sort(trigrams_.begin(), trigrams_.end());
  trigrams_.erase(std::unique(trigrams_.begin(), trigrams_.end()), trigrams_.end());
}

void TermStarts::add_prefix(const std::string& prefix) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(prefix[i]); };
  if (!prefix.empty()) first_bytes_[byte(0)] = true;
  if (prefix.size() == 1) {
    short_bytes_[byte(0)] = true;
  } else if (prefix.size() == 2) {
    const unsigned key = byte(0) << 8 | byte(1);
    short_bigrams_[key >> 6] |= std::uint64_t{1} << (key & 63);
  } else if (prefix.size() == 3) {
    const unsigned key = byte(0) << 8 | byte(1);
    bigrams_[key >> 6] |= std::uint64_t{1} << (key & 63);
    trigrams_.push_back(static_cast<std::uint32_t>(key << 8 | byte(2)));
  }
}

std::size_t TermStarts::next(std::string_view text, std::size_t from) const {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const bool* first = first_bytes_;
  for (std::size_t i = from; i < n; ++i) {
    // Most bytes start no term: skip them four at a time.
    while (i + 4 <= n && !(first[p[i]] | first[p[i + 1]] | first[p[i + 2]] | first[p[i + 3]])) i += 4;
    if (i >= n) break;
    const unsigned char c = p[i];
    if (!first[c]) continue;
    // A term starting with a word byte starts with \b.
    if (re2_word(c) && i > 0 && re2_word(p[i - 1])) continue;
    if (short_bytes_[c]) return i;
    if (i + 1 >= n) continue;
    const unsigned key = c << 8 | p[i + 1];
    if (short_bigrams_[key >> 6] >> (key & 63) & 1) return i;
    if (i + 2 >= n || !(bigrams_[key >> 6] >> (key & 63) & 1)) continue;
    if (std::binary_search(trigrams_.begin(), trigrams_.end(), static_cast<std::uint32_t>(key << 8 | p[i + 2])))
      return i;
  }
  return n;
}

std::string LazyRegex::compile() const {
  static_cast<void>(**this);
  return error_;
}

const RE2& LazyRegex::operator*() const {
  std::call_once(once_, [this] {
    re_ = std::make_unique<RE2>(pattern_, options_);
    if (re_->ok()) return;
    error_ = re_->error();
    // A class that holds no character: a regex that never matches.
    re_ = std::make_unique<RE2>("[^\\x00-\\x{10FFFF}]", options_);
  });
  return *re_;
}

bool LazySet::Compile() const {
  std::call_once(once_, [this] { compiled_ = set_.Compile(); });
  return compiled_;
}

bool LazySet::Match(const re2::StringPiece& text, std::vector<int>* v, RE2::Set::ErrorInfo* info) const {
  if (!Compile()) {
    if (v) v->clear();
    if (info) info->kind = RE2::Set::kOutOfMemory;
    return false;
  }
  return set_.Match(text, v, info);
}

}  // namespace internal

}  // namespace banwatch::rules
