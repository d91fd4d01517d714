// The error model: setup failures and traps are one `wasmhost::Error` with a
// kind; calls return Wasmtime's `TrapResult`; API misuse is `std::logic_error`.
//
// Usage: example-errors guest.wasm
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <tuple>

#include "wasmhost/wasm_host.hh"

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s guest.wasm\n", argv[0]);
    return 2;
  }
  try {
    wasmhost::WasmHost missing("no-such-plugin.wasm");
  } catch (const wasmhost::Error &error) {
    std::cout << wasmhost::kindName(error.kind()) << ": " << error.what() << "\n"; // io: ...
  }

  wasmhost::WasmHostOptions options;
  options.guest_stdout = false;
  wasmhost::WasmHost host(argv[1], options);
  try {
    host.initialize(); // the guest's env imports are not defined
  } catch (const wasmhost::Error &error) {
    std::cout << wasmhost::kindName(error.kind()) << ": " << error.what() << "\n"; // link: ...
  }

  wasmhost::WasmHost ready(argv[1], options);
  ready.defineHostFunction("env", "host_log_value", [](int32_t) {});
  ready.defineHostFunction("env", "host_get_shared_value", [] { return int32_t{0}; });
  ready.defineHostFunction("env", "host_set_shared_value", [](int32_t) {
    throw std::runtime_error("the host refuses"); // becomes a trap in the guest
  });
  ready.initialize();
  auto result = ready.callFunctionVoid("trigger_host_calls", std::make_tuple(int32_t{7}));
  if (!result) {
    const wasmhost::ErrorKind kind =
        wasmhost::classify(result.err_ref(), wasmhost::ErrorKind::Link);
    std::cout << wasmhost::kindName(kind) << ": " << ready.trapKind(result.err_ref()) << "\n";
  }
  return 0;
}
