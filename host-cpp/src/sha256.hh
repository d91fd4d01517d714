/**
 * \file sha256.hh
 * A small SHA-256 (FIPS 180-4) for the module cache's keys and checksums, so
 * that the library needs no crypto dependency. Checked against the FIPS test
 * vectors in the unit tests.
 */
#ifndef WASMHOST_SHA256_HH
#define WASMHOST_SHA256_HH

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace wasmhost {

class Sha256 {
public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();
  Sha256 &update(std::span<const uint8_t> data);
  Sha256 &update(std::string_view text);
  /// The digest of everything given to `update`; the object is spent after it.
  Digest finish();

  static Digest of(std::span<const uint8_t> data) { return Sha256().update(data).finish(); }
  static std::string hex(const Digest &digest);

private:
  void compress(const uint8_t *block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> block_{};
  size_t block_used_ = 0;
  uint64_t total_bytes_ = 0;
};

} // namespace wasmhost

#endif // WASMHOST_SHA256_HH
