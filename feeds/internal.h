// Pieces shared by the feed, JSON Feed and OPML readers. Not a public header:
// only feeds/*.cpp and the feeds tests include it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/html_text.h"  // html_to_text() for titles published as HTML
#include "common/text.h"       // trim_html_space(), append_utf8(), append_escaped_markup()
#include "feeds/feed.h"

namespace banwatch::feeds::internal {

// The document as UTF-8, after reconciling the BOM, the XML declaration and
// the HTTP charset the way feedparser does.
struct DecodedDocument {
  std::string owned;      // the converted text, when a conversion was needed
  std::string_view text;  // UTF-8, BOM removed; views `owned` or the input
  std::string encoding;   // lower-case name the bytes were read as
  std::vector<std::string> warnings;

  // Copies and moves keep `text` pointing into this object's own `owned`: a
  // short string lives inside the std::string object, so a plain move (the
  // return from decode_document) would leave `text` viewing the old object.
  DecodedDocument() = default;
  DecodedDocument(const DecodedDocument& other) { *this = other; }
  DecodedDocument(DecodedDocument&& other) noexcept { *this = std::move(other); }
  DecodedDocument& operator=(const DecodedDocument& other) {
    if (this != &other) assign(other, std::string(other.owned), other.encoding, other.warnings);
    return *this;
  }
  DecodedDocument& operator=(DecodedDocument&& other) noexcept {
    if (this != &other) assign(other, std::move(other.owned), std::move(other.encoding), std::move(other.warnings));
    return *this;
  }

 private:
  void assign(const DecodedDocument& from, std::string&& from_owned, std::string&& from_encoding,
              std::vector<std::string>&& from_warnings) {
    // Measured before `from_owned` (possibly from.owned itself) is taken.
    const std::less_equal<const char*> le;
    const char* begin = from.owned.data();
    const bool views_owned = le(begin, from.text.data()) && le(from.text.data(), begin + from.owned.size());
    const std::size_t offset = views_owned ? static_cast<std::size_t>(from.text.data() - begin) : 0;
    const std::string_view from_text = from.text;
    owned = std::move(from_owned);
    text = views_owned ? std::string_view(owned).substr(offset, from_text.size()) : from_text;
    encoding = std::move(from_encoding);
    warnings = std::move(from_warnings);
  }
  void assign(const DecodedDocument& from, std::string&& from_owned, const std::string& from_encoding,
              const std::vector<std::string>& from_warnings) {
    assign(from, std::move(from_owned), std::string(from_encoding), std::vector<std::string>(from_warnings));
  }
};
Result<DecodedDocument> decode_document(std::string_view bytes, const Options& options);

// The bytes with bare ampersands ("AT&T", "a & b") escaped, outside CDATA
// sections and comments. Returns false (and leaves `out` alone) when nothing
// needed fixing, so the common case copies nothing.
bool escape_bare_ampersands(std::string_view text, std::string& out, std::size_t& fixed);

// XML dialects (RSS, RDF, Atom, sitemaps). `feed` arrives with the encoding
// and decoding warnings already filled in.
Status parse_xml(std::string_view utf8, const Options& options, Feed& feed);

// JSON Feed 1.0/1.1.
Status parse_json_feed(std::string_view utf8, const Options& options, Feed& feed);

// feedparser's heuristic: an end tag or an entity reference means HTML.
bool looks_like_html(std::string_view text);
// Relative URLs in the URL-valued attributes of an HTML fragment (href, src,
// cite, ...) resolved against `base`, as feedparser does for content.
std::string resolve_html_urls(std::string_view html, std::string_view base);
// C1 control characters (U+0080-U+009F) stand for windows-1252 punctuation
// in real feeds (curly quotes, dashes, the euro sign): replaced by what they
// meant, and in HTML the references &#128;-&#159; likewise.
void fix_windows_1252_controls(std::string& text, bool html);
// "<br/>" written "<br />" and "&#X61;" as "&#x61;": the spelling feedparser
// normalizes HTML content to.
void normalize_html_shorttags(std::string& html);

// `reference` resolved against `base`; the reference itself when either does
// not parse (relative links with no base stay relative).
std::string resolve_url(std::string_view base, std::string_view reference);

// Fills derived fields once the structure is read: dates parsed from their raw
// strings (an unparseable date is a warning on the item), the stable id, the
// summary fallback.
void finish_item(Item& item);
void finish_feed(Feed& feed);

// Stable 64-bit FNV-1a, hex: ids that must not change between runs.
std::string stable_hash(std::string_view a, std::string_view b);

}  // namespace banwatch::feeds::internal
