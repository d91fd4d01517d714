//! Test-only Component Model guest (guest-echo.wasm): world `echo` of
//! ctest/wit/echo.wit, for the host's unit tests of every C++ <-> WIT type
//! mapping. For each kind K: `echo-K(x)` returns `host-K(x)` (the import,
//! so one call crosses the canonical ABI both ways), `id-K(x)` returns x
//! without the host. Also the guest resource `thing` and
//! `use-host-counter` over the host resource `host-counter`.
//!
//! Glue only: every function converts, none computes (but the counter loop).

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;

wit_bindgen::generate!({
    path: "../wit",
    world: "echo",
});

use exports::wasmhost::echo::things::{Guest as ThingsGuest, GuestThing};
use wasmhost::echo::host_echo as host;

struct Component;

/// `id-K(x) = x` for each listed kind: the signature is the generated one.
macro_rules! identities {
    ($($name:ident: $ty:ty),* $(,)?) => {
        $(fn $name(x: $ty) -> $ty { x })*
    };
}

impl Guest for Component {
    fn echo_bool(x: bool) -> bool {
        host::host_bool(x)
    }
    fn echo_u8(x: u8) -> u8 {
        host::host_u8(x)
    }
    fn echo_s8(x: i8) -> i8 {
        host::host_s8(x)
    }
    fn echo_u16(x: u16) -> u16 {
        host::host_u16(x)
    }
    fn echo_s16(x: i16) -> i16 {
        host::host_s16(x)
    }
    fn echo_u32(x: u32) -> u32 {
        host::host_u32(x)
    }
    fn echo_s32(x: i32) -> i32 {
        host::host_s32(x)
    }
    fn echo_u64(x: u64) -> u64 {
        host::host_u64(x)
    }
    fn echo_s64(x: i64) -> i64 {
        host::host_s64(x)
    }
    fn echo_f32(x: f32) -> f32 {
        host::host_f32(x)
    }
    fn echo_f64(x: f64) -> f64 {
        host::host_f64(x)
    }
    fn echo_char(x: char) -> char {
        host::host_char(x)
    }
    fn echo_string(x: String) -> String {
        host::host_string(&x)
    }
    fn echo_list_u8(x: Vec<u8>) -> Vec<u8> {
        host::host_list_u8(&x)
    }
    fn echo_list_string(x: Vec<String>) -> Vec<String> {
        host::host_list_string(&x)
    }
    fn echo_option_string(x: Option<String>) -> Option<String> {
        host::host_option_string(x.as_deref())
    }
    fn echo_option_option_u32(x: Option<Option<u32>>) -> Option<Option<u32>> {
        host::host_option_option_u32(x)
    }
    fn echo_result_s32_string(x: Result<i32, String>) -> Result<i32, String> {
        host::host_result_s32_string(x.as_ref().map(|v| *v).map_err(String::as_str))
    }
    fn echo_result_unit(x: Result<(), ()>) -> Result<(), ()> {
        host::host_result_unit(x)
    }
    fn echo_result_err_string(x: Result<(), String>) -> Result<(), String> {
        host::host_result_err_string(x.as_ref().map(|_| ()).map_err(String::as_str))
    }
    fn echo_tuple(x: (u32, String, bool)) -> (u32, String, bool) {
        host::host_tuple((x.0, &x.1, x.2))
    }
    fn echo_rec(x: Rec) -> Rec {
        host::host_rec(&x)
    }
    fn echo_var(x: Var) -> Var {
        host::host_var(&x)
    }
    fn echo_color(x: Color) -> Color {
        host::host_color(x)
    }
    fn echo_perms(x: Perms) -> Perms {
        host::host_perms(x)
    }
    fn echo_many(x: Many) -> Many {
        host::host_many(x)
    }
    fn echo_list_rec(x: Vec<Rec>) -> Vec<Rec> {
        host::host_list_rec(&x)
    }

    identities! {
        id_bool: bool, id_u8: u8, id_s8: i8, id_u16: u16, id_s16: i16, id_u32: u32,
        id_s32: i32, id_u64: u64, id_s64: i64, id_f32: f32, id_f64: f64, id_char: char,
        id_string: String, id_list_u8: Vec<u8>, id_list_string: Vec<String>,
        id_option_string: Option<String>, id_option_option_u32: Option<Option<u32>>,
        id_result_s32_string: Result<i32, String>, id_result_unit: Result<(), ()>,
        id_result_err_string: Result<(), String>, id_tuple: (u32, String, bool),
        id_rec: Rec, id_var: Var, id_color: Color, id_perms: Perms, id_many: Many,
        id_list_rec: Vec<Rec>,
    }

    fn use_host_counter(start: u32, times: u32) -> u32 {
        let counter = host::HostCounter::new(start);
        let mut last = start;
        for _ in 0..times {
            last = counter.bump();
        }
        last
    }
}

/// The guest resource `thing`: a label behind a RefCell (the generated
/// trait takes `&self`).
struct Thing(RefCell<String>);

impl GuestThing for Thing {
    fn new(label: String) -> Self {
        Self(RefCell::new(label))
    }
    fn label(&self) -> String {
        self.0.borrow().clone()
    }
    fn set_label(&self, label: String) {
        *self.0.borrow_mut() = label;
    }
}

impl ThingsGuest for Component {
    type Thing = Thing;
}

export!(Component);
