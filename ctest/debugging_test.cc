// Unit tests of debugging and profiling (label debug): the check of the
// options against an injected feature set (no second Wasmtime build), the
// engine's configuration and the module cache's key, the guest profiler on
// the real guests (its JSON read with nlohmann-json), source lines in traps.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "article_host.hh"
#include "cli.hh"
#include "run_modes.hh"
#include "scenarios.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/engine_features.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using nlohmann::json;
using test_options::quiet;
using wasmhost::EngineFeatures;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::Plugin;
using wasmhost::PluginInstance;
using wasmhost::Profiler;
using wasmhost::WasmHost;
using wasmhost::WasmHostOptions;

WasmHostOptions with(Profiler profiler, bool debug_info = false) {
  WasmHostOptions options = quiet();
  options.profiler = profiler;
  options.debug_info = debug_info;
  return options;
}

EngineFeatures everything() { return EngineFeatures{true, true, true, true, true, true}; }

/// The `Error` `fn` throws; fails the test when it throws none.
Error errorOf(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Error &error) {
    return error;
  }
  ADD_FAILURE() << "no wasmhost::Error thrown";
  return Error(ErrorKind::Io, "none");
}

// --- The options against the build's features. -------------------------------

TEST(EngineFeatures, ThisBuildServesEveryDebuggingAndProfilingOption) {
  // WASMTIME_FEATURES has debug-builtins and profiling (cmake/WasmtimeProvider.cmake).
  const EngineFeatures features = EngineFeatures::ofThisBuild();
  for (Profiler profiler :
       {Profiler::None, Profiler::PerfMap, Profiler::JitDump, Profiler::Guest}) {
    EXPECT_NO_THROW(wasmhost::checkEngineOptions(with(profiler, true), features))
        << wasmhost::profilerName(profiler);
  }
}

TEST(EngineFeatures, NothingAskedNeedsNothing) {
  EXPECT_NO_THROW(wasmhost::checkEngineOptions(quiet(), EngineFeatures{}));
}

TEST(EngineFeatures, EachOptionNeedsItsFeature) {
  struct Case {
    WasmHostOptions options;
    bool EngineFeatures::*missing;
    std::string message;
  };
  const std::string no_feature = " is not available: this Wasmtime was built without its cargo "
                                 "feature '";
  const std::vector<Case> cases = {
      {with(Profiler::JitDump), &EngineFeatures::profiling,
       "the jitdump profiler (profiler, host --profile)" + no_feature +
           "profiling' (WASMTIME_FEATURES)"},
      {with(Profiler::Guest), &EngineFeatures::profiling,
       "the guest profiler (profiler, host --profile)" + no_feature +
           "profiling' (WASMTIME_FEATURES)"},
      {with(Profiler::JitDump), &EngineFeatures::linux_os,
       "the jitdump profiler (profiler, host --profile) is not available: jitdump is Linux "
       "perf's format; Wasmtime writes it on Linux only"},
      {with(Profiler::PerfMap), &EngineFeatures::unix_like,
       "the perfmap profiler (profiler, host --profile) is not available: perf maps "
       "(/tmp/perf-<pid>.map) exist on Unix only"},
      {with(Profiler::None, true), &EngineFeatures::debug_builtins,
       "debug info (debug_info, host --debug) is not available: gdb and lldb would never see "
       "the guest's code: this Wasmtime was built without its cargo feature 'debug-builtins' "
       "(WASMTIME_FEATURES)"},
      {with(Profiler::None, true), &EngineFeatures::addr2line,
       "debug info (debug_info, host --debug) is not available: trap backtraces would have no "
       "source lines: this Wasmtime was built without its cargo feature 'addr2line' "
       "(WASMTIME_FEATURES)"},
      {with(Profiler::None, true), &EngineFeatures::cranelift,
       "debug info (debug_info, host --debug) is not available: Wasmtime emits native DWARF "
       "only with Cranelift: this Wasmtime was built without its cargo feature 'cranelift' "
       "(WASMTIME_FEATURES)"},
  };
  for (const auto &c : cases) {
    EngineFeatures features = everything();
    EXPECT_NO_THROW(wasmhost::checkEngineOptions(c.options, features));
    features.*c.missing = false;
    const Error error = errorOf([&] { wasmhost::checkEngineOptions(c.options, features); });
    EXPECT_EQ(error.kind(), ErrorKind::Unsupported);
    EXPECT_EQ(std::string(error.what()), c.message);
  }
}

