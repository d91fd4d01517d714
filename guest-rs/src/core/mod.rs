//! The plugin's logic, in safe Rust, one file per concern (as `ffi` is):
//!
//! - `article`: the article's five patterns ([`Point`], [`HostEnv`]);
//! - `buffers`: block layouts, packed `(offset, length)`, `transform_text`;
//! - `state`: the bookkeeping the debug view shows ([`GuestState`]);
//! - `debug`: that view as JSON (feature `debug-json`);
//! - `bench`: the benchmark's quiet functions (feature `bench`);
//! - `kernels`: the benchmark's compute suite (feature `bench`);
//! - `runtime`: configuration, logs and WASI capabilities as the runtime
//!   guest sees them (feature `runtime`).
//!
//! Nothing here is `unsafe` or reaches the host except through a trait, so
//! every file is unit-tested natively (`cargo test`). The items are
//! re-exported here: `core::Point`, `core::GuestState`, ... are the paths.

#![forbid(unsafe_code)]

mod article;
#[cfg(feature = "bench")]
mod bench;
mod buffers;
#[cfg(feature = "debug-json")]
mod debug;
#[cfg(feature = "bench")]
mod kernels;
#[cfg(feature = "runtime")]
mod runtime;
mod state;

pub use article::{
    HostEnv, Point, add_points, perform_basic_add, perform_host_calls_test,
    perform_simple_add_and_read_internal_state,
};
#[cfg(feature = "bench")]
pub use bench::{
    COLLATZ_MAX_LIMIT, EchoHost, bench_add, call_host_repeatedly, collatz_total_steps,
};
pub use buffers::{buffer_layout, pack_slice, transform_text, unpack_slice};
#[cfg(feature = "debug-json")]
pub use debug::debug_state_json;
#[cfg(feature = "bench")]
pub use kernels::{
    KERNELS, Kernel, kernel, kernel_collatz, kernel_hash, kernel_matmul, kernel_nbody,
    kernel_parse, kernel_search, kernel_sort,
};
#[cfg(feature = "runtime")]
pub use runtime::{
    CONFIG_FIRST_CAPACITY, CONFIG_MISSING, ConfigSource, LogLevel, args_listing, config_get,
    describe_config_value, describe_io_error, env_listing, outcome,
};
pub use state::{CallCounters, GuestState, POINTS_REMEMBERED};
