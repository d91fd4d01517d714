// `host`: runs the tutorial's scenarios (or one `--call`) against a module.
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "article_host.hh"
#include "call_export.hh"
#include "call_stats.hh"
#include "cli.hh"
#include "component_scenarios.hh"
#include "interrupt_guest.hh"
#include "run_modes.hh"
#include "scenarios.hh"
#include "wasmhost/runtime/log.hh"
#include "wasmhost/wasm_host.hh"
#include "watch.hh"

namespace {

using namespace wasmhost;
using namespace wasmhost::app;

int reportError(const std::string &message, int status) {
  std::cout.flush();
  std::cerr << "host: error: " << oneLine(message) << std::endl;
  return status;
}

int runScenarios(const cli::Options &options, WasmHost &host, HostState &state,
                 std::ostream &narration) {
  const std::vector<std::string> &selected =
      options.scenarios.empty() ? scenarioNames() : options.scenarios;
  ScenarioContext context{host.instance(), state, narration, std::nullopt, 0};
  return exitStatusOf(runScenarioList(selected, context, std::cout, std::cerr, options.keep_going));
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

/// Output the host could not write is an error, not a silent exit 0 (a full
/// disk, a closed stdout): checked once, after everything is written.
int checkedOutput(int status) {
  errno = 0;
  std::cout.flush();
  if (!std::cout) {
    const int write_errno = errno;
    std::cerr << "host: error: cannot write the output to standard output"
              << (write_errno != 0 ? std::string(": ") + std::strerror(write_errno) : "")
              << std::endl;
    return worseStatus(status, cli::kSetupError);
  }
  return status;
}

/// Whether WAT text starts as a component: `(component` first, after
/// whitespace, `;;` line comments and `(; ... ;)` block comments (not
/// nested), followed by whitespace, `$`, `(` or `)`. Only the first 64 KiB
/// are looked at.
bool isComponentText(std::istream &file) {
  std::string text(64 * 1024, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  size_t at = 0;
  while (at < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[at])) != 0) {
      ++at;
    } else if (text.compare(at, 2, ";;") == 0) {
      at = text.find('\n', at);
    } else if (text.compare(at, 2, "(;") == 0) {
      at = text.find(";)", at + 2);
      at = at == std::string::npos ? at : at + 2;
    } else {
      break;
    }
  }
  constexpr std::string_view kOpen = "(component";
  if (at >= text.size() || text.compare(at, kOpen.size(), kOpen) != 0) {
    return false;
  }
  const size_t next = at + kOpen.size();
  return next < text.size() && (std::isspace(static_cast<unsigned char>(text[next])) != 0 ||
                                text[next] == '$' || text[next] == '(' || text[next] == ')');
}

/// Whether the file is a component (not a core module): the binary header,
/// or for a `.wat` name the text's first form. False when it cannot be read
/// (the core path reports that).
bool isComponentFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!std::filesystem::is_regular_file(path) || !file) {
    return false;
  }
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".wat") == 0) {
    return isComponentText(file);
  }
  std::array<uint8_t, 8> header{};
  if (!file.read(reinterpret_cast<char *>(header.data()), header.size())) {
    return false;
  }
  return component::ComponentHost::isComponent(header);
}

/// `--log-file FILE`: the file's sink and, without `--quiet`, the narration
/// stream into it.
struct LogFile {
  /// Opens (creates or appends to) `path`; `Error` (`Io`) naming it when it
  /// cannot be, or when it is the module file, which appending would spoil.
  LogFile(const std::string &path, const std::string &module_path, bool quiet)
      : sink(checkedPath(path, module_path)) {
    if (!quiet) {
      narration.emplace(sink);
    }
  }
  static std::string checkedPath(const std::string &path, const std::string &module_path) {
    std::error_code same_error;
    if (std::filesystem::equivalent(path, module_path, same_error)) {
      throw Error(ErrorKind::Io, "--log-file: '" + path +
                                     "' is the module file: the log would be written into it");
    }
    return path;
  }
  runtime::FileSink sink;
  std::optional<runtime::LogStream> narration;
};