TEST(EngineFeatures, ARequestTheBuildCannotServeNeverReachesTheEngineConstructor) {
  // Wasmtime's C API would abort the process in `Engine(Config)` for
  // jitdump without `profiling`; makeEngine refuses first.
  EngineFeatures without_profiling = everything();
  without_profiling.profiling = false;
  const Error error =
      errorOf([&] { wasmhost::makeEngine(with(Profiler::JitDump), without_profiling); });
  EXPECT_EQ(error.kind(), ErrorKind::Unsupported);
  // What `host --profile jitdump` prints and returns on such a build.
  EXPECT_EQ(wasmhost::app::cli::exitStatusFor(error.kind()), 2);
  EXPECT_EQ("host: error: " + wasmhost::app::oneLine(error.what()),
            "host: error: the jitdump profiler (profiler, host --profile) is not available: this "
            "Wasmtime was built without its cargo feature 'profiling' (WASMTIME_FEATURES)");

  EngineFeatures without_debug_builtins = everything();
  without_debug_builtins.debug_builtins = false;
  EXPECT_EQ(errorOf([&] {
              wasmhost::makeEngine(with(Profiler::None, true), without_debug_builtins);
            }).kind(),
            ErrorKind::Unsupported);
}

TEST(EngineFeatures, AProfilerFileWasmtimeCouldNotCreateIsAnIoError) {
  // jitdump creates ./jit-<pid>.dump; nobody, not even root, creates files in /proc.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path("/proc");
  const Error error = errorOf([] { wasmhost::makeEngine(with(Profiler::JitDump)); });
  std::filesystem::current_path(cwd);
  EXPECT_EQ(error.kind(), ErrorKind::Io);
  EXPECT_EQ(std::string(error.what())
                .rfind("the jitdump profiler cannot create its file './jit-" +
                           std::to_string(::getpid()) + ".dump': ",
                       0),
            0u)
      << error.what();
}

TEST(EngineFeatures, ProfilerNamesAndFiles) {
  EXPECT_EQ(wasmhost::profilerName(Profiler::PerfMap), "perfmap");
  EXPECT_EQ(wasmhost::profilerOutputPath(Profiler::PerfMap),
            "/tmp/perf-" + std::to_string(::getpid()) + ".map");
  EXPECT_EQ(wasmhost::profilerOutputPath(Profiler::JitDump),
            "./jit-" + std::to_string(::getpid()) + ".dump");
  EXPECT_EQ(wasmhost::profilerOutputPath(Profiler::Guest), "");
}

// --- The engine's configuration and the module cache's key. ------------------

TEST(EngineConfig, DebugInfoAndBacktraceDetailsAreInTheCacheKey) {
  ::unsetenv("WASMTIME_BACKTRACE_DETAILS");
  const std::string plain = Plugin::engineConfigDescription(quiet());
  EXPECT_EQ(plain.find("debug-info"), std::string::npos);
  EXPECT_EQ(plain.find("backtrace-details"), std::string::npos);
  const std::string debug = Plugin::engineConfigDescription(with(Profiler::None, true));
  EXPECT_NE(debug.find(";debug-info;backtrace-details;"), std::string::npos) << debug;
  // Wasmtime's own switch, set by the user, changes compiled modules too.
  ::setenv("WASMTIME_BACKTRACE_DETAILS", "1", 1);
  const std::string details = Plugin::engineConfigDescription(quiet());
  ::unsetenv("WASMTIME_BACKTRACE_DETAILS");
  EXPECT_NE(details.find(";backtrace-details;"), std::string::npos) << details;
  EXPECT_EQ(details.find("debug-info"), std::string::npos);
}

TEST(EngineConfig, ProfilersDoNotChangeTheCacheKeyButTheGuestProfilersEpochsDo) {
  WasmHostOptions unlimited = quiet();
  unlimited.timeout_ms = 0;
  EXPECT_EQ(Plugin::engineConfigDescription(with(Profiler::PerfMap)),
            Plugin::engineConfigDescription(quiet()));
  EXPECT_EQ(Plugin::engineConfigDescription(with(Profiler::JitDump)),
            Plugin::engineConfigDescription(quiet()));
  WasmHostOptions profiled = unlimited;
  profiled.profiler = Profiler::Guest;
  EXPECT_EQ(Plugin::engineConfigDescription(unlimited).find("epoch-interruption"),
            std::string::npos);
  EXPECT_NE(Plugin::engineConfigDescription(profiled).find(";epoch-interruption"),
            std::string::npos);
}

