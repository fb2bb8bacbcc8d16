// Rule engine throughput: MB/s of news-like text with the default rule pack,
// then with 1,000 generated extra rules. One RE2::Set pass per sentence picks
// the candidates, so the cost should grow far slower than the rule count.
// Usage: bench_rules [MB] [ROUNDS] [FILE] (defaults 16 and 3)
// With FILE (real news text, e.g. the article texts of a corpus concatenated),
// the default pack also reads that text: its first round, on a fresh engine
// whose regex caches are cold as in a one-shot `rules test`, and its best round.
// The generated text's sentences are short and few (a handful repeated), so
// their DFA states are all built in the first megabyte; real text keeps
// building states and costs more per byte in a single pass.
// Prints the best wall-clock MB/s of the rounds, then the median MB/s over
// thread CPU time, which a busy shared machine disturbs far less, then both as
// RESULT lines for bench/report.py.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/rules.h"

namespace {

using banwatch::rules::RuleEngine;

// Sentences of the kinds a news page carries: most name no vendor, some name
// a vendor without an action, a few report an action.
const char* const kFiller[] = {
    "Markets in Asia closed higher on Tuesday as investors weighed the latest inflation figures.",
    "The central bank kept interest rates unchanged for a third consecutive meeting.",
    "Officials said the new rail line would open to passengers early next year.",
    "The company reported a 12 percent rise in quarterly revenue, beating analyst estimates.",
    "Heavy rain caused flooding in several northern provinces over the weekend.",
    "The minister told reporters that talks with the unions would continue next week.",
    "Shares of chipmakers rose after a strong forecast from a major supplier.",
    "The festival drew more than 200,000 visitors, organisers said on Sunday.",
    "Analysts expect the merger to be completed by the end of the third quarter.",
    "A spokesperson declined to comment on the report, citing an ongoing review.",
};
const char* const kVendorNoAction[] = {
    "Huawei unveiled a new foldable phone at an event in Shenzhen.",
    "TikTok said it had more than 150 million monthly users in Europe.",
    "Kaspersky published its annual report on ransomware trends.",
    "DJI released a lighter drone aimed at hobby photographers.",
};
const char* const kAction[] = {
    "Sweden banned Huawei and ZTE from its 5G networks, the regulator said.",
    "The Federal Communications Commission added Kaspersky to its list of national security threats.",
    "Germany's cyber security agency warned users against Kaspersky software.",
    "MSP software provider Acme ended its partnership with Kaspersky.",
};

std::string make_text(std::size_t bytes) {
  std::mt19937 rng(42);
  std::string text;
  text.reserve(bytes + 1024);
  while (text.size() < bytes) {
    int sentences = 3 + static_cast<int>(rng() % 4);
    for (int i = 0; i < sentences; ++i) {
      unsigned r = rng() % 100;
      const char* s = r < 2   ? kAction[rng() % std::size(kAction)]
                      : r < 8 ? kVendorNoAction[rng() % std::size(kVendorNoAction)]
                              : kFiller[rng() % std::size(kFiller)];
      text += s;
      text += ' ';
    }
    text += "\n\n";
  }
  return text;
}

std::string read_pack(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    all += "---\n" + ss.str() + "\n";
  }
  return all;
}

