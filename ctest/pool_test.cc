// Unit tests of `wasmhost::runtime::InstancePool`: more threads than
// instances, the checkout timeout, a trapped instance never reused, the
// reuse option, per-checkout host state, bad arguments. Real calls into the
// hostile guest (guest-hostile.wasm: the article's exports and misbehaving
// ones) with the article's per-store host functions.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "article_host.hh"
#include "runtime_guest.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/runtime/pool.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using Clock = std::chrono::steady_clock;
using runtime_test::CapturingSink;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::Plugin;
using wasmhost::PluginInstance;
using wasmhost::WasmHost;
using wasmhost::app::HostState;
using wasmhost::runtime::InstancePool;
using wasmhost::runtime::Lease;
using wasmhost::runtime::PoolOptions;
using wasmhost::runtime::Reuse;
using namespace std::chrono_literals;

std::shared_ptr<const Plugin> prepareHostile() {
  WasmHost shared(test_paths::kHostileWasm, test_options::quiet());
  wasmhost::app::definePerStoreArticleHostFunctions(shared);
  return shared.prepareInstances();
}

/// Counts the host states alive (one per instance alive) and the most at
/// once.
struct Census {
  std::atomic<int> live{0};
  std::atomic<int> most{0};
  std::atomic<int> made{0};
};

/// The article's host state of one instance, counted.
struct CountedState {
  explicit CountedState(Census &census) : census(census) {
    const int now = ++census.live;
    int most = census.most.load();
    while (now > most && !census.most.compare_exchange_weak(most, now)) {
    }
    ++census.made;
  }
  ~CountedState() { --census.live; }
  CountedState(const CountedState &) = delete;
  CountedState &operator=(const CountedState &) = delete;

  Census &census;
  HostState state;
};

wasmhost::runtime::StateFactory countedStates(Census &census) {
  return [&census](PluginInstance &instance) {
    auto made = std::make_shared<CountedState>(census);
    instance.setStoreData(&made->state);
    return made;
  };
}

PoolOptions poolOf(size_t max_instances, std::chrono::milliseconds timeout = 10s) {
  PoolOptions options;
  options.max_instances = max_instances;
  options.checkout_timeout = timeout;
  return options;
}

int32_t trigger(Lease &lease, int32_t value) {
  auto result = lease->callFunctionVoid("trigger_host_calls", std::make_tuple(value));
  EXPECT_TRUE(result) << result.err().message();
  return lease.state<CountedState>()->state.shared_host_value;
}

TEST(Pool, MoreThreadsThanInstancesNeverMoreThanTheMaximumAlive) {
  Census census;
  InstancePool pool(prepareHostile(), poolOf(2), countedStates(census));
  constexpr int kThreads = 8;
  constexpr int kCheckouts = 20;
  std::atomic<int> right{0};
  std::atomic<int> wrong{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kCheckouts; ++i) {
          Lease lease = pool.checkout();
          const int32_t input = t * 100 + i;
          // A fresh instance: its host state starts at 42.
          const bool state_right = trigger(lease, input) == 42 + input + 5;
          auto sum = lease->callFunction<std::tuple<uint64_t>>(
              "just_add", std::make_tuple(uint64_t(t), uint64_t(i)));
          const bool sum_right = sum && std::get<0>(sum.ok()) == uint64_t(t + i);
          (state_right && sum_right ? right : wrong)++;
        }
      });
    }
  }
  EXPECT_EQ(right.load(), kThreads * kCheckouts);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(census.most.load(), 2);
  EXPECT_GE(census.most.load(), 1);
  EXPECT_EQ(census.made.load(), kThreads * kCheckouts); // Reuse::No: fresh every time
  EXPECT_EQ(pool.instancesMade(), uint64_t{kThreads * kCheckouts});
  EXPECT_LE(pool.liveInstances(), 2u);
  EXPECT_EQ(pool.leasedInstances(), 0u);
}

