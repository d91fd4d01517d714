# The wheel provider on stub wheels: each mode configures the library alone
# (-DWASMTIME_PROVIDER=wheel, a fresh cache in WORK_DIR) with a wheel made
# here, whose libwasmtime.so is a stub of empty functions named as the
# headers of wasmtime-c-api-impl WHEEL_VERSION declare them (and the
# debug-builtins symbol that carries the version), so that no download and
# no real library are needed:
#   bad-sha256        a wheel that is not the pinned one: refused, naming it and both hashes
#   not-a-sha256      WASMTIME_WHEEL_SHA256 that is no SHA-256: refused
#   missing-file      WASMTIME_WHEEL_FILE that does not exist: refused
#   no-library        a wheel without wasmtime/linux-x86_64/_libwasmtime.so, and a
#                     file that is no zip archive: refused
#   partial-feature   a library with part of a feature (threads without
#                     wasmtime_sharedmemory_new): refused, naming both
#   version-mismatch  a library of Wasmtime 47.0.0, and one without its version: refused
#   derived-features  a library without threads and profiling: accepted, and
#                     conf.h has neither (but gc, async, component-model, ...)
#   cache-tampered    the cached conf.h or library changed after the fact: refused
# Usage: cmake -DMODE=... -DSOURCE_DIR=... -DWORK_DIR=... -DCXX_COMPILER=...
#              -DWHEEL_VERSION=... -P wheel_test.cmake
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(MODE SOURCE_DIR WORK_DIR CXX_COMPILER WHEEL_VERSION)
# The provider's own reader of the headers and its cargo look-up.
include("${SOURCE_DIR}/cmake/WasmtimeWheel.cmake")
set(pinned_sha256 "${_wasmtime_wheel_pinned_sha256}")
set(library_in_wheel "wasmtime/linux-x86_64/_libwasmtime.so")
string(REPLACE "." "_" version_suffix "${WHEEL_VERSION}")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

_wasmtime_wheel_headers_crate(crate)
_wasmtime_header_declarations("${crate}/include" declarations)
set(declared "")
foreach(entry IN LISTS declarations)
  string(REGEX REPLACE "=.*" "" name "${entry}")
  list(APPEND declared "${name}")
endforeach()
list(REMOVE_DUPLICATES declared)
list(LENGTH declared declared_count)
message(STATUS "${declared_count} functions declared by the headers of ${crate}")

# stub_wheel(<name> <out_var> [WITHOUT <function>...] [VERSION <x_y_z>|NONE] [NO_LIBRARY]):
# WORK_DIR/<name>.whl; <out_var>_SHA256 its hash, <out_var>_LIBRARY the stub.
function(stub_wheel name out_var)
  cmake_parse_arguments(PARSE_ARGV 2 arg "NO_LIBRARY" "VERSION" "WITHOUT")
  if(NOT arg_VERSION)
    set(arg_VERSION "${version_suffix}")
  endif()
  set(stage "${WORK_DIR}/${name}")
  file(MAKE_DIRECTORY "${stage}/wasmtime/linux-x86_64")
  file(WRITE "${stage}/wasmtime/__init__.py" "")
  if(NOT arg_NO_LIBRARY)
    set(functions ${declared})
    if(arg_WITHOUT)
      list(REMOVE_ITEM functions ${arg_WITHOUT})
    endif()
    if(NOT arg_VERSION STREQUAL "NONE")
      list(APPEND functions "resolve_vmctx_memory_ptr_${arg_VERSION}" "set_vmctx_memory_${arg_VERSION}")
    endif()
    set(source "extern \"C\" {\n")
    foreach(function IN LISTS functions)
      string(APPEND source "void ${function}() {}\n")
    endforeach()
    string(APPEND source "}\n")
    file(WRITE "${stage}.cc" "${source}")
    execute_process(COMMAND "${CXX_COMPILER}" -shared -fPIC -O0 "${stage}.cc"
        -o "${stage}/${library_in_wheel}"
      RESULT_VARIABLE status ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "building the stub library failed: ${errors}")
    endif()
    file(SHA256 "${stage}/${library_in_wheel}" library_hash)
    set(${out_var}_LIBRARY_SHA256 "${library_hash}" PARENT_SCOPE)
  endif()
  set(wheel "${WORK_DIR}/${name}.whl")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${wheel}" --format=zip wasmtime
    WORKING_DIRECTORY "${stage}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "zipping ${wheel} failed")
  endif()
  file(SHA256 "${wheel}" sha256)
  set(${out_var} "${wheel}" PARENT_SCOPE)
  set(${out_var}_SHA256 "${sha256}" PARENT_SCOPE)
