#include "interrupt_guest.hh"

#include <array>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <unistd.h>

namespace wasmhost::app {
namespace {

/// The pipe's write end for the handler; -1 when no interrupter lives.
std::atomic<int> interrupt_pipe{-1};

/// What a byte on the pipe means.
constexpr char kSignal = 's';
constexpr char kStop = 'q';

extern "C" void onInterrupt(int) {
  const int saved_errno = errno;
  const int pipe_write = interrupt_pipe.load();
  if (pipe_write >= 0) {
    const char byte = kSignal;
    [[maybe_unused]] const ssize_t written = ::write(pipe_write, &byte, 1);
  }
  errno = saved_errno;
}

} // namespace

GuestInterrupter::GuestInterrupter(CancelHandle cancel) : cancel_(std::move(cancel)) {
  std::array<int, 2> ends{};
  if (::pipe2(ends.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error("cannot make the pipe for Ctrl-C");
  }
  read_end_ = ends[0];
  write_end_ = ends[1];
  ::fcntl(write_end_, F_SETFL, O_NONBLOCK); // a full pipe already wakes the thread
  interrupt_pipe.store(write_end_);
  thread_ = std::thread([this] { serve(); });
  // A SIGINT ignored when host started (a background job of a script) stays
  // ignored, as the shell meant.
  ::sigaction(SIGINT, nullptr, &previous_);
  installed_ = previous_.sa_handler != SIG_IGN;
  if (installed_) {
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
  }
}

GuestInterrupter::~GuestInterrupter() {
  if (installed_) {
    ::sigaction(SIGINT, &previous_, nullptr);
  }
  interrupt_pipe.store(-1);
  const char byte = kStop;
  while (::write(write_end_, &byte, 1) < 0 && errno == EINTR) {
  }
  thread_.join();
  ::close(read_end_);
  ::close(write_end_);
}

void GuestInterrupter::serve() {
  for (;;) {
    char byte = 0;
    const ssize_t got = ::read(read_end_, &byte, 1);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0 || byte == kStop) {
      return;
    }
    if (!cancel_.interrupt()) {
      // No guest code runs: Ctrl-C ends host, as it does without us.
      ::sigaction(SIGINT, &previous_, nullptr);
      ::kill(::getpid(), SIGINT);
    }
  }
}

} // namespace wasmhost::app
