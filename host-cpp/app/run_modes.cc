#include "run_modes.hh"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <deque>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "article_host.hh"
#include "flame_graph.hh"
#include "wasmhost/guest_buffer.hh"
#include "wasmhost/runtime/log.hh"
#include "wasmhost/runtime/pool.hh"

namespace wasmhost::app {
namespace {

constexpr int32_t kFirstTriggerArg = 7;
/// How long a run waits for a free instance of the pool: far longer than a
/// run takes within its calls' limits, so it is only reached when those are
/// off (--timeout-ms 0, a guest that never returns).
constexpr std::chrono::minutes kPoolCheckoutTimeout{10};

/// Keeps the first `capacity` bytes written to it and counts the rest, so
/// that a guest cannot make the host hold its output without bound while the
/// instances before it are still running.
class BoundedText : public std::streambuf {
public:
  /// What all the instances' output may hold together (32 MiB per stream),
  /// and the most and the least each instance's stream gets of it.
  static constexpr size_t kTotalOutput = size_t{32} << 20;
  static constexpr size_t kMostPerInstance = size_t{1} << 20;
  static constexpr size_t kLeastPerInstance = size_t{1} << 10;

  /// The capacity of each stream when `instances` run.
  static size_t capacityFor(int instances) {
    return std::clamp(kTotalOutput / static_cast<size_t>(std::max(instances, 1)), kLeastPerInstance,
                      kMostPerInstance);
  }
  explicit BoundedText(size_t capacity = kMostPerInstance) : capacity_(capacity) {}

