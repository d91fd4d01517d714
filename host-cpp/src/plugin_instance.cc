#include "wasmhost/plugin_instance.hh"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <sstream>

#include "guest_profile.hh"
#include "null_stream.hh"
#include "runtime/guest_runtime.hh"
#include "store_setup.hh"
#include "trap_error.hh"
#include "wasi_poll_guard.hh"
#include "wasmhost/runtime/config.hh"

namespace wasmhost {
namespace {

std::string describeList(wasmtime::ValType::ListRef types) {
  std::ostringstream out;
  out << "(";
  const char *separator = "";
  for (const auto &type : types) {
    out << separator << wasmtime::ValType(type);
    separator = ", ";
  }
  out << ")";
  return out.str();
}

const char *trapCodeName(wasmtime_trap_code_t code) {
  switch (code) {
  case WASMTIME_TRAP_CODE_STACK_OVERFLOW:
    return "call stack exhausted";
  case WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS:
    return "memory out of bounds";
  case WASMTIME_TRAP_CODE_HEAP_MISALIGNED:
    return "misaligned memory access";
  case WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS:
    return "table out of bounds";
  case WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL:
    return "indirect call to null";
  case WASMTIME_TRAP_CODE_BAD_SIGNATURE:
    return "indirect call type mismatch";
  case WASMTIME_TRAP_CODE_INTEGER_OVERFLOW:
    return "integer overflow";
  case WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO:
    return "integer divide by zero";
  case WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER:
    return "invalid conversion to integer";
  case WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED:
    return "unreachable";
  case WASMTIME_TRAP_CODE_INTERRUPT:
    return "interrupt";
  case WASMTIME_TRAP_CODE_OUT_OF_FUEL:
    return "out of fuel";
  case WASMTIME_TRAP_CODE_NULL_REFERENCE:
    return "null reference";
  case WASMTIME_TRAP_CODE_ARRAY_OUT_OF_BOUNDS:
    return "array out of bounds";
  case WASMTIME_TRAP_CODE_ALLOCATION_TOO_LARGE:
    return "allocation too large";
  case WASMTIME_TRAP_CODE_CAST_FAILURE:
    return "cast failure";
  default:
    return nullptr;
  }
}

const std::shared_ptr<const Plugin> &requirePrepared(const std::shared_ptr<const Plugin> &plugin) {
  if (!plugin || !plugin->isPrepared()) {
    throw std::logic_error("a PluginInstance needs a prepared plugin (Plugin::prepare)");
  }
  return plugin;
}

/// Options that only the engine can honour, checked before any store exists.
void checkEngineSupports(const Plugin &plugin, const WasmHostOptions &options) {
  const bool profiles = options.profiler == Profiler::Guest;
  if (profiles && !plugin.profilesGuests()) {
    throw std::logic_error("a guest profile needs a plugin whose engine was made for one "
                           "(profiler = Profiler::Guest)");
  }
  if (options.timeout_ms > 0 && !plugin.enforcesTimeLimit()) {
    throw std::logic_error(
        "a time limit needs a plugin whose engine was made with one (timeout_ms > 0)");
  }
  // Epoch interruption with neither a deadline nor the profiler's callback
  // would interrupt the first call at once.
  if (plugin.enforcesTimeLimit() && options.timeout_ms == 0 && !profiles) {
    throw std::logic_error("the plugin's engine interrupts on a time limit: give the instance one "
                           "too (timeout_ms > 0)");
  }
  if ((options.fuel > 0) != plugin.metersFuel()) {
    throw std::logic_error(options.fuel > 0
                               ? "a fuel budget needs a plugin whose engine meters fuel (fuel > 0)"
                               : "the plugin's engine meters fuel: give the instance a fuel "
                                 "budget too (fuel > 0)");
  }
}

/// How `signatureMismatch` ends its message; `callErrorKind` looks for it.
constexpr std::string_view kSignatureMismatch = " the host asked for";

/// The one id Wasmtime gives `context`'s store.
uint64_t storeIdOf(wasmtime::Store::Context context) {
  return wasmtime::Func::wrap(context, [] {}).capi().store_id;
}

} // namespace

PluginInstance::PluginInstance(std::shared_ptr<const Plugin> plugin)
    : PluginInstance(plugin, requirePrepared(plugin)->options()) {}

PluginInstance::PluginInstance(std::shared_ptr<const Plugin> plugin, WasmHostOptions options)
    : plugin_(requirePrepared(plugin)), options_(std::move(options)), engine_(plugin_->engine()),
      guest_log_(std::make_shared<runtime::detail::GuestLog>(
          options_.log_sink != nullptr ? *options_.log_sink : runtime::detail::defaultSink(),
          options_.log_limits)),
      store_(engine_), store_context_(store_) {
  checkEngineSupports(*plugin_, options_);
  runtime::checkConfig(options_.config);
  if (options_.narration == nullptr && options_.log_sink != nullptr) {
    sink_narration_ = std::make_shared<runtime::LogStream>(
        *options_.log_sink, runtime::LogLevel::Info, "host", options_.log_limits.max_line_bytes);
  }
  ticker_ = plugin_->epochTicker();
  ticker_parked_ = ticker_ != nullptr ? &ticker_->parkedFlag() : nullptr;
  // The guest profiler keeps the ticker running without a time limit.
  time_limit_ = options_.timeout_ms > 0 ? detail::saturatedMilliseconds(options_.timeout_ms)
                                        : std::chrono::steady_clock::duration::max();
  applyStoreLimits();
  setStoreWasi();
  if (options_.profiler == Profiler::Guest) {
    // Samples are announced at the ticker's interval.
    profile_ = std::make_unique<detail::GuestProfile>(
        engine_, plugin_->module(), std::filesystem::path(plugin_->name()).filename().string(),
        detail::EpochTicker::kTick);
  }
  installDeadlineCallback();
  poll_guard_ = plugin_->wasiPollGuard();
  if (poll_guard_ != nullptr) {
    poll_guard_->attach(store_context_.capi(), this);
  }
  attachRuntime();
}

PluginInstance::~PluginInstance() {
  if (poll_guard_ != nullptr) {
    poll_guard_->detach(store_context_.capi());
  }
  detachRuntime();
}

void PluginInstance::attachRuntime() {
  plugin_->runtimeImports().attach(store_context_.capi(), {&options_.config, guest_log_.get()});
}

void PluginInstance::detachRuntime() { plugin_->runtimeImports().detach(store_context_.capi()); }

std::ostream &PluginInstance::narration() {
  if (options_.narration != nullptr) {
    return *options_.narration;
  }
  return sink_narration_ != nullptr ? *sink_narration_ : detail::nullStream();
}

void PluginInstance::setStoreWasi() {
  detail::setSandboxWasi(store_context_, options_, plugin_->name(), guest_log_.get());
  wasi_clock_start_ = std::chrono::steady_clock::now();
}

void PluginInstance::applyStoreLimits() { detail::applyStoreLimits(store_, options_); }

void PluginInstance::enterProfiledGuest() { profile_->enter(store_context_); }

void PluginInstance::leaveProfiledGuest() { profile_->sample(store_.capi()); }

uint64_t PluginInstance::guestProfileSamples() const {
  return profile_ != nullptr ? profile_->samples() : 0;
}

std::vector<uint8_t> PluginInstance::finishGuestProfile() {
  if (profile_ == nullptr) {
    throw std::logic_error("this instance records no guest profile (profiler = Profiler::Guest)");
  }
  return profile_->finish();
}

void PluginInstance::refillFuel() {
  auto fuel = store_context_.set_fuel(options_.fuel);
  if (!fuel) {
    throw std::logic_error("cannot set fuel: " + fuel.err().message());
  }
}

CancelHandle PluginInstance::cancelHandle() {
  if (ticker_ == nullptr) {
    throw std::logic_error("cancelling a call needs a plugin whose engine has epoch interruption "
                           "(timeout_ms > 0, or the guest profiler)");
  }
  if (cancel_ == nullptr) {
    cancel_ = std::make_shared<detail::CancelState>(engine_);
  }
  return CancelHandle(cancel_);
}

CallStats PluginInstance::lastCallStats() const {
  if (!records_stats_) {
    throw std::logic_error("call stats are not recorded: call recordCallStats() first");
  }
  return last_stats_;
}

void PluginInstance::enterOutermostEntry() {
  if (cancel_ != nullptr) {
    cancel_->beginCall();
  }
  entry_failed_ = false;
  if (records_stats_) {
    entry_start_ = std::chrono::steady_clock::now();
  }
}

void PluginInstance::leaveOutermostEntry() {
  if (cancel_ != nullptr) {
    cancel_->endCall();
  }
  if (!records_stats_) {
    return;
  }
  CallStats stats;
  stats.wall_time = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now() - entry_start_);
  if (options_.fuel > 0) {
    uint64_t left = 0;
    if (wasmtime_error_t *error = wasmtime_context_get_fuel(store_context_.capi(), &left)) {
      wasmtime_error_delete(error);
      left = 0;
    }
    stats.fuel_used = options_.fuel - std::min(left, options_.fuel);
  }
  if (memory_.has_value()) {
    stats.peak_memory_bytes = memory_->data(store_context_).size();
  }
  stats.trapped = entry_failed_;
  last_stats_ = stats;
}

