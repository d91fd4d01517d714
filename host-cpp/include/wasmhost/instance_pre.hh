/**
 * \file wasmhost/instance_pre.hh
 * `InstancePre`: a module whose imports a `Linker` has already resolved and
 * type-checked, ready to be instantiated cheaply in any number of stores, on
 * any thread. The C++ API of Wasmtime 48 has no wrapper for the C API's
 * `wasmtime_instance_pre_t`; this is one. Thread-safety: immutable; any thread
 * may instantiate it, each into its own store.
 */
#ifndef WASMHOST_INSTANCE_PRE_HH
#define WASMHOST_INSTANCE_PRE_HH

#include <memory>
#include <string>

#include <wasmtime.hh>

#include "wasmhost/errors.hh"

namespace wasmhost {

class InstancePre {
public:
  /// Resolves every import of `module` in `linker` once. Throws `Error`
  /// (`Link`) naming the problem (an unknown import, a type mismatch). The
  /// linker's host functions are shared by every instance, and must outlive
  /// it. `name` names the module in error messages (its file).
  InstancePre(wasmtime::Linker &linker, const wasmtime::Engine &engine,
              const wasmtime::Module &module, std::string name = "<module>")
      : engine_(engine), module_(module), name_(std::move(name)) {
    wasmtime_instance_pre_t *raw = nullptr;
    wasmtime_error_t *error = wasmtime_linker_instantiate_pre(linker.capi(), module_.capi(), &raw);
    if (error != nullptr) {
      wasmtime::Error failure(error);
      throw Error(classify(failure, ErrorKind::Link),
                  "Module pre-instantiation failed: '" + name_ + "': " + failure.message());
    }
    pre_.reset(raw);
  }

  /// Instantiates in the store of `context` (which must belong to `engine()`)
  /// and runs the start function, if any. An `Error` for a failure to
  /// instantiate, a `Trap` when the start function traps.
  wasmtime::TrapResult<wasmtime::Instance> instantiate(wasmtime::Store::Context context) const {
    wasmtime_instance_t instance;
    wasm_trap_t *trap = nullptr;
    wasmtime_error_t *error =
        wasmtime_instance_pre_instantiate(pre_.get(), context.capi(), &instance, &trap);
    if (error != nullptr) {
      return wasmtime::TrapError(wasmtime::Error(error));
    }
    if (trap != nullptr) {
      return wasmtime::TrapError(wasmtime::Trap(trap));
    }
    return wasmtime::Instance(instance);
  }

  [[nodiscard]] const wasmtime::Engine &engine() const { return engine_; }
  [[nodiscard]] const wasmtime::Module &module() const { return module_; }
  [[nodiscard]] const std::string &name() const { return name_; }

private:
  struct Deleter {
    void operator()(wasmtime_instance_pre_t *pre) const { wasmtime_instance_pre_delete(pre); }
  };

  wasmtime::Engine engine_;
  wasmtime::Module module_;
  std::string name_;
  std::unique_ptr<wasmtime_instance_pre_t, Deleter> pre_;
};

} // namespace wasmhost

#endif // WASMHOST_INSTANCE_PRE_HH
