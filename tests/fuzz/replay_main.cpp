// Replays kept fuzz inputs through a target's LLVMFuzzerTestOneInput, without
// libFuzzer: every file under the given directories (recursively) is one input.
// A crash fails the test; a missing directory is an empty set, not an error.
// Memory is held to libFuzzer's budget: an input after which the process's
// peak RSS exceeds 2 GiB (-rss_limit_mb=2048 in run-all.sh) fails the test,
// and the address space is capped at 3 GiB so that an input which makes a
// parser allocate without bound fails at once instead of exhausting the machine.
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

#if defined(__SANITIZE_ADDRESS__)
#define BANWATCH_REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BANWATCH_REPLAY_ASAN 1
#endif
#endif

// Under AddressSanitizer an address-space limit would break its shadow
// memory; its own RSS limit does the same job there.
extern "C" const char* __asan_default_options() { return "hard_rss_limit_mb=3072"; }

namespace {
constexpr long kRssBudgetKiB = 2048L * 1024;
long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}
}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
#ifndef BANWATCH_REPLAY_ASAN
  const rlim_t cap = rlim_t{3} << 30;
  rlimit limit{cap, cap};
  setrlimit(RLIMIT_AS, &limit);
#endif
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (!fs::exists(argv[i], ec)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(argv[i], ec)) {
      if (!entry.is_regular_file()) continue;
      std::fprintf(stderr, "replaying %s\n", entry.path().c_str());
      std::ifstream in(entry.path(), std::ios::binary);
      std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
      if (peak_rss_kib() > kRssBudgetKiB) {
        std::fprintf(stderr, "%s: peak RSS %ld MiB, over the %ld MiB budget\n", entry.path().c_str(),
                     peak_rss_kib() / 1024, kRssBudgetKiB / 1024);
        return 1;
      }
    }
  }
  std::printf("replayed %zu inputs\n", replayed);
  return 0;
}
