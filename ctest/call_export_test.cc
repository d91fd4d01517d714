// Unit tests of `host --call` argument parsing and result formatting.
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

} // namespace
