// The GoogleTest fixture shared by the unit tests that run the real guest.
#ifndef WASMHOST_CTEST_GUEST_FIXTURE_HH
#define WASMHOST_CTEST_GUEST_FIXTURE_HH

#include <gtest/gtest.h>

#include "article_host.hh"
#include "wasmhost/wasm_host.hh"

/// The article's guest, with the env imports and quiet WASI stdout.
struct GuestFixture : ::testing::Test {
  wasmhost::app::HostState state;
  wasmhost::WasmHost host{WASMHOST_GUEST_WASM, wasmhost::WasmHostOptions{nullptr, false}};

  void SetUp() override {
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
  }
};

#endif // WASMHOST_CTEST_GUEST_FIXTURE_HH
