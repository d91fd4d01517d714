// Unit tests of WASI's poll_oneoff under the limits (`detail::WasiPollGuard`):
// a sleep past the time limit ends at the limit with the interrupt trap, one
// the fuel cannot pay ends out of fuel, a sleep within the limits sleeps and
// is charged to the fuel. modules/sleep.wat's exports return the number of
// events, or minus WASI's errno. No speed is asserted: the upper bounds only
// guard against a sleep that escaped the limits.
#include <chrono>
#include <cstdint>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using Clock = std::chrono::steady_clock;
using wasmhost::WasmHost;
using namespace std::chrono_literals;

constexpr int64_t k30Seconds = 30'000'000'000;
constexpr int64_t k5Milliseconds = 5'000'000;
constexpr int64_t kForever = -1; // 2^64-1 ns as a u64

std::string modulePath(const std::string &name) {
  return std::string(test_paths::kTestModules) + "/" + name;
}

wasmhost::WasmHostOptions limits(uint64_t timeout_ms, uint64_t fuel) {
  wasmhost::WasmHostOptions options = test_options::quiet();
  options.timeout_ms = timeout_ms;
  options.fuel = fuel;
  return options;
}

struct Sleeper {
  explicit Sleeper(const wasmhost::WasmHostOptions &options)
      : host(modulePath("sleep.wat"), options) {
    host.initialize();
  }

  /// Calls `name(nanoseconds)`; `elapsed` is how long it took.
  wasmtime::TrapResult<std::tuple<int32_t>> sleep(const char *name, int64_t nanoseconds) {
    const auto start = Clock::now();
    auto result = host.callFunction<std::tuple<int32_t>>(name, std::make_tuple(nanoseconds));
    elapsed = Clock::now() - start;
    return result;
  }

  WasmHost host;
  Clock::duration elapsed{};
};

TEST(WasiSleep, PastTheTimeLimitEndsAtTheLimit) {
  for (const char *name : {"sleep_ns", "sleep_until_ns", "sleep_realtime_until_ns"}) {
    for (const int64_t nanoseconds : {k30Seconds, kForever}) {
      if (nanoseconds == kForever && std::string(name) != "sleep_ns") {
        continue; // an absolute deadline of now + 2^64-1 wraps around
      }
      Sleeper sleeper(limits(100, 0));
      auto result = sleeper.sleep(name, nanoseconds);
      ASSERT_FALSE(result) << name;
      EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt") << result.err().message();
      EXPECT_EQ(sleeper.host.describeTrap(result.err_ref())
                    .rfind("interrupt (time limit of 100 ms): ", 0),
                0u);
      EXPECT_GE(sleeper.elapsed, 100ms) << name;  // the limit, never early
      EXPECT_LT(sleeper.elapsed, 5000ms) << name; // not the sleep
    }
  }
}

TEST(WasiSleep, WithinTheTimeLimitSleeps) {
  Sleeper sleeper(limits(1000, 0));
  for (const char *name : {"sleep_ns", "sleep_until_ns", "sleep_realtime_until_ns"}) {
    auto result = sleeper.sleep(name, k5Milliseconds);
    ASSERT_TRUE(result) << result.err().message();
    EXPECT_EQ(std::get<0>(result.ok()), 1) << name; // one event: the clock
    EXPECT_GE(sleeper.elapsed, 4ms) << name;        // it did sleep (the realtime clock's grain)
  }
}

TEST(WasiSleep, TheEarlierOfTwoClocksEndsTheWait) {
  Sleeper sleeper(limits(1000, 0));
  const auto start = Clock::now();
  auto result = sleeper.host.callFunction<std::tuple<int32_t>>(
      "sleep_two_ns", std::make_tuple(k30Seconds, k5Milliseconds));
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(std::get<0>(result.ok()), 1);
  EXPECT_LT(Clock::now() - start, 5000ms);
}

TEST(WasiSleep, ADescriptorSubscriptionGoesToWasi) {
  // stdin is empty, so ready at once: WASI's own poll_oneoff returns without
  // waiting for the 30 s clock, and the limit is not hit.
  Sleeper sleeper(limits(1000, 0));
  auto result = sleeper.sleep("sleep_fd_and_clock_ns", k30Seconds);
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(std::get<0>(result.ok()), 1);
  EXPECT_LT(sleeper.elapsed, 5000ms);
}

TEST(WasiSleep, FuelOnlyASleepItCannotPayRunsOutOfFuel) {
  // 10^8 fuel pays 100 ms of sleep at kSleepFuelPerMillisecond.
  static_assert(wasmhost::WasmHostOptions::kSleepFuelPerMillisecond == 1'000'000);
  for (const int64_t nanoseconds : {k30Seconds, kForever}) {
    Sleeper sleeper(limits(0, 100'000'000));
    auto result = sleeper.sleep("sleep_ns", nanoseconds);
    ASSERT_FALSE(result);
    EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "out of fuel") << result.err().message();
    EXPECT_EQ(sleeper.host.describeTrap(result.err_ref())
                  .rfind("out of fuel (fuel budget of 100000000): ", 0),
              0u);
    EXPECT_GE(sleeper.elapsed, 90ms); // it slept for what its fuel paid
    EXPECT_LT(sleeper.elapsed, 5000ms);
  }
}

