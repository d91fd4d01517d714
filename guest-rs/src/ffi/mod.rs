//! The boundary with the C++ host: imports, exported functions and the
//! plugin's raw state, one file per concern. Every `unsafe` of the guest
//! lives in this folder; the logic is in `crate::core`.
//!
//! - `article`: the article's `src/ffi.rs` (the three `env` imports,
//!   `just_add`, `trigger_host_calls`, `point_add`, `simple_add`,
//!   `get_plugin_shared_value_ptr`, the plugin state);
//! - `buffers`: `guest_alloc`, `guest_free`, `transform_string`;
//! - `debug`: `guest_debug_state` (feature `debug-json`);
//! - `bench`: `bench_add`, `bench_call_host`, `bench_compute` and the
//!   `env::host_bench_echo` import (feature `bench`, guest-bench.wasm);
//! - `hostile`: the `hostile_*` exports (feature `hostile`, guest-hostile.wasm);
//! - `runtime`: the `wasmhost` imports (`config_get`, `log`) and the
//!   `runtime_*` exports (feature `runtime`, guest-runtime.wasm).

use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::core::GuestState;

pub mod article;
#[cfg(feature = "bench")]
pub mod bench;
pub mod buffers;
#[cfg(feature = "debug-json")]
pub mod debug;
#[cfg(feature = "hostile")]
mod hostile;
#[cfg(feature = "runtime")]
pub mod runtime;

/// The plugin's bookkeeping, shown by the debug view.
static STATE: Mutex<GuestState> = Mutex::new(GuestState::new());

fn state() -> MutexGuard<'static, GuestState> {
    // wasm32-wasip1 has one thread and panics abort, so the lock is never
    // contended or poisoned; recover the data if it ever were.
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}
