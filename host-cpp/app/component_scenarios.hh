/**
 * \file component_scenarios.hh
 * `host guest-component.wasm`: the scenarios of the world
 * `wasmhost:plugin@0.1.0` (the article's patterns through the Component
 * Model, and what only it has: strings, lists, results, enums, flags,
 * resources), and `--call` of a component's export.
 */
#ifndef WASMHOST_APP_COMPONENT_SCENARIOS_HH
#define WASMHOST_APP_COMPONENT_SCENARIOS_HH

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hh"
#include "plugin_world.hh"
#include "scenarios.hh"
#include "wasmhost/runtime/log.hh"

namespace wasmhost::app {

/// Component scenario names, in order.
const std::vector<std::string> &componentScenarioNames();
bool isComponentScenarioName(std::string_view name);

/// The guest's standard output as the host sees it: forwarded to `out`
/// and its last `kKept` bytes kept, for checks of what the guest printed.
class GuestOutput : public std::streambuf {
public:
  static constexpr size_t kKept = 64 * 1024;
  explicit GuestOutput(std::ostream *out) : out_(out) {}
  /// What the guest printed since `mark` (a `written()` value), of what is kept.
  [[nodiscard]] std::string since(uint64_t mark) const;
  [[nodiscard]] uint64_t written() const { return written_; }

protected:
  int overflow(int c) override;
  std::streamsize xsputn(const char *data, std::streamsize size) override;

private:
  std::ostream *out_;
  std::string kept_;
  uint64_t written_ = 0;
};

/// What the component scenarios share.
struct ComponentContext {
  component::ComponentHost &host;
  /// The world's exports of `host`'s instance.
  const plugin::Plugin &plugin;
  world::ComponentHostState &state;
  GuestOutput &guest_output;
  std::ostream &narration;
  /// The guest's plugin value as the scenarios left it (100 at start).
  int32_t plugin_value = 100;
};

/// Runs `names` (all when empty) as `runScenarioList` does.
ScenarioSummary runComponentScenarios(const std::vector<std::string> &names,
                                      ComponentContext &context, std::ostream &verdicts,
                                      std::ostream &errors);

/// `host guest-component.wasm [options]`: the scenarios or `--call`, with
/// the command line's exit status.
int runComponent(const cli::Options &options, std::ostream *narration,
                 runtime::LogSink *log_sink = nullptr);

} // namespace wasmhost::app

#endif // WASMHOST_APP_COMPONENT_SCENARIOS_HH
