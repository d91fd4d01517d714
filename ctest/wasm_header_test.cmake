# Each file in COMPONENTS starts with the Component Model's header (the
# magic \0asm, then version 0x000d and layer 0x0001: bytes 0061736d0d000100)
# and each file in MODULES with a core module's (\0asm, version 1: bytes
# 0061736d01000000). Fails, naming the file, the header it has and the one
# expected, at the first file that does not. A file shorter than 8 bytes, or
# missing, fails too.
# Usage: cmake "-DCOMPONENTS=<file>;..." "-DMODULES=<file>;..." -P wasm_header_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(COMPONENTS MODULES)

set(component_header "0061736d0d000100")
set(module_header "0061736d01000000")

function(expect_header file kind expected)
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "${file}: no such file (expected a ${kind})")
  endif()
  file(READ "${file}" header LIMIT 8 HEX)
  if(NOT header STREQUAL expected)
    if(header STREQUAL component_header)
      set(is "a component")
    elseif(header STREQUAL module_header)
      set(is "a core module")
    else()
      set(is "neither a component nor a core module")
    endif()
    # One unwrapped line on stderr (FATAL_ERROR wraps its text), then the failure.
    message(NOTICE "${file} starts with '${header}' (${is}), not '${expected}' (a ${kind})")
    message(FATAL_ERROR "${file} is not a ${kind}")
  endif()
  message(STATUS "${file}: ${kind} (${header})")
endfunction()

foreach(file IN LISTS COMPONENTS)
  expect_header("${file}" component "${component_header}")
endforeach()
foreach(file IN LISTS MODULES)
  expect_header("${file}" "core module" "${module_header}")
endforeach()
