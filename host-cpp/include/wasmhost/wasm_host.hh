/**
 * \file wasmhost/wasm_host.hh
 * `WasmHost`: loads one wasm module with Wasmtime, links WASI and host
 * functions, instantiates it and gives typed access to its exports and its
 * linear memory. The steps and their names follow the tutorial article.
 */
#ifndef WASMHOST_WASM_HOST_HH
#define WASMHOST_WASM_HOST_HH

#include <any>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

#include <wasmtime.hh>

#include "wasmhost/epoch_ticker.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/host_function.hh"
#include "wasmhost/instance_pre.hh"
#include "wasmhost/module_cache.hh"

namespace wasmhost {

/// How a `WasmHost` talks, what the guest may see and how far it may go.
struct WasmHostOptions {
  /// Where the host narrates its steps (`[Host Setup] ...`); null: silent.
  std::ostream *narration = nullptr;
  /// Whether the guest's WASI stdout reaches this process's stdout (its
  /// stderr always does).
  bool guest_stdout = true;
  /// A folder for precompiled modules (`ModuleCache`); empty: always compile.
  std::string module_cache_dir;
  /// When set, the guest's WASI stdout is written here instead (overrides
  /// `guest_stdout`); it must outlive the `WasmHost`.
  std::ostream *guest_stdout_stream = nullptr;
  /// Wall-clock limit of each entry into the guest (every call, the start
  /// function, `_initialize`), in milliseconds, through epoch interruption:
  /// a guest still running after it traps with `interrupt`. 0: no limit.
  uint64_t timeout_ms = 10000;
  /// Fuel budget of each entry into the guest, refilled before every call;
  /// running out is an `out of fuel` trap. 0: fuel metering off.
  uint64_t fuel = 0;
  /// Largest size of each linear memory, in bytes, through the store's
  /// limiter: past it `memory.grow` fails (returns -1) in the guest, and a
  /// module whose initial memory is larger does not instantiate.
  /// Unset: Wasmtime's default (the memory type's own maximum).
  std::optional<uint64_t> max_memory_bytes;
  /// Largest number of elements of each table (`table.grow` fails past it),
  /// so that a guest cannot make the host allocate without bound.
  uint64_t max_table_elements = uint64_t{1} << 20;
  /// Largest module file `WasmHost` reads, in bytes.
  uint64_t max_module_bytes = uint64_t{256} << 20;
};

class WasmHost {
public:
  /// Reads and compiles `wasm_path` (binary `.wasm`, or text when the name
  /// ends in `.wat`) and configures WASI. Throws `std::runtime_error` when the
  /// file cannot be read or compiled.
  explicit WasmHost(std::string wasm_path, WasmHostOptions options = {});

  /// A host for one more instance of an already compiled and linked module
  /// (see `prepareInstances`): it shares the engine, the module and the host
  /// functions, and has its own store, WASI context and store data. Cheap;
  /// make one per instance, and use each from one thread at a time.
  explicit WasmHost(std::shared_ptr<const InstancePre> instance_pre, WasmHostOptions options = {});
  /// Compiles the module `wasm_bytes` (binary, or text when `name` ends in
  /// `.wat`); `name` stands for the file in messages. For embedders that
  /// hold the module in memory (and the fuzz target).
  WasmHost(std::vector<uint8_t> wasm_bytes, std::string name, WasmHostOptions options = {});
  ~WasmHost();

  WasmHost(const WasmHost &) = delete;
  WasmHost &operator=(const WasmHost &) = delete;

  // --- The article's set-up steps, in order. -----------------------------

  std::vector<uint8_t> readWasmFile();
  void loadAndCompile();
  void setupWasi();
  void linkWasiImports();

  /// Registers `fn` as the import `module_name::func_name`. Its wasm type is
  /// deduced from the C++ signature by `Linker::func_wrap`. An exception
  /// thrown by `fn` becomes a trap carrying its message. `fn` may take a
  /// `wasmtime::Caller` first (see `storeData`). Refused with
  /// `std::logic_error` once the module is instantiated.
  template <typename F>
  void defineHostFunction(std::string_view module_name, std::string_view func_name, F &&fn) {
    if (is_initialized_) {
      throw std::logic_error("Cannot define host functions after initialization.");
    }
    if (instance_pre_) {
      throw std::logic_error("Cannot define host functions on a pre-instantiated module: define "
                             "them before prepareInstances().");
    }
    narration() << "[Host Setup] Defining host function: " << module_name << "::" << func_name
                << "..." << std::endl;
    auto result = linker_.func_wrap(
        module_name, func_name, detail::makeTrapSafe(std::string(func_name), std::forward<F>(fn)));
    if (!result) {
      throw std::runtime_error("Failed to define host function '" + std::string(func_name) +
                               "': " + result.err().message());
    }
  }

