// Unit tests of GuestBuffer and guest strings against the real guest and a
// guest that hands the host bad data.
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "guest_fixture.hh"
#include "point.hh"
#include "test_paths.hh"
#include "wasmhost/guest_buffer.hh"
#include "wasmhost/wasm_host.hh"

namespace {

using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::GuestBuffer;
using wasmhost::GuestSlice;
using wasmhost::WasmHost;
using wasmhost::app::Point;

struct GuestBufferTest : GuestFixture {
  /// The guest's debug view, through the same string path.
  std::string debugState() {
    auto [packed] = wasmhost::callOrThrow<std::tuple<uint64_t>>(host, "guest_debug_state");
    return wasmhost::takeGuestString(host, packed);
  }

  static bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
  }

  std::string transform(GuestBuffer &input) {
    auto [packed] = wasmhost::callOrThrow<std::tuple<uint64_t>, std::tuple<uint32_t, uint32_t>>(
        host, "transform_string", std::make_tuple(input.offset(), input.size()));
    return wasmhost::takeGuestString(host, packed);
  }
};

TEST_F(GuestBufferTest, AllocatesAlignedMemoryAndChecksEveryAccess) {
  auto buffer = GuestBuffer::allocate(host, 24, 4);
  EXPECT_GT(buffer.offset(), 0u);
  EXPECT_EQ(buffer.offset() % 4, 0u);
  EXPECT_EQ(buffer.size(), 24u);
  buffer.write(0, Point{100, 200});
  buffer.write(16, Point{-1, 7});
  EXPECT_EQ(buffer.read<Point>(0), (Point{100, 200}));
  EXPECT_EQ(host.readMemory<Point>(static_cast<int32_t>(buffer.offset() + 16)), (Point{-1, 7}));
  EXPECT_THROW(buffer.write(20, Point{1, 1}), std::out_of_range); // straddles the end
  EXPECT_THROW(buffer.read<int32_t>(24), std::out_of_range);
  EXPECT_THROW(buffer.read<int32_t>(UINT32_MAX), std::out_of_range);
  EXPECT_THROW((void)buffer.offsetOf(17, 8), std::out_of_range);
  EXPECT_EQ(buffer.offsetOf(16, 8), buffer.offset() + 16);
  EXPECT_EQ(buffer.view().size(), 24u);
  EXPECT_THROW(GuestBuffer::allocate(host, 8, 0), std::invalid_argument);
  EXPECT_THROW(GuestBuffer::allocate(host, 8, 12), std::invalid_argument);
}

TEST_F(GuestBufferTest, ABufferOfAReplacedInstanceIsNeitherUsedNorFreedInTheNewOne) {
  std::optional<GuestBuffer> old_block(GuestBuffer::allocate(host, 16, 8));
  host.reinstantiate();
  EXPECT_THROW(old_block->view(), std::logic_error);
  auto current = GuestBuffer::allocate(host, 16, 8);
  // The new allocator may well hand out the same offset; destroying the old
  // buffer must not give that block back behind `current`'s back.
  old_block.reset();
  auto next = GuestBuffer::allocate(host, 16, 8);
  EXPECT_NE(next.offset(), current.offset());
  EXPECT_TRUE(contains(debugState(), "\"buffers_outstanding\":2"));
}

TEST_F(GuestBufferTest, PointAddWorksOnGuestAllocatedMemory) {
  auto points = GuestBuffer::allocate(host, 24, 4);
  points.write(0, Point{100, 200});
  points.write(8, Point{30, 70});
  auto result = host.callFunctionVoid(
      "point_add", std::make_tuple(points.offsetOf(16), points.offsetOf(0), points.offsetOf(8)));
  ASSERT_TRUE(result) << result.err().message();
  EXPECT_EQ(points.read<Point>(16), (Point{130, 270}));
}

TEST_F(GuestBufferTest, TheDestructorGivesTheBlockBack) {
  uint32_t first = 0;
  {
    auto buffer = GuestBuffer::allocate(host, 64, 8);
    first = buffer.offset();
    EXPECT_TRUE(contains(debugState(), "\"buffers_outstanding\":1"));
  }
  // One free for the block, one for the first debug view's own string.
  const std::string after = debugState();
  EXPECT_TRUE(contains(after, "\"guest_alloc\":1,\"guest_free\":2")) << after;
  EXPECT_TRUE(contains(after, "\"buffers_outstanding\":0")) << after;
  // The allocator reuses the freed block for the same request.
  EXPECT_EQ(GuestBuffer::allocate(host, 64, 8).offset(), first);
}

TEST_F(GuestBufferTest, MovingTransfersOwnershipAndFreesOnce) {
  auto original = GuestBuffer::allocate(host, 8, 4);
  const uint32_t offset = original.offset();
  GuestBuffer moved = std::move(original);
  EXPECT_FALSE(original.owned()); // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_TRUE(moved.owned());
  EXPECT_EQ(moved.offset(), offset);
  moved.free();
  moved.free(); // idempotent
  EXPECT_TRUE(contains(debugState(), "\"guest_alloc\":1,\"guest_free\":1"));
}

TEST_F(GuestBufferTest, ReleaseLeavesTheBlockToTheGuest) {
  {
    auto buffer = GuestBuffer::allocate(host, 8, 4);
    EXPECT_GT(buffer.release(), 0u);
  }
  const std::string state_json = debugState();
  EXPECT_TRUE(contains(state_json, "\"guest_alloc\":1,\"guest_free\":0}")) << state_json;
  EXPECT_TRUE(contains(state_json, "\"buffers_outstanding\":1")) << state_json;
}

