#include "guest_profile.hh"

#include <limits>
#include <stdexcept>

#include "wasmhost/errors.hh"
#include "wasmhost/guest_buffer.hh"

namespace wasmhost::detail {

std::string validUtf8(std::string_view text) {
  std::string result(text);
  if (!isValidUtf8(result)) {
    for (char &c : result) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        c = '?';
      }
    }
  }
  return result;
}

#ifdef WASMTIME_FEATURE_PROFILING

namespace {

/// `now + milliseconds`, saturated instead of overflowing the clock.
std::chrono::steady_clock::time_point deadlineAfter(std::chrono::steady_clock::time_point now,
                                                    uint64_t milliseconds) {
  using Clock = std::chrono::steady_clock;
  const auto room =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now);
  if (milliseconds >= static_cast<uint64_t>(room.count())) {
    return Clock::time_point::max();
  }
  return now + std::chrono::milliseconds(milliseconds);
}

uint64_t nanosecondsBetween(std::chrono::steady_clock::time_point from,
                            std::chrono::steady_clock::time_point to) {
  const auto delta = std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
  return delta > 0 ? static_cast<uint64_t>(delta) : 0;
}

} // namespace

GuestProfile::GuestProfile(const wasmtime::Engine &engine, const wasmtime::Module &module,
                           std::string_view name, uint64_t timeout_ms,
                           std::chrono::nanoseconds interval)
    : timeout_ms_(timeout_ms) {
  // The C API takes the names as UTF-8 and aborts on anything else.
  const std::string utf8_name = validUtf8(name);
  wasm_name_t profile_name;
  wasm_name_new(&profile_name, utf8_name.size(), utf8_name.data());
  const wasmtime_guestprofiler_modules_t modules{&profile_name, module.capi()};
  profiler_ = wasmtime_guestprofiler_new(engine.capi(), &profile_name,
                                         static_cast<uint64_t>(interval.count()), &modules, 1);
  wasm_name_delete(&profile_name);
  last_sample_ = std::chrono::steady_clock::now();
}

GuestProfile::~GuestProfile() {
  if (profiler_ != nullptr) {
    wasmtime_guestprofiler_delete(profiler_);
  }
}

void GuestProfile::attach(wasmtime::Store &store) {
  store_ = store.capi();
  wasmtime_store_epoch_deadline_callback(store.capi(), &GuestProfile::onEpoch, this, nullptr);
}

void GuestProfile::enter(wasmtime::Store::Context context) {
  const auto now = std::chrono::steady_clock::now();
  deadline_ = timeout_ms_ > 0 ? deadlineAfter(now, timeout_ms_)
                              : std::chrono::steady_clock::time_point::max();
  last_sample_ = now;
  // Due at once: the callback samples at the guest's first epoch check.
  context.set_epoch_deadline(0);
}

void GuestProfile::leave() { sample(); }

void GuestProfile::sample() {
  const auto now = std::chrono::steady_clock::now();
  if (profiler_ != nullptr && store_ != nullptr) {
    wasmtime_guestprofiler_sample(profiler_, store_, nanosecondsBetween(last_sample_, now));
    ++samples_;
  }
  last_sample_ = now;
}

wasmtime_error_t *GuestProfile::onEpoch(wasmtime_context_t *, void *data, uint64_t *delta,
                                        wasmtime_update_deadline_kind_t *kind) {
  auto *profile = static_cast<GuestProfile *>(data);
  profile->sample();
  if (std::chrono::steady_clock::now() >= profile->deadline_) {
    return wasmtime_error_new(std::string(kProfiledInterruptMessage).c_str());
  }
  *delta = 1; // the next tick
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return nullptr;
}

std::vector<uint8_t> GuestProfile::finish() {
  if (profiler_ == nullptr) {
    throw std::logic_error("the guest profile is already finished");
  }
  wasm_byte_vec_t out;
  // Takes the profiler, even when it fails.
  wasmtime_error_t *error = wasmtime_guestprofiler_finish(std::exchange(profiler_, nullptr), &out);
  if (error != nullptr) {
    throw Error(ErrorKind::Io,
                "cannot write the guest profile: " + wasmtime::Error(error).message());
  }
  std::vector<uint8_t> bytes(reinterpret_cast<const uint8_t *>(out.data),
                             reinterpret_cast<const uint8_t *>(out.data) + out.size);
  wasm_byte_vec_delete(&out);
  return bytes;
}

#else // Wasmtime without its `profiling` feature: `checkEngineOptions` refuses.

GuestProfile::GuestProfile(const wasmtime::Engine &, const wasmtime::Module &, std::string_view,
                           uint64_t timeout_ms, std::chrono::nanoseconds)
    : timeout_ms_(timeout_ms) {
  throw Error(ErrorKind::Unsupported,
              "the guest profiler is not available: this Wasmtime was built without its cargo "
              "feature 'profiling'");
}
GuestProfile::~GuestProfile() = default;
void GuestProfile::attach(wasmtime::Store &) {}
void GuestProfile::enter(wasmtime::Store::Context) {}
void GuestProfile::leave() {}
void GuestProfile::sample() {}
wasmtime_error_t *GuestProfile::onEpoch(wasmtime_context_t *, void *, uint64_t *,
                                        wasmtime_update_deadline_kind_t *) {
  return nullptr;
}
std::vector<uint8_t> GuestProfile::finish() {
  throw std::logic_error("the guest profile is already finished");
}

#endif

} // namespace wasmhost::detail
