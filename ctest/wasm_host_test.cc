// Unit tests of WasmHost against the real guest and small WAT modules.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "article_host.hh"
#include "guest_fixture.hh"
#include "point.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::WasmHost;
using wasmhost::app::HostState;
using wasmhost::app::Point;

std::string modulePath(const std::string &name) {
  return std::string(test_paths::kTestModules) + "/" + name;
}

/// Writes `text` to a fresh file named `name` in the temp folder.
std::string writeTempFile(const std::string &name, const std::string &text) {
  auto path = std::filesystem::temp_directory_path() /
              ("wasmhost-unit-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

const char *const kGuest = test_paths::kGuestWasm;

bool isTrap(const wasmtime::TrapError &error) {
  return std::holds_alternative<wasmtime::Trap>(error.data);
}

TEST_F(GuestFixture, JustAddReturnsTheSum) {
  auto result = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(uint64_t{15}, uint64_t{27}));
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(std::get<0>(result.ok()), 42u);
}

TEST_F(GuestFixture, TriggerHostCallsChangesHostState) {
  auto result = host.callFunctionVoid("trigger_host_calls", std::make_tuple(int32_t{7}));
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(state.logged_values.recent(), std::vector<int32_t>{14});
  EXPECT_EQ(state.values_read_by_guest.recent(), std::vector<int32_t>{42});
  EXPECT_EQ(state.shared_host_value, 54);
}

TEST(RecentValues, CountsEveryValueAndKeepsTheLastWindow) {
  using wasmhost::app::RecentValues;
  RecentValues values;
  EXPECT_EQ(values.count(), 0u);
  EXPECT_TRUE(values.recent().empty());
  values.push(1);
  values.push(2);
  EXPECT_EQ(values.recent(), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(values.since(1), std::vector<int32_t>{2});
  EXPECT_TRUE(values.since(2).empty());
  EXPECT_TRUE(values.since(5).empty()); // past the count: nothing
  for (int32_t i = 0; i < 200000; ++i) {
    values.push(i);
  }
  EXPECT_EQ(values.count(), 200002u);
  const auto recent = values.recent();
  ASSERT_EQ(recent.size(), RecentValues::kWindow);
  EXPECT_EQ(recent.front(), 200000 - static_cast<int32_t>(RecentValues::kWindow));
  EXPECT_EQ(recent.back(), 199999);
  EXPECT_EQ(values.since(values.count() - 2), (std::vector<int32_t>{199998, 199999}));
  // More values since than the window holds: the last kWindow, never equal
  // to a shorter expected list.
  EXPECT_EQ(values.since(0).size(), RecentValues::kWindow);
  EXPECT_EQ(sizeof(RecentValues), RecentValues::kWindow * sizeof(int32_t) + sizeof(uint64_t));
}

TEST_F(GuestFixture, HostCallsKeepWorkingPastAnyRecordCount) {
  // 70 000 calls of each host function: past the 65 536 values the records
  // once kept for the life of the process.
  constexpr int kCalls = 70000;
  for (int i = 0; i < kCalls; ++i) {
    auto result = host.callFunctionVoid("trigger_host_calls", std::make_tuple(int32_t{1}));
    ASSERT_TRUE(result) << "call " << i << ": " << result.err().message();
  }
  EXPECT_EQ(state.logged_values.count(), uint64_t{kCalls});
  EXPECT_EQ(state.values_read_by_guest.count(), uint64_t{kCalls});
  EXPECT_EQ(state.shared_host_value, 42 + kCalls * 6);
  EXPECT_EQ(state.logged_values.since(kCalls - 1), std::vector<int32_t>{2});
  EXPECT_EQ(state.values_read_by_guest.since(kCalls - 1),
            std::vector<int32_t>{42 + (kCalls - 1) * 6});
}

TEST_F(GuestFixture, PointRoundTripsThroughMemory) {
  host.writeMemory(2048, Point{100, 200});
  host.writeMemory(2056, Point{30, 70});
  auto result = host.callFunctionVoid("point_add",
                                      std::make_tuple(int32_t{2064}, int32_t{2048}, int32_t{2056}));
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(host.readMemory<Point>(2064), (Point{130, 270}));
}

TEST_F(GuestFixture, PluginDataOffsetPointsAtTheInitialValue) {
  const int32_t offset = host.getPluginDataOffset("get_plugin_shared_value_ptr");
  ASSERT_GT(offset, 0);
  EXPECT_EQ(host.readMemory<int32_t>(offset), 100);
  host.writeMemory(offset, int32_t{777});
  EXPECT_EQ(host.readMemory<int32_t>(offset), 777);
}

TEST_F(GuestFixture, PluginDataOffsetOfAMissingExportIsMinusOne) {
  EXPECT_EQ(host.getPluginDataOffset("no_such_export"), -1);
}

TEST_F(GuestFixture, MemorySpanCoversTheWholeMemory) {
  auto memory = host.getMemorySpan();
  // The guest's linear memory: 17 pages of 64 KiB for a default Rust cdylib.
  EXPECT_EQ(memory.size() % 65536, 0u);
  EXPECT_EQ(memory.size(), 1114112u);
}

TEST_F(GuestFixture, NegativeOffsetsAreRefused) {
  EXPECT_THROW(host.writeMemory(-1, int32_t{1}), std::out_of_range);
  EXPECT_THROW(host.readMemory<int32_t>(-8), std::out_of_range);
}

TEST_F(GuestFixture, AccessesPastTheEndAreRefusedAndNamed) {
  const auto size = static_cast<int32_t>(host.getMemorySpan().size());
  EXPECT_NO_THROW(host.writeMemory(size - 8, Point{1, 2}));
  EXPECT_EQ(host.readMemory<Point>(size - 8), (Point{1, 2}));
  try {
    host.writeMemory(size - 4, Point{3, 4});
    FAIL() << "a write straddling the end was accepted";
  } catch (const std::out_of_range &error) {
    EXPECT_EQ(std::string(error.what()),
              "Memory write out of bounds: offset " + std::to_string(size - 4) +
                  " + size 8 exceeds memory size " + std::to_string(size));
  }
  EXPECT_THROW(host.readMemory<Point>(size - 7), std::out_of_range);
  EXPECT_THROW(host.readMemory<int32_t>(std::numeric_limits<int32_t>::max()), std::out_of_range);
  // The memory after the refused write still holds the last good write.
  EXPECT_EQ(host.readMemory<Point>(size - 8), (Point{1, 2}));
}

TEST_F(GuestFixture, BytesRoundTripThroughMemoryAndAreBoundsChecked) {
  const std::vector<uint8_t> bytes{1, 2, 3, 4, 5};
  host.writeBytes(4096, bytes);
  std::vector<uint8_t> back(bytes.size());
  host.readBytes(4096, back);
  EXPECT_EQ(back, bytes);
  EXPECT_EQ(host.readMemory<uint8_t>(4100), 5);
  const auto size = static_cast<int32_t>(host.getMemorySpan().size());
  EXPECT_THROW(host.writeBytes(size - 4, bytes), std::out_of_range);
  EXPECT_THROW(host.readBytes(-1, back), std::out_of_range);
  EXPECT_NO_THROW(host.readBytes(size, std::span<uint8_t>()));
}

TEST_F(GuestFixture, GrowMemoryAddsPagesAndReturnsThePreviousSize) {
  const auto before = host.getMemorySpan().size();
  EXPECT_EQ(host.growMemory(2), before / 65536);
  EXPECT_EQ(host.getMemorySpan().size(), before + 2 * 65536);
  host.writeMemory(static_cast<int32_t>(before + 65536), Point{5, 6});
  EXPECT_EQ(host.readMemory<Point>(static_cast<int32_t>(before + 65536)), (Point{5, 6}));
  EXPECT_THROW(host.growMemory(uint64_t{1} << 40), std::runtime_error);
}

TEST(MemoryRange, OffsetPlusSizeNeverOverflows) {
  constexpr size_t kMax = std::numeric_limits<size_t>::max();
  // offset + size wraps around in size_t: a naive check would accept it.
  EXPECT_THROW(WasmHost::checkMemoryRange(std::numeric_limits<int64_t>::max(), kMax, kMax, "read"),
               std::out_of_range);
  EXPECT_THROW(WasmHost::checkMemoryRange(16, kMax - 8, kMax, "write"), std::out_of_range);
  EXPECT_NO_THROW(WasmHost::checkMemoryRange(8, kMax - 8, kMax, "write"));
  EXPECT_NO_THROW(WasmHost::checkMemoryRange(0, 0, 0, "read"));
  EXPECT_THROW(WasmHost::checkMemoryRange(0, 1, 0, "read"), std::out_of_range);
}

TEST_F(GuestFixture, HostFunctionsCannotBeDefinedAfterInitialization) {
  EXPECT_THROW(host.defineHostFunction("env", "late", []() {}), std::logic_error);
}

TEST_F(GuestFixture, AMissingExportIsAnErrorNotATrap) {
  auto result = host.callFunction<std::tuple<int32_t>>("no_such_export");
  ASSERT_FALSE(result);
  EXPECT_FALSE(isTrap(result.err_ref()));
  EXPECT_NE(result.err().message().find("export 'no_such_export' not found"), std::string::npos);
}

TEST_F(GuestFixture, AWrongSignatureIsAnErrorNamingBothTypes) {
  auto result = host.callFunction<std::tuple<int32_t>, std::tuple<int32_t>>(
      "just_add", std::make_tuple(int32_t{1}));
  ASSERT_FALSE(result);
  EXPECT_FALSE(isTrap(result.err_ref()));
  EXPECT_EQ(result.err().message(),
            "export 'just_add' has type (i64, i64) -> (i64), not the (i32) -> (i32) the host "
            "asked for");
}

TEST_F(GuestFixture, TypedHandlesAreCachedPerSignature) {
  for (int i = 0; i < 3; ++i) {
    auto result = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
        "just_add", std::make_tuple(uint64_t(i), uint64_t{1}));
    ASSERT_TRUE(result);
    EXPECT_EQ(std::get<0>(result.ok()), uint64_t(i) + 1);
  }
  // The cached (i64, i64) -> i64 handle does not hide a mismatch for other types.
  auto mismatch = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t>>(
      "just_add", std::make_tuple(uint64_t{1}));
  EXPECT_FALSE(mismatch);
}

TEST_F(BenchGuestFixture, ATypedExportCallsWithoutLookingUpByName) {
  auto add = host.getTypedExport<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>("bench_add");
  ASSERT_TRUE(add) << add.err().message();
  int32_t sum = 0;
  for (int i = 0; i < 100; ++i) {
    auto result = add.ok_ref().call(std::make_tuple(sum, int32_t{2}));
    ASSERT_TRUE(result);
    sum = std::get<0>(result.ok());
  }
  EXPECT_EQ(sum, 200);
  auto wrong = host.getTypedExport<std::tuple<int32_t>, std::tuple<int64_t>>("bench_add");
  ASSERT_FALSE(wrong);
  EXPECT_FALSE(isTrap(wrong.err_ref()));
  EXPECT_EQ(wrong.err().message(), "export 'bench_add' has type (i32, i32) -> (i32), not the "
                                   "(i64) -> (i32) the host asked for");
  EXPECT_FALSE((host.getTypedExport<std::tuple<>>("no_such_export")));
}

TEST_F(GuestFixture, LongExportNamesAreFoundByNameEveryTime) {
  // Longer than std::string's small buffer: the cache look-up must not
  // depend on building a std::string key.
  for (int i = 0; i < 3; ++i) {
    auto offset = host.callFunction<std::tuple<int32_t>>("get_plugin_shared_value_ptr");
    ASSERT_TRUE(offset);
    EXPECT_GT(std::get<0>(offset.ok()), 0);
  }
}

TEST_F(BenchGuestFixture, BenchExportsComputeTheirResults) {
  auto calls = host.callFunction<std::tuple<int32_t>, std::tuple<int32_t>>(
      "bench_call_host", std::make_tuple(int32_t{1000}));
  ASSERT_TRUE(calls);
  EXPECT_EQ(std::get<0>(calls.ok()), 499500);
  auto steps = host.callFunction<std::tuple<int64_t>, std::tuple<int32_t>>(
      "bench_compute", std::make_tuple(int32_t{10}));
  ASSERT_TRUE(steps);
  EXPECT_EQ(std::get<0>(steps.ok()), 67);
}

TEST(WasmHostModules, AModuleWithoutMemoryStillRunsFunctions) {
  WasmHost host(modulePath("no_memory.wat"));
  host.initialize();
  EXPECT_FALSE(host.hasMemory());
  EXPECT_THROW(host.getMemorySpan(), std::logic_error);
  EXPECT_THROW(host.readMemory<int32_t>(0), std::logic_error);
  EXPECT_THROW(host.growMemory(1), std::logic_error);
  auto result = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(uint64_t{2}, uint64_t{3}));
  ASSERT_TRUE(result);
  EXPECT_EQ(std::get<0>(result.ok()), 5u);
}

