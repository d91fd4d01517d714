// `host`: runs the tutorial's scenarios (or one `--call`) against a module.
#include <iostream>
#include <string>
#include <vector>

#include "article_host.hh"
#include "call_export.hh"
#include "cli.hh"
#include "scenarios.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using namespace wasmhost;

/// Folds a multi-line message (a trap with its backtrace) into one line.
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

int reportError(const std::string &message, int status) {
  std::cout.flush();
  std::cerr << "host: error: " << oneLine(message) << std::endl;
  return status;
}

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

int runScenarios(const cli::Options &options, WasmHost &host, HostState &state,
                 std::ostream &narration) {
  const std::vector<std::string> &selected =
      options.scenarios.empty() ? scenarioNames() : options.scenarios;
  ScenarioContext context{host, state, narration, std::nullopt, 0};
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  bool any_trap = false;
  bool any_link_error = false;
  for (const auto &name : selected) {
    if (any_trap) {
      ++skipped;
      std::cout << "[Host Main] Scenario " << name << ": SKIPPED (the guest trapped earlier)"
                << std::endl;
      continue;
    }
    narration << "\n--- Scenario " << name << " ---" << std::endl;
    ScenarioResult result = runScenario(name, context);
    std::cout << "[Host Main] Scenario " << name << ": " << verdictText(result.outcome);
    if (!result.detail.empty()) {
      std::cout << " (" << oneLine(result.detail) << ")";
    }
    std::cout << std::endl;
    if (result.outcome == Outcome::Passed) {
      ++passed;
      continue;
    }
    ++failed;
    std::cerr << "host: " << name << ": " << oneLine(result.detail) << std::endl;
    any_trap = any_trap || result.outcome == Outcome::Trapped;
    any_link_error = any_link_error || result.outcome == Outcome::LinkError;
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (skipped > 0) {
    std::cout << ", " << skipped << " skipped";
  }
  std::cout << std::endl;
  if (any_trap) {
    return cli::kGuestTrap;
  }
  if (any_link_error) {
    return cli::kSetupError;
  }
  return failed > 0 ? cli::kCheckFailed : cli::kOk;
}

int runCall(const cli::Options &options, WasmHost &host, std::ostream &narration) {
  const std::string &name = *options.call_export;
  auto func = host.getFunction(name);
  if (!func) {
    return reportError(func.err().message(), cli::kSetupError);
  }
  std::vector<wasmtime::Val> args;
  try {
    args = parseCallArguments(name, func.ok_ref().type(host.context()), options.call_args);
  } catch (const std::invalid_argument &error) {
    return reportError(error.what(), cli::kSetupError);
  }
  narration << "[Host Main] Calling Wasm function '" << name << "'..." << std::endl;
  auto results = func.ok_ref().call(host.context(), args);
  if (!results) {
    return reportError("'" + name + "' trapped: " + results.err().message(), cli::kGuestTrap);
  }
  const auto values = results.ok();
  narration << "[Host Main] '" << name << "' returned " << values.size() << " value(s)"
            << std::endl;
  if (!values.empty()) {
    std::cout << formatCallResults(values) << std::endl;
  }
  return cli::kOk;
}

} // namespace

int main(int argc, char **argv) {
  cli::Options options;
  try {
    options = cli::parseOptions(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const cli::UsageError &error) {
    return reportError(std::string(error.what()) + " (see 'host --help')", cli::kSetupError);
  }
  if (options.help) {
    std::cout << cli::usageText();
    return cli::kOk;
  }
  if (options.version) {
    std::cout << cli::versionText();
    return cli::kOk;
  }

  std::ostream *narration = options.quiet ? nullptr : &std::cout;
  try {
    HostState state;
    state.narration = narration;
    WasmHost host(options.module_path, WasmHostOptions{narration, !options.quiet});
    defineArticleHostFunctions(host, state);
    host.initialize();
    std::ostream discard(nullptr);
    std::ostream &main_narration = narration != nullptr ? *narration : discard;
    if (options.call_export) {
      return runCall(options, host, main_narration);
    }
    return runScenarios(options, host, state, main_narration);
  } catch (const GuestTrap &trap) {
    return reportError(trap.what(), cli::kGuestTrap);
  } catch (const std::exception &error) {
    return reportError(error.what(), cli::kSetupError);
  }
}
