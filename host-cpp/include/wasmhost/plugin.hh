/**
 * \file wasmhost/plugin.hh
 * `Plugin`: one wasm module compiled for an engine and linked against WASI
 * and the host's functions, shareable by any number of `PluginInstance`s.
 */
#ifndef WASMHOST_PLUGIN_HH
#define WASMHOST_PLUGIN_HH

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <wasmtime.hh>

#include "wasmhost/detail/epoch_ticker.hh"
#include "wasmhost/detail/host_function.hh"
#include "wasmhost/engine_features.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/instance_pre.hh"
#include "wasmhost/module_cache.hh"
#include "wasmhost/options.hh"

namespace wasmhost {
namespace detail {
class WasiPollGuard;
}
namespace runtime::detail {
class RuntimeImports;
}

/// The shareable half of a host: the engine (configured from the options:
/// epoch interruption for a time limit, fuel metering for a fuel budget), the
/// compiled module, the linker with WASI and the host functions, the epoch
/// ticker. Set up (host functions, WASI) on one thread, then `prepare()`d:
/// from then on it is immutable, and any thread may instantiate it through
/// `PluginInstance`. Hold it in a `std::shared_ptr`: instances keep it alive.
class Plugin {
public:
  /// Reads and compiles `wasm_path` (binary `.wasm`, or text when the name
  /// ends in `.wat`). The WAT conversion and the compile (or the module
  /// cache's load) run on a thread of their own, bounded by
  /// `compile_timeout_ms`: past it the constructor throws `Error`
  /// (`Compile`) and the thread is left to finish on its own (the C API
  /// cannot cancel a compile). Without a thread to be had, the compile runs
  /// on the caller's thread without the limit. Throws `Error` (`Io`,
  /// `Compile`; `Unsupported` or `Io`
  /// for a debugging or profiling option the engine cannot have, see
  /// `makeEngine` in `engine_features.hh`).
  explicit Plugin(std::string wasm_path, WasmHostOptions options = {});
  /// Compiles the module `wasm_bytes`; `name` stands for the file in
  /// messages (and `.wat` in it means text).
  Plugin(std::vector<uint8_t> wasm_bytes, std::string name, WasmHostOptions options = {});
  ~Plugin();

  /// Another module on this plugin's engine, host functions and WASI: a
  /// plugin of its own, already prepared, which shares this one's engine,
  /// linker (so every host function and the WASI definitions), epoch ticker
  /// and options, and compiles `wasm_bytes` as the constructor does (under
  /// `compile_timeout_ms`, through `module_cache_dir` when one is set; text
  /// when `name` ends in `.wat`). For swapping a plugin's module between
  /// calls (`PluginInstance::replacePlugin`, `WasmHost::reload`); this plugin
  /// is not changed and its instances carry on. Needs this plugin prepared
  /// (`std::logic_error`): the linker they share never changes again. Throws
  /// `Error` naming `name`: `Compile`, or `Link` for an import the host does
  /// not define (or defines with another type).
  [[nodiscard]] std::shared_ptr<const Plugin> withModule(std::vector<uint8_t> wasm_bytes,
                                                         std::string name) const;
  /// `withModule` of the file `wasm_path`, read as the constructor reads it
  /// (regular files of at most `max_module_bytes`; `Error` `Io` naming it).
  [[nodiscard]] std::shared_ptr<const Plugin> withModuleFile(const std::string &wasm_path) const;
  /// Whether `other` has this plugin's engine and linker: one of them was
  /// made from the other by `withModule` (or both from a third), so an
  /// instance of one can switch to the other (`PluginInstance::replacePlugin`).
  [[nodiscard]] bool sharesHostWith(const Plugin &other) const { return linker_ == other.linker_; }

  Plugin(const Plugin &) = delete;
  Plugin &operator=(const Plugin &) = delete;

  /// How many compiles of this process were abandoned past
  /// `compile_timeout_ms` (they finish on their own threads; none is ever
  /// joined). A program that exits while
  /// one runs should end with `std::_Exit` after flushing its output, as
  /// `host` does, rather than run static destructors under a running
  /// compiler.
  static uint64_t abandonedCompiles();
  /// How many of those are still running.
  static uint64_t abandonedCompilesRunning();

