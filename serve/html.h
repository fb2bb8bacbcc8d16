// Helpers the pages share (internal to serve/).
#pragma once

#include <string>
#include <string_view>

namespace banwatch::serve {

// The status class of a mark or badge: only the four known statuses name a
// class; anything else read from the store is "status-other".
std::string status_class(std::string_view status);

// Percent-encodes everything but unreserved characters (RFC 3986 2.3), for a
// path segment or a query value.
std::string url_encode(std::string_view text);

}  // namespace banwatch::serve
