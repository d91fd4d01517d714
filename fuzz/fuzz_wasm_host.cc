// libFuzzer target: arbitrary bytes through WasmHost's load, instantiation
// and the article's scenarios, with a time limit, fuel and a memory limit.
// A finding is anything that is not an orderly error: a crash, a sanitizer
// report, an uncaught exception other than a setup error, a hang (-timeout)
// or unbounded memory (-rss_limit_mb).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "article_host.hh"
#include "scenarios.hh"
#include "wasmhost/wasm_host.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wasmhost::WasmHostOptions options;
  options.guest_stdout = false;
  options.timeout_ms = 1000;
  options.fuel = 10'000'000;
  options.max_memory_bytes = 64u << 20;
  options.max_table_elements = 100'000;
  try {
    wasmhost::WasmHost host(std::vector<uint8_t>(data, data + size), "fuzz-input.wasm", options);
    wasmhost::app::HostState state;
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
    std::ostream discard(nullptr);
    wasmhost::app::ScenarioContext context{host, state, discard, std::nullopt, 0};
    for (const auto &name : wasmhost::app::scenarioNames()) {
      auto result = wasmhost::app::runScenario(name, context);
      if (result.outcome == wasmhost::app::Outcome::Trapped) {
        host.reinstantiate(); // as --keep-going does
        context.plugin_value_offset.reset();
      }
    }
  } catch (const wasmhost::Error &) {
    // Orderly refusals: compile and link errors, traps in a start function
    // or _initialize. Anything else propagates: a finding.
  }
  return 0;
}
