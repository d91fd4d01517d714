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

/// An export the host needs is missing or has another type (exit status 2 of
/// the `host` CLI, like a link error).
class GuestLinkError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The guest handed the host data it refuses: a returned block outside linear
/// memory, a null block, a string that is not UTF-8.
class GuestDataError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace wasmhost

#endif // WASMHOST_ERRORS_HH
