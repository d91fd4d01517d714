#include "wasmhost/wasm_host.hh"

#include <cerrno>
#include <cstring>
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
    : wasm_path_(std::move(wasm_path)), options_(options), engine_(), store_(engine_),
      store_context_(store_), linker_(engine_) {
  loadAndCompile();
  setupWasi();
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
  if (options_.guest_stdout) {
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
  linkWasiImports();
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
  auto instance_res = linker_.instantiate(store_.context(), *module_);
  if (!instance_res) {
    throwTrapError("Module instantiation", instance_res.err());
  }
  instance_ = instance_res.ok();
  exports_.clear();
  narration() << "[Host Setup] Module instantiated successfully." << std::endl;
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
