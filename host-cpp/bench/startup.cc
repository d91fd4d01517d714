// start.*: compile against a module-cache hit (deserialize), instantiate against InstancePre with
// the pooling allocator. WASI is set up in each fresh store outside the timing.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include <unistd.h>

#include "wasmhost/instance_pre.hh"
#include "wasmhost/module_cache.hh"

#include "benches.hh"

namespace wasmhost::bench {
namespace {

double millisecondsSince(Clock::time_point start) { return secondsSince(start) * 1e3; }
double microsecondsSince(Clock::time_point start) { return secondsSince(start) * 1e6; }

Figure compile(wasmtime::Engine &engine, std::vector<uint8_t> &wasm, const Sizes &sizes) {
  return measure("start.compile_ms", sizes.reps, [&] {
    const auto start = Clock::now();
    auto module = wasmtime::Module::compile(engine, wasm);
    const double ms = millisecondsSince(start);
    unwrap("compiling", std::move(module));
    return ms;
  });
}

/// A hit of the precompiled-module cache (`--cache`, `ModuleCache::tryLoad`:
/// read the entry, hash the wasm bytes once, check the header, its HMAC and
/// the payload's SHA-256, deserialize), in turns with a bare `Module::deserialize`
/// of the same payload already in memory. `start.deserialize_ms` repeats the
/// cache hit (spec.json: `same_as`).
std::vector<Figure> deserialize(wasmtime::Engine &engine, const wasmtime::Module &module,
                                const std::vector<uint8_t> &wasm, const Sizes &sizes) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("wasmhost-bench-cache-" + std::to_string(::getpid()));
  ModuleCacheIdentity identity{WASMTIME_VERSION, "bench"};
  ModuleCache cache(dir, identity);
  cache.store(module, wasm);
  auto serialized = unwrap("serializing", module.serialize());
  auto figures =
      measureInterleaved({{"start.cache_hit_ms",
                           [&] {
                             double total = 0;
                             for (int i = 0; i < sizes.deserializations; ++i) {
                               std::string reason;
                               const auto start = Clock::now();
                               auto loaded = cache.tryLoad(engine, wasm, &reason);
                               total += millisecondsSince(start);
                               if (!loaded) {
                                 throw std::runtime_error("the module cache missed: " + reason);
                               }
                             }
                             return total / sizes.deserializations;
                           }},
                          {"start.deserialize_bare_ms",
                           [&] {
                             double total = 0;
                             for (int i = 0; i < sizes.deserializations; ++i) {
                               const auto start = Clock::now();
                               auto loaded = wasmtime::Module::deserialize(engine, serialized);
                               total += millisecondsSince(start);
                               unwrap("deserializing", std::move(loaded));
                             }
                             return total / sizes.deserializations;
                           }}},
                         sizes.reps);
  std::filesystem::remove_all(dir);
  Figure alias = figures.front();
  alias.key = "start.deserialize_ms";
  figures.insert(figures.begin() + 1, std::move(alias));
  return figures;
}

/// `Linker::instantiate` in a fresh store, with the default (on-demand)
/// allocator.
Figure instantiate(wasmtime::Engine &engine, const wasmtime::Module &module, const Sizes &sizes) {
  auto linker = rawLinker(engine, module);
  return measure("start.instantiate_us", sizes.reps, [&] {
    double total = 0;
    for (int i = 0; i < sizes.instantiations; ++i) {
      wasmtime::Store store(engine);
      setQuietWasi(store);
      const auto start = Clock::now();
      auto instance = linker.instantiate(store.context(), module);
      total += microsecondsSince(start);
      unwrap("instantiating", std::move(instance));
    }
    return total / sizes.instantiations;
  });
}

/// An engine with the pooling allocator, sized for this benchmark (the
/// defaults reserve address space for 1000 instances).
wasmtime::Engine pooledEngine() {
  wasmtime::PoolAllocationConfig pool;
  pool.total_core_instances(16);
  pool.total_memories(16);
  pool.total_tables(16);
  wasmtime::Config config;
  config.pooling_allocation_strategy(pool);
  return wasmtime::Engine(std::move(config));
}

/// `InstancePre::instantiate` (`wasmhost/instance_pre.hh`, a thin wrapper of
/// `wasmtime_instance_pre_instantiate`) in a fresh store of an engine with
/// the pooling allocator.
Figure instantiatePre(std::vector<uint8_t> &wasm, const Sizes &sizes) {
  auto engine = pooledEngine();
  auto module = unwrap("compiling", wasmtime::Module::compile(engine, wasm));
  auto linker = rawLinker(engine, module);
  const InstancePre pre(linker, engine, module, "guest-bench.wasm");
  return measure("start.instantiate_pre_pooling_us", sizes.reps, [&] {
    double total = 0;
    for (int i = 0; i < sizes.instantiations; ++i) {
      wasmtime::Store store(engine);
      setQuietWasi(store);
      const auto start = Clock::now();
      auto instance = pre.instantiate(store.context());
      total += microsecondsSince(start);
      unwrap("instantiating", std::move(instance));
    }
    return total / sizes.instantiations;
  });
}

} // namespace

std::vector<Figure> measureStartup(std::vector<uint8_t> &wasm, const Sizes &sizes) {
  wasmtime::Engine engine;
  auto module = unwrap("compiling", wasmtime::Module::compile(engine, wasm));
  std::vector<Figure> figures;
  figures.push_back(compile(engine, wasm, sizes));
  for (auto &figure : deserialize(engine, module, wasm, sizes)) {
    figures.push_back(std::move(figure));
  }
  figures.push_back(instantiate(engine, module, sizes));
  figures.push_back(instantiatePre(wasm, sizes));
  return figures;
}

} // namespace wasmhost::bench