int run(int argc, char **argv) {
  cli::Options options;
  std::string note;
  try {
    options = cli::parseOptions(std::vector<std::string>(argv + 1, argv + argc), &note);
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

  if (!note.empty()) {
    std::cerr << "host: note: " << note << std::endl;
  }

  std::ostream *narration = options.quiet ? nullptr : &std::cout;
  std::optional<LogFile> log_file; // outlives the hosts that write to it
  std::ostream discard(nullptr);
  try {
    if (!options.manifest_path.empty()) {
      cli::applyManifest(options, loadManifest(options.manifest_path));
    }
    if (!options.log_file.empty()) {
      log_file.emplace(options.log_file, options.module_path, options.quiet);
      narration = log_file->narration ? &*log_file->narration : nullptr;
    }
    runtime::LogSink *log_sink = log_file ? &log_file->sink : nullptr;
    if (isComponentFile(options.module_path)) {
      if (options.watch) {
        return reportError("--watch reloads core modules: '" + options.module_path +
                               "' is a component (see 'host --help')",
                           cli::kSetupError);
      }
      return runComponent(options, narration, log_sink);
    }
    if (options.instances) {
      return runInstances(options, std::cout, std::cerr);
    }
    // Opened first: a profile that cannot be written stops the run before it starts.
    std::optional<GuestProfileFiles> profile_files;
    if (options.profiler == Profiler::Guest) {
      profile_files.emplace(options.guest_profile_path, options.module_path);
    }
    HostState state;
    state.narration = narration;
    WasmHostOptions host_options = hostOptionsFor(options, narration);
    if (log_sink != nullptr) {
      // The guest's output and log calls to the file; the narration too,
      // through `narration`, or nowhere with --quiet.
      host_options.log_sink = log_sink;
      host_options.narration = narration != nullptr ? narration : &discard;
    }
    WasmHost host(options.module_path, host_options);
    narrateProfiler(options, narration);
    defineArticleHostFunctions(host, state);
    host.initialize();
    if (options.stats) {
      host.instance().recordCallStats();
    }
    // Ctrl-C cancels the guest call in flight (--watch has its own handling);
    // without epoch interruption (--timeout-ms 0) it ends host at once.
    std::optional<GuestInterrupter> interrupter;
    if (!options.watch) {
      try {
        interrupter.emplace(host.instance().cancelHandle());
      } catch (const std::logic_error &) {
      }
    }
    std::ostream &main_narration = narration != nullptr ? *narration : discard;
    auto run_once = [&] {
      int run_status = options.call_export ? runCall(options, host, main_narration)
                                           : runScenarios(options, host, state, main_narration);
      if (options.stats && host.isInitialized()) {
        std::cout.flush();
        std::cerr << formatCallStats(host.instance().lastCallStats()) << std::endl;
      }
      if (options.dump_state) {
        std::cout.flush();
        run_status = worseStatus(run_status, dumpGuestState(host.instance(), std::cout, std::cerr));
      }
      return run_status;
    };
    int status = 0;
    if (options.watch) {
      WatchOptions watch{options.module_path, std::nullopt};
      if (options.watch_runs) {
        watch.max_runs = static_cast<uint64_t>(*options.watch_runs);
      }
      status = runWatch(watch, host, run_once, narration, std::cout, std::cerr);
    } else {
      status = run_once();
    }
    if (profile_files) { // also after a trap: where the guest was is worth seeing
      std::cout.flush();
      status = worseStatus(status, profile_files->write(host, narration, std::cerr));
    }
    return status;
  } catch (const Error &error) {
    return reportError(error.what(), cli::exitStatusFor(error.kind()));
  } catch (const std::exception &error) {
    return reportError(error.what(), cli::kSetupError);
  }
}

} // namespace

int main(int argc, char **argv) {
  const int status = checkedOutput(run(argc, argv));
  if (Plugin::abandonedCompilesRunning() > 0) {
    // A compile left past its time limit still runs on its thread: end now,
    // without static destructors (or Wasmtime's) under a running compiler.
    // Both streams are flushed (std::_Exit flushes nothing).
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(status);
  }
  return status;
}
