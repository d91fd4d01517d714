# Two trees of one crate, one shared cargo target folder (cmake/cargo_build.cmake):
# tree "b" is older on disk than what tree "a" built last, and yet its build
# must be its own. cargo alone would take a's artifact as up to date for b
# (it compares the files' times, whatever tree they are in), so b would get
# a's program. Also: a's second build, after b's, is a's again; and a build
# with no record of who built last cleans first (the folder of an older
# version). Usage: cmake -DCARGO=... -DBUILD_SCRIPT=<cmake/cargo_build.cmake>
#                        -DWORK_DIR=... -P cargo_shared_test.cmake
include("${CMAKE_CURRENT_LIST_DIR}/require_definitions.cmake")
require_definitions(CARGO BUILD_SCRIPT WORK_DIR)

file(REMOVE_RECURSE "${WORK_DIR}")
set(target_dir "${WORK_DIR}/shared-target")
foreach(tree a b)
  file(WRITE "${WORK_DIR}/${tree}/Cargo.toml"
    "[package]\nname = \"which-tree\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
  file(WRITE "${WORK_DIR}/${tree}/Cargo.lock"
    "version = 4\n\n[[package]]\nname = \"which-tree\"\nversion = \"0.1.0\"\n")
  file(WRITE "${WORK_DIR}/${tree}/src/main.rs"
    "fn main() {\n    println!(\"tree ${tree}\");\n}\n")
endforeach()
# b's files are a day older than anything a builds.
file(GLOB_RECURSE b_files "${WORK_DIR}/b/*")
execute_process(COMMAND touch -d "1 day ago" ${b_files} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "touch failed (${status})")
endif()

function(build_tree tree)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" "-DCARGO=${CARGO}" "-DTARGET_DIR=${target_dir}"
      "-DMANIFEST=${WORK_DIR}/${tree}/Cargo.toml" -DPACKAGE=which-tree
      "-DCLEAN_ARGS=--profile;dev"
      "-DCARGO_ARGS=build;--locked;--manifest-path;${WORK_DIR}/${tree}/Cargo.toml"
      "-DARTIFACT=${target_dir}/debug/which-tree" "-DOUTPUT=${WORK_DIR}/${tree}-program"
      -P "${BUILD_SCRIPT}"
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  message("---- build of tree ${tree}:\n${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the build of tree ${tree} failed (${status})")
  endif()
  set(build_output "${output}" PARENT_SCOPE)
  execute_process(COMMAND "${WORK_DIR}/${tree}-program" OUTPUT_VARIABLE said RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT said STREQUAL "tree ${tree}\n")
    message(FATAL_ERROR
      "tree ${tree}'s program says '${said}' (exit ${status}), not 'tree ${tree}'")
  endif()
endfunction()

build_tree(a)
if(NOT build_output MATCHES "no record of the tree that built it last")
  message(FATAL_ERROR "the first build did not clean (no record of who built last)")
endif()
build_tree(b)
string(REPLACE " " "[ \n]+" expected
  "last built from ${WORK_DIR}/a/Cargo.toml, not from ${WORK_DIR}/b/Cargo.toml")
if(NOT build_output MATCHES "${expected}")
  message(FATAL_ERROR "tree b's build does not say that tree a built last")
endif()
build_tree(a)
build_tree(a)
if(build_output MATCHES "cargo clean")
  message(FATAL_ERROR "a second build of the same tree cleaned again")
endif()
message("---- each tree got its own program")