  /// Reads a module file: regular files only, at most `max_bytes`. Throws
  /// `Error` (`Io`) naming the file.
  static std::vector<uint8_t> readModuleFile(const std::string &path, uint64_t max_bytes);

  /// Registers `fn` as the import `module_name::func_name`. Its wasm type is
  /// deduced from the C++ signature, as by `Linker::func_wrap`. An exception
  /// thrown by `fn` becomes a trap carrying its message. Signatures of plain
  /// numbers are called through a direct C callback (`detail/host_function.hh`).
  /// `fn` may take a `wasmtime::Caller` first (see `PluginInstance::storeData`);
  /// it is shared by every instance, so it must find per-instance state
  /// through its store, not through captures, when there are several.
  /// Refused with `std::logic_error` once the plugin is prepared.
  template <typename F>
  void defineHostFunction(std::string_view module_name, std::string_view func_name, F &&fn) {
    requireUnprepared("define host functions");
    narration() << "[Host Setup] Defining host function: " << module_name << "::" << func_name
                << "..." << std::endl;
    defineWithoutNarration(module_name, func_name, std::forward<F>(fn));
  }

  /// Defines WASI (preview 1) in the linker, once, and with it the runtime's
  /// imports of module `wasmhost`: `config_get` (`wasmhost/runtime/config.hh`)
  /// and `log(level: i32, ptr: i32, len: i32)` (`wasmhost/runtime/log.hh`),
  /// which serve each instance from its own options; a module that does not
  /// import them is not affected. Refused once prepared.
  /// With a time limit, a fuel budget or epoch interruption, WASI's
  /// `poll_oneoff` (a guest's sleep, which Wasmtime cannot interrupt) is
  /// replaced by one that never blocks past the call's limits and wakes when
  /// the call is cancelled (`detail::WasiPollGuard`).
  void linkWasi();
  [[nodiscard]] bool wasiLinked() const { return wasi_linked_; }

  /// Resolves and type-checks every import once (`InstancePre`); from then
  /// on the plugin is immutable. Throws `Error` (`Link`) for an import the
  /// linker does not define or defines with another type; a second call does
  /// nothing.
  void prepare();
  [[nodiscard]] bool isPrepared() const { return pre_.has_value(); }
  /// The resolved imports; `std::logic_error` before `prepare()`.
  [[nodiscard]] const InstancePre &instancePre() const;

  /// Whether the engine can enforce a time limit (epoch interruption, with
  /// the ticker running) and a fuel budget, and whether its instances may
  /// record a guest profile (`Profiler::Guest`, which needs epoch
  /// interruption too): fixed when the plugin is made, from its options.
  [[nodiscard]] bool enforcesTimeLimit() const { return ticker_ != nullptr; }
  [[nodiscard]] bool metersFuel() const { return options_.fuel > 0; }
  [[nodiscard]] bool profilesGuests() const { return options_.profiler == Profiler::Guest; }
  /// Always 0: kept for source compatibility. Deadlines no longer count
  /// ticks; each store's epoch deadline callback reads the clock
  /// (`detail/epoch_ticker.hh`).
  [[nodiscard]] uint64_t tickerPendingTicks() const { return 0; }
  /// The engine's registration with the process's epoch ticker; null without
  /// a time limit. For `PluginInstance`'s call path.
  [[nodiscard]] const detail::EpochTicker *epochTicker() const { return ticker_.get(); }
  /// The guard of WASI's `poll_oneoff`; null unless WASI is linked with a
  /// time limit or a fuel budget. For `PluginInstance`.
  [[nodiscard]] detail::WasiPollGuard *wasiPollGuard() const { return poll_guard_.get(); }
  /// The stores the runtime imports serve (each `PluginInstance` attaches
  /// its own). For `PluginInstance`.
  [[nodiscard]] runtime::detail::RuntimeImports &runtimeImports() const {
    return *runtime_imports_;
  }

