# `host` where no thread can be started (RLIMIT_NPROC of 1, through prlimit):
# no signal death. With the default time limit it stops with one line and
# exit status 2 (its ticker thread cannot start); without one it compiles on
# one thread, and --instances runs on the main thread. The limit does not bind
# root, so as root the runs are as user nobody (setpriv), on copies in a
# fresh folder under /tmp that nobody can read.
# Usage: cmake -DHOST=<host> -DGUEST_WASM=<guest.wasm> -DMODULES=<ctest/modules>
#              -DWORK_DIR=<dir> -P thread_limit_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(HOST GUEST_WASM MODULES WORK_DIR)

find_program(PRLIMIT prlimit)
if(NOT PRLIMIT)
  message(FATAL_ERROR "this test needs prlimit (util-linux)")
endif()
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
set(run_as "")
set(dir "${WORK_DIR}/thread-limit")
if(uid STREQUAL "0")
  find_program(SETPRIV setpriv REQUIRED)
  set(run_as "${SETPRIV}" --reuid=65534 --regid=65534 --clear-groups)
  string(RANDOM LENGTH 8 suffix)
  set(dir "/tmp/wasmhost-thread-limit-${suffix}")
endif()
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
set(readable OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
file(CHMOD "${dir}" DIRECTORY_PERMISSIONS ${readable})
foreach(file "${HOST}" "${GUEST_WASM}" "${MODULES}/just_add.wat")
  get_filename_component(name "${file}" NAME)
  file(COPY_FILE "${file}" "${dir}/${name}")
  file(CHMOD "${dir}/${name}" PERMISSIONS ${readable})
endforeach()

set(failures "")
function(expect_run label expected_status stdout_regex stderr_regex)
  # A sanitized host's leak check needs a thread of its own at exit: off here.
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env
      "ASAN_OPTIONS=allow_user_segv_handler=1:detect_leaks=0"
      ${run_as} "${PRLIMIT}" --nproc=1 "${dir}/host" ${ARGN}
    RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr TIMEOUT 120)
  message("---- ${label}: exit ${status}\n---- stdout:\n${stdout}\n---- stderr:\n${stderr}")
  if(NOT status STREQUAL "${expected_status}" OR NOT stdout MATCHES "${stdout_regex}"
      OR NOT stderr MATCHES "${stderr_regex}")
    set(failures "${failures} ${label}" PARENT_SCOPE)
  endif()
endfunction()

expect_run(default-time-limit 2 "^$"
  "^host: error: cannot start the thread that enforces the time limit: Resource temporarily unavailable \\(or run without one: timeout_ms = 0\\)\n$"
  --quiet "${dir}/guest.wasm" --call just_add 1 2)
expect_run(one-thread-compile 0 "^3\n$" "^$"
  --quiet --timeout-ms 0 "${dir}/just_add.wat" --call just_add 1 2)
expect_run(instances-on-the-main-thread 0
  "\n2 instance\\(s\\) on 2 thread\\(s\\): 2 passed, 0 failed; host state isolated in 2 of 2 checked\n$"
  "^host: note: started 0 of 2 thread\\(s\\) \\(Resource temporarily unavailable\\)\n$"
  --quiet --timeout-ms 0 --instances 2 --threads 2 --scenario add "${dir}/just_add.wat")
file(REMOVE_RECURSE "${dir}")
if(failures)
  message(FATAL_ERROR "unexpected exit status or output:${failures}")
endif()
message("---- all checks passed")
