// Logs (wasmhost/runtime/log.hh): the narration, the guest's WASI output and
// its wasmhost::log calls through a LogSink, with their levels and sources;
// long lines cut and marked, floods throttled, the file sink, bad levels.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "runtime_guest.hh"
#include "test_options.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/runtime/log.hh"

namespace {

using runtime_test::CapturingSink;
using runtime_test::RuntimeGuest;
using runtime_test::TemporaryFolder;
using test_options::quiet;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::GuestBuffer;
using wasmhost::WasmHostOptions;
using wasmhost::runtime::FileSink;
using wasmhost::runtime::LineSplitter;
using wasmhost::runtime::LogLevel;
using Strings = std::vector<std::string>;

WasmHostOptions sinking(CapturingSink &sink) {
  auto options = quiet();
  options.log_sink = &sink;
  return options;
}

/// The guest prints `text` as a line to its stdout (or stderr).
void guestPrints(RuntimeGuest &guest, std::string_view text, bool to_stderr = false) {
  auto buffer = GuestBuffer::copyOf(guest.host, text);
  wasmhost::callOrThrow<std::tuple<>, std::tuple<uint32_t, uint32_t, int32_t>>(
      guest.host, "runtime_print", {buffer.offset(), buffer.size(), to_stderr ? 1 : 0});
}

/// The guest calls `wasmhost::log(level, text)`.
void guestLogs(RuntimeGuest &guest, int32_t level, std::string_view text) {
  auto buffer = GuestBuffer::copyOf(guest.host, text);
  wasmhost::callOrThrow<std::tuple<>, std::tuple<int32_t, uint32_t, uint32_t>>(
      guest.host, "runtime_log", {level, buffer.offset(), buffer.size()});
}

void guestFloods(RuntimeGuest &guest, int32_t count) {
  wasmhost::callOrThrow<std::tuple<>, std::tuple<int32_t>>(guest.host, "runtime_log_flood",
                                                           {count});
}

TEST(Logs, TheSinkGetsTheNarrationTheGuestsOutputAndItsLogCalls) {
  CapturingSink sink;
  {
    RuntimeGuest guest(sinking(sink));
    guestPrints(guest, "hello from stdout");
    guestPrints(guest, "trouble on stderr", /*to_stderr=*/true);
    guestLogs(guest, 0, "a trace");
    guestLogs(guest, 1, "a debug line");
    guestLogs(guest, 3, "a warning\nin two lines");
    guestLogs(guest, 4, "an error");
    guestFloods(guest, 2); // through the safe wrapper, at Info
  }
  const auto narration = sink.from("host");
  ASSERT_FALSE(narration.empty());
  EXPECT_NE(std::find(narration.begin(), narration.end(), "[Host Setup] Configuring WASI..."),
            narration.end());
  EXPECT_NE(std::find(narration.begin(), narration.end(),
                      "[Host Setup] Module instantiated successfully."),
            narration.end());
  EXPECT_EQ(sink.from("guest.stdout"), Strings{"hello from stdout"});
  EXPECT_EQ(sink.from("guest.stderr"), Strings{"trouble on stderr"});
  EXPECT_EQ(sink.from("guest.log"), (Strings{"a trace", "a debug line", "a warning", "in two lines",
                                             "an error", "flood 0", "flood 1"}));
  std::vector<std::pair<std::string, LogLevel>> levels;
  for (const auto &line : sink.lines()) {
    if (line.source != "host") {
      levels.emplace_back(line.text, line.level);
    }
  }
  const std::vector<std::pair<std::string, LogLevel>> expected = {
      {"hello from stdout", LogLevel::Info},
      {"trouble on stderr", LogLevel::Warn},
      {"a trace", LogLevel::Trace},
      {"a debug line", LogLevel::Debug},
      {"a warning", LogLevel::Warn},
      {"in two lines", LogLevel::Warn},
      {"an error", LogLevel::Error},
      {"flood 0", LogLevel::Info},
      {"flood 1", LogLevel::Info}};
  EXPECT_EQ(levels, expected);
  for (const auto &line : sink.lines()) {
    if (line.source == "host") {
      EXPECT_EQ(line.level, LogLevel::Info) << line.text;
    }
  }
}

TEST(Logs, ANarrationStreamKeepsTheNarrationOutOfTheSink) {
  CapturingSink sink;
  std::ostringstream narration;
  auto options = sinking(sink);
  options.narration = &narration;
  {
    RuntimeGuest guest(options);
    guestPrints(guest, "to the sink");
  }
  EXPECT_EQ(sink.from("host"), Strings{});
  EXPECT_EQ(sink.from("guest.stdout"), Strings{"to the sink"});
  EXPECT_NE(narration.str().find("[Host Setup] Configuring WASI...\n"), std::string::npos);
}

TEST(Logs, WithoutASinkLogCallsGoToStderr) {
  ::testing::internal::CaptureStderr();
  {
    RuntimeGuest guest(quiet());
    guestLogs(guest, 3, "to stderr");
  }
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("[warn guest.log] to stderr\n"), std::string::npos) << err;
}

