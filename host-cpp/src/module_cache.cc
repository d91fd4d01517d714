#include "wasmhost/module_cache.hh"

#include "wasmhost/errors.hh"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "sha256.hh"

namespace wasmhost {
namespace {

constexpr std::string_view kMagic = "WHMODCA\n";
constexpr size_t kVersionField = 32;
constexpr size_t kOffsetFormat = 8;
constexpr size_t kOffsetWasmtime = 12;
constexpr size_t kOffsetConfig = kOffsetWasmtime + kVersionField;
constexpr size_t kOffsetWasm = kOffsetConfig + 32;
constexpr size_t kOffsetLength = kOffsetWasm + 32;
constexpr size_t kOffsetChecksum = kOffsetLength + 8;
constexpr size_t kOffsetMac = kOffsetChecksum + 32; // the HMAC covers [0, kOffsetMac)
static_assert(kOffsetMac + 32 == ModuleCache::kHeaderSize);
constexpr std::string_view kNoFile = "no cache file";

namespace fs = std::filesystem;

std::string errnoText(int error) { return std::generic_category().message(error); }

/// Closes a file descriptor at the end of a scope.
struct FdCloser {
  int fd;
  explicit FdCloser(int descriptor) : fd(descriptor) {}
  FdCloser(const FdCloser &) = delete;
  FdCloser &operator=(const FdCloser &) = delete;
  ~FdCloser() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

std::string octalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// Makes `dir` a folder private to the effective user: created mode 700
/// (its parents with the default mode) when absent; an existing one must be
/// a folder owned by the user that its group and others cannot write. Throws
/// `Error` (`Io`) naming `what` and `dir` otherwise. Follows a symbolic link
/// to a folder (the folder reached is checked).
void preparePrivateFolder(const fs::path &dir, const std::string &what) {
  const auto refused = [&](const std::string &why) {
    return Error(ErrorKind::Io, what + " '" + dir.string() + "' refused: " + why);
  };
  struct stat status {};
  if (::stat(dir.c_str(), &status) != 0) {
    if (errno != ENOENT) {
      throw refused(errnoText(errno));
    }
    std::error_code error;
    if (dir.has_parent_path()) {
      fs::create_directories(dir.parent_path(), error);
    }
    if (error || (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)) {
      throw Error(ErrorKind::Io, "cannot create " + what + " '" + dir.string() +
                                     "': " + (error ? error.message() : errnoText(errno)));
    }
    if (::stat(dir.c_str(), &status) != 0) {
      throw refused(errnoText(errno));
    }
  }
  if (!S_ISDIR(status.st_mode)) {
    throw refused("not a folder");
  }
  if (status.st_uid != ::geteuid()) {
    throw refused("owned by uid " + std::to_string(status.st_uid) + ", not by this user (uid " +
                  std::to_string(::geteuid()) + ")");
  }
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw refused("writable by its group or others (mode " + octalMode(status.st_mode) +
                  "); it must be a folder only its owner can write");
  }
}

/// A unique name next to `path` for a file about to be renamed or linked to it.
fs::path temporaryNameFor(const fs::path &path) {
  static std::atomic<unsigned> counter{0};
  auto temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid()) + "-" +
               std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())) + "-" +
               std::to_string(counter++);
  return temporary;
}

/// Writes `bytes` to the new file `path` (`O_EXCL`, mode 600, no link
/// followed); returns 0 or the errno of the failure (the file is removed).
int writeNewFile(const fs::path &path, std::span<const uint8_t> bytes, bool sync) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return errno;
  }
  int failure = ::fchmod(fd, 0600) == 0 ? 0 : errno; // whatever the umask
  size_t done = 0;
  while (failure == 0 && done < bytes.size()) {
    const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno != EINTR) {
      failure = errno;
    } else if (wrote > 0) {
      done += static_cast<size_t>(wrote);
    }
  }
  if (failure == 0 && sync && ::fsync(fd) != 0) {
    failure = errno;
  }
  if (::close(fd) != 0 && failure == 0) {
    failure = errno;
  }
  if (failure != 0) {
    ::unlink(path.c_str());
  }
  return failure;
}

