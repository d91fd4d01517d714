#include "wasmhost/module_cache.hh"

#include "wasmhost/errors.hh"

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

std::string ModuleCache::keyFor(std::span<const uint8_t> wasm) const {
  const auto wasm_digest = Sha256::of(wasm);
  const auto config_digest = configDigest(identity_);
  const auto version = versionField(identity_.wasmtime_version);
  return Sha256::hex(Sha256()
                         .update("wasmhost module cache ")
                         .update(std::to_string(kFormatVersion))
                         .update(version)
                         .update(config_digest)
                         .update(wasm_digest)
                         .finish());
}

std::filesystem::path ModuleCache::pathFor(std::span<const uint8_t> wasm) const {
  return dir_ / (keyFor(wasm) + ".cwasm");
}

std::vector<uint8_t> ModuleCache::encodeEntry(std::span<const uint8_t> wasm,
                                              std::span<const uint8_t> payload) const {
  std::vector<uint8_t> out(kHeaderSize + payload.size());
  auto put = [&out](size_t offset, std::span<const uint8_t> bytes) {
    std::memcpy(out.data() + offset, bytes.data(), bytes.size());
  };
  put(0, std::span(reinterpret_cast<const uint8_t *>(kMagic.data()), kMagic.size()));
  putLittleEndian(out, kOffsetFormat, kFormatVersion, 4);
  put(kOffsetWasmtime, versionField(identity_.wasmtime_version));
  put(kOffsetConfig, configDigest(identity_));
  put(kOffsetWasm, Sha256::of(wasm));
  putLittleEndian(out, kOffsetLength, payload.size(), 8);
  put(kOffsetChecksum, Sha256::of(payload));
  put(kHeaderSize, payload);
  return out;
}

std::optional<std::vector<uint8_t>> ModuleCache::readPayload(std::span<const uint8_t> wasm,
                                                             std::string *reason) const {
  auto refuse = [&](std::string why) -> std::optional<std::vector<uint8_t>> {
    if (reason != nullptr) {
      *reason = std::move(why);
    }
    return std::nullopt;
  };
  const auto path = pathFor(wasm);
  std::error_code exists_error;
  if (!std::filesystem::exists(path, exists_error)) {
    return refuse(std::string(kNoFile));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return refuse("cannot open it: " + std::generic_category().message(errno));
  }
  std::vector<uint8_t> in((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) {
    return refuse("cannot read it");
  }
  const std::span<const uint8_t> magic(reinterpret_cast<const uint8_t *>(kMagic.data()),
                                       kMagic.size());
  const size_t magic_checked = std::min(in.size(), magic.size());
  if (!sameBytes(in, 0, magic.first(magic_checked))) {
    return refuse("not a wasmhost module cache file");
  }
  if (in.size() < kHeaderSize) {
    return refuse("truncated: " + std::to_string(in.size()) + " bytes, shorter than the " +
                  std::to_string(kHeaderSize) + "-byte header");
  }
  const uint64_t format = getLittleEndian(in, kOffsetFormat, 4);
  if (format != kFormatVersion) {
    return refuse("cache format " + std::to_string(format) + ", this host reads format " +
                  std::to_string(kFormatVersion));
  }
  const std::string version = versionText(in);
  if (version != identity_.wasmtime_version) {
    return refuse("written by Wasmtime " + version + ", this host uses Wasmtime " +
                  identity_.wasmtime_version);
  }
  if (!sameBytes(in, kOffsetConfig, configDigest(identity_))) {
    return refuse("written for another engine configuration");
  }
  if (!sameBytes(in, kOffsetWasm, Sha256::of(wasm))) {
    return refuse("written for other wasm bytes");
  }
  const uint64_t length = getLittleEndian(in, kOffsetLength, 8);
  const uint64_t present = in.size() - kHeaderSize;
  if (present < length) {
    return refuse("truncated: the payload has " + std::to_string(present) + " of " +
                  std::to_string(length) + " bytes");
  }
  if (present > length) {
    return refuse("corrupt: " + std::to_string(present - length) +
                  " unexpected bytes after the payload");
  }
  std::vector<uint8_t> payload(in.begin() + kHeaderSize, in.end());
  if (!sameBytes(in, kOffsetChecksum, Sha256::of(payload))) {
    return refuse("corrupt: the payload's SHA-256 does not match the header");
  }
  return payload;
}

std::optional<wasmtime::Module> ModuleCache::tryLoad(wasmtime::Engine &engine,
                                                     std::span<const uint8_t> wasm,
                                                     std::string *reason) const {
  auto payload = readPayload(wasm, reason);
  if (!payload) {
    return std::nullopt;
  }
  // Only a file that passed every check above gets here: one this host wrote.
  auto module = wasmtime::Module::deserialize(engine, *payload);
  if (!module) {
    if (reason != nullptr) {
      *reason = "Wasmtime refused it: " + module.err().message();
    }
    return std::nullopt;
  }
  return module.ok();
}

void ModuleCache::store(const wasmtime::Module &module, std::span<const uint8_t> wasm) const {
  auto serialized = module.serialize();
  if (!serialized) {
    throw Error(ErrorKind::Compile, "Module::serialize failed: " + serialized.err().message());
  }
  const auto entry = encodeEntry(wasm, serialized.ok());
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
  const auto path = pathFor(wasm);
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
  out.cache_file = pathFor(wasm);

  auto start = std::chrono::steady_clock::now();
  std::string reason;
  if (auto module = tryLoad(engine, wasm, &reason)) {
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
    store(compiled.ok(), wasm);
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
