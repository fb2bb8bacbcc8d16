// RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and XML sitemaps through one libxml2 SAX2
// pass: no tree is built, so memory stays proportional to the largest field
// and the speed close to the tokenizer's.
//
// Safety: the parser never loads a DTD, an external entity or anything over
// the network (no XML_PARSE_NOENT/DTDLOAD, NONET set, resolveEntity and
// externalSubset refuse). Internal entity expansion is bounded by libxml2's
// amplification check (XML_PARSE_HUGE stays off) and by our own byte budget.
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include "common/enum_names.h"
#include "feeds/internal.h"

namespace banwatch::feeds::internal {

namespace {

enum class Ns : std::uint8_t {
  kCore,  // no namespace, RSS 0.9x/1.0/2.0 namespaces, Atom 0.3/1.0
  kDc,
  kDcTerms,
  kContent,
  kMedia,
  kNews,
  kXhtml,
  kSitemap,
  kRdf,
  kOther,
};

enum class Tag : std::uint8_t {
  kUnknown,
  // roots and containers
  kRss,
  kChannel,
  kRdfRoot,
  kFeed,
  kItem,
  kEntry,
  kImage,
  kTextInput,
  kSource,
  kAuthor,
  kContributor,
  kUrlset,
  kUrl,
  kSitemapIndex,
  kSitemap,
  kNewsNews,
  kNewsPublication,
  kHtml,
  // fields
  kTitle,
  kLink,
  kDescription,
  kSummary,
  kContent,
  kContentEncoded,
  kSubtitle,
  kGuid,
  kId,
  kPubDate,
  kLastBuildDate,
  kUpdated,
  kPublished,
  kIssued,
  kModified,
  kCreated,
  kDcDate,
  kDcCreator,
  kDcSubject,
  kDcLanguage,
  kDcTitle,
  kDcDescription,
  kDcPublisher,
  kLanguage,
  kCategory,
  kName,
  kEmail,
  kUri,
  kManagingEditor,
  kEnclosure,
  kMediaContent,
  kTtl,
  kSkipHours,
  kHour,
  kSkipDays,
  kDay,
  kLoc,
  kLastmod,
  kNewsName,
  kNewsLanguage,
  kNewsPublicationDate,
  kNewsTitle,
  kNewsKeywords,
  kXhtmlBody,
  kComments,
  kFullItem,
  kTags,
};

// Namespace URIs feedparser accepts for each family.
Ns classify_namespace(std::string_view uri) {
  if (uri.empty()) return Ns::kCore;
  static const std::unordered_map<std::string_view, Ns> kKnown = {
      {"http://www.w3.org/2005/Atom", Ns::kCore},
      {"http://purl.org/atom/ns#", Ns::kCore},
      {"http://purl.org/rss/1.0/", Ns::kCore},
      {"http://my.netscape.com/rdf/simple/0.9/", Ns::kCore},
      {"http://backend.userland.com/rss2", Ns::kCore},
      {"http://backend.userland.com/rss", Ns::kCore},
      {"http://blogs.law.harvard.edu/tech/rss", Ns::kCore},
      {"http://purl.org/net/rss1.1#", Ns::kCore},
      {"http://purl.org/dc/elements/1.1/", Ns::kDc},
      {"http://purl.org/dc/elements/1.0/", Ns::kDc},
      {"http://purl.org/dc/terms/", Ns::kDcTerms},
      {"http://purl.org/rss/1.0/modules/content/", Ns::kContent},
      {"http://search.yahoo.com/mrss/", Ns::kMedia},
      {"http://search.yahoo.com/mrss", Ns::kMedia},
      {"http://www.google.com/schemas/sitemap-news/0.9", Ns::kNews},
      {"http://www.w3.org/1999/xhtml", Ns::kXhtml},
      {"http://www.sitemaps.org/schemas/sitemap/0.9", Ns::kSitemap},
      {"http://www.google.com/schemas/sitemap/0.84", Ns::kSitemap},
      {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", Ns::kRdf},
  };
  auto it = kKnown.find(uri);
  return it == kKnown.end() ? Ns::kOther : it->second;
}

// Elements whose namespace prefix was never declared: the usual prefixes.
constexpr EnumName<Ns> kUsualPrefixes[] = {
    {Ns::kDc, "dc"},     {Ns::kDcTerms, "dcterms"}, {Ns::kContent, "content"}, {Ns::kMedia, "media"},
    {Ns::kNews, "news"}, {Ns::kCore, "atom"},       {Ns::kRdf, "rdf"},         {Ns::kXhtml, "xhtml"},
};

Ns classify_prefix(std::string_view prefix) { return value_of(kUsualPrefixes, prefix).value_or(Ns::kOther); }

// The elements read from the Dublin Core, DCMI terms, Google News and XHTML
// namespaces, by local name.
constexpr EnumName<Tag> kDcTags[] = {
    {Tag::kDcDate, "date"},
    {Tag::kDcCreator, "creator"},
    {Tag::kDcCreator, "author"},
    {Tag::kDcSubject, "subject"},
    {Tag::kDcLanguage, "language"},
    {Tag::kDcTitle, "title"},
    {Tag::kDcDescription, "description"},
    {Tag::kDcPublisher, "publisher"},
};
constexpr EnumName<Tag> kDcTermsTags[] = {

    {Tag::kModified, "modified"},
    {Tag::kIssued, "issued"},
    {Tag::kCreated, "created"},
};
constexpr EnumName<Tag> kNewsTags[] = {

    {Tag::kNewsNews, "news"},         {Tag::kNewsPublication, "publication"},          {Tag::kNewsName, "name"},
    {Tag::kNewsLanguage, "language"}, {Tag::kNewsPublicationDate, "publication_date"}, {Tag::kNewsTitle, "title"},
    {Tag::kNewsKeywords, "keywords"},
};
constexpr EnumName<Tag> kXhtmlTags[] = {
    {Tag::kXhtmlBody, "body"},
    {Tag::kHtml, "html"},
};

template <std::size_t N>
Tag tag_named(const EnumName<Tag> (&table)[N], std::string_view name) {
  return value_of(table, name).value_or(Tag::kUnknown);
}

Tag classify(Ns ns, std::string_view name) {
  static const std::unordered_map<std::string_view, Tag> kCoreTags = {
      {"rss", Tag::kRss},
      {"channel", Tag::kChannel},
      {"feed", Tag::kFeed},
      {"item", Tag::kItem},
      {"entry", Tag::kEntry},
      {"image", Tag::kImage},
      {"textinput", Tag::kTextInput},
      {"textInput", Tag::kTextInput},
      {"source", Tag::kSource},
      {"author", Tag::kAuthor},
      {"contributor", Tag::kContributor},
      {"urlset", Tag::kUrlset},
      {"url", Tag::kUrl},
      {"sitemapindex", Tag::kSitemapIndex},
      {"sitemap", Tag::kSitemap},
      {"html", Tag::kHtml},
      {"title", Tag::kTitle},
      {"link", Tag::kLink},
      {"description", Tag::kDescription},
      {"summary", Tag::kSummary},
      {"content", Tag::kContent},
      {"subtitle", Tag::kSubtitle},
      {"tagline", Tag::kSubtitle},
      {"guid", Tag::kGuid},
      {"id", Tag::kId},
      {"pubDate", Tag::kPubDate},
      {"pubdate", Tag::kPubDate},
      {"lastBuildDate", Tag::kLastBuildDate},
      {"updated", Tag::kUpdated},
      {"published", Tag::kPublished},
      {"issued", Tag::kIssued},
      {"modified", Tag::kModified},
      {"created", Tag::kCreated},
      {"language", Tag::kLanguage},
      {"category", Tag::kCategory},
      {"name", Tag::kName},
      {"email", Tag::kEmail},
      {"uri", Tag::kUri},
      {"managingEditor", Tag::kManagingEditor},
      {"enclosure", Tag::kEnclosure},
      {"ttl", Tag::kTtl},
      {"skipHours", Tag::kSkipHours},
      {"hour", Tag::kHour},
      {"skipDays", Tag::kSkipDays},
      {"day", Tag::kDay},
      {"loc", Tag::kLoc},
      {"lastmod", Tag::kLastmod},
      {"comments", Tag::kComments},
      {"fullitem", Tag::kFullItem},
      {"tags", Tag::kTags},
      {"body", Tag::kXhtmlBody},
  };
  switch (ns) {
    case Ns::kCore:
    case Ns::kSitemap: {
      auto it = kCoreTags.find(name);
      if (it == kCoreTags.end()) return Tag::kUnknown;
      // Atom 0.3 person constructs use <url>; sitemaps use <url> as the entry.
      return it->second;
    }
    case Ns::kDc:
      return tag_named(kDcTags, name);
    case Ns::kDcTerms:
      return tag_named(kDcTermsTags, name);
    case Ns::kContent:
      return name == "encoded" ? Tag::kContentEncoded : Tag::kUnknown;
    case Ns::kMedia:
      return name == "content" ? Tag::kMediaContent : Tag::kUnknown;
    case Ns::kNews:
      return tag_named(kNewsTags, name);
    case Ns::kXhtml:
      return tag_named(kXhtmlTags, name);
    case Ns::kRdf:
      return name == "RDF" ? Tag::kRdfRoot : Tag::kUnknown;
    case Ns::kOther:
      return Tag::kUnknown;
  }
  return Tag::kUnknown;
}

// `field` becomes the trimmed `value` unless that is empty: the last of
// repeated or synonymous elements wins, as in feedparser.
void assign_trimmed(std::string& field, std::string_view value) {
  const std::string_view trimmed = trim_html_space(value);
  if (!trimmed.empty()) field = std::string(trimmed);
}

bool is_void_html_element(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                               "input", "link", "meta", "param", "source", "track", "wbr"};
  for (auto v : kVoid) {
    if (name == v) return true;
  }
  return false;
}

// What a text construct is, from Atom's type/mode attributes or the element's
// conventional type.
enum class TextKind : std::uint8_t { kText, kHtml, kXhtml, kBase64, kOther };

// The media types of the first kinds, in TextKind's order; the rest read as text.
constexpr std::string_view kTextKindMimes[] = {"text/plain", "text/html", "application/xhtml+xml"};

std::string_view mime_of(TextKind k) { return name_at(kTextKindMimes, k, "text/plain"); }

// libxml2 hands attribute values over with '&' still written as "&#38;"
// (and undeclared references as "&name;") when it does not substitute
// entities; values are decoded into `scratch`, valid until the next element.
std::string_view decode_attribute(std::string_view value, std::deque<std::string>& scratch) {
  if (value.find('&') == std::string_view::npos) return value;
  std::string& out = scratch.emplace_back();
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size();) {
    if (value.compare(i, 5, "&#38;") == 0) {
      out += '&';
      i += 5;
    } else {
      out += value[i++];
    }
  }
  return out;
}

struct Attributes {
  const xmlChar** raw;
  int count;
  std::deque<std::string>* scratch;
  // SAX2 attributes come as (localname, prefix, URI, value, end) quintuples.
  std::string_view get(std::string_view local, std::string_view uri = {}) const {
    for (int i = 0; i < count; ++i) {
      const xmlChar** a = raw + i * 5;
      const char* name = reinterpret_cast<const char*>(a[0]);
      if (local != name) continue;
      std::string_view a_uri = a[2] ? reinterpret_cast<const char*>(a[2]) : "";
      if (!uri.empty() && a_uri != uri) continue;
      if (uri.empty() && !a_uri.empty() && a_uri != "http://www.w3.org/2005/Atom") continue;
      return decode_attribute(
          std::string_view(reinterpret_cast<const char*>(a[3]), static_cast<std::size_t>(a[4] - a[3])), *scratch);
    }
    return {};
  }
  bool has(std::string_view local, std::string_view uri = {}) const {
    for (int i = 0; i < count; ++i) {
      const xmlChar** a = raw + i * 5;
      if (local != reinterpret_cast<const char*>(a[0])) continue;
      std::string_view a_uri = a[2] ? reinterpret_cast<const char*>(a[2]) : "";
      if (!uri.empty() && a_uri != uri) continue;
      return true;
    }
    return false;
  }
};

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

struct Frame {
  Tag tag;
  Ns ns;
  bool pushed_base;
  bool pushed_lang;
};

// The element whose text is being collected, with markup of its children
// serialized when they appear.
struct Capture {
  Tag tag = Tag::kUnknown;
  std::size_t depth = 0;
  TextKind kind = TextKind::kText;
  bool markup = false;                                     // a child element was seen
  std::size_t top_elements = 0;                            // direct child elements
  bool top_text = false;                                   // non-space text directly inside
  std::size_t first_inner_begin = 0, first_inner_end = 0;  // inside the first child element
  std::string first_child;                                 // its name
  std::string buffer;
  std::string base;        // xml:base in force
  bool strip_div = false;  // Atom 1.0 type="xhtml": the wrapping div is not content
  std::string rel;         // Atom 0.3 <link> with its URL as text
};

class Reader {
 public:
  Reader(const Options& options, Feed& feed) : options_(options), feed_(feed) {
    bases_.push_back(options.base_url);
    langs_.push_back("");
  }

