//! The boundary with the C++ host: imports from `env`, exported functions and
//! the plugin's raw state. Every `unsafe` of the guest lives in this file.

use std::alloc::{alloc, dealloc};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::core::{self, GuestState, HostEnv};

pub use crate::core::Point;

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    fn host_log_value(value: i32);
    fn host_get_shared_value() -> i32;
    fn host_set_shared_value(value: i32);
    fn host_bench_echo(value: i32) -> i32;
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

pub fn echo_from_host(value: i32) -> i32 {
    // SAFETY: as above.
    unsafe { host_bench_echo(value) }
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
    fn echo(&mut self, value: i32) -> i32 {
        echo_from_host(value)
    }
}

/// The plugin's internal state, which pattern four lets the host overwrite.
static mut PLUGIN_SHARED_VALUE: i32 = 100;

pub(crate) fn read_plugin_value_internal() -> i32 {
    // SAFETY: wasm32-wasip1 is single-threaded; this copies the value and
    // never creates a reference to the `static mut`.
    unsafe { PLUGIN_SHARED_VALUE }
}

/// The plugin's bookkeeping, shown by the debug view.
static STATE: Mutex<GuestState> = Mutex::new(GuestState::new());

fn state() -> MutexGuard<'static, GuestState> {
    // wasm32-wasip1 has one thread and panics abort, so the lock is never
    // contended or poisoned; recover the data if it ever were.
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
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

// --- Buffers shared with the host (the safe alternative to fixed offsets). --

/// Allocates `size` bytes aligned to `align` with the guest's own allocator
/// and returns their offset, or null when the layout is invalid or memory is
/// exhausted. A zero-sized block is a non-null dangling offset (`align`); it
/// allocates nothing. The host gives every block back with `guest_free`.
#[unsafe(no_mangle)]
pub extern "C" fn guest_alloc(size: usize, align: usize) -> *mut u8 {
    let mut seen = state();
    seen.calls.guest_alloc += 1;
    let Some(layout) = core::buffer_layout(size, align) else {
        return std::ptr::null_mut();
    };
    let ptr = if layout.size() == 0 {
        std::ptr::without_provenance_mut(layout.align())
    } else {
        // SAFETY: the layout has a non-zero size.
        unsafe { alloc(layout) }
    };
    if !ptr.is_null() {
        seen.record_buffer_handed_out();
    }
    ptr
}

/// Gives back a block from `guest_alloc` or a returned string.
///
/// # Safety
/// `ptr`, `size` and `align` must be exactly those of a block this guest
/// handed out and not yet freed. Null pointers and invalid layouts are ignored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn guest_free(ptr: *mut u8, size: usize, align: usize) {
    let mut seen = state();
    seen.calls.guest_free += 1;
    let Some(layout) = core::buffer_layout(size, align) else {
        return;
    };
    if ptr.is_null() {
        return;
    }
    if layout.size() != 0 {
        // SAFETY: the caller vouches that `ptr` was allocated with `layout`.
        unsafe { dealloc(ptr, layout) };
    }
    seen.record_buffer_given_back();
}

/// Hands `text` to the host as a packed `(offset, length)` block that the
/// host frees with `guest_free(offset, length, 1)`.
fn return_string(text: String) -> u64 {
    let bytes = text.into_boxed_str().into_boxed_bytes();
    let len = bytes.len();
    // A `Box<[u8]>` of `len` bytes was allocated with the layout (len, 1)
    // (nothing for len 0), which is what `guest_free` will deallocate.
    let ptr = Box::into_raw(bytes).cast::<u8>();
    state().record_buffer_handed_out();
    // wasm32: offsets and lengths are 32 bits wide.
    core::pack_slice(ptr.addr() as u32, len as u32)
}

/// Reads the host's UTF-8 string at `ptr` (`len` bytes) and returns the
/// transformed copy (`core::transform_text`) as a packed `(offset, length)`
/// that the host must free with `guest_free`. Returns 0 when `ptr` is null or
/// the bytes are not UTF-8.
///
/// # Safety
/// `ptr` must point at `len` readable bytes of linear memory (a block from
/// `guest_alloc`). An offset outside memory traps, it never reaches host memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn transform_string(ptr: *const u8, len: usize) -> u64 {
    state().calls.transform_string += 1;
    println!("[WASM FFI] transform_string called with {len} bytes");
    if ptr.is_null() {
        println!("[WASM FFI] Error: Received null pointer.");
        return 0;
    }
    // SAFETY: non-null, and the caller vouches for the rest (see above).
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    match std::str::from_utf8(bytes) {
        Ok(text) => return_string(core::transform_text(text)),
        Err(error) => {
            println!("[WASM FFI] Error: the input is not UTF-8: {error}");
            0
        }
    }
}

/// The debug view: the guest's state as JSON, a packed `(offset, length)` the
/// host frees with `guest_free`. Debug only: the host never relies on it.
#[cfg(feature = "debug-json")]
#[unsafe(no_mangle)]
pub extern "C" fn guest_debug_state() -> u64 {
    let json = core::debug_state_json(&state(), read_plugin_value_internal());
    return_string(json)
}

/// Exports that misbehave on purpose (feature `hostile`); the logic is in
/// `crate::hostile`.
#[cfg(feature = "hostile")]
mod hostile_exports {
    use super::{log_value_from_host, set_shared_value_in_host};
    use crate::hostile;

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_panic() {
        hostile::panic_on_purpose();
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_recurse(depth: u64) -> u64 {
        hostile::recurse(depth)
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_spin() {
        hostile::spin();
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_spin_calling_host() {
        hostile::spin_calling_host(set_shared_value_in_host);
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_grow_memory(pages: i32) -> i32 {
        hostile::grow_memory(pages)
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_allocate(mib: i32) -> i32 {
        hostile::allocate(mib)
    }

    /// Writes through a pointer far outside linear memory: a trap in the
    /// guest, the host's memory is never touched.
    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_write_bad_pointer() {
        let pointer = 0xFFFF_FFF0_usize as *mut u64;
        // SAFETY: none; this is the point. Wasm bounds-checks the store,
        // which traps (out of bounds memory access) instead of writing.
        unsafe { pointer.write_volatile(0x0BAD_0BAD_0BAD_0BAD) };
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_open_file() -> i32 {
        hostile::open_file("/etc/passwd")
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_count_env_and_args() -> i32 {
        hostile::count_env_and_args()
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn hostile_flood_host_log(count: i32) {
        hostile::flood_log(count, log_value_from_host);
    }
}

// --- Exports for the benchmark (`host-bench`, `bench-rs`). They print nothing,
// so that what is measured is the call, not WASI's stdout. ---

/// Host-to-guest call cost: `left + right`, wrapping.
#[unsafe(no_mangle)]
pub extern "C" fn bench_add(left: i32, right: i32) -> i32 {
    core::bench_add(left, right)
}

/// Guest-to-host call cost: calls `env::host_bench_echo` `n` times and
/// returns the wrapping sum of the answers.
#[unsafe(no_mangle)]
pub extern "C" fn bench_call_host(n: i32) -> i32 {
    core::call_host_repeatedly(&mut ImportedHost, n)
}

/// The compute kernel: total Collatz steps over `1..=limit` (negative: 0).
#[unsafe(no_mangle)]
pub extern "C" fn bench_compute(limit: i32) -> i64 {
    core::collatz_total_steps(u32::try_from(limit).unwrap_or(0)) as i64
}
