/**
 * \file wasmhost/errors.hh
 * Exception types `WasmHost` throws, one per exit status of the `host` CLI.
 */
#ifndef WASMHOST_ERRORS_HH
#define WASMHOST_ERRORS_HH

#include <stdexcept>
#include <string>

namespace wasmhost {

/// The guest trapped: a wasm trap, an interrupted or out-of-fuel call, a trap
/// in a start function or `_initialize`, or a host function that failed.
/// Setup failures (file, compile, link) are plain `std::runtime_error`s, as
/// in the article.
class GuestTrap : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace wasmhost

#endif // WASMHOST_ERRORS_HH