TEST(EngineConfig, TheBacktraceVariableIsRestoredAfterTheConfigIsMade) {
  ::setenv("WASMTIME_BACKTRACE_DETAILS", "0", 1);
  wasmhost::makeEngine(with(Profiler::None, true));
  ASSERT_NE(std::getenv("WASMTIME_BACKTRACE_DETAILS"), nullptr);
  EXPECT_EQ(std::string(std::getenv("WASMTIME_BACKTRACE_DETAILS")), "0");
  ::unsetenv("WASMTIME_BACKTRACE_DETAILS");
  wasmhost::makeEngine(with(Profiler::None, true));
  EXPECT_EQ(std::getenv("WASMTIME_BACKTRACE_DETAILS"), nullptr);
}

// --- Source lines in traps (guest-hostile-debug.wasm: DWARF). -----------------

/// The 1-based line of the first line of `file` containing `text`.
int lineOf(const std::string &file, const std::string &text) {
  std::ifstream in(file);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find(text) != std::string::npos) {
      return number;
    }
  }
  ADD_FAILURE() << text << " not in " << file;
  return -1;
}

std::string trapMessageOf(const WasmHostOptions &options) {
  wasmhost::app::HostState state;
  WasmHost host(test_paths::kHostileDebugWasm, options);
  wasmhost::app::defineArticleHostFunctions(host, state);
  host.initialize();
  auto result = host.callFunctionVoid("hostile_panic");
  EXPECT_FALSE(result);
  return result ? "" : host.describeTrap(result.err_ref());
}

