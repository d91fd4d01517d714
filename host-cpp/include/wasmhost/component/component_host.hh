/**
 * \file wasmhost/component/component_host.hh
 * `ComponentHost`: one Component Model component (a WIT world) with
 * Wasmtime, next to the core-module `WasmHost`: compiled through the same
 * checked module cache, with WASIp2, the same time, fuel and memory limits,
 * and typed access. Host functions and host resources are defined from C++
 * callables and classes; their C++ types are compared with the component's
 * imports before it is instantiated, and typed exports with its exports when
 * they are looked up: a mismatch is an `Error` (`Signature`) naming the
 * function and both types.
 */
#ifndef WASMHOST_COMPONENT_COMPONENT_HOST_HH
#define WASMHOST_COMPONENT_COMPONENT_HOST_HH

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <wasmtime.hh>
#include <wasmtime/component.hh>

#include "wasmhost/call_stats.hh"
#include "wasmhost/cancel_handle.hh"
#include "wasmhost/component/resource.hh"
#include "wasmhost/component/wit.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/module_cache.hh"
#include "wasmhost/options.hh"

namespace wasmhost::runtime::detail {
class GuestLog;
}

namespace wasmhost {
namespace detail {
class EpochTicker;
class CancelState;
} // namespace detail

namespace component {

class ComponentHost;

namespace detail {

/// The signature `R(Args...)` of a callable (a lambda, a function pointer).
template <typename F> struct CallableSignature : CallableSignature<decltype(&F::operator())> {};
template <typename R, typename... A> struct CallableSignature<R (*)(A...)> {
  using type = R(A...);
};
template <typename C, typename R, typename... A> struct CallableSignature<R (C::*)(A...) const> {
  using type = R(A...);
};
template <typename C, typename R, typename... A> struct CallableSignature<R (C::*)(A...)> {
  using type = R(A...);
};

/// A C++ function type as WIT spells it: `func(u64, u64) -> u64`.
template <typename R, typename... A> std::string funcName() {
  std::string spelled = "func(";
  size_t index = 0;
  ((spelled += (index++ == 0 ? "" : ", ") + Wit<std::remove_cvref_t<A>>::name()), ...);
  spelled += ")";
  if constexpr (!std::is_void_v<R>) {
    spelled += " -> " + Wit<R>::name();
  }
  return spelled;
}

/// Whether the component's function type `type` is `R(A...)`.
template <typename R, typename... A> bool funcMatches(const wc::FuncType &type) {
  if (type.param_count() != sizeof...(A)) {
    return false;
  }
  [[maybe_unused]] size_t index = 0;
  const bool params = ([&] {
    auto nth = type.param_nth(index++);
    return nth && Wit<std::remove_cvref_t<A>>::matches(nth->second);
  }() && ...);
  if (!params) {
    return false;
  }
  const auto result = type.result();
  if constexpr (std::is_void_v<R>) {
    return !result.has_value();
  } else {
    return result && Wit<R>::matches(*result);
  }
}

/// A host function of a linker: how to check its type against the
/// component's import, and how to add it to the linker instance.
struct HostDefinition {
  std::string interface; ///< "" for a function of the world itself
  std::string name;      ///< "log-value", "[constructor]journal", "[method]journal.append"
  std::string cpp_type;  ///< what the C++ side is, as WIT spells it
  std::function<bool(const wc::FuncType &)> matches;
  /// Adds it to `instance`. The callable it adds keeps what it needs.
  std::function<wasmtime::Result<std::monostate>(wc::LinkerInstance &)> add;
  /// For a host resource: its type id (the definition is the resource's
  /// own, not a function, when `name` has no '[').
  std::optional<uint32_t> resource_type;
};

/// A host function's arguments lifted from `args`, or the lift's error.
template <typename... A, size_t... I>
std::tuple<std::remove_cvref_t<A>...> liftArgs([[maybe_unused]] wasmtime::Span<wc::Val> args,
                                               std::index_sequence<I...> /*indices*/) {
  return std::tuple<std::remove_cvref_t<A>...>(Wit<std::remove_cvref_t<A>>::lift(args[I])...);
}

/// Runs `body`, turning an exception into the error a host function returns
/// (the guest's call then fails with it).
wasmtime::Result<std::monostate> guardHostCall(std::string_view name,
                                               const std::function<void()> &body);

/// The live objects of one host resource type in one store: handles (reps)
/// to C++ objects, at most `max_live` at a time.
template <typename T> class HostTable {
public:
  explicit HostTable(size_t max_live) : max_live_(max_live) {}
  /// Throws `WitError` when the table is full: checked before the host's
  /// constructor runs, so that a refused guest never has one run.
  void requireRoom(std::string_view resource) const {
    if (objects_.size() >= max_live_) {
      throw WitError("the host keeps at most " + std::to_string(max_live_) + " live '" +
                     std::string(resource) + "' resources (drop some first)");
    }
  }
  uint32_t insert(std::unique_ptr<T> object, std::string_view resource) {
    requireRoom(resource);
    const uint32_t rep = next_rep_++;
    objects_.emplace(rep, std::move(object));
    return rep;
  }
  T &at(uint32_t rep, std::string_view resource) {
    auto found = objects_.find(rep);
    if (found == objects_.end()) {
      throw WitError("no live '" + std::string(resource) + "' resource " + std::to_string(rep));
    }
    return *found->second;
  }
  void erase(uint32_t rep) { objects_.erase(rep); }
  void clear() { objects_.clear(); }
  [[nodiscard]] size_t size() const { return objects_.size(); }

private:
  size_t max_live_;
  uint32_t next_rep_ = 1;
  std::unordered_map<uint32_t, std::unique_ptr<T>> objects_;
};

/// A fresh host resource type id for this process.
uint32_t newHostResourceType();

} // namespace detail

/// A host resource type: C++ objects of class `T` that a guest holds handles
/// to (`resource journal` in WIT). Made by `ComponentHost::defineResource`;
/// its constructor and methods are added with `constructor` and `method`.
/// The objects live in the host (at most `maxLive()` at a time; a guest's
/// constructor call past that fails, without running the C++ constructor),
/// until the guest drops its handle or the instance goes.
template <typename T> class HostResource {
public:
  /// The WIT constructor: `fn(args...)` returns the new object (a `T` or a
  /// `std::unique_ptr<T>`, which may point at a class derived from an
  /// abstract `T`; a null one fails the guest's call).
  template <typename F> HostResource &constructor(F &&fn);
  /// The WIT method `name`: `fn(T &self, args...)`.
  template <typename F> HostResource &method(std::string_view name, F &&fn);
  [[nodiscard]] size_t live() const { return table_->size(); }
  [[nodiscard]] size_t maxLive() const { return max_live_; }

private:
  friend class ComponentHost;
  HostResource(ComponentHost &host, std::string interface, std::string name, size_t max_live);
  template <typename R, typename... A, typename F>
  void addMethod(std::string_view name, F fn, R (* /*signature*/)(T &, A...));

  ComponentHost &host_;
  std::string interface_;
  std::string name_;
  size_t max_live_;
  uint32_t type_id_;
  std::shared_ptr<detail::HostTable<T>> table_;
};

template <typename Signature> class TypedFunc;

/// An export checked once against the C++ signature `R(A...)` and bound to
/// its host's instance. `call` returns the result or the call's `Error`
/// (`Trap`, `Exit`, `Limit`), and never throws for a value: an argument WIT
/// cannot carry (a `char32_t` that is not a Unicode scalar value, an enum or
/// flags value outside its cases, an owned `Resource`) is `GuestData`
/// before the guest is entered (the instance stays usable), and so is a
/// result the host cannot lift. Valid while the host's instance lives.
template <typename R, typename... A> class TypedFunc<R(A...)> {
public:
  using Value = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
  wasmtime::Result<Value, Error> call(const A &...args) const;
  /// `call`, throwing its `Error`.
  R operator()(const A &...args) const {
    auto result = call(args...);
    if (!result) {
      throw result.err();
    }
    if constexpr (!std::is_void_v<R>) {
      return std::move(result.ok());
    }
  }

private:
  friend class ComponentHost;
  TypedFunc(ComponentHost &host, wc::Func func, std::string name)
      : host_(&host), func_(func), name_(std::move(name)) {}
  ComponentHost *host_;
  wc::Func func_;
  std::string name_;
};

/// One component, its linker and one instance. Set up (host functions and
/// resources) on one thread, then `instantiate()`d; calls come from one
/// thread at a time.
class ComponentHost {
public:
  /// Live objects of one host resource type, by default.
  static constexpr size_t kDefaultMaxLiveResources = 1024;

