# `host --profile` end to end, on real runs (label debug).
#   guest             --profile guest=FILE around bench_compute(1000000) of
#                     guest-bench.wasm: the JSON (profile_check, nlohmann-json)
#                     and the flame graph (flame_graph_check.py, Python's XML
#                     parser) both find the Collatz kernel by name, with the
#                     same counts, and host's own summary line agrees
#   guest-no-timeout  the same with --timeout-ms 0: the ticker still runs, so
#                     the kernel (never an entry point) is sampled on ticks
#   guest-time-limit  hostile_spin with --timeout-ms 50: the time limit still
#                     interrupts (exit 3), and the profile is still written
#   guest-scenarios   the article's scenarios: every export called is in the
#                     profile (a sample at each entry, however short the call)
#   perfmap           /tmp/perf-<pid>.map names the kernel
#   jitdump           ./jit-<pid>.dump is a jitdump file naming the kernel
#   overwrite-module  --profile guest=FILE naming the module itself (or its
#                     .svg the module): refused, exit 2, the module intact
# Usage: cmake -DMODE=<mode> -DHOST=<host> -DGUEST_BENCH_WASM=... -DHOSTILE_WASM=...
#   -DGUEST_WASM=... -DPROFILE_CHECK=<profile_check> -DPYTHON=<python3>
#   -DFLAME_GRAPH_CHECK=<flame_graph_check.py> -DWORK_DIR=<dir> -P profile_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(MODE HOST GUEST_BENCH_WASM HOSTILE_WASM GUEST_WASM PROFILE_CHECK PYTHON
  FLAME_GRAPH_CHECK WORK_DIR)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(failures "")

# run(<name> <expected exit> <command>...): runs it in WORK_DIR; <name>_out,
# <name>_err and failures are set.
macro(run name expected_exit)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE run_status OUTPUT_VARIABLE ${name}_out ERROR_VARIABLE ${name}_err TIMEOUT 240)
  message("---- ${ARGN}\n---- exit status: ${run_status}\n---- stdout:\n${${name}_out}"
    "---- stderr:\n${${name}_err}")
  if(NOT run_status STREQUAL "${expected_exit}")
    string(APPEND failures "${name}: exit status ${run_status}, expected ${expected_exit}\n")
  endif()
endmacro()

# A function, not a macro: a macro would take the escapes out of the pattern.
function(expect name text pattern)
  if(NOT text MATCHES "${pattern}")
    set(failures "${failures}${name} lacks /${pattern}/\n" PARENT_SCOPE)
  endif()
endfunction()

# check_profile(<json> <function> <product>): both checkers find <function>
# in the same number of samples, out of the same number with guest frames.
# Sets json_frames, json_function (the counts) and svg_name.
macro(check_profile file function product)
  string(REGEX REPLACE "\\.json$" ".svg" svg_file "${file}")
  foreach(output "${file}" "${svg_file}")
    if(NOT EXISTS "${output}")
      string(APPEND failures "${output} was not written\n")
    endif()
  endforeach()
  run(json 0 "${PROFILE_CHECK}" "${file}" "${function}" "${product}")
  run(svg 0 "${PYTHON}" "${FLAME_GRAPH_CHECK}" "${svg_file}" "${function}")
  set(json_frames "")
  set(json_function "")
  if(json_out MATCHES "samples: [0-9]+ total, ([0-9]+) with guest frames\n")
    set(json_frames "${CMAKE_MATCH_1}")
  endif()
  if(json_out MATCHES "function: [^\n]*${function}[^\n]* in ([0-9]+) samples\n")
    set(json_function "${CMAKE_MATCH_1}")
  endif()
  if(NOT json_frames OR NOT json_function)
    string(APPEND failures "profile_check found no samples of ${function}\n")
  endif()
  expect("the flame graph" "${svg_out}" "samples: ${json_frames} with guest frames\n")
  expect("the flame graph" "${svg_out}" "function: [^\n]*${function}[^\n]* in ${json_function} samples\n")
endmacro()

if(MODE STREQUAL "guest" OR MODE STREQUAL "guest-no-timeout")
  set(limit_args "")
  if(MODE STREQUAL "guest-no-timeout")
    set(limit_args --timeout-ms 0)
  endif()
  set(profile "${WORK_DIR}/bench.json")
  run(host 0 "${HOST}" ${limit_args} --profile guest=${profile} "${GUEST_BENCH_WASM}"
    --call bench_compute 1000000)
  expect("host's stdout" "${host_out}" "\n131434424\n") # the kernel's real result
  check_profile("${profile}" collatz_total_steps guest-bench.wasm)
  # host's summary: the same count of samples with guest frames, both files.
  expect("host's stdout" "${host_out}"
    "\\[Host Main\\] Guest profile: [0-9]+ samples \\(${json_frames} with guest frames\\), [0-9]+ bytes of Firefox Profiler JSON in ${profile}, flame graph in ${WORK_DIR}/bench.svg\n")
  # The entry sample is in the export; every sample in the kernel is a tick's.
  run(entry 0 "${PROFILE_CHECK}" "${profile}" bench_compute.command_export)
