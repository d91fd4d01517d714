# gdb, in batch mode, stops in the Rust guest's core function
# (guest::core::bench::collatz_total_steps of guest-debug.wasm) while `host
# --debug` runs it: once by the function's name (with its argument), once by
# its file:line, and prints that line of the Rust source.
# Usage: cmake -DGDB=<gdb> -DHOST=<host> -DGUEST_DEBUG_WASM=<guest-debug.wasm>
#   -DKERNEL_LINE=<line of `total += 1;` in core/bench.rs>
#   -DKERNEL_CALL_LINE=<line of the call in ffi/bench.rs> -P gdb_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(GDB HOST GUEST_DEBUG_WASM KERNEL_LINE KERNEL_CALL_LINE)
if(NOT GDB OR NOT EXISTS "${GDB}")
  message(FATAL_ERROR "gdb not found: install it (apt-get install gdb; scripts/test.sh does it)")
endif()

set(gdb_commands
  -iex "set debuginfod enabled off"
  -ex "set pagination off"
  -ex "set breakpoint pending on"
  # Wasmtime turns wasm faults into traps with its own signal handlers.
  -ex "handle SIGSEGV SIGBUS SIGILL SIGFPE nostop noprint pass"
  -ex "break guest::core::bench::collatz_total_steps"
  -ex "break core/bench.rs:${KERNEL_LINE}"
  -ex "run"
  -ex "bt 2"
  -ex "continue"
  -ex "bt 1"
  # Killed, not run to its end: under ASan, LeakSanitizer cannot work under
  # ptrace and would fail the exit (the rest of ASan works under gdb).
  -ex "kill")
execute_process(
  COMMAND "${GDB}" -batch -nx ${gdb_commands}
          --args "${HOST}" --debug --quiet "${GUEST_DEBUG_WASM}" --call bench_compute 10
  RESULT_VARIABLE status
  OUTPUT_VARIABLE output
  ERROR_VARIABLE errors
  TIMEOUT 240)
# gdb's warnings about the JIT image's sections are noise here.
string(REGEX REPLACE "warning: Loadable section \"[^\"]*\" outside of ELF segments\n  in <in-memory@0x[0-9a-f]+>\n"
  "" errors "${errors}")
message("---- gdb exit status: ${status}")
message("---- stdout:\n${output}")
message("---- stderr:\n${errors}")

set(expected
  # The breakpoint by name, with the argument host passed (--call bench_compute 10).
  "Breakpoint 1, guest::core::bench::collatz_total_steps \\(limit=10\\) at "
  # Its caller, the ffi export, at the Rust line of the call.
  "\n#1 +0x[0-9a-f]+ in guest::ffi::bench::bench_compute \\([^)]*\\) at src/ffi/bench.rs:${KERNEL_CALL_LINE}\n"
  # The breakpoint by file:line, and gdb shows that line of the Rust source.
  "Breakpoint 2, guest::core::bench::collatz_total_steps \\([^)]*\\) at src/core/bench.rs:${KERNEL_LINE}\n${KERNEL_LINE}\t +total \\+= 1;\n"
  "\n#0 +guest::core::bench::collatz_total_steps \\([^)]*\\) at src/core/bench.rs:${KERNEL_LINE}\n")
set(failures "")
if(NOT status EQUAL 0)
  string(APPEND failures "gdb exited with ${status}\n")
endif()
foreach(pattern IN LISTS expected)
  if(NOT output MATCHES "${pattern}")
    string(APPEND failures "gdb's output lacks /${pattern}/\n")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "check failed:\n${failures}")
endif()
message("---- all checks passed")
