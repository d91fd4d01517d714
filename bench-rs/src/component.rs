//! `call.component.*`: the world `wasmhost:plugin@0.1.0`
//! (`guest-component-bench.wasm`) through Rust's `bindgen!` (typed) and
//! through `component::Func::call` with `Val`s (dynamic, the call the C API
//! makes), the same rounds as host-bench's: just-add, point-add,
//! transform-string on 1 KiB, summarize on 1 000 values.

use std::path::Path;
use std::time::Instant;

use wasmtime::component::{Component, HasSelf, Linker, Resource, ResourceTable, Val, bindgen};
use wasmtime::{Engine, Result, Store, ensure, format_err};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use crate::figure::{Candidate, Figure, measure_interleaved};
use crate::spec::{Sizes, Spec};

bindgen!({ path: "../wit", world: "plugin" });

use wasmhost::plugin::host::{Host, HostJournal, Journal};

/// The store's data: WASIp2 (stdout not inherited: the guest is quiet
/// anyway) and the host's no-op interface `host`.
struct State {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl Host for State {
    fn log_value(&mut self, _value: i32) {}
    fn get_shared_value(&mut self) -> i32 {
        42
    }
    fn set_shared_value(&mut self, _value: i32) {}
}

impl HostJournal for State {
    fn new(&mut self, _title: String) -> Resource<Journal> {
        Resource::new_own(0)
    }
    fn append(&mut self, _journal: Resource<Journal>, _line: String) {}
    fn len(&mut self, _journal: Resource<Journal>) -> u32 {
        0
    }
    fn drop(&mut self, _journal: Resource<Journal>) -> Result<()> {
        Ok(())
    }
}

impl wasmhost::plugin::types::Host for State {}

fn new_store(engine: &Engine) -> Store<State> {
    Store::new(
        engine,
        State {
            wasi: WasiCtxBuilder::new().inherit_stderr().build(),
            table: ResourceTable::new(),
        },
    )
}

/// The field `name` of a record value.
fn field<'a>(val: &'a Val, name: &str) -> Option<&'a Val> {
    match val {
        Val::Record(fields) => fields
            .iter()
            .find_map(|(field, value)| (field == name).then_some(value)),
        _ => None,
    }
}

fn record_x(val: &Val) -> Option<i32> {
    match field(val, "x") {
        Some(Val::S32(x)) => Some(*x),
        _ => None,
    }
}

fn summary_count(val: &Val) -> Option<u32> {
    match val {
        Val::Option(Some(summary)) => match field(summary, "count") {
            Some(Val::U32(count)) => Some(*count),
            _ => None,
        },
        _ => None,
    }
}

pub fn measure(spec: &Spec, sizes: &Sizes, path: &Path) -> Result<Vec<Figure>> {
    let engine = Engine::default();
    let component = Component::from_file(&engine, path)?;
    let mut linker = Linker::<State>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    Plugin::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;

    let mut typed_store = new_store(&engine);
    let plugin = Plugin::instantiate(&mut typed_store, &component, &linker)?;
    let mut dynamic_store = new_store(&engine);
    let instance = linker.instantiate(&mut dynamic_store, &component)?;
    let func = |store: &mut Store<State>, name: &str| {
        instance
            .get_func(&mut *store, name)
            .ok_or_else(|| format_err!("guest-component-bench.wasm exports no '{name}'"))
    };
    let just_add = func(&mut dynamic_store, "just-add")?;
    let point_add = func(&mut dynamic_store, "point-add")?;
    let transform = func(&mut dynamic_store, "transform-string")?;
    let summarize = func(&mut dynamic_store, "summarize")?;

    let text = "a".repeat(1024);
    let values: Vec<i32> = (0..1000).map(|i| i - 500).collect();
    let rounds = sizes.component_rounds;
    let point =
        |x: i32, y: i32| Val::Record(vec![("x".into(), Val::S32(x)), ("y".into(), Val::S32(y))]);

    let typed_key = "call.component.rust_typed_ns";
    let dynamic_key = "call.component.rust_dynamic_ns";
    measure_interleaved(
        sizes.reps,
        vec![
            Candidate::new(typed_key.to_string(), spec.unit(typed_key)?, || {
                let store = &mut typed_store;
                let mut sum = 0u64;
                let start = Instant::now();
                for _ in 0..rounds {
                    sum = plugin.call_just_add(&mut *store, sum, 1)?;
                    let p = plugin.call_point_add(
                        &mut *store,
                        Point { x: 1, y: 2 },
                        Point { x: 3, y: 4 },
                    )?;
                    let upper = plugin.call_transform_string(&mut *store, &text)?;
                    let summary = plugin.call_summarize(&mut *store, &values)?;
                    ensure!(
                        p.x == 4 && upper.len() == 1024 && summary.is_some_and(|s| s.count == 1000),
                        "a typed round returned other values"
                    );
                }
                let ns = crate::ns_per(start, u64::from(rounds));
                ensure!(sum == u64::from(rounds), "just-add summed to {sum}");
                Ok(ns)
            }),
            Candidate::new(dynamic_key.to_string(), spec.unit(dynamic_key)?, || {
                let store = &mut dynamic_store;
                let mut sum = 0u64;
                let mut result = [Val::Bool(false)];
                let start = Instant::now();
                for _ in 0..rounds {
                    just_add.call(&mut *store, &[Val::U64(sum), Val::U64(1)], &mut result)?;
                    sum = match result[0] {
                        Val::U64(value) => value,
                        _ => 0,
                    };
                    point_add.call(&mut *store, &[point(1, 2), point(3, 4)], &mut result)?;
                    let x = record_x(&result[0]);
                    transform.call(&mut *store, &[Val::String(text.clone())], &mut result)?;
                    let upper = match &result[0] {
                        Val::String(upper) => upper.len(),
                        _ => 0,
                    };
                    let list = Val::List(values.iter().map(|&v| Val::S32(v)).collect());
                    summarize.call(&mut *store, &[list], &mut result)?;
                    ensure!(
                        x == Some(4) && upper == 1024 && summary_count(&result[0]) == Some(1000),
                        "a dynamic round returned other values"
                    );
                }
                let ns = crate::ns_per(start, u64::from(rounds));
                ensure!(sum == u64::from(rounds), "just-add summed to {sum}");
                Ok(ns)
            }),
        ],
    )
}