  Status run(std::string_view text);

 private:
  static Reader& self(void* ctx) { return *static_cast<Reader*>(static_cast<xmlParserCtxtPtr>(ctx)->_private); }
  static void on_start(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
                       int nb_namespaces, const xmlChar** namespaces, int nb_attributes, int nb_defaulted,
                       const xmlChar** attributes);
  static void on_end(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri);
  static void on_characters(void* ctx, const xmlChar* ch, int len);
  static xmlEntityPtr on_get_entity(void* ctx, const xmlChar* name);
  static xmlParserInputPtr on_resolve_entity(void* ctx, const xmlChar* public_id, const xmlChar* system_id);
  static void on_error(void* ctx, xmlErrorPtr error);
  static void on_internal_subset(void* ctx, const xmlChar* name, const xmlChar* external_id, const xmlChar* system_id);

  void start(const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri, Attributes attrs);
  void end();
  void characters(std::string_view text);
  void fail(Error error);

  void start_root(Tag tag, Ns ns, std::string_view local, std::string_view uri, Attributes attrs);
  void begin_capture(Tag tag, TextKind kind);
  void end_capture();
  void store_field(Tag tag, std::string value, TextKind kind, std::string_view base);
  void start_link(Attributes attrs);
  void start_enclosure(std::string_view url, std::string_view type, std::string_view length);
  void open_item();
  void close_item();
  Tag resolve_tag(const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri, Ns& ns);
  TextKind text_kind_for(Tag tag, Attributes attrs) const;
  std::string_view current_base() const { return bases_.back(); }

