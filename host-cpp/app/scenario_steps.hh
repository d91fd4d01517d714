/**
 * \file scenario_steps.hh
 * What the scenario files share: the scenario functions the runner's table
 * lists, and the helpers that end a scenario with an outcome. Private to the
 * app.
 */
#ifndef WASMHOST_APP_SCENARIO_STEPS_HH
#define WASMHOST_APP_SCENARIO_STEPS_HH

#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios.hh"

namespace wasmhost::app {

// The article's five patterns, in its order (patterns.cc).
void scenarioAdd(ScenarioContext &context);
void scenarioHostCalls(ScenarioContext &context);
void scenarioPoint(ScenarioContext &context);
void scenarioPluginState(ScenarioContext &context);
void scenarioVerify(ScenarioContext &context);

// Beyond the article (beyond_article.cc).
void scenarioPointAlloc(ScenarioContext &context);
void scenarioStrings(ScenarioContext &context);

/// The names of a scenario table (pairs of a name and a function), in order.
template <typename Table> std::vector<std::string> namesOf(const Table &table) {
  std::vector<std::string> names;
  for (const auto &entry : table) {
    names.push_back(entry.first);
  }
  return names;
}

/// The function of scenario `name` in `table`, or null.
template <typename Table>
auto findScenario(const Table &table, std::string_view name) -> decltype(table.begin()->second) {
  for (const auto &entry : table) {
    if (entry.first == name) {
      return entry.second;
    }
  }
  return nullptr;
}

/// The names joined with ", ", for messages.
std::string joinNames(const std::vector<std::string> &names);

/// Ends a scenario early with an outcome; caught by `runScenario`.
struct ScenarioStop {
  Outcome outcome;
  std::string detail;
};

/// Unwraps a call result, turning errors into the scenario's outcome.
template <typename T>
T expectCall(const ScenarioContext &context, wasmtime::TrapResult<T> result,
             std::string_view export_name) {
  if (!result) {
    if (std::holds_alternative<wasmtime::Trap>(result.err_ref().data)) {
      throw ScenarioStop{Outcome::Trapped, "'" + std::string(export_name) + "' trapped: " +
                                               context.instance.describeTrap(result.err_ref())};
    }
    throw ScenarioStop{Outcome::LinkError,
                       "'" + std::string(export_name) + "': " + result.err().message()};
  }
  return result.ok();
}

inline std::ostream &operator<<(std::ostream &out, const std::vector<int32_t> &values) {
  out << "[";
  for (size_t i = 0; i < values.size(); ++i) {
    out << (i == 0 ? "" : ", ") << values[i];
  }
  return out << "]";
}

template <typename T> void check(std::string_view what, const T &actual, const T &expected) {
  if (!(actual == expected)) {
    std::ostringstream detail;
    detail << what << ": expected " << expected << ", got " << actual;
    throw ScenarioStop{Outcome::Failed, detail.str()};
  }
}

} // namespace wasmhost::app

#endif // WASMHOST_APP_SCENARIO_STEPS_HH
