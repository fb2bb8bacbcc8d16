#include "common/url.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <vector>

#include "common/text.h"

namespace banwatch {
namespace {

constexpr std::size_t kMaxUrlLength = 16 * 1024;

bool is_scheme_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; }

// Percent-encodes bytes browsers would encode: controls, space, non-ASCII,
// and a few delimiters that are never valid unencoded. Existing %XX is kept.
std::string encode_component(std::string_view s, bool is_query) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool encode =
        c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '`' || (!is_query && (c == '{' || c == '}'));
    if (c == '\t' || c == '\n' || c == '\r') continue;  // WHATWG strips these
    if (encode) {
      append_percent_encoded(out, c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  bool absolute = !path.empty() && path.front() == '/';
  std::size_t pos = absolute ? 1 : 0;
  bool trailing_slash = false;
  while (pos <= path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    auto seg = path.substr(pos, next - pos);
    bool last = next == path.size();
    if (seg == "." || seg == "%2e" || seg == "%2E") {
      trailing_slash = last;
    } else if (seg == ".." || seg == "%2e%2e" || seg == "%2E%2E" || seg == ".%2e" || seg == "%2e.") {
      if (!out.empty()) out.pop_back();
      trailing_slash = last;
    } else {
      out.push_back(seg);
      trailing_slash = false;
    }
    pos = next + 1;
  }
  std::string result = absolute ? "/" : "";
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i) result += '/';
    result += out[i];
  }
  if (trailing_slash && !result.empty() && result.back() != '/') result += '/';
  return result;
}

bool is_tracking_param(std::string_view name) {
  static constexpr std::array<std::string_view, 22> kExact = {
      "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid",   "igshid", "_ga",     "_gl", "yclid",  "ref_src",
      "cmpid",  "ocid",  "smid",  "smtyp",   "twclid", "wt.mc_id", "s_cid",  "mkt_tok", "spm", "_hsenc", "_hsmi"};
  std::string lower = ascii_lower(name);
  if (lower.starts_with("utm_")) return true;
  return std::find(kExact.begin(), kExact.end(), lower) != kExact.end();
}

// Cuts `v` at the first `sep`: what follows it, or nullopt when there is none;
// `v` keeps what precedes it.
std::optional<std::string_view> cut_at(std::string_view& v, char sep) {
  const std::size_t at = v.find(sep);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view rest = v.substr(at + 1);
  v = v.substr(0, at);
  return rest;
}

}  // namespace

void append_percent_encoded(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 15];
}

Result<Url> Url::parse(std::string_view text) {
  std::string_view s = trim_ascii_space(text);
  if (s.empty()) return fail(ErrorCode::kInvalidArgument, "empty URL");
  if (s.size() > kMaxUrlLength) return fail(ErrorCode::kBudgetExceeded, "URL longer than 16 KiB");
  std::string cleaned;
  cleaned.reserve(s.size());
  for (char c : s) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    cleaned += c == '\\' ? '/' : c;
  }
  std::string_view v = cleaned;

  Url url;
  auto colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(v[0])) ||
      !std::all_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(colon), is_scheme_char)) {
    return fail(ErrorCode::kInvalidArgument, "not an absolute URL (no scheme): " + std::string(s.substr(0, 200)));
  }
  url.scheme_ = ascii_lower(v.substr(0, colon));
  v.remove_prefix(colon + 1);

  if (auto fragment = cut_at(v, '#')) {
    url.fragment_ = std::string(*fragment);
    url.has_fragment_ = true;
  }
  if (auto query = cut_at(v, '?')) {
    url.query_ = encode_component(*query, true);
    url.has_query_ = true;
  }

  bool special = url.scheme_ == "http" || url.scheme_ == "https";
  if (v.starts_with("//") || (special && v.starts_with("/"))) {
    // Browsers accept "http:/host" and "http:///host"; skip all slashes for http(s).
    std::size_t skip = 0;
    while (skip < v.size() && v[skip] == '/' && (special || skip < 2)) ++skip;
    v.remove_prefix(skip);
    url.has_authority_ = true;
    auto slash = v.find('/');
    std::string_view authority = v.substr(0, slash);
    v = slash == std::string_view::npos ? std::string_view{} : v.substr(slash);
    auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      url.userinfo_ = std::string(authority.substr(0, at));
      authority.remove_prefix(at + 1);
    }
    std::string_view host = authority;
    std::string_view port;
    if (authority.starts_with("[")) {
      auto close = authority.find(']');
      if (close == std::string_view::npos)
        return fail(ErrorCode::kInvalidArgument, "unterminated IPv6 address in URL: " + std::string(s.substr(0, 200)));
      host = authority.substr(1, close - 1);
      // An IP literal (RFC 3986 §3.2.2): hex digits, colons and dots only, so
      // that the bracketed form written back by authority() parses again.
      if (host.find(':') == std::string_view::npos ||
          host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
        return fail(ErrorCode::kInvalidArgument, "invalid IPv6 address in URL: " + std::string(s.substr(0, 200)));
      auto rest = authority.substr(close + 1);
      if (!rest.empty()) {
        if (rest.front() != ':')
          return fail(ErrorCode::kInvalidArgument,
                      "bad text after IPv6 address in URL: " + std::string(s.substr(0, 200)));
        port = rest.substr(1);
      }
    } else {
      auto pc = authority.rfind(':');
      if (pc != std::string_view::npos) {
        host = authority.substr(0, pc);
        port = authority.substr(pc + 1);
      }
      // Outside brackets a host holds no ':', '[' or ']' (RFC 3986 reg-name):
      // "a:b:80" or "x]y" would otherwise be written back as an IPv6 literal
      // that does not parse (found by fuzz_url).
      if (host.find_first_of(":[]") != std::string_view::npos)
        return fail(ErrorCode::kInvalidArgument, "invalid character in URL host: " + std::string(s.substr(0, 200)));
    }
    url.host_ = ascii_lower(host);
    while (!url.host_.empty() && url.host_.back() == '.') url.host_.pop_back();  // FQDN dot
    if (special && url.host_.empty())
      return fail(ErrorCode::kInvalidArgument, "URL has no host: " + std::string(s.substr(0, 200)));
    for (char c : url.host_) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || c == '/' || c == '?' || c == '#' || c == '@' || c == '<' || c == '>' || c == '\\')
        return fail(ErrorCode::kInvalidArgument, "invalid character in URL host: " + std::string(s.substr(0, 200)));
    }
    if (!port.empty()) {
      int p = 0;
      auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
      if (ec != std::errc() || ptr != port.data() + port.size() || p < 0 || p > 65535)
        return fail(ErrorCode::kInvalidArgument, "invalid port in URL: " + std::string(s.substr(0, 200)));
      bool is_default = (url.scheme_ == "http" && p == 80) || (url.scheme_ == "https" && p == 443);
      if (!is_default) url.port_ = p;
    }
  }
  // "https:" or "http:path" name no host: nothing to fetch, and no canonical form parses back.
  if (special && url.host_.empty())
    return fail(ErrorCode::kInvalidArgument, "URL has no host: " + std::string(s.substr(0, 200)));
  std::string path = encode_component(v, false);
  if (url.has_authority_ || special) {
    if (path.empty()) path = "/";
    path = remove_dot_segments(path);
  }
  url.path_ = std::move(path);
  return url;
}