/// The refusal of the key file `path`.
Error keyRefused(const fs::path &path, const std::string &why) {
  return Error(ErrorKind::Io, "module cache key '" + path.string() + "' refused: " + why +
                                  " (it must be a regular file of " +
                                  std::to_string(ModuleCache::kKeyBytes) +
                                  " bytes owned by this user, mode 600)");
}

/// The key in `path`, created with fresh random bytes when absent (written
/// to a temporary file, then linked to `path`, so that a concurrent creator
/// and every reader see one whole key).
std::array<uint8_t, ModuleCache::kKeyBytes> loadOrCreateKey(const fs::path &path) {
  std::array<uint8_t, ModuleCache::kKeyBytes> key{};
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      const FdCloser closer{fd};
      struct stat status {};
      if (::fstat(fd, &status) != 0) {
        throw keyRefused(path, errnoText(errno));
      }
      if (!S_ISREG(status.st_mode)) {
        throw keyRefused(path, "not a regular file");
      }
      if (status.st_uid != ::geteuid()) {
        throw keyRefused(path, "owned by uid " + std::to_string(status.st_uid));
      }
      if ((status.st_mode & 07777) != 0600) {
        throw keyRefused(path, "mode " + octalMode(status.st_mode));
      }
      if (status.st_size != static_cast<off_t>(key.size())) {
        throw keyRefused(path, std::to_string(status.st_size) + " bytes");
      }
      size_t done = 0;
      while (done < key.size()) {
        const ssize_t got = ::read(fd, key.data() + done, key.size() - done);
        if (got < 0 && errno == EINTR) {
          continue;
        }
        if (got <= 0) {
          throw keyRefused(path, got < 0 ? errnoText(errno) : "shorter than it says");
        }
        done += static_cast<size_t>(got);
      }
      return key;
    }
    if (errno == ELOOP) {
      throw keyRefused(path, "a symbolic link");
    }
    if (errno != ENOENT) {
      throw keyRefused(path, errnoText(errno));
    }
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
      throw Error(ErrorKind::Io, "cannot make a module cache key: no random bytes from libcrypto");
    }
    const auto temporary = temporaryNameFor(path);
    if (const int failure = writeNewFile(temporary, key, true); failure != 0) {
      throw Error(ErrorKind::Io, "cannot create the module cache key '" + temporary.string() +
                                     "': " + errnoText(failure));
    }
    const int linked = ::link(temporary.c_str(), path.c_str()) == 0 ? 0 : errno;
    ::unlink(temporary.c_str());
    if (linked != 0 && linked != EEXIST) { // EEXIST: another process made it first
      throw Error(ErrorKind::Io, "cannot create the module cache key '" + path.string() +
                                     "': " + errnoText(linked));
    }
  }
  throw keyRefused(path, "it keeps disappearing");
}

void putLittleEndian(std::vector<uint8_t> &out, size_t offset, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) {
    out[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  }
}

uint64_t getLittleEndian(const std::vector<uint8_t> &in, size_t offset, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) {
    value |= uint64_t{in[offset + i]} << (8 * i);
  }
  return value;
}

bool sameBytes(const std::vector<uint8_t> &in, size_t offset, std::span<const uint8_t> expected) {
  return std::equal(expected.begin(), expected.end(), in.begin() + static_cast<ptrdiff_t>(offset));
}

Sha256::Digest configDigest(const ModuleCacheIdentity &identity) {
  return Sha256().update(identity.engine_config).finish();
}

std::array<uint8_t, kVersionField> versionField(const std::string &version) {
  std::array<uint8_t, kVersionField> field{};
  std::memcpy(field.data(), version.data(), std::min(version.size(), field.size() - 1));
  return field;
}

std::string versionText(const std::vector<uint8_t> &in) {
  const auto *begin = reinterpret_cast<const char *>(in.data() + kOffsetWasmtime);
  return std::string(begin, strnlen(begin, kVersionField));
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::string formatMilliseconds(double ms) {
  std::ostringstream text;
  text.setf(std::ios::fixed);
  text.precision(1);
  text << ms << " ms";
  return text.str();
}

} // namespace

const char *toString(ModuleLoadReport::Source source) {
  switch (source) {
  case ModuleLoadReport::Source::Compiled:
    return "compiled";
  case ModuleLoadReport::Source::CacheHit:
    return "cache hit";
  case ModuleLoadReport::Source::CacheMiss:
    return "cache miss";
  case ModuleLoadReport::Source::CacheRebuilt:
    return "cache rebuilt";
  }
  return "?";
}