  /// The kept text, then a line saying how much was dropped, if any.
  [[nodiscard]] std::string text() const {
    if (dropped_ == 0) {
      return kept_;
    }
    return kept_ + (kept_.empty() || kept_.back() == '\n' ? "" : "\n") +
           "[host: output truncated after " + std::to_string(capacity_) + " bytes; " +
           std::to_string(dropped_) + " more dropped]\n";
  }

protected:
  int overflow(int c) override {
    if (c != traits_type::eof()) {
      const char byte = static_cast<char>(c);
      xsputn(&byte, 1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char *bytes, std::streamsize count) override {
    const size_t size = static_cast<size_t>(count);
    const size_t room = capacity_ - kept_.size();
    kept_.append(bytes, std::min(size, room));
    dropped_ += size > room ? size - room : 0;
    return count;
  }

private:
  size_t capacity_;
  std::string kept_;
  uint64_t dropped_ = 0;
};

/// An instance's guest lines into its collected output: the library's route
/// (`WasmHostOptions::log_sink`: lines split, cut and rate-limited per
/// instance, as any sink gets them), then the guest's stdout to `out` (none:
/// dropped, as `--quiet` wants), its stderr to `errors`, and anything else
/// (its `wasmhost::log` calls, the library's notes) to `errors` with level
/// and source. Thread-safety: its instance's (one thread).
class InstanceOutputSink : public runtime::LogSink {
public:
  InstanceOutputSink(std::ostream *out, std::ostream &errors) : out_(out), errors_(errors) {}
  void write(runtime::LogLevel level, std::string_view source, std::string_view line) override {
    if (source == "guest.stdout") {
      if (out_ != nullptr) {
        *out_ << line << '\n';
      }
    } else if (source == "guest.stderr") {
      errors_ << line << '\n';
    } else {
      errors_ << '[' << runtime::logLevelName(level) << ' ' << source << "] " << line << '\n';
    }
  }

private:
  std::ostream *out_;
  std::ostream &errors_;
};

/// What the run on this thread writes to, for the pool's factories (called
/// on the thread that checks out): the fresh instance's log sink and
/// narration, and its host state's narration.
struct ThreadRoute {
  runtime::LogSink *sink = nullptr;
  std::ostream *narration = nullptr;
};
thread_local ThreadRoute this_thread_route;

/// Everything one instance printed, and how it went.
struct InstanceRun {
  explicit InstanceRun(size_t capacity = BoundedText::kMostPerInstance)
      : out_text(capacity), errors_text(capacity) {}
  BoundedText out_text;
  BoundedText errors_text;
  std::ostream out{&out_text};       ///< narration, guest stdout, verdicts
  std::ostream errors{&errors_text}; ///< one line per failure, guest stderr
  ScenarioSummary summary;
  int status = cli::kOk;
  bool started = false;  ///< instantiated, so its scenarios ran
  bool checked = false;  ///< every host-calls run passed: the host value can be checked
  bool isolated = false; ///< checked, and the host value is this instance's alone
};

void printPrefixed(std::ostream &out, const std::string &text, const std::string &prefix) {
  std::istringstream lines(text);
  const std::string bare = prefix.substr(0, prefix.find_last_not_of(' ') + 1);
  for (std::string line; std::getline(lines, line);) {
    out << (line.empty() ? bare : prefix + line) << '\n';
  }
  out.flush();
}

/// Sets this thread's route for as long as it lives.
class RouteThisThread {
public:
  RouteThisThread(runtime::LogSink &sink, std::ostream *narration) {
    this_thread_route = {&sink, narration};
  }
  ~RouteThisThread() { this_thread_route = {}; }
  RouteThisThread(const RouteThisThread &) = delete;
  RouteThisThread &operator=(const RouteThisThread &) = delete;
};

void runInstance(int index, runtime::InstancePool &pool, std::atomic<size_t> &most_alive,
                 const cli::Options &options, InstanceRun &run) {
  std::ostream discard(nullptr);
  std::ostream *narration = options.quiet ? nullptr : &run.out;
  const int32_t trigger_arg = kFirstTriggerArg + index;
  // The guest's stdout joins this instance's output, printed whole later;
  // its stderr too, so that its lines carry the instance's prefix and
  // cannot pass for the host's. Declared first: the leased instance writes
  // to it until it is destroyed.
  InstanceOutputSink guest_output(narration, run.errors);
  const RouteThisThread route(guest_output, narration);
  try {
    // A fresh instance and host state (the pool's StateFactory), destroyed
    // when this run ends.
    runtime::Lease lease = pool.checkout(runtime::Reuse::No);
    lease.discard();
    for (size_t alive = pool.liveInstances(), most = most_alive.load();
         alive > most && !most_alive.compare_exchange_weak(most, alive);) {
    }
    PluginInstance &instance = lease.instance();
    HostState &state = *lease.state<HostState>();
    run.started = true;
    std::ostream &main_narration = narration != nullptr ? *narration : discard;
    ScenarioContext context{instance, state, main_narration, std::nullopt, 0, trigger_arg};
    const auto &names = options.scenarios.empty() ? scenarioNames() : options.scenarios;
    run.summary = runScenarioList(names, context, run.out, run.errors, options.keep_going);
    run.status = exitStatusOf(run.summary);

    // The host value lives in this store's HostState: only this instance's
    // trigger_host_calls(7+i) may have changed it. Known only when every
    // host-calls run passed (one that trapped or was skipped changed it by
    // an unknown amount, or not at all).
    const auto host_calls =
        static_cast<int32_t>(std::count(names.begin(), names.end(), "host-calls"));
    run.checked = run.summary.passedRuns("host-calls") == host_calls;
    if (!run.checked) {
      run.out << "[Host Main] Host value " << state.shared_host_value
              << ": isolation not checked (a host-calls run did not pass)" << std::endl;
    }
    const int32_t expected = 42 + host_calls * (trigger_arg + 5);
    run.isolated = run.checked && state.shared_host_value == expected;
    if (run.checked) {
      run.out << "[Host Main] Host value " << state.shared_host_value << ", expected " << expected
              << " (42 + " << host_calls << " x (" << trigger_arg
              << " + 5)): " << (run.isolated ? "isolated" : "NOT ISOLATED") << std::endl;
    }
    if (run.checked && !run.isolated) {
      run.errors << "host: the host value is " << state.shared_host_value << ", expected "
                 << expected << std::endl;
      run.status = worseStatus(run.status, cli::kCheckFailed);
    }
    if (options.dump_state) {
      run.status = worseStatus(run.status, dumpGuestState(instance, run.out, run.errors));
    }
  } catch (const Error &error) {
    run.errors << "host: error: " << oneLine(error.what()) << std::endl;
    run.status = worseStatus(run.status, cli::exitStatusFor(error.kind()));
  } catch (const std::exception &error) {
    run.errors << "host: error: " << oneLine(error.what()) << std::endl;
    run.status = worseStatus(run.status, cli::kSetupError);
  } catch (...) {
    run.errors << "host: error: a non-standard exception" << std::endl;
    run.status = worseStatus(run.status, cli::kSetupError);
  }
}

} // namespace

WasmHostOptions hostOptionsFor(const cli::Options &options, std::ostream *narration) {
  // A manifest's settings first (WASI capabilities, configuration, tables,
  // stdout and stderr); the command line's (merged by applyManifest) on top.
  WasmHostOptions host_options = options.manifest_options.value_or(WasmHostOptions{});
  host_options.narration = narration;
  host_options.guest_stdout = host_options.guest_stdout && !options.quiet;
  host_options.module_cache_dir = options.cache_dir;
  host_options.timeout_ms = options.timeout_ms;
  host_options.fuel = options.fuel;
  host_options.compile_timeout_ms = options.compile_timeout_ms;
  host_options.max_memory_bytes = options.max_memory_bytes;
  host_options.debug_info = options.debug;
  host_options.profiler = options.profiler;
  return host_options;
}

int exitStatusOf(const ScenarioSummary &summary) {
  if (summary.any_trap) {
    return cli::kGuestTrap;
  }
  if (summary.any_link_error) {
    return cli::kSetupError;
  }
  return summary.failed > 0 ? cli::kCheckFailed : cli::kOk;
}

void narrateProfiler(const cli::Options &options, std::ostream *narration) {
  if (narration == nullptr) {
    return;
  }
  if (options.profiler == Profiler::PerfMap) {
    *narration << "[Host Setup] Profiler perfmap: Wasmtime writes the guest's symbols to "
               << profilerOutputPath(Profiler::PerfMap) << " (read by perf report)" << std::endl;
  } else if (options.profiler == Profiler::JitDump) {
    *narration << "[Host Setup] Profiler jitdump: Wasmtime writes "
               << std::filesystem::absolute(profilerOutputPath(Profiler::JitDump))
                      .lexically_normal()
                      .string()
               << " (for perf record -k 1, then perf inject --jit)" << std::endl;
  }
}

GuestProfileFiles::GuestProfileFiles(std::string path, const std::string &module_path)
    : path_(std::move(path)), svg_path_(cli::flameGraphPath(path_)) {
  // Both checked before either is emptied.
  for (const auto &[name, what] :
       {std::pair{&path_, "guest profile"}, {&svg_path_, "flame graph"}}) {
    std::error_code same_error;
    if (std::filesystem::equivalent(*name, module_path, same_error)) {
      throw Error(ErrorKind::Io, std::string("--profile guest=FILE: the ") + what + " '" + *name +
                                     "' would overwrite the module '" + module_path + "'");
    }
  }
  const auto open = [](std::ofstream &file, const std::string &name, const char *what) {
    errno = 0;
    file.open(name, std::ios::binary | std::ios::trunc);
    if (!file) {
      const int error = errno != 0 ? errno : EIO;
      throw Error(ErrorKind::Io, std::string("--profile guest=FILE: cannot write the ") + what +
                                     " '" + name + "': " + std::generic_category().message(error));
    }
  };
  open(json_, path_, "guest profile");
  open(svg_, svg_path_, "flame graph");
}

int GuestProfileFiles::write(WasmHost &host, std::ostream *narration, std::ostream &errors) {
  try {
    const uint64_t samples = host.instance().guestProfileSamples();
    const std::vector<uint8_t> profile = host.instance().finishGuestProfile();
    const std::string_view json(reinterpret_cast<const char *>(profile.data()), profile.size());
    const FoldedProfile folded = foldFirefoxProfile(json);
    const std::string name = std::filesystem::path(host.wasmPath()).filename().string();
    const std::string svg = flameGraphSvg(folded, "Guest profile of " + name);
    json_ << json;
    svg_ << svg;
    json_.close();
    svg_.close();
    if (!json_ || !svg_) {
      throw Error(ErrorKind::Io, "--profile guest=FILE: writing '" + path_ + "' or '" + svg_path_ +
                                     "' failed: " + std::generic_category().message(errno));
    }
    if (narration != nullptr) {
      *narration << "[Host Main] Guest profile: " << samples << " samples ("
                 << folded.samples - folded.empty_samples << " with guest frames), "
                 << profile.size() << " bytes of Firefox Profiler JSON in " << path_
                 << ", flame graph in " << svg_path_ << std::endl;
    }
    return cli::kOk;
  } catch (const std::exception &error) {
    errors << "host: error: " << oneLine(error.what()) << std::endl;
    return cli::kSetupError;
  }
}

int dumpGuestState(PluginInstance &instance, std::ostream &out, std::ostream &errors) {
  if (!instance.isInitialized()) { // a failed re-instantiation left no instance
    errors << "host: error: --dump-state: the module is not instantiated (its last "
              "instantiation failed)"
           << std::endl;
    return cli::kSetupError;
  }
  try {
    auto [packed] = callOrThrow<std::tuple<uint64_t>>(instance, cli::kDebugStateExport);
    const std::string state = takeGuestString(instance, packed); // before printing anything
    out << "[Host Main] Guest state: " << state << std::endl;
    return cli::kOk;
  } catch (const Error &error) {
    errors << "host: error: --dump-state: " << oneLine(error.what());
    if (error.kind() == ErrorKind::Link) {
      errors << " (a guest built without the cargo feature debug-json)";
    }
    errors << std::endl;
    return cli::exitStatusFor(error.kind());
  } catch (const std::exception &unavailable) { // e.g. a module without memory
    errors << "host: error: --dump-state: " << oneLine(unavailable.what()) << std::endl;
    return cli::kSetupError;
  }
}

int runInstances(const cli::Options &options, std::ostream &out, std::ostream &errors) {
  const int count = *options.instances;
  const int thread_count = options.threads;
  std::ostream *narration = options.quiet ? nullptr : &out;

  // One engine, one compiled module, one linker resolved once.
  WasmHostOptions shared_options = hostOptionsFor(options, narration);
  shared_options.guest_stdout = false; // it never runs the guest
  WasmHost shared(options.module_path, shared_options);
  narrateProfiler(options, narration);
  definePerStoreArticleHostFunctions(shared);
  const auto pre = shared.prepareInstances();

  // The instances come from a pool of at most `pool_size` (--pool-size, the
  // manifest's pool.size, else one per run): each run leases a fresh one,
  // made with the run's own output and a fresh HostState, and destroys it
  // when done.
  const auto pool_size = static_cast<size_t>(std::min(options.pool_size.value_or(count), count));
  const WasmHostOptions instance_options = hostOptionsFor(options, narration);
  std::ostream discard(nullptr);
  runtime::PoolOptions pool_options;
  pool_options.max_instances = pool_size;
  pool_options.checkout_timeout = kPoolCheckoutTimeout;
  pool_options.fresh_instance_options = [&] {
    WasmHostOptions fresh = instance_options;
    fresh.log_sink = this_thread_route.sink;
    // The narration stays on its stream (none with --quiet: not the sink).
    fresh.narration =
        this_thread_route.narration != nullptr ? this_thread_route.narration : &discard;
    return fresh;
  };
  runtime::InstancePool pool(pre, pool_options, [](PluginInstance &instance) {
    auto state = std::make_shared<HostState>();
    state->narration = this_thread_route.narration;
    instance.setStoreData(state.get());
    return runtime::HostState(state);
  });
  std::atomic<size_t> most_alive{0};
  if (narration != nullptr) {
    *narration << "[Host Main] Running " << count << " instance(s) on " << thread_count
               << " thread(s)";
    if (options.pool_size) {
      *narration << " from a pool of at most " << pool_size;
    }
    *narration << "; instance i passes " << kFirstTriggerArg << "+i to trigger_host_calls."
               << std::endl;
  }

  // A deque: runs stay where they are made (their streams point into them).
  std::deque<InstanceRun> runs;
  for (int index = 0; index < count; ++index) {
    runs.emplace_back(BoundedText::capacityFor(count));
  }
  std::vector<std::promise<void>> finished(runs.size());
  std::vector<std::future<void>> ready;
  for (auto &promise : finished) {
    ready.push_back(promise.get_future());
  }
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int index = next++; index < count; index = next++) {
      runInstance(index, pool, most_alive, options, runs[static_cast<size_t>(index)]);
      finished[static_cast<size_t>(index)].set_value();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error &error) {
      // Fewer threads do the same work: each takes the next instance.
      errors << "host: note: started " << threads.size() << " of " << thread_count << " thread(s) ("
             << error.what() << ")" << std::endl;
      break;
    }
  }
  if (threads.empty()) {
    worker(); // on this thread, in order
  }

