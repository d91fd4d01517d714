/**
 * \file wasmhost/runtime/config.hh
 * The guest's configuration: string keys and values the host grants
 * (`WasmHostOptions::config`), read by the guest through the import
 * `wasmhost::config_get`.
 *
 * `config_get(key_ptr: i32, key_len: i32, out_ptr: i32, out_cap: i32) -> i32`
 * looks up the `key_len` bytes at `key_ptr` and returns
 *   - `kConfigMissing` (-1) when the key is not configured;
 *   - else the value's length `n` (0 for an empty value), having copied the
 *     value to `[out_ptr, out_ptr + n)` when `n <= out_cap`; when
 *     `n > out_cap` nothing is written and the guest calls again with a
 *     buffer of `n` bytes.
 * A key longer than `kMaxConfigKeyBytes`, a negative length or capacity, or
 * a key or output range outside the guest's memory is the guest's bug: the
 * call traps (`host function 'config_get' threw: ...`), never touching host
 * memory.
 */
#ifndef WASMHOST_RUNTIME_CONFIG_HH
#define WASMHOST_RUNTIME_CONFIG_HH

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace wasmhost::runtime {

/// `config_get`'s answer for a key that is not configured.
inline constexpr int32_t kConfigMissing = -1;
/// The longest key, in bytes, a guest may ask for or the host may grant.
inline constexpr size_t kMaxConfigKeyBytes = 1024;
/// The longest value, in bytes, the host may grant.
inline constexpr size_t kMaxConfigValueBytes = size_t{64} << 10;

/// Throws `Error` (`Limit`) naming the key when a key is empty or longer
/// than `kMaxConfigKeyBytes`, or its value longer than `kMaxConfigValueBytes`.
/// Instances check their options with it before the guest runs.
void checkConfig(const std::map<std::string, std::string> &config);

} // namespace wasmhost::runtime

#endif // WASMHOST_RUNTIME_CONFIG_HH
