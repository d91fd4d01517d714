#!/usr/bin/env bash
# Sets up, builds and runs the article's example: cd build && ./host guest.wasm
# Extra arguments go to host, e.g. scripts/run.sh --scenario point
source "$(dirname "$0")/common.sh"
build_all
step "Running: cd ${BUILD_DIR#"$WASMHOST_ROOT"/} && ./host guest.wasm $*"
cd "$BUILD_DIR"
exec ./host guest.wasm "$@"
