// Which encoding a feed's bytes are in, decided the way feedparser decides it
// (BOM and "<?xm" sniffing, the XML declaration, the HTTP charset with RFC 3023
// defaults, then utf-8 / windows-1252 / iso-8859-2 as fallbacks), and the
// conversion to UTF-8.
#include <fmt/format.h>

#include "common/charset.h"
#include "feeds/internal.h"

namespace banwatch::feeds::internal {

namespace {

// Encodings named the Python way in declarations, mapped to what the
// converter knows.
std::string converter_name(std::string_view name) {
  std::string n = ascii_lower(trim_html_space(name));
  if (n == "u16" || n == "utf16" || n == "utf_16") return "utf-16";
  if (n == "u32" || n == "utf32" || n == "utf_32") return "utf-32";
  if (n == "utf8" || n == "utf_8" || n == "u8") return "utf-8";
  if (n == "latin1" || n == "latin-1" || n == "l1") return "iso-8859-1";
  if (n == "ascii") return "us-ascii";
  for (const char* cp : {"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258"}) {
    if (n == cp) return "windows-" + n.substr(2);
  }
  return n;
}

// XML declaration encoding, as feedparser's RE_XML_PI_ENCODING finds it:
// ^<\?.*encoding=['"](.*?)['"].*\?> on the first line.
std::string declared_encoding(std::string_view head) {
  if (!head.starts_with("<?")) return {};
  std::string_view line = head.substr(0, head.find('\n'));
  std::size_t at = line.rfind("encoding=");
  while (at != std::string_view::npos) {
    std::size_t q = at + 9;
    if (q < line.size() && (line[q] == '"' || line[q] == '\'')) {
      std::size_t end = line.find_first_of("\"'", q + 1);
      if (end != std::string_view::npos && line.find("?>", end) != std::string_view::npos) {
        return ascii_lower(line.substr(q + 1, end - q - 1));
      }
    }
    if (at == 0) break;
    at = line.rfind("encoding=", at - 1);
  }
  return {};
}

// Counts well-formed multi-byte UTF-8 sequences and the bytes that start no
// well-formed sequence.
void utf8_census(std::string_view s, std::size_t& multibyte, std::size_t& invalid) {
  multibyte = invalid = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t consumed = 0;
    const std::size_t len = utf8_sequence(s, i, consumed);
    if (len > 1) ++multibyte;
    if (len == 0) ++invalid;
    i += len == 0 ? 1 : len;
  }
}

// Strict conversion: nullopt when the bytes are not valid in `charset` or the
// charset is unknown.
std::optional<std::string> convert_strict(std::string_view bytes, const std::string& charset) {
  std::string name = converter_name(charset);
  if (name == "utf-8") {
    if (!is_valid_utf8(bytes)) return std::nullopt;
    return std::string(bytes);
  }
  if (name == "us-ascii") {
    if (!is_ascii(bytes)) return std::nullopt;
    return std::string(bytes);
  }
  auto decoded = to_utf8(bytes, name);
  if (!decoded || decoded->replaced > 0) return std::nullopt;
  return std::move(decoded->text);
}

}  // namespace

