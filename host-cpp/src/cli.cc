#include "cli.hh"

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

} // namespace

Options parseOptions(const std::vector<std::string> &args) {
  Options options;
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
