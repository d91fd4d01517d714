#include "wasi_poll_guard.hh"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <thread>

#include "trap_error.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/plugin_instance.hh"

namespace wasmhost::detail {
namespace {

constexpr std::string_view kWasiModule = "wasi_snapshot_preview1";
constexpr std::string_view kPollOneoff = "poll_oneoff";

/// Calls WASI's `poll_oneoff` from wasm, so that WASI finds the guest's
/// memory as its caller's `memory` export (a host function called from the
/// host has no caller instance).
constexpr std::string_view kTrampolineWat = R"((module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "guest" "memory" (memory 0))
  (export "memory" (memory 0))
  (func (export "poll_oneoff") (param i32 i32 i32 i32) (result i32)
    (call $poll (local.get 0) (local.get 1) (local.get 2) (local.get 3))))
)";

// The WASI preview 1 layout of `subscription` (48 bytes, 8-aligned).
constexpr uint64_t kTagOffset = 8;      // u8: 0 clock, 1 fd_read, 2 fd_write
constexpr uint64_t kClockIdOffset = 16; // u32: 0 realtime, 1 monotonic
constexpr uint64_t kTimeoutOffset = 24; // u64 nanoseconds
constexpr uint64_t kFlagsOffset = 40;   // u16: bit 0 subscription_clock_abstime
constexpr uint8_t kTagClock = 0;
constexpr uint32_t kClockRealtime = 0;
constexpr uint32_t kClockMonotonic = 1;
constexpr uint16_t kAbstime = 1;

template <typename T> T load(const uint8_t *bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T)); // wasm memory is little-endian, so is the host
  return value;
}

std::chrono::nanoseconds saturatedNanoseconds(uint64_t nanoseconds) {
  return std::chrono::nanoseconds(
      static_cast<int64_t>(std::min<uint64_t>(nanoseconds, std::numeric_limits<int64_t>::max())));
}

uint64_t nanosecondsSince(std::chrono::nanoseconds since) {
  return since.count() > 0 ? static_cast<uint64_t>(since.count()) : 0;
}

/// How long a poll of `count` subscriptions at `offset` in `memory` can wait
/// at most: its earliest clock, when every subscription is a realtime or
/// monotonic clock. Nothing when one is not (a descriptor, which never
/// blocks in this sandbox, or something WASI refuses before waiting) or the
/// subscriptions are not all inside memory (WASI refuses them). `wasi_start`
/// is the zero of the store's WASI monotonic clock.
std::optional<std::chrono::nanoseconds>
longestWait(std::span<const uint8_t> memory, uint32_t offset, uint32_t count,
            std::chrono::steady_clock::time_point wasi_start) {
  const uint64_t end = uint64_t{offset} + uint64_t{count} * WasiPollGuard::kSubscriptionSize;
  if (count == 0 || end > memory.size()) {
    return std::nullopt;
  }
  std::optional<std::chrono::nanoseconds> earliest;
  const auto steady_now = std::chrono::steady_clock::now();
  const auto system_now = std::chrono::system_clock::now();
  for (uint64_t at = offset; at < end; at += WasiPollGuard::kSubscriptionSize) {
    const uint8_t *subscription = memory.data() + at;
    if (subscription[kTagOffset] != kTagClock) {
      return std::nullopt;
    }
    const auto clock = load<uint32_t>(subscription + kClockIdOffset);
    const auto timeout = load<uint64_t>(subscription + kTimeoutOffset);
    const bool absolute = (load<uint16_t>(subscription + kFlagsOffset) & kAbstime) != 0;
    uint64_t wait = timeout;
    if (absolute && clock == kClockMonotonic) {
      wait = timeout - std::min(timeout, nanosecondsSince(steady_now - wasi_start));
    } else if (absolute && clock == kClockRealtime) {
      wait = timeout - std::min(timeout, nanosecondsSince(system_now.time_since_epoch()));
    } else if (clock != kClockMonotonic && clock != kClockRealtime) {
      return std::nullopt; // WASI: EINVAL
    }
    const auto as_duration = saturatedNanoseconds(wait);
    earliest = earliest ? std::min(*earliest, as_duration) : as_duration;
  }
  return earliest;
}

