// Unit tests of the library's error model (one `wasmhost::Error` with a
// kind), a test per kind, each from a real failure of Wasmtime 48.0.8, and of
// the split into `Plugin` and `PluginInstance`.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "cli.hh"
#include "run_modes.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/guest_buffer.hh"
#include "wasmhost/plugin.hh"
#include "wasmhost/plugin_instance.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using test_options::quiet;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::Plugin;
using wasmhost::PluginInstance;
using wasmhost::WasmHost;
using wasmhost::WasmHostOptions;

std::string modulePath(const std::string &name) {
  return std::string(test_paths::kTestModules) + "/" + name;
}

/// Runs `action` and returns the `Error` it threw; fails the test if it threw
/// none.
Error errorOf(const std::function<void()> &action) {
  try {
    action();
  } catch (const Error &error) {
    return error;
  }
  ADD_FAILURE() << "no wasmhost::Error was thrown";
  return Error(ErrorKind::Io, "none");
}

std::vector<uint8_t> bytesOf(std::string_view text) { return {text.begin(), text.end()}; }

TEST(ErrorModel, AMissingFileIsIo) {
  const Error error = errorOf([] { WasmHost host("does-not-exist.wasm", quiet()); });
  EXPECT_EQ(error.kind(), ErrorKind::Io);
  EXPECT_EQ(std::string(error.what()),
            "cannot open module 'does-not-exist.wasm': No such file or directory");
}

TEST(ErrorModel, ADirectoryIsIo) {
  const Error error = errorOf([] { Plugin plugin(test_paths::kTestModules, quiet()); });
  EXPECT_EQ(error.kind(), ErrorKind::Io);
}

TEST(ErrorModel, AFileOverTheSizeLimitIsIo) {
  WasmHostOptions small = quiet();
  small.max_module_bytes = 16;
  const Error error = errorOf([&] { Plugin plugin(test_paths::kGuestWasm, small); });
  EXPECT_EQ(error.kind(), ErrorKind::Io);
  EXPECT_NE(std::string(error.what()).find("more than the limit of 16"), std::string::npos);
}

TEST(ErrorModel, BytesThatAreNoModuleAreCompile) {
  // Uncached: the compiler's own error is what this test is about.
  const Error error =
      errorOf([] { Plugin plugin(bytesOf("not wasm"), "junk.wasm", test_options::uncached()); });
  EXPECT_EQ(error.kind(), ErrorKind::Compile);
  EXPECT_NE(std::string(error.what()).find("magic header not detected"), std::string::npos)
      << error.what();
}

TEST(ErrorModel, InvalidWatIsCompile) {
  // Uncached: a compile error is what this test is about.
  const Error error =
      errorOf([] { Plugin plugin(bytesOf("(module (func"), "bad.wat", test_options::uncached()); });
  EXPECT_EQ(error.kind(), ErrorKind::Compile);
}

TEST(ErrorModel, AnUnknownImportIsLinkWhenPreparing) {
  auto plugin = std::make_shared<Plugin>(modulePath("unknown_import.wat"), quiet());
  plugin->linkWasi();
  const Error error = errorOf([&] { plugin->prepare(); });
  EXPECT_EQ(error.kind(), ErrorKind::Link);
  EXPECT_NE(std::string(error.what()).find("unknown import: `env::mystery` has not been defined"),
            std::string::npos)
      << error.what();
}

TEST(ErrorModel, AnImportOfAnotherTypeIsLink) {
  auto plugin = std::make_shared<Plugin>(modulePath("calls_host.wat"), quiet());
  plugin->linkWasi();
  plugin->defineHostFunction("env", "host_log_value", [](int64_t) {}); // the guest says i32
  const Error error = errorOf([&] { plugin->prepare(); });
  EXPECT_EQ(error.kind(), ErrorKind::Link);
  EXPECT_NE(std::string(error.what()).find("incompatible import type"), std::string::npos)
      << error.what();
}

TEST(ErrorModel, AMissingExportIsLinkAndAnExportOfAnotherTypeIsSignature) {
  WasmHost host(modulePath("wrong_signature.wat"), quiet());
  host.initialize();
  auto missing = host.callFunction<std::tuple<int32_t>>("no_such_export");
  ASSERT_FALSE(missing);
  EXPECT_EQ(PluginInstance::callErrorKind(missing.err_ref()), ErrorKind::Link);
  auto mistyped =
      host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>("just_add", {1, 2});
  ASSERT_FALSE(mistyped);
  EXPECT_EQ(PluginInstance::callErrorKind(mistyped.err_ref()), ErrorKind::Signature);
  const Error thrown = errorOf([&] {
    wasmhost::callOrThrow<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(host, "just_add",
                                                                                {1, 2});
  });
  EXPECT_EQ(thrown.kind(), ErrorKind::Signature);
  EXPECT_EQ(std::string(thrown.what()),
            "export 'just_add' has type (i32, i32) -> (i32), not the (i64, i64) -> (i64) the host "
            "asked for");
}

