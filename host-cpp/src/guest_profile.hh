// The guest profiler of one `PluginInstance` (`Profiler::Guest`): private to
// the library.
#ifndef WASMHOST_SRC_GUEST_PROFILE_HH
#define WASMHOST_SRC_GUEST_PROFILE_HH

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <wasmtime.hh>

// `wasmtime_guestprofiler_t`, declared by Wasmtime only with its `profiling`
// feature.
struct wasmtime_guestprofiler;

namespace wasmhost::detail {

/// Wasmtime's guest profiler (`wasmtime_guestprofiler_*`) for one instance.
/// Its instance samples it from the store's epoch deadline callback: at each
/// entry into the guest (`enter` sets the epoch deadline to now, so the
/// callback runs at the guest's first epoch check, in its first function),
/// on every epoch tick while the guest runs, and when the guest returns (a
/// sample with no guest frame, which ends the call in the timeline).
/// Thread-safety: its instance's.
class GuestProfile {
public:
  /// Profiles `module` of `engine` under the name `name` (made valid UTF-8),
  /// samples announced every `interval`. Throws `Error` (`Unsupported`)
  /// without Wasmtime's `profiling` feature.
  GuestProfile(const wasmtime::Engine &engine, const wasmtime::Module &module,
               std::string_view name, std::chrono::nanoseconds interval);
  ~GuestProfile();
  GuestProfile(const GuestProfile &) = delete;
  GuestProfile &operator=(const GuestProfile &) = delete;

  /// Before an entry into the guest: asks for a sample at the guest's first
  /// epoch check.
  void enter(wasmtime::Store::Context context);
  /// One sample of `store`'s guest stack (none once finished).
  void sample(const wasmtime_store_t *store);

  [[nodiscard]] bool finished() const { return profiler_ == nullptr; }
  [[nodiscard]] uint64_t samples() const { return samples_; }
  /// Ends profiling and returns the Firefox Profiler JSON. Throws
  /// `std::logic_error` when already finished, `Error` (`Io`) when Wasmtime
  /// cannot write it. Later calls are not sampled (the time limit still holds).
  std::vector<uint8_t> finish();

private:
  ::wasmtime_guestprofiler *profiler_ = nullptr; ///< null once finished
  std::chrono::steady_clock::time_point last_sample_;
  uint64_t samples_ = 0;
};

/// `text` with every byte that is not part of valid UTF-8 replaced by '?'.
std::string validUtf8(std::string_view text);

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_GUEST_PROFILE_HH
