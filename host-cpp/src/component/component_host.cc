#include "wasmhost/component/component_host.hh"

#include <algorithm>
#include <atomic>
#include <sstream>
#include <stdexcept>

#include "../bounded_compile.hh"
#include "../null_stream.hh"
#include "../runtime/guest_runtime.hh"
#include "../store_setup.hh"
#include "../trap_error.hh"
#include "wasmhost/cancel_handle.hh"
#include "wasmhost/detail/epoch_ticker.hh"
#include "wasmhost/engine_features.hh"
#include "wasmhost/plugin.hh"

namespace wasmhost::component {

namespace detail {

wasmtime::Result<std::monostate> guardHostCall(std::string_view name,
                                               const std::function<void()> &body) {
  try {
    body();
    return std::monostate();
  } catch (const std::exception &error) {
    return wasmtime::Error("host function '" + std::string(name) + "' failed: " + error.what());
  }
}

uint32_t newHostResourceType() {
  static std::atomic<uint32_t> next{1};
  return next.fetch_add(1);
}

} // namespace detail

namespace {

std::ostream &narrationOf(const WasmHostOptions &options) {
  return options.narration != nullptr ? *options.narration : ::wasmhost::detail::nullStream();
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// The last line of Wasmtime's error chain that says what happened ("wasm
/// trap: ...", a host function's message), else its first line.
std::string oneLine(const std::string &message) {
  std::istringstream lines(message);
  std::string line;
  std::string first;
  std::string cause;
  bool next_is_cause = false;
  while (std::getline(lines, line)) {
    const auto start = line.find_first_not_of(' ');
    const std::string trimmed = start == std::string::npos ? "" : line.substr(start);
    if (first.empty() && !trimmed.empty()) {
      first = trimmed;
    }
    if (trimmed == "Caused by:") {
      next_is_cause = true;
      continue;
    }
    if (next_is_cause && !trimmed.empty()) {
      // "0: message" in a numbered chain
      const auto colon = trimmed.find(": ");
      const bool numbered =
          colon != std::string::npos &&
          std::all_of(trimmed.begin(), trimmed.begin() + static_cast<std::ptrdiff_t>(colon),
                      [](char c) { return c >= '0' && c <= '9'; }) &&
          colon > 0;
      cause = numbered ? trimmed.substr(colon + 2) : trimmed;
    }
  }
  return cause.empty() ? first : cause;
}

/// Wasmtime's whole error chain on one line, its causes joined with ": "
/// (a link error names the import only in a cause between the first line
/// and the last).
std::string chainLine(const std::string &message) {
  std::istringstream lines(message);
  std::string line;
  std::string joined;
  while (std::getline(lines, line)) {
    const auto start = line.find_first_not_of(' ');
    std::string trimmed = start == std::string::npos ? "" : line.substr(start);
    if (trimmed.empty() || trimmed == "Caused by:") {
      continue;
    }
    const auto colon = trimmed.find(": ");
    if (colon != std::string::npos && colon > 0 &&
        std::all_of(trimmed.begin(), trimmed.begin() + static_cast<std::ptrdiff_t>(colon),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      trimmed = trimmed.substr(colon + 2); // "0: message" in a numbered chain
    }
    joined += (joined.empty() ? "" : ": ") + trimmed;
  }
  return joined;
}

} // namespace

ComponentHost::ComponentHost(std::string wasm_path, WasmHostOptions options)
    : ComponentHost(Plugin::readModuleFile(wasm_path, options.max_module_bytes), wasm_path,
                    options) {}

ComponentHost::ComponentHost(std::vector<uint8_t> wasm_bytes, std::string name,
                             WasmHostOptions options)
    : name_(std::move(name)), options_(std::move(options)), engine_(makeEngine(options_)),
      component_([&] {
        auto compiled = ::wasmhost::detail::compileBounded<wc::Component>(
            engine_, name_, std::move(wasm_bytes), options_,
            Plugin::engineConfigDescription(options_), narrationOf(options_));
        load_report_ = std::move(compiled.report);
        return std::move(compiled.artifact);
      }()) {
  startLimits();
}

ComponentHost::ComponentHost(const ComponentHost &other, SharedComponent /*tag*/)
    : name_(other.name_), options_(other.options_), engine_(other.engine_),
      load_report_(other.load_report_), component_(other.component_) {
  startLimits();
}

ComponentHost ComponentHost::sharingComponentOf(const ComponentHost &other) {
  return ComponentHost(other, SharedComponent{});
}

void ComponentHost::startLimits() {
  if (!options_.config.empty()) {
    throw Error(ErrorKind::Unsupported,
                "configuration (WasmHostOptions::config) is for core modules only: the "
                "component's world has no config_get import");
  }
  if (options_.profiler == Profiler::Guest) {
    throw Error(ErrorKind::Unsupported,
                "the guest profiler samples core modules only, not components");
  }
  if (usesEpochInterruption(options_)) {
    try {
      ticker_ = std::make_shared<const ::wasmhost::detail::EpochTicker>(engine_);
    } catch (const std::system_error &error) {
      throw Error(ErrorKind::Limit,
                  std::string("cannot start the thread that enforces the time limit: ") +
                      error.what() + " (or run without one: timeout_ms = 0)");
    }
  }
  time_limit_ = options_.timeout_ms > 0
                    ? ::wasmhost::detail::saturatedMilliseconds(options_.timeout_ms)
                    : std::chrono::steady_clock::duration::max();
}

ComponentHost::~ComponentHost() {
  if (store_life_) {
    store_life_->host = nullptr;
  }
  // The guest's handles go with the store; the host's objects with them.
  instance_.reset();
  store_.reset();
  for (auto &clear : clear_tables_) {
    clear();
  }
}

bool ComponentHost::isComponent(std::span<const uint8_t> bytes) {
  // "\0asm", then version 0x000d and layer 0x0001 (a core module has
  // version 1, layer 0).
  static constexpr std::array<uint8_t, 8> kHeader = {0x00, 0x61, 0x73, 0x6d,
                                                     0x0d, 0x00, 0x01, 0x00};
  return bytes.size() >= 8 && std::equal(kHeader.begin() + 4, kHeader.end(), bytes.begin() + 4) &&
         std::equal(kHeader.begin(), kHeader.begin() + 4, bytes.begin());
}

void ComponentHost::requireSetUp(std::string_view what) const {
  if (instance_) {
    throw std::logic_error("Cannot " + std::string(what) + " after instantiate().");
  }
}

void ComponentHost::requireInstance() const {
  if (!instance_) {
    throw std::logic_error("component '" + name_ + "' is not instantiated (instantiate())");
  }
}

std::string ComponentHost::qualified(std::string_view interface, std::string_view name) {
  return interface.empty() ? std::string(name) : std::string(interface) + "#" + std::string(name);
}

Error ComponentHost::signatureMismatch(const std::string &what, const std::string &cpp_type,
                                       const wc::FuncType &component_type) const {
  return Error(ErrorKind::Signature, what + " of component '" + name_ + "' is " +
                                         describe(component_type) + ", the host's C++ type is " +
                                         cpp_type);
}

void ComponentHost::checkDefinitions() {
  const wc::ComponentType type = component_.type();
  for (const auto &definition : definitions_) {
    if (!definition.matches) {
      continue; // a resource type: its functions are checked
    }
    std::optional<wc::ComponentItem> item;
    if (definition.interface.empty()) {
      item = type.import_get(engine_, definition.name);
    } else if (auto interface = type.import_get(engine_, definition.interface);
               interface && interface->is_component_instance()) {
      item = interface->component_instance().export_get(engine_, definition.name);
    }
    if (!item) {
      continue; // the component does not import it: nothing to check
    }
    const std::string what = "import '" + qualified(definition.interface, definition.name) + "'";
    if (!item->is_component_func()) {
      throw Error(ErrorKind::Signature, what + " of component '" + name_ +
                                            "' is not a function; the host defines one of type " +
                                            definition.cpp_type);
    }
    if (!definition.matches(item->component_func())) {
      throw signatureMismatch(what, definition.cpp_type, item->component_func());
    }
  }
}

void ComponentHost::instantiate() {
  requireSetUp("instantiate twice");
  checkDefinitions();
  linker_.emplace(engine_);
  if (auto wasi = linker_->add_wasip2(); !wasi) {
    throw Error(ErrorKind::Link, "Failed defining WASIp2 in the linker: " + wasi.err().message());
  }
  // One linker instance per interface, each made once: a linker instance
  // must be dropped before the linker is used again.
  std::vector<std::string> interfaces;
  for (const auto &definition : definitions_) {
    if (std::find(interfaces.begin(), interfaces.end(), definition.interface) == interfaces.end()) {
      interfaces.push_back(definition.interface);
    }
  }
  for (const auto &interface : interfaces) {
    wc::LinkerInstance root = linker_->root();
    std::optional<wc::LinkerInstance> nested;
    if (!interface.empty()) {
      auto made = root.add_instance(interface);
      if (!made) {
        throw Error(ErrorKind::Link,
                    "cannot define interface '" + interface + "': " + made.err().message());
      }
      nested.emplace(std::move(made.ok()));
    }
    wc::LinkerInstance &target = nested ? *nested : root;
    // Resources first: their functions name them.
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto &definition : definitions_) {
        if (definition.interface != interface ||
            definition.resource_type.has_value() != (pass == 0)) {
          continue;
        }
        if (auto added = definition.add(target); !added) {
          throw Error(ErrorKind::Link, "cannot define '" +
                                           qualified(definition.interface, definition.name) +
                                           "': " + added.err().message());
        }
      }
    }
  }

