// A SQLite VFS shim for failure injection (after SQLite's own test VFS): it
// wraps the default VFS and, once armed, fails the Nth write-side operation
// (xWrite, xSync, xTruncate) with SQLITE_IOERR or SQLITE_FULL, or the Nth
// exclusive lock (xLock / xShmLock) with SQLITE_BUSY, as a disk error, a full
// disk or another writer would. Registered as the process's default VFS, so
// the store under test uses it without knowing.
#pragma once

namespace banwatch::hardening {

enum class FaultKind { kNone, kIoError, kDiskFull, kBusy };

struct FaultPlan {
  FaultKind kind = FaultKind::kNone;
  long fail_at = 0;        // 1-based index of the operation that fails
  bool persistent = true;  // keep failing after the first failure
};

// Registers the shim as the default VFS (idempotent). Returns false when the
// default VFS cannot be found.
bool install_fault_vfs();

// Arms a plan and resets the counters; kNone disarms.
void arm_faults(const FaultPlan& plan);

// Operations seen since the last arm_faults(): write-side calls (for
// kIoError/kDiskFull plans) and exclusive lock requests (for kBusy plans).
long fault_vfs_writes();
long fault_vfs_exclusive_locks();
// Failures injected since the last arm_faults().
long fault_vfs_injected();

}  // namespace banwatch::hardening
