/**
 * \file wasmhost/module_cache.hh
 * A precompiled-module cache: `Module::serialize` output stored on disk, keyed
 * by a SHA-256 of the wasm bytes, the engine's configuration and the Wasmtime
 * version, so that later runs `Module::deserialize` it instead of compiling.
 *
 * `Module::deserialize` runs whatever native code the file holds: it is only
 * safe for files this host wrote. So:
 *
 * - The folder must be the user's own: created mode 700 when absent; an
 *   existing one that is not a folder, not owned by the effective user or
 *   writable by its group or others (`/tmp`) is refused (`Error`, `Io`).
 * - Entries are authenticated: an HMAC-SHA256 of the header, keyed with a
 *   per-user secret of 32 random bytes kept outside the cache folder (the
 *   key file, `defaultKeyFile()`, created mode 600; one that is not a regular
 *   file of 32 bytes owned by the user with mode 600 is refused). The header
 *   holds the payload's SHA-256, which is checked, so the HMAC covers the
 *   payload too: an entry planted by someone without the key, however well
 *   its checksums are recomputed, is rebuilt, never run.
 * - An entry is read only if it is a regular file (opened without following
 *   a symbolic link, non-blocking) owned by the effective user and at most
 *   `maxEntryBytes(wasm size)` bytes, and exactly that much is read: a FIFO,
 *   a link to `/dev/zero`, a folder, another user's or an oversized file is
 *   a rejected entry, rebuilt (renamed over) or, when it cannot be
 *   replaced (a folder), skipped: the module is compiled and used anyway.
 * - Every other check (magic, format and Wasmtime versions, engine
 *   configuration, wasm bytes, payload length and SHA-256) catches
 *   accidents: truncation, corruption, a stale or misplaced file.
 *
 * Not checked: the folders above the cache folder and the key file's.
 *
 * File layout (little-endian), `<dir>/<key>.cwasm`, mode 600:
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
 * | 148    | 32   | HMAC-SHA256 of bytes 0..148 with the user's key     |
 * | 180    | n    | payload: `Module::serialize` output                |
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
#include <wasmtime/component/component.hh>

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
  static constexpr uint32_t kFormatVersion = 2;
  static constexpr size_t kHeaderSize = 180;
  static constexpr size_t kKeyBytes = 32;
  /// The bound on an entry's size: `kHeaderSize + kMaxEntryFactor x` the wasm
  /// size `+ kEntryAllowance`. Measured with Wasmtime 48 on x86_64: entries
  /// are 2.9x the wasm size (guest.wasm, 104 KB: 303 KB; guest-bench.wasm,
  /// 123 KB: 367 KB), 3.5x with fuel, 8.2x with `debug_info` (1.0 MB), and
  /// 14 KB for a WAT module of a few hundred bytes: the bound leaves at least
  /// 4x of room (70x for the smallest modules).
  static constexpr uint64_t kMaxEntryFactor = 32;
  static constexpr uint64_t kEntryAllowance = uint64_t{1} << 20;

  /// Opens the cache in `dir` (created mode 700 when absent) with the key in
  /// `key_file` (empty: `defaultKeyFile()`; created with a fresh random key
  /// when absent). Throws `Error` (`Io`) naming the folder or file and why it
  /// is refused: not a folder, not owned by the user, writable by its group
  /// or others; a key file that is not a regular file owned by the user,
  /// has another mode than 600 or size than 32 bytes, or lies in `dir`.
  ModuleCache(std::filesystem::path dir, ModuleCacheIdentity identity,
              std::filesystem::path key_file = {});

  /// `$XDG_CONFIG_HOME/wasmhost/cache.key` when `XDG_CONFIG_HOME` is an
  /// absolute path, else `~/.config/wasmhost/cache.key` (`$HOME`, else the
  /// user's home in the password database). Throws `Error` (`Io`) when there
  /// is no home.
  static std::filesystem::path defaultKeyFile();

  /// The largest entry read for a wasm module of `wasm_bytes` bytes.
  static uint64_t maxEntryBytes(uint64_t wasm_bytes) {
    return kHeaderSize + kMaxEntryFactor * wasm_bytes + kEntryAllowance;
  }

  /// The hex SHA-256 naming the entry for `wasm` (wasm bytes, engine
  /// configuration and Wasmtime version).
  [[nodiscard]] std::string keyFor(std::span<const uint8_t> wasm) const;
  /// `<dir>/<key>.cwasm`.
  [[nodiscard]] std::filesystem::path pathFor(std::span<const uint8_t> wasm) const;

  /// The checked payload of the entry for `wasm`, or `std::nullopt` with
  /// `*reason` saying why there is none: "no cache file", "not a regular
  /// file", "a symbolic link", "owned by uid ...", "too large ...",
  /// "truncated ...", "corrupt ...", "written by Wasmtime ...", "for another
  /// engine configuration", "for other wasm bytes", "not a wasmhost module
  /// cache file", "not authenticated ...". Never calls Wasmtime.
  std::optional<std::vector<uint8_t>> readPayload(std::span<const uint8_t> wasm,
                                                  std::string *reason) const;

  /// Deserializes the entry for `wasm` if `readPayload` accepts it (and
  /// Wasmtime does too); otherwise `std::nullopt` and `*reason`.
  std::optional<wasmtime::Module> tryLoad(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
                                          std::string *reason) const;

  /// Serializes `module` (compiled from `wasm`) into its entry: written to a
  /// new temporary file in the folder (`O_EXCL`, mode 600), then renamed over
  /// the entry, so readers never see a partial file. Throws `Error` (`Io`)
  /// when it cannot (the entry is then left as it was).
  void store(const wasmtime::Module &module, std::span<const uint8_t> wasm) const;

  /// `tryLoad`, else compiles `wasm` and `store`s it. Narrates hit, miss or
  /// rebuild (and why) when `narration` is set. Throws `Error` (`Compile`)
  /// when `wasm` does not compile; a failed store is only reported.
  wasmtime::Module load(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
                        ModuleLoadReport *report = nullptr,
                        std::ostream *narration = nullptr) const;

  /// `load` for a component (`wasmtime::component::Component`): the same
  /// entry format, checks and rules. The wasm bytes' hash tells a module's
  /// entry from a component's.
  wasmtime::component::Component loadComponent(wasmtime::Engine &engine,
                                               std::span<const uint8_t> wasm,
                                               ModuleLoadReport *report = nullptr,
                                               std::ostream *narration = nullptr) const;

  /// The entry file bytes for `payload` (header + payload), as `store`
  /// writes them with this cache's key. Exposed for tests that craft bad
  /// files.
  [[nodiscard]] std::vector<uint8_t> encodeEntry(std::span<const uint8_t> wasm,
                                                 std::span<const uint8_t> payload) const;

  [[nodiscard]] const std::filesystem::path &dir() const { return dir_; }
  [[nodiscard]] const ModuleCacheIdentity &identity() const { return identity_; }
  [[nodiscard]] const std::filesystem::path &keyFile() const { return key_file_; }

private:
  [[nodiscard]] std::vector<uint8_t> encodeEntryFor(const std::array<uint8_t, 32> &wasm_digest,
                                                    std::span<const uint8_t> payload) const;
  template <typename Artifact>
  Artifact loadArtifact(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
                        ModuleLoadReport *report, std::ostream *narration) const;
  template <typename Artifact>
  static std::vector<uint8_t> serializeOrThrow(const Artifact &artifact);
  void storeEntry(std::span<const uint8_t> serialized, const std::array<uint8_t, 32> &wasm_digest,
                  const std::filesystem::path &path) const;

  std::filesystem::path dir_;
  ModuleCacheIdentity identity_;
  std::filesystem::path key_file_;
  std::array<uint8_t, kKeyBytes> key_{};
};

} // namespace wasmhost

#endif // WASMHOST_MODULE_CACHE_HH
