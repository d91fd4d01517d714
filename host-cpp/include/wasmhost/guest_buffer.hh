/**
 * \file wasmhost/guest_buffer.hh
 * Safe data exchange with a guest: memory the guest allocates with its own
 * allocator instead of fixed offsets it may be using.
 *
 * The guest exports
 *   - `guest_alloc(size: i32, align: i32) -> i32`: a block from its allocator,
 *     0 when it cannot (a zero-sized block is a non-null dangling offset);
 *   - `guest_free(ptr: i32, size: i32, align: i32)`: gives a block back;
 * and returns byte strings as one `i64` packing `(offset << 32) | length`,
 * which the host frees with `guest_free(offset, length, 1)`.
 *
 * A `GuestBuffer` must not outlive its instance. Thread-safety: that of its
 * instance (one thread at a time).
 */
#ifndef WASMHOST_GUEST_BUFFER_HH
#define WASMHOST_GUEST_BUFFER_HH

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "wasmhost/errors.hh"
#include "wasmhost/plugin_instance.hh"
#include "wasmhost/wasm_host.hh"

namespace wasmhost {

/// Calls export `name` and returns its results; throws `Error`: `Trap` or
/// `Exit` when it fails while running, `Link` when it is missing,
/// `Signature` when it has another type.
template <typename Results, typename Params = std::tuple<>>
Results callOrThrow(PluginInstance &instance, std::string_view name,
                    const Params &params = Params()) {
  auto result = instance.callFunction<Results, Params>(name, params);
  if (!result) {
    const ErrorKind kind = PluginInstance::callErrorKind(result.err_ref());
    if (kind == ErrorKind::Trap || kind == ErrorKind::Exit) {
      // Its kind and the limit it hit, as for any call (`describeTrap`).
      std::string message("'");
      message.append(name).append("' trapped: ").append(instance.describeTrap(result.err_ref()));
      throw Error(kind, message);
    }
    throw Error(kind, result.err().message());
  }
  return result.ok();
}
template <typename Results, typename Params = std::tuple<>>
Results callOrThrow(WasmHost &host, std::string_view name, const Params &params = Params()) {
  return callOrThrow<Results, Params>(host.instance(), name, params);
}

/// An `(offset, length)` block a guest returned packed in one `i64`.
struct GuestSlice {
  uint32_t offset = 0;
  uint32_t length = 0;

  static GuestSlice unpack(uint64_t packed) {
    return {static_cast<uint32_t>(packed >> 32), static_cast<uint32_t>(packed & 0xFFFFFFFFu)};
  }
};

/// A block of guest memory owned by the host: allocated in the guest (or
/// returned by it) and given back with `guest_free` when the buffer goes out
/// of scope. Every access is checked against the block and the memory.
class GuestBuffer {
public:
  static constexpr std::string_view kAllocExport = "guest_alloc";
  static constexpr std::string_view kFreeExport = "guest_free";

  /// `size` bytes aligned to `align` from the guest's `guest_alloc`. Throws
  /// `Error` (`Trap`, `Link`, `Signature`, or `GuestData` when the guest
  /// returns null or a block outside its memory); `std::invalid_argument`
  /// unless `align` is a power of two.
  static GuestBuffer allocate(PluginInstance &instance, uint32_t size, uint32_t align = 1);
  static GuestBuffer allocate(WasmHost &host, uint32_t size, uint32_t align = 1) {
    return allocate(host.instance(), size, align);
  }

  /// A new guest block holding a copy of `bytes`.
  static GuestBuffer copyOf(PluginInstance &instance, std::span<const uint8_t> bytes,
                            uint32_t align = 1);
  static GuestBuffer copyOf(WasmHost &host, std::span<const uint8_t> bytes, uint32_t align = 1) {
    return copyOf(host.instance(), bytes, align);
  }
  /// A new guest block holding a copy of `text` (no terminating NUL).
  static GuestBuffer copyOf(PluginInstance &instance, std::string_view text);
  static GuestBuffer copyOf(WasmHost &host, std::string_view text) {
    return copyOf(host.instance(), text);
  }

