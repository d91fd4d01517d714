# One cargo build and the copy of its artifact, for wasmhost_cargo_build_command()
# (WasmhostCargo.cmake). Usage:
#   cmake -DCARGO=<cargo> -DTARGET_DIR=<cargo target folder> -DCARGO_ARGS=<arg;...>
#         -DARTIFACT=<file cargo writes> -DOUTPUT=<copy> [-DLOCK=<lock file>]
#         -P cargo_build.cmake
# With LOCK (a file next to ARTIFACT: one lock per artifact), the lock is held
# from cargo's start to the end of the copy, so that another build that writes
# the same ARTIFACT (another variant of the crate, another clone) cannot
# replace it in between; builds of other artifacts run meanwhile. OUTPUT is
# replaced by a rename: a reader never sees half of it.
cmake_minimum_required(VERSION 3.21)
foreach(var CARGO TARGET_DIR CARGO_ARGS ARTIFACT OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "cargo_build.cmake needs -D${var}=...")
  endif()
endforeach()
if(LOCK)
  get_filename_component(lock_dir "${LOCK}" DIRECTORY)
  file(MAKE_DIRECTORY "${lock_dir}")
  file(LOCK "${LOCK}" GUARD PROCESS TIMEOUT 3600 RESULT_VARIABLE lock_result)
  if(NOT lock_result EQUAL 0)
    message(FATAL_ERROR "could not lock ${LOCK}: ${lock_result}")
  endif()
endif()
set(ENV{CARGO_TARGET_DIR} "${TARGET_DIR}")
execute_process(COMMAND "${CARGO}" ${CARGO_ARGS} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cargo ${CARGO_ARGS} failed (${status})")
endif()
get_filename_component(output_dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${output_dir}")
file(COPY_FILE "${ARTIFACT}" "${OUTPUT}.tmp")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
