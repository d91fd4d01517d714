# Runs host-bench-rs and host-bench with tiny counts (--smoke), joined as
# scripts/bench.sh does, and checks the joined JSON by parsing it: every
# figure the issue names is there with a positive median, min and max
# (min <= median <= max) and a unit, and every ratio was computed. Speed is
# not checked.
# Usage: cmake -DHOST_BENCH=... -DHOST_BENCH_RS=... -DGUEST_BENCH_WASM=... -DWORK_DIR=...
#              -P bench_smoke.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(HOST_BENCH HOST_BENCH_RS GUEST_BENCH_WASM WORK_DIR)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run_benchmark name)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
  message("${output}${errors}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${name} failed (exit ${status})")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run_benchmark(host-bench-rs "${HOST_BENCH_RS}" --smoke --out bench-rs.json "${GUEST_BENCH_WASM}")
run_benchmark(host-bench "${HOST_BENCH}" --smoke --rust bench-rs.json --out bench-results.json
  "${GUEST_BENCH_WASM}")
foreach(expected "ratio of medians" "wrote bench-results.json")
  string(FIND "${output}" "${expected}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "host-bench printed no '${expected}'")
  endif()
endforeach()

file(READ "${WORK_DIR}/bench-results.json" json)
set(keys
  call.h2g.wasmhost_by_name_ns call.h2g.wasmhost_typed_ns call.h2g.c_api_ns call.h2g.rust_ns
  call.native_ns
  call.g2h.wasmhost_ns call.g2h.c_api_ns call.g2h.rust_ns
  mem.point_write_ns mem.point_read_ns mem.bulk_gbps mem.memcpy_gbps
  start.compile_ms start.deserialize_ms start.instantiate_us start.instantiate_pre_pooling_us
  compute.wasm_ms compute.native_ms)
set(problems "")
foreach(key IN LISTS keys)
  string(JSON type ERROR_VARIABLE error TYPE "${json}" "${key}")
  if(error OR NOT type STREQUAL "OBJECT")
    list(APPEND problems "${key}: missing")
    continue()
  endif()
  foreach(field median min max)
    string(JSON ${field} ERROR_VARIABLE error GET "${json}" "${key}" ${field})
    if(error OR NOT ${field} GREATER 0)
      list(APPEND problems "${key}.${field}: '${${field}}' is not a positive number")
    endif()
  endforeach()
  if(min GREATER median OR median GREATER max)
    list(APPEND problems "${key}: not min <= median <= max (${min}, ${median}, ${max})")
  endif()
  string(JSON unit ERROR_VARIABLE error GET "${json}" "${key}" unit)
  if(error OR unit STREQUAL "")
    list(APPEND problems "${key}: no unit")
  endif()
endforeach()

# Every ratio and target record has a positive value (none lacked a figure).
string(JSON count LENGTH "${json}")
math(EXPR last "${count} - 1")
set(checks 0)
foreach(index RANGE ${last})
  string(JSON member MEMBER "${json}" ${index})
  if(member MATCHES "^(ratio|target)\\.")
    math(EXPR checks "${checks} + 1")
    string(JSON value ERROR_VARIABLE error GET "${json}" "${member}" value)
    if(error OR NOT value GREATER 0)
      list(APPEND problems "${member}: no value")
    endif()
  endif()
endforeach()
if(checks LESS 7)
  list(APPEND problems "only ${checks} ratio/target records")
endif()

if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "bench-results.json:\n  ${text}")
endif()
list(LENGTH keys key_count)
message(STATUS "bench-results.json: ${key_count} figures and ${checks} ratios, all positive")