  /// Takes ownership of a block the guest returned, to be freed with
  /// `guest_free(offset, length, align)`. Throws `Error` (`GuestData`) (and frees
  /// nothing) when the offset is null or the block is outside memory.
  static GuestBuffer adopt(PluginInstance &instance, GuestSlice slice, uint32_t align = 1);
  static GuestBuffer adopt(WasmHost &host, GuestSlice slice, uint32_t align = 1) {
    return adopt(host.instance(), slice, align);
  }

  GuestBuffer(GuestBuffer &&other) noexcept;
  GuestBuffer &operator=(GuestBuffer &&other) noexcept;
  GuestBuffer(const GuestBuffer &) = delete;
  GuestBuffer &operator=(const GuestBuffer &) = delete;
  /// Frees the block (errors are ignored: a destructor cannot report them).
  ~GuestBuffer();

  [[nodiscard]] uint32_t offset() const { return offset_; }
  [[nodiscard]] uint32_t size() const { return size_; }
  [[nodiscard]] uint32_t align() const { return align_; }
  [[nodiscard]] bool owned() const { return instance_ != nullptr; }
  /// The guest address of byte `at` of the block, checked like `write`.
  [[nodiscard]] uint32_t offsetOf(uint32_t at, size_t size = 0) const;

  /// The block's bytes in linear memory. Invalidated by the next call into the
  /// guest (which may grow and move memory): take a new one after each call.
  /// Throws `std::out_of_range` if the block is no longer inside memory.
  std::span<uint8_t> view();

  /// Copies `value` to byte `at` of the block. Throws `std::out_of_range`
  /// unless `[at, at + sizeof(T))` lies inside the block.
  template <typename T> void write(uint32_t at, const T &value) {
    static_assert(std::is_trivially_copyable_v<T>, "T must be trivially copyable");
    std::memcpy(range(at, sizeof(T), "write").data(), &value, sizeof(T));
  }

  /// Copies a `T` out of byte `at` of the block, checked like `write`.
  template <typename T> T read(uint32_t at) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_default_constructible_v<T>,
                  "T must be trivially copyable");
    T value;
    std::memcpy(&value, range(at, sizeof(T), "read").data(), sizeof(T));
    return value;
  }

  void writeBytes(uint32_t at, std::span<const uint8_t> bytes);
  /// A copy of the whole block.
  std::vector<uint8_t> bytes();
  /// A copy of the whole block as text; throws `Error` (`GuestData`) unless it is
  /// valid UTF-8.
  std::string text();

  /// Gives the block back now (`guest_free`). Throws like `allocate`; the
  /// buffer no longer owns the block either way.
  void free();
  /// Stops owning the block (the guest owns it again) and returns its offset.
  uint32_t release();

private:
  GuestBuffer(PluginInstance &instance, uint32_t offset, uint32_t size, uint32_t align)
      : instance_(&instance), generation_(instance.instanceGeneration()), offset_(offset),
        size_(size), align_(align) {}
  /// The instance, unless the block belongs to one it has replaced
  /// (`reinstantiate()`): then `std::logic_error`.
  PluginInstance &currentInstance() const;
  std::span<uint8_t> range(uint32_t at, size_t size, std::string_view access);

  PluginInstance *instance_ = nullptr; ///< null once freed, released or moved from
  uint64_t generation_ = 0;            ///< the instantiation the block was allocated in
  uint32_t offset_ = 0;
  uint32_t size_ = 0;
  uint32_t align_ = 1;
};

/// Whether `bytes` are well-formed UTF-8 (no overlong forms, surrogates or
/// code points past U+10FFFF).
bool isValidUtf8(std::string_view bytes);

/// Takes a string the guest returned packed as `(offset << 32) | length`:
/// checks the block against memory and the bytes as UTF-8, copies it out and
/// frees the block. Throws `Error` (`GuestData`) for a null offset (the guest's
/// "no result"), a block outside memory or invalid UTF-8.
std::string takeGuestString(PluginInstance &instance, uint64_t packed);
inline std::string takeGuestString(WasmHost &host, uint64_t packed) {
  return takeGuestString(host.instance(), packed);
}

} // namespace wasmhost

#endif // WASMHOST_GUEST_BUFFER_HH
