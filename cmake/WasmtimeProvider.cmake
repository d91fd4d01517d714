# Provides the Wasmtime C/C++ API as the imported target `wasmtime::wasmtime`.
#
# WASMTIME_PROVIDER chooses where it comes from:
#   source   (default) build it with cargo from the crates.io package
#            wasmtime-c-api-impl, once per machine, into a per-user cache
#   release  download the official C API release tarball (URL + SHA-256)
#   prebuilt use WASMTIME_ROOT, an extracted tarball or an install prefix
#   wheel    the official build's shared library from the Python package
#            wasmtime (pip, SHA-256), headers from the crates.io package:
#            seconds instead of minutes, but 48.0.0 (WasmtimeWheel.cmake)
# Every provider ends in a prefix with include/wasmtime.hh and
# lib/libwasmtime.a (the wheel: lib/libwasmtime.so).
# None runs when the including project has defined wasmtime::wasmtime itself
# (wasmhost as a dependency): that target is used, once its version is checked.
# The source provider needs cargo when its cache is not complete; the wheel
# provider needs pip and cargo (to download, not to compile) the same way.
include_guard(GLOBAL)

set(WASMTIME_PROVIDER "source" CACHE STRING
  "Where the Wasmtime C API comes from: source, release, prebuilt or wheel")
set_property(CACHE WASMTIME_PROVIDER PROPERTY STRINGS source release prebuilt wheel)
# The version pin, per provider: PyPI has no wheel of the patched 48.0.8.
set(WASMTIME_SOURCE_VERSION "48.0.8")
include("${CMAKE_CURRENT_LIST_DIR}/WasmtimeWheel.cmake") # WASMTIME_WHEEL_VERSION
if(WASMTIME_PROVIDER STREQUAL "wheel")
  set(WASMTIME_VERSION "${WASMTIME_WHEEL_VERSION}")
else()
  set(WASMTIME_VERSION "${WASMTIME_SOURCE_VERSION}")
endif()

