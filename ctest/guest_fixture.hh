// The GoogleTest fixtures shared by the unit tests that run the real guests.
#ifndef WASMHOST_CTEST_GUEST_FIXTURE_HH
#define WASMHOST_CTEST_GUEST_FIXTURE_HH

#include <gtest/gtest.h>

#include "article_host.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/wasm_host.hh"

/// A guest built from guest-rs/, with the env imports and quiet WASI stdout.
struct RustGuestFixture : ::testing::Test {
  explicit RustGuestFixture(const char *wasm_path) : host{wasm_path, test_options::quiet()} {}

  wasmhost::app::HostState state;
  wasmhost::WasmHost host;

  void SetUp() override {
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
  }
};

/// The article's guest, guest.wasm.
struct GuestFixture : RustGuestFixture {
  GuestFixture() : RustGuestFixture(test_paths::kGuestWasm) {}
};

/// The benchmark's guest, guest-bench.wasm: the article's exports plus the
/// quiet `bench_*` ones (cargo feature bench).
struct BenchGuestFixture : RustGuestFixture {
  BenchGuestFixture() : RustGuestFixture(test_paths::kGuestBenchWasm) {}
};

#endif // WASMHOST_CTEST_GUEST_FIXTURE_HH
