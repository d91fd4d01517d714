#include "call_stats.hh"

#include <cstdio>

namespace wasmhost::app {

std::string formatCallStats(const CallStats &stats) {
  std::string line = "[Host Stats] fuel used: ";
  line += stats.fuel_used ? std::to_string(*stats.fuel_used) : "off";
  // Milliseconds with three decimals, from whole nanoseconds: no rounding
  // through a double.
  const auto nanoseconds = stats.wall_time.count() < 0 ? 0 : stats.wall_time.count();
  char wall[48];
  std::snprintf(wall, sizeof(wall), "%lld.%03lld", static_cast<long long>(nanoseconds / 1000000),
                static_cast<long long>((nanoseconds / 1000) % 1000));
  line += ", wall time: ";
  line += wall;
  line += " ms, peak memory: ";
  line += stats.peak_memory_bytes ? std::to_string(*stats.peak_memory_bytes) + " bytes" : "unknown";
  if (stats.trapped) {
    line += ", trapped";
  }
  return line;
}

} // namespace wasmhost::app
