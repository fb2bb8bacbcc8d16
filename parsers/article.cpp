#include "parsers/article.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parsers/article_internal.h"
#include "common/charset.h"
#include "common/text.h"
#include "parsers/html_dom.h"

namespace banwatch::article {
namespace {

// Bytes that cannot be a web page: NULs and control characters dominate.
bool looks_binary(std::string_view s) {
  std::size_t sample = std::min<std::size_t>(s.size(), 4096), control = 0;
  for (std::size_t i = 0; i < sample; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0 || (c < 0x20 && !is_ascii_space(static_cast<char>(c)) && c != 0x1B)) ++control;
  }
  return control * 10 > sample;
}

std::string nfc(const std::string& s) {
  if (is_ascii(s)) return s;
  return banwatch::nfc(s);
}

std::string join(const std::vector<std::string>& paragraphs) {
  std::string out;
  std::size_t total = 0;
  for (const auto& p : paragraphs) total += p.size() + 2;
  out.reserve(total);
  for (const auto& p : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

// Script-rendered shells: next to no visible text, much script.
bool script_rendered(std::string_view html) {
  return html.find("__NEXT_DATA__") != std::string_view::npos ||
         html.find("window.__INITIAL_STATE__") != std::string_view::npos ||
         html.find("id=\"root\"></div>") != std::string_view::npos ||
         html.find("id=\"app\"></div>") != std::string_view::npos;
}

}  // namespace

Result<Article> extract(std::string_view bytes, const Options& options) {
  if (bytes.size() > options.max_bytes) {
    return fail(ErrorCode::kBudgetExceeded, "page is " + std::to_string(bytes.size()) +
                                                " bytes, more than the budget of " + std::to_string(options.max_bytes));
  }
  if (std::all_of(bytes.begin(), bytes.end(), is_ascii_space)) return fail(ErrorCode::kParse, "empty page");

  Article article;
  article.url = options.url;

  // Charset: BOM, then the HTTP header, then <meta>; invalid bytes replaced.
  Decoded decoded = decode_html(bytes, options.http_charset);
  for (auto& w : decoded.warnings) article.warnings.push_back(std::move(w));
  const std::string& utf8 = decoded.text;

  if (looks_binary(utf8)) return fail(ErrorCode::kParse, "page is binary data, not HTML");
  if (utf8.find('<') == std::string::npos) return fail(ErrorCode::kParse, "page has no markup, not HTML");

  html::Limits limits;
  limits.max_bytes = options.max_bytes * 4 + 1024;  // decoding may grow the text
  limits.max_nodes = options.max_nodes;
  auto doc = html::Document::parse(utf8, limits);
  if (!doc) return std::unexpected(doc.error().with_context("page"));
  if ((*doc)->truncated_at() != 0) {
    article.warnings.push_back("page nests elements deeper than " + std::to_string(limits.max_depth) +
                               " levels; ignored the rest from byte " + std::to_string((*doc)->truncated_at()));
    article.body_partial = true;
  }

  detail::JsonLd ld = detail::extract_metadata(**doc, options, article);
  detail::Content content = detail::extract_content(**doc, article.title);

  // JSON-LD articleBody: what the publisher says the body is. Prefer it when
  // the page's markup carries clearly less (paywalls, script-rendered pages).
  std::vector<std::string> ld_paragraphs;
  std::size_t ld_chars = 0;
  if (!ld.article_body.empty()) {
    ld_paragraphs = detail::plain_paragraphs(ld.article_body);
    for (const auto& p : ld_paragraphs) ld_chars += detail::count_code_points(p) + 1;
  }
  if (ld_chars > 0 && static_cast<double>(content.chars) < 0.6 * static_cast<double>(ld_chars)) {
    content.paragraphs = std::move(ld_paragraphs);
    content.chars = ld_chars;
    article.warnings.push_back("main text taken from the page's JSON-LD articleBody");
  }
  article.text = nfc(join(content.paragraphs));

  if (ld.accessible_for_free && !*ld.accessible_for_free) {
    article.body_partial = true;
    article.warnings.push_back("page marks the article as not free to read; the body may be partial");
  }
  if (article.text.empty()) {
    article.warnings.push_back("no article body found");
    if (script_rendered(utf8)) {
      article.body_partial = true;
      article.warnings.push_back("page appears to be rendered by script; only its metadata was read");
    }
  } else if (content.chars < 300 && (script_rendered(utf8) || !article.description.empty())) {
    if (script_rendered(utf8) || (ld.accessible_for_free && !*ld.accessible_for_free)) article.body_partial = true;
    article.warnings.push_back("article body is short (" + std::to_string(content.chars) +
                               " characters); it may be partial");
  }

  if (article.language.empty()) {
    article.language = detail::detect_language(article.text.empty() ? article.title : article.text);
    if (!article.language.empty()) article.warnings.push_back("language detected from the text: " + article.language);
  }
  article.title = nfc(article.title);
  article.description = nfc(article.description);
  article.site_name = nfc(article.site_name);
  for (auto& a : article.authors) a = nfc(a);
  return article;
}

}  // namespace banwatch::article
