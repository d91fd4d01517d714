#include "wasmhost/plugin.hh"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>

#include "bounded_compile.hh"
#include "null_stream.hh"
#include "runtime/guest_runtime.hh"
#include "wasi_poll_guard.hh"
#include "wasmhost/engine_features.hh"

namespace wasmhost {
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

Plugin::Plugin(std::string wasm_path, WasmHostOptions options)
    : Plugin(readModuleFile(wasm_path, options.max_module_bytes), wasm_path, options) {}

Plugin::Plugin(std::vector<uint8_t> wasm_bytes, std::string name, WasmHostOptions options)
    : name_(std::move(name)), options_(std::move(options)),
      host_functions_(std::make_shared<std::vector<std::shared_ptr<void>>>()),
      engine_(makeEngine(options_)),
      runtime_imports_(std::make_shared<runtime::detail::RuntimeImports>()),
      linker_(std::make_shared<wasmtime::Linker>(engine_)) {
  if (options_.narration == nullptr && options_.log_sink != nullptr) {
    sink_narration_ = std::make_shared<runtime::LogStream>(
        *options_.log_sink, runtime::LogLevel::Info, "host", options_.log_limits.max_line_bytes);
  }
  compile(std::move(wasm_bytes));
  // A time limit, and the guest profiler's samples on epoch ticks (with or
  // without a time limit), need the epoch to advance.
  if (usesEpochInterruption(options_)) {
    try {
      ticker_ = std::make_shared<const detail::EpochTicker>(
          engine_, /*keep_ticking=*/options_.profiler == Profiler::Guest);
    } catch (const std::system_error &error) {
      throw Error(ErrorKind::Limit,
                  std::string("cannot start the thread that enforces the time limit: ") +
                      error.what() + " (or run without one: timeout_ms = 0)");
    }
  }
}

Plugin::Plugin(SharedHostTag /*tag*/, const Plugin &base, std::vector<uint8_t> wasm_bytes,
               std::string name)
    : name_(std::move(name)), options_(base.options_), host_functions_(base.host_functions_),
      engine_(base.engine_), ticker_(base.ticker_), poll_guard_(base.poll_guard_),
      runtime_imports_(base.runtime_imports_), linker_(base.linker_),
      wasi_linked_(base.wasi_linked_) {
  if (options_.narration == nullptr && options_.log_sink != nullptr) {
    sink_narration_ = std::make_shared<runtime::LogStream>(
        *options_.log_sink, runtime::LogLevel::Info, "host", options_.log_limits.max_line_bytes);
  }
  compile(std::move(wasm_bytes));
  prepare();
}

Plugin::~Plugin() = default;

std::shared_ptr<const Plugin> Plugin::withModule(std::vector<uint8_t> wasm_bytes,
                                                 std::string name) const {
  if (!isPrepared()) {
    throw std::logic_error("Plugin::withModule needs the plugin '" + name_ +
                           "' prepared (Plugin::prepare): the linker it shares must not change");
  }
  // Not make_shared: the constructor is private.
  return std::shared_ptr<const Plugin>(
      new Plugin(SharedHostTag{}, *this, std::move(wasm_bytes), std::move(name)));
}

std::shared_ptr<const Plugin> Plugin::withModuleFile(const std::string &wasm_path) const {
  return withModule(readModuleFile(wasm_path, options_.max_module_bytes), wasm_path);
}

std::ostream &Plugin::narration() const {
  if (options_.narration != nullptr) {
    return *options_.narration;
  }
  return sink_narration_ != nullptr ? *sink_narration_ : detail::nullStream();
}

std::vector<uint8_t> Plugin::readModuleFile(const std::string &path, uint64_t max_bytes) {
  // Only regular files: opening a FIFO would block, a directory has no bytes.
  std::error_code status_error;
  const auto status = std::filesystem::status(path, status_error);
  if (status.type() == std::filesystem::file_type::directory) {
    throw Error(ErrorKind::Io, "cannot read module '" + path + "': Is a directory");
  }
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw Error(ErrorKind::Io, "cannot read module '" + path + "': not a regular file");
  }
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    throw Error(ErrorKind::Io,
                "cannot open module '" + path + "': " + std::generic_category().message(errno));
  }
  const std::streamsize size = file.tellg();
  if (size < 0) {
    throw Error(ErrorKind::Io, "cannot read module '" + path + "': not a regular file");
  }
  if (static_cast<uint64_t>(size) > max_bytes) {
    throw Error(ErrorKind::Io, "cannot read module '" + path + "': " + std::to_string(size) +
                                   " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  file.seekg(0, std::ios::beg);
  std::vector<uint8_t> buffer(static_cast<size_t>(size));
  if (!file.read(reinterpret_cast<char *>(buffer.data()), size)) {
    throw Error(ErrorKind::Io, "cannot read module '" + path + "'");
  }
  return buffer;
}

uint64_t Plugin::abandonedCompiles() { return detail::abandoned_compiles.load(); }

uint64_t Plugin::abandonedCompilesRunning() { return detail::abandoned_compiles_running.load(); }

void Plugin::compile(std::vector<uint8_t> wasm_bytes) {
  auto compiled =
      detail::compileBounded<wasmtime::Module>(engine_, name_, std::move(wasm_bytes), options_,
                                               engineConfigDescription(options_), narration());
  module_ = std::move(compiled.artifact);
  module_load_report_ = std::move(compiled.report);
}

std::string Plugin::engineConfigDescription(const WasmHostOptions &options) {
  // The engine's `Config` is Wasmtime's default but for epoch interruption,
  // fuel and debug info (see `makeEngine`), which change the compiled code,
  // and backtrace details, which change what a compiled module keeps; so do
  // the C API's features and the target. The profilers do not change the
  // code (Wasmtime tells them about it when a module is loaded, compiled or
  // deserialized), so a module cached without one serves them too.
  std::string description = "config=default";
  description += usesEpochInterruption(options) ? ";epoch-interruption" : "";
  description += options.fuel > 0 ? ";consume-fuel" : "";
  description += options.debug_info ? ";debug-info" : "";
  description += backtraceDetailsEnabled(options) ? ";backtrace-details" : "";
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

void Plugin::requireUnprepared(std::string_view what) const {
  if (pre_) {
    throw std::logic_error("Cannot " + std::string(what) +
                           " on a pre-instantiated module: do it before prepareInstances().");
  }
}

void Plugin::linkWasi() {
  if (wasi_linked_) {
    return;
  }
  requireUnprepared("link WASI");
  narration() << "[Host Setup] Defining WASI imports in linker..." << std::endl;
  auto linked = linker_->define_wasi();
  if (!linked) {
    throw Error(ErrorKind::Link,
                "Failed defining WASI imports in linker: " + linked.err().message());
  }
  // Also with epoch interruption alone (the guest profiler): a cancelled
  // call's sleep ends at once.
  if (options_.timeout_ms > 0 || options_.fuel > 0 || usesEpochInterruption(options_)) {
    poll_guard_ = std::make_shared<detail::WasiPollGuard>(engine_);
    poll_guard_->install(*linker_);
  }
  linkRuntimeImports();
  wasi_linked_ = true;
  narration() << "[Host Setup] WASI imports defined." << std::endl;
}

void Plugin::linkRuntimeImports() {
  // Quietly: the narration of a plugin that does not use them stays the
  // article's.
  const auto imports = runtime_imports_;
  defineWithoutNarration(runtime::detail::kRuntimeModule, "config_get",
                         [imports](wasmtime::Caller caller, uint32_t key_ptr, uint32_t key_len,
                                   uint32_t out_ptr, uint32_t out_cap) -> int32_t {
                           return runtime::detail::configGet(*imports, caller, key_ptr, key_len,
                                                             out_ptr, out_cap);
                         });
  defineWithoutNarration(
      runtime::detail::kRuntimeModule, "log",
      [imports](wasmtime::Caller caller, int32_t level, uint32_t ptr, uint32_t len) {
        runtime::detail::guestLog(*imports, caller, level, ptr, len);
      });
}

void Plugin::defineUnchecked(std::string_view module_name, std::string_view func_name,
                             const detail::RawHostFunction &function, void *env) {
  wasm_valtype_vec_t params = valtypes(function.params);
  wasm_valtype_vec_t results = valtypes(function.results);
  // Takes the two vectors; the linker copies the type.
  wasm_functype_t *type = wasm_functype_new(&params, &results);
  wasmtime_error_t *error = wasmtime_linker_define_func_unchecked(
      linker_->capi(), module_name.data(), module_name.size(), func_name.data(), func_name.size(),
      type, function.callback, env, nullptr);
  wasm_functype_delete(type);
  if (error != nullptr) {
    throw Error(ErrorKind::Link, "Failed to define host function '" + std::string(func_name) +
                                     "': " + wasmtime::Error(error).message());
  }
}

void Plugin::prepare() {
  if (!pre_) {
    pre_.emplace(*linker_, engine_, *module_, name_);
  }
}

const InstancePre &Plugin::instancePre() const {
  if (!pre_) {
    throw std::logic_error("plugin '" + name_ + "' is not prepared (Plugin::prepare)");
  }
  return *pre_;
}

} // namespace wasmhost
