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
#include <span>
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

template <typename Results, typename Params> class TypedExport;

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
  /// deduced from the C++ signature, as by `Linker::func_wrap`. An exception
  /// thrown by `fn` becomes a trap carrying its message. Signatures of plain
  /// numbers are called through a direct C callback (`host_function.hh`).
  /// `fn` may take a `wasmtime::Caller` first (see `storeData`). Refused with
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
    using Callable = std::decay_t<F>;
    using Target = detail::HostFunction<Callable>;
    auto target = std::make_shared<Target>(Target{std::string(func_name), std::forward<F>(fn)});
    if constexpr (detail::kDirectHostFunction<Callable>) {
      defineUnchecked(module_name, func_name, detail::makeRawHostFunction<Callable>(),
                      target.get());
    } else {
      auto result = linker_.func_wrap(module_name, func_name, detail::makeTrapSafe(target.get()));
      if (!result) {
        throw std::runtime_error("Failed to define host function '" + std::string(func_name) +
                                 "': " + result.err().message());
      }
    }
    host_functions_.push_back(std::move(target));
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
  /// Counts instantiations: handles and guest buffers remember the one they
  /// were made in, and refuse to reach into a later instance (whose store
  /// and allocator do not know them) after `reinstantiate()`.
  [[nodiscard]] uint64_t instanceGeneration() const { return instance_generation_; }
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

  /// Copies `bytes` to `offset` in linear memory, bounds checked like
  /// `writeMemory`: the bulk form, one `memcpy`.
  void writeBytes(int32_t offset, std::span<const uint8_t> bytes);

  /// Copies `out.size()` bytes at `offset` out of linear memory into `out`,
  /// bounds checked like `readMemory`.
  void readBytes(int32_t offset, std::span<uint8_t> out);

  /// Grows linear memory by `delta_pages` pages of 64 KiB and returns its
  /// previous size in pages (spans taken before are invalidated). Throws
  /// `std::runtime_error` when the memory cannot grow that much.
  uint64_t growMemory(uint64_t delta_pages);

  /// Throws `std::out_of_range` unless `[offset, offset + size)` lies within
  /// a memory of `memory_size` bytes. Never overflows.
  static void checkMemoryRange(int64_t offset, size_t size, size_t memory_size,
                               std::string_view access);

  // --- Calls into the guest. ------------------------------------------------

  /// Calls export `func_name` with `params`, both given as `std::tuple`s of
  /// wasm value types. The error is an `Error` for a missing export or a
  /// signature mismatch and a `Trap` when the call fails once started. The
  /// export is looked up and type-checked once per name and signature; later
  /// calls find the checked handle without allocating.
  template <typename Results, typename Params = std::tuple<>>
  wasmtime::TrapResult<Results> callFunction(std::string_view func_name,
                                             const Params &params = Params()) {
    if (const auto *cached = findCachedTyped<Params, Results>(func_name)) {
      return TypedExport<Results, Params>(*cached, *this).call(params);
    }
    auto typed = getTypedFunction<Params, Results>(func_name);
    if (!typed) {
      return typed.err();
    }
    return TypedExport<Results, Params>(typed.ok(), *this).call(params);
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

  /// A handle on export `func_name` checked against `Params -> Results`, for
  /// hot loops: its `call` skips the look-up by name that `callFunction`
  /// does and reports errors the same way.
  template <typename Results, typename Params = std::tuple<>>
  wasmtime::Result<TypedExport<Results, Params>, wasmtime::TrapError>
  getTypedExport(std::string_view func_name) {
    auto typed = getTypedFunction<Params, Results>(func_name);
    if (!typed) {
      return typed.err();
    }
    return TypedExport<Results, Params>(typed.ok(), *this);
  }

  /// Looks up export `func_name` as a typed function once; later calls with
  /// the same name and types reuse the checked handle.
  template <typename Params, typename Results>
  wasmtime::Result<wasmtime::TypedFunc<Params, Results>, wasmtime::TrapError>
  getTypedFunction(std::string_view func_name) {
    using Typed = wasmtime::TypedFunc<Params, Results>;
    if (const auto *cached = findCachedTyped<Params, Results>(func_name)) {
      return *cached;
    }
    auto found = findExport(func_name);
    if (!found) {
      return wasmtime::TrapError(found.err());
    }
    CachedExport &cached = *found.ok();
    auto typed = cached.func.template typed<Params, Results>(store_.context());
    if (!typed) {
      return wasmtime::TrapError(signatureMismatch(
          func_name, cached.func,
          wasmtime::FuncType::from_iters(wasmtime::WasmTypeList<Params>::types(),
                                         wasmtime::WasmTypeList<Results>::types())));
    }
    cached.typed.emplace_back(typeid(Typed), typed.ok());
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
  wasmtime::Store::Context context() { return store_context_; }
  const wasmtime::Module &module() const { return module_.value(); }
  const std::string &wasmPath() const { return wasm_path_; }
  const WasmHostOptions &options() const { return options_; }

private:
  template <typename R, typename P> friend class TypedExport;

  /// An export looked up once, with the typed handles checked against it.
  struct CachedExport {
    wasmtime::Func func;
    /// One `wasmtime::TypedFunc` per signature asked for.
    std::vector<std::pair<std::type_index, std::any>> typed;
  };

  /// The typed handle cached for `func_name` and these types, or null. The
  /// fast path of every call by name: one map look-up, no allocation.
  template <typename Params, typename Results>
  const wasmtime::TypedFunc<Params, Results> *findCachedTyped(std::string_view func_name) const {
    using Typed = wasmtime::TypedFunc<Params, Results>;
    auto cached = exports_.find(func_name);
    if (cached == exports_.end()) {
      return nullptr;
    }
    for (const auto &[type, handle] : cached->second.typed) {
      if (type == typeid(Typed)) {
        return std::any_cast<Typed>(&handle);
      }
    }
    return nullptr;
  }

  /// The cached entry of export `func_name`, looked up on first use. Valid
  /// until the next instantiation (map nodes never move).
  wasmtime::Result<CachedExport *> findExport(std::string_view func_name);
  /// `wasmtime_linker_define_func_unchecked` with `function`'s types and
  /// callback, `env` its data. Throws `std::runtime_error` when refused.
  void defineUnchecked(std::string_view module_name, std::string_view func_name,
                       const detail::RawHostFunction &function, void *env);
  /// The exported memory; throws `std::logic_error` when there is none.
  wasmtime::Memory &requireMemory();
  wasmtime::Error signatureMismatch(std::string_view func_name, const wasmtime::Func &func,
                                    wasmtime::FuncType wanted);
  std::ostream &narration();
  void compile(std::vector<uint8_t> wasm_bytes);
  void setStoreWasi();
  /// Starts the epoch ticker (with a time limit) and sets the store limiter.
  void startLimits();
  void applyStoreLimits();
  /// Refills the fuel and sets the epoch deadline: before every entry into
  /// the guest, so that each call gets the whole budget. Inline: without
  /// limits it is one branch on the call path.
  void armLimits() {
    if (options_.fuel > 0 || options_.timeout_ms > 0) {
      armLimitsNow();
    }
  }
  void armLimitsNow();

  std::string wasm_path_;
  WasmHostOptions options_;
  /// The callables of `defineHostFunction`, which the linker's and store's
  /// host functions point at: declared first, destroyed after both.
  std::vector<std::shared_ptr<void>> host_functions_;
  wasmtime::Engine engine_;
  std::shared_ptr<const detail::EpochTicker> ticker_; ///< shared with prepared instances
  wasmtime::Store store_;
  /// `store_.context()`, taken once: each `context()` is a call into the
  /// C API.
  wasmtime::Store::Context store_context_;
  wasmtime::Linker linker_;
  std::optional<wasmtime::Module> module_;
  std::shared_ptr<const InstancePre> instance_pre_;
  ModuleLoadReport module_load_report_;
  std::optional<wasmtime::Instance> instance_;
  std::optional<wasmtime::Memory> memory_;
  /// A strict order on names that is cheap for short ones: by length, then
  /// eight bytes at a time as integers, then byte by byte (not alphabetical,
  /// and need not be). No `memcmp` call: `<` on strings makes two per
  /// look-up. Transparent: a `string_view` is found without building a
  /// `std::string`.
  struct ShortlexLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
      if (a.size() != b.size()) {
        return a.size() < b.size();
      }
      size_t i = 0;
      for (; i + 8 <= a.size(); i += 8) {
        uint64_t x = 0;
        uint64_t y = 0;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        if (x != y) {
          return x < y;
        }
      }
      for (; i < a.size(); ++i) {
        if (a[i] != b[i]) {
          return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
        }
      }
      return false;
    }
  };
  std::map<std::string, CachedExport, ShortlexLess> exports_;
  bool wasi_configured_ = false;
  bool is_initialized_ = false;
  uint64_t instance_generation_ = 0;
  /// The id Wasmtime gives the current store, to refuse a `Func` of an
  /// earlier store in `callDynamic` (Wasmtime would abort the process).
  uint64_t store_id_ = 0;
};

