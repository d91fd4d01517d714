/**
 * \file wasmhost/call_stats.hh
 * `CallStats`: what the last entry into a guest cost, as
 * `PluginInstance::lastCallStats()` and
 * `component::ComponentHost::lastCallStats()` report it.
 */
#ifndef WASMHOST_CALL_STATS_HH
#define WASMHOST_CALL_STATS_HH

#include <chrono>
#include <cstdint>
#include <optional>

namespace wasmhost {

/// The figures of one outermost entry into the guest (a call, or the start
/// function or `_initialize` while instantiating; nested calls from host
/// functions count in the outer one), taken when it returned or trapped.
/// Thread-safety: a value type.
struct CallStats {
  /// Fuel the entry burnt: the budget it was given (`WasmHostOptions::fuel`,
  /// refilled before every entry) minus the fuel left when it returned,
  /// blocked time in WASI included (`kSleepFuelPerMillisecond`). Unset when
  /// fuel metering is off (`fuel = 0`).
  std::optional<uint64_t> fuel_used;
  /// Wall-clock time from just before the entry into the guest to just after
  /// it returned, host functions and WASI sleeps included.
  std::chrono::nanoseconds wall_time{0};
  /// The largest size, in bytes, of the instance's exported linear memory
  /// (`memory`) during the entry: its size when the entry returned, since a
  /// linear memory never shrinks; hence also the largest since
  /// instantiation. Unset when there is none to read: a core module without
  /// an exported memory, and every component (Wasmtime's C API does not
  /// reach a component's core memories).
  std::optional<uint64_t> peak_memory_bytes;
  /// Whether the entry failed (a trap, a WASI exit, a cancel).
  bool trapped = false;
};

} // namespace wasmhost

#endif // WASMHOST_CALL_STATS_HH
