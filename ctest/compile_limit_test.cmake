# The bounds on compiling a module (docs/fail-safety.md), on modules written
# here at test time:
#   MODE=timeout   a WAT module of 200 000 small functions (about 8 MB, far
#                  longer than 200 ms to compile) run with
#                  --compile-timeout-ms 200 ends with exit 2 and the message,
#                  and the process exits within 5 s although the abandoned
#                  compile runs on (a bound against a runaway, not a speed test)
#   MODE=size-cap  a file one byte over the default max_module_bytes (16 MiB)
#                  is refused before it is read: exit 2
# Needs HOST, WORK_DIR and MODE.
file(MAKE_DIRECTORY "${WORK_DIR}")
if(MODE STREQUAL "timeout")
  set(module "${WORK_DIR}/many_functions.wat")
  string(REPEAT "(func (param i32) (result i32) local.get 0)\n" 200000 functions)
  file(WRITE "${module}" "(module\n${functions}(func (export \"f\") (param i32) (result i32) local.get 0))\n")
  set(command "${HOST}" --quiet --compile-timeout-ms 200 "${module}" --call f 1)
  set(expect_exit 2)
  set(expect_stderr "^host: error: compiling module '[^']*many_functions.wat' took longer than the compile time limit of 200 ms \\(WasmHostOptions::compile_timeout_ms, host --compile-timeout-ms\\)\n$")
elseif(MODE STREQUAL "size-cap")
  set(module "${WORK_DIR}/over_the_cap.wasm")
  string(REPEAT "x" 1048576 mebibyte)
  string(REPEAT "${mebibyte}" 16 bytes)
  file(WRITE "${module}" "${bytes}x")
  set(command "${HOST}" --quiet "${module}" --call f 1)
  set(expect_exit 2)
  set(expect_stderr "^host: error: cannot read module '[^']*over_the_cap.wasm': 16777217 bytes, more than the limit of 16777216\n$")
else()
  message(FATAL_ERROR "MODE must be timeout or size-cap, not '${MODE}'")
endif()

execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out
  ERROR_VARIABLE err TIMEOUT 5)
file(REMOVE "${module}")
message("---- command: ${command}\n---- exit status: ${status}\n---- stdout:\n${out}\n---- stderr:\n${err}")
if(status MATCHES "timeout")
  message(FATAL_ERROR "host did not exit within 5 s")
endif()
if(NOT status STREQUAL "${expect_exit}")
  message(FATAL_ERROR "exit status ${status}, expected ${expect_exit}")
endif()
if(NOT err MATCHES "${expect_stderr}")
  message(FATAL_ERROR "stderr lacks /${expect_stderr}/")
endif()
message("---- all checks passed")
