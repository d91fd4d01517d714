// Unit tests of cancellation (`wasmhost::CancelHandle`): from another thread
// while the guest spins (core module and component) or sleeps in WASI, with
// no call in flight, twice, after the instance is gone; a cancel is a trap
// of its own kind, distinct from the time limit. No speed is asserted: the
// bounds ("within 5 s") only guard against a cancel that did not happen.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>

#include <gtest/gtest.h>

#include "article_host.hh"
#include "cli.hh"
#include "plugin_world.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/cancel_handle.hh"
#include "wasmhost/component/component_host.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using Clock = std::chrono::steady_clock;
using wasmhost::CancelHandle;
using wasmhost::ErrorKind;
using wasmhost::PluginInstance;
using wasmhost::WasmHost;
using wasmhost::WasmHostOptions;
using namespace std::chrono_literals;

constexpr auto kBound = 5s;

WasmHostOptions quiet(uint64_t timeout_ms = 60000) {
  WasmHostOptions options = test_options::quiet();
  options.timeout_ms = timeout_ms;
  return options;
}

std::string modulePath(const std::string &name) {
  return std::string(test_paths::kTestModules) + "/" + name;
}

/// The hostile guest (guest-hostile.wasm) with the article's host functions.
struct HostileGuest {
  explicit HostileGuest(const WasmHostOptions &options = quiet())
      : host(test_paths::kHostileWasm, options) {
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
  }
  wasmhost::app::HostState state;
  WasmHost host;
};

/// Cancels from another thread the call that `handle`'s instance makes next:
/// retries `interrupt()` until a call is in flight.
class Canceller {
public:
  explicit Canceller(CancelHandle handle)
      : thread_([handle] {
          const auto give_up = Clock::now() + kBound;
          while (!handle.interrupt() && Clock::now() < give_up) {
            std::this_thread::sleep_for(1ms);
          }
        }) {}

private:
  std::jthread thread_;
};

/// The call's error as `host` reports it, with its trap kind.
struct Failure {
  ErrorKind kind;
  std::string trap_kind;
  std::string message;
  Clock::duration elapsed;
};

template <typename Call> std::optional<Failure> failureOf(PluginInstance &instance, Call &&call) {
  const auto start = Clock::now();
  auto result = call();
  const auto elapsed = Clock::now() - start;
  if (result) {
    return std::nullopt;
  }
  const auto error = instance.toError("'call'", result.err_ref(), ErrorKind::Trap);
  return Failure{error.kind(), PluginInstance::trapKind(result.err_ref()), error.what(), elapsed};
}

TEST(Cancel, EndsASpinningCallFromAnotherThread) {
  HostileGuest guest;
  PluginInstance &instance = guest.host.instance();
  std::optional<Failure> failure;
  {
    const Canceller canceller(instance.cancelHandle());
    failure = failureOf(instance, [&] { return guest.host.callFunctionVoid("hostile_spin"); });
  }
  ASSERT_TRUE(failure) << "the spin returned";
  EXPECT_EQ(failure->kind, ErrorKind::Trap);
  EXPECT_EQ(failure->trap_kind, "cancelled");
  EXPECT_NE(failure->message.find("'call' trapped: cancelled: "), std::string::npos)
      << failure->message;
  EXPECT_NE(failure->message.find(wasmhost::detail::kCancelledMessage), std::string::npos);
  EXPECT_EQ(wasmhost::app::cli::exitStatusFor(failure->kind), wasmhost::app::cli::kGuestTrap);
  EXPECT_LT(failure->elapsed, kBound);
  EXPECT_TRUE(instance.hasTrapped());
}

TEST(Cancel, EndsAGuestSleepingInWasi) {
  HostileGuest guest;
  PluginInstance &instance = guest.host.instance();
  std::optional<Failure> failure;
  {
    const Canceller canceller(instance.cancelHandle());
    failure = failureOf(instance, [&] {
      return guest.host.callFunction<std::tuple<int32_t>>("hostile_sleep_ms",
                                                          std::make_tuple(int32_t{30000}));
    });
  }
  ASSERT_TRUE(failure) << "the 30 s sleep returned";
  EXPECT_EQ(failure->kind, ErrorKind::Trap);
  EXPECT_EQ(failure->trap_kind, "cancelled");
  EXPECT_LT(failure->elapsed, kBound);
}

