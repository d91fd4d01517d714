# outer_wasmtime_args(<out_var> <work_dir>): the cmake arguments that give a
# nested configure (consumer, preset and minimum-version tests) the outer
# build's Wasmtime without building it again: the source provider from its
# cache (its features through an initial cache file in <work_dir>, since they
# are a list), the wheel provider from its cache (complete: no pip, no cargo),
# or the outer build's prefix as a prebuilt one.
# Reads WASMTIME_PROVIDER, WASMHOST_CACHE_DIR, WASMTIME_PREFIX and
# WASMTIME_FEATURES_CSV (the features joined with commas).
function(outer_wasmtime_args out_var work_dir)
  require_definitions(WASMTIME_PROVIDER WASMHOST_CACHE_DIR WASMTIME_PREFIX WASMTIME_FEATURES_CSV)
  if(WASMTIME_PROVIDER STREQUAL "source")
    string(REPLACE "," ";" features "${WASMTIME_FEATURES_CSV}")
    file(WRITE "${work_dir}/wasmtime-features.cmake"
      "set(WASMTIME_FEATURES \"${features}\" CACHE STRING \"\")\n")
    set(args "-DWASMHOST_CACHE_DIR=${WASMHOST_CACHE_DIR}" -C "${work_dir}/wasmtime-features.cmake")
  elseif(WASMTIME_PROVIDER STREQUAL "wheel")
    set(args -DWASMTIME_PROVIDER=wheel "-DWASMHOST_CACHE_DIR=${WASMHOST_CACHE_DIR}")
  else()
    set(args -DWASMTIME_PROVIDER=prebuilt "-DWASMTIME_ROOT=${WASMTIME_PREFIX}")
  endif()
  set(${out_var} ${args} PARENT_SCOPE)
endfunction()