  /// Resolves the module's imports against the host functions and WASI once,
  /// for `WasmHost(std::shared_ptr<const InstancePre>)`. Host functions
  /// defined for many instances must find their state with `storeData`.
  /// Throws `std::runtime_error` for a link error.
  std::shared_ptr<const InstancePre> prepareInstances();

  /// Attaches `data` to this host's store, for host functions that reach it
  /// with `storeData<T>(caller)`. `data` must outlive the calls.
  template <typename T> void setStoreData(T *data) { store_.context().set_data(data); }

  /// The `T *` given to `setStoreData` of the store `caller` runs in. Throws
  /// `std::logic_error` when there is none (a host function that throws
  /// becomes a trap).
  template <typename T> static T &storeData(wasmtime::Caller &caller) {
    // `get_data` would dereference a null pointer for a store without data.
    auto *any = static_cast<std::any *>(wasmtime_context_get_data(caller.context().capi()));
    T *const *data = any != nullptr ? std::any_cast<T *>(any) : nullptr;
    if (data == nullptr || *data == nullptr) {
      throw std::logic_error("no host state attached to this store (WasmHost::setStoreData)");
    }
    return **data;
  }

  /// Instantiates the module, finds its memory and, for a WASI reactor, runs
  /// `_initialize` once. Throws `std::runtime_error` for a link error and
  /// `GuestTrap` when a start function or `_initialize` traps.
  void initialize();
  void instantiateModule();
  void getMemory();

  /// Drops the instance and its store and instantiates the module again in a
  /// fresh store with fresh WASI (as `initialize`), keeping the host
  /// functions. For carrying on after a trap left the instance in an
  /// unknown state. Throws like `initialize`.
  void reinstantiate();

  [[nodiscard]] bool isInitialized() const { return is_initialized_; }
  [[nodiscard]] bool hasMemory() const { return memory_.has_value(); }

  // --- Linear memory. -------------------------------------------------------

  /// A view of the whole linear memory. Invalidated when the guest grows it:
  /// take a new one after every call into the guest.
  wasmtime::Span<uint8_t> getMemorySpan();

  /// Copies `data` to `offset` in linear memory. Throws `std::out_of_range`
  /// (naming offset, size and memory size) unless it fits entirely.
  template <typename T> void writeMemory(int32_t offset, const T &data) {
    static_assert(std::is_trivially_copyable_v<T>,
                  "writeMemory copies bytes: T must be trivially copyable");
    auto memory_span = getMemorySpan();
    checkMemoryRange(offset, sizeof(T), memory_span.size(), "write");
    std::memcpy(memory_span.data() + offset, &data, sizeof(T));
  }

