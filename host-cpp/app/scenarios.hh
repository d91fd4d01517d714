/**
 * \file scenarios.hh
 * The article's five interaction patterns as named, self-checking scenarios.
 */
#ifndef WASMHOST_APP_SCENARIOS_HH
#define WASMHOST_APP_SCENARIOS_HH

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "article_host.hh"
#include "wasmhost/wasm_host.hh"

namespace wasmhost::app {

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
  /// The instance the scenarios call: a `WasmHost`'s, or one leased from
  /// `--pool-size`'s pool. `--keep-going` re-instantiates it in place.
  PluginInstance &instance;
  HostState &state;
  std::ostream &narration; ///< `[Host Main]` lines (may discard them).
  /// Offset and value pattern four wrote into the plugin, for pattern five.
  std::optional<int32_t> plugin_value_offset;
  int32_t plugin_value_written = 0;
  /// The argument `host-calls` passes to `trigger_host_calls` (the article's
  /// 7; each of `--instances` uses its own).
  int32_t trigger_arg = 7;
};

/// Scenario names in the article's order.
const std::vector<std::string> &scenarioNames();
bool isScenarioName(std::string_view name);

/// Runs one scenario; never throws for a guest or memory failure.
ScenarioResult runScenario(std::string_view name, ScenarioContext &context);

/// Totals of `runScenarioList`.
struct ScenarioSummary {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  bool any_trap = false;
  bool any_link_error = false;
  /// How many runs of `name` passed.
  [[nodiscard]] int passedRuns(std::string_view name) const;
  /// The scenarios that passed, in order (with repeats).
  std::vector<std::string> passed_names;
};

/// Runs `names` in order: a `--- Scenario NAME ---` header on the context's
/// narration, a verdict line per scenario and the closing `N passed, M
/// failed` line on `verdicts`, a one-line reason per failure on `errors`.
/// After a trap the remaining scenarios are skipped, unless `keep_going`:
/// then, after a trap or a failed check, the module is instantiated afresh
/// (`WasmHost::reinstantiate`) and the run carries on.
ScenarioSummary runScenarioList(const std::vector<std::string> &names, ScenarioContext &context,
                                std::ostream &verdicts, std::ostream &errors,
                                bool keep_going = false);

/// What `runScenarioList` runs: each scenario by name, and (for
/// `keep_going`; may be empty) a fresh instance after a failure, which
/// reports why on `errors` and returns false when there is none.
struct ScenarioRunner {
  std::function<ScenarioResult(std::string_view)> run;
  std::function<bool(std::ostream &errors, bool &trapped)> fresh;
  std::ostream &narration; ///< the `--- Scenario NAME ---` headers
};
ScenarioSummary runScenarioList(const std::vector<std::string> &names, const ScenarioRunner &runner,
                                std::ostream &verdicts, std::ostream &errors,
                                bool keep_going = false);

/// Runs `body` as the scenario `name`: a `ScenarioStop`, a library `Error`
/// or a refused access ends it with its outcome.
ScenarioResult runGuarded(std::string_view name, const std::function<void()> &body);

/// Folds a multi-line message (a trap with its backtrace) into one line.
std::string oneLine(const std::string &message);

} // namespace wasmhost::app

#endif // WASMHOST_APP_SCENARIOS_HH