TEST(WasiSleep, FuelPaysForASleepWithinIt) {
  Sleeper sleeper(limits(0, 100'000'000));
  auto result = sleeper.sleep("sleep_ns", k5Milliseconds);
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(std::get<0>(result.ok()), 1);
  auto fuel = sleeper.host.context().get_fuel();
  ASSERT_TRUE(fuel);
  // At least the 5 ms it slept, 5 * 10^6 units.
  EXPECT_LE(fuel.ok(), 100'000'000u - 5'000'000u);
}

TEST(WasiSleep, TheNearerOfTimeAndFuelDecides) {
  // 10 s of time but only 50 ms of fuel: out of fuel.
  Sleeper by_fuel(limits(10'000, 50'000'000));
  auto result = by_fuel.sleep("sleep_ns", k30Seconds);
  ASSERT_FALSE(result);
  EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "out of fuel");
  // 100 ms of time and 10 s of fuel: the time limit.
  Sleeper by_time(limits(100, 10'000'000'000));
  result = by_time.sleep("sleep_ns", k30Seconds);
  ASSERT_FALSE(result);
  EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt");
}

TEST(WasiSleep, InInitializeAndStartEndsAtTheLimit) {
  for (const char *module : {"sleep_in_initialize.wat", "sleep_in_start.wat"}) {
    WasmHost host(modulePath(module), limits(100, 0));
    const auto start = Clock::now();
    try {
      host.initialize();
      ADD_FAILURE() << module << " initialized";
    } catch (const wasmhost::Error &error) {
      EXPECT_EQ(error.kind(), wasmhost::ErrorKind::Trap);
      EXPECT_NE(std::string(error.what()).find("interrupt (time limit of 100 ms)"),
                std::string::npos)
          << error.what();
    }
    EXPECT_LT(Clock::now() - start, 5000ms) << module;
  }
}

TEST(WasiSleep, AfterReinstantiateTheNewStoreIsGuarded) {
  Sleeper sleeper(limits(100, 0));
  ASSERT_FALSE(sleeper.sleep("sleep_ns", k30Seconds));
  sleeper.host.reinstantiate();
  auto result = sleeper.sleep("sleep_ns", k30Seconds);
  ASSERT_FALSE(result);
  EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt");
  EXPECT_LT(sleeper.elapsed, 5000ms);
  result = sleeper.sleep("sleep_ns", k5Milliseconds);
  ASSERT_TRUE(result) << result.err().message();
}

TEST(WasiSleep, HostileSubscriptionsAreWasiErrorsOrTraps) {
  Sleeper sleeper(limits(1000, 0));
  const auto raw = [&](int32_t in, int32_t out, int32_t count) {
    return sleeper.host.callFunction<std::tuple<int32_t>>("poll_raw",
                                                          std::make_tuple(in, out, count));
  };
  auto none = raw(0, 1024, 0);
  ASSERT_TRUE(none);
  EXPECT_EQ(std::get<0>(none.ok()), 28); // EINVAL: no subscription
  auto huge = raw(0, 1024, -1);
  ASSERT_TRUE(huge);
  EXPECT_EQ(std::get<0>(huge.ok()), 48); // ENOMEM: 2^32-1 subscriptions
  for (const auto &[in, count] : {std::pair{65500, 1}, std::pair{0, 100000}, std::pair{-16, 1}}) {
    auto outside = raw(in, 1024, count);
    ASSERT_FALSE(outside) << in << " " << count;
    EXPECT_EQ(WasmHost::trapKind(outside.err_ref()), "host function failed");
    EXPECT_NE(outside.err().message().find("Pointer "), std::string::npos)
        << outside.err().message();
  }
  // The events outside memory and a 30 s clock: the limit still holds.
  const auto start = Clock::now();
  auto events_outside = raw(0, 70000, 1);
  ASSERT_FALSE(events_outside);
  EXPECT_EQ(WasmHost::trapKind(events_outside.err_ref()), "interrupt");
  EXPECT_LT(Clock::now() - start, 5000ms);
}

TEST(WasiSleep, WithoutLimitsWasiIsNotGuarded) {
  WasmHost unlimited(modulePath("sleep.wat"), limits(0, 0));
  unlimited.initialize();
  EXPECT_EQ(unlimited.instance().plugin().wasiPollGuard(), nullptr);
  auto result =
      unlimited.callFunction<std::tuple<int32_t>>("sleep_ns", std::make_tuple(k5Milliseconds));
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(std::get<0>(result.ok()), 1);
  WasmHost limited(modulePath("sleep.wat"), limits(1000, 0));
  limited.initialize();
  EXPECT_NE(limited.instance().plugin().wasiPollGuard(), nullptr);
}

} // namespace
