/**
 * \file watch.hh
 * `host --watch`: live reload. Runs the scenarios, then again whenever the
 * module file changes, on the same host (`WasmHost::reload`), so the host
 * state carries on from run to run.
 */
#ifndef WASMHOST_APP_WATCH_HH
#define WASMHOST_APP_WATCH_HH

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "wasmhost/wasm_host.hh"

namespace wasmhost::app {

/// What `runWatch` watches and when it ends.
struct WatchOptions {
  /// The module file the host was loaded from.
  std::string module_path;
  /// End after this many runs (the first one included); unset: only a
  /// signal ends the watch.
  std::optional<uint64_t> max_runs;
  /// A change is acted on once the file's folder has had no event for the
  /// file for this long (an editor or cargo may write it in several steps).
  std::chrono::milliseconds quiet_period{200};
};

/// Runs `run_once` (which returns an exit status), then, until SIGINT or
/// SIGTERM or `max_runs` runs: waits for the module file to be written
/// (closed after writing) or renamed into place, through inotify on its
/// folder; reloads it into `host` (`WasmHost::reload`: the host functions
/// and their state stay), writes `--- Reload N: NAME changed ---` on `out`
/// (N counts the runs, NAME is the file's name) and runs again. A reload
/// that fails (the file is being rewritten, does not compile, lacks an
/// import) is one `host: error:` line on `errors`, the old module stays, and
/// the watch waits for the next change. `out` is flushed after every run.
/// Every wait is bounded (`poll` with a timeout) and a signal ends it at
/// once; a signal during a run ends the watch after that run. SIGINT and
/// SIGTERM are caught only while it runs. Returns the exit status of the last
/// run. Throws `Error` (`Io`) when the folder cannot be watched (or goes).
int runWatch(const WatchOptions &options, WasmHost &host, const std::function<int()> &run_once,
             std::ostream *narration, std::ostream &out, std::ostream &errors);

} // namespace wasmhost::app

#endif // WASMHOST_APP_WATCH_HH
