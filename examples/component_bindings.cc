// A component (world wasmhost:plugin@0.1.0, wit/plugin.wit) through the C++
// bindings generated from its WIT at build time (wasmhost_wit_bindings() in
// examples/CMakeLists.txt): the host interface implemented by overriding the
// generated abstract class, the exports called as typed methods.
#include <cstdint>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "plugin_bindings.hh"

namespace {

struct Journal : wasmhost::plugin::host::Journal {
  void append(std::string line) override { lines.push_back(std::move(line)); }
  uint32_t len() override { return static_cast<uint32_t>(lines.size()); }
  std::vector<std::string> lines;
};

struct MyHost : wasmhost::plugin::host::Host {
  void log_value(int32_t value) override { std::cout << "guest logged " << value << "\n"; }
  int32_t get_shared_value() override { return shared; }
  void set_shared_value(int32_t value) override { shared = value; }
  std::unique_ptr<wasmhost::plugin::host::Journal> new_journal(std::string) override {
    return std::make_unique<Journal>();
  }
  int32_t shared = 42;
};

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: example-component-bindings guest-component.wasm\n";
    return 2;
  }
  try {
    MyHost impl;
    wasmhost::component::ComponentHost host(argv[1]);
    // Every import, from impl's overrides (one missing or mistyped: a compile error).
    wasmhost::plugin::host::add_to_linker(host, impl);
    host.instantiate();
    const wasmhost::plugin::Plugin plugin(host);
    std::cout << "just_add(15, 27) = " << plugin.just_add(15, 27) << "\n";
    const wasmhost::plugin::Point sum = plugin.point_add({100, 200}, {30, 70});
    std::cout << "point_add = {" << sum.x << ", " << sum.y << "}\n";
    plugin.trigger_host_calls(7);
    std::cout << "shared value = " << impl.shared << "\n";
    std::cout << "fill_journal = " << plugin.fill_journal("notes", {"a", "b"}) << "\n";
    wasmhost::plugin::counters::Counter counter = plugin.counters().new_counter(10);
    std::cout << "counter.increment(5) = " << counter.increment(5) << "\n";
  } catch (const std::exception &error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