TEST(WasmHostModules, MemorySpanSizeIsPagesTimes64KiB) {
  WasmHost host(modulePath("reactor.wat"));
  host.initialize();
  EXPECT_EQ(host.getMemorySpan().size(), 2u * 65536u);
}

TEST(WasmHostModules, ReactorInitializeRunsExactlyOnce) {
  WasmHost host(modulePath("reactor.wat"));
  host.initialize();
  auto calls = host.callFunction<std::tuple<int32_t>>("init_calls");
  ASSERT_TRUE(calls);
  EXPECT_EQ(std::get<0>(calls.ok()), 1);
  EXPECT_THROW(host.initialize(), std::logic_error);
}

TEST(WasmHostModules, AHostFunctionThatThrowsBecomesATrapWithItsMessage) {
  WasmHost host(modulePath("calls_host.wat"));
  int calls = 0;
  host.defineHostFunction("env", "host_log_value", [&calls](int32_t value) {
    ++calls;
    throw std::runtime_error("refusing value " + std::to_string(value));
  });
  host.initialize();
  auto result = host.callFunctionVoid("log_twice", std::make_tuple(int32_t{9}));
  ASSERT_FALSE(result);
  EXPECT_TRUE(isTrap(result.err_ref()));
  EXPECT_NE(result.err().message().find("host function 'host_log_value' threw: refusing value 9"),
            std::string::npos);
  EXPECT_EQ(calls, 1); // the trap stopped the guest before the second call
}