TEST(Logs, ALineOf100KiBIsCutAndMarked) {
  CapturingSink sink;
  const std::string line(100 << 10, 'a');
  {
    RuntimeGuest guest(sinking(sink));
    guestPrints(guest, line);
    guestLogs(guest, 2, line);
    guestPrints(guest, "next");
  }
  const std::string cut = std::string(64 << 10, 'a') + "\u2026 [cut: 36864 bytes]";
  EXPECT_EQ(sink.from("guest.stdout"), (Strings{cut, "next"}));
  EXPECT_EQ(sink.from("guest.log"), Strings{cut});
}

TEST(Logs, AFloodIsThrottledWithANoteOfTheDroppedLines) {
  CapturingSink sink;
  auto options = sinking(sink);
  options.log_limits.burst_lines = 10;
  options.log_limits.lines_per_second = 1;
  constexpr int kFlood = 20000;
  const auto started = std::chrono::steady_clock::now();
  {
    RuntimeGuest guest(options);
    guestFloods(guest, kFlood);
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  const auto passed = sink.from("guest.log");
  // The burst, and one a second after it.
  EXPECT_GE(passed.size(), 10u);
  EXPECT_LE(passed.size(), 10u + static_cast<size_t>(seconds.count()) + 1);
  EXPECT_EQ(passed.front(), "flood 0");
  // Notes say how many were dropped: together, every line is accounted for.
  uint64_t dropped = 0;
  for (const auto &line : sink.lines()) {
    if (line.source == "host" && line.text.rfind("[log] ", 0) == 0) {
      EXPECT_EQ(line.level, LogLevel::Warn);
      const auto count = line.text.substr(6, line.text.find(' ', 6) - 6);
      EXPECT_EQ(line.text, "[log] " + count + " lines dropped: rate limit");
      dropped += std::stoull(count);
    }
  }
  EXPECT_EQ(passed.size() + dropped, static_cast<size_t>(kFlood));
  // Nothing of the dropped lines was kept: the sink saw the passed ones,
  // the notes and the narration only.
  EXPECT_LT(sink.lines().size(), 100u);
}

TEST(Logs, TheRateLimitCanBeTurnedOff) {
  CapturingSink sink;
  auto options = sinking(sink);
  options.log_limits.lines_per_second = 0;
  {
    RuntimeGuest guest(options);
    guestFloods(guest, 3000);
  }
  EXPECT_EQ(sink.from("guest.log").size(), 3000u);
}

TEST(Logs, TheFileSinkWritesItsFile) {
  TemporaryFolder folder;
  const auto path = folder.path / "guest.log";
  {
    FileSink sink(path.string());
    auto options = quiet();
    options.log_sink = &sink;
    RuntimeGuest guest(options);
    guestLogs(guest, 4, "written to the file");
    guestPrints(guest, "stdout too");
  }
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  EXPECT_NE(content.str().find("[info host] [Host Setup] Configuring WASI...\n"),
            std::string::npos);
  EXPECT_NE(content.str().find("[error guest.log] written to the file\n"), std::string::npos);
  EXPECT_NE(content.str().find("[info guest.stdout] stdout too\n"), std::string::npos);
}

TEST(Logs, AFileSinkThatCannotOpenItsFileNamesIt) {
  TemporaryFolder folder;
  const auto missing = (folder.path / "no-such-folder" / "guest.log").string();
  try {
    FileSink sink(missing);
    ADD_FAILURE() << "opened";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Io);
    EXPECT_EQ(std::string(error.what()),
              "cannot open log file '" + missing + "': No such file or directory");
  }
  try {
    FileSink sink(folder.path.string()); // a folder
    ADD_FAILURE() << "opened";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Io);
    EXPECT_EQ(std::string(error.what()).rfind("cannot open log file '" + folder.path.string(), 0),
              0u)
        << error.what();
  }
}

