/**
 * \file wasmhost/plugin_instance.hh
 * `PluginInstance`: one instance of a prepared `Plugin` in a store of its own,
 * with its WASI context, limits and linear memory, and typed calls into it.
 */
#ifndef WASMHOST_PLUGIN_INSTANCE_HH
#define WASMHOST_PLUGIN_INSTANCE_HH

#include <any>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <wasmtime.hh>

#include "wasmhost/call_stats.hh"
#include "wasmhost/cancel_handle.hh"
#include "wasmhost/detail/export_cache.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/options.hh"
#include "wasmhost/plugin.hh"

namespace wasmhost {

template <typename Results, typename Params> class TypedExport;
namespace detail {
class GuestProfile;
class WasiPollGuard;
} // namespace detail
namespace runtime::detail {
class GuestLog;
}

/// The per-store half of a host: the store (with its limits and WASI
/// context), the instance, its memory, and every call into it. Cheap to make
/// from a prepared `Plugin`; make one per instance. Thread-safety: one thread
/// at a time (a store is not thread-safe); different instances of one plugin
/// may run on different threads at once.
class PluginInstance {
public:
  /// A store for one instance of `plugin`, which must be prepared, limited by
  /// `options` (the limits, WASI's stdout and the narration; the engine-wide
  /// options are the plugin's). A time limit, a fuel budget or a guest
  /// profile the plugin's engine cannot serve is refused here with
  /// `std::logic_error`; WASI capabilities `Error` (`Io`) and a
  /// configuration `Error` (`Limit`) refuses, before the guest runs.
  PluginInstance(std::shared_ptr<const Plugin> plugin, WasmHostOptions options);
  explicit PluginInstance(std::shared_ptr<const Plugin> plugin);
  ~PluginInstance();

  PluginInstance(const PluginInstance &) = delete;
  PluginInstance &operator=(const PluginInstance &) = delete;

  /// Instantiates the module, finds its memory and, for a WASI reactor, runs
  /// `_initialize` once. Throws `Error`: `Limit` when the store's limits
  /// refuse the module's initial memory or table, `Trap` or `Exit` when a
  /// start function or `_initialize` fails.
  void initialize();
  /// The two steps of `initialize` before `_initialize`.
  void instantiate();
  void findMemory();

  /// Drops the instance and its store and instantiates the module again in a
  /// fresh store with fresh WASI (as `initialize`), keeping the store data.
  /// For carrying on after a trap left the instance in an unknown state.
  /// `std::logic_error` from a host function while the guest runs (nested):
  /// the store it would replace is on the stack.
  void reinstantiate();

  /// Swaps the module between calls: instantiates `plugin` (another module
  /// on this instance's plugin's engine, host functions and WASI:
  /// `Plugin::withModule`) in a fresh store with fresh WASI, as `initialize`
  /// does, keeping the store data (the host state), the options and limits,
  /// the cancel handles and the call-stats setting. Once it is initialized
  /// the old instance and its store are dropped, and handles
  /// (`TypedExport`, `wasmtime::Func`) and guest buffers of it are refused
  /// from then on, as after `reinstantiate()`; `plugin()` is the new one.
  /// Strong guarantee: when the new instance fails (`Error`: `Limit` for a
  /// store limit, `Trap` or `Exit` for a start function or `_initialize`,
  /// `Signature` for an `_initialize` of another type),
  /// the old instance, its store, memory and handles stay exactly as they
  /// were. `std::logic_error` (nothing changed): `plugin` not prepared or
  /// not sharing this plugin's host (`Plugin::sharesHostWith`), a guest
  /// profile being recorded (it is of one module), or called from a host
  /// function while the guest runs (nested).
  void replacePlugin(std::shared_ptr<const Plugin> plugin);