ModuleCache::ModuleCache(std::filesystem::path dir, ModuleCacheIdentity identity,
                         std::filesystem::path key_file)
    : dir_(std::move(dir)), identity_(std::move(identity)),
      key_file_(key_file.empty() ? defaultKeyFile() : std::move(key_file)) {
  preparePrivateFolder(dir_, "module cache folder");
  const auto key_dir = key_file_.has_parent_path() ? key_file_.parent_path() : fs::path(".");
  preparePrivateFolder(key_dir, "module cache key folder");
  std::error_code error;
  if (fs::equivalent(key_dir, dir_, error)) { // whoever reads entries must not find the key
    throw keyRefused(key_file_, "it is in the cache folder");
  }
  key_ = loadOrCreateKey(key_file_);
}

std::filesystem::path ModuleCache::defaultKeyFile() {
  const fs::path tail = fs::path("wasmhost") / "cache.key";
  if (const char *config = std::getenv("XDG_CONFIG_HOME");
      config != nullptr && fs::path(config).is_absolute()) {
    return config / tail;
  }
  if (const char *home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / ".config" / tail;
  }
  if (const passwd *user = ::getpwuid(::geteuid()); user != nullptr && user->pw_dir != nullptr) {
    return fs::path(user->pw_dir) / ".config" / tail;
  }
  throw Error(ErrorKind::Io, "no place for the module cache key: neither XDG_CONFIG_HOME nor "
                             "HOME is set, and the user has no home folder");
}

namespace {

/// What locates and checks one entry: the wasm bytes are hashed once per
/// load, and everything else is derived from that digest.
struct EntryKey {
  Sha256::Digest wasm_digest;
  std::filesystem::path path;
};

std::string keyHex(const ModuleCacheIdentity &identity, const Sha256::Digest &wasm_digest) {
  const auto config_digest = configDigest(identity);
  const auto version = versionField(identity.wasmtime_version);
  return Sha256::hex(Sha256()
                         .update("wasmhost module cache ")
                         .update(std::to_string(ModuleCache::kFormatVersion))
                         .update(version)
                         .update(config_digest)
                         .update(wasm_digest)
                         .finish());
}

EntryKey entryKey(const ModuleCache &cache, std::span<const uint8_t> wasm) {
  EntryKey key{Sha256::of(wasm), {}};
  key.path = cache.dir() / (keyHex(cache.identity(), key.wasm_digest) + ".cwasm");
  return key;
}

/// The entry file at `path` if it is a regular file owned by the effective
/// user of at most `max_bytes` bytes (opened without following a symbolic
/// link and without blocking, so a FIFO or a device is never waited on or
/// read), or why not. Reads at most the size `fstat` gave.
std::optional<std::vector<uint8_t>> readEntryFile(const fs::path &path, uint64_t max_bytes,
                                                  std::string &why) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    why = errno == ENOENT || errno == ENOTDIR ? std::string(kNoFile)
          : errno == ELOOP                    ? "a symbolic link, not a regular file"
                                              : "cannot open it: " + errnoText(errno);
    return std::nullopt;
  }
  const FdCloser closer{fd};
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    why = "cannot read it: " + errnoText(errno);
    return std::nullopt;
  }
  if (!S_ISREG(status.st_mode)) {
    why = "not a regular file";
    return std::nullopt;
  }
  if (status.st_uid != ::geteuid()) {
    why = "owned by uid " + std::to_string(status.st_uid) + ", not by this user (uid " +
          std::to_string(::geteuid()) + ")";
    return std::nullopt;
  }
  if (static_cast<uint64_t>(status.st_size) > max_bytes) {
    why = "too large: " + std::to_string(status.st_size) + " bytes, more than the bound of " +
          std::to_string(max_bytes) + " for this module";
    return std::nullopt;
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(status.st_size));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      why = "cannot read it: " + errnoText(errno);
      return std::nullopt;
    }
    if (got == 0) {
      break; // shrank meanwhile: the checks below say truncated
    }
    done += static_cast<size_t>(got);
  }
  bytes.resize(done);
  return bytes;
}

using Key = std::array<uint8_t, ModuleCache::kKeyBytes>;

