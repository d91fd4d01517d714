//! `host-bench-rs`: the Rust comparator of `host-bench`.
//!
//! Runs the guest's quiet benchmark exports through Wasmtime's Rust embedding
//! API (`TypedFunc::call`, `Linker::func_wrap`), and the guest's compute suite
//! (`guest::core::KERNELS`) both as wasm and compiled natively, in turns (the
//! `guest` crate is a dependency with its feature `bench`, so `guest::core`
//! is the very code that `guest-bench.wasm` runs). The figures, their units
//! and the sizes come from the benchmark's declaration
//! (`host-cpp/bench/spec.json`); the results are written as JSON with
//! serde_json, for `host-bench` to join into `bench-results.json`.
//!
//! Usage: host-bench-rs [--smoke] [--reps N] [--out FILE] [--component FILE]
//!        [--experiments] <guest-bench.wasm>
//!
//! `--experiments` measures the compute suite as wasm under several Cranelift
//! settings (opt level, CPU features, bounds checks, register allocator) and
//! prints what each changes, instead of the figures.

mod component;
mod figure;
mod spec;

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use wasmtime::{
    Config, Engine, Linker, Module, OptLevel, RegallocAlgorithm, Result, Store, TypedFunc, bail,
    ensure, format_err,
};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p1::{self, WasiP1Ctx};

use figure::{Candidate, Figure, measure, measure_interleaved, write_json};
use spec::{Sizes, Spec};

struct Options {
    sizes: Sizes,
    out: PathBuf,
    guest: PathBuf,
    /// The component of `call.component.*`.
    component: PathBuf,
    experiments: bool,
}

fn parse_args(spec: &Spec) -> Result<Options> {
    let mut mode = "full";
    let mut reps = None;
    let mut out = PathBuf::from("bench-rs.json");
    let mut guest = None;
    let mut experiments = false;
    let mut component = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => mode = "smoke",
            "--experiments" => experiments = true,
            "--reps" => {
                let value = args
                    .next()
                    .ok_or_else(|| format_err!("--reps needs a value"))?;
                match value.parse::<usize>() {
                    Ok(n) if (1..=1000).contains(&n) => reps = Some(n),
                    _ => bail!("--reps needs a number from 1 to 1000, not '{value}'"),
                }
            }
            "--out" => {
                out = args
                    .next()
                    .ok_or_else(|| format_err!("--out needs a file name"))?
                    .into();
            }
            "--component" => {
                component =
                    Some(PathBuf::from(args.next().ok_or_else(|| {
                        format_err!("--component needs a file name")
                    })?));
            }
            "--help" => {
                println!(
                    "Usage: host-bench-rs [--smoke] [--reps N] [--out FILE] [--component FILE] [--experiments] <guest-bench.wasm>"
                );
                std::process::exit(0);
            }
            _ if arg.starts_with("--") => bail!("unknown option '{arg}'"),
            _ if guest.is_none() => guest = Some(PathBuf::from(arg)),
            _ => bail!("unexpected argument '{arg}'"),
        }
    }
    let mut sizes = spec.sizes(mode)?;
    if let Some(reps) = reps {
        sizes.reps = reps;
        sizes.kernel_reps = reps;
    }
    let guest = guest.ok_or_else(|| format_err!("missing guest-bench.wasm"))?;
    // By default the benchmark's quiet component, next to guest-bench.wasm.
    let component = component.unwrap_or_else(|| guest.with_file_name("guest-component-bench.wasm"));
    Ok(Options {
        sizes,
        out,
        guest,
        component,
        experiments,
    })
}

/// Nanoseconds per operation.
fn ns_per(start: Instant, operations: u64) -> f64 {
    start.elapsed().as_nanos() as f64 / operations as f64
}

/// Wrapping sum of 0..n, what `bench_call_host(n)` returns with an echo.
fn echo_sum(n: i32) -> i32 {
    (0..n).fold(0i32, |sum, i| sum.wrapping_add(i))
}

/// The guest instantiated in a store of `engine`, with the echo import.
struct Guest {
    store: Store<WasiP1Ctx>,
    instance: wasmtime::Instance,
}

impl Guest {
    fn new(engine: &Engine, module: &Module) -> Result<Guest> {
        let mut linker = Linker::<WasiP1Ctx>::new(engine);
        p1::add_to_linker_sync(&mut linker, |wasi| wasi)?;
        linker.func_wrap("env", "host_bench_echo", |value: i32| value)?;
        // The article's env imports, which the benchmark exports never call.
        linker.define_unknown_imports_as_traps(module)?;
        let wasi = WasiCtxBuilder::new().inherit_stderr().build_p1();
        let mut store = Store::new(engine, wasi);
        let instance = linker.instantiate(&mut store, module)?;
        if let Ok(initialize) = instance.get_typed_func::<(), ()>(&mut store, "_initialize") {
            initialize.call(&mut store, ())?;
        }
        Ok(Guest { store, instance })
    }

