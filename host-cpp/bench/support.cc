#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "benches.hh"
#include "spec.hh"

namespace wasmhost::bench {

Sizes sizesFor(const std::string &mode) {
  const auto &json = Spec::get().sizes(mode);
  Sizes sizes;
  sizes.mode = mode;
  sizes.reps = json.at("reps").get<int>();
  sizes.calls = json.at("calls").get<uint32_t>();
  sizes.native_calls = json.at("native_calls").get<uint32_t>();
  sizes.host_calls = json.at("host_calls").get<int32_t>();
  sizes.point_ops = json.at("point_ops").get<uint32_t>();
  sizes.bulk_bytes = json.at("bulk_bytes").get<size_t>();
  sizes.deserializations = json.at("deserializations").get<int>();
  sizes.instantiations = json.at("instantiations").get<int>();
  sizes.idle_hosts = json.at("idle_hosts").get<int>();
  sizes.idle_reps = json.at("idle_reps").get<int>();
  sizes.idle_ms = json.at("idle_ms").get<int>();
  sizes.scale_reps = json.at("scale_reps").get<int>();
  sizes.scenario_rounds = json.at("scenario_rounds").get<int>();
  sizes.component_rounds = json.at("component_rounds").get<int>();
  return sizes;
}

std::vector<Figure> measureInterleaved(std::vector<Candidate> candidates, int reps) {
  std::vector<Figure> figures;
  for (auto &candidate : candidates) {
    candidate.sample();
    figures.push_back({candidate.key, Spec::get().figure(candidate.key).unit, {}});
  }
  for (int rep = 0; rep < reps; ++rep) {
    for (size_t i = 0; i < candidates.size(); ++i) {
      const double value = candidates[i].sample();
      // Every figure is positive but an idle CPU share and the memory added
      // per instance (pages already resident), which may be 0.
      const bool may_be_zero = figures[i].unit == "%" || figures[i].unit == "KiB";
      if (!std::isfinite(value) || value < 0 || (value == 0 && !may_be_zero)) {
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
