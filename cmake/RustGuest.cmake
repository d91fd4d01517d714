# wasmhost_add_rust_guest(<target> MANIFEST <Cargo.toml> OUTPUT <file.wasm>
#                         [TARGET <rust target>] [FEATURES <feature>...]
#                         [NO_DEFAULT_FEATURES] [PROFILE <cargo profile>]
#                         [DEPENDS <file>...] [EXCLUDE_FROM_ALL])
#
# Builds a cargo cdylib for TARGET (wasm32-wasip1, a core module, unless
# given: wasm32-wasip2 makes a component) with the release profile, or
# PROFILE, and copies the .wasm to OUTPUT, as part of the default build
# unless EXCLUDE_FROM_ALL. Rebuilt when the crate's sources, manifest or
# lock change, or one of DEPENDS (files the crate reads while compiling,
# e.g. the WIT files of wit_bindgen::generate!).
# Every guest is built in one cargo target folder, the one of every build
# folder and clone (WASMHOST_CARGO_TARGET_DIR/guest, WasmhostCargo.cmake), so
# that their dependencies compile once per profile and target on the machine;
# the copy out of it is locked with the build (variants of one crate, for one
# Rust target and profile, write one file there). Without a shared folder:
# PROJECT_BINARY_DIR/cargo-guest for the default build's guests,
# cargo-<target> for an EXCLUDE_FROM_ALL one. The default build's guests that
# write one artifact build one after another (each depends on the one defined
# before it), as cargo would run them anyway; the others (another crate, Rust
# target or profile) build at the same time.
#
# Included only when a guest is built (the program, the tests or the
# benchmark): only then are cargo and the Rust targets required. Each Rust
# target is checked, at configure time, by the first guest that uses it.
include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/WasmhostCargo.cmake")

foreach(_tool cargo rustc)
  string(TOUPPER "${_tool}" _var)
  find_program(${_var}_EXECUTABLE ${_tool} HINTS "$ENV{HOME}/.cargo/bin")
  if(NOT ${_var}_EXECUTABLE)
    message(FATAL_ERROR "wasmhost builds a Rust guest (for WASMHOST_BUILD_APP, "
      "WASMHOST_BUILD_TESTS or WASMHOST_BUILD_BENCH) and needs ${_tool}: install Rust with "
      "rustup (https://rustup.rs), or turn those options off to build the library alone.")
  endif()
endforeach()

# Fails at configure time, naming the fix, rather than deep inside cargo,
# when the Rust target rust_target is not installed. Once per target.
function(_wasmhost_require_rust_target rust_target)
  get_property(checked GLOBAL PROPERTY WASMHOST_CHECKED_RUST_TARGETS)
  if(rust_target IN_LIST checked)
    return()
  endif()
  execute_process(COMMAND "${RUSTC_EXECUTABLE}" --print sysroot
    OUTPUT_VARIABLE sysroot OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_DIRECTORY "${sysroot}/lib/rustlib/${rust_target}")
    message(FATAL_ERROR "The Rust target ${rust_target} is not installed for "
      "${RUSTC_EXECUTABLE}: run `rustup target add ${rust_target}` (scripts/run.sh does it).")
  endif()
  set_property(GLOBAL APPEND PROPERTY WASMHOST_CHECKED_RUST_TARGETS ${rust_target})
endfunction()

function(wasmhost_add_rust_guest target)
  cmake_parse_arguments(PARSE_ARGV 1 guest "NO_DEFAULT_FEATURES;EXCLUDE_FROM_ALL"
    "MANIFEST;OUTPUT;PROFILE;TARGET" "FEATURES;DEPENDS")
  if(NOT guest_PROFILE)
    set(guest_PROFILE release)
  endif()
  if(NOT guest_TARGET)
    set(guest_TARGET wasm32-wasip1)
  endif()
  _wasmhost_require_rust_target(${guest_TARGET})
  get_filename_component(crate_dir "${guest_MANIFEST}" DIRECTORY)
  if(WASMHOST_CARGO_SHARED_DIR OR NOT guest_EXCLUDE_FROM_ALL)
    wasmhost_cargo_target_dir(target_dir guest)
  else()
    set(target_dir "${CMAKE_CURRENT_BINARY_DIR}/cargo-${target}")
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
  set(artifact "${target_dir}/${guest_TARGET}/${guest_PROFILE}/${artifact_name}.wasm")

  set(cargo_args build --profile ${guest_PROFILE} --target ${guest_TARGET})
  if(guest_NO_DEFAULT_FEATURES)
    list(APPEND cargo_args --no-default-features)
  endif()
  if(guest_FEATURES)
    string(REPLACE ";" "," feature_csv "${guest_FEATURES}")
    list(APPEND cargo_args --features "${feature_csv}")
  endif()

  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${crate_dir}/src/*.rs")
  wasmhost_cargo_command(build_command CARGO "${CARGO_EXECUTABLE}" TARGET_DIR "${target_dir}"
    MANIFEST "${guest_MANIFEST}" PACKAGE "${package_name}" PROFILE ${guest_PROFILE}
    TARGET ${guest_TARGET} ARTIFACT "${artifact}" OUTPUT "${guest_OUTPUT}" ARGS ${cargo_args})
  add_custom_command(
    OUTPUT "${guest_OUTPUT}"
    COMMAND ${build_command}
    DEPENDS ${sources} "${guest_MANIFEST}" "${crate_dir}/Cargo.lock" ${guest_DEPENDS}
    WORKING_DIRECTORY "${crate_dir}"
    COMMENT "Building Rust guest ${target} (cargo, ${guest_TARGET}) -> ${guest_OUTPUT}"
    VERBATIM)
  set(all ALL)
  if(guest_EXCLUDE_FROM_ALL)
    set(all "")
  endif()
  add_custom_target(${target} ${all} DEPENDS "${guest_OUTPUT}")
  if(NOT guest_EXCLUDE_FROM_ALL)
    string(MD5 artifact_id "${artifact}")
    get_property(previous GLOBAL PROPERTY WASMHOST_LAST_GUEST_${artifact_id})
    if(previous)
      add_dependencies(${target} ${previous})
    endif()
    set_property(GLOBAL PROPERTY WASMHOST_LAST_GUEST_${artifact_id} ${target})
  endif()
endfunction()
