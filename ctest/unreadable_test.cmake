# `host` on a module file it may not read (mode 000): exit status 2 and one
# line naming the file and the reason. Root reads any file, so as root the
# check runs as user nobody (setpriv, from util-linux), on copies of host
# and the module in a fresh folder under /tmp that nobody can reach.
# Usage: cmake -DHOST=<host> -DMODULE=<a valid module> -DWORK_DIR=<dir> -P unreadable_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(HOST MODULE WORK_DIR)

execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
set(run_as "")
if(uid STREQUAL "0")
  find_program(SETPRIV setpriv)
  if(NOT SETPRIV)
    message(FATAL_ERROR "running as root, this test needs setpriv (util-linux) to drop to "
      "user nobody: root can read a mode-000 file")
  endif()
  set(run_as "${SETPRIV}" --reuid=65534 --regid=65534 --clear-groups)
  string(RANDOM LENGTH 8 suffix)
  set(dir "/tmp/wasmhost-unreadable-${suffix}")
else()
  set(dir "${WORK_DIR}/unreadable")
endif()
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
file(CHMOD "${dir}" DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(host "${HOST}")
if(run_as)
  file(COPY_FILE "${HOST}" "${dir}/host")
  file(CHMOD "${dir}/host" PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  set(host "${dir}/host")
endif()
set(module "${dir}/secret.wasm")
file(COPY_FILE "${MODULE}" "${module}")
execute_process(COMMAND chmod 000 "${module}") # no permission at all

execute_process(COMMAND ${run_as} "${host}" "${module}"
  RESULT_VARIABLE exit_status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr TIMEOUT 60)
file(REMOVE_RECURSE "${dir}")
string(JOIN " " command ${run_as} "${host}" "${module}")
message("---- command: ${command}")
message("---- exit status: ${exit_status}\n---- stdout:\n${stdout}\n---- stderr:\n${stderr}")
set(expected "^host: error: cannot open module '${module}': Permission denied\n$")
if(NOT exit_status STREQUAL "2" OR NOT stderr MATCHES "${expected}")
  message(FATAL_ERROR "expected exit status 2 and stderr matching /${expected}/")
endif()
message("---- all checks passed")
