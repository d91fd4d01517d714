// The guest's configuration (WasmHostOptions::config) through the import
// wasmhost::config_get: what the runtime guest's safe wrapper reads, the raw
// call's answers (missing, sizes), its bounds and bad pointers.
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "cli.hh"
#include "runtime_guest.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/component/component_host.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/runtime/config.hh"

namespace {

using runtime_test::RuntimeGuest;
using test_options::quiet;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::GuestBuffer;
using wasmhost::WasmHostOptions;

using RawParams = std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>;

WasmHostOptions configured(std::map<std::string, std::string> config) {
  auto options = quiet();
  options.config = std::move(config);
  return options;
}

/// A long value that is not one byte repeated.
std::string longValue(size_t size) {
  std::string value;
  for (size_t i = 0; value.size() < size; ++i) {
    value += std::to_string(i) + ",";
  }
  value.resize(size);
  return value;
}

TEST(Config, APresentKeyIsReadBackExactly) {
  RuntimeGuest guest(configured({{"greeting", "hello, world \xE2\x9C\x93"}, {"other", "x"}}));
  EXPECT_EQ(guest.call("runtime_config_get", "greeting"), "some:hello, world \xE2\x9C\x93");
  EXPECT_EQ(guest.call("runtime_config_get", "other"), "some:x");
}

TEST(Config, AMissingKeyIsNoneNotATrap) {
  RuntimeGuest guest(configured({{"greeting", "hello"}}));
  EXPECT_EQ(guest.call("runtime_config_get", "absent"), "none");
  EXPECT_EQ(guest.call("runtime_config_get", "Greeting"), "none"); // keys are exact bytes
  RuntimeGuest unconfigured(quiet());
  EXPECT_EQ(unconfigured.call("runtime_config_get", "greeting"), "none");
}

TEST(Config, AnEmptyValueIsNotAMissingOne) {
  RuntimeGuest guest(configured({{"empty", ""}}));
  EXPECT_EQ(guest.call("runtime_config_get", "empty"), "some:");
  auto key = GuestBuffer::copyOf(guest.host, "empty");
  auto out = GuestBuffer::allocate(guest.host, 8);
  auto [empty] = wasmhost::callOrThrow<std::tuple<int32_t>, RawParams>(
      guest.host, "runtime_config_get_raw", {key.offset(), key.size(), out.offset(), 8});
  EXPECT_EQ(empty, 0);
  auto missing_key = GuestBuffer::copyOf(guest.host, "absent");
  auto [missing] = wasmhost::callOrThrow<std::tuple<int32_t>, RawParams>(
      guest.host, "runtime_config_get_raw",
      {missing_key.offset(), missing_key.size(), out.offset(), 8});
  EXPECT_EQ(missing, wasmhost::runtime::kConfigMissing);
}

TEST(Config, ALongValuePassesASmallBufferWithTheLengthItNeeds) {
  const std::string value = longValue(10000);
  RuntimeGuest guest(configured({{"long", value}}));
  // The safe wrapper starts with 64 bytes and asks again.
  EXPECT_EQ(guest.call("runtime_config_get", "long"), "some:" + value);

  auto key = GuestBuffer::copyOf(guest.host, "long");
  auto out = GuestBuffer::allocate(guest.host, 16);
  const std::vector<uint8_t> untouched(16, 'z');
  out.writeBytes(0, untouched);
  auto [needed] = wasmhost::callOrThrow<std::tuple<int32_t>, RawParams>(
      guest.host, "runtime_config_get_raw", {key.offset(), key.size(), out.offset(), 16});
  EXPECT_EQ(needed, 10000);
  EXPECT_EQ(out.bytes(), untouched); // nothing written when it does not fit

  auto room = GuestBuffer::allocate(guest.host, 10000);
  auto [length] = wasmhost::callOrThrow<std::tuple<int32_t>, RawParams>(
      guest.host, "runtime_config_get_raw", {key.offset(), key.size(), room.offset(), 10000});
  EXPECT_EQ(length, 10000);
  const auto bytes = room.bytes();
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), value);
}

TEST(Config, TheLargestValueIsReadBack) {
  const std::string value = longValue(wasmhost::runtime::kMaxConfigValueBytes);
  RuntimeGuest guest(configured({{"largest", value}}));
  EXPECT_EQ(guest.call("runtime_config_get", "largest"), "some:" + value);
}