elseif(MODE STREQUAL "guest-time-limit")
  set(profile "${WORK_DIR}/spin.json")
  run(host 3 "${HOST}" --quiet --timeout-ms 50 --profile guest=${profile} "${HOSTILE_WASM}"
    --call hostile_spin)
  expect("host's stderr" "${host_err}"
    "^host: error: 'hostile_spin' trapped: interrupt \\(time limit of 50 ms\\): .*hostile_spin.*wasm trap: interrupt[^\n]*\n$")
  check_profile("${profile}" hostile_spin guest-hostile.wasm)
elseif(MODE STREQUAL "guest-scenarios")
  set(profile "${WORK_DIR}/scenarios.json")
  run(host 0 "${HOST}" --quiet --profile guest=${profile} "${GUEST_WASM}")
  expect("host's stdout" "${host_out}" "\n7 passed, 0 failed\n$")
  # Calls of microseconds, each seen by its entry sample, taken at the
  # guest's first epoch check: in the wrapper `<export>.command_export` that
  # a Rust cdylib for wasm32-wasip1 puts around each export.
  foreach(export just_add trigger_host_calls point_add simple_add guest_alloc transform_string)
    run(${export} 0 "${PROFILE_CHECK}" "${profile}" ${export}.command_export guest.wasm)
  endforeach()
  check_profile("${profile}" transform_string.command_export guest.wasm)
elseif(MODE STREQUAL "perfmap")
  run(host 0 "${HOST}" --profile perfmap "${GUEST_BENCH_WASM}" --call bench_compute 10)
  expect("host's stdout" "${host_out}" "\n67\n$")
  if(host_out MATCHES "Profiler perfmap: Wasmtime writes the guest's symbols to (/tmp/perf-[0-9]+\\.map) \\(read by perf report\\)\n")
    set(map "${CMAKE_MATCH_1}")
    file(STRINGS "${map}" kernel REGEX "^0x[0-9a-f]+ [0-9a-f]+ guest::core::bench::collatz_total_steps")
    file(STRINGS "${map}" export REGEX "^0x[0-9a-f]+ [0-9a-f]+ bench_compute$")
    file(REMOVE "${map}")
    if(NOT kernel OR NOT export)
      string(APPEND failures "${map} does not name collatz_total_steps and bench_compute\n")
    endif()
  else()
    string(APPEND failures "host did not say where the perf map is\n")
  endif()
elseif(MODE STREQUAL "jitdump")
  run(host 0 "${HOST}" --profile jitdump "${GUEST_BENCH_WASM}" --call bench_compute 10)
  expect("host's stdout" "${host_out}" "\n67\n$")
  file(GLOB dumps "${WORK_DIR}/jit-*.dump")
  list(LENGTH dumps count)
  if(count EQUAL 1)
    expect("host's stdout" "${host_out}"
      "Profiler jitdump: Wasmtime writes ${dumps} \\(for perf record -k 1, then perf inject --jit\\)\n")
    file(READ "${dumps}" magic LIMIT 4 HEX)
    if(NOT magic STREQUAL "4454694a") # "JiTD" as a little-endian 32-bit word
      string(APPEND failures "${dumps} does not start with jitdump's magic: ${magic}\n")
    endif()
    file(STRINGS "${dumps}" kernel REGEX "guest::core::bench::collatz_total_steps")
    if(NOT kernel)
      string(APPEND failures "${dumps} does not name collatz_total_steps\n")
    endif()
  else()
    string(APPEND failures "expected one jit-<pid>.dump in ${WORK_DIR}, found ${count}\n")
  endif()
elseif(MODE STREQUAL "overwrite-module")
  file(COPY_FILE "${GUEST_WASM}" "${WORK_DIR}/plugin.wasm")
  file(COPY_FILE "${GUEST_WASM}" "${WORK_DIR}/plugin.svg")
  file(SHA256 "${GUEST_WASM}" before)
  run(json 2 "${HOST}" --profile guest=plugin.wasm plugin.wasm)
  expect("host's stderr" "${json_err}"
    "^host: error: --profile guest=FILE: the guest profile 'plugin.wasm' would overwrite the module 'plugin.wasm'\n$")
  run(svg 2 "${HOST}" --profile guest=plugin.json plugin.svg)
  expect("host's stderr" "${svg_err}"
    "^host: error: --profile guest=FILE: the flame graph 'plugin.svg' would overwrite the module 'plugin.svg'\n$")
  foreach(module plugin.wasm plugin.svg)
    file(SHA256 "${WORK_DIR}/${module}" after)
    if(NOT after STREQUAL before)
      string(APPEND failures "${module} was changed\n")
    endif()
  endforeach()
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()

if(failures)
  message(FATAL_ERROR "check failed:\n${failures}")
endif()
message("---- all checks passed")
