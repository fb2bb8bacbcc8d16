// The listening side of `banwatch serve`: cpp-httplib in front of handle().
#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <thread>

#include "serve/serve.h"

namespace banwatch::serve {

Result<ListenAddress> parse_listen(std::string_view text) {
  ListenAddress address;
  std::string_view port_text = text;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("--listen '{}': expected [IPv6]:PORT, e.g. [::1]:8080", text));
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else if (const std::size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (address.host.find(':') != std::string::npos) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("--listen '{}': an IPv6 address goes in brackets, e.g. [::1]:8080", text));
    }
  }
  if (address.host.empty()) address.host = "127.0.0.1";
  int port = -1;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--listen '{}': the port must be a number from 0 to 65535 (HOST:PORT)", text));
  }
  address.port = port;
  unsigned char buffer[16];
  if (address.host != "localhost" && inet_pton(AF_INET, address.host.c_str(), buffer) != 1 &&
      inet_pton(AF_INET6, address.host.c_str(), buffer) != 1) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("--listen '{}': '{}' is not an IP address (or localhost)", text, address.host));
  }
  return address;
}

bool is_loopback(std::string_view host) {
  if (host == "localhost") return true;
  const std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

struct Server::Impl {
  httplib::Server http;
  std::thread listener;
  int port = 0;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop();
  wait();
}

int Server::port() const { return impl_->port; }

void Server::stop() { impl_->http.stop(); }

void Server::wait() {
  if (impl_->listener.joinable()) impl_->listener.join();
}

Result<std::unique_ptr<Server>> Server::start(store::Store& store, const ListenAddress& address,
                                              const SiteOptions& options) {
  auto impl = std::make_unique<Impl>();
  httplib::Server& http = impl->http;
  http.new_task_queue = [] { return new httplib::ThreadPool(4); };
  http.set_payload_max_length(64 * 1024);  // nothing is ever posted
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.set_keep_alive_timeout(5);
  const auto answer = [&store, options](const httplib::Request& req, httplib::Response& res) {
    Request request;
    request.method = req.method;
    request.path = req.path;
    for (const auto& [key, value] : req.params) request.params.emplace(key, value);
    request.authorization = req.get_header_value("Authorization");
    request.cookie = req.get_header_value("Cookie");
    Response response = handle(store, request, options);
    res.status = response.status;
    for (const auto& [name, value] : security_headers()) res.set_header(name, value);
    for (const auto& [name, value] : response.headers) res.set_header(name, value);
    res.set_content(std::move(response.body), response.content_type);
  };
  http.Get(".*", answer);  // HEAD too: httplib answers it with the GET handler, without the body
  // Every other method is answered (405) before its body is read, with or
  // without a length; the connection is closed after it, body unread.
  http.set_pre_routing_handler([answer](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" || req.method == "HEAD") return httplib::Server::HandlerResponse::Unhandled;
    answer(req, res);
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  if (address.port == 0) {
    impl->port = http.bind_to_any_port(address.host);
    if (impl->port < 0) {
      return fail(ErrorCode::kIo, fmt::format("serve: cannot listen on {} (any port)", address.host));
    }
  } else {
    if (!http.bind_to_port(address.host, address.port)) {
      return fail(ErrorCode::kIo, fmt::format("serve: cannot listen on {}:{} (in use, or not an address of this "
                                              "machine)",
                                              address.host, address.port));
    }
    impl->port = address.port;
  }
  Impl* raw = impl.get();
  raw->listener = std::thread([raw] { raw->http.listen_after_bind(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace banwatch::serve