TEST(WasmHostModules, NumberSignaturesTakeTheDirectCallbackOthersFuncWrap) {
  auto numbers = [](int32_t value) { return int64_t{value}; };
  auto with_caller = [](wasmtime::Caller, int32_t) {};
  static_assert(wasmhost::detail::kDirectHostFunction<decltype(numbers)>);
  static_assert(!wasmhost::detail::kDirectHostFunction<decltype(with_caller)>);
}

TEST(WasmHostModules, AHostFunctionTakingACallerWorksAndItsExceptionsTrap) {
  WasmHost host(modulePath("calls_host.wat"));
  std::vector<int32_t> seen;
  host.defineHostFunction("env", "host_log_value", [&seen](wasmtime::Caller, int32_t value) {
    seen.push_back(value);
    if (value < 0) {
      throw std::runtime_error("negative");
    }
  });
  host.initialize();
  ASSERT_TRUE(host.callFunctionVoid("log_twice", std::make_tuple(int32_t{5})));
  EXPECT_EQ(seen, (std::vector<int32_t>{5, 5}));
  auto result = host.callFunctionVoid("log_twice", std::make_tuple(int32_t{-1}));
  ASSERT_FALSE(result);
  EXPECT_TRUE(isTrap(result.err_ref()));
  EXPECT_NE(result.err().message().find("host function 'host_log_value' threw: negative"),
            std::string::npos);
}

