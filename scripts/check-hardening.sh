#!/usr/bin/env bash
# The hardening checks, in their own build folder (default build-hardening):
# host, library and tests built by clang with ASan and UBSan
# (-DWASMHOST_SANITIZE=address,undefined) plus the libFuzzer target
# (-DWASMHOST_FUZZ=ON); then every CTest test under the sanitizers,
# including the bounded fuzz run (label fuzz, FUZZ_SECONDS, default 60).
# Extra arguments go to ctest, e.g. scripts/check-hardening.sh -L fuzz
source "$(dirname "$0")/common.sh"
HARDENING_BUILD_DIR="${HARDENING_BUILD_DIR:-$WASMHOST_ROOT/build-hardening}"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"

ensure_build_tools --for-tests
ensure_fuzz_tools

step "Configuring the sanitizer + fuzz build (${HARDENING_BUILD_DIR#"$WASMHOST_ROOT"/})"
cmake -S "$WASMHOST_ROOT" -B "$HARDENING_BUILD_DIR" \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWASMHOST_SANITIZE=address,undefined -DWASMHOST_FUZZ=ON \
  -DWASMHOST_FUZZ_SECONDS="$FUZZ_SECONDS" ${CMAKE_ARGS:-}

step "Building (cmake --build, $JOBS jobs)"
cmake --build "$HARDENING_BUILD_DIR" -j "$JOBS"

step "Testing under ASan/UBSan, with a ${FUZZ_SECONDS} s fuzz run: ctest -j $JOBS $*"
cd "$HARDENING_BUILD_DIR"
ctest --output-on-failure -j "$JOBS" "$@"
