// OPML through a libxml2 tree (subscription lists are small), walked
// iteratively; never loads a DTD or an external entity.
#include "feeds/opml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>

#include <fmt/format.h>

#include "feeds/internal.h"

namespace banwatch::feeds {

namespace {

std::string attribute(xmlNodePtr node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return {};
  std::string out(trim_html_space(reinterpret_cast<const char*>(value)));
  xmlFree(value);
  return out;
}

bool named(xmlNodePtr node, std::string_view name) {
  return node->type == XML_ELEMENT_NODE && node->name != nullptr && name == reinterpret_cast<const char*>(node->name);
}

void add_tag(std::vector<std::string>& tags, std::string_view tag) {
  tag = trim_html_space(tag);
  if (tag.empty()) return;
  for (const auto& t : tags) {
    if (t == tag) return;
  }
  tags.emplace_back(tag);
}

// OPML 2.0 category: comma-separated, each a slash-delimited path.
void add_categories(std::vector<std::string>& tags, std::string_view category) {
  while (!category.empty()) {
    auto comma = category.find(',');
    std::string_view one = category.substr(0, comma);
    while (!one.empty()) {
      auto slash = one.find('/');
      add_tag(tags, one.substr(0, slash));
      if (slash == std::string_view::npos) break;
      one.remove_prefix(slash + 1);
    }
    if (comma == std::string_view::npos) break;
    category.remove_prefix(comma + 1);
  }
}

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

struct Errors {
  std::vector<std::string>* warnings;
  std::size_t count = 0;
};

void collect_error(void* data, xmlErrorPtr error) {
  // The tree builder needs userData to be the context; ours hangs off _private.
  auto* errors = static_cast<Errors*>(static_cast<xmlParserCtxtPtr>(data)->_private);
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  if (++errors->count <= 5) {
    std::string message = error->message ? error->message : "XML error";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    errors->warnings->push_back(fmt::format("XML error at line {}: {}", error->line, message));
  }
}

}  // namespace

Result<OpmlDocument> parse_opml(std::string_view bytes, const OpmlOptions& options) {
  if (bytes.size() > options.max_bytes) {
    return fail(ErrorCode::kBudgetExceeded,
                fmt::format("OPML of {} bytes exceeds the {}-byte budget", bytes.size(), options.max_bytes));
  }
  Options feed_options;
  auto decoded = internal::decode_document(bytes, feed_options);
  if (!decoded) return std::unexpected(decoded.error());
  if (trim_html_space(decoded->text).empty()) return fail(ErrorCode::kParse, "not OPML: empty file");
  OpmlDocument result;
  Errors errors{&result.warnings};
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (ctxt == nullptr) return fail(ErrorCode::kInternal, "libxml2 could not create a parser");
  ctxt->sax->serror = collect_error;
  ctxt->sax->error = nullptr;
  ctxt->sax->warning = nullptr;
  // Route structured errors to us; resolveEntity refusing keeps XXE out even
  // if a future option asked for entities.
  ctxt->sax->resolveEntity = [](void*, const xmlChar*, const xmlChar*) -> xmlParserInputPtr { return nullptr; };
  std::string fixed;
  std::size_t ampersands = 0;
  std::string_view text = decoded->text;
  if (internal::escape_bare_ampersands(text, fixed, ampersands)) text = fixed;
  std::unique_ptr<xmlDoc, DocDeleter> doc;
  {
    ctxt->_private = &errors;
    doc.reset(xmlCtxtReadMemory(ctxt, text.data(), static_cast<int>(text.size()), nullptr, "UTF-8",
                                XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_NOWARNING));
  }
  xmlFreeParserCtxt(ctxt);
  if (!doc) return fail(ErrorCode::kParse, "not OPML: no XML document could be read");
  xmlNodePtr root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return fail(ErrorCode::kParse, "not OPML: no root element");
  if (!named(root, "opml")) {
    return fail(ErrorCode::kParse, fmt::format("not OPML: the root element is <{}>",
                                               root->name ? reinterpret_cast<const char*>(root->name) : "?"));
  }
  std::size_t outlines = 0;
  // (node, depth, tags inherited from enclosing folders)
  struct Pending {
    xmlNodePtr node;
    std::size_t depth;
    std::vector<std::string> tags;
  };
  std::vector<Pending> stack;
  for (xmlNodePtr child = root->children; child != nullptr; child = child->next) {
    if (named(child, "head")) {
      for (xmlNodePtr h = child->children; h != nullptr; h = h->next) {
        if (named(h, "title")) {
          xmlChar* t = xmlNodeGetContent(h);
          if (t) {
            result.title = std::string(trim_html_space(reinterpret_cast<const char*>(t)));
            xmlFree(t);
          }
        }
      }
    } else if (named(child, "body")) {
      // Push children in reverse so they pop in document order.
      std::vector<xmlNodePtr> kids;
      for (xmlNodePtr o = child->children; o != nullptr; o = o->next) kids.push_back(o);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, 1, {}});
    }
  }
  while (!stack.empty()) {
    Pending p = std::move(stack.back());
    stack.pop_back();
    if (!named(p.node, "outline")) continue;
    if (++outlines > options.max_outlines) {
      return fail(ErrorCode::kBudgetExceeded,
                  fmt::format("more than {} outlines (the outline budget)", options.max_outlines));
    }
    if (p.depth > options.max_depth) {
      return fail(ErrorCode::kBudgetExceeded,
                  fmt::format("outlines nested deeper than {} (the depth budget)", options.max_depth));
    }
    std::string text_attr = attribute(p.node, "text");
    std::string title = attribute(p.node, "title");
    std::string label = !text_attr.empty() ? text_attr : title;
    std::string xml_url = attribute(p.node, "xmlUrl");
    if (xml_url.empty()) xml_url = attribute(p.node, "xmlurl");
    if (xml_url.empty()) xml_url = attribute(p.node, "url");
    std::string type = attribute(p.node, "type");
    bool is_feed = !xml_url.empty() && type != "link" && type != "include";
    if (is_feed) {
      OpmlFeed feed;
      feed.title = label.empty() ? xml_url : label;
      feed.xml_url = xml_url;
      feed.html_url = attribute(p.node, "htmlUrl");
      feed.tags = p.tags;
      add_categories(feed.tags, attribute(p.node, "category"));
      result.feeds.push_back(std::move(feed));
    } else if (!xml_url.empty() || type == "link" || type == "include") {
      result.warnings.push_back(fmt::format("outline \"{}\" of type {} skipped", label, type.empty() ? "?" : type));
    }
    std::vector<xmlNodePtr> kids;
    for (xmlNodePtr o = p.node->children; o != nullptr; o = o->next) {
      if (named(o, "outline")) kids.push_back(o);
    }
    if (kids.empty()) continue;
    std::vector<std::string> tags = p.tags;
    if (!is_feed) add_tag(tags, label);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, p.depth + 1, tags});
  }
  if (errors.count > 5) result.warnings.push_back(fmt::format("{} further XML errors", errors.count - 5));
  return result;
}

