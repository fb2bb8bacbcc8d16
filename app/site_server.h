// A static web site of several hosts, served by one HTTP server on a loopback
// port for as long as the object lives: the sample site of `banwatch demo`.
//
// The site is a directory with one subdirectory per host name
// (`site/meridianwire.test/rss.xml` is http://meridianwire.test/rss.xml). It
// is read into memory when the server starts, within a budget (files, bytes,
// path length), so a request never touches the file system and no path can
// leave the site. The server answers as a careful web server would:
//  - GET and HEAD; the Host header selects the host (421 for an unknown one),
//    a path ending in / serves its index.html, anything else absent is 404;
//  - every file has a strong ETag (a hash of its bytes) and the site's
//    Last-Modified; If-None-Match (a list, or *) is answered 304 when one tag
//    matches, otherwise If-Modified-Since at or after Last-Modified is;
//  - Content-Type from the extension: .html, .xml (rss.xml and *.rss as RSS,
//    atom.xml and *.atom as Atom, other XML as application/xml), .txt, .json.
// robots.txt is a file like any other: the crawler reads and honours it.
// The crawler reaches the hosts through FetcherOptions::connect_to().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/time.h"

namespace banwatch::app {

// One request the server answered, in arrival order.
struct SiteRequest {
  std::string method, host, path;  // path with its query string
  std::string if_none_match, if_modified_since, user_agent;
  int status = 0;
};

struct SiteBudget {
  std::size_t max_files = 2000;
  std::size_t max_bytes = 32u << 20;  // all files together
  std::size_t max_file_bytes = 4u << 20;
};

class SiteServer {
 public:
  // Reads `root` (a directory of host directories, each named by a host
  // name in lower case), then listens on 127.0.0.1 at a free port. Errors:
  // kNotFound (no such directory, or no host in it), kInvalidArgument (a
  // directory whose name is not a host name), kBudgetExceeded (the site is
  // larger than `budget`), kIo (a file could not be read, or no port could
  // be bound).
  static Result<std::unique_ptr<SiteServer>> start(const std::string& root, Timestamp last_modified,
                                                   const SiteBudget& budget = {});
  ~SiteServer();  // stops listening and waits for the requests in progress
  SiteServer(const SiteServer&) = delete;
  SiteServer& operator=(const SiteServer&) = delete;

  int port() const;
  std::vector<std::string> hosts() const;  // sorted
  std::size_t files() const;
  // curl --connect-to entries that send every host's port 80 here.
  std::vector<std::string> connect_to() const;
  // Every request answered so far (a copy).
  std::vector<SiteRequest> requests() const;

  struct Impl;

 private:
  explicit SiteServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace banwatch::app
