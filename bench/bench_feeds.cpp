// Feed parsing throughput: the real-feeds corpus and a generated large feed,
// MB/s and items/s, with python3-feedparser run on the same files in the same
// run (bench/feeds_peer.py) for the ratio.
//
// Usage: bench_feeds [--corpus DIR] [--large-mb N] [--repeat N] [--no-peer]
//                    [--peer bench/feeds_peer.py]
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <sys/resource.h>

#include <cstring>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>
#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "feeds/feed.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
  double bytes = 0, items = 0, seconds = 0;
  double cpu_seconds = 0;  // user+system time of the parse alone
  double mb_per_s() const { return seconds > 0 ? bytes / 1e6 / seconds : 0; }
  double items_per_s() const { return seconds > 0 ? items / seconds : 0; }
  double cpu_mb_per_s() const { return cpu_seconds > 0 ? bytes / 1e6 / cpu_seconds : 0; }
};

// Process CPU time: on a shared, loaded machine wall time mostly measures
// the neighbours, so both are reported.
double cpu_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The floor: libxml2's SAX2 tokenizer with no callbacks, same options.
Figures run_bare_libxml2(const std::vector<std::string>& blobs, int repeat) {
  Figures f;
  xmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  auto start = Clock::now();
  double cpu = cpu_now();
  for (int r = 0; r < repeat; ++r) {
    for (const auto& b : blobs) {
      xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(b.data(), static_cast<int>(b.size()));
      xmlSAXHandlerPtr original = ctxt->sax;
      ctxt->sax = &sax;
      xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
      xmlParseDocument(ctxt);
      ctxt->sax = original;
      if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
      xmlFreeParserCtxt(ctxt);
      f.bytes += static_cast<double>(b.size());
    }
  }
  f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  f.cpu_seconds = cpu_now() - cpu;
  return f;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A deterministic RSS 2.0 feed of about `target` bytes: news-like items with
// HTML descriptions, categories, dc:creator and content:encoded.
std::string generate_feed(std::size_t target) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n"
      "<title>Generated benchmark feed</title><link>https://bench.example/</link>\n"
      "<description>Synthetic items for throughput</description>\n";
  out.reserve(target + 4096);
  static const char* kWords[] = {"ministry", "vendor",    "ban",         "network", "equipment", "security",
                                 "review",   "council",   "procurement", "agency",  "cloud",     "routers",
                                 "cameras",  "regulator", "decision",    "Brüssel", "São Paulo"};
  std::uint64_t seed = 42;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33);
  };
  auto words = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i) s += ' ';
      s += kWords[next() % (sizeof kWords / sizeof *kWords)];
    }
    return s;
  };
  for (std::size_t i = 0; out.size() < target; ++i) {
    out += fmt::format(
        "<item>\n<title>{} &amp; {}</title>\n<link>https://bench.example/news/{}/{}</link>\n"
        "<guid isPermaLink=\"false\">bench-{}</guid>\n"
        "<pubDate>Tue, {:02d} Nov 2026 {:02d}:{:02d}:00 +0000</pubDate>\n"
        "<dc:creator>Reporter {}</dc:creator>\n<category>{}</category><category>{}</category>\n"
        "<description>&lt;p&gt;{}&lt;/p&gt;</description>\n"
        "<content:encoded><![CDATA[<p>{}</p><p>{}</p>]]></content:encoded>\n</item>\n",
        words(6), words(2), i % 97, i, i, 1 + i % 28, i % 24, i % 60, i % 50, words(1), words(1), words(30), words(60),
        words(40));
  }
  out += "</channel>\n</rss>\n";
  return out;
}

Figures run_ours(const std::vector<std::string>& blobs, int repeat) {
  Figures f;
  banwatch::feeds::Options options;
  auto start = Clock::now();
  double cpu = cpu_now();
  for (int r = 0; r < repeat; ++r) {
    for (const auto& b : blobs) {
      auto feed = banwatch::feeds::parse(b, options);
      if (!feed) {
        std::cerr << "bench_feeds: parse failed: " << feed.error().message << "\n";
        std::exit(1);
      }
      f.items += static_cast<double>(feed->items.size());
      f.bytes += static_cast<double>(b.size());
    }
  }
  f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  f.cpu_seconds = cpu_now() - cpu;
  return f;
}

std::optional<Figures> run_peer(const std::string& peer, const std::vector<fs::path>& files, int repeat) {
  std::string command = "/usr/bin/python3 '" + peer + "' --repeat " + std::to_string(repeat);
  for (const auto& f : files) command += " '" + f.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  if (pclose(pipe) != 0) return std::nullopt;
  auto j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return Figures{j["bytes"].get<double>(), j["items"].get<double>(), j["seconds"].get<double>(),
                 j["cpu_seconds"].get<double>()};
}

