//! Guest plugin of the wasmhost tutorial.
//!
//! `ffi` is the boundary with the C++ host: the `env` imports, the exported
//! functions and every `unsafe` block. `core` is the plugin's logic in safe
//! Rust; it reaches the host only through the [`core::HostEnv`] trait, so it
//! is unit-tested natively with a test double (`cargo test`). With the
//! feature `hostile`, `hostile` adds exports that misbehave on purpose, for
//! the host's fail-safety tests.

pub mod core;
#[cfg(feature = "hostile")]
pub mod hostile;

#[cfg(target_arch = "wasm32")]
mod ffi;

#[cfg(target_arch = "wasm32")]
pub use ffi::{
    Point, bench_add, bench_call_host, bench_compute, get_plugin_shared_value_ptr, guest_alloc,
    guest_free, just_add, point_add, simple_add, transform_string, trigger_host_calls,
};

#[cfg(all(target_arch = "wasm32", feature = "debug-json"))]
pub use ffi::guest_debug_state;
