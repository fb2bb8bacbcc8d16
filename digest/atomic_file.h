// Files that readers never see half-written: the data goes to a temporary file
// in the same directory, is fsync'ed, then renamed over (or linked to) the
// final name, and the directory is fsync'ed so the new name survives a crash.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace banwatch::digest {

enum class Existing { kReplace, kKeep };

// Writes `data` to `path` atomically with mode 0644 (before the umask).
// Existing::kKeep fails with kAlreadyExists instead of replacing a file.
// Errors are kIo naming the path and the system error.
Status write_file_atomic(const std::string& path, std::string_view data, Existing existing = Existing::kReplace);

// Reads a whole small file (secrets, fixtures); kNotFound or kIo.
Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes = 1u << 20);

}  // namespace banwatch::digest
