# Configures, builds and runs the project with one Wasmtime provider:
#   release   from a file:// tarball in the official release layout, made
#             from WASMTIME_PREFIX, into a fresh cache (download + extract)
#   prebuilt  with WASMTIME_ROOT=WASMTIME_PREFIX
# Usage: cmake -DPROVIDER=... -DSOURCE_DIR=... -DWORK_DIR=... -DWASMTIME_PREFIX=...
#              -DWASMTIME_VERSION=... [-DCXX_COMPILER=...] [-DSANITIZE=...]
#              -P provider_test.cmake
# CXX_COMPILER and SANITIZE repeat the outer build's compiler and
# WASMHOST_SANITIZE, so that a sanitizer build checks sanitized hosts here too.
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(PROVIDER SOURCE_DIR WORK_DIR WASMTIME_PREFIX WASMTIME_VERSION)

function(run_step description)
  message(STATUS "${description}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${description} failed (${result})")
  endif()
endfunction()

set(build_dir "${WORK_DIR}/build")
file(REMOVE_RECURSE "${build_dir}")
# Only what the check needs: the library, host and guest.wasm.
set(configure_args -S "${SOURCE_DIR}" -B "${build_dir}" -DWASMHOST_BUILD_TESTS=OFF
  -DWASMHOST_BUILD_BENCH=OFF -DWASMHOST_INSTALL=OFF -DWASMTIME_PROVIDER=${PROVIDER})
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(SANITIZE)
  list(APPEND configure_args "-DWASMHOST_SANITIZE=${SANITIZE}")
endif()

if(PROVIDER STREQUAL "release")
  set(top "wasmtime-v${WASMTIME_VERSION}-x86_64-linux-c-api")
  set(tarball "${WORK_DIR}/${top}.tar.gz")
  if(NOT EXISTS "${tarball}")
    set(stage "${WORK_DIR}/stage")
    file(REMOVE_RECURSE "${stage}")
    file(MAKE_DIRECTORY "${stage}/${top}/lib")
    file(COPY "${WASMTIME_PREFIX}/include" DESTINATION "${stage}/${top}")
    file(COPY "${WASMTIME_PREFIX}/lib/libwasmtime.a" DESTINATION "${stage}/${top}/lib")
    run_step("Packing ${tarball} in the release layout"
      "${CMAKE_COMMAND}" -E chdir "${stage}" "${CMAKE_COMMAND}" -E tar czf "${tarball}" "${top}")
    file(REMOVE_RECURSE "${stage}")
  endif()
  file(SHA256 "${tarball}" sha256)
  # A fresh cache, so that the download and the extraction really run.
  file(REMOVE_RECURSE "${WORK_DIR}/cache")
  list(APPEND configure_args
    "-DWASMTIME_RELEASE_URL=file://${tarball}"
    "-DWASMTIME_RELEASE_SHA256=${sha256}"
    "-DWASMHOST_CACHE_DIR=${WORK_DIR}/cache")
elseif(PROVIDER STREQUAL "prebuilt")
  list(APPEND configure_args "-DWASMTIME_ROOT=${WASMTIME_PREFIX}")
else()
  message(FATAL_ERROR "Unknown PROVIDER '${PROVIDER}'")
endif()

run_step("Configuring with WASMTIME_PROVIDER=${PROVIDER}" "${CMAKE_COMMAND}" ${configure_args})
run_step("Building host and guest" "${CMAKE_COMMAND}" --build "${build_dir}" -j 2)

execute_process(COMMAND ./host guest.wasm WORKING_DIRECTORY "${build_dir}"
  RESULT_VARIABLE exit_status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}${errors}")
if(NOT exit_status EQUAL 0 OR NOT output MATCHES "\n7 passed, 0 failed\n$")
  message(FATAL_ERROR "host built with WASMTIME_PROVIDER=${PROVIDER} did not pass (exit ${exit_status})")
endif()
if(PROVIDER STREQUAL "release")
  file(GLOB extracted "${WORK_DIR}/cache/wasmtime-release-*/lib/libwasmtime.a")
  if(NOT extracted)
    message(FATAL_ERROR "the release provider did not extract into its cache")
  endif()
endif()
message(STATUS "WASMTIME_PROVIDER=${PROVIDER}: host built and ran the guest: 7 passed, 0 failed")