  store_.emplace(engine_);
  store_life_ = std::make_shared<detail::StoreLife>();
  store_life_->host = this;
  ::wasmhost::detail::applyStoreLimits(*store_, options_);
  if (options_.log_sink != nullptr && guest_log_ == nullptr) {
    guest_log_ = std::make_shared<::wasmhost::runtime::detail::GuestLog>(*options_.log_sink,
                                                                         options_.log_limits);
  }
  ::wasmhost::detail::setSandboxWasi(store_->context(), options_, name_, guest_log_.get());
  if (ticker_) {
    wasmtime_store_epoch_deadline_callback(store_->capi(), &ComponentHost::onEpochDeadline, this,
                                           nullptr);
    store_->context().set_epoch_deadline(0);
  }
  enterGuest(); // instantiation runs guest code
  auto instance = linker_->instantiate(store_->context(), component_);
  leaveGuest(!instance);
  if (!instance) {
    const ErrorKind kind = classify(instance.err(), ErrorKind::Trap);
    const std::string message = instance.err().message();
    if (kind == ErrorKind::Trap &&
        (contains(message, "matching implementation was not found") ||
         contains(message, "was not found in the linker") || contains(message, "import"))) {
      throw Error(ErrorKind::Link,
                  "cannot instantiate component '" + name_ + "': " + chainLine(message));
    }
    throw callError("instantiating component '" + name_ + "'", instance.err());
  }
  instance_.emplace(instance.ok());
}

wasmtime::Store::Context ComponentHost::context() {
  requireInstance();
  return store_->context();
}

wc::Func ComponentHost::exportedFunc(std::string_view interface, std::string_view name) {
  requireInstance();
  const std::string full = qualified(interface, name);
  auto cx = store_->context();
  std::optional<wc::ExportIndex> parent;
  if (!interface.empty()) {
    parent = instance_->get_export_index(cx, nullptr, interface);
    if (!parent) {
      throw Error(ErrorKind::Link, "component '" + name_ + "' exports no interface '" +
                                       std::string(interface) + "'");
    }
  }
  auto index = instance_->get_export_index(cx, parent ? &*parent : nullptr, name);
  if (!index) {
    throw Error(ErrorKind::Link, "component '" + name_ + "' exports no function '" + full + "'");
  }
  auto func = instance_->get_func(cx, *index);
  if (!func) {
    throw Error(ErrorKind::Link,
                "export '" + full + "' of component '" + name_ + "' is not a function");
  }
  return *func;
}

wc::FuncType ComponentHost::exportedType(std::string_view interface, std::string_view name) {
  return exportedFunc(interface, name).type(context());
}

void ComponentHost::armLimits() {
  if (entry_depth_ > 0) {
    return; // a nested call runs on the outer call's deadline and fuel
  }
  if (ticker_) {
    call_started_ = true;
    ticker_->ensureTicking();
  }
  if (options_.fuel > 0) {
    if (auto fuel = store_->context().set_fuel(options_.fuel); !fuel) {
      throw std::logic_error("cannot set fuel: " + fuel.err().message());
    }
  }
}

void ComponentHost::enterGuest() {
  if (entry_depth_ == 0) {
    armLimits();
    if (cancel_) {
      cancel_->beginCall();
    }
    if (records_stats_) {
      entry_start_ = std::chrono::steady_clock::now();
    }
  }
  ++entry_depth_;
}

void ComponentHost::leaveGuest(bool failed) {
  if (--entry_depth_ > 0) {
    return;
  }
  if (cancel_) {
    cancel_->endCall();
  }
  if (records_stats_) {
    CallStats stats;
    stats.wall_time = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now() - entry_start_);
    if (options_.fuel > 0) {
      uint64_t left = 0;
      if (wasmtime_error_t *error = wasmtime_context_get_fuel(store_->context().capi(), &left)) {
        wasmtime_error_delete(error);
        left = 0;
      }
      stats.fuel_used = options_.fuel - std::min(left, options_.fuel);
    }
    stats.trapped = failed;
    last_stats_ = stats;
  }
}