  [[nodiscard]] bool isInitialized() const { return is_initialized_; }
  /// Counts instantiations: handles and guest buffers remember the one they
  /// were made in, and refuse to reach into a later instance (whose store
  /// and allocator do not know them) after `reinstantiate()` or
  /// `replacePlugin()`. A generation is never given twice, also when a
  /// `replacePlugin` fails and puts the old one back.
  [[nodiscard]] uint64_t instanceGeneration() const { return instance_generation_; }
  [[nodiscard]] bool hasMemory() const { return memory_.has_value(); }

  /// Attaches `data` to this store, for host functions that reach it with
  /// `storeData<T>(caller)`. `data` must outlive the calls.
  template <typename T> void setStoreData(T *data) { store_.context().set_data(data); }

  /// The `T *` given to `setStoreData` of the store `caller` runs in. Throws
  /// `std::logic_error` when there is none (a host function that throws
  /// becomes a trap).
  template <typename T> static T &storeData(wasmtime::Caller &caller) {
    // `get_data` would dereference a null pointer for a store without data.
    auto *any = static_cast<std::any *>(wasmtime_context_get_data(caller.context().capi()));
    T *const *data = any != nullptr ? std::any_cast<T *>(any) : nullptr;
    if (data == nullptr || *data == nullptr) {
      throw std::logic_error("no host state attached to this store (setStoreData)");
    }
    return **data;
  }

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
  /// `Error` (`Limit`) when the memory cannot grow that much.
  uint64_t growMemory(uint64_t delta_pages);

  /// Throws `std::out_of_range` unless `[offset, offset + size)` lies within
  /// a memory of `memory_size` bytes. Never overflows.
  static void checkMemoryRange(int64_t offset, size_t size, size_t memory_size,
                               std::string_view access);

  // --- Calls into the guest. ------------------------------------------------

  /// Calls export `func_name` with `params`, both given as `std::tuple`s of
  /// wasm value types, under the limits. The error is an `Error` for a
  /// missing export or a signature mismatch and a `Trap` when the call fails
  /// once started. The export is looked up and type-checked once per name and
  /// signature; later calls find the checked handle without allocating.
  template <typename Results, typename Params = std::tuple<>>
  [[gnu::always_inline]] wasmtime::TrapResult<Results>
  callFunction(std::string_view func_name, const Params &params = Params()) {
    // Inlined, like `TypedExport::call`, with the look-up past the last hit
    // and the first look-up out of line: a hit costs the last-hit test on
    // top of the typed call.
    const auto *typed = exports_.findTyped<Params, Results>(func_name);
    if (typed == nullptr) [[unlikely]] {
      auto looked_up = typedFunction<Params, Results>(func_name);
      if (!looked_up) {
        return looked_up.err();
      }
      typed = looked_up.ok();
    }
    // No generation check (`TypedExport::call`'s): the cache holds handles
    // of the current instance only, emptied by every instantiation and by
    // `reinstantiate`, even a failed one, after which the look-up refuses.
    // A copy (two words): a host function the guest calls may call by name
    // too and add a handle to the cache, which may move the handles.
    const wasmtime::TypedFunc<Params, Results> func = *typed;
    return callTyped(func, params);
  }

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
  /// does, arms the same limits and reports errors the same way.
  template <typename Results, typename Params = std::tuple<>>
  wasmtime::Result<TypedExport<Results, Params>, wasmtime::TrapError>
  getTypedExport(std::string_view func_name) {
    auto typed = typedFunction<Params, Results>(func_name);
    if (!typed) {
      return typed.err();
    }
    return TypedExport<Results, Params>(*typed.ok(), *this);
  }

  /// Calls `func` (an export of this instance) with dynamically typed
  /// arguments, under the same limits and error rules as `callFunction`.
  wasmtime::TrapResult<std::vector<wasmtime::Val>>
  callDynamic(const wasmtime::Func &func, const std::vector<wasmtime::Val> &args);

  /// The exported function `func_name`, or an error naming it.
  wasmtime::Result<wasmtime::Func> getFunction(std::string_view func_name);

  /// Calls a `() -> i32` export that returns an offset in linear memory
  /// (the article's `get_plugin_shared_value_ptr`). Returns -1 when the
  /// export is missing or has another type; throws `Error` (`Trap`) if it
  /// traps.
  int32_t getPluginDataOffset(std::string_view func_name);

