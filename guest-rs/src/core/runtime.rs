//! The runtime guest's logic (feature `runtime`, guest-runtime.wasm): what
//! the host's runtime imports (`wasmhost::config_get`, `wasmhost::log`) and
//! WASI's capabilities look like from safe Rust. The imports are reached
//! through [`ConfigSource`], so the retry logic is tested natively.

use std::fmt::Display;
use std::io;

/// `config_get`'s answer for a key that is not configured.
pub const CONFIG_MISSING: i32 = -1;

/// The first buffer `config_get` offers; a longer value costs one more call
/// with a buffer of the length the host answered.
pub const CONFIG_FIRST_CAPACITY: usize = 64;

/// The host's `config_get(key, out) -> i32`: [`CONFIG_MISSING`], or the
/// value's length, the value copied into `out` when it fits (else nothing
/// written).
pub trait ConfigSource {
    fn config_get_into(&mut self, key: &str, out: &mut [u8]) -> i32;
}

/// The value of `key`, `None` when the host has none. A value longer than
/// the first buffer is asked for again with room for all of it (the host
/// said how long it is); bytes that are not UTF-8 are replaced (U+FFFD).
pub fn config_get(source: &mut impl ConfigSource, key: &str) -> Option<String> {
    let mut buffer = vec![0u8; CONFIG_FIRST_CAPACITY];
    // Twice at most for a host whose value does not change between calls;
    // a few more tolerate one that does.
    for _ in 0..4 {
        let answer = source.config_get_into(key, &mut buffer);
        let length = usize::try_from(answer).ok()?; // negative: missing
        if length <= buffer.len() {
            buffer.truncate(length);
            return Some(String::from_utf8_lossy(&buffer).into_owned());
        }
        buffer.resize(length, 0);
    }
    None
}

/// The levels of `wasmhost::log`, as the host numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}

/// An I/O error's kind in the words the host's tests look for:
/// "permission denied", "not found", "read-only", "not a directory", or
/// Rust's own wording of the kind.
pub fn describe_io_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "not found".to_owned(),
        io::ErrorKind::ReadOnlyFilesystem => "read-only".to_owned(),
        io::ErrorKind::NotADirectory => "not a directory".to_owned(),
        kind => kind.to_string(),
    }
}

/// `ok:<value>`, or `err:<kind>: <error>` (kind by [`describe_io_error`]):
/// how the runtime guest's file exports report to the host.
pub fn outcome<T: Display>(result: io::Result<T>) -> String {
    match result {
        Ok(value) => format!("ok:{value}"),
        Err(error) => format!("err:{}: {error}", describe_io_error(&error)),
    }
}

/// `NAME=value` lines, sorted by name, joined by `\n`.
pub fn env_listing(vars: impl Iterator<Item = (String, String)>) -> String {
    let mut lines: Vec<String> = vars
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    lines.sort();
    lines.join("\n")
}

/// The arguments joined by `\n`, in order.
pub fn args_listing(args: impl Iterator<Item = String>) -> String {
    args.collect::<Vec<_>>().join("\n")
}

/// `some:<value>` or `none`: how `runtime_config_get` reports to the host.
pub fn describe_config_value(value: Option<String>) -> String {
    value.map_or_else(|| "none".to_owned(), |value| format!("some:{value}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A host double that answers as `wasmhost::config_get` does and counts calls.
    struct FakeConfig {
        values: HashMap<String, Vec<u8>>,
        calls: usize,
    }

    impl FakeConfig {
        fn with(pairs: &[(&str, &[u8])]) -> Self {
            let values = pairs
                .iter()
                .map(|(key, value)| ((*key).to_owned(), value.to_vec()))
                .collect();
            Self { values, calls: 0 }
        }
    }

    impl ConfigSource for FakeConfig {
        fn config_get_into(&mut self, key: &str, out: &mut [u8]) -> i32 {
            self.calls += 1;
            let Some(value) = self.values.get(key) else {
                return CONFIG_MISSING;
            };
            if value.len() <= out.len() {
                out[..value.len()].copy_from_slice(value);
            }
            i32::try_from(value.len()).unwrap()
        }
    }

    #[test]
    fn a_present_key_is_read_in_one_call() {
        let mut host = FakeConfig::with(&[("greeting", b"hello")]);
        assert_eq!(config_get(&mut host, "greeting").as_deref(), Some("hello"));
        assert_eq!(host.calls, 1);
    }

    #[test]
    fn a_missing_key_is_none_and_an_empty_value_is_not() {
        let mut host = FakeConfig::with(&[("empty", b"")]);
        assert_eq!(config_get(&mut host, "absent"), None);
        assert_eq!(config_get(&mut host, "empty").as_deref(), Some(""));
    }

    #[test]
    fn a_long_value_takes_a_second_call_with_room_for_it() {
        let long = vec![b'x'; 10_000];
        let mut host = FakeConfig::with(&[("long", &long)]);
        let value = config_get(&mut host, "long").unwrap();
        assert_eq!(value.len(), 10_000);
        assert_eq!(host.calls, 2);
        let exact = vec![b'y'; CONFIG_FIRST_CAPACITY];
        let mut host = FakeConfig::with(&[("exact", &exact)]);
        assert_eq!(
            config_get(&mut host, "exact").unwrap().len(),
            CONFIG_FIRST_CAPACITY
        );
        assert_eq!(host.calls, 1);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced() {
        let mut host = FakeConfig::with(&[("bad", &[b'a', 0xFF, b'b'])]);
        assert_eq!(config_get(&mut host, "bad").as_deref(), Some("a\u{FFFD}b"));
    }

    #[test]
    fn io_errors_are_described_by_kind() {
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(describe_io_error(&denied), "permission denied");
        assert_eq!(
            describe_io_error(&io::Error::from(io::ErrorKind::NotFound)),
            "not found"
        );
        assert!(outcome::<u32>(Err(denied)).starts_with("err:permission denied: "));
        assert_eq!(outcome(Ok(3)), "ok:3");
    }

    #[test]
    fn listings_are_sorted_env_and_ordered_args() {
        let vars = [("B", "2"), ("A", "1")].map(|(n, v)| (n.to_owned(), v.to_owned()));
        assert_eq!(env_listing(vars.into_iter()), "A=1\nB=2");
        assert_eq!(env_listing(std::iter::empty()), "");
        let args = ["guest.wasm", "--x"].map(str::to_owned);
        assert_eq!(args_listing(args.into_iter()), "guest.wasm\n--x");
        assert_eq!(describe_config_value(None), "none");
        assert_eq!(describe_config_value(Some(String::new())), "some:");
    }
}
