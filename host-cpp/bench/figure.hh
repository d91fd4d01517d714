/**
 * \file figure.hh
 * One benchmark figure (a value per repetition, reported as median, min and
 * max) and the sizes of a run.
 */
#ifndef WASMHOST_BENCH_FIGURE_HH
#define WASMHOST_BENCH_FIGURE_HH

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace wasmhost::bench {

/// How much work each figure does per repetition. `host-bench-rs` uses the
/// same numbers (bench-rs/src/main.rs), so that the figures compare.
struct Sizes {
  std::string mode;
  int reps = 15;
  /// Host-to-guest calls of `bench_add` per repetition.
  uint32_t calls = 500'000;
  /// Native calls through a function pointer per repetition.
  uint32_t native_calls = 5'000'000;
  /// Guest-to-host calls (`bench_call_host(n)`) per repetition.
  int32_t host_calls = 500'000;
  /// `writeMemory`/`readMemory` of one `Point` per repetition.
  uint32_t point_ops = 500'000;
  /// Bytes copied into and out of guest memory (and between host buffers).
  size_t bulk_bytes = size_t{64} << 20;
  /// Deserializations, and instantiations, averaged into one sample.
  int deserializations = 20;
  int instantiations = 300;
};

/// The default run (`full`) and the `--smoke` one, with tiny counts.
Sizes fullSizes();
Sizes smokeSizes();

struct Figure {
  std::string key;
  std::string unit;
  /// One value per repetition, sorted.
  std::vector<double> samples;
  /// Who measured it: `host-bench` or `host-bench-rs`.
  std::string by = "host-bench";

  [[nodiscard]] double median() const {
    const size_t n = samples.size();
    return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  }
  [[nodiscard]] double min() const { return samples.front(); }
  [[nodiscard]] double max() const { return samples.back(); }
};

/// One of several figures measured together by `measureInterleaved`.
struct Candidate {
  std::string key;
  std::string unit;
  std::function<double()> sample;
};

/// Measures the candidates in turns (a repetition of each, then the next
/// repetition of each...), so that a noisy phase of the machine hits all of
/// them alike and their ratios stay meaningful. One warm-up run each.
std::vector<Figure> measureInterleaved(std::vector<Candidate> candidates, int reps);

/// Runs `sample` once to warm up, then `reps` times. Each run times its own
/// work and returns one value in `unit`.
template <typename Sample>
Figure measure(std::string key, std::string unit, int reps, Sample &&sample) {
  return std::move(measureInterleaved({{std::move(key), std::move(unit), sample}}, reps).front());
}

using Clock = std::chrono::steady_clock;

inline double nanosecondsPer(Clock::time_point start, uint64_t operations) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
         static_cast<double>(operations);
}

inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Makes the optimizer assume `value` is read, so that the work producing
/// it cannot be removed.
template <typename T> inline void keep(const T &value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

} // namespace wasmhost::bench

#endif // WASMHOST_BENCH_FIGURE_HH
