//! The plugin's logic, in safe Rust.

use std::alloc::Layout;
use std::collections::VecDeque;

/// A point shared with the host through linear memory. `#[repr(C)]` fixes
/// the layout (two `i32`, 8 bytes, no padding) that the C++ `Point` mirrors.
#[repr(C)]
#[derive(Debug, Copy, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "debug-json", derive(serde::Serialize))]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// What the plugin needs from its host. The FFI layer implements it over the
/// `env` imports; tests implement it with a recording double.
pub trait HostEnv {
    fn log_value(&mut self, value: i32);
    fn get_shared_value(&mut self) -> i32;
    fn set_shared_value(&mut self, value: i32);
    /// Returns `value`: the cheapest round trip, for the call benchmark.
    fn echo(&mut self, value: i32) -> i32;
}

pub fn perform_basic_add(left: u64, right: u64) -> u64 {
    println!("[WASM Core] perform_basic_add: {left} + {right}");
    left.wrapping_add(right)
}

/// Logs twice the input, reads the host's shared value and stores
/// `value + input + 5` back into the host. Returns the value it stored.
pub fn perform_host_calls_test(host: &mut impl HostEnv, input_val: i32) -> i32 {
    println!("[WASM Core] perform_host_calls_test with input: {input_val}");
    host.log_value(input_val.wrapping_mul(2));
    let host_val = host.get_shared_value();
    println!("[WASM Core] Received value from host: {host_val}");
    let new_host_val = host_val.wrapping_add(input_val).wrapping_add(5);
    println!("[WASM Core] Setting host value to: {new_host_val}");
    host.set_shared_value(new_host_val);
    new_host_val
}

pub fn add_points(p1: Point, p2: Point) -> Point {
    println!("[WASM Core] add_points called with p1: {p1:?}, p2: {p2:?}");
    Point {
        x: p1.x.wrapping_add(p2.x),
        y: p1.y.wrapping_add(p2.y),
    }
}

/// Prints the plugin's internal shared value (which the host may have
/// written directly into linear memory), then adds.
pub fn perform_simple_add_and_read_internal_state(
    left: u64,
    right: u64,
    current_plugin_val: i32,
) -> u64 {
    println!("[WASM Core] Current plugin's internal shared value: {current_plugin_val}");
    println!("[WASM Core] Performing simple add: {left} + {right}");
    left.wrapping_add(right)
}

// --- Buffers shared with the host. ---------------------------------------

/// The layout of a block the host asks for with `guest_alloc(size, align)`
/// and gives back with `guest_free(ptr, size, align)`: `None` unless `align`
/// is a power of two and `size` rounded up to it fits in `isize`.
pub fn buffer_layout(size: usize, align: usize) -> Option<Layout> {
    Layout::from_size_align(size, align).ok()
}

/// A `(pointer, length)` pair returned to the host in one `i64`: the offset
/// in the high 32 bits, the length in the low 32 bits. `0` (a null pointer)
/// means "no result".
pub fn pack_slice(offset: u32, len: u32) -> u64 {
    (u64::from(offset) << 32) | u64::from(len)
}

/// The inverse of [`pack_slice`].
pub fn unpack_slice(packed: u64) -> (u32, u32) {
    // Both halves fit in u32 by construction: the casts drop nothing.
    ((packed >> 32) as u32, (packed & 0xFFFF_FFFF) as u32)
}

/// The `strings` scenario's transformation: the characters in reverse order,
/// upper-cased (`"Grüße 🦀"` becomes `"🦀 ESSÜRG"`). Works on `char`s, so
/// multi-byte UTF-8 sequences stay intact; the result may be longer than the
/// input (`ß` becomes `SS`).
pub fn transform_text(input: &str) -> String {
    let output: String = input.chars().rev().flat_map(char::to_uppercase).collect();
    println!("[WASM Core] transform_text: {input:?} -> {output:?}");
    output
}

// --- The plugin's own bookkeeping, shown by the debug view. ---------------

/// How many `Point`s [`GuestState`] remembers (the most recent ones).
pub const POINTS_REMEMBERED: usize = 16;

/// How often each export was called.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "debug-json", derive(serde::Serialize))]
pub struct CallCounters {
    pub just_add: u32,
    pub trigger_host_calls: u32,
    pub point_add: u32,
    pub simple_add: u32,
    pub get_plugin_shared_value_ptr: u32,
    pub transform_string: u32,
    pub guest_alloc: u32,
    pub guest_free: u32,
}

/// What the plugin has seen so far. Plain data: the FFI layer keeps one and
/// updates it from the exports.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "debug-json", derive(serde::Serialize))]
pub struct GuestState {
    /// The `Point`s passed to `point_add`, oldest first, at most
    /// [`POINTS_REMEMBERED`].
    pub points_seen: VecDeque<Point>,
    pub calls: CallCounters,
    /// The value the guest last stored into the host (`host_set_shared_value`).
    pub host_value_last_set: Option<i32>,
    /// Blocks handed to the host (by `guest_alloc` or as a returned string)
    /// and not yet given back with `guest_free`.
    pub buffers_outstanding: i64,
}

