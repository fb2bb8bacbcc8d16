#include "tests/hardening/fault_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace banwatch::hardening {
namespace {

sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs{};
std::mutex g_mu;
FaultPlan g_plan;
std::atomic<long> g_writes{0}, g_locks{0}, g_injected{0};

struct FaultFile {
  sqlite3_file base;   // must be first: SQLite sees a FaultFile as a sqlite3_file
  sqlite3_file* real;  // the wrapped file, allocated right after this struct
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }

FaultPlan plan() {
  std::lock_guard lock(g_mu);
  return g_plan;
}

// Counts one operation; returns the error the plan injects there, or SQLITE_OK.
int tick(bool is_write) {
  long n = (is_write ? g_writes : g_locks).fetch_add(1) + 1;
  FaultPlan p = plan();
  if (p.kind == FaultKind::kNone || (p.kind == FaultKind::kBusy) == is_write) return SQLITE_OK;
  if (n < p.fail_at || (!p.persistent && n != p.fail_at)) return SQLITE_OK;
  g_injected.fetch_add(1);
  switch (p.kind) {
    case FaultKind::kIoError:
      return SQLITE_IOERR_WRITE;
    case FaultKind::kDiskFull:
      return SQLITE_FULL;
    case FaultKind::kBusy:
      return SQLITE_BUSY;
    case FaultKind::kNone:
      break;
  }
  return SQLITE_OK;
}

int x_close(sqlite3_file* f) {
  int rc = real_of(f)->pMethods ? real_of(f)->pMethods->xClose(real_of(f)) : SQLITE_OK;
  return rc;
}
int x_read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, amount, offset);
}
int x_write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  if (int rc = tick(true); rc != SQLITE_OK) return rc;
  return real_of(f)->pMethods->xWrite(real_of(f), buf, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = tick(true); rc != SQLITE_OK) return rc == SQLITE_IOERR_WRITE ? SQLITE_IOERR_TRUNCATE : rc;
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (int rc = tick(true); rc != SQLITE_OK) return rc == SQLITE_IOERR_WRITE ? SQLITE_IOERR_FSYNC : rc;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real_of(f)->pMethods->xFileSize(real_of(f), size); }
int x_lock(sqlite3_file* f, int level) {
  if (level >= SQLITE_LOCK_RESERVED) {
    if (int rc = tick(false); rc != SQLITE_OK) return rc;
  }
  return real_of(f)->pMethods->xLock(real_of(f), level);
}
int x_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device_characteristics(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  // Exclusive WAL locks (the writer lock, checkpoint, recovery) meet "another writer".
  if ((flags & SQLITE_SHM_LOCK) && (flags & SQLITE_SHM_EXCLUSIVE)) {
    if (int rc = tick(false); rc != SQLITE_OK) return rc;
  }
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) { return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag); }
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real_of(f)->pMethods->xFetch(real_of(f), offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* wrapper = reinterpret_cast<FaultFile*>(file);
  wrapper->real = reinterpret_cast<sqlite3_file*>(wrapper + 1);
  std::memset(wrapper->real, 0, static_cast<std::size_t>(g_base->szOsFile));
  int rc = g_base->xOpen(g_base, name, wrapper->real, flags, out_flags);
  // Methods are set even on failure when the real file needs closing.
  wrapper->base.pMethods = wrapper->real->pMethods ? &kMethods : nullptr;
  return rc;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return g_base->xDelete(g_base, name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_base->xAccess(g_base, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_base->xFullPathname(g_base, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return g_base->xDlOpen(g_base, name); }
void x_dl_error(sqlite3_vfs*, int n, char* msg) { g_base->xDlError(g_base, n, msg); }
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* sym))(void) { return g_base->xDlSym(g_base, handle, sym); }
void x_dl_close(sqlite3_vfs*, void* handle) { g_base->xDlClose(g_base, handle); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return g_base->xRandomness(g_base, n, out); }
int x_sleep(sqlite3_vfs*, int micros) { return g_base->xSleep(g_base, micros); }
int x_current_time(sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return g_base->xGetLastError(g_base, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return g_base->xCurrentTimeInt64(g_base, out); }

}  // namespace

bool install_fault_vfs() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    g_base = sqlite3_vfs_find(nullptr);
    if (!g_base) return;
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_base->szOsFile;
    g_vfs.mxPathname = g_base->mxPathname;
    g_vfs.zName = "banwatch-fault";
    g_vfs.xOpen = x_open;
    g_vfs.xDelete = x_delete;
    g_vfs.xAccess = x_access;
    g_vfs.xFullPathname = x_full_pathname;
    g_vfs.xDlOpen = x_dl_open;
    g_vfs.xDlError = x_dl_error;
    g_vfs.xDlSym = x_dl_sym;
    g_vfs.xDlClose = x_dl_close;
    g_vfs.xRandomness = x_randomness;
    g_vfs.xSleep = x_sleep;
    g_vfs.xCurrentTime = x_current_time;
    g_vfs.xGetLastError = x_get_last_error;
    g_vfs.xCurrentTimeInt64 = x_current_time_int64;
    ok = sqlite3_vfs_register(&g_vfs, 1) == SQLITE_OK;
  });
  return ok;
}

void arm_faults(const FaultPlan& p) {
  std::lock_guard lock(g_mu);
  g_plan = p;
  g_writes.store(0);
  g_locks.store(0);
  g_injected.store(0);
}

long fault_vfs_writes() { return g_writes.load(); }
long fault_vfs_exclusive_locks() { return g_locks.load(); }
long fault_vfs_injected() { return g_injected.load(); }

}  // namespace banwatch::hardening