    fn kernel(&mut self, name: &str) -> Result<TypedFunc<i32, i64>> {
        self.instance
            .get_typed_func::<i32, i64>(&mut self.store, &format!("bench_kernel_{name}"))
    }
}

/// A kernel of the compute suite: its checksum for a size.
type KernelFn = fn(u32) -> u64;

/// The native kernel named `name` and its result for `size`.
fn native_kernel(name: &str, size: u32) -> Result<(KernelFn, u64)> {
    let kernel =
        guest::core::kernel(name).ok_or_else(|| format_err!("the guest has no kernel '{name}'"))?;
    Ok((kernel.run, (kernel.run)(size)))
}

fn size_arg(size: u32) -> Result<i32> {
    Ok(i32::try_from(size)?)
}

fn run(spec: &Spec, options: &Options) -> Result<Vec<Figure>> {
    let sizes = &options.sizes;
    let engine = Engine::default();
    let module = Module::from_file(&engine, &options.guest)?;
    let mut guest = Guest::new(&engine, &module)?;
    let bench_add = guest
        .instance
        .get_typed_func::<(i32, i32), i32>(&mut guest.store, "bench_add")?;
    let bench_call_host = guest
        .instance
        .get_typed_func::<i32, i32>(&mut guest.store, "bench_call_host")?;

    let mut figures = Vec::new();
    let key = "call.h2g.rust_ns";
    figures.push(measure(key, &spec.unit(key)?, sizes.reps, || {
        let start = Instant::now();
        let mut sum = 0i32;
        for _ in 0..sizes.calls {
            sum = bench_add.call(&mut guest.store, (sum, 1))?;
        }
        let ns = ns_per(start, u64::from(sizes.calls));
        ensure!(sum == sizes.calls as i32, "bench_add summed to {sum}");
        Ok(ns)
    })?);
    let key = "call.g2h.rust_ns";
    figures.push(measure(key, &spec.unit(key)?, sizes.reps, || {
        let start = Instant::now();
        let sum = bench_call_host.call(&mut guest.store, sizes.host_calls)?;
        let ns = ns_per(start, sizes.host_calls as u64);
        ensure!(
            sum == echo_sum(sizes.host_calls),
            "bench_call_host returned {sum}"
        );
        Ok(ns)
    })?);
    // Each kernel as wasm and natively, in turns, so that the machine's noise
    // hits both alike. Both must compute the same checksum.
    for (name, size) in &sizes.kernels {
        let (native, expected) = native_kernel(name, *size)?;
        let wasm = guest.kernel(name)?;
        let arg = size_arg(*size)?;
        let store = &mut guest.store;
        let wasm_key = format!("compute.{name}.wasm_ms");
        let native_key = format!("compute.{name}.native_ms");
        let pair = measure_interleaved(
            sizes.kernel_reps,
            vec![
                Candidate::new(wasm_key.clone(), spec.unit(&wasm_key)?, || {
                    let start = Instant::now();
                    let got = wasm.call(&mut *store, arg)? as u64;
                    let ms = start.elapsed().as_secs_f64() * 1e3;
                    ensure!(
                        got == expected,
                        "wasm {name}: {got:#x}, native {expected:#x}"
                    );
                    Ok(ms)
                }),
                Candidate::new(native_key.clone(), spec.unit(&native_key)?, || {
                    let start = Instant::now();
                    let got = black_box(native(black_box(*size)));
                    let ms = start.elapsed().as_secs_f64() * 1e3;
                    ensure!(got == expected, "native {name} changed: {got:#x}");
                    Ok(ms)
                }),
            ],
        )?;
        figures.extend(pair);
    }
    figures.extend(component::measure(spec, sizes, &options.component)?);
    let mut produced: Vec<&str> = figures.iter().map(|figure| figure.key.as_str()).collect();
    produced.sort_unstable();
    ensure!(
        produced == spec.own_keys(),
        "measured {produced:?}, spec.json declares {:?}",
        spec.own_keys()
    );
    Ok(figures)
}

/// One Cranelift setting tried by `--experiments`.
struct Variant {
    name: &'static str,
    what: &'static str,
    configure: fn(&mut Config),
}

