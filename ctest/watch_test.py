#!/usr/bin/env python3
"""CLI tests of `host --watch` (live reload), run by CTest.

Starts `host --watch ... --scenario host-calls COPY` on a copy of guest.wasm
in a fresh folder, reads its output as it comes, replaces the copy (a new
file renamed over it, or rewritten in place) once a run has ended, and checks
the runs' host values, the reload lines, the error lines and the exit status.
Every wait is bounded: a host that hangs is killed and the test fails.

Modes:
  runs     --watch-runs 3, replaced twice by rename: host values 54, 66, 78
           (the host state carries on), two reload lines, exit status 0.
  broken   --watch-runs 2: replaced by garbage (one `host: error:` line, the
           watch goes on), then rewritten in place with the guest: the next
           run passes with 66, exit status 0.
  sigint   --watch without a limit: SIGINT after the first run ends the watch
           within 10 s with that run's status (0).
  sigterm-status
           --watch --fuel 1000 (too little for host-calls: the run traps,
           status 3): SIGTERM after the first run ends the watch with 3.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

RUN_TIMEOUT_S = 60  # a bound against a runaway, not a speed test
CLOSING_LINE = re.compile(r"^\d+ passed, \d+ failed$")
HOST_VALUE = re.compile(r"^\[Host Main\] Host value after call: (-?\d+)$")


class Output:
    """The lines of one stream, read on a thread as they come."""

    def __init__(self, stream):
        self.lines = []
        self._cond = threading.Condition()
        self._done = False
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for raw in stream:
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._done = True
            self._cond.notify_all()

    def wait_count(self, pattern, count, what):
        """Waits until `count` lines match `pattern`; fails after the bound."""
        deadline = time.monotonic() + RUN_TIMEOUT_S
        with self._cond:
            while sum(1 for line in self.lines if pattern.search(line)) < count:
                left = deadline - time.monotonic()
                if left <= 0 or self._done:
                    fail(f"waited for {what} ({count} line(s) matching {pattern.pattern!r})")
                self._cond.wait(min(left, 1.0))

    def join(self):
        self._thread.join(RUN_TIMEOUT_S)

    def text(self):
        with self._cond:
            return "\n".join(self.lines)


PROCESS = None
OUT = None
ERR = None


def fail(message):
    if PROCESS is not None and PROCESS.poll() is None:
        PROCESS.kill()
    print(f"FAIL: {message}", file=sys.stderr)
    if OUT is not None:
        print("--- stdout ---\n" + OUT.text(), file=sys.stderr)
    if ERR is not None:
        print("--- stderr ---\n" + ERR.text(), file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def replace_by_rename(source, target):
    """A new file under another name, renamed over `target` (IN_MOVED_TO)."""
    staging = target + ".new"
    shutil.copyfile(source, staging)
    os.replace(staging, target)


def write_garbage(target):
    staging = target + ".new"
    with open(staging, "wb") as file:
        file.write(b"this is not wasm\n")
    os.replace(staging, target)


def wait_exit(seconds):
    try:
        return PROCESS.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        fail(f"host did not end within {seconds} s")
    return None


def host_values():
    return [int(m.group(1)) for m in (HOST_VALUE.match(line) for line in OUT.lines) if m]


def main():
    global PROCESS, OUT, ERR
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--guest", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("mode", choices=["runs", "broken", "sigint", "sigterm-status"])
    args = parser.parse_args()

    shutil.rmtree(args.work_dir, ignore_errors=True)
    os.makedirs(args.work_dir)
    module = os.path.join(args.work_dir, "guest.wasm")
    shutil.copyfile(args.guest, module)

    command = [args.host, "--watch"]
    if args.mode == "runs":
        command += ["--watch-runs", "3"]
    elif args.mode == "broken":
        command += ["--watch-runs=2"]
    elif args.mode == "sigterm-status":
        command += ["--fuel", "1000"]
    command += ["--scenario", "host-calls", module]
    PROCESS = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    OUT = Output(PROCESS.stdout)
    ERR = Output(PROCESS.stderr)

    OUT.wait_count(CLOSING_LINE, 1, "the first run's closing line")
    if args.mode == "runs":
        replace_by_rename(args.guest, module)
        OUT.wait_count(CLOSING_LINE, 2, "the second run's closing line")
        replace_by_rename(args.guest, module)
        status = wait_exit(RUN_TIMEOUT_S)
        OUT.join()
        ERR.join()
        check(status == 0, f"exit status {status}, not 0")
        check(host_values() == [54, 66, 78], f"host values {host_values()}, not [54, 66, 78]")
        reloads = [line for line in OUT.lines if line.startswith("--- Reload")]
        check(
            reloads == ["--- Reload 2: guest.wasm changed ---", "--- Reload 3: guest.wasm changed ---"],
            f"reload lines {reloads}",
        )
        check(
            [line for line in OUT.lines if CLOSING_LINE.match(line)] == ["1 passed, 0 failed"] * 3,
            "three passing runs",
        )
        check(ERR.lines == [], "nothing on stderr")
    elif args.mode == "broken":
        write_garbage(module)
        error = re.compile(
            r"^host: error: Module compilation failed: '" + re.escape(module) + "'"
        )
        ERR.wait_count(error, 1, "the compile error of the garbage")
        check(PROCESS.poll() is None, "host ended on a compile error")
        shutil.copyfile(args.guest, module)  # in place: IN_CLOSE_WRITE
        status = wait_exit(RUN_TIMEOUT_S)
        OUT.join()
        ERR.join()
        check(status == 0, f"exit status {status}, not 0")
        check(len(ERR.lines) == 1, f"one error line, not {len(ERR.lines)}")
        check(host_values() == [54, 66], f"host values {host_values()}, not [54, 66]")
        check(
            [line for line in OUT.lines if line.startswith("--- Reload")]
            == ["--- Reload 2: guest.wasm changed ---"],
            "one reload line, numbered 2",
        )
    else:
        OUT.wait_count(re.compile(r"^\[Host Main\] Watching '"), 1, "the watch's waiting line")
        sent = signal.SIGINT if args.mode == "sigint" else signal.SIGTERM
        PROCESS.send_signal(sent)
        status = wait_exit(10)
        OUT.join()
        ERR.join()
        name = "SIGINT" if args.mode == "sigint" else "SIGTERM"
        check(
            f"[Host Main] {name}: the watch ends after 1 run(s)." in OUT.lines,
            "the closing narration line",
        )
        if args.mode == "sigint":
            check(status == 0, f"exit status {status}, not 0 (the first run's)")
            check(host_values() == [54], f"host values {host_values()}")
            check(ERR.lines == [], "nothing on stderr")
        else:
            check(status == 3, f"exit status {status}, not 3 (the first run's trap)")
    print(f"watch test '{args.mode}' passed")


if __name__ == "__main__":
    main()
