// host-bench: what the host costs (calls, memory, start-up), side by side with
// the raw C API and native code; joined from host-bench-rs, the Rust embedding
// and the compute kernel as wasm and natively. Prints a table and writes the
// joined results as JSON.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "benches.hh"
#include "report.hh"

namespace {

using namespace wasmhost::bench;

constexpr std::string_view kUsage =
    R"(Usage: host-bench [options] <guest-bench.wasm>
  --smoke      tiny counts: checks that every figure can be measured (seconds)
  --reps N     repetitions per figure (default 15, 5 with --smoke)
  --rust FILE  join the figures of host-bench-rs, read from FILE (its --out)
  --out FILE   write the joined results to FILE (default bench-results.json),
               and the scaling curves as an SVG plot next to it (.svg)
  --component FILE
               the component whose calls call.component.* times (default:
               guest-component-bench.wasm next to guest-bench.wasm)
  --only GROUP measure one group of figures only: call, component, mem, pool,
               idle, start or scale (the others are reported missing)
  --help
Exit status: 0 measured (missed targets are reported, not errors), 1 a
measurement failed, 2 usage or file error.
)";

struct Options {
  Sizes sizes = sizesFor("full");
  std::string guest;
  std::string rust;
  std::string component;
  std::string out = "bench-results.json";
  std::string only; ///< empty: every group
};

constexpr std::string_view kGroups[] = {"call", "component", "mem",  "pool",
                                        "idle", "start",     "scale"};

struct UsageError {
  std::string message;
};

Options parseOptions(int argc, char **argv) {
  Options options;
  int reps = 0;
  auto value = [&](int &i) -> std::string {
    if (i + 1 >= argc) {
      throw UsageError{std::string("option '") + argv[i] + "' needs a value"};
    }
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--smoke") {
      options.sizes = sizesFor("smoke");
    } else if (arg == "--reps") {
      const std::string text = value(i);
      char *end = nullptr;
      const long parsed = std::strtol(text.c_str(), &end, 10);
      if (end == text.c_str() || *end != '\0' || parsed < 1 || parsed > 1000) {
        throw UsageError{"--reps needs a number from 1 to 1000, not '" + text + "'"};
      }
      reps = static_cast<int>(parsed);
    } else if (arg == "--rust") {
      options.rust = value(i);
    } else if (arg == "--out") {
      options.out = value(i);
    } else if (arg == "--component") {
      options.component = value(i);
    } else if (arg == "--only") {
      options.only = value(i);
      if (std::find(std::begin(kGroups), std::end(kGroups), options.only) == std::end(kGroups)) {
        throw UsageError{
            "--only needs one of call, component, mem, pool, idle, start, scale, not '" +
            options.only + "'"};
      }
    } else if (arg.rfind("--", 0) == 0) {
      throw UsageError{"unknown option '" + std::string(arg) + "'"};
    } else if (options.guest.empty()) {
      options.guest = arg;
    } else {
      throw UsageError{"unexpected argument '" + std::string(arg) + "'"};
    }
  }
  if (options.guest.empty()) {
    throw UsageError{"missing guest-bench.wasm"};
  }
  if (reps > 0) {
    options.sizes.reps = reps;
  }
  if (options.component.empty()) {
    options.component =
        (std::filesystem::path(options.guest).parent_path() / "guest-component-bench.wasm")
            .string();
  }
  if (!std::filesystem::is_regular_file(options.component)) {
    throw UsageError{"no component file '" + options.component +
                     "' (call.component.*: build guest-component-bench, or give --component FILE)"};
  }
  return options;
}

std::vector<Summary> measureAll(const Options &options) {
  const Sizes &sizes = options.sizes;
  // The C++ layer against the raw C API: no time limit and no fuel, which
  // the C API figures do not pay either (README, "Benchmarks").
  wasmhost::WasmHostOptions host_options;
  host_options.guest_stdout = false;
  host_options.timeout_ms = 0;
  wasmhost::WasmHost host(options.guest, host_options);
  defineBenchImports(host);
  host.initialize();
  auto wasm = host.readWasmFile();
  // What users run: the default options (a 10 s time limit per call).
  wasmhost::WasmHostOptions default_options;
  default_options.guest_stdout = false;
  wasmhost::WasmHost defaults(options.guest, default_options);
  defineBenchImports(defaults);
  defaults.initialize();

  std::vector<Summary> summaries;
  auto add = [&summaries](const std::vector<Figure> &figures) {
    for (const auto &figure : figures) {
      std::cerr << "  " << figure.key << ": " << figure.median() << " " << figure.unit << "\n";
      summaries.push_back(summarize(figure));
    }
  };
  std::cerr << "host-bench: measuring (" << sizes.mode << ", " << sizes.reps
            << " repetitions per figure)\n";
  const auto wanted = [&options](std::string_view group) {
    return options.only.empty() || options.only == group;
  };
  if (wanted("call")) {
    add(measureCalls(host, defaults, sizes));
  }
  if (wanted("component")) {
    add(measureComponent(options.component, sizes));
  }
  if (wanted("mem")) {
    add(measureMemory(host, sizes));
  }
  if (wanted("pool")) {
    add(measurePool(options.guest, sizes));
  }
  if (wanted("idle")) {
    add(measureIdle(options.guest, sizes));
  }
  if (wanted("start")) {
    add(measureStartup(wasm, sizes));
  }
  if (wanted("scale")) {
    add(measureScale(options.guest, wasm, sizes));
  }
  return summaries;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  try {
    options = parseOptions(argc, argv);
  } catch (const UsageError &error) {
    std::cerr << "host-bench: error: " << error.message << " (see 'host-bench --help')\n";
    return 2;
  }

  const std::string load = loadAverage();
  std::vector<Summary> summaries;
  try {
    summaries = measureAll(options);
  } catch (const std::exception &error) {
    std::cerr << "host-bench: error: " << error.what() << "\n";
    return 1;
  }

  try {
    if (!options.rust.empty()) {
      std::string rust_mode;
      for (auto &figure : readFigures(options.rust, rust_mode)) {
        summaries.push_back(std::move(figure));
      }
      if (rust_mode != options.sizes.mode) {
        std::cerr << "host-bench: warning: " << options.rust << " is a '" << rust_mode
                  << "' run, this one is '" << options.sizes.mode << "'\n";
      }
    }
    const Report report(
        {options.sizes.mode, options.sizes.reps, cpuModel(), usableCpus(), load, options.rust},
        std::move(summaries));
    std::cout << "\n";
    report.print(std::cout);
    report.writeJson(options.out);
    const std::string svg = std::filesystem::path(options.out).replace_extension(".svg").string();
    report.writeSvg(svg);
    std::cout << "\nwrote " << options.out << " and " << svg << "\n";
  } catch (const std::exception &error) {
    std::cerr << "host-bench: error: " << error.what() << "\n";
    return 2;
  }
  return 0;
}
