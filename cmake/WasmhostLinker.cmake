# WASMHOST_LINKER: the linker of the programs this project links (host, the
# tests, the examples, the benchmark), passed to the compiler driver as
# -fuse-ld=<name>. Each of them links the 110 MB static libwasmtime.a: GNU ld
# takes 3-4 s for one, gold about 1.5 s, lld about half a second (measured on
# 2 cores), and a test build links about fifteen.
#   auto     lld, else gold, else the compiler's own linker (the main
#            project's default)
#   default  the compiler's own linker, no -fuse-ld (the default as a
#            dependency: the including project's choice holds)
#   <name>   -fuse-ld=<name> (lld, gold, bfd, mold, ...); configuring stops
#            when the compiler cannot link a program with it
# Sets WASMHOST_LINKER_USED to the linker chosen (lld, gold, ..., or default)
# and adds the option to every target of this directory and below it.
include_guard(GLOBAL)
include(CheckCXXSourceCompiles)

set(_wasmhost_linker_default default)
if(WASMHOST_MAIN_PROJECT)
  set(_wasmhost_linker_default auto)
endif()
set(WASMHOST_LINKER "${_wasmhost_linker_default}" CACHE STRING
  "Linker of wasmhost's programs and tests: auto (lld, else gold, else the compiler's), default, or a -fuse-ld name")

# _wasmhost_links_with(<name> <out>): whether the C++ compiler links a
# program with -fuse-ld=<name> (cached per name).
function(_wasmhost_links_with name out)
  string(MAKE_C_IDENTIFIER "WASMHOST_LINKS_WITH_${name}" result_var)
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fuse-ld=${name}")
  set(CMAKE_REQUIRED_QUIET ON)
  check_cxx_source_compiles("int main() { return 0; }" ${result_var})
  set(${out} "${${result_var}}" PARENT_SCOPE)
endfunction()

if(WASMHOST_LINKER STREQUAL "auto")
  set(WASMHOST_LINKER_USED default)
  foreach(candidate lld gold)
    _wasmhost_links_with(${candidate} links)
    if(links)
      set(WASMHOST_LINKER_USED ${candidate})
      break()
    endif()
  endforeach()
elseif(WASMHOST_LINKER STREQUAL "default" OR WASMHOST_LINKER STREQUAL "")
  set(WASMHOST_LINKER_USED default)
elseif(NOT WASMHOST_LINKER MATCHES "^[A-Za-z0-9._+-]+$")
  message(FATAL_ERROR "WASMHOST_LINKER '${WASMHOST_LINKER}' is not a linker name: give auto, "
    "default or a name for -fuse-ld= (lld, gold, bfd, mold)")
else()
  _wasmhost_links_with("${WASMHOST_LINKER}" links)
  if(NOT links)
    message(FATAL_ERROR "WASMHOST_LINKER=${WASMHOST_LINKER}: ${CMAKE_CXX_COMPILER} cannot link a "
      "program with -fuse-ld=${WASMHOST_LINKER}; install that linker, or give auto or default")
  endif()
  set(WASMHOST_LINKER_USED "${WASMHOST_LINKER}")
endif()

if(WASMHOST_LINKER_USED STREQUAL "default")
  message(STATUS "Linker: the compiler's own (WASMHOST_LINKER=${WASMHOST_LINKER})")
else()
  message(STATUS "Linker: -fuse-ld=${WASMHOST_LINKER_USED} (WASMHOST_LINKER=${WASMHOST_LINKER})")
  add_link_options("-fuse-ld=${WASMHOST_LINKER_USED}")
endif()