if(DEFINED ENV{WASMHOST_CACHE_DIR})
  set(_wasmhost_default_cache "$ENV{WASMHOST_CACHE_DIR}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(_wasmhost_default_cache "$ENV{XDG_CACHE_HOME}/wasmhost")
else()
  set(_wasmhost_default_cache "$ENV{HOME}/.cache/wasmhost")
endif()
set(WASMHOST_CACHE_DIR "${_wasmhost_default_cache}" CACHE PATH
  "Per-user cache for Wasmtime builds and downloads, shared by every build folder and clone")

# --- source ------------------------------------------------------------------
# gc: wasmtime.hh needs it. component-model: wasmtime/component/*.hh; the
# 48.0.8 C API does not compile it without async. debug-builtins: gdb/lldb
# breakpoints in JIT code. profiling: jitdump and the guest profiler.
set(WASMTIME_FEATURES
  "cranelift;wasi;wat;gc;gc-drc;parallel-compilation;pooling-allocator;addr2line;demangle;async;component-model;debug-builtins;profiling"
  CACHE STRING "Cargo features of wasmtime-c-api-impl for the source provider")

function(_wasmtime_from_source out_prefix)
  set(crate_dir "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/wasmtime-c-api")
  set(features ${WASMTIME_FEATURES})
  list(SORT features)
  list(REMOVE_DUPLICATES features)
  string(REPLACE ";" "," feature_csv "${features}")
  string(SHA256 feature_key "${feature_csv}")
  string(SUBSTRING "${feature_key}" 0 12 feature_key)
  set(prefix "${WASMHOST_CACHE_DIR}/wasmtime-${WASMTIME_VERSION}-${feature_key}")
  # One cargo target folder for every feature set: a change of features
  # recompiles only the crates it touches (cargo locks the folder itself).
  set(target_dir "${WASMHOST_CACHE_DIR}/wasmtime-${WASMTIME_VERSION}-target")

  # What was built is recorded in a stamp: the features and the artifact
  # crate's files. A matching stamp means the cache is complete and current.
  set(stamp_content "wasmtime ${WASMTIME_VERSION}\nfeatures ${feature_csv}\n")
  foreach(input Cargo.toml Cargo.lock src/lib.rs)
    file(SHA256 "${crate_dir}/${input}" input_hash)
    string(APPEND stamp_content "${input} ${input_hash}\n")
  endforeach()
  set(stamp "${prefix}/wasmhost-build.stamp")

  file(MAKE_DIRECTORY "${prefix}")
  file(LOCK "${prefix}/.lock" GUARD FUNCTION TIMEOUT 3600
    RESULT_VARIABLE lock_result)
  if(NOT lock_result EQUAL 0)
    message(FATAL_ERROR "Could not lock ${prefix}/.lock: ${lock_result}")
  endif()

  set(current_stamp "")
  if(EXISTS "${stamp}")
    file(READ "${stamp}" current_stamp)
  endif()
  if(current_stamp STREQUAL stamp_content AND EXISTS "${prefix}/lib/libwasmtime.a"
      AND EXISTS "${prefix}/include/wasmtime.hh")
    message(STATUS "Wasmtime ${WASMTIME_VERSION}: reusing the cached build in ${prefix}")
  else()
    # Only a build needs cargo: a complete cache does not.
    find_program(CARGO_EXECUTABLE cargo HINTS "$ENV{HOME}/.cargo/bin")
    if(NOT CARGO_EXECUTABLE)
      message(FATAL_ERROR "WASMTIME_PROVIDER=source needs cargo (https://rustup.rs) to build "
        "the Wasmtime C API into ${prefix}, or use -DWASMTIME_PROVIDER=release / prebuilt.")
    endif()
    # What is about to be compiled, before the long step: the crates of this
    # feature set (cargo tree reads Cargo.lock; it downloads what is missing).
    execute_process(
      COMMAND "${CARGO_EXECUTABLE}" tree --locked --manifest-path "${crate_dir}/Cargo.toml"
        --no-default-features --features "${feature_csv}" -e normal,build --prefix none
        --format "{p}"
      OUTPUT_VARIABLE crate_tree RESULT_VARIABLE tree_result ERROR_QUIET)
    set(crate_count "about 190")
    if(tree_result EQUAL 0)
      string(REGEX REPLACE " \\(\\*\\)" "" crate_tree "${crate_tree}")
      string(REGEX REPLACE "\n$" "" crate_tree "${crate_tree}")
      string(REPLACE "\n" ";" crate_tree "${crate_tree}")
      list(REMOVE_DUPLICATES crate_tree)
      list(LENGTH crate_tree crate_count)
    endif()
    message(STATUS "Wasmtime ${WASMTIME_VERSION}: compiling the C API from source with cargo: "
      "${crate_count} crates (wasmtime, cranelift, wasmtime-wasi, ...), features ${feature_csv}.")
    message(STATUS "  Once per machine: about 4-5 minutes on an idle 2-core machine, longer on "
      "a busy one; cargo's progress follows. The result is cached in ${prefix} for every "
      "later build folder and clone.")
    message(STATUS "  In seconds instead, without compiling: -DWASMTIME_PROVIDER=wheel (the "
      "official build of 48.0.0, see docs/wasmtime-providers.md).")
    file(REMOVE_RECURSE "${prefix}/include" "${stamp}")
    # wasmtime-c-api-impl's build script runs `cmake` to configure conf.h.
    get_filename_component(cmake_bin_dir "${CMAKE_COMMAND}" DIRECTORY)
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -E env
        "CARGO_TARGET_DIR=${target_dir}"
        "PATH=${cmake_bin_dir}:$ENV{PATH}"
        "${CARGO_EXECUTABLE}" build --release --locked
          --manifest-path "${crate_dir}/Cargo.toml"
          --no-default-features --features "${feature_csv}"
          --message-format=json-render-diagnostics
      OUTPUT_VARIABLE cargo_messages
      RESULT_VARIABLE cargo_result)
    if(NOT cargo_result EQUAL 0)
      message(FATAL_ERROR "Building the Wasmtime C API with cargo failed (exit ${cargo_result}). "
        "See the cargo output above; if crates.io is unreachable, use "
        "-DWASMTIME_PROVIDER=release or prebuilt (see README).")
    endif()
    # The headers, with the conf.h configured for these features, are in the
    # OUT_DIR of wasmtime-c-api-impl's build script.
    string(REGEX MATCH
      "\"reason\":\"build-script-executed\",\"package_id\":\"[^\"]*wasmtime-c-api-impl[^\n]*\"out_dir\":\"([^\"]*)\""
      header_message "${cargo_messages}")
    if(NOT CMAKE_MATCH_1 OR NOT EXISTS "${CMAKE_MATCH_1}/include/wasmtime.hh")
      message(FATAL_ERROR "cargo built the Wasmtime C API but did not report its headers.")
    endif()
    file(COPY "${CMAKE_MATCH_1}/include/" DESTINATION "${prefix}/include")
    file(MAKE_DIRECTORY "${prefix}/lib")
    file(COPY_FILE "${target_dir}/release/libwasmtime_c_api_artifact.a"
      "${prefix}/lib/libwasmtime.a.tmp")
    file(RENAME "${prefix}/lib/libwasmtime.a.tmp" "${prefix}/lib/libwasmtime.a")
    file(WRITE "${stamp}" "${stamp_content}")
    message(STATUS "Wasmtime ${WASMTIME_VERSION}: C API built and cached in ${prefix}")
  endif()
  set(${out_prefix} "${prefix}" PARENT_SCOPE)
  set(WASMTIME_CARGO_TARGET_DIR "${target_dir}" CACHE INTERNAL
    "cargo target folder of the source provider's Wasmtime build")
