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

/// The results, space separated: i32 and i64 in signed decimal, floats in
/// the shortest form that reads back to the same bits, a v128 as its four
/// i32 lanes in hex (`i32x4 0x00000001 ...`, lane 0 first), a reference as
/// its kind (`funcref`, `externref:null`, ...).
std::string formatCallResults(const std::vector<wasmtime::Val> &results);

/// `formatCallResults`'s text of one float.
std::string formatFloat(double value);
std::string formatFloat(float value);

} // namespace wasmhost::app

#endif // WASMHOST_APP_CALL_EXPORT_HH
