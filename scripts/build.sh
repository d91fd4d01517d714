#!/usr/bin/env bash
# Installs what is missing, then builds the C++ host and the Rust guests (CMake runs cargo).
# Usage: scripts/build.sh [--for-tests]   (BUILD_DIR, JOBS, CMAKE_ARGS from the environment)
source "$(dirname "$0")/common.sh"
build_all "$@"
step "Built: $BUILD_DIR/host and $BUILD_DIR/guest.wasm"
