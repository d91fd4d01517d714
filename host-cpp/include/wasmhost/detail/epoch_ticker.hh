/**
 * \file wasmhost/detail/epoch_ticker.hh
 * The wall clock behind `WasmHostOptions::timeout_ms`: one thread for the
 * whole process that advances the epoch of every engine with a time limit
 * once per tick, and sleeps while no guest runs.
 *
 * The epoch is only a trigger. Each store with a time limit has an epoch
 * deadline callback (`PluginInstance`) with the deadline one tick ahead: when
 * the epoch passes it, the callback reads the clock and either interrupts the
 * guest (its call has run for the whole limit) or lets it go on for one more
 * tick. So the call path reads no clock and calls no C API to arm the time
 * limit, and an interrupt never comes before the limit (the clock decides,
 * not a count of ticks).
 *
 * Parking: after `kIdleTicks` ticks in which no callback ran (no guest
 * executed wasm long enough to see a tick), the thread advances every epoch
 * once more and parks. That last advance puts every store's deadline behind
 * the epoch, so a guest still or newly running calls its callback at its
 * next epoch check, which wakes the thread; a call entering the guest also
 * wakes it (`ensureTicking`, one relaxed load when it runs). Parked, it only
 * wakes for a slow safety poll (1 s, doubling up to 64 s) that advances the
 * epochs again, for the one race the flags cannot close (a guest stalled
 * between its callback and Wasmtime's next read of the epoch while the
 * thread parks).
 */
#ifndef WASMHOST_DETAIL_EPOCH_TICKER_HH
#define WASMHOST_DETAIL_EPOCH_TICKER_HH

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include <wasmtime.hh>

namespace wasmhost {
namespace detail {

class SharedTicker;

/// What the call path and the deadline callbacks read and write of the
/// shared ticker, each on its own cache line.
struct TickerFlags {
  /// The thread sleeps; whoever needs ticks wakes it (`EpochTicker::wake`).
  alignas(64) std::atomic<bool> parked{false};
  /// A deadline callback ran since the thread's last tick.
  alignas(64) std::atomic<bool> activity{false};
};

/// One engine registered with the process's ticker thread: from construction
/// to destruction its epoch advances once per `kTick` of wall-clock time
/// while guests run. The thread starts with the first registration and stops
/// (joined) with the last. Thread-safety: every method may be called from
/// any thread.
class EpochTicker {
public:
  static constexpr std::chrono::milliseconds kTick{1};
  /// Ticks without a deadline callback before the thread parks.
  static constexpr uint64_t kIdleTicks = 50;

  /// Registers `engine`. `keep_ticking`: the thread never parks while this
  /// registration lives (for whoever samples on epoch ticks).
  explicit EpochTicker(const wasmtime::Engine &engine, bool keep_ticking = false);
  ~EpochTicker();
  EpochTicker(const EpochTicker &) = delete;
  EpochTicker &operator=(const EpochTicker &) = delete;

  /// Before a call enters the guest: wakes the thread when it is parked.
  void ensureTicking() const {
    if (flags_->parked.load(std::memory_order_relaxed)) {
      wake();
    }
  }
  /// From a deadline callback that lets the guest go on: keeps the thread
  /// ticking (and wakes it when it parked meanwhile).
  void noteActivity() const {
    flags_->activity.store(true, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (flags_->parked.load(std::memory_order_seq_cst)) {
      wake();
    }
  }
  void wake() const;
  /// The flag `ensureTicking` reads, for a call path that caches it.
  [[nodiscard]] const std::atomic<bool> &parkedFlag() const { return flags_->parked; }

  /// For tests and the benchmark: what the process's ticker is doing.
  struct Stats {
    /// Times the thread woke up (ticks, wake-ups and safety polls) since it
    /// started; 0 when there is no thread.
    uint64_t wakeups = 0;
    size_t engines = 0;
    bool running = false; ///< a thread exists
    bool parked = false;
  };
  static Stats stats();

private:
  std::shared_ptr<SharedTicker> shared_;
  TickerFlags *flags_;
};

} // namespace detail
} // namespace wasmhost

#endif // WASMHOST_DETAIL_EPOCH_TICKER_HH
