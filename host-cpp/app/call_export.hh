/**
 * \file call_export.hh
 * `host --call`: calls any export with arguments parsed from text by the
 * export's own signature.
 */
#ifndef WASMHOST_APP_CALL_EXPORT_HH
#define WASMHOST_APP_CALL_EXPORT_HH

#include <string>
#include <vector>

#include <wasmtime.hh>

namespace wasmhost::app {

/// Parses `args` as the parameters of `type`. Throws `std::invalid_argument`
/// naming the export, the argument and the expected type.
std::vector<wasmtime::Val> parseCallArguments(const std::string &export_name,
                                              wasmtime::FuncType type,
                                              const std::vector<std::string> &args);

/// The results, space separated (i32 and i64 in signed decimal).
std::string formatCallResults(const std::vector<wasmtime::Val> &results);

} // namespace wasmhost::app

#endif // WASMHOST_APP_CALL_EXPORT_HH
