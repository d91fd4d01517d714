// Unit tests of the per-call figures (`wasmhost::CallStats`) with real
// values from real calls: fuel burnt, memory grown, a 100 ms sleep's wall
// time (a lower bound only: no speed is asserted), and their text
// (`app::formatCallStats`).
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "article_host.hh"
#include "call_stats.hh"
#include "plugin_world.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/component/component_host.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using wasmhost::CallStats;
using wasmhost::WasmHost;
using wasmhost::WasmHostOptions;
using namespace std::chrono_literals;

constexpr uint64_t kFuel = 2'000'000'000;
constexpr uint64_t kPage = 65536;

WasmHostOptions quiet(uint64_t fuel = 0) {
  WasmHostOptions options = test_options::quiet();
  options.fuel = fuel;
  return options;
}

struct HostileGuest {
  explicit HostileGuest(const WasmHostOptions &options) : host(test_paths::kHostileWasm, options) {
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
    host.instance().recordCallStats();
  }
  wasmhost::app::HostState state;
  WasmHost host;
};

uint64_t fuelOfRecursion(HostileGuest &guest, uint64_t depth) {
  auto result =
      guest.host.callFunction<std::tuple<uint64_t>>("hostile_recurse", std::make_tuple(depth));
  EXPECT_TRUE(result) << result.err().message();
  const CallStats stats = guest.host.instance().lastCallStats();
  EXPECT_TRUE(stats.fuel_used.has_value());
  EXPECT_FALSE(stats.trapped);
  return stats.fuel_used.value_or(0);
}

TEST(CallStats, FuelUsedIsWhatTheCallBurnt) {
  HostileGuest guest(quiet(kFuel));
  const uint64_t shallow = fuelOfRecursion(guest, 10);
  const uint64_t deep = fuelOfRecursion(guest, 1000);
  EXPECT_GT(shallow, 0u);
  EXPECT_LT(deep, kFuel);
  EXPECT_GT(deep, shallow); // a hundred times the recursion burns more
  // The same call again burns the same fuel (the budget is refilled).
  EXPECT_EQ(fuelOfRecursion(guest, 10), shallow);
}

TEST(CallStats, FuelIsUnsetWithoutMetering) {
  HostileGuest guest(quiet(0));
  auto result = guest.host.callFunction<std::tuple<uint64_t>>(
      "just_add", std::make_tuple(uint64_t{40}, uint64_t{2}));
  ASSERT_TRUE(result);
  EXPECT_FALSE(guest.host.instance().lastCallStats().fuel_used.has_value());
}

TEST(CallStats, PeakMemoryIsAtLeastTheGrownSize) {
  HostileGuest guest(quiet());
  const uint64_t before = guest.host.getMemorySpan().size();
  auto grown = guest.host.callFunction<std::tuple<int32_t>>("hostile_grow_memory",
                                                            std::make_tuple(int32_t{16}));
  ASSERT_TRUE(grown) << grown.err().message();
  ASSERT_EQ(uint64_t(std::get<0>(grown.ok())) * kPage, before); // the old size, in pages
  const CallStats stats = guest.host.instance().lastCallStats();
  ASSERT_TRUE(stats.peak_memory_bytes.has_value());
  EXPECT_GE(*stats.peak_memory_bytes, before + 16 * kPage);
  EXPECT_EQ(*stats.peak_memory_bytes, guest.host.getMemorySpan().size());
}

TEST(CallStats, WallTimeOfASleepIsAtLeastTheSleep) {
  HostileGuest guest(quiet());
  auto slept = guest.host.callFunction<std::tuple<int32_t>>("hostile_sleep_ms",
                                                            std::make_tuple(int32_t{100}));
  ASSERT_TRUE(slept) << slept.err().message();
  EXPECT_EQ(std::get<0>(slept.ok()), 100);
  EXPECT_GE(guest.host.instance().lastCallStats().wall_time, 100ms);
}

TEST(CallStats, ATrappedCallIsMarked) {
  HostileGuest guest(quiet(kFuel));
  ASSERT_FALSE(guest.host.callFunctionVoid("hostile_panic"));
  const CallStats stats = guest.host.instance().lastCallStats();
  EXPECT_TRUE(stats.trapped);
  EXPECT_GT(stats.fuel_used.value_or(0), 0u);
  auto sum = guest.host.callFunction<std::tuple<uint64_t>>(
      "just_add", std::make_tuple(uint64_t{40}, uint64_t{2}));
  ASSERT_TRUE(sum);
  EXPECT_FALSE(guest.host.instance().lastCallStats().trapped);
}

TEST(CallStats, RefusedWhenNotRecording) {
  WasmHost host(test_paths::kHostileWasm, quiet());
  wasmhost::app::HostState state;
  wasmhost::app::defineArticleHostFunctions(host, state);
  host.initialize();
  EXPECT_THROW((void)host.instance().lastCallStats(), std::logic_error);
  host.instance().recordCallStats();
  EXPECT_EQ(host.instance().lastCallStats().wall_time, 0ns); // no call yet
  host.instance().recordCallStats(false);
  EXPECT_THROW((void)host.instance().lastCallStats(), std::logic_error);
}

TEST(CallStats, AComponentCallsFigures) {
  wasmhost::app::world::ComponentHostState state;
  wasmhost::component::ComponentHost host(test_paths::kGuestComponentWasm, quiet(kFuel));
  wasmhost::plugin::host::add_to_linker(host, state);
  EXPECT_THROW((void)host.lastCallStats(), std::logic_error);
  host.recordCallStats();
  host.instantiate();
  EXPECT_EQ(host.func<uint64_t(uint64_t, uint64_t)>("just-add")(40, 2), uint64_t{42});
  const CallStats stats = host.lastCallStats();
  ASSERT_TRUE(stats.fuel_used.has_value());
  EXPECT_GT(*stats.fuel_used, 0u);
  EXPECT_LT(*stats.fuel_used, kFuel);
  EXPECT_GT(stats.wall_time, 0ns);
  EXPECT_FALSE(stats.peak_memory_bytes.has_value()); // not reachable for a component
  EXPECT_FALSE(stats.trapped);
}

TEST(CallStats, FormattedOnOneLine) {
  CallStats stats;
  stats.fuel_used = 1234;
  stats.wall_time = std::chrono::nanoseconds(101'234'567);
  stats.peak_memory_bytes = 1114112;
  EXPECT_EQ(wasmhost::app::formatCallStats(stats),
            "[Host Stats] fuel used: 1234, wall time: 101.234 ms, peak memory: 1114112 bytes");
  CallStats unset;
  unset.wall_time = std::chrono::nanoseconds(999);
  unset.trapped = true;
  EXPECT_EQ(wasmhost::app::formatCallStats(unset),
            "[Host Stats] fuel used: off, wall time: 0.000 ms, peak memory: unknown, trapped");
  CallStats negative;
  negative.wall_time = std::chrono::nanoseconds(-5);
  EXPECT_EQ(wasmhost::app::formatCallStats(negative),
            "[Host Stats] fuel used: off, wall time: 0.000 ms, peak memory: unknown");
}

} // namespace