void PluginInstance::installDeadlineCallback() {
  if (ticker_ == nullptr) {
    return;
  }
  wasmtime_store_epoch_deadline_callback(store_.capi(), &PluginInstance::onEpochDeadline, this,
                                         nullptr);
  // The deadline at the current epoch: the first epoch check of the first
  // call runs the callback, which starts that call's clock.
  store_context_.set_epoch_deadline(0);
}

wasmtime_error_t *PluginInstance::onEpochDeadline(wasmtime_context_t * /*context*/, void *instance,
                                                  uint64_t *epoch_deadline_delta,
                                                  wasmtime_update_deadline_kind_t *update_kind) {
  auto &self = *static_cast<PluginInstance *>(instance);
  const auto now = std::chrono::steady_clock::now();
  // The deadline is never more than one tick ahead, so the first callback of
  // a call comes at its first epoch check after the ticker's next tick at
  // the latest: its clock starts no earlier than the call (never early) and
  // at most about a tick later.
  if (self.cancel_ != nullptr && self.cancel_->currentCallCancelled()) {
    return detail::trapAsError(detail::cancelledTrap());
  }
  const auto remaining = self.remainingTime(now);
  if (self.profile_ != nullptr) {
    self.profile_->sample(self.store_.capi());
  }
  if (remaining <= std::chrono::steady_clock::duration::zero()) {
    // Wasmtime's own epoch interrupt (`Trap::Interrupt`, what a store without
    // a callback gets), so that it is reported exactly as one.
    return detail::trapAsError(wasmtime_trap_new_code(WASMTIME_TRAP_CODE_INTERRUPT));
  }
  self.ticker_->noteActivity();
  *epoch_deadline_delta = 1;
  *update_kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return nullptr;
}