impl GuestState {
    pub const fn new() -> Self {
        Self {
            points_seen: VecDeque::new(),
            calls: CallCounters {
                just_add: 0,
                trigger_host_calls: 0,
                point_add: 0,
                simple_add: 0,
                get_plugin_shared_value_ptr: 0,
                transform_string: 0,
                guest_alloc: 0,
                guest_free: 0,
            },
            host_value_last_set: None,
            buffers_outstanding: 0,
        }
    }

    pub fn record_point(&mut self, point: Point) {
        if self.points_seen.len() == POINTS_REMEMBERED {
            self.points_seen.pop_front();
        }
        self.points_seen.push_back(point);
    }

    pub fn record_buffer_handed_out(&mut self) {
        self.buffers_outstanding += 1;
    }

    pub fn record_buffer_given_back(&mut self) {
        self.buffers_outstanding -= 1;
    }
}

/// The debug view: the plugin value (which lives in linear memory, where the
/// host may have written it) next to the rest of the state.
#[cfg(feature = "debug-json")]
#[derive(serde::Serialize)]
struct DebugView<'a> {
    plugin_value: i32,
    #[serde(flatten)]
    state: &'a GuestState,
}

/// The state as one line of JSON, for `host --dump-state`.
#[cfg(feature = "debug-json")]
pub fn debug_state_json(state: &GuestState, plugin_value: i32) -> String {
    // Serializing plain data into a String cannot fail; an error here would be
    // a bug in this crate, so it is reported in the output instead of a panic.
    serde_json::to_string(&DebugView {
        plugin_value,
        state,
    })
    .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"))
}

// --- Quiet functions for the benchmark (`host-bench`): they print nothing. ---

/// The benchmark's host-to-guest call: as cheap as a call can be.
pub fn bench_add(left: i32, right: i32) -> i32 {
    left.wrapping_add(right)
}

/// Calls the host `n` times with `0, 1, ..., n - 1` and returns the wrapping
/// sum of its answers (`n * (n - 1) / 2` for a host that echoes).
pub fn call_host_repeatedly(host: &mut impl HostEnv, n: i32) -> i32 {
    (0..n.max(0)).fold(0i32, |sum, i| sum.wrapping_add(host.echo(i)))
}

/// Largest `limit` [`collatz_total_steps`] accepts; larger ones are clamped.
/// Every trajectory starting below it stays under 2^40, far from overflow.
pub const COLLATZ_MAX_LIMIT: u32 = 10_000_000;

