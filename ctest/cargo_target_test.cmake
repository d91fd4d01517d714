# WASMHOST_CARGO_TARGET_DIR that cannot be created (a folder under a regular
# file): configuring still succeeds, says so in a warning, and the guests'
# cargo builds use the build folder's own target folder (build/cargo-guest),
# as with an empty WASMHOST_CARGO_TARGET_DIR. Only configures: the library and
# host with their guests, no tests, benchmark or install rules.
# Usage: cmake -DSOURCE_DIR=... -DWORK_DIR=... -DWASMTIME_PROVIDER=... -DWASMHOST_CACHE_DIR=...
#              -DWASMTIME_PREFIX=... -DWASMTIME_FEATURES_CSV=... -P cargo_target_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/outer_wasmtime.cmake")
require_definitions(SOURCE_DIR WORK_DIR)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(WRITE "${WORK_DIR}/a-file" "not a folder\n")
set(unwritable "${WORK_DIR}/a-file/cargo-target")
outer_wasmtime_args(wasmtime_args "${WORK_DIR}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build" ${wasmtime_args}
    "-DWASMHOST_CARGO_TARGET_DIR=${unwritable}" -DWASMHOST_BUILD_TESTS=OFF
    -DWASMHOST_BUILD_BENCH=OFF -DWASMHOST_INSTALL=OFF
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "configuring with an unwritable WASMHOST_CARGO_TARGET_DIR failed (${status})")
endif()
# CMake wraps a warning's text: any whitespace between its words.
string(REPLACE " " "[ \n]+" expected
  "WASMHOST_CARGO_TARGET_DIR '${unwritable}' cannot be created or written: the cargo builds use this build folder's own target folders instead")
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "no warning naming ${unwritable} in the output above")
endif()
file(READ "${WORK_DIR}/build/CMakeFiles/guest.dir/build.make" rules)
string(FIND "${rules}" "-DTARGET_DIR=${WORK_DIR}/build/cargo-guest " at)
if(at EQUAL -1)
  message(FATAL_ERROR "the guest's cargo build does not use ${WORK_DIR}/build/cargo-guest")
endif()
string(FIND "${rules}" "${unwritable}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "the guest's build rules still name ${unwritable}")
endif()
message(STATUS "unwritable WASMHOST_CARGO_TARGET_DIR: the build folder's cargo-guest is used")
