// Prometheus text exposition format (version 0.0.4) for node_exporter's
// textfile collector: `banwatch crawl|digest --metrics-file PATH` writes one
// file per run, atomically, so the collector never reads half a file.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace banwatch::digest {

struct Metric {
  std::string name;                                         // [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. banwatch_crawl_fetches
  std::string help;                                         // one line
  std::string type = "gauge";                               // gauge | counter | untyped
  std::vector<std::pair<std::string, std::string>> labels;  // values are escaped
  double value = 0;
};

// Samples of one name are grouped under one HELP/TYPE header (the first
// metric's), in the order the names first appear. kInvalidArgument for a bad
// metric or label name.
Result<std::string> format_prometheus(const std::vector<Metric>& metrics);

// format_prometheus + write_file_atomic.
Status write_prometheus_textfile(const std::string& path, const std::vector<Metric>& metrics);

}  // namespace banwatch::digest
