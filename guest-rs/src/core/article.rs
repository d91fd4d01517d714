//! The article's logic (its `src/lib.rs::core`): the five interaction
//! patterns, in safe Rust. The host is reached through [`HostEnv`], so that
//! the tests below drive it with a recording double.

/// A point shared with the host through linear memory. `#[repr(C)]` fixes
/// the layout (two `i32`, 8 bytes, no padding) that the C++ `Point` mirrors.
#[repr(C)]
#[derive(Debug, Copy, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "debug-json", derive(serde::Serialize))]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// What the plugin needs from its host: the article's three `env` imports.
/// The FFI layer implements it over the imports; tests implement it with a
/// recording double.
pub trait HostEnv {
    fn log_value(&mut self, value: i32);
    fn get_shared_value(&mut self) -> i32;
    fn set_shared_value(&mut self, value: i32);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Test double for the host: records every call and keeps the state.
    struct RecordingHost {
        shared_value: i32,
        logged: Vec<i32>,
        sets: Vec<i32>,
    }

    impl RecordingHost {
        fn with_value(shared_value: i32) -> Self {
            Self {
                shared_value,
                logged: Vec::new(),
                sets: Vec::new(),
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
}
