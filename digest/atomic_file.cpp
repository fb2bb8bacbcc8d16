#include "digest/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace banwatch::digest {

namespace {

std::string sys_error(int err) { return std::strerror(err); }

std::string parent_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Removes the temporary file unless release() was called.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  void release() { path_.clear(); }

 private:
  std::string path_;
};

// The umask without changing it (umask(2) can only read by setting, which
// would race with other threads creating files).
mode_t current_umask() {
  std::FILE* f = std::fopen("/proc/self/status", "re");
  if (f == nullptr) return 022;
  char line[256];
  mode_t mask = 022;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    unsigned value = 0;
    if (std::sscanf(line, "Umask: %o", &value) == 1) {
      mask = static_cast<mode_t>(value);
      break;
    }
  }
  std::fclose(f);
  return mask;
}

}  // namespace

Status write_file_atomic(const std::string& path, std::string_view data, Existing existing) {
  if (path.empty()) return fail(ErrorCode::kInvalidArgument, "empty output path");
  std::vector<char> templ(path.begin(), path.end());
  const std::string suffix = ".tmp.XXXXXX";
  templ.insert(templ.end(), suffix.begin(), suffix.end());
  templ.push_back('\0');
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) return fail(ErrorCode::kIo, path + ": cannot create a temporary file: " + sys_error(errno));
  const std::string tmp(templ.data());
  TempFile guard(tmp);

  auto close_fail = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    return fail(ErrorCode::kIo, path + ": " + what + ": " + sys_error(err));
  };
  // mkstemp creates 0600; a digest or metrics file is meant to be read by
  // others (node_exporter, a web server), so honour the umask as open() would.
  if (::fchmod(fd, 0644 & ~current_umask()) != 0) return close_fail("chmod");
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return close_fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return close_fail("fsync");
  if (::close(fd) != 0) return fail(ErrorCode::kIo, path + ": close: " + sys_error(errno));

  if (existing == Existing::kReplace) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(ErrorCode::kIo, path + ": rename: " + sys_error(errno));
  } else {
    // link() fails with EEXIST instead of replacing: no clobbering, no race.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) return fail(ErrorCode::kAlreadyExists, path + ": already exists");
      return fail(ErrorCode::kIo, path + ": link: " + sys_error(errno));
    }
    ::unlink(tmp.c_str());
  }
  guard.release();

  const int dir = ::open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // best effort: some file systems refuse fsync on directories
    ::close(dir);
  }
  return {};
}

Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo, path + ": " + sys_error(err));
  }
  std::string out;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return fail(ErrorCode::kIo, path + ": " + sys_error(err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {
      ::close(fd);
      return fail(ErrorCode::kBudgetExceeded, path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return out;
}

}  // namespace banwatch::digest