  /// What of the engine's configuration (as `options` make it) changes
  /// compiled code; part of the module cache's key. Whoever changes the
  /// engine's `Config` adds it here.
  static std::string engineConfigDescription(const WasmHostOptions &options);

  [[nodiscard]] const wasmtime::Engine &engine() const { return engine_; }
  [[nodiscard]] wasmtime::Engine &engine() { return engine_; }
  [[nodiscard]] const wasmtime::Module &module() const { return module_.value(); }
  /// The file (or the name given with the bytes), for messages.
  [[nodiscard]] const std::string &name() const { return name_; }
  [[nodiscard]] const WasmHostOptions &options() const { return options_; }
  /// How the module was obtained: compiled, or from the module cache and why.
  [[nodiscard]] const ModuleLoadReport &moduleLoadReport() const { return module_load_report_; }
  /// The linker, shared with the plugins `withModule` made from this one.
  [[nodiscard]] wasmtime::Linker &linker() { return *linker_; }

private:
  /// `withModule`'s: `base`'s engine, linker and options, `wasm_bytes`
  /// compiled.
  struct SharedHostTag {};
  Plugin(SharedHostTag tag, const Plugin &base, std::vector<uint8_t> wasm_bytes, std::string name);

  /// `defineHostFunction` without its narration line.
  template <typename F>
  void defineWithoutNarration(std::string_view module_name, std::string_view func_name, F &&fn) {
    using Callable = std::decay_t<F>;
    using Target = detail::HostFunction<Callable>;
    auto target = std::make_shared<Target>(Target{std::string(func_name), std::forward<F>(fn)});
    if constexpr (detail::kDirectHostFunction<Callable>) {
      defineUnchecked(module_name, func_name, detail::makeRawHostFunction<Callable>(),
                      target.get());
    } else {
      auto result = linker_->func_wrap(module_name, func_name, detail::makeTrapSafe(target.get()));
      if (!result) {
        throw Error(ErrorKind::Link, "Failed to define host function '" + std::string(func_name) +
                                         "': " + result.err().message());
      }
    }
    host_functions_->push_back(std::move(target));
  }
  /// Defines `wasmhost::config_get` and `wasmhost::log` (`linkWasi`).
  void linkRuntimeImports();
  void compile(std::vector<uint8_t> wasm_bytes);
  void requireUnprepared(std::string_view what) const;
  /// `wasmtime_linker_define_func_unchecked` with `function`'s types and
  /// callback, `env` its data. Throws `Error` (`Link`) when refused.
  void defineUnchecked(std::string_view module_name, std::string_view func_name,
                       const detail::RawHostFunction &function, void *env);
  std::ostream &narration() const;

  std::string name_;
  WasmHostOptions options_;
  /// The callables of `defineHostFunction`, which the linker's and stores'
  /// host functions point at: declared first, destroyed after both, and
  /// shared with the prepared module.
  std::shared_ptr<std::vector<std::shared_ptr<void>>> host_functions_;
  wasmtime::Engine engine_;
  std::shared_ptr<const detail::EpochTicker> ticker_; ///< set with a time limit
  /// Declared before the linker, whose guarded `poll_oneoff` points at it.
  std::shared_ptr<detail::WasiPollGuard> poll_guard_;
  /// Declared before the linker, whose runtime imports point at it.
  std::shared_ptr<runtime::detail::RuntimeImports> runtime_imports_;
  /// Shared with the plugins `withModule` made (they share everything it
  /// points at above too): released first, so the last plugin to go drops
  /// it before what its host functions point at.
  std::shared_ptr<wasmtime::Linker> linker_;
  std::optional<wasmtime::Module> module_;
  ModuleLoadReport module_load_report_;
  std::optional<InstancePre> pre_;
  bool wasi_linked_ = false;
  /// The narration's lines to `options_.log_sink` (without `narration`).
  std::shared_ptr<std::ostream> sink_narration_;
};

} // namespace wasmhost

#endif // WASMHOST_PLUGIN_HH