  const Options& options_;
  Feed& feed_;
  xmlParserCtxtPtr ctxt_ = nullptr;
  bool root_seen_ = false;
  bool is_atom_ = false;
  bool is_sitemap_ = false;
  std::vector<Frame> stack_;
  std::vector<std::string> bases_;
  std::vector<std::string> langs_;
  std::optional<Capture> capture_;
  std::optional<Item> item_;
  std::size_t item_depth_ = 0;
  std::size_t ignore_depth_ = 0;  // inside <image>, <textInput>, <source>: fields ignored
  std::size_t person_depth_ = 0;  // inside an Atom <author>/<contributor>
  Author person_;
  bool person_is_author_ = true;
  std::size_t news_depth_ = 0;  // inside <news:news>
  std::size_t text_bytes_ = 0;  // budget for entity amplification
  std::size_t text_budget_ = 0;
  std::size_t xml_errors_ = 0;
  std::optional<Error> failure_;
  bool has_item_link_ = false;  // the current item got a <link> (vs. a guid permalink)
  std::string guid_permalink_;
  bool item_link_is_alternate_ = false;
  bool feed_link_is_alternate_ = false;
  // Synthesized entities for HTML names used without a declaration.
  std::deque<xmlEntity> html_entities_;
  std::deque<std::string> html_entity_text_;
  std::unordered_map<std::string, xmlEntity*> html_entity_index_;
  std::size_t undeclared_entities_ = 0;
  // Interned (localname, uri) pointer pairs -> classification; libxml2's
  // dictionary makes the pointers stable for one parse.
  struct Key {
    const void* local;
    const void* uri;
    const void* prefix;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<const void*>()(k.local) * 31 + std::hash<const void*>()(k.uri) * 7 +
             std::hash<const void*>()(k.prefix);
    }
  };
  std::unordered_map<Key, std::pair<Tag, Ns>, KeyHash> tag_cache_;
  std::vector<std::string> markup_names_;  // open child elements inside a capture ("" = void)
  std::string root_lang_;
  std::deque<std::string> attribute_scratch_;
  const xmlChar** namespaces_ = nullptr;  // declared on the current element: (prefix, URI) pairs
  int namespace_count_ = 0;
  std::string doctype_public_id_;
  std::string atom_alias_ns_;  // a <feed> root in an unknown namespace: read as Atom
  std::string title_type_ = "text/plain";
};

std::unexpected<Error> fail_status(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error(code, std::move(message)));
}

void Reader::fail(Error error) {
  if (!failure_) failure_ = std::move(error);
  xmlStopParser(ctxt_);
}

Tag Reader::resolve_tag(const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri, Ns& ns) {
  Key key{localname, uri, uri ? nullptr : prefix};
  auto it = tag_cache_.find(key);
  if (it != tag_cache_.end()) {
    ns = it->second.second;
    return it->second.first;
  }
  std::string_view local = reinterpret_cast<const char*>(localname);
  if (uri != nullptr) {
    ns = classify_namespace(reinterpret_cast<const char*>(uri));
    if (ns == Ns::kOther && !atom_alias_ns_.empty() && atom_alias_ns_ == reinterpret_cast<const char*>(uri)) {
      ns = Ns::kCore;
    }
  } else if (prefix != nullptr) {
    ns = classify_prefix(reinterpret_cast<const char*>(prefix));
  } else {
    ns = Ns::kCore;
  }
  Tag tag = classify(ns, local);
  tag_cache_.emplace(key, std::make_pair(tag, ns));
  return tag;
}

TextKind Reader::text_kind_for(Tag tag, Attributes attrs) const {
  std::string_view type = trim_html_space(attrs.get("type"));
  std::string_view mode = trim_html_space(attrs.get("mode"));
  bool atom_construct = tag == Tag::kTitle || tag == Tag::kSummary || tag == Tag::kContent || tag == Tag::kSubtitle;
  if (atom_construct && (is_atom_ || !type.empty())) {
    TextKind kind = TextKind::kText;
    if (type.empty() || type == "text" || type == "text/plain")
      kind = TextKind::kText;
    else if (type == "html" || type == "text/html")
      kind = TextKind::kHtml;
    else if (type == "xhtml" || type == "application/xhtml+xml")
      kind = TextKind::kXhtml;
    else if (type.starts_with("text/"))
      kind = TextKind::kText;
    else if (type.ends_with("+xml") || type.ends_with("/xml"))
      kind = TextKind::kXhtml;
    else
      kind = TextKind::kBase64;  // RFC 4287 §4.1.3.3: other media types are base64
    if (mode == "escaped")
      kind = kind == TextKind::kXhtml ? TextKind::kHtml : kind;
    else if (mode == "base64")
      kind = TextKind::kBase64;
    else if (mode == "xml" && kind == TextKind::kHtml)
      kind = TextKind::kXhtml;
    // Atom 0.3 defaulted content to text/plain but real feeds put HTML there.
    return kind;
  }
  switch (tag) {
    case Tag::kDescription:
    case Tag::kContentEncoded:
    case Tag::kDcDescription:
    case Tag::kXhtmlBody:
      return tag == Tag::kXhtmlBody ? TextKind::kXhtml : TextKind::kHtml;
    default:
      return TextKind::kText;
  }
}

