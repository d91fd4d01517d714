# host --cache DIR, end to end: a miss stores the compiled module, a hit
# deserializes it without compiling, and bad files (not a cache file,
# truncated, made for other wasm bytes) are rebuilt, never run. The unit tests
# (module_cache_test.cc) cover every kind of bad file byte by byte;
# cache_failsafe_test.cmake the hostile ones.
# Usage: cmake -DHOST=... -DGUEST_WASM=... -DOTHER_MODULE=... -DWORK_DIR=... -P cache_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(HOST GUEST_WASM OTHER_MODULE WORK_DIR)
include("${CMAKE_CURRENT_LIST_DIR}/cache_run_host.cmake")

set(cache "${WORK_DIR}/modules")
file(REMOVE_RECURSE "${WORK_DIR}")
# The cache's key file, private to this test (not the user's ~/.config).
set(ENV{XDG_CONFIG_HOME} "${WORK_DIR}/config")

set(entry_name "[0-9a-f]+\\.cwasm")
set(hit "Module cache hit: [^\n]*/${entry_name} \\(checked and deserialized in [0-9.]+ ms, compilation skipped\\)\n")
set(stored "Module compiled successfully.\n\\[Host Setup\\] Module cache: compiled in [0-9.]+ ms, stored ")

run_host(miss ARGS --cache "${cache}" --scenario add "${GUEST_WASM}"
  EXPECT "^\\[Host Setup\\] Module cache miss: no file [^\n]*/modules/${entry_name}\n" "${stored}"
         "\n1 passed, 0 failed\n$")
file(GLOB entries "${cache}/*")
list(LENGTH entries entry_count)
if(NOT entry_count EQUAL 1)
  message(FATAL_ERROR "expected one cache file (no temporary left), found: ${entries}")
endif()
set(entry "${entries}")

run_host(hit ARGS --cache "${cache}" "${GUEST_WASM}"
  EXPECT "^\\[Host Setup\\] ${hit}" "\n7 passed, 0 failed\n$" REJECT "Compiling")

file(WRITE "${entry}" "garbage\n")
run_host(not-a-cache-file ARGS --cache "${cache}" --scenario add "${GUEST_WASM}"
  EXPECT "Module cache file rejected \\(not a wasmhost module cache file\\), rebuilding it: " "${stored}")
run_host(hit-after-rebuild ARGS --cache "${cache}" --scenario add "${GUEST_WASM}" EXPECT "${hit}")

find_program(TRUNCATE truncate)
if(TRUNCATE)
  execute_process(COMMAND "${TRUNCATE}" -s 4096 "${entry}" COMMAND_ERROR_IS_FATAL ANY)
  run_host(truncated ARGS --cache "${cache}" --scenario add "${GUEST_WASM}"
    EXPECT "Module cache file rejected \\(truncated: the payload has 3916 of [0-9]+ bytes\\), rebuilding it"
           "${stored}")
endif()

# A valid cache file of another module, planted under the guest's name.
set(other_cache "${WORK_DIR}/other")
run_host(other-module ARGS --quiet --cache "${other_cache}" "${OTHER_MODULE}" --call init_calls)
file(GLOB other_entry "${other_cache}/*.cwasm")
execute_process(COMMAND "${CMAKE_COMMAND}" -E copy "${other_entry}" "${entry}" COMMAND_ERROR_IS_FATAL ANY)
run_host(other-bytes ARGS --cache "${cache}" --scenario add "${GUEST_WASM}"
  EXPECT "Module cache file rejected \\(written for other wasm bytes\\), rebuilding it" "${stored}")

# Many instances load through the same cache.
run_host(instances ARGS --cache "${cache}" --instances 2 --threads 2 --scenario add "${GUEST_WASM}"
  EXPECT "^\\[Host Setup\\] ${hit}" "2 passed, 0 failed; host state isolated in 2 of 2 checked\n$")
message("---- all cache checks passed")
