# Where the cargo builds of this project put their work: the Rust guests,
# the generator wasmhost-wit-cpp, and the tests' cargo test and clippy runs.
#
# WASMHOST_CARGO_TARGET_DIR (cache; default: the environment variable of that
# name, else WASMHOST_CACHE_DIR/cargo-target): one folder for every build
# folder and clone of the user, so that a new clone does not compile the
# crates' dependencies (serde, wit-bindgen, wit-parser, ...) again: only the
# crates of its own tree (cargo names those by their path). Empty: each build
# folder has its own target folders, build/cargo-<name>, as before. When the
# folder cannot be created or written, configuring says so and uses the build
# folder's.
#
# cargo locks a target folder's profile for the length of a build, but not the
# copy of the artifact out of it that follows; variants of one crate (other
# features, another clone) write the same file name there. And cargo takes a
# crate of a path as up to date by its files' times, whichever tree built it.
# So every cargo command through wasmhost_cargo_command() holds a lock of its
# package, profile and Rust target (cmake's file(LOCK)) from cargo's start to
# the end of its copy, and first removes that package's artifacts when another
# tree built them last (cmake/cargo_build.cmake); other packages, targets and
# profiles are not held up.
include_guard(GLOBAL)

if(DEFINED ENV{WASMHOST_CARGO_TARGET_DIR})
  set(_wasmhost_cargo_default "$ENV{WASMHOST_CARGO_TARGET_DIR}")
else()
  set(_wasmhost_cargo_default "${WASMHOST_CACHE_DIR}/cargo-target")
endif()
set(WASMHOST_CARGO_TARGET_DIR "${_wasmhost_cargo_default}" CACHE PATH
  "cargo target folder shared by every build folder and clone (empty: each build folder its own)")

set(WASMHOST_CARGO_SHARED_DIR "")
if(NOT WASMHOST_CARGO_TARGET_DIR STREQUAL "")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E make_directory "${WASMHOST_CARGO_TARGET_DIR}"
    RESULT_VARIABLE _mkdir_result OUTPUT_QUIET ERROR_QUIET)
  set(_touch_result 1)
  if(_mkdir_result EQUAL 0)
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -E touch "${WASMHOST_CARGO_TARGET_DIR}/.wasmhost-writable"
      RESULT_VARIABLE _touch_result OUTPUT_QUIET ERROR_QUIET)
  endif()
  if(_touch_result EQUAL 0)
    set(WASMHOST_CARGO_SHARED_DIR "${WASMHOST_CARGO_TARGET_DIR}")
    message(STATUS "cargo builds: in the shared target folder ${WASMHOST_CARGO_SHARED_DIR}")
  else()
    message(WARNING "WASMHOST_CARGO_TARGET_DIR '${WASMHOST_CARGO_TARGET_DIR}' cannot be created "
      "or written: the cargo builds use this build folder's own target folders instead "
      "(${PROJECT_BINARY_DIR}/cargo-*), and compile every dependency again")
  endif()
endif()
# wasmhost_cargo_target_dir(<out_var> <name>): the target folder of the cargo
# builds called <name> (guest: the wasm guests and their clippy; guest-native:
# the guests' cargo test; wit-cpp-gen): <shared>/tracked/<name>, or
# PROJECT_BINARY_DIR/cargo-<name> without a shared folder. tracked/: every
# cargo command there records the tree that built each crate last
# (cmake/cargo_build.cmake); the folders of earlier versions, whose builds did
# not, are not shared with them.
function(wasmhost_cargo_target_dir out_var name)
  if(WASMHOST_CARGO_SHARED_DIR)
    set(${out_var} "${WASMHOST_CARGO_SHARED_DIR}/tracked/${name}" PARENT_SCOPE)
  else()
    set(${out_var} "${PROJECT_BINARY_DIR}/cargo-${name}" PARENT_SCOPE)
  endif()
endfunction()

set(WASMHOST_CARGO_BUILD_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/cargo_build.cmake")

# wasmhost_cargo_command(<out_var> CARGO <cargo> TARGET_DIR <dir>
#   MANIFEST <Cargo.toml> PACKAGE <name> PROFILE <cargo profile> [TARGET <triple>]
#   [ARTIFACT <file in dir> OUTPUT <copy>] ARGS <subcommand> <arguments>...):
# a COMMAND (of add_custom_command or add_test, VERBATIM) that runs cargo with
# ARGS, `--locked --manifest-path MANIFEST` after the subcommand, in
# TARGET_DIR, PACKAGE's artifacts of PROFILE and TARGET first removed
# when another tree built them last, then copies ARTIFACT to OUTPUT, all under
# one lock (cmake/cargo_build.cmake).
function(wasmhost_cargo_command out_var)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "CARGO;TARGET_DIR;MANIFEST;PACKAGE;PROFILE;TARGET;ARTIFACT;OUTPUT" "ARGS")
  set(clean_args --profile ${arg_PROFILE})
  if(arg_TARGET)
    list(APPEND clean_args --target ${arg_TARGET})
  endif()
  list(INSERT arg_ARGS 1 --locked --manifest-path "${arg_MANIFEST}")
  # Lists as one argument each, their separators escaped: cargo_build.cmake
  # gets the lists.
  string(REPLACE ";" "\\;" args "${arg_ARGS}")
  string(REPLACE ";" "\\;" clean_args "${clean_args}")
  set(command "${CMAKE_COMMAND}" "-DCARGO=${arg_CARGO}" "-DTARGET_DIR=${arg_TARGET_DIR}"
    "-DMANIFEST=${arg_MANIFEST}" "-DPACKAGE=${arg_PACKAGE}" "-DCLEAN_ARGS=${clean_args}"
    "-DCARGO_ARGS=${args}")
  if(arg_OUTPUT)
    list(APPEND command "-DARTIFACT=${arg_ARTIFACT}" "-DOUTPUT=${arg_OUTPUT}")
  endif()
  # Quoted: expanded once more, the escaped separators would be lost.
  set(${out_var} "${command};-P;${WASMHOST_CARGO_BUILD_SCRIPT}" PARENT_SCOPE)
endfunction()
