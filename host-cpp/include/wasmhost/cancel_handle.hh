/**
 * \file wasmhost/cancel_handle.hh
 * `CancelHandle`: ends a guest call from another thread, with a trap of its
 * own kind ("cancelled"), distinct from the time limit's "interrupt".
 *
 * Which call is cancelled: the one in flight when `interrupt()` is called,
 * and only that one. Each outermost entry into the guest (a call, the start
 * function, `_initialize`) gets a number; `interrupt()` marks the number of
 * the entry running at that moment, so a call that starts later is never
 * cancelled by an earlier `interrupt()`, and `interrupt()` with no call in
 * flight does nothing (and says so: it returns false).
 *
 * How: the mark is read by the store's epoch deadline callback, the one that
 * enforces the time limit; `interrupt()` advances the engine's epoch so that
 * the callback runs at the guest's next epoch check (a loop's back edge, a
 * function entry), which then traps. A guest sleeping in WASI preview 1's
 * `poll_oneoff` is woken at once (`detail::WasiPollGuard`). So cancellation
 * needs an engine with epoch interruption: a time limit (`timeout_ms > 0`,
 * the default) or the guest profiler.
 */
#ifndef WASMHOST_CANCEL_HANDLE_HH
#define WASMHOST_CANCEL_HANDLE_HH

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include <wasmtime.hh>

namespace wasmhost {
namespace detail {

/// What an instance (core or component) and its `CancelHandle`s share. The
/// instance's thread calls `beginCall`, `endCall`, `currentCallCancelled`
/// and `waitUntil`; any thread calls `interrupt`. Held by `shared_ptr`: a
/// handle keeps it (and a reference to the engine) alive after its instance
/// is gone, when `interrupt()` finds no call in flight.
class CancelState {
public:
  explicit CancelState(const wasmtime::Engine &engine) : engine_(engine) {}
  CancelState(const CancelState &) = delete;
  CancelState &operator=(const CancelState &) = delete;

  /// An outermost entry into the guest starts: it gets the next number.
  void beginCall() {
    ++calls_;
    running_.store(calls_, std::memory_order_seq_cst);
  }
  /// It returned (or trapped): no call is in flight.
  void endCall() { running_.store(0, std::memory_order_seq_cst); }
  /// Whether `interrupt()` cancelled the entry now running.
  [[nodiscard]] bool currentCallCancelled() const {
    const uint64_t running = running_.load(std::memory_order_relaxed);
    return running != 0 && cancelled_.load(std::memory_order_acquire) == running;
  }
  /// Blocks until `deadline` or until the running entry is cancelled,
  /// whichever comes first; true when cancelled. For a host function that
  /// would block (WASI's sleep).
  bool waitUntil(std::chrono::steady_clock::time_point deadline);

  /// Cancels the entry in flight, if any: true when there was one.
  bool interrupt();
  /// How many `interrupt()` calls found a call in flight.
  [[nodiscard]] uint64_t cancelledCalls() const {
    return cancelled_calls_.load(std::memory_order_relaxed);
  }

private:
  wasmtime::Engine engine_;
  uint64_t calls_ = 0;                 ///< entries so far (the instance's thread only)
  std::atomic<uint64_t> running_{0};   ///< the number of the entry in flight; 0: none
  std::atomic<uint64_t> cancelled_{0}; ///< the number of the last entry cancelled
  std::atomic<uint64_t> cancelled_calls_{0};
  std::mutex mutex_; ///< with `wake_`: a sleeper cannot miss an `interrupt()`
  std::condition_variable wake_;
};

} // namespace detail

/// Cancels the call in flight in one instance (`PluginInstance::cancelHandle`,
/// `component::ComponentHost::cancelHandle`); see the file's comment for
/// which call. The cancelled call fails with a `Trap` whose kind
/// (`PluginInstance::trapKind`) is "cancelled" and whose message says it was
/// cancelled (`host` exits with status 3). Thread-safety: copyable, and every
/// copy may be used from any thread; a handle that outlives its instance is
/// safe to use (`interrupt()` then returns false).
class CancelHandle {
public:
  /// Ends the call running in the handle's instance at this moment, at its
  /// next epoch check or at once when it sleeps in WASI preview 1. Returns
  /// whether a call was in flight (false: nothing happens, and the next call
  /// is not cancelled). Never blocks on the guest.
  bool interrupt() const { return state_->interrupt(); }
  /// How many `interrupt()` calls of any copy found a call in flight.
  [[nodiscard]] uint64_t cancelledCalls() const { return state_->cancelledCalls(); }

  /// Made by the instances' `cancelHandle()`, around their shared state.
  explicit CancelHandle(std::shared_ptr<detail::CancelState> state) : state_(std::move(state)) {}

private:
  std::shared_ptr<detail::CancelState> state_;
};

} // namespace wasmhost

#endif // WASMHOST_CANCEL_HANDLE_HH
