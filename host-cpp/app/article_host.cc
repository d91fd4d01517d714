#include "article_host.hh"

#include <algorithm>

namespace wasmhost::app {

void RecentValues::push(int32_t value) {
  ring_[count_ % kWindow] = value;
  ++count_;
}

std::vector<int32_t> RecentValues::since(uint64_t count) const {
  const uint64_t first = std::max(count, count_ > kWindow ? count_ - kWindow : uint64_t{0});
  std::vector<int32_t> values;
  for (uint64_t i = first; i < count_; ++i) {
    values.push_back(ring_[i % kWindow]);
  }
  return values;
}

void HostState::hostLogValue(int32_t value) {
  logged_values.push(value);
  if (narration != nullptr) {
    *narration << "[Host Target] host_log_value called by WASM with value: " << value << std::endl;
  }
}

int32_t HostState::hostGetSharedValue() {
  values_read_by_guest.push(shared_host_value);
  if (narration != nullptr) {
    *narration << "[Host Target] host_get_shared_value called by WASM. Returning: "
               << shared_host_value << std::endl;
  }
  return shared_host_value;
}

void HostState::hostSetSharedValue(int32_t new_value) {
  if (narration != nullptr) {
    *narration << "[Host Target] host_set_shared_value called by WASM. Old host value: "
               << shared_host_value << ", New host value: " << new_value << std::endl;
  }
  shared_host_value = new_value;
}

namespace {

/// Defines the three imports; `state_of(caller)` finds the `HostState`.
template <typename StateOf> void defineEnvImports(WasmHost &host, StateOf state_of) {
  host.defineHostFunction(
      "env", "host_log_value",
      [state_of](wasmtime::Caller caller, int32_t value) { state_of(caller).hostLogValue(value); });
  host.defineHostFunction("env", "host_get_shared_value", [state_of](wasmtime::Caller caller) {
    return state_of(caller).hostGetSharedValue();
  });
  host.defineHostFunction("env", "host_set_shared_value",
                          [state_of](wasmtime::Caller caller, int32_t value) {
                            state_of(caller).hostSetSharedValue(value);
                          });
  // The import behind the guest's quiet `bench_call_host` export.
  host.defineHostFunction("env", "host_bench_echo", [](int32_t value) { return value; });
}

} // namespace

void defineArticleHostFunctions(WasmHost &host, HostState &state) {
  defineEnvImports(host, [&state](wasmtime::Caller &) -> HostState & { return state; });
}

void definePerStoreArticleHostFunctions(WasmHost &host) {
  defineEnvImports(host, [](wasmtime::Caller &caller) -> HostState & {
    return WasmHost::storeData<HostState>(caller);
  });
}

} // namespace wasmhost::app
