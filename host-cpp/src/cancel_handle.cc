#include "wasmhost/cancel_handle.hh"

namespace wasmhost::detail {

bool CancelState::waitUntil(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return wake_.wait_until(lock, deadline, [this] { return currentCallCancelled(); });
}

bool CancelState::interrupt() {
  const uint64_t running = running_.load(std::memory_order_seq_cst);
  if (running == 0) {
    return false;
  }
  {
    // Under the mutex: a sleeper between its check and its wait would miss
    // the notification otherwise.
    const std::lock_guard lock(mutex_);
    cancelled_.store(running, std::memory_order_release);
  }
  cancelled_calls_.fetch_add(1, std::memory_order_relaxed);
  wake_.notify_all();
  // The running guest's deadline is at most one epoch ahead: its deadline
  // callback runs at its next epoch check and sees the mark. Other stores of
  // the engine see an early callback and go on.
  engine_.increment_epoch();
  return true;
}

} // namespace wasmhost::detail