PluginInstance::WaitBudget PluginInstance::waitBudget(wasmtime_context_t *context,
                                                      std::chrono::steady_clock::time_point now) {
  WaitBudget budget;
  if (entry_depth_ == 0) {
    return budget;
  }
  if (options_.timeout_ms > 0) {
    budget.limited = true;
    budget.allowed = std::chrono::duration_cast<std::chrono::nanoseconds>(remainingTime(now));
  }
  if (options_.fuel > 0) {
    uint64_t fuel = 0;
    if (wasmtime_error_t *error = wasmtime_context_get_fuel(context, &fuel)) {
      wasmtime_error_delete(error);
      fuel = 0;
    }
    constexpr uint64_t kFuelPerNanosecond = WasmHostOptions::kSleepFuelPerMillisecond / 1000000;
    const auto paid = std::chrono::nanoseconds(static_cast<int64_t>(
        std::min<uint64_t>(fuel / kFuelPerNanosecond, std::numeric_limits<int64_t>::max())));
    if (!budget.limited || paid < budget.allowed) {
      budget.allowed = paid;
      budget.fuel_bound = true;
    }
    budget.limited = true;
  }
  return budget;
}

void PluginInstance::chargeWait(wasmtime_context_t *context, std::chrono::nanoseconds waited) {
  if (options_.fuel == 0 || waited.count() <= 0) {
    return;
  }
  uint64_t fuel = 0;
  if (wasmtime_error_t *error = wasmtime_context_get_fuel(context, &fuel)) {
    wasmtime_error_delete(error);
    return;
  }
  constexpr uint64_t kFuelPerNanosecond = WasmHostOptions::kSleepFuelPerMillisecond / 1000000;
  const auto nanoseconds = static_cast<uint64_t>(waited.count());
  const uint64_t cost =
      nanoseconds > fuel / kFuelPerNanosecond ? fuel : nanoseconds * kFuelPerNanosecond;
  if (wasmtime_error_t *error = wasmtime_context_set_fuel(context, fuel - cost)) {
    wasmtime_error_delete(error);
  }
}

