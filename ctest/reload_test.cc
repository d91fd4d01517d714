// Unit tests of live reload: `WasmHost::reload`, `Plugin::withModule` and
// `PluginInstance::replacePlugin` against the real guests and WAT modules.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "article_host.hh"
#include "guest_fixture.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/guest_buffer.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using test_options::quiet;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::GuestBuffer;
using wasmhost::Plugin;
using wasmhost::PluginInstance;
using wasmhost::WasmHost;
using wasmhost::WasmHostOptions;
using wasmhost::app::HostState;

std::string modulePath(const std::string &name) {
  return std::string(test_paths::kTestModules) + "/" + name;
}

/// The article's `host-calls` step: `trigger_host_calls(7)`, after which the
/// host value has grown by 12.
void triggerHostCalls(WasmHost &host) {
  auto called = host.callFunctionVoid("trigger_host_calls", std::make_tuple(int32_t{7}));
  ASSERT_TRUE(called) << called.err().message();
}

/// `just_add(a, b)` of the article's guest, or the error's message.
std::string justAdd(WasmHost &host, uint64_t a, uint64_t b) {
  auto sum = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(a, b));
  return sum ? std::to_string(std::get<0>(sum.ok())) : "error: " + sum.err().message();
}

/// The `Error` `body` throws (a failed test when it throws none).
template <typename Body> Error errorOf(Body body) {
  try {
    body();
  } catch (const Error &error) {
    return error;
  }
  ADD_FAILURE() << "no wasmhost::Error thrown";
  return Error(ErrorKind::Io, "none");
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

using Reload = GuestFixture;

TEST_F(Reload, KeepsTheHostStateAndTheHostFunctions) {
  triggerHostCalls(host);
  EXPECT_EQ(state.shared_host_value, 54);
  const uint64_t generation = host.instanceGeneration();

  host.reload(test_paths::kGuestWasm);
  EXPECT_GT(host.instanceGeneration(), generation);
  EXPECT_EQ(host.wasmPath(), test_paths::kGuestWasm);
  triggerHostCalls(host); // the same `env` functions, the same state
  EXPECT_EQ(state.shared_host_value, 66);
  EXPECT_EQ(state.logged_values.recent(), (std::vector<int32_t>{14, 14}));
  EXPECT_EQ(state.values_read_by_guest.recent(), (std::vector<int32_t>{42, 54}));

  host.reload(test_paths::kGuestWasm);
  triggerHostCalls(host);
  EXPECT_EQ(state.shared_host_value, 78);
}

TEST_F(Reload, GivesAFreshInstanceOfTheNewModule) {
  const int32_t offset = host.getPluginDataOffset("get_plugin_shared_value_ptr");
  host.writeMemory(offset, int32_t{777});
  host.reload(test_paths::kGuestWasm);
  EXPECT_EQ(host.readMemory<int32_t>(offset), 100); // the guest's initial value
}

TEST(ReloadStoreData, KeepsTheStoreDataOfPerStoreHostFunctions) {
  HostState state;
  WasmHost host(test_paths::kGuestWasm, quiet());
  wasmhost::app::definePerStoreArticleHostFunctions(host);
  host.setStoreData(&state);
  host.initialize();
  triggerHostCalls(host);
  EXPECT_EQ(state.shared_host_value, 54);
  host.reload(test_paths::kGuestWasm);
  triggerHostCalls(host); // the new store has the same data
  EXPECT_EQ(state.shared_host_value, 66);
}

TEST_F(Reload, GarbageIsACompileErrorNamingItAndTheOldInstanceStillAnswers) {
  triggerHostCalls(host);
  auto typed =
      host.getTypedExport<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>("just_add");
  ASSERT_TRUE(typed);
  const uint64_t generation = host.instanceGeneration();

  const Error error = errorOf([&] {
    host.reload(std::vector<uint8_t>{'n', 'o', 't', ' ', 'w', 'a', 's', 'm'}, "garbage.wasm");
  });
  EXPECT_EQ(error.kind(), ErrorKind::Compile);
  EXPECT_EQ(std::string(error.what()).rfind("Module compilation failed: 'garbage.wasm'", 0), 0u)
      << error.what();

  // Nothing changed: the same instance, its handles, its state.
  EXPECT_EQ(host.instanceGeneration(), generation);
  EXPECT_EQ(host.wasmPath(), test_paths::kGuestWasm);
  EXPECT_EQ(justAdd(host, 15, 27), "42");
  auto typed_sum = typed.ok().call(std::make_tuple(uint64_t{1}, uint64_t{2}));
  ASSERT_TRUE(typed_sum) << typed_sum.err().message();
  EXPECT_EQ(std::get<0>(typed_sum.ok()), 3u);
  triggerHostCalls(host);
  EXPECT_EQ(state.shared_host_value, 66);
}

TEST_F(Reload, AModuleWithAnImportTheHostLacksIsALinkErrorNamingIt) {
  const std::string path = modulePath("unknown_import.wat");
  const Error error = errorOf([&] { host.reload(path); });
  EXPECT_EQ(error.kind(), ErrorKind::Link);
  EXPECT_TRUE(contains(error.what(), "'" + path + "'")) << error.what();
  EXPECT_TRUE(contains(error.what(), "mystery")) << error.what();
  EXPECT_EQ(justAdd(host, 15, 27), "42");
  EXPECT_EQ(host.wasmPath(), test_paths::kGuestWasm);
}

TEST_F(Reload, AStartFunctionThatTrapsKeepsTheOldInstanceWithItsMemory) {
  const int32_t offset = host.getPluginDataOffset("get_plugin_shared_value_ptr");
  host.writeMemory(offset, int32_t{777});
  const std::string path = modulePath("start_trap.wat");
  const Error error = errorOf([&] { host.reload(path); });
  EXPECT_EQ(error.kind(), ErrorKind::Trap);
  EXPECT_EQ(std::string(error.what()).rfind("cannot reload '" + path + "': ", 0), 0u)
      << error.what();
  EXPECT_TRUE(contains(error.what(), "Module instantiation trapped: unreachable")) << error.what();
  EXPECT_EQ(host.readMemory<int32_t>(offset), 777); // the old memory, unchanged
  EXPECT_EQ(justAdd(host, 1, 2), "3");
  triggerHostCalls(host);
  EXPECT_EQ(state.shared_host_value, 54);
}

TEST_F(Reload, AMissingOrOversizedFileIsAnIoErrorNamingIt) {
  const std::string missing = modulePath("no-such-module.wasm");
  const Error absent = errorOf([&] { host.reload(missing); });
  EXPECT_EQ(absent.kind(), ErrorKind::Io);
  EXPECT_TRUE(contains(absent.what(), "'" + missing + "'")) << absent.what();

  auto options = quiet();
  options.max_module_bytes = 512; // just_add.wat fits, guest.wasm does not
  WasmHost small(modulePath("just_add.wat"), options);
  small.initialize();
  const Error large = errorOf([&] { small.reload(test_paths::kGuestWasm); });
  EXPECT_EQ(large.kind(), ErrorKind::Io);
  EXPECT_TRUE(contains(large.what(), "'" + std::string(test_paths::kGuestWasm) + "'"))
      << large.what();
  EXPECT_TRUE(contains(large.what(), "more than the limit of 512")) << large.what();
  EXPECT_EQ(justAdd(small, 2, 3), "5");
  EXPECT_EQ(justAdd(host, 2, 2), "4");
}

TEST_F(Reload, ADifferentModuleChangesWhatIsCallable) {
  auto absent = host.callFunction<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>(
      "bench_add", std::make_tuple(int32_t{2}, int32_t{3}));
  ASSERT_FALSE(absent);
  EXPECT_TRUE(contains(absent.err().message(), "export 'bench_add' not found"))
      << absent.err().message();

  host.reload(test_paths::kGuestBenchWasm); // the article's exports and the bench_* ones
  EXPECT_EQ(host.wasmPath(), test_paths::kGuestBenchWasm);
  auto sum = host.callFunction<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>(
      "bench_add", std::make_tuple(int32_t{2}, int32_t{3}));
  ASSERT_TRUE(sum) << sum.err().message();
  EXPECT_EQ(std::get<0>(sum.ok()), 5);
  auto echoed = host.callFunction<std::tuple<int32_t>, std::tuple<int32_t>>(
      "bench_call_host", std::make_tuple(int32_t{1000})); // the host's env::host_bench_echo
  ASSERT_TRUE(echoed) << echoed.err().message();
  EXPECT_EQ(std::get<0>(echoed.ok()), 499500);

  host.reload(test_paths::kGuestWasm);
  auto gone = host.callFunction<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>(
      "bench_add", std::make_tuple(int32_t{2}, int32_t{3}));
  ASSERT_FALSE(gone);
  EXPECT_TRUE(contains(gone.err().message(), "export 'bench_add' not found in '" +
                                                 std::string(test_paths::kGuestWasm) + "'"))
      << gone.err().message();
}

TEST_F(Reload, HandlesOfTheOldInstanceAreRefused) {
  auto typed =
      host.getTypedExport<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>("just_add");
  ASSERT_TRUE(typed);
  auto func = host.getFunction("just_add");
  ASSERT_TRUE(func);
  std::optional<GuestBuffer> block(GuestBuffer::allocate(host, 16, 8));

  host.reload(test_paths::kGuestWasm);
  auto stale = typed.ok().call(std::make_tuple(uint64_t{1}, uint64_t{2}));
  ASSERT_FALSE(stale);
  EXPECT_TRUE(contains(stale.err().message(), "stale handle")) << stale.err().message();
  auto other_store =
      host.callDynamic(func.ok(), {wasmtime::Val(int64_t{1}), wasmtime::Val(int64_t{2})});
  ASSERT_FALSE(other_store);
  EXPECT_TRUE(contains(other_store.err().message(), "belongs to another store"))
      << other_store.err().message();
  EXPECT_THROW(block->write<int32_t>(0, 1), std::logic_error);
  block.reset(); // not freed in the new instance: nothing to check but no crash
  EXPECT_EQ(justAdd(host, 15, 27), "42");
}

TEST(ReloadCache, ReloadsThroughTheModuleCache) {
  namespace fs = std::filesystem;
  const std::string name = "wasmhost-reload-cache-" + std::to_string(::getpid());
  const fs::path dir = fs::temp_directory_path() / name;
  const fs::path key_dir = fs::temp_directory_path() / (name + "-key"); // outside `dir`
  fs::remove_all(dir);
  fs::remove_all(key_dir);
  {
    auto options = quiet();
    options.module_cache_dir = dir.string();
    options.module_cache_key_file = (key_dir / "cache.key").string();
    HostState state;
    WasmHost host(test_paths::kGuestWasm, options);
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
    using Source = wasmhost::ModuleLoadReport::Source;
    EXPECT_EQ(host.moduleLoadReport().source, Source::CacheMiss);
    host.reload(test_paths::kGuestWasm); // the same bytes: stored by the first load
    EXPECT_EQ(host.moduleLoadReport().source, Source::CacheHit);
    triggerHostCalls(host);
    EXPECT_EQ(state.shared_host_value, 54);
    host.reload(test_paths::kGuestBenchWasm);
    EXPECT_EQ(host.moduleLoadReport().source, Source::CacheMiss);
  }
  fs::remove_all(dir);
  fs::remove_all(key_dir);
}

TEST(ReloadRefusals, BeforeInitializeIsRefused) {
  WasmHost host(modulePath("just_add.wat"), quiet());
  EXPECT_THROW(host.reload(modulePath("just_add.wat")), std::logic_error);
  EXPECT_THROW(host.reload(std::vector<uint8_t>{0}, "x.wasm"), std::logic_error);
  host.initialize(); // still usable
  EXPECT_EQ(justAdd(host, 1, 1), "2");
}

TEST(ReloadRefusals, WithModuleNeedsAPreparedPlugin) {
  const Plugin plugin(modulePath("just_add.wat"), quiet());
  EXPECT_THROW((void)plugin.withModuleFile(modulePath("just_add.wat")), std::logic_error);
}

TEST(ReloadRefusals, ReplacePluginNeedsAPluginOfTheSameHost) {
  auto first = std::make_shared<Plugin>(modulePath("just_add.wat"), quiet());
  first->linkWasi();
  first->prepare();
  auto stranger = std::make_shared<Plugin>(modulePath("just_add.wat"), quiet());
  stranger->linkWasi();
  stranger->prepare();
  PluginInstance instance(first, quiet());
  instance.initialize();
  EXPECT_FALSE(first->sharesHostWith(*stranger));
  try {
    instance.replacePlugin(stranger);
    ADD_FAILURE() << "replacePlugin took a plugin of another engine";
  } catch (const std::logic_error &error) {
    EXPECT_TRUE(contains(error.what(), "Plugin::withModule")) << error.what();
  }
  const auto sibling = first->withModuleFile(modulePath("just_add.wat"));
  EXPECT_TRUE(first->sharesHostWith(*sibling));
  EXPECT_TRUE(sibling->isPrepared());
  const uint64_t generation = instance.instanceGeneration();
  instance.replacePlugin(sibling);
  EXPECT_EQ(&instance.plugin(), sibling.get());
  EXPECT_GT(instance.instanceGeneration(), generation);
  auto sum = instance.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(uint64_t{20}, uint64_t{22}));
  ASSERT_TRUE(sum) << sum.err().message();
  EXPECT_EQ(std::get<0>(sum.ok()), 42u);
}

TEST(ReloadRefusals, AFailedReloadNeverGivesItsGenerationAgain) {
  WasmHost host(modulePath("reactor.wat"), quiet());
  host.initialize();
  const uint64_t before = host.instanceGeneration();
  // Instantiated (a generation given), then `_initialize` fails: put back.
  EXPECT_EQ(errorOf([&] { host.reload(modulePath("bad_initialize.wat")); }).kind(),
            ErrorKind::Signature);
  EXPECT_EQ(host.instanceGeneration(), before);
  host.reload(modulePath("reactor.wat"));
  EXPECT_GE(host.instanceGeneration(), before + 2);
  auto calls = host.callFunction<std::tuple<int32_t>>("init_calls");
  ASSERT_TRUE(calls) << calls.err().message();
  EXPECT_EQ(std::get<0>(calls.ok()), 1); // the new instance ran its `_initialize`
}

} // namespace
