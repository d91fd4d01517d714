# wasmhost_wit_bindings(<target> WIT <dir> WORLD <world>
#                       [HEADER <file name>] [PUBLIC|PRIVATE|INTERFACE])
#
# Generates the C++ host bindings of the WIT world <world> of the package in
# <dir> (its *.wit files, and deps/ beside them) with wasmhost-wit-cpp at build
# time, and adds them to <target>: the header HEADER (default
# <world>_bindings.hh, with '-' as '_'), in a folder of its own under the
# current binary folder that becomes an include directory of <target>
# (PRIVATE unless PUBLIC or INTERFACE is given), so that
#   #include "plugin_bindings.hh"
# finds it. The header is written again when a .wit file of <dir> (or the
# generator) changes; a WIT that does not parse, an unknown world, or WIT the
# generator cannot map fails the build with wasmhost-wit-cpp's one-line
# error. <target> must link wasmhost::wasmhost (the header includes
# <wasmhost/component/component_host.hh>).
#
# The generator is the executable target wasmhost::wit-cpp: built by cargo in
# wasmhost's own build (WASMHOST_WIT_BINDINGS), or installed with the package
# (bin/wasmhost-wit-cpp), so that a project using the installed package needs
# no cargo. See docs/wit-bindings.md.
include_guard(GLOBAL)

function(wasmhost_wit_bindings target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "PUBLIC;PRIVATE;INTERFACE" "WIT;WORLD;HEADER" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "wasmhost_wit_bindings(${target}): unknown arguments "
      "'${arg_UNPARSED_ARGUMENTS}' (WIT <dir> WORLD <world> [HEADER <file name>] "
      "[PUBLIC|PRIVATE|INTERFACE])")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "wasmhost_wit_bindings: '${target}' is not a target")
  endif()
  if(NOT TARGET wasmhost::wit-cpp)
    message(FATAL_ERROR "wasmhost_wit_bindings(${target}): the generator wasmhost::wit-cpp is "
      "not defined: turn WASMHOST_WIT_BINDINGS on (wasmhost as a subproject), or use an "
      "installed wasmhost package, which has it")
  endif()
  foreach(required WIT WORLD)
    if(NOT arg_${required})
      message(FATAL_ERROR "wasmhost_wit_bindings(${target}): ${required} is required")
    endif()
  endforeach()
  get_filename_component(wit_dir "${arg_WIT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  file(GLOB wit_files CONFIGURE_DEPENDS "${wit_dir}/*.wit" "${wit_dir}/deps/*.wit"
    "${wit_dir}/deps/*/*.wit")
  if(NOT wit_files)
    message(FATAL_ERROR "wasmhost_wit_bindings(${target}): no .wit file in '${wit_dir}'")
  endif()
  set(scope PRIVATE)
  foreach(keyword PUBLIC INTERFACE)
    if(arg_${keyword})
      set(scope ${keyword})
    endif()
  endforeach()
  if(arg_HEADER)
    set(header "${arg_HEADER}")
  else()
    string(REPLACE "-" "_" header "${arg_WORLD}_bindings.hh")
  endif()
  if(header MATCHES "[/\\\\]")
    message(FATAL_ERROR "wasmhost_wit_bindings(${target}): HEADER is a file name, not a path: "
      "'${header}'")
  endif()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/wasmhost_wit_bindings/${target}")
  set(out "${out_dir}/${header}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
    COMMAND wasmhost::wit-cpp --wit "${wit_dir}" --world "${arg_WORLD}" --out "${out}"
    DEPENDS ${wit_files} wasmhost::wit-cpp "$<TARGET_FILE:wasmhost::wit-cpp>"
    COMMENT "Generating the C++ bindings of WIT world ${arg_WORLD} (${header})"
    VERBATIM)
  if(scope STREQUAL "INTERFACE")
    # An interface library has no sources to build: a target of its own does.
    add_custom_target(${target}_wit_bindings DEPENDS "${out}")
    add_dependencies(${target} ${target}_wit_bindings)
  else()
    target_sources(${target} PRIVATE "${out}")
  endif()
  target_include_directories(${target} ${scope} "$<BUILD_INTERFACE:${out_dir}>")
  # The generator's build in wasmhost's own tree (none for an installed one).
  if(TARGET wasmhost_wit_cpp_build)
    add_dependencies(${target} wasmhost_wit_cpp_build)
  endif()
endfunction()
