/**
 * \file scenarios.hh
 * The article's five interaction patterns as named, self-checking scenarios.
 */
#ifndef WASMHOST_SCENARIOS_HH
#define WASMHOST_SCENARIOS_HH

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "article_host.hh"
#include "wasmhost/wasm_host.hh"

namespace wasmhost {

enum class Outcome {
  Passed,
  Failed,    ///< A check failed, or the host refused an access.
  Trapped,   ///< The guest trapped.
  LinkError, ///< A missing export or an export of another type.
};

struct ScenarioResult {
  std::string name;
  Outcome outcome = Outcome::Failed;
  std::string detail; ///< Why it failed (one line), empty when it passed.
};

/// What the scenarios share within one instance.
struct ScenarioContext {
  WasmHost &host;
  HostState &state;
  std::ostream &narration; ///< `[Host Main]` lines (may discard them).
  /// Offset and value pattern four wrote into the plugin, for pattern five.
  std::optional<int32_t> plugin_value_offset;
  int32_t plugin_value_written = 0;
};

/// Scenario names in the article's order.
const std::vector<std::string> &scenarioNames();
bool isScenarioName(std::string_view name);

/// Runs one scenario; never throws for a guest or memory failure.
ScenarioResult runScenario(std::string_view name, ScenarioContext &context);

} // namespace wasmhost

#endif // WASMHOST_SCENARIOS_HH
