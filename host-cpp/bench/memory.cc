// mem.*: one Point through writeMemory/readMemory, and bulk copies.
#include <cstring>
#include <memory>
#include <vector>

#include "benches.hh"

namespace wasmhost::bench {
namespace {

/// The article's two-`i32` point, as the guest lays it out.
struct Point {
  int32_t x;
  int32_t y;
  bool operator==(const Point &) const = default;
};
static_assert(sizeof(Point) == 8);

/// Where the article puts its points.
constexpr int32_t kPointOffset = 2048;
constexpr uint64_t kPageSize = 65536;

Candidate pointWrite(WasmHost &host, const Sizes &sizes) {
  return {"mem.point_write_ns", [&host, &sizes] {
            const auto start = Clock::now();
            for (uint32_t i = 0; i < sizes.point_ops; ++i) {
              host.writeMemory(kPointOffset, Point{static_cast<int32_t>(i), 1});
            }
            const double ns = nanosecondsPer(start, sizes.point_ops);
            if (host.readMemory<Point>(kPointOffset) !=
                Point{static_cast<int32_t>(sizes.point_ops - 1), 1}) {
              fail("mem.point_write_ns", "the last write is not in memory");
            }
            return ns;
          }};
}

Candidate pointRead(WasmHost &host, const Sizes &sizes) {
  return {"mem.point_read_ns", [&host, &sizes] {
            host.writeMemory(kPointOffset, Point{3, 4});
            int64_t sum = 0;
            const auto start = Clock::now();
            for (uint32_t i = 0; i < sizes.point_ops; ++i) {
              const auto point = host.readMemory<Point>(kPointOffset);
              sum += point.x + point.y;
            }
            const double ns = nanosecondsPer(start, sizes.point_ops);
            if (sum != int64_t{7} * sizes.point_ops) {
              fail("mem.point_read_ns", "read back a wrong point");
            }
            return ns;
          }};
}

/// GB/s (10^9 bytes per second) of `copies` copies of `bytes` bytes.
double gigabytesPerSecond(Clock::time_point start, size_t bytes, int copies) {
  return static_cast<double>(bytes) * copies / secondsSince(start) / 1e9;
}

void expectSame(const char *what, const std::vector<uint8_t> &a, const std::vector<uint8_t> &b) {
  if (a != b) {
    fail(what, "the copy differs from the source");
  }
}

/// The buffers of the bulk copies: a source, a middle one for `memcpy`
/// (the guest's memory for `writeBytes`/`readBytes`) and the copy back.
struct BulkBuffers {
  explicit BulkBuffers(size_t bytes) : source(bytes), middle(bytes), back(bytes) {
    for (size_t i = 0; i < bytes; ++i) {
      source[i] = static_cast<uint8_t>(i * 131 + (i >> 12));
    }
  }
  std::vector<uint8_t> source;
  std::vector<uint8_t> middle;
  std::vector<uint8_t> back;
};

/// `bulk_bytes` host -> guest with `writeBytes`, then guest -> host with
/// `readBytes`, in fresh pages grown for it; against the same two copies
/// with `memcpy` between host buffers. The warm-up run faults every page in.
std::vector<Candidate> bulk(WasmHost &host, const Sizes &sizes) {
  const size_t bytes = sizes.bulk_bytes;
  const uint64_t first_page = host.growMemory((bytes + kPageSize - 1) / kPageSize);
  const auto offset = static_cast<int32_t>(first_page * kPageSize);
  auto buffers = std::make_shared<BulkBuffers>(bytes);
  return {
      {"mem.bulk_gbps",
       [&host, buffers, offset, bytes] {
         std::memset(buffers->back.data(), 0, bytes);
         const auto start = Clock::now();
         host.writeBytes(offset, buffers->source);
         host.readBytes(offset, buffers->back);
         const double gbps = gigabytesPerSecond(start, bytes, 2);
         expectSame("mem.bulk_gbps", buffers->source, buffers->back);
         return gbps;
       }},
      {"mem.memcpy_gbps",
       [buffers, bytes] {
         std::memset(buffers->back.data(), 0, bytes);
         const auto start = Clock::now();
         std::memcpy(buffers->middle.data(), buffers->source.data(), bytes);
         keep(buffers->middle.data());
         std::memcpy(buffers->back.data(), buffers->middle.data(), bytes);
         keep(buffers->back.data());
         const double gbps = gigabytesPerSecond(start, bytes, 2);
         expectSame("mem.memcpy_gbps", buffers->source, buffers->back);
         return gbps;
       }},
  };
}

} // namespace

std::vector<Figure> measureMemory(WasmHost &host, const Sizes &sizes) {
  auto figures = measureInterleaved({pointWrite(host, sizes), pointRead(host, sizes)}, sizes.reps);
  for (auto &figure : measureInterleaved(bulk(host, sizes), sizes.reps)) {
    figures.push_back(std::move(figure));
  }
  return figures;
}

} // namespace wasmhost::bench