void Reader::begin_capture(Tag tag, TextKind kind) {
  capture_.emplace();
  capture_->tag = tag;
  capture_->depth = stack_.size();
  capture_->kind = kind;
  capture_->base = std::string(current_base());
}

void Reader::start_root(Tag tag, Ns ns, std::string_view local, std::string_view uri, Attributes attrs) {
  root_seen_ = true;
  switch (tag) {
    case Tag::kRss: {
      std::string_view v = trim_html_space(attrs.get("version"));
      if (v == "0.91") {
        feed_.format =
            doctype_public_id_.find("Netscape") != std::string::npos ? Format::kRss091Netscape : Format::kRss091;
      } else if (v == "0.92") {
        feed_.format = Format::kRss092;
      } else if (v == "0.93") {
        feed_.format = Format::kRss093;
      } else if (v == "0.94") {
        feed_.format = Format::kRss094;
      } else if (v == "0.90" || v == "0.9") {
        feed_.format = Format::kRss090;
      } else if (v.empty()) {
        feed_.format = Format::kRssUnversioned;
      } else {
        feed_.format = Format::kRss20;
      }
      return;
    }
    case Tag::kRdfRoot:
      feed_.format = Format::kRss10;
      for (int i = 0; i < namespace_count_; ++i) {
        const xmlChar* ns_uri = namespaces_[i * 2 + 1];
        if (ns_uri != nullptr &&
            std::string_view(reinterpret_cast<const char*>(ns_uri)) == "http://my.netscape.com/rdf/simple/0.9/") {
          feed_.format = Format::kRss090;
        }
      }
      return;
    case Tag::kFeed:
    case Tag::kEntry:
      is_atom_ = true;
      feed_.format =
          (uri == "http://purl.org/atom/ns#" || (uri.empty() && trim_html_space(attrs.get("version")) == "0.3"))
              ? Format::kAtom03
              : Format::kAtom10;
      if (tag == Tag::kEntry) open_item();
      return;
    case Tag::kUrlset:
      is_sitemap_ = true;
      feed_.format = Format::kSitemap;
      return;
    case Tag::kSitemapIndex:
      is_sitemap_ = true;
      feed_.format = Format::kSitemapIndex;
      return;
    case Tag::kChannel:  // RSS 0.9x fragments with <channel> as the root
      feed_.format = Format::kRss091;
      return;
    case Tag::kHtml:
      fail(Error(ErrorCode::kParse, "not a feed: an HTML page (root element <html>)"));
      return;
    default:
      break;
  }
  if (local == "feed" && ns == Ns::kOther) {
    // Pre-standard Atom drafts used their own namespace URIs.
    atom_alias_ns_ = std::string(uri);
    tag_cache_.clear();
    is_atom_ = true;
    feed_.format = Format::kAtom03;
    return;
  }
  std::string what = uri.empty() ? fmt::format("<{}>", local) : fmt::format("<{}> in namespace {}", local, uri);
  fail(Error(ErrorCode::kParse, "not a feed: an XML document whose root element is " + what));
}

void Reader::open_item() {
  if (feed_.items.size() >= options_.max_items) {
    fail(Error(ErrorCode::kBudgetExceeded, fmt::format("more than {} items (the item budget)", options_.max_items)));
    return;
  }
  item_.emplace();
  item_depth_ = stack_.size();
  item_link_is_alternate_ = false;
  has_item_link_ = false;
  guid_permalink_.clear();
  if (!langs_.back().empty()) item_->language = langs_.back();
}

void Reader::close_item() {
  if (!item_) return;
  if (!has_item_link_ && !guid_permalink_.empty()) item_->url = guid_permalink_;
  finish_item(*item_);
  feed_.items.push_back(std::move(*item_));
  item_.reset();
}

void Reader::start_enclosure(std::string_view url, std::string_view type, std::string_view length) {
  if (!item_ || trim_html_space(url).empty()) return;
  Enclosure e;
  e.url = resolve_url(current_base(), url);
  e.type = std::string(trim_html_space(type));
  std::string_view len = trim_html_space(length);
  std::int64_t n = 0;
  bool ok = !len.empty();
  for (char c : len) {
    if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10) {
      ok = false;
      break;
    }
    n = n * 10 + (c - '0');
  }
  e.length = ok ? n : 0;
  for (const auto& existing : item_->enclosures) {
    if (existing.url == e.url) return;
  }
  item_->enclosures.push_back(std::move(e));
}

void Reader::start_link(Attributes attrs) {
  std::string_view href = attrs.get("href");
  std::string_view rel = trim_html_space(attrs.get("rel"));
  if (rel.empty()) rel = "alternate";
  std::string url = resolve_url(current_base(), href);
  if (rel == "enclosure") {
    start_enclosure(href, attrs.get("type"), attrs.get("length"));
    return;
  }
  if (rel != "alternate") return;
  std::string_view type = trim_html_space(attrs.get("type"));
  bool html_like = type.empty() || type == "text/html" || type == "application/xhtml+xml";
  if (item_) {
    if (!item_link_is_alternate_ || (html_like && item_->url.empty())) {
      item_->url = std::move(url);
      item_link_is_alternate_ = html_like;
      has_item_link_ = true;
    }
  } else if (ignore_depth_ == 0) {
    if (!feed_link_is_alternate_ || feed_.link.empty()) {
      feed_.link = std::move(url);
      feed_link_is_alternate_ = html_like;
    }
  }
}

