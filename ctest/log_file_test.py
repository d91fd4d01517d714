#!/usr/bin/env python3
"""`host --log-file FILE`, run by CTest (label logs).

Runs host with --log-file into a fresh folder and checks, from real runs:
stdout keeps only the verdicts (or --call's result), the file gets the
narration and the guest's stdout and stderr as `[level source] line` lines in
the order they happened, a second run appends, --quiet keeps the narration
out of the file, and a component's guest output goes there too.

  python3 log_file_test.py --host HOST --guest guest.wasm
      --hostile guest-hostile.wasm --component guest-component.wasm
"""

import argparse
import os
import subprocess
import sys
import tempfile

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(command):
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    print(f"$ {' '.join(command)}\n  exit {done.returncode}")
    return done


def lines_of(path):
    with open(path, encoding="utf-8") as log:
        return log.read().splitlines()


def in_order(lines, expected, what):
    """Whether `expected` occur in `lines` in that order (not necessarily adjacent)."""
    at = 0
    for want in expected:
        try:
            at = lines.index(want, at) + 1
        except ValueError:
            failures.append(f"{what}: missing, or out of order: {want!r}")
            return


def main():
    parser = argparse.ArgumentParser()
    for name in ("--host", "--guest", "--hostile", "--component"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="host-log-file-") as folder:
        run_checks(args, folder)
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        sys.exit(1)
    print("PASS")


def run_checks(args, folder):
    log = os.path.join(folder, "host.log")

    # 1. The narration and the guest's output go to the file; stdout keeps the verdicts.
    done = run([args.host, "--log-file", log, "--scenario", "host-calls", args.guest])
    check(done.returncode == 0, f"core run: exit {done.returncode}, stderr {done.stderr!r}")
    check(
        done.stdout == "[Host Main] Scenario host-calls: PASSED\n1 passed, 0 failed\n",
        f"core run: stdout is not the verdicts alone: {done.stdout!r}",
    )
    check(done.stderr == "", f"core run: stderr {done.stderr!r}")
    first = lines_of(log)
    in_order(
        first,
        [
            "[info host] [Host Setup] Compiling WASM module...",
            "[info host] --- Scenario host-calls ---",
            "[info host] [Host Main] Calling Wasm function 'trigger_host_calls(7)'...",
            "[info guest.stdout] [WASM Core] perform_host_calls_test with input: 7",
            "[info host] [Host Target] host_log_value called by WASM with value: 14",
            "[info host] [Host Target] host_set_shared_value called by WASM. "
            "Old host value: 42, New host value: 54",
        ],
        "core run's log",
    )
    check(all(line.startswith("[") for line in first), "core run's log: a line without [level source]")

    # 2. A second run appends.
    done = run([args.host, "--log-file", log, "--scenario", "add", args.guest])
    check(done.returncode == 0, f"second run: exit {done.returncode}")
    second = lines_of(log)
    check(second[: len(first)] == first, "second run: the first run's lines are not kept")
    check(
        second.count("[info host] [Host Setup] Compiling WASM module...") == 2,
        "second run: not appended (one 'Compiling' line, or more than two)",
    )

    # 3. --quiet: no narration in the file, the guest's output still in it.
    quiet_log = os.path.join(folder, "quiet.log")
    done = run([args.host, "--quiet", "--log-file", quiet_log, "--scenario", "host-calls", args.guest])
    check(done.returncode == 0, f"quiet run: exit {done.returncode}")
    quiet = lines_of(quiet_log)
    check(not any(line.startswith("[info host]") for line in quiet), f"quiet run: narration in the log: {quiet}")
    check(
        "[info guest.stdout] [WASM Core] perform_host_calls_test with input: 7" in quiet,
        f"quiet run: the guest's stdout is not in the log: {quiet}",
    )

    # 4. The guest's stderr (a panic) goes to the file; the error line stays on stderr.
    panic_log = os.path.join(folder, "panic.log")
    done = run([args.host, "--log-file", panic_log, args.hostile, "--call", "hostile_panic"])
    check(done.returncode == 3, f"panic run: exit {done.returncode}, not 3")
    errors = done.stderr.splitlines()
    check(
        len(errors) == 1 and errors[0].startswith("host: error: 'hostile_panic' trapped"),
        f"panic run: stderr is not one error line: {done.stderr!r}",
    )
    panic = lines_of(panic_log)
    check(
        any(line.startswith("[warn guest.stderr] ") and "panicked" in line for line in panic),
        f"panic run: the guest's panic message is not in the log: {panic}",
    )

    # 5. A component: its guest's stdout goes to the file too.
    component_log = os.path.join(folder, "component.log")
    done = run([args.host, "--log-file", component_log, args.component, "--call", "just-add", "15", "27"])
    check(done.returncode == 0, f"component run: exit {done.returncode}, stderr {done.stderr!r}")
    check(done.stdout == "42\n", f"component run: stdout {done.stdout!r}, not the result alone")
    in_order(
        lines_of(component_log),
        [
            "[info host] [Host Main] Calling component function 'just-add'...",
            "[info guest.stdout] [WASM Core] perform_basic_add: 15 + 27",
        ],
        "component run's log",
    )


if __name__ == "__main__":
    main()
