#include "common/lockfile.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <thread>

namespace banwatch {

Result<RunLock> RunLock::acquire(const std::string& path, std::chrono::milliseconds wait) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return fail(ErrorCode::kIo, "cannot open lock file " + path + ": " + std::strerror(errno));
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      std::string msg = std::strerror(errno);
      ::close(fd);
      return fail(ErrorCode::kIo, "cannot lock " + path + ": " + msg);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      char buf[32] = {};
      ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
      std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("another process");
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      ::close(fd);
      return fail(ErrorCode::kLocked, "another banwatch run (pid " + holder + ") holds the lock " + path +
                                          (wait.count() > 0 ? " (waited " + std::to_string(wait.count() / 1000) + " s)"
                                                            : "; use --wait SECONDS to wait for it"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] auto written = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  return RunLock(fd, path);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

std::string lock_path_for_store(const std::string& store_path) {
  std::string p = store_path;
  if (p.starts_with("sqlite:")) p = p.substr(7);
  if (p.find("://") != std::string::npos) {
    return ".banwatch-" + std::to_string(std::hash<std::string>{}(p) % 1000000007ULL) + ".lock";
  }
  return p + ".lock";
}

}  // namespace banwatch
