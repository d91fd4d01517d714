# The consumer tests: wasmhost used as another project uses it, each building
# the library (or taking it from the install prefix) and one small host,
# article_host_main.cc, which runs guest.wasm. See ctest/consumer/CMakeLists.txt.
#
# Usage: cmake -DMODE=<mode> -DSOURCE_DIR=<wasmhost source> -DWORK_DIR=<dir> ... -P consumer_test.cmake
#   install            cmake --install BUILD_DIR --prefix PREFIX, then check the prefix
#   find-package       find_package(wasmhost) from PREFIX
#   build-tree         find_package(wasmhost) with wasmhost_DIR=BUILD_DIR
#   wit-bindings       find_package(wasmhost) from PREFIX, wasmhost_wit_bindings() of wit/plugin.wit,
#                      a host on the generated bindings runs GUEST_COMPONENT_WASM; a bad world
#                      and a bad WIT fail the build naming them
#   version-mismatch   find_package(wasmhost 0.3) and (wasmhost 1.0) must fail
#   add-subdirectory   a parent with include(CTest) and no build type
#   fetchcontent       FetchContent from SOURCE_DIR, the parent's own wasmtime::wasmtime
#   app-needs-cargo    the same with WASMHOST_BUILD_APP=ON and no cargo: a clear error
#   wit-cpp-missing    the same with WASMHOST_WIT_CPP_EXECUTABLE naming no file: a clear error
#   wrong-wasmtime     the same with a parent's wasmtime::wasmtime of another version
#   tests-need-app     wasmhost alone with WASMHOST_BUILD_TESTS=ON, WASMHOST_BUILD_APP=OFF
#   pkg-config         c++ main.cc $(pkg-config --cflags --libs wasmhost) from PREFIX
#   shared-library     a shared library with wasmhost inside exports none of Wasmtime
#
# The consumers run with cargo out of PATH and HOME in WORK_DIR: the prefix
# must need neither cargo nor the Wasmtime cache, a parent with its own
# Wasmtime no cargo, and add-subdirectory (the outer build's cached Wasmtime)
# must run no cargo either.
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/../require_definitions.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/../outer_wasmtime.cmake")
require_definitions(MODE SOURCE_DIR WORK_DIR WASMHOST_VERSION WASMTIME_VERSION WASMTIME_PROVIDER)
string(REPLACE "." "\\." version_regex "${WASMHOST_VERSION}")
# The Wasmtime of the outer build: 48.0.8 (source), 48.0.0 (wheel).
string(REPLACE "." "\\." wasmtime_regex "${WASMTIME_VERSION}")
# The wheel provider's Wasmtime is a shared library, the others' static.
if(WASMTIME_PROVIDER STREQUAL "wheel")
  set(wasmtime_file libwasmtime.so)
else()
  set(wasmtime_file libwasmtime.a)
endif()
# A parent that brings its own wasmtime::wasmtime keeps the outer build's
# provider, for the version pin it is checked against.
set(pin_args "-DWASMTIME_PROVIDER=${WASMTIME_PROVIDER}")
set(consumer_dir "${CMAKE_CURRENT_LIST_DIR}")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/home")

# PATH without any folder that has cargo, and a HOME without ~/.cargo.
set(clean_path "")
string(REPLACE ":" ";" path_entries "$ENV{PATH}")
foreach(entry IN LISTS path_entries)
  if(entry AND NOT EXISTS "${entry}/cargo")
    list(APPEND clean_path "${entry}")
  endif()
endforeach()
string(REPLACE ";" ":" clean_path "${clean_path}")
# ccache (the scripts' CMAKE_CXX_COMPILER_LAUNCHER) finds its cache through
# HOME unless CCACHE_DIR says where: with this HOME each nested build had an
# empty cache and compiled the library from scratch (add-subdirectory and
# fetchcontent 170 s each on 2 cores). So the user's cache is named here.
set(ccache_env "")
if(NOT DEFINED ENV{CCACHE_DIR})
  find_program(WASMHOST_CCACHE ccache)
  if(WASMHOST_CCACHE)
    execute_process(COMMAND "${WASMHOST_CCACHE}" --get-config cache_dir
      OUTPUT_VARIABLE ccache_dir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE ccache_result
      ERROR_QUIET)
    if(ccache_result EQUAL 0 AND ccache_dir)
      set(ccache_env "CCACHE_DIR=${ccache_dir}")
    endif()
  endif()
