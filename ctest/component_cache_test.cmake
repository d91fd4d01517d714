# host --cache DIR with a component (issue #12): the first run compiles the
# component and stores it, the second deserializes it (a hit, nothing
# compiled) and still passes all 12 component scenarios. DIR is made fresh,
# mode 700 (the cache refuses a folder others can write).
# Usage: cmake -DHOST=... -DGUEST_COMPONENT_WASM=... -DWORK_DIR=... -P component_cache_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(HOST GUEST_COMPONENT_WASM WORK_DIR)
include("${CMAKE_CURRENT_LIST_DIR}/cache_run_host.cmake")

set(cache "${WORK_DIR}/components")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${cache}")
file(CHMOD "${cache}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
# The cache's key file, private to this test (not the user's ~/.config).
set(ENV{XDG_CONFIG_HOME} "${WORK_DIR}/config")

set(entry_name "[0-9a-f]+\\.cwasm")
set(all_passed "\n12 passed, 0 failed\n$")
run_host(miss ARGS --cache "${cache}" "${GUEST_COMPONENT_WASM}"
  EXPECT "^\\[Host Setup\\] Module cache miss: no file [^\n]*/components/${entry_name}\n"
         "\\[Host Setup\\] Module cache: compiled in [0-9.]+ ms, stored "
         "is a component: world wasmhost:plugin@0.1.0, WASIp2\n" "${all_passed}")
file(GLOB entries "${cache}/*")
list(LENGTH entries entry_count)
if(NOT entry_count EQUAL 1)
  message(FATAL_ERROR "expected one cache file (no temporary left), found: ${entries}")
endif()

run_host(hit ARGS --cache "${cache}" "${GUEST_COMPONENT_WASM}"
  EXPECT "^\\[Host Setup\\] Module cache hit: [^\n]*/components/${entry_name} \\(checked and deserialized in [0-9.]+ ms, compilation skipped\\)\n"
         "${all_passed}"
  REJECT "Compiling" "Module cache miss")
message("---- all component cache checks passed")