TEST(WasmHostModules, AHostFunctionReturningATrapStopsTheGuest) {
  WasmHost host(modulePath("calls_host.wat"));
  int calls = 0;
  host.defineHostFunction("env", "host_log_value",
                          [&calls](int32_t) -> wasmtime::Result<std::monostate, wasmtime::Trap> {
                            ++calls;
                            return wasmtime::Trap("refused by the host");
                          });
  host.initialize();
  auto result = host.callFunctionVoid("log_twice", std::make_tuple(int32_t{1}));
  ASSERT_FALSE(result);
  EXPECT_TRUE(isTrap(result.err_ref()));
  EXPECT_NE(result.err().message().find("refused by the host"), std::string::npos);
  EXPECT_EQ(calls, 1);
}

TEST(WasmHostModules, AMissingFileIsNamed) {
  try {
    WasmHost host("/nonexistent/module.wasm");
    FAIL() << "constructing from a missing file succeeded";
  } catch (const std::runtime_error &error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot open module '/nonexistent/module.wasm': No such file or directory");
  }
}

TEST(WasmHostModules, InvalidWatIsACompileError) {
  const auto path = writeTempFile("broken.wat", "(module (func (export \"f\") (result i32)))");
  try {
    WasmHost host(path);
    FAIL() << "an invalid module compiled";
  } catch (const std::runtime_error &error) {
    EXPECT_NE(std::string(error.what()).find("Module compilation failed"), std::string::npos);
  }
  std::filesystem::remove(path);
}

