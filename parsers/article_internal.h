// Internal to parsers/: the passes of article::extract().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/article.h"
#include "parsers/html_dom.h"

namespace banwatch::article::detail {

// The main text found by scoring the tree.
struct Content {
  std::vector<std::string> paragraphs;  // whitespace-collapsed, non-empty
  std::size_t chars = 0;                // code points over all paragraphs
};

// `title` lets the extractor drop a heading that repeats the page title.
Content extract_content(const html::Document& doc, std::string_view title);

// What schema.org JSON-LD says about the page's article (the first object of
// an Article-like type, else the first object with a headline).
struct JsonLd {
  std::string headline, article_body, description, date_published, date_modified;
  // datePublished (else dateCreated, uploadDate) of the best-typed object that
  // has one: an Article-like object, then a WebPage, then any other.
  // date_modified falls back to that object's dateModified.
  std::string any_date_published;
  std::string publisher, language, url;
  std::vector<std::string> authors;
  std::optional<bool> accessible_for_free;
  bool found = false;
};

// Metadata from <head>, JSON-LD, bylines and the URL; fills `article` except
// text, and returns the JSON-LD facts the body step needs.
JsonLd extract_metadata(const html::Document& doc, const Options& options, Article& article);

// Splits plain text (JSON-LD articleBody) into paragraphs on blank lines or
// single newlines, collapsing whitespace; strips markup if it carries any.
std::vector<std::string> plain_paragraphs(std::string_view text);

std::size_t count_code_points(std::string_view s);

// Primary language tag guessed from the script and stop words, or "".
std::string detect_language(std::string_view text);

}  // namespace banwatch::article::detail