std::string write_opml(std::string_view title, const std::vector<OpmlFeed>& feeds) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n";
  out += "    <title>";
  append_escaped_markup(out, title, Quotes::kKeep);
  out += "</title>\n  </head>\n  <body>\n";
  auto write_feed = [&](const OpmlFeed& f, std::string_view indent) {
    out += indent;
    out += "<outline type=\"rss\" text=\"";
    append_escaped_markup(out, f.title, Quotes::kDouble);
    out += "\" title=\"";
    append_escaped_markup(out, f.title, Quotes::kDouble);
    out += "\" xmlUrl=\"";
    append_escaped_markup(out, f.xml_url, Quotes::kDouble);
    out += '"';
    if (!f.html_url.empty()) {
      out += " htmlUrl=\"";
      append_escaped_markup(out, f.html_url, Quotes::kDouble);
      out += '"';
    }
    if (!f.tags.empty()) {
      out += " category=\"";
      for (std::size_t i = 0; i < f.tags.size(); ++i) {
        if (i) out += ',';
        out += '/';
        append_escaped_markup(out, f.tags[i], Quotes::kDouble);
      }
      out += '"';
    }
    out += "/>\n";
  };
  // Untagged feeds first, then one folder per first tag, in order of appearance.
  std::vector<std::string> folders;
  for (const auto& f : feeds) {
    if (f.tags.empty()) {
      write_feed(f, "    ");
    } else {
      bool seen = false;
      for (const auto& g : folders) seen = seen || g == f.tags.front();
      if (!seen) folders.push_back(f.tags.front());
    }
  }
  for (const auto& folder : folders) {
    out += "    <outline text=\"";
    append_escaped_markup(out, folder, Quotes::kDouble);
    out += "\">\n";
    for (const auto& f : feeds) {
      if (!f.tags.empty() && f.tags.front() == folder) write_feed(f, "      ");
    }
    out += "    </outline>\n";
  }
  out += "  </body>\n</opml>\n";
  return out;
}

}  // namespace banwatch::feeds