void Reader::start(const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri, Attributes attrs) {
  if (failure_) return;
  if (stack_.size() >= options_.max_depth) {
    fail(Error(ErrorCode::kBudgetExceeded,
               fmt::format("elements nested deeper than {} (the depth budget)", options_.max_depth)));
    return;
  }
  Ns ns = Ns::kCore;
  Tag tag = resolve_tag(localname, prefix, uri, ns);
  std::string_view local = reinterpret_cast<const char*>(localname);
  std::string_view uri_text = uri ? reinterpret_cast<const char*>(uri) : "";
  Frame frame{tag, ns, false, false};
  if (attrs.count > 0) {
    if (attrs.has("base", kXmlNs)) {
      bases_.push_back(resolve_url(current_base(), attrs.get("base", kXmlNs)));
      frame.pushed_base = true;
    }
    if (attrs.has("lang", kXmlNs)) {
      langs_.emplace_back(trim_html_space(attrs.get("lang", kXmlNs)));
      frame.pushed_lang = true;
    }
  }

  if (capture_) {
    // A child element inside a text construct: keep it as markup.
    Capture& c = *capture_;
    if (!c.markup) {
      c.markup = true;
      if (c.kind != TextKind::kHtml) {
        std::string raw = std::move(c.buffer);
        c.buffer.clear();
        append_escaped_markup(c.buffer, raw, Quotes::kKeep);
      }
    }
    bool direct = stack_.size() == c.depth;
    std::string qname;
    if (prefix != nullptr && ns != Ns::kXhtml) {
      qname = reinterpret_cast<const char*>(prefix);
      qname += ':';
    }
    qname += local;
    c.buffer += '<';
    c.buffer += qname;
    for (int i = 0; i < attrs.count; ++i) {
      const xmlChar** a = attrs.raw + i * 5;
      c.buffer += ' ';
      if (a[1] != nullptr) {
        c.buffer += reinterpret_cast<const char*>(a[1]);
        c.buffer += ':';
      }
      c.buffer += reinterpret_cast<const char*>(a[0]);
      c.buffer += "=\"";
      append_escaped_markup(
          c.buffer,
          decode_attribute(std::string_view(reinterpret_cast<const char*>(a[3]), static_cast<std::size_t>(a[4] - a[3])),
                           *attrs.scratch),
          Quotes::kDouble);
      c.buffer += '"';
    }
    bool is_void = is_void_html_element(local);
    c.buffer += is_void ? " />" : ">";
    if (direct) {
      ++c.top_elements;
      if (c.top_elements == 1) {
        c.first_child = std::string(local);
        c.first_inner_begin = c.first_inner_end = c.buffer.size();
      }
    }
    markup_names_.push_back(is_void ? std::string() : std::move(qname));
    stack_.push_back(frame);
    return;
  }

  stack_.push_back(frame);
  if (!root_seen_) {
    start_root(tag, ns, local, uri_text, attrs);
    root_lang_ = langs_.back();
    return;
  }
  if (root_lang_.empty() && !item_ && frame.pushed_lang && (tag == Tag::kChannel || tag == Tag::kFeed)) {
    root_lang_ = langs_.back();
  }

  const bool atom_element =
      is_atom_ || uri_text == "http://www.w3.org/2005/Atom" || uri_text == "http://purl.org/atom/ns#";
  switch (tag) {
    case Tag::kItem:
    case Tag::kEntry:
      if (!item_ && !is_sitemap_) {
        open_item();
        constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        if (item_ && attrs.has("about", kRdfNs)) item_->id = std::string(trim_html_space(attrs.get("about", kRdfNs)));
      }
      return;
    case Tag::kUrl:
      if (is_sitemap_) {
        if (!item_) open_item();
      } else if (person_depth_ != 0) {
        begin_capture(Tag::kUri, TextKind::kText);
      }
      return;
    case Tag::kSitemap:
      if (is_sitemap_ && !item_) open_item();
      return;
    case Tag::kImage:
    case Tag::kTextInput:
    case Tag::kSource:
      if (ignore_depth_ == 0 && (tag != Tag::kSource || item_.has_value())) {
        ignore_depth_ = stack_.size();
      }
      return;
    case Tag::kAuthor:
    case Tag::kContributor:
      if (ignore_depth_ != 0) return;
      if (atom_element) {
        if (person_depth_ == 0) {
          person_depth_ = stack_.size();
          person_ = Author{};
          person_is_author_ = tag == Tag::kAuthor;
        }
      } else if (tag == Tag::kAuthor) {
        begin_capture(tag, TextKind::kText);
      }
      return;
    case Tag::kNewsNews:
      news_depth_ = stack_.size();
      return;
    case Tag::kLink:
      if (ignore_depth_ != 0) return;
      if (attrs.has("href")) {
        start_link(attrs);
      } else {
        begin_capture(tag, TextKind::kText);
        if (atom_element) {
          capture_->rel = std::string(trim_html_space(attrs.get("rel")));
          if (capture_->rel.empty()) capture_->rel = "alternate";
        }
      }
      return;
    case Tag::kEnclosure:
      if (ignore_depth_ == 0) {
        std::string_view url = attrs.get("url");
        start_enclosure(url.empty() ? attrs.get("href") : url, attrs.get("type"), attrs.get("length"));
      }
      return;
    case Tag::kCategory:
      if (ignore_depth_ != 0) return;
      if (attrs.has("term")) {
        std::string term(trim_html_space(attrs.get("term")));
        if (!term.empty() && item_) item_->categories.push_back(std::move(term));
        return;
      }
      begin_capture(tag, TextKind::kText);
      return;
    case Tag::kGuid:
      if (ignore_depth_ != 0 || !item_) return;
      begin_capture(tag, TextKind::kText);
      // isPermaLink defaults to true (RSS 2.0 §guid).
      capture_->first_child = std::string(trim_html_space(attrs.get("isPermaLink")));
      return;
    case Tag::kContent:
      if (ignore_depth_ != 0) return;
      if (attrs.has("src")) {
        if (item_ && item_->url.empty()) {
          item_->url = resolve_url(current_base(), attrs.get("src"));
        }
        return;
      }
      begin_capture(tag, text_kind_for(tag, attrs));
      if (capture_->kind == TextKind::kXhtml) capture_->markup = true;
      capture_->strip_div = trim_html_space(attrs.get("type")) == "xhtml";
      return;
    case Tag::kTitle:
    case Tag::kDescription:
    case Tag::kSummary:
    case Tag::kContentEncoded:
    case Tag::kSubtitle:
    case Tag::kXhtmlBody:
    case Tag::kDcDescription:
    case Tag::kDcTitle:
      if (ignore_depth_ != 0) return;
      if (person_depth_ != 0) return;
      begin_capture(tag, text_kind_for(tag, attrs));
      if (capture_->kind == TextKind::kXhtml) capture_->markup = true;
      capture_->strip_div = trim_html_space(attrs.get("type")) == "xhtml";
      return;
    case Tag::kFullItem:
      if (ignore_depth_ != 0 || !item_) return;
      begin_capture(Tag::kContentEncoded, TextKind::kHtml);
      return;
    case Tag::kTags:
      if (ignore_depth_ != 0 || !item_) return;
      begin_capture(Tag::kNewsKeywords, TextKind::kText);
      return;
    case Tag::kName:
    case Tag::kEmail:
    case Tag::kUri:
      if (person_depth_ != 0) begin_capture(tag, TextKind::kText);
      return;
    case Tag::kId:
    case Tag::kPubDate:
    case Tag::kLastBuildDate:
    case Tag::kUpdated:
    case Tag::kPublished:
    case Tag::kIssued:
    case Tag::kModified:
    case Tag::kCreated:
    case Tag::kDcDate:
    case Tag::kDcCreator:
    case Tag::kDcSubject:
    case Tag::kDcLanguage:
    case Tag::kLanguage:
    case Tag::kManagingEditor:
    case Tag::kTtl:
    case Tag::kHour:
    case Tag::kDay:
    case Tag::kLoc:
    case Tag::kLastmod:
    case Tag::kNewsName:
    case Tag::kNewsLanguage:
    case Tag::kNewsPublicationDate:
    case Tag::kNewsTitle:
    case Tag::kNewsKeywords:
      if (ignore_depth_ != 0 || person_depth_ != 0) return;
      begin_capture(tag, TextKind::kText);
      return;
    default:
      return;
  }
}