ErrorKind PluginInstance::callErrorKind(const wasmtime::TrapError &error) {
  const ErrorKind kind = classify(error, ErrorKind::Link);
  if (kind == ErrorKind::Link && error.message().find(kSignatureMismatch) != std::string::npos) {
    return ErrorKind::Signature;
  }
  return kind;
}

Error PluginInstance::toError(const std::string &what, const wasmtime::TrapError &error,
                              ErrorKind fallback) const {
  const ErrorKind kind = classify(error, fallback);
  if (kind == ErrorKind::Trap || kind == ErrorKind::Exit) {
    return Error(kind, what + " trapped: " + describeTrap(error));
  }
  return Error(kind, what + " failed: " + error.message());
}

void PluginInstance::initialize() {
  if (is_initialized_) {
    throw std::logic_error("the instance is already initialized");
  }
  instantiate();
  findMemory();
  auto reactor_init = instance_->get(store_context_, "_initialize");
  if (reactor_init && std::holds_alternative<wasmtime::Func>(*reactor_init)) {
    const auto &init = std::get<wasmtime::Func>(*reactor_init);
    auto type = init.type(store_context_);
    if (type->params().size() != 0 || type->results().size() != 0) {
      throw Error(ErrorKind::Signature, "export '_initialize' has type " + describeType(init) +
                                            ", not the () -> () of a WASI reactor's _initialize");
    }
    narration() << "[Host Setup] Running the reactor's '_initialize'..." << std::endl;
    auto result = callDynamic(init, {});
    if (!result) {
      throw toError("'_initialize'", result.err_ref(), ErrorKind::Trap);
    }
  }
}

void PluginInstance::instantiate() {
  if (is_initialized_) {
    throw std::logic_error("the instance is already initialized");
  }
  narration() << "[Host Setup] Instantiating module..." << std::endl;
  // Imports were resolved (and type-checked) when the plugin was prepared:
  // what fails now happens while the module starts (its start function
  // trapped, exited through WASI, or a host function it called failed), or
  // is a store limit refusing the initial memory or table.
  auto instance_res = [this] {
    const EntryScope entry(*this); // a start function runs within instantiate
    auto result = plugin_->instancePre().instantiate(store_context_);
    guestReturned();
    return result;
  }();
  if (!instance_res) {
    const auto &error = instance_res.err_ref();
    if (classify(error, ErrorKind::Trap) == ErrorKind::Limit) {
      std::string message = "Module instantiation failed: " + error.message();
      if (message.find("memory count") != std::string::npos) {
        message += " (a store holds at most " + std::to_string(options_.max_memories) +
                   " memory: WasmHostOptions::max_memories)";
      } else if (message.find("table count") != std::string::npos) {
        message += " (a store holds at most " + std::to_string(options_.max_tables) +
                   " tables: WasmHostOptions::max_tables)";
      }
      throw Error(ErrorKind::Limit, message);
    }
    throw toError("Module instantiation", asTrap(instance_res.err()), ErrorKind::Trap);
  }
  instance_ = instance_res.ok();
  is_initialized_ = true;
  instance_generation_ = ++last_generation_;
  store_id_ = storeIdOf(store_context_);
  exports_.clear();
  narration() << "[Host Setup] Module instantiated successfully." << std::endl;
}