TEST(SourceLines, ATrapOfADebugGuestNamesTheRustFileAndLineWithDebugInfo) {
  const int line = lineOf(std::string(test_paths::kGuestSrc) + "/hostile.rs",
                          "panic!(\"hostile guest: deliberate panic\")");
  // Uncached: debug_info is a compile option (native DWARF, the guest's
  // DWARF kept for the backtrace); this test checks what that compile gives.
  WasmHostOptions options = test_options::uncached();
  options.debug_info = true;
  const std::string message = trapMessageOf(options);
  EXPECT_EQ(message.rfind("unreachable: error while executing at wasm backtrace:", 0), 0u);
  EXPECT_NE(message.find("guest-rs/src/hostile.rs:" + std::to_string(line) + ":"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("WASMTIME_BACKTRACE_DETAILS"), std::string::npos) << message;
}

TEST(SourceLines, WithoutDebugInfoWasmtimeOnlyHints) {
  const std::string message = trapMessageOf(quiet());
  EXPECT_EQ(message.find("hostile.rs:"), std::string::npos) << message;
  EXPECT_NE(message.find("note: using the `WASMTIME_BACKTRACE_DETAILS=1` environment variable"),
            std::string::npos)
      << message;
}

// --- The guest profiler, on the real guests. ----------------------------------

/// A profile's samples: how many had a function whose name contains `name`
/// on their stack, read straight from the Firefox Profiler JSON.
struct ProfileReading {
  json profile;
  uint64_t samples = 0;
  uint64_t with_frames = 0;

  explicit ProfileReading(const std::vector<uint8_t> &bytes)
      : profile(json::parse(bytes.begin(), bytes.end())) {
    const json &thread = profile.at("threads").at(0);
    const json &stacks = thread.at("samples").at("stack");
    const json &weights = thread.at("samples").at("weight");
    for (size_t i = 0; i < stacks.size(); ++i) {
      samples += weights.at(i).get<uint64_t>();
      with_frames += stacks.at(i).is_null() ? 0 : weights.at(i).get<uint64_t>();
    }
  }

  [[nodiscard]] uint64_t samplesWith(const std::string &name) const {
    const json &thread = profile.at("threads").at(0);
    const json &strings = thread.at("stringArray");
    const json &names = thread.at("funcTable").at("name");
    const json &funcs = thread.at("frameTable").at("func");
    const json &prefixes = thread.at("stackTable").at("prefix");
    const json &frames = thread.at("stackTable").at("frame");
    const json &stacks = thread.at("samples").at("stack");
    const json &weights = thread.at("samples").at("weight");
    uint64_t count = 0;
    for (size_t i = 0; i < stacks.size(); ++i) {
      bool found = false;
      for (json at = stacks.at(i); !at.is_null(); at = prefixes.at(at.get<size_t>())) {
        const size_t func = funcs.at(frames.at(at.get<size_t>()).get<size_t>()).get<size_t>();
        found = found || strings.at(names.at(func).get<size_t>()).get<std::string>().find(name) !=
                             std::string::npos;
      }
      count += found ? weights.at(i).get<uint64_t>() : 0;
    }
    return count;
  }
};

struct ProfiledBenchGuest : ::testing::Test {
  wasmhost::app::HostState state;
  std::unique_ptr<WasmHost> host;

  void start(WasmHostOptions options) {
    host = std::make_unique<WasmHost>(test_paths::kGuestBenchWasm, options);
    wasmhost::app::defineArticleHostFunctions(*host, state);
    host->initialize();
  }
  int64_t compute(int32_t limit) {
    auto result = host->callFunction<std::tuple<int64_t>>("bench_compute", std::make_tuple(limit));
    EXPECT_TRUE(result) << (result ? "" : result.err().message());
    return result ? std::get<0>(result.ok()) : -1;
  }
};

TEST_F(ProfiledBenchGuest, TheProfileNamesTheCollatzKernel) {
  start(with(Profiler::Guest));
  ASSERT_TRUE(host->instance().profilesGuest());
  EXPECT_EQ(compute(1000000), 131434424); // the kernel's real result
  const uint64_t counted = host->instance().guestProfileSamples();
  const ProfileReading reading(host->instance().finishGuestProfile());
  EXPECT_EQ(reading.profile.at("meta").at("product"), "guest-bench.wasm");
  EXPECT_EQ(reading.profile.at("meta").at("interval"), 1.0);
  EXPECT_EQ(reading.samples, counted);
  EXPECT_GT(reading.samplesWith("guest::core::bench::collatz_total_steps"), 0u);
  // Every sample in the kernel also has its callers below it.
  EXPECT_EQ(reading.samplesWith("bench_compute.command_export"), reading.with_frames);
}

TEST_F(ProfiledBenchGuest, TheTickerRunsWithoutATimeLimit) {
  WasmHostOptions options = with(Profiler::Guest);
  options.timeout_ms = 0;
  start(options);
  EXPECT_TRUE(host->plugin().enforcesTimeLimit()); // epoch interruption, ticker running
  EXPECT_EQ(compute(1000000), 131434424);
  const ProfileReading reading(host->instance().finishGuestProfile());
  // The kernel is no entry point: only epoch ticks sample inside it.
  EXPECT_GT(reading.samplesWith("collatz_total_steps"), 0u);
}

TEST_F(ProfiledBenchGuest, EveryCallIsSampledHoweverShort) {
  start(with(Profiler::Guest));
  for (int i = 0; i < 5; ++i) {
    auto sum = host->callFunction<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>(
        "bench_add", std::make_tuple(40, i));
    ASSERT_TRUE(sum);
    EXPECT_EQ(std::get<0>(sum.ok()), 40 + i);
  }
  const ProfileReading reading(host->instance().finishGuestProfile());
  EXPECT_EQ(reading.samplesWith("bench_add"), 5u); // one entry sample per call
  // And a sample without guest frames after each return (and after instantiation).
  EXPECT_GE(reading.samples - reading.with_frames, 5u);
}

TEST_F(ProfiledBenchGuest, FinishingTwiceOrWithoutAProfilerIsRefused) {
  start(with(Profiler::Guest));
  host->instance().finishGuestProfile();
  EXPECT_THROW(host->instance().finishGuestProfile(), std::logic_error);
  EXPECT_EQ(compute(10), 67); // calls go on unsampled

  start(quiet());
  EXPECT_FALSE(host->instance().profilesGuest());
  EXPECT_THROW(host->instance().finishGuestProfile(), std::logic_error);
}

TEST_F(ProfiledBenchGuest, TheProfileGoesOnAfterReinstantiation) {
  start(with(Profiler::Guest));
  EXPECT_EQ(compute(10), 67);
  host->reinstantiate();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(host->callFunction<std::tuple<int32_t>>("bench_add", std::make_tuple(1, 2)));
  }
  const ProfileReading reading(host->instance().finishGuestProfile());
  EXPECT_EQ(reading.samplesWith("bench_add"), 3u);
  EXPECT_GE(reading.samplesWith("bench_compute"), 1u);
}