namespace {

// Splits "jane@example.com (Jane Doe)" and "Jane Doe <jane@example.com>".
Author parse_person(std::string_view text) {
  Author a;
  text = trim_html_space(text);
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open &&
      text.substr(0, open).find('@') != std::string_view::npos) {
    a.email = std::string(trim_html_space(text.substr(0, open)));
    a.name = std::string(trim_html_space(text.substr(open + 1, close - open - 1)));
    return a;
  }
  auto lt = text.find('<');
  auto gt = text.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt &&
      text.substr(lt, gt - lt).find('@') != std::string_view::npos) {
    a.name = std::string(trim_html_space(text.substr(0, lt)));
    a.email = std::string(trim_html_space(text.substr(lt + 1, gt - lt - 1)));
    if (a.name.empty()) a.name = a.email;
    return a;
  }
  a.name = std::string(text);
  if (text.find('@') != std::string_view::npos && text.find(' ') == std::string_view::npos) {
    a.email = a.name;
  }
  return a;
}

std::string decode_base64(std::string_view in) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else
      continue;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty()) return;
  for (const auto& v : list) {
    if (v == value) return;
  }
  list.push_back(std::move(value));
}

}  // namespace

void Reader::end_capture() {
  Capture c = std::move(*capture_);
  capture_.reset();
  std::string value = std::move(c.buffer);
  if (c.kind == TextKind::kXhtml && c.strip_div && c.top_elements == 1 && !c.top_text && c.first_child == "div") {
    value = value.substr(c.first_inner_begin, c.first_inner_end - c.first_inner_begin);
  }
  if (c.kind == TextKind::kBase64) {
    value = decode_base64(value);
    c.kind = looks_like_html(value) ? TextKind::kHtml : TextKind::kText;
  }
  if (c.tag == Tag::kGuid) {
    std::string id(trim_html_space(value));
    if (item_ && item_->id.empty()) item_->id = id;
    std::string_view permalink = c.first_child;
    if (item_ && permalink != "false" && permalink != "False" &&
        (id.starts_with("http://") || id.starts_with("https://"))) {
      guid_permalink_ = resolve_url(c.base, id);
    }
    return;
  }
  if (!c.rel.empty()) {
    // Atom 0.3 link whose URL is its text: treat it as an href.
    std::string url(trim_html_space(value));
    if (c.rel == "alternate" && item_ && !item_link_is_alternate_) {
      item_->url = resolve_url(c.base, url);
      item_link_is_alternate_ = has_item_link_ = true;
    } else if (c.rel == "alternate" && !item_ && feed_.link.empty()) {
      feed_.link = resolve_url(c.base, url);
    }
    return;
  }
  if (value.size() != trim_html_space(value).size()) value = std::string(trim_html_space(value));
  fix_windows_1252_controls(value, c.kind == TextKind::kHtml || c.kind == TextKind::kXhtml);
  if (c.kind == TextKind::kHtml) normalize_html_shorttags(value);
  if ((c.kind == TextKind::kHtml || c.kind == TextKind::kXhtml) && !c.base.empty() &&
      value.find('<') != std::string::npos) {
    value = resolve_html_urls(value, c.base);
  }
  store_field(c.tag, std::move(value), c.kind, c.base);
}

