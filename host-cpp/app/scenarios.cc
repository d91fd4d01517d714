// The scenario runner: the table of scenarios, verdicts and the closing line.
#include "scenarios.hh"

#include <algorithm>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "cli.hh"
#include "scenario_steps.hh"

namespace wasmhost::app {
namespace {

using ScenarioFunction = void (*)(ScenarioContext &);

/// How a library error ends a scenario: as the command line reports it.
Outcome outcomeOf(ErrorKind kind) {
  switch (cli::exitStatusFor(kind)) {
  case cli::kGuestTrap:
    return Outcome::Trapped;
  case cli::kCheckFailed:
    return Outcome::Failed;
  default:
    return Outcome::LinkError;
  }
}

const std::vector<std::pair<std::string, ScenarioFunction>> &scenarioTable() {
  static const std::vector<std::pair<std::string, ScenarioFunction>> table = {
      {"add", scenarioAdd},         {"host-calls", scenarioHostCalls},
      {"point", scenarioPoint},     {"plugin-state", scenarioPluginState},
      {"verify", scenarioVerify},   {"point-alloc", scenarioPointAlloc},
      {"strings", scenarioStrings},
  };
  return table;
}

} // namespace

const std::vector<std::string> &scenarioNames() {
  static const std::vector<std::string> names = namesOf(scenarioTable());
  return names;
}

bool isScenarioName(std::string_view name) {
  return findScenario(scenarioTable(), name) != nullptr;
}

std::string joinNames(const std::vector<std::string> &names) {
  std::string joined;
  for (const auto &name : names) {
    joined += (joined.empty() ? "" : ", ") + name;
  }
  return joined;
}

ScenarioResult runScenario(std::string_view name, ScenarioContext &context) {
  const auto scenario = findScenario(scenarioTable(), name);
  if (scenario == nullptr) {
    throw std::invalid_argument("unknown scenario '" + std::string(name) + "'");
  }
  return runGuarded(name, [&] { scenario(context); });
}

ScenarioResult runGuarded(std::string_view name, const std::function<void()> &body) {
  ScenarioResult result{std::string(name), Outcome::Passed, {}};
  try {
    body();
  } catch (const ScenarioStop &stop) {
    result.outcome = stop.outcome;
    result.detail = stop.detail;
  } catch (const Error &error) {
    result.outcome = outcomeOf(error.kind());
    result.detail = error.kind() == ErrorKind::GuestData
                        ? std::string("host refused the guest's data: ") + error.what()
                        : std::string(error.what());
  } catch (const std::out_of_range &refused) {
    result.outcome = Outcome::Failed;
    result.detail = std::string("host refused the access: ") + refused.what();
  } catch (const std::logic_error &unavailable) {
    result.outcome = Outcome::Failed;
    result.detail = unavailable.what();
  }
  return result;
}

std::string oneLine(const std::string &message) {
  std::string line;
  bool pending_break = false;
  for (char c : message) {
    if (c == '\n' || c == '\r') {
      pending_break = !line.empty();
      continue;
    }
    if (pending_break) {
      if (c == ' ' || c == '\t') {
        continue;
      }
      line += " | ";
      pending_break = false;
    }
    line += c;
  }
  return line;
}

namespace {

const char *verdictText(Outcome outcome) {
  switch (outcome) {
  case Outcome::Passed:
    return "PASSED";
  case Outcome::Failed:
    return "FAILED";
  case Outcome::Trapped:
    return "TRAPPED";
  case Outcome::LinkError:
    return "LINK ERROR";
  }
  return "?";
}

/// With --keep-going: a fresh instance after a trap or a failed check.
/// Returns false, after reporting why on `errors`, when the module cannot be
/// instantiated again; `trapped` is set when that was a trap.
bool freshInstance(ScenarioContext &context, std::ostream &errors, bool &trapped) {
  try {
    context.instance.reinstantiate();
    context.plugin_value_offset.reset();
    context.narration << "[Host Main] Carrying on with a fresh instance (--keep-going)."
                      << std::endl;
    return true;
  } catch (const Error &error) {
    trapped = trapped || error.guestFailed();
    errors << "host: error: re-instantiation: " << oneLine(error.what()) << std::endl;
  } catch (const std::exception &error) {
    errors << "host: error: re-instantiation: " << oneLine(error.what()) << std::endl;
  }
  return false;
}

} // namespace

int ScenarioSummary::passedRuns(std::string_view name) const {
  return static_cast<int>(std::count(passed_names.begin(), passed_names.end(), name));
}

ScenarioSummary runScenarioList(const std::vector<std::string> &names, ScenarioContext &context,
                                std::ostream &verdicts, std::ostream &errors, bool keep_going) {
  const ScenarioRunner runner{
      [&context](std::string_view name) { return runScenario(name, context); },
      [&context](std::ostream &out, bool &trapped) { return freshInstance(context, out, trapped); },
      context.narration};
  return runScenarioList(names, runner, verdicts, errors, keep_going);
}

ScenarioSummary runScenarioList(const std::vector<std::string> &names, const ScenarioRunner &runner,
                                std::ostream &verdicts, std::ostream &errors, bool keep_going) {
  ScenarioSummary summary;
  const char *stop_reason = nullptr; // set when the remaining scenarios cannot run
  for (size_t index = 0; index < names.size(); ++index) {
    const std::string &name = names[index];
    if (stop_reason != nullptr) {
      ++summary.skipped;
      verdicts << "[Host Main] Scenario " << name << ": SKIPPED (" << stop_reason << ")"
               << std::endl;
      continue;
    }
    runner.narration << "\n--- Scenario " << name << " ---" << std::endl;
    ScenarioResult result = runner.run(name);
    verdicts << "[Host Main] Scenario " << name << ": " << verdictText(result.outcome);
    if (!result.detail.empty()) {
      verdicts << " (" << oneLine(result.detail) << ")";
    }
    verdicts << std::endl;
    if (result.outcome == Outcome::Passed) {
      ++summary.passed;
      summary.passed_names.push_back(name);
      continue;
    }
    ++summary.failed;
    errors << "host: " << name << ": " << oneLine(result.detail) << std::endl;
    const bool trapped = result.outcome == Outcome::Trapped;
    summary.any_trap = summary.any_trap || trapped;
    summary.any_link_error = summary.any_link_error || result.outcome == Outcome::LinkError;
    const bool more = index + 1 < names.size();
    if (keep_going && more && result.outcome != Outcome::LinkError && runner.fresh) {
      if (!runner.fresh(errors, summary.any_trap)) {
        summary.any_link_error = true;
        stop_reason = "the module could not be instantiated again";
      }
    } else if (trapped) {
      stop_reason = "the guest trapped earlier";
    }
  }
  verdicts << summary.passed << " passed, " << summary.failed << " failed";
  if (summary.skipped > 0) {
    verdicts << ", " << summary.skipped << " skipped";
  }
  verdicts << std::endl;
  return summary;
}

} // namespace wasmhost::app