bool sameMemory(const wasmtime_memory_t &a, const wasmtime_memory_t &b) {
  return std::memcmp(&a, &b, sizeof(a)) == 0;
}

} // namespace

WasiPollGuard::WasiPollGuard(wasmtime::Engine &engine) : engine_(engine), wasi_(engine) {
  auto linked = wasi_.define_wasi();
  if (!linked) {
    throw Error(ErrorKind::Link,
                "Failed defining WASI imports in linker: " + linked.err().message());
  }
}

void WasiPollGuard::install(wasmtime::Linker &linker) {
  wasm_valtype_vec_t params;
  wasm_valtype_vec_new_uninitialized(&params, 4);
  for (size_t i = 0; i < 4; ++i) {
    params.data[i] = wasm_valtype_new(WASM_I32);
  }
  wasm_valtype_vec_t results;
  wasm_valtype_vec_new_uninitialized(&results, 1);
  results.data[0] = wasm_valtype_new(WASM_I32);
  wasm_functype_t *type = wasm_functype_new(&params, &results); // takes both vectors
  wasmtime_linker_allow_shadowing(linker.capi(), true);
  wasmtime_error_t *error = wasmtime_linker_define_func_unchecked(
      linker.capi(), kWasiModule.data(), kWasiModule.size(), kPollOneoff.data(), kPollOneoff.size(),
      type, &WasiPollGuard::pollOneoff, this, nullptr);
  wasmtime_linker_allow_shadowing(linker.capi(), false);
  wasm_functype_delete(type);
  if (error != nullptr) {
    throw Error(ErrorKind::Link,
                "cannot guard WASI poll_oneoff: " + wasmtime::Error(error).message());
  }
}

void WasiPollGuard::attach(const wasmtime_context_t *context, PluginInstance *instance) {
  const std::lock_guard lock(mutex_);
  attached_[context] = Attached{instance, std::nullopt, {}};
}

void WasiPollGuard::detach(const wasmtime_context_t *context) {
  const std::lock_guard lock(mutex_);
  attached_.erase(context);
}

wasm_trap_t *WasiPollGuard::trampolineModule(const wasmtime::Module **module) {
  const std::lock_guard lock(mutex_);
  if (!trampoline_module_) {
    auto compiled = wasmtime::Module::compile(engine_, kTrampolineWat);
    if (!compiled) {
      const std::string message =
          "cannot compile the WASI poll_oneoff trampoline: " + compiled.err().message();
      return wasmtime_trap_new(message.data(), message.size());
    }
    trampoline_module_ = compiled.ok();
  }
  *module = &*trampoline_module_;
  return nullptr;
}

wasm_trap_t *WasiPollGuard::trampolineFor(wasmtime_context_t *context,
                                          const wasmtime_memory_t &memory,
                                          wasmtime_func_t *trampoline) {
  {
    const std::lock_guard lock(mutex_);
    auto found = attached_.find(context);
    if (found != attached_.end() && found->second.trampoline &&
        sameMemory(found->second.memory, memory)) {
      *trampoline = *found->second.trampoline;
      return nullptr;
    }
  }
  const wasmtime::Module *module = nullptr;
  if (wasm_trap_t *trap = trampolineModule(&module)) {
    return trap;
  }
  wasmtime_extern_t imports[2];
  if (!wasmtime_linker_get(wasi_.capi(), context, kWasiModule.data(), kWasiModule.size(),
                           kPollOneoff.data(), kPollOneoff.size(), &imports[0])) {
    return wasmtime_trap_new("WASI poll_oneoff is not defined", 31);
  }
  imports[1].kind = WASMTIME_EXTERN_MEMORY;
  imports[1].of.memory = memory;
  wasmtime_instance_t instance;
  wasm_trap_t *trap = nullptr;
  wasmtime_error_t *error =
      wasmtime_instance_new(context, module->capi(), imports, 2, &instance, &trap);
  if (error != nullptr) {
    // A memory the trampoline cannot import (64-bit, shared): WASI preview 1
    // cannot serve it either.
    const std::string message =
        "WASI poll_oneoff cannot use this memory: " + wasmtime::Error(error).message();
    return wasmtime_trap_new(message.data(), message.size());
  }
  if (trap != nullptr) {
    return trap;
  }
  wasmtime_extern_t exported;
  constexpr std::string_view kName = "poll_oneoff";
  if (!wasmtime_instance_export_get(context, &instance, kName.data(), kName.size(), &exported) ||
      exported.kind != WASMTIME_EXTERN_FUNC) {
    return wasmtime_trap_new("the WASI poll_oneoff trampoline has no function", 47);
  }
  *trampoline = exported.of.func;
  const std::lock_guard lock(mutex_);
  auto found = attached_.find(context);
  if (found != attached_.end()) {
    found->second.trampoline = *trampoline;
    found->second.memory = memory;
  }
  return nullptr;
}

