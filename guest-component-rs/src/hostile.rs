//! Misbehaviour on purpose, for the host's fail-safety tests (feature
//! `hostile`, built as guest-component-hostile.wasm). The world is the same
//! as guest-component.wasm's; only these inputs of its exports misbehave
//! (any other input behaves normally, and without the feature these inputs
//! do too):
//!
//! | export | input | what happens |
//! | --- | --- | --- |
//! | `just-add` | `left == 1` | traps: the wasm `unreachable` instruction |
//! | `just-add` | `left == 2` | spins forever (never calls the host) |
//! | `just-add` | `left == 3` | panics with the message "hostile panic" (printed on stderr, then `unreachable`) |
//! | `fill-journal` | title "flood-lines" | appends "line 0", "line 1", ... to one journal forever: ends when a host call traps (the host refuses) |
//! | `fill-journal` | title "flood-journals" | creates journals ("journal 0", ...) forever, keeping every handle alive |
//! | `transform-string` | "flood-output" | prints "flood-output line N" on stdout forever: ends when a write fails (a panic) or the host stops it |
//!
//! Safe Rust, and the host is reached through [`JournalHost`] as in `core`:
//! the glue (`bindings`) only asks [`add_misbehaviour`], [`journal_flood`]
//! and [`floods_output`] which input is hostile and calls the matching
//! function.

use std::hint::black_box;

use crate::core::JournalHost;

/// What `just-add(left, _)` does instead of adding.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum Misbehaviour {
    Trap,
    Spin,
    Panic,
}

/// The misbehaviour of `just-add(left, _)`, if any: 1 traps, 2 spins, 3 panics.
pub fn add_misbehaviour(left: u64) -> Option<Misbehaviour> {
    match left {
        1 => Some(Misbehaviour::Trap),
        2 => Some(Misbehaviour::Spin),
        3 => Some(Misbehaviour::Panic),
        _ => None,
    }
}

/// What `fill-journal(title, _)` floods instead of filling one journal.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum JournalFlood {
    /// Lines into one journal ("flood-lines").
    Lines,
    /// New journals, every handle kept ("flood-journals").
    Journals,
}

pub fn journal_flood(title: &str) -> Option<JournalFlood> {
    match title {
        "flood-lines" => Some(JournalFlood::Lines),
        "flood-journals" => Some(JournalFlood::Journals),
        _ => None,
    }
}

/// Whether `transform-string(text)` prints forever instead.
pub fn floods_output(text: &str) -> bool {
    text == "flood-output"
}

/// The wasm `unreachable` instruction: a trap without a panic message.
#[cfg(target_arch = "wasm32")]
pub fn trap() -> ! {
    ::core::arch::wasm32::unreachable()
}

/// Never returns on its own. `black_box` keeps the optimiser from removing
/// the loop (an infinite loop without side effects is otherwise UB-free
/// but removable in LLVM's eyes).
pub fn spin() -> ! {
    let mut counter: u64 = 0;
    loop {
        counter = black_box(counter.wrapping_add(1));
    }
}

pub fn panic_on_purpose() -> ! {
    panic!("hostile panic");
}

/// Appends "line 0", "line 1", ... to one journal, forever.
pub fn flood_lines<H: JournalHost>(host: &mut H) -> ! {
    let journal = host.create("flood-lines");
    let mut n: u64 = 0;
    loop {
        host.append(&journal, &format!("line {n}"));
        n = n.wrapping_add(1);
    }
}

/// Creates journals "journal 0", "journal 1", ..., forever, keeping every
/// handle alive (the host's resource table only grows).
pub fn flood_journals<H: JournalHost>(host: &mut H) -> ! {
    let mut kept = Vec::new();
    loop {
        let title = format!("journal {}", kept.len());
        kept.push(host.create(&title));
    }
}

/// Prints "flood-output line N" forever.
pub fn flood_output() -> ! {
    let mut n: u64 = 0;
    loop {
        println!("flood-output line {n}");
        n = n.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_inputs_misbehave() {
        assert_eq!(add_misbehaviour(0), None);
        assert_eq!(add_misbehaviour(1), Some(Misbehaviour::Trap));
        assert_eq!(add_misbehaviour(2), Some(Misbehaviour::Spin));
        assert_eq!(add_misbehaviour(3), Some(Misbehaviour::Panic));
        assert_eq!(add_misbehaviour(4), None);
        assert_eq!(add_misbehaviour(u64::MAX), None);
        assert_eq!(journal_flood("flood-lines"), Some(JournalFlood::Lines));
        assert_eq!(
            journal_flood("flood-journals"),
            Some(JournalFlood::Journals)
        );
        assert_eq!(journal_flood("flood-lines "), None);
        assert_eq!(journal_flood("Flood-lines"), None);
        assert_eq!(journal_flood(""), None);
        assert!(floods_output("flood-output"));
        assert!(!floods_output("flood-output\n"));
        assert!(!floods_output(""));
    }

    #[test]
    #[should_panic(expected = "hostile panic")]
    fn the_panic_has_its_message() {
        panic_on_purpose();
    }

    /// A host that refuses after `limit` calls, as a real host does (there
    /// the refusal is a trap; here a panic ends the flood).
    struct RefusingHost {
        created: Vec<String>,
        appended: Vec<String>,
        limit: usize,
    }

    impl RefusingHost {
        fn count(&self) -> usize {
            self.created.len() + self.appended.len()
        }
    }

    impl JournalHost for RefusingHost {
        type Journal = usize;
        fn create(&mut self, title: &str) -> usize {
            assert!(self.count() < self.limit, "refused");
            self.created.push(title.to_owned());
            self.created.len() - 1
        }
        fn append(&mut self, _: &usize, line: &str) {
            assert!(self.count() < self.limit, "refused");
            self.appended.push(line.to_owned());
        }
        fn len(&mut self, _: &usize) -> u32 {
            0
        }
    }

    fn refusing(limit: usize) -> RefusingHost {
        RefusingHost {
            created: Vec::new(),
            appended: Vec::new(),
            limit,
        }
    }

    #[test]
    fn flood_lines_appends_numbered_lines_to_one_journal_until_refused() {
        let mut host = refusing(4);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            flood_lines(&mut host);
        }));
        assert!(result.is_err());
        assert_eq!(host.created, ["flood-lines"]);
        assert_eq!(host.appended, ["line 0", "line 1", "line 2"]);
    }

    #[test]
    fn flood_journals_creates_numbered_journals_until_refused() {
        let mut host = refusing(3);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            flood_journals(&mut host);
        }));
        assert!(result.is_err());
        assert_eq!(host.created, ["journal 0", "journal 1", "journal 2"]);
        assert!(host.appended.is_empty());
    }
}
