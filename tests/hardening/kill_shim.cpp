// An LD_PRELOAD library for the crash test: counts the process's positional
// writes and syncs (SQLite writes its database, WAL and journal with pwrite64
// and commits with fsync/fdatasync; curl and logging never use them) and
// SIGKILLs the process at the Nth one, so a kill lands deterministically
// inside a store write or a commit.
//
//   BANWATCH_KILL_AT_WRITE=N   kill just before the Nth pwrite/fsync (1-based)
//   BANWATCH_COUNT_WRITES=PATH write the number of calls seen to PATH at exit
#include <dlfcn.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace {

std::atomic<long> g_calls{0};
long g_kill_at = -1;

__attribute__((constructor)) void shim_init() {
  const char* at = std::getenv("BANWATCH_KILL_AT_WRITE");
  if (at && *at) g_kill_at = std::atol(at);
}

__attribute__((destructor)) void shim_fini() {
  const char* path = std::getenv("BANWATCH_COUNT_WRITES");
  if (!path || !*path) return;
  if (std::FILE* f = std::fopen(path, "w")) {
    std::fprintf(f, "%ld\n", g_calls.load());
    std::fclose(f);
  }
}

void count_call() {
  long n = g_calls.fetch_add(1) + 1;
  if (g_kill_at > 0 && n == g_kill_at) kill(getpid(), SIGKILL);
}

template <typename Fn>
Fn next_symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
  using Fn = ssize_t (*)(int, const void*, size_t, off64_t);
  static Fn real = next_symbol<Fn>("pwrite64");
  count_call();
  return real(fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  using Fn = ssize_t (*)(int, const void*, size_t, off_t);
  static Fn real = next_symbol<Fn>("pwrite");
  count_call();
  return real(fd, buf, count, offset);
}

int fsync(int fd) {
  using Fn = int (*)(int);
  static Fn real = next_symbol<Fn>("fsync");
  count_call();
  return real(fd);
}

int fdatasync(int fd) {
  using Fn = int (*)(int);
  static Fn real = next_symbol<Fn>("fdatasync");
  count_call();
  return real(fd);
}

}  // extern "C"
