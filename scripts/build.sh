#!/usr/bin/env bash
# Installs what is missing, then builds the Rust guest and the C++ host.
# Usage: scripts/build.sh [--for-tests]   (BUILD_DIR, JOBS, CMAKE_ARGS from the environment)
source "$(dirname "$0")/common.sh"
build_all "$@"
step "Built: $BUILD_DIR/host and $BUILD_DIR/guest.wasm"
