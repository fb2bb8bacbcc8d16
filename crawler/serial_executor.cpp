#include "crawler/serial_executor.h"

#include <algorithm>

namespace banwatch::crawler {

SerialExecutor::SerialExecutor(std::size_t max_jobs, std::size_t max_weight, std::function<void()> on_idle)
    : max_jobs_(std::max<std::size_t>(1, max_jobs)),
      max_weight_(max_weight),
      on_idle_(std::move(on_idle)),
      thread_([this] { loop(); }) {}

SerialExecutor::~SerialExecutor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void SerialExecutor::submit(std::function<void()> job, std::size_t weight) {
  std::unique_lock lock(mutex_);
  changed_.wait(
      lock, [&] { return queue_.empty() || (queue_.size() < max_jobs_ && queued_weight_ + weight <= max_weight_); });
  queue_.push_back(Entry{std::move(job), weight});
  queued_weight_ += weight;
  changed_.notify_all();
}

void SerialExecutor::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !running_job_; });
}

void SerialExecutor::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and every job has run
    Entry entry = std::move(queue_.front());
    queue_.pop_front();
    queued_weight_ -= entry.weight;
    running_job_ = true;
    changed_.notify_all();  // room for a blocked submit()
    lock.unlock();
    entry.job();
    entry = Entry{};  // the job's captures are released before the next waits
    lock.lock();
    if (queue_.empty() && on_idle_) {
      lock.unlock();
      on_idle_();
      lock.lock();
    }
    running_job_ = false;
    changed_.notify_all();  // drain() may be waiting
  }
}

}  // namespace banwatch::crawler