void PluginInstance::findMemory() {
  if (!instance_) {
    throw std::logic_error("findMemory needs an instance");
  }
  narration() << "[Host Setup] Getting exported memory 'memory'..." << std::endl;
  auto memory_export_opt = instance_->get(store_context_, "memory");
  if (memory_export_opt && std::holds_alternative<wasmtime::Memory>(*memory_export_opt)) {
    memory_ = std::get<wasmtime::Memory>(*memory_export_opt);
    narration() << "[Host Setup] Found exported memory. Size: "
                << memory_->data(store_context_).size() << " bytes." << std::endl;
  } else {
    memory_.reset();
    narration() << "[Host Setup] Export 'memory' not found or not a memory. Proceeding "
                   "without memory access."
                << std::endl;
  }
}

void PluginInstance::reinstantiate() {
  if (entry_depth_ > 0) {
    throw std::logic_error("reinstantiate() is refused while a call into the guest runs (from a "
                           "host function): the store it would replace is on the stack");
  }
  narration() << "[Host Setup] Re-instantiating the module in a fresh store..." << std::endl;
  // Whatever happens next, handles of the old instance are refused from now
  // on: they would reach into a store that is gone, or into the new one.
  instance_generation_ = ++last_generation_;
  store_id_ = 0;
  exports_.clear();
  memory_.reset();
  instance_.reset();
  is_initialized_ = false;
  trapped_ = false;
  // The host state attached with `setStoreData` stays.
  std::optional<std::any> kept_data = storeDataCopy();
  if (poll_guard_ != nullptr) {
    poll_guard_->detach(store_context_.capi()); // before the old store goes
  }
  detachRuntime();
  store_ = wasmtime::Store(engine_);
  store_context_ = store_.context();
  startFreshStore(std::move(kept_data));
}

std::optional<std::any> PluginInstance::storeDataCopy() {
  // `get_data` would dereference null for a store without data.
  const auto *store_data =
      static_cast<std::any *>(wasmtime_context_get_data(store_context_.capi()));
  if (store_data == nullptr) {
    return std::nullopt;
  }
  return *store_data;
}

void PluginInstance::startFreshStore(std::optional<std::any> kept_data) {
  if (kept_data) {
    store_context_.set_data(std::move(*kept_data));
  }
  applyStoreLimits();
  setStoreWasi();
  installDeadlineCallback();
  if (poll_guard_ != nullptr) {
    poll_guard_->attach(store_context_.capi(), this);
  }
  attachRuntime();
  initialize();
}

