#include "sha256.hh"

#include <openssl/evp.h>

#include <stdexcept>

namespace wasmhost {

struct Sha256::Context {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(md); }
};

namespace {

[[noreturn]] void failed(const char *what) {
  throw std::runtime_error(std::string("SHA-256 (libcrypto): ") + what + " failed");
}

} // namespace

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  if (context_->md == nullptr || EVP_DigestInit_ex(context_->md, EVP_sha256(), nullptr) != 1) {
    failed("EVP_DigestInit_ex");
  }
}

Sha256::~Sha256() = default;

Sha256 &Sha256::update(std::span<const uint8_t> data) {
  if (!data.empty() && EVP_DigestUpdate(context_->md, data.data(), data.size()) != 1) {
    failed("EVP_DigestUpdate");
  }
  return *this;
}

Sha256 &Sha256::update(std::string_view text) {
  return update(std::span(reinterpret_cast<const uint8_t *>(text.data()), text.size()));
}

Sha256::Digest Sha256::finish() {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context_->md, digest.data(), &size) != 1 || size != digest.size()) {
    failed("EVP_DigestFinal_ex");
  }
  return digest;
}

Sha256::Digest Sha256::of(std::span<const uint8_t> data) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    failed("EVP_Digest");
  }
  return digest;
}

std::string Sha256::hex(const Digest &digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 * digest.size());
  for (uint8_t byte : digest) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xf];
  }
  return text;
}

} // namespace wasmhost