endif()
set(without_cargo "${CMAKE_COMMAND}" -E env "PATH=${clean_path}" "HOME=${WORK_DIR}/home"
  ${ccache_env} --unset=CARGO_HOME --unset=RUSTUP_HOME)

set(compiler_args "")
if(CXX_COMPILER)
  list(APPEND compiler_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()

# run(<description> <out_var> [EXPECT_FAILURE] COMMAND <command>...): runs the
# command (its output printed), fails the test unless it exits as expected.
function(run description out_var)
  cmake_parse_arguments(PARSE_ARGV 2 arg "EXPECT_FAILURE" "" "COMMAND")
  message(STATUS "${description}")
  execute_process(COMMAND ${arg_COMMAND} RESULT_VARIABLE status OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
  message("${output}")
  if(arg_EXPECT_FAILURE AND status EQUAL 0)
    message(FATAL_ERROR "${description}: succeeded, but should have failed")
  elseif(NOT arg_EXPECT_FAILURE AND NOT status EQUAL 0)
    message(FATAL_ERROR "${description}: failed (${status})")
  endif()
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

function(expect_match description text)
  foreach(pattern IN LISTS ARGN)
    if(NOT text MATCHES "${pattern}")
      message(FATAL_ERROR "${description}: no /${pattern}/ in the output above")
    endif()
  endforeach()
endfunction()

function(expect_no_match description text)
  foreach(pattern IN LISTS ARGN)
    if(text MATCHES "${pattern}")
      message(FATAL_ERROR "${description}: /${pattern}/ in the output above")
    endif()
  endforeach()
endfunction()

# expect_message(<description> <output> <regex>...): as expect_match, for
# CMake's messages, which it wraps: every run of blanks and newlines in the
# output is one space.
function(expect_message description text)
  string(REGEX REPLACE "[ \n]+" " " flat "${text}")
  expect_match("${description}" "${flat}" ${ARGN})
endfunction()

# The article host on guest.wasm: exit status 0 and the article's results.
function(check_article_host executable)
  require_definitions(GUEST_WASM)
  run("Running ${executable} ${GUEST_WASM}" output COMMAND "${executable}" "${GUEST_WASM}")
  expect_match("the article host" "${output}"
    "\\[Host Setup\\] Module instantiated successfully.\n"
    "\\[Host Main\\] 'just_add' Result: 42\n"
    "\\[Host Target\\] host_log_value called by WASM with value: 14\n"
    "\\[Host Target\\] host_get_shared_value called by WASM. Returning: 42\n"
    "\\[Host Target\\] host_set_shared_value called by WASM. Old host value: 42, New host value: 54\n"
    "\\[Host Main\\] Host value before: 42, after: 54\n"
    "\\[Host Main\\] 'point_add' Result read from memory: { x: 130, y: 270 }\n"
    "\\[Host Main\\] Value read from plugin: 100\n"
    "\\[Host Main\\] Value read after host write: 777\n"
    "\\[WASM Core\\] Current plugin's internal shared value: 777\n"
    "\n\\[Host Main\\] Article tests 1-5: all passed \\(0 failure\\(s\\)\\)\n$")
  expect_no_match("the article host" "${output}" "FAILED")
endfunction()

# configure_consumer(<name> <out_var> [EXPECT_FAILURE] [WITHOUT_CARGO] ARGS <cmake args>...)
function(configure_consumer name out_var)
  cmake_parse_arguments(PARSE_ARGV 2 arg "EXPECT_FAILURE;WITHOUT_CARGO" "" "ARGS")
  set(launcher "")
  if(arg_WITHOUT_CARGO)
    set(launcher ${without_cargo})
  endif()
  set(expect "")
  if(arg_EXPECT_FAILURE)
    set(expect EXPECT_FAILURE)
  endif()
  run("Configuring the consumer ${name}" output ${expect} COMMAND ${launcher} "${CMAKE_COMMAND}"
    -S "${consumer_dir}/${name}" -B "${WORK_DIR}/build" ${compiler_args} ${arg_ARGS})
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

function(build_consumer out_var)
  cmake_parse_arguments(PARSE_ARGV 1 arg "WITHOUT_CARGO" "" "")
  set(launcher "")
  if(arg_WITHOUT_CARGO)
    set(launcher ${without_cargo})
  endif()
  run("Building the consumer" output COMMAND ${launcher} "${CMAKE_COMMAND}"
    --build "${WORK_DIR}/build" -j 2)
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

set(prefix_wasmtime_library "${PREFIX}/${LIBDIR}/wasmhost/${wasmtime_file}")
set(prefix_wasmtime_include "${PREFIX}/include/wasmhost/third_party/wasmtime")

if(MODE STREQUAL "install")
  require_definitions(BUILD_DIR PREFIX LIBDIR CONFIG WASMTIME_LIBRARY)
  file(REMOVE_RECURSE "${PREFIX}")
  run("cmake --install ${BUILD_DIR} --prefix ${PREFIX}" output
    COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" --config "${CONFIG}")
  foreach(file
      include/wasmhost/wasm_host.hh include/wasmhost/guest_buffer.hh
      include/wasmhost/third_party/wasmtime/wasmtime.hh
      include/wasmhost/third_party/wasmtime/wasmtime.h
      ${LIBDIR}/libwasmhost.a ${LIBDIR}/wasmhost/${wasmtime_file}
      ${LIBDIR}/cmake/wasmhost/wasmhostConfig.cmake
      ${LIBDIR}/cmake/wasmhost/wasmhostConfigVersion.cmake
      ${LIBDIR}/cmake/wasmhost/wasmhostTargets.cmake
      ${LIBDIR}/cmake/wasmhost/WasmhostWitBindings.cmake bin/wasmhost-wit-cpp
      ${LIBDIR}/pkgconfig/wasmhost.pc
      share/doc/wasmhost/LICENSE share/doc/wasmhost/third_party/wasmtime/LICENSE)
    if(NOT EXISTS "${PREFIX}/${file}")
      message(FATAL_ERROR "the install prefix has no ${file}")
    endif()
  endforeach()
  file(SHA256 "${WASMTIME_LIBRARY}" expected_hash)
  file(SHA256 "${PREFIX}/${LIBDIR}/wasmhost/${wasmtime_file}" installed_hash)
  if(NOT expected_hash STREQUAL installed_hash)
    message(FATAL_ERROR "the installed ${wasmtime_file} is not ${WASMTIME_LIBRARY}")
  endif()
  file(READ "${PREFIX}/share/doc/wasmhost/third_party/wasmtime/LICENSE" wasmtime_license)
  expect_match("Wasmtime's licence" "${wasmtime_license}" "Apache License" "LLVM Exceptions")
  # Self-contained and movable: no package file names the source or build
  # tree, the Wasmtime cache or the prefix itself.
  get_filename_component(wasmtime_dir "${WASMTIME_LIBRARY}" DIRECTORY)
  get_filename_component(wasmtime_dir "${wasmtime_dir}" DIRECTORY)
  file(GLOB_RECURSE package_files "${PREFIX}/${LIBDIR}/cmake/*" "${PREFIX}/${LIBDIR}/pkgconfig/*")
  foreach(file IN LISTS package_files)
    file(READ "${file}" content)
    foreach(path "${SOURCE_DIR}" "${BUILD_DIR}" "${PREFIX}" "${wasmtime_dir}")
      string(FIND "${content}" "${path}" at)
      if(NOT at EQUAL -1)
        message(FATAL_ERROR "${file} names ${path}")
      endif()
    endforeach()
  endforeach()
  message(STATUS "The prefix ${PREFIX} is complete and names no outside path")

elseif(MODE STREQUAL "find-package" OR MODE STREQUAL "build-tree")
  if(MODE STREQUAL "find-package")
    require_definitions(PREFIX LIBDIR)
    set(where "-DCMAKE_PREFIX_PATH=${PREFIX}")
    set(expected_wasmtime "${prefix_wasmtime_library}")
  else()
    require_definitions(BUILD_DIR WASMTIME_LIBRARY)
    set(where "-Dwasmhost_DIR=${BUILD_DIR}")
    set(expected_wasmtime "${WASMTIME_LIBRARY}")
  endif()
  configure_consumer(find_package output WITHOUT_CARGO ARGS ${where})
  string(REPLACE "+" "\\+" expected_wasmtime "${expected_wasmtime}")
  expect_match("find_package(wasmhost)" "${output}"
    "consumer: wasmhost ${version_regex} \\(Wasmtime ${wasmtime_regex}\\)"
    "consumer: wasmtime::wasmtime is ${expected_wasmtime}\n")
  build_consumer(output WITHOUT_CARGO)
  check_article_host("${WORK_DIR}/build/article_host")

elseif(MODE STREQUAL "wit-bindings")
  require_definitions(PREFIX GUEST_COMPONENT_WASM)
  configure_consumer(wit_bindings output WITHOUT_CARGO
    ARGS "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DPLUGIN_WIT_DIR=${SOURCE_DIR}/wit")
  expect_match("find_package(wasmhost) with wasmhost_wit_bindings()" "${output}"
    "consumer: wasmhost::wit-cpp is ${PREFIX}/bin/wasmhost-wit-cpp\n")
  build_consumer(output WITHOUT_CARGO)
  expect_match("building the consumer" "${output}"
    "Generating the C\\+\\+ bindings of WIT world plugin \\(plugin_bindings\\.hh\\)")
  run("Running plugin_host ${GUEST_COMPONENT_WASM}" output
    COMMAND "${WORK_DIR}/build/plugin_host" "${GUEST_COMPONENT_WASM}")
  expect_match("plugin_host" "${output}" "^just_add\\(15, 27\\) = 42\nlog-value 14\nshared value 54\n"
    "point_add = {130, 270}\nfill_journal = 3\ncounter 15\n$")
  # A world the WIT does not have, and a WIT that does not parse: the build
  # fails with the generator's one-line error, naming the world or the file.
  file(READ "${SOURCE_DIR}/wit/plugin.wit" plugin_wit)
  file(WRITE "${WORK_DIR}/bad-wit/plugin.wit" "${plugin_wit}\nworld broken {\n  export f: func(;\n}\n")
  foreach(case "plugin-wit;nope;World `nope` not found in package `wasmhost:plugin@0.1.0`"
                "bad-wit;plugin;wasmhost-wit-cpp: error: [^\n]*bad-wit/plugin\\.wit:[0-9]+:[0-9]+")
    list(GET case 0 wit_dir)
    list(GET case 1 world)
    list(GET case 2 expected)
    if(wit_dir STREQUAL "plugin-wit")
      set(wit_dir "${SOURCE_DIR}/wit")
    else()
      set(wit_dir "${WORK_DIR}/${wit_dir}")
    endif()
    file(REMOVE_RECURSE "${WORK_DIR}/build")
    configure_consumer(wit_bindings output WITHOUT_CARGO
      ARGS "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DPLUGIN_WIT_DIR=${wit_dir}" "-DPLUGIN_WORLD=${world}")
    run("Building the consumer with world ${world} of ${wit_dir}" output EXPECT_FAILURE
      COMMAND ${without_cargo} "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
    expect_match("wasmhost_wit_bindings(WORLD ${world}) of ${wit_dir}" "${output}" "${expected}")
  endforeach()

elseif(MODE STREQUAL "version-mismatch")
  require_definitions(PREFIX)
  foreach(version 0.3 1.0)
    configure_consumer(find_package output EXPECT_FAILURE WITHOUT_CARGO
      ARGS "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DWASMHOST_REQUIRED_VERSION=${version}")
    expect_message("find_package(wasmhost ${version})" "${output}"
      "compatible with requested version \"${version}\""
      "wasmhostConfig.cmake, version: ${version_regex}")
    file(REMOVE_RECURSE "${WORK_DIR}/build")
  endforeach()

elseif(MODE STREQUAL "add-subdirectory")
  require_definitions(GUEST_WASM WASMTIME_PROVIDER WASMHOST_CACHE_DIR WASMTIME_PREFIX)
  # The outer build's Wasmtime: the source provider from its (complete) cache,
  # so that configuring runs no cargo either; or its prefix.
  outer_wasmtime_args(provider_args "${WORK_DIR}")
  if(WASMTIME_PROVIDER STREQUAL "source")
    set(provider_message "reusing the cached build")
  elseif(WASMTIME_PROVIDER STREQUAL "wheel")
    set(provider_message "Wasmtime ${wasmtime_regex} \\(wheel\\): reusing")
  else()
    set(provider_message "Wasmtime ${wasmtime_regex} \\(prebuilt\\)")
  endif()
  if(SANITIZE)
    list(APPEND provider_args "-DWASMHOST_SANITIZE=${SANITIZE}")
  endif()
  configure_consumer(add_subdirectory output WITHOUT_CARGO
    ARGS "-DWASMHOST_SOURCE_DIR=${SOURCE_DIR}" "-DGUEST_WASM=${GUEST_WASM}" ${provider_args})
  expect_match("add_subdirectory(wasmhost)" "${output}" "${provider_message}"
    "consumer: add_subdirectory\\(wasmhost\\) left the parent alone")
  file(STRINGS "${WORK_DIR}/build/CMakeCache.txt" build_type REGEX "^CMAKE_BUILD_TYPE:")
  if(NOT build_type MATCHES "^CMAKE_BUILD_TYPE:[A-Z]+=$")
    message(FATAL_ERROR "the parent's cache has ${build_type}")
  endif()
  build_consumer(output WITHOUT_CARGO)
  expect_no_match("building the parent" "${output}" "[Cc]argo" "Rust guest")
  foreach(stray host host-bench guest.wasm wasmhost/host wasmhost/guest.wasm)
    if(EXISTS "${WORK_DIR}/build/${stray}")
      message(FATAL_ERROR "wasmhost built ${stray} in the parent")
    endif()
  endforeach()
  run("ctest -N in the parent" output
    COMMAND "${CMAKE_COMMAND}" -E chdir "${WORK_DIR}/build" "${CMAKE_CTEST_COMMAND}" -N)
  expect_match("the parent's tests" "${output}" "#1: parent\\.article-host\n" "Total Tests: 1\n")
  run("ctest in the parent" output
    COMMAND "${CMAKE_COMMAND}" -E chdir "${WORK_DIR}/build" "${CMAKE_CTEST_COMMAND}"
      --output-on-failure)
  check_article_host("${WORK_DIR}/build/article_host")

elseif(MODE STREQUAL "fetchcontent")
  require_definitions(PREFIX LIBDIR)
  set(sanitize_args "")
  if(SANITIZE)
    set(sanitize_args "-DWASMHOST_SANITIZE=${SANITIZE}")
  endif()
  configure_consumer(fetchcontent output WITHOUT_CARGO
    ARGS "-DWASMHOST_SOURCE_DIR=${SOURCE_DIR}"
         "-DWASMTIME_LIBRARY_FOR_TEST=${prefix_wasmtime_library}"
         "-DWASMTIME_INCLUDE_DIR_FOR_TEST=${prefix_wasmtime_include}" ${sanitize_args} ${pin_args})
  expect_match("FetchContent(wasmhost)" "${output}"
    "Wasmtime ${wasmtime_regex}: the target wasmtime::wasmtime defined before wasmhost")
  build_consumer(output WITHOUT_CARGO)
  check_article_host("${WORK_DIR}/build/article_host")

elseif(MODE STREQUAL "app-needs-cargo")
  require_definitions(PREFIX LIBDIR)
  configure_consumer(fetchcontent output EXPECT_FAILURE WITHOUT_CARGO
    ARGS "-DWASMHOST_SOURCE_DIR=${SOURCE_DIR}"
         "-DWASMTIME_LIBRARY_FOR_TEST=${prefix_wasmtime_library}"
         "-DWASMTIME_INCLUDE_DIR_FOR_TEST=${prefix_wasmtime_include}" -DWASMHOST_BUILD_APP=ON
         ${pin_args})
  expect_message("WASMHOST_BUILD_APP without cargo" "${output}"
    "wasmhost builds a Rust guest \\(for WASMHOST_BUILD_APP, WASMHOST_BUILD_TESTS or WASMHOST_BUILD_BENCH\\) and needs cargo")

elseif(MODE STREQUAL "wit-cpp-missing")
  require_definitions(PREFIX LIBDIR)
  configure_consumer(fetchcontent output EXPECT_FAILURE WITHOUT_CARGO
    ARGS "-DWASMHOST_SOURCE_DIR=${SOURCE_DIR}"
         "-DWASMTIME_LIBRARY_FOR_TEST=${prefix_wasmtime_library}"
         "-DWASMTIME_INCLUDE_DIR_FOR_TEST=${prefix_wasmtime_include}" -DWASMHOST_WIT_BINDINGS=ON
         "-DWASMHOST_WIT_CPP_EXECUTABLE=${WORK_DIR}/no-such-wasmhost-wit-cpp" ${pin_args})
  expect_message("WASMHOST_WIT_CPP_EXECUTABLE that is not there" "${output}"
    "WASMHOST_WIT_CPP_EXECUTABLE '[^']*/no-such-wasmhost-wit-cpp' does not exist")

elseif(MODE STREQUAL "wrong-wasmtime")
  file(WRITE "${WORK_DIR}/fake-wasmtime/wasmtime.h" "#define WASMTIME_VERSION \"47.0.1\"\n")
  configure_consumer(fetchcontent output EXPECT_FAILURE WITHOUT_CARGO
    ARGS "-DWASMHOST_SOURCE_DIR=${SOURCE_DIR}"
         "-DWASMTIME_INCLUDE_DIR_FOR_TEST=${WORK_DIR}/fake-wasmtime" ${pin_args})
  expect_message("a parent's Wasmtime 47.0.1" "${output}"
    "The target wasmtime::wasmtime defined before wasmhost is Wasmtime 47\\.0\\.1"
    "wasmhost is pinned to ${wasmtime_regex}")

elseif(MODE STREQUAL "tests-need-app")
  run("Configuring wasmhost with WASMHOST_BUILD_TESTS=ON and WASMHOST_BUILD_APP=OFF" output
    EXPECT_FAILURE COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
      ${compiler_args} -DWASMHOST_BUILD_APP=OFF -DWASMHOST_BUILD_TESTS=ON)
  expect_message("tests without the app" "${output}"
    "WASMHOST_BUILD_TESTS needs WASMHOST_BUILD_APP: the tests run the program")

elseif(MODE STREQUAL "pkg-config" OR MODE STREQUAL "shared-library")
  require_definitions(PREFIX LIBDIR CXX_COMPILER)
  find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf)
  if(NOT PKG_CONFIG_EXECUTABLE)
    message(FATAL_ERROR "pkg-config not found (apt-get install pkgconf, or run scripts/test.sh)")
  endif()
  set(pkg_config ${without_cargo} "PKG_CONFIG_PATH=${PREFIX}/${LIBDIR}/pkgconfig"
    "${PKG_CONFIG_EXECUTABLE}")
  run("pkg-config --cflags --libs wasmhost" flags COMMAND ${pkg_config} --cflags --libs wasmhost)
  string(STRIP "${flags}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  # Every folder and file it names is in the prefix.
  foreach(flag IN LISTS flags)
    if(flag MATCHES "^(-I|-L|-isystem)?(/.*)$")
      get_filename_component(path "${CMAKE_MATCH_2}" REALPATH)
      get_filename_component(real_prefix "${PREFIX}" REALPATH)
      string(FIND "${path}" "${real_prefix}/" at)
      if(NOT at EQUAL 0)
        message(FATAL_ERROR "pkg-config names ${path}, outside the prefix ${PREFIX}")
      endif()
    endif()
  endforeach()
endif()

if(MODE STREQUAL "pkg-config")
  run("pkg-config --modversion wasmhost" version COMMAND ${pkg_config} --modversion wasmhost)
  expect_match("the version" "${version}" "^${version_regex}\n$")
  run("pkg-config --variable=wasmtime_version wasmhost" version
    COMMAND ${pkg_config} --variable=wasmtime_version wasmhost)
  expect_match("Wasmtime's version" "${version}" "^${wasmtime_regex}\n$")
  run("pkg-config --exists 'wasmhost >= 1.0' (must fail)" ignored EXPECT_FAILURE
    COMMAND ${pkg_config} --exists "wasmhost >= 1.0")
  run("Compiling the consumer with pkg-config's flags alone" output
    COMMAND ${without_cargo} "${CXX_COMPILER}" -std=c++20 -O1
      "${consumer_dir}/article_host_main.cc" ${flags} -o "${WORK_DIR}/article_host")
  expect_no_match("compiling with -isystem for Wasmtime" "${output}" "warning")
  check_article_host("${WORK_DIR}/article_host")

elseif(MODE STREQUAL "shared-library")
  # libplugin.so: wasmhost and Wasmtime linked in, its API one C function.
  # 1. no hiding (the control: Wasmtime's symbols are exported);
  # 2. -fvisibility=hidden -fvisibility-inlines-hidden -Wl,--exclude-libs,ALL;
  # 3. -fvisibility=hidden and a version script.
  set(plugin "${consumer_dir}/shared_library/plugin.cc")
  set(variants plain exclude-libs version-script)
  set(extra_plain "")
  set(extra_exclude-libs -fvisibility=hidden -fvisibility-inlines-hidden
    "-Wl,--exclude-libs,libwasmtime.a:libwasmhost.a")
  set(extra_version-script -fvisibility=hidden -fvisibility-inlines-hidden
    "-Wl,--version-script=${consumer_dir}/shared_library/exports.map")
  find_program(NM_EXECUTABLE nm REQUIRED)
  foreach(variant IN LISTS variants)
    set(dir "${WORK_DIR}/${variant}")
    file(MAKE_DIRECTORY "${dir}")
    run("Linking libplugin.so (${variant})" output
      COMMAND "${CXX_COMPILER}" -std=c++20 -O1 -shared -fPIC "${plugin}" ${flags}
        ${extra_${variant}} -o "${dir}/libplugin.so")
    run("nm -D --defined-only libplugin.so (${variant})" symbols
      COMMAND "${NM_EXECUTABLE}" -D --defined-only "${dir}/libplugin.so")
    expect_match("libplugin.so (${variant})" "${symbols}" " T plugin_just_add\n")
    string(REGEX MATCHALL "[^\n]* [A-Za-z] (wasmtime_|wasm_|wasi_|_ZN8wasmtime|_ZN8wasmhost)[^\n]*"
      leaked "${symbols}")
    list(LENGTH leaked leaked_count)
    message(STATUS "libplugin.so (${variant}): ${leaked_count} Wasmtime/wasmhost symbol(s) exported")
    if(variant STREQUAL "plain")
      if(leaked_count EQUAL 0)
        message(FATAL_ERROR "the control libplugin.so exports no Wasmtime symbol: the check "
          "below would prove nothing")
      endif()
    elseif(NOT leaked_count EQUAL 0)
      list(SUBLIST leaked 0 5 first)
      message(FATAL_ERROR "libplugin.so (${variant}) exports ${leaked_count} symbol(s) of "
        "Wasmtime or wasmhost, e.g. ${first}")
    endif()
    # It still works: a program that links only libplugin.so.
    set(loader_flags "")
    if(SANITIZE) # the sanitizer runtime goes into the program
      set(loader_flags "-fsanitize=${SANITIZE}")
    endif()
    run("Linking and running the loader (${variant})" output
      COMMAND "${CXX_COMPILER}" -std=c++20 ${loader_flags}
        "${consumer_dir}/shared_library/loader.cc"
        "-L${dir}" -lplugin "-Wl,-rpath,${dir}" -o "${dir}/loader")
    require_definitions(GUEST_WASM)
    run("loader ${GUEST_WASM} (${variant})" output COMMAND "${dir}/loader" "${GUEST_WASM}")
    expect_match("the loader" "${output}" "plugin_just_add\\(15, 27\\) = 42\n")
  endforeach()
endif()

message(STATUS "consumer test ${MODE}: passed")