/// The compute kernel, run as wasm and natively: the total number of Collatz
/// steps (`n / 2` or `3n + 1` until 1) over every start value in `1..=limit`.
/// Scalar integer work with data-dependent branches and no memory traffic.
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

    /// Test double for the host: records every call and keeps the state.
    struct RecordingHost {
        shared_value: i32,
        logged: Vec<i32>,
        sets: Vec<i32>,
        echoed: Vec<i32>,
    }

    impl RecordingHost {
        fn with_value(shared_value: i32) -> Self {
            Self {
                shared_value,
                logged: Vec::new(),
                sets: Vec::new(),
                echoed: Vec::new(),
            }
        }
    }

    impl HostEnv for RecordingHost {
        fn log_value(&mut self, value: i32) {
            self.logged.push(value);
        }
        fn get_shared_value(&mut self) -> i32 {
            self.shared_value
        }
        fn set_shared_value(&mut self, value: i32) {
            self.sets.push(value);
            self.shared_value = value;
        }
        fn echo(&mut self, value: i32) -> i32 {
            self.echoed.push(value);
            value
        }
    }

    #[test]
    fn basic_add_adds_and_wraps() {
        assert_eq!(perform_basic_add(15, 27), 42);
        assert_eq!(perform_basic_add(u64::MAX, 2), 1);
    }

    #[test]
    fn host_calls_follow_the_article() {
        let mut host = RecordingHost::with_value(42);
        let stored = perform_host_calls_test(&mut host, 7);
        assert_eq!(host.logged, vec![14]);
        assert_eq!(host.sets, vec![54]);
        assert_eq!(stored, 54);
        assert_eq!(host.shared_value, 54);
    }

    #[test]
    fn host_calls_wrap_instead_of_overflowing() {
        let mut host = RecordingHost::with_value(i32::MAX);
        let stored = perform_host_calls_test(&mut host, i32::MAX);
        assert_eq!(host.logged, vec![i32::MAX.wrapping_mul(2)]);
        assert_eq!(stored, i32::MAX.wrapping_add(i32::MAX).wrapping_add(5));
    }

    #[test]
    fn points_add_componentwise_and_wrap() {
        let sum = add_points(Point { x: 100, y: 200 }, Point { x: 30, y: 70 });
        assert_eq!(sum, Point { x: 130, y: 270 });
        let wrapped = add_points(
            Point {
                x: i32::MAX,
                y: i32::MIN,
            },
            Point { x: 1, y: -1 },
        );
        assert_eq!(
            wrapped,
            Point {
                x: i32::MIN,
                y: i32::MAX
            }
        );
    }

    #[test]
    fn point_layout_is_two_packed_i32() {
        assert_eq!(std::mem::size_of::<Point>(), 8);
        assert_eq!(std::mem::offset_of!(Point, x), 0);
        assert_eq!(std::mem::offset_of!(Point, y), 4);
    }

    #[test]
    fn simple_add_returns_the_sum() {
        assert_eq!(perform_simple_add_and_read_internal_state(1, 1, 777), 2);
    }

    #[test]
    fn buffer_layout_accepts_powers_of_two_only() {
        let layout = buffer_layout(24, 4).expect("valid layout");
        assert_eq!((layout.size(), layout.align()), (24, 4));
        assert_eq!(buffer_layout(0, 1).map(|l| l.size()), Some(0));
        assert!(buffer_layout(8, 3).is_none());
        assert!(buffer_layout(8, 0).is_none());
        assert!(buffer_layout(usize::MAX, 8).is_none());
    }

    #[test]
    fn slices_pack_offset_high_and_length_low() {
        assert_eq!(pack_slice(0x0010_2030, 5), 0x0010_2030_0000_0005);
        assert_eq!(
            unpack_slice(pack_slice(u32::MAX, u32::MAX)),
            (u32::MAX, u32::MAX)
        );
        assert_eq!(unpack_slice(0), (0, 0));
    }

    #[test]
    fn transform_reverses_characters_and_upper_cases() {
        assert_eq!(
            transform_text("Grüße vom 🦀 an C++ ✓"),
            "✓ ++C NA 🦀 MOV ESSÜRG"
        );
        assert_eq!(transform_text("é"), "É");
        assert_eq!(transform_text(""), "");
        // ß upper-cases to two characters: the output can be longer.
        assert_eq!(transform_text("ß").chars().count(), 2);
    }

    #[test]
    fn state_remembers_the_most_recent_points() {
        let mut state = GuestState::new();
        for i in 0..20 {
            state.record_point(Point { x: i, y: -i });
        }
        assert_eq!(state.points_seen.len(), POINTS_REMEMBERED);
        assert_eq!(state.points_seen.front(), Some(&Point { x: 4, y: -4 }));
        assert_eq!(state.points_seen.back(), Some(&Point { x: 19, y: -19 }));
    }

    #[test]
    fn state_counts_outstanding_buffers() {
        let mut state = GuestState::new();
        state.record_buffer_handed_out();
        state.record_buffer_handed_out();
        state.record_buffer_given_back();
        assert_eq!(state.buffers_outstanding, 1);
        assert_eq!(GuestState::new(), GuestState::default());
    }

    #[cfg(feature = "debug-json")]
    #[test]
    fn debug_state_is_one_line_of_json() {
        let mut state = GuestState::new();
        state.record_point(Point { x: 100, y: 200 });
        state.calls.point_add = 1;
        state.host_value_last_set = Some(54);
        let json = debug_state_json(&state, 777);
        assert_eq!(
            json,
            concat!(
                r#"{"plugin_value":777,"points_seen":[{"x":100,"y":200}],"#,
                r#""calls":{"just_add":0,"trigger_host_calls":0,"point_add":1,"simple_add":0,"#,
                r#""get_plugin_shared_value_ptr":0,"transform_string":0,"guest_alloc":0,"#,
                r#""guest_free":0},"host_value_last_set":54,"buffers_outstanding":0}"#
            )
        );
    }

    #[test]
    fn bench_add_wraps() {
        assert_eq!(bench_add(40, 2), 42);
        assert_eq!(bench_add(i32::MAX, 1), i32::MIN);
    }

    #[test]
    fn call_host_repeatedly_calls_n_times_and_sums() {
        let mut host = RecordingHost::with_value(0);
        assert_eq!(call_host_repeatedly(&mut host, 5), 10);
        assert_eq!(host.echoed, vec![0, 1, 2, 3, 4]);
        assert_eq!(call_host_repeatedly(&mut host, 0), 0);
        assert_eq!(call_host_repeatedly(&mut host, -3), 0);
        assert_eq!(host.echoed.len(), 5);
        assert!(host.logged.is_empty() && host.sets.is_empty());
    }

    #[test]
    fn call_host_repeatedly_wraps_like_the_host_expects() {
        let mut host = RecordingHost::with_value(0);
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
