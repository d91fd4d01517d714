#include "wasmhost/runtime/log.hh"

#include <cerrno>
#include <iostream>
#include <system_error>
#include <utility>

#include "wasmhost/errors.hh"

namespace wasmhost::runtime {
namespace {

void writeFormatted(std::ostream &out, LogLevel level, std::string_view source,
                    std::string_view line) {
  out << '[' << logLevelName(level) << ' ' << source << "] " << line << '\n';
}

} // namespace

std::string_view logLevelName(LogLevel level) {
  switch (level) {
  case LogLevel::Trace:
    return "trace";
  case LogLevel::Debug:
    return "debug";
  case LogLevel::Info:
    return "info";
  case LogLevel::Warn:
    return "warn";
  case LogLevel::Error:
    return "error";
  }
  return "unknown";
}

std::optional<LogLevel> logLevelFromInt(int64_t value) {
  if (value < static_cast<int64_t>(LogLevel::Trace) ||
      value > static_cast<int64_t>(LogLevel::Error)) {
    return std::nullopt;
  }
  return static_cast<LogLevel>(value);
}

void StderrSink::write(LogLevel level, std::string_view source, std::string_view line) {
  const std::lock_guard lock(mutex_);
  writeFormatted(std::cerr, level, source, line);
  std::cerr.flush();
}

FileSink::FileSink(std::string path) : path_(std::move(path)) {
  file_.open(path_, std::ios::out | std::ios::app | std::ios::binary);
  if (!file_) {
    throw Error(ErrorKind::Io,
                "cannot open log file '" + path_ + "': " + std::generic_category().message(errno));
  }
}

void FileSink::write(LogLevel level, std::string_view source, std::string_view line) {
  const std::lock_guard lock(mutex_);
  writeFormatted(file_, level, source, line);
  file_.flush();
}

LineSplitter::LineSplitter(size_t max_line_bytes, Emit emit)
    : max_line_bytes_(max_line_bytes > 0 ? max_line_bytes : 1), emit_(std::move(emit)) {}

LineSplitter::~LineSplitter() {
  try {
    finish();
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor cannot report it
  }
}

void LineSplitter::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t end = bytes.find('\n');
    const std::string_view part = bytes.substr(0, end);
    const size_t room = max_line_bytes_ - line_.size();
    line_.append(part.substr(0, room));
    cut_bytes_ += part.size() > room ? part.size() - room : 0;
    if (end == std::string_view::npos) {
      return;
    }
    if (cut_bytes_ > 0) {
      line_ += cutMark(cut_bytes_);
    }
    emit_(line_);
    line_.clear();
    cut_bytes_ = 0;
    bytes.remove_prefix(end + 1);
  }
}

void LineSplitter::finish() {
  if (line_.empty() && cut_bytes_ == 0) {
    return;
  }
  write("\n");
}

std::string LineSplitter::cut(std::string_view line, size_t max_line_bytes) {
  if (line.size() <= max_line_bytes) {
    return std::string(line);
  }
  return std::string(line.substr(0, max_line_bytes)) + cutMark(line.size() - max_line_bytes);
}

std::string LineSplitter::cutMark(uint64_t cut_bytes) {
  return "\u2026 [cut: " + std::to_string(cut_bytes) + " bytes]";
}

LogStream::Buffer::Buffer(LogSink &sink, LogLevel level, std::string source_name,
                          size_t max_line_bytes)
    : source(std::move(source_name)),
      splitter(max_line_bytes,
               [&sink, level, this](std::string_view line) { sink.write(level, source, line); }) {}

int LogStream::Buffer::overflow(int c) {
  if (c != traits_type::eof()) {
    const char byte = static_cast<char>(c);
    splitter.write({&byte, 1});
  }
  return traits_type::not_eof(c);
}

std::streamsize LogStream::Buffer::xsputn(const char *bytes, std::streamsize count) {
  splitter.write({bytes, static_cast<size_t>(count)});
  return count;
}

LogStream::LogStream(LogSink &sink, LogLevel level, std::string source, size_t max_line_bytes)
    : std::ostream(nullptr), buffer_(sink, level, std::move(source), max_line_bytes) {
  rdbuf(&buffer_);
}

LogStream::~LogStream() { buffer_.splitter.finish(); }

} // namespace wasmhost::runtime
