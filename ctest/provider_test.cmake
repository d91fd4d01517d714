# Configures the project with one Wasmtime provider, builds the library and
# host alone (no tests, guests or benchmark) and runs host on the outer
# build's guest.wasm; host --version must name the Wasmtime linked:
#   release   from a file:// tarball in the official release layout, made
#             from WASMTIME_PREFIX, into a fresh cache (download + extract)
#   prebuilt  WASMTIME_ROOT = the folder the release provider extracted, in
#             the release test's build folder: the library build is shared,
#             nothing may compile again (run after release: a CTest fixture)
#   wheel     the wheel provider from WASMHOST_CACHE_DIR (the wheel is
#             downloaded there once per machine, not once per run)
# The nested builds are not optimised (-O0): they check the providers.
# Usage: cmake -DPROVIDER=... -DSOURCE_DIR=... -DWORK_DIR=... -DWASMTIME_PREFIX=...
#              -DWASMTIME_VERSION=<expected> -DWASMHOST_VERSION=... -DGUEST_WASM=...
#              -DWASMHOST_CACHE_DIR=... -DWIT_CPP=<the outer build's wasmhost-wit-cpp>
#              [-DCXX_COMPILER=...] [-DSANITIZE=...] -P provider_test.cmake
# CXX_COMPILER and SANITIZE repeat the outer build's compiler and
# WASMHOST_SANITIZE, so that a sanitizer build checks sanitized hosts here too.
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(PROVIDER WIT_CPP SOURCE_DIR WORK_DIR WASMTIME_PREFIX WASMTIME_VERSION
  WASMHOST_VERSION GUEST_WASM WASMHOST_CACHE_DIR)