  /// Reads and compiles the component `wasm_path` (binary, or text when the
  /// name ends in `.wat`). Throws `Error` (`Io`, `Compile`, `Unsupported`).
  explicit ComponentHost(std::string wasm_path, WasmHostOptions options = {});
  ComponentHost(std::vector<uint8_t> wasm_bytes, std::string name, WasmHostOptions options = {});
  /// Another host of `other`'s compiled component: the same engine, options
  /// and component, nothing compiled again; its definitions, store and
  /// instance are its own (none yet). For many instances of one component
  /// (the C API has no component `InstancePre`).
  static ComponentHost sharingComponentOf(const ComponentHost &other);
  ~ComponentHost();
  ComponentHost(const ComponentHost &) = delete;
  ComponentHost &operator=(const ComponentHost &) = delete;

  /// Whether `bytes` start as a component (the binary header's layer 1), not
  /// a core module.
  static bool isComponent(std::span<const uint8_t> bytes);

  /// Defines the import `interface`#`name` (`interface` as the component
  /// names it, e.g. "wasmhost:plugin/host@0.1.0"; "" for a function the
  /// world imports itself) as `fn`. Its C++ parameter and result types are
  /// checked against the import's at `instantiate()`. An exception thrown by
  /// `fn` fails the guest's call with its message. `std::logic_error` after
  /// `instantiate()`.
  template <typename F>
  void defineFunction(std::string_view interface, std::string_view name, F &&fn);

