//! The plugin's logic, in safe Rust, one file per concern:
//!
//! - `article`: the article's five patterns ([`Point`], [`HostEnv`], [`PluginValue`]);
//! - `text`: `transform-string` ([`transform_text`]);
//! - `points`: `parse-point` and `classify` ([`ParseError`], [`Shape`]);
//! - `stats`: `summarize` and `check` ([`Summary`], [`Checks`]);
//! - `counter`: the guest resource `counter` ([`Counter`]);
//! - `journal`: `fill-journal` over the host's `journal` ([`JournalHost`]).
//!
//! No WIT type appears here and nothing is `unsafe`: the host is reached only
//! through traits, so every file is unit-tested natively (`cargo test`). The
//! glue (`bindings`) converts between these types and the generated ones.
//! All integer arithmetic wraps (two's complement), as the world says.

#![forbid(unsafe_code)]

/// The guest's narration (the `[WASM Core] ...` lines on its stdout): printed,
/// unless the cargo feature `quiet` leaves it out (`guest-component-bench.wasm`,
/// whose calls the benchmark times without the cost of formatting and WASI
/// writes).
/// Defined before the `mod` lines: in scope in every file below.
macro_rules! say {
    ($($arg:tt)*) => {
        if !cfg!(feature = "quiet") {
            println!($($arg)*);
        }
    };
}

mod article;
mod counter;
mod journal;
mod points;
mod stats;
mod text;

pub use article::{
    HostEnv, PLUGIN_VALUE_AT_START, PluginValue, Point, add_points, perform_basic_add,
    perform_host_calls_test, perform_simple_add_and_read_internal_state,
};
pub use counter::Counter;
pub use journal::{JournalHost, fill_journal};
pub use points::{ParseError, Shape, classify, parse_point};
pub use stats::{Checks, Summary, check, summarize};
pub use text::transform_text;
