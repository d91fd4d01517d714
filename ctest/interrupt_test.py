#!/usr/bin/env python3
"""Ctrl-C during a guest call, run by CTest (label cancel).

Starts `host ... --call EXPORT ARGS` (narration on), waits for the line that
says the call starts, sends SIGINT a moment later, and expects host to end
within 10 s with exit status 3 and one `host: error:` line saying the call
was cancelled. With --expect-killed (a run without epoch interruption,
`--timeout-ms 0`, where nothing can be cancelled) it expects SIGINT to end
host as it ends any process. Every wait is bounded: a host that hangs is
killed. With --sigint-ignored host starts with SIGINT ignored, as a script's
background job does, and the call must end at its own time limit instead.

  python3 interrupt_test.py --host HOST [--expect-killed | --sigint-ignored] -- MODULE --call EXPORT ARG...
"""

import argparse
import queue
import signal
import subprocess
import sys
import threading
import time

START_TIMEOUT_S = 60  # compiling the module first; a bound, not a speed test
END_TIMEOUT_S = 10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument(
        "--sigint-ignored",
        action="store_true",
        help="start host with SIGINT ignored (a script's background job): it must stay "
        "ignored, so the call ends at its time limit, not cancelled",
    )
    parser.add_argument(
        "--expect-killed",
        action="store_true",
        help="expect SIGINT to end host itself (no call can be cancelled)",
    )
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    rest = [a for a in args.rest if a != "--"]
    command = [args.host] + ([] if "--timeout-ms" in rest else ["--timeout-ms", "600000"]) + rest
    # SIGINT as a terminal's foreground job has it (default), whatever this
    # test inherited (a script's background job inherits it ignored), or
    # ignored for --sigint-ignored.
    disposition = signal.SIG_IGN if args.sigint_ignored else signal.SIG_DFL
    host = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, disposition),
    )
    # A thread reads stdout so that every wait here has a deadline.
    lines = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(l) for l in host.stdout] + [lines.put(None)])
    reader.daemon = True
    reader.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    started = False
    seen = []
    while not started:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line.rstrip("\n"))
        started = "[Host Main] Calling" in line
    if not started:
        host.kill()
        sys.exit(f"FAIL: no '[Host Main] Calling' line; stdout so far: {seen}")
    time.sleep(0.5)  # into the guest
    sent = time.monotonic()
    host.send_signal(signal.SIGINT)
    try:
        host.wait(timeout=END_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        host.kill()
        sys.exit(f"FAIL: host did not end within {END_TIMEOUT_S} s of SIGINT")
    stderr = host.stderr.read()
    took = time.monotonic() - sent
    errors = [l for l in stderr.splitlines() if l.startswith("host: error:")]
    print(f"exit status {host.returncode} after {took:.2f} s; stderr: {stderr!r}")
    if args.expect_killed:
        if host.returncode != -signal.SIGINT:
            sys.exit(f"FAIL: exit status {host.returncode}, not killed by SIGINT")
        print("PASS")
        return
    if args.sigint_ignored:
        if host.returncode != 3 or len(errors) != 1 or "cancelled" in errors[0]:
            sys.exit(f"FAIL: not one error line of the time limit (exit 3, not cancelled): {errors}")
        if took < 0.5:
            sys.exit(f"FAIL: host ended {took:.2f} s after the ignored SIGINT, before its time limit")
        print("PASS")
        return
    if host.returncode != 3:
        sys.exit(f"FAIL: exit status {host.returncode}, not 3")
    if len(errors) != 1 or "cancelled" not in errors[0]:
        sys.exit(f"FAIL: not one 'host: error:' line saying 'cancelled': {errors}")
    print("PASS")


if __name__ == "__main__":
    main()
