# wasmhost_add_rust_guest(<target> MANIFEST <Cargo.toml> OUTPUT <file.wasm>
#                         [FEATURES <feature>...] [NO_DEFAULT_FEATURES]
#                         [PROFILE <cargo profile>] [EXCLUDE_FROM_ALL])
#
# Builds a cargo cdylib for wasm32-wasip1 (the release profile, or PROFILE)
# and copies the .wasm to OUTPUT, as part of the default build unless
# EXCLUDE_FROM_ALL. Rebuilt when the crate's sources, manifest or lock change.
# The guests of the default build share one cargo target folder
# (PROJECT_BINARY_DIR/cargo-guest), so that their dependencies compile once
# per profile, and build one after another (each depends on the one defined
# before it): their artifacts have one name in that folder.
#
# Included only when a guest is built (the program, the tests or the
# benchmark): only then are cargo and the wasm32-wasip1 target required.
include_guard(GLOBAL)

foreach(_tool cargo rustc)
  string(TOUPPER "${_tool}" _var)
  find_program(${_var}_EXECUTABLE ${_tool} HINTS "$ENV{HOME}/.cargo/bin")
  if(NOT ${_var}_EXECUTABLE)
    message(FATAL_ERROR "wasmhost builds a Rust guest (for WASMHOST_BUILD_APP, "
      "WASMHOST_BUILD_TESTS or WASMHOST_BUILD_BENCH) and needs ${_tool}: install Rust with "
      "rustup (https://rustup.rs), or turn those options off to build the library alone.")
  endif()
endforeach()

# Fail at configure time, naming the fix, rather than deep inside cargo.
execute_process(COMMAND "${RUSTC_EXECUTABLE}" --print sysroot
  OUTPUT_VARIABLE _wasmhost_rust_sysroot OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT IS_DIRECTORY "${_wasmhost_rust_sysroot}/lib/rustlib/wasm32-wasip1")
  message(FATAL_ERROR "The Rust target wasm32-wasip1 is not installed for "
    "${RUSTC_EXECUTABLE}: run `rustup target add wasm32-wasip1` (scripts/run.sh does it).")
endif()

function(wasmhost_add_rust_guest target)
  cmake_parse_arguments(PARSE_ARGV 1 guest "NO_DEFAULT_FEATURES;EXCLUDE_FROM_ALL"
    "MANIFEST;OUTPUT;PROFILE" "FEATURES")
  if(NOT guest_PROFILE)
    set(guest_PROFILE release)
  endif()
  get_filename_component(crate_dir "${guest_MANIFEST}" DIRECTORY)
  if(guest_EXCLUDE_FROM_ALL)
    set(target_dir "${CMAKE_CURRENT_BINARY_DIR}/cargo-${target}")
  else()
    set(target_dir "${PROJECT_BINARY_DIR}/cargo-guest")
  endif()
  execute_process(
    COMMAND "${CARGO_EXECUTABLE}" metadata --no-deps --format-version 1
            --manifest-path "${guest_MANIFEST}"
    OUTPUT_VARIABLE metadata RESULT_VARIABLE metadata_result ERROR_VARIABLE metadata_error)
  if(NOT metadata_result EQUAL 0)
    message(FATAL_ERROR "cargo metadata failed for ${guest_MANIFEST}: ${metadata_error}")
  endif()
  string(JSON package_name GET "${metadata}" packages 0 name)
  string(REPLACE "-" "_" artifact_name "${package_name}")
  set(artifact "${target_dir}/wasm32-wasip1/${guest_PROFILE}/${artifact_name}.wasm")

  set(cargo_args build --profile ${guest_PROFILE} --locked --target wasm32-wasip1
    --manifest-path "${guest_MANIFEST}")
  if(guest_NO_DEFAULT_FEATURES)
    list(APPEND cargo_args --no-default-features)
  endif()
  if(guest_FEATURES)
    string(REPLACE ";" "," feature_csv "${guest_FEATURES}")
    list(APPEND cargo_args --features "${feature_csv}")
  endif()

  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${crate_dir}/src/*.rs")
  add_custom_command(
    OUTPUT "${guest_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" -E env "CARGO_TARGET_DIR=${target_dir}"
            "${CARGO_EXECUTABLE}" ${cargo_args}
    COMMAND "${CMAKE_COMMAND}" -E copy "${artifact}" "${guest_OUTPUT}"
    DEPENDS ${sources} "${guest_MANIFEST}" "${crate_dir}/Cargo.lock"
    WORKING_DIRECTORY "${crate_dir}"
    COMMENT "Building Rust guest ${target} (cargo, wasm32-wasip1) -> ${guest_OUTPUT}"
    VERBATIM)
  set(all ALL)
  if(guest_EXCLUDE_FROM_ALL)
    set(all "")
  endif()
  add_custom_target(${target} ${all} DEPENDS "${guest_OUTPUT}")
  if(NOT guest_EXCLUDE_FROM_ALL)
    get_property(previous GLOBAL PROPERTY WASMHOST_LAST_SHARED_GUEST)
    if(previous)
      add_dependencies(${target} ${previous})
    endif()
    set_property(GLOBAL PROPERTY WASMHOST_LAST_SHARED_GUEST ${target})
  endif()
endfunction()