endfunction()

# --- release -----------------------------------------------------------------
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(_wasmtime_arch aarch64)
else()
  set(_wasmtime_arch x86_64)
endif()
set(WASMTIME_RELEASE_URL
  "https://github.com/bytecodealliance/wasmtime/releases/download/v${WASMTIME_VERSION}/wasmtime-v${WASMTIME_VERSION}-${_wasmtime_arch}-linux-c-api.tar.xz"
  CACHE STRING "URL of the Wasmtime C API release tarball (release provider); file:// works")
set(WASMTIME_RELEASE_SHA256 "" CACHE STRING
  "Expected SHA-256 of the release tarball (release provider)")

function(_wasmtime_from_release out_prefix)
  if(WASMTIME_RELEASE_SHA256 STREQUAL "")
    message(FATAL_ERROR "WASMTIME_PROVIDER=release needs -DWASMTIME_RELEASE_SHA256=<sha256 of "
      "${WASMTIME_RELEASE_URL}> so that the download is verified.")
  endif()
  string(TOLOWER "${WASMTIME_RELEASE_SHA256}" sha256)
  string(SUBSTRING "${sha256}" 0 12 short_hash)
  set(prefix "${WASMHOST_CACHE_DIR}/wasmtime-release-${WASMTIME_VERSION}-${short_hash}")
  set(stamp "${prefix}/wasmhost-release.stamp")
  file(MAKE_DIRECTORY "${prefix}")
  file(LOCK "${prefix}/.lock" GUARD FUNCTION TIMEOUT 3600)
  if(EXISTS "${stamp}")
    message(STATUS "Wasmtime ${WASMTIME_VERSION}: reusing the extracted release in ${prefix}")
    set(${out_prefix} "${prefix}" PARENT_SCOPE)
    return()
  endif()
  get_filename_component(archive_name "${WASMTIME_RELEASE_URL}" NAME)
  set(archive "${WASMHOST_CACHE_DIR}/downloads/${archive_name}")
  message(STATUS "Wasmtime ${WASMTIME_VERSION}: downloading ${WASMTIME_RELEASE_URL}")
  file(DOWNLOAD "${WASMTIME_RELEASE_URL}" "${archive}"
    EXPECTED_HASH SHA256=${sha256}
    STATUS download_status SHOW_PROGRESS)
  list(GET download_status 0 download_code)
  if(NOT download_code EQUAL 0)
    list(GET download_status 1 download_message)
    file(REMOVE "${archive}")
    message(FATAL_ERROR "Downloading ${WASMTIME_RELEASE_URL} failed: ${download_message}. "
      "Without access to the release server use the default source provider or "
      "-DWASMTIME_PROVIDER=prebuilt -DWASMTIME_ROOT=<dir>.")
  endif()
  set(unpack "${prefix}/unpack")
  file(REMOVE_RECURSE "${unpack}" "${prefix}/include" "${prefix}/lib")
  file(ARCHIVE_EXTRACT INPUT "${archive}" DESTINATION "${unpack}")
  # Release tarballs hold one top folder (wasmtime-vX-arch-linux-c-api/).
  file(GLOB top_entries LIST_DIRECTORIES true "${unpack}/*")
  list(LENGTH top_entries top_count)
  if(top_count EQUAL 1 AND IS_DIRECTORY "${top_entries}")
    set(root "${top_entries}")
  else()
    set(root "${unpack}")
  endif()
  if(NOT EXISTS "${root}/include/wasmtime.hh" OR NOT EXISTS "${root}/lib/libwasmtime.a")
    message(FATAL_ERROR "${archive_name} does not have the release layout "
      "(include/wasmtime.hh and lib/libwasmtime.a).")
  endif()
  file(RENAME "${root}/include" "${prefix}/include")
  file(RENAME "${root}/lib" "${prefix}/lib")
  file(REMOVE_RECURSE "${unpack}")
  file(WRITE "${stamp}" "${WASMTIME_RELEASE_URL}\n${sha256}\n")
  set(${out_prefix} "${prefix}" PARENT_SCOPE)