  // --- Errors. ----------------------------------------------------------------

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
  [[nodiscard]] std::string describeTrap(const wasmtime::TrapError &error) const;

  /// Whether a call into the current instance failed (a trap, an exit, a
  /// cancel; nested calls too) since it was instantiated: its state may be
  /// anything the guest left half done. `reinstantiate()` clears it.
  [[nodiscard]] bool hasTrapped() const { return trapped_; }

  // --- Cancellation and per-call figures. -----------------------------------

  /// A handle that cancels the call in flight in this instance from any
  /// thread (`CancelHandle`, which says which call). Every handle of an
  /// instance shares one state; it stays valid across `reinstantiate()` and
  /// after the instance is destroyed. A cancelled call fails with a `Trap`
  /// of kind "cancelled"; the instance stays usable: the next call runs (not
  /// cancelled), on whatever state the cancelled one left, and
  /// `reinstantiate()` starts afresh as after any trap. Needs epoch
  /// interruption: throws `std::logic_error` when the plugin's engine has
  /// none (`timeout_ms = 0` without the guest profiler).
  CancelHandle cancelHandle();

  /// Starts (or stops) recording `lastCallStats()`: two clock reads, and
  /// with fuel a fuel read, per outermost entry into the guest. Off by
  /// default.
  void recordCallStats(bool on = true) { records_stats_ = on; }
  [[nodiscard]] bool recordsCallStats() const { return records_stats_; }
  /// The figures of the last outermost entry into the guest (`CallStats`)
  /// since `recordCallStats()`; all zero and unset before the first.
  /// Throws `std::logic_error` when not recording.
  [[nodiscard]] CallStats lastCallStats() const;

  // --- The guest profiler (`Profiler::Guest`). -------------------------------

  /// Whether this instance records a guest profile: its options and its
  /// plugin's say `Profiler::Guest`.
  [[nodiscard]] bool profilesGuest() const { return profile_ != nullptr; }
  /// Samples taken so far (0 when not profiling).
  [[nodiscard]] uint64_t guestProfileSamples() const;
  /// Ends the guest profile and returns it as Firefox Profiler JSON (the
  /// "processed profile format" of profiler.firefox.com): the guest's stack
  /// at every entry into the guest, on every epoch tick (1 ms) while it runs
  /// and when it returns (an empty stack). Later calls are not sampled.
  /// Throws `std::logic_error` when not profiling or already finished,
  /// `Error` (`Io`) when Wasmtime cannot write it.
  std::vector<uint8_t> finishGuestProfile();

  /// The kind of a failed call's error: `Trap` or `Exit` once it ran,
  /// `Signature` for an export of another type, `Link` for a missing one.
  static ErrorKind callErrorKind(const wasmtime::TrapError &error);

  /// `error` of `what` (an export, a step) as an `Error` of its kind: a trap
  /// or exit with `describeTrap`'s wording, anything else as `fallback`.
  [[nodiscard]] Error toError(const std::string &what, const wasmtime::TrapError &error,
                              ErrorKind fallback) const;

  /// `(i64, i64) -> (i32)` style rendering of a function's type.
  std::string describeType(const wasmtime::Func &func);
  static std::string describeType(wasmtime::FuncType type);

  // --- The raw Wasmtime objects, for embedders that need them. ---------------

  [[nodiscard]] const Plugin &plugin() const { return *plugin_; }
  [[nodiscard]] const std::shared_ptr<const Plugin> &sharedPlugin() const { return plugin_; }
  wasmtime::Store &store() { return store_; }
  wasmtime::Store::Context context() { return store_context_; }
  [[nodiscard]] const WasmHostOptions &options() const { return options_; }

private:
  template <typename R, typename P> friend class TypedExport;
  friend class detail::WasiPollGuard;