/// The `Error` of a raw `config_get` call with these arguments, which must
/// trap (exit status 3 for `host`).
std::string trapOf(RuntimeGuest &guest, RawParams params) {
  try {
    wasmhost::callOrThrow<std::tuple<int32_t>, RawParams>(guest.host, "runtime_config_get_raw",
                                                          params);
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Trap) << error.what();
    EXPECT_EQ(wasmhost::app::cli::exitStatusFor(error.kind()), 3);
    return error.what();
  }
  ADD_FAILURE() << "the call did not trap";
  return "";
}

TEST(Config, BadPointersTrapNamingConfigGet) {
  RuntimeGuest guest(configured({{"greeting", "hello"}}));
  auto key = GuestBuffer::copyOf(guest.host, "greeting");
  auto out = GuestBuffer::allocate(guest.host, 16);
  const uint32_t far = 0xFFFFFFF0u;

  std::string message = trapOf(guest, {far, 8, out.offset(), 16});
  EXPECT_EQ(message.rfind("'runtime_config_get_raw' trapped: host function failed: ", 0), 0u)
      << message;
  EXPECT_NE(message.find("host function 'config_get' threw: config_get: the key at offset "
                         "4294967280 of 8 bytes is outside linear memory"),
            std::string::npos)
      << message;
  message = trapOf(guest, {key.offset(), key.size(), far, 16});
  EXPECT_NE(message.find("host function 'config_get' threw: config_get: the output buffer at "
                         "offset 4294967280 of 16 bytes is outside linear memory"),
            std::string::npos)
      << message;
  // A bad output buffer is a bug even for a missing key.
  auto absent = GuestBuffer::copyOf(guest.host, "absent");
  message = trapOf(guest, {absent.offset(), absent.size(), far, 16});
  EXPECT_NE(message.find("config_get: the output buffer"), std::string::npos) << message;
  // A length that runs past the end of memory.
  message = trapOf(guest, {key.offset(), 0x7FFFFFFFu, out.offset(), 16});
  EXPECT_NE(message.find("config_get: a key of 2147483647 bytes, more than 1024"),
            std::string::npos)
      << message;
  message = trapOf(guest, {key.offset(), key.size(), out.offset(), 0xFFFFFFFFu});
  EXPECT_NE(message.find("config_get: the output buffer"), std::string::npos) << message;
  // The instance still answers after the traps.
  EXPECT_EQ(guest.call("runtime_config_get", "greeting"), "some:hello");
}

TEST(Config, AKeyPastTheLimitTrapsNamingConfigGet) {
  RuntimeGuest guest(configured({{"greeting", "hello"}}));
  auto key = GuestBuffer::copyOf(guest.host, std::string(1025, 'k'));
  auto out = GuestBuffer::allocate(guest.host, 16);
  const std::string message = trapOf(guest, {key.offset(), key.size(), out.offset(), 16});
  EXPECT_NE(message.find("host function 'config_get' threw: config_get: a key of 1025 bytes, "
                         "more than 1024"),
            std::string::npos)
      << message;
  // 1024 bytes is a key like any other.
  EXPECT_EQ(guest.call("runtime_config_get", std::string(1024, 'k')), "none");
}

/// The message of the `Limit` error a host made from `options` throws.
std::string limitRefusal(const WasmHostOptions &options) {
  try {
    RuntimeGuest guest(options);
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Limit) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "the configuration was accepted";
  return "";
}

TEST(Config, KeysAndValuesPastTheLimitsAreRefusedBeforeTheGuestRuns) {
  EXPECT_EQ(limitRefusal(configured({{"big", std::string((64 << 10) + 1, 'v')}})),
            "configuration value of 'big' has 65537 bytes, more than 65536");
  EXPECT_EQ(limitRefusal(configured({{std::string(1025, 'k'), "v"}})),
            "configuration key '" + std::string(32, 'k') + "...' has 1025 bytes, more than 1024");
  EXPECT_EQ(limitRefusal(configured({{"", "v"}})), "configuration key is empty");
}

TEST(Config, AComponentRefusesAConfiguration) {
  try {
    wasmhost::component::ComponentHost host(test_paths::kGuestComponentWasm,
                                            configured({{"greeting", "hello"}}));
    ADD_FAILURE() << "accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Unsupported);
    EXPECT_STREQ(error.what(), "configuration (WasmHostOptions::config) is for core modules only: "
                               "the component's world has no config_get import");
  }
}

} // namespace
