/**
 * \file wasmhost/runtime/manifest.hh
 * A plugin's manifest: one JSON file that names the wasm file (and its
 * expected SHA-256) and says how far the plugin may go (limits) and what it
 * may reach (WASI capabilities, configuration). Its keys are in
 * docs/plugin-runtime.md and, for tools, in docs/manifest.schema.json; the
 * two are checked against each other by the `manifest` tests.
 *
 * The contract of `loadManifest`: every key it does not know is an error,
 * every value of the wrong type or range is an error, and each error is one
 * line naming the manifest file, the key path (`limits.timeout_ms`) and the
 * bad value; a JSON syntax error names the line and column.
 */
#ifndef WASMHOST_RUNTIME_MANIFEST_HH
#define WASMHOST_RUNTIME_MANIFEST_HH

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "wasmhost/options.hh"

namespace wasmhost {

/// The largest manifest file `loadManifest` reads: 1 MiB (a manifest is a
/// few hundred bytes; a larger file is not one).
inline constexpr uint64_t kMaxManifestBytes = uint64_t{1} << 20;

/// What a manifest says. Thread-safety: a value type.
struct Manifest {
  /// The manifest file, as given to `loadManifest`.
  std::filesystem::path file;
  /// `wasm.path`; a relative one is resolved against the manifest's folder
  /// (not the working directory).
  std::filesystem::path wasm_path;
  /// `wasm.sha256` in lower-case hex, when given: `loadManifest` has checked
  /// that the wasm file's bytes have it.
  std::optional<std::string> wasm_sha256;
  /// `WasmHostOptions`' defaults with what the manifest sets: `limits.*`
  /// (`timeout_ms`, `fuel`, `max_memory`, `max_tables`,
  /// `max_table_elements`, `compile_timeout_ms`), `wasi.*` (`preopens`, whose
  /// relative `host` folders are resolved against the manifest's folder,
  /// `env`, `args`, `stdout` as `guest_stdout`, `stderr` as
  /// `guest_stderr`) and `config`. The narration and streams stay unset.
  WasmHostOptions options;
  /// `pool.size`: how many instances a pool of this plugin holds (1 or more).
  std::optional<uint64_t> pool_size;
  /// The key path of every value the manifest gives (`limits.timeout_ms`,
  /// `wasi.env`, `config`), so that a caller can tell a value the manifest
  /// sets from a default, and let its own explicit settings win.
  std::set<std::string, std::less<>> keys;

  /// Whether the manifest gives a value at `key_path`.
  [[nodiscard]] bool has(std::string_view key_path) const { return keys.contains(key_path); }
};

/// Reads and checks the manifest `file`. Throws `Error`: kind `Io` when the
/// file (or, to check `wasm.sha256`, the wasm file) cannot be read, or is
/// larger than `kMaxManifestBytes` (the wasm file: `max_module_bytes`);
/// kind `Manifest` for invalid JSON (with its line and column), an unknown
/// key, a value of the wrong type or out of range, a missing `wasm.path`,
/// and a wasm file whose SHA-256 is not `wasm.sha256` (both named).
///
/// The SHA-256 is of the file as it is read here: a caller that loads the
/// module later reads it again (a file replaced in between is not caught).
Manifest loadManifest(const std::filesystem::path &file);

} // namespace wasmhost

#endif // WASMHOST_RUNTIME_MANIFEST_HH
