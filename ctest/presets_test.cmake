# CMakePresets.json: `cmake --list-presets` parses it and lists every preset,
# and one preset configures into a throwaway folder (-B, instead of the
# preset's own binaryDir), with the outer build's Wasmtime.
# Usage: cmake -DPRESET=<name>|--list -DSOURCE_DIR=... -DWORK_DIR=...
#              -DWASMTIME_PROVIDER=... -DWASMHOST_CACHE_DIR=... -DWASMTIME_PREFIX=...
#              -DWASMTIME_FEATURES_CSV=... [-DCMAKE_EXECUTABLE=<cmake to use>] -P presets_test.cmake
# Presets that need clang are skipped (the test prints "skipped: no clang++")
# where there is none.
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/outer_wasmtime.cmake")
require_definitions(PRESET SOURCE_DIR WORK_DIR)
if(NOT CMAKE_EXECUTABLE)
  set(CMAKE_EXECUTABLE "${CMAKE_COMMAND}")
endif()
set(all_presets default asan-ubsan fuzz bench)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(PRESET STREQUAL "--list")
  execute_process(COMMAND "${CMAKE_EXECUTABLE}" --list-presets
    WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE status OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
  message("${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cmake --list-presets failed (${status})")
  endif()
  foreach(preset IN LISTS all_presets)
    if(NOT output MATCHES "\n  \"${preset}\" +- ")
      message(FATAL_ERROR "cmake --list-presets does not list ${preset}")
    endif()
  endforeach()
  message(STATUS "CMakePresets.json lists ${all_presets}")
  return()
endif()

if(PRESET MATCHES "^(asan-ubsan|fuzz)$")
  find_program(CLANGXX clang++)
  if(NOT CLANGXX)
    message(STATUS "preset ${PRESET} skipped: no clang++ (apt-get install clang, or run "
      "scripts/check-hardening.sh)")
    return()
  endif()
endif()
outer_wasmtime_args(wasmtime_args "${WORK_DIR}")
execute_process(
  COMMAND "${CMAKE_EXECUTABLE}" --preset "${PRESET}" -B "${WORK_DIR}/build" ${wasmtime_args}
  WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE status OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --preset ${PRESET} failed (${status})")
endif()
if(NOT output MATCHES "Build files have been written to: ${WORK_DIR}/build")
  message(FATAL_ERROR "cmake --preset ${PRESET} did not configure into ${WORK_DIR}/build")
endif()
message(STATUS "preset ${PRESET} configures")
