/**
 * \file plugin_world.hh
 * The world `wasmhost:plugin@0.1.0` (wit/plugin.wit) in C++: its value
 * types with their WIT mappings, the host's side of interface `host` (the
 * shared value and the `journal` resource) and the guest's exports as typed
 * functions.
 */
#ifndef WASMHOST_APP_PLUGIN_WORLD_HH
#define WASMHOST_APP_PLUGIN_WORLD_HH

#include <cstdint>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "article_host.hh"
#include "wasmhost/component/component_host.hh"

namespace wasmhost::app::world {

inline constexpr const char *kHostInterface = "wasmhost:plugin/host@0.1.0";
inline constexpr const char *kCountersInterface = "wasmhost:plugin/counters@0.1.0";

struct Point {
  int32_t x = 0;
  int32_t y = 0;
  bool operator==(const Point &) const = default;
};

struct Summary {
  int32_t min = 0;
  int32_t max = 0;
  int64_t sum = 0;
  uint32_t count = 0;
  bool operator==(const Summary &) const = default;
};

/// `variant parse-error { empty, not-a-number(string), wrong-field-count(u32) }`.
struct ParseError : std::variant<std::monostate, std::string, uint32_t> {
  using variant::variant;
};

enum class Shape : uint8_t { dot, line, area };

enum class Checks : uint8_t { none = 0, positive = 1, even = 2, small = 4 };

std::ostream &operator<<(std::ostream &out, const Point &point);
std::ostream &operator<<(std::ostream &out, const Summary &summary);
std::ostream &operator<<(std::ostream &out, const ParseError &error);
std::ostream &operator<<(std::ostream &out, Shape shape);
std::ostream &operator<<(std::ostream &out, Checks checks);

/// A host `journal`: its title and lines, bounded (a guest cannot make the
/// host keep more than `kMaxLines` lines or `kMaxBytes` bytes in one).
struct Journal {
  static constexpr size_t kMaxLines = 10000;
  static constexpr size_t kMaxBytes = size_t{1} << 20;
  std::string title;
  std::vector<std::string> lines;
  size_t bytes = 0;
  void append(std::string line);
};

/// What the host observes of the guest through interface `host`: the
/// article's shared value and records, and the journals the guest made.
struct ComponentHostState : HostState {
  /// Titles and lines of every journal the guest created, in order (the last
  /// `kKeptJournals`).
  struct JournalRecord {
    std::string title;
    std::vector<std::string> lines;
  };
  static constexpr size_t kKeptJournals = 16;
  std::vector<JournalRecord> journals;
};

/// Defines interface `host` of the world in `host`, bound to `state` (which
/// outlives it): log-value, get-shared-value, set-shared-value and the
/// resource journal (at most `ComponentHost::kDefaultMaxLiveResources` live
/// journals), which it returns (valid as long as `host`: its `live()` count).
component::HostResource<Journal> &defineHostInterface(component::ComponentHost &host,
                                                      ComponentHostState &state);

} // namespace wasmhost::app::world

WASMHOST_WIT_RECORD(wasmhost::app::world::Point, x, y);
WASMHOST_WIT_RECORD(wasmhost::app::world::Summary, min, max, sum, count);
WASMHOST_WIT_VARIANT(wasmhost::app::world::ParseError, "empty", "not-a-number",
                     "wrong-field-count");
WASMHOST_WIT_ENUM(wasmhost::app::world::Shape, "dot", "line", "area");
WASMHOST_WIT_FLAGS(wasmhost::app::world::Checks, "positive", "even", "small");

#endif // WASMHOST_APP_PLUGIN_WORLD_HH
