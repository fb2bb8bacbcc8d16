// A parsed absolute URL (RFC 3986, with the WHATWG leniencies browsers apply to
// real-world links). Construction never throws: parse() returns an error value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace banwatch {

class Url {
 public:
  // Parses an absolute http(s) or other-scheme URL. Trims surrounding
  // whitespace, lower-cases scheme and host, removes default ports,
  // percent-encodes spaces and non-ASCII bytes in path and query, converts
  // IDN hosts left as UTF-8 into lower case without punycode (kept as given).
  static Result<Url> parse(std::string_view text);

  // Resolves `reference` (absolute or relative) against this URL (RFC 3986 §5.2,
  // with dot-segment removal).
  Result<Url> resolve(std::string_view reference) const;

  const std::string& scheme() const { return scheme_; }
  const std::string& userinfo() const { return userinfo_; }
  const std::string& host() const { return host_; }    // lower case; IPv6 without brackets
  std::optional<int> port() const { return port_; }    // nullopt when default or absent
  int effective_port() const;                          // 80/443 filled in for http/https
  const std::string& path() const { return path_; }    // starts with "/" for http(s)
  const std::string& query() const { return query_; }  // without "?"; empty if none
  bool has_query() const { return has_query_; }
  const std::string& fragment() const { return fragment_; }

  bool is_http() const { return scheme_ == "http" || scheme_ == "https"; }
  // "host" or "host:port" when the port is not the default: the politeness key.
  std::string authority() const;
  // "scheme://authority" — where robots.txt lives.
  std::string origin() const;
  // path + "?" + query: what robots.txt rules are matched against.
  std::string path_and_query() const;

  std::string str() const;  // the normalized serialization

  // The identity of an article for de-duplication across runs and sources:
  // fragment dropped, host lower-cased, default port removed, tracking query
  // parameters (utm_*, fbclid, gclid, dclid, msclkid, mc_cid, mc_eid, igshid,
  // _ga, ref_src, cmpid, ocid, …) removed, remaining parameters kept in order,
  // an empty query dropped, "http" kept distinct from "https".
  Url canonical() const;

  friend bool operator==(const Url& a, const Url& b) { return a.str() == b.str(); }

 private:
  std::string scheme_, userinfo_, host_, path_, query_, fragment_;
  std::optional<int> port_;
  bool has_query_ = false;
  bool has_fragment_ = false;
  bool has_authority_ = false;
};

// Appends `byte` percent-encoded: "%" and two upper-case hex digits (RFC 3986
// section 2.1 recommends upper case).
void append_percent_encoded(std::string& out, unsigned char byte);

// Convenience: parse + canonical().str(), or the input unchanged when it does
// not parse.
std::string canonical_url_string(std::string_view text);

}  // namespace banwatch
