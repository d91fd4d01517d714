#include "cli.hh"

#include <cctype>
#include <sstream>

#include <wasmtime.h>

#include "scenarios.hh"

namespace wasmhost::cli {
namespace {

std::string joinedScenarioNames() {
  std::string joined;
  for (const auto &name : scenarioNames()) {
    joined += (joined.empty() ? "" : ", ") + name;
  }
  return joined;
}

/// A whole decimal number in [low, high], or a `UsageError` naming `flag`.
int parseCount(const std::string &flag, const std::string &text, int low, int high) {
  int value = 0;
  size_t used = 0;
  try {
    value = std::stoi(text, &used, 10);
  } catch (const std::exception &) {
    used = 0;
  }
  if (text.empty() || used != text.size() || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      value < low || value > high) {
    throw UsageError("option '" + flag + "' needs a whole number from " + std::to_string(low) +
                     " to " + std::to_string(high) + ", not '" + text + "'");
  }
  return value;
}

} // namespace

Options parseOptions(const std::vector<std::string> &args, std::string *note) {
  Options options;
  std::optional<int> threads;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    auto value = [&](const std::string &flag) -> std::string {
      if (i + 1 >= args.size()) {
        throw UsageError("option '" + flag + "' needs a value");
      }
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--version") {
      options.version = true;
    } else if (arg == "--quiet") {
      options.quiet = true;
    } else if (arg == "--dump-state") {
      options.dump_state = true;
    } else if (arg == "--cache") {
      options.cache_dir = value(arg);
      if (options.cache_dir.empty()) {
        throw UsageError("option '--cache' needs a folder");
      }
    } else if (arg == "--instances") {
      options.instances = parseCount(arg, value(arg), 1, kMaxInstances);
    } else if (arg == "--threads") {
      threads = parseCount(arg, value(arg), 1, kMaxThreads);
    } else if (arg == "--scenario" || arg.rfind("--scenario=", 0) == 0) {
      std::string name = arg == "--scenario" ? value(arg) : arg.substr(arg.find('=') + 1);
      if (!isScenarioName(name)) {
        throw UsageError("unknown scenario '" + name + "' (scenarios: " + joinedScenarioNames() +
                         ")");
      }
      options.scenarios.push_back(name);
    } else if (arg == "--call") {
      options.call_export = value(arg);
      // Everything after the export's name is its arguments, so negative
      // numbers are not mistaken for options.
      options.call_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    } else if (arg == "--") {
      if (i + 1 < args.size() && options.module_path.empty()) {
        options.module_path = args[++i];
      }
      if (i + 1 < args.size()) {
        throw UsageError("unexpected argument '" + args[i + 1] + "'");
      }
    } else if (arg.size() > 1 && arg[0] == '-') {
      throw UsageError("unknown option '" + arg + "'");
    } else if (options.module_path.empty()) {
      options.module_path = arg;
    } else {
      throw UsageError("unexpected argument '" + arg + "' (one module at a time)");
    }
  }
  if (options.help || options.version) {
    return options;
  }
  if (options.module_path.empty()) {
    throw UsageError("missing module: host [options] <module.wasm|module.wat>");
  }
  if (options.call_export && !options.scenarios.empty()) {
    throw UsageError("--call and --scenario cannot be combined");
  }
  if (threads && !options.instances) {
    throw UsageError("--threads needs --instances");
  }
  if (options.instances && options.call_export) {
    throw UsageError("--call and --instances cannot be combined");
  }
  if (options.instances) {
    options.threads = threads.value_or(1);
    if (options.threads > *options.instances) {
      if (note != nullptr) {
        *note = "--threads " + std::to_string(options.threads) + " is more than --instances " +
                std::to_string(*options.instances) + ": using " +
                std::to_string(*options.instances) + " thread(s)";
      }
      options.threads = *options.instances;
    }
  }
  return options;
}

std::string usageText() {
  std::ostringstream text;
  text << "Usage: host [options] <module.wasm|module.wat> [--call EXPORT [ARG...]]\n"
          "\n"
          "Loads a wasm32-wasip1 module with Wasmtime and runs the tutorial's interaction\n"
          "scenarios against it (default: all of them, in order), checking every value.\n"
          "\n"
          "Options:\n"
          "  --scenario NAME      run only this scenario (repeatable, run in the order given);\n"
          "                       one of: "
       << joinedScenarioNames()
       << "\n"
          "  --call EXPORT [ARG...]\n"
          "                       call any exported function instead of the scenarios; the\n"
          "                       arguments are parsed by its signature (i32, i64, f32, f64)\n"
          "                       and its results are printed on one line; must come last\n"
          "  --quiet              print only verdicts, the closing line and --call results\n"
          "                       (no host narration, no guest stdout)\n"
          "  --dump-state         after the run, print the guest's debug view (JSON from its\n"
          "                       'guest_debug_state' export, built with the cargo feature\n"
          "                       debug-json); exit status 2 when the export is missing\n"
          "  --cache DIR          keep compiled modules in DIR and reuse them (checked, keyed by\n"
          "                       the wasm bytes, engine configuration and Wasmtime version)\n"
          "  --instances N        run the scenarios in N instances of one compiled module, each\n"
          "                       with its own store, WASI context and host state; instance i\n"
          "                       passes 7+i to trigger_host_calls\n"
          "  --threads T          run the instances on T threads (default 1, at most N)\n"
          "  --help               show this help and exit\n"
          "  --version            show the host and Wasmtime versions and exit\n"
          "\n"
          "Exit status:\n"
          "  0  every check passed\n"
          "  1  a check failed\n"
          "  2  usage, file, compile or link error (including a missing export)\n"
          "  3  the guest trapped\n";
  return text.str();
}

std::string versionText() {
  return std::string("host (wasmhost) " WASMHOST_VERSION ", Wasmtime ") + WASMTIME_VERSION + "\n";
}

} // namespace wasmhost::cli
