#include "wasmhost/wasm_host.hh"

#include <cerrno>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

namespace wasmhost {
namespace {

/// Discards everything written to it; stands in for a missing narration.
class NullBuffer : public std::streambuf {
protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char *, std::streamsize n) override { return n; }
};

std::ostream &nullStream() {
  static NullBuffer buffer;
  static std::ostream stream(&buffer);
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

/// Traps become `GuestTrap`, other errors (link errors) `std::runtime_error`.
[[noreturn]] void throwTrapError(const std::string &what, wasmtime::TrapError error) {
  if (std::holds_alternative<wasmtime::Trap>(error.data)) {
    throw GuestTrap(what + " trapped: " + error.message());
  }
  throw std::runtime_error(what + " failed: " + error.message());
}

} // namespace

WasmHost::WasmHost(std::string wasm_path, WasmHostOptions options)
    : wasm_path_(std::move(wasm_path)), options_(std::move(options)), engine_(), store_(engine_),
      linker_(engine_) {
  loadAndCompile();
  setupWasi();
}

WasmHost::WasmHost(std::shared_ptr<const InstancePre> instance_pre, WasmHostOptions options)
    : wasm_path_(instance_pre->name()), options_(std::move(options)),
      engine_(instance_pre->engine()), store_(engine_), linker_(engine_),
      module_(instance_pre->module()), instance_pre_(std::move(instance_pre)) {
  setupWasi();
}

std::string WasmHost::engineConfigDescription() {
  // The engine is `Engine()`: Wasmtime's default `Config`. The C API's
  // features and the target change the compiled code too.
  std::string description = "config=default;target=";
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

std::ostream &WasmHost::narration() {
  return options_.narration != nullptr ? *options_.narration : nullStream();
}

std::vector<uint8_t> WasmHost::readWasmFile() {
  std::ifstream file(wasm_path_, std::ios::binary | std::ios::ate);
  if (!file) {
    throw std::runtime_error("cannot open module '" + wasm_path_ +
                             "': " + std::generic_category().message(errno));
  }
  const std::streamsize size = file.tellg();
  if (size < 0) {
    throw std::runtime_error("cannot read module '" + wasm_path_ + "': not a regular file");
  }
  file.seekg(0, std::ios::beg);
  std::vector<uint8_t> buffer(static_cast<size_t>(size));
  if (!file.read(reinterpret_cast<char *>(buffer.data()), size)) {
    throw std::runtime_error("cannot read module '" + wasm_path_ + "'");
  }
  return buffer;
}

void WasmHost::loadAndCompile() {
  std::vector<uint8_t> wasm_bytes = readWasmFile();
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
                      ModuleCacheIdentity{WASMTIME_VERSION, engineConfigDescription()});
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
  wasi_configured_ = true;
  narration() << "[Host Setup] WASI configured for Store." << std::endl;
  if (!instance_pre_) { // a pre-instantiated module's linker has WASI already
    linkWasiImports();
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
    auto result = std::get<wasmtime::Func>(*reactor_init).call(store_.context(), {});
    if (!result) {
      throwTrapError("'_initialize'", asTrap(result.err()));
    }
  }
}

void WasmHost::instantiateModule() {
  if (!module_) {
    throw std::logic_error("instantiateModule needs a compiled module");
  }
  narration() << "[Host Setup] Instantiating module..." << std::endl;
  auto instance_res = instance_pre_ ? instance_pre_->instantiate(store_.context())
                                    : linker_.instantiate(store_.context(), *module_);
  if (!instance_res) {
    throwTrapError("Module instantiation", instance_res.err());
  }
  instance_ = instance_res.ok();
  functions_.clear();
  typed_functions_.clear();
  narration() << "[Host Setup] Module instantiated successfully." << std::endl;
}

std::shared_ptr<const InstancePre> WasmHost::prepareInstances() {
  if (!module_) {
    throw std::logic_error("prepareInstances needs a compiled module");
  }
  narration() << "[Host Setup] Pre-instantiating module (InstancePre)..." << std::endl;
  auto pre = std::make_shared<const InstancePre>(linker_, engine_, *module_, wasm_path_);
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

wasmtime::Span<uint8_t> WasmHost::getMemorySpan() {
  if (!is_initialized_ || !memory_.has_value()) {
    throw std::logic_error(is_initialized_
                               ? "module '" + wasm_path_ + "' exports no memory named 'memory'"
                               : std::string("Memory not available: host not initialized."));
  }
  return memory_->data(store_.context());
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

wasmtime::Result<wasmtime::Func> WasmHost::getFunction(std::string_view func_name) {
  if (!is_initialized_) {
    return wasmtime::Error("cannot call '" + std::string(func_name) + "': host not initialized");
  }
  if (auto cached = functions_.find(func_name); cached != functions_.end()) {
    return cached->second;
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
  functions_.emplace(std::string(func_name), *func);
  return *func;
}

int32_t WasmHost::getPluginDataOffset(std::string_view func_name) {
  narration() << "[Host] Getting plugin data offset via '" << func_name << "'..." << std::endl;
  auto result_tuple = callFunction<std::tuple<int32_t>>(func_name);
  if (!result_tuple) {
    if (std::holds_alternative<wasmtime::Trap>(result_tuple.err_ref().data)) {
      throwTrapError("'" + std::string(func_name) + "'", result_tuple.err());
    }
    narration() << "[Host] Error calling '" << func_name << "': " << result_tuple.err().message()
                << std::endl;
    return -1;
  }
  const int32_t offset = std::get<0>(result_tuple.ok());
  narration() << "[Host] Received offset from plugin: " << offset << std::endl;
  return offset;
}

std::string WasmHost::describeType(const wasmtime::Func &func) {
  return describeType(func.type(store_.context()));
}

std::string WasmHost::describeType(wasmtime::FuncType type) {
  return describeList(type->params()) + " -> " + describeList(type->results());
}

} // namespace wasmhost
