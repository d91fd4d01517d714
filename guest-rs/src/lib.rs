//! Guest plugin of the wasmhost tutorial.
//!
//! `ffi` is the boundary with the C++ host: the `env` imports, the exported
//! functions and every `unsafe` block. `core` is the plugin's logic in safe
//! Rust; it reaches the host only through the [`core::HostEnv`] trait, so it
//! is unit-tested natively with a test double (`cargo test`).

pub mod core;

#[cfg(target_arch = "wasm32")]
mod ffi;

#[cfg(target_arch = "wasm32")]
pub use ffi::{
    Point, bench_add, bench_call_host, bench_compute, get_plugin_shared_value_ptr, just_add,
    point_add, simple_add, trigger_host_calls,
};
