#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "benches.hh"

namespace wasmhost::bench {

Sizes fullSizes() {
  Sizes sizes;
  sizes.mode = "full";
  return sizes;
}

Sizes smokeSizes() {
  Sizes sizes;
  sizes.mode = "smoke";
  sizes.reps = 5;
  sizes.calls = 1'000;
  sizes.native_calls = 10'000;
  sizes.host_calls = 1'000;
  sizes.point_ops = 1'000;
  sizes.bulk_bytes = size_t{1} << 20;
  sizes.deserializations = 2;
  sizes.instantiations = 5;
  return sizes;
}

std::vector<Figure> measureInterleaved(std::vector<Candidate> candidates, int reps) {
  std::vector<Figure> figures;
  for (auto &candidate : candidates) {
    candidate.sample();
    figures.push_back({candidate.key, candidate.unit, {}});
  }
  for (int rep = 0; rep < reps; ++rep) {
    for (size_t i = 0; i < candidates.size(); ++i) {
      const double value = candidates[i].sample();
      if (!std::isfinite(value) || value <= 0) {
        fail(candidates[i].key, "measured " + std::to_string(value));
      }
      figures[i].samples.push_back(value);
    }
  }
  for (auto &figure : figures) {
    std::sort(figure.samples.begin(), figure.samples.end());
  }
  return figures;
}

void defineBenchImports(WasmHost &host) {
  host.defineHostFunction("env", "host_bench_echo", [](int32_t value) { return value; });
  host.defineHostFunction("env", "host_log_value", [](int32_t) {});
  host.defineHostFunction("env", "host_get_shared_value", []() { return int32_t{0}; });
  host.defineHostFunction("env", "host_set_shared_value", [](int32_t) {});
}

namespace {

/// `env::host_bench_echo` for the raw C API: the result slot already holds
/// the argument.
wasm_trap_t *rawEcho(void *, wasmtime_caller_t *, wasmtime_val_raw_t *, size_t) { return nullptr; }

struct FuncTypeDeleter {
  void operator()(wasm_functype_t *type) const { wasm_functype_delete(type); }
};

} // namespace

wasmtime::Linker rawLinker(wasmtime::Engine &engine, const wasmtime::Module &module) {
  wasmtime::Linker linker(engine);
  unwrap("defining WASI", linker.define_wasi());
  std::unique_ptr<wasm_functype_t, FuncTypeDeleter> echo_type(
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()));
  const std::string_view module_name = "env";
  const std::string_view name = "host_bench_echo";
  check("wasmtime_linker_define_func_unchecked",
        wasmtime_linker_define_func_unchecked(linker.capi(), module_name.data(), module_name.size(),
                                              name.data(), name.size(), echo_type.get(), rawEcho,
                                              nullptr, nullptr),
        nullptr);
  unwrap("defining the other imports", linker.define_unknown_imports_as_traps(module));
  return linker;
}

void setQuietWasi(wasmtime::Store &store) {
  wasmtime::WasiConfig wasi;
  wasi.inherit_stderr();
  unwrap("setting WASI", store.context().set_wasi(std::move(wasi)));
}

void fail(const std::string &what, const std::string &message) {
  throw std::runtime_error(what + ": " + message);
}

void check(const std::string &what, wasmtime_error_t *error, wasm_trap_t *trap) {
  if (error != nullptr) {
    fail(what, wasmtime::Error(error).message());
  }
  if (trap != nullptr) {
    fail(what, wasmtime::Trap(trap).message());
  }
}

int32_t echoSum(int32_t n) {
  uint32_t sum = 0;
  for (int32_t i = 0; i < n; ++i) {
    sum += static_cast<uint32_t>(i);
  }
  return static_cast<int32_t>(sum);
}

} // namespace wasmhost::bench
