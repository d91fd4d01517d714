/**
 * \file interrupt_guest.hh
 * Ctrl-C for `host`: a SIGINT that comes while a guest call runs cancels
 * that call (`CancelHandle::interrupt`: a trap of kind `cancelled`, exit
 * status 3); one that comes when no guest code runs ends `host` as SIGINT
 * always does.
 */
#ifndef WASMHOST_APP_INTERRUPT_GUEST_HH
#define WASMHOST_APP_INTERRUPT_GUEST_HH

#include <csignal>
#include <thread>

#include "wasmhost/cancel_handle.hh"

namespace wasmhost::app {

/// For as long as it lives, SIGINT cancels `cancel`'s call in flight. The
/// signal handler only writes a byte to a pipe; a thread of its own reads it
/// and calls `interrupt()` (which takes a lock, so it may not run in the
/// handler). Without a call in flight the previous SIGINT action is put
/// back and the signal raised again. One at a time in a process; the
/// previous action is put back when it is destroyed. A SIGINT ignored when
/// it is made (a script's background job) stays ignored. `--watch` replaces it
/// with its own handling for the time it waits.
class GuestInterrupter {
public:
  explicit GuestInterrupter(CancelHandle cancel);
  ~GuestInterrupter();
  GuestInterrupter(const GuestInterrupter &) = delete;
  GuestInterrupter &operator=(const GuestInterrupter &) = delete;

private:
  void serve();

  CancelHandle cancel_;
  int read_end_ = -1;
  int write_end_ = -1;
  struct sigaction previous_ {};
  bool installed_ = false; ///< false when SIGINT was ignored: it stays so
  std::thread thread_;
};

} // namespace wasmhost::app

#endif // WASMHOST_APP_INTERRUPT_GUEST_HH
