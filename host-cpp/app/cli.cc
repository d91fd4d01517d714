#include "cli.hh"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <wasmtime.h>

#include "wasmhost/runtime/size.hh"

#include "component_scenarios.hh"
#include "scenario_steps.hh"
#include "scenarios.hh"

namespace wasmhost::app::cli {
namespace {

/// Where an option's description starts: two spaces, the option and its
/// value's name, padded to this column (or on a line of its own when longer).
constexpr size_t kDescriptionColumn = 23;

/// The usage line of `host`, the first line of `--help`.
constexpr const char *kUsageLine =
    "Usage: host [options] <module.wasm|module.wat> [--call EXPORT [ARG...]]\n"
    "       host [options] --manifest FILE [--call EXPORT [ARG...]]";

constexpr const char *kDescription =
    "Loads a wasm32-wasip1 module with Wasmtime and runs the tutorial's interaction\n"
    "scenarios against it (default: all of them, in order), checking every value.\n"
    "A component (wasm32-wasip2, world wasmhost:plugin@0.1.0 of wit/plugin.wit) runs\n"
    "the component scenarios instead, with WASIp2.";

constexpr const char *kExitStatuses =
    "Exit status:\n"
    "  0  every check passed\n"
    "  1  a check failed (or the host refused a memory access)\n"
    "  2  usage, file, compile or link error (including a missing export, or a\n"
    "     --debug or --profile this Wasmtime build cannot serve)\n"
    "  3  the guest trapped (including a time limit, fuel or a failing host function),\n"
    "     or Ctrl-C cancelled its call (a trap of kind cancelled)";

/// `text` with every line after the first indented to `column`.
std::string indentContinuationLines(const std::string &text, size_t column) {
  std::string indented;
  for (char c : text) {
    indented += c;
    if (c == '\n') {
      indented.append(column, ' ');
    }
  }
  return indented;
}

/// `text` cut at every `separator`.
std::vector<std::string> splitAt(const std::string &text, const std::string &separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at = text.find(separator); at != std::string::npos;
       at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
  parts.push_back(text.substr(start));
  return parts;
}

/// The layout of `host --help`: the usage line, the app's description, one
/// row per option in the order of the table (its names, its value's name, its
/// description in a column; a description's line breaks are kept, so the table
/// says where its lines end), then the footer. Positional arguments are in the
/// usage line, not in the rows. An option whose value name lists alternatives
/// (`perfmap|jitdump|guest=FILE`) gets one row per alternative, described by
/// the matching block of its description (blocks are separated by an empty
/// line).
class HelpFormatter : public CLI::FormatterBase {
public:
  std::string make_help(const CLI::App *app, std::string /*name*/,
                        CLI::AppFormatMode /*mode*/) const override {
    std::ostringstream out;
    out << kUsageLine << "\n\n" << app->get_description() << "\n\nOptions:\n";
    for (const CLI::Option *option :
         app->get_options([](const CLI::Option *o) { return o->nonpositional(); })) {
      const std::vector<std::string> values = splitAt(option->get_type_name(), "|");
      const std::vector<std::string> blocks =
          values.size() > 1 ? splitAt(option->get_description(), "\n\n")
                            : std::vector<std::string>{option->get_description()};
      for (size_t i = 0; i < values.size(); ++i) {
        writeRow(out, namesOf(*option) + (values[i].empty() ? "" : " " + values[i]),
                 i < blocks.size() ? blocks[i] : "");
      }
    }
    out << "\n" << app->get_footer() << "\n";
    return out.str();
  }

private:
  /// `-h, --help`: the short names first.
  static std::string namesOf(const CLI::Option &option) {
    std::string names;
    for (const std::string &name : option.get_snames()) {
      names += (names.empty() ? "-" : ", -") + name;
    }
    for (const std::string &name : option.get_lnames()) {
      names += (names.empty() ? "--" : ", --") + name;
    }
    return names;
  }