TEST(WasmHostModules, AnUnknownImportIsALinkErrorNamingIt) {
  const auto path = writeTempFile("unknown-import.wat",
                                  "(module (import \"env\" \"mystery\" (func (param i32))))");
  WasmHost host(path);
  try {
    host.initialize();
    FAIL() << "a module with an unknown import was instantiated";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Link) << error.what();
    EXPECT_NE(std::string(error.what()).find("env::mystery"), std::string::npos) << error.what();
  }
  std::filesystem::remove(path);
}

TEST(WasmHostModules, ATrappingStartFunctionIsAGuestTrap) {
  const auto path = writeTempFile("start-trap.wat", "(module (func $s unreachable) (start $s))");
  WasmHost host(path);
  try {
    host.initialize();
    FAIL() << "a trapping start function instantiated";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Trap) << error.what();
  }
  std::filesystem::remove(path);
}

// --- Fail safety: limits, trap kinds, re-instantiation. ------------------------

namespace failsafe {

using Clock = std::chrono::steady_clock;

const char *const kHostile = test_paths::kHostileWasm;

using test_options::quiet;

/// The hostile guest (the article's exports and `hostile_*`), initialized.
struct HostileGuest {
  HostState state;
  WasmHost host;

  explicit HostileGuest(wasmhost::WasmHostOptions options) : host(kHostile, options) {
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
  }
};

/// `just_add(a, b)`, or the error's message as a test failure.
std::optional<uint64_t> justAdd(WasmHost &host, uint64_t a, uint64_t b) {
  auto sum = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(a, b));
  if (!sum) {
    ADD_FAILURE() << "just_add(" << a << ", " << b << "): " << sum.err().message();
    return std::nullopt;
  }
  return std::get<0>(sum.ok());
}

