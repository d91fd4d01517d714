// Unit tests of `host --call` argument parsing and result formatting.
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "call_export.hh"

namespace {

using wasmtime::FuncType;
using wasmtime::ValType;

TEST(CallArguments, ParsesEachTypeBySignature) {
  auto values = wasmhost::app::parseCallArguments(
      "f", FuncType({ValType::i32(), ValType::i64(), ValType::f32(), ValType::f64()}, {}),
      {"-5", "9000000000", "1.5", "-2.25"});
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0].i32(), -5);
  EXPECT_EQ(values[1].i64(), 9000000000);
  EXPECT_EQ(values[2].f32(), 1.5f);
  EXPECT_EQ(values[3].f64(), -2.25);
}

TEST(CallArguments, AcceptsUnsignedSpellingsAsBitPatterns) {
  auto values = wasmhost::app::parseCallArguments(
      "f", FuncType({ValType::i32(), ValType::i64()}, {}), {"4294967295", "18446744073709551615"});
  EXPECT_EQ(values[0].i32(), -1);
  EXPECT_EQ(values[1].i64(), -1);
}

TEST(CallArguments, RejectsOutOfRangeAndTrailingGarbage) {
  FuncType i32({ValType::i32()}, {});
  EXPECT_THROW(wasmhost::app::parseCallArguments("f", i32, {"4294967296"}), std::invalid_argument);
  EXPECT_THROW(wasmhost::app::parseCallArguments("f", i32, {"12abc"}), std::invalid_argument);
  EXPECT_THROW(wasmhost::app::parseCallArguments("f", i32, {""}), std::invalid_argument);
  EXPECT_THROW(wasmhost::app::parseCallArguments("f", i32, {}), std::invalid_argument);
}

TEST(CallResults, FormatsSpaceSeparated) {
  std::vector<wasmtime::Val> results{wasmtime::Val(int32_t{-1}), wasmtime::Val(int64_t{42}),
                                     wasmtime::Val(2.5)};
  EXPECT_EQ(wasmhost::app::formatCallResults(results), "-1 42 2.5");
  EXPECT_EQ(wasmhost::app::formatCallResults({}), "");
}

TEST(CallResults, FloatsReadBackToTheSameBits) {
  using wasmhost::app::formatFloat;
  EXPECT_EQ(formatFloat(3.141592653589793), "3.141592653589793");
  EXPECT_EQ(formatFloat(16777217.0f), "16777216"); // the float nearest 16777217
  EXPECT_EQ(formatFloat(0.1f), "0.1");
  EXPECT_EQ(formatFloat(1e300), "1e+300");
  EXPECT_EQ(formatFloat(-0.0), "-0");
  EXPECT_EQ(formatFloat(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(formatFloat(-std::numeric_limits<float>::infinity()), "-inf");
  EXPECT_EQ(formatFloat(std::numeric_limits<double>::quiet_NaN()), "nan");
  for (double value : {0.1, 1.0 / 3.0, 2.2250738585072014e-308, 123456789.123456789}) {
    EXPECT_EQ(std::stod(formatFloat(value)), value) << formatFloat(value);
  }
}

TEST(CallResults, AV128IsItsLanesInHexAndAReferenceItsKind) {
  wasmtime_v128 bytes = {1, 0, 0, 0, 2, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(wasmhost::app::formatCallResults({wasmtime::Val(wasmtime::V128(bytes))}),
            "i32x4 0x00000001 0x00000002 0xdeadbeef 0xffffffff");
  EXPECT_EQ(wasmhost::app::formatCallResults({wasmtime::Val(std::optional<wasmtime::Func>())}),
            "funcref:null");
}

} // namespace
