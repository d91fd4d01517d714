/**
 * \file wasmhost/module_cache.hh
 * A precompiled-module cache: `Module::serialize` output stored on disk, keyed
 * by a SHA-256 of the wasm bytes, the engine's configuration and the Wasmtime
 * version, so that later runs `Module::deserialize` it instead of compiling.
 *
 * `Module::deserialize` runs whatever native code the file holds: it is only
 * safe for files this host wrote. Every file is therefore checked before it
 * reaches Wasmtime (magic, format version, Wasmtime version, engine
 * configuration, wasm bytes, payload length and SHA-256), and a file that
 * fails any check is rebuilt, never run. The checks catch accidents
 * (truncation, corruption, a stale or misplaced file), not an attacker who
 * can write to the cache folder: keep it private to the user.
 *
 * File layout (little-endian), `<dir>/<key>.cwasm`:
 *
 * | offset | size | field                                              |
 * |--------|------|----------------------------------------------------|
 * | 0      | 8    | magic `WHMODCA\n`                                  |
 * | 8      | 4    | format version (`kFormatVersion`)                  |
 * | 12     | 32   | Wasmtime version, NUL-padded text                  |
 * | 44     | 32   | SHA-256 of the engine configuration description    |
 * | 76     | 32   | SHA-256 of the wasm bytes                          |
 * | 108    | 8    | payload length                                     |
 * | 116    | 32   | SHA-256 of the payload                             |
 * | 148    | n    | payload: `Module::serialize` output                |
 */
#ifndef WASMHOST_MODULE_CACHE_HH
#define WASMHOST_MODULE_CACHE_HH

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include <wasmtime.h>
#include <wasmtime.hh>

namespace wasmhost {

/// What a cache entry must match besides the wasm bytes.
struct ModuleCacheIdentity {
  /// The Wasmtime version that wrote (and may read) the entry.
  std::string wasmtime_version = WASMTIME_VERSION;
  /// Everything about the `Engine` that changes the compiled code: its
  /// `Config` settings, the C API's features, the target. See
  /// `WasmHost::engineConfigDescription(options)`.
  std::string engine_config;
};

/// Where a module came from, and why.
struct ModuleLoadReport {
  enum class Source {
    Compiled,     ///< no cache configured: compiled
    CacheHit,     ///< deserialized from a valid cache file
    CacheMiss,    ///< no cache file: compiled, then stored
    CacheRebuilt, ///< the cache file failed a check: compiled, then stored over it
  };
  Source source = Source::Compiled;
  /// Why the cache file was not used (miss, rebuilt); empty otherwise.
  std::string reason;
  /// The cache file; empty without a cache.
  std::filesystem::path cache_file;
  /// Compiling, or checking and deserializing the cache file.
  double milliseconds = 0;
  /// Why storing the compiled module failed (the module is still usable).
  std::string store_error;
};

const char *toString(ModuleLoadReport::Source source);

/// Thread-safety: const methods may run on several threads at once (the
/// writes are atomic renames); one cache file is rebuilt by whoever loses.
class ModuleCache {
public:
  static constexpr uint32_t kFormatVersion = 1;
  static constexpr size_t kHeaderSize = 148;

  ModuleCache(std::filesystem::path dir, ModuleCacheIdentity identity);

  /// The hex SHA-256 naming the entry for `wasm` (wasm bytes, engine
  /// configuration and Wasmtime version).
  [[nodiscard]] std::string keyFor(std::span<const uint8_t> wasm) const;
  /// `<dir>/<key>.cwasm`.
  [[nodiscard]] std::filesystem::path pathFor(std::span<const uint8_t> wasm) const;

  /// The checked payload of the entry for `wasm`, or `std::nullopt` with
  /// `*reason` saying why there is none: "no cache file", "truncated ...",
  /// "corrupt ...", "written by Wasmtime ...", "for another engine
  /// configuration", "for other wasm bytes", "not a wasmhost module cache
  /// file". Never calls Wasmtime.
  std::optional<std::vector<uint8_t>> readPayload(std::span<const uint8_t> wasm,
                                                  std::string *reason) const;

  /// Deserializes the entry for `wasm` if `readPayload` accepts it (and
  /// Wasmtime does too); otherwise `std::nullopt` and `*reason`.
  std::optional<wasmtime::Module> tryLoad(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
                                          std::string *reason) const;

  /// Serializes `module` (compiled from `wasm`) into its entry: written to a
  /// temporary file in the folder, then renamed over the entry, so readers
  /// never see a partial file. Creates the folder (mode 700). Throws
  /// `Error` (`Io`) when it cannot.
  void store(const wasmtime::Module &module, std::span<const uint8_t> wasm) const;

  /// `tryLoad`, else compiles `wasm` and `store`s it. Narrates hit, miss or
  /// rebuild (and why) when `narration` is set. Throws `Error` (`Compile`)
  /// when `wasm` does not compile; a failed store is only reported.
  wasmtime::Module load(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
                        ModuleLoadReport *report = nullptr,
                        std::ostream *narration = nullptr) const;

  /// The entry file bytes for `payload` (header + payload), as `store`
  /// writes them. Exposed for tests that craft bad files.
  [[nodiscard]] std::vector<uint8_t> encodeEntry(std::span<const uint8_t> wasm,
                                                 std::span<const uint8_t> payload) const;

  [[nodiscard]] const std::filesystem::path &dir() const { return dir_; }
  [[nodiscard]] const ModuleCacheIdentity &identity() const { return identity_; }

private:
  [[nodiscard]] std::vector<uint8_t> encodeEntryFor(const std::array<uint8_t, 32> &wasm_digest,
                                                    std::span<const uint8_t> payload) const;
  void storeEntry(const wasmtime::Module &module, const std::array<uint8_t, 32> &wasm_digest,
                  const std::filesystem::path &path) const;

  std::filesystem::path dir_;
  ModuleCacheIdentity identity_;
};

} // namespace wasmhost

#endif // WASMHOST_MODULE_CACHE_HH