Result<DecodedDocument> decode_document(std::string_view bytes, const Options& options) {
  DecodedDocument doc;
  std::string_view data = bytes;
  std::string bom_encoding;
  using namespace std::string_view_literals;
  if (data.starts_with("\x00\x00\xFE\xFF"sv)) {
    bom_encoding = "utf-32be";
    data.remove_prefix(4);
  } else if (data.starts_with("\xFF\xFE\x00\x00"sv)) {
    bom_encoding = "utf-32le";
    data.remove_prefix(4);
  } else if (data.starts_with("\xFE\xFF"sv) && !data.substr(2).starts_with("\x00\x00"sv)) {
    bom_encoding = "utf-16be";
    data.remove_prefix(2);
  } else if (data.starts_with("\xFF\xFE"sv) && !data.substr(2).starts_with("\x00\x00"sv)) {
    bom_encoding = "utf-16le";
    data.remove_prefix(2);
  } else if (data.starts_with("\xEF\xBB\xBF"sv)) {
    bom_encoding = "utf-8";
    data.remove_prefix(3);
  } else if (data.starts_with("\x4C\x6F\xA7\x94"sv)) {
    bom_encoding = "cp037";
  } else if (data.starts_with("\x00\x3C\x00\x3F"sv)) {
    bom_encoding = "utf-16be";
  } else if (data.starts_with("\x3C\x00\x3F\x00"sv)) {
    bom_encoding = "utf-16le";
  } else if (data.starts_with("\x00\x00\x00\x3C"sv)) {
    bom_encoding = "utf-32be";
  } else if (data.starts_with("\x3C\x00\x00\x00"sv)) {
    bom_encoding = "utf-32le";
  }

  std::string xml_encoding;
  {
    std::string_view head = data.substr(0, 1024);
    if (!bom_encoding.empty() && bom_encoding != "utf-8") {
      std::size_t unit = bom_encoding.starts_with("utf-32") ? 4 : bom_encoding == "cp037" ? 1 : 2;
      head = head.substr(0, head.size() - head.size() % unit);
      auto converted = to_utf8(head, bom_encoding);
      if (converted) xml_encoding = declared_encoding(converted->text);
    } else {
      xml_encoding = declared_encoding(head);
    }
    static constexpr std::string_view kUnicodeFamily[] = {
        "u16",    "utf-16",          "utf16",           "utf_16", "u32",       "utf-32", "utf32",
        "utf_32", "iso-10646-ucs-2", "iso-10646-ucs-4", "csucs4", "csunicode", "ucs-2",  "ucs-4"};
    if (!bom_encoding.empty()) {
      for (auto u : kUnicodeFamily) {
        if (xml_encoding == u) xml_encoding = bom_encoding;
      }
    }
  }

  std::string http_encoding = ascii_lower(trim_html_space(options.http_charset));
  while (!http_encoding.empty() && (http_encoding.front() == '"' || http_encoding.front() == '\'')) {
    http_encoding.erase(0, 1);
  }
  while (!http_encoding.empty() && (http_encoding.back() == '"' || http_encoding.back() == '\'')) {
    http_encoding.pop_back();
  }
  std::string content_type = ascii_lower(trim_html_space(options.http_content_type));
  if (auto semi = content_type.find(';'); semi != std::string::npos) {
    if (http_encoding.empty()) {
      http_encoding = ascii_lower(charset_from_content_type(content_type));
    }
    content_type = std::string(trim_html_space(std::string_view(content_type).substr(0, semi)));
  }

  // RFC 3023 as feedparser applies it.
  std::string rfc3023;
  bool acceptable = true;
  auto ends_with_xml = content_type.ends_with("+xml");
  if (content_type.empty()) {
    rfc3023 = !http_encoding.empty() ? http_encoding : !xml_encoding.empty() ? xml_encoding : "utf-8";
  } else if (content_type == "application/xml" || content_type == "application/xml-dtd" ||
             content_type == "application/xml-external-parsed-entity" ||
             (content_type.starts_with("application/") && ends_with_xml)) {
    rfc3023 = !http_encoding.empty() ? http_encoding : !xml_encoding.empty() ? xml_encoding : "utf-8";
  } else if (content_type == "text/xml" || content_type == "text/xml-external-parsed-entity" ||
             (content_type.starts_with("text/") && ends_with_xml)) {
    rfc3023 = !http_encoding.empty() ? http_encoding : "us-ascii";
  } else if (content_type.starts_with("text/")) {
    rfc3023 = !http_encoding.empty() ? http_encoding : "us-ascii";
    acceptable = false;
  } else {
    rfc3023 = !xml_encoding.empty() ? xml_encoding : "utf-8";
    acceptable = false;
  }
  if (rfc3023 == "gb2312") rfc3023 = "gb18030";
  if (xml_encoding == "gb2312") xml_encoding = "gb18030";
  if (!acceptable) {
    doc.warnings.push_back(fmt::format("Content-Type {} is not an XML media type", options.http_content_type));
  }

  std::vector<std::string> tried;
  std::string chosen;
  bool zero_copy = false;
  for (const std::string& proposed : {rfc3023, xml_encoding, bom_encoding, std::string("utf-8"),
                                      std::string("windows-1252"), std::string("iso-8859-2")}) {
    if (proposed.empty()) continue;
    bool seen = false;
    for (const auto& t : tried) seen = seen || t == proposed;
    if (seen) continue;
    tried.push_back(proposed);
    if (proposed == "windows-1252" || proposed == "iso-8859-2") {
      // Before reading UTF-8 as Latin: when most non-ASCII bytes form valid
      // UTF-8 sequences the document is UTF-8 with a few bad bytes.
      std::size_t multibyte = 0, invalid = 0;
      utf8_census(data, multibyte, invalid);
      if (multibyte > invalid) {
        auto repaired = to_utf8(data, "utf-8");
        if (repaired) {
          doc.owned = std::move(repaired->text);
          chosen = "utf-8";
          doc.warnings.push_back(fmt::format("{} invalid UTF-8 byte sequence(s) replaced with U+FFFD", invalid));
          break;
        }
      }
    }
    std::string name = converter_name(proposed);
    if ((name == "utf-8" || name == "us-ascii") && is_valid_utf8(data)) {
      if (name != "us-ascii" || is_ascii(data)) {
        chosen = proposed;
        doc.text = data;  // no copy for the common case
        zero_copy = true;
        break;
      }
      continue;
    }
    auto converted = convert_strict(data, proposed);
    if (!converted) continue;
    chosen = proposed;
    doc.owned = std::move(*converted);
    break;
  }
  if (chosen.empty()) {
    // Only reachable when no converter exists at all; keep the bytes readable.
    auto repaired = to_utf8(data, "utf-8");
    if (!repaired) return std::unexpected(repaired.error());
    doc.owned = std::move(repaired->text);
    chosen = "utf-8";
    doc.warnings.push_back("document encoding unknown; invalid bytes replaced");
  } else if (chosen != rfc3023) {
    doc.warnings.push_back(fmt::format("document declared as {}, but parsed as {}", rfc3023, chosen));
  }
  doc.encoding = chosen;
  if (!zero_copy) doc.text = doc.owned;
  if (doc.text.starts_with("\xEF\xBB\xBF")) doc.text.remove_prefix(3);
  return doc;
}

}  // namespace banwatch::feeds::internal
