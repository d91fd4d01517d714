#include "wasmhost/guest_buffer.hh"

#include <sstream>
#include <utility>

namespace wasmhost {
namespace {

std::string describeBlock(uint32_t offset, uint64_t size) {
  return "block at offset " + std::to_string(offset) + " of " + std::to_string(size) + " bytes";
}

/// Throws `Error` (`GuestData`) unless `[offset, offset + size)` lies in memory.
void checkInMemory(PluginInstance &host, uint32_t offset, uint64_t size, std::string_view what) {
  const size_t memory_size = host.getMemorySpan().size();
  if (size > memory_size || offset > memory_size - size) {
    throw Error(ErrorKind::GuestData, std::string(what) + ": " + describeBlock(offset, size) +
                                          " is outside linear memory (" +
                                          std::to_string(memory_size) + " bytes)");
  }
}

} // namespace

GuestBuffer GuestBuffer::allocate(PluginInstance &host, uint32_t size, uint32_t align) {
  if (align == 0 || (align & (align - 1)) != 0) {
    throw std::invalid_argument("guest buffer alignment " + std::to_string(align) +
                                " is not a power of two");
  }
  auto [offset] = callOrThrow<std::tuple<uint32_t>, std::tuple<uint32_t, uint32_t>>(
      host, kAllocExport, std::make_tuple(size, align));
  if (offset == 0) {
    throw Error(ErrorKind::GuestData, "'guest_alloc' returned null for " + std::to_string(size) +
                                          " bytes aligned to " + std::to_string(align));
  }
  if (offset % align != 0) {
    throw Error(ErrorKind::GuestData, "'guest_alloc' returned offset " + std::to_string(offset) +
                                          ", not aligned to " + std::to_string(align));
  }
  // Owned from here on: a block outside memory is refused, yet given back.
  GuestBuffer buffer(host, offset, size, align);
  checkInMemory(host, offset, size, "'guest_alloc'");
  return buffer;
}

GuestBuffer GuestBuffer::copyOf(PluginInstance &host, std::span<const uint8_t> bytes,
                                uint32_t align) {
  if (bytes.size() > UINT32_MAX) {
    throw std::length_error("a guest buffer holds at most 4 GiB");
  }
  auto buffer = allocate(host, static_cast<uint32_t>(bytes.size()), align);
  buffer.writeBytes(0, bytes);
  return buffer;
}

GuestBuffer GuestBuffer::copyOf(PluginInstance &host, std::string_view text) {
  return copyOf(host, std::span(reinterpret_cast<const uint8_t *>(text.data()), text.size()));
}

GuestBuffer GuestBuffer::adopt(PluginInstance &host, GuestSlice slice, uint32_t align) {
  if (slice.offset == 0) {
    throw Error(ErrorKind::GuestData, "the guest returned no block (null offset, length " +
                                          std::to_string(slice.length) + ")");
  }
  checkInMemory(host, slice.offset, slice.length, "the guest returned a");
  return GuestBuffer(host, slice.offset, slice.length, align);
}

GuestBuffer::GuestBuffer(GuestBuffer &&other) noexcept
    : instance_(std::exchange(other.instance_, nullptr)), generation_(other.generation_),
      offset_(other.offset_), size_(other.size_), align_(other.align_) {}

GuestBuffer &GuestBuffer::operator=(GuestBuffer &&other) noexcept {
  if (this != &other) {
    try {
      free();
    } catch (...) { // NOLINT(bugprone-empty-catch): a move cannot report it
    }
    instance_ = std::exchange(other.instance_, nullptr);
    generation_ = other.generation_;
    offset_ = other.offset_;
    size_ = other.size_;
    align_ = other.align_;
  }
  return *this;
}

GuestBuffer::~GuestBuffer() {
  try {
    free();
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor cannot report it
  }
}

uint32_t GuestBuffer::offsetOf(uint32_t at, size_t size) const {
  PluginInstance::checkMemoryRange(at, size, size_, "guest buffer");
  return offset_ + at;
}

PluginInstance &GuestBuffer::currentInstance() const {
  if (instance_ == nullptr) {
    throw std::logic_error("the guest buffer no longer owns a block");
  }
  if (instance_->instanceGeneration() != generation_) {
    throw std::logic_error("the guest buffer belongs to an instance that was replaced "
                           "(reinstantiate)");
  }
  return *instance_;
}

std::span<uint8_t> GuestBuffer::view() {
  auto memory = currentInstance().getMemorySpan();
  PluginInstance::checkMemoryRange(offset_, size_, memory.size(), "guest buffer");
  return {memory.data() + offset_, size_};
}

std::span<uint8_t> GuestBuffer::range(uint32_t at, size_t size, std::string_view access) {
  auto block = view();
  PluginInstance::checkMemoryRange(at, size, block.size(),
                                   std::string("guest buffer ") + std::string(access));
  return block.subspan(at, size);
}

void GuestBuffer::writeBytes(uint32_t at, std::span<const uint8_t> bytes) {
  auto target = range(at, bytes.size(), "write");
  std::copy(bytes.begin(), bytes.end(), target.begin());
}

std::vector<uint8_t> GuestBuffer::bytes() {
  auto block = view();
  return {block.begin(), block.end()};
}

std::string GuestBuffer::text() {
  auto block = view();
  std::string copy(block.begin(), block.end());
  if (!isValidUtf8(copy)) {
    throw Error(ErrorKind::GuestData,
                "the guest's " + describeBlock(offset_, size_) + " is not valid UTF-8");
  }
  return copy;
}

void GuestBuffer::free() {
  PluginInstance *host = std::exchange(instance_, nullptr);
  if (host == nullptr || host->instanceGeneration() != generation_) {
    return; // nothing owned, or the instance that owned it is gone
  }
  callOrThrow<std::tuple<>, std::tuple<uint32_t, uint32_t, uint32_t>>(
      *host, kFreeExport, std::make_tuple(offset_, size_, align_));
}

uint32_t GuestBuffer::release() {
  instance_ = nullptr;
  return offset_;
}

bool isValidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<uint8_t>(bytes[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    uint32_t minimum = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
      minimum = 0x10000;
    } else {
      return false;
    }
    if (bytes.size() - i < length) {
      return false;
    }
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<uint8_t>(bytes[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

std::string takeGuestString(PluginInstance &host, uint64_t packed) {
  auto buffer = GuestBuffer::adopt(host, GuestSlice::unpack(packed));
  std::string text = buffer.text();
  buffer.free();
  return text;
}

} // namespace wasmhost