  /// Copies a `T` out of linear memory at `offset`, bounds checked like
  /// `writeMemory`.
  template <typename T> T readMemory(int32_t offset) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_default_constructible_v<T>,
                  "readMemory copies bytes: T must be trivially copyable");
    auto memory_span = getMemorySpan();
    checkMemoryRange(offset, sizeof(T), memory_span.size(), "read");
    T result;
    std::memcpy(&result, memory_span.data() + offset, sizeof(T));
    return result;
  }

  /// Throws `std::out_of_range` unless `[offset, offset + size)` lies within
  /// a memory of `memory_size` bytes. Never overflows.
  static void checkMemoryRange(int64_t offset, size_t size, size_t memory_size,
                               std::string_view access);

  // --- Calls into the guest. ------------------------------------------------

  /// Calls export `func_name` with `params`, both given as `std::tuple`s of
  /// wasm value types. The error is an `Error` for a missing export or a
  /// signature mismatch and a `Trap` when the call fails once started.
  template <typename Results, typename Params = std::tuple<>>
  wasmtime::TrapResult<Results> callFunction(std::string_view func_name,
                                             const Params &params = Params()) {
    auto typed = getTypedFunction<Params, Results>(func_name);
    if (!typed) {
      return typed.err();
    }
    armLimits();
    auto result = typed.ok().call(store_.context(), params);
    if (!result) {
      return asTrap(result.err());
    }
    return result;
  }

  /// Calls `func` (an export of this instance) with dynamically typed
  /// arguments, under the same limits and error rules as `callFunction`.
  wasmtime::TrapResult<std::vector<wasmtime::Val>>
  callDynamic(const wasmtime::Func &func, const std::vector<wasmtime::Val> &args);

  /// Whatever stops a running call (a wasm trap, an interrupt, a failing
  /// host function, a WASI exit) is reported as a `Trap`; `Error` is kept
  /// for calls that could not start (missing export, wrong signature).
  static wasmtime::TrapError asTrap(wasmtime::TrapError error);

  /// The kind of a trap in a few words: the trap code's name ("interrupt",
  /// "out of fuel", "integer divide by zero", "call stack exhausted",
  /// "memory out of bounds", "unreachable", ...), "host function failed"
  /// for a trap raised by a host function, "exit" for a WASI exit.
  static std::string trapKind(const wasmtime::TrapError &error);

  /// One message for a failed call: `<kind>[ (<which limit>)]: <message>`,
  /// the message being Wasmtime's, with the wasm backtrace.
  std::string describeTrap(const wasmtime::TrapError &error) const;

  /// `callFunction` for exports that return nothing.
  template <typename Params = std::tuple<>>
  wasmtime::TrapResult<std::monostate> callFunctionVoid(std::string_view func_name,
                                                        const Params &params = Params()) {
    auto result = callFunction<std::tuple<>, Params>(func_name, params);
    if (!result) {
      return result.err();
    }
    return std::monostate();
  }

  /// Looks up export `func_name` as a typed function once; later calls with
  /// the same name and types reuse the checked handle.
  template <typename Params, typename Results>
  wasmtime::Result<wasmtime::TypedFunc<Params, Results>, wasmtime::TrapError>
  getTypedFunction(std::string_view func_name) {
    using Typed = wasmtime::TypedFunc<Params, Results>;
    auto key = std::make_pair(std::string(func_name), std::type_index(typeid(Typed)));
    if (auto cached = typed_functions_.find(key); cached != typed_functions_.end()) {
      return std::any_cast<Typed>(cached->second);
    }
    auto func = getFunction(func_name);
    if (!func) {
      return wasmtime::TrapError(func.err());
    }
    auto typed = func.ok().template typed<Params, Results>(store_.context());
    if (!typed) {
      return wasmtime::TrapError(wasmtime::Error(
          "export '" + std::string(func_name) + "' has type " + describeType(func.ok()) +
          ", not the " +
          describeType(wasmtime::FuncType::from_iters(wasmtime::WasmTypeList<Params>::types(),
                                                      wasmtime::WasmTypeList<Results>::types())) +
          " the host asked for"));
    }
    typed_functions_.emplace(std::move(key), typed.ok());
    return typed.ok();
  }

  /// The exported function `func_name`, or an error naming it.
  wasmtime::Result<wasmtime::Func> getFunction(std::string_view func_name);

  /// Calls a `() -> i32` export that returns an offset in linear memory
  /// (the article's `get_plugin_shared_value_ptr`). Returns -1 when the
  /// export is missing or has another type; throws `GuestTrap` if it traps.
  int32_t getPluginDataOffset(std::string_view func_name);

  /// `(i64, i64) -> (i32)` style rendering of a function's type.
  std::string describeType(const wasmtime::Func &func);
  static std::string describeType(wasmtime::FuncType type);

  // --- Access for embedders that need the raw Wasmtime objects. -------------

  wasmtime::Engine &engine() { return engine_; }
  /// How the module was obtained: compiled, or from the module cache and why.
  const ModuleLoadReport &moduleLoadReport() const { return module_load_report_; }
  /// What of the engine's configuration (as `options` make it) changes
  /// compiled code; part of the module cache's key. Whoever changes the
  /// engine's `Config` adds it here.
  static std::string engineConfigDescription(const WasmHostOptions &options);
  wasmtime::Store &store() { return store_; }
  wasmtime::Store::Context context() { return store_.context(); }
  const wasmtime::Module &module() const { return module_.value(); }
  const std::string &wasmPath() const { return wasm_path_; }
  const WasmHostOptions &options() const { return options_; }

private:
  std::ostream &narration();
  void compile(std::vector<uint8_t> wasm_bytes);
  void setStoreWasi();
  /// Starts the epoch ticker (with a time limit) and sets the store limiter.
  void startLimits();
  void applyStoreLimits();
  /// Refills the fuel and sets the epoch deadline: before every entry into
  /// the guest, so that each call gets the whole budget.
  void armLimits();

  std::string wasm_path_;
  WasmHostOptions options_;
  wasmtime::Engine engine_;
  std::shared_ptr<const detail::EpochTicker> ticker_; ///< shared with prepared instances
  wasmtime::Store store_;
  wasmtime::Linker linker_;
  std::optional<wasmtime::Module> module_;
  std::shared_ptr<const InstancePre> instance_pre_;
  ModuleLoadReport module_load_report_;
  std::optional<wasmtime::Instance> instance_;
  std::optional<wasmtime::Memory> memory_;
  std::map<std::string, wasmtime::Func, std::less<>> functions_;
  std::map<std::pair<std::string, std::type_index>, std::any> typed_functions_;
  bool wasi_configured_ = false;
  bool is_initialized_ = false;
};

} // namespace wasmhost

#endif // WASMHOST_WASM_HOST_HH