  /// Defines the host resource `interface`#`name` as objects of `T`.
  template <typename T>
  HostResource<T> &defineResource(std::string_view interface, std::string_view name,
                                  size_t max_live = kDefaultMaxLiveResources);

  /// Checks every definition's type against the component's imports
  /// (`Error` `Signature`), links WASIp2 and the definitions, makes the
  /// store (WASI, limits) and instantiates the component, under the time
  /// limit and fuel (it runs guest code). Throws `Error` (`Link` for an
  /// import left undefined, `Signature`, `Trap`, `Limit`).
  void instantiate();
  [[nodiscard]] bool isInstantiated() const { return instance_.has_value(); }

  /// The export `name` of the world (or of the exported `interface`) as
  /// `Signature`. Throws `Error` (`Link` when there is no such function,
  /// `Signature` when its type is not `Signature`'s).
  template <typename Signature> TypedFunc<Signature> func(std::string_view name) {
    return func<Signature>("", name);
  }
  template <typename Signature>
  TypedFunc<Signature> func(std::string_view interface, std::string_view name) {
    return bindTyped(std::type_identity<Signature>{}, interface, name);
  }

  /// The export `name` (of `interface`) as the `TypedFunc` the result
  /// initializes, its signature taken from that `TypedFunc`'s type: for a
  /// member, `just_add_(host.bindFunc("just-add"))`. The conversion is
  /// `func<Signature>(interface, name)`, and throws what it throws.
  class FuncBinding {
  public:
    template <typename Signature> operator TypedFunc<Signature>() const { // NOLINT: implicit
      return host_->func<Signature>(interface_, name_);
    }