// 1,000 rules, each with its own trigger verb that real text never holds, so
// they widen the Set without adding candidates (the common case for a big pack).
std::string extra_rules(int n) {
  std::string y = "---\nrules:\n";
  for (int i = 0; i < n; ++i) {
    std::string verb = "zorb" + std::to_string(i) + "ed";
    y += "  - id: generated.r" + std::to_string(i) + "\n    action: ban\n    pattern: '{ACTORS}{GAP}(?P<cue>" + verb +
         ")\\b{OBJ}{VENDORS}'\n";
  }
  return y;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Speed {
  double wall = 0, cpu = 0;  // MB/s
};

Speed run(const RuleEngine& engine, const std::string& text, std::size_t& events) {
  banwatch::rules::ExtractContext context;
  const double cpu_start = thread_cpu_seconds();
  auto start = std::chrono::steady_clock::now();
  auto out = engine.extract(text, context);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_secs = thread_cpu_seconds() - cpu_start;
  events = out.size();
  const double mb = static_cast<double>(text.size()) / (1024.0 * 1024.0);
  return Speed{mb / secs, mb / cpu_secs};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mb = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 16;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  const std::string pack = read_pack(std::string(BANWATCH_SOURCE_DIR) + "/rules");
  const std::string text = make_text(mb << 20);

  auto base = RuleEngine::load_yaml(pack, "rules/");
  if (!base) {
    std::fprintf(stderr, "bench_rules: %s\n", base.error().message.c_str());
    return 1;
  }
  auto big = RuleEngine::load_yaml(pack + extra_rules(1000), "rules/+1000");
  if (!big) {
    std::fprintf(stderr, "bench_rules: %s\n", big.error().message.c_str());
    return 1;
  }
  std::size_t events = 0;
  double best_base = 0, best_big = 0;
  std::vector<double> cpu_base, cpu_big;
  for (int round = 0; round < rounds; ++round) {
    const Speed b = run(**base, text, events);
    best_base = std::max(best_base, b.wall);
    cpu_base.push_back(b.cpu);
    std::size_t big_events = 0;
    const Speed g = run(**big, text, big_events);
    best_big = std::max(best_big, g.wall);
    cpu_big.push_back(g.cpu);
    if (big_events != events)
      std::fprintf(stderr, "bench_rules: event counts differ (%zu vs %zu)\n", events, big_events);
  }
  std::printf("text: %zu MiB, %zu events\n", mb, events);
  std::printf("default pack (%zu rules):   %.1f MB/s\n", (*base)->rule_count(), best_base);
  std::printf("with 1000 extra (%zu rules): %.1f MB/s  (%.2fx the cost for %.0fx the rules)\n", (*big)->rule_count(),
              best_big, best_base / best_big, double((*big)->rule_count()) / double((*base)->rule_count()));
  std::printf("cpu default pack:   %.1f MB/s (median of %d rounds, thread CPU time)\n", median(cpu_base), rounds);
  std::printf("cpu with 1000 extra: %.1f MB/s (median of %d rounds, thread CPU time)\n", median(cpu_big), rounds);
  // Machine-readable lines for bench/report.py.
  std::printf("RESULT rules.default_pack.wall %.1f MB/s\n", best_base);
  std::printf("RESULT rules.default_pack.cpu %.1f MB/s\n", median(cpu_base));
  std::printf("RESULT rules.extra_1000.wall %.1f MB/s\n", best_big);
  std::printf("RESULT rules.extra_1000.cpu %.1f MB/s\n", median(cpu_big));
  if (argc > 3) {
    std::ifstream in(argv[3], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string news = ss.str();
    if (!in || news.empty()) {
      std::fprintf(stderr, "bench_rules: cannot read %s\n", argv[3]);
      return 1;
    }
    auto fresh = RuleEngine::load_yaml(pack, "rules/");
    if (!fresh) return 1;
    std::size_t news_events = 0;
    const Speed cold = run(**fresh, news, news_events);
    Speed best = cold;
    std::vector<double> cpu_news;
    for (int round = 1; round < rounds; ++round) {
      const Speed r = run(**fresh, news, news_events);
      best.wall = std::max(best.wall, r.wall);
      cpu_news.push_back(r.cpu);
    }
    std::printf("news file: %.1f MiB, %zu events\n", static_cast<double>(news.size()) / (1024.0 * 1024.0), news_events);
    std::printf("news file, first round (cold caches): %.1f MB/s (%.1f MB/s thread CPU time)\n", cold.wall, cold.cpu);
    if (!cpu_news.empty())
      std::printf("news file, later rounds: %.1f MB/s (%.1f MB/s median thread CPU time)\n", best.wall,
                  median(cpu_news));
    std::printf("RESULT rules.news_file_cold.wall %.1f MB/s\n", cold.wall);
    std::printf("RESULT rules.news_file_cold.cpu %.1f MB/s\n", cold.cpu);
  }
  return 0;
}
