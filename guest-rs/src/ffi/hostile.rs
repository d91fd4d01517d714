//! Exports that misbehave on purpose (feature `hostile`, built as
//! guest-hostile.wasm; never in guest.wasm). The logic is in `crate::hostile`.

use super::article::{log_value_from_host, set_shared_value_in_host};
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
pub extern "C" fn hostile_sleep_ms(milliseconds: u32) -> u32 {
    hostile::sleep_ms(milliseconds)
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
