/**
 * \file report.hh
 * Joins the figures of `host-bench` and `host-bench-rs`, checks the targets
 * (all declared in spec.json), prints the table and writes the results as
 * JSON (nlohmann-json): one top-level object of flat records,
 * `"<key>": {"median", "min", "max", "unit", "reps", "by"}` per figure,
 * `"meta"`, `"ratio.<figure>/<figure>"`, `"target.<figure>"` and
 * `"compute.geomean_ratio"`: `{"value", "target", "met"}`. Also draws the
 * scaling curves as an SVG plot.
 */
#ifndef WASMHOST_BENCH_REPORT_HH
#define WASMHOST_BENCH_REPORT_HH

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "figure.hh"
#include "spec.hh"

namespace wasmhost::bench {

/// A figure as reported: measured here or read from the comparator's JSON.
struct Summary {
  std::string key;
  std::string unit;
  double median = 0;
  double min = 0;
  double max = 0;
  int reps = 0;
  std::string by;
};

Summary summarize(const Figure &figure);

/// What the run was, for the table's heading and the JSON's `meta`.
struct RunInfo {
  std::string mode;
  int reps = 0;
  std::string cpu;
  long cpus = 0;
  /// /proc/loadavg's 1-minute figure when the run started: how busy the
  /// machine was.
  std::string load;
  /// The comparator's JSON file, empty when there is none.
  std::string rust_results;
};

/// The CPU model from /proc/cpuinfo and the CPUs this process may use (nproc).
std::string cpuModel();
long usableCpus();
std::string loadAverage();

class Report {
public:
  Report(RunInfo info, std::vector<Summary> figures);

  void print(std::ostream &out) const;
  void writeJson(const std::string &path) const;
  /// The scaling curves (instantiate time and RSS per instance against live
  /// instances, both allocators) and the scenario throughput, as SVG.
  void writeSvg(const std::string &path) const;

private:
  [[nodiscard]] const Summary *find(std::string_view key) const;
  [[nodiscard]] std::optional<double> value(const Check &check) const;

  RunInfo info_;
  std::vector<Summary> figures_;
};

/// The figures in a results file of `host-bench-rs` (each must be declared
/// in spec.json as measured by it); `mode` receives `meta.mode`. Throws
/// `std::runtime_error` for a file that is no such JSON.
std::vector<Summary> readFigures(const std::string &path, std::string &mode);

} // namespace wasmhost::bench

#endif // WASMHOST_BENCH_REPORT_HH
