/**
 * \file wasi_poll_guard.hh
 * WASI's `poll_oneoff` under the time limit and the fuel budget: the one WASI
 * call that blocks (a guest's `sleep`), which Wasmtime cannot interrupt.
 */
#ifndef WASMHOST_SRC_WASI_POLL_GUARD_HH
#define WASMHOST_SRC_WASI_POLL_GUARD_HH

#include <mutex>
#include <optional>
#include <unordered_map>

#include <wasmtime.hh>

namespace wasmhost {
class PluginInstance;
}

namespace wasmhost::detail {

/// Shadows `wasi_snapshot_preview1::poll_oneoff` in a plugin's linker (with a
/// time limit or a fuel budget) with a host function that never blocks past
/// the limits of the call it runs in:
///
/// - A poll whose subscriptions are all clocks (realtime or monotonic,
///   relative or absolute: a guest's `sleep`) and whose earliest clock fires
///   later than the call may still wait sleeps only until the call's time
///   limit, or for what its fuel pays at
///   `WasmHostOptions::kSleepFuelPerMillisecond`, then fails with the trap of
///   that limit (`interrupt`, or `out of fuel` with the fuel at 0), exactly
///   as if the guest had run that long.
/// - When the instance has a `CancelHandle` (`PluginInstance::cancelHandle`),
///   a cancelled call never waits: a pending cancel traps at once
///   ("cancelled"), and a clock-only poll waits for its earliest clock here,
///   woken by `CancelHandle::interrupt`, then goes to Wasmtime's
///   `poll_oneoff` with each relative clock shortened by the time waited
///   (restored in guest memory afterwards), so that the events are WASI's.
///   When the events buffer overlaps the timeouts WASI waits itself.
/// - Any other poll goes to Wasmtime's own `poll_oneoff` (called through a
///   one-function trampoline module that re-exports the guest's memory, since
///   WASI reads the caller's `memory` export); then the time it waited is
///   charged to the fuel. In this sandbox a poll with a file descriptor
///   subscription never blocks (stdin is empty, stdout and stderr are always
///   writable, other descriptors are `EBADF`), and a poll WASI refuses
///   (no subscription, subscriptions outside memory, an unknown clock) fails
///   before waiting.
///
/// A store is known by its `PluginInstance` (`attach`); a store the plugin's
/// linker serves outside one gets Wasmtime's `poll_oneoff` unbounded (and a
/// trampoline instance per call). Thread-safety: any thread; the table of
/// attached stores is locked for a look-up, never while a call waits.
class WasiPollGuard {
public:
  /// Defines WASI on a linker of its own (the original `poll_oneoff`) and
  /// compiles the trampoline for `engine`.
  explicit WasiPollGuard(wasmtime::Engine &engine);

  WasiPollGuard(const WasiPollGuard &) = delete;
  WasiPollGuard &operator=(const WasiPollGuard &) = delete;

  /// Replaces `linker`'s WASI `poll_oneoff` (WASI must be defined in it) with
  /// the guarded one. `linker` must not outlive this guard.
  void install(wasmtime::Linker &linker);

  /// The store `context` belongs to `instance` (until `detach`), whose limits
  /// and WASI clock the guarded calls read. Attaching again forgets what was
  /// cached for the context (a new store may reuse an old one's address).
  void attach(const wasmtime_context_t *context, PluginInstance *instance);
  void detach(const wasmtime_context_t *context);

  /// Bytes of one WASI `subscription` and one `event`.
  static constexpr uint64_t kSubscriptionSize = 48;

private:
  struct Attached {
    PluginInstance *instance = nullptr;
    /// The trampoline instance's function, made for `memory`.
    std::optional<wasmtime_func_t> trampoline;
    wasmtime_memory_t memory{};
  };

  static wasm_trap_t *pollOneoff(void *env, wasmtime_caller_t *caller,
                                 wasmtime_val_raw_t *args_and_results, size_t count);
  /// The trampoline for `memory` in `context`'s store, made and cached for
  /// an attached store; a trap when it cannot be made.
  wasm_trap_t *trampolineFor(wasmtime_context_t *context, const wasmtime_memory_t &memory,
                             wasmtime_func_t *trampoline);

  /// The trampoline module, compiled at the first delegated poll (most
  /// plugins never sleep; a plugin's start-up pays nothing for it).
  wasm_trap_t *trampolineModule(const wasmtime::Module **module);

  wasmtime::Engine engine_;
  wasmtime::Linker wasi_;
  std::optional<wasmtime::Module> trampoline_module_; ///< under `mutex_`
  std::mutex mutex_;
  std::unordered_map<const wasmtime_context_t *, Attached> attached_;
};

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_WASI_POLL_GUARD_HH
