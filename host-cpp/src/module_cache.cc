#include "wasmhost/module_cache.hh"

#include "wasmhost/errors.hh"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
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
static_assert(kOffsetChecksum + 32 == ModuleCache::kHeaderSize);
constexpr std::string_view kNoFile = "no cache file";

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

ModuleCache::ModuleCache(std::filesystem::path dir, ModuleCacheIdentity identity)
    : dir_(std::move(dir)), identity_(std::move(identity)) {}

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

/// The whole file at `path` (one `read` loop, no per-byte stream), or why not.
std::optional<std::vector<uint8_t>> readWholeFile(const std::filesystem::path &path,
                                                  std::string &why) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = errno == ENOENT || errno == ENOTDIR
              ? std::string(kNoFile)
              : "cannot open it: " + std::generic_category().message(errno);
    return std::nullopt;
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    why = "cannot read it: not a regular file";
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
      why = "cannot read it: " + std::generic_category().message(errno);
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

/// The entry file of `key`, read and checked (header, then the payload's
/// SHA-256): the payload is `file.subspan(kHeaderSize)`. Never calls Wasmtime.
std::optional<std::vector<uint8_t>> readCheckedEntry(const ModuleCacheIdentity &identity,
                                                     const EntryKey &key, std::string *reason) {
  std::string why;
  auto refuse = [&](std::string text) -> std::optional<std::vector<uint8_t>> {
    if (reason != nullptr) {
      *reason = std::move(text);
    }
    return std::nullopt;
  };
  auto file = readWholeFile(key.path, why);
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

/// `tryLoad` for a key already computed.
std::optional<wasmtime::Module> tryLoadEntry(const ModuleCacheIdentity &identity,
                                             wasmtime::Engine &engine, const EntryKey &key,
                                             std::string *reason) {
  auto file = readCheckedEntry(identity, key, reason);
  if (!file) {
    return std::nullopt;
  }
  // Only a file that passed every check above gets here: one this host
  // wrote. Deserialized in place, after the header (no copy of the payload).
  wasmtime_module_t *module = nullptr;
  wasmtime_error_t *error =
      wasmtime_module_deserialize(engine.capi(), file->data() + ModuleCache::kHeaderSize,
                                  file->size() - ModuleCache::kHeaderSize, &module);
  if (error != nullptr) {
    if (reason != nullptr) {
      *reason = "Wasmtime refused it: " + wasmtime::Error(error).message();
    }
    return std::nullopt;
  }
  return wasmtime::Module(module);
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
  put(kHeaderSize, payload);
  return out;
}

std::optional<std::vector<uint8_t>> ModuleCache::readPayload(std::span<const uint8_t> wasm,
                                                             std::string *reason) const {
  auto file = readCheckedEntry(identity_, entryKey(*this, wasm), reason);
  if (!file) {
    return std::nullopt;
  }
  file->erase(file->begin(), file->begin() + kHeaderSize);
  return file;
}

std::optional<wasmtime::Module> ModuleCache::tryLoad(wasmtime::Engine &engine,
                                                     std::span<const uint8_t> wasm,
                                                     std::string *reason) const {
  return tryLoadEntry(identity_, engine, entryKey(*this, wasm), reason);
}

void ModuleCache::store(const wasmtime::Module &module, std::span<const uint8_t> wasm) const {
  const auto key = entryKey(*this, wasm);
  storeEntry(module, key.wasm_digest, key.path);
}

void ModuleCache::storeEntry(const wasmtime::Module &module,
                             const std::array<uint8_t, 32> &wasm_digest,
                             const std::filesystem::path &path) const {
  auto serialized = module.serialize();
  if (!serialized) {
    throw Error(ErrorKind::Compile, "Module::serialize failed: " + serialized.err().message());
  }
  const auto entry = encodeEntryFor(wasm_digest, serialized.ok());
  std::error_code error;
  const bool created = std::filesystem::create_directories(dir_, error);
  if (error) {
    throw Error(ErrorKind::Io,
                "cannot create cache folder '" + dir_.string() + "': " + error.message());
  }
  if (created) { // whoever can write here can make the host run their code
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, error);
  }
  static std::atomic<unsigned> counter{0};
  auto temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid()) + "-" +
               std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())) + "-" +
               std::to_string(counter++);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(entry.data()),
              static_cast<std::streamsize>(entry.size()));
    out.flush();
    if (!out) {
      const std::string why = std::generic_category().message(errno);
      out.close();
      std::filesystem::remove(temporary, error);
      throw Error(ErrorKind::Io, "cannot write '" + temporary.string() + "': " + why);
    }
  }
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(ErrorKind::Io, "cannot rename '" + temporary.string() + "' to '" + path.string() +
                                   "': " + error.message());
  }
}

wasmtime::Module ModuleCache::load(wasmtime::Engine &engine, std::span<const uint8_t> wasm,
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
  if (auto module = tryLoadEntry(identity_, engine, key, &reason)) {
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
  // `compile` takes a mutable span; it only reads the bytes.
  auto compiled = wasmtime::Module::compile(
      engine, wasmtime::Span<uint8_t>(const_cast<uint8_t *>(wasm.data()), wasm.size()));
  if (!compiled) {
    throw Error(ErrorKind::Compile, compiled.err().message());
  }
  out.milliseconds = millisecondsSince(start);
  say << "[Host Setup] Module compiled successfully." << std::endl;
  try {
    storeEntry(compiled.ok(), key.wasm_digest, key.path);
    say << "[Host Setup] Module cache: compiled in " << formatMilliseconds(out.milliseconds)
        << ", stored " << out.cache_file.string() << std::endl;
  } catch (const std::exception &error) {
    out.store_error = error.what();
    say << "[Host Setup] Module cache: could not store the compiled module: " << error.what()
        << std::endl;
  }
  return compiled.ok();
}

} // namespace wasmhost