endfunction()

# --- prebuilt ----------------------------------------------------------------
set(WASMTIME_ROOT "" CACHE PATH
  "Extracted Wasmtime C API tarball or install prefix (prebuilt provider)")

# --- the imported target -------------------------------------------------------
# The Wasmtime version of the headers in `include_dir`, in `out_var`.
function(_wasmtime_header_version include_dir out_var)
  file(STRINGS "${include_dir}/wasmtime.h" version_line REGEX "^#define WASMTIME_VERSION \"")
  string(REGEX REPLACE ".*\"(.*)\".*" "\\1" version "${version_line}")
  set(${out_var} "${version}" PARENT_SCOPE)
endfunction()

# The project that includes wasmhost (add_subdirectory, FetchContent) may
# bring its own wasmtime::wasmtime; then no provider runs, and no cargo is
# needed. It must be the pinned version: checked when its headers are found.
if(TARGET wasmtime::wasmtime)
  get_target_property(_wasmtime_includes wasmtime::wasmtime INTERFACE_INCLUDE_DIRECTORIES)
  set(WASMTIME_INCLUDE_DIR "")
  foreach(_dir IN LISTS _wasmtime_includes)
    if(EXISTS "${_dir}/wasmtime.h")
      set(WASMTIME_INCLUDE_DIR "${_dir}")
      break()
    endif()
  endforeach()
  if(WASMTIME_INCLUDE_DIR)
    _wasmtime_header_version("${WASMTIME_INCLUDE_DIR}" _wasmtime_found_version)
    if(NOT _wasmtime_found_version STREQUAL WASMTIME_VERSION)
      message(FATAL_ERROR "The target wasmtime::wasmtime defined before wasmhost is Wasmtime "
        "${_wasmtime_found_version} (${WASMTIME_INCLUDE_DIR}/wasmtime.h); wasmhost is pinned to "
        "${WASMTIME_VERSION}.")
    endif()
  endif()
  # For the install rules (WasmhostInstall.cmake), which copy the library.
  get_target_property(WASMTIME_LIBRARY wasmtime::wasmtime IMPORTED_LOCATION)
  if(NOT WASMTIME_LIBRARY)
    set(WASMTIME_LIBRARY "")
  endif()
  get_target_property(_wasmtime_target_type wasmtime::wasmtime TYPE)
  if(_wasmtime_target_type STREQUAL "SHARED_LIBRARY")
    set(WASMTIME_LIBRARY_KIND SHARED)
  else()
    set(WASMTIME_LIBRARY_KIND STATIC)
  endif()
  set(WASMTIME_PROVIDER_USED "target")
  message(STATUS "Wasmtime ${WASMTIME_VERSION}: the target wasmtime::wasmtime defined before "
    "wasmhost (${WASMTIME_LIBRARY})")
  return()
