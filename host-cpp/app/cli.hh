/**
 * \file cli.hh
 * The `host` command line: options, usage text and exit statuses.
 */
#ifndef WASMHOST_APP_CLI_HH
#define WASMHOST_APP_CLI_HH

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "wasmhost/errors.hh"
#include "wasmhost/options.hh"
#include "wasmhost/runtime/manifest.hh"

namespace wasmhost::app::cli {

/// Exit statuses of `host`, the same for every mode.
enum ExitStatus : int {
  kOk = 0,          ///< every check passed
  kCheckFailed = 1, ///< a check failed (or the host refused a memory access)
  kSetupError = 2,  ///< usage, file, compile or link error
  kGuestTrap = 3,   ///< the guest trapped
};

/// The exit status for a library error of kind `kind`: the one place where
/// the library's error model meets the command line's contract. Traps and
/// exits are 3, data the guest handed over and the host refused is 1 (a failed
/// check), everything that keeps the guest from starting is 2.
constexpr ExitStatus exitStatusFor(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::Trap:
  case ErrorKind::Exit:
    return kGuestTrap;
  case ErrorKind::GuestData:
    return kCheckFailed;
  case ErrorKind::Io:
  case ErrorKind::Compile:
  case ErrorKind::Link:
  case ErrorKind::Signature:
  case ErrorKind::Limit:
  case ErrorKind::Unsupported:
  case ErrorKind::Manifest:
    return kSetupError;
  }
  return kSetupError;
}

struct Options {
  /// The module to run: the command line's, or a manifest's `wasm.path`.
  std::string module_path;
  /// `--manifest FILE`: the plugin's manifest; empty: none.
  std::string manifest_path;
  /// `--log-file FILE`: the narration and the guest's output go to a
  /// `runtime::FileSink` of FILE; empty: to stdout and stderr.
  std::string log_file;
  /// The options given on the command line (`--timeout-ms`), so that a
  /// manifest fills only what they leave unset: an explicit flag wins.
  std::set<std::string, std::less<>> given_flags;
  /// A manifest's settings (`applyManifest`); `hostOptionsFor` starts from
  /// them (WASI capabilities, configuration, tables, stdout and stderr).
  std::optional<WasmHostOptions> manifest_options;
  std::vector<std::string> scenarios; ///< empty: all, in the article's order
  std::optional<std::string> call_export;
  std::vector<std::string> call_args;
  bool quiet = false;
  /// `--stats`: after the run, the last guest call's figures
  /// (`formatCallStats`) on stderr.
  bool stats = false;
  /// Print the guest's debug view (`guest_debug_state`) after the run.
  bool dump_state = false;
  /// `--cache DIR`: the precompiled-module cache folder; empty: none.
  std::string cache_dir;
  /// `--instances N`: run the scenarios in N instances of one compiled
  /// module; unset: the single-instance default.
  std::optional<int> instances;
  /// `--threads T`: how many threads run the instances (1 <= T <= N).
  int threads = 1;
  /// `--pool-size P` (or a manifest's `pool.size`): the instances come from
  /// a `runtime::InstancePool` of at most P alive at once; unset: one per run.
  std::optional<int> pool_size;
  bool keep_going = false;             ///< after a trap or failed check: fresh instance, carry on
  uint64_t timeout_ms = 10000;         ///< per guest call; 0: none
  uint64_t fuel = 0;                   ///< per guest call; 0: none
  uint64_t compile_timeout_ms = 10000; ///< compiling the module; 0: none
  std::optional<uint64_t> max_memory_bytes;
  /// `--debug`: the engine with debug info (gdb, source lines in traps).
  bool debug = false;
  /// `--profile perfmap|jitdump|guest=FILE`.
  Profiler profiler = Profiler::None;
  /// `--profile guest=FILE`: the Firefox Profiler JSON goes to FILE, the
  /// flame graph to `flameGraphPath(FILE)`.
  std::string guest_profile_path;
  /// `--watch`: after the run, run again whenever the module file changes.
  bool watch = false;
  /// `--watch-runs N`: end the watch after N runs (1 <= N <= kMaxWatchRuns).
  std::optional<int> watch_runs;
  bool help = false;
  bool version = false;
};

/// A command line `host` cannot run; its message is one line.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The guest export `--dump-state` calls.
inline constexpr const char *kDebugStateExport = "guest_debug_state";

/// Upper bounds of `--instances` and `--threads`.
inline constexpr int kMaxInstances = 100000;
inline constexpr int kMaxThreads = 256;
/// Upper bound of `--watch-runs`.
inline constexpr int kMaxWatchRuns = 1000000;

/// Parses `argv[1..]`. Throws `UsageError`. `--threads` larger than
/// `--instances` is lowered to it and `*note` says so.
Options parseOptions(const std::vector<std::string> &args, std::string *note = nullptr);

/// Runs `manifest`'s module under its settings: `module_path` is its
/// `wasm.path`; `--timeout-ms`, `--fuel`, `--compile-timeout-ms` and
/// `--max-memory` take the manifest's value unless given on the command line;
/// the rest is kept in `manifest_options`.
void applyManifest(Options &options, const Manifest &manifest);

/// Parses a whole unsigned decimal number; nullopt unless it is one and fits.
std::optional<uint64_t> parseCount(const std::string &text);
/// Parses a size in bytes with an optional K, M or G suffix (powers of
/// 1024); nullopt unless it is one and fits in 64 bits. Both are the
/// library's parsers (`wasmhost/runtime/size.hh`), shared with manifests.
std::optional<uint64_t> parseSize(const std::string &text);

/// Where `--profile guest=FILE` writes the flame graph: FILE with its
/// extension replaced by `.svg` (`profile.json` -> `profile.svg`), or `.svg`
/// added when it has none.
std::string flameGraphPath(const std::string &profile_path);

std::string usageText();
std::string versionText();

} // namespace wasmhost::app::cli

#endif // WASMHOST_APP_CLI_HH
