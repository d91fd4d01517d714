/**
 * \file benches.hh
 * The figures `host-bench` measures, by group, and what the groups share.
 */
#ifndef WASMHOST_BENCH_BENCHES_HH
#define WASMHOST_BENCH_BENCHES_HH

#include <cstdint>
#include <string>
#include <vector>

#include <wasmtime.hh>

#include "figure.hh"
#include "wasmhost/wasm_host.hh"

namespace wasmhost::bench {

/// `call.*`: host to guest (by name, typed handle, typed handle with the
/// default options on `defaults`, raw C API), a native call, guest to host
/// (`defineHostFunction`, raw C API).
std::vector<Figure> measureCalls(WasmHost &host, WasmHost &defaults, const Sizes &sizes);
/// `mem.*`: one `Point` through `writeMemory`/`readMemory`, bulk copies.
std::vector<Figure> measureMemory(WasmHost &host, const Sizes &sizes);
/// `start.*`: compile against a module-cache hit and a bare deserialize,
/// instantiate against a pre-instantiated module with the pooling allocator.
std::vector<Figure> measureStartup(std::vector<uint8_t> &wasm, const Sizes &sizes);
/// `scale.*`: instantiate time and RSS per instance at 1 to 10 000 live
/// instances (pooling, on-demand), scenarios per second on 1 and 2 threads.
std::vector<Figure> measureScale(const std::string &guest, std::vector<uint8_t> &wasm,
                                 const Sizes &sizes);
/// `call.component.*` (typed and dynamic calls of the world
/// wasmhost:plugin@0.1.0 in `component`), `start.component.instantiate_us`.
std::vector<Figure> measureComponent(const std::string &component, const Sizes &sizes);
/// `pool.*`: a checkout of `runtime::InstancePool` (reusing its instance),
/// one call by name and the lease given back.
std::vector<Figure> measurePool(const std::string &guest, const Sizes &sizes);
/// `idle.*`: the CPU that idle hosts with the default options use.
std::vector<Figure> measureIdle(const std::string &guest, const Sizes &sizes);

/// Defines the guest's `env` imports on `host`, quietly, with
/// `defineHostFunction`: the echo `bench_call_host` calls, no-ops for the
/// article's three (the benchmark exports never call them).
void defineBenchImports(WasmHost &host);

/// A linker whose imports are defined with the raw C API: WASI,
/// `env::host_bench_echo` through `wasmtime_linker_define_func_unchecked`,
/// and the article's `env` imports as traps.
wasmtime::Linker rawLinker(wasmtime::Engine &engine, const wasmtime::Module &module);

/// Gives `store` a WASI context that only inherits stderr.
void setQuietWasi(wasmtime::Store &store);

/// Throws `std::runtime_error("<what>: <message>")`.
[[noreturn]] void fail(const std::string &what, const std::string &message);

/// Throws unless both are null; takes ownership of them.
void check(const std::string &what, wasmtime_error_t *error, wasm_trap_t *trap);

/// The success value of `result`; throws with its error message otherwise.
template <typename T, typename E> T unwrap(const std::string &what, wasmtime::Result<T, E> result) {
  if (!result) {
    fail(what, result.err().message());
  }
  return result.ok();
}

/// Wrapping sum of `0, 1, ..., n - 1`: what `bench_call_host(n)` returns
/// when the host echoes.
int32_t echoSum(int32_t n);

} // namespace wasmhost::bench

#endif // WASMHOST_BENCH_BENCHES_HH