long max_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

namespace feeds = banwatch::feeds;

int main(int argc, char** argv) {
  const char* env = std::getenv("BANWATCH_CORPUS");
  fs::path corpus = fs::path(env && *env ? env : "../shared/corpus") / "feeds-real";
  std::size_t large_mb = 50;
  int repeat = 20;
  bool peer_enabled = true;
  std::string peer = "bench/feeds_peer.py";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--corpus" && i + 1 < argc)
      corpus = argv[++i];
    else if (a == "--large-mb" && i + 1 < argc)
      large_mb = std::stoul(argv[++i]);
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::stoi(argv[++i]);
    else if (a == "--no-peer")
      peer_enabled = false;
    else if (a == "--peer" && i + 1 < argc)
      peer = argv[++i];
    else {
      std::cerr << "usage: bench_feeds [--corpus DIR] [--large-mb N] [--repeat N] [--no-peer] "
                   "[--peer PATH]\n";
      return 2;
    }
  }
  std::vector<fs::path> files;
  std::vector<std::string> blobs;
  if (fs::is_directory(corpus)) {
    for (const auto& e : fs::recursive_directory_iterator(corpus)) {
      auto ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".xml" || ext == ".rss" || ext == ".atom")) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) blobs.push_back(read_all(f));
  } else {
    std::cerr << "bench_feeds: no corpus at " << corpus << "; large feed only\n";
  }

  std::cout << fmt::format("{:<40} {:>8} {:>8} {:>11} {:>9} {:>9}\n", "run", "MB", "MB/s", "items/s", "wall s",
                           "cpu MB/s");
  auto row = [](const std::string& name, const Figures& f) {
    std::cout << fmt::format("{:<40} {:>8.1f} {:>8.1f} {:>11.0f} {:>9.3f} {:>9.1f}\n", name, f.bytes / 1e6,
                             f.mb_per_s(), f.items_per_s(), f.seconds, f.cpu_mb_per_s());
  };
  std::optional<Figures> ours_corpus, peer_corpus;
  if (!blobs.empty()) {
    run_ours(blobs, 1);  // warm-up
    ours_corpus = run_ours(blobs, repeat);
    row(fmt::format("banwatch real feeds ({} files x{})", blobs.size(), repeat), *ours_corpus);
    row("bare libxml2 SAX, real feeds", run_bare_libxml2(blobs, repeat));
    if (peer_enabled) {
      peer_corpus = run_peer(peer, files, std::max(1, repeat / 10));
      if (peer_corpus)
        row("feedparser real feeds", *peer_corpus);
      else
        std::cerr << "bench_feeds: the feedparser peer did not run (" << peer << ")\n";
    }
  }

  std::string large = generate_feed(large_mb << 20);
  long rss_before = max_rss_mb();
  Figures ours_large = run_ours({large}, 3);
  long rss_after = max_rss_mb();
  row(fmt::format("banwatch generated {} MB feed x3", large_mb), ours_large);
  row(fmt::format("bare libxml2 SAX, {} MB feed x3", large_mb), run_bare_libxml2({large}, 3));
  std::optional<Figures> peer_large;
  if (peer_enabled) {
    fs::path tmp = fs::temp_directory_path() / "banwatch_bench_large_feed.xml";
    {
      std::ofstream out(tmp, std::ios::binary);
      out << large;
    }
    peer_large = run_peer(peer, {tmp}, 1);
    fs::remove(tmp);
    if (peer_large) row(fmt::format("feedparser generated {} MB feed", large_mb), *peer_large);
  }
  std::cout << fmt::format("\npeak RSS: {} MB before the large feed, {} MB after (input {} MB)\n", rss_before,
                           rss_after, large.size() >> 20);
  if (ours_corpus && peer_corpus && peer_corpus->mb_per_s() > 0) {
    std::cout << fmt::format("real feeds: {:.0f}x feedparser's MB/s (wall), {:.0f}x (cpu), {:.0f}x its items/s\n",
                             ours_corpus->mb_per_s() / peer_corpus->mb_per_s(),
                             ours_corpus->cpu_mb_per_s() / peer_corpus->cpu_mb_per_s(),
                             ours_corpus->items_per_s() / peer_corpus->items_per_s());
  }
  if (peer_large && peer_large->mb_per_s() > 0) {
    std::cout << fmt::format("large feed: {:.0f}x feedparser's MB/s (wall), {:.0f}x (cpu)\n",
                             ours_large.mb_per_s() / peer_large->mb_per_s(),
                             ours_large.cpu_mb_per_s() / peer_large->cpu_mb_per_s());
  }
  return 0;
}