TEST_F(GuestBufferTest, StringsRoundTripAsUtf8) {
  auto input = GuestBuffer::copyOf(host, "Grüße vom 🦀 an C++ ✓");
  EXPECT_EQ(input.size(), 27u);
  EXPECT_EQ(input.text(), "Grüße vom 🦀 an C++ ✓");
  EXPECT_EQ(transform(input), "✓ ++C NA 🦀 MOV ESSÜRG");
  input.free();
  EXPECT_TRUE(contains(debugState(), "\"buffers_outstanding\":0"));
}

TEST_F(GuestBufferTest, TheEmptyStringRoundTrips) {
  auto input = GuestBuffer::copyOf(host, "");
  EXPECT_EQ(input.size(), 0u);
  EXPECT_GT(input.offset(), 0u); // a dangling, non-null offset
  EXPECT_EQ(transform(input), "");
}

TEST_F(GuestBufferTest, TheGuestRefusesInputThatIsNotUtf8) {
  const std::vector<uint8_t> bytes = {'a', 0xff, 0xfe};
  auto input = GuestBuffer::copyOf(host, bytes);
  EXPECT_EQ(input.bytes(), bytes);
  EXPECT_THROW(input.text(), Error);
  try {
    transform(input);
    FAIL() << "invalid UTF-8 was transformed";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::GuestData);
    EXPECT_EQ(std::string(error.what()), "the guest returned no block (null offset, length 0)");
  }
}

TEST(GuestSliceTest, UnpacksOffsetHighAndLengthLow) {
  const auto slice = GuestSlice::unpack(0x0010203000000005ULL);
  EXPECT_EQ(slice.offset, 0x00102030u);
  EXPECT_EQ(slice.length, 5u);
}

TEST(Utf8Test, AcceptsWellFormedAndRejectsMalformedUtf8) {
  EXPECT_TRUE(wasmhost::isValidUtf8(""));
  EXPECT_TRUE(wasmhost::isValidUtf8("plain ASCII"));
  EXPECT_TRUE(wasmhost::isValidUtf8("é ✓ 🦀 \U0010FFFF"));
  EXPECT_FALSE(wasmhost::isValidUtf8("\x80"));             // lone continuation byte
  EXPECT_FALSE(wasmhost::isValidUtf8("\xC0\xAF"));         // overlong '/'
  EXPECT_FALSE(wasmhost::isValidUtf8("\xE0\x80\xAF"));     // overlong, 3 bytes
  EXPECT_FALSE(wasmhost::isValidUtf8("\xED\xA0\x80"));     // surrogate U+D800
  EXPECT_FALSE(wasmhost::isValidUtf8("\xF4\x90\x80\x80")); // past U+10FFFF
  EXPECT_FALSE(wasmhost::isValidUtf8("\xE2\x82"));         // truncated
  EXPECT_FALSE(wasmhost::isValidUtf8("\xF8\x88\x80\x80\x80"));
}

struct BadGuestTest : ::testing::Test {
  WasmHost host{std::string(test_paths::kTestModules) + "/bad_guest_data.wat"};

  void SetUp() override { host.initialize(); }

  int32_t frees() { return std::get<0>(wasmhost::callOrThrow<std::tuple<int32_t>>(host, "frees")); }

  std::string takeFrom(const char *export_name) {
    auto [packed] = wasmhost::callOrThrow<std::tuple<uint64_t>>(host, export_name);
    return wasmhost::takeGuestString(host, packed);
  }
};

TEST_F(BadGuestTest, ANullAllocationIsRefused) {
  try {
    GuestBuffer::allocate(host, 16, 4);
    FAIL() << "a null allocation was accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::GuestData);
    EXPECT_EQ(std::string(error.what()), "'guest_alloc' returned null for 16 bytes aligned to 4");
  }
}

TEST_F(BadGuestTest, ABlockOutsideMemoryIsRefusedAndNotFreed) {
  try {
    takeFrom("out_of_bounds");
    FAIL() << "a block outside memory was read";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::GuestData);
    EXPECT_EQ(std::string(error.what()), "the guest returned a: block at offset 65530 of 100 "
                                         "bytes is outside linear memory (65536 bytes)");
  }
  EXPECT_EQ(frees(), 0);
}

TEST_F(BadGuestTest, InvalidUtf8IsRefusedAndTheBlockFreed) {
  try {
    takeFrom("invalid_utf8");
    FAIL() << "invalid UTF-8 was accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::GuestData);
    EXPECT_EQ(std::string(error.what()),
              "the guest's block at offset 16 of 2 bytes is not valid UTF-8");
  }
  EXPECT_EQ(frees(), 1);
}

TEST_F(BadGuestTest, NoResultIsRefused) {
  try {
    takeFrom("no_result");
    FAIL() << "a null result was taken";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::GuestData);
  }
}

TEST(GuestBufferLinkTest, AGuestWithoutGuestAllocIsALinkError) {
  WasmHost host(std::string(test_paths::kTestModules) + "/reactor.wat");
  host.initialize();
  try {
    GuestBuffer::allocate(host, 8);
    FAIL() << "allocated without guest_alloc";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Link);
    EXPECT_NE(std::string(error.what()).find("export 'guest_alloc' not found"), std::string::npos);
  }
}

} // namespace
