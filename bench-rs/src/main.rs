//! `host-bench-rs`: the Rust comparator of `host-bench`.
//!
//! Runs the guest's quiet benchmark exports through Wasmtime's Rust embedding
//! API (`TypedFunc::call`, `Linker::func_wrap`), and the guest's compute
//! kernel both as wasm and compiled natively, in turns (the `guest` crate is a
//! dependency with its feature `bench`, so `guest::core` is the very code that
//! `guest-bench.wasm` runs). Writes its figures as JSON in the same format as
//! `host-bench`, which joins them into `bench-results.json`.
//!
//! Usage: host-bench-rs [--smoke] [--reps N] [--out FILE] <guest-bench.wasm>

mod figure;

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use wasmtime::{Engine, Linker, Module, Result, Store, bail, ensure, format_err};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p1::{self, WasiP1Ctx};

use figure::{Candidate, Figure, measure, measure_interleaved, write_json};

/// How much work each figure does per repetition. The same numbers as
/// `host-bench` (`Sizes` in host-cpp/bench/figure.hh and support.cc), so that
/// the figures compare.
struct Sizes {
    mode: &'static str,
    reps: usize,
    /// Host-to-guest calls of `bench_add` per repetition.
    calls: u32,
    /// Guest-to-host calls (`bench_call_host(n)`) per repetition.
    host_calls: i32,
    /// `limit` of the Collatz kernel.
    compute_limit: u32,
}

const FULL: Sizes = Sizes {
    mode: "full",
    reps: 15,
    calls: 500_000,
    host_calls: 500_000,
    compute_limit: 300_000,
};

const SMOKE: Sizes = Sizes {
    mode: "smoke",
    reps: 5,
    calls: 1_000,
    host_calls: 1_000,
    compute_limit: 1_000,
};

struct Options {
    sizes: Sizes,
    out: PathBuf,
    guest: PathBuf,
}

fn parse_args() -> Result<Options> {
    let mut sizes = FULL;
    let mut reps = None;
    let mut out = PathBuf::from("bench-rs.json");
    let mut guest = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => sizes = SMOKE,
            "--reps" => {
                let value = args
                    .next()
                    .ok_or_else(|| format_err!("--reps needs a value"))?;
                match value.parse::<usize>() {
                    Ok(n) if n >= 1 => reps = Some(n),
                    _ => bail!("--reps needs a positive number, not '{value}'"),
                }
            }
            "--out" => {
                out = args
                    .next()
                    .ok_or_else(|| format_err!("--out needs a file name"))?
                    .into();
            }
            "--help" => {
                println!(
                    "Usage: host-bench-rs [--smoke] [--reps N] [--out FILE] <guest-bench.wasm>"
                );
                std::process::exit(0);
            }
            _ if arg.starts_with("--") => bail!("unknown option '{arg}'"),
            _ if guest.is_none() => guest = Some(PathBuf::from(arg)),
            _ => bail!("unexpected argument '{arg}'"),
        }
    }
    if let Some(reps) = reps {
        sizes.reps = reps;
    }
    let guest = guest.ok_or_else(|| format_err!("missing guest-bench.wasm"))?;
    Ok(Options { sizes, out, guest })
}

/// Nanoseconds per operation.
fn ns_per(start: Instant, operations: u64) -> f64 {
    start.elapsed().as_nanos() as f64 / operations as f64
}

/// Wrapping sum of 0..n, what `bench_call_host(n)` returns with an echo.
fn echo_sum(n: i32) -> i32 {
    (0..n).fold(0i32, |sum, i| sum.wrapping_add(i))
}

fn run(options: &Options) -> Result<Vec<Figure>> {
    let sizes = &options.sizes;
    let engine = Engine::default();
    let module = Module::from_file(&engine, &options.guest)?;

    let mut linker = Linker::<WasiP1Ctx>::new(&engine);
    p1::add_to_linker_sync(&mut linker, |wasi| wasi)?;
    linker.func_wrap("env", "host_bench_echo", |value: i32| value)?;
    // The article's env imports, which the benchmark exports never call.
    linker.define_unknown_imports_as_traps(&module)?;

    let wasi = WasiCtxBuilder::new().inherit_stderr().build_p1();
    let mut store = Store::new(&engine, wasi);
    let instance = linker.instantiate(&mut store, &module)?;
    if let Ok(initialize) = instance.get_typed_func::<(), ()>(&mut store, "_initialize") {
        initialize.call(&mut store, ())?;
    }
    let bench_add = instance.get_typed_func::<(i32, i32), i32>(&mut store, "bench_add")?;
    let bench_call_host = instance.get_typed_func::<i32, i32>(&mut store, "bench_call_host")?;
    let bench_compute = instance.get_typed_func::<i32, i64>(&mut store, "bench_compute")?;

    let mut figures = Vec::new();
    figures.push(measure("call.h2g.rust_ns", "ns", sizes.reps, || {
        let start = Instant::now();
        let mut sum = 0i32;
        for _ in 0..sizes.calls {
            sum = bench_add.call(&mut store, (sum, 1))?;
        }
        let ns = ns_per(start, u64::from(sizes.calls));
        ensure!(sum == sizes.calls as i32, "bench_add summed to {sum}");
        Ok(ns)
    })?);
    figures.push(measure("call.g2h.rust_ns", "ns", sizes.reps, || {
        let start = Instant::now();
        let sum = bench_call_host.call(&mut store, sizes.host_calls)?;
        let ns = ns_per(start, sizes.host_calls as u64);
        ensure!(
            sum == echo_sum(sizes.host_calls),
            "bench_call_host returned {sum}"
        );
        Ok(ns)
    })?);
    // The kernel as wasm and natively, in turns, so that the machine's noise
    // hits both alike. Both must count the same steps.
    let limit = sizes.compute_limit;
    let steps = guest::core::collatz_total_steps(limit);
    let compute = measure_interleaved(
        sizes.reps,
        vec![
            Candidate::new("compute.wasm_ms", "ms", || {
                let start = Instant::now();
                let wasm_steps = bench_compute.call(&mut store, limit as i32)?;
                let ms = start.elapsed().as_secs_f64() * 1e3;
                ensure!(
                    wasm_steps as u64 == steps,
                    "bench_compute counted {wasm_steps}"
                );
                Ok(ms)
            }),
            Candidate::new("compute.native_ms", "ms", || {
                let start = Instant::now();
                let native_steps = black_box(guest::core::collatz_total_steps(black_box(limit)));
                let ms = start.elapsed().as_secs_f64() * 1e3;
                ensure!(
                    native_steps == steps,
                    "the native kernel counted {native_steps}"
                );
                Ok(ms)
            }),
        ],
    )?;
    figures.extend(compute);
    Ok(figures)
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|options| {
        let figures = run(&options)?;
        for figure in &figures {
            println!("{figure}");
        }
        write_json(
            &options.out,
            options.sizes.mode,
            options.sizes.reps,
            &figures,
        )?;
        println!("wrote {}", options.out.display());
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("host-bench-rs: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
