# The declared minimum cmake really is enough: takes the version from
# cmake_minimum_required() in CMakeLists.txt (and checks that
# CMakePresets.json asks for the same), installs that cmake from PyPI
# (pip install --target, once, into WASMHOST_CACHE_DIR/cmake-<version>),
# then with it: lists the presets, configures the whole project, builds the
# library (not optimised: -O0), installs it and configures a find_package consumer against it.
# Usage: cmake -DSOURCE_DIR=... -DWORK_DIR=... -DWASMTIME_PROVIDER=...
#              -DWASMHOST_CACHE_DIR=... -DWASMTIME_PREFIX=... -DWASMTIME_FEATURES_CSV=...
#              -DWIT_CPP=<the outer build's wasmhost-wit-cpp>
#              [-DCXX_COMPILER=...] -P minimum_cmake_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/outer_wasmtime.cmake")
require_definitions(SOURCE_DIR WORK_DIR WASMHOST_CACHE_DIR WIT_CPP)

function(run description)
  message(STATUS "${description}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
  message("${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${description}: failed (${status})")
  endif()
endfunction()

file(STRINGS "${SOURCE_DIR}/CMakeLists.txt" declared REGEX "^cmake_minimum_required\\(VERSION ")
if(NOT declared MATCHES "VERSION ([0-9]+)\\.([0-9]+)\\)")
  message(FATAL_ERROR "CMakeLists.txt: no cmake_minimum_required(VERSION X.Y)")
endif()
set(major "${CMAKE_MATCH_1}")
set(minor "${CMAKE_MATCH_2}")
set(version "${major}.${minor}")
file(READ "${SOURCE_DIR}/CMakePresets.json" presets)
string(JSON presets_major GET "${presets}" cmakeMinimumRequired major)
string(JSON presets_minor GET "${presets}" cmakeMinimumRequired minor)
if(NOT "${presets_major}.${presets_minor}" STREQUAL version)
  message(FATAL_ERROR "CMakePresets.json asks for cmake ${presets_major}.${presets_minor}, "
    "CMakeLists.txt for ${version}")
endif()

# cmake==X.Y.* from PyPI, once per machine.
set(tool_dir "${WASMHOST_CACHE_DIR}/cmake-${version}")
set(old_cmake "${tool_dir}/cmake/data/bin/cmake")
file(MAKE_DIRECTORY "${WASMHOST_CACHE_DIR}")
file(LOCK "${WASMHOST_CACHE_DIR}/cmake-${version}.lock" TIMEOUT 600)
if(NOT EXISTS "${old_cmake}")
  find_program(PYTHON3 python3)
  if(NOT PYTHON3)
    message(FATAL_ERROR "python3 with pip is needed to install cmake ${version} "
      "(apt-get install python3-pip, or run scripts/test.sh)")
  endif()
  file(REMOVE_RECURSE "${tool_dir}")
  run("pip install --target ${tool_dir} cmake==${version}.*"
    "${PYTHON3}" -m pip install --quiet --disable-pip-version-check --no-warn-script-location
      --target "${tool_dir}" "cmake==${version}.*")
endif()
file(LOCK "${WASMHOST_CACHE_DIR}/cmake-${version}.lock" RELEASE)
execute_process(COMMAND "${old_cmake}" --version OUTPUT_VARIABLE old_version)
if(NOT old_version MATCHES "cmake version ${major}\\.${minor}\\.")
  message(FATAL_ERROR "${old_cmake} is not cmake ${version}: ${old_version}")
endif()
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" old_version "${old_version}")
message(STATUS "cmake ${old_version}: ${old_cmake}")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(compiler_args "")
if(CXX_COMPILER)
  set(compiler_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
outer_wasmtime_args(wasmtime_args "${WORK_DIR}")
run("cmake ${old_version} --list-presets"
  "${CMAKE_COMMAND}" -E chdir "${SOURCE_DIR}" "${old_cmake}" --list-presets)
run("Configuring the whole project with cmake ${old_version}"
  "${old_cmake}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build" ${compiler_args} ${wasmtime_args}
    -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0"
    # The outer build's bindings generator, installed with the library: no cargo.
    "-DWASMHOST_WIT_CPP_EXECUTABLE=${WIT_CPP}")
run("Building the library with cmake ${old_version}"
  "${old_cmake}" --build "${WORK_DIR}/build" --target wasmhost -j 2)
run("Installing it with cmake ${old_version}"
  "${old_cmake}" --install "${WORK_DIR}/build" --prefix "${WORK_DIR}/prefix")
run("Configuring a find_package(wasmhost) consumer with cmake ${old_version}"
  "${old_cmake}" -S "${CMAKE_CURRENT_LIST_DIR}/consumer/find_package" -B "${WORK_DIR}/consumer"
    ${compiler_args} "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
message(STATUS "cmake ${old_version}, the declared minimum, configures, builds and installs wasmhost")
