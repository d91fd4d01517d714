#include "article_host.hh"

namespace wasmhost {

void HostState::hostLogValue(int32_t value) {
  logged_values.push_back(value);
  if (narration != nullptr) {
    *narration << "[Host Target] host_log_value called by WASM with value: " << value << std::endl;
  }
}

int32_t HostState::hostGetSharedValue() {
  values_read_by_guest.push_back(shared_host_value);
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

void defineArticleHostFunctions(WasmHost &host, HostState &state) {
  host.defineHostFunction("env", "host_log_value",
                          [&state](int32_t value) { state.hostLogValue(value); });
  host.defineHostFunction("env", "host_get_shared_value",
                          [&state]() { return state.hostGetSharedValue(); });
  host.defineHostFunction("env", "host_set_shared_value",
                          [&state](int32_t value) { state.hostSetSharedValue(value); });
  // The import behind the guest's quiet `bench_call_host` export.
  host.defineHostFunction("env", "host_bench_echo", [](int32_t value) { return value; });
}

} // namespace wasmhost
