//! Misbehaviour on purpose, for the host's fail-safety tests (feature
//! `hostile`). Safe Rust: the exports that reach these are in `ffi`.

use std::hint::black_box;

pub fn panic_on_purpose() -> ! {
    panic!("hostile guest: deliberate panic");
}

/// Recurses `depth` times; with a huge depth the wasm stack runs out first.
/// `black_box` keeps the compiler from turning the recursion into a loop.
pub fn recurse(depth: u64) -> u64 {
    if depth == 0 {
        return 0;
    }
    black_box(recurse(black_box(depth - 1))).wrapping_add(1)
}

/// Never returns on its own.
pub fn spin() -> ! {
    let mut counter: u64 = 0;
    loop {
        counter = black_box(counter.wrapping_add(1));
    }
}

/// Sleeps `milliseconds` through WASI (`std::thread::sleep`: one
/// `poll_oneoff` on a relative monotonic clock), then returns how long it
/// asked for. A long sleep is what a cancel must cut short.
pub fn sleep_ms(milliseconds: u32) -> u32 {
    std::thread::sleep(std::time::Duration::from_millis(u64::from(milliseconds)));
    milliseconds
}

/// Never returns on its own, and spends its time in calls to the host.
pub fn spin_calling_host(mut set_value: impl FnMut(i32)) -> ! {
    let mut counter: i32 = 0;
    loop {
        counter = counter.wrapping_add(1);
        set_value(counter);
    }
}

/// `memory.grow` by `pages`: the old size in pages, or -1 when refused.
#[cfg(target_arch = "wasm32")]
pub fn grow_memory(pages: i32) -> i32 {
    let old = core::arch::wasm32::memory_grow(0, pages.max(0) as usize);
    if old == usize::MAX {
        println!("[WASM Hostile] memory.grow({pages}) failed");
        -1
    } else {
        println!("[WASM Hostile] memory.grow({pages}) succeeded, old size {old} pages");
        old as i32
    }
}

/// Allocates and touches `mib` MiB; the allocator's failure aborts (a trap).
pub fn allocate(mib: i32) -> i32 {
    let bytes = usize::try_from(mib).unwrap_or(0) << 20;
    let block = vec![1u8; bytes];
    println!("[WASM Hostile] allocated {} bytes", block.len());
    i32::from(black_box(&block).iter().step_by(4096).any(|&b| b != 1))
}

/// Tries to open a host file through WASI. Returns the raw error code (0 if
/// the file opened, which the sandbox must not allow).
pub fn open_file(path: &str) -> i32 {
    match std::fs::File::open(path) {
        Ok(_) => {
            println!("[WASM Hostile] opened {path}");
            0
        }
        Err(error) => {
            eprintln!("[WASM Hostile] open {path}: {error}");
            error.raw_os_error().unwrap_or(-1)
        }
    }
}

/// How many environment variables and arguments the guest can see.
pub fn count_env_and_args() -> i32 {
    let count = std::env::vars_os().count() + std::env::args_os().count();
    println!("[WASM Hostile] environment variables + arguments: {count}");
    i32::try_from(count).unwrap_or(i32::MAX)
}

/// Logs `count` values to the host.
pub fn flood_log(count: i32, mut log: impl FnMut(i32)) {
    for value in 0..count {
        log(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurse_counts_its_depth() {
        assert_eq!(recurse(1000), 1000);
    }

    #[test]
    fn flood_log_logs_every_value() {
        let mut logged = Vec::new();
        flood_log(5, |value| logged.push(value));
        assert_eq!(logged, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn opening_a_missing_file_reports_its_error() {
        assert_ne!(open_file("/nonexistent/wasmhost-test"), 0);
    }
}
