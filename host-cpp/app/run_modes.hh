/**
 * \file run_modes.hh
 * What `host` does beyond the single-instance scenario run: the guest's debug
 * view (`--dump-state`) and many instances of one module (`--instances`).
 */
#ifndef WASMHOST_APP_RUN_MODES_HH
#define WASMHOST_APP_RUN_MODES_HH

#include <fstream>
#include <ostream>
#include <string>

#include "cli.hh"
#include "scenarios.hh"
#include "wasmhost/wasm_host.hh"

namespace wasmhost::app {

/// The `WasmHostOptions` the command line asks for: `narration`, the guest's
/// stdout unless `--quiet`, `--cache`, the limits (`--timeout-ms`,
/// `--fuel`, `--max-memory`), `--debug` and `--profile`.
WasmHostOptions hostOptionsFor(const cli::Options &options, std::ostream *narration);

/// The exit status of a scenario run (`cli::ExitStatus`).
int exitStatusOf(const ScenarioSummary &summary);

/// Exit statuses rank 3 (trap) > 2 (setup) > 1 (check) > 0: the worse one.
inline int worseStatus(int a, int b) { return a > b ? a : b; }

/// Calls the guest's `guest_debug_state` and prints its JSON on `out` as
/// `[Host Main] Guest state: {...}`. A missing export (a guest built without
/// the cargo feature `debug-json`) is one `host: error:` line on `errors` and
/// exit status 2. Returns the exit status.
int dumpGuestState(PluginInstance &instance, std::ostream &out, std::ostream &errors);

/// `[Host Setup]` lines saying where `--profile perfmap` or `jitdump` makes
/// Wasmtime write (nothing for the other modes).
void narrateProfiler(const cli::Options &options, std::ostream *narration);

/// The two files of `--profile guest=FILE`: FILE for the Firefox Profiler
/// JSON, `cli::flameGraphPath(FILE)` for the flame graph. Both are opened
/// (created or emptied) when it is made, before the guest runs, so that a
/// file that cannot be written stops the run before it starts: `Error` (`Io`)
/// naming it. Neither may be the module file `module_path` (which emptying
/// would destroy): `Error` (`Io`) too.
class GuestProfileFiles {
public:
  GuestProfileFiles(std::string path, const std::string &module_path);
  /// Finishes `host`'s guest profile and writes both files; narrates what was
  /// written. A failure is one `host: error:` line on `errors`. Returns the
  /// exit status (0, or 2 when a file could not be written).
  int write(WasmHost &host, std::ostream *narration, std::ostream &errors);

private:
  std::string path_;
  std::string svg_path_;
  std::ofstream json_;
  std::ofstream svg_;
};

/// `--instances N --threads T [--pool-size P]`: compiles and links the
/// module once (`WasmHost::prepareInstances`), then runs the selected
/// scenarios in N instances, each with its own store, WASI context and
/// `HostState`, on T threads, leased fresh from a `runtime::InstancePool` of
/// at most P (default N) alive at once. Each instance's output is gathered and printed in order,
/// every line prefixed with `[instance i]`. Instance i passes 7+i to `trigger_host_calls`, and its
/// host value must end at 42 + (7+i) + 5 per `host-calls` run: no state leaks between instances.
/// Returns the exit status.
int runInstances(const cli::Options &options, std::ostream &out, std::ostream &errors);

} // namespace wasmhost::app

#endif // WASMHOST_APP_RUN_MODES_HH
