// What the capabilities, config and logs tests share: the runtime guest
// (guest-runtime.wasm, cargo feature runtime) in a host made from given
// options, calls of its string exports, and a sink that keeps every line.
#ifndef WASMHOST_CTEST_RUNTIME_GUEST_HH
#define WASMHOST_CTEST_RUNTIME_GUEST_HH

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "article_host.hh"
#include "test_paths.hh"
#include "wasmhost/guest_buffer.hh"
#include "wasmhost/runtime/log.hh"
#include "wasmhost/wasm_host.hh"

namespace runtime_test {

/// guest-runtime.wasm in a host of its own, initialized, with the article's
/// `env` functions (the crate's exports import them).
struct RuntimeGuest {
  explicit RuntimeGuest(wasmhost::WasmHostOptions options)
      : host(test_paths::kGuestRuntimeWasm, std::move(options)) {
    wasmhost::app::defineArticleHostFunctions(host, state);
    host.initialize();
  }

  /// Export `name(ptr, len) -> i64` of `text`, its packed string answer.
  std::string call(std::string_view name, std::string_view text) {
    auto input = wasmhost::GuestBuffer::copyOf(host, text);
    auto [packed] = wasmhost::callOrThrow<std::tuple<uint64_t>, std::tuple<uint32_t, uint32_t>>(
        host, name, {input.offset(), input.size()});
    return wasmhost::takeGuestString(host, packed);
  }
  /// `name(ptr, len, ptr, len) -> i64` of two strings.
  std::string call(std::string_view name, std::string_view first, std::string_view second) {
    auto one = wasmhost::GuestBuffer::copyOf(host, first);
    auto two = wasmhost::GuestBuffer::copyOf(host, second);
    auto [packed] = wasmhost::callOrThrow<std::tuple<uint64_t>,
                                          std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>>(
        host, name, {one.offset(), one.size(), two.offset(), two.size()});
    return wasmhost::takeGuestString(host, packed);
  }
  /// `name() -> i64`, its packed string answer.
  std::string call(std::string_view name) {
    auto [packed] = wasmhost::callOrThrow<std::tuple<uint64_t>>(host, name);
    return wasmhost::takeGuestString(host, packed);
  }

  wasmhost::app::HostState state;
  wasmhost::WasmHost host;
};

/// One line a sink received.
struct SinkLine {
  wasmhost::runtime::LogLevel level;
  std::string source;
  std::string text;
};

/// Keeps every line, for the tests to read.
class CapturingSink : public wasmhost::runtime::LogSink {
public:
  void write(wasmhost::runtime::LogLevel level, std::string_view source,
             std::string_view line) override {
    const std::lock_guard lock(mutex_);
    lines_.push_back({level, std::string(source), std::string(line)});
  }
  std::vector<SinkLine> lines() {
    const std::lock_guard lock(mutex_);
    return lines_;
  }
  /// The texts of the lines from `source`, in order.
  std::vector<std::string> from(std::string_view source) {
    std::vector<std::string> texts;
    for (const auto &line : lines()) {
      if (line.source == source) {
        texts.push_back(line.text);
      }
    }
    return texts;
  }

private:
  std::mutex mutex_;
  std::vector<SinkLine> lines_;
};

/// A fresh folder under the test's temporary folder, removed at the end.
struct TemporaryFolder {
  TemporaryFolder() {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    path = std::filesystem::temp_directory_path() /
           ("wasmhost-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder &operator=(const TemporaryFolder &) = delete;

  std::filesystem::path path;
};

} // namespace runtime_test

#endif // WASMHOST_CTEST_RUNTIME_GUEST_HH
