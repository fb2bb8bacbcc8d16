// One background thread that runs jobs one at a time, in the order they were
// submitted. The crawl pipeline hands it the CPU- and store-bound half of
// each article (extraction, rules, the append), so the fetch loop keeps its
// transfer slots busy while the store works, and appends still happen in the
// order the pages completed (event clustering depends on that order).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace banwatch::crawler {

class SerialExecutor {
 public:
  // Backpressure: submit() blocks while `max_jobs` jobs, or jobs weighing
  // `max_weight` in all (the caller's unit, e.g. bytes of page), are waiting.
  // A job heavier than max_weight alone is still taken when nothing waits.
  // `on_idle`, when given, runs on the thread each time it has run every job
  // submitted so far (the place to flush work the jobs batched up); drain()
  // and the destructor wait for it too.
  SerialExecutor(std::size_t max_jobs, std::size_t max_weight, std::function<void()> on_idle = nullptr);
  // Runs every job already submitted, then joins the thread.
  ~SerialExecutor();

  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  // Jobs must not throw; one that does is a bug and ends the process
  // (std::terminate), as it would on the caller's thread.
  void submit(std::function<void()> job, std::size_t weight = 0);

  // Returns once every job submitted before the call has run (and on_idle after them).
  void drain();

 private:
  struct Entry {
    std::function<void()> job;
    std::size_t weight = 0;
  };
  void loop();

  const std::size_t max_jobs_;
  const std::size_t max_weight_;
  const std::function<void()> on_idle_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Entry> queue_;
  std::size_t queued_weight_ = 0;
  bool running_job_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace banwatch::crawler
