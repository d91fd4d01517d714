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

void printError(const std::string &message) {
  std::cout.flush();
  std::cerr << "host: error: " << oneLine(message) << std::endl;
}

int reportError(const std::string &message, int status) {
  printError(message);
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

/// With --keep-going: a fresh instance after a trap or a failed check.
/// Returns false (after reporting why) when the module cannot be
/// instantiated again; `trapped` says whether that was a trap.
bool freshInstance(WasmHost &host, ScenarioContext &context, bool &trapped) {
  try {
    host.reinstantiate();
    context.plugin_value_offset.reset();
    context.narration << "[Host Main] Carrying on with a fresh instance (--keep-going)."
                      << std::endl;
    return true;
  } catch (const GuestTrap &trap) {
    trapped = true;
    printError(std::string("re-instantiation: ") + trap.what());
  } catch (const std::exception &error) {
    printError(std::string("re-instantiation: ") + error.what());
  }
  return false;
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
  const char *stop_reason = nullptr; // set when the remaining scenarios cannot run
  for (size_t index = 0; index < selected.size(); ++index) {
    const std::string &name = selected[index];
    if (stop_reason != nullptr) {
      ++skipped;
      std::cout << "[Host Main] Scenario " << name << ": SKIPPED (" << stop_reason << ")"
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
    const bool trapped = result.outcome == Outcome::Trapped;
    any_trap = any_trap || trapped;
    any_link_error = any_link_error || result.outcome == Outcome::LinkError;
    const bool more = index + 1 < selected.size();
    if (options.keep_going && more && result.outcome != Outcome::LinkError) {
      if (!freshInstance(host, context, any_trap)) {
        any_link_error = true;
        stop_reason = "the module could not be instantiated again";
      }
    } else if (trapped) {
      stop_reason = "the guest trapped earlier";
    }
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
  auto results = host.callDynamic(func.ok_ref(), args);
  if (!results) {
    return reportError("'" + name + "' trapped: " + host.describeTrap(results.err_ref()),
                       cli::kGuestTrap);
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
    WasmHostOptions host_options;
    host_options.narration = narration;
    host_options.guest_stdout = !options.quiet;
    host_options.timeout_ms = options.timeout_ms;
    host_options.fuel = options.fuel;
    host_options.max_memory_bytes = options.max_memory_bytes;
    WasmHost host(options.module_path, host_options);
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
