// Memory the guest allocates for the host instead of fixed offsets, and UTF-8
// strings both ways: `GuestBuffer` (guest_alloc/guest_free, checked access).
//
// Usage: example-guest-buffers guest.wasm
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <tuple>

#include "wasmhost/guest_buffer.hh"
#include "wasmhost/wasm_host.hh"

namespace {
struct Point {
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
  options.guest_stdout = false;
  wasmhost::WasmHost host(argv[1], options);
  host.defineHostFunction("env", "host_log_value", [](int32_t) {});
  host.defineHostFunction("env", "host_get_shared_value", [] { return int32_t{42}; });
  host.defineHostFunction("env", "host_set_shared_value", [](int32_t) {});
  host.initialize();

  auto points = wasmhost::GuestBuffer::allocate(host, 24, 4); // guest_alloc(24, 4)
  points.write(0, Point{100, 200});                           // bounds-checked in the block
  points.write(8, Point{30, 70});
  host.callFunctionVoid(
          "point_add", std::make_tuple(points.offsetOf(16), points.offsetOf(0), points.offsetOf(8)))
      .unwrap();
  auto sum = points.read<Point>(16); // {130, 270}
  // ~GuestBuffer: guest_free(offset, 24, 4)

  auto text = wasmhost::GuestBuffer::copyOf(host, "Grüße vom 🦀 an C++ ✓");
  auto [packed] = wasmhost::callOrThrow<std::tuple<uint64_t>, std::tuple<uint32_t, uint32_t>>(
      host, "transform_string", std::make_tuple(text.offset(), text.size()));
  std::string result = wasmhost::takeGuestString(host, packed); // checked, copied, freed

  std::cout << "point_add = {" << sum.x << ", " << sum.y << "}\n";
  std::cout << "transform_string = " << result << "\n";
  return 0;
}
