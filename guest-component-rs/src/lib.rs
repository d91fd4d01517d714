//! Component Model guest of wasmhost: world `plugin` of `wit/plugin.wit`
//! (package `wasmhost:plugin@0.1.0`), built for wasm32-wasip2, where a
//! cdylib is a component (guest-component.wasm).
//!
//! `core` is the plugin's logic in safe Rust, without any WIT type: it
//! reaches the host only through traits ([`core::HostEnv`],
//! [`core::JournalHost`]), so it is unit-tested natively (`cargo test`).
//! `bindings` (wasm32 only) is the thin glue: `wit_bindgen::generate!` of
//! the world and the conversions between the generated types and `core`'s.
//!
//! What reaches the host: the exports of the world (`just-add`,
//! `trigger-host-calls`, `point-add`, `get-plugin-value`,
//! `set-plugin-value`, `simple-add`, `transform-string`, `summarize`,
//! `parse-point`, `classify`, `check`, `fill-journal`) and the interface
//! `wasmhost:plugin/counters@0.1.0` (resource `counter`); it imports
//! `wasmhost:plugin/host@0.1.0` and WASIp2 (stdout for `println!`). The
//! five article patterns print the same `[WASM Core]` narration as
//! guest-rs (simple-add's line contains "Current plugin's internal shared
//! value: N"), and so does transform-string.
//!
//! Cargo feature `hostile` (guest-component-hostile.wasm): inputs that
//! misbehave on purpose, for the host's fail-safety tests: `just-add(1, _)`
//! traps (`unreachable`), `just-add(2, _)` spins forever, `just-add(3, _)`
//! panics with "hostile panic"; `fill-journal("flood-lines", _)` appends
//! lines to one journal forever, `fill-journal("flood-journals", _)`
//! creates journals forever keeping every handle; `transform-string
//! ("flood-output")` prints lines forever. See [`hostile`]. Without the
//! feature these inputs behave normally.

pub mod core;
#[cfg(feature = "hostile")]
pub mod hostile;

#[cfg(target_arch = "wasm32")]
mod bindings;
