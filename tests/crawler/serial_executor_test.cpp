// The crawl's processing thread: order, backpressure, drain, shutdown.
#include "crawler/serial_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace banwatch::crawler {
namespace {

using namespace std::chrono_literals;

TEST(SerialExecutor, RunsJobsOneAtATimeInSubmissionOrderOffTheCallersThread) {
  std::vector<int> order;
  std::atomic<int> running{0}, most_at_once{0};
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> on_caller{false};
  {
    SerialExecutor executor(4, 1000);
    for (int i = 0; i < 50; ++i) {
      executor.submit([&, i] {
        const int now = ++running;
        most_at_once = std::max(most_at_once.load(), now);
        if (std::this_thread::get_id() == caller) on_caller = true;
        order.push_back(i);
        --running;
      });
    }
    executor.drain();
    EXPECT_EQ(order.size(), 50u);
  }
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
  EXPECT_EQ(most_at_once.load(), 1);
  EXPECT_FALSE(on_caller.load());
}

TEST(SerialExecutor, SubmitWaitsWhileTheQueueIsFull) {
  SerialExecutor executor(2, 1000);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> done{0};
  executor.submit([&] {
    released.wait();
    ++done;
  });                                // running
  executor.submit([&] { ++done; });  // waiting: 1
  executor.submit([&] { ++done; });  // waiting: 2 = full
  auto blocked = std::async(std::launch::async, [&] { executor.submit([&] { ++done; }); });
  EXPECT_EQ(blocked.wait_for(200ms), std::future_status::timeout);
  release.set_value();
  blocked.wait();
  executor.drain();
  EXPECT_EQ(done.load(), 4);
}

TEST(SerialExecutor, WeightBoundsTheQueueButAHeavyJobAloneStillRuns) {
  SerialExecutor executor(100, 10);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> done{0};
  executor.submit(
      [&] {
        released.wait();
        ++done;
      },
      0);
  executor.submit([&] { ++done; }, 8);
  auto blocked = std::async(std::launch::async, [&] { executor.submit([&] { ++done; }, 8); });
  EXPECT_EQ(blocked.wait_for(200ms), std::future_status::timeout);  // 16 > 10
  release.set_value();
  blocked.wait();
  executor.submit([&] { ++done; }, 50);  // heavier than the bound, taken once the queue empties
  executor.drain();
  EXPECT_EQ(done.load(), 4);
}

TEST(SerialExecutor, DestructionRunsEveryQueuedJob) {
  std::atomic<int> done{0};
  {
    SerialExecutor executor(100, 1000);
    for (int i = 0; i < 20; ++i) {
      executor.submit([&] {
        std::this_thread::sleep_for(1ms);
        ++done;
      });
    }
  }
  EXPECT_EQ(done.load(), 20);
}

// on_idle runs on the executor's thread after each burst of jobs, before
// drain() returns: where the pipeline flushes the appends it batched.
TEST(SerialExecutor, OnIdleRunsAfterEveryBurstAndDrainWaitsForIt) {
  std::vector<std::string> log;
  std::mutex log_mutex;
  const auto note = [&](std::string what) {
    std::lock_guard lock(log_mutex);
    log.push_back(std::move(what));
  };
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  SerialExecutor executor(16, 1000, [&] { note("idle"); });
  executor.submit([&] {
    released.wait();
    note("a");
  });
  executor.submit([&] { note("b"); });
  executor.submit([&] { note("c"); });
  release.set_value();
  executor.drain();
  {
    std::lock_guard lock(log_mutex);
    EXPECT_EQ(log, (std::vector<std::string>{"a", "b", "c", "idle"}));
  }
  executor.submit([&] { note("d"); });
  executor.drain();
  std::lock_guard lock(log_mutex);
  EXPECT_EQ(log, (std::vector<std::string>{"a", "b", "c", "idle", "d", "idle"}));
}

}  // namespace
}  // namespace banwatch::crawler
