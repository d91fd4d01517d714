/**
 * \file wasmhost/runtime/log.hh
 * Where the host's and the guest's lines go: a `LogSink` (this process's
 * stderr, a file, or the embedder's own), with the bounds that keep a guest
 * from flooding it (`LogLimits`), and the line splitter that turns a byte
 * stream (the guest's WASI stdout and stderr, the narration) into lines.
 */
#ifndef WASMHOST_RUNTIME_LOG_HH
#define WASMHOST_RUNTIME_LOG_HH

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace wasmhost::runtime {

/// How much a line matters. The guest's `wasmhost::log(level, ptr, len)`
/// passes it as an `i32`: 0 `Trace` to 4 `Error`.
enum class LogLevel { Trace, Debug, Info, Warn, Error };

/// "trace", "debug", "info", "warn", "error".
std::string_view logLevelName(LogLevel level);
/// The level whose number (`static_cast<int>(level)`) is `value`; none for
/// any other number.
std::optional<LogLevel> logLevelFromInt(int64_t value);

/// Receives whole lines, without their line break. `source` says whose line
/// it is: "host" (the narration, and the library's own notes), "guest.stdout"
/// and "guest.stderr" (the guest's WASI output, split into lines),
/// "guest.log" (the guest's `wasmhost::log` calls).
/// Thread-safety: the instances of one plugin may run on several threads and
/// share a sink, so `write` may be called from several threads at once; a
/// sink must be thread-safe (`StderrSink` and `FileSink` are).
class LogSink {
public:
  LogSink() = default;
  LogSink(const LogSink &) = delete;
  LogSink &operator=(const LogSink &) = delete;
  virtual ~LogSink() = default;
  /// One line. Must not throw (a line that cannot be written is lost).
  virtual void write(LogLevel level, std::string_view source, std::string_view line) = 0;
};

/// Writes `[<level> <source>] <line>` to this process's stderr, one line
/// at a time (lines of several threads never interleave).
class StderrSink : public LogSink {
public:
  void write(LogLevel level, std::string_view source, std::string_view line) override;

private:
  std::mutex mutex_;
};

/// Writes `[<level> <source>] <line>` to a file, appended, flushed after
/// every line.
class FileSink : public LogSink {
public:
  /// Opens (creates or appends to) `path`. Throws `Error` (`Io`) naming the
  /// file when it cannot be opened for writing.
  explicit FileSink(std::string path);
  void write(LogLevel level, std::string_view source, std::string_view line) override;
  [[nodiscard]] const std::string &path() const { return path_; }

private:
  std::string path_;
  std::mutex mutex_;
  std::ofstream file_;
};

/// What a guest may send to a sink, per instance (`WasmHostOptions::log_limits`).
struct LogLimits {
  /// Longest line, in bytes: a longer one is cut there and marked with
  /// `… [cut: N bytes]`, N the bytes cut off. Holding a partial line costs at
  /// most this much memory per stream. At least 1.
  size_t max_line_bytes = size_t{64} << 10;
  /// The guest's lines (stdout, stderr and `log` calls together) pass
  /// through a token bucket of `burst_lines` tokens refilled at
  /// `lines_per_second`: a line without a token is dropped, and one note
  /// `[log] N lines dropped: rate limit` (level `Warn`, source "host") says
  /// how many, before the next line that passes or when the instance ends.
  /// 0: no rate limit.
  uint32_t lines_per_second = 1000;
  uint32_t burst_lines = 1000;
};

/// Splits a byte stream into lines (at `\n`; a `\r` before it is kept) and
/// gives each to `emit`, cut at `max_line_bytes` with the mark `… [cut: N
/// bytes]`. Holds at most `max_line_bytes` of the current line.
/// Thread-safety: one thread at a time.
class LineSplitter {
public:
  using Emit = std::function<void(std::string_view line)>;
  LineSplitter(size_t max_line_bytes, Emit emit);
  LineSplitter(const LineSplitter &) = delete;
  LineSplitter &operator=(const LineSplitter &) = delete;
  /// Gives what is held of an unfinished line, as a line.
  ~LineSplitter();

  void write(std::string_view bytes);
  /// Emits an unfinished line now (nothing when there is none).
  void finish();

  /// `line` cut to `max_line_bytes` and marked, when longer; as is, if not.
  static std::string cut(std::string_view line, size_t max_line_bytes);
  /// The mark after a line cut by `cut_bytes`: `… [cut: N bytes]`.
  static std::string cutMark(uint64_t cut_bytes);

private:
  size_t max_line_bytes_;
  Emit emit_;
  std::string line_;
  uint64_t cut_bytes_ = 0; ///< of the current line, past `max_line_bytes_`
};

/// A `std::ostream` whose lines go to `sink` at `level` from `source`, cut at
/// `max_line_bytes` (for narration of the embedder's own, or any text that
/// belongs in the log). An unfinished last line is written when it is
/// destroyed. The sink must outlive it. Thread-safety: one thread at a time.
class LogStream : public std::ostream {
public:
  explicit LogStream(LogSink &sink, LogLevel level = LogLevel::Info, std::string source = "host",
                     size_t max_line_bytes = LogLimits{}.max_line_bytes);
  ~LogStream() override;
  LogStream(const LogStream &) = delete;
  LogStream &operator=(const LogStream &) = delete;

private:
  class Buffer : public std::streambuf {
  public:
    Buffer(LogSink &sink, LogLevel level, std::string source, size_t max_line_bytes);
    std::string source;
    LineSplitter splitter;

  protected:
    int overflow(int c) override;
    std::streamsize xsputn(const char *bytes, std::streamsize count) override;
  };
  Buffer buffer_;
};

} // namespace wasmhost::runtime

#endif // WASMHOST_RUNTIME_LOG_HH
