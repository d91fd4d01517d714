# wasmhost_add_rust_guest(... TARGET <rust target>) stops at configure time,
# naming the fix, when that Rust target is not installed: the test passes
# TARGET=wasm32-no-such-target and expects the FATAL_ERROR (checked by the
# test's PASS_REGULAR_EXPRESSION); with an installed TARGET it reaches the
# end and prints "target check passed".
# Usage: cmake -DTARGET=<rust target> -P rust_target_test.cmake
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(TARGET)
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/RustGuest.cmake")
# The check comes first: nothing after it (cargo metadata, the custom
# command) runs in script mode.
_wasmhost_require_rust_target(${TARGET})
message(STATUS "target check passed: ${TARGET}")
