/**
 * \file spec.hh
 * The benchmark's one declaration of its figures (key, unit, who measures),
 * sizes and targets: host-cpp/bench/spec.json, compiled in and read with
 * nlohmann-json. host-bench-rs and the bench smoke test read the same file.
 */
#ifndef WASMHOST_BENCH_SPEC_HH
#define WASMHOST_BENCH_SPEC_HH

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace wasmhost::bench {

/// spec.json's text.
extern const char *const kSpecText;

/// A declared figure, its placeholders expanded.
struct FigureSpec {
  std::string key;
  std::string unit;
  std::string by;
  /// The figure whose samples this one repeats (`start.deserialize_ms`).
  std::string same_as;
};

/// A ratio of two figures' medians (or one figure alone when `denominator`
/// is empty), or the geometric mean of several ratios, with an optional
/// target.
struct Check {
  std::string name;
  /// The record's key: `ratio.<num>/<den>`, `target.<num>` or the spec's.
  std::string key;
  std::vector<std::string> numerators;
  std::vector<std::string> denominators; ///< empty: the numerator alone
  bool geomean = false;
  /// `<=` or `>=`; empty: informational, no target.
  std::string op;
  double bound = 0;
};

class Spec {
public:
  /// The compiled-in spec.json; throws `std::runtime_error` naming what is
  /// malformed.
  static const Spec &get();

  [[nodiscard]] const nlohmann::json &sizes(std::string_view mode) const;
  [[nodiscard]] const std::vector<FigureSpec> &figures() const { return figures_; }
  [[nodiscard]] const std::vector<Check> &checks() const { return checks_; }
  /// The declared figure `key`; throws `std::runtime_error` for an undeclared one.
  [[nodiscard]] const FigureSpec &figure(std::string_view key) const;
  [[nodiscard]] const std::vector<std::string> &kernels() const { return kernels_; }
  [[nodiscard]] const nlohmann::json &scale() const { return json_.at("scale"); }

private:
  Spec();
  /// `text` once per combination of the values of its placeholders.
  [[nodiscard]] std::vector<std::string> expand(const std::string &text) const;

  nlohmann::json json_;
  std::map<std::string, std::vector<std::string>> lists_; ///< placeholder -> values
  std::vector<std::string> kernels_;
  std::vector<FigureSpec> figures_;
  std::vector<Check> checks_;
};

} // namespace wasmhost::bench

#endif // WASMHOST_BENCH_SPEC_HH
