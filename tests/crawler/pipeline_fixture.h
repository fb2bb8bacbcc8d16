// Shared pieces of the pipeline tests: a rule engine stand-in, a store that
// fails on demand, and feed builders.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "crawler/pipeline.h"
#include "parsers/rules.h"
#include "store/store.h"
#include "tests/crawler/test_server.h"

namespace banwatch::crawler::testing {

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(BANWATCH_TEST_DATA) + "/crawler/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "<Actor> bans Huawei" in a paragraph is one event; "Huawei" or "ban" makes
// a candidate. Enough to observe the pipeline without the real rule pack.
class FakeRules final : public rules::RuleEngine {
 public:
  std::vector<rules::Extraction> extract(std::string_view text, const rules::ExtractContext& ctx) const override {
    std::vector<rules::Extraction> out;
    std::size_t pos = 0;
    while ((pos = text.find(" bans Huawei", pos)) != std::string_view::npos) {
      std::size_t start = text.rfind(' ', pos == 0 ? 0 : pos - 1);
      start = start == std::string_view::npos ? 0 : start + 1;
      std::size_t sentence_start = text.rfind('\n', pos);
      sentence_start = sentence_start == std::string_view::npos ? 0 : sentence_start + 1;
      std::size_t sentence_end = text.find_first_of(".\n", pos);
      if (sentence_end == std::string_view::npos) sentence_end = text.size();
      rules::Extraction x;
      x.event.vendor = "Huawei";
      x.event.actor = std::string(text.substr(start, pos - start));
      x.event.actor_type = "government";
      x.event.action = "ban";
      x.event.status = "enacted";
      x.event.evidence = std::string(text.substr(sentence_start, sentence_end - sentence_start));
      x.event.rule_id = "test.ban";
      x.event.rule_pack_version = "test-1";
      x.event.confidence = 0.9;
      if (ctx.published) x.event.event_date = ctx.published;
      out.push_back(std::move(x));
      pos += 12;
    }
    return out;
  }
  bool is_candidate(std::string_view text) const override {
    return text.find("Huawei") != std::string_view::npos || text.find("ban") != std::string_view::npos;
  }
  std::string version() const override { return "test-1"; }
  std::size_t rule_count() const override { return 1; }
  std::vector<std::string> warnings() const override { return {}; }
};

// Forwards to a real store; the n-th append_article / save_fetch_state fails
// as a disk-full store would (failure injection).
class FailingStore final : public store::Store {
 public:
  explicit FailingStore(store::Store& inner) : inner_(inner) {}
  int fail_append_at = -1;  // 0-based call index, -1 = never
  int fail_state_at = -1;
  int appends = 0, state_saves = 0, batches = 0;
  // Called before every append (append_article or append_batch), on the thread that appends.
  std::function<void()> before_append;

  Result<model::Id> add_source(const store::SourceSpec& s) override { return inner_.add_source(s); }
  Status upsert_source(const store::SourceSpec& s) override { return inner_.upsert_source(s); }
  Status remove_source(const std::string& n) override { return inner_.remove_source(n); }
  Result<std::vector<store::Source>> list_sources() override { return inner_.list_sources(); }
  Result<std::vector<std::string>> removed_source_names() override { return inner_.removed_source_names(); }
  Result<store::Source> get_source(const std::string& n) override { return inner_.get_source(n); }
  Status save_fetch_state(model::Id id, const store::FetchState& st) override {
    if (state_saves++ == fail_state_at) return fail(ErrorCode::kStore, "injected: database or disk is full");
    return inner_.save_fetch_state(id, st);
  }
  Result<std::optional<model::Id>> find_article(const std::string& c) override { return inner_.find_article(c); }
  Result<bool> has_item(const std::string& i) override { return inner_.has_item(i); }
  Result<store::AppendResult> append_article(const model::ArticleRecord& a, const std::vector<model::ExtractedEvent>& e,
                                             const store::AppendOptions& o) override {
    if (before_append) before_append();
    if (appends++ == fail_append_at) return fail(ErrorCode::kStore, "injected: database or disk is full");
    return inner_.append_article(a, e, o);
  }
  // One transaction, as the real stores do: a batch holding the injected
  // failure stores none of its articles.
  Result<std::vector<store::AppendResult>> append_batch(const std::vector<ArticleWithEvents>& batch,
                                                        const store::AppendOptions& o) override {
    if (before_append) before_append();
    ++batches;
    const int first = appends;
    appends += static_cast<int>(batch.size());
    if (fail_append_at >= first && fail_append_at < appends) {
      appends = fail_append_at + 1;  // the ones after the failure were never tried
      return fail(ErrorCode::kStore, "injected: database or disk is full");
    }
    return inner_.append_batch(batch, o);
  }
  Result<store::AppendResult> append_events(model::Id id, const std::vector<model::ExtractedEvent>& e,
                                            const store::AppendOptions& o) override {
    return inner_.append_events(id, e, o);
  }
  Status for_each_article(const ArticleFilter& f, const std::function<bool(const model::ArticleRecord&)>& v) override {
    return inner_.for_each_article(f, v);
  }
  Result<std::vector<store::EventWithMentions>> query_events(const store::EventQuery& q) override {
    return inner_.query_events(q);
  }
  Result<std::vector<store::SearchHit>> search(const std::string& q, std::optional<Timestamp> s,
                                               std::size_t l) override {
    return inner_.search(q, s, l);
  }
  Result<model::Id> begin_run(const std::string& k, Timestamp t) override { return inner_.begin_run(k, t); }
  Status finish_run(const store::Run& r) override { return inner_.finish_run(r); }
  Result<std::optional<store::Run>> last_run(const std::string& k, bool s) override { return inner_.last_run(k, s); }
  Result<std::optional<store::DigestRecord>> last_digest(const std::string& c) override {
    return inner_.last_digest(c);
  }
  Status record_digest(const store::DigestRecord& d) override { return inner_.record_digest(d); }
  Result<store::Stats> stats() override { return inner_.stats(); }
  Result<std::string> integrity_check() override { return inner_.integrity_check(); }
  Status backup_to(const std::string& p) override { return inner_.backup_to(p); }
  store::WorkQueue& work_queue() override { return inner_.work_queue(); }

 private:
  store::Store& inner_;
};

struct FeedItem {
  std::string guid, link, title, description;
  std::string pub_date = "Fri, 20 Nov 2026 09:30:00 GMT";
};

inline std::string rss(const std::vector<FeedItem>& items, const std::string& extra_channel = "") {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Example Wire</title>"
      "<link>http://example.org/</link><description>Test feed</description>" +
      extra_channel;
  for (const auto& i : items) {
    out += "<item><title>" + i.title + "</title><link>" + i.link + "</link>";
    if (!i.guid.empty()) out += "<guid isPermaLink=\"false\">" + i.guid + "</guid>";
    out += "<description>" + i.description + "</description><pubDate>" + i.pub_date + "</pubDate></item>\n";
  }
  out += "</channel></rss>\n";
  return out;
}

inline std::string temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("banwatch-crawler-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace banwatch::crawler::testing
