#include "parsers/html_dom.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include "common/text.h"

namespace banwatch::html {

// Gumbo allocates and frees many small blocks (tokens, attribute names,
// vectors that grow by copying). A size-class pool over big slabs makes the
// parse faster than malloc, and dropping the pool frees the whole tree at once:
// gumbo_destroy_output() recurses over the tree, which a deeply nested page
// would turn into a stack overflow, so it is never called.
struct Document::Arena {
  static constexpr std::size_t kSlab = 256 * 1024;
  static constexpr int kClasses = 16;         // 16 B .. 512 KiB
  static constexpr std::size_t kHeader = 16;  // keeps 16-byte alignment
  static constexpr std::uint32_t kHuge = 0xFFFFu;

  std::vector<void*> slabs;
  char* cursor = nullptr;
  std::size_t left = 0;
  std::array<void*, kClasses> free_lists{};
  std::unordered_set<void*> huge;

  ~Arena() {
    for (void* s : slabs) std::free(s);
    for (void* h : huge) std::free(h);
  }

  static int class_of(std::size_t size) {
    std::size_t c = 16;
    int k = 0;
    while (c < size) {
      c <<= 1;
      ++k;
    }
    return k;
  }

  void* allocate(std::size_t size) {
    if (size == 0) size = 1;
    int k = class_of(size);
    if (k >= kClasses) {
      char* block = static_cast<char*>(std::malloc(size + kHeader));
      if (block == nullptr) std::abort();  // Gumbo cannot recover from a failed allocation
      std::memcpy(block, &kHuge, sizeof kHuge);
      huge.insert(block);
      return block + kHeader;
    }
    if (void* head = free_lists[k]) {
      void* next;
      std::memcpy(&next, head, sizeof next);
      free_lists[k] = next;
      return head;
    }
    std::size_t need = (std::size_t{16} << k) + kHeader;
    if (left < need) {
      std::size_t slab = std::max(kSlab, need);
      cursor = static_cast<char*>(std::malloc(slab));
      if (cursor == nullptr) std::abort();
      slabs.push_back(cursor);
      left = slab;
    }
    char* block = cursor;
    cursor += need;
    left -= need;
    std::uint32_t tag = static_cast<std::uint32_t>(k);
    std::memcpy(block, &tag, sizeof tag);
    return block + kHeader;
  }

