// scale.*: how cost grows with live instances (instantiate time and RSS per
// instance, pooling and on-demand allocators), the scenario loop's
// throughput on 1 and 2 threads; idle.*: the CPU of idle hosts.
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "wasmhost/guest_buffer.hh"
#include "wasmhost/instance_pre.hh"

#include "benches.hh"
#include "spec.hh"

namespace wasmhost::bench {
namespace {

/// Resident set of this process, in KiB (/proc/self/statm).
double residentKiB() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0;
  uint64_t resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / 1024.0;
}

/// An engine with the pooling allocator for `scale.pooling_slots` instances
/// of one memory and one table each, with small reservations: 10 000
/// default slots (4 GiB + guard each) would not fit in the address space
/// and mappings this machine allows (vm.max_map_count), and the C API
/// aborts on a `Config` it cannot honour. Bounds checks are explicit with a
/// reservation this small.
wasmtime::Engine pooledScaleEngine() {
  const auto &scale = Spec::get().scale();
  const auto slots = scale.at("pooling_slots").get<uint32_t>();
  wasmtime::PoolAllocationConfig pool;
  pool.total_core_instances(slots);
  pool.total_memories(slots);
  pool.total_tables(slots);
  pool.max_memory_size(scale.at("pooling_max_memory_bytes").get<size_t>());
  pool.table_elements(scale.at("pooling_table_elements").get<size_t>());
  wasmtime::Config config;
  config.memory_reservation(scale.at("pooling_memory_reservation_bytes").get<uint64_t>());
  config.memory_guard_size(scale.at("pooling_memory_guard_bytes").get<uint64_t>());
  config.pooling_allocation_strategy(pool);
  return wasmtime::Engine(std::move(config));
}

/// One store with its instance, kept alive.
struct Live {
  explicit Live(wasmtime::Engine &engine) : store(engine) { setQuietWasi(store); }
  wasmtime::Store store;
  std::optional<wasmtime::Instance> instance;
};

/// `scale.<alloc>.instantiate_us.<n>` and `.rss_kb_per_instance.<n>`: n
/// instances made one after the other through `InstancePre` and kept alive;
/// the time of the instantiations alone (the stores and WASI are made
/// before), the resident memory they add (stores, WASI, instances) per
/// instance.
std::vector<Figure> scaleCurve(const std::string &alloc, std::vector<uint8_t> &wasm,
                               const Sizes &sizes) {
  auto engine = alloc == "pooling" ? pooledScaleEngine() : wasmtime::Engine();
  auto module = unwrap("compiling", wasmtime::Module::compile(engine, wasm));
  auto linker = rawLinker(engine, module);
  const InstancePre pre(linker, engine, module, "guest-bench.wasm");
  std::vector<Figure> figures;
  for (const auto &count : Spec::get().scale().at("instances")) {
    const auto n = count.get<size_t>();
    const std::string suffix = "." + std::to_string(n);
    Figure time{"scale." + alloc + ".instantiate_us" + suffix, "", {}};
    Figure rss{"scale." + alloc + ".rss_kb_per_instance" + suffix, "", {}};
    for (int rep = 0; rep < sizes.scale_reps; ++rep) {
      ::malloc_trim(0);
      const double rss_before = residentKiB();
      std::vector<std::unique_ptr<Live>> live;
      live.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        live.push_back(std::make_unique<Live>(engine));
      }
      double total_us = 0;
      for (auto &one : live) {
        const auto start = Clock::now();
        auto instance = pre.instantiate(one->store.context());
        total_us += secondsSince(start) * 1e6;
        one->instance =
            unwrap("instantiating instance of " + std::to_string(n), std::move(instance));
      }
      const double rss_after = residentKiB();
      time.samples.push_back(total_us / static_cast<double>(n));
      rss.samples.push_back(std::max(0.0, rss_after - rss_before) / static_cast<double>(n));
    }
    for (Figure *figure : {&time, &rss}) {
      figure->unit = Spec::get().figure(figure->key).unit;
      std::sort(figure->samples.begin(), figure->samples.end());
      figures.push_back(std::move(*figure));
    }
  }
  return figures;
}

/// The per-instance host state of the scenario loop, in the store's data.
struct ScenarioState {
  int32_t shared_value = 42;
  int64_t logged = 0;
};

struct Point {
  int32_t x;
  int32_t y;
  bool operator==(const Point &) const = default;
};

void expect(bool ok, const char *what) {
  if (!ok) {
    fail("scenario loop", what);
  }
}

