/**
 * \file wasmhost/runtime/size.hh
 * Numbers as people write them in a command line or a manifest: a whole
 * decimal count, and a size in bytes with an optional K, M or G suffix. One
 * parser for `host --max-memory` and a manifest's `limits.max_memory`, so that
 * both accept the same text.
 */
#ifndef WASMHOST_RUNTIME_SIZE_HH
#define WASMHOST_RUNTIME_SIZE_HH

#include <cstdint>
#include <optional>
#include <string_view>

namespace wasmhost {

/// A whole unsigned decimal number (digits only: no sign, no spaces, no
/// `0x`); nullopt unless `text` is one and it fits in 64 bits.
std::optional<uint64_t> parseCount(std::string_view text);

/// A size in bytes: a whole decimal number with an optional suffix K, M or G
/// (either case; powers of 1024: `64M` is 67108864); nullopt unless `text` is
/// one and the size fits in 64 bits.
std::optional<uint64_t> parseByteSize(std::string_view text);

} // namespace wasmhost

#endif // WASMHOST_RUNTIME_SIZE_HH
