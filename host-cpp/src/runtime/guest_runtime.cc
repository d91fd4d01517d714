#include "guest_runtime.hh"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <variant>

#include "wasmhost/runtime/config.hh"

namespace wasmhost::runtime::detail {
namespace {

/// The caller's exported memory; throws when it has none.
wasmtime::Span<uint8_t> callerMemory(wasmtime::Caller &caller, std::string_view function) {
  auto item = caller.get_export("memory");
  const auto *memory = item ? std::get_if<wasmtime::Memory>(&*item) : nullptr;
  if (memory == nullptr) {
    throw std::runtime_error(std::string(function) + ": the guest exports no memory 'memory'");
  }
  return memory->data(caller.context());
}

/// `[offset, offset + size)` of `memory`; throws naming `what` unless it is
/// inside.
std::span<uint8_t> guestRange(wasmtime::Span<uint8_t> memory, uint32_t offset, uint64_t size,
                              std::string_view what) {
  if (size > memory.size() || offset > memory.size() - size) {
    throw std::out_of_range(std::string(what) + " at offset " + std::to_string(offset) + " of " +
                            std::to_string(size) + " bytes is outside linear memory (" +
                            std::to_string(memory.size()) + " bytes)");
  }
  return {memory.data() + offset, static_cast<size_t>(size)};
}

} // namespace

LogSink &defaultSink() {
  static StderrSink sink;
  return sink;
}

GuestLog::GuestLog(LogSink &sink, LogLimits limits)
    : sink_(sink), limits_(limits), tokens_(static_cast<double>(limits.burst_lines)),
      refilled_(std::chrono::steady_clock::now()),
      stdout_(limits.max_line_bytes,
              [this](std::string_view line) { lineLocked(LogLevel::Info, "guest.stdout", line); }),
      stderr_(limits.max_line_bytes,
              [this](std::string_view line) { lineLocked(LogLevel::Warn, "guest.stderr", line); }) {
}

GuestLog::~GuestLog() { finish(); }

void GuestLog::finish() {
  const std::lock_guard lock(mutex_);
  stdout_.finish();
  stderr_.finish();
  noteDroppedLocked();
}

uint64_t GuestLog::droppedLines() {
  const std::lock_guard lock(mutex_);
  return dropped_;
}

void GuestLog::guestLine(LogLevel level, std::string_view source, std::string_view text) {
  const std::lock_guard lock(mutex_);
  // A line break in the text starts a line of its own: no line of the
  // guest's reads as anything but the guest's.
  while (true) {
    const size_t end = text.find('\n');
    lineLocked(level, source, LineSplitter::cut(text.substr(0, end), limits_.max_line_bytes));
    if (end == std::string_view::npos) {
      return;
    }
    text.remove_prefix(end + 1);
  }
}

ptrdiff_t GuestLog::writeStdout(void *log, const unsigned char *bytes, size_t size) {
  auto &self = *static_cast<GuestLog *>(log);
  const std::lock_guard lock(self.mutex_);
  self.stdout_.write({reinterpret_cast<const char *>(bytes), size});
  return static_cast<ptrdiff_t>(size);
}

ptrdiff_t GuestLog::writeStderr(void *log, const unsigned char *bytes, size_t size) {
  auto &self = *static_cast<GuestLog *>(log);
  const std::lock_guard lock(self.mutex_);
  self.stderr_.write({reinterpret_cast<const char *>(bytes), size});
  return static_cast<ptrdiff_t>(size);
}

void GuestLog::lineLocked(LogLevel level, std::string_view source, std::string_view line) {
  if (!admitLocked(std::chrono::steady_clock::now())) {
    ++pending_dropped_;
    ++dropped_;
    return;
  }
  noteDroppedLocked();
  sink_.write(level, source, line);
}

bool GuestLog::admitLocked(std::chrono::steady_clock::time_point now) {
  if (limits_.lines_per_second == 0) {
    return true;
  }
  const std::chrono::duration<double> elapsed = now - refilled_;
  refilled_ = now;
  tokens_ = std::min(static_cast<double>(limits_.burst_lines),
                     tokens_ + elapsed.count() * limits_.lines_per_second);
  if (tokens_ < 1.0) {
    return false;
  }
  tokens_ -= 1.0;
  return true;
}

void GuestLog::noteDroppedLocked() {
  if (pending_dropped_ == 0) {
    return;
  }
  sink_.write(LogLevel::Warn, "host",
              "[log] " + std::to_string(pending_dropped_) + " lines dropped: rate limit");
  pending_dropped_ = 0;
}

void RuntimeImports::attach(const wasmtime_context_t *context, InstanceRuntime runtime) {
  const std::lock_guard lock(mutex_);
  attached_[context] = runtime;
}

void RuntimeImports::detach(const wasmtime_context_t *context) {
  const std::lock_guard lock(mutex_);
  attached_.erase(context);
}

InstanceRuntime RuntimeImports::find(const wasmtime_context_t *context) {
  const std::lock_guard lock(mutex_);
  const auto found = attached_.find(context);
  if (found == attached_.end()) {
    throw std::logic_error("the store is not a PluginInstance's: no configuration or log");
  }
  return found->second;
}

int32_t configGet(RuntimeImports &imports, wasmtime::Caller &caller, uint32_t key_ptr,
                  uint32_t key_len, uint32_t out_ptr, uint32_t out_cap) {
  const InstanceRuntime runtime = imports.find(caller.context().capi());
  if (key_len > kMaxConfigKeyBytes) {
    throw std::length_error("config_get: a key of " + std::to_string(key_len) +
                            " bytes, more than " + std::to_string(kMaxConfigKeyBytes));
  }
  auto memory = callerMemory(caller, "config_get");
  const auto key_bytes = guestRange(memory, key_ptr, key_len, "config_get: the key");
  const std::string key(reinterpret_cast<const char *>(key_bytes.data()), key_bytes.size());
  // The output range is checked whatever the answer: a bad pointer is a bug
  // even when the key happens to be missing.
  const auto out = guestRange(memory, out_ptr, out_cap, "config_get: the output buffer");
  if (runtime.config == nullptr) {
    return kConfigMissing;
  }
  const auto found = runtime.config->find(key);
  if (found == runtime.config->end()) {
    return kConfigMissing;
  }
  const std::string &value = found->second;
  if (value.size() <= out.size() && !value.empty()) {
    std::memcpy(out.data(), value.data(), value.size());
  }
  return static_cast<int32_t>(value.size()); // at most kMaxConfigValueBytes (checkConfig)
}

void guestLog(RuntimeImports &imports, wasmtime::Caller &caller, int32_t level, uint32_t ptr,
              uint32_t len) {
  const InstanceRuntime runtime = imports.find(caller.context().capi());
  const auto known = logLevelFromInt(level);
  if (!known) {
    throw std::invalid_argument("log: level " + std::to_string(level) +
                                " is not one of 0 (trace) to 4 (error)");
  }
  auto memory = callerMemory(caller, "log");
  const auto message = guestRange(memory, ptr, len, "log: the message");
  // Read in place (the sink does not call into the guest): each line is
  // copied only up to `max_line_bytes`.
  runtime.log->guestLine(*known, "guest.log",
                         {reinterpret_cast<const char *>(message.data()), message.size()});
}

} // namespace wasmhost::runtime::detail
