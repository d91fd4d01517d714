// `plugin_host guest-component.wasm`: the world wasmhost:plugin through the
// bindings this project generated with wasmhost_wit_bindings().
#include <cstdint>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include "plugin_bindings.hh"

namespace {

namespace plugin = wasmhost::plugin;

class Lines : public plugin::host::Journal {
public:
  void append(std::string) override { ++count_; }
  uint32_t len() override { return count_; }

private:
  uint32_t count_ = 0;
};

class Host : public plugin::host::Host {
public:
  void log_value(int32_t value) override { std::cout << "log-value " << value << "\n"; }
  int32_t get_shared_value() override { return shared_; }
  void set_shared_value(int32_t value) override { shared_ = value; }
  std::unique_ptr<plugin::host::Journal> new_journal(std::string) override {
    return std::make_unique<Lines>();
  }
  int32_t shared() const { return shared_; }

private:
  int32_t shared_ = 42;
};

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: plugin_host guest-component.wasm\n";
    return 2;
  }
  try {
    wasmhost::WasmHostOptions options;
    options.narration = nullptr;
    options.guest_stdout = false;
    wasmhost::component::ComponentHost component(argv[1], options);
    Host host;
    plugin::host::add_to_linker(component, host);
    component.instantiate();
    const plugin::Plugin guest(component);
    std::cout << "just_add(15, 27) = " << guest.just_add(15, 27) << "\n";
    guest.trigger_host_calls(7);
    std::cout << "shared value " << host.shared() << "\n";
    const plugin::Point sum = guest.point_add({100, 200}, {30, 70});
    std::cout << "point_add = {" << sum.x << ", " << sum.y << "}\n";
    std::cout << "fill_journal = " << guest.fill_journal("notes", {"a", "b", "c"}) << "\n";
    std::cout << "counter " << guest.counters().new_counter(10).increment(5) << "\n";
  } catch (const std::exception &error) {
    std::cerr << "plugin_host: error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