std::vector<uint8_t> readBytes(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(Limits, DefaultsMatchTheCliContract) {
  const wasmhost::WasmHostOptions options;
  EXPECT_EQ(options.timeout_ms, 10000u);
  EXPECT_EQ(options.fuel, 0u);
  EXPECT_FALSE(options.max_memory_bytes.has_value());
}

TEST(Limits, ASpinningGuestIsInterruptedAfterTheTimeLimit) {
  auto options = quiet();
  options.timeout_ms = 50;
  HostileGuest guest(options);
  for (const char *spinner : {"hostile_spin", "hostile_spin_calling_host"}) {
    const auto start = Clock::now();
    auto result = guest.host.callFunctionVoid(spinner);
    const auto elapsed = Clock::now() - start;
    ASSERT_FALSE(result) << spinner;
    EXPECT_TRUE(isTrap(result.err_ref()));
    EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt") << spinner;
    // Never before the limit; the upper bound only guards against a hang
    // (the machine may be busy), the CLI tests check the same in real runs.
    EXPECT_GE(elapsed, std::chrono::milliseconds(50)) << spinner;
    EXPECT_LT(elapsed, std::chrono::milliseconds(5000)) << spinner;
  }
  // The host is unharmed: the next call gets a fresh time budget.
  EXPECT_EQ(justAdd(guest.host, 2, 3), 5u);
}

TEST(Limits, FuelIsABudgetPerCall) {
  auto options = quiet();
  options.timeout_ms = 0;
  options.fuel = 50000;
  HostileGuest guest(options);
  ASSERT_EQ(justAdd(guest.host, 1, 1), 2u);
  auto left = guest.host.context().get_fuel();
  ASSERT_TRUE(left);
  const uint64_t per_call = 50000 - left.ok();
  ASSERT_GT(per_call * 20, 50000u) << "twenty calls must need more than one budget";
  // ... and they all run: each call gets the whole budget again.
  for (uint64_t i = 0; i < 20; ++i) {
    ASSERT_EQ(justAdd(guest.host, i, 1), i + 1) << "call " << i;
  }
  auto spin = guest.host.callFunctionVoid("hostile_spin");
  ASSERT_FALSE(spin);
  EXPECT_EQ(WasmHost::trapKind(spin.err_ref()), "out of fuel");
  EXPECT_EQ(
      guest.host.describeTrap(spin.err_ref()).rfind("out of fuel (fuel budget of 50000): ", 0), 0u);
  EXPECT_EQ(justAdd(guest.host, 40, 2), 42u);
}

TEST(Limits, MemoryGrowthPastTheLimitFailsInTheGuest) {
  auto limited = quiet();
  limited.max_memory_bytes = 2u << 20;
  HostileGuest guest(limited);
  const size_t size_before = guest.host.getMemorySpan().size();
  auto refused = guest.host.callFunction<std::tuple<int32_t>, std::tuple<int32_t>>(
      "hostile_grow_memory", std::make_tuple(int32_t{100}));
  ASSERT_TRUE(refused) << refused.err().message();
  EXPECT_EQ(std::get<0>(refused.ok()), -1);
  EXPECT_EQ(guest.host.getMemorySpan().size(), size_before);
  // Within the limit it grows: 17 pages + 10 pages = 1769472 bytes <= 2 MiB.
  auto grown = guest.host.callFunction<std::tuple<int32_t>, std::tuple<int32_t>>(
      "hostile_grow_memory", std::make_tuple(int32_t{10}));
  ASSERT_TRUE(grown);
  EXPECT_EQ(std::get<0>(grown.ok()), 17);
  EXPECT_EQ(guest.host.getMemorySpan().size(), 27u * 65536u);
}

TEST(Limits, TableGrowthPastTheLimitFails) {
  auto options = quiet();
  options.max_table_elements = 1000;
  WasmHost host(modulePath("table_grow.wat"), options);
  host.initialize();
  auto grow = [&](int32_t delta) {
    auto result =
        host.callFunction<std::tuple<int32_t>, std::tuple<int32_t>>("grow", std::make_tuple(delta));
    EXPECT_TRUE(result);
    return result ? std::get<0>(result.ok()) : -2;
  };
  EXPECT_EQ(grow(600), 0);
  EXPECT_EQ(grow(600), -1); // 1200 > 1000
  EXPECT_EQ(grow(400), 600);
}

TEST(Limits, AnOversizedModuleFileIsRefusedBeforeReading) {
  auto options = quiet();
  options.max_module_bytes = 1000;
  try {
    WasmHost host(kGuest, options);
    FAIL() << "a module over max_module_bytes was read";
  } catch (const std::runtime_error &error) {
    EXPECT_NE(std::string(error.what()).find("more than the limit of 1000"), std::string::npos)
        << error.what();
  }
}

TEST(TrapKinds, EachTrapIsNamed) {
  HostileGuest guest(quiet());
  auto kindOf = [&](const char *name, auto... args) {
    auto result = guest.host.callFunctionVoid(name, std::make_tuple(args...));
    EXPECT_FALSE(result) << name;
    return result ? std::string("no trap") : WasmHost::trapKind(result.err_ref());
  };
  EXPECT_EQ(kindOf("hostile_panic"), "unreachable");
  EXPECT_EQ(kindOf("hostile_write_bad_pointer"), "memory out of bounds");
  // Host records are bounded without a lifetime cap: a flood is no trap.
  EXPECT_TRUE(
      guest.host.callFunctionVoid("hostile_flood_host_log", std::make_tuple(int32_t{70000})));

  // A host function that fails: WASI's fd_write given an iovec outside memory.
  WasmHost bad_pointer(modulePath("wasi_bad_pointer.wat"), quiet());
  bad_pointer.initialize();
  auto written = bad_pointer.callFunction<std::tuple<int32_t>, std::tuple<>>("write_bad_iovec",
                                                                             std::tuple<>());
  ASSERT_FALSE(written);
  EXPECT_EQ(WasmHost::trapKind(written.err_ref()), "host function failed");

  WasmHost divider(modulePath("div_by_zero.wat"), quiet());
  divider.initialize();
  auto quotient = divider.callFunction<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>(
      "divide", std::make_tuple(int32_t{1}, int32_t{0}));
  ASSERT_FALSE(quotient);
  EXPECT_EQ(WasmHost::trapKind(quotient.err_ref()), "integer divide by zero");

  WasmHost exiting(modulePath("wasi_exit.wat"), quiet());
  exiting.initialize();
  auto exit = exiting.callFunctionVoid("exit_with", std::make_tuple(int32_t{7}));
  ASSERT_FALSE(exit);
  EXPECT_TRUE(isTrap(exit.err_ref()));
  EXPECT_EQ(exiting.describeTrap(exit.err_ref()), "exit: the guest exited with status 7");
}

TEST(TrapKinds, ATrappingStartFunctionNamesItsKind) {
  WasmHost host(modulePath("start_trap.wat"), quiet());
  try {
    host.initialize();
    FAIL() << "the start function's trap was not reported";
  } catch (const Error &trap) {
    EXPECT_EQ(trap.kind(), ErrorKind::Trap);
    EXPECT_EQ(std::string(trap.what()).rfind("Module instantiation trapped: unreachable: ", 0), 0u)
        << trap.what();
  }
}

TEST(Reinstantiate, GivesAFreshInstanceAndKeepsTheHostFunctions) {
  HostileGuest guest(quiet());
  const int32_t offset = guest.host.getPluginDataOffset("get_plugin_shared_value_ptr");
  guest.host.writeMemory(offset, int32_t{777});
  auto trapped = guest.host.callFunctionVoid("hostile_write_bad_pointer");
  ASSERT_FALSE(trapped);

  guest.host.reinstantiate();
  EXPECT_EQ(guest.host.readMemory<int32_t>(offset), 100); // fresh memory
  auto calls = guest.host.callFunctionVoid("trigger_host_calls", std::make_tuple(int32_t{7}));
  ASSERT_TRUE(calls) << calls.err().message();
  EXPECT_EQ(guest.state.shared_host_value, 54);
}

TEST(Reinstantiate, RunsInitializeAgainInTheNewInstance) {
  WasmHost host(modulePath("reactor.wat"), quiet());
  host.initialize();
  host.reinstantiate();
  auto calls = host.callFunction<std::tuple<int32_t>>("init_calls");
  ASSERT_TRUE(calls);
  EXPECT_EQ(std::get<0>(calls.ok()), 1);
}

TEST(Reinstantiate, KeepsTheLimits) {
  auto options = quiet();
  options.max_memory_bytes = 2u << 20;
  HostileGuest guest(options);
  guest.host.reinstantiate();
  auto refused = guest.host.callFunction<std::tuple<int32_t>, std::tuple<int32_t>>(
      "hostile_grow_memory", std::make_tuple(int32_t{100}));
  ASSERT_TRUE(refused);
  EXPECT_EQ(std::get<0>(refused.ok()), -1);
}

TEST(Reinstantiate, HandlesOfTheOldInstanceAreRefusedNotFatal) {
  HostileGuest guest(quiet());
  auto handle =
      guest.host.getTypedExport<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>("just_add");
  ASSERT_TRUE(handle);
  auto typed = handle.ok();
  auto func = guest.host.getFunction("just_add");
  ASSERT_TRUE(func);
  const wasmtime::Func old_func = func.ok();
  ASSERT_TRUE(typed.call(std::make_tuple(uint64_t{1}, uint64_t{2})));

  guest.host.reinstantiate();
  // Wasmtime would abort the process on a function of another store.
  auto stale = typed.call(std::make_tuple(uint64_t{1}, uint64_t{2}));
  ASSERT_FALSE(stale);
  EXPECT_FALSE(isTrap(stale.err_ref()));
  EXPECT_NE(stale.err().message().find("stale handle"), std::string::npos);
  auto dynamic =
      guest.host.callDynamic(old_func, {wasmtime::Val(int64_t{1}), wasmtime::Val(int64_t{2})});
  ASSERT_FALSE(dynamic);
  EXPECT_NE(dynamic.err().message().find("belongs to another store"), std::string::npos);
  // Fresh handles work.
  EXPECT_EQ(justAdd(guest.host, 2, 3), 5u);
}

TEST(GuestOffsets, AStraddlingOffsetIsRefusedAndNothingIsWritten) {
  WasmHost host(modulePath("offset_straddling.wat"), quiet());
  host.initialize();
  const int32_t offset = host.getPluginDataOffset("get_plugin_shared_value_ptr");
  ASSERT_EQ(offset, 65534);
  EXPECT_THROW(host.readMemory<int32_t>(offset), std::out_of_range);
  EXPECT_THROW(host.writeMemory(offset, int32_t{-1}), std::out_of_range);
  // The two bytes inside memory still hold the module's 0xAB 0xCD.
  EXPECT_EQ(host.readMemory<uint8_t>(65534), 0xAB);
  EXPECT_EQ(host.readMemory<uint8_t>(65535), 0xCD);
}

TEST(GuestOffsets, AnOffsetOutsideMemoryIsRefused) {
  WasmHost host(modulePath("offset_outside.wat"), quiet());
  host.initialize();
  const int32_t offset = host.getPluginDataOffset("get_plugin_shared_value_ptr");
  ASSERT_EQ(offset, 1000000);
  try {
    host.writeMemory(offset, int32_t{1});
    FAIL() << "a write outside memory was accepted";
  } catch (const std::out_of_range &error) {
    EXPECT_EQ(std::string(error.what()),
              "Memory write out of bounds: offset 1000000 + size 4 exceeds memory size 65536");
  }
}

TEST(ModuleBytes, CompilesFromMemory) {
  // Uncached: the compile of the bytes is what this test checks.
  WasmHost host(readBytes(kGuest), "in-memory guest", test_options::uncached());
  HostState state;
  wasmhost::app::defineArticleHostFunctions(host, state);
  host.initialize();
  EXPECT_EQ(justAdd(host, 15, 27), 42u);
}

TEST(ModuleBytes, GarbageIsACompileErrorNamingTheModule) {
  try {
    // Uncached: the compile error is what this test checks.
    WasmHost host(std::vector<uint8_t>{0x00, 0x61, 0x73, 0x6d, 0xff}, "garbage",
                  test_options::uncached());
    FAIL() << "garbage compiled";
  } catch (const std::runtime_error &error) {
    EXPECT_EQ(std::string(error.what()).rfind("Module compilation failed: 'garbage': ", 0), 0u)
        << error.what();
  }
}

TEST(ModuleFiles, ADirectoryIsRefusedByName) {
  try {
    WasmHost host(test_paths::kTestModules, quiet());
    FAIL() << "a directory was read as a module";
  } catch (const std::runtime_error &error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot read module '" + std::string(test_paths::kTestModules) + "': Is a directory");
  }
}

} // namespace failsafe

} // namespace

