/**
 * \file call_stats.hh
 * The figures of the last call (`wasmhost::CallStats`) as `host` prints
 * them.
 */
#ifndef WASMHOST_APP_CALL_STATS_HH
#define WASMHOST_APP_CALL_STATS_HH

#include <string>

#include "wasmhost/call_stats.hh"

namespace wasmhost::app {

/// One line, without a newline:
/// `[Host Stats] fuel used: N, wall time: X.XXX ms, peak memory: N bytes`;
/// an unset figure reads `off` (fuel metering off) or `unknown` (no memory
/// to read: a component, a module without an exported memory). A trapped
/// call adds `, trapped`.
std::string formatCallStats(const CallStats &stats);

} // namespace wasmhost::app

#endif // WASMHOST_APP_CALL_STATS_HH
