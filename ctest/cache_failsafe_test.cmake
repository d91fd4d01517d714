# host --cache DIR against a hostile cache (module_cache.hh):
#  MODE=entries: whatever has the entry's name and is no entry of this user's
#    (made with another key, owned by another uid, a FIFO, a link to
#    /dev/zero, a folder, an oversized file) is rejected and rebuilt (a folder
#    is skipped: it cannot be renamed over), the module compiled and run:
#    exit 0, never a hang (each run is killed after 60 s) or a read without end.
#  MODE=refused: a cache folder others can write (/tmp itself) or another
#    user's, and a bad key file (mode 644, a symbolic link, a folder) are
#    refused up front: exit 2, one line naming the folder or file and why.
# The checks of another user's files need root (chown); they are skipped,
# and say so, otherwise.
# Usage: cmake -DHOST=... -DGUEST_WASM=... -DWORK_DIR=... -DMODE=entries|refused
#        -P cache_failsafe_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(HOST GUEST_WASM WORK_DIR MODE)
include("${CMAKE_CURRENT_LIST_DIR}/cache_run_host.cmake")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(ENV{XDG_CONFIG_HOME} "${WORK_DIR}/config") # the key: private to this test
set(cache "${WORK_DIR}/modules")
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
set(run ARGS --cache "${cache}" --scenario add "${GUEST_WASM}")
set(passed "\n1 passed, 0 failed\n$")
set(stored "Module compiled successfully.\n\\[Host Setup\\] Module cache: compiled in [0-9.]+ ms, stored ")
set(hit "Module cache hit: ")

if(MODE STREQUAL "entries")
  run_host(miss ${run} EXPECT "Module cache miss: no file " "${stored}" "${passed}")
  file(GLOB entry "${cache}/*.cwasm")

  # rejected(<name> <reason regex>): the entry is rejected for the reason,
  # rebuilt, the scenario passes; the next run is a hit.
  function(expect_rebuilt name reason)
    run_host(${name} ${run} EXPECT
      "Module cache file rejected \\(${reason}\\), rebuilding it: [^\n]*\\.cwasm\n" "${stored}"
      "${passed}")
    run_host(${name}-then-hit ${run} EXPECT "${hit}" "${passed}")
  endfunction()

  # An entry made with another user's key: every checksum right, re-headered
  # for this module, but not authenticated.
  set(ENV{XDG_CONFIG_HOME} "${WORK_DIR}/other-config")
  run_host(other-key ARGS --cache "${WORK_DIR}/other-modules" --scenario add "${GUEST_WASM}"
    EXPECT "${stored}" "${passed}")
  set(ENV{XDG_CONFIG_HOME} "${WORK_DIR}/config")
  file(GLOB foreign "${WORK_DIR}/other-modules/*.cwasm")
  file(COPY_FILE "${foreign}" "${entry}")
  expect_rebuilt(another-key "not authenticated: its HMAC does not match this user's cache key \\(made with another key, or planted\\)")

  if(uid STREQUAL "0")
    execute_process(COMMAND chown 65534:65534 "${entry}" COMMAND_ERROR_IS_FATAL ANY)
    expect_rebuilt(another-owner "owned by uid 65534, not by this user \\(uid 0\\)")
  else()
    message("---- another-owner: skipped (needs root to chown)")
  endif()

  file(REMOVE "${entry}")
  execute_process(COMMAND mkfifo "${entry}" COMMAND_ERROR_IS_FATAL ANY)
  expect_rebuilt(fifo "not a regular file")

  file(REMOVE "${entry}")
  file(CREATE_LINK /dev/zero "${entry}" SYMBOLIC)
  expect_rebuilt(link-to-dev-zero "a symbolic link, not a regular file")
  if(IS_SYMLINK "${entry}")
    message(FATAL_ERROR "the link was not replaced")
  endif()

  # bound = header (180) + 32 x the wasm size + 1 MiB (ModuleCache::maxEntryBytes)
  file(SIZE "${GUEST_WASM}" wasm_size)
  math(EXPR bound "180 + 32 * ${wasm_size} + 1048576")
  math(EXPR oversized "${bound} + 1")
  execute_process(COMMAND truncate -s ${oversized} "${entry}" COMMAND_ERROR_IS_FATAL ANY)
  expect_rebuilt(oversized "too large: ${oversized} bytes, more than the bound of ${bound} for this module")

  # A folder cannot be renamed over: the entry is skipped, the module used.
  file(REMOVE "${entry}")
  file(MAKE_DIRECTORY "${entry}")
  run_host(folder ${run} EXPECT
    "Module cache file rejected \\(not a regular file\\), rebuilding it: "
    "Module cache: could not store the compiled module: cannot rename '[^']*' to '[^']*\\.cwasm': Is a directory\n"
    "${passed}")
  file(GLOB left "${cache}/*.tmp-*")
  if(left)
    message(FATAL_ERROR "temporary files left: ${left}")
  endif()