endif()

if(WASMTIME_PROVIDER STREQUAL "source")
  _wasmtime_from_source(_wasmtime_prefix)
elseif(WASMTIME_PROVIDER STREQUAL "release")
  _wasmtime_from_release(_wasmtime_prefix)
elseif(WASMTIME_PROVIDER STREQUAL "prebuilt")
  if(WASMTIME_ROOT STREQUAL "")
    message(FATAL_ERROR "WASMTIME_PROVIDER=prebuilt needs -DWASMTIME_ROOT=<dir with include/ and lib/>.")
  endif()
  set(_wasmtime_prefix "${WASMTIME_ROOT}")
elseif(WASMTIME_PROVIDER STREQUAL "wheel")
  _wasmtime_from_wheel(_wasmtime_prefix)
else()
  message(FATAL_ERROR "Unknown WASMTIME_PROVIDER '${WASMTIME_PROVIDER}': use source, release, "
    "prebuilt or wheel.")
endif()

find_path(WASMTIME_INCLUDE_DIR wasmtime.hh
  PATHS "${_wasmtime_prefix}/include" NO_DEFAULT_PATH NO_CACHE)
if(WASMTIME_PROVIDER STREQUAL "wheel")
  set(WASMTIME_LIBRARY "${_wasmtime_prefix}/lib/libwasmtime.so")
  set(_wasmtime_expected "include/wasmtime.hh and lib/libwasmtime.so")
else()
  find_library(WASMTIME_LIBRARY NAMES libwasmtime.a wasmtime
    PATHS "${_wasmtime_prefix}/lib" NO_DEFAULT_PATH NO_CACHE)
  set(_wasmtime_expected "include/wasmtime.hh and lib/libwasmtime.a")
endif()
if(NOT WASMTIME_INCLUDE_DIR OR NOT EXISTS "${WASMTIME_LIBRARY}")
  message(FATAL_ERROR "No Wasmtime C API in ${_wasmtime_prefix}: expected ${_wasmtime_expected}.")
endif()
_wasmtime_header_version("${WASMTIME_INCLUDE_DIR}" _wasmtime_found_version)
if(NOT _wasmtime_found_version STREQUAL WASMTIME_VERSION)
  message(FATAL_ERROR "Wasmtime in ${_wasmtime_prefix} is ${_wasmtime_found_version}, "
    "this project is pinned to ${WASMTIME_VERSION}.")
endif()

find_package(Threads REQUIRED)
if(WASMTIME_PROVIDER STREQUAL "wheel")
  # The official libwasmtime.so has no SONAME, and is used as it is (its
  # SHA-256 is the wheel's): CMake links it as -lwasmtime, not by its path,
  # so that programs record libwasmtime.so and find it by their RUNPATH.
  add_library(wasmtime::wasmtime SHARED IMPORTED GLOBAL)
  set_target_properties(wasmtime::wasmtime PROPERTIES IMPORTED_NO_SONAME TRUE)
  set(WASMTIME_LIBRARY_KIND SHARED)
else()
  add_library(wasmtime::wasmtime UNKNOWN IMPORTED GLOBAL)
  set(WASMTIME_LIBRARY_KIND STATIC)
endif()
set_target_properties(wasmtime::wasmtime PROPERTIES
  IMPORTED_LOCATION "${WASMTIME_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${WASMTIME_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};m")
set(WASMTIME_PREFIX "${_wasmtime_prefix}" CACHE INTERNAL "Folder the Wasmtime C API came from")
set(WASMTIME_PROVIDER_USED "${WASMTIME_PROVIDER}")
message(STATUS "Wasmtime ${WASMTIME_VERSION} (${WASMTIME_PROVIDER}): ${WASMTIME_LIBRARY}")