  /// How long a host call (WASI's `poll_oneoff`) may still block the current
  /// outermost call: `limited` when a time limit or fuel applies, `allowed`
  /// then the nearer of the time left and what the fuel left pays for at
  /// `WasmHostOptions::kSleepFuelPerMillisecond` (`fuel_bound` when that is
  /// the nearer; `allowed` is negative once the deadline has passed). Outside
  /// any entry into the guest nothing is limited.
  struct WaitBudget {
    bool limited = false;
    bool fuel_bound = false;
    std::chrono::nanoseconds allowed{};
  };
  WaitBudget waitBudget(wasmtime_context_t *context, std::chrono::steady_clock::time_point now);
  /// Charges `waited` of blocking to the fuel (at least down to 0: the guest
  /// then runs out at its next fuel check). Nothing without fuel.
  void chargeWait(wasmtime_context_t *context, std::chrono::nanoseconds waited);
  /// The time the current outermost call has left of its time limit at
  /// `now` (negative once past). The first to ask, this or the epoch
  /// deadline callback, starts the call's clock: with a time limit the one
  /// place that reads `call_started_` and `call_start_`.
  std::chrono::steady_clock::duration remainingTime(std::chrono::steady_clock::time_point now) {
    if (call_started_) {
      call_started_ = false;
      call_start_ = now;
    }
    return time_limit_ - (now - call_start_);
  }

  /// One call of `func`, a handle of the current instance checked against
  /// `Params -> Results`, under the limits: what `TypedExport::call` and
  /// `callFunction` do once they hold the handle. Always inlined: out of
  /// line, its frame and the result copied through memory cost a call by
  /// name or a typed call about 15 % (measured, docs/benchmarks.md).
  template <typename Results, typename Params>
  [[gnu::always_inline]] wasmtime::TrapResult<Results>
  callTyped(const wasmtime::TypedFunc<Params, Results> &func, const Params &params) {
    const EntryScope entry(*this);
    auto result = func.call(store_context_, params);
    guestReturned();
    if (!result) {
      noteCallFailed();
      return asTrap(result.err());
    }
    return result;
  }
  /// A call failed once it ran: `hasTrapped()`, and the outermost entry's
  /// `CallStats::trapped`.
  void noteCallFailed() {
    trapped_ = true;
    if (entry_depth_ == 1) {
      entry_failed_ = true;
    }
  }

  /// Looks up export `func_name` as a typed function once; later calls with
  /// the same name and types reuse the checked handle. Returns the handle in
  /// the cache (valid until the next instantiation or the next handle added
  /// for that export: copy it or use it at once). Private: a bare `TypedFunc`
  /// would skip the limits. Out of line: the first call by a name and
  /// signature takes it, later ones only `ExportCache::findTyped`.
  template <typename Params, typename Results>
  [[gnu::noinline]] wasmtime::Result<const wasmtime::TypedFunc<Params, Results> *,
                                     wasmtime::TrapError>
  typedFunction(std::string_view func_name) {
    using Typed = wasmtime::TypedFunc<Params, Results>;
    if (const auto *cached = exports_.findTyped<Params, Results>(func_name)) {
      return cached;
    }
    auto found = findExport(func_name);
    if (!found) {
      return wasmtime::TrapError(found.err());
    }
    detail::CachedExport &cached = *found.ok();
    auto typed = cached.func.template typed<Params, Results>(store_context_);
    if (!typed) {
      return wasmtime::TrapError(signatureMismatch(
          func_name, cached.func,
          wasmtime::FuncType::from_iters(wasmtime::WasmTypeList<Params>::types(),
                                         wasmtime::WasmTypeList<Results>::types())));
    }
    cached.typed.emplace_back(typeid(Typed), typed.ok());
    return std::any_cast<Typed>(&cached.typed.back().second);
  }