void Reader::store_field(Tag tag, std::string value, TextKind kind, std::string_view base) {
  auto plain_title = [&](std::string& title, std::string& raw, std::string& type) {
    if (!title.empty()) return;
    std::string_view v = trim_html_space(value);
    raw = std::string(v);
    if (kind == TextKind::kHtml || kind == TextKind::kXhtml) {
      title = html_to_text(v);
      type = std::string(mime_of(kind));
    } else if (!is_atom_ && looks_like_html(v)) {
      title = html_to_text(v);
      type = "text/html";
    } else {
      title = std::string(v);
      type = "text/plain";
    }
  };
  if (person_depth_ != 0) {
    std::string v(trim_html_space(value));
    if (tag == Tag::kName)
      person_.name = std::move(v);
    else if (tag == Tag::kEmail)
      person_.email = std::move(v);
    else if (tag == Tag::kUri)
      person_.uri = resolve_url(base, v);
    return;
  }
  if (item_) {
    Item& it = *item_;
    switch (tag) {
      case Tag::kTitle:
      case Tag::kDcTitle:
      case Tag::kNewsTitle:
        plain_title(it.title, it.title_raw, it.title_type);
        return;
      case Tag::kLink:
      case Tag::kLoc:
        if (!has_item_link_ && !trim_html_space(value).empty()) {
          it.url = resolve_url(base, value);
          has_item_link_ = true;
        }
        return;
      case Tag::kDescription:
      case Tag::kSummary:
      case Tag::kDcDescription:
        if (it.summary.empty()) {
          it.summary = std::move(value);
          it.summary_type = std::string(mime_of(kind));
        } else if (it.content.empty() && tag != Tag::kDcDescription) {
          // Both <summary> and <description>: the second is the full text.
          it.content = std::move(value);
          it.content_type = std::string(mime_of(kind));
        }
        return;
      case Tag::kContent:
      case Tag::kContentEncoded:
      case Tag::kXhtmlBody:
        if (it.content.empty()) {
          it.content = std::move(value);
          it.content_type = std::string(mime_of(kind));
        }
        return;
      case Tag::kId:
        if (it.id.empty()) {
          it.id = std::string(trim_html_space(value));
          // Atom ids are IRIs; a relative one is relative to xml:base (RFC 4287 §4.2.6).
          if (is_atom_ && !base.empty() && !it.id.empty() && it.id.find(':') == std::string::npos) {
            it.id = resolve_url(base, it.id);
          }
        }
        return;
      case Tag::kPubDate:
      case Tag::kPublished:
      case Tag::kIssued:
      case Tag::kNewsPublicationDate:
        // The last of repeated or synonymous date elements wins, as in feedparser.
        assign_trimmed(it.published_raw, value);
        return;
      case Tag::kUpdated:
      case Tag::kModified:
      case Tag::kDcDate:
      case Tag::kLastmod:
        assign_trimmed(it.updated_raw, value);
        return;
      case Tag::kAuthor:
      case Tag::kDcCreator: {
        if (trim_html_space(value).empty()) return;
        Author a = parse_person(value);
        add_unique(it.authors, a.name);
        it.author_details.push_back(std::move(a));
        return;
      }
      case Tag::kCategory:
      case Tag::kDcSubject:
        add_unique(it.categories, std::string(trim_html_space(value)));
        return;
      case Tag::kNewsKeywords: {
        std::string_view rest = value;
        while (!rest.empty()) {
          auto comma = rest.find(',');
          add_unique(it.categories, std::string(trim_html_space(rest.substr(0, comma))));
          if (comma == std::string_view::npos) break;
          rest.remove_prefix(comma + 1);
        }
        return;
      }
      case Tag::kLanguage:
      case Tag::kDcLanguage:
      case Tag::kNewsLanguage:
        it.language = std::string(trim_html_space(value));
        std::replace(it.language.begin(), it.language.end(), '_', '-');
        return;
      case Tag::kNewsName:
        it.publication_name = std::string(trim_html_space(value));
        return;
      default:
        return;
    }
  }
  switch (tag) {
    case Tag::kTitle:
    case Tag::kDcTitle:
      plain_title(feed_.title, feed_.title_raw, title_type_);
      return;
    case Tag::kLink:
      if (feed_.link.empty()) feed_.link = resolve_url(base, value);
      return;
    case Tag::kDescription:
    case Tag::kSubtitle:
    case Tag::kDcDescription:
      if (feed_.description.empty()) feed_.description = std::string(trim_html_space(value));
      return;
    case Tag::kLanguage:
    case Tag::kDcLanguage:
      if (feed_.language.empty()) feed_.language = std::string(trim_html_space(value));
      return;
    case Tag::kPubDate:
    case Tag::kPublished:
    case Tag::kIssued:
      assign_trimmed(feed_.published_raw, value);
      return;
    case Tag::kUpdated:
    case Tag::kModified:
    case Tag::kDcDate:
    case Tag::kLastBuildDate:
      assign_trimmed(feed_.updated_raw, value);
      return;
    case Tag::kAuthor:
    case Tag::kDcCreator:
    case Tag::kManagingEditor:
      if (!trim_html_space(value).empty()) add_unique(feed_.authors, parse_person(value).name);
      return;
    case Tag::kTtl: {
      int n = 0;
      std::string_view v = trim_html_space(value);
      bool ok = !v.empty() && v.size() < 8;
      for (char ch : v) {
        if (ch < '0' || ch > '9')
          ok = false;
        else
          n = n * 10 + (ch - '0');
      }
      if (ok) feed_.ttl_minutes = n;
      return;
    }
    case Tag::kHour: {
      std::string_view v = trim_html_space(value);
      if (v.size() == 1 || v.size() == 2) {
        int h = 0;
        bool ok = true;
        for (char ch : v) {
          if (ch < '0' || ch > '9')
            ok = false;
          else
            h = h * 10 + (ch - '0');
        }
        if (ok && h <= 24) feed_.skip_hours.push_back(h % 24);
      }
      return;
    }
    case Tag::kDay:
      add_unique(feed_.skip_days, std::string(trim_html_space(value)));
      return;
    default:
      return;
  }
}

void Reader::end() {
  if (stack_.empty()) return;
  Frame frame = stack_.back();
  if (capture_ && stack_.size() > capture_->depth) {
    Capture& c = *capture_;
    std::string name = std::move(markup_names_.back());
    markup_names_.pop_back();
    if (stack_.size() == c.depth + 1 && c.top_elements == 1) c.first_inner_end = c.buffer.size();
    if (!name.empty()) {
      c.buffer += "</";
      c.buffer += name;
      c.buffer += '>';
    }
  } else if (capture_ && stack_.size() == capture_->depth) {
    end_capture();
  } else {
    switch (frame.tag) {
      case Tag::kItem:
      case Tag::kEntry:
      case Tag::kUrl:
      case Tag::kSitemap:
        if (item_ && stack_.size() == item_depth_) close_item();
        break;
      case Tag::kAuthor:
      case Tag::kContributor:
        if (person_depth_ == stack_.size()) {
          person_depth_ = 0;
          // Contributors are kept in the details; only authors are "the" authors.
          std::string name = !person_.name.empty() ? person_.name : person_.email;
          if (item_) {
            if (person_is_author_) add_unique(item_->authors, name);
            item_->author_details.push_back(std::move(person_));
          } else if (person_is_author_) {
            add_unique(feed_.authors, name);
          }
        }
        break;
      case Tag::kNewsNews:
        news_depth_ = 0;
        break;
      default:
        break;
    }
    if (ignore_depth_ == stack_.size()) ignore_depth_ = 0;
  }
  if (frame.pushed_base) bases_.pop_back();
  if (frame.pushed_lang) langs_.pop_back();
  stack_.pop_back();
}

void Reader::characters(std::string_view text) {
  text_bytes_ += text.size();
  if (text_bytes_ > text_budget_) {
    fail(Error(ErrorCode::kBudgetExceeded,
               fmt::format("entity expansion produced more than {} bytes of text (the expansion "
                           "budget)",
                           text_budget_)));
    return;
  }
  if (!capture_) return;
  Capture& c = *capture_;
  if (stack_.size() == c.depth && !c.top_text && !trim_html_space(text).empty()) c.top_text = true;
  if (c.markup && c.kind != TextKind::kHtml) {
    append_escaped_markup(c.buffer, text, Quotes::kKeep);
  } else {
    c.buffer.append(text);
  }
}

void Reader::on_start(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri, int nb_namespaces,
                      const xmlChar** namespaces, int nb_attributes, int, const xmlChar** attributes) {
  Reader& r = self(ctx);
  r.attribute_scratch_.clear();
  r.namespaces_ = namespaces;
  r.namespace_count_ = nb_namespaces;
  r.start(localname, prefix, uri, Attributes{attributes, nb_attributes, &r.attribute_scratch_});
}