/// The message of the trap a raw `log` call with these arguments ends in.
std::string logTrap(RuntimeGuest &guest, int32_t level, uint32_t ptr, uint32_t len) {
  try {
    wasmhost::callOrThrow<std::tuple<>, std::tuple<int32_t, uint32_t, uint32_t>>(
        guest.host, "runtime_log", {level, ptr, len});
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Trap) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "the call did not trap";
  return "";
}

TEST(Logs, ABadLevelOrRangeTrapsNamingLog) {
  CapturingSink sink;
  RuntimeGuest guest(sinking(sink));
  auto text = GuestBuffer::copyOf(guest.host, "never logged");
  std::string message = logTrap(guest, 99, text.offset(), text.size());
  EXPECT_EQ(message.rfind("'runtime_log' trapped: host function failed: ", 0), 0u) << message;
  EXPECT_NE(message.find("host function 'log' threw: log: level 99 is not one of 0 (trace) to 4 "
                         "(error)"),
            std::string::npos)
      << message;
  message = logTrap(guest, -1, text.offset(), text.size());
  EXPECT_NE(message.find("log: level -1 is not one of 0 (trace) to 4 (error)"), std::string::npos)
      << message;
  message = logTrap(guest, 2, 0xFFFFFFF0u, 32);
  EXPECT_NE(message.find("host function 'log' threw: log: the message at offset 4294967280 of 32 "
                         "bytes is outside linear memory"),
            std::string::npos)
      << message;
  EXPECT_EQ(sink.from("guest.log"), Strings{});
}

TEST(Logs, TheLineSplitterSplitsHoldsAndCuts) {
  Strings lines;
  {
    LineSplitter splitter(8, [&lines](std::string_view line) { lines.emplace_back(line); });
    splitter.write("one\ntw");
    splitter.write("o\r\n\n");
    splitter.write("0123456789abc\nshort");
    EXPECT_EQ(lines, (Strings{"one", "two\r", "", "01234567\u2026 [cut: 5 bytes]"}));
  } // the unfinished line at the end
  EXPECT_EQ(lines.back(), "short");
  EXPECT_EQ(LineSplitter::cut("abcdef", 4), "abcd\u2026 [cut: 2 bytes]");
  EXPECT_EQ(LineSplitter::cut("abcd", 4), "abcd");
}

TEST(Logs, ALogStreamWritesLinesWithItsLevelAndSource) {
  CapturingSink sink;
  {
    wasmhost::runtime::LogStream stream(sink, LogLevel::Warn, "embedder", 8);
    stream << "first line\n" << 42 << " and" << std::endl << "0123456789abc\n";
    stream << "no line break";
    EXPECT_EQ(sink.from("embedder"), (Strings{"first li\u2026 [cut: 2 bytes]", "42 and",
                                              "01234567\u2026 [cut: 5 bytes]"}));
  } // the unfinished line when it is destroyed
  const auto lines = sink.lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines.back().text, "no line \u2026 [cut: 5 bytes]");
  EXPECT_TRUE(std::all_of(lines.begin(), lines.end(), [](const auto &line) {
    return line.level == LogLevel::Warn && line.source == "embedder";
  }));
  // The defaults: Info from "host", lines up to 64 KiB whole.
  CapturingSink default_sink;
  {
    wasmhost::runtime::LogStream stream(default_sink);
    stream << std::string(1000, 'x') << '\n';
  }
  ASSERT_EQ(default_sink.lines().size(), 1u);
  EXPECT_EQ(default_sink.lines()[0].level, LogLevel::Info);
  EXPECT_EQ(default_sink.from("host"), Strings{std::string(1000, 'x')});
}

TEST(Logs, LevelsHaveNamesAndNumbers) {
  EXPECT_EQ(wasmhost::runtime::logLevelName(LogLevel::Warn), "warn");
  EXPECT_EQ(wasmhost::runtime::logLevelFromInt(4), LogLevel::Error);
  EXPECT_EQ(wasmhost::runtime::logLevelFromInt(0), LogLevel::Trace);
  EXPECT_EQ(wasmhost::runtime::logLevelFromInt(5), std::nullopt);
  EXPECT_EQ(wasmhost::runtime::logLevelFromInt(-1), std::nullopt);
}

} // namespace
