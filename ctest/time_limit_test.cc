// Unit tests of the time limit (the process's epoch ticker and each store's
// deadline callback) and of nested calls, which keep the outer call's limits.
// No speed is asserted: the upper bounds only guard against a hang.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/detail/epoch_ticker.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using Clock = std::chrono::steady_clock;
using test_options::quiet;
using wasmhost::WasmHost;
using wasmhost::detail::EpochTicker;
using namespace std::chrono_literals;

std::string modulePath(const std::string &name) {
  return std::string(test_paths::kTestModules) + "/" + name;
}

size_t threadsOfThisProcess() {
  size_t count = 0;
  for ([[maybe_unused]] const auto &entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++count;
  }
  return count;
}

/// Waits (at most `limit`) until the ticker thread parks.
bool waitUntilParked(std::chrono::milliseconds limit = 5000ms) {
  const auto give_up = Clock::now() + limit;
  while (Clock::now() < give_up) {
    if (EpochTicker::stats().parked) {
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

/// reenter.wat with `env::reenter` calling `inner` back on the same host;
/// stops with a "runaway" exception after 10 s, so that a limit that does not
/// hold fails the test instead of hanging it.
struct ReenteringGuest {
  explicit ReenteringGuest(const wasmhost::WasmHostOptions &options)
      : host(modulePath("reenter.wat"), options) {
    host.defineHostFunction("env", "reenter", [this] {
      if (Clock::now() - start > 10s) {
        runaway = true;
        throw std::runtime_error("runaway: the limit did not stop the guest");
      }
      ++nested_calls;
      auto inner = host.callFunctionVoid("inner");
      if (!inner) {
        inner_failure = WasmHost::trapKind(inner.err_ref());
        throw std::runtime_error("inner call failed: " + inner_failure);
      }
    });
    host.initialize();
  }

  /// The kind of the trap that stopped `outer`: its own, or the nested
  /// call's when the limit hit inside it (the host function then failed).
  std::string stopKind(const wasmtime::TrapError &error) const {
    const std::string kind = WasmHost::trapKind(error);
    return kind == "host function failed" && !inner_failure.empty() ? inner_failure : kind;
  }

  Clock::time_point start = Clock::now();
  uint64_t nested_calls = 0;
  bool runaway = false;
  std::string inner_failure;
  WasmHost host;
};

TEST(TimeLimit, ANestedCallKeepsTheOuterDeadline) {
  auto options = quiet();
  options.timeout_ms = 100;
  ReenteringGuest guest(options);
  guest.start = Clock::now();
  auto result = guest.host.callFunctionVoid("outer");
  const auto elapsed = Clock::now() - guest.start;
  ASSERT_FALSE(result);
  EXPECT_FALSE(guest.runaway) << "the nested calls re-armed the deadline";
  EXPECT_EQ(guest.stopKind(result.err_ref()), "interrupt") << result.err().message();
  EXPECT_GT(guest.nested_calls, 0u);
  EXPECT_GE(elapsed, 100ms);
  EXPECT_LT(elapsed, 5000ms); // guards against a hang only
  // The next outermost call gets the whole limit again.
  EXPECT_TRUE(guest.host.callFunctionVoid("inner"));
}

TEST(TimeLimit, ANestedCallKeepsTheOuterFuel) {
  auto options = quiet();
  options.timeout_ms = 0;
  options.fuel = 200'000;
  ReenteringGuest guest(options);
  auto result = guest.host.callFunctionVoid("outer");
  ASSERT_FALSE(result);
  EXPECT_FALSE(guest.runaway) << "the nested calls refilled the fuel";
  EXPECT_EQ(guest.stopKind(result.err_ref()), "out of fuel") << result.err().message();
  // Each nested call burns fuel of the one budget: far fewer calls than units.
  EXPECT_GT(guest.nested_calls, 0u);
  EXPECT_LT(guest.nested_calls, 200'000u);
  EXPECT_TRUE(guest.host.callFunctionVoid("inner"));
}

TEST(TimeLimit, NeverEarlyWithBothCoresBusy) {
  std::atomic<bool> stop{false};
  std::vector<std::jthread> load;
  for (unsigned i = 0; i < std::max(2u, std::thread::hardware_concurrency()) + 1; ++i) {
    load.emplace_back([&stop] {
      uint64_t spin = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        ++spin;
      }
    });
  }
  auto options = quiet();
  options.timeout_ms = 20;
  WasmHost host(modulePath("spin.wat"), options);
  host.initialize();
  for (int round = 0; round < 5; ++round) {
    const auto start = Clock::now();
    auto result = host.callFunctionVoid("spin");
    const auto elapsed = Clock::now() - start;
    ASSERT_FALSE(result);
    EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt");
    EXPECT_GE(elapsed, 20ms) << "round " << round;
    EXPECT_LT(elapsed, 5000ms) << "round " << round; // guards against a hang only
  }
  stop = true;
}

TEST(EpochTicker, OneThreadForEveryHostOfTheProcess) {
  EXPECT_FALSE(EpochTicker::stats().running) << "no host, no ticker thread";
  std::vector<std::unique_ptr<WasmHost>> hosts;
  hosts.push_back(std::make_unique<WasmHost>(modulePath("spin.wat"), quiet()));
  const size_t threads_with_one = threadsOfThisProcess();
  for (int i = 1; i < 100; ++i) {
    hosts.push_back(std::make_unique<WasmHost>(modulePath("spin.wat"), quiet()));
  }
  for (auto &host : hosts) {
    host->initialize();
  }
  const auto stats = EpochTicker::stats();
  EXPECT_TRUE(stats.running);
  EXPECT_EQ(stats.engines, 100u);
  EXPECT_EQ(threadsOfThisProcess(), threads_with_one) << "a thread per host";
  hosts.clear();
  EXPECT_FALSE(EpochTicker::stats().running) << "the thread stops with the last engine";
  EXPECT_EQ(EpochTicker::stats().engines, 0u);
}

TEST(EpochTicker, AnEngineLeavesTheTickerWithItsPlugin) {
  auto first = std::make_unique<WasmHost>(modulePath("spin.wat"), quiet());
  auto second = std::make_unique<WasmHost>(modulePath("spin.wat"), quiet());
  EXPECT_EQ(EpochTicker::stats().engines, 2u);
  first.reset();
  EXPECT_EQ(EpochTicker::stats().engines, 1u) << "the first plugin's engine is still ticked";
  EXPECT_TRUE(EpochTicker::stats().running);
  second.reset();
  EXPECT_FALSE(EpochTicker::stats().running);
}

TEST(EpochTicker, AHostWithoutATimeLimitRegistersNoEngine) {
  auto options = quiet();
  options.timeout_ms = 0;
  WasmHost host(modulePath("spin.wat"), options);
  host.initialize();
  EXPECT_EQ(host.plugin().epochTicker(), nullptr);
  EXPECT_FALSE(EpochTicker::stats().running);
}

TEST(EpochTicker, ParksWhileNoGuestRuns) {
  std::vector<std::unique_ptr<WasmHost>> hosts;
  for (int i = 0; i < 100; ++i) { // default options: a 10 s limit each
    hosts.push_back(std::make_unique<WasmHost>(modulePath("reactor.wat"), quiet()));
    hosts.back()->initialize();
  }
  ASSERT_TRUE(waitUntilParked()) << "the ticker never parked";
  const uint64_t before = EpochTicker::stats().wakeups;
  std::this_thread::sleep_for(200ms);
  const auto after = EpochTicker::stats();
  EXPECT_TRUE(after.parked);
  // Ticking, it would have woken about 200 times; parked it wakes only for
  // its safety poll (1 s at first).
  EXPECT_LE(after.wakeups - before, 1u);
}

TEST(EpochTicker, ACallWakesTheParkedTicker) {
  auto options = quiet();
  options.timeout_ms = 50;
  WasmHost host(modulePath("spin.wat"), options);
  host.initialize();
  ASSERT_TRUE(waitUntilParked());
  const uint64_t before = EpochTicker::stats().wakeups;
  const auto start = Clock::now();
  auto result = host.callFunctionVoid("spin");
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt");
  EXPECT_GE(elapsed, 50ms);
  EXPECT_LT(elapsed, 5000ms); // guards against a hang only
  EXPECT_GT(EpochTicker::stats().wakeups, before);
}

TEST(EpochTicker, AKeepTickingRegistrationNeverParks) {
  wasmtime::Config config;
  config.epoch_interruption(true);
  const wasmtime::Engine engine(std::move(config));
  const EpochTicker ticking(engine, /*keep_ticking=*/true);
  std::this_thread::sleep_for(std::chrono::milliseconds(EpochTicker::kIdleTicks * 3));
  const auto stats = EpochTicker::stats();
  EXPECT_FALSE(stats.parked);
  EXPECT_GT(stats.wakeups, EpochTicker::kIdleTicks);
  EXPECT_EQ(stats.engines, 1u);
}

TEST(EpochTicker, AParkingRegistrationParks) {
  wasmtime::Config config;
  config.epoch_interruption(true);
  const wasmtime::Engine engine(std::move(config));
  const EpochTicker parking(engine, /*keep_ticking=*/false);
  EXPECT_TRUE(waitUntilParked());
}

} // namespace

TEST(Reentrancy, ReinstantiateFromAHostFunctionIsRefused) {
  WasmHost host(modulePath("reenter.wat"), quiet());
  std::string refused;
  host.defineHostFunction("env", "reenter", [&] {
    try {
      host.reinstantiate();
    } catch (const std::logic_error &error) {
      refused = error.what();
      throw;
    }
  });
  host.initialize();
  auto result = host.callFunctionVoid("outer");
  ASSERT_FALSE(result);
  EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "host function failed");
  EXPECT_NE(refused.find("reinstantiate() is refused while a call into the guest runs"),
            std::string::npos)
      << refused;
  // The instance the host function could not replace still runs.
  EXPECT_TRUE(host.callFunctionVoid("inner"));
}