endfunction()

# configure(<out_var> [EXPECT_FAILURE] ARGS <args>...): the library alone,
# with the wheel provider and WORK_DIR/cache; the output flattened (CMake
# wraps its messages: every run of blanks and newlines becomes one space).
function(configure out_var)
  cmake_parse_arguments(PARSE_ARGV 1 arg "EXPECT_FAILURE" "" "ARGS")
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
      "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DWASMHOST_BUILD_APP=OFF
      -DWASMHOST_BUILD_TESTS=OFF -DWASMHOST_BUILD_BENCH=OFF -DWASMHOST_INSTALL=OFF
      -DWASMTIME_PROVIDER=wheel "-DWASMHOST_CACHE_DIR=${WORK_DIR}/cache" ${arg_ARGS}
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  message("${output}")
  if(arg_EXPECT_FAILURE AND status EQUAL 0)
    message(FATAL_ERROR "configuring succeeded, but should have failed")
  elseif(NOT arg_EXPECT_FAILURE AND NOT status EQUAL 0)
    message(FATAL_ERROR "configuring failed (${status})")
  endif()
  string(REGEX REPLACE "[ \n]+" " " flat "${output}")
  set(${out_var} "${flat}" PARENT_SCOPE)
endfunction()

function(expect text)
  foreach(pattern IN LISTS ARGN)
    if(NOT text MATCHES "${pattern}")
      message(FATAL_ERROR "no /${pattern}/ in the output above")
    endif()
  endforeach()
endfunction()

function(expect_not text)
  foreach(pattern IN LISTS ARGN)
    if(text MATCHES "${pattern}")
      message(FATAL_ERROR "/${pattern}/ in the output above")
    endif()
  endforeach()
endfunction()

function(regex_of text out_var)
  string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" escaped "${text}")
  set(${out_var} "${escaped}" PARENT_SCOPE)
endfunction()