CancelHandle ComponentHost::cancelHandle() {
  if (!ticker_) {
    throw std::logic_error("cancelling a call needs a component host with epoch interruption "
                           "(timeout_ms > 0)");
  }
  if (!cancel_) {
    cancel_ = std::make_shared<::wasmhost::detail::CancelState>(engine_);
  }
  return CancelHandle(cancel_);
}

CallStats ComponentHost::lastCallStats() const {
  if (!records_stats_) {
    throw std::logic_error("call stats are not recorded: call recordCallStats() first");
  }
  return last_stats_;
}

wasmtime_error_t *ComponentHost::onEpochDeadline(wasmtime_context_t * /*context*/, void *host,
                                                 uint64_t *epoch_deadline_delta,
                                                 wasmtime_update_deadline_kind_t *update_kind) {
  auto &self = *static_cast<ComponentHost *>(host);
  if (self.cancel_ && self.cancel_->currentCallCancelled()) {
    return ::wasmhost::detail::trapAsError(::wasmhost::detail::cancelledTrap());
  }
  const auto now = std::chrono::steady_clock::now();
  // As `PluginInstance`'s: the first callback of a call starts its clock
  // (never early, at most about a tick late).
  if (self.call_started_) {
    self.call_started_ = false;
    self.call_start_ = now;
  }
  if (self.entry_depth_ > 0 && now - self.call_start_ >= self.time_limit_) {
    return ::wasmhost::detail::trapAsError(wasmtime_trap_new_code(WASMTIME_TRAP_CODE_INTERRUPT));
  }
  self.ticker_->noteActivity();
  *epoch_deadline_delta = 1;
  *update_kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return nullptr;
}