  // Print each instance's output whole, in order, as soon as it is done.
  ScenarioSummary total;
  int status = cli::kOk;
  int isolated = 0;
  int checked = 0;
  int not_started = 0;
  for (size_t index = 0; index < runs.size(); ++index) {
    ready[index].wait();
    const InstanceRun &run = runs[index];
    const std::string prefix = "[instance " + std::to_string(index) + "] ";
    printPrefixed(out, run.out_text.text(), prefix);
    printPrefixed(errors, run.errors_text.text(), prefix);
    total.passed += run.summary.passed;
    total.failed += run.summary.failed;
    total.skipped += run.summary.skipped;
    isolated += run.isolated ? 1 : 0;
    checked += run.checked ? 1 : 0;
    not_started += run.started ? 0 : 1;
    status = worseStatus(status, run.status);
  }
  for (auto &thread : threads) {
    thread.join();
  }
  out << count << " instance(s) on " << thread_count << " thread(s): " << total.passed
      << " passed, " << total.failed << " failed";
  if (total.skipped > 0) {
    out << ", " << total.skipped << " skipped";
  }
  if (not_started > 0) {
    out << ", " << not_started << " instance(s) did not start";
  }
  out << "; host state isolated in " << isolated << " of " << checked << " checked";
  if (options.pool_size) {
    out << "; pool of " << pool_size << ": " << pool.instancesMade()
        << " instance(s) made, at most " << most_alive.load() << " alive at once";
  }
  out << std::endl;
  return status;
}

} // namespace wasmhost::app
