//! Quiet functions for the benchmark (feature `bench`, `host-bench` and
//! `bench-rs`): they print nothing, so that what is measured is the call,
//! not WASI's stdout. `bench-rs` also runs [`collatz_total_steps`] natively.

/// What the call benchmark needs from its host: the `env::host_bench_echo`
/// import, which only guest-bench.wasm has.
pub trait EchoHost {
    /// Returns `value`: the cheapest round trip.
    fn echo(&mut self, value: i32) -> i32;
}

/// The benchmark's host-to-guest call: as cheap as a call can be.
pub fn bench_add(left: i32, right: i32) -> i32 {
    left.wrapping_add(right)
}

/// Calls the host `n` times with `0, 1, ..., n - 1` and returns the wrapping
/// sum of its answers (`n * (n - 1) / 2` for a host that echoes).
pub fn call_host_repeatedly(host: &mut impl EchoHost, n: i32) -> i32 {
    (0..n.max(0)).fold(0i32, |sum, i| sum.wrapping_add(host.echo(i)))
}

/// Largest `limit` [`collatz_total_steps`] accepts; larger ones are clamped.
/// Every trajectory starting below it stays under 2^40, far from overflow.
pub const COLLATZ_MAX_LIMIT: u32 = 10_000_000;

/// The compute kernel, run as wasm and natively: the total number of Collatz
/// steps (`n / 2` or `3n + 1` until 1) over every start value in `1..=limit`.
/// Scalar integer work with data-dependent branches and no memory traffic.
///
/// Never inlined, so that it is a function of its own in every build: the
/// guest profiler and perf name it, gdb breaks on it (one call per
/// `bench_compute`, nothing measurable).
#[inline(never)]
pub fn collatz_total_steps(limit: u32) -> u64 {
    let mut total = 0u64;
    for start in 1..=u64::from(limit.min(COLLATZ_MAX_LIMIT)) {
        let mut x = start;
        while x != 1 {
            x = if x % 2 == 0 { x / 2 } else { 3 * x + 1 };
            total += 1;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test double for the host: records every echo. (The benchmark reaches
    /// the host only through [`EchoHost`], so it cannot log or set values.)
    #[derive(Default)]
    struct RecordingHost {
        echoed: Vec<i32>,
    }

    impl EchoHost for RecordingHost {
        fn echo(&mut self, value: i32) -> i32 {
            self.echoed.push(value);
            value
        }
    }

    #[test]
    fn bench_add_wraps() {
        assert_eq!(bench_add(40, 2), 42);
        assert_eq!(bench_add(i32::MAX, 1), i32::MIN);
    }

    #[test]
    fn call_host_repeatedly_calls_n_times_and_sums() {
        let mut host = RecordingHost::default();
        assert_eq!(call_host_repeatedly(&mut host, 5), 10);
        assert_eq!(host.echoed, vec![0, 1, 2, 3, 4]);
        assert_eq!(call_host_repeatedly(&mut host, 0), 0);
        assert_eq!(call_host_repeatedly(&mut host, -3), 0);
        assert_eq!(host.echoed.len(), 5);
    }

    #[test]
    fn call_host_repeatedly_wraps_like_the_host_expects() {
        let mut host = RecordingHost::default();
        let n: i32 = 100_000;
        let expected = (i64::from(n) * i64::from(n - 1) / 2) as i32;
        assert_eq!(call_host_repeatedly(&mut host, n), expected);
    }

    #[test]
    fn collatz_total_steps_matches_hand_counts() {
        // Steps of 1..=10: 0, 1, 7, 2, 5, 8, 16, 3, 19, 6.
        assert_eq!(collatz_total_steps(0), 0);
        assert_eq!(collatz_total_steps(1), 0);
        assert_eq!(collatz_total_steps(3), 8);
        assert_eq!(collatz_total_steps(10), 67);
        // 27 alone takes 111 steps.
        assert_eq!(collatz_total_steps(27) - collatz_total_steps(26), 111);
    }
}
