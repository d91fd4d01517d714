//! The article's five patterns, the component-model way: the same logic
//! and narration as guest-rs's `core::article`, with the host reached
//! through [`HostEnv`] (the world's `host` imports) and the plugin's own
//! value kept in [`PluginValue`] (read and written through exports, never
//! through linear memory).

/// The world's `point` record, as the logic sees it.
#[derive(Debug, Copy, Clone, Default, PartialEq, Eq)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// What the plugin needs from its host: the three functions of the world's
/// `host` interface. The glue implements it over the imports; tests
/// implement it with a recording double.
pub trait HostEnv {
    fn log_value(&mut self, value: i32);
    fn get_shared_value(&mut self) -> i32;
    fn set_shared_value(&mut self, value: i32);
}

/// Pattern 1: `left + right`, wrapping.
pub fn perform_basic_add(left: u64, right: u64) -> u64 {
    say!("[WASM Core] perform_basic_add: {left} + {right}");
    left.wrapping_add(right)
}

/// Pattern 2: logs `input * 2`, reads the host's shared value `v` and
/// stores `v + input + 5` back into the host (all wrapping), in that order.
/// Returns the value it stored.
pub fn perform_host_calls_test(host: &mut impl HostEnv, input: i32) -> i32 {
    say!("[WASM Core] perform_host_calls_test with input: {input}");
    host.log_value(input.wrapping_mul(2));
    let host_val = host.get_shared_value();
    say!("[WASM Core] Received value from host: {host_val}");
    let new_host_val = host_val.wrapping_add(input).wrapping_add(5);
    say!("[WASM Core] Setting host value to: {new_host_val}");
    host.set_shared_value(new_host_val);
    new_host_val
}

/// Pattern 3: componentwise sum, wrapping.
pub fn add_points(a: Point, b: Point) -> Point {
    say!("[WASM Core] add_points called with p1: {a:?}, p2: {b:?}");
    Point {
        x: a.x.wrapping_add(b.x),
        y: a.y.wrapping_add(b.y),
    }
}

/// The plugin value before any `set-plugin-value`.
pub const PLUGIN_VALUE_AT_START: i32 = 100;

/// Patterns 4 and 5: the guest's own state, one per instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginValue {
    value: i32,
}

impl Default for PluginValue {
    fn default() -> Self {
        Self::new()
    }
}

impl PluginValue {
    /// Starts at [`PLUGIN_VALUE_AT_START`].
    pub const fn new() -> Self {
        Self {
            value: PLUGIN_VALUE_AT_START,
        }
    }
    pub fn get(&self) -> i32 {
        self.value
    }
    pub fn set(&mut self, value: i32) {
        self.value = value;
    }
}

/// Pattern 5: prints a line containing
/// "Current plugin's internal shared value: N" (N = `current_plugin_val`),
/// then returns `left + right`, wrapping.
pub fn perform_simple_add_and_read_internal_state(
    left: u64,
    right: u64,
    current_plugin_val: i32,
) -> u64 {
    say!("[WASM Core] Current plugin's internal shared value: {current_plugin_val}");
    say!("[WASM Core] Performing simple add: {left} + {right}");
    left.wrapping_add(right)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test double for the host: records every call, in order, and keeps the state.
    #[derive(Default)]
    struct RecordingHost {
        shared_value: i32,
        calls: Vec<String>,
    }

    impl HostEnv for RecordingHost {
        fn log_value(&mut self, value: i32) {
            self.calls.push(format!("log {value}"));
        }
        fn get_shared_value(&mut self) -> i32 {
            self.calls.push("get".to_owned());
            self.shared_value
        }
        fn set_shared_value(&mut self, value: i32) {
            self.calls.push(format!("set {value}"));
            self.shared_value = value;
        }
    }

    #[test]
    fn basic_add_adds_and_wraps() {
        assert_eq!(perform_basic_add(15, 27), 42);
        assert_eq!(perform_basic_add(0, 0), 0);
        assert_eq!(perform_basic_add(u64::MAX, 1), 0);
        assert_eq!(perform_basic_add(u64::MAX, u64::MAX), u64::MAX - 1);
    }

    #[test]
    fn host_calls_log_then_get_then_set() {
        let mut host = RecordingHost {
            shared_value: 42,
            ..Default::default()
        };
        assert_eq!(perform_host_calls_test(&mut host, 7), 54);
        assert_eq!(host.calls, ["log 14", "get", "set 54"]);
        assert_eq!(host.shared_value, 54);
    }

    #[test]
    fn host_calls_wrap_instead_of_overflowing() {
        let mut host = RecordingHost {
            shared_value: i32::MAX,
            ..Default::default()
        };
        let stored = perform_host_calls_test(&mut host, i32::MAX);
        // i32::MAX * 2 wraps to -2; MAX + MAX + 5 wraps to 3.
        assert_eq!(host.calls, ["log -2", "get", "set 3"]);
        assert_eq!(stored, 3);

        let mut host = RecordingHost {
            shared_value: i32::MIN,
            ..Default::default()
        };
        assert_eq!(perform_host_calls_test(&mut host, -6), i32::MAX);
        assert_eq!(host.calls[0], "log -12");
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
    fn plugin_value_starts_at_100_and_keeps_what_is_set() {
        let mut value = PluginValue::default();
        assert_eq!(value.get(), 100);
        value.set(-5);
        assert_eq!(value.get(), -5);
        value.set(i32::MIN);
        assert_eq!(value.get(), i32::MIN);
    }

    #[test]
    fn simple_add_returns_the_wrapping_sum() {
        assert_eq!(perform_simple_add_and_read_internal_state(1, 1, 777), 2);
        assert_eq!(
            perform_simple_add_and_read_internal_state(u64::MAX, 3, 0),
            2
        );
    }
}