  void deallocate(void* p) {
    if (p == nullptr) return;
    char* block = static_cast<char*>(p) - kHeader;
    std::uint32_t tag;
    std::memcpy(&tag, block, sizeof tag);
    if (tag == kHuge) {
      huge.erase(block);
      std::free(block);
      return;
    }
    std::memcpy(p, &free_lists[tag], sizeof(void*));
    free_lists[tag] = p;
  }
};

namespace {

void* arena_allocate(void* userdata, std::size_t size) {
  return static_cast<Document::Arena*>(userdata)->allocate(size);
}
void arena_deallocate(void* userdata, void* p) { static_cast<Document::Arena*>(userdata)->deallocate(p); }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
}

// Elements that never nest: void elements and those the tree builder closes
// implicitly (p, li, td, ...). Counting them would flag ordinary sloppy pages.
bool ignored_for_depth(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {
      "area",   "base",  "br",    "col",    "embed",    "hr",      "img",   "input",   "link",    "meta",     "param",
      "source", "track", "wbr",   "keygen", "p",        "li",      "dt",    "dd",      "option",  "optgroup", "tr",
      "td",     "th",    "tbody", "thead",  "tfoot",    "rb",      "rt",    "rp",      "rtc",     "colgroup", "caption",
      "html",   "head",  "body",  "frame",  "basefont", "bgsound", "image", "isindex", "!doctype"};
  return kNames.count(name) != 0;
}

bool is_raw_text(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" || name == "xmp" ||
         name == "iframe" || name == "noembed" || name == "noframes" || name == "noscript";
}

// Byte offset of the start tag that first nests deeper than max_depth, or npos.
std::size_t find_depth_overflow(std::string_view s, std::size_t max_depth) {
  std::size_t depth = 0, foreign = 0, i = 0, n = s.size();
  std::string name;
  while (true) {
    i = s.find('<', i);
    if (i == std::string_view::npos || i + 1 >= n) return std::string_view::npos;
    std::size_t tag_start = i;
    char c = s[i + 1];
    if (c == '!') {
      if (s.compare(i, 4, "<!--") == 0) {
        std::size_t e = s.find("-->", i + 4);
        if (e == std::string_view::npos) return std::string_view::npos;
        i = e + 3;
      } else {
        std::size_t e = s.find('>', i);
        if (e == std::string_view::npos) return std::string_view::npos;
        i = e + 1;
      }
      continue;
    }
    bool closing = c == '/';
    std::size_t j = i + (closing ? 2 : 1);
    if (j >= n || !((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) {
      i = i + 1;
      continue;
    }
    name.clear();
    while (j < n && is_name_char(s[j])) name.push_back(ascii_lower(s[j++]));
    // Skip attributes to the closing '>', honouring quotes.
    char quote = 0;
    bool self_closing = false;
    while (j < n) {
      char d = s[j];
      if (quote != 0) {
        if (d == quote) quote = 0;
      } else if (d == '"' || d == '\'') {
        quote = d;
      } else if (d == '>') {
        self_closing = j > 0 && s[j - 1] == '/';
        break;
      }
      ++j;
    }
    if (j >= n) return std::string_view::npos;
    i = j + 1;
    if (closing) {
      if (name == "svg" || name == "math") foreign = foreign > 0 ? foreign - 1 : 0;
      if (!ignored_for_depth(name) && depth > 0) --depth;
      continue;
    }
    if (name == "svg" || name == "math") ++foreign;
    if (ignored_for_depth(name) || (self_closing && foreign > 0)) continue;
    if (++depth > max_depth) return tag_start;
    if (foreign == 0 && is_raw_text(name)) {
      // Find "</name" case-insensitively.
      std::size_t k = i;
      while (true) {
        k = s.find("</", k);
        if (k == std::string_view::npos) return std::string_view::npos;
        bool match = k + 2 + name.size() <= n;
        for (std::size_t m = 0; match && m < name.size(); ++m) match = ascii_lower(s[k + 2 + m]) == name[m];
        if (match) break;
        k += 2;
      }
      i = k;
    }
  }
}

}  // namespace

Document::~Document() = default;  // the arena frees the whole Gumbo tree

Result<std::unique_ptr<Document>> Document::parse(std::string_view utf8, const Limits& limits) {
  if (utf8.size() > limits.max_bytes) {
    return fail(ErrorCode::kBudgetExceeded, "page is " + std::to_string(utf8.size()) +
                                                " bytes, more than the budget of " + std::to_string(limits.max_bytes));
  }
  std::unique_ptr<Document> doc(new Document());
  std::size_t cut = find_depth_overflow(utf8, limits.max_depth);
  if (cut != std::string_view::npos) {
    doc->input_.assign(utf8.substr(0, cut));
    doc->truncated_at_ = cut;
    utf8 = doc->input_;
  }
  doc->arena_ = std::make_unique<Arena>();
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = arena_allocate;
  options.deallocator = arena_deallocate;
  options.userdata = doc->arena_.get();
  options.max_errors = 0;
  doc->output_ = gumbo_parse_with_options(&options, utf8.data(), utf8.size());
  if (doc->output_ == nullptr || doc->output_->root == nullptr) {
    return fail(ErrorCode::kParse, "the HTML parser produced no document");
  }

  // Flatten in pre-order with an explicit stack.
  auto& nodes = doc->nodes_;
  nodes.reserve(std::min<std::size_t>(utf8.size() / 16 + 64, limits.max_nodes + 1));
  struct Frame {
    const GumboNode* node;
    std::uint32_t next_child;
    std::int32_t index;
  };
  std::vector<Frame> stack;
  auto push = [&](const GumboNode* g, std::int32_t parent) -> bool {
    Node n;
    n.gumbo = g;
    n.parent = parent;
    if (g->type == GUMBO_NODE_ELEMENT || g->type == GUMBO_NODE_TEMPLATE) {
      n.kind = Kind::kElement;
      n.tag = g->v.element.tag;
    } else if (g->type == GUMBO_NODE_WHITESPACE) {
      n.kind = Kind::kWhitespace;
    } else if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_CDATA) {
      n.kind = Kind::kText;
    } else {
      return false;  // comments, document
    }
    if (nodes.size() >= limits.max_nodes) return false;
    nodes.push_back(n);
    nodes.back().end = static_cast<std::int32_t>(nodes.size());
    if (n.kind == Kind::kElement) {
      stack.push_back({g, 0, static_cast<std::int32_t>(nodes.size() - 1)});
    }
    return true;
  };
  push(doc->output_->root, -1);
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboVector& children = f.node->v.element.children;
    if (f.next_child >= children.length) {
      nodes[static_cast<std::size_t>(f.index)].end = static_cast<std::int32_t>(nodes.size());
      stack.pop_back();
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children.data[f.next_child++]);
    std::int32_t parent = f.index;
    push(child, parent);
    if (nodes.size() >= limits.max_nodes) {
      return fail(ErrorCode::kBudgetExceeded, "page has more than " + std::to_string(limits.max_nodes) + " nodes");
    }
  }
  return doc;
}

