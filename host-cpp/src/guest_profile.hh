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

/// Wasmtime's guest profiler (`wasmtime_guestprofiler_*`) for one instance,
/// and the epoch callback that samples it. Samples are taken at each entry
/// into the guest (the entry sets the epoch deadline to now, so the
/// callback runs at the guest's first epoch check, in its first function),
/// on every epoch tick while the guest runs, and when the guest returns (a
/// sample with no guest frame, which ends the call in the timeline). While
/// profiling, the time limit is checked by that callback: past it, the call
/// fails with `kProfiledInterruptMessage`. Thread-safety: its instance's.
class GuestProfile {
public:
  /// Profiles `module` of `engine` under the name `name` (made valid UTF-8),
  /// samples announced every `interval`. Throws `Error` (`Unsupported`)
  /// without Wasmtime's `profiling` feature.
  GuestProfile(const wasmtime::Engine &engine, const wasmtime::Module &module,
               std::string_view name, uint64_t timeout_ms, std::chrono::nanoseconds interval);
  ~GuestProfile();
  GuestProfile(const GuestProfile &) = delete;
  GuestProfile &operator=(const GuestProfile &) = delete;

  /// Registers the epoch callback on `store` (each new store of the instance).
  void attach(wasmtime::Store &store);
  /// Before an entry into the guest: starts the call's time limit and asks
  /// for a sample at the guest's first epoch check.
  void enter(wasmtime::Store::Context context);
  /// After the guest returned: the closing sample.
  void leave();

  [[nodiscard]] bool finished() const { return profiler_ == nullptr; }
  [[nodiscard]] uint64_t samples() const { return samples_; }
  /// Ends profiling and returns the Firefox Profiler JSON. Throws
  /// `std::logic_error` when already finished, `Error` (`Io`) when Wasmtime
  /// cannot write it. Later calls are not sampled (the time limit still holds).
  std::vector<uint8_t> finish();

private:
  void sample();
  static wasmtime_error_t *onEpoch(wasmtime_context_t *context, void *data, uint64_t *delta,
                                   wasmtime_update_deadline_kind_t *kind);

  ::wasmtime_guestprofiler *profiler_ = nullptr; ///< null once finished
  const wasmtime_store_t *store_ = nullptr;
  uint64_t timeout_ms_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::time_point last_sample_;
  uint64_t samples_ = 0;
};

/// How a call interrupted by the time limit while profiling ends its
/// message (Wasmtime's own interrupt has a trap code instead, but an epoch
/// callback can only fail with an error); `trapKind` calls it "interrupt".
inline constexpr std::string_view kProfiledInterruptMessage =
    "wasm trap: interrupt (time limit reached, checked by the guest profiler's epoch callback)";

/// `text` with every byte that is not part of valid UTF-8 replaced by '?'.
std::string validUtf8(std::string_view text);

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_GUEST_PROFILE_HH