void Reader::on_end(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  Reader& r = self(ctx);
  if (!r.failure_) r.end();
}

void Reader::on_characters(void* ctx, const xmlChar* ch, int len) {
  Reader& r = self(ctx);
  if (!r.failure_) {
    r.characters(std::string_view(reinterpret_cast<const char*>(ch), static_cast<std::size_t>(len)));
  }
}

xmlEntityPtr Reader::on_get_entity(void* ctx, const xmlChar* name) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  xmlEntityPtr declared = xmlSAX2GetEntity(ctx, name);
  if (declared != nullptr || ctxt->inSubset != 0) return declared;
  // An HTML entity used in XML without a declaration (&nbsp;, &eacute;):
  // read as the character it names, as browsers and feedparser do.
  Reader& r = self(ctx);
  std::string key(reinterpret_cast<const char*>(name));
  auto it = r.html_entity_index_.find(key);
  if (it != r.html_entity_index_.end()) return it->second;
  const htmlEntityDesc* desc = htmlEntityLookup(name);
  if (desc == nullptr) return nullptr;
  std::string& text = r.html_entity_text_.emplace_back();
  append_utf8(text, desc->value);
  std::string& stored_name = r.html_entity_text_.emplace_back(key);
  xmlEntity& entity = r.html_entities_.emplace_back();
  std::memset(&entity, 0, sizeof entity);
  entity.type = XML_ENTITY_DECL;
  entity.etype = XML_INTERNAL_PREDEFINED_ENTITY;
  entity.name = reinterpret_cast<const xmlChar*>(stored_name.c_str());
  entity.content = reinterpret_cast<xmlChar*>(text.data());
  entity.orig = entity.content;
  entity.length = static_cast<int>(text.size());
  r.html_entity_index_.emplace(std::move(key), &entity);
  if (ctxt->hasExternalSubset == 0) ++r.undeclared_entities_;
  return &entity;
}

void Reader::on_internal_subset(void* ctx, const xmlChar* name, const xmlChar* external_id, const xmlChar* system_id) {
  if (external_id != nullptr) self(ctx).doctype_public_id_ = reinterpret_cast<const char*>(external_id);
  xmlSAX2InternalSubset(ctx, name, external_id, system_id);
}

xmlParserInputPtr Reader::on_resolve_entity(void*, const xmlChar*, const xmlChar*) {
  return nullptr;  // never load anything from outside the document
}

void Reader::on_error(void* ctx, xmlErrorPtr error) {
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  Reader& r = self(ctx);
  if (error->code == XML_ERR_ENTITY_LOOP) {
    r.fail(Error(ErrorCode::kBudgetExceeded, "entity expansion loop or amplification (billion laughs) refused"));
    return;
  }
  ++r.xml_errors_;
  if (r.xml_errors_ <= 5) {
    std::string message = error->message ? error->message : "XML error";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    r.feed_.warnings.push_back(fmt::format("XML error at line {}: {}", error->line, message));
  }
}

Status Reader::run(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) {
    return fail_status(ErrorCode::kBudgetExceeded, "document larger than 2 GiB");
  }
  text_budget_ = text.size() * 4 + (1u << 20);
  xmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startDocument = xmlSAX2StartDocument;
  sax.internalSubset = &Reader::on_internal_subset;
  sax.entityDecl = xmlSAX2EntityDecl;
  sax.getEntity = &Reader::on_get_entity;
  sax.getParameterEntity = xmlSAX2GetParameterEntity;
  sax.resolveEntity = &Reader::on_resolve_entity;
  sax.startElementNs = &Reader::on_start;
  sax.endElementNs = &Reader::on_end;
  sax.characters = &Reader::on_characters;
  sax.cdataBlock = &Reader::on_characters;
  sax.serror = &Reader::on_error;

  // The push parser: its CDATA path hands whole blocks to cdataBlock where
  // the pull parser walks CDATA one character at a time (twice as slow on
  // feeds full of <![CDATA[...]]> content).
  xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, nullptr, nullptr, 0, nullptr);
  if (ctxt == nullptr) return fail_status(ErrorCode::kInternal, "libxml2 could not create a parser");
  ctxt_ = ctxt;
  ctxt->_private = this;
  xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_NOWARNING);
  constexpr std::size_t kChunk = 1u << 20;
  std::size_t offset = 0;
  do {
    std::size_t n = std::min(kChunk, text.size() - offset);
    bool last = offset + n == text.size();
    xmlParseChunk(ctxt, text.data() + offset, static_cast<int>(n), last ? 1 : 0);
    offset += n;
  } while (offset < text.size() && !failure_);
  if (ctxt->myDoc != nullptr) {
    xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = nullptr;
  }
  xmlFreeParserCtxt(ctxt);
  ctxt_ = nullptr;

  if (failure_) return std::unexpected(*failure_);
  if (!root_seen_) {
    std::string_view head = trim_html_space(text).substr(0, 40);
    std::string shown;
    for (char ch : head) shown += (static_cast<unsigned char>(ch) < 0x20) ? ' ' : ch;
    return fail_status(ErrorCode::kParse,
                       fmt::format("not a feed: no XML element found (the body starts with \"{}\")", shown));
  }
  // A truncated document leaves elements open: keep what they held.
  if (!stack_.empty()) {
    feed_.warnings.push_back(fmt::format("document ends with {} element(s) still open (truncated?)", stack_.size()));
    while (!stack_.empty()) end();
  }
  if (xml_errors_ > 5) {
    feed_.warnings.push_back(fmt::format("{} further XML errors", xml_errors_ - 5));
  }
  if (undeclared_entities_ > 0) {
    feed_.warnings.push_back(fmt::format("{} undeclared HTML entity reference(s) (e.g. &{};) read as their characters",
                                         undeclared_entities_, html_entity_index_.begin()->first));
  }
  if (feed_.language.empty()) feed_.language = root_lang_;
  std::replace(feed_.language.begin(), feed_.language.end(), '_', '-');
  feed_.title_type = title_type_;
  if (is_sitemap_) {
    bool news = false;
    for (const auto& it : feed_.items) news = news || !it.publication_name.empty() || !it.published_raw.empty();
    if (news && feed_.format == Format::kSitemap) feed_.format = Format::kNewsSitemap;
  }
  return {};
}

}  // namespace

Status parse_xml(std::string_view utf8, const Options& options, Feed& feed) {
  Reader reader(options, feed);
  return reader.run(utf8);
}

}  // namespace banwatch::feeds::internal