void PluginInstance::replacePlugin(std::shared_ptr<const Plugin> plugin) {
  requirePrepared(plugin);
  if (entry_depth_ > 0) {
    throw std::logic_error("replacePlugin() is refused while a call into the guest runs (from a "
                           "host function): the store it would replace is on the stack");
  }
  if (!plugin->sharesHostWith(*plugin_)) {
    throw std::logic_error("replacePlugin() needs a plugin on this instance's engine and host "
                           "functions (Plugin::withModule of '" +
                           plugin_->name() + "'), not '" + plugin->name() + "'");
  }
  if (profile_ != nullptr) {
    throw std::logic_error("an instance that records a guest profile cannot change its module: "
                           "the profile is of '" +
                           plugin_->name() + "'");
  }
  narration() << "[Host Setup] Replacing the module with '" << plugin->name()
              << "' in a fresh store..." << std::endl;
  // The host state attached with `setStoreData` goes to the new store.
  std::optional<std::any> kept_data = storeDataCopy();
  // The old instance as it is, put back unchanged when the new one fails.
  // The plugin's poll guard and runtime imports are the new plugin's too
  // (`sharesHostWith`): both stores are attached to them meanwhile.
  struct OldInstance {
    std::shared_ptr<const Plugin> plugin;
    wasmtime::Store store;
    wasmtime::Store::Context context;
    std::optional<wasmtime::Instance> instance;
    std::optional<wasmtime::Memory> memory;
    bool is_initialized;
    bool trapped;
    uint64_t generation;
    uint64_t store_id;
    std::chrono::steady_clock::time_point wasi_clock_start;
  };
  OldInstance old{std::exchange(plugin_, std::move(plugin)),
                  std::move(store_),
                  store_context_,
                  std::exchange(instance_, std::nullopt),
                  std::exchange(memory_, std::nullopt),
                  is_initialized_,
                  trapped_,
                  instance_generation_,
                  store_id_,
                  wasi_clock_start_};
  store_ = wasmtime::Store(engine_);
  store_context_ = store_.context();
  exports_.clear();
  is_initialized_ = false;
  trapped_ = false;
  try {
    startFreshStore(std::move(kept_data));
  } catch (...) {
    // Handles the new instance gave out (a host function may have asked
    // during `_initialize`) keep its generation, which is not given again.
    if (poll_guard_ != nullptr) {
      poll_guard_->detach(store_context_.capi());
    }
    detachRuntime();
    exports_.clear();
    store_ = std::move(old.store); // the new store goes before its plugin
    store_context_ = old.context;
    plugin_ = std::move(old.plugin);
    instance_ = std::move(old.instance);
    memory_ = std::move(old.memory);
    is_initialized_ = old.is_initialized;
    trapped_ = old.trapped;
    instance_generation_ = old.generation;
    store_id_ = old.store_id;
    wasi_clock_start_ = old.wasi_clock_start;
    throw;
  }
  // The old store goes when `old` does: forget it first.
  if (poll_guard_ != nullptr) {
    poll_guard_->detach(old.context.capi());
  }
  plugin_->runtimeImports().detach(old.context.capi());
}

wasmtime::Memory &PluginInstance::requireMemory() {
  if (!is_initialized_ || !memory_.has_value()) {
    throw std::logic_error(is_initialized_
                               ? "module '" + plugin_->name() + "' exports no memory named 'memory'"
                               : std::string("Memory not available: host not "
                                             "initialized."));
  }
  return *memory_;
}

wasmtime::Span<uint8_t> PluginInstance::getMemorySpan() {
  return requireMemory().data(store_context_);
}

void PluginInstance::writeBytes(int32_t offset, std::span<const uint8_t> bytes) {
  auto memory_span = getMemorySpan();
  checkMemoryRange(offset, bytes.size(), memory_span.size(), "write");
  if (!bytes.empty()) {
    std::memcpy(memory_span.data() + offset, bytes.data(), bytes.size());
  }
}

void PluginInstance::readBytes(int32_t offset, std::span<uint8_t> out) {
  auto memory_span = getMemorySpan();
  checkMemoryRange(offset, out.size(), memory_span.size(), "read");
  if (!out.empty()) {
    std::memcpy(out.data(), memory_span.data() + offset, out.size());
  }
}

uint64_t PluginInstance::growMemory(uint64_t delta_pages) {
  auto previous = requireMemory().grow(store_context_, delta_pages);
  if (!previous) {
    throw Error(ErrorKind::Limit, "cannot grow memory by " + std::to_string(delta_pages) +
                                      " pages: " + previous.err().message());
  }
  return previous.ok();
}

void PluginInstance::checkMemoryRange(int64_t offset, size_t size, size_t memory_size,
                                      std::string_view access) {
  const bool fits =
      offset >= 0 && size <= memory_size && static_cast<uint64_t>(offset) <= memory_size - size;
  if (!fits) {
    std::ostringstream message;
    message << "Memory " << access << " out of bounds: offset " << offset << " + size " << size
            << " exceeds memory size " << memory_size;
    throw std::out_of_range(message.str());
  }
}

wasmtime::Result<detail::CachedExport *> PluginInstance::findExport(std::string_view func_name) {
  if (!is_initialized_) {
    return wasmtime::Error("cannot call '" + std::string(func_name) + "': host not initialized");
  }
  if (auto *cached = exports_.find(func_name)) {
    return cached;
  }
  auto item = instance_->get(store_context_, func_name);
  if (!item) {
    return wasmtime::Error("export '" + std::string(func_name) + "' not found in '" +
                           plugin_->name() + "'");
  }
  const auto *func = std::get_if<wasmtime::Func>(&*item);
  if (func == nullptr) {
    return wasmtime::Error("export '" + std::string(func_name) + "' is not a function");
  }
  return &exports_.add(func_name, *func);
}

