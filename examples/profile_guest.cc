// A guest profile from code (docs/debugging.md): the option checked against
// what the Wasmtime build can do, the compute kernel run, the Firefox
// Profiler JSON written. Usage: example-profile-guest <guest-bench.wasm> <profile.json>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <tuple>
#include <vector>

#include "wasmhost/wasm_host.hh"

int main(int argc, char **argv) {
  if (argc < 3) {
    std::cerr << "usage: example-profile-guest <guest-bench.wasm> <profile.json>\n";
    return 2;
  }
  wasmhost::WasmHostOptions options;
  options.guest_stdout = false;
  options.profiler = wasmhost::Profiler::Guest; // a sample on each call and every 1 ms
  try {
    // What WasmHost's constructor checks first; an Error, never an abort.
    wasmhost::checkEngineOptions(options, wasmhost::EngineFeatures::ofThisBuild());
  } catch (const wasmhost::Error &error) { // kind Unsupported: no 'profiling' feature
    std::cerr << error.what() << "\n";
    return 2;
  }
  wasmhost::WasmHost host(argv[1], options);
  host.defineHostFunction("env", "host_log_value", [](int32_t) {});
  host.defineHostFunction("env", "host_get_shared_value", [] { return int32_t{42}; });
  host.defineHostFunction("env", "host_set_shared_value", [](int32_t) {});
  host.defineHostFunction("env", "host_bench_echo", [](int32_t value) { return value; });
  host.initialize();

  auto steps = host.callFunction<std::tuple<int64_t>, std::tuple<int32_t>>(
      "bench_compute", std::make_tuple(int32_t{1000000}));
  std::cout << "bench_compute(1000000) = " << std::get<0>(steps.unwrap()) << "\n";

  wasmhost::PluginInstance &instance = host.instance();
  const std::vector<uint8_t> profile = instance.finishGuestProfile(); // Firefox Profiler JSON
  std::ofstream(argv[2], std::ios::binary)
      .write(reinterpret_cast<const char *>(profile.data()),
             static_cast<std::streamsize>(profile.size()));
  std::cout << "guest profile: " << instance.guestProfileSamples() << " samples, " << profile.size()
            << " bytes of JSON\n";
  return 0;
}
