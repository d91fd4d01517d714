#include "wasmhost/errors.hh"

#include <variant>

namespace wasmhost {

std::string_view kindName(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::Io:
    return "io";
  case ErrorKind::Compile:
    return "compile";
  case ErrorKind::Link:
    return "link";
  case ErrorKind::Signature:
    return "signature";
  case ErrorKind::Trap:
    return "trap";
  case ErrorKind::Exit:
    return "exit";
  case ErrorKind::Limit:
    return "limit";
  case ErrorKind::GuestData:
    return "guest-data";
  case ErrorKind::Unsupported:
    return "unsupported";
  case ErrorKind::Manifest:
    return "manifest";
  }
  return "unknown";
}

ErrorKind classify(const wasmtime::Error &error, ErrorKind fallback) {
  if (error.i32_exit()) {
    return ErrorKind::Exit;
  }
  // Only a message is left: Wasmtime 48.0.8's wording, pinned by the unit
  // tests (ErrorModel.*), decides.
  const std::string message = error.message();
  const auto has = [&message](std::string_view part) {
    return message.find(part) != std::string::npos;
  };
  // "memory minimum size of 17 pages exceeds memory limits",
  // "resource limit exceeded: memory count too high at 2"
  if ((has("exceeds") && has("limits")) || has("resource limit exceeded")) {
    return ErrorKind::Limit;
  }
  if (has("unknown import") || has("incompatible import type")) {
    return ErrorKind::Link;
  }
  return fallback;
}

ErrorKind classify(const wasmtime::TrapError &error, ErrorKind fallback) {
  if (const auto *trap = std::get_if<wasmtime::Trap>(&error.data)) {
    return trap->message().rfind(detail::kExitMessage, 0) == 0 ? ErrorKind::Exit : ErrorKind::Trap;
  }
  return classify(std::get<wasmtime::Error>(error.data), fallback);
}

} // namespace wasmhost
