#include "app/site_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "common/text.h"

#include "parsers/dates.h"

namespace banwatch::app {

namespace fs = std::filesystem;

namespace {

struct File {
  std::string body, content_type, etag;
};

// FNV-1a, 64 bits: a tag that changes when the bytes do, stable across runs.
std::string etag_of(const std::string& body) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return fmt::format("\"{:016x}-{:x}\"", h, body.size());
}

std::string content_type_for(const std::string& path) {
  const std::string name = path.substr(path.rfind('/') + 1);
  const auto dot = name.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
  if (ext.empty() || ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "rss" || name == "rss.xml") return "application/rss+xml; charset=utf-8";
  if (ext == "atom" || name == "atom.xml") return "application/atom+xml; charset=utf-8";
  if (ext == "xml") return "application/xml; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string http_date(Timestamp t) {
  const std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// RFC 9110 §13.1.2: a list of entity tags or "*"; weak tags compare weakly.
bool etag_matches(std::string_view header, const std::string& etag) {
  std::size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',' || header[i] == '\t')) ++i;
    if (i >= header.size()) break;
    if (header[i] == '*') return true;
    if (header.substr(i, 2) == "W/") i += 2;
    const std::size_t end = header.find(',', i);
    std::string_view tag = header.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == etag) return true;
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  return false;
}

// A directory name that is a host name: it becomes a URL's host and a
// connect-to entry, so nothing else may pass.
bool valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-' || name.back() == '.')
    return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; });
}

}  // namespace

struct SiteServer::Impl {
  std::map<std::string, std::map<std::string, File>> hosts;  // host -> path -> file
  std::size_t file_count = 0;
  Timestamp last_modified{};
  std::string last_modified_text;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable std::mutex mu;
  std::vector<SiteRequest> log;

  void handle(const httplib::Request& req, httplib::Response& res) {
    SiteRequest entry;
    entry.method = req.method;
    entry.host = req.get_header_value("Host");
    if (auto colon = entry.host.rfind(':'); colon != std::string::npos && entry.host.find(']') == std::string::npos)
      entry.host.resize(colon);
    entry.host = ascii_lower(entry.host);
    entry.path = req.target;
    entry.if_none_match = req.get_header_value("If-None-Match");
    entry.if_modified_since = req.get_header_value("If-Modified-Since");
    entry.user_agent = req.get_header_value("User-Agent");
    answer(req, res, entry.host);
    entry.status = res.status;
    std::lock_guard lock(mu);
    if (log.size() < 100'000) log.push_back(std::move(entry));
  }

  void answer(const httplib::Request& req, httplib::Response& res, const std::string& host) const {
    auto site = hosts.find(host);
    if (site == hosts.end()) {
      res.status = 421;
      res.set_content("this server does not serve " + host + "\n", "text/plain; charset=utf-8");
      return;
    }
    std::string path = req.path;  // decoded, without the query
    if (path.empty() || path.front() != '/') path.insert(0, "/");
    if (path.back() == '/') path += "index.html";
    auto found = site->second.find(path);
    if (found == site->second.end()) {
      res.status = 404;
      res.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    const File& file = found->second;
    res.set_header("ETag", file.etag);
    res.set_header("Last-Modified", last_modified_text);
    res.set_header("Cache-Control", "max-age=300");
    bool not_modified = false;
    if (req.has_header("If-None-Match")) {
      not_modified = etag_matches(req.get_header_value("If-None-Match"), file.etag);
    } else if (req.has_header("If-Modified-Since")) {
      auto since = dates::parse_rfc822(req.get_header_value("If-Modified-Since"));
      not_modified = since && since->time >= last_modified;
    }
    if (not_modified) {
      res.status = 304;
      return;
    }
    res.status = 200;
    res.set_content(file.body, file.content_type.c_str());
  }
};

SiteServer::SiteServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SiteServer::~SiteServer() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<SiteServer>> SiteServer::start(const std::string& root, Timestamp last_modified,
                                                      const SiteBudget& budget) {
  auto impl = std::make_unique<Impl>();
  impl->last_modified = last_modified;
  impl->last_modified_text = http_date(last_modified);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return fail(ErrorCode::kNotFound, "sample site " + root + ": no such directory");
  std::size_t total = 0;
  for (const auto& host_dir : fs::directory_iterator(root, ec)) {
    if (!host_dir.is_directory()) continue;
    const std::string host = host_dir.path().filename().string();
    if (!valid_host_name(host))
      return fail(ErrorCode::kInvalidArgument,
                  "sample site " + root + ": '" + host + "' is not a host name (lower-case letters, digits, - and .)");
    auto& files = impl->hosts[host];
    for (auto it = fs::recursive_directory_iterator(host_dir.path(), ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const std::string rel = "/" + fs::relative(it->path(), host_dir.path()).generic_string();
      if (++impl->file_count > budget.max_files)
        return fail(ErrorCode::kBudgetExceeded,
                    fmt::format("sample site {}: more than {} files", root, budget.max_files));
      const auto size = it->file_size(ec);
      if (ec) break;
      if (size > budget.max_file_bytes || (total += size) > budget.max_bytes)
        return fail(ErrorCode::kBudgetExceeded,
                    fmt::format("sample site {}: {} makes it larger than its budget", root, it->path().string()));
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream body;
      body << in.rdbuf();
      if (!in && !in.eof()) return fail(ErrorCode::kIo, "sample site: cannot read " + it->path().string());
      File file;
      file.body = std::move(body).str();
      file.content_type = content_type_for(rel);
      file.etag = etag_of(file.body);
      files.emplace(rel, std::move(file));
    }
    if (ec) return fail(ErrorCode::kIo, "sample site " + host_dir.path().string() + ": " + ec.message());
    if (files.empty()) impl->hosts.erase(host);
  }
  if (ec) return fail(ErrorCode::kIo, "sample site " + root + ": " + ec.message());
  if (impl->hosts.empty()) return fail(ErrorCode::kNotFound, "sample site " + root + ": no host directory in it");

  Impl* raw = impl.get();
  raw->server.new_task_queue = [] { return new httplib::ThreadPool(4); };
  raw->server.set_keep_alive_max_count(1000);
  raw->server.set_payload_max_length(64 * 1024);
  raw->server.set_read_timeout(std::chrono::seconds(10));
  auto handler = [raw](const httplib::Request& req, httplib::Response& res) { raw->handle(req, res); };
  raw->server.Get(".*", handler);
  raw->server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content("error\n", "text/plain; charset=utf-8");
  });
  raw->port = raw->server.bind_to_any_port("127.0.0.1");
  if (raw->port <= 0) return fail(ErrorCode::kIo, "sample site: cannot listen on a loopback port");
  raw->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  for (int waited = 0; !raw->server.is_running(); ++waited) {
    if (waited >= 5000) {
      raw->server.stop();
      raw->thread.join();
      return fail(ErrorCode::kIo, fmt::format("sample site: the server on port {} did not start", raw->port));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<SiteServer>(new SiteServer(std::move(impl)));
}

int SiteServer::port() const { return impl_->port; }

std::vector<std::string> SiteServer::hosts() const {
  std::vector<std::string> out;
  for (const auto& [host, files] : impl_->hosts) out.push_back(host);
  return out;
}

std::size_t SiteServer::files() const { return impl_->file_count; }

std::vector<std::string> SiteServer::connect_to() const {
  std::vector<std::string> out;
  for (const auto& [host, files] : impl_->hosts) out.push_back(fmt::format("{}:80:127.0.0.1:{}", host, impl_->port));
  return out;
}

std::vector<SiteRequest> SiteServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->log;
}

}  // namespace banwatch::app
