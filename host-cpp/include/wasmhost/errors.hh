/**
 * \file wasmhost/errors.hh
 * The library's one error model. A runtime failure is a `wasmhost::Error`
 * with a kind saying what went wrong; misuse of the API stays
 * `std::logic_error`, and a host-side memory access outside the guest's
 * memory `std::out_of_range`, as the article throws them.
 */
#ifndef WASMHOST_ERRORS_HH
#define WASMHOST_ERRORS_HH

#include <stdexcept>
#include <string>
#include <string_view>

#include <wasmtime.hh>

namespace wasmhost {

/// What kind of runtime failure an `Error` is.
enum class ErrorKind {
  Io,        ///< the module file cannot be read (missing, a directory, too large)
  Compile,   ///< the bytes are not a valid module (or not valid WAT)
  Link,      ///< an import the host does not define, or an export it needs is missing
  Signature, ///< an export or import has another type than the host's
  Trap,      ///< the guest trapped: a wasm trap, the time limit, fuel, a failing host function
  Exit,      ///< the guest exited through WASI `proc_exit`
  Limit,     ///< a store limit refused what the module asked for (its initial memory, a growth)
  /// the guest handed the host data it refuses (a block outside memory, bad
  /// UTF-8), or a component call's argument is a value WIT cannot carry
  GuestData,
  /// the engine cannot be made as asked: a debugging or profiling option that
  /// the Wasmtime build (its cargo features) or the platform does not support
  Unsupported,
  /// a plugin manifest the host refuses (`loadManifest`): invalid JSON, an
  /// unknown key, a value of the wrong type or range, a missing `wasm.path`,
  /// a wasm file whose SHA-256 is not the manifest's
  Manifest,
};

/// The kind's name in one word: "io", "compile", "link", "signature", "trap",
/// "exit", "limit", "guest-data", "unsupported", "manifest".
std::string_view kindName(ErrorKind kind);

/// A runtime failure of the library, with its kind. Thread-safety: a value
/// type; copies may be used anywhere.
class Error : public std::runtime_error {
public:
  Error(ErrorKind kind, const std::string &message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] ErrorKind kind() const { return kind_; }
  /// Whether the guest stopped while running (a trap or an exit) rather than
  /// the host refusing to start it.
  [[nodiscard]] bool guestFailed() const {
    return kind_ == ErrorKind::Trap || kind_ == ErrorKind::Exit;
  }

private:
  ErrorKind kind_;
};

namespace detail {
/// How a WASI exit is worded once it is reported as a `Trap`
/// (`PluginInstance::asTrap`); `classify` recognizes it.
inline constexpr std::string_view kExitMessage = "the guest exited with status ";
/// The message of the trap that ends a call cancelled through a
/// `CancelHandle` (an `ErrorKind::Trap`); `PluginInstance::trapKind` names
/// it "cancelled".
inline constexpr std::string_view kCancelledMessage =
    "the call was cancelled (CancelHandle::interrupt)";
} // namespace detail

/// The kind of a failure Wasmtime reported. Decided from Wasmtime's typed
/// accessors where the C API has them (a `Trap` is `Trap`, `Error::i32_exit`
/// is `Exit`); a plain `wasmtime::Error` carries only a message, so its kind
/// is read from Wasmtime 48's wording (the store limiter's "exceeds ...
/// limits" is `Limit`, "unknown import" / "incompatible import type" is
/// `Link`); anything else is `fallback`.
ErrorKind classify(const wasmtime::TrapError &error, ErrorKind fallback);
/// `classify` for a `wasmtime::Error` alone.
ErrorKind classify(const wasmtime::Error &error, ErrorKind fallback);

} // namespace wasmhost

#endif // WASMHOST_ERRORS_HH
