# The C++ the generator writes, compiled (issue #13). Usage:
#   cmake -DMODE=<mode> -DGENERATOR=<wasmhost-wit-cpp> -DCXX=<compiler>
#         -DINCLUDES=<dir;...> -DSYSTEM_INCLUDES=<dir;...> -DWORK_DIR=<dir> ... -P wit_bindings_test.cmake
#   werror          the bindings of every WIT world in WORLDS (<wit dir>=<world>;...) compile
#                   with -Wall -Wextra -Wpedantic -Werror
#   wrong-override  SOURCE (a host implementation with a wrong signature) does not compile,
#                   and the error names EXPECT (a regex)
#   edited-wit      the WIT folder WIT with EDIT_FROM replaced by EDIT_TO (it must occur) gives
#                   bindings with which SOURCE (the real program's call site) does not compile,
#                   the error naming EXPECT at SOURCE's own line
# Only the compiler's front end runs (-fsyntax-only): nothing links.
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(MODE GENERATOR CXX INCLUDES SYSTEM_INCLUDES WORK_DIR)

if(NOT EXISTS "${CXX}")
  message(FATAL_ERROR "the C++ compiler '${CXX}' is not found: install it (scripts/test.sh "
    "installs g++ and clang)")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/include")

set(flags -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror "-I${WORK_DIR}/include")
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags "-I${dir}")
endforeach()
foreach(dir IN LISTS SYSTEM_INCLUDES)
  list(APPEND flags -isystem "${dir}")
endforeach()

# generate(<wit dir> <world> <header>): the generator must succeed.
function(generate wit world header)
  execute_process(COMMAND "${GENERATOR}" --wit "${wit}" --world "${world}"
      --out "${WORK_DIR}/include/${header}"
    RESULT_VARIABLE status ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "wasmhost-wit-cpp --wit ${wit} --world ${world} failed (${status}): ${errors}")
  endif()
endfunction()

# compile(<source> <status var> <output var>)
function(compile source status_var output_var)
  message(STATUS "${CXX} ${flags} ${source}")
  execute_process(COMMAND "${CXX}" ${flags} "${source}"
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(${status_var} "${status}" PARENT_SCOPE)
  set(${output_var} "${output}" PARENT_SCOPE)
endfunction()

# expect_error(<source>): SOURCE must fail to compile, with EXPECT in the
# first error that points into <source>'s own file.
function(expect_error source)
  compile("${source}" status output)
  message("${output}")
  if(status EQUAL 0)
    message(FATAL_ERROR "${source} compiled, but it must not")
  endif()
  get_filename_component(name "${source}" NAME)
  string(REGEX MATCH "${name}:[0-9]+:[0-9]+: error: [^\n]*" first_error "${output}")
  if(NOT first_error)
    message(FATAL_ERROR "no error at a line of ${name} in the output above")
  endif()
  # The error line and the source line the compiler quotes under it.
  string(FIND "${output}" "${first_error}" at)
  string(SUBSTRING "${output}" ${at} 600 context)
  if(NOT context MATCHES "${EXPECT}")
    message(FATAL_ERROR "the error at ${name} does not name /${EXPECT}/: ${first_error}")
  endif()
  message(STATUS "refused as expected: ${first_error}")
endfunction()

if(MODE STREQUAL "werror")
  require_definitions(WORLDS)
  set(includes "")
  foreach(entry IN LISTS WORLDS)
    string(REGEX MATCH "^(.*)=([^=]+)$" matched "${entry}")
    if(NOT matched)
      message(FATAL_ERROR "WORLDS: '${entry}' is not <wit dir>=<world>")
    endif()
    set(header "${CMAKE_MATCH_2}_bindings.hh")
    generate("${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}" "${header}")
    string(APPEND includes "#include \"${header}\"\n")
  endforeach()
  configure_file("${CMAKE_CURRENT_LIST_DIR}/wit_bindings/includes_all.cc.in"
    "${WORK_DIR}/includes_all.cc" @ONLY)
  compile("${WORK_DIR}/includes_all.cc" status output)
  message("${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the generated bindings do not compile warning-free with ${CXX}")
  endif()
  message(STATUS "${WORLDS}: no warning with ${CXX}")

elseif(MODE STREQUAL "wrong-override")
  require_definitions(SOURCE EXPECT WIT WORLD)
  generate("${WIT}" "${WORLD}" "${WORLD}_bindings.hh")
  expect_error("${SOURCE}")

elseif(MODE STREQUAL "edited-wit")
  require_definitions(SOURCE EXPECT WIT WORLD EDIT_FROM EDIT_TO)
  # The unedited WIT compiles: the failure below is the edit's.
  generate("${WIT}" "${WORLD}" "${WORLD}_bindings.hh")
  compile("${SOURCE}" status output)
  if(NOT status EQUAL 0)
    message("${output}")
    message(FATAL_ERROR "${SOURCE} does not compile with the unedited WIT")
  endif()
  set(edited "${WORK_DIR}/wit")
  file(MAKE_DIRECTORY "${edited}")
  file(GLOB wit_files "${WIT}/*.wit")
  set(edits 0)
  foreach(file IN LISTS wit_files)
    get_filename_component(name "${file}" NAME)
    file(READ "${file}" text)
    string(FIND "${text}" "${EDIT_FROM}" at)
    if(NOT at EQUAL -1)
      string(REPLACE "${EDIT_FROM}" "${EDIT_TO}" text "${text}")
      math(EXPR edits "${edits} + 1")
    endif()
    file(WRITE "${edited}/${name}" "${text}")
  endforeach()
  if(NOT edits EQUAL 1)
    message(FATAL_ERROR "'${EDIT_FROM}' is in ${edits} of the WIT files of ${WIT}, not one")
  endif()
  generate("${edited}" "${WORLD}" "${WORLD}_bindings.hh")
  expect_error("${SOURCE}")

else()
  message(FATAL_ERROR "wit_bindings_test.cmake: unknown MODE '${MODE}'")
endif()
