#include "wasmhost/detail/epoch_ticker.hh"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace wasmhost::detail {

/// The process's ticker thread and the engines it advances. Made by the
/// first `EpochTicker`, destroyed (thread stopped and joined) with the last.
class SharedTicker {
public:
  SharedTicker() {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }
  SharedTicker(const SharedTicker &) = delete;
  SharedTicker &operator=(const SharedTicker &) = delete;
  ~SharedTicker() = default; // std::jthread (last member): request stop, then join

  /// The process's ticker, made when there is none.
  static std::shared_ptr<SharedTicker> acquire() {
    std::lock_guard lock(registry_mutex_);
    auto shared = current_.lock();
    if (!shared) {
      shared = std::make_shared<SharedTicker>();
      current_ = shared;
    }
    return shared;
  }

  static EpochTicker::Stats stats() {
    std::shared_ptr<SharedTicker> shared;
    {
      std::lock_guard lock(registry_mutex_);
      shared = current_.lock();
    }
    EpochTicker::Stats stats;
    if (shared) {
      std::lock_guard lock(shared->mutex_);
      stats.wakeups = shared->wakeups_;
      stats.engines = shared->engines_.size();
      stats.running = true;
      stats.parked = shared->flags.parked.load();
    }
    return stats;
  }

  void add(const void *registration, const wasmtime::Engine &engine, bool keep_ticking) {
    std::lock_guard lock(mutex_);
    engines_.push_back({registration, wasmtime::Engine(engine), keep_ticking});
    keep_ticking_ += keep_ticking ? 1 : 0;
    if (keep_ticking) {
      unparkLocked();
    }
  }

  void remove(const void *registration) {
    std::lock_guard lock(mutex_);
    auto found = std::find_if(engines_.begin(), engines_.end(), [registration](const Entry &entry) {
      return entry.registration == registration;
    });
    if (found != engines_.end()) {
      keep_ticking_ -= found->keep_ticking ? 1 : 0;
      engines_.erase(found);
    }
  }

  void wake() {
    std::lock_guard lock(mutex_);
    unparkLocked();
  }

  TickerFlags flags;

private:
  struct Entry {
    /// The `EpochTicker` that registered it (a copy of an `Engine` is
    /// another C API pointer: the engine cannot name its entry).
    const void *registration;
    wasmtime::Engine engine;
    bool keep_ticking;
  };
  static constexpr std::chrono::seconds kFirstPoll{1};
  static constexpr std::chrono::seconds kLastPoll{64};

  void unparkLocked() {
    if (flags.parked.load(std::memory_order_relaxed)) {
      flags.parked.store(false, std::memory_order_seq_cst);
      wake_.notify_one();
    }
  }

  void advanceAll() {
    for (const auto &entry : engines_) {
      entry.engine.increment_epoch();
    }
  }

  /// Parks: announces it, then advances every epoch once more, so that
  /// every store's deadline (one tick ahead at most) is behind its epoch and
  /// any running guest calls its deadline callback, which wakes the thread.
  void park() {
    flags.parked.store(true, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_release);
    advanceAll();
  }

  void run(const std::stop_token &stop) {
    using Clock = std::chrono::steady_clock;
    std::unique_lock lock(mutex_);
    auto next = Clock::now() + EpochTicker::kTick;
    uint64_t idle_ticks = 0;
    Clock::duration poll = kFirstPoll;
    while (!stop.stop_requested()) {
      if (flags.parked.load(std::memory_order_relaxed)) {
        const bool woken = wake_.wait_until(lock, stop, Clock::now() + poll, [this] {
          return !flags.parked.load(std::memory_order_relaxed);
        });
        if (stop.stop_requested()) {
          break;
        }
        ++wakeups_;
        if (!woken) { // the safety poll: advance once more, sleep longer
          park();
          poll = std::min<Clock::duration>(poll * 2, kLastPoll);
          continue;
        }
        idle_ticks = 0;
        poll = kFirstPoll;
        next = Clock::now() + EpochTicker::kTick;
        continue;
      }
      // Sleeps until the next tick, the mutex released meanwhile.
      wake_.wait_until(lock, stop, next, [] { return false; });
      if (stop.stop_requested()) {
        break;
      }
      ++wakeups_;
      advanceAll();
      // No catching up after a late wake-up: the epoch only triggers the
      // deadline callbacks, which read the clock themselves.
      const auto now = Clock::now();
      next += EpochTicker::kTick;
      if (next <= now) {
        next = now + EpochTicker::kTick;
      }
      if (flags.activity.exchange(false, std::memory_order_relaxed) || keep_ticking_ > 0) {
        idle_ticks = 0;
      } else if (++idle_ticks >= EpochTicker::kIdleTicks) {
        park();
        poll = kFirstPoll;
      }
    }
  }

  static inline std::mutex registry_mutex_;
  static inline std::weak_ptr<SharedTicker> current_;

  std::mutex mutex_; ///< guards everything below but the thread
  std::condition_variable_any wake_;
  std::vector<Entry> engines_;
  size_t keep_ticking_ = 0;
  uint64_t wakeups_ = 0;
  std::jthread thread_; // last: stopped and joined before the rest goes
};

EpochTicker::EpochTicker(const wasmtime::Engine &engine, bool keep_ticking)
    : shared_(SharedTicker::acquire()), flags_(&shared_->flags) {
  shared_->add(this, engine, keep_ticking);
}

EpochTicker::~EpochTicker() { shared_->remove(this); }

void EpochTicker::wake() const { shared_->wake(); }

EpochTicker::Stats EpochTicker::stats() { return SharedTicker::stats(); }

} // namespace wasmhost::detail
