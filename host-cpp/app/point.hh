/**
 * \file point.hh
 * The struct the article passes through linear memory.
 */
#ifndef WASMHOST_APP_POINT_HH
#define WASMHOST_APP_POINT_HH

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <type_traits>

namespace wasmhost::app {

#pragma pack(push, 1)
/// Mirrors the guest's `#[repr(C)] struct Point { x: i32, y: i32 }`.
struct Point {
  int32_t x;
  int32_t y;
};
#pragma pack(pop)

static_assert(sizeof(Point) == 8, "Point must be two packed i32 like the guest's");
static_assert(offsetof(Point, x) == 0 && offsetof(Point, y) == 4,
              "Point's field offsets must match the guest's #[repr(C)] layout");
static_assert(std::is_trivially_copyable_v<Point>);

inline bool operator==(const Point &a, const Point &b) { return a.x == b.x && a.y == b.y; }

/// Prints `{ x: 130, y: 270 }`, as the article's host does.
inline std::ostream &operator<<(std::ostream &out, const Point &point) {
  return out << "{ x: " << point.x << ", y: " << point.y << " }";
}

} // namespace wasmhost::app

#endif // WASMHOST_APP_POINT_HH