wasmtime::Result<wasmtime::Func> PluginInstance::getFunction(std::string_view func_name) {
  auto found = findExport(func_name);
  if (!found) {
    return found.err();
  }
  return found.ok()->func;
}

wasmtime::Error PluginInstance::signatureMismatch(std::string_view func_name,
                                                  const wasmtime::Func &func,
                                                  wasmtime::FuncType wanted) {
  return wasmtime::Error("export '" + std::string(func_name) + "' has type " + describeType(func) +
                         ", not the " + describeType(std::move(wanted)) +
                         std::string(kSignatureMismatch));
}

int32_t PluginInstance::getPluginDataOffset(std::string_view func_name) {
  narration() << "[Host] Getting plugin data offset via '" << func_name << "'..." << std::endl;
  auto result_tuple = callFunction<std::tuple<int32_t>>(func_name);
  if (!result_tuple) {
    if (std::holds_alternative<wasmtime::Trap>(result_tuple.err_ref().data)) {
      throw toError("'" + std::string(func_name) + "'", result_tuple.err_ref(), ErrorKind::Trap);
    }
    narration() << "[Host] Error calling '" << func_name << "': " << result_tuple.err().message()
                << std::endl;
    return -1;
  }
  const int32_t offset = std::get<0>(result_tuple.ok());
  narration() << "[Host] Received offset from plugin: " << offset << std::endl;
  return offset;
}

wasmtime::TrapResult<std::vector<wasmtime::Val>>
PluginInstance::callDynamic(const wasmtime::Func &func, const std::vector<wasmtime::Val> &args) {
  if (func.capi().store_id != store_id_) {
    return wasmtime::TrapError(wasmtime::Error(
        "the function belongs to another store (an earlier instance, or none); get it again"));
  }
  const EntryScope entry(*this);
  auto result = func.call(store_context_, args);
  guestReturned();
  if (!result) {
    noteCallFailed();
    return asTrap(result.err());
  }
  return result;
}

wasmtime::TrapError PluginInstance::asTrap(wasmtime::TrapError error) {
  if (std::holds_alternative<wasmtime::Trap>(error.data)) {
    return error;
  }
  if (auto status = std::get<wasmtime::Error>(error.data).i32_exit()) {
    return wasmtime::Trap(std::string(detail::kExitMessage) + std::to_string(*status));
  }
  return wasmtime::Trap(error.message());
}

std::string PluginInstance::trapKind(const wasmtime::TrapError &error) {
  const auto *trap = std::get_if<wasmtime::Trap>(&error.data);
  if (trap == nullptr) {
    return std::get<wasmtime::Error>(error.data).i32_exit() ? "exit" : "error";
  }
  if (auto code = trap->code()) {
    const char *name = trapCodeName(*code);
    return name != nullptr ? name : "trap code " + std::to_string(*code);
  }
  if (trap->message().rfind(detail::kExitMessage, 0) == 0) {
    return "exit";
  }
  if (trap->message().find(detail::kCancelledMessage) != std::string::npos) {
    return "cancelled";
  }
  return "host function failed";
}

std::string PluginInstance::describeTrap(const wasmtime::TrapError &error) const {
  const std::string kind = trapKind(error);
  std::string limit;
  if (kind == "interrupt") {
    limit = " (time limit of " + std::to_string(options_.timeout_ms) + " ms)";
  } else if (kind == "out of fuel") {
    limit = " (fuel budget of " + std::to_string(options_.fuel) + ")";
  }
  return kind + limit + ": " + error.message();
}

std::string PluginInstance::describeType(const wasmtime::Func &func) {
  return describeType(func.type(store_context_));
}

std::string PluginInstance::describeType(wasmtime::FuncType type) {
  return describeList(type->params()) + " -> " + describeList(type->results());
}

} // namespace wasmhost