TEST(Cancel, EndsRelativeAbsoluteAndRealtimeWasiSleeps) {
  // sleep.wat's relative, absolute and realtime sleeps of 30 s, under a
  // time limit of a minute: only the cancel ends them.
  for (const char *name : {"sleep_ns", "sleep_until_ns", "sleep_realtime_until_ns"}) {
    WasmHost host(modulePath("sleep.wat"), quiet());
    host.initialize();
    PluginInstance &instance = host.instance();
    std::optional<Failure> failure;
    {
      const Canceller canceller(instance.cancelHandle());
      failure = failureOf(instance, [&] {
        return host.callFunction<std::tuple<int32_t>>(name,
                                                      std::make_tuple(int64_t{30'000'000'000}));
      });
    }
    ASSERT_TRUE(failure) << name;
    EXPECT_EQ(failure->trap_kind, "cancelled") << name;
    EXPECT_LT(failure->elapsed, kBound) << name;
  }
}

TEST(Cancel, ASleepNotCancelledSleepsAndReturnsWasisEvents) {
  // With a cancel handle the guard waits for the clock itself, then lets
  // WASI report it: the guest sees one event, after the whole sleep.
  WasmHost host(modulePath("sleep.wat"), quiet());
  host.initialize();
  const CancelHandle handle = host.instance().cancelHandle();
  for (const char *name : {"sleep_ns", "sleep_until_ns"}) {
    const auto start = Clock::now();
    auto result =
        host.callFunction<std::tuple<int32_t>>(name, std::make_tuple(int64_t{20'000'000}));
    const auto elapsed = Clock::now() - start;
    ASSERT_TRUE(result) << name << ": " << result.err().message();
    EXPECT_EQ(std::get<0>(result.ok()), 1) << name;
    EXPECT_GE(elapsed, 20ms) << name;
  }
  auto two = host.callFunction<std::tuple<int32_t>>(
      "sleep_two_ns", std::make_tuple(int64_t{10'000'000}, int64_t{30'000'000'000}));
  ASSERT_TRUE(two) << two.err().message();
  EXPECT_EQ(std::get<0>(two.ok()), 1); // the 10 ms clock only
  EXPECT_EQ(handle.cancelledCalls(), 0u);
}

TEST(Cancel, BeforeAnyCallCancelsNothing) {
  HostileGuest guest;
  const CancelHandle handle = guest.host.instance().cancelHandle();
  EXPECT_FALSE(handle.interrupt()); // no call in flight
  auto sum = guest.host.callFunction<std::tuple<uint64_t>>(
      "just_add", std::make_tuple(uint64_t{40}, uint64_t{2}));
  ASSERT_TRUE(sum) << sum.err().message();
  EXPECT_EQ(std::get<0>(sum.ok()), uint64_t{42});
  EXPECT_EQ(handle.cancelledCalls(), 0u);
}

TEST(Cancel, TwiceCancelsTheOneCallAndTheInstanceGoesOn) {
  HostileGuest guest;
  PluginInstance &instance = guest.host.instance();
  const CancelHandle handle = instance.cancelHandle();
  std::optional<Failure> failure;
  {
    const std::jthread twice([handle] {
      const auto give_up = Clock::now() + kBound;
      while (!handle.interrupt() && Clock::now() < give_up) {
        std::this_thread::sleep_for(1ms);
      }
      handle.interrupt(); // again: still in flight, or already ended
    });
    failure = failureOf(instance, [&] { return guest.host.callFunctionVoid("hostile_spin"); });
  }
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->trap_kind, "cancelled");
  EXPECT_GE(handle.cancelledCalls(), 1u);
  // The next call on the same instance is not cancelled.
  auto sum = guest.host.callFunction<std::tuple<uint64_t>>(
      "just_add", std::make_tuple(uint64_t{40}, uint64_t{2}));
  ASSERT_TRUE(sum) << sum.err().message();
  EXPECT_EQ(std::get<0>(sum.ok()), uint64_t{42});
  // After reinstantiate() the same handle cancels the new store's calls.
  guest.host.reinstantiate();
  EXPECT_FALSE(instance.hasTrapped());
  {
    const Canceller canceller(handle);
    failure = failureOf(instance, [&] { return guest.host.callFunctionVoid("hostile_spin"); });
  }
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->trap_kind, "cancelled");
}

TEST(Cancel, AHandleOutlivesItsInstance) {
  std::optional<CancelHandle> handle;
  {
    HostileGuest guest;
    handle = guest.host.instance().cancelHandle();
  }
  EXPECT_FALSE(handle->interrupt());
  const CancelHandle copy = *handle;
  EXPECT_FALSE(copy.interrupt());
}

TEST(Cancel, IsDistinctFromTheTimeLimit) {
  HostileGuest limited(quiet(100));
  PluginInstance &instance = limited.host.instance();
  const CancelHandle handle = instance.cancelHandle(); // present, never used
  auto timed_out =
      failureOf(instance, [&] { return limited.host.callFunctionVoid("hostile_spin"); });
  ASSERT_TRUE(timed_out);
  EXPECT_EQ(timed_out->kind, ErrorKind::Trap);
  EXPECT_EQ(timed_out->trap_kind, "interrupt");
  EXPECT_NE(timed_out->message.find("(time limit of 100 ms)"), std::string::npos)
      << timed_out->message;
  EXPECT_EQ(timed_out->message.find("cancelled"), std::string::npos) << timed_out->message;

  std::optional<Failure> cancelled;
  {
    const Canceller canceller(handle);
    // A sleep, which the time limit of 100 ms would end too: the cancel
    // comes first or the limit does, and each says which it was.
    cancelled = failureOf(instance, [&] {
      return limited.host.callFunction<std::tuple<int32_t>>("hostile_sleep_ms",
                                                            std::make_tuple(int32_t{30000}));
    });
  }
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->kind, ErrorKind::Trap);
  EXPECT_TRUE(cancelled->trap_kind == "cancelled" || cancelled->trap_kind == "interrupt")
      << cancelled->trap_kind;
  if (cancelled->trap_kind == "cancelled") {
    EXPECT_EQ(cancelled->message.find("time limit"), std::string::npos) << cancelled->message;
  }
}

TEST(Cancel, NeedsEpochInterruption) {
  WasmHost host(modulePath("just_add.wat"), quiet(0));
  host.initialize();
  try {
    (void)host.instance().cancelHandle();
    FAIL() << "a cancel handle without epoch interruption";
  } catch (const std::logic_error &error) {
    EXPECT_NE(std::string(error.what()).find("timeout_ms > 0"), std::string::npos) << error.what();
  }
}

TEST(Cancel, EndsASpinningComponentCall) {
  wasmhost::app::world::ComponentHostState state;
  wasmhost::component::ComponentHost host(test_paths::kGuestComponentHostileWasm, quiet());
  wasmhost::plugin::host::add_to_linker(host, state);
  host.instantiate();
  const CancelHandle handle = host.cancelHandle();
  EXPECT_FALSE(handle.interrupt());
  const auto just_add = host.func<uint64_t(uint64_t, uint64_t)>("just-add");
  const auto start = Clock::now();
  std::optional<wasmtime::Result<uint64_t, wasmhost::Error>> result;
  {
    const Canceller canceller(handle);
    result.emplace(just_add.call(2, 0)); // 2: spins
  }
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(*result) << "the spin returned";
  const wasmhost::Error &error = result->err();
  EXPECT_EQ(error.kind(), ErrorKind::Trap);
  EXPECT_NE(std::string(error.what()).find("'just-add' failed: cancelled: "), std::string::npos)
      << error.what();
  EXPECT_LT(elapsed, kBound);
  // The component instance refuses calls after a trap; a host sharing the
  // compiled component is not cancelled by the old handle.
  auto second = wasmhost::component::ComponentHost::sharingComponentOf(host);
  wasmhost::app::world::ComponentHostState second_state;
  wasmhost::plugin::host::add_to_linker(second, second_state);
  second.instantiate();
  EXPECT_FALSE(handle.interrupt());
  EXPECT_EQ(second.func<uint64_t(uint64_t, uint64_t)>("just-add")(40, 2), uint64_t{42});
}

TEST(Cancel, AComponentHandleNeedsEpochInterruption) {
  wasmhost::component::ComponentHost host(test_paths::kGuestComponentWasm, quiet(0));
  EXPECT_THROW((void)host.cancelHandle(), std::logic_error);
}

} // namespace