wasm_trap_t *WasiPollGuard::pollOneoff(void *env, wasmtime_caller_t *caller,
                                       wasmtime_val_raw_t *args_and_results, size_t count) {
  auto &guard = *static_cast<WasiPollGuard *>(env);
  wasmtime_context_t *context = wasmtime_caller_context(caller);
  wasmtime_extern_t memory_export;
  constexpr std::string_view kMemory = "memory";
  if (!wasmtime_caller_export_get(caller, kMemory.data(), kMemory.size(), &memory_export) ||
      memory_export.kind != WASMTIME_EXTERN_MEMORY) {
    constexpr std::string_view kMissing = "missing required memory export"; // WASI's words
    return wasmtime_trap_new(kMissing.data(), kMissing.size());
  }
  const wasmtime_memory_t memory = memory_export.of.memory;
  PluginInstance *instance = nullptr;
  {
    const std::lock_guard lock(guard.mutex_);
    auto found = guard.attached_.find(context);
    instance = found != guard.attached_.end() ? found->second.instance : nullptr;
  }

  std::optional<PluginInstance::WaitBudget> budget;
  if (instance != nullptr) {
    const auto now = std::chrono::steady_clock::now();
    budget = instance->waitBudget(context, now);
    const std::span<const uint8_t> bytes(wasmtime_memory_data(context, &memory),
                                         wasmtime_memory_data_size(context, &memory));
    const auto wait = budget->limited
                          ? longestWait(bytes, static_cast<uint32_t>(args_and_results[0].i32),
                                        static_cast<uint32_t>(args_and_results[2].i32),
                                        instance->wasi_clock_start_)
                          : std::nullopt;
    if (wait && *wait > budget->allowed) {
      // Wait only for what the call has left, then stop it as its limit
      // would have: nothing blocks past the deadline.
      if (budget->allowed.count() > 0) {
        std::this_thread::sleep_until(now + budget->allowed);
      }
      if (budget->fuel_bound) {
        instance->chargeWait(context, budget->allowed);
        return wasmtime_trap_new_code(WASMTIME_TRAP_CODE_OUT_OF_FUEL);
      }
      return wasmtime_trap_new_code(WASMTIME_TRAP_CODE_INTERRUPT);
    }
  }

  wasmtime_func_t trampoline;
  if (wasm_trap_t *trap = guard.trampolineFor(context, memory, &trampoline)) {
    return trap;
  }
  const auto started = std::chrono::steady_clock::now();
  wasm_trap_t *trap = nullptr;
  wasmtime_error_t *error =
      wasmtime_func_call_unchecked(context, &trampoline, args_and_results, count, &trap);
  if (budget && budget->limited) {
    instance->chargeWait(context, std::chrono::steady_clock::now() - started);
  }
  if (error != nullptr) {
    return errorAsTrap(error);
  }
  return trap;
}

} // namespace wasmhost::detail
