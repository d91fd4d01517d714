//! The debug view (feature `debug-json`): `host --dump-state` reads it.

use super::article::read_plugin_value_internal;
use super::buffers::return_string;
use super::state;
use crate::core;

/// The guest's state as JSON, a packed `(offset, length)` the host frees with
/// `guest_free`. Debug only: the host never relies on it.
#[unsafe(no_mangle)]
pub extern "C" fn guest_debug_state() -> u64 {
    let json = core::debug_state_json(&state(), read_plugin_value_internal());
    return_string(json)
}
