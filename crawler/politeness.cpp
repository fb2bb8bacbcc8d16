#include "crawler/politeness.h"

#include <algorithm>

namespace banwatch::crawler {

HostPolicy::HostPolicy(int max_connections_per_host, std::chrono::milliseconds min_delay)
    : max_connections_(std::max(1, max_connections_per_host)),
      min_delay_(std::max(std::chrono::milliseconds(0), min_delay)) {}

bool HostPolicy::can_start(const std::string& host, TimePoint now) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return true;
  const HostState& h = it->second;
  if (h.active >= max_connections_) return false;
  const auto spacing = std::max(min_delay_, h.delay);
  if (spacing.count() > 0 && h.unsent > 0) return false;
  return !h.started || now >= h.last_start + spacing;
}

HostPolicy::TimePoint HostPolicy::earliest_start(const std::string& host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end() || !it->second.started) return TimePoint::min();
  const auto spacing = std::max(min_delay_, it->second.delay);
  if (spacing.count() > 0 && it->second.unsent > 0) return TimePoint::max();
  return it->second.last_start + spacing;
}

void HostPolicy::on_start(const std::string& host, TimePoint now) {
  HostState& h = hosts_[host];
  ++h.active;
  ++h.unsent;
  h.started = true;
  h.last_start = std::max(h.last_start, now);
}

void HostPolicy::on_sent(const std::string& host, TimePoint now, bool first) {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return;
  HostState& h = it->second;
  if (first && h.unsent > 0) --h.unsent;
  h.last_start = std::max(h.last_start, now);
}

void HostPolicy::on_finish(const std::string& host, bool sent) {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return;
  HostState& h = it->second;
  if (h.active > 0) --h.active;
  if (!sent && h.unsent > 0) --h.unsent;
}

void HostPolicy::set_crawl_delay(const std::string& host, std::chrono::milliseconds delay) {
  hosts_[host].delay = std::clamp(delay, min_delay_, std::max(min_delay_, kMaxCrawlDelay));
}

std::chrono::milliseconds HostPolicy::delay(const std::string& host) const {
  auto it = hosts_.find(host);
  return it == hosts_.end() ? min_delay_ : std::max(min_delay_, it->second.delay);
}

int HostPolicy::active(const std::string& host) const {
  auto it = hosts_.find(host);
  return it == hosts_.end() ? 0 : it->second.active;
}

HostPolicy::TimePoint HostPolicy::last_start(const std::string& host) const {
  auto it = hosts_.find(host);
  return it == hosts_.end() || !it->second.started ? TimePoint::min() : it->second.last_start;
}

}  // namespace banwatch::crawler