/// The seven scenarios of `host` (README), checked, on one instance: what
/// `host --quiet --instances N --threads T` runs for each instance.
void scenarioRound(WasmHost &host, ScenarioState &state) {
  auto sum = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "just_add", std::make_tuple(uint64_t{15}, uint64_t{27}));
  expect(sum && std::get<0>(sum.ok()) == 42, "just_add");
  const int32_t before = state.shared_value;
  expect(bool(host.callFunctionVoid("trigger_host_calls", std::make_tuple(int32_t{7}))),
         "trigger_host_calls");
  expect(state.shared_value == before + 12, "host-calls");
  host.writeMemory(2048, Point{100, 200});
  host.writeMemory(2056, Point{30, 70});
  expect(bool(host.callFunctionVoid("point_add",
                                    std::make_tuple(int32_t{2064}, int32_t{2048}, int32_t{2056}))),
         "point_add");
  expect(host.readMemory<Point>(2064) == Point{130, 270}, "point");
  const int32_t offset = host.getPluginDataOffset("get_plugin_shared_value_ptr");
  host.writeMemory(offset, int32_t{777});
  auto verify = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
      "simple_add", std::make_tuple(uint64_t{1}, uint64_t{1}));
  expect(verify && std::get<0>(verify.ok()) == 2 && host.readMemory<int32_t>(offset) == 777,
         "verify");
  {
    auto points = GuestBuffer::allocate(host, 24, 4);
    points.write(0, Point{100, 200});
    points.write(8, Point{30, 70});
    expect(bool(host.callFunctionVoid(
               "point_add",
               std::make_tuple(points.offsetOf(16), points.offsetOf(0), points.offsetOf(8)))),
           "point_add (buffer)");
    expect(points.read<Point>(16) == Point{130, 270}, "point-alloc");
  }
  auto text = GuestBuffer::copyOf(host, "Grüße vom 🦀 an C++ ✓");
  auto packed = callOrThrow<std::tuple<uint64_t>, std::tuple<uint32_t, uint32_t>>(
      host, "transform_string", std::make_tuple(text.offset(), text.size()));
  expect(takeGuestString(host, std::get<0>(packed)) == "✓ ++C NA 🦀 MOV ESSÜRG", "strings");
}

constexpr int kScenariosPerRound = 7;

/// `scale.scenarios_per_s.<threads>`: the scenarios of `scenarioRound`, with
/// the default options (a time limit), one instance per thread of one
/// prepared plugin, `scenario_rounds` rounds each; scenarios per second of
/// wall-clock time over all threads.
std::vector<Figure> scenarioThroughput(const std::string &guest, const Sizes &sizes) {
  WasmHostOptions options;
  options.guest_stdout = false;
  WasmHost preparing(guest, options);
  auto state_of = [](wasmtime::Caller caller) -> ScenarioState & {
    return PluginInstance::storeData<ScenarioState>(caller);
  };
  preparing.defineHostFunction("env", "host_bench_echo", [](int32_t value) { return value; });
  preparing.defineHostFunction(
      "env", "host_log_value",
      [state_of](wasmtime::Caller caller, int32_t value) { state_of(caller).logged += value; });
  preparing.defineHostFunction("env", "host_get_shared_value", [state_of](wasmtime::Caller caller) {
    return state_of(caller).shared_value;
  });
  preparing.defineHostFunction("env", "host_set_shared_value",
                               [state_of](wasmtime::Caller caller, int32_t value) {
                                 state_of(caller).shared_value = value;
                               });
  const auto plugin = preparing.prepareInstances();

  std::vector<Figure> figures;
  for (const auto &count : Spec::get().scale().at("threads")) {
    const int threads = count.get<int>();
    const std::string key = "scale.scenarios_per_s." + std::to_string(threads);
    figures.push_back(measure(key, sizes.reps, [&] {
      std::atomic<bool> failed{false};
      std::string failure;
      std::vector<std::unique_ptr<WasmHost>> hosts;
      std::vector<ScenarioState> states(static_cast<size_t>(threads));
      for (int t = 0; t < threads; ++t) {
        hosts.push_back(std::make_unique<WasmHost>(plugin, options));
        hosts.back()->setStoreData(&states[static_cast<size_t>(t)]);
        hosts.back()->initialize();
      }
      const auto start = Clock::now();
      {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t) {
          workers.emplace_back([&, t] {
            try {
              for (int round = 0; round < sizes.scenario_rounds; ++round) {
                scenarioRound(*hosts[static_cast<size_t>(t)], states[static_cast<size_t>(t)]);
              }
            } catch (const std::exception &error) {
              if (!failed.exchange(true)) {
                failure = error.what();
              }
            }
          });
        }
      }
      const double seconds = secondsSince(start);
      if (failed) {
        fail(key, failure);
      }
      return static_cast<double>(threads) * sizes.scenario_rounds * kScenariosPerRound / seconds;
    }));
  }
  return figures;
}

double processCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

} // namespace

std::vector<Figure> measureScale(const std::string &guest, std::vector<uint8_t> &wasm,
                                 const Sizes &sizes) {
  std::vector<Figure> figures;
  for (const auto &alloc : Spec::get().scale().at("allocators")) {
    for (auto &figure : scaleCurve(alloc.get<std::string>(), wasm, sizes)) {
      figures.push_back(std::move(figure));
    }
  }
  for (auto &figure : scenarioThroughput(guest, sizes)) {
    figures.push_back(std::move(figure));
  }
  return figures;
}

std::vector<Figure> measureIdle(const std::string &guest, const Sizes &sizes) {
  // `idle_hosts` hosts with the default options (a 10 s time limit each),
  // through a module cache so that they start in a few ms each.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("wasmhost-bench-idle-" + std::to_string(::getpid()));
  WasmHostOptions options;
  options.guest_stdout = false;
  options.module_cache_dir = dir.string();
  std::vector<std::unique_ptr<WasmHost>> hosts;
  for (int i = 0; i < sizes.idle_hosts; ++i) {
    hosts.push_back(std::make_unique<WasmHost>(guest, options));
    defineBenchImports(*hosts.back());
    hosts.back()->initialize();
  }
  // Let the ticker see that nothing runs (it parks after 50 idle ticks).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto figure = measure("idle.cpu_pct_100_hosts", sizes.idle_reps, [&sizes] {
    const double cpu_before = processCpuSeconds();
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(sizes.idle_ms));
    const double cpu = processCpuSeconds() - cpu_before;
    return 100.0 * cpu / secondsSince(start);
  });
  hosts.clear();
  std::filesystem::remove_all(dir);
  return {std::move(figure)};
}

} // namespace wasmhost::bench
