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

/// How much work each figure does per repetition, read from spec.json's
/// `sizes.<mode>` (host-bench-rs reads the same).
struct Sizes {
  std::string mode;
  int reps = 0;
  /// Host-to-guest calls of `bench_add` per repetition.
  uint32_t calls = 0;
  /// Native calls through a function pointer per repetition.
  uint32_t native_calls = 0;
  /// Guest-to-host calls (`bench_call_host(n)`) per repetition.
  int32_t host_calls = 0;
  /// `writeMemory`/`readMemory` of one `Point` per repetition.
  uint32_t point_ops = 0;
  /// Bytes copied into and out of guest memory (and between host buffers).
  size_t bulk_bytes = 0;
  /// Deserializations, and instantiations, averaged into one sample.
  int deserializations = 0;
  int instantiations = 0;
  /// Idle hosts with the default options, repetitions and the time each
  /// repetition measures their CPU.
  int idle_hosts = 0;
  int idle_reps = 0;
  int idle_ms = 0;
  /// Repetitions of the scaling curve (each instantiates up to 10 000).
  int scale_reps = 0;
  /// Rounds of the seven scenarios per instance in the throughput figure.
  int scenario_rounds = 0;
  /// Rounds of the component calls (just-add, point-add, transform-string
  /// on 1 KiB, summarize on 1 000 values) per repetition.
  int component_rounds = 0;
};

/// `full` (the default run) or `smoke` (tiny counts).
Sizes sizesFor(const std::string &mode);

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

/// One of several figures measured together by `measureInterleaved`; its
/// unit is the one spec.json declares for its key.
struct Candidate {
  std::string key;
  std::function<double()> sample;
};

/// Measures the candidates in turns (a repetition of each, then the next
/// repetition of each...), so that a noisy phase of the machine hits all of
/// them alike and their ratios stay meaningful. One warm-up run each.
std::vector<Figure> measureInterleaved(std::vector<Candidate> candidates, int reps);

/// Runs `sample` once to warm up, then `reps` times. Each run times its own
/// work and returns one value in `unit`.
template <typename Sample> Figure measure(std::string key, int reps, Sample &&sample) {
  return std::move(measureInterleaved({{std::move(key), sample}}, reps).front());
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
