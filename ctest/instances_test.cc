// Unit tests of many instances of one compiled module (InstancePre): each
// store has its own WASI context, memory and host state.
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "article_host.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using wasmhost::Plugin;
using wasmhost::WasmHost;
using wasmhost::app::HostState;

std::shared_ptr<const Plugin> prepareGuest() {
  WasmHost shared(test_paths::kGuestWasm, test_options::quiet());
  wasmhost::app::definePerStoreArticleHostFunctions(shared);
  return shared.prepareInstances(); // keeps the engine and module alive
}

/// One instance with its own host state.
struct Instance {
  HostState state;
  WasmHost host;

  explicit Instance(std::shared_ptr<const Plugin> pre)
      : host(std::move(pre), test_options::quiet()) {
    host.setStoreData(&state);
    host.initialize();
  }

  void trigger(int32_t value) {
    auto result = host.callFunctionVoid("trigger_host_calls", std::make_tuple(value));
    ASSERT_TRUE(result) << result.err().message();
  }
};

TEST(InstancesTest, EachInstanceKeepsItsOwnHostStateAndMemory) {
  const auto pre = prepareGuest();
  Instance a(pre);
  Instance b(pre);
  a.trigger(7);
  b.trigger(20);
  a.trigger(1);
  EXPECT_EQ(a.state.shared_host_value, 42 + 7 + 5 + 1 + 5);
  EXPECT_EQ(a.state.logged_values.recent(), (std::vector<int32_t>{14, 2}));
  EXPECT_EQ(b.state.shared_host_value, 42 + 20 + 5);
  EXPECT_EQ(b.state.values_read_by_guest.recent(), std::vector<int32_t>{42});

  const int32_t offset_a = a.host.getPluginDataOffset("get_plugin_shared_value_ptr");
  const int32_t offset_b = b.host.getPluginDataOffset("get_plugin_shared_value_ptr");
  EXPECT_EQ(offset_a, offset_b); // same module, same layout...
  a.host.writeMemory(offset_a, int32_t{777});
  EXPECT_EQ(a.host.readMemory<int32_t>(offset_a), 777);
  EXPECT_EQ(b.host.readMemory<int32_t>(offset_b), 100); // ...separate memories
}

TEST(InstancesTest, InstancesRunOnThreadsWithoutSharingState) {
  const auto pre = prepareGuest();
  constexpr int kInstances = 8;
  constexpr int kThreads = 4;
  std::vector<int32_t> host_values(kInstances, 0);
  std::vector<uint64_t> sums(kInstances, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kInstances; i += kThreads) {
        Instance instance(pre);
        for (int round = 0; round < 3; ++round) {
          instance.trigger(7 + i);
        }
        auto sum = instance.host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
            "just_add", std::make_tuple(uint64_t(i), uint64_t{1000}));
        sums[static_cast<size_t>(i)] = sum ? std::get<0>(sum.ok()) : 0;
        host_values[static_cast<size_t>(i)] = instance.state.shared_host_value;
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  for (int i = 0; i < kInstances; ++i) {
    EXPECT_EQ(host_values[static_cast<size_t>(i)], 42 + 3 * (7 + i + 5)) << "instance " << i;
    EXPECT_EQ(sums[static_cast<size_t>(i)], uint64_t(i) + 1000) << "instance " << i;
  }
}

TEST(InstancesTest, AStoreWithoutHostStateTrapsInsteadOfCrashing) {
  WasmHost host(prepareGuest(), test_options::quiet());
  host.initialize(); // no setStoreData
  auto result = host.callFunctionVoid("trigger_host_calls", std::make_tuple(int32_t{7}));
  ASSERT_FALSE(result);
  EXPECT_TRUE(std::holds_alternative<wasmtime::Trap>(result.err_ref().data));
  EXPECT_NE(result.err().message().find("no host state attached to this store"), std::string::npos)
      << result.err().message();
}

TEST(InstancesTest, HostFunctionsBelongToThePreparedModule) {
  WasmHost host(prepareGuest());
  EXPECT_THROW(host.defineHostFunction("env", "late", []() {}), std::logic_error);
  host.initialize();
  auto missing = host.getFunction("no_such_export");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.err().message(),
            "export 'no_such_export' not found in '" + std::string(test_paths::kGuestWasm) + "'");
}

TEST(InstancesTest, AnUnresolvedImportFailsWhenPreparing) {
  WasmHost shared(std::string(test_paths::kTestModules) + "/calls_host.wat");
  try {
    shared.prepareInstances();
    FAIL() << "a module with an undefined import was prepared";
  } catch (const wasmhost::Error &error) {
    EXPECT_EQ(error.kind(), wasmhost::ErrorKind::Link);
    const std::string message = error.what();
    EXPECT_NE(message.find("env::host_log_value"), std::string::npos) << message;
    EXPECT_NE(message.find("calls_host.wat"), std::string::npos) << message;
  }
}

TEST(InstancesTest, PreparedInstancesShareTheTimeLimit) {
  wasmhost::WasmHostOptions options = test_options::quiet();
  options.timeout_ms = 50;
  std::shared_ptr<const Plugin> pre;
  {
    WasmHost shared(std::string(test_paths::kTestModules) + "/spin.wat", options);
    pre = shared.prepareInstances();
  } // the preparing host is gone: its epoch ticker lives on with `pre`
  WasmHost first(pre, options);
  WasmHost second(pre, options);
  for (WasmHost *host : {&first, &second}) {
    host->initialize();
    const auto start = std::chrono::steady_clock::now();
    auto result = host->callFunctionVoid("spin");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(result);
    EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt");
    EXPECT_GE(elapsed, std::chrono::milliseconds(50));
    EXPECT_LT(elapsed, std::chrono::milliseconds(5000)); // guards against a hang only
  }
}

TEST(InstancesTest, ATimeLimitNeedsAModulePreparedWithOne) {
  wasmhost::WasmHostOptions unlimited = test_options::quiet();
  unlimited.timeout_ms = 0;
  WasmHost shared(std::string(test_paths::kTestModules) + "/spin.wat", unlimited);
  const auto pre = shared.prepareInstances();
  wasmhost::WasmHostOptions limited = test_options::quiet();
  limited.timeout_ms = 100;
  EXPECT_THROW(WasmHost(pre, limited), std::logic_error);
  EXPECT_NO_THROW(WasmHost(pre, unlimited));
}

} // namespace
