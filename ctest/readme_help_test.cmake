# readme.help: the README's `host --help` block is the program's --help,
# byte for byte (the table in host-cpp/app/cli.cc is the one source of both).
#   cmake -DHOST=<host> -DREADME=<README.md> -P readme_help_test.cmake
file(READ "${README}" readme)
set(marker "`./host --help` prints:\n\n```\n")
string(FIND "${readme}" "${marker}" start)
if(start EQUAL -1)
  message(FATAL_ERROR "README.md has no block after '`./host --help` prints:'")
endif()
string(LENGTH "${marker}" marker_length)
math(EXPR start "${start} + ${marker_length}")
string(SUBSTRING "${readme}" ${start} -1 rest)
string(FIND "${rest}" "\n```\n" end)
math(EXPR end "${end} + 1")
string(SUBSTRING "${rest}" 0 ${end} block)
execute_process(COMMAND "${HOST}" --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "host --help exited with ${status}")
endif()
if(NOT block STREQUAL help)
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/readme-help-expected.txt" "${help}")
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/readme-help-found.txt" "${block}")
  message(FATAL_ERROR "README.md's --help block is not host --help's output: "
    "compare readme-help-found.txt with readme-help-expected.txt in ${CMAKE_CURRENT_BINARY_DIR} "
    "(paste the expected one into README.md)")
endif()
message(STATUS "README.md's --help block is host --help's output")