Result<Url> Url::resolve(std::string_view reference) const {
  std::string_view ref = trim_ascii_space(reference);
  // An absolute reference (has a scheme) stands alone.
  auto colon = ref.find(':');
  auto first_delim = ref.find_first_of("/?#");
  if (colon != std::string_view::npos && colon > 0 && (first_delim == std::string_view::npos || colon < first_delim) &&
      std::isalpha(static_cast<unsigned char>(ref[0])) &&
      std::all_of(ref.begin(), ref.begin() + static_cast<std::ptrdiff_t>(colon), is_scheme_char)) {
    std::string scheme = ascii_lower(ref.substr(0, colon));
    // "http:foo" relative to an http base is a relative reference (RFC 3986 §5.2.2 non-strict).
    if (!(scheme == scheme_ && !ref.substr(colon + 1).starts_with("/") && is_http())) return Url::parse(ref);
    ref.remove_prefix(colon + 1);
  }
  std::string cleaned;
  for (char c : ref) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    cleaned += (c == '\\' && is_http()) ? '/' : c;
  }
  ref = cleaned;
  if (ref.starts_with("//")) return Url::parse(scheme_ + ":" + std::string(ref));

  Url out = *this;
  out.fragment_.clear();
  out.has_fragment_ = false;
  if (auto fragment = cut_at(ref, '#')) {
    out.fragment_ = std::string(*fragment);
    out.has_fragment_ = true;
  }
  std::string_view ref_path = ref;
  const auto ref_query = cut_at(ref_path, '?');
  if (ref_query) {
    out.query_ = encode_component(*ref_query, true);
    out.has_query_ = true;
  }
  if (ref_path.empty()) {
    if (!ref_query) {
      out.query_ = query_;
      out.has_query_ = has_query_;
    }
    return out;
  }
  std::string merged;
  if (ref_path.front() == '/') {
    merged = std::string(ref_path);
  } else {
    auto last_slash = path_.rfind('/');
    merged = (has_authority_ && path_.empty())
                 ? "/"
                 : (last_slash == std::string::npos ? "" : path_.substr(0, last_slash + 1));
    merged += ref_path;
  }
  if (!ref_query) {
    out.query_.clear();
    out.has_query_ = false;
  }
  out.path_ = remove_dot_segments(encode_component(merged, false));
  if (out.path_.empty() && out.is_http()) out.path_ = "/";
  return out;
}

int Url::effective_port() const {
  if (port_) return *port_;
  if (scheme_ == "https") return 443;
  if (scheme_ == "http") return 80;
  return 0;
}

std::string Url::authority() const {
  std::string a = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  if (port_) a += ":" + std::to_string(*port_);
  return a;
}

std::string Url::origin() const { return scheme_ + "://" + authority(); }

std::string Url::path_and_query() const { return has_query_ ? path_ + "?" + query_ : path_; }

std::string Url::str() const {
  std::string out = scheme_ + ":";
  if (has_authority_) {
    out += "//";
    if (!userinfo_.empty()) out += userinfo_ + "@";
    out += authority();
  }
  out += path_;
  if (has_query_) out += "?" + query_;
  if (has_fragment_) out += "#" + fragment_;
  return out;
}

Url Url::canonical() const {
  Url c = *this;
  c.fragment_.clear();
  c.has_fragment_ = false;
  if (has_query_) {
    std::string kept;
    std::string_view q = query_;
    while (true) {
      auto amp = q.find('&');
      std::string_view param = q.substr(0, amp);
      std::string_view name = param.substr(0, param.find('='));
      if (!param.empty() && !is_tracking_param(name)) {
        if (!kept.empty()) kept += '&';
        kept += param;
      }
      if (amp == std::string_view::npos) break;
      q.remove_prefix(amp + 1);
    }
    c.query_ = kept;
    c.has_query_ = !kept.empty();
  }
  return c;
}

std::string canonical_url_string(std::string_view text) {
  auto url = Url::parse(text);
  if (!url) return std::string(text);
  return url->canonical().str();
}

}  // namespace banwatch
