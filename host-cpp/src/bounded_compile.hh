/**
 * \file bounded_compile.hh
 * The compile of a module or a component, bounded by
 * `WasmHostOptions::compile_timeout_ms`, through the module cache when the
 * options give one. Shared by `Plugin` and `component::ComponentHost`.
 */
#ifndef WASMHOST_SRC_BOUNDED_COMPILE_HH
#define WASMHOST_SRC_BOUNDED_COMPILE_HH

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include <wasmtime.hh>
#include <wasmtime/component/component.hh>

#include "wasmhost/errors.hh"
#include "wasmhost/module_cache.hh"
#include "wasmhost/options.hh"

namespace wasmhost::detail {

/// Compiles abandoned past their time limit (`Plugin::abandonedCompiles`),
/// and those of them still running.
inline std::atomic<uint64_t> abandoned_compiles{0};
inline std::atomic<uint64_t> abandoned_compiles_running{0};

inline bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// What a compile gives: the module or component, and how it was obtained.
template <typename Artifact> struct Compiled {
  Artifact artifact;
  ModuleLoadReport report;
};

/// One compile, shared by the caller and the thread that runs it: what it
/// needs (its own reference to the engine, the bytes) and what it gives. The
/// thread never touches the caller's objects or streams, so it may outlive
/// them.
template <typename Artifact> struct CompileJob {
  static constexpr bool kComponent = std::is_same_v<Artifact, wasmtime::component::Component>;
  static constexpr std::string_view kWhat = kComponent ? "Component" : "Module";

  CompileJob(wasmtime::Engine engine_in, std::string name_in, std::vector<uint8_t> bytes_in,
             std::optional<ModuleCache> cache_in)
      : engine(std::move(engine_in)), name(std::move(name_in)), bytes(std::move(bytes_in)),
        cache(std::move(cache_in)) {}

  /// The WAT conversion, then the cache or the compiler. Never throws.
  void run() noexcept {
    try {
      if (endsWith(name, ".wat")) {
        auto binary = wasmtime::wat2wasm(
            std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()));
        if (!binary) {
          fail(" is not valid WAT: " + binary.err().message());
          return;
        }
        bytes = binary.ok();
      }
      if (cache) {
        try {
          if constexpr (kComponent) {
            artifact = cache->loadComponent(engine, bytes, &report, &narration);
          } else {
            artifact = cache->load(engine, bytes, &report, &narration);
          }
        } catch (const Error &error) {
          fail(std::string(": ") + error.what());
        }
        return;
      }
      narration << "[Host Setup] Compiling WASM " << (kComponent ? "component" : "module") << "..."
                << std::endl;
      auto compiled =
          Artifact::compile(engine, wasmtime::Span<uint8_t>(bytes.data(), bytes.size()));
      if (!compiled) {
        fail(": " + compiled.err().message());
        return;
      }
      artifact = compiled.ok();
      narration << "[Host Setup] " << kWhat << " compiled successfully." << std::endl;
    } catch (const std::exception &error) {
      fail(std::string(": ") + error.what());
    }
  }

  void fail(const std::string &why) {
    error = std::string(kWhat) + " compilation failed: '" + name + "'" + why;
  }

  /// Called by the thread when `run` is over.
  void finish() {
    const std::lock_guard lock(mutex);
    done = true;
    if (abandoned) {
      --abandoned_compiles_running;
    }
    finished.notify_all();
  }

  /// Called by the caller, holding `mutex`, when it stops waiting.
  void abandon() {
    abandoned = true;
    ++abandoned_compiles;
    ++abandoned_compiles_running;
  }

  wasmtime::Engine engine;
  std::string name;
  std::vector<uint8_t> bytes;
  /// With `module_cache_dir`: the cache, its folder and key already checked.
  std::optional<ModuleCache> cache;
  std::optional<Artifact> artifact;
  std::optional<std::string> error;
  ModuleLoadReport report;
  /// The narration of the compile, handed to the caller's once it is over.
  std::ostringstream narration;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool abandoned = false;
};

/// Compiles `wasm_bytes` (named `name` in messages; `.wat` in it means text)
/// for `engine`, through the module cache of `options` (keyed with
/// `engine_config`), on a thread of its own bounded by
/// `options.compile_timeout_ms`: past it, throws `Error` (`Compile`) and
/// leaves the thread to finish on its own (the C API cannot cancel a
/// compile). Without a thread to be had, compiles on the caller's thread
/// without the limit. Throws `Error` (`Compile`; `Io` for a refused cache
/// folder or key file, checked here first).
template <typename Artifact>
Compiled<Artifact> compileBounded(const wasmtime::Engine &engine, const std::string &name,
                                  std::vector<uint8_t> wasm_bytes, const WasmHostOptions &options,
                                  const std::string &engine_config, std::ostream &narration) {
  using Job = CompileJob<Artifact>;
  if (wasm_bytes.empty()) {
    throw Error(ErrorKind::Compile,
                std::string(Job::kWhat) + " compilation failed: '" + name + "' is empty");
  }
  std::optional<ModuleCache> cache;
  if (!options.module_cache_dir.empty()) {
    cache.emplace(options.module_cache_dir, ModuleCacheIdentity{WASMTIME_VERSION, engine_config},
                  options.module_cache_key_file);
  }
  auto job = std::make_shared<Job>(engine, name, std::move(wasm_bytes), std::move(cache));
  bool on_this_thread = options.compile_timeout_ms == 0;
  if (!on_this_thread) {
    std::thread worker;
    try {
      worker = std::thread([job] {
        job->run();
        job->finish();
      });
    } catch (const std::system_error &) {
      // No thread to be had (RLIMIT_NPROC): compile here, without the limit,
      // rather than not at all.
      on_this_thread = true;
      narration << "[Host Setup] No thread for the compile: compiling without its time limit."
                << std::endl;
    }
    if (worker.joinable()) {
      const auto limit = std::chrono::milliseconds(
          static_cast<int64_t>(std::min<uint64_t>(options.compile_timeout_ms, uint64_t{1} << 40)));
      std::unique_lock lock(job->mutex);
      if (!job->finished.wait_for(lock, limit, [&job] { return job->done; })) {
        job->abandon();
        lock.unlock();
        // The thread finishes on its own and drops its job (the bytes, its
        // engine reference, the artifact).
        worker.detach();
        throw Error(ErrorKind::Compile,
                    std::string("compiling ") + (Job::kComponent ? "component" : "module") + " '" +
                        name + "' took longer than the compile time limit of " +
                        std::to_string(options.compile_timeout_ms) +
                        " ms (WasmHostOptions::compile_timeout_ms, host --compile-timeout-ms)");
      }
      lock.unlock();
      worker.join();
    }
  }
  if (on_this_thread) {
    job->run();
  }
  narration << job->narration.str() << std::flush;
  if (job->error) {
    throw Error(ErrorKind::Compile, *job->error);
  }
  return Compiled<Artifact>{std::move(*job->artifact), job->report};
}

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_BOUNDED_COMPILE_HH
