/**
 * \file wasmhost/options.hh
 * `WasmHostOptions`: how a plugin and its instances talk, what the guest may
 * see and how far it may go.
 */
#ifndef WASMHOST_OPTIONS_HH
#define WASMHOST_OPTIONS_HH

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "wasmhost/runtime/log.hh"

namespace wasmhost {

/// A host folder the guest may open, at `guest_path`.
struct Preopen {
  std::string host_path;
  std::string guest_path;
  bool read_only = true;
};
/// What the guest may reach through WASI; nothing unless granted.
struct WasiCapabilities {
  std::vector<Preopen> preopens;
  /// Environment variables with explicit values; nothing is inherited.
  std::map<std::string, std::string> env;
  /// argv[1..] the guest sees (argv[0] is the module's file name).
  std::vector<std::string> args;
};

/// A profiler for the guest's code (`WasmHostOptions::profiler`).
enum class Profiler {
  None,
  /// Linux `perf`'s simple map: Wasmtime appends the address, size and name
  /// of every compiled guest function to `/tmp/perf-<pid>.map`, which
  /// `perf report` reads to name JIT code.
  PerfMap,
  /// Linux `perf`'s jitdump: Wasmtime writes `./jit-<pid>.dump` (the code
  /// itself, for `perf inject --jit`). Needs Wasmtime's `profiling` feature.
  JitDump,
  /// Wasmtime's own guest profiler, per instance: a sample of the guest's
  /// stack on every entry into the guest, on every epoch tick (1 ms) while
  /// it runs and when it returns; `PluginInstance::finishGuestProfile()`
  /// gives the Firefox Profiler JSON. Needs Wasmtime's `profiling` feature;
  /// turns epoch interruption (and the ticker) on even without a time limit.
  Guest,
};

/// Options of a `Plugin` (the engine-wide ones: `timeout_ms > 0`,
/// `fuel > 0`, `debug_info` and `profiler` decide what its engine can do,
/// `module_cache_dir`, `max_module_bytes`) and of each `PluginInstance` (the values of the
/// limits, WASI's stdout, the narration, the capabilities, the configuration, the log).
/// Thread-safety: a value type.
struct WasmHostOptions {
  /// Where the host narrates its steps (`[Host Setup] ...`); null: to
  /// `log_sink` (level `Info`, source "host") when that is set, else silent.
  std::ostream *narration = nullptr;
  /// Whether the guest's WASI stdout reaches this process's stdout (false:
  /// what the guest writes there is discarded).
  bool guest_stdout = true;
  /// A folder for precompiled modules (`ModuleCache`); empty: always compile.
  /// One that is not the user's own or that others can write is refused.
  std::string module_cache_dir;
  /// When set, the guest's WASI stdout is written here instead (overrides
  /// `guest_stdout`); it must outlive the instance.
  std::ostream *guest_stdout_stream = nullptr;
  /// When set, the guest's WASI stderr is written here instead of this
  /// process's stderr (overrides `guest_stderr`); it must outlive the instance.
  std::ostream *guest_stderr_stream = nullptr;
  /// Whether the guest's WASI stderr reaches this process's stderr (false:
  /// discarded); `guest_stderr_stream` overrides it. (After the fields above,
  /// so that their aggregate initializations keep their meaning.)
  bool guest_stderr = true;
  /// Wall-clock limit of each entry into the guest (every call, the start
  /// function, `_initialize`), in milliseconds, through epoch interruption:
  /// a guest still running after it traps with `interrupt`. 0: no limit.
  uint64_t timeout_ms = 10000;
  /// Fuel budget of each entry into the guest, refilled before every call;
  /// running out is an `out of fuel` trap. 0: fuel metering off. Time the
  /// guest spends blocked in WASI (`poll_oneoff`: a sleep) costs fuel too, at
  /// `kSleepFuelPerMillisecond`.
  uint64_t fuel = 0;
  /// What a millisecond blocked in WASI's `poll_oneoff` costs in fuel: one
  /// unit a nanosecond, about what a nanosecond of running wasm costs (a unit
  /// of fuel is about one wasm instruction). A sleep the remaining fuel
  /// cannot pay sleeps for what it can pay, then ends in `out of fuel`.
  /// A multiple of 1 000 000.
  static constexpr uint64_t kSleepFuelPerMillisecond = 1000000;
  /// The ceiling of a linear memory when `max_memory_bytes` is unset: 4 GiB,
  /// a 32-bit memory's whole range, and the bound of a 64-bit one too.
  static constexpr uint64_t kDefaultMaxMemoryBytes = uint64_t{4} << 30;
  /// Largest size of each linear memory, in bytes, through the store's
  /// limiter: past it `memory.grow` fails (returns -1) in the guest, and a
  /// module whose initial memory is larger does not instantiate. Unset:
  /// `kDefaultMaxMemoryBytes`, for 32- and 64-bit memories alike.
  std::optional<uint64_t> max_memory_bytes;
  /// How many linear memories a store may hold. With one, `max_memory_bytes`
  /// bounds the whole store; a module that declares more does not
  /// instantiate (`ErrorKind::Limit`).
  uint64_t max_memories = 1;
  /// Largest number of elements of each table (`table.grow` fails past it),
  /// so that a guest cannot make the host allocate without bound.
  uint64_t max_table_elements = uint64_t{1} << 20;
  /// How many tables a store may hold: the store's tables hold at most
  /// `max_tables * max_table_elements` elements. More does not instantiate.
  uint64_t max_tables = 4;
  /// Largest module file a `Plugin` reads, in bytes: 16 MiB, about 150
  /// times this project's guests. It bounds what a compile may cost, also
  /// one abandoned past `compile_timeout_ms`: measured at about 0.2 ms and
  /// 6 KiB of memory per function for the costliest shape (many tiny
  /// functions, 9 bytes each), 16 MiB of them would take minutes and about
  /// 11 GiB (docs/fail-safety.md).
  uint64_t max_module_bytes = uint64_t{16} << 20;
  /// Engine-wide: wall-clock limit of compiling the module (with its WAT
  /// conversion, or its load from `module_cache_dir`), in milliseconds. Past
  /// it the `Plugin` constructor throws `Error` (`Compile`); the compile,
  /// which the C API cannot cancel, finishes on its own thread and is
  /// dropped (`Plugin::abandonedCompiles`). 0: no limit, compiled on the
  /// caller's thread.
  uint64_t compile_timeout_ms = 10000;
  /// The module cache's secret key file (`ModuleCache`); empty:
  /// `ModuleCache::defaultKeyFile()`, `~/.config/wasmhost/cache.key`.
  std::string module_cache_key_file;
  /// Engine-wide: compile the guest with native DWARF for gdb and lldb
  /// (Wasmtime's `debug_info`, registered through its `debug-builtins`) and
  /// give trap backtraces the guest's source file and line (Wasmtime reads
  /// `WASMTIME_BACKTRACE_DETAILS` when its `Config` is made: the plugin sets
  /// it to 1 in the process environment for that moment, then restores it).
  /// Useful with a guest built with debug info (`guest-debug.wasm`).
  bool debug_info = false;
  /// Engine-wide for `PerfMap` and `JitDump`; `Guest` is also per instance
  /// (an instance profiles when both its plugin's and its own options say
  /// `Guest`). Checked against what the Wasmtime build can do before the
  /// engine is made (`checkEngineOptions`).
  Profiler profiler = Profiler::None;
  // The fields below came after the ones above, which stay in their order:
  // embedders initialize the first ones by position.
  /// When set, the guest's WASI stdout and stderr (split into lines, sources
  /// "guest.stdout" and "guest.stderr", levels `Info` and `Warn`), its
  /// `wasmhost::log` calls (source "guest.log") and, without `narration`,
  /// the narration go to this sink, within `log_limits`; it overrides
  /// `guest_stdout`, `guest_stderr` and their two streams above. It must
  /// outlive the instances. Null: the guest's `log` calls go to a
  /// `runtime::StderrSink`.
  runtime::LogSink *log_sink = nullptr;
  /// The bounds of what a guest sends to a sink (line length, rate).
  runtime::LogLimits log_limits;
  /// What the guest may reach through WASI: preopened folders, environment
  /// variables, arguments. Nothing by default. Checked when an instance is
  /// made (`Error`, `Io`): a preopen's host folder must exist and be a
  /// folder, its `guest_path` absolute and unique.
  WasiCapabilities wasi;
  /// The guest's configuration, read with the import `wasmhost::config_get`
  /// (`wasmhost/runtime/config.hh`, which bounds keys and values). Core
  /// modules only: a component instance refuses a non-empty one
  /// (`Unsupported`; the plugin world has no configuration import).
  std::map<std::string, std::string> config;
};

} // namespace wasmhost

#endif // WASMHOST_OPTIONS_HH