  /// The cached entry of export `func_name`, looked up on first use. Valid
  /// until the next instantiation.
  wasmtime::Result<detail::CachedExport *> findExport(std::string_view func_name);
  /// The exported memory; throws `std::logic_error` when there is none.
  wasmtime::Memory &requireMemory();
  wasmtime::Error signatureMismatch(std::string_view func_name, const wasmtime::Func &func,
                                    wasmtime::FuncType wanted);
  std::ostream &narration();
  void setStoreWasi();
  /// Serves this store from the plugin's runtime imports (`config_get`, `log`).
  void attachRuntime();
  void detachRuntime();
  /// The host state attached to the current store (`setStoreData`), if any.
  std::optional<std::any> storeDataCopy();
  /// Sets up the fresh `store_` as the constructor's does (limits, WASI,
  /// deadline, poll guard, runtime imports), gives it `kept_data` and
  /// instantiates (`reinstantiate`, `replacePlugin`).
  void startFreshStore(std::optional<std::any> kept_data);
  void applyStoreLimits();
  /// Marks one entry into the guest (a call, the start function,
  /// `_initialize`) for as long as it lives. The outermost one arms the
  /// limits: the time limit starts again (the deadline callback takes the
  /// clock at the call's first epoch check; no clock read and no C API call
  /// here) and the fuel is refilled. A call made from a host function while
  /// the guest runs (nested) arms nothing: it runs on the outer call's
  /// deadline and fuel, so a guest cannot extend its own limits by calling
  /// back into itself through the host.
  class EntryScope {
  public:
    explicit EntryScope(PluginInstance &instance) : instance_(instance) {
      if (instance_.entry_depth_ == 0) {
        instance_.armLimits();
      }
      ++instance_.entry_depth_;
    }
    ~EntryScope() {
      if (--instance_.entry_depth_ == 0 &&
          (instance_.cancel_ != nullptr || instance_.records_stats_)) [[unlikely]] {
        instance_.leaveOutermostEntry();
      }
    }
    EntryScope(const EntryScope &) = delete;
    EntryScope &operator=(const EntryScope &) = delete;

  private:
    PluginInstance &instance_;
  };

  /// Inline: with the default options (a time limit, no fuel) it is two
  /// stores and one relaxed load on the call path.
  void armLimits() {
    if (ticker_parked_ != nullptr) {
      call_started_ = true;
      if (ticker_parked_->load(std::memory_order_relaxed)) {
        ticker_->wake();
      }
    }
    if (options_.fuel > 0) {
      refillFuel();
    }
    if (profile_ != nullptr) [[unlikely]] {
      enterProfiledGuest(); // a sample at the guest's first epoch check
    }
    if (cancel_ != nullptr || records_stats_) [[unlikely]] {
      enterOutermostEntry();
    }
  }
  /// With a cancel handle or call stats: the entry's number, its clock.
  void enterOutermostEntry();
  /// Their counterpart when the outermost entry returned.
  void leaveOutermostEntry();
  /// After every entry into the guest returned: the guest profiler's sample.
  void guestReturned() {
    if (profile_ != nullptr) [[unlikely]] {
      leaveProfiledGuest();
    }
  }
  void enterProfiledGuest();
  void leaveProfiledGuest();
  void refillFuel();
  /// Gives the current store its epoch deadline callback (with a time limit
  /// or the guest profiler: whenever the plugin has a ticker).
  void installDeadlineCallback();
  /// The store's epoch deadline callback (`wasmtime_store_epoch_deadline_callback`):
  /// samples the guest profile (with one), interrupts the guest once its
  /// outermost call has run for the time limit, else lets it run one tick more.
  static wasmtime_error_t *onEpochDeadline(wasmtime_context_t *context, void *instance,
                                           uint64_t *epoch_deadline_delta,
                                           wasmtime_update_deadline_kind_t *update_kind);

