/**
 * \file wasmhost/wasm_host.hh
 * `WasmHost`: the article's host class. It loads one wasm module with
 * Wasmtime, links WASI and host functions, instantiates it and gives typed
 * access to its exports and its linear memory, with the article's names and
 * steps, on top of a `Plugin` (engine, module, linker) and a
 * `PluginInstance` (store, instance, memory, calls).
 */
#ifndef WASMHOST_WASM_HOST_HH
#define WASMHOST_WASM_HOST_HH

#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include <wasmtime.hh>

#include "wasmhost/errors.hh"
#include "wasmhost/options.hh"
#include "wasmhost/plugin.hh"
#include "wasmhost/plugin_instance.hh"

namespace wasmhost {

/// One module, one instance, the article's API. Thread-safety: one thread at
/// a time; for many instances on many threads, `prepareInstances()` and one
/// `WasmHost` (or `PluginInstance`) per instance.
class WasmHost {
public:
  /// Reads and compiles `wasm_path` (binary `.wasm`, or text when the name
  /// ends in `.wat`) and configures WASI. Throws `Error` (`Io`, `Compile`).
  explicit WasmHost(std::string wasm_path, WasmHostOptions options = {});
  /// Compiles the module `wasm_bytes` (binary, or text when `name` ends in
  /// `.wat`); `name` stands for the file in messages. For embedders that
  /// hold the module in memory (and the fuzz target).
  WasmHost(std::vector<uint8_t> wasm_bytes, std::string name, WasmHostOptions options = {});
  /// A host for one more instance of an already prepared plugin (see
  /// `prepareInstances`): it shares the engine, the module and the host
  /// functions, and has its own store, WASI context and store data.
  explicit WasmHost(std::shared_ptr<const Plugin> plugin, WasmHostOptions options = {});
  ~WasmHost();

  WasmHost(const WasmHost &) = delete;
  WasmHost &operator=(const WasmHost &) = delete;

  // --- The article's set-up steps, in order. -----------------------------

  std::vector<uint8_t> readWasmFile();
  void loadAndCompile();
  void setupWasi();
  void linkWasiImports();

  /// `Plugin::defineHostFunction`. Refused with `std::logic_error` once the
  /// module is instantiated or prepared.
  template <typename F>
  void defineHostFunction(std::string_view module_name, std::string_view func_name, F &&fn) {
    if (instance_) {
      throw std::logic_error("Cannot define host functions after initialization.");
    }
    mutablePlugin("define host functions")
        .defineHostFunction(module_name, func_name, std::forward<F>(fn));
  }

  /// Resolves the module's imports against the host functions and WASI once
  /// and returns the plugin, for `WasmHost(std::shared_ptr<const Plugin>)`
  /// or `PluginInstance`. Host functions defined for many instances must find
  /// their state with `storeData`. Throws `Error` (`Link`).
  std::shared_ptr<const Plugin> prepareInstances();

  /// `PluginInstance::setStoreData`; may be called before `initialize`.
  template <typename T> void setStoreData(T *data) {
    pending_store_data_ = data;
    if (instance_) {
      instance_->setStoreData(data);
    }
  }
  /// `PluginInstance::storeData`.
  template <typename T> static T &storeData(wasmtime::Caller &caller) {
    return PluginInstance::storeData<T>(caller);
  }

  /// Instantiates the module, finds its memory and, for a WASI reactor, runs
  /// `_initialize` once. Throws `Error`: `Link` for an unknown import,
  /// `Limit`, `Trap` or `Exit` as `PluginInstance::initialize`.
  void initialize();
  void instantiateModule();
  void getMemory();
  /// `PluginInstance::reinstantiate`, keeping the host functions.
  void reinstantiate();

  /// Live reload: swaps the module for the one in `wasm_path` between
  /// calls, keeping the host functions, WASI, the options (limits, module
  /// cache, compile time limit) and the store data, so the host state
  /// carries on. The new module is read as the constructor reads one
  /// (at most `max_module_bytes`), compiled on the same engine
  /// (`Plugin::withModule`), linked against the same host functions and
  /// WASI, and instantiated in a fresh store (`PluginInstance::replacePlugin`,
  /// with `_initialize` for a reactor). After it, `wasmPath()` and
  /// `plugin()` are the new module's, and handles (`TypedExport`,
  /// `wasmtime::Func`, `GuestBuffer`) of the old instance are refused as
  /// after `reinstantiate()`. Strong guarantee: when the new module cannot
  /// be read, compiled, linked or instantiated, the old instance stays in
  /// place and usable, and the error is an `Error` naming the new file:
  /// `Io`, `Compile`, `Link` (an import the host does not define), `Limit`,
  /// `Trap` or `Exit` (its start function or `_initialize`), `Signature` (an
  /// `_initialize` of another type). Needs
  /// `initialize()` called before (the instance may have failed since: a
  /// reload is a way out of a failed `reinstantiate`), and no guest profile
  /// being recorded (`std::logic_error`).
  /// Another host's instances of the old plugin (`prepareInstances`) keep
  /// the old module.
  void reload(const std::string &wasm_path);
  /// `reload` of the module `wasm_bytes` (binary, or text when `name` ends
  /// in `.wat`); `name` stands for the file in messages and `wasmPath()`.
  void reload(std::vector<uint8_t> wasm_bytes, std::string name);

