#!/usr/bin/env bash
# Sets up and builds (with the test dependencies), then runs every CTest test.
# Extra arguments go to ctest, e.g. scripts/test.sh -L scenario
source "$(dirname "$0")/common.sh"
build_all --for-tests
step "Testing: ctest --output-on-failure -j $JOBS $*"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$JOBS" "$@"
