# One cargo command in a cargo target folder that other clones may share, and
# the copy of its artifact, for wasmhost_cargo_command() (WasmhostCargo.cmake).
# Usage:
#   cmake -DCARGO=<cargo> -DTARGET_DIR=<cargo target folder> -DCARGO_ARGS=<arg;...>
#         -DMANIFEST=<Cargo.toml> -DPACKAGE=<package> -DCLEAN_ARGS=<arg;...>
#         [-DARTIFACT=<file cargo writes> -DOUTPUT=<copy>] -P cargo_build.cmake
#
# cargo decides that a crate of a path is up to date by the modification times
# of its sources, wherever it was built from: a clone whose files are older
# than what another clone last built in the shared folder would get the other
# clone's build (its code, its CARGO_MANIFEST_DIR, its lints). So the folder
# records, for PACKAGE and the profile and Rust target of CLEAN_ARGS
# (`--profile P [--target T]`), the MANIFEST that built it last; when that is
# another one, `cargo clean -p PACKAGE CLEAN_ARGS` first removes that package's
# artifacts (its dependencies stay). A lock of that record is held from then
# to the end of the copy, so that no other build of PACKAGE there (another
# variant of the crate, another clone) runs in between. OUTPUT is replaced by a
# rename: a reader never sees half of it.
cmake_minimum_required(VERSION 3.21)
foreach(var CARGO TARGET_DIR CARGO_ARGS MANIFEST PACKAGE CLEAN_ARGS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "cargo_build.cmake needs -D${var}=...")
  endif()
endforeach()
string(MAKE_C_IDENTIFIER "${PACKAGE} ${CLEAN_ARGS}" built_by_name)
set(built_by "${TARGET_DIR}/.wasmhost-built-by/${built_by_name}")
file(MAKE_DIRECTORY "${TARGET_DIR}/.wasmhost-built-by")
file(LOCK "${built_by}.lock" GUARD PROCESS TIMEOUT 3600 RESULT_VARIABLE lock_result)
if(NOT lock_result EQUAL 0)
  message(FATAL_ERROR "could not lock ${built_by}.lock: ${lock_result}")
endif()
set(ENV{CARGO_TARGET_DIR} "${TARGET_DIR}")
set(last_manifest "")
if(EXISTS "${built_by}")
  file(READ "${built_by}" last_manifest)
endif()
if(NOT last_manifest STREQUAL MANIFEST)
  string(REPLACE ";" " " clean_text "${CLEAN_ARGS}")
  if(last_manifest STREQUAL "")
    set(why "no record of the tree that built it last")
  else()
    set(why "last built from ${last_manifest}, not from ${MANIFEST}")
  endif()
  message(STATUS "${PACKAGE} (${clean_text}) in ${TARGET_DIR}: ${why}: "
    "cargo clean -p ${PACKAGE} ${clean_text}")
  # --locked: cargo clean would otherwise write a missing or stale Cargo.lock,
  # and the --locked of the command after it would no longer refuse one.
  execute_process(COMMAND "${CARGO}" clean --quiet --locked -p "${PACKAGE}" ${CLEAN_ARGS}
    --manifest-path "${MANIFEST}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cargo clean -p ${PACKAGE} ${CLEAN_ARGS} failed (${status})")
  endif()
  file(WRITE "${built_by}" "${MANIFEST}")
endif()
execute_process(COMMAND "${CARGO}" ${CARGO_ARGS} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cargo ${CARGO_ARGS} failed (${status})")
endif()
if(DEFINED OUTPUT)
  get_filename_component(output_dir "${OUTPUT}" DIRECTORY)
  file(MAKE_DIRECTORY "${output_dir}")
  file(COPY_FILE "${ARTIFACT}" "${OUTPUT}.tmp")
  file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
endif()