elseif(MODE STREQUAL "refused")
  set(must "it must be a folder only its owner can write")
  # refused(<name> <cache folder> <stderr regex>)
  function(refused name folder message)
    run_host(${name} ARGS --cache "${folder}" --scenario add "${GUEST_WASM}" EXIT 2
      STDERR "^host: error: ${message}\n$")
  endfunction()

  refused(tmp /tmp "module cache folder '/tmp' refused: writable by its group or others \\(mode 1777\\); ${must}")
  file(MAKE_DIRECTORY "${WORK_DIR}/open")
  execute_process(COMMAND chmod 0777 "${WORK_DIR}/open" COMMAND_ERROR_IS_FATAL ANY)
  refused(world-writable "${WORK_DIR}/open" "module cache folder '[^']*/open' refused: writable by its group or others \\(mode 0777\\); ${must}")
  file(GLOB planted "${WORK_DIR}/open/*")
  if(planted)
    message(FATAL_ERROR "a refused folder was written to: ${planted}")
  endif()
  if(uid STREQUAL "0")
    file(MAKE_DIRECTORY "${WORK_DIR}/theirs")
    execute_process(COMMAND chmod 0700 "${WORK_DIR}/theirs" COMMAND_ERROR_IS_FATAL ANY)
    execute_process(COMMAND chown 65534:65534 "${WORK_DIR}/theirs" COMMAND_ERROR_IS_FATAL ANY)
    refused(another-owner "${WORK_DIR}/theirs" "module cache folder '[^']*/theirs' refused: owned by uid 65534, not by this user \\(uid 0\\)")
  else()
    message("---- another-owner: skipped (needs root to chown)")
  endif()

  # The key file: made by a first run, then spoiled.
  run_host(key-made ARGS --cache "${cache}" --scenario add "${GUEST_WASM}" EXPECT "${passed}")
  set(key "${WORK_DIR}/config/wasmhost/cache.key")
  set(key_must "\\(it must be a regular file of 32 bytes owned by this user, mode 600\\)")
  set(key_refused "module cache key '[^']*/config/wasmhost/cache.key' refused: ")
  execute_process(COMMAND chmod 0644 "${key}" COMMAND_ERROR_IS_FATAL ANY)
  refused(key-mode-644 "${cache}" "${key_refused}mode 0644 ${key_must}")
  file(RENAME "${key}" "${WORK_DIR}/config/wasmhost/real.key")
  file(CREATE_LINK "${WORK_DIR}/config/wasmhost/real.key" "${key}" SYMBOLIC)
  refused(key-symlink "${cache}" "${key_refused}a symbolic link ${key_must}")
  file(REMOVE "${key}")
  file(MAKE_DIRECTORY "${key}")
  refused(key-folder "${cache}" "${key_refused}not a regular file ${key_must}")
else()
  message(FATAL_ERROR "MODE must be entries or refused, not '${MODE}'")
endif()
message("---- all checks passed")
