//! The glue between world `plugin` (wit/plugin.wit) and `core`: the
//! generated bindings, and conversions only. No logic lives here beyond
//! choosing which `core` (or, with `hostile`, which `hostile`) function
//! an export calls.

use std::cell::RefCell;
use std::sync::Mutex;

use crate::core;

wit_bindgen::generate!({
    path: "../wit",
    world: "plugin",
});

use exports::wasmhost::plugin::counters::{Guest as CountersGuest, GuestCounter};
use wasmhost::plugin::host;
// The world's `use types.{...}` puts point, summary, parse-error, shape and
// checks at the world's root: here.

/// The plugin value of this instance (patterns 4 and 5). A component
/// instance runs one call at a time; the Mutex only makes the static safe.
static PLUGIN_VALUE: Mutex<core::PluginValue> = Mutex::new(core::PluginValue::new());

fn plugin_value() -> std::sync::MutexGuard<'static, core::PluginValue> {
    // A panic while the lock is held traps the instance, which is then
    // unusable: a poisoned lock is never seen by a later call.
    PLUGIN_VALUE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `core::HostEnv` over the imported interface `host`.
struct ImportedHost;

impl core::HostEnv for ImportedHost {
    fn log_value(&mut self, value: i32) {
        host::log_value(value);
    }
    fn get_shared_value(&mut self) -> i32 {
        host::get_shared_value()
    }
    fn set_shared_value(&mut self, value: i32) {
        host::set_shared_value(value);
    }
}

/// `core::JournalHost` over the host's resource `journal`.
struct ImportedJournals;

impl core::JournalHost for ImportedJournals {
    type Journal = host::Journal;
    fn create(&mut self, title: &str) -> host::Journal {
        host::Journal::new(title)
    }
    fn append(&mut self, journal: &host::Journal, line: &str) {
        journal.append(line);
    }
    fn len(&mut self, journal: &host::Journal) -> u32 {
        journal.len()
    }
}

fn to_core(p: Point) -> core::Point {
    core::Point { x: p.x, y: p.y }
}

fn from_core(p: core::Point) -> Point {
    Point { x: p.x, y: p.y }
}

struct Component;

impl Guest for Component {
    fn just_add(left: u64, right: u64) -> u64 {
        #[cfg(feature = "hostile")]
        match crate::hostile::add_misbehaviour(left) {
            Some(crate::hostile::Misbehaviour::Trap) => crate::hostile::trap(),
            Some(crate::hostile::Misbehaviour::Spin) => crate::hostile::spin(),
            Some(crate::hostile::Misbehaviour::Panic) => crate::hostile::panic_on_purpose(),
            None => {}
        }
        core::perform_basic_add(left, right)
    }

    fn trigger_host_calls(input: i32) {
        core::perform_host_calls_test(&mut ImportedHost, input);
    }

    fn point_add(a: Point, b: Point) -> Point {
        from_core(core::add_points(to_core(a), to_core(b)))
    }

    fn get_plugin_value() -> i32 {
        plugin_value().get()
    }

    fn set_plugin_value(value: i32) {
        plugin_value().set(value);
    }

    fn simple_add(left: u64, right: u64) -> u64 {
        let current = plugin_value().get();
        core::perform_simple_add_and_read_internal_state(left, right, current)
    }

    fn transform_string(text: String) -> String {
        #[cfg(feature = "hostile")]
        if crate::hostile::floods_output(&text) {
            crate::hostile::flood_output();
        }
        core::transform_text(&text)
    }

    fn summarize(values: Vec<i32>) -> Option<Summary> {
        core::summarize(&values).map(|s| Summary {
            min: s.min,
            max: s.max,
            sum: s.sum,
            count: s.count,
        })
    }

    fn parse_point(text: String) -> Result<Point, ParseError> {
        core::parse_point(&text)
            .map(from_core)
            .map_err(|e| match e {
                core::ParseError::Empty => ParseError::Empty,
                core::ParseError::NotANumber(field) => ParseError::NotANumber(field),
                core::ParseError::WrongFieldCount(n) => ParseError::WrongFieldCount(n),
            })
    }

    fn classify(p: Point) -> Shape {
        match core::classify(to_core(p)) {
            core::Shape::Dot => Shape::Dot,
            core::Shape::Line => Shape::Line,
            core::Shape::Area => Shape::Area,
        }
    }

    fn check(value: i32) -> Checks {
        let c = core::check(value);
        let mut flags = Checks::empty();
        flags.set(Checks::POSITIVE, c.positive);
        flags.set(Checks::EVEN, c.even);
        flags.set(Checks::SMALL, c.small);
        flags
    }

    fn fill_journal(title: String, lines: Vec<String>) -> u32 {
        #[cfg(feature = "hostile")]
        match crate::hostile::journal_flood(&title) {
            Some(crate::hostile::JournalFlood::Lines) => {
                crate::hostile::flood_lines(&mut ImportedJournals)
            }
            Some(crate::hostile::JournalFlood::Journals) => {
                crate::hostile::flood_journals(&mut ImportedJournals)
            }
            None => {}
        }
        core::fill_journal(&mut ImportedJournals, &title, &lines)
    }
}

/// The guest resource `counter`: `core::Counter` behind a RefCell (the
/// generated trait takes `&self`; calls on one instance never overlap).
struct Counter(RefCell<core::Counter>);

impl GuestCounter for Counter {
    fn new(start: i64) -> Self {
        Self(RefCell::new(core::Counter::new(start)))
    }
    fn increment(&self, by: i64) -> i64 {
        self.0.borrow_mut().increment(by)
    }
    fn value(&self) -> i64 {
        self.0.borrow().value()
    }
}

impl CountersGuest for Component {
    type Counter = Counter;
}

export!(Component);
