/**
 * \file article_host.hh
 * The host side of the article's example: the host state and the three
 * functions the guest imports from module `env`.
 */
#ifndef WASMHOST_APP_ARTICLE_HOST_HH
#define WASMHOST_APP_ARTICLE_HOST_HH

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

#include "wasmhost/wasm_host.hh"

namespace wasmhost::app {

/// State the guest reads and changes through its `env` imports. Each
/// `WasmHost` gets its own, so instances never share it.
struct HostState {
  /// How many values each record keeps: past it the host function throws
  /// (a trap for the guest), so a guest cannot grow host memory without end.
  static constexpr size_t kMaxRecordedValues = 65536;

  int32_t shared_host_value = 42;
  /// Every value the guest passed to `host_log_value`, in order.
  std::vector<int32_t> logged_values;
  /// Every value `host_get_shared_value` returned to the guest, in order.
  std::vector<int32_t> values_read_by_guest;
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