/// HMAC-SHA256 of the header's first `kOffsetMac` bytes with `key`.
Sha256::Digest headerMac(const Key &key, const uint8_t *header) {
  Sha256::Digest mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), header, kOffsetMac, mac.data(),
           &length) == nullptr ||
      length != mac.size()) {
    throw std::runtime_error("libcrypto could not compute an HMAC-SHA256");
  }
  return mac;
}

/// The entry file of `key`, read and checked (header, then the payload's
/// SHA-256): the payload is `file.subspan(kHeaderSize)`. Never calls Wasmtime.
std::optional<std::vector<uint8_t>> readCheckedEntry(const ModuleCacheIdentity &identity,
                                                     const Key &mac_key, const EntryKey &key,
                                                     uint64_t max_bytes, std::string *reason) {
  std::string why;
  auto refuse = [&](std::string text) -> std::optional<std::vector<uint8_t>> {
    if (reason != nullptr) {
      *reason = std::move(text);
    }
    return std::nullopt;
  };
  auto file = readEntryFile(key.path, max_bytes, why);
  if (!file) {
    return refuse(std::move(why));
  }
  const std::vector<uint8_t> &in = *file;
  const std::span<const uint8_t> magic(reinterpret_cast<const uint8_t *>(kMagic.data()),
                                       kMagic.size());
  const size_t magic_checked = std::min(in.size(), magic.size());
  if (!sameBytes(in, 0, magic.first(magic_checked))) {
    return refuse("not a wasmhost module cache file");
  }
  if (in.size() < ModuleCache::kHeaderSize) {
    return refuse("truncated: " + std::to_string(in.size()) + " bytes, shorter than the " +
                  std::to_string(ModuleCache::kHeaderSize) + "-byte header");
  }
  const uint64_t format = getLittleEndian(in, kOffsetFormat, 4);
  if (format != ModuleCache::kFormatVersion) {
    return refuse("cache format " + std::to_string(format) + ", this host reads format " +
                  std::to_string(ModuleCache::kFormatVersion));
  }
  const std::string version = versionText(in);
  if (version != identity.wasmtime_version) {
    return refuse("written by Wasmtime " + version + ", this host uses Wasmtime " +
                  identity.wasmtime_version);
  }
  if (!sameBytes(in, kOffsetConfig, configDigest(identity))) {
    return refuse("written for another engine configuration");
  }
  if (!sameBytes(in, kOffsetWasm, key.wasm_digest)) {
    return refuse("written for other wasm bytes");
  }
  // In constant time: the MAC is a secret's function.
  if (CRYPTO_memcmp(in.data() + kOffsetMac, headerMac(mac_key, in.data()).data(), 32) != 0) {
    return refuse("not authenticated: its HMAC does not match this user's cache key (made "
                  "with another key, or planted)");
  }
  const uint64_t length = getLittleEndian(in, kOffsetLength, 8);
  const uint64_t present = in.size() - ModuleCache::kHeaderSize;
  if (present < length) {
    return refuse("truncated: the payload has " + std::to_string(present) + " of " +
                  std::to_string(length) + " bytes");
  }
  if (present > length) {
    return refuse("corrupt: " + std::to_string(present - length) +
                  " unexpected bytes after the payload");
  }
  if (!sameBytes(in, kOffsetChecksum,
                 Sha256::of(std::span(in).subspan(ModuleCache::kHeaderSize)))) {
    return refuse("corrupt: the payload's SHA-256 does not match the header");
  }
  return file;
}

/// What the cache does with each kind of compiled artifact: a core module
/// or a component.
template <typename Artifact> struct ArtifactKind;

template <> struct ArtifactKind<wasmtime::Module> {
  static constexpr std::string_view kWhat = "Module";
  static wasmtime::Result<wasmtime::Module> deserialize(wasmtime::Engine &engine,
                                                        std::span<const uint8_t> bytes) {
    wasmtime_module_t *module = nullptr;
    if (wasmtime_error_t *error =
            wasmtime_module_deserialize(engine.capi(), bytes.data(), bytes.size(), &module)) {
      return wasmtime::Error(error);
    }
    return wasmtime::Module(module);
  }
  static wasmtime::Result<wasmtime::Module> compile(wasmtime::Engine &engine,
                                                    std::span<const uint8_t> wasm) {
    // `compile` takes a mutable span; it only reads the bytes.
    return wasmtime::Module::compile(
        engine, wasmtime::Span<uint8_t>(const_cast<uint8_t *>(wasm.data()), wasm.size()));
  }
};