function(run_step description out_var)
  message(STATUS "${description}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
  message("${output}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${description} failed (${result})")
  endif()
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

set(build_dir "${WORK_DIR}/build")
set(configure_args -S "${SOURCE_DIR}" -B "${build_dir}" -DWASMHOST_BUILD_APP=ON
  -DWASMHOST_BUILD_TESTS=OFF -DWASMHOST_BUILD_BENCH=OFF -DWASMHOST_INSTALL=OFF
  -DWASMTIME_PROVIDER=${PROVIDER} -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0"
  # The outer build's generator of the WIT bindings host uses: no cargo.
  "-DWASMHOST_WIT_CPP_EXECUTABLE=${WIT_CPP}")
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(SANITIZE)
  list(APPEND configure_args "-DWASMHOST_SANITIZE=${SANITIZE}")
endif()
string(REPLACE "." "\\." version_regex "${WASMTIME_VERSION}")

if(PROVIDER STREQUAL "release")
  file(REMOVE_RECURSE "${WORK_DIR}")
  set(top "wasmtime-v${WASMTIME_VERSION}-x86_64-linux-c-api")
  # The same bytes in every run (GNU tar format, fixed mtimes, no gzip, whose
  # header has the time): the extracted folder is named by their SHA-256, and
  # only an unchanged folder name lets ccache reuse the -O0 build below
  # (about 4 min of compiling on 2 cores otherwise).
  set(tarball "${WORK_DIR}/${top}.tar")
  set(stage "${WORK_DIR}/stage")
  file(MAKE_DIRECTORY "${stage}/${top}/lib")
  file(COPY "${WASMTIME_PREFIX}/include" DESTINATION "${stage}/${top}")
  file(COPY "${WASMTIME_PREFIX}/lib/libwasmtime.a" DESTINATION "${stage}/${top}/lib")
  run_step("Packing ${tarball} in the release layout" ignored
    "${CMAKE_COMMAND}" -E chdir "${stage}" "${CMAKE_COMMAND}" -E tar cf "${tarball}"
    --format=gnutar "--mtime=2000-01-01 00:00:00 UTC" "${top}")
  file(REMOVE_RECURSE "${stage}")
  file(SHA256 "${tarball}" sha256)
  # A fresh cache, so that the download and the extraction really run.
  list(APPEND configure_args
    "-DWASMTIME_RELEASE_URL=file://${tarball}"
    "-DWASMTIME_RELEASE_SHA256=${sha256}"
    "-DWASMHOST_CACHE_DIR=${WORK_DIR}/cache")
  set(provider_message "Wasmtime ${version_regex}: downloading file://")
elseif(PROVIDER STREQUAL "prebuilt")
  file(GLOB extracted LIST_DIRECTORIES true "${WORK_DIR}/cache/wasmtime-release-*")
  list(LENGTH extracted extracted_count)
  if(NOT extracted_count EQUAL 1 OR NOT EXISTS "${build_dir}/CMakeCache.txt")
    message(FATAL_ERROR "provider.prebuilt runs in the build folder of provider.release, "
      "with the folder it extracted; run that first (ctest runs it as a fixture)")
  endif()
  list(APPEND configure_args "-DWASMTIME_ROOT=${extracted}" "-DWASMHOST_CACHE_DIR=${WORK_DIR}/cache")
  set(provider_message "Wasmtime ${version_regex} \\(prebuilt\\): ${extracted}/lib/libwasmtime\\.a")
elseif(PROVIDER STREQUAL "wheel")
  file(REMOVE_RECURSE "${WORK_DIR}")
  list(APPEND configure_args "-DWASMHOST_CACHE_DIR=${WASMHOST_CACHE_DIR}")
  set(provider_message "Wasmtime ${version_regex} \\(wheel\\): the library and conf\\.h agree")
else()
  message(FATAL_ERROR "Unknown PROVIDER '${PROVIDER}'")
endif()

run_step("Configuring with WASMTIME_PROVIDER=${PROVIDER}" output "${CMAKE_COMMAND}" ${configure_args})
if(NOT output MATCHES "${provider_message}")
  message(FATAL_ERROR "configuring did not say /${provider_message}/")
endif()
run_step("Building the library and host" output "${CMAKE_COMMAND}" --build "${build_dir}"
  --target host -j 2)
if(output MATCHES "[Cc]argo|Rust guest")
  message(FATAL_ERROR "building host ran cargo")
endif()
if(PROVIDER STREQUAL "prebuilt")
  string(REGEX MATCHALL "Building CXX object [^\n]*" compiled "${output}")
  if(compiled)
    message(FATAL_ERROR "the prebuilt provider's build compiled again, though it has the "
      "release's files: ${compiled}")
  endif()
  message(STATUS "Nothing compiled again: the library build of provider.release is shared")
endif()

execute_process(COMMAND "${build_dir}/host" --version RESULT_VARIABLE exit_status
  OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT exit_status EQUAL 0
    OR NOT output STREQUAL "host (wasmhost) ${WASMHOST_VERSION}, Wasmtime ${WASMTIME_VERSION}\n")
  message(FATAL_ERROR "host --version (exit ${exit_status}) printed '${output}${errors}', not "
    "'host (wasmhost) ${WASMHOST_VERSION}, Wasmtime ${WASMTIME_VERSION}'")
endif()
execute_process(COMMAND "${build_dir}/host" "${GUEST_WASM}" RESULT_VARIABLE exit_status
  OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}${errors}")
if(NOT exit_status EQUAL 0 OR NOT output MATCHES "\n7 passed, 0 failed\n$")
  message(FATAL_ERROR "host built with WASMTIME_PROVIDER=${PROVIDER} did not pass (exit ${exit_status})")
endif()

if(PROVIDER STREQUAL "release")
  file(GLOB extracted "${WORK_DIR}/cache/wasmtime-release-*/lib/libwasmtime.a")
  if(NOT extracted)
    message(FATAL_ERROR "the release provider did not extract into its cache")
  endif()
elseif(PROVIDER STREQUAL "wheel")
  # The official library, unchanged, loaded through host's RUNPATH.
  find_program(READELF readelf REQUIRED)
  execute_process(COMMAND "${READELF}" -d "${build_dir}/host" OUTPUT_VARIABLE dynamic)
  file(GLOB wheel_lib "${WASMHOST_CACHE_DIR}/wasmtime-wheel-${WASMTIME_VERSION}-*/lib/libwasmtime.so")
  list(GET wheel_lib 0 wheel_lib)
  get_filename_component(wheel_lib_dir "${wheel_lib}" DIRECTORY)
  if(NOT dynamic MATCHES "\\(NEEDED\\)[^\n]*\\[libwasmtime\\.so\\]"
      OR NOT dynamic MATCHES "\\(RUNPATH\\)[^\n]*${wheel_lib_dir}")
    message(FATAL_ERROR "host does not load libwasmtime.so from ${wheel_lib_dir}:\n${dynamic}")
  endif()
  execute_process(COMMAND "${READELF}" -d "${wheel_lib}" OUTPUT_VARIABLE library_dynamic)
  if(library_dynamic MATCHES "SONAME")
    message(FATAL_ERROR "${wheel_lib} has a SONAME: it is not the wheel's library as shipped")
  endif()
endif()
message(STATUS "WASMTIME_PROVIDER=${PROVIDER}: host (Wasmtime ${WASMTIME_VERSION}) built and ran "
  "the guest: 7 passed, 0 failed")
