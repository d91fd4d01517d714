/**
 * \file sha256.hh
 * SHA-256 for the module cache's keys and checksums, from OpenSSL's libcrypto
 * (EVP, which uses the CPU's SHA extensions where it has them). Checked
 * against the FIPS test vectors in the unit tests.
 */
#ifndef WASMHOST_SHA256_HH
#define WASMHOST_SHA256_HH

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace wasmhost {

class Sha256 {
public:
  using Digest = std::array<uint8_t, 32>;

  /// Throws `std::runtime_error` if libcrypto cannot make a SHA-256 context.
  Sha256();
  ~Sha256();
  Sha256(const Sha256 &) = delete;
  Sha256 &operator=(const Sha256 &) = delete;

  Sha256 &update(std::span<const uint8_t> data);
  Sha256 &update(std::string_view text);
  /// The digest of everything given to `update`; the object is spent after it.
  Digest finish();

  /// One-shot digest of `data`.
  static Digest of(std::span<const uint8_t> data);
  static std::string hex(const Digest &digest);

private:
  struct Context;
  std::unique_ptr<Context> context_;
};

} // namespace wasmhost

#endif // WASMHOST_SHA256_HH
