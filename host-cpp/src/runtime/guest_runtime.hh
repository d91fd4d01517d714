/**
 * \file guest_runtime.hh
 * The library's side of the runtime imports (module `wasmhost`:
 * `config_get`, `log`) and of the guest's lines: per instance, the route of
 * its WASI output and `log` calls to a `LogSink` within `LogLimits`.
 * Private to the library.
 */
#ifndef WASMHOST_SRC_RUNTIME_GUEST_RUNTIME_HH
#define WASMHOST_SRC_RUNTIME_GUEST_RUNTIME_HH

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <unordered_map>

#include <wasmtime.hh>

#include "wasmhost/options.hh"
#include "wasmhost/runtime/log.hh"

namespace wasmhost::runtime::detail {

/// The import module of the runtime's host functions.
inline constexpr std::string_view kRuntimeModule = "wasmhost";

/// The process's `StderrSink`: where a guest's `log` calls go without a
/// `WasmHostOptions::log_sink`.
LogSink &defaultSink();

/// One instance's guest lines on their way to a sink: its WASI stdout and
/// stderr (split into lines) and its `log` calls, each cut at
/// `max_line_bytes` and all together through one token bucket
/// (`LogLimits`). Dropped lines are only counted: what it holds is bounded
/// by two partial lines. Thread-safety: any thread (one lock).
class GuestLog {
public:
  GuestLog(LogSink &sink, LogLimits limits);
  /// Ends unfinished lines and gives the note of lines still pending.
  ~GuestLog();
  GuestLog(const GuestLog &) = delete;
  GuestLog &operator=(const GuestLog &) = delete;

  /// A guest's line (a `log` call's text, split at line breaks).
  void guestLine(LogLevel level, std::string_view source, std::string_view text);
  /// WASI custom writers (`wasi_config_set_stdout_custom`); `log` is the
  /// `GuestLog`. They always accept every byte.
  static ptrdiff_t writeStdout(void *log, const unsigned char *bytes, size_t size);
  static ptrdiff_t writeStderr(void *log, const unsigned char *bytes, size_t size);
  /// Ends unfinished lines and emits the note of dropped lines, if any.
  void finish();

  [[nodiscard]] const LogLimits &limits() const { return limits_; }
  /// Every line dropped by the rate limit so far.
  [[nodiscard]] uint64_t droppedLines();

private:
  /// One line, already cut, through the bucket to the sink.
  void lineLocked(LogLevel level, std::string_view source, std::string_view line);
  bool admitLocked(std::chrono::steady_clock::time_point now);
  void noteDroppedLocked();

  LogSink &sink_;
  LogLimits limits_;
  std::mutex mutex_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;
  uint64_t pending_dropped_ = 0;
  uint64_t dropped_ = 0;
  LineSplitter stdout_;
  LineSplitter stderr_;
};

/// What the runtime imports need of the instance a call comes from.
struct InstanceRuntime {
  const std::map<std::string, std::string> *config = nullptr;
  GuestLog *log = nullptr;
};

/// The stores a plugin's runtime imports serve, by context: each
/// `PluginInstance` attaches its store while it lives. Thread-safety: any
/// thread (locked for a look-up only).
class RuntimeImports {
public:
  void attach(const wasmtime_context_t *context, InstanceRuntime runtime);
  void detach(const wasmtime_context_t *context);
  /// The instance of `context`; throws `std::logic_error` for a store no
  /// instance attached.
  InstanceRuntime find(const wasmtime_context_t *context);

private:
  std::mutex mutex_;
  std::unordered_map<const wasmtime_context_t *, InstanceRuntime> attached_;
};

/// `wasmhost::config_get` (`wasmhost/runtime/config.hh`). Throws (a trap)
/// for a bad pointer, length or key.
int32_t configGet(RuntimeImports &imports, wasmtime::Caller &caller, uint32_t key_ptr,
                  uint32_t key_len, uint32_t out_ptr, uint32_t out_cap);
/// `wasmhost::log(level, ptr, len)`: the `len` bytes at `ptr` as lines of
/// `level` (0 trace .. 4 error) from "guest.log", cut at `max_line_bytes`
/// (only that much is read). Throws (a trap) for another level or a range
/// outside memory.
void guestLog(RuntimeImports &imports, wasmtime::Caller &caller, int32_t level, uint32_t ptr,
              uint32_t len);

} // namespace wasmhost::runtime::detail

#endif // WASMHOST_SRC_RUNTIME_GUEST_RUNTIME_HH