TEST(GuestProfile, TheTimeLimitStillInterrupts) {
  WasmHostOptions options = with(Profiler::Guest);
  options.timeout_ms = 50;
  wasmhost::app::HostState state;
  WasmHost host(test_paths::kHostileWasm, options);
  wasmhost::app::defineArticleHostFunctions(host, state);
  host.initialize();
  const auto start = std::chrono::steady_clock::now();
  auto result = host.callFunctionVoid("hostile_spin");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_GE(elapsed, std::chrono::milliseconds(50)); // never early
  EXPECT_EQ(WasmHost::trapKind(result.err_ref()), "interrupt");
  EXPECT_EQ(wasmhost::classify(result.err_ref(), ErrorKind::Link), ErrorKind::Trap);
  const std::string message = host.describeTrap(result.err_ref());
  EXPECT_EQ(message.rfind("interrupt (time limit of 50 ms): ", 0), 0u) << message;
  const ProfileReading reading(host.instance().finishGuestProfile());
  EXPECT_GT(reading.samplesWith("hostile_spin"), 1u); // the entry sample and the ticks'
}

TEST(GuestProfile, AModuleNameThatIsNotUtf8IsMadeValid) {
  // The C API would abort on a name that is not UTF-8.
  const std::string wat = "(module (func (export \"f\") (result i32) (i32.const 7)))";
  WasmHost host(std::vector<uint8_t>(wat.begin(), wat.end()), "bad-\xff\xfe-name.wat",
                with(Profiler::Guest));
  host.initialize();
  auto result = host.callFunction<std::tuple<int32_t>>("f");
  ASSERT_TRUE(result);
  EXPECT_EQ(std::get<0>(result.ok()), 7);
  const ProfileReading reading(host.instance().finishGuestProfile());
  EXPECT_EQ(reading.profile.at("meta").at("product"), "bad-?"
                                                      "?-name.wat"); // (not a trigraph)
}

TEST(GuestProfile, InstancesMustMatchTheirPlugin) {
  auto plain =
      std::make_shared<Plugin>(std::string(test_paths::kTestModules) + "/reactor.wat", quiet());
  plain->linkWasi();
  plain->prepare();
  EXPECT_THROW(PluginInstance instance(plain, with(Profiler::Guest)), std::logic_error);

  WasmHostOptions profiled = with(Profiler::Guest);
  profiled.timeout_ms = 0;
  auto profiling =
      std::make_shared<Plugin>(std::string(test_paths::kTestModules) + "/reactor.wat", profiled);
  profiling->linkWasi();
  profiling->prepare();
  // Epoch interruption with neither a time limit nor the profiler's callback.
  WasmHostOptions unlimited = quiet();
  unlimited.timeout_ms = 0;
  EXPECT_THROW(PluginInstance instance(profiling, unlimited), std::logic_error);
  // An instance of it with a time limit and no profile is fine.
  PluginInstance limited(profiling, quiet());
  limited.initialize();
  EXPECT_FALSE(limited.profilesGuest());
  PluginInstance instance(profiling, profiled);
  instance.initialize();
  EXPECT_TRUE(instance.profilesGuest());
}

// --- The command line. -------------------------------------------------------

TEST(DebugCli, ParsesDebugAndProfile) {
  using wasmhost::app::cli::parseOptions;
  auto options = parseOptions({"--debug", "--profile", "jitdump", "g.wasm"});
  EXPECT_TRUE(options.debug);
  EXPECT_EQ(options.profiler, Profiler::JitDump);
  options = parseOptions({"--profile=perfmap", "g.wasm"});
  EXPECT_EQ(options.profiler, Profiler::PerfMap);
  EXPECT_FALSE(options.debug);
  options = parseOptions({"--profile", "guest=out/p.json", "g.wasm"});
  EXPECT_EQ(options.profiler, Profiler::Guest);
  EXPECT_EQ(options.guest_profile_path, "out/p.json");
  const auto host_options = wasmhost::app::hostOptionsFor(options, nullptr);
  EXPECT_EQ(host_options.profiler, Profiler::Guest);
  for (const std::vector<std::string> &bad :
       std::vector<std::vector<std::string>>{{"--profile", "bogus", "g.wasm"},
                                             {"--profile", "guest=", "g.wasm"},
                                             {"--profile", "guest=p.svg", "g.wasm"},
                                             {"--profile", "perfmap", "--profile", "jitdump", "g"},
                                             {"--instances", "2", "--profile", "guest=p", "g"},
                                             {"g.wasm", "--profile"}}) {
    EXPECT_THROW(parseOptions(bad), wasmhost::app::cli::UsageError) << bad[1];
  }
}

TEST(DebugCli, TheFlameGraphGoesNextToTheProfile) {
  using wasmhost::app::cli::flameGraphPath;
  EXPECT_EQ(flameGraphPath("out/profile.json"), "out/profile.svg");
  EXPECT_EQ(flameGraphPath("profile"), "profile.svg");
  EXPECT_EQ(flameGraphPath("a.b/profile.json"), "a.b/profile.svg");
}

} // namespace
