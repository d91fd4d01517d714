// libFuzzer target: arbitrary bytes through WasmHost's load, instantiation
// and the article's scenarios, with a time limit, fuel and a memory limit;
// bytes with a component's header through ComponentHost and the component
// scenarios of the world wasmhost:plugin@0.1.0 instead.
// A finding is anything that is not an orderly error: a crash, a sanitizer
// report, an uncaught exception other than a setup error, a hang (-timeout)
// or unbounded memory (-rss_limit_mb).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <vector>

#include "article_host.hh"
#include "component_scenarios.hh"
#include "scenarios.hh"
#include "wasmhost/wasm_host.hh"

namespace {

void fuzzComponent(const uint8_t *data, size_t size, const wasmhost::WasmHostOptions &options) {
  using namespace wasmhost;
  try {
    component::ComponentHost host(std::vector<uint8_t>(data, data + size), "fuzz-input.wasm",
                                  options);
    app::world::ComponentHostState state;
    plugin::host::add_to_linker(host, state);
    host.instantiate();
    const plugin::Plugin exports(host);
    std::ostream discard(nullptr);
    app::GuestOutput guest_output(nullptr);
    app::ComponentContext context{host, exports, state, guest_output, discard};
    app::runComponentScenarios({}, context, discard, discard);
  } catch (const Error &) {
    // Orderly refusals, as for a core module.
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wasmhost::WasmHostOptions options;
  options.guest_stdout = false;
  options.timeout_ms = 1000;
  options.fuel = 10'000'000;
  options.max_memory_bytes = 64u << 20;
  options.max_table_elements = 100'000;
  if (wasmhost::component::ComponentHost::isComponent(std::span(data, size))) {
    fuzzComponent(data, size, options);
    return 0;
  }
  try {
    wasmhost::WasmHost host(std::vector<uint8_t>(data, data + size), "fuzz-input.wasm", options);
    wasmhost::app::HostState state;
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
    std::ostream discard(nullptr);
    wasmhost::app::ScenarioContext context{host.instance(), state, discard, std::nullopt, 0};
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
