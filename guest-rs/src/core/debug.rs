//! The debug view (feature `debug-json`): the guest's state as one line of
//! JSON, for `host --dump-state`. Debug only: the host never relies on it.

use super::GuestState;

/// The plugin value (which lives in linear memory, where the host may have
/// written it) next to the rest of the state.
#[derive(serde::Serialize)]
struct DebugView<'a> {
    plugin_value: i32,
    #[serde(flatten)]
    state: &'a GuestState,
}

/// The state as one line of JSON.
pub fn debug_state_json(state: &GuestState, plugin_value: i32) -> String {
    // Serializing plain data into a String cannot fail; an error here would be
    // a bug in this crate, so it is reported in the output instead of a panic.
    serde_json::to_string(&DebugView {
        plugin_value,
        state,
    })
    .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Point;

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
}
