// Logs go to stderr (spdlog), results to stdout.
#pragma once

#include <string>

namespace banwatch::app {

// verbosity: -1 quiet (errors only), 0 warnings, 1 info, 2 debug.
// format: "text" or "json" (one JSON object a line). With "json", every line
// written to std::cerr becomes a JSON object too: "banwatch: warning: ..." at
// level warning, any other "banwatch: ..." at level error, the rest at level
// info; a line overwritten with '\r' (a progress bar) is dropped.
void setup_logging(int verbosity, const std::string& format);

}  // namespace banwatch::app