  private:
    friend class ComponentHost;
    FuncBinding(ComponentHost &host, std::string_view interface, std::string_view name)
        : host_(&host), interface_(interface), name_(name) {}
    ComponentHost *host_;
    std::string_view interface_;
    std::string_view name_;
  };
  [[nodiscard]] FuncBinding bindFunc(std::string_view name) { return {*this, "", name}; }
  [[nodiscard]] FuncBinding bindFunc(std::string_view interface, std::string_view name) {
    return {*this, interface, name};
  }

  /// The export as Wasmtime's dynamically typed function, and its type.
  /// Throws `Error` (`Link`).
  wc::Func exportedFunc(std::string_view interface, std::string_view name);
  wc::FuncType exportedType(std::string_view interface, std::string_view name);
  /// A dynamically typed call (`wasmtime::component::Val`s), with the
  /// limits and error reporting of typed calls; `results` must have the
  /// function's result count (0 or 1).
  /// `what` names the call in its error ("'just-add'").
  wasmtime::Result<std::monostate, Error> callDynamic(const wc::Func &func,
                                                      std::span<const wc::Val> args,
                                                      std::span<wc::Val> results,
                                                      std::string_view what = "the call");

  /// The error of a failed call or instantiation: its kind, read from
  /// Wasmtime 48's wording (component errors carry no trap code in the C
  /// API), and one line naming what happened (the time limit and fuel
  /// budget when they ended it). For tests: every kind has one.
  Error callError(std::string_view what, const wasmtime::Error &error) const;

  /// A handle that cancels the call in flight from any thread, as
  /// `PluginInstance::cancelHandle` (`CancelHandle` says which call): the
  /// call fails with an `Error` (`Trap`) saying it was cancelled. A guest
  /// spinning is stopped at its next epoch check; one blocked in a WASIp2
  /// sleep (`wasi:clocks` `subscribe-duration`, which Wasmtime's WASIp2
  /// serves and this host does not guard) is cancelled only once the sleep
  /// returns to wasm, as the time limit does. After a cancel the component
  /// instance refuses further calls, as after any trap: make a new host
  /// (`sharingComponentOf` keeps the compiled component). Throws
  /// `std::logic_error` without epoch interruption (`timeout_ms = 0`).
  CancelHandle cancelHandle();

  /// As `PluginInstance::recordCallStats`: records `lastCallStats()`.
  void recordCallStats(bool on = true) { records_stats_ = on; }
  /// As `PluginInstance::lastCallStats`; `peak_memory_bytes` is always unset
  /// (the C API does not reach a component's core memories). Throws
  /// `std::logic_error` when not recording.
  [[nodiscard]] CallStats lastCallStats() const;

  [[nodiscard]] wasmtime::Store::Context context();
  [[nodiscard]] wasmtime::Engine &engine() { return engine_; }
  [[nodiscard]] const wc::Component &component() const { return component_; }
  [[nodiscard]] const std::string &name() const { return name_; }
  [[nodiscard]] const WasmHostOptions &options() const { return options_; }
  [[nodiscard]] const ModuleLoadReport &loadReport() const { return load_report_; }
  /// The store's life, shared with the guest resources' handles.
  [[nodiscard]] std::shared_ptr<detail::StoreLife> storeLife() const { return store_life_; }

private:
  template <typename Signature> friend class TypedFunc;
  friend class Resource;
  /// `Resource::drop`: the guest's destructor, under the limits of a call.
  void dropResource(const wc::ResourceAny &handle);
  template <typename T> friend class HostResource;

  template <typename R, typename... A>
  TypedFunc<R(A...)> bindTyped(std::type_identity<R(A...)> /*signature*/,
                               std::string_view interface, std::string_view name) {
    const std::string full = qualified(interface, name);
    wc::Func func = exportedFunc(interface, name);
    const wc::FuncType type = func.type(context());
    if (!detail::funcMatches<R, A...>(type)) {
      throw signatureMismatch("export '" + full + "'", detail::funcName<R, A...>(), type);
    }
    return TypedFunc<R(A...)>(*this, func, full);
  }
  template <typename R, typename... A, typename F>
  void addFunction(std::string_view interface, std::string_view name, F fn,
                   R (* /*signature*/)(A...));

