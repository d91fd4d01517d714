# Shared by the scripts in this folder: messages, and installing what the
# build needs on a Debian-like machine. Source it; do not run it.
set -euo pipefail

WASMHOST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$WASMHOST_ROOT/build}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

APT_UPDATED=0
apt_install() {
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    note "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  note "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

version_at_least() { # version_at_least HAVE WANT
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# ensure_build_tools [--for-tests]: cargo, a C++ compiler, cmake >= 3.21,
# OpenSSL's libcrypto (libssl-dev), nlohmann-json (the library's manifests,
# host's flame graphs and the benchmark), CLI11 (host's command line), the
# wasm32-wasip1 and wasm32-wasip2 targets; with --for-tests also GoogleTest,
# clang-format, clang (the generated bindings' -Werror test), pkg-config and
# python3's pip (the consumer and cmake tests), python3-jsonschema (the
# manifest tests), gdb (the debug tests), clippy and rustfmt.
ensure_build_tools() {
  local for_tests=0
  [ "${1:-}" = "--for-tests" ] && for_tests=1

  step "Checking the toolchain"
  command -v cargo >/dev/null 2>&1 ||
    die "cargo not found: install Rust with rustup (https://rustup.rs), then run this again"
  command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 ||
    apt_install g++ || die "no C++ compiler: install g++ (apt-get install g++)"
  note "$(cargo --version)"
  note "$(c++ --version 2>/dev/null | head -n1 || g++ --version | head -n1)"

  if ! command -v cmake >/dev/null 2>&1; then
    step "Installing cmake"
    apt_install cmake ||
      die "cmake not found: install cmake >= 3.21 (apt-get install cmake, or pip install cmake) and run this again"
  fi
  local cmake_version
  cmake_version="$(cmake --version | head -n1 | awk '{print $3}')"
  version_at_least "$cmake_version" 3.21 ||
    die "cmake $cmake_version is too old: this project needs cmake >= 3.21 (pip install cmake)"
  note "cmake $cmake_version"

  use_compiler_cache

  # lld links each program against the 110 MB static Wasmtime in about half a
  # second, GNU ld in 3-4 s (WASMHOST_LINKER=auto takes lld, else gold, else
  # the compiler's own: cmake/WasmhostLinker.cmake). Optional.
  if ! command -v ld.lld >/dev/null 2>&1; then
    step "Installing lld (a faster linker for the programs and tests)"
    apt_install lld || note "lld not available: the programs link with gold or GNU ld (slower)"
  fi
  if command -v ld.lld >/dev/null 2>&1; then
    note "lld installed"
  fi

  # The library's SHA-256 (OpenSSL's libcrypto); the JSON of the library's
  # manifests, host's flame graphs and the benchmark (nlohmann-json): from
  # Debian's packages.
  if ! [ -f /usr/include/openssl/evp.h ]; then
    step "Installing OpenSSL's libcrypto (libssl-dev)"
    apt_install libssl-dev ||
      die "OpenSSL's headers not found: install them (apt-get install libssl-dev) and run this again"
  fi
  note "OpenSSL (libssl-dev) installed"
  if ! [ -f /usr/include/nlohmann/json.hpp ]; then
    step "Installing nlohmann-json (nlohmann-json3-dev)"
    apt_install nlohmann-json3-dev ||
      die "nlohmann/json.hpp not found: install it (apt-get install nlohmann-json3-dev) and run this again"
  fi
  note "nlohmann-json installed"
  # host's command line (header-only, Debian's package).
  if ! [ -f /usr/include/CLI/CLI.hpp ]; then
    step "Installing CLI11 (libcli11-dev)"
    apt_install libcli11-dev ||
      die "CLI/CLI.hpp not found: install it (apt-get install libcli11-dev) and run this again"
  fi
  note "CLI11 installed"

  # wasm32-wasip1: the core-module guests; wasm32-wasip2: the Component Model
  # guests (a cdylib for it is a component).
  local rust_target
  for rust_target in wasm32-wasip1 wasm32-wasip2; do
    if ! rustup target list --installed 2>/dev/null | grep -qx "$rust_target"; then
      step "Installing the Rust target $rust_target"
      command -v rustup >/dev/null 2>&1 ||
        die "the $rust_target target is missing and rustup is not available to add it"
      rustup target add "$rust_target" ||
        die "'rustup target add $rust_target' failed: install the target and run this again"
    fi
    note "Rust target $rust_target installed"
  done

  if [ "$for_tests" -eq 1 ]; then
    if ! [ -f /usr/include/gtest/gtest.h ] && ! compgen -G "/usr/lib/*/cmake/GTest/GTestConfig.cmake" >/dev/null; then
      step "Installing GoogleTest"
      apt_install libgtest-dev ||
        die "GoogleTest not found: install it (apt-get install libgtest-dev) and run this again"
    fi
    note "GoogleTest installed"
    if ! command -v clang-format >/dev/null 2>&1; then
      step "Installing clang-format"
      apt_install clang-format ||
        die "clang-format not found: install it (apt-get install clang-format) and run this again"
    fi
    note "clang-format installed"
    # The generated WIT bindings are compiled with -Werror by both compilers.
    if ! command -v clang++ >/dev/null 2>&1; then
      step "Installing clang"
      apt_install clang ||
        die "clang++ not found: install it (apt-get install clang) and run this again"
    fi
    note "clang++ installed"
    # The consumer tests link with pkg-config's flags alone; cmake.minimum-version
    # installs the declared minimum cmake with pip (PyPI) into the per-user cache.
    if ! command -v pkg-config >/dev/null 2>&1; then
      step "Installing pkg-config"
      apt_install pkgconf ||
        die "pkg-config not found: install it (apt-get install pkgconf) and run this again"
    fi
    note "pkg-config installed"
    if ! python3 -m pip --version >/dev/null 2>&1; then
      step "Installing python3 and pip"
      apt_install python3-pip ||
        die "python3 -m pip not found: install it (apt-get install python3-pip) and run this again"
    fi
    note "python3 and pip installed"
    # The manifest tests check the example manifests against docs/manifest.schema.json.
    if ! python3 -c "import jsonschema" >/dev/null 2>&1; then
      step "Installing python3-jsonschema"
      apt_install python3-jsonschema ||
        die "python3's jsonschema not found: install it (apt-get install python3-jsonschema) and run this again"
    fi
    note "python3-jsonschema installed"
    # The debug tests run gdb in batch mode against host --debug.
    if ! command -v gdb >/dev/null 2>&1; then
      step "Installing gdb"
      apt_install gdb || die "gdb not found: install it (apt-get install gdb) and run this again"
    fi
    note "gdb installed"
    local component
    for component in clippy rustfmt; do
      if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        step "Installing the Rust component $component"
        rustup component add "$component" ||
          die "'rustup component add $component' failed: the guest's lint tests need it"
      fi
    done
    note "clippy and rustfmt installed"
  fi
}

# explain_wasmtime_step: what the configure step is about to do for Wasmtime
# (cmake/WasmtimeProvider.cmake says it again, exactly, before it starts).
explain_wasmtime_step() {
  local cache="${WASMHOST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmhost}"
  case " ${CMAKE_ARGS:-} " in
  *" -DWASMTIME_PROVIDER=wheel "*)
    if compgen -G "$cache/wasmtime-wheel-*/wasmhost-wheel.stamp" >/dev/null; then
      note "Wasmtime 48.0.0 (wheel provider): reusing the per-user cache $cache."
    else
      note "Wasmtime 48.0.0 (wheel provider): downloading the official C API library once"
      note "(a 9.8 MB wheel with pip, the headers with cargo) into $cache:"
      note "seconds, nothing is compiled."
    fi
    ;;
  *" -DWASMTIME_PROVIDER="*) ;;
  *)
    if compgen -G "$cache/wasmtime-48.0.8-*/wasmhost-build.stamp" >/dev/null; then
      note "Wasmtime 48.0.8: reusing the build in the per-user cache $cache"
      note "(unless the feature set changed)."
    else
      note "Wasmtime 48.0.8: nothing in the per-user cache $cache yet, so this configure"
      note "compiles the Wasmtime C API from source with cargo, once per machine: about 190"
      note "crates, 4-5 minutes on an idle 2-core machine (longer on a busy one); cargo's"
      note "progress follows. CMAKE_ARGS=-DWASMTIME_PROVIDER=wheel takes seconds instead"
      note "(the official 48.0.0 build, docs/wasmtime-providers.md)."
    fi
    ;;
  esac
}