template <> struct ArtifactKind<wasmtime::component::Component> {
  static constexpr std::string_view kWhat = "Component";
  static wasmtime::Result<wasmtime::component::Component>
  deserialize(wasmtime::Engine &engine, std::span<const uint8_t> bytes) {
    return wasmtime::component::Component::deserialize(
        engine, wasmtime::Span<uint8_t>(const_cast<uint8_t *>(bytes.data()), bytes.size()));
  }
  static wasmtime::Result<wasmtime::component::Component> compile(wasmtime::Engine &engine,
                                                                  std::span<const uint8_t> wasm) {
    return wasmtime::component::Component::compile(
        engine, wasmtime::Span<uint8_t>(const_cast<uint8_t *>(wasm.data()), wasm.size()));
  }
};

/// `tryLoad` for a key already computed.
template <typename Artifact>
std::optional<Artifact> tryLoadEntry(const ModuleCacheIdentity &identity, const Key &mac_key,
                                     wasmtime::Engine &engine, const EntryKey &key,
                                     uint64_t max_bytes, std::string *reason) {
  auto file = readCheckedEntry(identity, mac_key, key, max_bytes, reason);
  if (!file) {
    return std::nullopt;
  }
  // Only a file that passed every check above gets here: one written with
  // this user's key. Deserialized in place, after the header (no copy of the payload).
  auto loaded = ArtifactKind<Artifact>::deserialize(
      engine, std::span(*file).subspan(ModuleCache::kHeaderSize));
  if (!loaded) {
    if (reason != nullptr) {
      *reason = "Wasmtime refused it: " + loaded.err().message();
    }
    return std::nullopt;
  }
  return loaded.ok();
}

} // namespace

std::string ModuleCache::keyFor(std::span<const uint8_t> wasm) const {
  return keyHex(identity_, Sha256::of(wasm));
}

std::filesystem::path ModuleCache::pathFor(std::span<const uint8_t> wasm) const {
  return entryKey(*this, wasm).path;
}

std::vector<uint8_t> ModuleCache::encodeEntry(std::span<const uint8_t> wasm,
                                              std::span<const uint8_t> payload) const {
  return encodeEntryFor(Sha256::of(wasm), payload);
}

std::vector<uint8_t> ModuleCache::encodeEntryFor(const std::array<uint8_t, 32> &wasm_digest,
                                                 std::span<const uint8_t> payload) const {
  std::vector<uint8_t> out(kHeaderSize + payload.size());
  auto put = [&out](size_t offset, std::span<const uint8_t> bytes) {
    std::memcpy(out.data() + offset, bytes.data(), bytes.size());
  };
  put(0, std::span(reinterpret_cast<const uint8_t *>(kMagic.data()), kMagic.size()));
  putLittleEndian(out, kOffsetFormat, kFormatVersion, 4);
  put(kOffsetWasmtime, versionField(identity_.wasmtime_version));
  put(kOffsetConfig, configDigest(identity_));
  put(kOffsetWasm, wasm_digest);
  putLittleEndian(out, kOffsetLength, payload.size(), 8);
  put(kOffsetChecksum, Sha256::of(payload));
  put(kOffsetMac, headerMac(key_, out.data()));
  put(kHeaderSize, payload);
  return out;
}

std::optional<std::vector<uint8_t>> ModuleCache::readPayload(std::span<const uint8_t> wasm,
                                                             std::string *reason) const {
  auto file =
      readCheckedEntry(identity_, key_, entryKey(*this, wasm), maxEntryBytes(wasm.size()), reason);
  if (!file) {
    return std::nullopt;
  }
  file->erase(file->begin(), file->begin() + kHeaderSize);
  return file;
}

std::optional<wasmtime::Module> ModuleCache::tryLoad(wasmtime::Engine &engine,
                                                     std::span<const uint8_t> wasm,
                                                     std::string *reason) const {
  return tryLoadEntry<wasmtime::Module>(identity_, key_, engine, entryKey(*this, wasm),
                                        maxEntryBytes(wasm.size()), reason);
}

void ModuleCache::store(const wasmtime::Module &module, std::span<const uint8_t> wasm) const {
  const auto key = entryKey(*this, wasm);
  storeEntry(serializeOrThrow(module), key.wasm_digest, key.path);
}