const VARIANTS: &[Variant] = &[
    Variant {
        name: "default",
        what: "Wasmtime's defaults: opt level speed, the host's CPU features, 4 GiB reservation + guard pages (no explicit bounds checks)",
        configure: |_| {},
    },
    Variant {
        name: "speed_and_size",
        what: "cranelift_opt_level(SpeedAndSize)",
        configure: |config| {
            config.cranelift_opt_level(OptLevel::SpeedAndSize);
        },
    },
    Variant {
        name: "opt_none",
        what: "cranelift_opt_level(None)",
        configure: |config| {
            config.cranelift_opt_level(OptLevel::None);
        },
    },
    Variant {
        name: "single_pass_regalloc",
        what: "cranelift_regalloc_algorithm(SinglePass)",
        configure: |config| {
            config.cranelift_regalloc_algorithm(RegallocAlgorithm::SinglePass);
        },
    },
    Variant {
        name: "baseline_x86_64",
        what: "no CPU features beyond SSE2 (has_sse3..has_avx512* off)",
        configure: |config| {
            for flag in [
                "has_sse3",
                "has_ssse3",
                "has_sse41",
                "has_sse42",
                "has_popcnt",
                "has_avx",
                "has_avx2",
                "has_fma",
                "has_bmi1",
                "has_bmi2",
                "has_lzcnt",
                "has_avx512bitalg",
                "has_avx512dq",
                "has_avx512f",
                "has_avx512vl",
                "has_avx512vbmi",
            ] {
                // SAFETY: turning CPU features off only restricts the
                // instructions Cranelift may use on this host.
                unsafe {
                    config.cranelift_flag_set(flag, "false");
                }
            }
        },
    },
    Variant {
        name: "explicit_bounds_checks",
        what: "memory_reservation(0), memory_guard_size(0): every access bounds-checked in code",
        configure: |config| {
            config.memory_reservation(0);
            config.memory_guard_size(0);
            config.memory_reservation_for_growth(1 << 20);
        },
    },
];

/// `--experiments`: each kernel natively and as wasm under every variant, in
/// turns (so that the machine's noise hits them alike), and the ratios.
fn experiments(options: &Options) -> Result<()> {
    let sizes = &options.sizes;
    let wasm_bytes = std::fs::read(&options.guest)?;
    let mut guests = Vec::new();
    for variant in VARIANTS {
        let mut config = Config::new();
        (variant.configure)(&mut config);
        match Engine::new(&config) {
            Ok(engine) => {
                let module = Module::new(&engine, &wasm_bytes)?;
                guests.push((variant, Guest::new(&engine, &module)?));
            }
            Err(error) => println!("{}: refused by Wasmtime: {error}", variant.name),
        }
    }
    println!(
        "wasm / native per kernel (medians of {} runs in turns), and their geometric mean",
        sizes.kernel_reps
    );
    let mut ratios = vec![Vec::new(); guests.len()];
    for (name, size) in &sizes.kernels {
        let (native, expected) = native_kernel(name, *size)?;
        let arg = size_arg(*size)?;
        let mut candidates = vec![Candidate::new("native", "ms", || {
            let start = Instant::now();
            ensure!(black_box(native(black_box(*size))) == expected);
            Ok(start.elapsed().as_secs_f64() * 1e3)
        })];
        for (variant, guest) in &mut guests {
            let wasm = guest.kernel(name)?;
            let store = &mut guest.store;
            candidates.push(Candidate::new(variant.name, "ms", move || {
                let start = Instant::now();
                let got = wasm.call(&mut *store, arg)? as u64;
                ensure!(got == expected, "{name}: {got:#x}");
                Ok(start.elapsed().as_secs_f64() * 1e3)
            }));
        }
        let figures = measure_interleaved(sizes.kernel_reps, candidates)?;
        for (i, figure) in figures[1..].iter().enumerate() {
            ratios[i].push(figure.median() / figures[0].median());
        }
    }
    print!("{:<24}", "variant");
    for (name, _) in &sizes.kernels {
        print!("{name:>9}");
    }
    println!("{:>9}  what", "geomean");
    for ((variant, _), ratios) in guests.iter().zip(&ratios) {
        print!("{:<24}", variant.name);
        for ratio in ratios {
            print!("{ratio:>9.3}");
        }
        let geomean = (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp();
        println!("{geomean:>9.3}  {}", variant.what);
    }
    Ok(())
}

fn main() -> ExitCode {
    let result = Spec::load().and_then(|spec| {
        let options = parse_args(&spec)?;
        if options.experiments {
            return experiments(&options);
        }
        let figures = run(&spec, &options)?;
        for figure in &figures {
            println!("{figure}");
        }
        write_json(
            &options.out,
            &options.sizes.mode,
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
