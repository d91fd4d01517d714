#include "wasmhost/runtime/pool.hh"

#include <stdexcept>
#include <string>
#include <utility>

#include "wasmhost/errors.hh"

namespace wasmhost::runtime {
namespace detail {

/// One instance and its host state. Destroyed state last: the instance's
/// store points at it.
struct PoolSlot {
  HostState state;
  std::unique_ptr<PluginInstance> instance;
  uint64_t id = 0;
};

/// What the pool and its leases share: a lease may outlive the pool.
class PoolShared {
public:
  PoolShared(std::shared_ptr<const Plugin> plugin, PoolOptions options, StateFactory factory)
      : plugin_(std::move(plugin)), options_(std::move(options)), factory_(std::move(factory)) {}

  /// A slot for a checkout: an idle one (with `Reuse::Yes`), or room for a
  /// fresh one (`make` then true). Waits up to the checkout timeout.
  std::unique_ptr<PoolSlot> acquire(Reuse reuse, bool &make) {
    std::unique_ptr<PoolSlot> dropped; // an idle instance made room: destroyed unlocked
    std::unique_ptr<PoolSlot> taken;
    {
      std::unique_lock lock(mutex_);
      const bool free = freed_.wait_for(lock, options_.checkout_timeout, [this] {
        return live_ < options_.max_instances || !idle_.empty();
      });
      if (!free) {
        throw Error(ErrorKind::Limit, "no instance of '" + plugin_->name() + "' free within " +
                                          std::to_string(options_.checkout_timeout.count()) +
                                          " ms: all " + std::to_string(options_.max_instances) +
                                          " of the pool (max_instances) are leased");
      }
      ++leased_;
      if (reuse == Reuse::Yes && !idle_.empty()) {
        taken = std::move(idle_.back());
        idle_.pop_back();
        make = false;
        return taken;
      }
      if (live_ < options_.max_instances) {
        ++live_;
      } else {
        dropped = std::move(idle_.back()); // the slot passes to the fresh instance
        idle_.pop_back();
      }
      make = true;
    }
    dropped.reset(); // before the fresh one is made: never more than max_instances
    return std::make_unique<PoolSlot>();
  }

  /// Fills `slot` with a fresh, initialized instance and its state; on
  /// failure frees the slot and rethrows.
  void make(PoolSlot &slot) {
    try {
      if (options_.fresh_instance_options) {
        slot.instance =
            std::make_unique<PluginInstance>(plugin_, options_.fresh_instance_options());
      } else if (options_.instance_options) {
        slot.instance = std::make_unique<PluginInstance>(plugin_, *options_.instance_options);
      } else {
        slot.instance = std::make_unique<PluginInstance>(plugin_);
      }
      if (factory_) {
        slot.state = factory_(*slot.instance);
      }
      slot.instance->initialize();
      const std::lock_guard lock(mutex_);
      slot.id = ++made_;
    } catch (...) {
      slot.instance.reset();
      slot.state.reset();
      giveBack(nullptr);
      throw;
    }
  }

  /// A lease ended: keeps `slot` idle, or (null) frees its place.
  void giveBack(std::unique_ptr<PoolSlot> slot) {
    {
      const std::lock_guard lock(mutex_);
      --leased_;
      if (slot) {
        idle_.push_back(std::move(slot));
      } else {
        --live_;
      }
    }
    freed_.notify_one();
  }

  [[nodiscard]] size_t maxInstances() const { return options_.max_instances; }
  [[nodiscard]] size_t live() const {
    const std::lock_guard lock(mutex_);
    return live_;
  }
  [[nodiscard]] size_t leased() const {
    const std::lock_guard lock(mutex_);
    return leased_;
  }
  [[nodiscard]] uint64_t made() const {
    const std::lock_guard lock(mutex_);
    return made_;
  }

private:
  std::shared_ptr<const Plugin> plugin_;
  PoolOptions options_;
  StateFactory factory_;
  mutable std::mutex mutex_; ///< guards everything below
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PoolSlot>> idle_; ///< given back, kept for `Reuse::Yes`
  size_t live_ = 0;                             ///< instances alive or being made (leased + idle)
  size_t leased_ = 0;                           ///< of which leased
  uint64_t made_ = 0;
};

} // namespace detail

namespace {

const std::shared_ptr<const Plugin> &checkedPlugin(const std::shared_ptr<const Plugin> &plugin) {
  if (!plugin) {
    throw std::invalid_argument("InstancePool: plugin is null");
  }
  if (!plugin->isPrepared()) {
    throw std::invalid_argument("InstancePool: plugin '" + plugin->name() +
                                "' is not prepared (Plugin::prepare)");
  }
  return plugin;
}

const PoolOptions &checkedOptions(const PoolOptions &options) {
  if (options.max_instances == 0) {
    throw std::invalid_argument("InstancePool: max_instances must be at least 1, not 0");
  }
  if (options.checkout_timeout.count() < 0) {
    throw std::invalid_argument("InstancePool: checkout_timeout must not be negative, not " +
                                std::to_string(options.checkout_timeout.count()) + " ms");
  }
  return options;
}

} // namespace

Lease::Lease(std::shared_ptr<detail::PoolShared> pool, std::unique_ptr<detail::PoolSlot> slot,
             bool reused)
    : pool_(std::move(pool)), slot_(std::move(slot)), reused_(reused) {}

Lease::Lease(Lease &&other) noexcept = default;

Lease &Lease::operator=(Lease &&other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::move(other.pool_);
    slot_ = std::move(other.slot_);
    reused_ = other.reused_;
    discard_ = other.discard_;
  }
  return *this;
}

Lease::~Lease() { release(); }

void Lease::release() {
  if (!slot_) {
    return;
  }
  const bool keep = !discard_ && !slot_->instance->hasTrapped();
  if (keep) {
    pool_->giveBack(std::move(slot_));
  } else {
    slot_.reset(); // the instance, then its state, before the slot is freed
    pool_->giveBack(nullptr);
  }
  pool_.reset();
}

PluginInstance &Lease::instance() const {
  if (!slot_) {
    throw std::logic_error("the lease is empty (released or moved from)");
  }
  return *slot_->instance;
}

uint64_t Lease::instanceId() const {
  if (!slot_) {
    throw std::logic_error("the lease is empty (released or moved from)");
  }
  return slot_->id;
}

void *Lease::rawState() const {
  if (!slot_) {
    throw std::logic_error("the lease is empty (released or moved from)");
  }
  return slot_->state.get();
}

InstancePool::InstancePool(std::shared_ptr<const Plugin> plugin, PoolOptions options,
                           StateFactory state_factory)
    : shared_(std::make_shared<detail::PoolShared>(checkedPlugin(plugin), checkedOptions(options),
                                                   std::move(state_factory))) {}

InstancePool::~InstancePool() = default;

Lease InstancePool::checkout(Reuse reuse) {
  bool make = false;
  auto slot = shared_->acquire(reuse, make);
  if (make) {
    shared_->make(*slot);
  }
  return Lease(shared_, std::move(slot), !make);
}

size_t InstancePool::maxInstances() const { return shared_->maxInstances(); }
size_t InstancePool::liveInstances() const { return shared_->live(); }
size_t InstancePool::leasedInstances() const { return shared_->leased(); }
uint64_t InstancePool::instancesMade() const { return shared_->made(); }

} // namespace wasmhost::runtime
