/**
 * \file store_setup.hh
 * What every store of the library gets from the options, core module or
 * component alike: the sandbox's WASI context and the store limits.
 */
#ifndef WASMHOST_SRC_STORE_SETUP_HH
#define WASMHOST_SRC_STORE_SETUP_HH

#include <chrono>
#include <cstdint>

#include <wasmtime.hh>

#include "wasmhost/options.hh"

namespace wasmhost::detail {

/// The sandbox's WASI (preview 1 and 2 share it): stdout and stderr only, to
/// the options' streams or the process's. No preopened directory, no
/// environment variable, no argument, an empty stdin. Throws `Error` (`Io`)
/// when the store refuses it.
void setSandboxWasi(wasmtime::Store::Context context, const WasmHostOptions &options);

/// Per memory and per table, and counts of both: together a bound on the
/// whole store, whatever the module declares (the limiter has no total).
void applyStoreLimits(wasmtime::Store &store, const WasmHostOptions &options);

/// `milliseconds` as a clock duration, saturated far below the clock's
/// range (the largest `timeout_ms` means no limit in practice).
std::chrono::steady_clock::duration saturatedMilliseconds(uint64_t milliseconds);

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_STORE_SETUP_HH
