# wasmhost_add_cli_test(<name> COMMAND <cmd> [args...] [EXIT <status>]
#   [STDOUT <regex>...] [STDERR <regex>...] [NOT_STDOUT <regex>...]
#   [NOT_STDERR <regex>...] [STDOUT_EXACT <text>] [STDERR_LINES <n>]
#   [WITHIN_SECONDS <n>] [LABELS <label>...] [NO_MODULE_CACHE])
#
# Adds a CTest test that runs the command and checks its exit status (default
# 0) and that each regex matches (or, for NOT_*, does not match) its output.
# Regexes are CMake regexes; "\n" in them matches a newline. WITHIN_SECONDS
# (default 120) bounds the run: a command still running after it is killed
# and the test fails (a bound against a runaway, not a speed test).
#
# When the command runs `host` (as its program, or through `cmake -E env` or
# peak_rss), that `host` gets `--cache` with the tests' module cache
# (wasmhost_test_module_cache() below; the cache checks every entry it loads,
# and a module that does not compile is never stored); the test's log shows
# the command as run. NO_MODULE_CACHE leaves the command as written: for a
# test of compiling (its time limit, what it prints: the article's "Compiling
# WASM module..." narration).
include_guard(GLOBAL)

set(WASMHOST_CHECK_OUTPUT_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/check_output.cmake")

# wasmhost_test_module_cache(<dir_var> <config_var>): the tests' module cache,
# <build>/ctest/module-cache, and the folder of its key, as XDG_CONFIG_HOME
# (<config>/wasmhost/cache.key), shared by the CLI tests and the unit tests
# (ctest/test_options.hh): each module is compiled once per build folder and
# engine configuration, not once per test; never the user's own key. Neither
# folder is made here: ModuleCache makes them mode 700 when absent, whatever
# the umask (one made by CMake under a umask of 002 would be group-writable,
# and refused).
function(wasmhost_test_module_cache dir_var config_var)
  set(${dir_var} "${PROJECT_BINARY_DIR}/ctest/module-cache" PARENT_SCOPE)
  set(${config_var} "${PROJECT_BINARY_DIR}/ctest/module-cache-config" PARENT_SCOPE)
endfunction()

function(_wasmhost_bracket out value)
  set(${out} "[==[${value}]==]" PARENT_SCOPE)
endfunction()

function(wasmhost_add_cli_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_MODULE_CACHE"
    "EXIT;STDOUT_EXACT;STDERR_LINES;WITHIN_SECONDS"
    "COMMAND;STDOUT;STDERR;NOT_STDOUT;NOT_STDERR;LABELS")
  if(NOT DEFINED arg_EXIT)
    set(arg_EXIT 0)
  endif()
  set(script "${CMAKE_CURRENT_BINARY_DIR}/cli-tests/${name}.cmake")
  set(content "")
  foreach(var COMMAND STDOUT STDERR NOT_STDOUT NOT_STDERR)
    set(items "")
    foreach(item IN LISTS arg_${var})
      _wasmhost_bracket(quoted "${item}")
      string(APPEND items " ${quoted}")
    endforeach()
    set(target_var "${var}")
    if(var STREQUAL "COMMAND")
      set(target_var "TEST_COMMAND")
    elseif(var STREQUAL "NOT_STDOUT")
      set(target_var "REJECT_STDOUT")
    elseif(var STREQUAL "NOT_STDERR")
      set(target_var "REJECT_STDERR")
    elseif(var STREQUAL "STDOUT")
      set(target_var "EXPECT_STDOUT")
    elseif(var STREQUAL "STDERR")
      set(target_var "EXPECT_STDERR")
    endif()
    string(APPEND content "set(${target_var}${items})\n")
  endforeach()
  string(APPEND content "set(EXPECT_EXIT ${arg_EXIT})\n")
  if(DEFINED arg_STDOUT_EXACT)
    _wasmhost_bracket(quoted "${arg_STDOUT_EXACT}")
    string(APPEND content "set(STDOUT_EXACT ${quoted})\n")
  endif()
  if(DEFINED arg_STDERR_LINES)
    string(APPEND content "set(STDERR_LINES ${arg_STDERR_LINES})\n")
  endif()
  if(DEFINED arg_WITHIN_SECONDS)
    string(APPEND content "set(WITHIN_SECONDS ${arg_WITHIN_SECONDS})\n")
  endif()
  _wasmhost_bracket(quoted "${PROJECT_BINARY_DIR}")
  string(APPEND content "set(TEST_WORKING_DIRECTORY ${quoted})\n")
  if(NOT arg_NO_MODULE_CACHE)
    _wasmhost_bracket(host "$<TARGET_FILE:host>")
    _wasmhost_bracket(cmake "${CMAKE_COMMAND}")
    _wasmhost_bracket(peak_rss "$<TARGET_FILE:peak_rss>")
    wasmhost_test_module_cache(cache_dir cache_config)
    _wasmhost_bracket(dir "${cache_dir}")
    _wasmhost_bracket(config "${cache_config}")
    string(APPEND content "set(MODULE_CACHE_PROGRAM ${host})\n"
      "set(MODULE_CACHE_WRAPPERS ${cmake} ${peak_rss})\n"
      "set(MODULE_CACHE_DIR ${dir})\nset(MODULE_CACHE_CONFIG ${config})\n")
  endif()
  _wasmhost_bracket(quoted "${WASMHOST_CHECK_OUTPUT_SCRIPT}")
  string(APPEND content "include(${quoted})\n")
  file(GENERATE OUTPUT "${script}" CONTENT "${content}")
  add_test(NAME ${name} COMMAND "${CMAKE_COMMAND}" -P "${script}")
  if(arg_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${arg_LABELS}")
  endif()
endfunction()

# wasmhost_label_quick(): gives every test of the current directory that has
# not the label extra-build the label quick. A test needs an extra build when
# it compiles something of its own: cargo (the guest's tests and lints, the
# Rust comparator) or a nested CMake build (providers, consumers, the minimum
# cmake). Everything else runs what the build made, or only configures, and
# is in `ctest -L quick`. The extra-build tests get a COST (unless they
# have one), so that they start first. Call it at the end of a directory's tests.
function(wasmhost_label_quick)
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(test IN LISTS tests)
    get_test_property(${test} LABELS labels)
    if(NOT labels)
      set(labels "")
    endif()
    if("extra-build" IN_LIST labels)
      # The long ones first: ctest runs higher costs earlier when it has no
      # timings of its own yet (a fresh build folder), so no long test is left
      # to run alone at the end.
      get_test_property(${test} COST cost)
      if(NOT cost)
        set_property(TEST ${test} PROPERTY COST 100)
      endif()
    elseif(NOT "quick" IN_LIST labels)
      set_property(TEST ${test} APPEND PROPERTY LABELS quick)
    endif()
  endforeach()
endfunction()
