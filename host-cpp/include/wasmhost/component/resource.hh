/**
 * \file wasmhost/component/resource.hh
 * Resources of a component, as C++ values: `Resource`, an owned handle to a
 * resource the guest implements (dropped when the handle is destroyed), and
 * `Borrow`, the handle lent to one call.
 */
#ifndef WASMHOST_COMPONENT_RESOURCE_HH
#define WASMHOST_COMPONENT_RESOURCE_HH

#include <memory>
#include <optional>
#include <string>

#include <wasmtime/component.hh>

#include "wasmhost/component/wit.hh"

namespace wasmhost::component {

class ComponentHost;

namespace detail {

/// A store as its resource handles see it: its host while the store lives,
/// null after. Shared by the store's owner and every handle.
struct StoreLife {
  ComponentHost *host = nullptr;
};

/// The store whose call is lifting values on this thread (set by the call
/// around its lift), for the handles it makes.
inline thread_local std::shared_ptr<StoreLife> lifting_store;

} // namespace detail

/// An owned handle (`own<R>`) to a resource in a component instance. The
/// resource is dropped (the guest's destructor runs) when the handle is
/// destroyed or `drop()`ped, if its store still lives; after the store is
/// gone it is only forgotten. Move-only. Thread-safety: its store's.
class Resource {
public:
  Resource() = default;
  Resource(wc::ResourceAny handle, std::shared_ptr<detail::StoreLife> store)
      : handle_(std::move(handle)), store_(std::move(store)) {}
  ~Resource() { dropQuietly(); }
  Resource(Resource &&other) noexcept
      : handle_(std::move(other.handle_)), store_(std::move(other.store_)) {
    other.handle_.reset();
  }
  Resource &operator=(Resource &&other) noexcept {
    if (this != &other) {
      dropQuietly();
      handle_ = std::move(other.handle_);
      store_ = std::move(other.store_);
      other.handle_.reset();
    }
    return *this;
  }
  Resource(const Resource &) = delete;
  Resource &operator=(const Resource &) = delete;

  /// Whether the handle still owns a resource.
  [[nodiscard]] bool valid() const { return handle_.has_value(); }
  /// Drops the resource now: the guest's destructor runs under the host's
  /// time limit and fuel, as a call does. Throws `Error` (`Trap`) when it
  /// fails (the handle is gone either way).
  void drop();
  /// The handle; `std::logic_error` once dropped.
  [[nodiscard]] const wc::ResourceAny &handle() const;

private:
  void dropQuietly() noexcept;
  std::optional<wc::ResourceAny> handle_;
  std::shared_ptr<detail::StoreLife> store_;
};

/// A `borrow<R>` argument: the resource lent for one call.
class Borrow {
public:
  Borrow(const Resource &resource) : handle_(&resource.handle()) {} // NOLINT: implicit by design
  [[nodiscard]] const wc::ResourceAny &handle() const { return *handle_; }

private:
  const wc::ResourceAny *handle_;
};

template <> struct Wit<Resource> {
  static std::string name() { return "own<resource>"; }
  static bool matches(const wc::ValType &type) {
    return type.kind() == WASMTIME_COMPONENT_VALTYPE_OWN;
  }
  /// Ownership goes to the guest only through its own functions' results;
  /// passing an owned handle as an argument is not supported.
  static wc::Val lower(const Resource &resource);
  static Resource lift(const wc::Val &val);
};

template <> struct Wit<Borrow> {
  static std::string name() { return "borrow<resource>"; }
  static bool matches(const wc::ValType &type) {
    return type.kind() == WASMTIME_COMPONENT_VALTYPE_BORROW;
  }
  static wc::Val lower(const Borrow &borrow) { return wc::Val(borrow.handle()); }
  /// A guest never hands the host a borrow of its own.
  static Borrow lift(const wc::Val &val);
};

} // namespace wasmhost::component

#endif // WASMHOST_COMPONENT_RESOURCE_HH