template <typename Artifact>
std::vector<uint8_t> ModuleCache::serializeOrThrow(const Artifact &artifact) {
  auto serialized = artifact.serialize();
  if (!serialized) {
    throw Error(ErrorKind::Compile, std::string(ArtifactKind<Artifact>::kWhat) +
                                        "::serialize failed: " + serialized.err().message());
  }
  return serialized.ok();
}

void ModuleCache::storeEntry(std::span<const uint8_t> serialized,
                             const std::array<uint8_t, 32> &wasm_digest,
                             const std::filesystem::path &path) const {
  const auto entry = encodeEntryFor(wasm_digest, serialized);
  const auto temporary = temporaryNameFor(path);
  if (const int failure = writeNewFile(temporary, entry, false); failure != 0) {
    throw Error(ErrorKind::Io, "cannot write '" + temporary.string() + "': " + errnoText(failure));
  }
  // Replaces whatever has the entry's name (a file, a FIFO, a symbolic link
  // itself, never its target); a folder there stays, and so does the error.
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int failure = errno;
    ::unlink(temporary.c_str());
    throw Error(ErrorKind::Io, "cannot rename '" + temporary.string() + "' to '" + path.string() +
                                   "': " + errnoText(failure));
  }
}

template <typename Artifact>
Artifact ModuleCache::loadArtifact(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
                                   ModuleLoadReport *report, std::ostream *narration) const {
  ModuleLoadReport local;
  ModuleLoadReport &out = report != nullptr ? *report : local;
  std::ostringstream discard;
  std::ostream &say = narration != nullptr ? *narration : discard;
  out = ModuleLoadReport{};
  auto start = std::chrono::steady_clock::now();
  const auto key = entryKey(*this, wasm); // the one hash of the wasm bytes
  out.cache_file = key.path;

  std::string reason;
  if (auto module = tryLoadEntry<Artifact>(identity_, key_, engine, key, maxEntryBytes(wasm.size()),
                                           &reason)) {
    out.source = ModuleLoadReport::Source::CacheHit;
    out.milliseconds = millisecondsSince(start);
    say << "[Host Setup] Module cache hit: " << out.cache_file.string() << " (checked and "
        << "deserialized in " << formatMilliseconds(out.milliseconds) << ", compilation skipped)"
        << std::endl;
    return *std::move(module);
  }
  out.reason = reason;
  if (reason == kNoFile) {
    out.source = ModuleLoadReport::Source::CacheMiss;
    say << "[Host Setup] Module cache miss: no file " << out.cache_file.string() << std::endl;
  } else {
    out.source = ModuleLoadReport::Source::CacheRebuilt;
    say << "[Host Setup] Module cache file rejected (" << reason
        << "), rebuilding it: " << out.cache_file.string() << std::endl;
  }

  say << "[Host Setup] Compiling WASM module..." << std::endl;
  start = std::chrono::steady_clock::now();
  auto compiled = ArtifactKind<Artifact>::compile(engine, wasm);
  if (!compiled) {
    throw Error(ErrorKind::Compile, compiled.err().message());
  }
  out.milliseconds = millisecondsSince(start);
  say << "[Host Setup] Module compiled successfully." << std::endl;
  try {
    storeEntry(serializeOrThrow(compiled.ok()), key.wasm_digest, key.path);
    say << "[Host Setup] Module cache: compiled in " << formatMilliseconds(out.milliseconds)
        << ", stored " << out.cache_file.string() << std::endl;
  } catch (const std::exception &error) {
    out.store_error = error.what();
    say << "[Host Setup] Module cache: could not store the compiled module: " << error.what()
        << std::endl;
  }
  return compiled.ok();
}

wasmtime::Module ModuleCache::load(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
                                   ModuleLoadReport *report, std::ostream *narration) const {
  return loadArtifact<wasmtime::Module>(engine, wasm, report, narration);
}

wasmtime::component::Component ModuleCache::loadComponent(wasmtime::Engine &engine,
                                                          std::span<const uint8_t> wasm,
                                                          ModuleLoadReport *report,
                                                          std::ostream *narration) const {
  return loadArtifact<wasmtime::component::Component>(engine, wasm, report, narration);
}

} // namespace wasmhost
