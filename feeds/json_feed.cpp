// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). nlohmann-json
// exceptions stay inside this file.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "feeds/internal.h"

namespace banwatch::feeds::internal {

namespace {

using nlohmann::json;

std::string string_member(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

void read_authors(const json& object, std::vector<std::string>& names, std::vector<Author>* details) {
  auto add = [&](const json& a) {
    if (!a.is_object()) return;
    Author author{string_member(a, "name"), {}, string_member(a, "url")};
    if (author.name.empty() && author.uri.empty()) return;
    if (!author.name.empty()) names.push_back(author.name);
    if (details) details->push_back(std::move(author));
  };
  if (auto it = object.find("authors"); it != object.end() && it->is_array()) {
    for (const auto& a : *it) add(a);
  } else if (auto single = object.find("author"); single != object.end()) {
    add(*single);
  }
}

}  // namespace

Status parse_json_feed(std::string_view utf8, const Options& options, Feed& feed) {
  json doc;
  try {
    // The parser's own recursion is bounded by the callback below.
    std::size_t depth = 0;
    bool too_deep = false;
    json::parser_callback_t limit = [&](int, json::parse_event_t event, json&) {
      if (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) {
        if (++depth > options.max_depth) too_deep = true;
      } else if (event == json::parse_event_t::object_end || event == json::parse_event_t::array_end) {
        --depth;
      }
      return !too_deep;
    };
    doc = json::parse(utf8.begin(), utf8.end(), limit);
    if (too_deep) {
      return fail(ErrorCode::kBudgetExceeded,
                  fmt::format("JSON nested deeper than {} (the depth budget)", options.max_depth));
    }
  } catch (const json::exception& e) {
    return fail(ErrorCode::kParse, fmt::format("not a feed: invalid JSON ({})", e.what()));
  }
  if (!doc.is_object()) return fail(ErrorCode::kParse, "not a feed: JSON that is not an object");
  std::string version = string_member(doc, "version");
  auto items = doc.find("items");
  if (!version.starts_with("https://jsonfeed.org/version/") && !version.starts_with("http://jsonfeed.org/version/")) {
    if (items == doc.end() || !items->is_array()) {
      std::string keys;
      for (auto it = doc.begin(); it != doc.end() && keys.size() < 60; ++it) {
        keys += (keys.empty() ? "" : ", ") + it.key();
      }
      return fail(ErrorCode::kParse, "not a feed: a JSON object that is not a JSON Feed (keys: " + keys + ")");
    }
    feed.warnings.push_back("JSON Feed without a version; read as 1.1");
  }
  feed.format = version.ends_with("/1") ? Format::kJsonFeed10 : Format::kJsonFeed11;
  feed.title = string_member(doc, "title");
  feed.link = resolve_url(options.base_url, string_member(doc, "home_page_url"));
  feed.description = string_member(doc, "description");
  feed.language = string_member(doc, "language");
  read_authors(doc, feed.authors, nullptr);
  if (items == doc.end() || !items->is_array()) {
    feed.warnings.push_back("JSON Feed without an items array");
    return {};
  }
  std::string base = feed.link.empty() ? options.base_url : feed.link;
  for (const auto& entry : *items) {
    if (!entry.is_object()) {
      feed.warnings.push_back("JSON Feed item that is not an object skipped");
      continue;
    }
    if (feed.items.size() >= options.max_items) {
      return fail(ErrorCode::kBudgetExceeded, fmt::format("more than {} items (the item budget)", options.max_items));
    }
    Item item;
    if (auto id = entry.find("id"); id != entry.end()) {
      if (id->is_string())
        item.id = id->get<std::string>();
      else if (id->is_number())
        item.id = id->dump();  // 1.0 feeds sometimes use numbers
    }
    std::string url = string_member(entry, "url");
    if (url.empty()) url = string_member(entry, "external_url");
    item.url = resolve_url(base, url);
    item.title = std::string(trim_html_space(string_member(entry, "title")));
    item.summary = string_member(entry, "summary");
    item.summary_type = "text/plain";
    std::string html = string_member(entry, "content_html");
    if (!html.empty()) {
      item.content = std::move(html);
      item.content_type = "text/html";
    } else {
      item.content = string_member(entry, "content_text");
      item.content_type = "text/plain";
    }
    item.published_raw = string_member(entry, "date_published");
    item.updated_raw = string_member(entry, "date_modified");
    item.language = string_member(entry, "language");
    read_authors(entry, item.authors, &item.author_details);
    if (item.authors.empty()) item.authors = feed.authors;
    if (auto tags = entry.find("tags"); tags != entry.end() && tags->is_array()) {
      for (const auto& t : *tags) {
        if (t.is_string()) item.categories.push_back(t.get<std::string>());
      }
    }
    if (auto att = entry.find("attachments"); att != entry.end() && att->is_array()) {
      for (const auto& a : *att) {
        if (!a.is_object()) continue;
        Enclosure e;
        e.url = resolve_url(base, string_member(a, "url"));
        if (e.url.empty()) continue;
        e.type = string_member(a, "mime_type");
        if (auto size = a.find("size_in_bytes"); size != a.end() && size->is_number_integer()) {
          e.length = size->get<std::int64_t>();
        }
        item.enclosures.push_back(std::move(e));
      }
    }
    finish_item(item);
    feed.items.push_back(std::move(item));
  }
  return {};
}

}  // namespace banwatch::feeds::internal
