// One compiled and linked `Plugin`, many `PluginInstance`s on several threads:
// each instance has its own store, WASI context, memory and host state, which
// the shared host functions find through their store.
//
// Usage: example-plugin-instances guest.wasm
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>

#include "wasmhost/plugin.hh"
#include "wasmhost/plugin_instance.hh"

namespace {
struct HostState {
  int32_t shared_value = 42;
};
} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s guest.wasm\n", argv[0]);
    return 2;
  }
  wasmhost::WasmHostOptions options;
  options.guest_stdout = false;
  auto plugin = std::make_shared<wasmhost::Plugin>(argv[1], options); // engine + module
  plugin->linkWasi();
  using wasmhost::PluginInstance;
  plugin->defineHostFunction("env", "host_log_value", [](int32_t) {});
  plugin->defineHostFunction("env", "host_get_shared_value", [](wasmtime::Caller caller) {
    return PluginInstance::storeData<HostState>(caller).shared_value;
  });
  plugin->defineHostFunction("env", "host_set_shared_value",
                             [](wasmtime::Caller caller, int32_t value) {
                               PluginInstance::storeData<HostState>(caller).shared_value = value;
                             });
  plugin->prepare(); // imports resolved once; immutable from here on

  std::vector<HostState> states(4);
  std::vector<std::thread> threads;
  for (int32_t i = 0; i < 4; ++i) {
    threads.emplace_back([&plugin, &states, i] {
      PluginInstance instance(plugin); // its own store, on this thread only
      instance.setStoreData(&states[i]);
      instance.initialize();
      instance.callFunctionVoid("trigger_host_calls", std::make_tuple(i)).unwrap();
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  for (int32_t i = 0; i < 4; ++i) { // trigger_host_calls(i) sets 42 + i + 5
    std::cout << "instance " << i << ": host value " << states[i].shared_value << "\n";
  }
  return 0;
}
