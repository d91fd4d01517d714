// A consumer's own shared library with wasmhost (and so Wasmtime) linked
// into it statically. Its API is one C function; the consumer test checks
// that the library exports nothing else, Wasmtime's symbols least of all
// (docs/consuming.md, "Inside a shared library").
#include <cstdint>
#include <exception>
#include <tuple>

#include "wasmhost/wasm_host.hh"

namespace {

// The imports of guest.wasm; just_add calls none of them.
void host_log_value(int32_t) {}
int32_t host_get_shared_value() { return 0; }
void host_set_shared_value(int32_t) {}

} // namespace

/// just_add(a, b) of the guest at `wasm_path`; -1 on any error.
extern "C" __attribute__((visibility("default"))) int64_t plugin_just_add(const char *wasm_path,
                                                                          int64_t a, int64_t b) {
  try {
    wasmhost::WasmHost host(wasm_path);
    host.defineHostFunction("env", "host_log_value", host_log_value);
    host.defineHostFunction("env", "host_get_shared_value", host_get_shared_value);
    host.defineHostFunction("env", "host_set_shared_value", host_set_shared_value);
    host.initialize();
    auto result = host.callFunction<std::tuple<int64_t>, std::tuple<int64_t, int64_t>>(
        "just_add", std::make_tuple(a, b));
    return result ? std::get<0>(result.ok()) : -1;
  } catch (const std::exception &) {
    return -1;
  }
}