namespace {

// The export cache remembers its last hit: a name in a reused buffer, another
// signature under the same name, and a new instance must each still be
// looked up for what they are.
TEST_F(GuestFixture, TheLastHitOfTheExportCacheIsCheckedByBytesAndType) {
  using Sum = std::tuple<uint64_t>;
  using Args = std::tuple<uint64_t, uint64_t>;
  std::string name = "just_add";
  for (int round = 0; round < 3; ++round) {
    auto sum = host.callFunction<Sum, Args>(name, {40, 2});
    ASSERT_TRUE(sum) << sum.err().message();
    EXPECT_EQ(std::get<0>(sum.ok()), 42u);
    // The same name, another signature: a mismatch, not the cached handle.
    auto wrong = host.callFunction<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>(name, {1, 2});
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.err().message().find("has type (i64, i64) -> (i64)"), std::string::npos)
        << wrong.err().message();
  }
  name[0] = 'x'; // same buffer and length, other bytes
  auto missing = host.callFunction<Sum, Args>(name, {1, 1});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.err().message().find("export 'xust_add' not found"), std::string::npos)
      << missing.err().message();
  name[0] = 'j';
  host.reinstantiate();
  auto again = host.callFunction<Sum, Args>(name, {1, 1});
  ASSERT_TRUE(again) << again.err().message();
  EXPECT_EQ(std::get<0>(again.ok()), 2u);
}

} // namespace

namespace {

// Two exports of one signature and one name length, called by name in turns:
// each call replaces the last hit, and each must reach its own export (the
// names differ only past their first eight bytes).
TEST_F(BenchGuestFixture, TwoNamesCalledInTurnsEachReachTheirOwnExport) {
  using Checksum = std::tuple<int64_t>;
  using Size = std::tuple<int32_t>;
  for (int round = 0; round < 3; ++round) {
    auto hash = host.callFunction<Checksum, Size>("bench_kernel_hash", {100});
    ASSERT_TRUE(hash) << hash.err().message();
    EXPECT_EQ(std::get<0>(hash.ok()), int64_t{2458476308812758351});
    auto sort = host.callFunction<Checksum, Size>("bench_kernel_sort", {100});
    ASSERT_TRUE(sort) << sort.err().message();
    EXPECT_EQ(std::get<0>(sort.ok()), int64_t{14994624640862});
  }
}

} // namespace
