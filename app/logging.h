// Logs go to stderr (spdlog), results to stdout.
#pragma once

#include <string>

namespace banwatch::app {

// verbosity: -1 quiet (errors only), 0 warnings, 1 info, 2 debug.
// format: "text" or "json" (one JSON object a line).
void setup_logging(int verbosity, const std::string& format);

}  // namespace banwatch::app
