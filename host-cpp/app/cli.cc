#include "cli.hh"

#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>
#include <sstream>

#include <wasmtime.h>

#include "component_scenarios.hh"
#include "scenario_steps.hh"
#include "scenarios.hh"

namespace wasmhost::app::cli {
namespace {

std::string joinedScenarioNames() { return joinNames(scenarioNames()); }

/// A whole decimal number in [low, high], or a `UsageError` naming `flag`.
int parseBoundedCount(const std::string &flag, const std::string &text, int low, int high) {
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

/// `--profile`'s value into `options`, or a `UsageError`.
void parseProfile(const std::string &text, Options &options) {
  constexpr std::string_view kGuest = "guest=";
  if (text == "perfmap") {
    options.profiler = Profiler::PerfMap;
  } else if (text == "jitdump") {
    options.profiler = Profiler::JitDump;
  } else if (text.rfind(kGuest, 0) == 0) {
    options.profiler = Profiler::Guest;
    options.guest_profile_path = text.substr(kGuest.size());
    if (options.guest_profile_path.empty()) {
      throw UsageError("option '--profile guest=FILE' needs a file name");
    }
    if (flameGraphPath(options.guest_profile_path) == options.guest_profile_path) {
      throw UsageError("option '--profile guest=FILE': '" + options.guest_profile_path +
                       "' ends in .svg, the name of the flame graph written next to it");
    }
  } else {
    throw UsageError("option '--profile' needs perfmap, jitdump or guest=FILE, not '" + text + "'");
  }
}

} // namespace

std::string flameGraphPath(const std::string &profile_path) {
  return std::filesystem::path(profile_path).replace_extension(".svg").string();
}

std::optional<uint64_t> parseCount(const std::string &text) {
  uint64_t value = 0;
  const char *end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> parseSize(const std::string &text) {
  std::string digits = text;
  unsigned shift = 0;
  if (!digits.empty()) {
    switch (digits.back()) {
    case 'K':
    case 'k':
      shift = 10;
      break;
    case 'M':
    case 'm':
      shift = 20;
      break;
    case 'G':
    case 'g':
      shift = 30;
      break;
    default:
      break;
    }
    if (shift != 0) {
      digits.pop_back();
    }
  }
  auto value = parseCount(digits);
  if (!value || *value > (std::numeric_limits<uint64_t>::max() >> shift)) {
    return std::nullopt;
  }
  return *value << shift;
}

Options parseOptions(const std::vector<std::string> &args, std::string *note) {
  Options options;
  std::optional<int> threads;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    // `--flag VALUE` or `--flag=VALUE`: true when `arg` is `flag`, with its
    // value in `text`.
    std::string text;
    auto option = [&](const std::string &flag) {
      if (arg == flag) {
        if (i + 1 >= args.size()) {
          throw UsageError("option '" + flag + "' needs a value");
        }
        text = args[++i];
        return true;
      }
      if (arg.rfind(flag + "=", 0) == 0) {
        text = arg.substr(flag.size() + 1);
        return true;
      }
      return false;
    };
    auto number = [&](const std::string &flag, auto parse, const char *expected) {
      auto parsed = parse(text);
      if (!parsed) {
        throw UsageError("option '" + flag + "' needs " + expected + ", not '" + text + "'");
      }
      return *parsed;
    };
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--version") {
      options.version = true;
    } else if (arg == "--quiet") {
      options.quiet = true;
    } else if (arg == "--keep-going") {
      options.keep_going = true;
    } else if (option("--timeout-ms")) {
      options.timeout_ms = number("--timeout-ms", parseCount, "a number of milliseconds");
    } else if (option("--compile-timeout-ms")) {
      options.compile_timeout_ms =
          number("--compile-timeout-ms", parseCount, "a number of milliseconds");
    } else if (option("--fuel")) {
      options.fuel = number("--fuel", parseCount, "a number");
    } else if (option("--max-memory")) {
      options.max_memory_bytes =
          number("--max-memory", parseSize, "a size in bytes (suffix K, M or G allowed)");
    } else if (arg == "--debug") {
      options.debug = true;
    } else if (option("--profile")) {
      if (options.profiler != Profiler::None) {
        throw UsageError("option '--profile' can be given once");
      }
      parseProfile(text, options);
    } else if (arg == "--dump-state") {
      options.dump_state = true;
    } else if (option("--cache")) {
      options.cache_dir = text;
      if (options.cache_dir.empty()) {
        throw UsageError("option '--cache' needs a folder");
      }
    } else if (option("--instances")) {
      options.instances = parseBoundedCount("--instances", text, 1, kMaxInstances);
    } else if (option("--threads")) {
      threads = parseBoundedCount("--threads", text, 1, kMaxThreads);
    } else if (arg == "--watch") {
      options.watch = true;
    } else if (option("--watch-runs")) {
      options.watch_runs = parseBoundedCount("--watch-runs", text, 1, kMaxWatchRuns);
    } else if (option("--scenario")) {
      const std::string &name = text;
      if (!isScenarioName(name) && !isComponentScenarioName(name)) {
        throw UsageError("unknown scenario '" + name + "' (scenarios: " + joinedScenarioNames() +
                         "; of a component: " + joinNames(componentScenarioNames()) + ")");
      }
      options.scenarios.push_back(name);
    } else if (arg == "--call") {
      if (i + 1 >= args.size()) {
        throw UsageError("option '--call' needs a value");
      }
      options.call_export = args[++i];
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
  if (options.call_export && !options.scenarios.empty()) {
    throw UsageError("--call and --scenario cannot be combined");
  }
  if (options.call_export && options.keep_going) {
    throw UsageError("--keep-going applies to scenarios, not to --call");
  }
  if (threads && !options.instances) {
    throw UsageError("--threads needs --instances");
  }
  if (options.instances && options.call_export) {
    throw UsageError("--call and --instances cannot be combined");
  }
  if (options.instances && options.profiler == Profiler::Guest) {
    throw UsageError("--profile guest=FILE profiles one instance: it cannot be combined with "
                     "--instances");
  }
  if (options.watch_runs && !options.watch) {
    throw UsageError("--watch-runs needs --watch");
  }
  if (options.watch && (options.call_export || options.instances)) {
    throw UsageError(std::string("--watch runs the scenarios of one instance again: it cannot be "
                                 "combined with ") +
                     (options.call_export ? "--call" : "--instances"));
  }
  if (options.watch && options.profiler == Profiler::Guest) {
    throw UsageError(
        "--profile guest=FILE profiles one module: it cannot be combined with --watch");
  }
  if (options.module_path.empty()) {
    // --call takes every argument after it: a module named there is an argument.
    throw UsageError(options.call_export
                         ? "missing module: it must come before --call, which takes the rest of "
                           "the line as arguments (host [options] <module> --call EXPORT [ARG...])"
                         : "missing module: host [options] <module.wasm|module.wat>");
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
          "A component (wasm32-wasip2, world wasmhost:plugin@0.1.0 of wit/plugin.wit) runs\n"
          "the component scenarios instead, with WASIp2.\n"
          "\n"
          "Options:\n"
          "  --scenario NAME      run only this scenario (repeatable, run in the order given);\n"
          "                       one of: "
       << joinedScenarioNames()
       << "\n"
          "                       of a component: "
       << joinNames(componentScenarioNames())
       << "\n"
          "  --call EXPORT [ARG...]\n"
          "                       call any exported function instead of the scenarios; the\n"
          "                       arguments are parsed by its signature (i32, i64, f32, f64;\n"
          "                       of a component: WIT scalars and strings, INTERFACE#NAME for\n"
          "                       a function of an exported interface) and its results are\n"
          "                       printed on one line; must come last\n"
          "  --quiet              print only verdicts, the closing line and --call results\n"
          "                       (no host narration, no guest stdout)\n"
          "  --dump-state         after the run, print the guest's debug view (JSON from its\n"
          "                       'guest_debug_state' export, built with the cargo feature\n"
          "                       debug-json); exit status 2 when the export is missing\n"
          "  --cache DIR          keep compiled modules in DIR and reuse them (checked, keyed by\n"
          "                       the wasm bytes, engine configuration and Wasmtime version,\n"
          "                       authenticated with ~/.config/wasmhost/cache.key); DIR must\n"
          "                       be yours and writable by you alone\n"
          "  --instances N        run the scenarios in N instances of one compiled module, each\n"
          "                       with its own store, WASI context and host state; instance i\n"
          "                       passes 7+i to trigger_host_calls\n"
          "  --threads T          run the instances on T threads (default 1, at most N)\n"
          "  --timeout-ms N       wall-clock limit of each guest call in milliseconds\n"
          "                       (epoch interruption, and WASI sleeps end at it;\n"
          "                       default 10000, 0: none)\n"
          "  --fuel N             fuel budget of each guest call (default 0: unmetered);\n"
          "                       a WASI sleep costs 1000000 fuel per ms\n"
          "  --compile-timeout-ms N\n"
          "                       wall-clock limit of compiling the module in milliseconds\n"
          "                       (default 10000, 0: none); past it exit status 2\n"
          "  --max-memory SIZE    largest linear memory, in bytes or with a K, M or G\n"
          "                       suffix; past it the guest's memory.grow fails\n"
          "  --keep-going         after a trap or a failed check, re-instantiate the module\n"
          "                       and run the remaining scenarios\n"
          "  --watch              after the run, wait for the module file to change (written,\n"
          "                       or renamed over), reload it keeping the host functions and\n"
          "                       their state, and run again; a reload that fails is one\n"
          "                       error line and the watch goes on; Ctrl-C (SIGINT) or\n"
          "                       SIGTERM ends it with the exit status of the last run\n"
          "                       (not with --call, --instances, --profile guest=FILE or\n"
          "                       a component)\n"
          "  --watch-runs N       with --watch: end after N runs, the first one included\n"
          "  --debug              compile the guest with debug info: gdb and lldb can break in\n"
          "                       its (Rust) functions, trap backtraces name source lines\n"
          "                       (use a guest built with debug info: guest-debug.wasm)\n"
          "  --profile perfmap    write the guest's symbols to /tmp/perf-<pid>.map (perf)\n"
          "  --profile jitdump    write ./jit-<pid>.dump for perf record -k 1 + perf inject\n"
          "  --profile guest=FILE sample the guest's stack on each call and every 1 ms; write\n"
          "                       Firefox Profiler JSON to FILE and a flame graph to FILE\n"
          "                       with the extension .svg\n"
          "  --help               show this help and exit\n"
          "  --version            show the host and Wasmtime versions and exit\n"
          "\n"
          "Exit status:\n"
          "  0  every check passed\n"
          "  1  a check failed (or the host refused a memory access)\n"
          "  2  usage, file, compile or link error (including a missing export, or a\n"
          "     --debug or --profile this Wasmtime build cannot serve)\n"
          "  3  the guest trapped (including a time limit, fuel or a failing host function)\n";
  return text.str();
}

std::string versionText() {
  return std::string("host (wasmhost) " WASMHOST_VERSION ", Wasmtime ") + WASMTIME_VERSION + "\n";
}

} // namespace wasmhost::app::cli
