#include "wasi_poll_guard.hh"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

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

/// Whether the `count` events WASI writes at `out` would overlap a timeout
/// field of the `count` subscriptions at `offset` (WASI writes the events
/// after reading the subscriptions: restoring the timeouts would clobber
/// them).
bool eventsOverlapTimeouts(uint32_t offset, uint32_t out, uint32_t count) {
  constexpr uint64_t kEventSize = 32;
  const uint64_t events_end = uint64_t{out} + uint64_t{count} * kEventSize;
  for (uint64_t index = 0; index < count; ++index) {
    const uint64_t field = offset + index * WasiPollGuard::kSubscriptionSize + kTimeoutOffset;
    if (field < events_end && out < field + sizeof(uint64_t)) {
      return true;
    }
  }
  return false;
}

/// Rewrites, after an interruptible wait of `waited`, each relative clock of
/// the `count` subscriptions at `offset` (inside `memory`) to what is left of
/// it, so that WASI's `poll_oneoff` does not wait that time again; returns
/// the original timeouts, for `restoreTimeouts`.
std::vector<uint64_t> shortenRelativeClocks(std::span<uint8_t> memory, uint32_t offset,
                                            uint32_t count, std::chrono::nanoseconds waited) {
  std::vector<uint64_t> originals;
  originals.reserve(count);
  const auto waited_ns = nanosecondsSince(waited);
  for (uint64_t index = 0; index < count; ++index) {
    uint8_t *subscription = memory.data() + offset + index * WasiPollGuard::kSubscriptionSize;
    const auto timeout = load<uint64_t>(subscription + kTimeoutOffset);
    originals.push_back(timeout);
    if ((load<uint16_t>(subscription + kFlagsOffset) & kAbstime) == 0) {
      const uint64_t left = timeout - std::min(timeout, waited_ns);
      std::memcpy(subscription + kTimeoutOffset, &left, sizeof(left));
    }
  }
  return originals;
}

void restoreTimeouts(std::span<uint8_t> memory, uint32_t offset,
                     const std::vector<uint64_t> &originals) {
  for (uint64_t index = 0; index < originals.size(); ++index) {
    std::memcpy(memory.data() + offset + index * WasiPollGuard::kSubscriptionSize + kTimeoutOffset,
                &originals[index], sizeof(uint64_t));
  }
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
  // Set after an interruptible wait for the earliest clock: the timeouts to
  // put back once WASI's poll_oneoff has seen the shortened ones.
  std::optional<std::vector<uint64_t>> shortened;
  const auto subscriptions = static_cast<uint32_t>(args_and_results[0].i32);
  const auto events = static_cast<uint32_t>(args_and_results[1].i32);
  const auto subscription_count = static_cast<uint32_t>(args_and_results[2].i32);
  const std::span<uint8_t> bytes(wasmtime_memory_data(context, &memory),
                                 wasmtime_memory_data_size(context, &memory));
  if (instance != nullptr) {
    // A call cancelled through a `CancelHandle` (`PluginInstance::cancel_`)
    // never waits: a pending cancel traps at once, one that comes while the
    // guest sleeps wakes it.
    CancelState *cancel = instance->cancel_.get();
    if (cancel != nullptr && cancel->currentCallCancelled()) {
      return cancelledTrap();
    }
    const auto now = std::chrono::steady_clock::now();
    budget = instance->waitBudget(context, now);
    const auto wait =
        budget->limited || cancel != nullptr
            ? longestWait(bytes, subscriptions, subscription_count, instance->wasi_clock_start_)
            : std::nullopt;
    /// Sleeps until `deadline`, woken by a cancel: true when cancelled.
    const auto sleep_until = [&](std::chrono::steady_clock::time_point deadline) {
      if (cancel != nullptr) {
        const bool cancelled = cancel->waitUntil(deadline);
        if (cancelled) {
          instance->chargeWait(context, std::chrono::steady_clock::now() - now);
        }
        return cancelled;
      }
      std::this_thread::sleep_until(deadline);
      return false;
    };
    if (wait && budget->limited && *wait > budget->allowed) {
      // Wait only for what the call has left, then stop it as its limit
      // would have: nothing blocks past the deadline.
      if (budget->allowed.count() > 0 && sleep_until(now + budget->allowed)) {
        return cancelledTrap();
      }
      if (budget->fuel_bound) {
        instance->chargeWait(context, budget->allowed);
        return wasmtime_trap_new_code(WASMTIME_TRAP_CODE_OUT_OF_FUEL);
      }
      return wasmtime_trap_new_code(WASMTIME_TRAP_CODE_INTERRUPT);
    }
    if (wait && cancel != nullptr && wait->count() > 0 &&
        !eventsOverlapTimeouts(subscriptions, events, subscription_count)) {
      // Wait for the earliest clock here, where a cancel wakes the guest,
      // then let WASI's poll_oneoff report the clocks due, each relative one
      // shortened by the time waited: the events are WASI's own. (When the
      // events would overlap the timeouts, WASI waits itself, and a cancel
      // ends the call at its next epoch check after the sleep.)
      if (sleep_until(now + *wait)) {
        return cancelledTrap();
      }
      const auto waited = std::chrono::steady_clock::now() - now;
      instance->chargeWait(context, waited);
      shortened = shortenRelativeClocks(bytes, subscriptions, subscription_count, waited);
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
  if (shortened) {
    restoreTimeouts(bytes, subscriptions, *shortened);
  }
  if (budget && budget->limited) {
    instance->chargeWait(context, std::chrono::steady_clock::now() - started);
  }
  if (error != nullptr) {
    return errorAsTrap(error);
  }
  return trap;
}

} // namespace wasmhost::detail