/// A guest export checked once against `Params -> Results` (both
/// `std::tuple`s of wasm value types), bound to its `WasmHost`'s store. A call
/// is one `wasmtime_func_call_unchecked`; errors are reported as by
/// `WasmHost::callFunction`. Valid until the `WasmHost` that made it is
/// destroyed or re-instantiated; after `reinstantiate()` a call returns an
/// `Error` instead of reaching into the new store.
template <typename Results, typename Params> class TypedExport {
public:
  wasmtime::TrapResult<Results> call(const Params &params = Params()) const {
    if (generation_ != host_->instance_generation_) {
      return wasmtime::TrapError(wasmtime::Error(
          "stale handle: the module was re-instantiated since it was made; get a new one"));
    }
    host_->armLimits();
    auto result = func_.call(host_->store_context_, params);
    if (!result) {
      return WasmHost::asTrap(result.err());
    }
    return result;
  }

  /// The underlying Wasmtime handle.
  const wasmtime::TypedFunc<Params, Results> &typedFunc() const { return func_; }

private:
  friend class WasmHost;
  TypedExport(wasmtime::TypedFunc<Params, Results> func, WasmHost &host)
      : func_(func), host_(&host), generation_(host.instance_generation_) {}

  wasmtime::TypedFunc<Params, Results> func_;
  WasmHost *host_;      ///< its store and limits
  uint64_t generation_; ///< the instance it belongs to
};

} // namespace wasmhost

#endif // WASMHOST_WASM_HOST_HH
