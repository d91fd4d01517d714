# require_definitions(<var>...): stops a `cmake -P` test script, naming the
# script and the variable, unless every `-D<var>=...` was given.
function(require_definitions)
  get_filename_component(script "${CMAKE_SCRIPT_MODE_FILE}" NAME)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${script} needs -D${var}=...")
    endif()
  endforeach()
endfunction()
