/**
 * \file article_host.hh
 * The host side of the article's example: the host state and the three
 * functions the guest imports from module `env`.
 */
#ifndef WASMHOST_APP_ARTICLE_HOST_HH
#define WASMHOST_APP_ARTICLE_HOST_HH

#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

#include "wasmhost/wasm_host.hh"

namespace wasmhost::app {

/// A record of values in fixed memory: how many there were in all, and the
/// last `kWindow` of them. A guest may call a host function any number of
/// times over the life of a plugin; the record never grows and never refuses.
/// Thread-safety: none (one per store, like `HostState`).
class RecentValues {
public:
  /// How many of the latest values are kept.
  static constexpr size_t kWindow = 64;

  void push(int32_t value);
  /// How many values were pushed in all (also those no longer kept).
  [[nodiscard]] uint64_t count() const { return count_; }
  /// The values pushed after the first `count` ones, oldest first, of which
  /// at most the last `kWindow` are kept: compared with an expected list of
  /// fewer than `kWindow` values, it is equal exactly when those values and
  /// no others were pushed since.
  [[nodiscard]] std::vector<int32_t> since(uint64_t count) const;
  /// The kept values, oldest first (`since(0)`).
  [[nodiscard]] std::vector<int32_t> recent() const { return since(0); }

private:
  std::array<int32_t, kWindow> ring_{};
  uint64_t count_ = 0;
};

/// State the guest reads and changes through its `env` imports. Each
/// `WasmHost` gets its own, so instances never share it. Its memory is fixed:
/// the records keep counters and a window of recent values.
struct HostState {
  int32_t shared_host_value = 42;
  /// The values the guest passed to `host_log_value`.
  RecentValues logged_values;
  /// The values `host_get_shared_value` returned to the guest.
  RecentValues values_read_by_guest;
  /// Where `[Host Target]` lines go; null: silent.
  std::ostream *narration = nullptr;

  void hostLogValue(int32_t value);
  int32_t hostGetSharedValue();
  void hostSetSharedValue(int32_t new_value);
};

/// Registers `env::host_log_value`, `env::host_get_shared_value` and
/// `env::host_set_shared_value`, bound to `state`, which must outlive `host`,
/// and `env::host_bench_echo` (returns its argument), which the guest's quiet
/// benchmark export `bench_call_host` calls.
void defineArticleHostFunctions(WasmHost &host, HostState &state);

/// The same functions for many instances (`WasmHost::prepareInstances`): each
/// call uses the `HostState` attached to the caller's store with
/// `WasmHost::setStoreData`, so instances never share it.
void definePerStoreArticleHostFunctions(WasmHost &host);

} // namespace wasmhost::app

#endif // WASMHOST_APP_ARTICLE_HOST_HH
