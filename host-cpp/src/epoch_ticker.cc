#include "wasmhost/detail/epoch_ticker.hh"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace wasmhost::detail {

struct EpochTicker::State {
  std::chrono::steady_clock::time_point start;
  std::chrono::microseconds tick;
  std::atomic<uint64_t> ticks_done{0};
  std::jthread thread; // last: stopped and joined before the rest goes

  [[nodiscard]] uint64_t ticksDue() const {
    return static_cast<uint64_t>((std::chrono::steady_clock::now() - start) / tick);
  }
};

EpochTicker::EpochTicker(const wasmtime::Engine &engine, std::chrono::microseconds tick)
    : state_(std::make_unique<State>()) {
  state_->start = std::chrono::steady_clock::now();
  state_->tick = tick;
  state_->thread =
      std::jthread([engine = wasmtime::Engine(engine), state = state_.get()](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        while (!stop.stop_requested()) {
          // One increment per elapsed tick, so that the epoch follows the clock
          // even after this thread was not scheduled for a while.
          for (uint64_t due = state->ticksDue(); state->ticks_done.load() < due;) {
            engine.increment_epoch();
            state->ticks_done.fetch_add(1);
          }
          const auto next = state->start + state->tick * (state->ticks_done.load() + 1);
          wake.wait_until(lock, stop, next, [] { return false; });
        }
      });
}

uint64_t EpochTicker::pendingTicks() const {
  const uint64_t due = state_->ticksDue();
  const uint64_t done = state_->ticks_done.load();
  return due > done ? due - done : 0;
}

EpochTicker::~EpochTicker() = default; // std::jthread: request stop, then join

} // namespace wasmhost::detail