  static void writeRow(std::ostream &out, const std::string &label,
                       const std::string &description) {
    std::string row = "  " + label;
    if (row.size() + 1 > kDescriptionColumn) {
      out << row << "\n";
      row.clear();
    }
    row.resize(kDescriptionColumn, ' ');
    out << row << indentContinuationLines(description, kDescriptionColumn) << "\n";
  }
};

/// A whole decimal number in [low, high], or a `UsageError` naming `flag`.
int parseBoundedCount(const std::string &flag, const std::string &text, int low, int high) {
  const auto value = parseCount(text);
  if (!value || *value < static_cast<uint64_t>(low) || *value > static_cast<uint64_t>(high)) {
    throw UsageError("option '" + flag + "' needs a whole number from " + std::to_string(low) +
                     " to " + std::to_string(high) + ", not '" + text + "'");
  }
  return static_cast<int>(*value);
}

/// `text` parsed by `parse` (`parseCount`, `parseSize`), or a `UsageError`
/// saying that `flag` needs `expected`.
template <typename Parse>
uint64_t parseNumber(const std::string &flag, const std::string &text, Parse parse,
                     const char *expected) {
  auto parsed = parse(text);
  if (!parsed) {
    throw UsageError("option '" + flag + "' needs " + expected + ", not '" + text + "'");
  }
  return *parsed;
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

/// What the table sets beside `Options`: checked after the whole line is read.
struct ParsedExtras {
  std::optional<int> threads;
};

/// The command line of `host`, one row per option: its names, its value's
/// name, its help text (lines as `--help` prints them) and what its value sets
/// in `options` (checked with the same parsers and messages as everywhere).
/// The callbacks run after the whole line is read, in the order of the table;
/// a bad value throws `UsageError`.
void defineCommandLine(CLI::App &app, Options &options, ParsedExtras &extras) {
  app.description(kDescription);
  app.footer(kExitStatuses);
  app.formatter(std::make_shared<HelpFormatter>());
  app.set_help_flag(); // --help is a row of the table, answered by main()
  app.allow_extras();  // unknown options and extra arguments: our own messages
  // The last of a repeated option wins (--profile refuses a second one).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  auto value = [&app](const std::string &flag, const std::string &value_name,
                      const std::string &help, std::function<void(const std::string &)> set) {
    return app
        .add_option_function<std::string>(
            flag, [flag, set](const std::string &text) { set(text); }, help)
        ->type_name(value_name);
  };
  auto milliseconds = [](const std::string &flag, uint64_t &target) {
    return [flag, &target](const std::string &text) {
      target = parseNumber(flag, text, parseCount, "a number of milliseconds");
    };
  };
  auto count = [](const std::string &flag, std::optional<int> &target, int most) {
    return [flag, &target, most](const std::string &text) {
      target = parseBoundedCount(flag, text, 1, most);
    };
  };
  auto fileName = [](const std::string &flag, std::string &target) {
    return [flag, &target](const std::string &file) {
      if (file.empty()) {
        throw UsageError("option '" + flag + "' needs a file name");
      }
      target = file;
    };
  };

  value("--manifest", "FILE",
        "run the plugin a JSON manifest describes instead of a module:\n"
        "its wasm file (wasm.path, checked against wasm.sha256),\n"
        "limits, WASI capabilities and configuration\n"
        "(docs/plugin-runtime.md); a flag given too wins over the\n"
        "manifest's value",
        fileName("--manifest", options.manifest_path));
  value("--scenario", "NAME",
        "run only this scenario (repeatable, run in the order given);\none of: " +
            joinNames(scenarioNames()) + "\nof a component: " + joinNames(componentScenarioNames()),
        [&options](const std::string &name) {
          if (!isScenarioName(name) && !isComponentScenarioName(name)) {
            throw UsageError("unknown scenario '" + name +
                             "' (scenarios: " + joinNames(scenarioNames()) +
                             "; of a component: " + joinNames(componentScenarioNames()) + ")");
          }
          options.scenarios.push_back(name);
        })
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->trigger_on_parse(); // one callback per --scenario, in the order given
  // Split off by parseOptions (it takes the rest of the line); here for --help.
  value("--call", "EXPORT [ARG...]",
        "call any exported function instead of the scenarios; the\n"
        "arguments are parsed by its signature (i32, i64, f32, f64;\n"
        "of a component: WIT scalars and strings, INTERFACE#NAME for\n"
        "a function of an exported interface) and its results are\n"
        "printed on one line; must come last",
        [&options](const std::string &name) { options.call_export = name; });
  app.add_flag("--quiet", options.quiet,
               "print only verdicts, the closing line and --call results\n"
               "(no host narration, no guest stdout)");
  value("--log-file", "FILE",
        "write the narration and the guest's stdout, stderr and log\n"
        "calls to FILE instead, appended, one [level source] line\n"
        "each; verdicts, results and errors stay on stdout and stderr\n"
        "(with --quiet: no narration in it; not with --instances)",
        fileName("--log-file", options.log_file));
  app.add_flag("--stats", options.stats,
               "after the run, print the last guest call's fuel used, wall\n"
               "time and peak memory on stderr: after --call, the call's;\n"
               "after the scenarios, their last call's ([Host Stats] ...)");
  app.add_flag("--dump-state", options.dump_state,
               "after the run, print the guest's debug view (JSON from its\n"
               "'guest_debug_state' export, built with the cargo feature\n"
               "debug-json); exit status 2 when the export is missing");
  value("--cache", "DIR",
        "keep compiled modules in DIR and reuse them (checked, keyed by\n"
        "the wasm bytes, engine configuration and Wasmtime version,\n"
        "authenticated with ~/.config/wasmhost/cache.key); DIR must\n"
        "be yours and writable by you alone",
        [&options](const std::string &folder) {
          if (folder.empty()) {
            throw UsageError("option '--cache' needs a folder");
          }
          options.cache_dir = folder;
        });
  value("--instances", "N",
        "run the scenarios in N instances of one compiled module, each\n"
        "with its own store, WASI context and host state; instance i\n"
        "passes 7+i to trigger_host_calls",
        count("--instances", options.instances, kMaxInstances));
  value("--threads", "T", "run the instances on T threads (default 1, at most N)",
        count("--threads", extras.threads, kMaxThreads));
  value("--pool-size", "P",
        "with --instances: lease them from a pool of at most P\n"
        "instances alive at once, each fresh with its own host state\n"
        "(default: a manifest's pool.size, else N)",
        count("--pool-size", options.pool_size, kMaxInstances));
  value("--timeout-ms", "N",
        "wall-clock limit of each guest call in milliseconds\n"
        "(epoch interruption, and WASI sleeps end at it;\n"
        "default 10000, 0: none)",
        milliseconds("--timeout-ms", options.timeout_ms));
  value("--fuel", "N",
        "fuel budget of each guest call (default 0: unmetered);\n"
        "a WASI sleep costs 1000000 fuel per ms",
        [&options](const std::string &text) {
          options.fuel = parseNumber("--fuel", text, parseCount, "a number");
        });
  value("--compile-timeout-ms", "N",
        "wall-clock limit of compiling the module in milliseconds\n"
        "(default 10000, 0: none); past it exit status 2",
        milliseconds("--compile-timeout-ms", options.compile_timeout_ms));
  value("--max-memory", "SIZE",
        "largest linear memory, in bytes or with a K, M or G\n"
        "suffix; past it the guest's memory.grow fails",
        [&options](const std::string &text) {
          options.max_memory_bytes = parseNumber("--max-memory", text, parseSize,
                                                 "a size in bytes (suffix K, M or G allowed)");
        });
  app.add_flag("--watch", options.watch,
               "after the run, wait for the module file to change (written,\n"
               "or renamed over), reload it keeping the host functions and\n"
               "their state, and run again; a reload that fails is one\n"
               "error line and the watch goes on; Ctrl-C (SIGINT) or\n"
               "SIGTERM ends it with the exit status of the last run\n"
               "(not with --call, --instances, --profile guest=FILE or\n"
               "a component)");
  value("--watch-runs", "N", "with --watch: end after N runs, the first one included",
        count("--watch-runs", options.watch_runs, kMaxWatchRuns));
  app.add_flag("--keep-going", options.keep_going,
               "after a trap or a failed check, re-instantiate the module\n"
               "and run the remaining scenarios");
  app.add_flag("--debug", options.debug,
               "compile the guest with debug info: gdb and lldb can break in\n"
               "its (Rust) functions, trap backtraces name source lines\n"
               "(use a guest built with debug info: guest-debug.wasm)");
  // A second --profile is refused, not overridden (count(): every one given).
  auto profile = std::make_shared<CLI::Option *>(nullptr);
  *profile = value("--profile", "perfmap|jitdump|guest=FILE",
                   "write the guest's symbols to /tmp/perf-<pid>.map (perf)\n\n"
                   "write ./jit-<pid>.dump for perf record -k 1 + perf inject\n\n"
                   "sample the guest's stack on each call and every 1 ms; write\n"
                   "Firefox Profiler JSON to FILE and a flame graph to FILE\n"
                   "with the extension .svg",
                   [&options, profile](const std::string &text) {
                     if ((*profile)->count() > 1) {
                       throw UsageError("option '--profile' can be given once");
                     }
                     parseProfile(text, options);
                   });
  app.add_flag("-h,--help", options.help, "show this help and exit");
  app.add_flag("--version", options.version, "show the host and Wasmtime versions and exit");
  app.add_option("module", options.module_path, "the module to run");
}

/// `args` as CLI11 reads them, with what the table cannot say taken out:
/// `--call EXPORT ARG...` ends the options (its arguments go to `options`
/// untouched, so `-5` is an argument, not an option); an option that takes a
/// value takes the next argument whatever it looks like (`--timeout-ms -5`,
/// `--flag=` is an empty value); a flag given a value (`--debug=yes`) is an
/// unknown option.
std::vector<std::string> commandLineFor(const CLI::App &app, const std::vector<std::string> &args,
                                        Options &options) {
  std::vector<std::string> line;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "--") {
      line.insert(line.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (arg.rfind("--", 0) != 0) {
      line.push_back(arg);
      continue;
    }
    const size_t equals = arg.find('=');
    const std::string flag = arg.substr(0, equals);
    const CLI::Option *option = app.get_option_no_throw(flag);
    if (option == nullptr) {
      line.push_back(arg); // unknown: reported after parsing, in order
      continue;
    }
    const bool takes_value = option->get_items_expected_max() > 0;
    if (!takes_value) {
      if (equals != std::string::npos) {
        throw UsageError("unknown option '" + arg + "'");
      }
      line.push_back(arg);
      continue;
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      throw UsageError("option '" + flag + "' needs a value");
    }
    line.push_back(flag);
    line.push_back(value);
    if (flag == "--call") {
      // Everything after the export's name is its arguments.
      options.call_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
  }
  return line;
}

} // namespace

std::string flameGraphPath(const std::string &profile_path) {
  return std::filesystem::path(profile_path).replace_extension(".svg").string();
}

std::optional<uint64_t> parseCount(const std::string &text) { return wasmhost::parseCount(text); }

std::optional<uint64_t> parseSize(const std::string &text) { return parseByteSize(text); }

void applyManifest(Options &options, const Manifest &manifest) {
  options.module_path = manifest.wasm_path.string();
  const auto from_manifest = [&](std::string_view key, std::string_view flag) {
    return manifest.has(key) && !options.given_flags.contains(flag);
  };
  if (from_manifest("limits.timeout_ms", "--timeout-ms")) {
    options.timeout_ms = manifest.options.timeout_ms;
  }
  if (from_manifest("limits.fuel", "--fuel")) {
    options.fuel = manifest.options.fuel;
  }
  if (from_manifest("limits.compile_timeout_ms", "--compile-timeout-ms")) {
    options.compile_timeout_ms = manifest.options.compile_timeout_ms;
  }
  if (from_manifest("limits.max_memory", "--max-memory")) {
    options.max_memory_bytes = manifest.options.max_memory_bytes;
  }
  if (manifest.pool_size && !options.given_flags.contains("--pool-size")) {
    options.pool_size = static_cast<int>(
        std::min<uint64_t>(*manifest.pool_size, static_cast<uint64_t>(kMaxInstances)));
  }
  options.manifest_options = manifest.options;
}

Options parseOptions(const std::vector<std::string> &args, std::string *note) {
  Options options;
  ParsedExtras extras;
  CLI::App app("", "host");
  defineCommandLine(app, options, extras);
  std::vector<std::string> line = commandLineFor(app, args, options);
  std::reverse(line.begin(), line.end()); // CLI11 reads the last element first
  try {
    app.parse(line);
  } catch (const CLI::ParseError &error) {
    throw UsageError(oneLine(error.what()));
  }
  // What the table did not take, in order; CLI11 keeps a `--` there too.
  bool after_marker = false;
  for (const std::string &extra : app.remaining()) {
    if (extra == "--" && !after_marker) {
      after_marker = true;
    } else if (!after_marker && extra.size() > 1 && extra[0] == '-') {
      throw UsageError("unknown option '" + extra + "'");
    } else {
      throw UsageError("unexpected argument '" + extra + "' (one module at a time)");
    }
  }
  for (const CLI::Option *option : app.get_options()) {
    if (option->count() > 0 && !option->get_lnames().empty()) {
      options.given_flags.insert("--" + option->get_lnames().front());
    }
  }
  if (options.help || options.version) {
    return options;
  }
  if (!options.manifest_path.empty() && !options.module_path.empty()) {
    throw UsageError("a module and --manifest cannot be combined: the manifest names its module "
                     "(wasm.path)");
  }
  if (options.call_export && !options.scenarios.empty()) {
    throw UsageError("--call and --scenario cannot be combined");
  }
  if (options.call_export && options.keep_going) {
    throw UsageError("--keep-going applies to scenarios, not to --call");
  }
  if (extras.threads && !options.instances) {
    throw UsageError("--threads needs --instances");
  }
  if (options.pool_size && !options.instances) {
    throw UsageError("--pool-size needs --instances");
  }
  if (options.instances && options.call_export) {
    throw UsageError("--call and --instances cannot be combined");
  }
  if (options.instances && !options.log_file.empty()) {
    throw UsageError("--log-file takes one instance's output: it cannot be combined with "
                     "--instances (which prints each instance's output with its prefix)");
  }
  if (options.instances && options.stats) {
    throw UsageError("--stats reports one instance's last call: it cannot be combined with "
                     "--instances");
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
  if (options.module_path.empty() && options.manifest_path.empty()) {
    // --call takes every argument after it: a module named there is an argument.
    throw UsageError(options.call_export
                         ? "missing module: it must come before --call, which takes the rest of "
                           "the line as arguments (host [options] <module> --call EXPORT [ARG...])"
                         : "missing module: host [options] <module.wasm|module.wat> (or "
                           "--manifest FILE)");
  }
  if (options.instances) {
    options.threads = extras.threads.value_or(1);
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
  Options options;
  ParsedExtras extras;
  CLI::App app("", "host");
  defineCommandLine(app, options, extras);
  return app.help();
}

std::string versionText() {
  return std::string("host (wasmhost) " WASMHOST_VERSION ", Wasmtime ") + WASMTIME_VERSION + "\n";
}

} // namespace wasmhost::app::cli
