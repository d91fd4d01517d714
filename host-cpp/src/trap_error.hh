// One C API object as the other: private to the library.
#ifndef WASMHOST_SRC_TRAP_ERROR_HH
#define WASMHOST_SRC_TRAP_ERROR_HH

#include <wasmtime.h>

#include "wasmhost/errors.hh"

namespace wasmhost::detail {

// In Wasmtime 48 `wasm_trap_t` and `wasmtime_error_t` are the same
// `#[repr(C)] struct { error: Error }` (crates/c-api/src/trap.rs, error.rs),
// and Wasmtime unboxes the one as the other. The C API has no
// `wasmtime_error_t` for a trap code (an epoch deadline callback returns an
// error), and a host function hands back a call's error as a trap. The unit
// tests pin both results (the kinds `interrupt` and `host function failed`).

/// `trap` as the error a callback returns; takes ownership.
inline wasmtime_error_t *trapAsError(wasm_trap_t *trap) {
  return reinterpret_cast<wasmtime_error_t *>(trap);
}

/// `error` as the trap a host function returns; takes ownership.
inline wasm_trap_t *errorAsTrap(wasmtime_error_t *error) {
  return reinterpret_cast<wasm_trap_t *>(error);
}

/// The trap that ends a call cancelled through a `CancelHandle`: a message
/// trap (`kCancelledMessage`), which `PluginInstance::trapKind` names
/// "cancelled". Owned by the caller.
inline wasm_trap_t *cancelledTrap() {
  return wasmtime_trap_new(kCancelledMessage.data(), kCancelledMessage.size());
}

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_TRAP_ERROR_HH