# use_compiler_cache: ccache (Debian's package) in front of the C++ compiler
# of this build and of every CMake build it starts (the provider and consumer
# tests configure nested ones): CMake reads CMAKE_CXX_COMPILER_LAUNCHER from
# the environment. Paths under the clone are hashed relative to it
# (CCACHE_BASEDIR) and the working directory is not hashed (CCACHE_NOHASHDIR),
# so that another clone on the same machine compiles nothing again; the
# debug info of such a hit names the first clone's folders. Set
# CMAKE_CXX_COMPILER_LAUNCHER (empty: none) to choose otherwise.
use_compiler_cache() {
  if [ -n "${CMAKE_CXX_COMPILER_LAUNCHER+set}" ]; then
    note "compiler launcher: '${CMAKE_CXX_COMPILER_LAUNCHER}' (CMAKE_CXX_COMPILER_LAUNCHER)"
    return
  fi
  if ! command -v ccache >/dev/null 2>&1; then
    step "Installing ccache (C++ compiles shared by every clone)"
    if ! apt_install ccache; then
      note "ccache not available: every build folder compiles the C++ from scratch"
      return
    fi
  fi
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$WASMHOST_ROOT}"
  export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
  note "ccache $(ccache --version | head -n1 | awk '{print $3}') (cache: $(ccache --get-config cache_dir 2>/dev/null || echo default))"
}

# build_all [--for-tests]: configure and build with CMake, the Rust guests
# included (cargo, in the per-user target folder WASMHOST_CARGO_TARGET_DIR:
# cmake/WasmhostCargo.cmake).
build_all() {
  ensure_build_tools "$@"

  step "Configuring the C++ host (cmake -S . -B ${BUILD_DIR#"$WASMHOST_ROOT"/})"
  explain_wasmtime_step
  cmake -S "$WASMHOST_ROOT" -B "$BUILD_DIR" ${CMAKE_ARGS:-}

  step "Building (cmake --build, $JOBS jobs)"
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

# ensure_fuzz_tools: clang with libFuzzer and the sanitizer runtimes, for
# scripts/check-hardening.sh (Debian's clang and libclang-rt-dev).
ensure_fuzz_tools() {
  step "Checking clang and libFuzzer"
  local probe
  probe="$(mktemp -d)"
  printf '%s\n' 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' \
    >"$probe/probe.cc"
  if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cc" -o "$probe/probe" >/dev/null 2>&1; then
    step "Installing clang and its sanitizer/libFuzzer runtimes"
    apt_install clang libclang-rt-dev ||
      die "clang with libFuzzer not found: install it (apt-get install clang libclang-rt-dev) and run this again"
    clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cc" -o "$probe/probe" ||
      die "clang++ cannot build a libFuzzer target with ASan and UBSan"
  fi
  rm -rf "$probe"
  note "$(clang++ --version | head -n1), libFuzzer available"
}
