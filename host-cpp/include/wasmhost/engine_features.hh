/**
 * \file wasmhost/engine_features.hh
 * What the linked Wasmtime can do for debugging and profiling, the check of a
 * plugin's options against it, and the engine made from those options.
 *
 * Wasmtime's C API aborts the process when a `Config` is invalid: its engine
 * constructor unwraps `Engine::new`. A profiler the build lacks (jitdump
 * without the cargo feature `profiling`), or one whose file Wasmtime cannot
 * create, would end the host there. `makeEngine` checks every debugging and
 * profiling option first and throws an `Error` instead.
 */
#ifndef WASMHOST_ENGINE_FEATURES_HH
#define WASMHOST_ENGINE_FEATURES_HH

#include <string>
#include <string_view>

#include <wasmtime.hh>

#include "wasmhost/options.hh"

namespace wasmhost {

/// What a Wasmtime C API build (its cargo features, `wasmtime/conf.h`) and
/// the platform can do for the debugging and profiling options. Tests
/// inject other sets than `ofThisBuild()`. Thread-safety: a value type.
struct EngineFeatures {
  /// `cranelift`: Wasmtime's native DWARF comes from Cranelift (Winch has none).
  bool cranelift = false;
  /// `debug-builtins`: JIT code is registered with gdb and lldb
  /// (`__jit_debug_register_code`), so they see the guest's DWARF.
  bool debug_builtins = false;
  /// `addr2line`: trap backtraces name the guest's source file and line.
  bool addr2line = false;
  /// `profiling`: the jitdump profiler and the guest profiler.
  bool profiling = false;
  /// Linux: jitdump writes for Linux `perf` only.
  bool linux_os = false;
  /// A Unix: perfmap writes `/tmp/perf-<pid>.map`.
  bool unix_like = false;

  /// The features of the Wasmtime this library was compiled against.
  static EngineFeatures ofThisBuild();
};

/// "none", "perfmap", "jitdump", "guest".
std::string_view profilerName(Profiler profiler);

/// Throws `Error` (`Unsupported`) naming the option and what the build lacks
/// when `options` ask for what `features` cannot do: `debug_info` needs
/// cranelift, debug-builtins and addr2line; `Profiler::JitDump` profiling on
/// Linux; `Profiler::PerfMap` a Unix; `Profiler::Guest` profiling.
void checkEngineOptions(const WasmHostOptions &options, const EngineFeatures &features);

/// Whether the engine of `options` interrupts guests on epochs: for a time
/// limit, and for the guest profiler's samples on epoch ticks.
bool usesEpochInterruption(const WasmHostOptions &options);

/// Whether an engine made now from `options` gives trap backtraces source
/// lines: with `debug_info`, or when the process environment already has
/// `WASMTIME_BACKTRACE_DETAILS=1` (Wasmtime's own switch, which it reads when
/// a `Config` is made). Part of the module cache's key: it changes what a
/// compiled module keeps.
bool backtraceDetailsEnabled(const WasmHostOptions &options);

/// The file Wasmtime writes for a system profiler in this process:
/// `/tmp/perf-<pid>.map` (perfmap), `./jit-<pid>.dump` (jitdump, in the
/// current folder); empty for `None` and `Guest`.
std::string profilerOutputPath(Profiler profiler);

/// The engine `options` ask for: epoch interruption, fuel, debug info, a
/// profiler. Checks first, so that a request the build cannot serve is an
/// `Error` and never reaches Wasmtime's engine constructor:
/// `checkEngineOptions(options, features)`, then, for perfmap and jitdump,
/// that the profiler's file (`profilerOutputPath`) can be created (`Error`
/// of kind `Io`, which Wasmtime would otherwise hit inside the constructor).
/// With `debug_info`, `WASMTIME_BACKTRACE_DETAILS=1` is set in the process
/// environment while the `Config` is made (Wasmtime reads it then; the 48 C
/// API has no setter), then the previous value is restored.
wasmtime::Engine makeEngine(const WasmHostOptions &options,
                            const EngineFeatures &features = EngineFeatures::ofThisBuild());

} // namespace wasmhost

#endif // WASMHOST_ENGINE_FEATURES_HH
