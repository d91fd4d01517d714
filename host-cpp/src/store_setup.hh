/**
 * \file store_setup.hh
 * What every store of the library gets from the options, core module or
 * component alike: the sandbox's WASI context and the store limits.
 */
#ifndef WASMHOST_SRC_STORE_SETUP_HH
#define WASMHOST_SRC_STORE_SETUP_HH

#include <chrono>
#include <cstdint>
#include <string_view>

#include <wasmtime.hh>

#include "wasmhost/options.hh"

namespace wasmhost::runtime::detail {
class GuestLog;
}

namespace wasmhost::detail {

/// The sandbox's WASI (preview 1 and 2 share it: Wasmtime's C API gives a
/// component the store's WASI context too): stdout and stderr, to
/// `guest_log` when `options.log_sink` is set, else to the options' streams
/// or the process's; an empty stdin; and only what `options.wasi` grants:
/// its preopened folders (read-only or not), its environment variables
/// (nothing inherited), its arguments after `module_name` (argv[0]).
/// Throws `Error` (`Io`) for a capability `checkCapabilities` refuses or
/// the store refuses.
void setSandboxWasi(wasmtime::Store::Context context, const WasmHostOptions &options,
                    std::string_view module_name, runtime::detail::GuestLog *guest_log);

/// Throws `Error` (`Io`) naming it for a preopen whose host folder is
/// missing or not a folder, whose guest path is empty, not absolute or
/// another preopen's; for an environment variable whose name is empty or
/// holds `=` or NUL, or whose value holds NUL; for an argument holding NUL.
void checkCapabilities(const WasiCapabilities &capabilities);

/// Per memory and per table, and counts of both: together a bound on the
/// whole store, whatever the module declares (the limiter has no total).
void applyStoreLimits(wasmtime::Store &store, const WasmHostOptions &options);

/// `milliseconds` as a clock duration, saturated far below the clock's
/// range (the largest `timeout_ms` means no limit in practice).
std::chrono::steady_clock::duration saturatedMilliseconds(uint64_t milliseconds);

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_STORE_SETUP_HH