TEST(ErrorModel, ATrappingStartFunctionIsTrap) {
  WasmHost host(modulePath("start_trap.wat"), quiet());
  const Error error = errorOf([&] { host.initialize(); });
  EXPECT_EQ(error.kind(), ErrorKind::Trap);
  EXPECT_TRUE(error.guestFailed());
}

TEST(ErrorModel, AWasiExitIsExitWhileStartingAndWhenCalled) {
  WasmHost starting(modulePath("start_exit.wat"), quiet());
  const Error error = errorOf([&] { starting.initialize(); });
  EXPECT_EQ(error.kind(), ErrorKind::Exit);
  EXPECT_EQ(std::string(error.what()),
            "Module instantiation trapped: exit: the guest exited with status 7");

  WasmHost calling(modulePath("wasi_exit.wat"), quiet());
  calling.initialize();
  auto result = calling.callFunctionVoid("exit_with", std::make_tuple(int32_t{3}));
  ASSERT_FALSE(result);
  EXPECT_EQ(wasmhost::classify(result.err_ref(), ErrorKind::Trap), ErrorKind::Exit);
}

TEST(ErrorModel, AnInitialMemoryOverTheLimitIsLimit) {
  WasmHostOptions tight = quiet();
  tight.max_memory_bytes = 65536;
  WasmHost host(test_paths::kGuestWasm, tight);
  host.defineHostFunction("env", "host_log_value", [](int32_t) {});
  host.defineHostFunction("env", "host_get_shared_value", [] { return int32_t{0}; });
  host.defineHostFunction("env", "host_set_shared_value", [](int32_t) {});
  const Error error = errorOf([&] { host.initialize(); });
  EXPECT_EQ(error.kind(), ErrorKind::Limit);
  EXPECT_EQ(std::string(error.what()), "Module instantiation failed: memory minimum size of 17 "
                                       "pages exceeds memory limits");
}

TEST(ErrorModel, AStoreOverItsMemoryOrTableCountIsLimit) {
  for (const char *module : {"two_memories.wat", "five_tables.wat"}) {
    WasmHost host(modulePath(module), quiet());
    const Error error = errorOf([&] { host.initialize(); });
    EXPECT_EQ(error.kind(), ErrorKind::Limit) << error.what();
    EXPECT_NE(std::string(error.what()).find("resource limit exceeded: "), std::string::npos)
        << error.what();
  }
}

TEST(ErrorModel, AGrowthPastTheMemoryTypeIsLimit) {
  WasmHost host(modulePath("reactor.wat"), quiet());
  host.initialize();
  const Error error = errorOf([&] { host.growMemory(uint64_t{1} << 40); });
  EXPECT_EQ(error.kind(), ErrorKind::Limit);
}

TEST(ErrorModel, TheClassifierFallsBackForOtherMessages) {
  EXPECT_EQ(wasmhost::classify(wasmtime::Error("something else"), ErrorKind::Compile),
            ErrorKind::Compile);
  EXPECT_EQ(wasmhost::classify(wasmtime::TrapError(wasmtime::Trap("boom")), ErrorKind::Link),
            ErrorKind::Trap);
}

TEST(ErrorModel, EveryKindHasAName) {
  const std::vector<std::pair<ErrorKind, std::string>> names = {
      {ErrorKind::Io, "io"},
      {ErrorKind::Compile, "compile"},
      {ErrorKind::Link, "link"},
      {ErrorKind::Signature, "signature"},
      {ErrorKind::Trap, "trap"},
      {ErrorKind::Exit, "exit"},
      {ErrorKind::Limit, "limit"},
      {ErrorKind::GuestData, "guest-data"},
      {ErrorKind::Unsupported, "unsupported"},
      {ErrorKind::Manifest, "manifest"}};
  for (const auto &[kind, name] : names) {
    EXPECT_EQ(wasmhost::kindName(kind), name);
  }
}

TEST(ErrorModel, TheCliMapsEveryKindToTheContractsExitStatus) {
  using namespace wasmhost::app;
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Io), 2);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Compile), 2);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Link), 2);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Signature), 2);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Limit), 2);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Unsupported), 2);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Manifest), 2);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Trap), 3);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::Exit), 3);
  EXPECT_EQ(cli::exitStatusFor(ErrorKind::GuestData), 1);
}

