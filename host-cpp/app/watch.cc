#include "watch.hh"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "scenarios.hh"

namespace wasmhost::app {
namespace {

/// The longest single wait when no change is pending: a bound, not a pace
/// (a signal wakes the wait at once through the pipe).
constexpr int kIdlePollMs = 1000;

std::string systemError(const std::string &what) { return what + ": " + std::strerror(errno); }

/// A file descriptor, closed when it goes.
class FileDescriptor {
public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;
  [[nodiscard]] int get() const { return fd_; }

private:
  int fd_;
};

/// The write end of the stop pipe and the signal that came, for the handler
/// (which may run on any thread: atomics that need no lock are safe in it).
std::atomic<int> stop_pipe_write{-1};
std::atomic<int> stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void onStopSignal(int signal) {
  const int saved_errno = errno;
  stop_signal.store(signal);
  const int pipe_write = stop_pipe_write.load();
  if (pipe_write >= 0) {
    const char byte = 1;
    // Nonblocking: a full pipe already wakes the wait.
    [[maybe_unused]] const ssize_t written = ::write(pipe_write, &byte, 1);
  }
  errno = saved_errno;
}

/// SIGINT and SIGTERM, caught for as long as it lives (the previous actions
/// are put back after): the handler records the signal and writes a byte to
/// a pipe that the waits poll (the self-pipe trick: a signal that comes just
/// before a wait is not missed). One at a time in a process.
class StopSignals {
public:
  StopSignals() {
    std::array<int, 2> ends{};
    if (::pipe2(ends.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
      throw Error(ErrorKind::Io, systemError("--watch: cannot make the signal pipe"));
    }
    read_end_ = std::make_unique<FileDescriptor>(ends[0]);
    write_end_ = std::make_unique<FileDescriptor>(ends[1]);
    stop_signal.store(0);
    stop_pipe_write.store(write_end_->get());
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART; // a run's reads and writes carry on
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    stop_pipe_write.store(-1);
  }
  StopSignals(const StopSignals &) = delete;
  StopSignals &operator=(const StopSignals &) = delete;

  [[nodiscard]] int fd() const { return read_end_->get(); }
  /// The signal that asked to stop, 0 for none yet.
  [[nodiscard]] int signal() const { return stop_signal.load(); }

private:
  std::unique_ptr<FileDescriptor> read_end_;
  std::unique_ptr<FileDescriptor> write_end_;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

/// inotify on the module file's folder, for the events that leave a new
/// file under its name: written and closed in place (`IN_CLOSE_WRITE`) or
/// renamed there (`IN_MOVED_TO`, how editors and cargo replace files). The
/// folder, not the file: a watch on the file would follow the old inode
/// away after a rename.
class ModuleWatch {
public:
  explicit ModuleWatch(const std::string &module_path)
      : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)),
        name_(std::filesystem::path(module_path).filename().string()) {
    if (fd_.get() < 0) {
      throw Error(ErrorKind::Io, systemError("--watch: cannot start inotify"));
    }
    std::filesystem::path folder = std::filesystem::path(module_path).parent_path();
    folder_ = folder.empty() ? "." : folder.string();
    if (::inotify_add_watch(fd_.get(), folder_.c_str(),
                            IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
      throw Error(ErrorKind::Io, systemError("--watch: cannot watch the folder '" + folder_ + "'"));
    }
  }

  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] const std::string &name() const { return name_; }

  /// Reads every pending event; true when one of them is a new file under
  /// the module's name (or the queue overflowed: there may have been one).
  /// Throws `Error` (`Io`) when the folder itself is gone or moved.
  bool readChanges() {
    bool changed = false;
    alignas(inotify_event) std::array<char, 16 * 1024> buffer{};
    while (true) {
      const ssize_t size = ::read(fd_.get(), buffer.data(), buffer.size());
      if (size < 0) {
        if (errno == EINTR) {
          continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          return changed;
        }
        throw Error(ErrorKind::Io, systemError("--watch: cannot read inotify events"));
      }
      if (size == 0) {
        return changed;
      }
      for (ssize_t at = 0; at < size;) {
        inotify_event event{};
        std::memcpy(&event, buffer.data() + at, sizeof(event));
        const char *event_name = buffer.data() + at + sizeof(inotify_event);
        if ((event.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) != 0) {
          throw Error(ErrorKind::Io, "--watch: the folder '" + folder_ + "' was removed or moved");
        }
        if ((event.mask & IN_Q_OVERFLOW) != 0) {
          changed = true;
        } else if (event.len > 0 && (event.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0 &&
                   name_ == event_name) { // the name is NUL-padded
          changed = true;
        }
        at += static_cast<ssize_t>(sizeof(inotify_event) + event.len);
      }
    }
  }

private:
  FileDescriptor fd_;
  std::string name_;
  std::string folder_;
};

enum class Wake { Changed, Stopped };

/// Waits for a change of the module file followed by `quiet` without
/// another one, or for a stop signal.
Wake waitForChange(ModuleWatch &watch, const StopSignals &signals,
                   std::chrono::milliseconds quiet) {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> settle_at; // set once a change is pending
  while (true) {
    if (signals.signal() != 0) {
      return Wake::Stopped;
    }
    int timeout_ms = kIdlePollMs;
    if (settle_at) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*settle_at - Clock::now());
      if (left.count() <= 0) {
        return Wake::Changed;
      }
      timeout_ms = static_cast<int>(std::min<int64_t>(left.count() + 1, kIdlePollMs));
    }
    std::array<pollfd, 2> fds{{{watch.fd(), POLLIN, 0}, {signals.fd(), POLLIN, 0}}};
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) {
      throw Error(ErrorKind::Io, systemError("--watch: cannot wait for changes"));
    }
    if (ready > 0 && (fds[0].revents & POLLIN) != 0 && watch.readChanges()) {
      settle_at = Clock::now() + quiet; // each new change starts the quiet period again
    }
  }
}

const char *signalName(int signal) { return signal == SIGTERM ? "SIGTERM" : "SIGINT"; }

} // namespace

int runWatch(const WatchOptions &options, WasmHost &host, const std::function<int()> &run_once,
             std::ostream *narration, std::ostream &out, std::ostream &errors) {
  // Both before the first run: a change or a signal during it is not missed.
  const StopSignals signals;
  ModuleWatch watch(options.module_path);
  int status = run_once();
  out.flush();
  uint64_t runs = 1;
  while (!options.max_runs || runs < *options.max_runs) {
    if (signals.signal() != 0) {
      break;
    }
    if (narration != nullptr) {
      *narration << "[Host Main] Watching '" << options.module_path
                 << "' for changes (Ctrl-C ends the watch)..." << std::endl;
    }
    if (waitForChange(watch, signals, options.quiet_period) == Wake::Stopped) {
      break;
    }
    try {
      host.reload(options.module_path);
    } catch (const std::exception &error) { // the old module stays: wait for the next change
      out.flush();
      errors << "host: error: " << oneLine(error.what()) << std::endl;
      continue;
    }
    ++runs;
    out << "--- Reload " << runs << ": " << watch.name() << " changed ---" << std::endl;
    status = run_once();
    out.flush();
  }
  if (signals.signal() != 0 && narration != nullptr) {
    *narration << "[Host Main] " << signalName(signals.signal()) << ": the watch ends after "
               << runs << " run(s)." << std::endl;
  }
  return status;
}

} // namespace wasmhost::app
