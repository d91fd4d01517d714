//! Exports for the benchmark (`host-bench`, `bench-rs`; feature `bench`,
//! built as guest-bench.wasm) and the one import they add,
//! `env::host_bench_echo`. They print nothing, so that what is measured is
//! the call, not WASI's stdout.

use crate::core::{self, EchoHost};

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    fn host_bench_echo(value: i32) -> i32;
}

pub fn echo_from_host(value: i32) -> i32 {
    // SAFETY: the host provides this import with the declared signature.
    unsafe { host_bench_echo(value) }
}

/// The real host, reached through `env::host_bench_echo`.
struct ImportedEcho;

impl EchoHost for ImportedEcho {
    fn echo(&mut self, value: i32) -> i32 {
        echo_from_host(value)
    }
}

/// Host-to-guest call cost: `left + right`, wrapping.
#[unsafe(no_mangle)]
pub extern "C" fn bench_add(left: i32, right: i32) -> i32 {
    core::bench_add(left, right)
}

/// Guest-to-host call cost: calls `env::host_bench_echo` `n` times and
/// returns the wrapping sum of the answers.
#[unsafe(no_mangle)]
pub extern "C" fn bench_call_host(n: i32) -> i32 {
    core::call_host_repeatedly(&mut ImportedEcho, n)
}

/// The compute kernel: total Collatz steps over `1..=limit` (negative: 0).
#[unsafe(no_mangle)]
pub extern "C" fn bench_compute(limit: i32) -> i64 {
    core::collatz_total_steps(u32::try_from(limit).unwrap_or(0)) as i64
}

/// The compute suite (`core::KERNELS`): `bench_kernel_<name>(n)` returns the
/// kernel's checksum for size `n` (negative: 0), as `bench-rs` checks it
/// against the same kernel run natively.
macro_rules! kernel_exports {
    ($($export:ident => $kernel:ident),* $(,)?) => {
        $(
            #[unsafe(no_mangle)]
            pub extern "C" fn $export(n: i32) -> i64 {
                core::$kernel(u32::try_from(n).unwrap_or(0)) as i64
            }
        )*
    };
}

kernel_exports! {
    bench_kernel_collatz => kernel_collatz,
    bench_kernel_hash => kernel_hash,
    bench_kernel_sort => kernel_sort,
    bench_kernel_matmul => kernel_matmul,
    bench_kernel_search => kernel_search,
    bench_kernel_parse => kernel_parse,
    bench_kernel_nbody => kernel_nbody,
}