  [[nodiscard]] bool isInitialized() const { return instance_ && instance_->isInitialized(); }
  [[nodiscard]] uint64_t instanceGeneration() const {
    return instance_ ? instance_->instanceGeneration() : 0;
  }
  [[nodiscard]] bool hasMemory() const { return instance_ && instance_->hasMemory(); }

  // --- Linear memory (`PluginInstance`). -------------------------------------

  wasmtime::Span<uint8_t> getMemorySpan() { return requireInstance().getMemorySpan(); }
  template <typename T> void writeMemory(int32_t offset, const T &data) {
    requireInstance().writeMemory(offset, data);
  }
  template <typename T> T readMemory(int32_t offset) {
    return requireInstance().template readMemory<T>(offset);
  }
  void writeBytes(int32_t offset, std::span<const uint8_t> bytes) {
    requireInstance().writeBytes(offset, bytes);
  }
  void readBytes(int32_t offset, std::span<uint8_t> out) {
    requireInstance().readBytes(offset, out);
  }
  uint64_t growMemory(uint64_t delta_pages) { return requireInstance().growMemory(delta_pages); }
  static void checkMemoryRange(int64_t offset, size_t size, size_t memory_size,
                               std::string_view access) {
    PluginInstance::checkMemoryRange(offset, size, memory_size, access);
  }

  // --- Calls into the guest (`PluginInstance`). ------------------------------

  /// Inlined like `PluginInstance::callFunction`, which it wraps.
  template <typename Results, typename Params = std::tuple<>>
  [[gnu::always_inline]] wasmtime::TrapResult<Results>
  callFunction(std::string_view func_name, const Params &params = Params()) {
    if (!instance_) [[unlikely]] {
      return notInitialized(func_name);
    }
    return instance_->callFunction<Results, Params>(func_name, params);
  }
  template <typename Params = std::tuple<>>
  wasmtime::TrapResult<std::monostate> callFunctionVoid(std::string_view func_name,
                                                        const Params &params = Params()) {
    if (!instance_) {
      return notInitialized(func_name);
    }
    return instance_->callFunctionVoid<Params>(func_name, params);
  }
  template <typename Results, typename Params = std::tuple<>>
  wasmtime::Result<TypedExport<Results, Params>, wasmtime::TrapError>
  getTypedExport(std::string_view func_name) {
    if (!instance_) {
      return notInitialized(func_name);
    }
    return instance_->getTypedExport<Results, Params>(func_name);
  }
  wasmtime::TrapResult<std::vector<wasmtime::Val>>
  callDynamic(const wasmtime::Func &func, const std::vector<wasmtime::Val> &args);
  wasmtime::Result<wasmtime::Func> getFunction(std::string_view func_name);
  int32_t getPluginDataOffset(std::string_view func_name);

  static wasmtime::TrapError asTrap(wasmtime::TrapError error) {
    return PluginInstance::asTrap(std::move(error));
  }
  static std::string trapKind(const wasmtime::TrapError &error) {
    return PluginInstance::trapKind(error);
  }
  [[nodiscard]] std::string describeTrap(const wasmtime::TrapError &error) const;
  std::string describeType(const wasmtime::Func &func) {
    return requireInstance().describeType(func);
  }
  static std::string describeType(wasmtime::FuncType type) {
    return PluginInstance::describeType(std::move(type));
  }

  // --- The two halves and the raw Wasmtime objects. --------------------------

  [[nodiscard]] const Plugin &plugin() const { return *plugin_; }
  /// The instance; `std::logic_error` before `initialize`.
  PluginInstance &instance() { return requireInstance(); }
  wasmtime::Engine &engine() { return engine_; }
  const ModuleLoadReport &moduleLoadReport() const { return plugin_->moduleLoadReport(); }
  static std::string engineConfigDescription(const WasmHostOptions &options) {
    return Plugin::engineConfigDescription(options);
  }
  wasmtime::Store &store() { return requireInstance().store(); }
  wasmtime::Store::Context context() { return requireInstance().context(); }
  const wasmtime::Module &module() const { return plugin_->module(); }
  const std::string &wasmPath() const { return plugin_->name(); }
  const WasmHostOptions &options() const { return options_; }

private:
  PluginInstance &requireInstance();
  /// The instance, made (after preparing the plugin) on first use.
  PluginInstance &ensureInstance();
  Plugin &mutablePlugin(std::string_view what);
  static wasmtime::TrapError notInitialized(std::string_view func_name);
  std::ostream &narration();

  WasmHostOptions options_;
  /// The plugin this host compiled (null for a host of a shared plugin):
  /// set-up steps go to it until it is prepared.
  std::shared_ptr<Plugin> own_plugin_;
  std::shared_ptr<const Plugin> plugin_;
  wasmtime::Engine engine_; ///< the plugin's
  std::optional<PluginInstance> instance_;
  /// What `setStoreData` attached, for a store made later.
  std::any pending_store_data_;
  bool wasi_configured_ = false;
  /// The narration's lines to `options_.log_sink` (without `narration`).
  std::shared_ptr<std::ostream> sink_narration_;
};

} // namespace wasmhost

#endif // WASMHOST_WASM_HOST_HH
