//! The runtime guest's boundary (feature `runtime`, built as
//! guest-runtime.wasm; never in guest.wasm): the imports of module
//! `wasmhost` (`config_get`, `log`) with their safe wrappers, and exports
//! that use WASI's capabilities (files, environment, arguments), the
//! configuration and the log, for the host's tests. Strings from the host
//! come as `(ptr, len)` of a block it allocated with `guest_alloc`; strings
//! to it go back packed (`return_string`), as `transform_string`'s do.

use super::buffers::return_string;
use crate::core::{self, ConfigSource, LogLevel};

#[link(wasm_import_module = "wasmhost")]
unsafe extern "C" {
    #[link_name = "config_get"]
    fn wasmhost_config_get(
        key_ptr: *const u8,
        key_len: usize,
        out_ptr: *mut u8,
        out_cap: usize,
    ) -> i32;
    #[link_name = "log"]
    fn wasmhost_log(level: i32, ptr: *const u8, len: usize);
}

/// The host's configuration, through `wasmhost::config_get`.
struct ImportedConfig;

impl ConfigSource for ImportedConfig {
    fn config_get_into(&mut self, key: &str, out: &mut [u8]) -> i32 {
        // SAFETY: both ranges are live Rust slices of this guest's memory;
        // the host reads `key` and writes at most `out.len()` bytes to `out`.
        unsafe { wasmhost_config_get(key.as_ptr(), key.len(), out.as_mut_ptr(), out.len()) }
    }
}

/// The host's configuration value of `key`, `None` when it has none.
pub fn config_get(key: &str) -> Option<String> {
    core::config_get(&mut ImportedConfig, key)
}

/// One line (or several, at line breaks) to the host's log at `level`.
pub fn log(level: LogLevel, message: &str) {
    // SAFETY: `message` is a live slice; the host only reads it.
    unsafe { wasmhost_log(level as i32, message.as_ptr(), message.len()) }
}

/// The host's `len` bytes at `ptr` as text (`None` unless UTF-8).
///
/// # Safety
/// `ptr` must point at `len` readable bytes (a `guest_alloc` block).
unsafe fn host_text<'a>(ptr: *const u8, len: usize) -> Option<&'a str> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: the caller vouches for the range.
    std::str::from_utf8(unsafe { std::slice::from_raw_parts(ptr, len) }).ok()
}

/// Reads the file at the host's path: `ok:<content>` or `err:<kind>: ...`
/// (`core::outcome`).
///
/// # Safety
/// `(path_ptr, path_len)` must be a block of the guest's memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runtime_read_file(path_ptr: *const u8, path_len: usize) -> u64 {
    // SAFETY: as documented.
    let Some(path) = (unsafe { host_text(path_ptr, path_len) }) else {
        return 0;
    };
    return_string(core::outcome(std::fs::read_to_string(path)))
}

/// Writes the host's text to the file at the host's path (created or
/// truncated): `ok:<bytes written>` or `err:<kind>: ...`.
///
/// # Safety
/// Both ranges must be blocks of the guest's memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runtime_write_file(
    path_ptr: *const u8,
    path_len: usize,
    data_ptr: *const u8,
    data_len: usize,
) -> u64 {
    // SAFETY: as documented.
    let (Some(path), Some(data)) = (unsafe { host_text(path_ptr, path_len) }, unsafe {
        host_text(data_ptr, data_len)
    }) else {
        return 0;
    };
    return_string(core::outcome(
        std::fs::write(path, data).map(|()| data.len()),
    ))
}

/// The environment the guest sees: `NAME=value` lines, sorted.
#[unsafe(no_mangle)]
pub extern "C" fn runtime_env() -> u64 {
    return_string(core::env_listing(std::env::vars()))
}

/// The arguments the guest sees (argv[0] first), one a line.
#[unsafe(no_mangle)]
pub extern "C" fn runtime_args() -> u64 {
    return_string(core::args_listing(std::env::args()))
}

#[unsafe(no_mangle)]
pub extern "C" fn runtime_args_count() -> i32 {
    i32::try_from(std::env::args_os().count()).unwrap_or(i32::MAX)
}

/// The configuration value of the host's key: `some:<value>` or `none`,
/// through the safe wrapper [`config_get`].
///
/// # Safety
/// `(key_ptr, key_len)` must be a block of the guest's memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runtime_config_get(key_ptr: *const u8, key_len: usize) -> u64 {
    // SAFETY: as documented.
    let Some(key) = (unsafe { host_text(key_ptr, key_len) }) else {
        return 0;
    };
    return_string(core::describe_config_value(config_get(key)))
}

/// `wasmhost::config_get` with the host's own arguments, unchecked: for the
/// host's tests of sizes and bad pointers. The guest reads nothing itself.
#[unsafe(no_mangle)]
pub extern "C" fn runtime_config_get_raw(
    key_ptr: usize,
    key_len: usize,
    out_ptr: usize,
    out_cap: usize,
) -> i32 {
    // SAFETY: the host checks every range against this guest's memory (a
    // bad one traps the call); nothing here dereferences them.
    unsafe {
        wasmhost_config_get(
            std::ptr::without_provenance(key_ptr),
            key_len,
            std::ptr::without_provenance_mut(out_ptr),
            out_cap,
        )
    }
}

/// `wasmhost::log` with the host's own arguments, unchecked (any level, any
/// range), for the host's tests.
#[unsafe(no_mangle)]
pub extern "C" fn runtime_log(level: i32, ptr: usize, len: usize) {
    // SAFETY: the host checks the level and the range (else it traps).
    unsafe { wasmhost_log(level, std::ptr::without_provenance(ptr), len) }
}

/// `count` lines `flood <i>` to the log at `Info`, through [`log`].
#[unsafe(no_mangle)]
pub extern "C" fn runtime_log_flood(count: i32) {
    for index in 0..count {
        log(LogLevel::Info, &format!("flood {index}"));
    }
}

/// Prints the host's text as one line to stdout (`to_stderr` 0) or stderr.
///
/// # Safety
/// `(ptr, len)` must be a block of the guest's memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runtime_print(ptr: *const u8, len: usize, to_stderr: i32) {
    // SAFETY: as documented.
    let Some(text) = (unsafe { host_text(ptr, len) }) else {
        return;
    };
    if to_stderr == 0 {
        println!("{text}");
    } else {
        eprintln!("{text}");
    }
}
