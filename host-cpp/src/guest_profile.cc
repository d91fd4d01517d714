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

uint64_t nanosecondsBetween(std::chrono::steady_clock::time_point from,
                            std::chrono::steady_clock::time_point to) {
  const auto delta = std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
  return delta > 0 ? static_cast<uint64_t>(delta) : 0;
}

} // namespace

GuestProfile::GuestProfile(const wasmtime::Engine &engine, const wasmtime::Module &module,
                           std::string_view name, std::chrono::nanoseconds interval) {
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

void GuestProfile::enter(wasmtime::Store::Context context) {
  last_sample_ = std::chrono::steady_clock::now();
  // Due at once: the callback samples at the guest's first epoch check.
  context.set_epoch_deadline(0);
}

void GuestProfile::sample(const wasmtime_store_t *store) {
  const auto now = std::chrono::steady_clock::now();
  if (profiler_ != nullptr) {
    wasmtime_guestprofiler_sample(profiler_, store, nanosecondsBetween(last_sample_, now));
    ++samples_;
  }
  last_sample_ = now;
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
                           std::chrono::nanoseconds) {
  throw Error(ErrorKind::Unsupported,
              "the guest profiler is not available: this Wasmtime was built without its cargo "
              "feature 'profiling'");
}
GuestProfile::~GuestProfile() = default;
void GuestProfile::enter(wasmtime::Store::Context) {}
void GuestProfile::sample(const wasmtime_store_t *) {}
std::vector<uint8_t> GuestProfile::finish() {
  throw std::logic_error("the guest profile is already finished");
}

#endif

} // namespace wasmhost::detail