wasmtime::Result<std::monostate, Error> ComponentHost::callDynamic(const wc::Func &func,
                                                                   std::span<const wc::Val> args,
                                                                   std::span<wc::Val> results,
                                                                   std::string_view what) {
  requireInstance();
  enterGuest();
  auto called =
      func.call(store_->context(), wasmtime::Span<const wc::Val>(args.data(), args.size()),
                wasmtime::Span<wc::Val>(results.data(), results.size()));
  leaveGuest(!called);
  if (!called) {
    return callError(what, called.err());
  }
  return std::monostate();
}

void ComponentHost::dropResource(const wc::ResourceAny &handle) {
  requireInstance();
  enterGuest();
  auto dropped = handle.drop(store_->context());
  leaveGuest(!dropped);
  if (!dropped) {
    throw callError("dropping a resource", dropped.err());
  }
}

Error ComponentHost::callError(std::string_view what, const wasmtime::Error &error) const {
  const std::string message = error.message();
  ErrorKind kind = classify(error, ErrorKind::Trap);
  std::string line = oneLine(message);
  if (kind == ErrorKind::Exit) {
    line = std::string(::wasmhost::detail::kExitMessage) + std::to_string(*error.i32_exit());
  } else if (contains(message, ::wasmhost::detail::kCancelledMessage)) {
    line = "cancelled: " + std::string(::wasmhost::detail::kCancelledMessage);
  } else if (contains(message, "wasm trap: interrupt")) {
    line = "wasm trap: interrupt (time limit of " + std::to_string(options_.timeout_ms) + " ms)";
  } else if (contains(message, "all fuel consumed")) {
    line = "wasm trap: all fuel consumed by WebAssembly (fuel budget of " +
           std::to_string(options_.fuel) + ")";
  } else if (contains(message, "cannot enter component instance")) {
    line = "the component instance trapped before and refuses further calls (cannot enter "
           "component instance)";
  } else if (kind == ErrorKind::Limit) {
    line += " (raise --max-memory / WasmHostOptions::max_memory_bytes to allow it)";
  }
  return Error(kind, std::string(what) + " failed: " + line);
}

} // namespace wasmhost::component
