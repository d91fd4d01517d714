/**
 * \file flame_graph.hh
 * The flame graph of `host --profile guest=FILE`: the guest profiler's
 * Firefox Profiler JSON folded into stacks, drawn as an SVG by the host
 * itself (no other tool needed to look at a profile).
 */
#ifndef WASMHOST_APP_FLAME_GRAPH_HH
#define WASMHOST_APP_FLAME_GRAPH_HH

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wasmhost::app {

/// One stack of a profile, outermost frame first, and the samples that had it.
struct FoldedStack {
  std::vector<std::string> frames;
  uint64_t samples = 0;
};

/// A profile's samples by stack.
struct FoldedProfile {
  std::vector<FoldedStack> stacks; ///< the samples with guest frames, by stack
  uint64_t samples = 0;            ///< every sample, with or without guest frames
  uint64_t empty_samples = 0;      ///< samples without a guest frame (taken after a return)
  double interval_ms = 0;          ///< the sampling interval the profile announces
};

/// Stacks deeper than this keep their outermost frames and end in one
/// "[N more frames]" frame (a guest recursing until its stack ran out has
/// tens of thousands).
inline constexpr size_t kMaxFlameGraphDepth = 256;

/// Reads the guest profiler's JSON (Firefox's "processed profile format":
/// threads with `samples`, `stackTable`, `frameTable`, `funcTable` and
/// `stringArray`). Throws `std::runtime_error` saying what is wrong when it
/// is not such a profile.
FoldedProfile foldFirefoxProfile(std::string_view json);

/// A flame graph of `profile` as a self-contained SVG (no script): one box
/// per function per stack, as wide as its share of the samples with guest
/// frames, callers below callees, siblings in alphabetical order. Each box
/// is a `<g>` whose `<title>` reads `NAME (N samples, P%)`; the bottom one is
/// `all`. Names lose rustc's hash (`::h` and 16 hex digits), are escaped for
/// XML, and characters XML cannot carry become U+FFFD. `title` heads the
/// picture.
std::string flameGraphSvg(const FoldedProfile &profile, std::string_view title);

} // namespace wasmhost::app

#endif // WASMHOST_APP_FLAME_GRAPH_HH
