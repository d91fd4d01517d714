// The precompiled-module cache: a second load deserializes what the first
// compiled, after checking the file (see wasmhost/module_cache.hh).
//
// Usage: example-module-cache guest.wasm CACHE_DIR
#include <cstdio>
#include <iostream>

#include "wasmhost/module_cache.hh"
#include "wasmhost/plugin.hh"

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s guest.wasm CACHE_DIR\n", argv[0]);
    return 2;
  }
  wasmhost::WasmHostOptions options; // the engine a plugin with these options gets
  wasmtime::Config config;
  config.epoch_interruption(options.timeout_ms > 0);
  wasmtime::Engine engine(std::move(config));
  const auto wasm_bytes = wasmhost::Plugin::readModuleFile(argv[1], options.max_module_bytes);

  wasmhost::ModuleCache cache(
      argv[2], {WASMTIME_VERSION, wasmhost::Plugin::engineConfigDescription(options)});
  for (int run = 0; run < 2; ++run) {
    wasmhost::ModuleLoadReport report;
    wasmtime::Module module = cache.load(engine, wasm_bytes, &report); // hit, or compile + store
    // report.source: CacheHit / CacheMiss / CacheRebuilt; report.reason; report.milliseconds
    std::cout << "load " << run << ": "
              << (report.source == wasmhost::ModuleLoadReport::Source::CacheHit ? "hit"
                                                                                : "compiled")
              << "\n";
  }
  std::string why;
  auto only_if_valid = cache.tryLoad(engine, wasm_bytes, &why); // never compiles
  std::cout << "tryLoad: " << (only_if_valid ? "valid" : why) << "\n";
  return 0;
}
