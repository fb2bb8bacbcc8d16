#include "digest/metrics.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "digest/atomic_file.h"

namespace banwatch::digest {

namespace {

bool valid_name(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string escape(std::string_view s, bool quote) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quote && c == '"')
      out += "\\\"";
    else
      out.push_back(c);
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

}  // namespace

Result<std::string> format_prometheus(const std::vector<Metric>& metrics) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Metric*>> by_name;
  for (const auto& m : metrics) {
    if (!valid_name(m.name, true)) return fail(ErrorCode::kInvalidArgument, "bad metric name '" + m.name + "'");
    if (m.type != "gauge" && m.type != "counter" && m.type != "untyped")
      return fail(ErrorCode::kInvalidArgument, m.name + ": bad metric type '" + m.type + "'");
    for (const auto& [k, v] : m.labels)
      if (!valid_name(k, false) || k.starts_with("__"))
        return fail(ErrorCode::kInvalidArgument, m.name + ": bad label name '" + k + "'");
    auto& list = by_name[m.name];
    if (list.empty()) order.push_back(m.name);
    list.push_back(&m);
  }
  std::string out;
  for (const auto& name : order) {
    const auto& list = by_name[name];
    if (!list.front()->help.empty()) out += fmt::format("# HELP {} {}\n", name, escape(list.front()->help, false));
    out += fmt::format("# TYPE {} {}\n", name, list.front()->type);
    for (const Metric* m : list) {
      out += name;
      if (!m->labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < m->labels.size(); ++i)
          out += fmt::format("{}{}=\"{}\"", i ? "," : "", m->labels[i].first, escape(m->labels[i].second, true));
        out += '}';
      }
      out += ' ' + number(m->value) + '\n';
    }
  }
  return out;
}

Status write_prometheus_textfile(const std::string& path, const std::vector<Metric>& metrics) {
  auto text = format_prometheus(metrics);
  if (!text) return std::unexpected(text.error().with_context(path));
  return write_file_atomic(path, *text);
}

}  // namespace banwatch::digest
