//! The plugin's own bookkeeping (what it has seen, how often each export was
//! called), shown by the debug view. Plain data: the FFI layer keeps one
//! [`GuestState`] and updates it from the exports.

use std::collections::VecDeque;

use super::Point;

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

/// What the plugin has seen so far.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
