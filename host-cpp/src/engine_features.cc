#include "wasmhost/engine_features.hh"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "wasmhost/errors.hh"

namespace wasmhost {
namespace {

constexpr const char *kBacktraceDetails = "WASMTIME_BACKTRACE_DETAILS";

[[noreturn]] void unsupported(const std::string &option, const std::string &why) {
  throw Error(ErrorKind::Unsupported, option + " is not available: " + why);
}

std::string missingFeature(const char *feature) {
  return std::string("this Wasmtime was built without its cargo feature '") + feature +
         "' (WASMTIME_FEATURES)";
}

/// What Wasmtime does when it starts a system profiler, done first so that a
/// failure is an `Error` here rather than an abort in `Engine(Config)`:
/// perfmap opens its file to append; jitdump opens its file to read and
/// append, then maps it executable (for `perf inject`).
void probeProfilerFile(Profiler profiler) {
#if defined(__unix__) || defined(__APPLE__)
  const std::string path = profilerOutputPath(profiler);
  if (path.empty()) {
    return;
  }
  const bool jitdump = profiler == Profiler::JitDump;
  const int fd =
      ::open(path.c_str(), (jitdump ? O_RDWR : O_WRONLY) | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  const auto failed = [&](const char *step, int error) {
    return Error(ErrorKind::Io, "the " + std::string(profilerName(profiler)) + " profiler " + step +
                                    " '" + path + "': " + std::generic_category().message(error));
  };
  if (fd < 0) {
    throw failed("cannot create its file", errno);
  }
  if (jitdump) {
    constexpr size_t kMapLength = 1024; // as Wasmtime's jitdump agent
    void *map = ::mmap(nullptr, kMapLength, PROT_EXEC | PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      const int error = errno;
      ::close(fd);
      throw failed("cannot map executable its file", error);
    }
    ::munmap(map, kMapLength);
  }
  ::close(fd);
#else
  (void)profiler;
#endif
}

/// Sets `WASMTIME_BACKTRACE_DETAILS=1` for as long as it lives, then puts
/// back what was there. Serialized with every other use in this library.
class BacktraceDetailsScope {
public:
  explicit BacktraceDetailsScope(bool enable) {
    if (!enable) {
      return;
    }
    lock_ = std::unique_lock(mutex());
    if (const char *old = std::getenv(kBacktraceDetails)) {
      previous_ = std::string(old);
    }
    if (previous_ != "1") {
      ::setenv(kBacktraceDetails, "1", 1);
      changed_ = true;
    }
  }
  ~BacktraceDetailsScope() {
    if (!changed_) {
      return;
    }
    if (previous_) {
      ::setenv(kBacktraceDetails, previous_->c_str(), 1);
    } else {
      ::unsetenv(kBacktraceDetails);
    }
  }
  BacktraceDetailsScope(const BacktraceDetailsScope &) = delete;
  BacktraceDetailsScope &operator=(const BacktraceDetailsScope &) = delete;

  static std::mutex &mutex() {
    static std::mutex instance;
    return instance;
  }

private:
  std::unique_lock<std::mutex> lock_;
  std::optional<std::string> previous_;
  bool changed_ = false;
};

} // namespace

EngineFeatures EngineFeatures::ofThisBuild() {
  EngineFeatures features;
#ifdef WASMTIME_FEATURE_CRANELIFT
  features.cranelift = true;
#endif
#ifdef WASMTIME_FEATURE_DEBUG_BUILTINS
  features.debug_builtins = true;
#endif
#ifdef WASMTIME_FEATURE_ADDR2LINE
  features.addr2line = true;
#endif
#ifdef WASMTIME_FEATURE_PROFILING
  features.profiling = true;
#endif
#ifdef __linux__
  features.linux_os = true;
#endif
#if defined(__unix__) || defined(__APPLE__)
  features.unix_like = true;
#endif
  return features;
}

std::string_view profilerName(Profiler profiler) {
  switch (profiler) {
  case Profiler::None:
    return "none";
  case Profiler::PerfMap:
    return "perfmap";
  case Profiler::JitDump:
    return "jitdump";
  case Profiler::Guest:
    return "guest";
  }
  return "unknown";
}

void checkEngineOptions(const WasmHostOptions &options, const EngineFeatures &features) {
  if (options.debug_info) {
    const std::string option = "debug info (debug_info, host --debug)";
    if (!features.cranelift) {
      unsupported(option, "Wasmtime emits native DWARF only with Cranelift: " +
                              missingFeature("cranelift"));
    }
    if (!features.debug_builtins) {
      unsupported(option, "gdb and lldb would never see the guest's code: " +
                              missingFeature("debug-builtins"));
    }
    if (!features.addr2line) {
      unsupported(option,
                  "trap backtraces would have no source lines: " + missingFeature("addr2line"));
    }
  }
  const std::string option =
      "the " + std::string(profilerName(options.profiler)) + " profiler (profiler, host --profile)";
  switch (options.profiler) {
  case Profiler::None:
    break;
  case Profiler::PerfMap:
    if (!features.unix_like) {
      unsupported(option, "perf maps (/tmp/perf-<pid>.map) exist on Unix only");
    }
    break;
  case Profiler::JitDump:
    if (!features.profiling) {
      unsupported(option, missingFeature("profiling"));
    }
    if (!features.linux_os) {
      unsupported(option, "jitdump is Linux perf's format; Wasmtime writes it on Linux only");
    }
    break;
  case Profiler::Guest:
    if (!features.profiling) {
      unsupported(option, missingFeature("profiling"));
    }
    break;
  }
}

bool usesEpochInterruption(const WasmHostOptions &options) {
  return options.timeout_ms > 0 || options.profiler == Profiler::Guest;
}

bool backtraceDetailsEnabled(const WasmHostOptions &options) {
  if (options.debug_info) {
    return true;
  }
  std::lock_guard lock(BacktraceDetailsScope::mutex());
  const char *value = std::getenv(kBacktraceDetails);
  return value != nullptr && std::string_view(value) == "1";
}

std::string profilerOutputPath(Profiler profiler) {
#if defined(__unix__) || defined(__APPLE__)
  switch (profiler) {
  case Profiler::PerfMap:
    return "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  case Profiler::JitDump:
    return "./jit-" + std::to_string(::getpid()) + ".dump";
  default:
    return "";
  }
#else
  (void)profiler;
  return "";
#endif
}

namespace {

/// Whether this process may start as many threads as Wasmtime's parallel
/// compilation wants (one per core): under `RLIMIT_NPROC` it may not, and its
/// thread pool then aborts the process instead of reporting an error.
bool canStartCompileThreads() {
  const unsigned wanted = std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  bool started = true;
  try {
    for (unsigned i = 0; i < wanted; ++i) {
      threads.emplace_back([] {});
    }
  } catch (const std::system_error &) {
    started = false;
  }
  for (auto &thread : threads) {
    thread.join();
  }
  return started;
}

} // namespace

wasmtime::Engine makeEngine(const WasmHostOptions &options, const EngineFeatures &features) {
  checkEngineOptions(options, features);
  probeProfilerFile(options.profiler);
  std::optional<wasmtime::Config> config;
  {
    // Wasmtime reads the variable in `Config::new` and never again.
    BacktraceDetailsScope details(options.debug_info);
    config.emplace();
  }
  // Compiling on one thread is slower, never wrong: the fallback when no
  // thread can be had (the compiled code is the same, so is the cache key).
  static const bool parallel = canStartCompileThreads();
  config->parallel_compilation(parallel);
  config->epoch_interruption(usesEpochInterruption(options));
  config->consume_fuel(options.fuel > 0);
  config->debug_info(options.debug_info);
  switch (options.profiler) {
  case Profiler::PerfMap:
    config->profiler(wasmtime::ProfilingStrategy::Perfmap);
    break;
  case Profiler::JitDump:
    config->profiler(wasmtime::ProfilingStrategy::Jitdump);
    break;
  case Profiler::None:
  case Profiler::Guest: // a store's profiler, not the engine's
    break;
  }
  return wasmtime::Engine(std::move(*config));
}

} // namespace wasmhost
