// Embedding in a few lines: load the article's guest with limits, give it the
// three host functions it imports, call it, and share its memory.
//
// Usage: example-embed guest.wasm
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <tuple>

#include "wasmhost/wasm_host.hh"

namespace {
int32_t shared_value = 42; // the state the guest's env imports read and write

struct Point { // the guest's #[repr(C)] struct Point { x: i32, y: i32 }
  int32_t x;
  int32_t y;
};
} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s guest.wasm\n", argv[0]);
    return 2;
  }
  wasmhost::WasmHostOptions options;
  options.timeout_ms = 500;                  // each call (default 10000, 0: none)
  options.fuel = 10'000'000;                 // each call (default 0: off)
  options.max_memory_bytes = 64 << 20;       // memory.grow fails past 64 MiB
  wasmhost::WasmHost host(argv[1], options); // compile, WASI with stdout/stderr only
  host.defineHostFunction("env", "host_log_value", [](int32_t v) { std::cout << v << "\n"; });
  host.defineHostFunction("env", "host_get_shared_value", [] { return shared_value; });
  host.defineHostFunction("env", "host_set_shared_value", [](int32_t v) { shared_value = v; });
  host.initialize(); // instantiate, find the memory, run _initialize

  auto sum = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(uint64_t{15}, uint64_t{27})); // TrapResult<std::tuple<uint64_t>>
  if (!sum) {
    std::cerr << "just_add failed: " << host.describeTrap(sum.err_ref()) << "\n";
    return 3;
  }
  std::cout << "just_add(15, 27) = " << std::get<0>(sum.ok()) << "\n";

  host.writeMemory(2048, Point{100, 200}); // bounds-checked memcpy into linear memory
  host.writeMemory(2056, Point{30, 70});
  host.callFunctionVoid("point_add", std::make_tuple(int32_t{2064}, int32_t{2048}, int32_t{2056}))
      .unwrap();
  const auto p = host.readMemory<Point>(2064);
  std::cout << "point_add = {" << p.x << ", " << p.y << "}\n";

  // For a hot loop: a handle checked once, no look-up by name, same limits.
  auto add = host.getTypedExport<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>("just_add");
  auto again = add.ok_ref().call({40, 2}); // TrapResult<std::tuple<uint64_t>>
  std::cout << "typed just_add(40, 2) = " << std::get<0>(again.unwrap()) << "\n";
  return 0;
}
