#include "common/lockfile.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

namespace banwatch {
namespace {

std::string temp_lock_path() {
  auto dir = std::filesystem::temp_directory_path() / ("bw-lock-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / "store.db.lock").string();
}

// flock locks belong to open file descriptions, so a second acquire in the same
// process conflicts just as another process would.
TEST(RunLock, SecondHolderIsRefusedWithItsPid) {
  auto path = temp_lock_path();
  auto first = RunLock::acquire(path, std::chrono::milliseconds(0));
  ASSERT_TRUE(first) << first.error().message;
  auto second = RunLock::acquire(path, std::chrono::milliseconds(0));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kLocked);
  EXPECT_NE(second.error().message.find(std::to_string(::getpid())), std::string::npos) << second.error().message;
}

TEST(RunLock, ReleasedWhenTheHolderGoesAway) {
  auto path = temp_lock_path();
  {
    auto held = RunLock::acquire(path, std::chrono::milliseconds(0));
    ASSERT_TRUE(held);
  }
  EXPECT_TRUE(RunLock::acquire(path, std::chrono::milliseconds(0)));
}

TEST(RunLock, ReleasedWhenTheHolderIsKilled) {
  auto path = temp_lock_path();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  if (child == 0) {
    auto held = RunLock::acquire(path, std::chrono::milliseconds(0));
    char c = held ? 'y' : 'n';
    [[maybe_unused]] auto w = ::write(ready[1], &c, 1);
    ::pause();
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  EXPECT_FALSE(RunLock::acquire(path, std::chrono::milliseconds(0)));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(RunLock::acquire(path, std::chrono::milliseconds(0)));
}

TEST(RunLock, WaitsForTheHolderWhenAsked) {
  auto path = temp_lock_path();
  auto held = std::make_unique<RunLock>(*RunLock::acquire(path, std::chrono::milliseconds(0)));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    held.reset();
  });
  auto waited = RunLock::acquire(path, std::chrono::seconds(10));
  releaser.join();
  EXPECT_TRUE(waited);
}

TEST(RunLock, LockPathSitsNextToTheDatabase) {
  EXPECT_EQ(lock_path_for_store("/var/lib/banwatch.db"), "/var/lib/banwatch.db.lock");
  EXPECT_EQ(lock_path_for_store("sqlite:x.db"), "x.db.lock");
}

}  // namespace
}  // namespace banwatch
