// Outgoing transfers that are not crawling: mail submission (SMTP, SMTPS,
// STARTTLS) and HTTP POSTs for webhooks. Thin, blocking wrappers over one
// libcurl easy handle each; retries and message building belong to callers
// (digest/deliver.h). With crawler/, the only module that uses libcurl.
// Nothing here logs: passwords and URLs (which can carry
// tokens) stay out of error messages except for scheme, host and port.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace banwatch::transport {

struct MailRequest {
  std::string url;                       // smtp://host[:port][/ehlo-name] or smtps://host[:port]
  bool require_starttls = false;         // smtp:// only: upgrade with STARTTLS or fail
  std::string username, password;        // empty username: no AUTH
  std::string envelope_from;             // bare address: a@example.org
  std::vector<std::string> envelope_to;  // bare addresses; at least one
  std::string message;                   // the whole RFC 5322 message, CRLF line ends
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};
  std::string ca_file;  // "" = system trust store
};

// Submits one message. Errors: kInvalidArgument (bad request), kNetwork
// (connect, TLS, timeout), kRefused (the server refused sender, a recipient
// or the data; the message names the SMTP reply code when libcurl gives one).
Status send_mail(const MailRequest& request);

struct HttpRequest {
  std::string url;  // http:// or https://
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Content-Type
  std::string user_agent = "banwatch";
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};
  std::size_t max_response_bytes = 1u << 20;  // larger answers are cut, not an error
  int max_redirects = 0;                      // webhooks answer where they are asked
};

struct HttpResponse {
  int status = 0;
  std::string body;         // at most max_response_bytes
  std::string retry_after;  // the Retry-After header, if any
};

// POSTs the body. A response with any status is a value (callers decide
// what counts as success); only transfer failures are errors (kNetwork,
// kInvalidArgument).
Result<HttpResponse> post_http(const HttpRequest& request);

// "smtps://mail.example.org:465" from a URL that may carry userinfo, a path
// or a query with secrets: what may be printed.
std::string redact_url(const std::string& url);

}  // namespace banwatch::transport
