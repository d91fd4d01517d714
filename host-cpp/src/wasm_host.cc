#include "wasmhost/wasm_host.hh"

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <stop_token>
#include <system_error>
#include <thread>

namespace wasmhost {
namespace {

/// Discards everything written to it; stands in for a missing narration.
class NullBuffer : public std::streambuf {
protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char *, std::streamsize n) override { return n; }
};

std::ostream &nullStream() {
  // One per thread: hosts of many instances run on several threads.
  thread_local NullBuffer buffer;
  thread_local std::ostream stream(&buffer);
  return stream;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

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

/// How `asTrap` words a WASI exit, which `trapKind` recognizes.
constexpr std::string_view kExitMessage = "the guest exited with status ";

/// One epoch tick: the time limit is counted in ticks of wall-clock time.
constexpr std::chrono::milliseconds kEpochTick{1};

wasmtime::Engine makeEngine(const WasmHostOptions &options) {
  wasmtime::Config config;
  config.epoch_interruption(options.timeout_ms > 0);
  config.consume_fuel(options.fuel > 0);
  return wasmtime::Engine(std::move(config));
}

int64_t limiterValue(uint64_t value) {
  return static_cast<int64_t>(
      std::min<uint64_t>(value, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
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

} // namespace

namespace detail {

struct EpochTicker::State {
  std::chrono::steady_clock::time_point start;
  std::chrono::microseconds tick;
  std::atomic<uint64_t> ticks_done{0};
  std::jthread thread; // last: stopped and joined before the rest goes

  [[nodiscard]] uint64_t ticksDue() const {
    return static_cast<uint64_t>((std::chrono::steady_clock::now() - start) / tick);
  }
};

EpochTicker::EpochTicker(const wasmtime::Engine &engine, std::chrono::microseconds tick)
    : state_(std::make_unique<State>()) {
  state_->start = std::chrono::steady_clock::now();
  state_->tick = tick;
  state_->thread =
      std::jthread([engine = wasmtime::Engine(engine), state = state_.get()](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        while (!stop.stop_requested()) {
          // One increment per elapsed tick, so that the epoch follows the clock
          // even after this thread was not scheduled for a while.
          for (uint64_t due = state->ticksDue(); state->ticks_done.load() < due;) {
            engine.increment_epoch();
            state->ticks_done.fetch_add(1);
          }
          const auto next = state->start + state->tick * (state->ticks_done.load() + 1);
          wake.wait_until(lock, stop, next, [] { return false; });
        }
      });
}

uint64_t EpochTicker::pendingTicks() const {
  const uint64_t due = state_->ticksDue();
  const uint64_t done = state_->ticks_done.load();
  return due > done ? due - done : 0;
}

EpochTicker::~EpochTicker() = default; // std::jthread: request stop, then join

} // namespace detail

/// Traps become `GuestTrap`, other errors (link errors) `std::runtime_error`.
[[noreturn]] static void throwTrapError(const WasmHost &host, const std::string &what,
                                        const wasmtime::TrapError &error) {
  if (std::holds_alternative<wasmtime::Trap>(error.data)) {
    throw GuestTrap(what + " trapped: " + host.describeTrap(error));
  }
  throw std::runtime_error(what + " failed: " + error.message());
}

WasmHost::WasmHost(std::string wasm_path, WasmHostOptions options)
    : wasm_path_(std::move(wasm_path)), options_(std::move(options)), engine_(makeEngine(options_)),
      store_(engine_), store_context_(store_), linker_(engine_) {
  loadAndCompile();
  startLimits();
  setupWasi();
}

WasmHost::WasmHost(std::shared_ptr<const InstancePre> instance_pre, WasmHostOptions options)
    : wasm_path_(instance_pre->name()), options_(std::move(options)),
      engine_(instance_pre->engine()), ticker_(instance_pre->ticker()), store_(engine_),
      store_context_(store_), linker_(engine_), module_(instance_pre->module()),
      instance_pre_(std::move(instance_pre)) {
  // The engine, and so which limits it can enforce, is the preparing host's.
  if (options_.timeout_ms > 0 && !ticker_) {
    throw std::logic_error("a time limit needs a module prepared by a host with a time limit");
  }
  applyStoreLimits();
  setupWasi();
}

std::string WasmHost::engineConfigDescription(const WasmHostOptions &options) {
  // The engine's `Config` is Wasmtime's default but for epoch interruption
  // and fuel (see `makeEngine`), which change the compiled code; so do the
  // C API's features and the target.
  std::string description = "config=default";
  description += options.timeout_ms > 0 ? ";epoch-interruption" : "";
  description += options.fuel > 0 ? ";consume-fuel" : "";
  description += ";target=";
#if defined(__x86_64__) || defined(_M_X64)
  description += "x86_64";
#elif defined(__aarch64__) || defined(_M_ARM64)
  description += "aarch64";
#else
  description += "other";
#endif
  description += ";features=";
#ifdef WASMTIME_FEATURE_CRANELIFT
  description += "cranelift,";
#endif
#ifdef WASMTIME_FEATURE_WINCH
  description += "winch,";
#endif
#ifdef WASMTIME_FEATURE_PULLEY
  description += "pulley,";
#endif
#ifdef WASMTIME_FEATURE_GC
  description += "gc,";
#endif
#ifdef WASMTIME_FEATURE_GC_DRC
  description += "gc-drc,";
#endif
#ifdef WASMTIME_FEATURE_THREADS
  description += "threads,";
#endif
#ifdef WASMTIME_FEATURE_ADDR2LINE
  description += "addr2line,";
#endif
  return description;
}

WasmHost::WasmHost(std::vector<uint8_t> wasm_bytes, std::string name, WasmHostOptions options)
    : wasm_path_(std::move(name)), options_(std::move(options)), engine_(makeEngine(options_)),
      store_(engine_), store_context_(store_), linker_(engine_) {
  compile(std::move(wasm_bytes));
  startLimits();
  setupWasi();
}

WasmHost::~WasmHost() = default;

std::ostream &WasmHost::narration() {
  return options_.narration != nullptr ? *options_.narration : nullStream();
}

std::vector<uint8_t> WasmHost::readWasmFile() {
  // Only regular files: opening a FIFO would block, a directory has no bytes.
  std::error_code status_error;
  const auto status = std::filesystem::status(wasm_path_, status_error);
  if (status.type() == std::filesystem::file_type::directory) {
    throw std::runtime_error("cannot read module '" + wasm_path_ + "': Is a directory");
  }
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw std::runtime_error("cannot read module '" + wasm_path_ + "': not a regular file");
  }
  std::ifstream file(wasm_path_, std::ios::binary | std::ios::ate);
  if (!file) {
    throw std::runtime_error("cannot open module '" + wasm_path_ +
                             "': " + std::generic_category().message(errno));
  }
  const std::streamsize size = file.tellg();
  if (size < 0) {
    throw std::runtime_error("cannot read module '" + wasm_path_ + "': not a regular file");
  }
  if (static_cast<uint64_t>(size) > options_.max_module_bytes) {
    throw std::runtime_error("cannot read module '" + wasm_path_ + "': " + std::to_string(size) +
                             " bytes, more than the limit of " +
                             std::to_string(options_.max_module_bytes));
  }
  file.seekg(0, std::ios::beg);
  std::vector<uint8_t> buffer(static_cast<size_t>(size));
  if (!file.read(reinterpret_cast<char *>(buffer.data()), size)) {
    throw std::runtime_error("cannot read module '" + wasm_path_ + "'");
  }
  return buffer;
}

void WasmHost::loadAndCompile() { compile(readWasmFile()); }

void WasmHost::compile(std::vector<uint8_t> wasm_bytes) {
  if (wasm_bytes.empty()) {
    throw std::runtime_error("Module compilation failed: '" + wasm_path_ + "' is empty");
  }
  if (endsWith(wasm_path_, ".wat")) {
    auto binary = wasmtime::wat2wasm(
        std::string_view(reinterpret_cast<const char *>(wasm_bytes.data()), wasm_bytes.size()));
    if (!binary) {
      throw std::runtime_error("Module compilation failed: '" + wasm_path_ +
                               "' is not valid WAT: " + binary.err().message());
    }
    wasm_bytes = binary.ok();
  }
  if (!options_.module_cache_dir.empty()) {
    ModuleCache cache(options_.module_cache_dir,
                      ModuleCacheIdentity{WASMTIME_VERSION, engineConfigDescription(options_)});
    try {
      module_ = cache.load(engine_, wasm_bytes, &module_load_report_, &narration());
    } catch (const std::runtime_error &error) {
      throw std::runtime_error("Module compilation failed: '" + wasm_path_ + "': " + error.what());
    }
    return;
  }
  narration() << "[Host Setup] Compiling WASM module..." << std::endl;
  auto module_res = wasmtime::Module::compile(engine_, wasm_bytes);
  if (!module_res) {
    throw std::runtime_error("Module compilation failed: '" + wasm_path_ +
                             "': " + module_res.err().message());
  }
  module_ = module_res.ok();
  narration() << "[Host Setup] Module compiled successfully." << std::endl;
}

void WasmHost::setupWasi() {
  if (wasi_configured_) {
    return;
  }
  narration() << "[Host Setup] Configuring WASI..." << std::endl;
  setStoreWasi();
  wasi_configured_ = true;
  narration() << "[Host Setup] WASI configured for Store." << std::endl;
  if (!instance_pre_) { // a pre-instantiated module's linker has WASI already
    linkWasiImports();
  }
}

void WasmHost::setStoreWasi() {
  // The sandbox: stdout and stderr only. No preopened directory, no
  // environment variable, no argument, an empty stdin.
  wasmtime::WasiConfig wasi;
  if (options_.guest_stdout_stream != nullptr) {
    wasi_config_set_stdout_custom(
        wasi.capi(),
        [](void *stream, const unsigned char *bytes, size_t size) -> ptrdiff_t {
          static_cast<std::ostream *>(stream)->write(reinterpret_cast<const char *>(bytes),
                                                     static_cast<std::streamsize>(size));
          return static_cast<ptrdiff_t>(size);
        },
        options_.guest_stdout_stream, nullptr);
  } else if (options_.guest_stdout) {
    wasi.inherit_stdout();
  }
  wasi.inherit_stderr();
  auto wasi_set_res = store_.context().set_wasi(std::move(wasi));
  if (!wasi_set_res) {
    throw std::runtime_error("Failed setting WASI config in store: " +
                             wasi_set_res.err().message());
  }
}

void WasmHost::linkWasiImports() {
  if (!wasi_configured_) {
    throw std::logic_error("linkWasiImports needs setupWasi first");
  }
  narration() << "[Host Setup] Defining WASI imports in linker..." << std::endl;
  auto linker_define_wasi_res = linker_.define_wasi();
  if (!linker_define_wasi_res) {
    throw std::runtime_error("Failed defining WASI imports in linker: " +
                             linker_define_wasi_res.err().message());
  }
  narration() << "[Host Setup] WASI imports defined." << std::endl;
}

void WasmHost::startLimits() {
  if (options_.timeout_ms > 0) {
    ticker_ = std::make_shared<const detail::EpochTicker>(engine_, kEpochTick);
  }
  applyStoreLimits();
}

void WasmHost::applyStoreLimits() {
  store_.limiter(options_.max_memory_bytes ? limiterValue(*options_.max_memory_bytes) : -1,
                 limiterValue(options_.max_table_elements), -1, -1, -1);
}

void WasmHost::armLimitsNow() {
  if (options_.fuel > 0) {
    auto fuel = store_.context().set_fuel(options_.fuel);
    if (!fuel) {
      throw std::logic_error("cannot set fuel: " + fuel.err().message());
    }
  }
  if (options_.timeout_ms > 0) {
    // Ticks follow wall-clock milliseconds: N + 1 ticks from now is N ms at
    // least and N ms plus one tick at most, counting the ticks the ticker
    // owes (it may run late under load, never early).
    // Saturated far below 2^64: Wasmtime adds the current epoch, wrapping.
    constexpr uint64_t kLongestDeadline = uint64_t{1} << 62;
    store_.context().set_epoch_deadline(std::min(options_.timeout_ms, kLongestDeadline) + 1 +
                                        ticker_->pendingTicks());
  }
}

void WasmHost::initialize() {
  if (is_initialized_) {
    throw std::logic_error("WasmHost is already initialized");
  }
  instantiateModule();
  is_initialized_ = true;
  getMemory();
  auto reactor_init = instance_->get(store_.context(), "_initialize");
  if (reactor_init && std::holds_alternative<wasmtime::Func>(*reactor_init)) {
    narration() << "[Host Setup] Running the reactor's '_initialize'..." << std::endl;
    auto result = callDynamic(std::get<wasmtime::Func>(*reactor_init), {});
    if (!result) {
      throwTrapError(*this, "'_initialize'", result.err());
    }
  }
}

void WasmHost::reinstantiate() {
  narration() << "[Host Setup] Re-instantiating the module in a fresh store..." << std::endl;
  exports_.clear();
  memory_.reset();
  instance_.reset();
  is_initialized_ = false;
  // The host state attached with `setStoreData` stays (`get_data` would
  // dereference null for a store without data).
  const auto *store_data =
      static_cast<std::any *>(wasmtime_context_get_data(store_.context().capi()));
  std::optional<std::any> kept_data;
  if (store_data != nullptr) {
    kept_data = *store_data;
  }
  store_ = wasmtime::Store(engine_);
  store_context_ = store_.context();
  if (kept_data) {
    store_.context().set_data(std::move(*kept_data));
  }
  applyStoreLimits();
  setStoreWasi();
  initialize();
}

namespace {

wasm_valtype_vec_t valtypes(const std::vector<wasm_valkind_t> &kinds) {
  wasm_valtype_vec_t vec;
  wasm_valtype_vec_new_uninitialized(&vec, kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) {
    vec.data[i] = wasm_valtype_new(kinds[i]);
  }
  return vec;
}

} // namespace

void WasmHost::defineUnchecked(std::string_view module_name, std::string_view func_name,
                               const detail::RawHostFunction &function, void *env) {
  wasm_valtype_vec_t params = valtypes(function.params);
  wasm_valtype_vec_t results = valtypes(function.results);
  // Takes the two vectors; the linker copies the type.
  wasm_functype_t *type = wasm_functype_new(&params, &results);
  wasmtime_error_t *error = wasmtime_linker_define_func_unchecked(
      linker_.capi(), module_name.data(), module_name.size(), func_name.data(), func_name.size(),
      type, function.callback, env, nullptr);
  wasm_functype_delete(type);
  if (error != nullptr) {
    throw std::runtime_error("Failed to define host function '" + std::string(func_name) +
                             "': " + wasmtime::Error(error).message());
  }
}

void WasmHost::instantiateModule() {
  if (!module_) {
    throw std::logic_error("instantiateModule needs a compiled module");
  }
  narration() << "[Host Setup] Instantiating module..." << std::endl;
  // Imports are resolved (and type-checked) first: what fails there is a link
  // error. What fails after that happens while the module starts: its start
  // function trapped, exited through WASI, or a host function it called
  // failed; only a store limit refusing the initial memory or table is setup.
  std::optional<InstancePre> resolved;
  if (!instance_pre_) {
    try {
      resolved.emplace(linker_, engine_, *module_, wasm_path_);
    } catch (const std::runtime_error &error) { // worded as a link error of instantiate
      std::string message = error.what();
      const std::string prefix = "Module pre-instantiation failed: '" + wasm_path_ + "': ";
      if (message.rfind(prefix, 0) == 0) {
        message.erase(0, prefix.size());
      }
      throw std::runtime_error("Module instantiation failed: " + message);
    }
  }
  const InstancePre &pre = instance_pre_ ? *instance_pre_ : *resolved;
  armLimits(); // a start function runs within instantiate
  auto instance_res = pre.instantiate(store_.context());
  if (!instance_res) {
    const auto &error = instance_res.err_ref();
    const std::string message = error.message();
    const bool refused_by_limits = std::holds_alternative<wasmtime::Error>(error.data) &&
                                   message.find("exceeds") != std::string::npos &&
                                   message.find("limits") != std::string::npos;
    if (refused_by_limits) {
      throw std::runtime_error("Module instantiation failed: " + message);
    }
    throwTrapError(*this, "Module instantiation", asTrap(instance_res.err()));
  }
  instance_ = instance_res.ok();
  ++instance_generation_;
  store_id_ = wasmtime::Func::wrap(store_.context(), [] {}).capi().store_id;
  exports_.clear();
  narration() << "[Host Setup] Module instantiated successfully." << std::endl;
}

std::shared_ptr<const InstancePre> WasmHost::prepareInstances() {
  if (!module_) {
    throw std::logic_error("prepareInstances needs a compiled module");
  }
  narration() << "[Host Setup] Pre-instantiating module (InstancePre)..." << std::endl;
  // The linker's host functions point at the callables in host_functions_:
  // the prepared module keeps them alive, as it keeps the epoch ticker.
  auto pre = std::make_shared<const InstancePre>(
      linker_, engine_, *module_, wasm_path_, ticker_,
      std::make_shared<const std::vector<std::shared_ptr<void>>>(host_functions_));
  narration() << "[Host Setup] Imports resolved once for every instance." << std::endl;
  return pre;
}

void WasmHost::getMemory() {
  if (!instance_) {
    throw std::logic_error("getMemory needs an instance");
  }
  narration() << "[Host Setup] Getting exported memory 'memory'..." << std::endl;
  auto memory_export_opt = instance_->get(store_.context(), "memory");
  if (memory_export_opt && std::holds_alternative<wasmtime::Memory>(*memory_export_opt)) {
    memory_ = std::get<wasmtime::Memory>(*memory_export_opt);
    narration() << "[Host Setup] Found exported memory. Size: "
                << memory_->data(store_.context()).size() << " bytes." << std::endl;
  } else {
    memory_.reset();
    narration() << "[Host Setup] Export 'memory' not found or not a memory. Proceeding "
                   "without memory access."
                << std::endl;
  }
}

wasmtime::Memory &WasmHost::requireMemory() {
  if (!is_initialized_ || !memory_.has_value()) {
    throw std::logic_error(is_initialized_
                               ? "module '" + wasm_path_ + "' exports no memory named 'memory'"
                               : std::string("Memory not available: host not initialized."));
  }
  return *memory_;
}

wasmtime::Span<uint8_t> WasmHost::getMemorySpan() { return requireMemory().data(store_.context()); }

void WasmHost::writeBytes(int32_t offset, std::span<const uint8_t> bytes) {
  auto memory_span = getMemorySpan();
  checkMemoryRange(offset, bytes.size(), memory_span.size(), "write");
  if (!bytes.empty()) {
    std::memcpy(memory_span.data() + offset, bytes.data(), bytes.size());
  }
}

void WasmHost::readBytes(int32_t offset, std::span<uint8_t> out) {
  auto memory_span = getMemorySpan();
  checkMemoryRange(offset, out.size(), memory_span.size(), "read");
  if (!out.empty()) {
    std::memcpy(out.data(), memory_span.data() + offset, out.size());
  }
}

uint64_t WasmHost::growMemory(uint64_t delta_pages) {
  auto previous = requireMemory().grow(store_.context(), delta_pages);
  if (!previous) {
    throw std::runtime_error("cannot grow memory by " + std::to_string(delta_pages) +
                             " pages: " + previous.err().message());
  }
  return previous.ok();
}

void WasmHost::checkMemoryRange(int64_t offset, size_t size, size_t memory_size,
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

wasmtime::Result<WasmHost::CachedExport *> WasmHost::findExport(std::string_view func_name) {
  if (!is_initialized_) {
    return wasmtime::Error("cannot call '" + std::string(func_name) + "': host not initialized");
  }
  if (auto cached = exports_.find(func_name); cached != exports_.end()) {
    return &cached->second;
  }
  auto item = instance_->get(store_.context(), func_name);
  if (!item) {
    return wasmtime::Error("export '" + std::string(func_name) + "' not found in '" + wasm_path_ +
                           "'");
  }
  const auto *func = std::get_if<wasmtime::Func>(&*item);
  if (func == nullptr) {
    return wasmtime::Error("export '" + std::string(func_name) + "' is not a function");
  }
  return &exports_.emplace(std::string(func_name), CachedExport{*func, {}}).first->second;
}

wasmtime::Result<wasmtime::Func> WasmHost::getFunction(std::string_view func_name) {
  auto found = findExport(func_name);
  if (!found) {
    return found.err();
  }
  return found.ok()->func;
}

wasmtime::Error WasmHost::signatureMismatch(std::string_view func_name, const wasmtime::Func &func,
                                            wasmtime::FuncType wanted) {
  return wasmtime::Error("export '" + std::string(func_name) + "' has type " + describeType(func) +
                         ", not the " + describeType(std::move(wanted)) + " the host asked for");
}

int32_t WasmHost::getPluginDataOffset(std::string_view func_name) {
  narration() << "[Host] Getting plugin data offset via '" << func_name << "'..." << std::endl;
  auto result_tuple = callFunction<std::tuple<int32_t>>(func_name);
  if (!result_tuple) {
    if (std::holds_alternative<wasmtime::Trap>(result_tuple.err_ref().data)) {
      throwTrapError(*this, "'" + std::string(func_name) + "'", result_tuple.err_ref());
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
WasmHost::callDynamic(const wasmtime::Func &func, const std::vector<wasmtime::Val> &args) {
  if (func.capi().store_id != store_id_) {
    return wasmtime::TrapError(wasmtime::Error(
        "the function belongs to another store (an earlier instance, or none); get it again"));
  }
  armLimits();
  auto result = func.call(store_.context(), args);
  if (!result) {
    return asTrap(result.err());
  }
  return result;
}

wasmtime::TrapError WasmHost::asTrap(wasmtime::TrapError error) {
  if (std::holds_alternative<wasmtime::Trap>(error.data)) {
    return error;
  }
  if (auto status = std::get<wasmtime::Error>(error.data).i32_exit()) {
    return wasmtime::Trap(std::string(kExitMessage) + std::to_string(*status));
  }
  return wasmtime::Trap(error.message());
}

std::string WasmHost::trapKind(const wasmtime::TrapError &error) {
  const auto *trap = std::get_if<wasmtime::Trap>(&error.data);
  if (trap == nullptr) {
    return std::get<wasmtime::Error>(error.data).i32_exit() ? "exit" : "error";
  }
  if (auto code = trap->code()) {
    const char *name = trapCodeName(*code);
    return name != nullptr ? name : "trap code " + std::to_string(*code);
  }
  if (trap->message().rfind(kExitMessage, 0) == 0) {
    return "exit";
  }
  return "host function failed";
}

std::string WasmHost::describeTrap(const wasmtime::TrapError &error) const {
  const std::string kind = trapKind(error);
  std::string limit;
  if (kind == "interrupt") {
    limit = " (time limit of " + std::to_string(options_.timeout_ms) + " ms)";
  } else if (kind == "out of fuel") {
    limit = " (fuel budget of " + std::to_string(options_.fuel) + ")";
  }
  return kind + limit + ": " + error.message();
}

std::string WasmHost::describeType(const wasmtime::Func &func) {
  return describeType(func.type(store_.context()));
}

std::string WasmHost::describeType(wasmtime::FuncType type) {
  return describeList(type->params()) + " -> " + describeList(type->results());
}

} // namespace wasmhost