  std::shared_ptr<const Plugin> plugin_;
  WasmHostOptions options_;
  wasmtime::Engine engine_; ///< the plugin's
  /// This instance's guest lines on their way to a sink (its `log` calls;
  /// its WASI output too with a `log_sink`): declared before the store,
  /// whose WASI writes to it.
  std::shared_ptr<runtime::detail::GuestLog> guest_log_;
  /// The narration's lines to `options_.log_sink` (without `narration`).
  std::shared_ptr<std::ostream> sink_narration_;
  wasmtime::Store store_;
  /// Shared with the cancel handles; null until `cancelHandle()`.
  std::shared_ptr<detail::CancelState> cancel_;
  bool records_stats_ = false;
  CallStats last_stats_;
  /// When the current outermost entry started (recording call stats).
  std::chrono::steady_clock::time_point entry_start_{};
  /// The current outermost entry failed (`noteCallFailed`).
  bool entry_failed_ = false;
  /// `hasTrapped()`.
  bool trapped_ = false;
  /// `store_.context()`, taken once: each `context()` is a call into the
  /// C API.
  wasmtime::Store::Context store_context_;
  std::optional<wasmtime::Instance> instance_;
  std::optional<wasmtime::Memory> memory_;
  detail::ExportCache exports_;
  bool is_initialized_ = false;
  uint64_t instance_generation_ = 0;
  /// The last generation given (`instanceGeneration`), at least the current.
  uint64_t last_generation_ = 0;
  /// The id Wasmtime gives the current store, to refuse a `Func` of an
  /// earlier store in `callDynamic` (Wasmtime would abort the process).
  uint64_t store_id_ = 0;
  /// With `Profiler::Guest`: the profiler and its epoch callback's state,
  /// at a stable address (each store's callback points at it).
  std::unique_ptr<detail::GuestProfile> profile_;
  /// The plugin's registration with the epoch ticker; null without a time
  /// limit.
  const detail::EpochTicker *ticker_ = nullptr;
  /// `ticker_`'s parked flag, read on the call path (one load, no chase).
  const std::atomic<bool> *ticker_parked_ = nullptr;
  /// `timeout_ms` as a duration (saturated).
  std::chrono::steady_clock::duration time_limit_{};
  /// Entries into the guest now running on this store (nested > 1).
  uint32_t entry_depth_ = 0;
  /// An outermost entry armed the time limit and its deadline callback has
  /// not yet taken the clock for it.
  bool call_started_ = false;
  /// When the deadline callback first saw the current outermost call run.
  std::chrono::steady_clock::time_point call_start_{};
  /// The plugin's `poll_oneoff` guard (with a time limit or fuel), which
  /// knows this store's context while it lives.
  detail::WasiPollGuard *poll_guard_ = nullptr;
  /// Taken just after the store's WASI context was configured, no earlier
  /// than the zero of its WASI monotonic clock (Wasmtime's `MonotonicClock`
  /// starts when the `WasiConfig` is made): absolute monotonic waits
  /// measured from it are never shorter than WASI's.
  std::chrono::steady_clock::time_point wasi_clock_start_{};
};

/// A guest export checked once against `Params -> Results` (both
/// `std::tuple`s of wasm value types), bound to its instance's store. A call
/// arms the limits, then is one `wasmtime_func_call_unchecked`; errors are
/// reported as by `PluginInstance::callFunction`. Valid until the instance
/// that made it is destroyed or re-instantiated; after `reinstantiate()` a
/// call returns an `Error` instead of reaching into the new store.
/// Thread-safety: that of its instance.
template <typename Results, typename Params> class TypedExport {
public:
  wasmtime::TrapResult<Results> call(const Params &params = Params()) const {
    if (generation_ != instance_->instance_generation_) {
      return wasmtime::TrapError(wasmtime::Error(
          "stale handle: the module was re-instantiated since it was made; get a new one"));
    }
    return instance_->callTyped(func_, params);
  }

private:
  friend class PluginInstance;
  TypedExport(wasmtime::TypedFunc<Params, Results> func, PluginInstance &instance)
      : func_(func), instance_(&instance), generation_(instance.instance_generation_) {}

  wasmtime::TypedFunc<Params, Results> func_;
  PluginInstance *instance_; ///< its store and limits
  uint64_t generation_;      ///< the instance it belongs to
};

} // namespace wasmhost

#endif // WASMHOST_PLUGIN_INSTANCE_HH
