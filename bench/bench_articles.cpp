// Article extraction speed next to the bare Gumbo parse of the same pages.
//
//   bench_articles [DIR] [--rounds N]
//
// DIR holds *.html or *.html.gz pages (default: $BANWATCH_CORPUS/articles-zyte/html,
// else ../shared/corpus/articles-zyte/html). Reports MB/s and pages/s of
//   parse:   gumbo_parse + gumbo_destroy_output with Gumbo's default options
//   extract: banwatch::article::extract (decode, parse, metadata, main text)
// and the cost ratio extract/parse (target: at most 1.5).
#include <gumbo.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/article.h"

namespace {

std::string read_gz(const std::string& path) {
  std::string out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  gzclose(f);
  return out;
}

std::string read_plain(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rounds" && i + 1 < argc)
      rounds = std::max(1, std::atoi(argv[++i]));
    else
      dir = a;
  }
  if (dir.empty()) {
    const char* corpus = std::getenv("BANWATCH_CORPUS");
    dir = std::string(corpus != nullptr ? corpus : "../shared/corpus") + "/articles-zyte/html";
  }
  std::vector<std::string> pages;
  std::size_t bytes = 0;
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::string name = p.filename().string();
    std::string page;
    if (name.ends_with(".html.gz"))
      page = read_gz(p.string());
    else if (name.ends_with(".html") || name.ends_with(".htm"))
      page = read_plain(p.string());
    else
      continue;
    bytes += page.size();
    pages.push_back(std::move(page));
  }
  if (pages.empty()) {
    std::fprintf(stderr, "bench_articles: no pages in %s\n", dir.c_str());
    return 1;
  }
  std::printf("%zu pages, %.1f MB, %d rounds\n", pages.size(), static_cast<double>(bytes) / 1e6, rounds);

  std::size_t sink = 0;
  double best_parse = 1e30, best_extract = 1e30;
  std::size_t failures = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& p : pages) {
      GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, p.data(), p.size());
      sink += out->root->v.element.children.length;
      gumbo_destroy_output(&kGumboDefaultOptions, out);
    }
    best_parse = std::min(best_parse, seconds_since(t0));

    banwatch::article::Options options;
    options.http_charset = "utf-8";
    t0 = std::chrono::steady_clock::now();
    failures = 0;
    for (const auto& p : pages) {
      auto a = banwatch::article::extract(p, options);
      if (a)
        sink += a->text.size();
      else
        ++failures;
    }
    best_extract = std::min(best_extract, seconds_since(t0));
  }
  double mb = static_cast<double>(bytes) / 1e6, n = static_cast<double>(pages.size());
  std::printf("%-26s %9s %9s %9s\n", "", "MB/s", "pages/s", "ms/page");
  std::printf("%-26s %9.1f %9.1f %9.2f\n", "parse (gumbo, default)", mb / best_parse, n / best_parse,
              1000 * best_parse / n);
  std::printf("%-26s %9.1f %9.1f %9.2f\n", "extract (article::extract)", mb / best_extract, n / best_extract,
              1000 * best_extract / n);
  std::printf("extract/parse cost ratio: %.2f (target <= 1.5); %zu page(s) rejected; checksum %zu\n",
              best_extract / best_parse, failures, sink % 1000);
  return 0;
}
