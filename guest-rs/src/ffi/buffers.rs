//! Buffers shared with the host, the safe alternative to fixed offsets:
//! blocks from the guest's own allocator (`guest_alloc`, `guest_free`) and
//! strings both ways (`transform_string`, returned strings).

use std::alloc::{alloc, dealloc};

use super::state;
use crate::core;

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
pub(crate) fn return_string(text: String) -> u64 {
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
