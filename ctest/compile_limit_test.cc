// Unit tests of the compile time limit (`WasmHostOptions::compile_timeout_ms`):
// a module that compiles for longer is refused at the limit with `Error`
// (`Compile`), and the abandoned compile finishes on its own thread. No speed
// is asserted: the upper bounds only guard against a limit that does not hold.
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "wasmhost/plugin.hh"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// A WAT module of `count` small functions and an export `f`.
std::vector<uint8_t> manyFunctions(size_t count) {
  std::string wat = "(module\n";
  for (size_t i = 0; i < count; ++i) {
    wat += "(func (param i32) (result i32) local.get 0)\n";
  }
  wat += "(func (export \"f\") (param i32) (result i32) local.get 0))\n";
  return {wat.begin(), wat.end()};
}

wasmhost::WasmHostOptions compileLimit(uint64_t milliseconds) {
  wasmhost::WasmHostOptions options;
  options.timeout_ms = 0;
  options.compile_timeout_ms = milliseconds;
  return options;
}

TEST(CompileLimit, ALongCompileIsRefusedAtTheLimitAndFinishesOnItsOwn) {
  const uint64_t abandoned_before = wasmhost::Plugin::abandonedCompiles();
  const auto start = Clock::now();
  try {
    wasmhost::Plugin plugin(manyFunctions(20000), "many.wat", compileLimit(20));
    FAIL() << "compiled within 20 ms";
  } catch (const wasmhost::Error &error) {
    EXPECT_EQ(error.kind(), wasmhost::ErrorKind::Compile);
    EXPECT_EQ(std::string(error.what()),
              "compiling module 'many.wat' took longer than the compile time limit of 20 ms "
              "(WasmHostOptions::compile_timeout_ms, host --compile-timeout-ms)");
  }
  EXPECT_GE(Clock::now() - start, 20ms);
  EXPECT_LT(Clock::now() - start, 5000ms);
  EXPECT_EQ(wasmhost::Plugin::abandonedCompiles(), abandoned_before + 1);
  // The abandoned compile ends by itself (and frees its job) before the
  // process does.
  const auto give_up = Clock::now() + 120s;
  while (wasmhost::Plugin::abandonedCompilesRunning() > 0 && Clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(wasmhost::Plugin::abandonedCompilesRunning(), 0u);
}

TEST(CompileLimit, WithinTheLimitOrWithoutOneItCompiles) {
  for (const uint64_t limit : {uint64_t{60000}, uint64_t{0}}) {
    wasmhost::Plugin plugin(manyFunctions(10), "few.wat", compileLimit(limit));
    EXPECT_EQ(plugin.moduleLoadReport().source, wasmhost::ModuleLoadReport::Source::Compiled);
  }
  EXPECT_EQ(wasmhost::Plugin::abandonedCompilesRunning(), 0u);
}

TEST(CompileLimit, AnInvalidModuleFailsAsBefore) {
  const std::string text = "(module (func (result i32)))";
  try {
    wasmhost::Plugin plugin(std::vector<uint8_t>(text.begin(), text.end()), "bad.wat",
                            compileLimit(60000));
    FAIL() << "an invalid module compiled";
  } catch (const wasmhost::Error &error) {
    EXPECT_EQ(error.kind(), wasmhost::ErrorKind::Compile);
    EXPECT_EQ(std::string(error.what()).rfind("Module compilation failed: 'bad.wat': ", 0), 0u)
        << error.what();
  }
}

} // namespace
