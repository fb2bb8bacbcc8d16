#include "transport/transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "common/text.h"

namespace banwatch::transport {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

bool append(Slist& list, const std::string& value) {
  curl_slist* next = curl_slist_append(list.get(), value.c_str());
  if (next == nullptr) return false;
  (void)list.release();
  list.reset(next);
  return true;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

struct ReadState {
  const std::string* data = nullptr;
  std::size_t offset = 0;
};

size_t read_cb(char* buffer, size_t size, size_t nitems, void* userp) {
  auto* state = static_cast<ReadState*>(userp);
  const std::size_t room = size * nitems;
  const std::size_t left = state->data->size() - state->offset;
  const std::size_t n = std::min(room, left);
  std::copy_n(state->data->data() + state->offset, n, buffer);
  state->offset += n;
  return n;
}

struct WriteState {
  std::string* body = nullptr;
  std::size_t max = 0;
};

size_t write_cb(char* data, size_t size, size_t nmemb, void* userp) {
  auto* state = static_cast<WriteState*>(userp);
  const std::size_t n = size * nmemb;
  if (state->body->size() < state->max) state->body->append(data, std::min(n, state->max - state->body->size()));
  return n;  // keep reading past the cap so the connection ends cleanly
}

size_t header_cb(char* data, size_t size, size_t nitems, void* userp) {
  const std::size_t n = size * nitems;
  std::string_view line(data, n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size() && ascii_istarts_with(line, kName)) {
    std::string_view v = line.substr(kName.size());
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
    *static_cast<std::string*>(userp) = std::string(v);
  }
  return n;
}

long millis(std::chrono::milliseconds d) { return static_cast<long>(std::max<std::int64_t>(d.count(), 1)); }

// A transfer to `url` by one of `protocols` (curl's list), what fails written
// to `errbuf`, with the settings every transfer shares: no signals, the two
// timeouts.
Result<Easy> open_transfer(const std::string& where, const std::string& url, const char* protocols, char* errbuf,
                           std::chrono::milliseconds connect_timeout, std::chrono::milliseconds timeout) {
  global_init();
  Easy easy(curl_easy_init());
  if (!easy) return fail(ErrorCode::kInternal, where + ": curl_easy_init failed");
  CURL* c = easy.get();
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, millis(connect_timeout));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, millis(timeout));
  return easy;
}

Error curl_error(CURLcode code, const char* buffer, const std::string& where) {
  std::string detail = buffer[0] != '\0' ? std::string(buffer) : std::string(curl_easy_strerror(code));
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
  return Error(ErrorCode::kNetwork, fmt::format("{}: {}", where, detail));
}

}  // namespace

std::string redact_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "(unparseable URL)";
  std::string rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  return ascii_lower(url.substr(0, scheme_end)) + "://" + rest;
}

Status send_mail(const MailRequest& r) {
  const std::string where = "mail to " + redact_url(r.url);
  const std::string scheme = ascii_lower(r.url.substr(0, r.url.find("://")));
  if (r.url.find("://") == std::string::npos || (scheme != "smtp" && scheme != "smtps"))
    return fail(ErrorCode::kInvalidArgument, where + ": the URL must start with smtp:// or smtps://");
  if (r.envelope_to.empty()) return fail(ErrorCode::kInvalidArgument, where + ": no recipient");
  if (r.envelope_from.empty() || has_control(r.envelope_from))
    return fail(ErrorCode::kInvalidArgument, where + ": bad sender address");
  for (const auto& to : r.envelope_to)
    if (to.empty() || has_control(to)) return fail(ErrorCode::kInvalidArgument, where + ": bad recipient address");

  char errbuf[CURL_ERROR_SIZE] = {0};
  auto easy = open_transfer(where, r.url, "smtp,smtps", errbuf, r.connect_timeout, r.timeout);
  if (!easy) return std::unexpected(easy.error());
  CURL* c = easy->get();
  Slist rcpt;
  for (const auto& to : r.envelope_to)
    if (!append(rcpt, "<" + to + ">")) return fail(ErrorCode::kInternal, where + ": out of memory");
  const std::string from = "<" + r.envelope_from + ">";
  ReadState state{&r.message, 0};

  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &state);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.message.size()));
  if (r.require_starttls && scheme == "smtp") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!r.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, r.ca_file.c_str());
  if (!r.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, r.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, r.password.c_str());
  }

  const CURLcode rc = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  if (rc == CURLE_OK) return {};
  if (reply >= 400)
    return fail(ErrorCode::kRefused, fmt::format("{}: the server answered {} ({})", where, reply,
                                                 errbuf[0] ? errbuf : curl_easy_strerror(rc)));
  if (rc == CURLE_LOGIN_DENIED) return fail(ErrorCode::kRefused, where + ": login denied");
  if (rc == CURLE_USE_SSL_FAILED) return fail(ErrorCode::kRefused, where + ": the server does not offer STARTTLS");
  return std::unexpected(curl_error(rc, errbuf, where));
}

Result<HttpResponse> post_http(const HttpRequest& r) {
  const std::string where = "POST " + redact_url(r.url);
  const std::string scheme = ascii_lower(r.url.substr(0, r.url.find("://")));
  if (r.url.find("://") == std::string::npos || (scheme != "http" && scheme != "https"))
    return fail(ErrorCode::kInvalidArgument, where + ": the URL must start with http:// or https://");
  char errbuf[CURL_ERROR_SIZE] = {0};
  auto easy = open_transfer(where, r.url, "http,https", errbuf, r.connect_timeout, r.timeout);
  if (!easy) return std::unexpected(easy.error());
  CURL* c = easy->get();
  Slist headers;
  bool has_expect = false;
  for (const auto& [name, value] : r.headers) {
    if (has_control(name) || has_control(value) || name.find(':') != std::string::npos)
      return fail(ErrorCode::kInvalidArgument, where + ": bad header " + name);
    has_expect = has_expect || ascii_lower(name) == "expect";
    if (!append(headers, name + ": " + value)) return fail(ErrorCode::kInternal, where + ": out of memory");
  }
  // No "Expect: 100-continue" round trip: webhook bodies are small.
  if (!has_expect && !append(headers, "Expect:")) return fail(ErrorCode::kInternal, where + ": out of memory");

  HttpResponse response;
  WriteState ws{&response.body, r.max_response_bytes};
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, r.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ws);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.retry_after);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  if (r.max_redirects > 0) {
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(r.max_redirects));
    // A 301/302 must not turn the POST into a GET that drops the body.
    curl_easy_setopt(c, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return std::unexpected(curl_error(rc, errbuf, where));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace banwatch::transport
