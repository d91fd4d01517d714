// The two scenarios beyond the article: guest-allocated buffers and UTF-8
// strings, through the library's GuestBuffer.
#include <string>
#include <tuple>

#include "point.hh"
#include "scenario_steps.hh"
#include "wasmhost/guest_buffer.hh"

namespace wasmhost::app {

// Beyond the article: the point sum through memory the guest allocated for
// the host, instead of offsets the guest may be using.
void scenarioPointAlloc(ScenarioContext &context) {
  const Point host_p1{100, 200};
  const Point host_p2{30, 70};
  const uint32_t point_size = sizeof(Point);
  context.narration << "[Host Main] Allocating 3 Points (" << 3 * point_size
                    << " bytes, aligned to 4) in the guest with 'guest_alloc'..." << std::endl;
  auto points = GuestBuffer::allocate(context.instance, 3 * point_size, alignof(int32_t));
  context.narration << "[Host Main] Guest buffer at offset " << points.offset() << ", "
                    << points.size() << " bytes" << std::endl;
  points.write(0, host_p1);
  points.write(point_size, host_p2);
  points.write(2 * point_size, Point{0, 0});
  context.narration
      << "[Host Main] Calling Wasm function 'point_add' with offsets into the buffer..."
      << std::endl;
  expectCall(context,
             context.instance.callFunctionVoid(
                 "point_add", std::make_tuple(points.offsetOf(2 * point_size, point_size),
                                              points.offsetOf(0, point_size),
                                              points.offsetOf(point_size, point_size))),
             "point_add");
  const auto result_point = points.read<Point>(2 * point_size);
  context.narration << "[Host Main] 'point_add' Result read from the guest buffer: " << result_point
                    << std::endl;
  points.free();
  context.narration << "[Host Main] Gave the buffer back with 'guest_free'." << std::endl;
  check("point_add result", result_point, Point{130, 270});
}

// Beyond the article: a UTF-8 string to the guest and a transformed copy back
// as (offset, length), checked against memory bounds and as UTF-8.
void scenarioStrings(ScenarioContext &context) {
  const std::string input = "Grüße vom 🦀 an C++ ✓";
  const std::string expected = "✓ ++C NA 🦀 MOV ESSÜRG";
  context.narration << "[Host Main] Sending \"" << input << "\" (" << input.size()
                    << " bytes of UTF-8) to the guest..." << std::endl;
  auto text = GuestBuffer::copyOf(context.instance, input);
  context.narration << "[Host Main] Copied into a guest buffer at offset " << text.offset()
                    << "; calling Wasm function 'transform_string'..." << std::endl;
  auto [packed] = expectCall(
      context,
      context.instance.callFunction<std::tuple<uint64_t>, std::tuple<uint32_t, uint32_t>>(
          "transform_string", std::make_tuple(text.offset(), text.size())),
      "transform_string");
  const auto slice = GuestSlice::unpack(packed);
  context.narration << "[Host Main] 'transform_string' returned offset " << slice.offset
                    << ", length " << slice.length << std::endl;
  const std::string output = takeGuestString(context.instance, packed);
  text.free();
  context.narration << "[Host Main] Returned string (inside memory, valid UTF-8, freed): \""
                    << output << "\"" << std::endl;
  check("transform_string result", output, expected);
}

} // namespace wasmhost::app
