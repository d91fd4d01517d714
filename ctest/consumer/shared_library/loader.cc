// Links against the consumer's shared library only (no wasmhost, no
// Wasmtime) and calls its API: prints just_add(15, 27) of the guest.
#include <cstdint>
#include <iostream>

extern "C" int64_t plugin_just_add(const char *wasm_path, int64_t a, int64_t b);

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <guest.wasm>" << std::endl;
    return 2;
  }
  const int64_t sum = plugin_just_add(argv[1], 15, 27);
  std::cout << "plugin_just_add(15, 27) = " << sum << std::endl;
  return sum == 42 ? 0 : 1;
}
