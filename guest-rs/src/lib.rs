//! Guest plugin of the wasmhost tutorial.
//!
//! `ffi` is the boundary with the C++ host: the `env` imports, the exported
//! functions and every `unsafe` block, one file per concern (`ffi/article.rs`
//! is the article's `src/ffi.rs`). `core` is the plugin's logic in safe Rust,
//! with the same split; it reaches the host only through traits
//! ([`core::HostEnv`]), so it is unit-tested natively with test doubles
//! (`cargo test`).
//!
//! Cargo features, each a guest of its own:
//! - `debug-json` (default, guest.wasm): the debug view `guest_debug_state`;
//! - `bench` (guest-bench.wasm): the benchmark's quiet exports and their
//!   import `env::host_bench_echo`;
//! - `hostile` (guest-hostile.wasm): exports that misbehave on purpose, for
//!   the host's fail-safety tests (logic in `hostile`);
//! - `runtime` (guest-runtime.wasm): the imports `wasmhost::config_get` and
//!   `wasmhost::log` with their safe wrappers (`config_get`, `log`) and
//!   exports that use WASI's capabilities, for the host's tests.
//!
//! guest.wasm (default features) imports only the article's three `env`
//! functions, plus WASI.

pub mod core;
#[cfg(feature = "hostile")]
pub mod hostile;

#[cfg(target_arch = "wasm32")]
mod ffi;

#[cfg(target_arch = "wasm32")]
pub use ffi::article::{
    Point, get_plugin_shared_value_ptr, just_add, point_add, simple_add, trigger_host_calls,
};
#[cfg(target_arch = "wasm32")]
pub use ffi::buffers::{guest_alloc, guest_free, transform_string};

#[cfg(all(target_arch = "wasm32", feature = "bench"))]
pub use ffi::bench::{
    bench_add, bench_call_host, bench_compute, bench_kernel_collatz, bench_kernel_hash,
    bench_kernel_matmul, bench_kernel_nbody, bench_kernel_parse, bench_kernel_search,
    bench_kernel_sort,
};
#[cfg(all(target_arch = "wasm32", feature = "debug-json"))]
pub use ffi::debug::guest_debug_state;
#[cfg(all(target_arch = "wasm32", feature = "runtime"))]
pub use ffi::runtime::{config_get, log};
