// Hand-built digests for renderer tests: every field set, hostile text where
// an article could put it.
#pragma once

#include <string>

#include "common/time.h"
#include "digest/digest.h"

namespace banwatch::digest::testing {

inline Timestamp at(const char* iso) { return parse_precise(iso)->time; }

inline PreciseTime day(const char* iso) { return PreciseTime{at(iso), DatePrecision::kDay}; }

inline Citation citation(model::Id id, std::string source, std::string title, std::string url, const char* published,
                         std::string evidence, bool is_new) {
  Citation c;
  c.mention_id = id;
  c.source = std::move(source);
  c.title = std::move(title);
  c.url = std::move(url);
  c.published = day(published);
  c.evidence = std::move(evidence);
  c.is_new = is_new;
  c.extracted_at = at(published);
  return c;
}

// A title and evidence written to break out of every format.
inline constexpr const char* kHostileTitle =
    "<script>alert('x')</script><img src=x onerror=alert(1)> ]]> & \"quoted\" *bold* [link](javascript:alert(2)) "
    "\x01\x1b[31m \xff\xfe broken utf-8";
inline constexpr const char* kHostileUrl = "javascript:alert(document.cookie)";

inline Digest sample_digest(bool hostile = false) {
  Digest d;
  d.title = "banwatch digest";
  d.generated_at = at("2026-11-26T06:00:00Z");
  d.after_event_id = 3;
  d.previous_brief_at = at("2026-11-25T06:00:00Z");
  d.up_to_event_id = 5;
  d.up_to_mention_id = 9;

  DigestEvent enacted;
  enacted.event.id = 5;
  enacted.event.vendor = "Huawei";
  enacted.event.actor = "Ruritania";
  enacted.event.actor_type = "government";
  enacted.event.action = "ban";
  enacted.event.status = "enacted";
  enacted.event.scope = "5G core network";
  enacted.event.event_date = day("2026-11-24");
  enacted.event.first_seen_at = at("2026-11-25T09:30:00Z");
  enacted.event.confidence = 0.9;
  enacted.event.previous_event_id = 1;
  enacted.change = Change::kStatusChange;
  model::Event previous = enacted.event;
  previous.id = 1;
  previous.status = "proposed";
  previous.previous_event_id.reset();
  enacted.previous = previous;
  enacted.citations.push_back(citation(8, "Example Wire", "Ruritania parliament passes Huawei ban",
                                       "https://wire.example/2026/11/24/ban", "2026-11-24",
                                       "Ruritania's parliament on Tuesday passed a law banning Huawei equipment from "
                                       "the 5G core network.",
                                       true));
  enacted.evidence = enacted.citations.front().evidence;

  DigestEvent cited;
  cited.event.id = 2;
  cited.event.vendor = "Hikvision";
  cited.event.actor = "City of Northbridge";
  cited.event.actor_type = "government";
  cited.event.action = "remove_or_replace";
  cited.event.status = "enacted";
  cited.event.event_date = PreciseTime{at("2026-10-01T00:00:00Z"), DatePrecision::kMonth};
  cited.event.first_seen_at = at("2026-11-20T12:00:00Z");
  cited.change = Change::kNewCitations;
  cited.citations.push_back(citation(3, "Daily Ledger", "Northbridge rips out Hikvision cameras",
                                     "https://ledger.example/northbridge", "2026-11-20",
                                     "The City of Northbridge removed all Hikvision cameras from council buildings in "
                                     "October.",
                                     false));
  cited.citations.push_back(citation(9, "Example Wire", hostile ? kHostileTitle : "Northbridge finishes camera swap",
                                     hostile ? kHostileUrl : "https://wire.example/northbridge-cameras", "2026-11-25",
                                     hostile ? std::string(kHostileTitle) + " </blockquote><b>evidence</b>"
                                             : "Northbridge said the replacement of its Hikvision cameras is complete.",
                                     true));
  cited.evidence = cited.citations.front().evidence;
  if (hostile) cited.evidence = cited.citations.back().evidence;

  DigestEvent fresh;
  fresh.event.id = 4;
  fresh.event.vendor = "Kaspersky";
  fresh.event.actor = hostile ? kHostileTitle : "Federal Procurement Office";
  fresh.event.actor_type = "regulator";
  fresh.event.action = "restrict";
  fresh.event.status = "considering";
  fresh.event.first_seen_at = at("2026-11-25T15:00:00Z");
  fresh.change = Change::kNew;
  fresh.citations.push_back(citation(7, hostile ? kHostileTitle : "Tech Policy Notes",
                                     "Procurement office weighs Kaspersky limits", "https://notes.example/kaspersky",
                                     "2026-11-25",
                                     "The Federal Procurement Office is considering restrictions on Kaspersky "
                                     "software in public tenders.",
                                     true));
  fresh.evidence = fresh.citations.front().evidence;

  d.vendors.push_back(VendorGroup{"Huawei", {enacted}});
  d.vendors.push_back(VendorGroup{"Hikvision", {cited}});
  d.vendors.push_back(VendorGroup{"Kaspersky", {fresh}});
  d.changes = ChangeSummary{2, 1, 1, 1};

  d.health.sources = 4;
  d.health.last_successful_crawl = at("2026-11-26T05:45:00Z");
  store::Run run;
  run.kind = "crawl";
  run.started_at = at("2026-11-26T05:40:00Z");
  run.finished_at = at("2026-11-26T05:45:00Z");
  run.outcome = "partial";
  run.fetched = 3;
  run.failed = 1;
  d.health.last_crawl = run;
  FailingSource broken;
  broken.name = hostile ? kHostileTitle : "Broken Feed";
  broken.url = hostile ? kHostileUrl : "https://broken.example/feed.xml";
  broken.consecutive_errors = 3;
  broken.last_status = 503;
  broken.last_error = "HTTP 503 Service Unavailable";
  broken.last_success = at("2026-11-22T05:40:00Z");
  d.health.failing_sources.push_back(broken);
  return d;
}

}  // namespace banwatch::digest::testing
