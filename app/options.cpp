// The option readers every command shares (app/app.h).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "app/app.h"
#include "common/text.h"
#include "common/time.h"
#include "crawler/fetcher.h"
#include "parsers/rules.h"

namespace banwatch::app {

Result<Timestamp> time_option(std::string_view option, std::string_view text, Timestamp now, bool upper) {
  if (auto bound = parse_time_bound(text, now, upper)) return *bound;
  return fail(ErrorCode::kInvalidArgument, fmt::format("{} '{}': expected {}", option, text, kTimeBoundForms));
}

void canonical_names(Context& ctx, std::vector<std::string>& vendors, std::vector<std::string>& actors) {
  if (vendors.empty() && actors.empty()) return;
  auto path = ctx.rules_path();
  if (!path) {
    spdlog::warn("names are matched as written: {}", path.error().message);
    return;
  }
  auto engine = rules::RuleEngine::load(*path);
  if (!engine) {
    spdlog::warn("names are matched as written: the rule pack did not load ({})", engine.error().message);
    return;
  }
  for (auto& vendor : vendors)
    if (auto name = (*engine)->canonical_vendor(vendor)) vendor = *name;
  // An actor stands for every name the pack knows it by: events stored before
  // the pack renamed a body carry the older name.
  std::vector<std::string> actor_names;
  for (const auto& actor : actors) {
    auto names = (*engine)->actor_names(actor);
    if (names.empty()) names = {actor};
    for (auto& n : names)
      if (std::find(actor_names.begin(), actor_names.end(), n) == actor_names.end())
        actor_names.push_back(std::move(n));
  }
  actors = std::move(actor_names);
}

CLI::Validator one_of(std::vector<std::string> values) {
  const std::string accepted = fmt::format("{}", fmt::join(values, ", "));
  return CLI::Validator(
      [values = std::move(values), accepted](std::string& value) -> std::string {
        if (std::find(values.begin(), values.end(), value) != values.end()) return {};
        return fmt::format("'{}' is not one of: {}", value, accepted);
      },
      "", "one of");
}

CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        const bool digits = !value.empty() && value.size() <= 18 &&
                            std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) return {};
        return fmt::format("'{}' is not a whole number: expected 0 or more", value);
      },
      "", "whole number");
}

void add_parse_fetch_flag(CLI::App& cmd, bool& allow_private_networks) {
  cmd.add_flag("--allow-private-networks", allow_private_networks,
               "Allow fetching from loopback and private addresses");
}

void add_wait_option(CLI::App& cmd, double& seconds) {
  cmd.add_option("--wait", seconds, "Wait up to SECONDS for another run's lock instead of exiting 75")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
}

std::chrono::milliseconds wait_for(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::max(0.0, seconds) * 1000.0));
}

bool is_http_url(std::string_view text) {
  const auto starts = [text](std::string_view scheme) {
    return text.size() > scheme.size() && ascii_istarts_with(text, scheme);
  };
  return starts("http://") || starts("https://");
}

Result<FetchedInput> fetch_input(Context& ctx, const std::string& url, bool allow_private_networks,
                                 const std::string& accept) {
  auto config = ctx.config();
  if (!config) return std::unexpected(config.error());
  auto options = crawler::FetcherOptions::from_config((*config)->fetch);
  if (allow_private_networks) options.allow_private_networks = true;
  auto fetcher = crawler::Fetcher::create(options);
  if (!fetcher) return std::unexpected(fetcher.error());
  crawler::Request request{url};
  request.accept = accept;
  crawler::Response response = (*fetcher)->fetch(request);
  if (!response.ok()) return std::unexpected(*response.error);
  return FetchedInput{std::move(response.body), response.final_url, response.mime_type(), response.charset()};
}

}  // namespace banwatch::app
