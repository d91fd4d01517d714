# manifest.example-*: a manifest checked by the JSON Schema and loaded by the
# real parser (host --manifest), so that the two cannot drift.
#   cmake -DHOST=<host> -DPYTHON=<python3> -DCHECK=<manifest_schema_check.py>
#         -DSCHEMA=<manifest.schema.json> -DMANIFEST=<file> -DWASM_DIR=<folder>
#         -DWORK_DIR=<folder> [-DINVALID=1] -DEXPECT_EXIT=<n> -DEXPECT=<regex>
#         [-DARGS=<host args, |-separated>] -P manifest_example_test.cmake
# The manifest is copied into WORK_DIR, next to links to the wasm files of
# WASM_DIR, so that its relative paths resolve as they would beside the
# guests; its preopened folders are made there. A `wasm.sha256` in it is
# replaced by the wasm file's real one (the guests are rebuilt: no hash is
# written down). INVALID: the schema must refuse it (and host with it).
set(check_args "")
if(INVALID)
  set(check_args --invalid)
endif()
execute_process(COMMAND "${PYTHON}" "${CHECK}" "${SCHEMA}" ${check_args} "${MANIFEST}"
  OUTPUT_VARIABLE schema_output ERROR_VARIABLE schema_output RESULT_VARIABLE schema_status)
message(STATUS "JSON Schema:\n${schema_output}")
if(NOT schema_status EQUAL 0)
  message(FATAL_ERROR "the JSON Schema's verdict on ${MANIFEST} is not the expected one")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(GLOB wasm_files "${WASM_DIR}/*.wasm")
foreach(wasm IN LISTS wasm_files)
  get_filename_component(wasm_name "${wasm}" NAME)
  file(CREATE_LINK "${wasm}" "${WORK_DIR}/${wasm_name}" SYMBOLIC)
endforeach()
file(READ "${MANIFEST}" manifest)
string(JSON wasm_path ERROR_VARIABLE no_path GET "${manifest}" wasm path)
string(JSON sha256 ERROR_VARIABLE no_sha256 GET "${manifest}" wasm sha256)
if(NOT no_path AND NOT no_sha256)
  file(SHA256 "${WORK_DIR}/${wasm_path}" real_sha256)
  string(JSON manifest SET "${manifest}" wasm sha256 "\"${real_sha256}\"")
endif()
string(JSON preopens ERROR_VARIABLE no_preopens LENGTH "${manifest}" wasi preopens)
if(NOT no_preopens AND preopens GREATER 0)
  math(EXPR last "${preopens} - 1")
  foreach(i RANGE ${last})
    string(JSON host_folder GET "${manifest}" wasi preopens ${i} host)
    file(MAKE_DIRECTORY "${WORK_DIR}/${host_folder}")
  endforeach()
endif()
get_filename_component(manifest_name "${MANIFEST}" NAME)
file(WRITE "${WORK_DIR}/${manifest_name}" "${manifest}")

string(REPLACE "|" ";" ARGS "${ARGS}")
execute_process(COMMAND "${HOST}" --manifest "${WORK_DIR}/${manifest_name}" ${ARGS}
  OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message(STATUS "host --manifest ${manifest_name} ${ARGS}: exit ${status}\n${output}${errors}")
if(NOT status EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_EXIT}")
endif()
if(NOT "${output}${errors}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "the output does not match '${EXPECT}'")
endif()