TEST(Pool, ACheckoutPastTheTimeoutFailsNamingSizeAndTimeout) {
  InstancePool pool(prepareHostile(), poolOf(2, 50ms));
  Lease first = pool.checkout();
  Lease second = pool.checkout();
  const auto start = Clock::now();
  try {
    (void)pool.checkout();
    FAIL() << "a third instance from a pool of 2";
  } catch (const Error &error) {
    const auto elapsed = Clock::now() - start;
    EXPECT_EQ(error.kind(), ErrorKind::Limit);
    const std::string message = error.what();
    EXPECT_NE(message.find("within 50 ms"), std::string::npos) << message;
    EXPECT_NE(message.find("all 2 of the pool (max_instances) are leased"), std::string::npos)
        << message;
    EXPECT_GE(elapsed, 50ms);
    EXPECT_LT(elapsed, 5s);
  }
  // A lease given back frees its slot for the next checkout.
  second.release();
  EXPECT_NO_THROW((void)pool.checkout());
}

TEST(Pool, AWaitingCheckoutGetsTheSlotAGivenBackLeaseFrees) {
  InstancePool pool(prepareHostile(), poolOf(1, 10s));
  Lease held = pool.checkout(Reuse::Yes);
  const uint64_t held_id = held.instanceId();
  std::jthread giver([&held] {
    std::this_thread::sleep_for(20ms);
    held.release();
  });
  Lease next = pool.checkout(Reuse::Yes);
  EXPECT_EQ(next.instanceId(), held_id);
  EXPECT_TRUE(next.reused());
}

TEST(Pool, ATrappedInstanceIsNeverReused) {
  Census census;
  InstancePool pool(prepareHostile(), poolOf(1), countedStates(census));
  uint64_t trapped_id = 0;
  {
    Lease lease = pool.checkout(Reuse::Yes);
    trapped_id = lease.instanceId();
    auto result = lease->callFunctionVoid("hostile_panic");
    ASSERT_FALSE(result);
    EXPECT_TRUE(lease->hasTrapped());
  }
  EXPECT_EQ(census.live.load(), 0); // dropped with its state when given back
  EXPECT_EQ(pool.liveInstances(), 0u);
  Lease next = pool.checkout(Reuse::Yes);
  EXPECT_NE(next.instanceId(), trapped_id);
  EXPECT_FALSE(next.reused());
  EXPECT_EQ(census.made.load(), 2);
  EXPECT_EQ(trigger(next, 7), 42 + 7 + 5);
}

TEST(Pool, ReuseKeepsTheInstanceAndItsState) {
  Census census;
  InstancePool pool(prepareHostile(), poolOf(2), countedStates(census));
  uint64_t first_id = 0;
  {
    Lease lease = pool.checkout(Reuse::Yes);
    first_id = lease.instanceId();
    EXPECT_FALSE(lease.reused());
    EXPECT_EQ(trigger(lease, 7), 54);
  }
  {
    Lease lease = pool.checkout(Reuse::Yes);
    EXPECT_EQ(lease.instanceId(), first_id);
    EXPECT_TRUE(lease.reused());
    EXPECT_EQ(lease.state<CountedState>()->state.shared_host_value, 54);
    EXPECT_EQ(trigger(lease, 1), 54 + 1 + 5);
  }
  {
    // Reuse::No: a fresh instance and state, even with one idle.
    Lease lease = pool.checkout();
    EXPECT_NE(lease.instanceId(), first_id);
    EXPECT_FALSE(lease.reused());
    EXPECT_EQ(trigger(lease, 1), 42 + 1 + 5);
  }
  {
    // discard(): not kept, though it never trapped.
    Lease lease = pool.checkout(Reuse::Yes);
    lease.discard();
  }
  EXPECT_EQ(census.made.load(), 2);
  EXPECT_LE(census.most.load(), 2);
}