TEST(FailedReinstantiation, LeavesNoHandleThatCanReachAStore) {
  int starts = 0;
  WasmHost host(modulePath("second_start_fails.wat"), quiet());
  host.defineHostFunction("env", "start_hook", [&starts] {
    if (++starts > 1) {
      throw std::runtime_error("no second start");
    }
  });
  host.initialize();
  auto answer = host.getTypedExport<std::tuple<int32_t>>("answer");
  ASSERT_TRUE(answer);
  auto func = host.getFunction("answer");
  ASSERT_TRUE(func);
  EXPECT_EQ(std::get<0>(answer.ok_ref().call().unwrap()), 42);
  // By name too, twice: the second call is the export cache's last hit.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(std::get<0>(host.callFunction<std::tuple<int32_t>>("answer").unwrap()), 42);
  }

  const Error failed = errorOf([&] { host.reinstantiate(); });
  EXPECT_EQ(failed.kind(), ErrorKind::Trap);
  auto stale = answer.ok_ref().call();
  ASSERT_FALSE(stale);
  EXPECT_NE(stale.err().message().find("stale handle"), std::string::npos);
  auto old_func = host.callDynamic(func.ok(), {});
  ASSERT_FALSE(old_func);
  EXPECT_NE(old_func.err().message().find("belongs to another store"), std::string::npos);
  EXPECT_FALSE(host.isInitialized());
  auto by_name = host.callFunction<std::tuple<int32_t>>("answer");
  ASSERT_FALSE(by_name);
  EXPECT_NE(by_name.err().message().find("not initialized"), std::string::npos);

  std::ostringstream out;
  std::ostringstream errors;
  EXPECT_EQ(wasmhost::app::dumpGuestState(host.instance(), out, errors), 2);
  EXPECT_EQ(errors.str(), "host: error: --dump-state: the module is not instantiated (its last "
                          "instantiation failed)\n");
  EXPECT_EQ(out.str(), "");
}

// --- Plugin and PluginInstance. ---------------------------------------------

std::shared_ptr<Plugin> preparedReactor(WasmHostOptions options) {
  auto plugin = std::make_shared<Plugin>(modulePath("reactor.wat"), options);
  plugin->linkWasi();
  plugin->prepare();
  return plugin;
}

TEST(PluginSplit, OnePreparedPluginServesIndependentInstances) {
  const auto plugin = preparedReactor(quiet());
  PluginInstance first(plugin);
  PluginInstance second(plugin);
  first.initialize();
  second.initialize();
  first.writeMemory(64, int32_t{11});
  second.writeMemory(64, int32_t{22});
  EXPECT_EQ(first.readMemory<int32_t>(64), 11);
  EXPECT_EQ(second.readMemory<int32_t>(64), 22);
}

TEST(PluginSplit, AnInstanceNeedsAPreparedPlugin) {
  auto plugin = std::make_shared<Plugin>(modulePath("reactor.wat"), quiet());
  EXPECT_THROW(PluginInstance instance(plugin), std::logic_error);
  EXPECT_THROW(PluginInstance instance(nullptr), std::logic_error);
}

TEST(PluginSplit, APreparedPluginTakesNoMoreHostFunctions) {
  const auto plugin = preparedReactor(quiet());
  EXPECT_THROW(plugin->defineHostFunction("env", "late", [] {}), std::logic_error);
  EXPECT_NO_THROW(plugin->linkWasi()); // linked already: nothing to do
  auto bare = std::make_shared<Plugin>(modulePath("reactor.wat"), quiet());
  bare->prepare(); // no imports: prepared without WASI
  EXPECT_THROW(bare->linkWasi(), std::logic_error);
}

TEST(PluginSplit, AFuelBudgetIsRefusedOnAnEngineWithoutFuel) {
  const auto plugin = preparedReactor(quiet()); // fuel 0: the engine meters none
  WasmHostOptions fuelled = quiet();
  fuelled.fuel = 1000;
  try {
    PluginInstance instance(plugin, fuelled);
    FAIL() << "an instance with fuel was made on an engine without it";
  } catch (const std::logic_error &error) {
    EXPECT_EQ(std::string(error.what()),
              "a fuel budget needs a plugin whose engine meters fuel (fuel > 0)");
  }
}

TEST(PluginSplit, NoFuelIsRefusedOnAnEngineThatMetersIt) {
  WasmHostOptions fuelled = quiet();
  fuelled.fuel = 1000;
  const auto plugin = preparedReactor(fuelled);
  EXPECT_THROW(PluginInstance instance(plugin, quiet()), std::logic_error);
  EXPECT_NO_THROW(PluginInstance instance(plugin, fuelled));
}

TEST(PluginSplit, NoTimeLimitIsRefusedOnAnEngineThatInterrupts) {
  const auto plugin = preparedReactor(quiet()); // timeout 10 s by default
  WasmHostOptions unlimited = quiet();
  unlimited.timeout_ms = 0;
  EXPECT_THROW(PluginInstance instance(plugin, unlimited), std::logic_error);
}

} // namespace