  struct SharedComponent {};
  ComponentHost(const ComponentHost &other, SharedComponent tag);
  /// The ticker and the time limit of the options (both constructors).
  void startLimits();
  void requireSetUp(std::string_view what) const;
  void requireInstance() const;
  static std::string qualified(std::string_view interface, std::string_view name);
  Error signatureMismatch(const std::string &what, const std::string &cpp_type,
                          const wc::FuncType &component_type) const;
  void checkDefinitions();
  /// Before a call enters the guest, outermost only: the time limit starts,
  /// the fuel is refilled.
  void armLimits();
  /// Around every entry into the guest: the limits, the cancel state, the
  /// call's figures. `leaveGuest(failed)` after it returned.
  void enterGuest();
  void leaveGuest(bool failed);
  static wasmtime_error_t *onEpochDeadline(wasmtime_context_t *context, void *host,
                                           uint64_t *epoch_deadline_delta,
                                           wasmtime_update_deadline_kind_t *update_kind);

  std::string name_;
  WasmHostOptions options_;
  wasmtime::Engine engine_;
  std::shared_ptr<const ::wasmhost::detail::EpochTicker> ticker_; ///< with a time limit
  ModuleLoadReport load_report_; ///< before component_, whose initializer sets it
  wc::Component component_;
  std::vector<detail::HostDefinition> definitions_;
  /// The resources' builders, at stable addresses.
  std::vector<std::shared_ptr<void>> resources_;
  /// What the host resources' tables are cleared with when the store goes.
  std::vector<std::function<void()>> clear_tables_;
  std::optional<wc::Linker> linker_;
  /// The guest's WASI output on its way to `options_.log_sink` (when set):
  /// declared before the store, whose WASI writes to it.
  std::shared_ptr<::wasmhost::runtime::detail::GuestLog> guest_log_;
  std::optional<wasmtime::Store> store_;
  std::shared_ptr<detail::StoreLife> store_life_;
  std::optional<wc::Instance> instance_;
  std::chrono::steady_clock::duration time_limit_{};
  bool call_started_ = false;
  std::chrono::steady_clock::time_point call_start_{};
  uint32_t entry_depth_ = 0;
  /// Shared with the cancel handles; null until `cancelHandle()`.
  std::shared_ptr<::wasmhost::detail::CancelState> cancel_;
  bool records_stats_ = false;
  CallStats last_stats_;
  std::chrono::steady_clock::time_point entry_start_{};
};

// --- Templates. ---------------------------------------------------------------

template <typename F>
void ComponentHost::defineFunction(std::string_view interface, std::string_view name, F &&fn) {
  requireSetUp("define host functions");
  using Signature = typename detail::CallableSignature<std::decay_t<F>>::type;
  addFunction(interface, name, std::decay_t<F>(std::forward<F>(fn)),
              static_cast<std::add_pointer_t<Signature>>(nullptr));
}

template <typename R, typename... A, typename F>
void ComponentHost::addFunction(std::string_view interface, std::string_view name, F fn,
                                R (* /*signature*/)(A...)) {
  detail::HostDefinition definition;
  definition.interface = std::string(interface);
  definition.name = std::string(name);
  definition.cpp_type = detail::funcName<R, A...>();
  definition.matches = [](const wc::FuncType &type) { return detail::funcMatches<R, A...>(type); };
  definition.add = [name = definition.name, fn = std::move(fn)](wc::LinkerInstance &instance) {
    return instance.add_func(
        name,
        [name, fn](wasmtime::Store::Context, const wc::FuncType &, wasmtime::Span<wc::Val> args,
                   wasmtime::Span<wc::Val> results) -> wasmtime::Result<std::monostate> {
          return detail::guardHostCall(name, [&] {
            auto lifted = detail::liftArgs<A...>(args, std::index_sequence_for<A...>{});
            if constexpr (std::is_void_v<R>) {
              std::apply(fn, std::move(lifted));
            } else {
              results[0] = Wit<R>::lower(std::apply(fn, std::move(lifted)));
            }
          });
        });
  };
  definitions_.push_back(std::move(definition));
}

template <typename T>
HostResource<T> &ComponentHost::defineResource(std::string_view interface, std::string_view name,
                                               size_t max_live) {
  requireSetUp("define host resources");
  auto resource = std::shared_ptr<HostResource<T>>(
      new HostResource<T>(*this, std::string(interface), std::string(name), max_live));
  detail::HostDefinition definition;
  definition.interface = std::string(interface);
  definition.name = std::string(name);
  definition.cpp_type = "resource";
  definition.resource_type = resource->type_id_;
  definition.add = [name = definition.name, type_id = resource->type_id_,
                    table = resource->table_](wc::LinkerInstance &instance) {
    return instance.add_resource(name, wc::ResourceType(type_id),
                                 [table](wasmtime::Store::Context, uint32_t rep) {
                                   table->erase(rep);
                                   return wasmtime::Result<std::monostate>(std::monostate());
                                 });
  };
  definitions_.push_back(std::move(definition));
  clear_tables_.push_back([table = resource->table_] { table->clear(); });
  resources_.push_back(resource);
  return *resource;
}

template <typename T>
HostResource<T>::HostResource(ComponentHost &host, std::string interface, std::string name,
                              size_t max_live)
    : host_(host), interface_(std::move(interface)), name_(std::move(name)), max_live_(max_live),
      type_id_(detail::newHostResourceType()),
      table_(std::make_shared<detail::HostTable<T>>(max_live)) {}

template <typename T> template <typename F> HostResource<T> &HostResource<T>::constructor(F &&fn) {
  host_.requireSetUp("define host resources");
  using Signature = typename detail::CallableSignature<std::decay_t<F>>::type;
  [&]<typename Made, typename... A>(Made (*)(A...)) {
    detail::HostDefinition definition;
    definition.interface = interface_;
    definition.name = "[constructor]" + name_;
    definition.cpp_type = detail::funcName<Resource, A...>();
    definition.matches = [](const wc::FuncType &type) {
      return detail::funcMatches<Resource, A...>(type);
    };
    definition.add = [full = definition.name, resource = name_, type_id = type_id_, table = table_,
                      fn = std::decay_t<F>(std::forward<F>(fn))](wc::LinkerInstance &instance) {
      return instance.add_func(
          full,
          [=](wasmtime::Store::Context cx, const wc::FuncType &, wasmtime::Span<wc::Val> args,
              wasmtime::Span<wc::Val> results) -> wasmtime::Result<std::monostate> {
            return detail::guardHostCall(full, [&] {
              table->requireRoom(resource);
              auto lifted = detail::liftArgs<A...>(args, std::index_sequence_for<A...>{});
              std::unique_ptr<T> object;
              if constexpr (std::is_same_v<Made, std::unique_ptr<T>>) {
                object = std::apply(fn, std::move(lifted));
                if (!object) {
                  throw WitError("the host's constructor of '" + resource + "' made no object");
                }
              } else {
                object = std::make_unique<T>(std::apply(fn, std::move(lifted)));
              }
              const uint32_t rep = table->insert(std::move(object), resource);
              auto any = wc::ResourceHost(true, rep, type_id).to_any(cx);
              if (!any) {
                table->erase(rep);
                throw WitError(any.err().message());
              }
              results[0] = wc::Val(any.ok());
            });
          });
    };
    host_.definitions_.push_back(std::move(definition));
  }(static_cast<std::add_pointer_t<Signature>>(nullptr));
  return *this;
}

template <typename T>
template <typename F>
HostResource<T> &HostResource<T>::method(std::string_view name, F &&fn) {
  host_.requireSetUp("define host resources");
  using Signature = typename detail::CallableSignature<std::decay_t<F>>::type;
  addMethod(name, std::decay_t<F>(std::forward<F>(fn)),
            static_cast<std::add_pointer_t<Signature>>(nullptr));
  return *this;
}

template <typename T>
template <typename R, typename... A, typename F>
void HostResource<T>::addMethod(std::string_view name, F fn, R (* /*signature*/)(T &, A...)) {
  detail::HostDefinition definition;
  definition.interface = interface_;
  definition.name = "[method]" + name_ + "." + std::string(name);
  definition.cpp_type = detail::funcName<R, Borrow, A...>();
  definition.matches = [](const wc::FuncType &type) {
    return detail::funcMatches<R, Borrow, A...>(type);
  };
  definition.add = [full = definition.name, resource = name_, type_id = type_id_, table = table_,
                    fn = std::move(fn)](wc::LinkerInstance &instance) {
    return instance.add_func(
        full,
        [=](wasmtime::Store::Context cx, const wc::FuncType &, wasmtime::Span<wc::Val> args,
            wasmtime::Span<wc::Val> results) -> wasmtime::Result<std::monostate> {
          return detail::guardHostCall(full, [&] {
            if (args.size() != sizeof...(A) + 1 || !args[0].is_resource()) {
              throw WitError("expected a '" + resource + "' handle first");
            }
            auto host = args[0].get_resource().to_host(cx);
            if (!host || host.ok().type() != type_id) {
              throw WitError("the handle is not a '" + resource + "'");
            }
            T &self = table->at(host.ok().rep(), resource);
            auto lifted =
                detail::liftArgs<A...>(wasmtime::Span<wc::Val>(args.data() + 1, args.size() - 1),
                                       std::index_sequence_for<A...>{});
            if constexpr (std::is_void_v<R>) {
              std::apply([&](auto &&...rest) { fn(self, std::move(rest)...); }, std::move(lifted));
            } else {
              results[0] = Wit<R>::lower(std::apply(
                  [&](auto &&...rest) { return fn(self, std::move(rest)...); }, std::move(lifted)));
            }
          });
        });
  };
  host_.definitions_.push_back(std::move(definition));
}

template <typename R, typename... A>
wasmtime::Result<typename TypedFunc<R(A...)>::Value, Error>
TypedFunc<R(A...)>::call(const A &...args) const {
  std::optional<std::array<wc::Val, sizeof...(A)>> lowered;
  try {
    lowered.emplace(std::array<wc::Val, sizeof...(A)>{Wit<std::remove_cvref_t<A>>::lower(args)...});
  } catch (const WitError &error) {
    return Error(ErrorKind::GuestData, "'" + name_ +
                                           "' was not called: an argument WIT cannot carry: " +
                                           std::string(error.what()));
  }
  auto &params = *lowered;
  constexpr size_t kResults = std::is_void_v<R> ? 0 : 1;
  auto results = [] {
    if constexpr (kResults == 1) {
      return std::array<wc::Val, 1>{wc::Val(false)};
    } else {
      return std::array<wc::Val, 0>{};
    }
  }();
  auto called = host_->callDynamic(func_, params, results, "'" + name_ + "'");
  if (!called) {
    return called.err();
  }
  if constexpr (std::is_void_v<R>) {
    return std::monostate();
  } else {
    detail::lifting_store = host_->store_life_;
    struct Reset {
      ~Reset() { detail::lifting_store.reset(); }
    } reset;
    try {
      return Wit<R>::lift(results[0]);
    } catch (const WitError &error) {
      return Error(ErrorKind::GuestData, "'" + name_ + "' returned a value the host refuses: " +
                                             std::string(error.what()));
    }
  }
}

} // namespace component
} // namespace wasmhost

#endif // WASMHOST_COMPONENT_COMPONENT_HOST_HH
