/**
 * \file report.hh
 * Joins the figures of `host-bench` and `host-bench-rs`, checks the targets,
 * prints the table and reads and writes the results as JSON: one top-level
 * object of flat records, `"<key>": {"median", "min", "max", "unit", "reps",
 * "by"}` per figure, `"meta"`, `"ratio.<figure>/<figure>": {"value",
 * "target", "met"}` and `"target.<figure>": {"value", "target", "met"}`.
 */
#ifndef WASMHOST_BENCH_REPORT_HH
#define WASMHOST_BENCH_REPORT_HH

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "figure.hh"

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

/// A ratio of two figures' medians (or one figure alone when `denominator`
/// is empty), with an optional target.
struct Check {
  std::string name;
  std::string numerator;
  std::string denominator;
  /// `<=` or `>=`; empty: informational, no target.
  std::string op;
  double bound = 0;
};

/// The targets, then informational ratios.
const std::vector<Check> &checks();
/// Every figure key the joined results must have, in table order.
const std::vector<std::string> &expectedKeys();

class Report {
public:
  Report(RunInfo info, std::vector<Summary> figures);

  void print(std::ostream &out) const;
  void writeJson(const std::string &path) const;

private:
  const Summary *find(std::string_view key) const;
  std::optional<double> value(const Check &check) const;

  RunInfo info_;
  std::vector<Summary> figures_;
};

/// A scalar of the flat JSON format.
using JsonScalar = std::variant<std::nullptr_t, bool, double, std::string>;
using JsonRecord = std::map<std::string, JsonScalar, std::less<>>;

/// Parses a top-level JSON object whose members are flat objects (the format
/// both benchmarks write). Throws `std::runtime_error` naming the position of
/// anything else.
std::map<std::string, JsonRecord, std::less<>> parseFlatJson(std::string_view text);

/// The figures in a results file: records with numeric `median`, `min`,
/// `max` and a string `unit`. `mode` receives `meta.mode`.
std::vector<Summary> readFigures(const std::string &path, std::string &mode);

} // namespace wasmhost::bench

#endif // WASMHOST_BENCH_REPORT_HH