# The prefix the provider fills for a wheel of this SHA-256.
# functions_of_features(<feature regex> <out_var>): the C API functions
# that `declarations` gives to a feature matching the regex.
function(functions_of_features features out_var)
  set(functions "")
  foreach(entry IN LISTS declarations)
    if(entry MATCHES "^([^=]*)=.*\\+(${features})")
      list(APPEND functions "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  set(${out_var} "${functions}" PARENT_SCOPE)
endfunction()

function(prefix_of sha256 out_var)
  string(SUBSTRING "${sha256}" 0 12 short)
  set(${out_var} "${WORK_DIR}/cache/wasmtime-wheel-${WHEEL_VERSION}-${short}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "bad-sha256")
  stub_wheel(stub wheel)
  configure(output EXPECT_FAILURE ARGS "-DWASMTIME_WHEEL_FILE=${wheel}")
  regex_of("${wheel}" wheel_regex)
  expect("${output}" "The wheel ${wheel_regex} has SHA-256 ${wheel_SHA256}, not ${pinned_sha256}"
    "\\(WASMTIME_WHEEL_SHA256\\): it is not the pinned wasmtime==${WHEEL_VERSION}")
  file(GLOB extracted "${WORK_DIR}/cache/wasmtime-wheel-*/lib/*")
  if(extracted)
    message(FATAL_ERROR "the refused wheel was extracted: ${extracted}")
  endif()

elseif(MODE STREQUAL "not-a-sha256")
  stub_wheel(stub wheel)
  string(SUBSTRING "${pinned_sha256}" 1 -1 too_short)
  foreach(value "not-a-sha256" "${too_short}")
    configure(output EXPECT_FAILURE
      ARGS "-DWASMTIME_WHEEL_FILE=${wheel}" "-DWASMTIME_WHEEL_SHA256=${value}")
    expect("${output}" "WASMTIME_WHEEL_SHA256 '${value}' is not a SHA-256 \\(64 hexadecimal digits\\)")
    file(REMOVE_RECURSE "${WORK_DIR}/build")
  endforeach()

elseif(MODE STREQUAL "missing-file")
  configure(output EXPECT_FAILURE ARGS "-DWASMTIME_WHEEL_FILE=${WORK_DIR}/no-such.whl")
  regex_of("${WORK_DIR}/no-such.whl" missing_regex)
  expect("${output}" "WASMTIME_WHEEL_FILE: no file ${missing_regex}")

elseif(MODE STREQUAL "no-library")
  stub_wheel(empty wheel NO_LIBRARY)
  configure(output EXPECT_FAILURE
    ARGS "-DWASMTIME_WHEEL_FILE=${wheel}" "-DWASMTIME_WHEEL_SHA256=${wheel_SHA256}")
  regex_of("${wheel}" wheel_regex)
  expect("${output}" "The wheel ${wheel_regex} has no wasmtime/linux-x86_64/_libwasmtime\\.so")
  # A file that is no archive at all.
  file(REMOVE_RECURSE "${WORK_DIR}/build")
  file(WRITE "${WORK_DIR}/text.whl" "not a zip archive\n")
  file(SHA256 "${WORK_DIR}/text.whl" text_sha256)
  configure(output EXPECT_FAILURE
    ARGS "-DWASMTIME_WHEEL_FILE=${WORK_DIR}/text.whl" "-DWASMTIME_WHEEL_SHA256=${text_sha256}")
  regex_of("${WORK_DIR}/text.whl" text_regex)
  expect("${output}" "The wheel ${text_regex} is not a zip archive")

elseif(MODE STREQUAL "partial-feature")
  stub_wheel(partial wheel WITHOUT wasmtime_sharedmemory_new)
  configure(output EXPECT_FAILURE
    ARGS "-DWASMTIME_WHEEL_FILE=${wheel}" "-DWASMTIME_WHEEL_SHA256=${wheel_SHA256}")
  expect("${output}" "libwasmtime\\.so does not match the Wasmtime headers in [^ ]*/include \\(feature THREADS\\)"
    "1 declared function\\(s\\) are not exported, e\\.g\\. wasmtime_sharedmemory_new \\(\\+THREADS\\) is not exported")

elseif(MODE STREQUAL "version-mismatch")
  stub_wheel(old wheel VERSION 47_0_0)
  configure(output EXPECT_FAILURE
    ARGS "-DWASMTIME_WHEEL_FILE=${wheel}" "-DWASMTIME_WHEEL_SHA256=${wheel_SHA256}")
  regex_of("${WHEEL_VERSION}" version_regex)
  expect("${output}" "libwasmtime\\.so is Wasmtime 47\\.0\\.0 \\(its symbol resolve_vmctx_memory_ptr_\\*\\), the headers in [^ ]*/include are ${version_regex}")
  file(REMOVE_RECURSE "${WORK_DIR}/build")
  stub_wheel(unversioned wheel VERSION NONE)
  configure(output EXPECT_FAILURE
    ARGS "-DWASMTIME_WHEEL_FILE=${wheel}" "-DWASMTIME_WHEEL_SHA256=${wheel_SHA256}")
  expect("${output}" "libwasmtime\\.so exports no resolve_vmctx_memory_ptr_<version>"
    "cannot check that it is Wasmtime ${version_regex}")

elseif(MODE STREQUAL "derived-features")
  # Without every function of threads and of profiling.
  functions_of_features("THREADS|PROFILING" without)
  stub_wheel(fewer wheel WITHOUT ${without})
  configure(output ARGS "-DWASMTIME_WHEEL_FILE=${wheel}" "-DWASMTIME_WHEEL_SHA256=${wheel_SHA256}")
  expect("${output}" "Wasmtime ${WHEEL_VERSION} \\(wheel\\): conf\\.h generated for "
    "Wasmtime ${WHEEL_VERSION} \\(wheel\\): the library and conf\\.h agree: features [a-z0-9, -]*component-model")
  expect_not("${output}" "agree: features [a-z0-9, -]*(threads|profiling)")
  prefix_of("${wheel_SHA256}" prefix)
  file(STRINGS "${prefix}/include/wasmtime/conf.h" defined REGEX "^#define WASMTIME_FEATURE_")
  string(REGEX REPLACE "\r" "" defined "${defined}")
  foreach(macro GC ASYNC WASI WAT COMPONENT_MODEL POOLING_ALLOCATOR CRANELIFT ADDR2LINE COMPILER)
    if(NOT "#define WASMTIME_FEATURE_${macro}" IN_LIST defined)
      message(FATAL_ERROR "conf.h does not define WASMTIME_FEATURE_${macro}: ${defined}")
    endif()
  endforeach()
  foreach(macro THREADS PROFILING)
    if("#define WASMTIME_FEATURE_${macro}" IN_LIST defined)
      message(FATAL_ERROR "conf.h defines WASMTIME_FEATURE_${macro}, which the library lacks")
    endif()
  endforeach()
  file(SHA256 "${prefix}/lib/libwasmtime.so" installed)
  if(NOT installed STREQUAL wheel_LIBRARY_SHA256)
    message(FATAL_ERROR "${prefix}/lib/libwasmtime.so is not the wheel's library, unchanged")
  endif()
  message(STATUS "conf.h has the features of the library's symbols: no threads, no profiling")

elseif(MODE STREQUAL "cache-tampered")
  functions_of_features("THREADS" without)
  stub_wheel(stub wheel WITHOUT ${without})
  set(args "-DWASMTIME_WHEEL_FILE=${wheel}" "-DWASMTIME_WHEEL_SHA256=${wheel_SHA256}")
  configure(output ARGS ${args})
  prefix_of("${wheel_SHA256}" prefix)
  set(conf_h "${prefix}/include/wasmtime/conf.h")
  file(READ "${conf_h}" original)
  # conf.h without a feature the library has.
  string(REGEX REPLACE "#define WASMTIME_FEATURE_GC\r?\n" "" edited "${original}")
  file(WRITE "${conf_h}" "${edited}")
  configure(output EXPECT_FAILURE ARGS ${args})
  expect("${output}" "conf\\.h does not describe [^ ]*libwasmtime\\.so: feature gc \\(the library has it, conf\\.h does not\\)")
  # conf.h with a feature the library lacks.
  file(WRITE "${conf_h}" "#define WASMTIME_FEATURE_THREADS\n${original}")
  configure(output EXPECT_FAILURE ARGS ${args})
  expect("${output}" "feature threads \\(conf\\.h has it, the library does not\\)")
  file(WRITE "${conf_h}" "${original}")
  configure(output ARGS ${args})
  # The library changed after it was extracted.
  file(APPEND "${prefix}/lib/libwasmtime.so" "tampered")
  configure(output EXPECT_FAILURE ARGS ${args})
  expect("${output}" "libwasmtime\\.so has changed since it was extracted")

else()
  message(FATAL_ERROR "Unknown MODE '${MODE}'")
endif()
message(STATUS "provider.wheel-${MODE}: passed")
