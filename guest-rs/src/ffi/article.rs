//! The article's FFI layer (its `src/ffi.rs`): the three `env` imports and
//! their safe wrappers, the exports of the five patterns, and the plugin
//! state that pattern four lets the host overwrite.

use super::state;
use crate::core::{self, HostEnv};

pub use crate::core::Point;

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    fn host_log_value(value: i32);
    fn host_get_shared_value() -> i32;
    fn host_set_shared_value(value: i32);
}

pub fn log_value_from_host(value: i32) {
    // SAFETY: the host provides this import with the declared signature.
    unsafe { host_log_value(value) }
}

pub fn get_shared_value_from_host() -> i32 {
    // SAFETY: as above.
    unsafe { host_get_shared_value() }
}

pub fn set_shared_value_in_host(value: i32) {
    // SAFETY: as above.
    unsafe { host_set_shared_value(value) }
}

/// The real host, reached through the `env` imports.
struct ImportedHost;

impl HostEnv for ImportedHost {
    fn log_value(&mut self, value: i32) {
        log_value_from_host(value);
    }
    fn get_shared_value(&mut self) -> i32 {
        get_shared_value_from_host()
    }
    fn set_shared_value(&mut self, value: i32) {
        set_shared_value_in_host(value);
    }
}

/// The plugin's internal state, which pattern four lets the host overwrite.
static mut PLUGIN_SHARED_VALUE: i32 = 100;

pub(crate) fn read_plugin_value_internal() -> i32 {
    // SAFETY: wasm32-wasip1 is single-threaded; this copies the value and
    // never creates a reference to the `static mut`.
    unsafe { PLUGIN_SHARED_VALUE }
}

#[unsafe(no_mangle)]
pub extern "C" fn just_add(left: u64, right: u64) -> u64 {
    state().calls.just_add += 1;
    println!("[WASM FFI] just_add called with: {left} + {right}");
    let result = core::perform_basic_add(left, right);
    println!("[WASM FFI] just_add result: {result}");
    result
}

#[unsafe(no_mangle)]
pub extern "C" fn trigger_host_calls(input_val: i32) {
    state().calls.trigger_host_calls += 1;
    println!("[WASM FFI] trigger_host_calls called with input: {input_val}");
    let stored = core::perform_host_calls_test(&mut ImportedHost, input_val);
    state().host_value_last_set = Some(stored);
    println!("[WASM FFI] trigger_host_calls finished.");
}

/// Adds `*p1_ptr` and `*p2_ptr` into `*result_ptr`.
///
/// # Safety
/// The three pointers are offsets chosen by the host: each must be null or
/// point at 8 bytes inside linear memory. Alignment is not required. An
/// offset outside memory traps, it never reaches host memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn point_add(
    result_ptr: *mut Point,
    p1_ptr: *const Point,
    p2_ptr: *const Point,
) {
    state().calls.point_add += 1;
    println!("[WASM FFI] point_add called with pointers...");
    if result_ptr.is_null() || p1_ptr.is_null() || p2_ptr.is_null() {
        println!("[WASM FFI] Error: Received null pointer.");
        return;
    }
    // SAFETY: non-null, and the caller vouches for the rest (see above).
    let (p1, p2) = unsafe { (p1_ptr.read_unaligned(), p2_ptr.read_unaligned()) };
    let mut seen = state();
    seen.record_point(p1);
    seen.record_point(p2);
    drop(seen);
    let result = core::add_points(p1, p2);
    // SAFETY: as above.
    unsafe { result_ptr.write_unaligned(result) };
    println!("[WASM FFI] Wrote result to address {result_ptr:?}");
}

#[unsafe(no_mangle)]
pub extern "C" fn simple_add(left: u64, right: u64) -> u64 {
    state().calls.simple_add += 1;
    println!("[WASM FFI] simple_add (verification step) called...");
    core::perform_simple_add_and_read_internal_state(left, right, read_plugin_value_internal())
}

/// Returns the offset of the plugin's internal state in linear memory.
/// Shown for the tutorial's pattern four; real plugins should not do this.
#[unsafe(no_mangle)]
pub extern "C" fn get_plugin_shared_value_ptr() -> *mut i32 {
    state().calls.get_plugin_shared_value_ptr += 1;
    let ptr = &raw mut PLUGIN_SHARED_VALUE;
    println!("[WASM FFI] get_plugin_shared_value_ptr() -> {ptr:?}");
    ptr
}
