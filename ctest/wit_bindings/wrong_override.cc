// A host implementation of interface `host` with a wrong signature:
// log-value takes an s32, this log_value an int64_t. It must not compile,
// and the compiler's error must name log_value (wit_bindings_test.cmake).
#include <cstdint>
#include <memory>
#include <string>

#include "plugin_bindings.hh"

namespace {

class WrongHost : public wasmhost::plugin::host::Host {
public:
  void log_value(int64_t value) override { last = value; }
  int32_t get_shared_value() override { return 42; }
  void set_shared_value(int32_t) override {}
  std::unique_ptr<wasmhost::plugin::host::Journal> new_journal(std::string) override {
    return nullptr;
  }
  int64_t last = 0;
};

} // namespace

void registerWrongHost(wasmhost::component::ComponentHost &host, WrongHost &impl) {
  wasmhost::plugin::host::add_to_linker(host, impl);
}