TEST(Pool, FreshInstanceOptionsAreMadeForEachFreshInstance) {
  Census census;
  CapturingSink first_sink;
  CapturingSink second_sink;
  std::atomic<CapturingSink *> next_sink{&first_sink};
  std::atomic<int> made_options{0};
  PoolOptions options = poolOf(2);
  options.fresh_instance_options = [&] {
    ++made_options;
    wasmhost::WasmHostOptions fresh = test_options::quiet();
    fresh.log_sink = next_sink.load();
    return fresh;
  };
  InstancePool pool(prepareHostile(), options, countedStates(census));
  {
    Lease first = pool.checkout();
    next_sink = &second_sink;
    Lease second = pool.checkout();
    EXPECT_EQ(trigger(first, 7), 54);
    EXPECT_EQ(trigger(second, 8), 55);
  }
  // Each instance's guest output went to the sink it was made with.
  const std::string seven = "[WASM Core] perform_host_calls_test with input: 7";
  const std::string eight = "[WASM Core] perform_host_calls_test with input: 8";
  const auto count = [](CapturingSink &sink, const std::string &line) {
    const auto lines = sink.from("guest.stdout");
    return std::count(lines.begin(), lines.end(), line);
  };
  EXPECT_EQ(count(first_sink, seven), 1);
  EXPECT_EQ(count(first_sink, eight), 0);
  EXPECT_EQ(count(second_sink, eight), 1);
  EXPECT_EQ(count(second_sink, seven), 0);
  EXPECT_EQ(made_options.load(), 2);
  {
    // A reused instance keeps its options: no new ones are made.
    Lease again = pool.checkout(Reuse::Yes);
    EXPECT_TRUE(again.reused());
  }
  EXPECT_EQ(made_options.load(), 2);
}

TEST(Pool, AFailingFreshInstanceOptionsFactoryFreesItsSlot) {
  std::atomic<bool> fail{true};
  PoolOptions options = poolOf(1, 2s);
  options.fresh_instance_options = [&] {
    if (fail.exchange(false)) {
      throw std::runtime_error("no options today");
    }
    return test_options::quiet();
  };
  Census census;
  InstancePool pool(prepareHostile(), options, countedStates(census));
  EXPECT_THROW(
      {
        try {
          pool.checkout();
        } catch (const std::runtime_error &error) {
          EXPECT_STREQ(error.what(), "no options today");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(pool.liveInstances(), 0u);
  Lease lease = pool.checkout(); // the slot is free again, at once
  EXPECT_EQ(trigger(lease, 1), 42 + 1 + 5);
}

TEST(Pool, BadArgumentsAreRefusedNamingThem) {
  const auto plugin = prepareHostile();
  const auto refusal = [](auto make) {
    try {
      make();
    } catch (const std::invalid_argument &error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refusal([&] { InstancePool pool(plugin, poolOf(0)); }).find("max_instances"),
            std::string::npos);
  EXPECT_NE(refusal([&] { InstancePool pool(plugin, poolOf(1, -1ms)); }).find("checkout_timeout"),
            std::string::npos);
  EXPECT_NE(refusal([&] { InstancePool pool(nullptr, poolOf(1)); }).find("plugin is null"),
            std::string::npos);
  const auto unprepared = std::make_shared<Plugin>(std::string(test_paths::kHostileWasm));
  EXPECT_NE(refusal([&] { InstancePool pool(unprepared, poolOf(1)); }).find("not prepared"),
            std::string::npos);
}

TEST(Pool, AFailingStateFactoryFreesItsSlot) {
  InstancePool pool(prepareHostile(), poolOf(1, 50ms),
                    [](PluginInstance &) -> std::shared_ptr<void> {
                      throw std::runtime_error("no state today");
                    });
  EXPECT_THROW((void)pool.checkout(), std::runtime_error);
  EXPECT_EQ(pool.liveInstances(), 0u);
  EXPECT_EQ(pool.leasedInstances(), 0u);
  EXPECT_THROW((void)pool.checkout(), std::runtime_error); // not a timeout: the slot is free
}

TEST(Pool, AnEmptyLeaseRefusesUse) {
  InstancePool pool(prepareHostile(), poolOf(1));
  Lease lease = pool.checkout();
  Lease moved = std::move(lease);
  EXPECT_THROW((void)lease.instance(), std::logic_error); // NOLINT: use after move, on purpose
  moved.release();
  EXPECT_THROW((void)moved.instanceId(), std::logic_error);
  EXPECT_EQ(pool.leasedInstances(), 0u);
}

TEST(Pool, ALeaseMayOutliveItsPool) {
  std::optional<Lease> lease;
  {
    InstancePool pool(prepareHostile(), poolOf(1));
    lease.emplace(pool.checkout());
  }
  auto sum = (*lease)->callFunction<std::tuple<uint64_t>>(
      "just_add", std::make_tuple(uint64_t{40}, uint64_t{2}));
  ASSERT_TRUE(sum);
  EXPECT_EQ(std::get<0>(sum.ok()), uint64_t{42});
  lease.reset();
}

} // namespace