std::string_view Document::attr(std::size_t i, const char* name) const {
  const Node& n = nodes_[i];
  if (n.kind != Kind::kElement) return {};
  const GumboAttribute* a = gumbo_get_attribute(&n.gumbo->v.element.attributes, name);
  return a != nullptr && a->value != nullptr ? std::string_view(a->value) : std::string_view();
}

bool Document::has_attr(std::size_t i, const char* name) const {
  const Node& n = nodes_[i];
  return n.kind == Kind::kElement && gumbo_get_attribute(&n.gumbo->v.element.attributes, name) != nullptr;
}

std::string_view Document::text(std::size_t i) const {
  const Node& n = nodes_[i];
  if (n.kind == Kind::kElement || n.gumbo->v.text.text == nullptr) return {};
  return n.gumbo->v.text.text;
}

std::string_view Document::tag_name(std::size_t i) const {
  const Node& n = nodes_[i];
  if (n.kind != Kind::kElement) return {};
  if (n.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(n.tag);
  GumboStringPiece piece = n.gumbo->v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return std::string_view(piece.data, piece.length);
}

bool is_block_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_NOSCRIPT:
      return true;
    default:
      return false;
  }
}

namespace {
// Length in bytes of a Unicode whitespace sequence starting at s[i], or 0.
std::size_t whitespace_at(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c < 0x80) return 0;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;  // NBSP
  if (c == 0xE2 && i + 2 < s.size()) {
    unsigned char b = static_cast<unsigned char>(s[i + 1]), d = static_cast<unsigned char>(s[i + 2]);
    // U+2000..U+200A spaces, U+2028/2029 separators, U+202F, U+205F
    if (b == 0x80 && ((d >= 0x80 && d <= 0x8A) || d == 0xA8 || d == 0xA9 || d == 0xAF)) return 3;
    if (b == 0x81 && d == 0x9F) return 3;
  }
  if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      static_cast<unsigned char>(s[i + 2]) == 0x80)
    return 3;  // U+3000
  return 0;
}
// Zero-width characters that only add noise to plain text.
std::size_t invisible_at(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    unsigned char d = static_cast<unsigned char>(s[i + 2]);
    if (d == 0x8B || d == 0x8E || d == 0x8F) return 3;  // ZWSP, LRM, RLM
  }
  if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
      static_cast<unsigned char>(s[i + 2]) == 0xBF)
    return 3;                                                                                   // BOM / ZWNBSP
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xAD) return 2;  // soft hyphen
  return 0;
}
}  // namespace

void append_collapsed(std::string& out, std::string_view text, bool& pending_space) {
  std::size_t i = 0, n = text.size();
  while (i < n) {
    if (std::size_t w = whitespace_at(text, i)) {
      pending_space = true;
      i += w;
      continue;
    }
    if (std::size_t z = invisible_at(text, i)) {
      i += z;
      continue;
    }
    if (pending_space) {
      if (!out.empty() && out.back() != '\n') out.push_back(' ');
      pending_space = false;
    }
    std::size_t j = i + 1;
    while (j < n && static_cast<unsigned char>(text[j]) < 0x80 && text[j] != ' ' && text[j] != '\n' &&
           text[j] != '\t' && text[j] != '\r' && text[j] != '\f' && text[j] != '\v')
      ++j;
    out.append(text.data() + i, j - i);
    i = j;
  }
}

std::size_t collapsed_length(std::string_view text, bool& pending_space) {
  std::size_t count = 0;
  for (std::size_t i = 0, n = text.size(); i < n;) {
    if (std::size_t w = whitespace_at(text, i)) {
      pending_space = true;
      i += w;
      continue;
    }
    if (pending_space) {
      ++count;
      pending_space = false;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    ++count;
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  }
  return count;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending = false;
  append_collapsed(out, text, pending);
  return out;
}

}  // namespace banwatch::html
