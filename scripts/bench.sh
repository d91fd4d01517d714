#!/usr/bin/env bash
# Sets up and builds, builds the Rust comparator, runs both benchmarks and
# joins their figures into $BUILD_DIR/bench-results.json (README, "Benchmarks").
# Extra arguments go to both benchmarks: --reps N, or --smoke for a quick check.
source "$(dirname "$0")/common.sh"
build_all

target_dir="$(sed -n 's/^BENCH_RS_TARGET_DIR:INTERNAL=//p' "$BUILD_DIR/CMakeCache.txt")"
step "Building the Rust comparator bench-rs/ (cargo build --release)"
note "About a minute the first time on a machine, seconds after: it shares the cargo"
note "target folder of the cached Wasmtime build, $target_dir,"
note "so the wasmtime crates are not compiled a second time."
cmake --build "$BUILD_DIR" --target host-bench-rs

cd "$BUILD_DIR"
step "Running the Rust comparator: ./host-bench-rs --out bench-rs.json ${*:+$* }guest-bench.wasm"
./host-bench-rs --out bench-rs.json "$@" guest-bench.wasm

step "Running the C++ benchmark: ./host-bench --rust bench-rs.json --out bench-results.json ${*:+$* }guest-bench.wasm"
note "On a busy or shared machine the figures are noisy: compare ratios from one run."
./host-bench --rust bench-rs.json --out bench-results.json "$@" guest-bench.wasm

step "Results: $BUILD_DIR/bench-results.json"
