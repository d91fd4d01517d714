/**
 * \file wasmhost/runtime/pool.hh
 * `InstancePool`: at most `max_instances` instances of one prepared `Plugin`
 * at a time, leased to any number of threads.
 *
 * Every instance is made through the plugin's `InstancePre` (its imports
 * resolved and type-checked once, by `Plugin::prepare`), each in a store of
 * its own with the plugin's limits and WASI. Core modules only: Wasmtime's C
 * API has no pre-instantiated component.
 */
#ifndef WASMHOST_RUNTIME_POOL_HH
#define WASMHOST_RUNTIME_POOL_HH

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "wasmhost/options.hh"
#include "wasmhost/plugin.hh"
#include "wasmhost/plugin_instance.hh"

namespace wasmhost::runtime {

/// How `InstancePool::checkout` picks the instance.
enum class Reuse {
  /// A fresh instance (instantiated for this lease, fresh host state).
  No,
  /// An instance an earlier lease gave back, with its guest memory and host
  /// state as that lease left them; a fresh one when none is idle.
  Yes,
};

/// The host functions' state of one instance: made by the pool's
/// `StateFactory` for every fresh instance, destroyed with it.
using HostState = std::shared_ptr<void>;
/// Makes the host state of a fresh `instance` (not yet initialized),
/// attaches it (`instance.setStoreData(state.get())`, for host functions
/// that reach it with `PluginInstance::storeData<T>`) and returns it; the
/// pool keeps it alive as long as the instance. Called on the thread that
/// checks out, outside the pool's lock. An exception fails that checkout.
using StateFactory = std::function<HostState(PluginInstance &instance)>;

struct PoolOptions {
  /// Most instances alive at once, leased or idle. At least 1.
  size_t max_instances = 4;
  /// How long `checkout` waits for a free slot before it fails.
  std::chrono::milliseconds checkout_timeout{1000};
  /// The instances' options (limits, WASI's streams); unset: the plugin's.
  std::optional<WasmHostOptions> instance_options;
  /// When set, makes the options of each fresh instance instead (for
  /// per-checkout streams or a log sink of the caller's own): called on the
  /// thread that checks out, outside the pool's lock, before the instance is
  /// made; an exception fails that checkout. A reused instance keeps the
  /// options it was made with.
  std::function<WasmHostOptions()> fresh_instance_options;
};

namespace detail {
struct PoolSlot;
class PoolShared;
} // namespace detail

/// One instance checked out of an `InstancePool`; gives it back when
/// destroyed. An instance whose call trapped (`PluginInstance::hasTrapped`)
/// or that was `discard()`ed is destroyed then and its slot freed; any other
/// is kept for a later `checkout(Reuse::Yes)`. Movable, not copyable;
/// usable on one thread at a time (that of its instance). May outlive its
/// pool.
class Lease {
public:
  Lease(Lease &&other) noexcept;
  Lease &operator=(Lease &&other) noexcept;
  Lease(const Lease &) = delete;
  Lease &operator=(const Lease &) = delete;
  ~Lease();

  [[nodiscard]] PluginInstance &instance() const;
  PluginInstance *operator->() const { return &instance(); }
  /// The factory's state of this instance, as the type it made (`T` must be
  /// that type); null without a factory.
  template <typename T> [[nodiscard]] T *state() const { return static_cast<T *>(rawState()); }
  /// Numbers the pool's instances from 1 in the order they were made: two
  /// leases of one instance have the same id.
  [[nodiscard]] uint64_t instanceId() const;
  /// Whether this lease got an instance an earlier lease gave back.
  [[nodiscard]] bool reused() const { return reused_; }
  /// Destroys the instance when the lease ends, even if it never trapped.
  void discard() { discard_ = true; }
  /// Gives the instance back now; the lease is empty afterwards.
  void release();

private:
  friend class InstancePool;
  Lease(std::shared_ptr<detail::PoolShared> pool, std::unique_ptr<detail::PoolSlot> slot,
        bool reused);
  [[nodiscard]] void *rawState() const;

  std::shared_ptr<detail::PoolShared> pool_;
  std::unique_ptr<detail::PoolSlot> slot_;
  bool reused_ = false;
  bool discard_ = false;
};

/// At most `max_instances` instances of `plugin`, leased by `checkout`.
/// Thread-safety: every method may be called from any thread at once.
class InstancePool {
public:
  /// A pool over `plugin`, which must be prepared (`Plugin::prepare`). Throws
  /// `std::invalid_argument` for a null or unprepared plugin, `max_instances`
  /// 0 or a negative `checkout_timeout`, naming the argument; the instances'
  /// options are checked against the plugin's engine as `PluginInstance`'s
  /// constructor does, at the first checkout. No instance is made here.
  explicit InstancePool(std::shared_ptr<const Plugin> plugin, PoolOptions options = {},
                        StateFactory state_factory = {});
  ~InstancePool();
  InstancePool(const InstancePool &) = delete;
  InstancePool &operator=(const InstancePool &) = delete;

  /// Leases an instance, initialized (`PluginInstance::initialize`): a fresh
  /// one, or with `Reuse::Yes` one given back before when there is one.
  /// Waits for a free slot up to `checkout_timeout`, then throws `Error`
  /// (`Limit`) naming the pool size and the timeout. An instance that cannot
  /// be made throws what `PluginInstance` throws (its slot is freed).
  Lease checkout(Reuse reuse = Reuse::No);

  [[nodiscard]] size_t maxInstances() const;
  /// Instances alive now (leased or idle).
  [[nodiscard]] size_t liveInstances() const;
  /// Instances leased now.
  [[nodiscard]] size_t leasedInstances() const;
  /// Instances made so far.
  [[nodiscard]] uint64_t instancesMade() const;

private:
  std::shared_ptr<detail::PoolShared> shared_;
};

} // namespace wasmhost::runtime

#endif // WASMHOST_RUNTIME_POOL_HH
