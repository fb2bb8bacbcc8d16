// The advisory run lock: a lock file next to the database, held with flock(2)
// for the life of the object, so two overlapping cron runs never write at once.
// The kernel drops the lock when the process dies, even by SIGKILL.
#pragma once

#include <chrono>
#include <string>

#include "common/error.h"

namespace banwatch {

class RunLock {
 public:
  // Takes the lock on `path` (created if missing). With wait == 0 fails at once
  // with kLocked when another process holds it; otherwise retries until `wait`
  // has passed. The lock file records the holder's PID for the error message.
  static Result<RunLock> acquire(const std::string& path, std::chrono::milliseconds wait);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

  const std::string& path() const { return path_; }

 private:
  RunLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// "<db>.lock" for a file store; for a store URL without a file, a lock in the
// working directory named after the URL's hash.
std::string lock_path_for_store(const std::string& store_path);

}  // namespace banwatch
